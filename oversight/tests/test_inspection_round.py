"""The provincial inspection round and the offices' submissions: scoping at each level, the
submission workflow (lock, versions, return with comments, accept, audit) and the province's
DOCX."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from accounts.models import User
from accounts.roles import Role
from krupd.lib import thai_dates
from krupd.testing import PASSWORD, make_office, make_person, make_school, make_user
from notifications.models import Notification
from oversight import inspection_actions, inspection_queries
from oversight.inspection_demo import build_inspection_round_demo
from oversight.models import InspectionRound, Province, Region
from oversight.reports.inspection import province_inspection_docx
from registry.models import AuditEntry, Office
from reporting import actions as reporting_actions
from reporting.models import FocusAnswer, InspectionVersion, SubmissionStatus
from reporting.queries import current_fiscal_year

FY = current_fiscal_year()


@pytest.fixture
def province(db):
    province = Province.objects.get(name="เพชรบุรี")
    province.region = Region.objects.get(number=1)
    province.save()
    return province


@pytest.fixture
def office(province):
    return make_office(code="7601", name="สพป.เพชรบุรี เขต 1")


@pytest.fixture
def office_two(province):
    return make_office(code="7602", name="สพป.เพชรบุรี เขต 2")


@pytest.fixture
def far_office(db):
    return Office.objects.create(code="6301", name="สพป.ตาก เขต 1", kind="spp", province="ตาก")


@pytest.fixture
def officer(office):
    return make_user("officer1", Role.DEVELOPMENT_OFFICER, office)


@pytest.fixture
def officer_two(office_two):
    return make_user("officer2", Role.DEVELOPMENT_OFFICER, office_two)


def above(username: str, role: str, **scope) -> User:
    return User.objects.create_user(username, password=PASSWORD, role=role, **scope)


@pytest.fixture
def inspector(province):
    return above("province1", Role.PROVINCE_INSPECTOR, province=province)


@pytest.fixture
def round_(province, inspector):
    return inspection_actions.open_round(
        acting_user=inspector, province=province, fiscal_year=FY, round_number=1,
        title="การตรวจราชการ รอบที่ 1", due_date=dt.date(2027, 3, 31),
    )  # fmt: skip


def login(client, user):
    client.force_login(user)
    return client


def written_report(officer, *, success: str = "ผู้บริหารให้การสนับสนุน"):
    report = reporting_actions.start_inspection(acting_user=officer, fiscal_year=FY)
    answer = (
        report.answers.select_related("point__policy")
        .order_by("point__policy__number", "point__number")
        .first()
    )
    reporting_actions.save_focus_answer(
        acting_user=officer, answer=answer,
        values={"success_factors": success, "best_practice": f"แนวปฏิบัติที่ดีของ{officer.office.name}",
                "area_suggestions": "ข้อเสนอระดับพื้นที่", "policy_suggestions": "ข้อเสนอระดับนโยบาย"},
        progress={}, problems=[("ครูมีภาระงานมาก", "ใช้เทคโนโลยีช่วยบริหาร")],
    )  # fmt: skip
    return report, answer


def answer_url(report, answer):
    return reverse("reporting:inspection_answer", args=[report.pk, answer.pk])


# ------------------------------------------------------------------------ submission workflow


def test_it_submits_locks_and_keeps_the_version(client, round_, officer):
    report, answer = written_report(officer)
    login(client, officer)
    response = client.post(reverse("reporting:inspection_submit", args=[report.pk]), follow=True)
    assert "ส่งรายงานรอบที่ 1 ถึงจังหวัดแล้ว (ฉบับที่ 1)" in response.content.decode()
    assert 'id="report-status">ส่งแล้ว<' in response.content.decode()
    assert round_.title in response.content.decode()  # the round it belongs to

    version = InspectionVersion.objects.get(report=report)
    assert version.number == 1 and version.round_number == 1
    point = version.content["points"][0]
    assert point["success_factors"] == "ผู้บริหารให้การสนับสนุน"
    assert point["problems"] == [{"problem": "ครูมีภาระงานมาก", "solution": "ใช้เทคโนโลยีช่วยบริหาร"}]
    assert AuditEntry.objects.filter(
        office=officer.office, object_type="inspectionsubmission", actor=officer
    ).exists()

    # Locked: the page offers no form, and a posted edit is refused in Thai and changes nothing.
    response = client.post(answer_url(report, answer), {"success_factors": "แก้หลังส่ง"},
                           follow=True)  # fmt: skip
    assert "ส่งจังหวัดแล้ว จึงแก้ไขไม่ได้" in response.content.decode()
    answer.refresh_from_db()
    assert answer.success_factors == "ผู้บริหารให้การสนับสนุน"
    with pytest.raises(Exception, match="แก้ไขไม่ได้"):
        reporting_actions.save_focus_answer(
            acting_user=officer, answer=answer, values={"success_factors": "x"}, progress={},
            problems=[],
        )  # fmt: skip
    response = client.post(reverse("reporting:inspection_front", args=[report.pk]),
                           {"round_number": 1, "foreword": "คำนำใหม่"}, follow=True)  # fmt: skip
    assert "แก้ไขไม่ได้" in response.content.decode()
    # Sending twice while it waits is refused too.
    response = client.post(reverse("reporting:inspection_submit", args=[report.pk]), follow=True)
    assert "แก้ไขไม่ได้" in response.content.decode()
    assert InspectionVersion.objects.filter(report=report).count() == 1


def test_it_refuses_to_submit_without_an_open_round(client, office, officer):
    report, _ = written_report(officer)
    login(client, officer)
    response = client.post(reverse("reporting:inspection_submit", args=[report.pk]), follow=True)
    assert "จังหวัดเพชรบุรียังไม่ได้เปิดการตรวจราชการรอบที่ 1" in response.content.decode()
    assert not InspectionVersion.objects.exists()


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.INSPECTOR, Role.SCHOOL_DIRECTOR])
def test_only_report_editors_submit(client, round_, office, officer, role):
    report, _ = written_report(officer)
    school = make_school(office, code="1076019999", name="โรงเรียนทดสอบ")
    user = make_user(
        "someone", role, office, **({"school": school} if role == Role.SCHOOL_DIRECTOR else {})
    )
    login(client, user)
    assert client.post(reverse("reporting:inspection_submit", args=[report.pk])).status_code == 403
    assert not InspectionVersion.objects.exists()


def test_province_returns_with_comments_then_accepts(client, round_, officer, inspector):
    report, answer = written_report(officer)
    reporting_actions.submit_inspection(acting_user=officer, report=report)
    review = reverse("oversight:round_review", args=[round_.pk, officer.office.pk])
    told = Notification.objects.get(recipient=inspector)
    assert told.kind == "approval_waiting" and officer.office.name in told.title

    login(client, inspector)
    response = client.post(review, {"decision": "return", "comment": ""}, follow=True)
    assert "กรุณาเขียนความเห็น" in response.content.decode()
    response = client.post(review, {"decision": "return", "comment": "เพิ่มจำนวนครูที่ผ่านการพัฒนา"})
    assert response.status_code == 302

    # The office sees the comment (in its inbox too) and may edit again.
    told = Notification.objects.get(recipient=officer)
    assert told.kind == "approval_returned" and "เพิ่มจำนวนครูที่ผ่านการพัฒนา" in told.title
    login(client, officer)
    page = client.get(reverse("reporting:inspection_report", args=[report.pk])).content.decode()
    assert 'id="report-status">ส่งกลับแก้ไข<' in page
    assert "เพิ่มจำนวนครูที่ผ่านการพัฒนา" in page
    client.post(answer_url(report, answer), {"success_factors": "ฉบับแก้ไข"})
    answer.refresh_from_db()
    assert answer.success_factors == "ฉบับแก้ไข"
    client.post(reverse("reporting:inspection_submit", args=[report.pk]))
    versions = list(InspectionVersion.objects.filter(report=report).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].outcome == SubmissionStatus.RETURNED
    assert versions[0].comment == "เพิ่มจำนวนครูที่ผ่านการพัฒนา"
    assert versions[1].content["points"][0]["success_factors"] == "ฉบับแก้ไข"

    login(client, inspector)
    client.post(review, {"decision": "accept", "comment": ""})
    sub = report.submissions.get()
    assert sub.status == SubmissionStatus.ACCEPTED
    # Answering twice is refused.
    response = client.post(review, {"decision": "return", "comment": "อีกครั้ง"}, follow=True)
    assert "พิจารณาซ้ำไม่ได้" in response.content.decode()
    entries = AuditEntry.objects.filter(office=officer.office, actor=inspector)
    assert entries.count() == 2  # returned, accepted: in the office's own audit log

    # Accepted: locked again; moving on to round 2 is allowed and starts a draft.
    with pytest.raises(Exception, match="จังหวัดรับรายงานรอบที่ 1 แล้ว"):
        reporting_actions.refresh_prefill(acting_user=officer, answer=answer)
    reporting_actions.save_inspection_front(
        acting_user=officer, report=report, round_number=2, foreword=report.foreword
    )
    login(client, officer)
    page = client.get(reverse("reporting:inspection_report", args=[report.pk])).content.decode()
    assert 'id="report-status">ร่าง<' in page


# --------------------------------------------------------------------------------- scoping


def test_office_users_are_refused(client, round_, officer):
    login(client, officer)
    for url in (
        reverse("oversight:rounds"),
        reverse("oversight:round", args=[round_.pk]),
        reverse("oversight:round_docx", args=[round_.pk]),
        reverse("oversight:round_office", args=[round_.pk, officer.office.pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert "ตรวจราชการจังหวัด" not in client.get("/").content.decode()


def test_inspector_of_another_province_gets_404(client, round_, office):
    other = above("tak1", Role.PROVINCE_INSPECTOR, province=Province.objects.get(name="ตาก"))
    login(client, other)
    for url in (
        reverse("oversight:round", args=[round_.pk]),
        reverse("oversight:round_docx", args=[round_.pk]),
        reverse("oversight:round_office", args=[round_.pk, office.pk]),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("oversight:round_review", args=[round_.pk, office.pk]),
                           {"decision": "accept"})  # fmt: skip
    assert response.status_code == 404
    assert round_.title not in client.get(reverse("oversight:rounds")).content.decode()


def test_an_office_of_another_province_is_not_in_the_round(client, round_, inspector, far_office):
    login(client, inspector)
    url = reverse("oversight:round_office", args=[round_.pk, far_office.pk])
    assert client.get(url).status_code == 404


def test_region_and_obec_read_only(client, round_, province, office, officer):
    report, _ = written_report(officer)
    reporting_actions.submit_inspection(acting_user=officer, report=report)
    readers = [
        above("region1", Role.REGION_INSPECTOR, region=province.region),
        above("obec1", Role.OBEC_ANALYST),
    ]
    for user in readers:
        login(client, user)
        assert round_.title in client.get(reverse("oversight:rounds")).content.decode()
        page = client.get(reverse("oversight:round", args=[round_.pk])).content.decode()
        assert office.name in page and 'name="summary"' not in page
        page = client.get(reverse("oversight:round_office", args=[round_.pk, office.pk]))
        assert page.status_code == 200 and 'id="review"' not in page.content.decode()
        assert client.get(reverse("oversight:round_docx", args=[round_.pk])).status_code == 200
        for url, data in (
            (
                reverse("oversight:round_review", args=[round_.pk, office.pk]),
                {"decision": "accept"},
            ),
            (reverse("oversight:round_summary", args=[round_.pk]), {"summary": "x"}),
            (reverse("oversight:round_front", args=[round_.pk]), {"title": "x"}),
            (reverse("oversight:rounds"), {"fiscal_year": FY, "round_number": 2}),
        ):
            assert client.post(url, data).status_code == 403, (user.role, url)
    assert report.submissions.get().status == SubmissionStatus.SUBMITTED
    # A regional inspector of another region sees nothing of it.
    login(client, above("region9", Role.REGION_INSPECTOR, region=Region.objects.get(number=9)))
    assert client.get(reverse("oversight:round", args=[round_.pk])).status_code == 404


def test_round_page_shows_not_submitted_never_zeros(client, round_, office, office_two, officer,
                                                    inspector):  # fmt: skip
    report, _ = written_report(officer)
    reporting_actions.submit_inspection(acting_user=officer, report=report)
    make_person(office_two, None, first_name="บุคคลลับ", last_name="ไม่ควรเห็น")
    login(client, inspector)
    page = client.get(reverse("oversight:round", args=[round_.pk])).content.decode()
    row = page.split(office_two.name, 1)[1].split("</tr>", 1)[0]
    assert "ยังไม่ส่ง" in row and "0" not in row.replace("badge-bad", "")
    assert "ส่งแล้ว" in page.split(office.name, 1)[1].split("</tr>", 1)[0]
    assert "บุคคลลับ" not in page


def test_open_round_page_flow_and_duplicate(client, province, inspector):
    login(client, inspector)
    data = {"fiscal_year": FY, "round_number": 1, "title": "รอบแรก", "due_date": "31/03/2570"}
    response = client.post(reverse("oversight:rounds"), data)
    round_ = InspectionRound.objects.get()
    assert response["Location"] == reverse("oversight:round", args=[round_.pk])
    assert round_.province == province and round_.due_date.year == 2027
    response = client.post(reverse("oversight:rounds"), data, follow=True)
    assert (
        "เปิดการตรวจราชการรอบที่ 1" in response.content.decode()
        and "ไว้แล้ว" in response.content.decode()
    )
    response = client.post(
        reverse("oversight:rounds"), {**data, "due_date": "31/13/2570"}, follow=True
    )
    assert "กำหนดส่ง" in response.content.decode()
    assert InspectionRound.objects.count() == 1


def test_a_due_date_before_the_fiscal_year_begins_is_refused_at_the_field(
    client, province, inspector, round_
):
    """Opening a round (or editing its front matter) took any due date: a round of FY 2570 due
    on 31/03/2569, the year before (typed as last year's, or a CE year read as BE), showed
    every office late from the day it opened. Refused naming the year's first day."""
    starts = thai_dates.format_thai_date(thai_dates.fiscal_year_start(FY))
    login(client, inspector)
    last_year = f"31/03/{FY - 1}"
    data = {"fiscal_year": FY, "round_number": 2, "title": "รอบสอง", "due_date": last_year}
    page = client.post(reverse("oversight:rounds"), data, follow=True).content.decode()
    assert f"ต้องไม่ก่อนวันเริ่มปีงบประมาณ {FY} ({starts})" in page
    assert not InspectionRound.objects.filter(round_number=2).exists()
    front = {"title": round_.title, "due_date": last_year, "foreword": ""}
    page = client.post(reverse("oversight:round_front", args=[round_.pk]), front, follow=True)
    assert f"ต้องไม่ก่อนวันเริ่มปีงบประมาณ {FY}" in page.content.decode()
    round_.refresh_from_db()
    assert round_.due_date == dt.date(2027, 3, 31)
    with pytest.raises(ValidationError, match="ต้องไม่ก่อนวันเริ่มปีงบประมาณ"):
        inspection_actions.save_round_front(acting_user=inspector, round_=round_, title="x",
                                            due_date=dt.date(2020, 1, 1), foreword="")  # fmt: skip


def test_round_page_queries_do_not_grow_with_offices(client, round_, province, inspector):
    def count() -> int:
        login(client, inspector)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("oversight:round", args=[round_.pk])).status_code == 200
        return len(ctx.captured_queries)

    def office_with_report(i: int):
        office = make_office(code=f"76{i:02d}", name=f"สพป.เพชรบุรี เขต {i}")
        officer = make_user(f"o{i}", Role.DEVELOPMENT_OFFICER, office)
        report, _ = written_report(officer)
        reporting_actions.submit_inspection(acting_user=officer, report=report)

    office_with_report(1)
    first = count()
    for i in (2, 3, 4):
        office_with_report(i)
    assert count() == first


