"""Attendance, tests, results, survey, follow-up, certificates and transcripts, end to end
through the actions, on hand-computed numbers."""

import datetime as dt
import zipfile
from decimal import Decimal

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from accounts.roles import Role
from krupd.lib import numerals
from krupd.testing import make_person, make_user
from training import actions, queries
from training.actions import TrainingError
from training.models import Certificate, Enrolment
from training.models import TestKind as Kind

from .conftest import answer_key, on_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(users):
    return users[Role.DEVELOPMENT_OFFICER]


@pytest.fixture
def learner(users, session, teacher_person):
    return actions.enrol(acting_user=users[Role.TEACHER], session=session, person=teacher_person)


def attend_all(officer, session, enrolment):
    for day in session.days.all():
        present = set(day.attendance.values_list("enrolment_id", flat=True)) | {enrolment.pk}
        actions.roll_call(acting_user=officer, day=day, present_ids=present)


def sit(user, enrolment, kind, questions, right):
    attempt = actions.start_attempt(acting_user=user, enrolment=enrolment, kind=kind)
    return actions.submit_attempt(
        acting_user=user, attempt=attempt, answers=answer_key(questions, right)
    )


def test_it_checks_in_with_a_signed_qr_token(users, session, learner):
    day = session.days.first()
    token = actions.checkin_token(day)
    with on_day(day.date):  # scanned at the venue, on the day
        attendance = actions.check_in(acting_user=users[Role.TEACHER], token=token)
    assert attendance.method == "qr"
    learner.refresh_from_db()
    assert learner.hours_attended == Decimal("6") and learner.attendance_pct == Decimal("50.0")


def test_a_past_day_s_qr_code_is_a_correction_audited_with_who_was_added(users, session, learner):
    """The QR page of a session's day opened again after the day: scanning it records the
    attendance as a correction of that day, audited as the roll call's corrections are
    (issue 13: a correction of a past day is allowed and audited). A scan on the day itself
    writes no correction entry."""
    from registry.models import AuditEntry

    first, second = session.days.all()[:2]
    with on_day(first.date):  # at the venue, on the day
        actions.check_in(acting_user=users[Role.TEACHER], token=actions.checkin_token(first))
    assert not AuditEntry.objects.filter(object_type="sessionday").exists()
    with on_day(second.date + dt.timedelta(days=3)):  # afterwards, the second day's code
        attendance = actions.check_in(
            acting_user=users[Role.TEACHER], token=actions.checkin_token(second)
        )
    assert attendance.method == "qr"
    entry = AuditEntry.objects.get(object_type="sessionday", object_id=str(second.pk))
    assert entry.changes["correction"][1] == "ลงเวลาย้อนหลังด้วย QR วันที่ 13 ม.ค. 2569"
    # The audit log names the day as the rest of the product does (it showed "2026-01-13").
    assert entry.object_label == f"เช็กชื่อ {second.session} 13 ม.ค. 2569"
    assert entry.changes["added"][1] == [learner.person.full_name]
    learner.refresh_from_db()
    assert learner.hours_attended == Decimal("12")
    # Scanning it again changes nothing and writes no second entry.
    with on_day(second.date + dt.timedelta(days=3)):
        actions.check_in(acting_user=users[Role.TEACHER], token=actions.checkin_token(second))
    assert AuditEntry.objects.filter(object_type="sessionday").count() == 1


def test_it_refuses_a_tampered_or_expired_token(users, session, learner, settings):
    day = session.days.first()
    token = actions.checkin_token(day)
    with pytest.raises(TrainingError):
        actions.check_in(acting_user=users[Role.TEACHER], token=token[:-2] + "xx")
    old = signing.dumps({"d": day.pk}, salt=actions.CHECKIN_SALT)
    rules = actions.rules_for(day.session.course.office)
    rules.checkin_minutes = 0
    rules.save()
    with pytest.raises(TrainingError, match="หมดอายุ"):
        actions.day_for_token(old, max_age_seconds=-1)


def test_it_refuses_check_in_by_someone_not_enrolled(users, session, office, other_school):
    stranger = make_person(office, other_school, first_name="ไม่ได้สมัคร")
    user = make_user("stranger", Role.TEACHER, office, person=stranger)
    with pytest.raises(TrainingError):
        actions.check_in(acting_user=user, token=actions.checkin_token(session.days.first()))


