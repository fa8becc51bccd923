"""The PA evidence pack: hours ledger from hand-checked records, workload pre-fill, evidence
linked per indicator, uploads refused with Thai messages, DOCX and ZIP contents, and who may
open every page."""

import datetime as dt
import io
import shutil
import subprocess
import tempfile
import zipfile
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from accounts.roles import Role
from career import actions, exports, pack_zip, queries
from career.models import EvidenceKind, PAEvidence, PAPackExport, PAStatus
from community import actions as community_actions
from community.models import PLCGroup, PLCLevel, PLCMeeting, Visit
from krupd.testing import as_the_browser_sends, make_person, make_user, pdf_text
from training import actions as training_actions
from training.models import Course, Enrolment, Session

pytestmark = pytest.mark.django_db
FY = 2569  # 1 Oct 2025 – 30 Sep 2026 (terms 2/2568 and 1/2569)
TEACHER, DIRECTOR, ADMIN = Role.TEACHER, Role.SCHOOL_DIRECTOR, Role.OFFICE_ADMIN
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _course(office, person, *, title, mode, hours, fiscal_year=FY, day=dt.date(2026, 1, 12),
            passed=True):  # fmt: skip
    course = Course.objects.create(
        office=office, title=title, mode=mode, hours=D(hours), fiscal_year=fiscal_year
    )
    session = Session.objects.create(course=course, start_date=day, end_date=day, capacity=10)
    return Enrolment.objects.create(
        course=course, session=session, person=person, status="enrolled", source="office",
        passed=passed, hours_credited=D(hours) if passed else D("0"), completed_on=day,
        credit_fiscal_year=fiscal_year if passed else None,
    )  # fmt: skip


@pytest.fixture
def records(office, school, users, teacher_person):
    """Hand-checked records of the teacher. Counted in FY2569: workshop 12 h (certificate),
    e-learning 6 h, PLC meeting 2.5 h = 20.5 h. Not counted: a failed course, a course of
    FY2568, a PLC meeting of September 2025, a planned (not yet done) visit."""
    officer = users[Role.DEVELOPMENT_OFFICER]
    workshop = _course(office, teacher_person, title="การจัดการเรียนรู้เชิงรุก", mode="workshop",
                       hours="12")  # fmt: skip
    certificate = training_actions.issue_certificate(acting_user=officer, enrolment=workshop)
    _course(office, teacher_person, title="Coding ออนไลน์", mode="online", hours="6",
            day=dt.date(2026, 3, 2))  # fmt: skip
    _course(office, teacher_person, title="หลักสูตรที่ไม่ผ่าน", mode="workshop", hours="9",
            passed=False)  # fmt: skip
    _course(office, teacher_person, title="ปีที่แล้ว", mode="workshop", hours="30",
            fiscal_year=2568, day=dt.date(2025, 8, 1))  # fmt: skip
    facilitator = make_person(office, school, first_name="วิไล", last_name="นำทาง")
    group = community_actions.save_plc_group(
        acting_user=users[DIRECTOR],
        group=PLCGroup(office=office, level=PLCLevel.SCHOOL, school=school, name="PLC อ่านคล่อง",
                       topic="อ่านไม่คล่อง", facilitator=facilitator, academic_year=2568),
        members=[teacher_person],
    )  # fmt: skip
    meeting = community_actions.log_plc_meeting(
        acting_user=users[TEACHER],
        meeting=PLCMeeting(group=group, date=dt.date(2025, 11, 20), hours=D("2.5"),
                           problem="นักเรียนอ่านไม่คล่อง"),
        attendees=[teacher_person],
    )  # fmt: skip
    community_actions.log_plc_meeting(
        acting_user=users[TEACHER],
        meeting=PLCMeeting(group=group, date=dt.date(2025, 9, 10), hours=D("3")),
        attendees=[teacher_person],
    )
    visit = Visit.objects.create(
        office=office, school=school, kind="coaching", status="done", date=dt.date(2025, 12, 5),
        visitor_name="ศน.สมปอง", focus="การใช้คำถามกระตุ้นคิด", findings="นักเรียนมีส่วนร่วมมากขึ้น",
    )  # fmt: skip
    visit.people.set([teacher_person])
    planned = Visit.objects.create(
        office=office, school=school, kind="supervision", status="planned",
        date=dt.date(2026, 2, 1), visitor_name="ศน.สมปอง", focus="ติดตาม",
    )  # fmt: skip
    planned.people.set([teacher_person])
    return {"certificate": certificate, "meeting": meeting, "visit": visit}


