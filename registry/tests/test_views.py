import pytest
from django.urls import reverse

from accounts.roles import Role
from krupd.lib.numerals import to_thai_digits
from krupd.testing import make_school, valid_national_id
from registry import queries
from registry.models import AcademicStanding, AuditEntry, Enrolment, Person, PositionChange

pytestmark = pytest.mark.django_db

OFFICE_WIDE = [Role.OFFICE_ADMIN, Role.DEVELOPMENT_OFFICER, Role.SUPERVISOR]


def test_it_sends_anonymous_users_to_login(client, teacher_person):
    for url in [reverse("home"), reverse("registry:people"),
                reverse("registry:person_detail", args=[teacher_person.pk])]:  # fmt: skip
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", OFFICE_WIDE + [Role.SCHOOL_DIRECTOR])
def test_it_lists_people_for_roles_that_may(client_for, role, teacher_person):
    response = client_for(role).get(reverse("registry:people"))
    assert response.status_code == 200
    assert "สมศรี" in response.content.decode()


@pytest.mark.parametrize("role", [Role.TEACHER, Role.INSPECTOR])
def test_it_refuses_the_people_list(client_for, role):
    assert client_for(role).get(reverse("registry:people")).status_code == 403


def test_it_masks_national_ids_in_lists(client_for, teacher_person):
    html = client_for(Role.OFFICE_ADMIN).get(reverse("registry:people")).content.decode()
    assert teacher_person.national_id not in html
    assert teacher_person.masked_national_id in html


def test_it_scopes_the_director_to_their_school(client_for, teacher_person, other_teacher):
    client = client_for(Role.SCHOOL_DIRECTOR)
    html = client.get(reverse("registry:people")).content.decode()
    assert "สมศรี" in html and "สมชาย" not in html
    detail = reverse("registry:person_detail", args=[other_teacher.pk])
    assert client.get(detail).status_code == 404
    edit = reverse("registry:person_edit", args=[other_teacher.pk])
    assert client.get(edit).status_code == 404


def test_it_never_shows_another_offices_people(client_for, foreign_person):
    client = client_for(Role.OFFICE_ADMIN)
    assert "ต่างเขต" not in client.get(reverse("registry:people")).content.decode()
    url = reverse("registry:person_detail", args=[foreign_person.pk])
    assert client.get(url).status_code == 404


def test_it_lets_a_teacher_see_only_themself(client_for, teacher_person, other_teacher):
    client = client_for(Role.TEACHER)
    assert client.get(reverse("registry:me")).status_code == 302
    own = reverse("registry:person_detail", args=[teacher_person.pk])
    assert client.get(own).status_code == 200
    other = reverse("registry:person_detail", args=[other_teacher.pk])
    assert client.get(other).status_code == 404
    assert client.get(reverse("registry:person_edit", args=[teacher_person.pk])).status_code == 403


def test_a_teacher_sees_her_school_named_not_linked_to_a_page_she_may_not_open(
    client_for, teacher_person
):
    school_page = reverse("registry:school_detail", args=[teacher_person.school_id])
    teacher = client_for(Role.TEACHER)
    own = teacher.get(reverse("registry:person_detail", args=[teacher_person.pk])).content.decode()
    assert teacher_person.school.name in own and school_page not in own
    assert teacher.get(school_page).status_code == 403
    office = client_for(Role.DEVELOPMENT_OFFICER)
    html = office.get(reverse("registry:person_detail", args=[teacher_person.pk])).content.decode()
    assert f'href="{school_page}"' in html


def test_it_lets_a_teacher_correct_their_contact_details(client_for, teacher_person):
    client = client_for(Role.TEACHER)
    response = client.post(
        reverse("registry:my_contact"), {"phone": "๐๘๙-๙๙๙-๙๙๙๙", "email": "somsri@example.org"}
    )
    assert response.status_code == 302
    teacher_person.refresh_from_db()
    assert teacher_person.phone == "089-999-9999"
    entry = AuditEntry.objects.get(object_id=str(teacher_person.pk), action="update")
    assert entry.changes["phone"] == ["081-234-5678", "089-999-9999"]


