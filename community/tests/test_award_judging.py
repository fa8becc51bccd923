"""Who judges whom in an award round, one rule wherever it shows (queries.judge_conflict):
the score form, the average a round is decided on and the page's "judges who scored"."""

import re
from decimal import Decimal as D

import pytest

from accounts.roles import Role
from community import actions
from community.models import (
    AwardProgramme,
    AwardRound,
    ResultOutcome,
    RoundStatus,
)
from krupd.testing import make_user

ADMIN, DIRECTOR = Role.OFFICE_ADMIN, Role.SCHOOL_DIRECTOR


@pytest.fixture
def judges(office):
    return [make_user(f"judge{i}", Role.SUPERVISOR, office) for i in (1, 2)]


@pytest.fixture
def award_round(office, judges, users):
    programme = AwardProgramme.objects.create(office=office, name="ครูดีในดวงใจ", organiser="สพฐ.")
    r = AwardRound.objects.create(
        programme=programme, year=2568, title="ครูดีในดวงใจ ครั้งที่ 20",
        status=RoundStatus.OPEN, winners=1, min_score=D("60"),
    )  # fmt: skip
    actions.save_round(
        acting_user=users[ADMIN], round_=r, judges=judges,
        criteria=[
            {"name": "ผลงานที่เกิดกับผู้เรียน", "weight": D("40"), "max_score": D("10")},
            {"name": "การเป็นแบบอย่าง", "weight": D("60"), "max_score": D("20")},
        ],
    )  # fmt: skip
    return r


def _scores(round_, a, b):
    c1, c2 = round_.criteria.all()
    return {c1.pk: D(a), c2.pk: D(b)}


def _judging(round_):
    round_.status = RoundStatus.JUDGING
    round_.save(update_fields=["status"])


def _row(client, round_, name):
    html = client.get(f"/community/awards/rounds/{round_.pk}/").content.decode()
    row = next(r for r in html.split("<tr>") if name in r)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)), row


def test_a_judge_taken_off_the_panel_no_longer_counts(
    client, award_round, users, judges, teacher_person
):
    """Judge 2 scored, then was taken off the panel: the page said "2/1" and the average
    (8/10×40 + 15/20×60 = 77 with 10/10×40 + 14/20×60 = 82 → 79.50) still held the
    removed judge's 82."""
    n = actions.nominate(
        acting_user=users[ADMIN], round_=award_round, person=teacher_person, work_title="ก"
    )
    _judging(award_round)
    actions.score_nomination(
        acting_user=judges[0], nomination=n, scores=_scores(award_round, 8, 15)
    )
    actions.score_nomination(
        acting_user=judges[1], nomination=n, scores=_scores(award_round, 10, 14)
    )
    n.refresh_from_db()
    assert (n.average, n.judges_scored) == (D("79.50"), 2)
    round_ = AwardRound.objects.get(pk=award_round.pk)
    actions.save_round(acting_user=users[ADMIN], round_=round_, criteria=None, judges=[judges[0]])
    n.refresh_from_db()
    assert (n.average, n.judges_scored) == (D("77.00"), 1)
    client.force_login(users[ADMIN])
    text, _ = _row(client, award_round, teacher_person.full_name)
    assert " 1/1 " in text and "77.00" in text
    # Put back on the panel, the judge's scores count again.
    actions.save_round(acting_user=users[ADMIN], round_=round_, criteria=None, judges=judges)
    n.refresh_from_db()
    assert (n.average, n.judges_scored) == (D("79.50"), 2)


def test_a_nominee_on_the_panel_is_not_counted_among_her_own_judges(
    client, award_round, users, judges, office, school
):
    """A judge who is herself nominated cannot score her own work, yet her row said "2/3" for
    good: the count is out of the judges who may score it."""
    from krupd.testing import make_person

    nominee = make_person(office, school, first_name="วิไล", last_name="ศรีสุข")
    judge_nominee = make_user("judge3", Role.SUPERVISOR, office, person=nominee)
    round_ = AwardRound.objects.get(pk=award_round.pk)
    actions.save_round(
        acting_user=users[ADMIN], round_=round_, criteria=None, judges=[*judges, judge_nominee]
    )
    n = actions.nominate(
        acting_user=users[ADMIN], round_=award_round, person=nominee, work_title="ก"
    )
    _judging(award_round)
    for judge in judges:
        actions.score_nomination(
            acting_user=judge, nomination=n, scores=_scores(award_round, 8, 15)
        )
    client.force_login(users[ADMIN])
    text, _ = _row(client, award_round, nominee.full_name)
    assert " 2/2 " in text