def test_it_scores_tests_and_passes_by_the_course_criteria(
    users, officer, session, learner, questions
):
    teacher = users[Role.TEACHER]
    sit(teacher, learner, Kind.PRE, questions, 1)
    attend_all(officer, session, learner)
    sit(teacher, learner, Kind.POST, questions, 1)  # 33.3 % < 60 %: not yet
    learner.refresh_from_db()
    assert learner.pre_score_pct == Decimal("33.3") and not learner.passed
    sit(teacher, learner, Kind.POST, questions, 2)  # 66.7 % ≥ 60 %, attendance 100 %
    learner.refresh_from_db()
    assert learner.post_score_pct == Decimal("66.7")
    assert learner.passed and learner.hours_credited == Decimal("12")
    with pytest.raises(TrainingError, match="ครบ"):
        actions.start_attempt(acting_user=teacher, enrolment=learner, kind=Kind.POST)


def test_it_fails_on_attendance_below_the_criterion(users, officer, session, learner, questions):
    actions.roll_call(acting_user=officer, day=session.days.first(), present_ids={learner.pk})
    sit(users[Role.TEACHER], learner, Kind.POST, questions, 3)
    learner.refresh_from_db()
    assert learner.attendance_pct == Decimal("50.0") and not learner.passed


def test_it_keeps_an_open_attempt_across_visits(users, learner, questions):
    teacher = users[Role.TEACHER]
    first = actions.start_attempt(acting_user=teacher, enrolment=learner, kind=Kind.PRE)
    again = actions.start_attempt(acting_user=teacher, enrolment=learner, kind=Kind.PRE)
    assert first.pk == again.pk
    actions.submit_attempt(acting_user=teacher, attempt=first, answers={})
    with pytest.raises(TrainingError):
        actions.start_attempt(acting_user=teacher, enrolment=learner, kind=Kind.PRE)


def test_it_computes_class_statistics_by_hand(office, school, users, officer, session, questions):
    session.capacity = 10
    session.save()
    # pre/post correct answers out of 3 → % : (0,2) (1,2) (1,3) (2,3)
    pairs = [(0, 2), (1, 2), (1, 3), (2, 3)]
    for i, (pre, post) in enumerate(pairs):
        person = make_person(office, school, first_name=f"ผู้เรียน{i}")
        user = make_user(f"l{i}", Role.TEACHER, office, person=person)
        e = actions.enrol(acting_user=user, session=session, person=person)
        attend_all(officer, session, e)
        sit(user, e, Kind.PRE, questions, pre)
        sit(user, e, Kind.POST, questions, post)
    ev = queries.evaluate_course(officer, session.course)
    # pre % = 0, 33.3, 33.3, 66.7 → mean 33.325; post % = 66.7, 66.7, 100, 100 → mean 83.35
    assert ev.pre_mean == pytest.approx(33.325)
    assert ev.post_mean == pytest.approx(83.35)
    # differences 66.7, 33.4, 66.7, 33.3: mean 50.025, t = 50.025 / (sd / 2)
    diffs = [66.7, 33.4, 66.7, 33.3]
    m = sum(diffs) / 4
    sd = (sum((d - m) ** 2 for d in diffs) / 3) ** 0.5
    assert ev.t_test.t == pytest.approx(m / (sd / 2))
    assert ev.t_test.df == 3 and ev.t_test.significant
    assert ev.class_gain == pytest.approx((83.35 - 33.325) / (100 - 33.325))
    assert ev.passed == 4


def test_it_reports_satisfaction_with_thai_bands(users, officer, session, learner, office, school):
    items = actions.survey_items_for(office)
    actions.submit_survey(acting_user=users[Role.TEACHER], enrolment=learner,
                          scores={i.pk: 5 for i in items}, comment="ดีมาก")  # fmt: skip
    other = make_person(office, school, first_name="คนที่สอง")
    e2 = actions.enrol(acting_user=officer, session=session, person=other)
    actions.submit_survey(
        acting_user=officer, enrolment=e2, scores={i.pk: 4 for i in items}, comment=""
    )
    ev = queries.evaluate_course(officer, session.course)
    assert ev.overall_mean == 4.5 and ev.overall_band == "มาก"
    (row,) = queries.results_table(officer, fiscal_year=session.course.fiscal_year)
    assert row.satisfaction == 4.5
    # Documents that show no survey means leave them out, and their query with them.
    with CaptureQueriesContext(connection) as plain:
        (bare,) = queries.results_table(
            officer, fiscal_year=session.course.fiscal_year, satisfaction=False
        )
    assert bare.satisfaction is None and (bare.participants, bare.passed) == (2, 0)
    assert not [q for q in plain.captured_queries if "surveyanswer" in q["sql"]]
    assert ev.items[0].mean == 4.5 and ev.items[0].sd == pytest.approx(0.7071, abs=1e-4)
    assert ev.comments == ["ดีมาก"]
    with pytest.raises(TrainingError):
        actions.submit_survey(acting_user=officer, enrolment=e2, scores={}, comment="")