@pytest.fixture
def agreement(users, teacher_person):
    return actions.start_agreement(
        acting_user=users[TEACHER], person=teacher_person, fiscal_year=FY
    )


def test_the_ledger_sums_the_cycles_hours_from_hand_checked_records(records, teacher_person):
    ledger = queries.dev_ledger(teacher_person, fiscal_year=FY)
    assert (ledger.training_hours, ledger.plc_hours, ledger.total_hours) == (D("18"), D("2.5"),
                                                                             D("20.5"))  # fmt: skip
    rows = [(line.date, line.title, line.hours) for line in ledger.lines]
    assert rows == [
        (dt.date(2025, 11, 20), "PLC อ่านคล่อง: นักเรียนอ่านไม่คล่อง", D("2.5")),
        (dt.date(2025, 12, 5), "การใช้คำถามกระตุ้นคิด (โดย ศน.สมปอง)", None),  # no hours of its own
        (dt.date(2026, 1, 12), "การจัดการเรียนรู้เชิงรุก", D("12")),
        (dt.date(2026, 3, 2), "Coding ออนไลน์", D("6")),
    ]
    workshop = ledger.lines[2]
    assert workshop.reference == f"รหัสเกียรติบัตร {records['certificate'].code}"
    assert workshop.url == f"/verify/{records['certificate'].code}/"
    assert ledger.lines[3].kind == queries.E_LEARNING
    assert ledger.lines[3].reference == "ยังไม่ได้ออกเกียรติบัตร"
    # One definition of hours: the ledger's total is the PD transcript's.
    from training.queries import transcript

    assert transcript(teacher_person, fiscal_year=FY, target=D("20")).total_hours == D("20.5")


def test_workload_is_prefilled_from_what_the_system_knows_and_saved_as_totals(
    records, agreement, users
):
    agreement.teaching_hours = D("18")
    agreement.save()
    suggested = [(s.kind, s.title, s.hours) for s in queries.suggested_workload(agreement)]
    assert suggested[0] == ("teaching", "รายวิชากลุ่มสาระการเรียนรู้คณิตศาสตร์", D("18"))
    # 2.5 PLC hours in the cycle ÷ 40 weeks → 0 to the half hour (the teacher corrects it)
    assert suggested[1] == ("support", "ชุมชนการเรียนรู้ทางวิชาชีพ (PLC) PLC อ่านคล่อง", D("0"))
    lines = [
        {"kind": "teaching", "title": "ค21101 คณิตศาสตร์พื้นฐาน", "hours": D("12")},
        {"kind": "teaching", "title": "ค21201 คณิตศาสตร์เพิ่มเติม", "hours": D("6")},
        {"kind": "support", "title": "PLC กลุ่มสาระ", "hours": D("2")},
        {"kind": "quality", "title": "งานวัดผลประเมินผล", "hours": D("3.5")},
        {"kind": "policy", "title": "โครงการโรงเรียนคุณธรรม", "hours": D("1")},
    ]
    actions.save_workload(acting_user=users[TEACHER], agreement=agreement, lines=lines)
    agreement.refresh_from_db()
    assert (agreement.teaching_hours, agreement.support_hours, agreement.quality_hours,
            agreement.policy_hours, agreement.total_hours) == (D("18"), D("2"), D("3.5"), D("1"),
                                                               D("24.5"))  # fmt: skip
    # Next year's agreement starts from these lines.
    nxt = actions.start_agreement(
        acting_user=users[TEACHER], person=agreement.person, fiscal_year=FY + 1
    )
    assert [s.title for s in queries.suggested_workload(nxt)] == [x["title"] for x in lines]


