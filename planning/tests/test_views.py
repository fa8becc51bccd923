"""Every planning page and API endpoint with a role that may and one that may not; role
scoping of answers; the XLSX framework round trip with Thai errors; DOCX in Thai typography."""

import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import Workbook, load_workbook

from accounts.roles import Role
from planning import actions, queries
from planning.framework_xlsx import FrameworkFileError, export_framework, read_framework
from planning.models import Framework, IdPlan, Plan, Project, RaterKind, Response, StrategicFrame

pytestmark = pytest.mark.django_db

A, T, D = Role.OFFICE_ADMIN, Role.TEACHER, Role.SCHOOL_DIRECTOR
OF, S, IN = Role.DEVELOPMENT_OFFICER, Role.SUPERVISOR, Role.INSPECTOR


@pytest.fixture
def world(users, office, rnd, comps, teacher_person, topic):
    actions.save_response(
        acting_user=users[T], rnd=rnd, person=teacher_person, rater_kind=RaterKind.SELF,
        ratings={c.pk: (2, 5) for c in comps.values()}, submit=True,
    )  # fmt: skip
    frame = StrategicFrame.objects.create(
        office=office, name="กรอบ", start_year=2569, end_year=2571
    )
    plan = Plan.objects.create(office=office, kind="annual", title="แผน 2569", fiscal_year=2569,
                               end_year=2569, needs_round=rnd, frame=frame)  # fmt: skip
    project = Project.objects.create(plan=plan, name="โครงการ")
    idp = actions.start_id_plan(acting_user=users[T], person=teacher_person, year=2568, rnd=rnd)
    return {"rnd": rnd.pk, "fw": rnd.framework_id, "plan": plan.pk, "project": project.pk,
            "frame": frame.pk, "idp": idp.pk, "person": teacher_person.pk, "item": comps["A"].pk}  # fmt: skip


# (url template, a role that may open it, a role that may not)
PAGES = [
    ("/planning/", T, None),
    ("/planning/frameworks/", A, OF),
    ("/planning/frameworks/new/", A, OF),
    ("/planning/frameworks/{fw}/", S, T),
    ("/planning/frameworks/{fw}/edit/", A, OF),
    ("/planning/frameworks/{fw}/export/", OF, T),
    ("/planning/frameworks/{fw}/items/new/", A, D),
    ("/planning/frameworks/{fw}/items/{item}/", A, S),
    ("/planning/topics/", A, OF),
    ("/planning/rounds/", D, T),
    ("/planning/rounds/new/", OF, D),
    ("/planning/rounds/{rnd}/", D, T),
    ("/planning/rounds/{rnd}/edit/", OF, D),
    ("/planning/rounds/{rnd}/self/", T, A),
    ("/planning/rounds/{rnd}/rate/{person}/", D, OF),
    ("/planning/rounds/{rnd}/needs/", IN, T),
    ("/planning/rounds/{rnd}/needs/?by=standing", D, T),
    ("/planning/rounds/{rnd}/needs/export/xlsx/", S, IN),
    ("/planning/rounds/{rnd}/needs/export/docx/", D, IN),
    ("/planning/strategy/", IN, T),
    ("/planning/strategy/new/", A, OF),
    ("/planning/strategy/{frame}/edit/", A, OF),
    ("/planning/plans/", D, T),
    ("/planning/plans/new/", OF, D),
    ("/planning/plans/{plan}/", IN, T),
    ("/planning/plans/{plan}/edit/", OF, S),
    ("/planning/plans/{plan}/alignment/", S, T),
    ("/planning/plans/{plan}/docx/", OF, IN),
    ("/planning/plans/{plan}/projects/new/", OF, D),
    ("/planning/plans/{plan}/projects/{project}/", A, IN),
    ("/planning/id-plans/", T, A),
    ("/planning/id-plans/school/", D, OF),
    ("/planning/id-plans/summary/", OF, T),
    ("/planning/id-plans/{idp}/", D, S),
    ("/api/planning/frameworks", A, T),
    ("/api/planning/rounds", T, None),
    ("/api/planning/rounds/{rnd}/needs", IN, T),
    ("/api/planning/rounds/{rnd}/progress", D, T),
    ("/api/planning/plans", S, T),
    ("/api/planning/plans/{plan}/alignment", IN, T),
    ("/api/planning/id-plans/mine", T, A),
]


