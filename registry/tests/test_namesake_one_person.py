"""One person's pages and documents name their school as the office's lists do: a school that
shares its name with another school of the office ("บ้านหนองบัว" twice) is followed by its
OBEC code (the person page, the PA agreement and its pack, the development record, the ID
plan), and a school without a namesake keeps its bare name."""

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from accounts.roles import Role
from career import actions as career_actions
from career import exports as career_exports
from krupd.testing import make_person, make_school, pdf_text
from registry.labels import person_workplace_label, school_label

pytestmark = pytest.mark.django_db

CODED = "โรงเรียนบ้านหนองไผ่ (1076010001)"


@pytest.fixture
def twin(office, school):
    """Another school of the office with the name of `school`, typed with other spaces."""
    return make_school(office, code="1076010009", name=f" {school.name}  ")


def test_a_school_is_named_with_its_code_only_where_the_office_has_a_namesake(
    office, other_office, school, other_school, teacher_person
):
    assert school_label(school) == school.name
    assert person_workplace_label(teacher_person) == school.name
    # A school of the same name in another office is not one this office's readers confuse.
    make_school(other_office, code="1076020001", name=school.name)
    assert school_label(school) == school.name
    make_school(office, code="1076010009", name=school.name)
    assert school_label(school) == CODED
    assert school_label(other_school) == other_school.name
    staff = make_person(office, None, first_name="ค", last_name="ง")
    assert person_workplace_label(staff) == office.name


def test_the_person_page_names_the_school_and_the_secondment_school_with_codes(
    client_for, office, school, twin, teacher_person
):
    teacher_person.secondment = "out"
    teacher_person.secondment_school = twin
    teacher_person.save()
    page = client_for(Role.OFFICE_ADMIN).get(f"/registry/people/{teacher_person.pk}/")
    text = page.content.decode()
    assert text.count(CODED) == 2  # under the name, and as the place of work
    assert f"{twin.name} (1076010009)" in text


def test_the_teachers_own_page_names_her_school_with_its_code(client_for, twin, teacher_person):
    text = client_for(Role.TEACHER).get(f"/registry/people/{teacher_person.pk}/").content.decode()
    assert CODED in text


def test_the_debt_page_of_one_person_names_her_school_with_its_code(
    client_for, twin, teacher_person
):
    page = client_for(Role.TEACHER).get(f"/career/debt/{teacher_person.pk}/")
    assert page.status_code == 200
    assert CODED in page.content.decode()


def test_the_pa_pages_and_documents_name_the_school_with_its_code(
    client_for, users, twin, teacher_person
):
    agreement = career_actions.start_agreement(
        acting_user=users[Role.TEACHER], person=teacher_person, fiscal_year=2569
    )
    client = client_for(Role.TEACHER)
    for url in (f"/career/pa/{agreement.pk}/", f"/career/pa/{agreement.pk}/pack/"):
        assert CODED in client.get(url).content.decode(), url
    for url in (f"/career/pa/{agreement.pk}/export/", f"/career/pa/{agreement.pk}/pack/report/"):
        answer = client.get(url)
        assert answer.status_code == 200, url
        text = "\n".join(p.text for p in Document(io.BytesIO(answer.content)).paragraphs)
        assert f"สถานศึกษา {CODED} สังกัด" in text, url
    assert f"สถานศึกษา {CODED}" in "\n".join(
        p.text for p in Document(io.BytesIO(career_exports.agreement_docx(agreement))).paragraphs
    )


def test_the_development_record_names_the_school_with_its_code(client_for, twin, teacher_person):
    client = client_for(Role.TEACHER)
    url = f"/training/people/{teacher_person.pk}/transcript/?fy=2569"
    assert CODED in client.get(url).content.decode()
    sheet = load_workbook(io.BytesIO(client.get(url + "&format=xlsx").content)).active
    assert any(CODED in str(v) for row in sheet.iter_rows(values_only=True) for v in row if v)
    flat = "".join(pdf_text(client.get(url + "&format=pdf").content).split())
    assert "".join(f"สังกัด {CODED}".split()) in flat


def test_the_id_plan_page_names_the_school_with_its_code(client_for, users, twin, teacher_person):
    from planning.models import IdPlan

    plan = IdPlan.objects.create(person=teacher_person, year=2569)
    assert CODED in client_for(Role.TEACHER).get(f"/planning/id-plans/{plan.pk}/").content.decode()