# ------------------------------------------------------------------------------ the DOCX


def docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_province_docx_names_each_agency(round_, office, office_two, officer, officer_two,
                                         inspector):  # fmt: skip
    report, answer = written_report(officer, success="ปัจจัยของเขตหนึ่ง")
    reporting_actions.submit_inspection(acting_user=officer, report=report)
    report2, _ = written_report(officer_two, success="ปัจจัยของเขตสอง")
    reporting_actions.submit_inspection(acting_user=officer_two, report=report2)
    inspection_actions.review_submission(acting_user=inspector, round_=round_, office=office_two,
                                         accept=False, comment="แก้ไข")  # fmt: skip
    data = province_inspection_docx(round_, thai_digits=False)
    text = docx_text(data)
    assert "รายงาน" in text and "ผลการติดตามประเมินผล" in text
    # The contents give a page for the foreword, the opening and every policy and point.
    body = Document(io.BytesIO(data)).element.body
    marks = {el.get(qn("w:name")) for el in body.iter(qn("w:bookmarkStart"))}
    refs = [el.text.split()[1] for el in body.iter(qn("w:instrText")) if "PAGEREF" in el.text]
    policy, point = answer.point.policy.number, answer.point.number
    assert {"kp_foreword", "kp_report", f"kp_policy_{policy}", f"kp_point_{policy}_{point}"} <= set(
        refs
    )
    assert set(refs) == marks
    assert "สำนักงานศึกษาธิการจังหวัดเพชรบุรี" in text
    for heading in ("คำนำ", "สารบัญ", "รอบที่ 1 ประจำปีงบประมาณ พ.ศ.", "หน่วยงานที่ร่วมรายงาน"):
        assert heading in text
    n = f"{answer.point.policy.number}.{answer.point.number}"
    for section in (".1 ความก้าวหน้า", ".2 ปัจจัยขับเคลื่อน", ".3 ปัญหาและอุปสรรค", ".4 นวัตกรรม",
                    ".5 ข้อเสนอแนะ"):  # fmt: skip
        assert f"{n}{section}" in text
    # Each agency's contribution under its name; the returned office is left out.
    assert f"{office.name}\nปัจจัยของเขตหนึ่ง" in text
    assert f"แนวปฏิบัติที่ดีของ{office.name}" in text
    assert f"1. ครูมีภาระงานมาก ({office.name})" in text
    assert "ปัจจัยของเขตสอง" not in text
    assert "ระดับพื้นที่ (หน่วยงาน/สถานศึกษา)" in text and "ระดับนโยบาย" in text

    # The province's own text replaces the offices' in its section; its summary opens X.Y.1.
    inspection_actions.save_point_summary(
        acting_user=inspector, round_=round_, point=answer.point,
        values={"summary": "ภาพรวมจังหวัด", "success_factors": "ปัจจัยระดับจังหวัด",
                "area_suggestions": "", "policy_suggestions": "ข้อเสนอนโยบายจังหวัด"},
        problems=[("ปัญหาระดับจังหวัด", "แนวทางระดับจังหวัด")],
    )  # fmt: skip
    text = docx_text(province_inspection_docx(round_, thai_digits=True))
    assert "ภาพรวมจังหวัด" in text and "ปัจจัยระดับจังหวัด" in text
    assert "ปัจจัยของเขตหนึ่ง" not in text
    assert "๑. ปัญหาระดับจังหวัด" in text and "ครูมีภาระงานมาก" not in text
    assert "ข้อเสนอนโยบายจังหวัด" in text
    assert "ข้อเสนอระดับพื้นที่" in text  # left blank by the province: the office's own
    assert "รอบที่ ๑" in text and "เขต 1" not in text