@pytest.mark.parametrize("url, allowed, refused", PAGES)
def test_it_opens_each_page_only_for_roles_that_may(client, users, world, url, allowed, refused):
    url = url.format(**world)
    client.force_login(users[allowed])
    assert client.get(url).status_code == 200
    if refused:
        client.force_login(users[refused])
        assert client.get(url).status_code in (403, 404)


def test_it_refuses_anonymous_users(client, world):
    assert client.get("/planning/").status_code == 302
    assert client.get(f"/api/planning/rounds/{world['rnd']}/needs").status_code == 401


POSTS = [
    ("/planning/frameworks/{fw}/copy/", {"version": "9"}, A, OF),
    ("/planning/frameworks/{fw}/domains/", {"code": "X", "name": "ใหม่"}, A, OF),
    ("/planning/plans/{plan}/copy/", {"fiscal_year": "2570"}, OF, D),
    ("/planning/rounds/{rnd}/id-plan/", {}, T, A),
    ("/planning/id-plans/{idp}/decide/approved/", {}, D, OF),
]


@pytest.mark.parametrize("url, data, allowed, refused", POSTS)
def test_it_refuses_posts_from_roles_that_may_not(
    client, users, world, url, data, allowed, refused
):
    url = url.format(**world)
    client.force_login(users[refused])
    assert client.post(url, data).status_code in (403, 404)
    client.force_login(users[allowed])
    assert client.post(url, data).status_code == 302


def test_a_director_sees_only_their_schools_answers(
    users, rnd, comps, teacher_person, other_teacher
):
    for person in (teacher_person, other_teacher):
        actions.save_response(acting_user=None, rnd=rnd, person=person, rater_kind=RaterKind.SELF,
                              ratings={c.pk: (3, 4) for c in comps.values()}, submit=True)  # fmt: skip
    director = users[D]
    assert set(queries.responses_in_scope(director, rnd).values_list("person_id", flat=True)) == {
        teacher_person.pk
    }
    assert queries.analyse_needs(director, rnd).submitted == 1
    assert queries.analyse_needs(users[OF], rnd).submitted == 2
    assert [p.name for p in queries.progress_by_school(director, rnd)] == ["โรงเรียนบ้านหนองไผ่"]


def test_a_teacher_sees_only_their_own_answers(users, rnd, comps, teacher_person, other_teacher):
    for person in (teacher_person, other_teacher):
        actions.save_response(acting_user=None, rnd=rnd, person=person, rater_kind=RaterKind.SELF,
                              ratings={c.pk: (3, 4) for c in comps.values()}, submit=True)  # fmt: skip
    assert list(queries.responses_in_scope(users[T], rnd).values_list("person_id", flat=True)) == [
        teacher_person.pk
    ]


def test_a_director_cannot_rate_or_open_another_schools_teacher(
    client_for, world, other_teacher, users
):
    client = client_for(D)
    assert (
        client.get(f"/planning/rounds/{world['rnd']}/rate/{other_teacher.pk}/").status_code == 404
    )
    other_idp = IdPlan.objects.create(person=other_teacher, year=2568)
    assert client.get(f"/planning/id-plans/{other_idp.pk}/").status_code == 404
    client.force_login(users[T])
    assert client.get(f"/planning/id-plans/{other_idp.pk}/").status_code == 404


def test_the_teacher_self_assesses_through_the_form(
    client_for, world, comps, topic, teacher_person
):
    client = client_for(T)
    url = f"/planning/rounds/{world['rnd']}/self/"
    data = {f"d_{comps['A'].pk}": "๒", f"i_{comps['A'].pk}": "5", f"t_{topic.pk}": "1",
            f"td_{topic.pk}": "2", f"ti_{topic.pk}": "4", "modes": ["plc"], "submit": "1"}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 400
    assert "ยังไม่ได้ให้คะแนนครบ 1 ข้อ (B)" in response.content.decode()
    data.update({f"d_{comps['B'].pk}": "3", f"i_{comps['B'].pk}": "4"})
    assert client.post(url, data).status_code == 302
    saved = Response.objects.get(person=teacher_person, rater_kind=RaterKind.SELF)
    assert saved.modes == ["plc"] and saved.ratings.get(competency=comps["A"]).current == 2