@pytest.mark.parametrize("typed", ["abc", "โทร", "12345", "0812345678/0899"])
def test_a_phone_that_is_no_thai_number_is_refused_as_the_import_refuses_it(
    client_for, teacher_person, school, typed
):
    """The person forms took "abc" for a phone, which the personnel import refuses: the same
    number now passes or fails both ways, with the same Thai message at the box."""
    client = client_for(Role.TEACHER)
    response = client.post(reverse("registry:my_contact"), {"phone": typed, "email": ""})
    assert response.status_code == 200
    assert "ไม่ถูกต้อง (ตัวเลข 9–10 หลักขึ้นต้นด้วย 0" in response.content.decode()
    teacher_person.refresh_from_db()
    assert teacher_person.phone == "081-234-5678"
    response = client_for(Role.OFFICE_ADMIN).post(
        reverse("registry:person_create"), _person_post(school=school.pk, phone=typed)
    )
    assert "ไม่ถูกต้อง (ตัวเลข 9–10 หลักขึ้นต้นด้วย 0" in response.content.decode()
    assert not Person.objects.filter(first_name="ใหม่").exists()


def test_a_phone_pasted_with_a_letters_dashes_is_kept(client_for, teacher_person):
    response = client_for(Role.TEACHER).post(
        reverse("registry:my_contact"), {"phone": "089\u2013999\u20139999 ต่อ 12", "email": ""}
    )
    assert response.status_code == 302
    teacher_person.refresh_from_db()
    assert teacher_person.phone == "089\u2013999\u20139999 ต่อ 12"


def test_it_refuses_contact_editing_to_users_without_a_person(client_for):
    assert client_for(Role.INSPECTOR).get(reverse("registry:my_contact")).status_code == 403


def _person_post(**overrides):
    data = {
        "national_id": valid_national_id(),
        "title": "นาย",
        "first_name": "ใหม่",
        "last_name": "ทดสอบ",
        "gender": "male",
        "birth_date": "๐๑/๐๖/๒๕๓๐",
        "personnel_type": "teacher",
        "position": "ครู",
        "appointment_date": "16 พ.ค. 2555",
        "status": "active",
    }
    data.update(overrides)
    return data


def test_it_creates_a_person_from_be_dates_and_thai_digits(client_for, school):
    client = client_for(Role.OFFICE_ADMIN)
    response = client.post(reverse("registry:person_create"), _person_post(school=school.pk))
    assert response.status_code == 302, response.content.decode()
    person = Person.objects.get(first_name="ใหม่")
    assert person.birth_date.year == 1987 and person.appointment_date.year == 2012
    assert AuditEntry.objects.filter(action="create", object_id=str(person.pk)).exists()


def test_it_takes_a_national_id_typed_with_dashes_spaces_and_thai_digits(client_for, school):
    digits = valid_national_id()
    typed = (
        f" {digits[0]}-{digits[1:5]} {digits[5:10]}-{to_thai_digits(digits[10:12])}-{digits[12]} "
    )
    client = client_for(Role.OFFICE_ADMIN)
    form_page = client.get(reverse("registry:person_create")).content.decode()
    assert 'maxlength="13"' not in form_page
    response = client.post(
        reverse("registry:person_create"), _person_post(school=school.pk, national_id=typed)
    )
    assert response.status_code == 302, response.content.decode()
    assert Person.objects.get(first_name="ใหม่").national_id == digits


@pytest.mark.parametrize("dash", ["\u2013", "\u2010", "\u2212"])
def test_it_takes_a_national_id_pasted_with_the_dashes_of_a_letter(client_for, school, dash):
    digits = valid_national_id()
    typed = dash.join((digits[0], digits[1:5], digits[5:10], digits[10:12], digits[12]))
    response = client_for(Role.OFFICE_ADMIN).post(
        reverse("registry:person_create"), _person_post(school=school.pk, national_id=typed)
    )
    assert response.status_code == 302, response.content.decode()
    assert Person.objects.get(first_name="ใหม่").national_id == digits


