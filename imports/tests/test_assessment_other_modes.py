"""The modes question's "อื่นๆ" answer of a Google Forms needs survey: the survey had no
place for a mode of the person's own, so "อื่นๆ: …" and Google Forms' "Other" answer (the
typed text alone) were warned and dropped. They are kept with the response now, counted in
the needs analysis beside the modes and printed in its report."""

import io
import zipfile

from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from imports import actions
from imports.models import BatchStatus
from krupd.testing import make_user
from planning.models import Response

from . import test_assessment as assessment_tests
from . import test_assessment_needs as needs_tests
from .test_assessment import errors_of, upload
from .test_assessment_needs import NEEDS, RATINGS, T_MEASURE, needs_csv

framework = assessment_tests.framework
rnd = assessment_tests.rnd
items = assessment_tests.items
teachers = assessment_tests.teachers
topics = needs_tests.topics

OWN = "ศึกษาด้วยตนเองผ่านคลิปวิดีโอ"  # Google Forms' "Other" answer: the text alone
TYPED = "เรียนรู้จากเพื่อนครูในโรงเรียน"  # written "อื่นๆ: …"


def test_a_mode_of_the_persons_own_is_kept_counted_and_reported(
    client, admin, rnd, items, teachers, topics
):
    p1, p2, p3, _ = teachers
    header = ["ประทับเวลา", "เลขประจำตัวประชาชน", *RATINGS, *NEEDS]
    rows = [
        ["12/7/2569, 9:00:00", p1.national_id, "3", "5", "3", "4", T_MEASURE,
         f"PLC, {OWN}", ""],
        ["12/7/2569, 9:05:00", p2.national_id, "2", "4", "2", "4", T_MEASURE,
         f"อบรม, อื่นๆ: {TYPED}", ""],
        ["12/7/2569, 9:06:00", p3.national_id, "2", "4", "2", "4", T_MEASURE,
         f"{OWN}", ""],
    ]  # fmt: skip
    client.force_login(admin)
    batch = upload(client, rnd, needs_csv(rows, header))
    assert batch.status == BatchStatus.VALIDATED and batch.count_error == 0, errors_of(batch)
    notes = str(batch.preview_notes)
    # Text that is no choice may be a choice mistyped: said, by row, and kept.
    assert f"แถวที่ 2 คอลัมน์ 2. รูปแบบการพัฒนาที่ต้องการ: “{OWN}”" in notes, notes
    assert "จึงเก็บไว้เป็นรูปแบบอื่นที่ผู้ตอบระบุเอง (อื่นๆ)" in notes
    assert "จึงไม่นำเข้า" not in notes and TYPED not in notes
    shown = client.get(reverse("imports:detail", args=[batch.pk]) + "?show=new").content.decode()
    assert f"ชุมชนการเรียนรู้ทางวิชาชีพ (PLC), อื่นๆ: {OWN}" in shown

    actions.request_apply(acting_user=admin, batch=batch)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPLIED, batch.error_message
    r1, r2, r3 = (Response.objects.get(person=p) for p in (p1, p2, p3))
    assert (r1.modes, r1.other_modes) == (["plc"], [OWN])  # the modes kept as before
    assert (r2.modes, r2.other_modes) == (["workshop"], [TYPED])
    assert (r3.modes, r3.other_modes) == ([], [OWN])

    from planning import queries as planning_queries

    needs = planning_queries.analyse_needs(admin, rnd)
    assert needs.other_modes == [(OWN, 2), (TYPED, 1)]
    page = client.get(reverse("planning:needs", args=[rnd.pk])).content.decode()
    assert f'อื่นๆ: {OWN}</td><td class="num">2 คน' in page
    docx = client.get(reverse("planning:needs_export", args=[rnd.pk, "docx"])).content
    body = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
    assert f"อื่นๆ: {OWN} 2 คน" in body
    xlsx = client.get(reverse("planning:needs_export", args=[rnd.pk, "xlsx"])).content
    sheet = load_workbook(io.BytesIO(xlsx))["รูปแบบและข้อเสนอ"]
    cells = [c.value for row in sheet.iter_rows() for c in row]
    assert OWN in cells and TYPED in cells
    # The person sees what they wrote on their own form.
    owner = make_user("kru-p1", Role.TEACHER, p1.office, person=p1)
    client.force_login(owner)
    mine = client.get(reverse("planning:self", args=[rnd.pk])).content.decode()
    assert f"อื่นๆ (ตามที่ตอบในแบบฟอร์ม): {OWN}" in mine

    # The same file again changes nothing; a changed "other" answer is a change.
    client.force_login(admin)
    again = upload(client, rnd, needs_csv(rows, header))
    assert (again.count_new, again.count_changed, again.count_unchanged) == (0, 0, 3)
    rows[0][-2] = "PLC"
    changed = upload(client, rnd, needs_csv(rows, header))
    assert (changed.count_changed, changed.count_unchanged) == (1, 2)


def test_the_needs_page_with_own_modes_is_refused_to_a_teacher(client, rnd, teachers):
    teacher = make_user("kru-other", Role.TEACHER, teachers[0].office, person=teachers[1])
    client.force_login(teacher)
    assert client.get(reverse("planning:needs", args=[rnd.pk])).status_code in (403, 404)