def test_the_round_shows_what_was_sent_not_the_draft(client, round_, office, officer, inspector):
    report, answer = written_report(officer, success="ข้อความที่ส่ง")
    reporting_actions.submit_inspection(acting_user=officer, report=report)
    inspection_actions.review_submission(acting_user=inspector, round_=round_, office=office,
                                         accept=False, comment="แก้ไข")  # fmt: skip
    reporting_actions.save_focus_answer(acting_user=officer, answer=answer,
                                        values={"success_factors": "ร่างที่ยังไม่ส่ง"},
                                        progress={}, problems=[])  # fmt: skip
    login(client, inspector)
    page = client.get(reverse("oversight:round_office", args=[round_.pk, office.pk]))
    assert "ข้อความที่ส่ง" in page.content.decode()
    assert "ร่างที่ยังไม่ส่ง" not in page.content.decode()


def test_the_office_is_told_of_the_provinces_decision_in_spaced_thai(
    round_, office, officer, inspector
):
    """ "จังหวัดรับรายงานผลการตรวจราชการรอบที่ 1แล้ว": the round's number ran into the word
    after it, in the inbox and on LINE."""
    from notifications.models import Notification

    report, _answer = written_report(officer, success="ข้อความที่ส่ง")
    reporting_actions.submit_inspection(acting_user=officer, report=report)
    inspection_actions.review_submission(acting_user=inspector, round_=round_, office=office,
                                         accept=False, comment="แก้ไขตาราง")  # fmt: skip
    returned = Notification.objects.get(recipient=officer, kind="approval_returned")
    assert returned.title.startswith("จังหวัดส่งรายงานผลการตรวจราชการรอบที่ 1 กลับให้แก้ไข")
    assert returned.outside_text.startswith("จังหวัดส่งรายงานผลการตรวจราชการรอบที่ 1 กลับ")
    reporting_actions.submit_inspection(acting_user=officer, report=report)
    inspection_actions.review_submission(acting_user=inspector, round_=round_, office=office,
                                         accept=True, comment="")  # fmt: skip
    accepted = Notification.objects.get(recipient=officer, kind="approval_approved")
    assert accepted.title == "จังหวัดรับรายงานผลการตรวจราชการรอบที่ 1 แล้ว"