def test_it_explains_a_bad_national_id_in_thai(client_for, school):
    client = client_for(Role.OFFICE_ADMIN)
    response = client.post(
        reverse("registry:person_create"), _person_post(national_id="1234545678789")
    )
    assert response.status_code == 200
    assert "หลักตรวจสอบไม่ตรง" in response.content.decode()
    assert not Person.objects.filter(first_name="ใหม่").exists()


def test_it_explains_an_impossible_date_in_thai(client_for):
    response = client_for(Role.OFFICE_ADMIN).post(
        reverse("registry:person_create"), _person_post(birth_date="31/02/2530")
    )
    assert "ไม่มีวันที่ 31" in response.content.decode()


def test_it_keeps_history_and_audit_when_a_person_moves(client_for, teacher_person, other_school):
    client = client_for(Role.OFFICE_ADMIN)
    data = _person_post(
        national_id=teacher_person.national_id,
        first_name=teacher_person.first_name,
        school=other_school.pk,
        position="ครู",
    )
    response = client.post(reverse("registry:person_edit", args=[teacher_person.pk]), data)
    assert response.status_code == 302
    change = PositionChange.objects.get(person=teacher_person, field="สถานศึกษา")
    assert change.old_value == "โรงเรียนบ้านหนองไผ่" and change.new_value == "โรงเรียนวัดท่าไม้"
    entry = AuditEntry.objects.get(action="update", object_id=str(teacher_person.pk))
    assert entry.changes["school"] == ["โรงเรียนบ้านหนองไผ่", "โรงเรียนวัดท่าไม้"]


def test_it_does_not_let_a_director_move_people_into_another_school(
    client_for, teacher_person, other_school
):
    client = client_for(Role.SCHOOL_DIRECTOR)
    data = _person_post(national_id=teacher_person.national_id, school=other_school.pk)
    response = client.post(reverse("registry:person_edit", args=[teacher_person.pk]), data)
    assert response.status_code == 200  # the other school is not a valid choice
    teacher_person.refresh_from_db()
    assert teacher_person.school.name == "โรงเรียนบ้านหนองไผ่"


@pytest.mark.parametrize("role,status", [(Role.OFFICE_ADMIN, 302), (Role.DEVELOPMENT_OFFICER, 403),
                                         (Role.SCHOOL_DIRECTOR, 403), (Role.TEACHER, 403)])  # fmt: skip
def test_it_lets_only_office_admins_delete(client_for, role, status, teacher_person):
    url = reverse("registry:person_delete", args=[teacher_person.pk])
    assert client_for(role).post(url).status_code == status
    assert Person.objects.filter(pk=teacher_person.pk).exists() == (status != 302)


def test_it_audits_revealing_a_national_id(client_for, teacher_person):
    client = client_for(Role.OFFICE_ADMIN)
    response = client.post(reverse("registry:person_reveal_id", args=[teacher_person.pk]))
    assert response.status_code == 200
    assert teacher_person.national_id[1:5] in response.content.decode()
    assert (
        AuditEntry.objects.filter(action="view_id", object_id=str(teacher_person.pk)).count() == 1
    )


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.TEACHER, Role.INSPECTOR])
def test_it_refuses_revealing_ids_to_others(client_for, role, teacher_person):
    url = reverse("registry:person_reveal_id", args=[teacher_person.pk])
    assert client_for(role).post(url).status_code in (403, 404)
    assert not AuditEntry.objects.filter(action="view_id").exists()


@pytest.mark.parametrize("role", OFFICE_WIDE + [Role.INSPECTOR])
def test_it_lists_schools_office_wide(client_for, role, school, other_school):
    html = client_for(role).get(reverse("registry:schools")).content.decode()
    assert "บ้านหนองไผ่" in html and "วัดท่าไม้" in html