def test_it_builds_the_seed_003_results_table(office, school, users, officer, session, questions):
    session.capacity = 10
    session.save()
    for i in range(4):
        person = make_person(office, school, first_name=f"คน{i}")
        e = actions.enrol(acting_user=officer, session=session, person=person)
        if i < 3:
            attend_all(officer, session, e)
            sit(officer, e, Kind.POST, questions, 3)
    rows = queries.results_table(officer, fiscal_year=2569)
    assert [(r.participants, r.passed, round(r.pct, 2)) for r in rows] == [(4, 3, 75.0)]
    assert queries.results_table(users[Role.INSPECTOR], fiscal_year=2569)[0].participants == 4
    # A director counts only their own school's participants.
    assert queries.results_table(users[Role.SCHOOL_DIRECTOR], fiscal_year=2569)[0].participants == 4


def passed_learner(users, officer, session, learner, questions):
    attend_all(officer, session, learner)
    sit(users[Role.TEACHER], learner, Kind.POST, questions, 3)
    learner.refresh_from_db()
    return learner


def test_it_issues_revokes_and_reissues_certificates_with_history(
    users, officer, session, learner, questions
):
    learner = passed_learner(users, officer, session, learner, questions)
    cert = actions.issue_certificate(acting_user=users[Role.TEACHER], enrolment=learner)
    assert (
        cert.person_name == "นางสมศรี ใจดี" and cert.hours == Decimal("12") and len(cert.code) == 10
    )
    assert actions.issue_certificate(acting_user=officer, enrolment=learner).pk == cert.pk
    new = actions.reissue_certificate(acting_user=officer, certificate=cert)
    cert.refresh_from_db()
    assert cert.status == "replaced" and new.replaces_id == cert.pk and new.code != cert.code
    actions.revoke_certificate(acting_user=officer, certificate=new, reason="ข้อมูลไม่ถูกต้อง")
    assert Certificate.objects.filter(enrolment=learner).count() == 2
    assert not Certificate.objects.filter(enrolment=learner, status="valid").exists()


def test_it_refuses_certificates_to_those_who_have_not_passed(users, learner):
    with pytest.raises(TrainingError):
        actions.issue_certificate(acting_user=users[Role.TEACHER], enrolment=learner)


def test_it_renders_a_certificate_pdf_with_the_embedded_thai_font(
    users, officer, session, learner, questions
):
    from training.certificates import render_pdf

    learner = passed_learner(users, officer, session, learner, questions)
    cert = actions.issue_certificate(acting_user=officer, enrolment=learner)
    data = render_pdf(cert, base="http://testserver/")
    assert data.startswith(b"%PDF") and b"Sarabun" in data


def _passed_participants(officer, session, questions, n: int) -> list:
    """`n` new people of the session's school enrolled, present every day and passed."""
    session.capacity = 10
    session.save()
    school = session.course.office.schools.first()
    enrolments = []
    for i in range(n):
        person = make_person(session.course.office, school, first_name=f"คน{i}")
        e = actions.enrol(acting_user=officer, session=session, person=person)
        attend_all(officer, session, e)
        sit(officer, e, Kind.POST, questions, 3)
        enrolments.append(e)
    return enrolments


def test_it_generates_a_whole_course_in_one_background_batch(
    office, school, users, officer, session, questions
):
    _passed_participants(officer, session, questions, 5)
    batch = actions.start_certificate_batch(
        acting_user=officer, course=session.course, base_url="http://x/"
    )
    batch = actions.run_certificate_batch(batch_id=batch.pk)  # what the task runs
    assert batch.status == "done" and batch.total == 5 and batch.done == 5
    with zipfile.ZipFile(actions.batch_dir() / batch.file_name) as zf:
        codes = Certificate.objects.filter(enrolment__course=session.course).values_list(
            "code", flat=True
        )
        # Each certificate's signed credential, signed in the worker with the batch.
        assert sorted(zf.namelist()) == sorted(
            ["certificates.csv", "certificates.pdf"]
            + [f"credentials/credential-{code}.jwt" for code in codes]
        )
        assert zf.read("certificates.csv").decode("utf-8-sig").count("http://x/verify/") == 5
        assert (
            zf.read("certificates.pdf").count(b"/Type /Page\n")
            + zf.read("certificates.pdf").count(b"/Type /Page ")
            >= 0
        )