def test_the_teacher_links_her_own_records_and_nobody_elses(
    records, agreement, users, office, other_school
):
    teacher = users[TEACHER]
    first = agreement.items.get(indicator__number=1).indicator
    keys = [f"certificate:{records['certificate'].pk}", f"plc:{records['meeting'].pk}"]
    made = actions.attach_records(
        acting_user=teacher, agreement=agreement, indicator=first, keys=keys
    )
    assert [e.kind for e in made] == ["certificate", "plc"]
    # Twice is once.
    assert (
        actions.attach_records(acting_user=teacher, agreement=agreement, indicator=first, keys=keys)
        == []
    )
    # Someone else's certificate is not hers to attach.
    other = make_person(office, other_school, first_name="อื่น", last_name="คน")
    theirs = _course(office, other, title="ของคนอื่น", mode="workshop", hours="3")
    cert = training_actions.issue_certificate(
        acting_user=users[Role.DEVELOPMENT_OFFICER], enrolment=theirs
    )
    with pytest.raises(actions.CareerError, match="ไม่ใช่ข้อมูลของท่าน"):
        actions.attach_records(
            acting_user=teacher,
            agreement=agreement,
            indicator=first,
            keys=[f"certificate:{cert.pk}"],
        )
    content = queries.pack(agreement)
    assert [len(s.evidence) for s in content.sections][:2] == [2, 0]
    assert len(content.sections) == 16 and len(content.empty_sections) == 15
    # The challenge issue takes a link; order can be changed.
    link = actions.attach_file_or_link(acting_user=teacher, agreement=agreement, indicator=None,
                                       title="คลิปการสอน", url="https://youtu.be/abc")  # fmt: skip
    assert queries.pack(agreement).sections[-1].evidence == [link]
    cert_ev, plc_ev = made
    actions.move_evidence(acting_user=teacher, evidence=plc_ev, up=True)
    assert [e.kind for e in queries.pack(agreement).sections[0].evidence] == ["plc", "certificate"]


def test_evidence_whose_record_no_longer_stands_leaves_the_pack_and_says_why(
    records, agreement, users, client_for, teacher_person
):
    """A certificate revoked after it was attached stayed in the pack, the ZIP and the
    self-report as valid evidence (so did a PLC log she was taken off). Evidence stands while
    its record is still hers in the cycle: otherwise the page names it struck through with
    why, and it is not counted, zipped or cited."""
    teacher, officer = users[TEACHER], users[Role.DEVELOPMENT_OFFICER]
    first = agreement.items.get(indicator__number=1).indicator
    keys = [f"certificate:{records['certificate'].pk}", f"plc:{records['meeting'].pk}"]
    actions.attach_records(acting_user=teacher, agreement=agreement, indicator=first, keys=keys)
    actions.attach_file_or_link(acting_user=teacher, agreement=agreement, indicator=first,
                                title="คลิปการสอน", url="https://youtu.be/abc")  # fmt: skip
    training_actions.revoke_certificate(
        acting_user=officer, certificate=records["certificate"], reason="ออกผิดคน"
    )
    records["meeting"].attendees.clear()

    content = queries.pack(agreement)
    section = content.sections[0]
    assert [e.kind for e in section.evidence] == ["link"]
    assert [e.kind for e in section.lapsed] == ["certificate", "plc"]
    assert content.evidence_count == 1
    zipped = [f.name for f in pack_zip.plan(content)]
    assert not any("การจัดการเรียนรู้เชิงรุก" in name or "PLC" in name for name in zipped)
    report = exports.self_report_docx(content, {})
    text = "\n".join(p.text for p in Document(io.BytesIO(report)).paragraphs)
    assert "การจัดการเรียนรู้เชิงรุก" not in text
    for url in (f"/career/pa/{agreement.pk}/pack/", _section_url(agreement)):
        page = client_for(TEACHER).get(url).content.decode()
        assert "ถูกเพิกถอนหรือออกฉบับใหม่แทนแล้ว" in page, url
        assert "ไม่มีชื่อท่านเป็นผู้เข้าร่วม" in page, url
    # Only the record standing again brings it back.
    records["meeting"].attendees.add(teacher_person)
    assert [e.kind for e in queries.pack(agreement).sections[0].evidence] == ["plc", "link"]


def test_a_certificate_under_review_leaves_the_pack_until_the_office_keeps_it(
    records, agreement, users, client_for
):
    """A certificate flagged for review (her result changed after issue) was offered, counted
    and zipped as standing evidence, while its verification page must not vouch for it."""
    teacher, officer = users[TEACHER], users[Role.DEVELOPMENT_OFFICER]
    first = agreement.items.get(indicator__number=1).indicator
    key = f"certificate:{records['certificate'].pk}"
    actions.attach_records(acting_user=teacher, agreement=agreement, indicator=first, keys=[key])
    certificate = records["certificate"]
    type(certificate).objects.filter(pk=certificate.pk).update(
        needs_review=True, review_reason="ไม่ผ่าน: เวลาเข้าร่วม 50%"
    )
    assert key not in {o.key for o in queries.evidence_options(agreement.person, fiscal_year=FY)}
    content = queries.pack(agreement)
    assert [e.kind for e in content.sections[0].lapsed] == ["certificate"]
    assert not pack_zip.plan(content)
    cited = [line.reference for line in content.ledger.lines if certificate.code in line.reference]
    assert cited == [f"รหัสเกียรติบัตร {certificate.code} (อยู่ระหว่างการตรวจสอบของสำนักงาน)"]
    page = client_for(TEACHER).get(_section_url(agreement)).content.decode()
    assert "อยู่ระหว่างการตรวจสอบของสำนักงาน" in page
    certificate.refresh_from_db()
    training_actions.keep_certificate(acting_user=officer, certificate=certificate, note="ตามเดิม")
    assert [e.kind for e in queries.pack(agreement).sections[0].evidence] == ["certificate"]