def test_it_shows_a_director_only_their_school(client_for, school, other_school):
    client = client_for(Role.SCHOOL_DIRECTOR)
    html = client.get(reverse("registry:schools")).content.decode()
    assert "บ้านหนองไผ่" in html and "วัดท่าไม้" not in html
    assert client.get(reverse("registry:school_detail", args=[other_school.pk])).status_code == 404


def test_it_refuses_schools_to_teachers(client_for, school):
    assert client_for(Role.TEACHER).get(reverse("registry:schools")).status_code == 403


def test_it_lets_admins_edit_schools_and_refuses_directors(client_for, school):
    data = {"obec_code": "๑๐๗๖๐๑๐๐๐๑", "name": "โรงเรียนบ้านหนองไผ่ (ใหม่)", "level": "primary",
            "latitude": "13.1", "longitude": "99.9"}  # fmt: skip
    url = reverse("registry:school_edit", args=[school.pk])
    assert client_for(Role.SCHOOL_DIRECTOR).post(url, data).status_code == 403
    assert client_for(Role.OFFICE_ADMIN).post(url, data).status_code == 302
    school.refresh_from_db()
    assert school.name.endswith("(ใหม่)")


def test_it_rejects_coordinates_outside_thailand(client_for, school):
    data = {"obec_code": school.obec_code, "name": school.name, "level": "primary",
            "latitude": "48.8", "longitude": "2.3"}  # fmt: skip
    response = client_for(Role.OFFICE_ADMIN).post(
        reverse("registry:school_edit", args=[school.pk]), data
    )
    assert "ประเทศไทย" in response.content.decode()


def test_it_records_enrolment_and_derives_the_size_band(client_for, school):
    client = client_for(Role.SCHOOL_DIRECTOR)
    data = {"academic_year": "๒๕๖๙", "census_date": "10/06/2569",
            "p1_students": "25", "p1_rooms": "1", "p2_students": "110", "p2_rooms": "4"}  # fmt: skip
    response = client.post(reverse("registry:school_enrolment", args=[school.pk]), data)
    assert response.status_code == 302
    school.refresh_from_db()
    assert school.total_students == 135 and school.size_band == "ขนาดกลาง"
    assert Enrolment.objects.filter(school=school, academic_year=2569).count() == 2


def test_it_refuses_enrolment_of_other_schools_and_for_teachers(client_for, school, other_school):
    url = reverse("registry:school_enrolment", args=[other_school.pk])
    assert client_for(Role.SCHOOL_DIRECTOR).get(url).status_code == 404
    own = reverse("registry:school_enrolment", args=[school.pk])
    assert client_for(Role.TEACHER).get(own).status_code == 403


def test_it_shows_the_audit_log_only_to_office_admins(client_for, teacher_person):
    assert client_for(Role.DEVELOPMENT_OFFICER).get(reverse("registry:audit")).status_code == 403
    client = client_for(Role.OFFICE_ADMIN)
    client.post(reverse("registry:person_reveal_id", args=[teacher_person.pk]))
    html = client.get(reverse("registry:audit")).content.decode()
    assert "เปิดดูเลขประจำตัวประชาชน" in html


def test_it_lets_admins_change_office_rules(client_for, office):
    data = {
        "retirement_age": "61",
        "freshness_days": "90",
        "census_day": "10/06",
        "import_retention_days": "90",
    }
    assert (
        client_for(Role.DEVELOPMENT_OFFICER).post(reverse("registry:settings"), data).status_code
        == 403
    )
    assert client_for(Role.OFFICE_ADMIN).post(reverse("registry:settings"), data).status_code == 302
    office.rules.refresh_from_db()
    assert office.rules.retirement_age == 61 and not office.rules.allow_leading_zero_or_nine_id