def test_demo_round_shows_every_status(province, office, office_two, officer, officer_two):
    inspector = above("province", Role.PROVINCE_INSPECTOR, province=province)
    round_ = build_inspection_round_demo(province)
    assert round_.opened_by == inspector
    statuses = {r.office.pk: r.status for r in inspection_queries.standings(round_)}
    assert statuses == {office.pk: "รับแล้ว", office_two.pk: "ส่งกลับแก้ไข"}
    assert build_inspection_round_demo(province) == round_  # run again: unchanged
    assert FocusAnswer.objects.filter(report__office=office).exclude(success_factors="").exists()


def test_a_solution_without_its_problem_is_refused_not_dropped(client, round_, officer, inspector):
    report, answer = written_report(officer)
    login(client, inspector)
    response = client.post(
        reverse("oversight:round_summary", args=[round_.pk]),
        {"point": answer.point_id, "summary": "ภาพรวม", "problem_1": "ปัญหา", "solution_1": "แก้",
         "solution_2": "วิธีแก้ที่ไม่มีปัญหา"},
        follow=True,
    )  # fmt: skip
    assert "แถวที่ 2 ของตารางปัญหา" in response.content.decode()
    assert not round_.summaries.exists()
    login(client, officer)
    response = client.post(answer_url(report, answer), {"solution_3": "ลอย"}, follow=True)
    assert "แถวที่ 3 ของตารางปัญหา" in response.content.decode()
    assert answer.problems.count() == 1  # unchanged


def test_province_summary_of_a_point_outside_the_year_is_404(client, round_, inspector):
    login(client, inspector)
    response = client.post(reverse("oversight:round_summary", args=[round_.pk]), {"point": "x"})
    assert response.status_code == 404