def test_the_pack_says_since_when_a_certificate_is_under_review(records, agreement, users):
    """As its verification page does: the day the office put it under review."""
    import datetime as dt

    from django.utils import timezone

    teacher = users[TEACHER]
    first = agreement.items.get(indicator__number=1).indicator
    key = f"certificate:{records['certificate'].pk}"
    actions.attach_records(acting_user=teacher, agreement=agreement, indicator=first, keys=[key])
    certificate = records["certificate"]
    flagged = timezone.make_aware(dt.datetime(2026, 12, 5, 9, 30))
    type(certificate).objects.filter(pk=certificate.pk).update(
        needs_review=True, review_reason="ไม่ผ่าน: เวลาเข้าร่วม 50%", review_flagged_at=flagged
    )
    since = "อยู่ระหว่างการตรวจสอบของสำนักงาน ตั้งแต่วันที่ 5 ธันวาคม 2569"
    content = queries.pack(agreement)
    cited = [line.reference for line in content.ledger.lines if certificate.code in line.reference]
    assert cited == [f"รหัสเกียรติบัตร {certificate.code} ({since})"]
    (lapsed,) = content.sections[0].lapsed
    assert lapsed.lapsed_reason.startswith(f"เกียรติบัตรนี้{since} (ผลการพัฒนาถูกแก้ไขหลังออก)")


def test_a_thai_digit_self_report_keeps_the_code_as_issued_and_the_date_in_thai(
    records, agreement, users
):
    """The self-report in Thai digits wrote a certificate's whole reference as issued, the
    day it went under review too ("ตั้งแต่วันที่ 5 ธันวาคม 2569" among Thai digits): only
    the verification code stays as issued."""
    import datetime as dt

    from django.utils import timezone

    certificate = records["certificate"]
    type(certificate).objects.filter(pk=certificate.pk).update(
        needs_review=True,
        review_flagged_at=timezone.make_aware(dt.datetime(2026, 12, 5, 9, 30)),
    )
    report = exports.self_report_docx(queries.pack(agreement), {}, thai_digits=True)
    cells = [c.text for t in Document(io.BytesIO(report)).tables for r in t.rows for c in r.cells]
    assert (
        f"รหัสเกียรติบัตร {certificate.code} (อยู่ระหว่างการตรวจสอบของสำนักงาน ตั้งแต่วันที่ ๕ ธันวาคม ๒๕๖๙)"
    ) in cells


def test_evaluated_packs_are_frozen(records, agreement, users):
    agreement.status = PAStatus.EVALUATED
    agreement.save()
    with pytest.raises(actions.CareerError, match="ประเมินครบแล้ว"):
        actions.attach_file_or_link(acting_user=users[TEACHER], agreement=agreement,
                                    indicator=None, title="x", url="https://a.example")  # fmt: skip


# ------------------------------------------------------------------------------- pages


def _section_url(a, number=1):
    return f"/career/pa/{a.pk}/pack/section/{number}/"


