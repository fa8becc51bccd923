"""The ID plan as a printed document (PDF and DOCX): who may download it (as who may open the
page), what it says (the teacher, the goal and items, the status, the signatures), Thai
digits, a draft that says ร่าง, a plan with no items, a long title that wraps."""

import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from docx import Document

from accounts.roles import Role
from krupd.testing import make_user, pdf_text
from planning import actions, exports
from planning.models import IdPlan, IdPlanItem, IdPlanStatus, Mode

pytestmark = pytest.mark.django_db

T, D = Role.TEACHER, Role.SCHOOL_DIRECTOR
LONG_TITLE = (
    "การออกแบบการจัดการเรียนรู้เชิงรุกที่ส่งเสริมการคิดวิเคราะห์และการแก้ปัญหาทางคณิตศาสตร์"
    "ของนักเรียนชั้นประถมศึกษาปีที่หกโดยใช้สถานการณ์ในชีวิตประจำวันและสื่อดิจิทัล"
)


@pytest.fixture
def idp(teacher_person, comps):
    plan = IdPlan.objects.create(
        person=teacher_person, year=2569, school=teacher_person.school,
        goal="พัฒนาการจัดการเรียนรู้เชิงรุก\nใช้สื่อดิจิทัลในชั้นเรียน",
    )  # fmt: skip
    IdPlanItem.objects.create(
        plan=plan, competency=comps["A"], title="การวัดและประเมินผล 12 ตัวชี้วัด",
        mode=Mode.WORKSHOP, period="พ.ค. – ก.ย. 2569", expected_outcome="ออกแบบข้อสอบได้ 20 ข้อ",
    )  # fmt: skip
    IdPlanItem.objects.create(plan=plan, title="การใช้สื่อดิจิทัล")
    return plan


def _approve(plan, users):
    actions.transition_id_plan(
        acting_user=users[T], plan_id=plan.pk, to_status=IdPlanStatus.SUBMITTED
    )
    actions.transition_id_plan(
        acting_user=users[D], plan_id=plan.pk, to_status=IdPlanStatus.APPROVED,
        comment="เห็นควรอนุมัติ",
    )  # fmt: skip
    plan.refresh_from_db()
    return plan


def _docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


# pdftotext gives Thai's marks above and below the line out of order ("ผูจ\n้ ัดทำ"): texts
# are compared without them and without spaces and line breaks.
_MARKS = re.compile("[\\s\u0e31\u0e33-\u0e3a\u0e47-\u0e4e]")


def _flat(text: str) -> str:
    return _MARKS.sub("", text)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize("role", [T, D])
def test_the_owner_and_the_schools_director_download_it(client_for, idp, role, fmt):
    r = client_for(role).get(f"/planning/id-plans/{idp.pk}/{fmt}/")
    assert r.status_code == 200
    assert f"id-plan-2569-{idp.pk}.{fmt}" in r["Content-Disposition"]
    assert r["Content-Type"] == ("application/pdf" if fmt == "pdf" else exports.DOCX_TYPE)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize(
    "role", [Role.OFFICE_ADMIN, Role.DEVELOPMENT_OFFICER, Role.SUPERVISOR, Role.INSPECTOR]
)
def test_who_cannot_open_the_page_cannot_download_it(client_for, idp, role, fmt):
    client = client_for(role)
    page = client.get(f"/planning/id-plans/{idp.pk}/").status_code
    assert page in (403, 404)
    assert client.get(f"/planning/id-plans/{idp.pk}/{fmt}/").status_code == page


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_another_schools_director_and_another_teacher_get_404(
    client, idp, office, other_school, other_teacher, fmt
):
    client.force_login(make_user("director2", D, office, school=other_school))
    assert client.get(f"/planning/id-plans/{idp.pk}/{fmt}/").status_code == 404
    client.force_login(make_user("teacher2", T, office, person=other_teacher))
    assert client.get(f"/planning/id-plans/{idp.pk}/{fmt}/").status_code == 404


def test_the_page_offers_the_document(client_for, idp):
    page = client_for(D).get(f"/planning/id-plans/{idp.pk}/").content.decode()
    assert f"/planning/id-plans/{idp.pk}/pdf/" in page
    assert f"/planning/id-plans/{idp.pk}/docx/?digits=thai" in page


