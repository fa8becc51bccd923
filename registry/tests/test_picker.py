"""The people picker: filters, "select all filtered", scope and a fixed query count."""

import datetime as dt

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from krupd.testing import make_person
from registry.models import AcademicStanding, LearningArea, Person, PersonnelType
from registry.picker import PeoplePickerField, filter_from, results_context
from registry.queries import PickFilter, pick_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowd(office, school, other_school, teacher_person, other_teacher):
    """Thirty teachers at one school, plus a director and the two named teachers."""
    many = [
        make_person(office, school, first_name=f"ครูคนที่{i}", last_name="ทดสอบ") for i in range(30)
    ]
    director = make_person(
        office,
        school,
        first_name="ผอ",
        last_name="ใจดี",
        personnel_type=PersonnelType.DIRECTOR,
        position="ผู้อำนวยการสถานศึกษา",
        academic_standing=AcademicStanding.objects.get(code="k3"),
    )
    return {"many": many, "director": director}


def _form(candidates, data=None):
    from django import forms

    class Form(forms.Form):
        people = PeoplePickerField(queryset=candidates, label="บุคลากร")

    return Form(data)


def test_it_filters_by_school_position_standing_and_name(office, school, crowd, other_teacher):
    everyone = Person.objects.filter(office=office)
    assert pick_people(everyone, PickFilter(school=str(school.pk))).count() == 32
    assert pick_people(everyone, PickFilter(personnel_type="director")).get() == crowd["director"]
    k3 = AcademicStanding.objects.get(code="k3")
    assert list(pick_people(everyone, PickFilter(standing=str(k3.pk)))) == [crowd["director"]]
    assert list(pick_people(everyone, PickFilter(q="สมชาย"))) == [other_teacher]
    assert pick_people(everyone, PickFilter(school="ไม่ใช่ตัวเลข")).count() == 0


def test_it_filters_by_learning_area_taught(office, crowd, teacher_person):
    math = LearningArea.objects.get(code="math")
    science = LearningArea.objects.exclude(code="math").first()
    teacher_person.major = None
    teacher_person.save()
    Person.objects.exclude(pk=teacher_person.pk).update(major=None)
    everyone = Person.objects.filter(office=office)
    assert list(pick_people(everyone, PickFilter(learning_area=str(math.pk)))) == [teacher_person]
    assert not pick_people(everyone, PickFilter(learning_area=str(science.pk))).exists()


def test_it_filters_by_an_open_need_from_the_survey_and_the_id_plan(
    office, users, crowd, teacher_person, other_teacher
):
    from planning.models import Framework, IdPlan, IdPlanItem, Response, Round, Topic, TopicAnswer

    topic = Topic.objects.create(office=office, name="การวัดและประเมินผล")
    framework = Framework.objects.create(office=office, name="กรอบสมรรถนะ", version="1")
    rnd = Round.objects.create(
        office=office,
        year=2569,
        name="รอบ 2569",
        framework=framework,
        opens=dt.date(2026, 7, 1),
        closes=dt.date(2026, 7, 31),
        target_types=["teacher"],
    )
    response = Response.objects.create(
        round=rnd,
        person=teacher_person,
        rater_kind="self",
        personnel_type="teacher",
        submitted_at=dt.datetime(2026, 7, 2, tzinfo=dt.UTC),
    )
    TopicAnswer.objects.create(response=response, topic=topic)
    plan = IdPlan.objects.create(person=other_teacher, year=2569)
    IdPlanItem.objects.create(plan=plan, topic=topic, title="วัดผลตามสภาพจริง")
    everyone = Person.objects.filter(office=office)
    found = set(pick_people(everyone, PickFilter(need=str(topic.pk))))
    assert found == {teacher_person, other_teacher}


def test_select_all_filtered_takes_every_match_even_beyond_the_rows_shown(
    office, school, crowd, other_teacher, monkeypatch
):
    monkeypatch.setattr("registry.picker.SHOWN", 5)
    candidates = Person.objects.filter(office=office)
    data = QueryDict(mutable=True)
    data.update({"people__all": "1", "people__shown__school": str(school.pk)})
    data.update({"people": str(other_teacher.pk)})
    form = _form(candidates, data)
    assert form.is_valid(), form.errors
    assert len(form.cleaned_data["people"]) == 33
    context = results_context(candidates, PickFilter(school=str(school.pk)), [], "people")
    assert context["total"] == 32 and len(context["matches"]) == 5 and context["more"] == 27


