"""SAR half-year rounds: one report per round, evidence from the round's months only, the
item 4 table of development methods computed from courses, PLC meetings and coaching visits,
and the export headed by round."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from docx import Document

from accounts.roles import Role
from community.models import PLCGroup, PLCMeeting, Visit
from krupd.lib.thai_dates import fiscal_half, period_label
from krupd.testing import make_person
from reporting import actions
from reporting.evidence import EvidenceContext, methods_table
from reporting.models import SarEdition, SarReport
from reporting.reports.sar import build
from training.models import Course, Enrolment, Session

OFFICER, DIRECTOR = Role.DEVELOPMENT_OFFICER, Role.SCHOOL_DIRECTOR
FY = 2569

pytestmark = pytest.mark.django_db


def test_the_rounds_split_the_fiscal_year_in_two_halves():
    assert fiscal_half(2569, 1) == (dt.date(2025, 10, 1), dt.date(2026, 3, 31))
    assert fiscal_half(2569, 2) == (dt.date(2026, 4, 1), dt.date(2026, 9, 30))
    assert period_label(*fiscal_half(2569, 1)) == "1 ต.ค. 2568 – 31 มี.ค. 2569"


def _course(office, title, start, *, place="", mode="workshop", days=1):
    c = Course.objects.create(office=office, title=title, mode=mode, hours=Decimal("12"),
                              fiscal_year=FY, status="finished")  # fmt: skip
    Session.objects.create(course=c, start_date=start, end_date=start + dt.timedelta(days - 1),
                           capacity=50, place=place)  # fmt: skip
    return c


def _enrol(course, person, *, passed=True, done=None):
    return Enrolment.objects.create(
        course=course, session=course.sessions.first(), person=person, status="enrolled",
        source="office", passed=passed, hours_credited=Decimal("12" if passed else "0"),
        completed_on=done, result="passed" if passed else "failed",
    )  # fmt: skip


@pytest.fixture
def work(office, school):
    """Two courses in the first half (one over two days at a hotel), one in the second half,
    a school PLC group meeting twice in the first half and a coaching visit in the second."""
    a, b = make_person(office, school), make_person(office, school)
    first = _course(office, "อบรมการวัดผล", dt.date(2025, 11, 3), place="โรงแรมรอยัล", days=2)
    _enrol(first, a, done=dt.date(2025, 11, 4))
    _enrol(first, b, passed=False)
    seminar = _course(office, "สัมมนาวิชาการ", dt.date(2026, 2, 20), mode="seminar")
    _enrol(seminar, a, done=dt.date(2026, 2, 20))
    later = _course(office, "ศึกษาดูงาน", dt.date(2026, 6, 8), mode="study_visit", place="จ.เลย")
    _enrol(later, b, done=dt.date(2026, 6, 8))
    group = PLCGroup.objects.create(office=office, level="school", school=school, name="PLC คณิต",
                                    topic="การอ่าน", facilitator=a, academic_year=2568)  # fmt: skip
    for day in (dt.date(2025, 12, 1), dt.date(2026, 1, 12)):
        meeting = PLCMeeting.objects.create(group=group, date=day, hours=Decimal("2"))
        meeting.attendees.set([a, b])
    visit = Visit.objects.create(office=office, school=school, kind="coaching", status="done",
                                 date=dt.date(2026, 7, 1), visitor_name="ศน.สมพร",
                                 focus="การสอนอ่าน")  # fmt: skip
    visit.people.set([b])
    return {"a": a, "b": b}


def test_the_methods_table_lists_the_rounds_own_courses_plc_and_coaching(office, work):
    header, rows = methods_table(EvidenceContext(office, FY, period=fiscal_half(FY, 1)))
    assert header[1:5] == [
        "ชื่อหลักสูตร/โครงการ", "วัน เวลา ในการจัดกิจกรรม/โครงการ",
        "สถานที่ในการพัฒนา/อบรม/ประชุม", "วิธีการ/รูปแบบ",
    ]  # fmt: skip
    assert rows[0] == [1, "อบรมการวัดผล", "3 พ.ย. 2568 – 4 พ.ย. 2568", "โรงแรมรอยัล",
                       "อบรมเชิงปฏิบัติการ", 2, 1, "50.00"]  # fmt: skip
    assert rows[1][1:5] == ["สัมมนาวิชาการ", "20 ก.พ. 2569", "—", "ประชุมสัมมนา"]
    plc = rows[2]
    assert plc[1].startswith("ชุมชนการเรียนรู้ทางวิชาชีพ (PLC) ระดับสถานศึกษา 1 กลุ่ม 2 ครั้ง")
    assert plc[2:] == ["1 ธ.ค. 2568 – 12 ม.ค. 2569", "สถานศึกษา 1 แห่ง",
                       "ชุมชนการเรียนรู้ทางวิชาชีพ (PLC)", 2, "—", "—"]  # fmt: skip
    assert len(rows) == 3  # the June course and the July visit belong to the second round

    _, second = methods_table(EvidenceContext(office, FY, period=fiscal_half(FY, 2)))
    assert [r[1] for r in second] == ["ศึกษาดูงาน", "การโค้ชในสถานศึกษา 1 ครั้ง"]
    assert second[1][2:] == ["1 ก.ค. 2569", "สถานศึกษา 1 แห่ง", "การโค้ช", 1, "—", "—"]


def test_people_count_as_developed_by_the_rounds_last_day(office, work):
    # a passed 12 hours in November and 12 in February; b only in June. Default rule: 6 h.
    first = EvidenceContext(office, FY, period=fiscal_half(FY, 1))
    second = EvidenceContext(office, FY, period=fiscal_half(FY, 2))
    assert first.developed[0] == 1
    assert second.developed[0] == 2


def test_each_round_is_its_own_report_headed_by_its_round(client_for, users, office, work):
    client = client_for(OFFICER)
    edition = SarEdition.objects.get(code="esa-2555")
    for n in ("1", "2", "1"):
        response = client.post("/reports/sar/", {"edition": edition.pk, "fy": "๒๕๖๙", "round": n})
        assert response.status_code == 302
    reports = SarReport.objects.filter(office=office).order_by("round_number")
    assert [r.round_number for r in reports] == [1, 2]
    first = reports[0]
    page = client.get(f"/reports/sar/{first.pk}/").content.decode()
    assert "การดำเนินงานในรอบ 6 เดือนแรก" in page and "1 ต.ค. 2568 – 31 มี.ค. 2569" in page
    listing = client.get("/reports/sar/").content.decode()
    assert "รอบ 6 เดือนแรก" in listing and "รอบ 6 เดือนหลัง" in listing

    docx = client.get(f"/reports/sar/{first.pk}/export/docx/")
    doc = Document(io.BytesIO(docx.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "การดำเนินงานในรอบ 6 เดือนแรก (1 ต.ค. 2568 – 31 มี.ค. 2569)" in text
    assert "วิธีการ รูปแบบ การพัฒนาข้าราชการครูและบุคลากรทางการศึกษา ปีงบประมาณ 2569" in text
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert "อบรมการวัดผล" in cells and "ศึกษาดูงาน" not in cells
    pdf = client.get(f"/reports/sar/{first.pk}/export/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_a_director_may_not_start_a_round(client_for, office):
    edition = SarEdition.objects.get(code="esa-2555")
    response = client_for(DIRECTOR).post(
        "/reports/sar/", {"edition": edition.pk, "fy": "2569", "round": "1"}
    )
    assert response.status_code == 403
    assert not SarReport.objects.filter(office=office).exists()


def test_the_document_builds_with_round_evidence(users, office, work):
    edition = SarEdition.objects.get(code="esa-2555")
    report = actions.start_sar(
        acting_user=users[OFFICER], edition=edition, fiscal_year=FY, round_number=2
    )
    doc = build(report)
    item4 = next(v for v in doc.items if v.item.number == "4" and v.indicator.number == "2")
    assert item4.annexes and [r[1] for r in item4.annexes[0][2]][0] == "ศึกษาดูงาน"


def test_developed_has_one_definition_course_hours_plus_plc_meetings(office, users, work):
    """b passed no course in the first half but attended two 2-hour PLC meetings: with the
    office's rule at 4 hours b is developed, on the KPI, in the SAR and in training's report."""
    from reporting.kpis import KpiData, developed_share
    from training.models import TrainingRules
    from training.queries import developed_report

    TrainingRules.objects.update_or_create(office=office, defaults={"developed_min_hours": 4})
    first = EvidenceContext(office, FY, period=fiscal_half(FY, 1))
    assert first.developed[0] == 2
    data = KpiData(office, [FY])
    assert sum(p.num for p in developed_share(data, {})[FY].values()) == 2
    report = developed_report(users[OFFICER], fiscal_year=FY, min_hours=data.developed_min_hours)
    assert report["total"][0].developed == 2


def test_a_round_without_courses_does_not_say_the_year_has_none(office):
    """Courses counted in a round are those starting in its months: the second half of a year
    whose courses all ran in the first half has none *in the round*, not in the year."""
    from reporting.evidence import methods_fit_needs

    _course(office, "อบรมการวัดผล", dt.date(2025, 11, 3))
    second = methods_fit_needs(EvidenceContext(office, FY, period=fiscal_half(FY, 2)), {})
    assert second.summary == "ยังไม่มีหลักสูตรในรอบนี้"
    first = methods_fit_needs(EvidenceContext(office, FY, period=fiscal_half(FY, 1)), {})
    assert "ยังไม่มีหลักสูตร" not in first.summary


def test_a_missing_plan_is_named_in_a_readable_sentence(office):
    """ "ไม่พบแผนระยะสั้น (ภายใน 3 ปี) ที่ครอบคลุม…": a space after the closing bracket."""
    from reporting.evidence import plan_policy, plan_short

    ctx = EvidenceContext(office, FY)
    assert plan_short(ctx, {}).summary.startswith("ไม่พบแผนระยะสั้น (ภายใน 3 ปี) ที่ครอบคลุม")
    assert plan_policy(ctx, {}).summary.startswith("ไม่พบแผนปฏิบัติการประจำปีที่ครอบคลุม")


def test_the_page_shows_every_evidence_line_the_document_prints(client_for, users, office, work):
    """The DOCX prints each point's lines (the staffing summary, out-of-field teachers, the
    courses by mode …) under its summary; the page showed the summary only, so the figures
    an officer checks before exporting were not on it."""
    import html

    from staffing.tests.helpers import enrol, staff

    school = work["a"].school
    enrol(school, 120, 6, year=2568)
    staff(office, school, teachers={"คณิตศาสตร์": 2})
    client = client_for(OFFICER)
    edition = SarEdition.objects.get(code="esa-2555")
    client.post("/reports/sar/", {"edition": edition.pk, "fy": "2569", "round": "1"})
    report = SarReport.objects.get(office=office, round_number=1)
    page = client.get(f"/reports/sar/{report.pk}/").content.decode()
    lines = [line for v in build(report).items for p in v.points for line in p.evidence.lines]
    assert any("นับ ณ 10 มิถุนายน 2568" in line for line in lines)
    assert any("หลักสูตร" in line for line in lines)
    for line in lines:
        assert html.escape(line) in page, line


def test_a_pass_rate_without_the_pending_says_so_where_no_column_shows_them(office, users, work):
    """1 passed, 1 not passed and 1 waiting for a result: the rate is of the decided (50 %),
    and the SAR tables and the annual summary, which print no "รอผล" column, say so, so the
    row's figures (3 participants, 1 passed, 50.00) add up by hand."""
    from reporting.evidence import _results_table
    from reporting.reports import summaries

    first = Course.objects.get(title="อบรมการวัดผล")
    waiting = make_person(office, work["a"].school)
    Enrolment.objects.create(
        course=first, session=first.sessions.first(), person=waiting, status="enrolled",
        source="office", passed=False, hours_credited=Decimal("0"), result="pending",
    )  # fmt: skip
    ctx = EvidenceContext(office, FY, period=fiscal_half(FY, 1))
    _, rows = methods_table(ctx)
    assert rows[0][5:] == [3, 1, "50.00 (ไม่รวมผู้รอผล 1 คน)"]
    _, _, results = _results_table(ctx)
    assert results[0][2:] == [3, 1, "50.00 (ไม่รวมผู้รอผล 1 คน)"]
    content = summaries._training(users[OFFICER], FY, "docx", False)
    cells = [c.text for t in Document(io.BytesIO(content)).tables for r in t.rows for c in r.cells]
    assert "50.00 (ไม่รวมผู้รอผล 1 คน)" in cells