def test_uploads_and_links_are_checked_with_thai_messages(client_for, agreement, settings):
    client = client_for(TEACHER)
    url = _section_url(agreement)
    fake = SimpleUploadedFile("แผนการสอน.pdf", b"this is not a pdf", "application/pdf")
    html = client.post(url, {"action": "upload", "title": "แผน", "file": fake}).content.decode()
    assert "ไม่ใช่ชนิดที่รับได้ (ดูจากเนื้อไฟล์" in html  # judged by content, not by name
    exe = SimpleUploadedFile("virus.exe", b"MZ....", "application/octet-stream")
    html = client.post(url, {"action": "upload", "title": "x", "file": exe}).content.decode()
    assert "รับเฉพาะ PDF" in html
    html = client.post(url, {"action": "upload", "title": "คลิป", "url": "javascript:alert(1)"})
    assert "ลิงก์ไม่ถูกต้อง" in html.content.decode()
    html = client.post(url, {"action": "upload", "title": "ว่าง"}).content.decode()
    assert "กรุณาเลือกไฟล์ หรือใส่ลิงก์" in html
    html = client.post(url, {"action": "pick", "keys": ["certificate:999999"]}).content.decode()
    assert "ไม่ใช่ข้อมูลของท่าน" in html
    settings.UPLOAD_MAX_MB = {**settings.UPLOAD_MAX_MB, "evidence": 0}  # any file is too big
    big = SimpleUploadedFile("ใหญ่.pdf", PDF, "application/pdf")
    html = client.post(url, {"action": "upload", "title": "ใหญ่", "file": big}).content.decode()
    assert "ไฟล์ใหญ่เกิน 0 MB" in html
    assert not PAEvidence.objects.exists()  # nothing half-written
    settings.UPLOAD_MAX_MB = {**settings.UPLOAD_MAX_MB, "evidence": 10}
    good = SimpleUploadedFile("แผน/การ:สอน?.pdf", PDF, "application/pdf")
    response = client.post(url, {"action": "upload", "title": "แผนการสอน", "file": good})
    assert response.status_code == 302
    evidence = PAEvidence.objects.get()
    assert evidence.kind == EvidenceKind.FILE
    download = client.get(f"/career/pa/{agreement.pk}/pack/evidence/{evidence.pk}/file/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_the_same_file_or_link_twice_in_a_section_is_refused_by_name(client_for, agreement):
    """A double click (or the same file picked again under another name) stored the evidence
    twice; the section now refuses the copy, naming it, and still takes a different file."""
    client = client_for(TEACHER)
    url = _section_url(agreement)

    def post(name, data=PDF, **extra):
        upload = SimpleUploadedFile(name, data, "application/pdf")
        return client.post(url, {"action": "upload", "title": "แผนการสอน", "file": upload, **extra})

    assert post("แผนการสอน.pdf").status_code == 302
    again = post("สำเนา แผนการสอน.pdf")
    assert again.status_code == 200
    assert "ไฟล์ “สำเนา แผนการสอน.pdf” แนบไว้ในตัวชี้วัดที่ 1 แล้ว" in again.content.decode()
    assert post("แผนอื่น.pdf", data=PDF + b"%more\n").status_code == 302
    link = {"action": "upload", "title": "คลิปการสอน", "url": "https://youtu.be/abc"}
    assert client.post(url, link).status_code == 302
    html = client.post(url, {**link, "title": "คลิปเดิม"}).content.decode()
    assert "ลิงก์นี้แนบไว้ในตัวชี้วัดที่ 1 แล้ว (“คลิปการสอน”)" in html
    assert PAEvidence.objects.count() == 3


@pytest.fixture
def evaluator(office):
    return make_user("evaluator1", Role.SUPERVISOR, office)


@pytest.fixture
def shared_pack(records, agreement, users, evaluator, client_for):
    """An approved agreement with a certificate on indicator 1 and three evaluators."""
    actions.attach_records(acting_user=users[TEACHER], agreement=agreement,
                           indicator=agreement.items.get(indicator__number=1).indicator,
                           keys=[f"certificate:{records['certificate'].pk}"])  # fmt: skip
    agreement.status = PAStatus.APPROVED
    agreement.save()
    others = [make_user(f"ev{i}", Role.SUPERVISOR, agreement.person.office) for i in (2, 3)]
    actions.assign_evaluators(
        acting_user=users[ADMIN], agreement=agreement, evaluators=[evaluator, *others]
    )
    return agreement


def test_the_teacher_director_and_evaluators_read_the_pack_others_do_not(
    client, shared_pack, users, evaluator, other_office, office, other_school
):
    a = shared_pack
    evidence = a.evidence.first()
    read_only = [
        f"/career/pa/{a.pk}/pack/",
        f"/career/pa/{a.pk}/pack/report/",
        f"/career/pa/{a.pk}/export/",
    ]
    owner_only = [_section_url(a), f"/career/pa/{a.pk}/pack/section/challenge/"]
    stranger = make_user("teacher9", TEACHER, office,
                         person=make_person(office, other_school, first_name="ครู", last_name="อื่น"))  # fmt: skip
    foreign_admin = make_user("admin9", ADMIN, other_office)
    for user, reads, writes in (
        (users[TEACHER], 200, 200),
        (users[DIRECTOR], 200, 404),
        (evaluator, 200, 404),
        (users[ADMIN], 200, 404),  # the office's PA staff
        (stranger, 404, 404),
        (users[Role.INSPECTOR], 404, 404),
        (foreign_admin, 404, 404),
    ):
        client.force_login(user)
        for url in read_only:
            assert client.get(url).status_code == reads, (user.username, url)
        for url in owner_only:
            assert client.get(url).status_code == writes, (user.username, url)
        remove = f"/career/pa/{a.pk}/pack/evidence/{evidence.pk}/remove/"
        move = f"/career/pa/{a.pk}/pack/evidence/{evidence.pk}/move/"
        if user != users[TEACHER]:
            assert client.post(remove).status_code == 404
            assert client.post(move, {"dir": "up"}).status_code == 404
            assert client.post(f"/career/pa/{a.pk}/pack/workload/").status_code == 404
    assert a.evidence.count() == 1
    # The director's page shows the pack without edit links.
    client.force_login(users[DIRECTOR])
    html = client.get(f"/career/pa/{a.pk}/pack/").content.decode()
    assert "การจัดการเรียนรู้เชิงรุก" in html and "แนบหลักฐาน/รายงานผล" not in html
    assert "ดูได้อย่างเดียว" in html
    # The teacher removes her evidence; the workload page is hers while the agreement is a draft.
    client.force_login(users[TEACHER])
    closed = client.get(f"/career/pa/{a.pk}/pack/workload/", follow=True)  # approved
    assert closed.redirect_chain[-1][0] == f"/career/pa/{a.pk}/pack/"
    assert "แก้ไขไม่ได้" in closed.content.decode()
    assert client.post(f"/career/pa/{a.pk}/pack/evidence/{evidence.pk}/remove/").status_code == 302
    assert not a.evidence.exists()


def test_the_zip_holds_the_index_documents_and_evidence_in_reading_order(
    client, shared_pack, users, evaluator, records, django_capture_on_commit_callbacks
):
    a = shared_pack
    teacher = users[TEACHER]
    upload = SimpleUploadedFile("รูป กิจกรรม.png", b"\x89PNG\r\n\x1a\n" + b"0" * 2000, "image/png")
    actions.attach_file_or_link(acting_user=teacher, agreement=a, indicator=None,
                                title="ภาพ/กิจกรรม: <ชั้น ป.2>", file=upload)  # fmt: skip
    actions.attach_records(acting_user=teacher, agreement=a,
                           indicator=a.items.get(indicator__number=13).indicator,
                           keys=[f"plc:{records['meeting'].pk}", f"visit:{records['visit'].pk}"])  # fmt: skip
    client.force_login(evaluator)  # an evaluator builds and downloads the same pack
    with django_capture_on_commit_callbacks(execute=True):  # the task worker's run
        response = client.post(f"/career/pa/{a.pk}/pack/zip/", {"digits": "thai"})
    assert response.status_code == 302
    export = a.exports.get()
    assert (
        export.status == "done" and export.total == export.done == 7
    )  # 4 evidence files + 3 documents
    page = client.get(f"/career/pa/{a.pk}/pack/zip/{export.pk}/").content.decode()
    assert "ดาวน์โหลด ZIP" in page
    response = client.get(f"/career/pa/{a.pk}/pack/zip/{export.pk}/download/")
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert names == [
        "00 สารบัญหลักฐาน.pdf",
        "01 ข้อตกลงในการพัฒนางาน PA1ส.docx",
        "02 รายงานผลการพัฒนางานตามข้อตกลง.docx",
        "01 ตัวชี้วัดที่ 1/01 การจัดการเรียนรู้เชิงรุก.pdf",
        "13 ตัวชี้วัดที่ 13/01 บันทึก PLC อ่านคล่อง 20 พ.ย. 2568.pdf",
        "13 ตัวชี้วัดที่ 13/02 การโค้ช การใช้คำถามกระตุ้นคิด.pdf",
        "16 ประเด็นท้าทาย/01 ภาพ กิจกรรม ชั้น ป.2.png",
    ]
    # A second build replaces the first: one ZIP per agreement stays on disk.
    first_file = PAPackExport.directory() / export.file_name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/career/pa/{a.pk}/pack/zip/")
    assert a.exports.count() == 1 and not first_file.exists()
    z = zipfile.ZipFile(io.BytesIO(data))
    assert z.read("16 ประเด็นท้าทาย/01 ภาพ กิจกรรม ชั้น ป.2.png").startswith(b"\x89PNG")
    assert z.read("01 ตัวชี้วัดที่ 1/01 การจัดการเรียนรู้เชิงรุก.pdf").startswith(b"%PDF")
    report = "\n".join(p.text for p in Document(io.BytesIO(z.read(names[2]))).paragraphs)
    assert "01 ตัวชี้วัดที่ 1/01 การจัดการเรียนรู้เชิงรุก.pdf" in report
    assert "๒๐.๕" in report  # Thai digits asked for: the cycle's 20.5 hours
    if shutil.which("pdftotext"):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "index.pdf"
            path.write_bytes(z.read(names[0]))
            text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                                  check=True, text=True).stdout  # fmt: skip
        assert "ยังไม่มีหลักฐาน" in text and "KB" in text
        folders = ["01 ตัวชี้วัดที่ 1", "13 ตัวชี้วัดที่ 13", "16 ประเด็นท้าทาย"]
        at = [text.index(f"โฟลเดอร์: {f}") for f in folders]
        assert at == sorted(at)  # the order evaluators read them in