def test_it_refuses_a_person_outside_the_candidates_in_thai(office, foreign_person, crowd):
    form = _form(Person.objects.filter(office=office), QueryDict(f"people={foreign_person.pk}"))
    assert not form.is_valid()
    assert "เลือกไม่ได้" in form.errors["people"][0]
    empty = _form(Person.objects.filter(office=office), QueryDict(""))
    assert not empty.is_valid() and empty.errors["people"] == ["ยังไม่ได้เลือกบุคลากร"]


def test_filter_from_reads_only_its_own_names():
    data = QueryDict("people__q=สม&people__school=3&other__q=x")
    assert filter_from(data, "people") == PickFilter(q="สม", school="3")


def test_the_picker_renders_with_a_fixed_number_of_queries(office, school, crowd):
    candidates = Person.objects.filter(office=office)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            _form(candidates).as_p()
        return len(queries)

    before = count()
    for i in range(20):
        make_person(office, school, first_name=f"เพิ่ม{i}", last_name="ทดสอบ")
    assert count() == before


def test_nominate_answers_a_picker_filter_request_with_rows_only(client_for, office, school, crowd):
    from training.models import Course, Session

    course = Course.objects.create(
        office=office, title="หลักสูตรทดสอบ", mode="workshop", hours=6, fiscal_year=2569
    )
    session = Session.objects.create(
        course=course, start_date=dt.date(2026, 2, 1), end_date=dt.date(2026, 2, 1), capacity=40
    )
    url = reverse("training:nominate", args=[session.pk])
    client = client_for(Role.DEVELOPMENT_OFFICER)
    html = client.get(
        url,
        {"picker": "people", "people__q": "ครูคนที่1"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "<html" not in html and "ครูคนที่10" in html and "สมศรี" not in html
    assert client_for(Role.TEACHER).get(url, {"picker": "people"}).status_code == 403


def _office_of(office, schools: int, each: int, start: int = 0):
    """``schools`` schools (two share a name), ``each`` people in each, three office staff."""
    from krupd.testing import make_school

    made = [
        make_school(office, code=f"9{n:09d}", name=f"โรงเรียนทดสอบ{min(n, 3) if n < 5 else n:03d}")
        for n in range(start, start + schools)
    ]
    for n, s in enumerate(made):
        for i in range(each):
            make_person(office, s, first_name=f"ครู{(n * 7 + i * 3) % 11}", last_name=f"ค{i}")
    for i in range(3):
        make_person(office, None, first_name=f"เจ้าหน้าที่{i}", last_name="เขต")


@pytest.mark.parametrize(
    "f", [PickFilter(), PickFilter(q="ครู1"), PickFilter(personnel_type="teacher")]
)
def test_the_first_rows_by_index_probes_are_the_first_rows_of_the_whole_sort(
    office, monkeypatch, f
):
    """A big office's first rows are sorted school by school: the same rows, in the same
    order, as sorting every match (FEW lowered so that this small office takes that way)."""
    from registry import picker

    _office_of(office, schools=40, each=4)
    candidates = Person.objects.filter(office=office, status="active")
    matches = picker.PEOPLE.match(candidates.select_related(*picker.PEOPLE.related), f)
    whole = [p.pk for p in matches]
    monkeypatch.setattr(picker, "FEW", 5)
    for limit in (2, 10, 50, 1000):
        assert [p.pk for p in picker.PEOPLE.first(matches, limit)] == whole[:limit]


def test_the_menus_by_index_probes_are_the_menus_of_reading_every_candidate(office, monkeypatch):
    from registry import picker

    _office_of(office, schools=12, each=3)
    candidates = Person.objects.filter(office=office, status="active", school__isnull=False)
    few = picker.PEOPLE.menus(candidates)
    monkeypatch.setattr(picker, "FEW", 5)
    assert picker.PEOPLE.menus(candidates) == few


def _picker_queries(office) -> int:
    form = _form(Person.objects.filter(office=office, status="active"))
    with CaptureQueriesContext(connection) as queries:
        str(form["people"])
    return len(queries)


def test_a_big_office_picker_asks_as_many_queries_at_twice_the_schools_and_people(
    office, monkeypatch
):
    """Past FEW candidates the picker probes an index per menu choice and per group of
    schools; the number of queries follows neither the people nor the schools."""
    from registry import picker

    monkeypatch.setattr(picker, "FEW", 5)
    _office_of(office, schools=20, each=3)
    small = _picker_queries(office)
    _office_of(office, schools=20, each=3, start=100)  # twice the schools and the people
    assert _picker_queries(office) <= small
