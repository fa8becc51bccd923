"""The PA agreement (แบบ PA 1/ส) as the school sends it up: the director's opinion and
signature stay on one page, the director is named as a signature names people (with the
title, as the teacher's own line reads), and 3.1/3.2 sit under 3."""

import io

import pytest
from docx import Document

from accounts.roles import Role
from career import actions, exports
from krupd.testing import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(users, office, school, teacher_person):
    director = users[Role.SCHOOL_DIRECTOR]
    director.first_name, director.last_name = "อรลักษณ์", "ศักดิ์พันธ์"
    director.person = make_person(
        office, school, title="นาง", first_name="อรลักษณ์", last_name="ศักดิ์พันธ์"
    )
    director.save()
    a = actions.start_agreement(
        acting_user=users[Role.TEACHER], person=teacher_person, fiscal_year=2569
    )
    for item in a.items.all():
        item.tasks = "ออกแบบการจัดการเรียนรู้เชิงรุก"
        item.save()
    a.challenge_title = "การอ่านออกเขียนได้"
    a.challenge_method = "ฝึกอ่านรายวัน"
    a.challenge_quant = "นักเรียนร้อยละ 80 ผ่านเกณฑ์"
    a.challenge_qual = "นักเรียนอ่านคล่อง"
    a.save()
    actions.submit_agreement(acting_user=users[Role.TEACHER], agreement=a)
    actions.decide_agreement(acting_user=director, agreement=a, approve=True)
    a.refresh_from_db()
    return a


def _paragraphs(a):
    return Document(io.BytesIO(exports.agreement_docx(a))).paragraphs


def test_the_directors_opinion_and_signature_stay_together_and_name_her_with_her_title(approved):
    paragraphs = _paragraphs(approved)
    texts = [p.text for p in paragraphs]
    start = texts.index("ความเห็นของผู้บริหารสถานศึกษา")
    block = paragraphs[start:]
    assert [p.text for p in block][-3:-1] == ["(นางอรลักษณ์ ศักดิ์พันธ์)", "ผู้อำนวยการสถานศึกษา"]
    assert block[-1].text.startswith("วันที่ ")
    # Every line of the block keeps with the next: Word and LibreOffice move it whole.
    assert all(p.paragraph_format.keep_with_next for p in block[:-1])


def test_the_expected_results_sub_items_sit_under_their_heading(approved):
    paragraphs = {p.text: p for p in _paragraphs(approved)}
    heading = paragraphs["3. ผลลัพธ์การพัฒนาที่คาดหวัง"].paragraph_format.left_indent
    for sub, text in (("3.1 เชิงปริมาณ", "นักเรียนร้อยละ 80 ผ่านเกณฑ์"),
                      ("3.2 เชิงคุณภาพ", "นักเรียนอ่านคล่อง")):  # fmt: skip
        indent = paragraphs[sub].paragraph_format.left_indent
        assert heading < indent < paragraphs[text].paragraph_format.left_indent
        assert paragraphs[sub].paragraph_format.keep_with_next
    assert paragraphs["3. ผลลัพธ์การพัฒนาที่คาดหวัง"].paragraph_format.keep_with_next