def test_a_batch_leaves_out_certificates_waiting_for_review_and_says_so(
    client_for, office, school, users, officer, session, questions
):
    """A certificate flagged because its holder no longer meets the criteria was printed in
    the course's zip with the others, ready to hand out."""
    enrolments = _passed_participants(officer, session, questions, 2)
    flagged = actions.issue_certificate(acting_user=officer, enrolment=enrolments[1])
    day = session.days.first()
    actions.roll_call(acting_user=officer, day=day, present_ids={enrolments[0].pk})  # คน1 absent
    flagged.refresh_from_db()
    assert flagged.needs_review
    page = client_for(Role.DEVELOPMENT_OFFICER).get(
        reverse("training:certificates", args=[session.course.pk])
    )
    assert "ไม่รวมอยู่ในไฟล์จนกว่าจะตัดสิน" in page.content.decode()
    batch = actions.start_certificate_batch(acting_user=officer, course=session.course)
    batch = actions.run_certificate_batch(batch_id=batch.pk)
    assert batch.status == "done" and batch.total == 1
    with zipfile.ZipFile(actions.batch_dir() / batch.file_name) as zf:
        listed = zf.read("certificates.csv").decode("utf-8-sig")
    assert "คน0" in listed and flagged.code not in listed


def test_a_failed_batch_tells_the_officer_in_thai(client_for, officer, session):
    from training.models import CertificateBatch

    batch = CertificateBatch.objects.create(
        course=session.course, requested_by=officer, status="failed",
        error="OperationalError: database is locked",
    )  # fmt: skip
    html = (
        client_for(Role.DEVELOPMENT_OFFICER)
        .get(reverse("training:batch_progress", args=[batch.pk]))
        .content.decode()
    )
    assert "ไม่สำเร็จ" in html and "กรุณากดสร้างอีกครั้ง" in html
    assert "database" not in html and "Error" not in html


def test_a_finished_batch_says_what_its_file_holds_not_how_many_it_made(
    client_for, officer, session
):
    """A finished batch said "สร้างแล้ว 47 ฉบับ (4.9 วินาที)": read as 47 issued by this batch
    when 42 were (the zip holds every certificate of the course); the seconds are the
    machine's business."""
    from training.models import CertificateBatch

    batch = CertificateBatch.objects.create(
        course=session.course, requested_by=officer, status="done", total=1047, seconds=4.9,
        file_name="x.zip",
    )  # fmt: skip
    html = (
        client_for(Role.DEVELOPMENT_OFFICER)
        .get(reverse("training:batch_progress", args=[batch.pk]))
        .content.decode()
    )
    assert "ไฟล์ zip รวมเกียรติบัตรที่ออกแล้วของหลักสูตรนี้ 1,047 ฉบับ" in html
    assert "สร้างแล้ว" not in html and "วินาที" not in html