def test_it_shows_inspectors_counts_without_names(client_for, teacher_person):
    html = client_for(Role.INSPECTOR).get(reverse("home")).content.decode()
    assert "บุคลากรปฏิบัติงาน" in html and "สมศรี" not in html


def test_it_keeps_the_people_page_query_count_flat(
    client_for, office, school, django_assert_max_num_queries
):
    from krupd.testing import make_person

    client = client_for(Role.OFFICE_ADMIN)
    for _ in range(5):
        make_person(office, school)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("registry:people"))
    for _ in range(45):
        make_person(office, school)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("registry:people"))


def test_it_searches_by_name_and_id_prefix(client_for, teacher_person, other_teacher):
    client = client_for(Role.OFFICE_ADMIN)
    html = client.get(reverse("registry:people"), {"q": "สมศรี ใจดี"}).content.decode()
    assert "สมศรี" in html and "สมชาย" not in html
    html = client.get(
        reverse("registry:people"), {"q": teacher_person.national_id[:6]}
    ).content.decode()
    assert "สมศรี" in html


def test_it_renders_only_the_table_for_htmx_requests(client_for, teacher_person):
    response = client_for(Role.OFFICE_ADMIN).get(reverse("registry:people"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<table" in html and "<html" not in html


def test_it_lets_a_person_download_their_own_data(client_for, teacher_person):
    response = client_for(Role.TEACHER).get(reverse("registry:my_data_export"))
    assert response.status_code == 200
    data = response.json()
    assert data["record"]["national_id"] == teacher_person.national_id
    assert "attachment" in response["Content-Disposition"]


def test_a_persons_own_data_carries_her_certificates_with_where_to_check_them(
    client_for, teacher_person, other_teacher
):
    """The export held the registry record only: her certificates (the evidence an outside
    verifier asks for) were not in it. Replaced and revoked ones come too, each as it stands;
    someone else's never."""
    import datetime as dt

    from training.models import Certificate, Course, Enrolment, Session

    def certificate(person, code: str, title: str, **fields) -> None:
        course = Course.objects.create(
            office=person.office, title=title, mode="workshop", hours=12, fiscal_year=2569
        )
        session = Session.objects.create(
            course=course,
            start_date=dt.date(2026, 1, 12),
            end_date=dt.date(2026, 1, 13),
            capacity=10,
        )
        enrolment = Enrolment.objects.create(
            course=course, session=session, person=person, status="enrolled", passed=True,
            result="passed",
        )  # fmt: skip
        Certificate.objects.create(
            enrolment=enrolment, code=code, number="2569/1/0001", person_name=person.full_name,
            course_title=title, office_name=person.office.name, hours=12,
            completed_on=dt.date(2026, 1, 13), issued_on=dt.date(2026, 1, 14), **fields,
        )  # fmt: skip

    certificate(teacher_person, "ABCDEFGH23", "การจัดการเรียนรู้เชิงรุก")
    certificate(teacher_person, "ABCDEFGH24", "PLC คณิตศาสตร์", status="revoked")
    certificate(other_teacher, "ZZZZZZZZ99", "หลักสูตรของคนอื่น")
    data = client_for(Role.TEACHER).get(reverse("registry:my_data_export")).json()
    held = {c["code"]: c for c in data["certificates"]}
    assert set(held) == {"ABCDEFGH23", "ABCDEFGH24"}
    assert held["ABCDEFGH23"]["course"] == "การจัดการเรียนรู้เชิงรุก"
    assert held["ABCDEFGH23"]["standing"] == "ใช้ได้"
    assert held["ABCDEFGH24"]["standing"] == "เพิกถอนแล้ว"
    assert held["ABCDEFGH23"]["verify_url"].endswith("/verify/ABCDEFGH23/")
    assert held["ABCDEFGH23"]["issued_on"] == "2026-01-14"
    assert data["award_certificates"] == []


def test_it_refuses_data_export_to_users_without_a_person(client_for):
    assert client_for(Role.OFFICE_ADMIN).get(reverse("registry:my_data_export")).status_code == 403


def test_it_lets_admins_map_a_major_to_a_learning_area(client_for):
    from registry.models import LearningArea, Major

    client = client_for(Role.OFFICE_ADMIN)
    page = client.get(reverse("registry:reference", args=["majors"]))
    formset = page.context["formset"]
    data = {
        "form-TOTAL_FORMS": str(len(formset.forms)),
        "form-INITIAL_FORMS": str(formset.initial_form_count()),
    }
    for i, form in enumerate(formset.forms):
        for name in form.fields:
            value = form.initial.get(name, "")
            data[f"form-{i}-{name}"] = getattr(value, "pk", value) if value is not None else ""
        if form.instance.pk:
            data[f"form-{i}-id"] = form.instance.pk
    new = len(formset.forms) - 3
    science = LearningArea.objects.get(code="science")
    data[f"form-{new}-name"] = "หุ่นยนต์ศึกษา"
    data[f"form-{new}-learning_area"] = science.pk
    response = client.post(reverse("registry:reference", args=["majors"]), data)
    assert response.status_code == 302
    assert Major.objects.get(name="หุ่นยนต์ศึกษา").learning_area == science
    assert AuditEntry.objects.filter(object_type="major", action="create").count() == 1


@pytest.mark.parametrize("role", [Role.DEVELOPMENT_OFFICER, Role.SCHOOL_DIRECTOR, Role.TEACHER])
def test_it_refuses_reference_lists_to_non_admins(client_for, role):
    assert client_for(role).get(reverse("registry:reference", args=["majors"])).status_code == 403


def test_it_404s_an_unknown_reference_list(client_for):
    assert (
        client_for(Role.OFFICE_ADMIN).get(reverse("registry:reference", args=["nope"])).status_code
        == 404
    )


def test_the_schools_page_reads_seven_queries_whatever_the_schools(
    client_for, office, django_assert_num_queries
):
    """Session, user, unread notices, networks, size bands (the office's kind read inside
    that query), the count and the page of schools."""
    from krupd.testing import make_school
    from registry.models import SizeBand

    client = client_for(Role.OFFICE_ADMIN)
    make_school(office, code="1076000001", name="โรงเรียนหนึ่ง")
    client.get(reverse("registry:schools"))  # the session's first read of the user
    with django_assert_num_queries(7):
        response = client.get(reverse("registry:schools"))
    bands = list(SizeBand.objects.filter(office_kind=office.kind))
    assert bands and list(response.context["bands"]) == bands
    assert f'<option value="{bands[0].name}">' in response.content.decode()
    for n in range(2, 30):
        make_school(office, code=f"10760000{n:02d}", name=f"โรงเรียน {n}")
    with django_assert_num_queries(7):
        client.get(reverse("registry:schools"))


@pytest.mark.parametrize("sort", sorted(queries.PEOPLE_SORTS))
def test_the_people_page_rows_are_people_lists_rows(sort, users, school, other_school):
    """people_page reads fewer columns of the same rows, in the same order, under every sort
    and the learning-area filter (a DISTINCT query), and shows them the same."""
    from krupd.testing import make_person
    from registry.models import LearningArea, Major
    from registry.templatetags.registry_tables import people_rows

    area = LearningArea.objects.get(code="math")
    major = Major.objects.get_or_create(name="คณิตศาสตร์", defaults={"learning_area": area})[0]
    for i in range(6):
        person = make_person(school.office, (school, other_school, None)[i % 3], major=major)
        person.areas_taught.set([area])
    from django.core.paginator import Paginator

    user = users[Role.OFFICE_ADMIN]
    network = school.network_id or ""
    standing = AcademicStanding.objects.values_list("pk", flat=True).first()
    filters = [
        {}, {"learning_area": str(area.pk)}, {"school": str(school.pk)}, {"school": "office"},
        {"network": str(network)}, {"standing": str(standing)}, {"status": ""},
        {"personnel_type": "teacher", "learning_area": str(area.pk), "school": str(school.pk)},
        {"school": "๑๒"}, {"school": "x"},
        {"q": "ครู"}, {"q": "  ครู   ทดสอบ "}, {"q": "%"}, {"q": "_"}, {"q": "\\"},
        {"q": "1-1"}, {"q": "๑"}, {"q": "08"}, {"q": "a b c d e f g", "school": str(school.pk)},
    ]  # fmt: skip
    for chosen in filters:
        f = queries.PeopleFilter(sort=sort, **chosen)
        # Browsing reads pages by kept SQL (its LIMIT/OFFSET parameters), page by page.
        full = Paginator(queries.people_list(user, f), 4)
        few = Paginator(queries.people_page(user, f), 4)
        assert few.count == full.count
        for number in full.page_range:
            rows, full_rows = list(few.page(number)), list(full.page(number))
            assert [p.pk for p in rows] == [p.pk for p in full_rows], chosen
            assert people_rows(rows) == people_rows(full_rows)


@pytest.mark.parametrize(
    ("born", "retires"),
    [
        ("01/10/2509", "30 กันยายน 2569"),  # completes 60 on 30 Sep 2569: retires that day
        ("02/10/2509", "30 กันยายน 2570"),  # completes 60 on 1 Oct 2569: a year more
        ("29/02/2507", "30 กันยายน 2567"),  # a 29 Feb birthday in a BE leap year
    ],
)
def test_the_person_page_shows_the_retirement_day_of_the_thai_age_count(
    client_for, teacher_person, born, retires
):
    from krupd.lib import thai_dates

    teacher_person.birth_date = thai_dates.parse_thai_date(born)
    teacher_person.save(update_fields=["birth_date"])
    page = client_for(Role.OFFICE_ADMIN).get(
        reverse("registry:person_detail", args=[teacher_person.pk])
    )
    assert retires in page.content.decode()


def test_a_deletion_that_fails_midway_leaves_the_record_and_no_audit_entry(
    client_for, teacher_person, monkeypatch
):
    """The audit entry, the deletion and the recounts are one transaction."""
    from registry import actions

    def broken(*args, **kwargs):
        raise RuntimeError("recount failed")

    pk = teacher_person.pk
    monkeypatch.setattr(actions.quality_counts, "recount", broken)
    with pytest.raises(RuntimeError):
        actions.delete_person(acting_user=None, person=teacher_person)
    assert Person.objects.filter(pk=pk).exists()
    assert not AuditEntry.objects.filter(action="delete", object_id=str(pk)).exists()


@pytest.mark.parametrize("sort", sorted(queries.SCHOOL_SORTS))
def test_the_schools_page_rows_are_school_lists_rows(sort, users, school, other_school):
    """school_page (kept SQL, a page at a time) gives school_list's rows and count, for the
    office's staff and a director, under every sort and filter."""
    from django.core.paginator import Paginator

    from registry.templatetags.registry_tables import school_rows

    for n in range(7):
        make_school(school.office, code=f"107600{n:04d}", name=f"โรงเรียนทดสอบ {n}")
    network = school.network_id or ""
    filters = [
        {}, {"network": str(network)}, {"level": "primary"}, {"size_band": "เล็ก"},
        {"network": "๑"}, {"network": "x", "level": "secondary"},
    ]  # fmt: skip
    for role in (Role.OFFICE_ADMIN, Role.SCHOOL_DIRECTOR):
        for chosen in filters:
            f = queries.SchoolFilter(sort=sort, **chosen)
            full = Paginator(queries.school_list(users[role], f), 3)
            few = Paginator(queries.school_page(users[role], f), 3)
            assert few.count == full.count
            for number in full.page_range:
                rows, full_rows = list(few.page(number)), list(full.page(number))
                assert [s.pk for s in rows] == [s.pk for s in full_rows], (role, chosen)
                assert school_rows(rows) == school_rows(full_rows)