def test_a_thai_digit_index_writes_evidence_titles_in_thai_digits(agreement, users):
    """The index of a pack built in Thai digits read "ตัวชี้วัดที่ ๑๓" over an evidence
    titled "แผนการสอน ป.2 หน่วยที่ 3": the titles take Thai digits as the lines around them;
    links and file names stay as they are typed."""
    actions.attach_file_or_link(acting_user=users[TEACHER], agreement=agreement, indicator=None,
                                title="แผนการสอน ป.2 หน่วยที่ 3",
                                url="https://example.org/plan-2")  # fmt: skip
    pack = queries.pack(agreement)
    files = pack_zip.plan(pack, thai_digits=True)
    data = pack_zip.index_pdf(pack, files, [], thai_digits=True)
    flat = "".join(pdf_text(data).split())
    assert "แผนการสอนป.๒หน่วยที่๓" in flat and "ป.2" not in flat, flat
    assert "https://example.org/plan-2" in flat


def test_a_pack_without_any_records_still_exports(agreement, tmp_path):
    content = queries.pack(agreement)
    assert content.ledger.lines == [] and len(content.empty_sections) == 16
    path = tmp_path / "pack.zip"
    pack_zip.write_pack_zip(content, path)
    assert zipfile.ZipFile(path).namelist() == [
        pack_zip.INDEX_NAME,
        pack_zip.AGREEMENT_NAME,
        pack_zip.REPORT_NAME,
    ]
    report = exports.self_report_docx(content, {})
    text = "\n".join(p.text for p in Document(io.BytesIO(report)).paragraphs)
    assert text.count("- ยังไม่มีหลักฐาน -") == 16
    assert "ยังไม่มีบันทึกการพัฒนาในรอบนี้" in text