def test_a_batch_issues_what_one_by_one_issuing_would_and_only_to_those_who_passed(
    office, school, users, officer, session, questions
):
    from notifications.models import Notification
    from registry.models import AuditEntry

    session.capacity = 10
    session.save()
    enrolments = []
    for i in range(5):
        person = make_person(office, school, first_name=f"คน{i}")
        make_user(f"teacher-{i}", Role.TEACHER, office, person=person)
        e = actions.enrol(acting_user=officer, session=session, person=person)
        attend_all(officer, session, e)
        sit(officer, e, Kind.POST, questions, 1 if i == 3 else 3)  # คน3 fails the test
        e.refresh_from_db()
        enrolments.append(e)
    assert [e.passed for e in enrolments] == [True, True, True, False, True]
    earlier = actions.issue_certificate(acting_user=officer, enrolment=enrolments[0])
    actions.revoke_certificate(acting_user=officer, certificate=earlier, reason="ชื่อสะกดผิด")
    kept = actions.issue_certificate(acting_user=officer, enrolment=enrolments[1])

    issued = actions.issue_missing_certificates(acting_user=officer, course=session.course)

    # คน2 and คน4, numbered on after the two before, in the order they enrolled; คน1 keeps
    # theirs, คน3, who did not pass, gets none, and คน0, whose certificate the office
    # revoked, gets none either: a revocation is undone only by re-issuing it by hand.
    assert [(c.person_name, c.number) for c in issued] == [
        ("นางคน2 ใจดี", f"2569/{session.course.pk}/0003"),
        ("นางคน4 ใจดี", f"2569/{session.course.pk}/0004"),
    ]
    assert not enrolments[3].certificates.exists()
    assert not enrolments[0].certificates.filter(status="valid").exists()
    assert enrolments[1].certificates.get(status="valid") == kept
    for cert in issued:
        assert cert.hours == Decimal("12") and cert.issued_by == officer and len(cert.code) == 10
        audit = AuditEntry.objects.get(object_type="certificate", object_id=str(cert.pk))
        assert audit.changes == {"code": [None, cert.code]} and audit.actor == officer
        notice = Notification.objects.get(kind="certificate_issued", title__contains=cert.number)
        assert notice.recipient.person_id == cert.enrolment.person_id
    assert actions.issue_missing_certificates(acting_user=officer, course=session.course) == []


def test_a_batch_keeps_a_revoked_certificate_revoked_and_names_who_it_skipped(
    client_for, office, school, users, officer, session, questions
):
    """The course's batch issued a new valid certificate to a participant whose certificate
    the office had revoked (the result still a pass), undoing the revocation. It now skips
    them and its summary says how many and who; re-issuing is the office's own action per
    person, refused without a reason, audited with it."""
    from registry.models import AuditEntry

    first, second = _passed_participants(officer, session, questions, 2)
    revoked = actions.issue_certificate(acting_user=officer, enrolment=first)
    actions.revoke_certificate(acting_user=officer, certificate=revoked, reason="ชื่อสะกดผิด")

    batch = actions.start_certificate_batch(acting_user=officer, course=session.course)
    batch = actions.run_certificate_batch(batch_id=batch.pk)

    assert batch.status == "done" and batch.total == 1
    assert not first.certificates.filter(status="valid").exists()
    assert second.certificates.filter(status="valid").count() == 1
    client = client_for(Role.DEVELOPMENT_OFFICER)
    summary = client.get(reverse("training:batch_progress", args=[batch.pk])).content.decode()
    assert "ไม่ออกเกียรติบัตรใหม่ให้ 1 คนที่ถูกเพิกถอนเกียรติบัตรแล้ว" in summary
    assert "นางคน0 ใจดี" in summary and revoked.number in summary and "ชื่อสะกดผิด" in summary
    page = client.get(reverse("training:certificates", args=[session.course.pk])).content.decode()
    assert "ผู้ผ่านเกณฑ์ที่ยังไม่มีเกียรติบัตร: <strong>0</strong>" in page
    assert "ถูกเพิกถอนเกียรติบัตร 1 คน (นางคน0 ใจดี)" in page
    assert reverse("training:certificate_reissue", args=[revoked.pk]) in page

    with pytest.raises(TrainingError, match="กรุณาระบุเหตุผลที่ออกใหม่"):
        actions.reissue_certificate(acting_user=officer, certificate=revoked, reason="  ")
    client.post(
        reverse("training:certificate_reissue", args=[revoked.pk]),
        {"reason": "แก้ชื่อตามบัตรประชาชนแล้ว"},
    )
    new = first.certificates.get(status="valid")
    assert new.replaces_id == revoked.pk
    entry = AuditEntry.objects.get(object_type="certificate", object_id=str(new.pk))
    assert entry.changes["reason"] == [None, "แก้ชื่อตามบัตรประชาชนแล้ว"]
    again = actions.run_certificate_batch(
        batch_id=actions.start_certificate_batch(acting_user=officer, course=session.course).pk
    )
    assert again.total == 2 and again.skipped_revoked == []


def test_it_builds_a_transcript_against_the_yearly_target(
    users, officer, session, learner, questions, teacher_person
):
    learner = passed_learner(users, officer, session, learner, questions)
    t = queries.transcript(teacher_person, fiscal_year=2569, target=Decimal("20"))
    assert t.total_hours == Decimal("12") and t.hours_by_type["training"] == Decimal("12")
    assert not t.met_target and t.target_pct == 60.0
    report = queries.developed_report(officer, fiscal_year=2569, min_hours=Decimal("6"))
    total = report["total"][0]
    assert (total.total, total.developed) == (1, 1)