def test_the_score_form_writes_weights_and_full_marks_as_the_round_page_does(
    client, award_round, users, judges, teacher_person
):
    """The round page said "40" and "10", the judge's form "(น้ำหนัก 40.00, เต็ม 10.00)" and
    its refusal "ต้องอยู่ระหว่าง 0–10.00": the stored column's places, not the office's figure."""
    n = actions.nominate(
        acting_user=users[ADMIN], round_=award_round, person=teacher_person, work_title="ก"
    )
    _judging(award_round)
    client.force_login(judges[0])
    page = client.get(f"/community/awards/nominations/{n.pk}/score/").content.decode()
    assert "ผลงานที่เกิดกับผู้เรียน (น้ำหนัก 40, เต็ม 10)" in page
    assert "การเป็นแบบอย่าง (น้ำหนัก 60, เต็ม 20)" in page
    stored = AwardRound.objects.get(pk=award_round.pk)
    c1, c2 = stored.criteria.all()
    with pytest.raises(actions.CommunityError, match="ต้องอยู่ระหว่าง 0–10'"):
        actions.score_nomination(
            acting_user=judges[0], nomination=n, scores={c1.pk: D("11"), c2.pk: D("5")}
        )
    client.force_login(users[ADMIN])
    edit = client.get(f"/community/awards/rounds/{award_round.pk}/edit/").content.decode()
    assert "ผลงานที่เกิดกับผู้เรียน | 40 | 10" in edit


def test_a_tie_at_the_cut_off_is_said_when_the_results_are_announced(
    client, award_round, users, judges, teacher_person, other_teacher
):
    """One place (winners = 1), two nominees at 77.00: both are selected (ties at the cut-off
    all are), yet the announcement said only "ประกาศผลระดับเขตพื้นที่แล้ว" under a round that
    says "ผ่านระดับเขต 1 คน"."""
    a = actions.nominate(
        acting_user=users[ADMIN], round_=award_round, person=teacher_person, work_title="ก"
    )
    b = actions.nominate(
        acting_user=users[ADMIN], round_=award_round, person=other_teacher, work_title="ข"
    )
    _judging(award_round)
    for n in (a, b):
        actions.score_nomination(
            acting_user=judges[0], nomination=n, scores=_scores(award_round, 8, 15)
        )
    client.force_login(users[ADMIN])
    page = client.post(f"/community/awards/rounds/{award_round.pk}/decide/", follow=True)
    said = page.content.decode()
    assert "ได้รับการคัดเลือก 2 คน จาก 2 คน" in said
    assert "มากกว่าที่กำหนด 1 คน เพราะคะแนนเฉลี่ยเท่ากันที่ลำดับสุดท้าย" in said
    assert {r.outcome for n in (a, b) for r in n.results.all()} == {ResultOutcome.WINNER}


def test_a_judges_corrected_score_is_audited_old_to_new_by_criterion(
    client, award_round, users, judges, teacher_person
):
    """A judge's scores corrected: the entry said only the new scores, keyed by internal
    numbers. Now each criterion changed, by its name, old → new; the same scores sent
    again write no entry."""
    from registry.models import AuditEntry

    n = actions.nominate(
        acting_user=users[ADMIN], round_=award_round, person=teacher_person, work_title="ก"
    )
    _judging(award_round)
    entries = AuditEntry.objects.filter(object_type="nomination", object_id=str(n.pk))
    before = entries.count()
    actions.score_nomination(
        acting_user=judges[0], nomination=n, scores=_scores(award_round, 8, 15)
    )
    assert entries.count() == before + 1
    assert entries.latest("pk").changes == {
        "ผลงานที่เกิดกับผู้เรียน": [None, "8"], "การเป็นแบบอย่าง": [None, "15"],
    }  # fmt: skip
    actions.score_nomination(
        acting_user=judges[0], nomination=n, scores=_scores(award_round, "8", "17.5")
    )
    assert entries.latest("pk").changes == {"การเป็นแบบอย่าง": ["15", "17.5"]}
    audited = entries.count()
    actions.score_nomination(
        acting_user=judges[0], nomination=n, scores=_scores(award_round, "8", "17.5")
    )
    assert entries.count() == audited
    # Through the page too: the judge allowed, a teacher refused.
    c1, c2 = award_round.criteria.all()
    client.force_login(judges[0])
    url = f"/community/awards/nominations/{n.pk}/score/"
    assert client.post(url, {f"c{c1.pk}": "9", f"c{c2.pk}": "17.5"}).status_code == 302
    assert entries.latest("pk").changes == {"ผลงานที่เกิดกับผู้เรียน": ["8", "9"]}
    client.force_login(users[Role.TEACHER])
    assert client.post(url, {f"c{c1.pk}": "1", f"c{c2.pk}": "1"}).status_code in (403, 404)