def test_the_agreement_docx_has_the_workload_tables_and_thai_font_slots(agreement, users):
    lines = [{"kind": "teaching", "title": "ค21101 คณิตศาสตร์พื้นฐาน", "hours": D("12")}]
    actions.save_workload(acting_user=users[TEACHER], agreement=agreement, lines=lines)
    data = exports.agreement_docx(agreement, thai_digits=True)
    doc = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "1.1 ชั่วโมงสอนตามตารางสอน รวมจำนวน ๑๒ ชั่วโมง/สัปดาห์" in text.replace("๑.๑", "1.1")
    assert "ค๒๑๑๐๑ คณิตศาสตร์พื้นฐาน" in cells
    assert "ปีงบประมาณ พ.ศ.\u00a0๒๕๖๙ ระหว่างวันที่ ๑ ตุลาคม ๒๕๖๘ ถึงวันที่ ๓๐ กันยายน ๒๕๖๙" in text
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert 'w:cs="TH SarabunPSK"' in xml and '<w:szCs w:val="32"/>' in xml
    # Thai digits asked for: the page numbers too, in the agreement and the self-report.
    report = exports.self_report_docx(queries.pack(agreement), {}, thai_digits=True)
    for docx in (data, report):
        xml = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
        assert '<w:pgNumType w:fmt="thaiNumbers"/>' in xml
    plain = exports.agreement_docx(agreement, thai_digits=False)
    assert b"pgNumType" not in zipfile.ZipFile(io.BytesIO(plain)).read("word/document.xml")