def test_an_approved_plan_prints_everything_in_place(idp, users, teacher_person):
    plan = _approve(idp, users)
    for text in (pdf_text(exports.id_plan_pdf(plan)), _docx_text(exports.id_plan_docx(plan))):
        flat = _flat(text)
        for expected in (
            "แผนพัฒนาตนเองรายบุคคล(Individual Development Plan: ID Plan)", "ปีการศึกษา 2569",
            "สถานศึกษา โรงเรียนบ้านหนองไผ่", f"สังกัด {teacher_person.office.name}",
            "ชื่อ-สกุล นางสมศรี ใจดี", "ตำแหน่ง ครู",
            f"วิทยฐานะ {teacher_person.academic_standing.name}",
            "กลุ่มสาระการเรียนรู้ที่สอน คณิตศาสตร์", "เป้าหมายการพัฒนาตนเอง",
            "พัฒนาการจัดการเรียนรู้เชิงรุก", "การวัดและประเมินผล", "ตัวชี้วัด", "12",
            "สมรรถนะ: A สมรรถนะ A", "อบรม", "ออกแบบข้อสอบ", "20", "ผู้จัดทำแผน",
            "ความเห็นของผู้บริหารสถานศึกษา", "อนุมัติ", "เห็นควรอนุมัติ",
            "ผู้อำนวยการโรงเรียนบ้านหนองไผ่", "สถานะของแผน: อนุมัติแล้ว",
            f"วันที่ {exports.format_thai_date(plan.approved_at, style='long')}",
        ):  # fmt: skip
            assert _flat(expected) in flat, expected
        assert "ร่าง" not in text
        assert "None" not in text
        # No English but the official title's.
        english = text.replace("Individual Development Plan: ID Plan", "")
        # (A competency's code, "A", is the framework's own.)
        assert not [w for w in english.split() if len(w) > 1 and w.isascii() and w.isalpha()]


def test_a_draft_and_a_returned_plan_say_draft(idp, users):
    for status in (IdPlanStatus.DRAFT, IdPlanStatus.RETURNED):
        IdPlan.objects.filter(pk=idp.pk).update(
            status=status, director_comment="ขอให้เพิ่มช่วงเวลา" * (status == "returned")
        )
        idp.refresh_from_db()
        for text in (pdf_text(exports.id_plan_pdf(idp)), _docx_text(exports.id_plan_docx(idp))):
            assert "(ร่าง)" in text
            assert "อนุมัติ" not in text
            # The director's lines are left to write on.
            assert _flat("ผู้อำนวยการโรงเรียนบ้านหนองไผ่ วันที่ ....... เดือน") in _flat(text)


def test_an_approved_plan_of_a_person_without_standing_or_areas_prints_dashes(
    idp, users, teacher_person
):
    teacher_person.academic_standing = None
    teacher_person.position = ""
    teacher_person.save()
    teacher_person.areas_taught.clear()
    text = _docx_text(exports.id_plan_docx(idp))
    for label in ("วิทยฐานะ", "ตำแหน่ง", "กลุ่มสาระการเรียนรู้ที่สอน"):
        assert f"{label} -" in text
    assert "None" not in text and "None" not in pdf_text(exports.id_plan_pdf(idp))


def test_thai_digits(idp, users):
    plan = _approve(idp, users)
    for text in (
        pdf_text(exports.id_plan_pdf(plan, thai_digits=True)),
        _docx_text(exports.id_plan_docx(plan, thai_digits=True)),
    ):
        flat = _flat(text)
        for expected in ("ปีการศึกษา ๒๕๖๙", "๑๒", "๒๐", "ที่ ๘ ธันวาคม ๒๕๖๙"):
            assert _flat(expected) in flat, expected
        assert not any(ch.isdigit() and ch.isascii() for ch in text), text


def test_a_plan_with_no_items_says_so(teacher_person):
    plan = IdPlan.objects.create(person=teacher_person, year=2569)
    for text in (pdf_text(exports.id_plan_pdf(plan)), _docx_text(exports.id_plan_docx(plan))):
        assert _flat("ยังไม่ได้กำหนดเรื่องที่จะพัฒนา") in _flat(text)
        assert _flat("เป้าหมายการพัฒนาตนเอง") in _flat(text)
        assert "None" not in text


def test_a_long_item_title_wraps_within_its_cell(idp):
    IdPlanItem.objects.create(plan=idp, title=LONG_TITLE, period="ตลอดปีการศึกษา")
    text = pdf_text(exports.id_plan_pdf(idp))
    # Broken over several lines of its column (the row's number drawn among them), every word
    # of it there: none cut off at the cell's edge.
    lines = [x for x in text.splitlines() if len(_flat(x)) > 5 and _flat(x) in _flat(LONG_TITLE)]
    assert len(lines) >= 4
    assert "".join(_flat(x) for x in lines) == _flat(LONG_TITLE)
    docx = Document(io.BytesIO(exports.id_plan_docx(idp)))
    assert docx.tables[0].rows[3].cells[1].text == LONG_TITLE


def test_the_approval_date_is_thailands_day(idp, users):
    plan = _approve(idp, users)
    # 18:00 UTC on 31 May is 1 June in Thailand.
    at = dt.datetime(2026, 5, 31, 18, 0, tzinfo=dt.UTC)
    IdPlan.objects.filter(pk=plan.pk).update(approved_at=at)
    plan.refresh_from_db()
    assert "1 มิถุนายน 2569" in _docx_text(exports.id_plan_docx(plan))
    assert timezone.localtime(at).day == 1
