"""The PA evaluation's completion, award nominations, award winners and award certificates:
each told to whom it concerns and nobody else (not the other teachers of the school, not
another school's director, not another office), with nothing of the scores outside the
system, and the action that raised it succeeds when email or LINE delivery fails."""

import datetime as dt
import re
from decimal import Decimal as D

import pytest

from accounts.roles import Role
from career import actions as career_actions
from career.models import PAEvaluation, PAStatus
from community import actions as community_actions
from community.models import AwardCertificate, AwardProgramme, AwardRound, ResultOutcome
from community.models import RoundStatus as AwardRoundStatus
from krupd.testing import make_office, make_person, make_school, make_user
from notifications import actions as notify_actions
from notifications.kinds import Kind
from notifications.models import Delivery, DeliveryStatus, Notification, Recipient

TEACHER, DIRECTOR, ADMIN = Role.TEACHER, Role.SCHOOL_DIRECTOR, Role.OFFICE_ADMIN


def kinds_of(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


@pytest.fixture
def bystanders(office, school, other_school, other_teacher):
    """Everyone who must hear nothing of the teacher's PA or award: a colleague in her school,
    a teacher and the director of another school, a supervisor who is no evaluator or judge,
    and a teacher of the same name in another office."""
    colleague = make_person(office, school, first_name="สมพร", last_name="ตั้งใจ")
    elsewhere = make_office(code="7699", name="สพป.ราชบุรี เขต 1")
    far_school = make_school(elsewhere, code="1076990001", name="โรงเรียนบ้านไกล")
    namesake = make_person(elsewhere, far_school, first_name="สมศรี", last_name="ใจดี")
    return {
        "colleague": make_user("colleague", TEACHER, office, person=colleague),
        "other_teacher": make_user("teacher2", TEACHER, office, person=other_teacher),
        "other_director": make_user("director2", DIRECTOR, office, school=other_school),
        "supervisor": make_user("bystander_sup", Role.SUPERVISOR, office),
        "namesake": make_user("namesake", TEACHER, elsewhere, person=namesake),
    }


def assert_told_nobody(bystanders, *also) -> None:
    for user in [*bystanders.values(), *also]:
        assert kinds_of(user) == [], user.username


def assert_no_other_names(note, people) -> None:
    names = [n for person in people for n in (person.first_name, person.last_name) if n]
    assert names
    for text in (note.title, note.outside_text):
        for name in names:
            assert name not in text, name


def choose_outside(user, kind, *, channel: str) -> None:
    """The teacher asked for `kind` by email or LINE, and can receive it there."""
    if channel == "email":
        user.email = "somsri@example.org"
        user.save()
    else:
        Recipient.objects.update_or_create(user=user, defaults={"line_user_id": "U-somsri"})
    notify_actions.save_preferences(
        acting_user=user, choices={kind: (channel == "email", channel == "line")}, digest=False
    )


@pytest.fixture
def failing_channel(request, settings, line_channel, fake_line):
    """Email with the SMTP server down, or LINE answering 500."""
    if request.param == "email":
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    else:
        fake_line.script = [500] * 5
    return request.param


def assert_delivery_failed_and_kept(user, kind) -> None:
    """The send was tried, failed with a Thai reason and waits for its retry; nothing lost."""
    note = Notification.objects.get(recipient=user, kind=kind)
    d = Delivery.objects.get(notification=note)
    assert d.attempts == 1 and d.status == DeliveryStatus.RETRYING
    assert d.last_error and any("\u0e00" <= ch <= "\u0e7f" for ch in d.last_error)


# ------------------------------------------------------------------ PA evaluation complete


@pytest.fixture
def evaluators(office):
    return [
        make_user(f"eval{i}", Role.SUPERVISOR, office, first_name=f"ประเสริฐ{i}", last_name="มั่นคง")
        for i in (1, 2, 3)
    ]


def _write_submit_and_approve(agreement, teacher, director) -> None:
    """The teacher writes her agreement and submits it; her director approves it."""
    for item in agreement.items.all():
        item.tasks = "ออกแบบการจัดการเรียนรู้เชิงรุก"
        item.save()
    agreement.challenge_title, agreement.challenge_method = "การอ่าน", "ฝึกอ่านทุกวัน"
    agreement.save()
    career_actions.submit_agreement(acting_user=teacher, agreement=agreement)
    career_actions.decide_agreement(acting_user=director, agreement=agreement, approve=True)


@pytest.fixture
def approved_pa(users, teacher_person, evaluators):
    teacher, director = users[TEACHER], users[DIRECTOR]
    agreement = career_actions.start_agreement(
        acting_user=teacher, person=teacher_person, fiscal_year=2569
    )
    _write_submit_and_approve(agreement, teacher, director)
    career_actions.assign_evaluators(
        acting_user=users[ADMIN], agreement=agreement, evaluators=evaluators
    )
    Notification.objects.all().delete()  # what came before is tested in test_events.py
    return agreement


def test_an_evaluator_seated_before_approval_opens_her_notice(
    client, users, teacher_person, evaluators, bystanders
):
    """The office may seat the evaluators while the agreement is still a draft: the notice's
    link opens for each of them then (the agreement's page; the form refused them until the
    director approves), and that page offers the form once it opens. Seated after approval,
    the link is the form itself. Nobody else follows an evaluator's notice."""
    teacher, director = users[TEACHER], users[DIRECTOR]
    agreement = career_actions.start_agreement(
        acting_user=teacher, person=teacher_person, fiscal_year=2569
    )
    career_actions.assign_evaluators(
        acting_user=users[ADMIN], agreement=agreement, evaluators=evaluators
    )
    note = Notification.objects.get(recipient=evaluators[0], kind=Kind.PA_EVALUATOR)
    client.force_login(evaluators[0])
    assert client.get(f"/notifications/{note.pk}/", follow=True).status_code == 200
    _write_submit_and_approve(agreement, teacher, director)
    form = f"/career/pa/{agreement.pk}/evaluate/"
    assert form in client.get(note.url).content.decode()
    assert client.get(form).status_code == 200
    client.force_login(bystanders["colleague"])
    assert client.get(f"/notifications/{note.pk}/").status_code == 404
    # Seated once approved: straight to the form.
    Notification.objects.all().delete()
    agreement.refresh_from_db()
    career_actions.assign_evaluators(
        acting_user=users[ADMIN], agreement=agreement, evaluators=evaluators
    )
    assert Notification.objects.get(recipient=evaluators[1]).url == form


def evaluate(agreement, evaluator, level: int) -> PAEvaluation:
    evaluation = PAEvaluation.objects.get(agreement=agreement, evaluator=evaluator)
    levels = {i.pk: level for i in agreement.edition.indicators.all()}
    return career_actions.submit_evaluation(
        acting_user=evaluator, evaluation=evaluation, indicator_levels=levels,
        method=level, quant=level, qual=level, comment="ควรเพิ่มหลักฐานผลลัพธ์เชิงคุณภาพ",
    )  # fmt: skip


def test_the_teacher_alone_hears_once_that_all_three_evaluators_have_scored(
    users, approved_pa, evaluators, bystanders
):
    teacher = users[TEACHER]
    evaluate(approved_pa, evaluators[0], 4)
    evaluate(approved_pa, evaluators[1], 3)
    assert kinds_of(teacher) == []  # two of three: not complete yet
    evaluate(approved_pa, evaluators[2], 1)
    approved_pa.refresh_from_db()
    assert approved_pa.status == PAStatus.EVALUATED
    assert kinds_of(teacher) == [Kind.APPROVAL_APPROVED]
    # The complete result is locked (career.actions.EVALUATION_LOCKED): an evaluator cannot
    # revise a score afterwards, so nobody is told anything again.
    with pytest.raises(career_actions.CareerError):
        evaluate(approved_pa, evaluators[2], 2)
    assert kinds_of(teacher) == [Kind.APPROVAL_APPROVED]
    # Nobody else: not the evaluators, not her director, not the bystanders.
    assert_told_nobody(bystanders, *evaluators, users[DIRECTOR], users[ADMIN])
    note = Notification.objects.get(recipient=teacher)
    assert note.url == f"/career/pa/{approved_pa.pk}/"
    # No score, result or comment, and nobody's name, in the inbox or outside it.
    for text in (note.title, note.outside_text):
        assert set(re.findall(r"\d+", text)) <= {"2569", "3"}  # the fiscal year, three evaluators
        for word in ("ผ่าน", "ร้อยละ", "คะแนน", "ระดับ", "หลักฐานผลลัพธ์"):
            assert word not in text, word
    assert_no_other_names(note, evaluators)


@pytest.mark.parametrize("failing_channel", ["email", "line"], indirect=True)
def test_the_last_evaluation_is_saved_when_its_notice_cannot_be_delivered(
    users, approved_pa, evaluators, failing_channel, django_capture_on_commit_callbacks
):
    teacher = users[TEACHER]
    choose_outside(teacher, Kind.APPROVAL_APPROVED, channel=failing_channel)
    evaluate(approved_pa, evaluators[0], 4)
    evaluate(approved_pa, evaluators[1], 4)
    with django_capture_on_commit_callbacks(execute=True):  # the task worker's run
        saved = evaluate(approved_pa, evaluators[2], 4)
    saved.refresh_from_db()
    approved_pa.refresh_from_db()
    assert saved.submitted_at is not None and saved.total == D("100.00")
    assert approved_pa.status == PAStatus.EVALUATED
    assert_delivery_failed_and_kept(teacher, Kind.APPROVAL_APPROVED)


# ------------------------------------------------------------------ awards


@pytest.fixture
def judges(office):
    return [
        make_user(f"judge{i}", Role.SUPERVISOR, office, first_name=f"วิชัย{i}", last_name="ตัดสินดี")
        for i in (1, 2)
    ]


@pytest.fixture
def award_round(office, users, judges):
    programme = AwardProgramme.objects.create(office=office, name="ครูดีในดวงใจ", organiser="สพฐ.")
    round_ = AwardRound.objects.create(
        programme=programme, year=2568, title="ครูดีในดวงใจ ครั้งที่ 20",
        status=AwardRoundStatus.OPEN, winners=1, min_score=D("60"),
    )  # fmt: skip
    community_actions.save_round(
        acting_user=users[ADMIN], round_=round_, judges=judges,
        criteria=[{"name": "ผลงานที่เกิดกับผู้เรียน", "weight": D("100"), "max_score": D("10")}],
    )  # fmt: skip
    return round_


@pytest.fixture
def nominated(users, award_round, teacher_person, other_teacher):
    """The teacher's work and another school's teacher's work, nominated by the office."""
    mine = community_actions.nominate(
        acting_user=users[ADMIN], round_=award_round, person=teacher_person,
        work_title="สอนอ่านด้วยนิทานพื้นบ้าน",
    )  # fmt: skip
    theirs = community_actions.nominate(
        acting_user=users[ADMIN], round_=award_round, person=other_teacher,
        work_title="คณิตคิดสนุกด้วยเกมกระดาน",
    )  # fmt: skip
    return mine, theirs


def test_a_nomination_waits_for_the_rounds_judges_only_without_the_nominees_name(
    users, award_round, judges, nominated, bystanders, teacher_person
):
    for judge in judges:
        assert kinds_of(judge) == [Kind.APPROVAL_WAITING, Kind.APPROVAL_WAITING]
    assert_told_nobody(bystanders, users[TEACHER], users[DIRECTOR], users[ADMIN])
    note = Notification.objects.filter(recipient=judges[0]).order_by("pk").first()
    assert note.url == f"/community/awards/rounds/{award_round.pk}/"
    assert "สอนอ่านด้วยนิทานพื้นบ้าน" in note.title  # inside the system, the work is named
    assert note.outside_text == "มีผลงานเสนอชื่อรับรางวัลรอให้คะแนน"  # outside, nothing of it
    assert_no_other_names(note, [teacher_person])


def test_a_judge_nominated_herself_is_not_asked_to_score_her_own_work(
    users, award_round, judges, office, school
):
    judge = judges[0]
    judge.person = make_person(office, school, first_name="วิชัย", last_name="ผู้ถูกเสนอ")
    judge.save()
    community_actions.nominate(acting_user=users[ADMIN], round_=award_round, person=judge.person,
                               work_title="ห้องเรียนกลับด้าน")  # fmt: skip
    assert kinds_of(judge) == [] and kinds_of(judges[1]) == [Kind.APPROVAL_WAITING]


def test_a_judge_opens_the_nomination_notice_while_the_round_is_open_and_scores_later(
    client, users, award_round, judges, nominated, other_office
):
    """The notice is written while nominations are still open: its link must open for the
    judge then (the score form refuses until judging), and lead to the form once judging
    starts. Nobody else follows a judge's notice; another office's user never sees the round."""
    mine = nominated[0]
    note = Notification.objects.filter(recipient=judges[0]).order_by("pk").first()
    client.force_login(judges[0])
    opened = client.get(f"/notifications/{note.pk}/", follow=True)
    assert opened.status_code == 200
    assert mine.work_title in opened.content.decode()
    award_round.status = AwardRoundStatus.JUDGING
    award_round.save(update_fields=["status"])
    page = client.get(note.url).content.decode()
    score_url = f"/community/awards/nominations/{mine.pk}/score/"
    assert score_url in page and client.get(score_url).status_code == 200
    client.force_login(users[TEACHER])
    assert client.get(f"/notifications/{note.pk}/").status_code == 404
    client.force_login(make_user("admin-x", ADMIN, other_office))
    assert client.get(note.url).status_code == 404


def judge_and_announce(users, award_round, judges, nominated) -> None:
    AwardRound.objects.filter(pk=award_round.pk).update(status=AwardRoundStatus.JUDGING)
    (criterion,) = award_round.criteria.all()
    mine, theirs = nominated
    for judge, mark_mine, mark_theirs in zip(judges, (9, 8), (7, 8), strict=True):
        community_actions.score_nomination(
            acting_user=judge, nomination=mine, scores={criterion.pk: D(mark_mine)}
        )
        community_actions.score_nomination(
            acting_user=judge, nomination=theirs, scores={criterion.pk: D(mark_theirs)}
        )
    community_actions.decide_area_results(
        acting_user=users[ADMIN], round_=award_round, announced_on=dt.date(2025, 9, 1)
    )


def test_only_the_winner_hears_of_the_award_and_reads_no_score(
    users, award_round, judges, nominated, bystanders, other_teacher
):
    Notification.objects.all().delete()  # the judges' nominations are tested above
    judge_and_announce(users, award_round, judges, nominated)
    teacher = users[TEACHER]
    assert kinds_of(teacher) == [Kind.APPROVAL_APPROVED]
    # The other nominee (75.00, not selected), the judges, her director: nothing.
    assert kinds_of(bystanders["other_teacher"]) == []
    assert_told_nobody(bystanders, *judges, users[DIRECTOR], users[ADMIN])
    note = Notification.objects.get(recipient=teacher)
    assert note.url == f"/community/awards/rounds/{award_round.pk}/"
    assert "สอนอ่านด้วยนิทานพื้นบ้าน" in note.title
    for text in (note.title, note.outside_text):
        assert set(re.findall(r"\d+", text)) <= {"2568", "20"}  # the round's year and number
        for other in ("คะแนน", "คณิตคิดสนุกด้วยเกมกระดาน"):
            assert other not in text, other
    assert_no_other_names(note, [other_teacher, *judges])


def test_a_region_or_national_winner_is_told_once_per_level(
    client, users, award_round, judges, nominated, bystanders
):
    """The office records a region's and the country's results on the nomination's result
    page: the winner hears of each level once (recording it again, a retry, says nothing),
    someone not selected hears nothing, and only the award managers may record."""
    judge_and_announce(users, award_round, judges, nominated)
    mine, theirs = nominated
    teacher = users[TEACHER]
    Notification.objects.all().delete()
    form = {"outcome": ResultOutcome.WINNER, "announced_on": "15/01/2569", "note": ""}
    client.force_login(users[TEACHER])
    url = f"/community/awards/nominations/{mine.pk}/result/"
    assert client.post(url, {**form, "level": "region"}).status_code == 403
    assert kinds_of(teacher) == []
    client.force_login(users[ADMIN])
    for _ in range(2):
        assert client.post(url, {**form, "level": "region"}).status_code == 302
    assert client.post(url, {**form, "level": "national"}).status_code == 302
    titles = list(
        Notification.objects.filter(recipient=teacher)
        .order_by("pk")
        .values_list("title", flat=True)
    )
    assert len(titles) == 2
    assert "ได้รับคัดเลือกระดับภาค" in titles[0] and "ได้รับคัดเลือกระดับชาติ" in titles[1]
    other = f"/community/awards/nominations/{theirs.pk}/result/"
    not_selected = {**form, "outcome": ResultOutcome.NOT_SELECTED, "level": "area"}
    assert client.post(other, not_selected).status_code == 302
    assert_told_nobody(bystanders, *judges, users[DIRECTOR], users[ADMIN])


@pytest.mark.parametrize("failing_channel", ["email", "line"], indirect=True)
def test_results_are_announced_when_the_winners_notice_cannot_be_delivered(
    users, award_round, judges, nominated, failing_channel, django_capture_on_commit_callbacks
):
    teacher = users[TEACHER]
    choose_outside(teacher, Kind.APPROVAL_APPROVED, channel=failing_channel)
    with django_capture_on_commit_callbacks(execute=True):
        judge_and_announce(users, award_round, judges, nominated)
    award_round.refresh_from_db()
    assert award_round.status == AwardRoundStatus.CLOSED
    outcomes = {n.person_id: n.results.get().outcome for n in award_round.nominations.all()}
    assert outcomes[teacher.person_id] == ResultOutcome.WINNER
    assert_delivery_failed_and_kept(teacher, Kind.APPROVAL_APPROVED)


def test_the_winner_alone_hears_her_award_certificate_issued_and_revoked(
    users, award_round, judges, nominated, bystanders, other_teacher
):
    judge_and_announce(users, award_round, judges, nominated)
    Notification.objects.all().delete()
    (certificate,) = community_actions.issue_award_certificates(
        acting_user=users[ADMIN], round_=award_round
    )
    community_actions.revoke_award_certificate(
        acting_user=users[ADMIN], certificate=certificate, reason="ชื่อผลงานสะกดผิด"
    )
    teacher = users[TEACHER]
    assert kinds_of(teacher) == [Kind.CERTIFICATE_REVOKED, Kind.CERTIFICATE_ISSUED]
    assert_told_nobody(bystanders, *judges, users[DIRECTOR], users[ADMIN])
    issued = Notification.objects.get(recipient=teacher, kind=Kind.CERTIFICATE_ISSUED)
    assert certificate.number in issued.title and "ระดับเขตพื้นที่" in issued.title
    assert issued.url == f"/community/awards/rounds/{award_round.pk}/"
    revoked = Notification.objects.get(recipient=teacher, kind=Kind.CERTIFICATE_REVOKED)
    assert "ชื่อผลงานสะกดผิด" not in revoked.outside_text
    for note in (issued, revoked):
        assert_no_other_names(note, [other_teacher, *judges])


@pytest.mark.parametrize("failing_channel", ["email", "line"], indirect=True)
def test_award_certificates_are_issued_when_the_notice_cannot_be_delivered(
    users, award_round, judges, nominated, failing_channel, django_capture_on_commit_callbacks
):
    judge_and_announce(users, award_round, judges, nominated)
    teacher = users[TEACHER]
    Notification.objects.all().delete()
    choose_outside(teacher, Kind.CERTIFICATE_ISSUED, channel=failing_channel)
    with django_capture_on_commit_callbacks(execute=True):
        issued = community_actions.issue_award_certificates(
            acting_user=users[ADMIN], round_=award_round
        )
    assert [c.pk for c in issued] == list(AwardCertificate.objects.values_list("pk", flat=True))
    assert_delivery_failed_and_kept(teacher, Kind.CERTIFICATE_ISSUED)


def test_a_reopened_result_tells_the_teacher_and_that_evaluator_and_completes_anew(
    users, approved_pa, evaluators, bystanders
):
    teacher = users[TEACHER]
    for evaluator, level in zip(evaluators, (4, 3, 1), strict=True):
        evaluate(approved_pa, evaluator, level)
    career_actions.reopen_evaluation(
        acting_user=users[ADMIN], agreement=approved_pa, seat=3, reason="กรอกระดับสลับตัวชี้วัด"
    )
    assert sorted(kinds_of(teacher)) == [Kind.APPROVAL_APPROVED, Kind.APPROVAL_RETURNED]
    reopened = Notification.objects.get(recipient=teacher, kind=Kind.APPROVAL_RETURNED)
    assert "กรอกระดับสลับตัวชี้วัด" in reopened.title
    assert "กรอกระดับสลับตัวชี้วัด" not in reopened.outside_text  # the reason stays inside
    # The year stands apart from the word after it ("ปีงบประมาณ 2569ของคุณ" it read).
    assert f"ปีงบประมาณ {approved_pa.fiscal_year} ของคุณ" in reopened.title
    assert f"ปีงบประมาณ {approved_pa.fiscal_year} ของคุณ" in reopened.outside_text
    told = Notification.objects.get(recipient=evaluators[2], kind=Kind.PA_EVALUATOR)
    assert told.url == f"/career/pa/{approved_pa.pk}/evaluate/"
    assert_told_nobody(bystanders, evaluators[0], evaluators[1], users[DIRECTOR], users[ADMIN])
    # The corrected score completes the result again: the teacher hears of it once more.
    evaluate(approved_pa, evaluators[2], 2)
    assert kinds_of(teacher).count(Kind.APPROVAL_APPROVED) == 2


def test_an_evaluator_taken_off_a_seat_is_told_once_and_told_again_if_reseated(
    users, approved_pa, evaluators, bystanders, office, teacher_person
):
    """The office replaces the third evaluator: she learns her seat is gone (once, naming no
    one outside the system), the new one learns of his; the two who stay, or swap seats, lose
    nothing. Seated again later, she is told of that seat too, and of losing it again."""
    replacement = make_user("eval4", Role.SUPERVISOR, office, first_name="วิชัย", last_name="ดีงาม")
    first, second, third = evaluators
    for _ in range(2):  # the same change saved twice is one event
        career_actions.assign_evaluators(
            acting_user=users[ADMIN], agreement=approved_pa, evaluators=[second, first, replacement]
        )
    removed = Notification.objects.get(recipient=third)
    assert removed.kind == Kind.PA_EVALUATOR
    assert "ยกเลิกการแต่งตั้งท่านเป็นกรรมการประเมิน PA" in removed.title
    assert "ปีงบประมาณ 2569" in removed.title
    assert "ถูกยกเลิก" in removed.outside_text
    assert teacher_person.first_name not in removed.outside_text
    assert removed.url == "/career/pa/"
    assert kinds_of(replacement) == [Kind.PA_EVALUATOR]
    assert_told_nobody(bystanders, users[TEACHER], users[DIRECTOR])
    for kept in (first, second):  # (their seating notices were cleared by the fixture)
        assert not any("ยกเลิก" in n.title for n in Notification.objects.filter(recipient=kept))

    career_actions.assign_evaluators(
        acting_user=users[ADMIN], agreement=approved_pa, evaluators=[first, second, third]
    )
    told = Notification.objects.filter(recipient=third).order_by("pk")
    assert ["ยกเลิก" in n.title for n in told] == [True, False]  # seated again: told again
    assert Notification.objects.filter(recipient=replacement).count() == 2  # and he is off
    career_actions.assign_evaluators(
        acting_user=users[ADMIN], agreement=approved_pa, evaluators=[first, second, replacement]
    )
    assert ["ยกเลิก" in n.title for n in Notification.objects.filter(recipient=third)] == [
        True,
        False,
        True,
    ]