def test_the_teacher_edits_the_workload_table_on_a_draft(client_for, agreement, users, client):
    url = f"/career/pa/{agreement.pk}/pack/workload/"
    teacher = client_for(TEACHER)
    page = teacher.get(url).content.decode()
    assert "รายวิชากลุ่มสาระการเรียนรู้คณิตศาสตร์" in page  # suggested from her teaching areas
    form = {"w-TOTAL_FORMS": "3", "w-INITIAL_FORMS": "0",
            "w-0-kind": "teaching", "w-0-title": "ค21101", "w-0-hours": "๑๒",
            "w-1-kind": "quality", "w-1-title": "งานทะเบียน", "w-1-hours": "2.5",
            "w-2-kind": "policy", "w-2-title": "ลบแถวนี้", "w-2-hours": "1", "w-2-DELETE": "on"}  # fmt: skip
    assert teacher.post(url, form).status_code == 302
    agreement.refresh_from_db()
    assert (agreement.teaching_hours, agreement.quality_hours, agreement.policy_hours) == (
        D("12"), D("2.5"), D("0"))  # fmt: skip
    bad = form | {"w-1-hours": "99"}
    assert "60" in teacher.post(url, bad).content.decode()  # refused: over 60 hours a week
    client.force_login(users[DIRECTOR])
    assert client.get(url).status_code == 404
    assert client.post(url, form).status_code == 404


def test_the_workload_table_saves_with_its_spare_rows_left_blank(client_for, agreement):
    """The page shows two spare rows whose kind drop-down starts on its first choice, and the
    browser sends that choice: the untouched rows were taken as half filled and the whole table
    was refused ("กรุณากรอกช่องนี้"), so the teacher could not save without filling them."""
    url = f"/career/pa/{agreement.pk}/pack/workload/"
    teacher = client_for(TEACHER)
    sent = as_the_browser_sends(teacher.get(url).content.decode(), having="w-TOTAL_FORMS")
    spare = [k for k in sent if k.endswith("-title") and not sent[k]]
    assert len(spare) == 2 and all(sent[k.replace("title", "kind")] == "teaching" for k in spare)
    first = "w-0-hours"
    response = teacher.post(url, sent | {first: "๑.๕"})
    assert response.status_code == 302, response.content.decode()
    lines = list(agreement.workload.values_list("title", "hours"))
    assert lines[0] == (sent["w-0-title"], D("1.5"))
    assert len(lines) == int(sent["w-TOTAL_FORMS"]) - 2
    # A spare row with only its hours typed is still refused, naming its row and the box.
    row = int(spare[0].split("-")[1])
    refused = teacher.post(url, sent | {f"w-{row}-hours": "2"}).content.decode()
    assert f"แถวที่ {row + 1}: กรุณากรอกช่องนี้" in refused
    assert 'value="2"' in refused  # what was typed stays in its box


@pytest.mark.parametrize(
    "posted_next", ["", "abc", "home", "https://evil.example/", "//evil.example/x", "javascript:x"]
)
def test_moving_or_removing_evidence_returns_only_to_a_page_of_this_site(
    client_for, agreement, users, posted_next
):
    """The hidden ``next`` comes back from the browser: a word is not an address (it was a
    server error), another site is not followed; both lead back to the pack."""
    teacher = client_for(TEACHER)
    link = actions.attach_file_or_link(acting_user=users[TEACHER], agreement=agreement,
                                       indicator=None, title="คลิป", url="https://youtu.be/a")  # fmt: skip
    base = f"/career/pa/{agreement.pk}/pack/evidence/{link.pk}"
    moved = teacher.post(f"{base}/move/", {"dir": "up", "next": posted_next})
    assert moved.status_code == 302 and moved["Location"] == f"/career/pa/{agreement.pk}/pack/"
    section = _section_url(agreement, 16)
    moved = teacher.post(f"{base}/move/", {"dir": "up", "next": section})
    assert moved["Location"] == section
    removed = teacher.post(f"{base}/remove/", {"next": posted_next})
    assert removed.status_code == 302 and removed["Location"] == f"/career/pa/{agreement.pk}/pack/"
    assert not PAEvidence.objects.filter(pk=link.pk).exists()


def test_the_self_report_dates_its_development_lines_as_the_development_record_does(
    records, agreement
):
    """Day, short month and BE year ("20 พ.ย. ๒๕๖๘"), as the transcript PDF prints the same
    lines; "๒๐/๑๑/๒๕๖๘" was broken inside its digits across three lines of the column."""
    report = exports.self_report_docx(queries.pack(agreement), {}, thai_digits=True)
    table = Document(io.BytesIO(report)).tables[0]
    assert [row.cells[1].text for row in table.rows[1:]] == [
        "๒๐ พ.ย. ๒๕๖๘",
        "๕ ธ.ค. ๒๕๖๘",
        "๑๒ ม.ค. ๒๕๖๙",
        "๒ มี.ค. ๒๕๖๙",
    ]