def test_it_confirms_follow_up_reports(users, officer, session, learner, questions):
    learner = passed_learner(users, officer, session, learner, questions)
    item = actions.submit_follow_up(
        acting_user=users[Role.TEACHER], enrolment=learner, use_level=4, report="นำไปใช้ในชั้น ป.5"
    )
    actions.confirm_follow_up(
        acting_user=users[Role.SCHOOL_DIRECTOR], follow_up=item, note="เห็นจริง"
    )
    ev = queries.evaluate_course(officer, session.course)
    assert (ev.follow_ups, ev.follow_ups_confirmed) == (1, 1)


def test_it_cannot_cancel_after_attending(users, officer, session, learner):
    actions.roll_call(acting_user=officer, day=session.days.first(), present_ids={learner.pk})
    with pytest.raises(TrainingError):
        actions.cancel_enrolment(
            acting_user=users[Role.TEACHER], enrolment=Enrolment.objects.get(pk=learner.pk)
        )


def test_it_reads_questions_typed_in_thai(db):
    from django import forms

    from training.forms import parse_questions

    rows = parse_questions("๑. คำถามแรก\nก. หนึ่ง\n*ข. สอง\n\n2. คำถามสอง\n*a. ใช่\nb. ไม่ใช่")
    assert rows == [
        {"text": "คำถามแรก", "choices": ["หนึ่ง", "สอง"], "correct": 1},
        {"text": "คำถามสอง", "choices": ["ใช่", "ไม่ใช่"], "correct": 0},
    ]
    with pytest.raises(forms.ValidationError):
        parse_questions("1. ไม่มีคำตอบที่ถูก\nก. หนึ่ง\nข. สอง")


def test_it_separates_questions_by_lines_that_only_look_empty(db):
    """Word and web pages paste the empty line between questions as spaces, a non-breaking
    or a zero-width space: the two questions ran together and were refused as one question
    with two answers marked."""
    from training.forms import parse_questions

    for gap in ("  ", "\u00a0", "\u200b", "\t \u00a0"):
        text = f"1. ข้อแรก\r\nก. หนึ่ง\r\n*ข. สอง\r\n{gap}\r\n2. ข้อสอง\r\n*ก. ใช่\r\nข. ไม่ใช่"
        assert parse_questions(text) == [
            {"text": "ข้อแรก", "choices": ["หนึ่ง", "สอง"], "correct": 1},
            {"text": "ข้อสอง", "choices": ["ใช่", "ไม่ใช่"], "correct": 0},
        ]


def test_it_reads_choices_numbered_with_a_dot_or_a_bracket(db):
    """1. / 2) before a choice is its mark, as ก. is (a seventh choice is written so); a
    choice that is a number followed by a word keeps it."""
    from training.forms import parse_questions

    rows = parse_questions("๑. ข้อใดถูก\n๑. ศูนย์\n*2) หนึ่ง\n3 ชั่วโมง")
    assert rows == [{"text": "ข้อใดถูก", "choices": ["ศูนย์", "หนึ่ง", "3 ชั่วโมง"], "correct": 1}]


_LINE = (
    st.text(alphabet=st.sampled_from("กขคงจฉอะาิีุู่้๊๋ ABab01๑๒.)*-"), min_size=1, max_size=20)
    .map(lambda t: " ".join(t.split()))
    .filter(lambda t: t and not t.startswith("*"))
)


@given(
    questions=st.lists(
        st.tuples(_LINE, st.lists(_LINE, min_size=2, max_size=8), st.integers(0, 7)),
        min_size=1,
        max_size=4,
    )
)
def test_questions_shown_for_editing_read_back_the_same(questions):
    """The edit box shows the saved questions (questions_as_text); saving it unchanged keeps
    every question, choice and answer as they were."""
    from training.forms import parse_questions, questions_as_text
    from training.models import Question

    saved = [
        Question(text=numerals.clean_text(t), choices=[numerals.clean_text(c) for c in cs],
                 correct=k % len(cs))
        for t, cs, k in questions
    ]  # fmt: skip
    assert parse_questions(questions_as_text(saved)) == [
        {"text": q.text, "choices": q.choices, "correct": q.correct} for q in saved
    ]