def test_a_rating_of_zero_stays_ticked_and_survives_the_next_save(
    client_for, office, users, comps, teacher_person, topic
):
    """On a 0–4 scale a D of 0 (the skill not there at all, which needs ranks first) was
    shown unticked when the page was opened again, so saving the draft again lost it."""
    from planning.tests.conftest import make_framework, make_round

    fw = make_framework(office, code="Z", scale=(0, 4))
    rnd = make_round(office, fw)
    item = fw.domains.get().competencies.get(code="A")
    url = f"/planning/rounds/{rnd.pk}/self/"
    client = client_for(T)
    data = {f"d_{item.pk}": "๐", f"i_{item.pk}": "4", f"t_{topic.pk}": "1",
            f"td_{topic.pk}": "0", f"ti_{topic.pk}": "3"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    page = client.get(url).content.decode()
    assert f'name="d_{item.pk}" value="0" checked' in page
    assert "<option selected>0</option>" in page
    # Saved again as shown (what the browser posts back from the ticked buttons).
    assert client.post(url, data).status_code == 302
    saved = Response.objects.get(round=rnd, person=teacher_person, rater_kind=RaterKind.SELF)
    assert saved.ratings.get(competency=item).current == 0
    assert saved.topics.get().current == 0


def test_it_refuses_answers_outside_the_window_or_scale(users, rnd, comps, teacher_person):
    import datetime as dt

    with pytest.raises(actions.ValidationError, match="ระหว่าง 1–5"):
        actions.save_response(acting_user=None, rnd=rnd, person=teacher_person, rater_kind="self",
                              ratings={comps["A"].pk: (7, 5)})  # fmt: skip
    with pytest.raises(actions.WorkflowError, match="ไม่ได้เปิดรับ"):
        actions.save_response(acting_user=None, rnd=rnd, person=teacher_person, rater_kind="self",
                              ratings={}, today=rnd.closes + dt.timedelta(days=1))  # fmt: skip


def test_it_round_trips_a_framework_through_xlsx(users, fw, office):
    data = export_framework(fw)
    wb = load_workbook(io.BytesIO(data))
    wb["ข้อมูลกรอบ"]["B2"] = "2"
    buf = io.BytesIO()
    wb.save(buf)
    new = actions.import_framework(
        acting_user=users[A], office=office, parsed=read_framework(buf.getvalue())
    )
    assert (new.code, new.version, new.previous) == ("TC", "2", fw)
    assert [c.code for c in new.domains.get().competencies.all()] == ["A", "B"]
    with pytest.raises(actions.WorkflowError, match="อยู่แล้ว"):
        actions.import_framework(
            acting_user=users[A], office=office, parsed=read_framework(buf.getvalue())
        )


def test_it_lists_every_problem_of_a_bad_framework_file(client_for, fw):
    wb = Workbook()
    meta = wb.active
    meta.title = "ข้อมูลกรอบ"
    for r, (k, v) in enumerate(
        [("รหัสกรอบ", "X"), ("ฉบับ", ""), ("ชื่อกรอบ", "ก"), ("คะแนนต่ำสุด", "หนึ่ง"), ("คะแนนสูงสุด", 5)],
        start=1,
    ):
        meta.cell(r, 1, k), meta.cell(r, 2, v)
    items = wb.create_sheet("สมรรถนะ")
    items.append(["รหัสด้าน", "ชื่อด้าน", "รหัส", "สมรรถนะ/ตัวชี้วัด"])
    items.append(["D1", "ด้านหนึ่ง", "A", "ข้อ A"])
    items.append(["D1", "ด้านอื่น", "A", ""])
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(FrameworkFileError) as err:
        read_framework(buf.getvalue())
    assert err.value.errors == [
        "แผ่นงาน “ข้อมูลกรอบ” แถว 2 คอลัมน์ B (ฉบับ): ต้องกรอก",
        "แผ่นงาน “ข้อมูลกรอบ” แถว 4 คอลัมน์ B (คะแนนต่ำสุด): “หนึ่ง” ไม่ใช่จำนวนเต็ม",
        "แผ่นงาน “สมรรถนะ” แถว 3 คอลัมน์ D (สมรรถนะ/ตัวชี้วัด): ต้องกรอก",
        "แผ่นงาน “สมรรถนะ” แถว 3: รหัสด้าน D1 ชื่อ “ด้านอื่น” ไม่ตรงกับแถว 2 (“ด้านหนึ่ง”)",
        "แผ่นงาน “สมรรถนะ” แถว 3 คอลัมน์ C: รหัส A ซ้ำกับแถว 2",
    ]
    buf.seek(0)
    buf.name = "bad.xlsx"
    # The upload only stores the file; the worker's problems show on the import's own page.
    response = client_for(A).post("/planning/frameworks/import/", {"file": buf})
    assert response.status_code == 302 and response["Location"].startswith("/imports/files/")
    page = client_for(A).get(response["Location"]).content.decode()
    assert "นำเข้าไม่ได้ พบปัญหา 5 รายการ" in page and "ซ้ำกับแถว 2" in page
    assert Framework.objects.count() == 1
    junk = io.BytesIO(b"not a spreadsheet")
    junk.name = "junk.xlsx"
    response = client_for(A).post("/planning/frameworks/import/", {"file": junk})
    assert "ไม่ใช่ชนิดที่รับได้" in response.content.decode()
    assert "Excel (.xlsx)" in response.content.decode()


def test_documents_use_thai_complex_script_font_and_be(client_for, world):
    response = client_for(OF).get(f"/planning/plans/{world['plan']}/docx/?digits=thai")
    doc = Document(io.BytesIO(response.content))
    body = next(p for p in doc.paragraphs if p.text == "กลุ่มพัฒนาครูและบุคลากรทางการศึกษา")
    rpr = body.runs[0]._element.rPr
    assert rpr.find(qn("w:rFonts")).get(qn("w:cs")) == "TH SarabunPSK"
    assert rpr.find(qn("w:szCs")).get(qn("w:val")) == "32"  # 16 pt
    normal = doc.styles["Normal"].element.rPr
    assert normal.find(qn("w:rFonts")).get(qn("w:cs")) == "TH SarabunPSK"
    assert doc.paragraphs[0].text == "แผนปฏิบัติการประจำปีงบประมาณ พ.ศ.\u00a0๒๕๖๙"  # no break
    response = client_for(OF).get(f"/planning/rounds/{world['rnd']}/needs/export/docx/")
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "PNI modified = (I − D) / D" in text
    assert "จัดทำเมื่อ" in text and " 25" in text.split("จัดทำเมื่อ")[1]  # Buddhist Era year


def test_the_alignment_panel_marks_covered_and_uncovered_needs(client_for, world, comps):
    project = Project.objects.get(pk=world["project"])
    project.competencies.set([comps["B"]])
    html = client_for(OF).get(f"/planning/plans/{world['plan']}/alignment/?top=2").content.decode()
    assert "มีโครงการแล้ว" in html and "ยังไม่มีโครงการ" in html


def test_a_frame_kpi_shows_the_dashboard_result_that_measures_it(client_for, office, school):
    """Teachers developed: the office's 1 teacher passed 12 h ≥ the 6 h setting → 100 %."""
    from decimal import Decimal

    from krupd.testing import make_person
    from planning.models import Kpi
    from reporting.queries import current_fiscal_year
    from reporting.tests.helpers import course, passed

    fy = current_fiscal_year()
    frame = StrategicFrame.objects.create(office=office, name="กรอบ", start_year=fy, end_year=fy)
    Kpi.objects.create(frame=frame, number=1, text="ครูได้รับการพัฒนา", target=Decimal(80),
                       unit="ร้อยละ", measure="teachers-developed")  # fmt: skip
    Kpi.objects.create(frame=frame, number=2, text="ตัวชี้วัดที่กรอกเอง", target=Decimal(5))
    Kpi.objects.create(frame=frame, number=3, text="โรงเรียนมีนวัตกรรม", baseline=Decimal(0),
                       target=Decimal("12.50"), unit="โรง")  # fmt: skip
    for person in office.people.filter(personnel_type__in=["teacher", "assistant_teacher"]):
        passed(course(office, fy=fy), person)
    if not office.people.filter(personnel_type="teacher").exists():
        passed(course(office, fy=fy), make_person(office, school))
    page = client_for(Role.DEVELOPMENT_OFFICER).get("/planning/strategy/").content.decode()
    assert "#kpi-teachers-developed" in page and "100.0%" in page and "บรรลุเป้าหมาย" in page
    # A baseline of 0 is a figure (it showed "—", as if none was typed), 12.50 is "12.5".
    assert '<td class="num">0</td><td class="num">12.5</td>' in page
    assert '<td class="num">80</td>' in page and "80.00" not in page


def test_opening_a_persons_ratings_is_audited(client, users, world):
    from registry.models import AuditAction, AuditEntry

    client.force_login(users[D])
    assert client.get(f"/planning/rounds/{world['rnd']}/rate/{world['person']}/").status_code == 200
    entry = AuditEntry.objects.get(action=AuditAction.VIEW_ASSESSMENT)
    assert entry.object_id == str(world["person"]) and entry.actor == users[D]


def _topics_post(topics, rows):
    """The topics page's formset as posted: the existing topics as shown, then new rows."""
    data = {"form-TOTAL_FORMS": str(len(topics) + len(rows)), "form-INITIAL_FORMS": str(len(topics)),
            "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "1000"}  # fmt: skip
    shown = [{"id": t.pk, "name": t.name, "competency_code": t.competency_code, "active": "on",
              "sort_order": t.sort_order} for t in topics]  # fmt: skip
    for i, row in enumerate(shown + rows):
        data |= {f"form-{i}-{k}": v for k, v in row.items()}
    return data


@pytest.mark.parametrize(
    "rows",
    [
        [{"name": "การสอนอ่าน", "sort_order": "1"}, {"name": " การสอนอ่าน ", "sort_order": "2"}],
        [{"name": "การวิจัยในชั้นเรียน\u200b", "sort_order": "๑"}],  # the fixture's topic again
    ],
)
def test_a_topic_name_twice_is_refused_in_thai_naming_the_row(client_for, topic, rows):
    from planning.models import Topic

    data = _topics_post([topic], rows)
    assert client_for(Role.DEVELOPMENT_OFFICER).post("/planning/topics/", data).status_code == 403
    response = client_for(Role.OFFICE_ADMIN).post("/planning/topics/", data)
    assert response.status_code == 200
    assert "หัวข้อการพัฒนา: มีหัวข้อชื่อ" in response.content.decode()
    assert list(Topic.objects.values_list("name", flat=True)) == [topic.name]
    # Told apart, the same rows save.
    for i, row in enumerate(rows):
        row["name"] = f"หัวข้อใหม่ {i}"
    response = client_for(Role.OFFICE_ADMIN).post("/planning/topics/", _topics_post([topic], rows))
    assert response.status_code == 302 and Topic.objects.count() == 1 + len(rows)


def test_topic_catalogue_changes_are_audited_and_the_page_is_refused_to_others(client_for, topic):
    """The catalogue was written in the view with no trail: who added, renamed, retired or
    deleted a survey topic could not be told."""
    from planning.models import Topic
    from registry.models import AuditAction, AuditEntry

    rows = [{"name": "การสอนอ่านออกเขียนได้", "sort_order": "๒"}]
    data = _topics_post([topic], rows)
    data["form-0-name"] = "การวิจัยในชั้นเรียนเพื่อพัฒนาผู้เรียน"
    assert client_for(Role.DEVELOPMENT_OFFICER).post("/planning/topics/", data).status_code == 403
    assert not AuditEntry.objects.filter(object_type="topic").exists()
    admin = client_for(Role.OFFICE_ADMIN)
    assert admin.post("/planning/topics/", data).status_code == 302
    created = AuditEntry.objects.get(object_type="topic", action=AuditAction.CREATE)
    assert created.object_label == "การสอนอ่านออกเขียนได้"
    assert created.changes["sort_order"] == [None, 2]
    renamed = AuditEntry.objects.get(object_type="topic", action=AuditAction.UPDATE)
    assert renamed.changes == {"name": [topic.name, "การวิจัยในชั้นเรียนเพื่อพัฒนาผู้เรียน"]}
    assert renamed.actor.role == Role.OFFICE_ADMIN and renamed.office_id == topic.office_id
    # Deleting: the row goes, audited with what it was.
    new = Topic.objects.get(name="การสอนอ่านออกเขียนได้")
    topic.refresh_from_db()
    data = _topics_post([topic, new], [])
    data["form-1-DELETE"] = "on"
    assert admin.post("/planning/topics/", data).status_code == 302
    deleted = AuditEntry.objects.get(object_type="topic", action=AuditAction.DELETE)
    assert deleted.object_id == str(new.pk) and deleted.changes["name"] == [new.name, None]
    assert not Topic.objects.filter(pk=new.pk).exists()
    page = admin.get("/registry/audit/").content.decode()
    assert "การสอนอ่านออกเขียนได้" in page
