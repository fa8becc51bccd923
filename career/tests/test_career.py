import datetime as dt
from decimal import Decimal as D

import pytest

from accounts.roles import Role
from career import actions, queries, scoring
from career.models import DebtCase, PAAgreement, PAEdition, PAEvaluation, PAStatus
from krupd.testing import as_the_browser_sends, make_person, make_user
from registry.models import AcademicStanding, AuditEntry, PositionChange

ADMIN, OFFICER, SUPERVISOR = Role.OFFICE_ADMIN, Role.DEVELOPMENT_OFFICER, Role.SUPERVISOR
DIRECTOR, TEACHER, INSPECTOR = Role.SCHOOL_DIRECTOR, Role.TEACHER, Role.INSPECTOR


# -------------------------------------------------------------------- PA arithmetic by hand


@pytest.fixture
def edition(db):
    return PAEdition.objects.get(code="w9-2564-teacher")


def _evaluate(edition, levels, method, quant, qual, pass_pct="70"):
    return scoring.evaluate(edition=edition, indicator_levels=dict(enumerate(levels)),
                            indicator_count=15, method=method, quant=quant, qual=qual,
                            pass_pct=D(pass_pct))  # fmt: skip


def test_it_scores_pa_with_the_100_75_50_25_conversion(edition):
    assert edition.indicators.count() == 15
    best = _evaluate(edition, [4] * 15, 4, 4, 4)
    assert (best.part1, best.part2, best.pct, best.passed) == (D("60"), D("40"), D("100.00"), True)
    worst = _evaluate(edition, [1] * 15, 1, 1, 1)
    # 15 × 4 × 25 % = 15; (20 + 10 + 10) × 25 % = 10
    assert (worst.part1, worst.part2, worst.pct, worst.passed) == (
        D("15"),
        D("10"),
        D("25.00"),
        False,
    )
    # Ten indicators at level 3 (3 points each) and five at level 2 (2 points each) = 40;
    # method level 3 = 15, quantitative level 2 = 5, qualitative level 4 = 10 → 30; total 70.
    mixed = _evaluate(edition, [3] * 10 + [2] * 5, 3, 2, 4)
    assert (mixed.part1, mixed.part2, mixed.pct) == (D("40"), D("30"), D("70.00"))
    assert mixed.passed is True  # exactly the pass mark passes
    assert _evaluate(edition, [3] * 10 + [2] * 5, 3, 2, 4, pass_pct="70.01").passed is False
    # One indicator lower (level 2 → 1): 69 → fails at 70 %
    assert _evaluate(edition, [3] * 10 + [2] * 4 + [1], 3, 2, 4).pct == D("69.00")


def test_it_refuses_missing_or_impossible_levels(edition):
    with pytest.raises(ValueError):
        _evaluate(edition, [4] * 14, 4, 4, 4)
    with pytest.raises(ValueError):
        _evaluate(edition, [5] + [4] * 14, 4, 4, 4)


def test_it_applies_the_net_salary_rule_at_the_boundary():
    # Salary 30,000: deductions up to 21,000 leave exactly 30 % (9,000) → allowed.
    assert scoring.meets_net_rule(D("30000"), D("21000"), D("30")) is True
    assert scoring.net_salary_pct(D("30000"), D("21000")) == D("30.00")
    assert scoring.meets_net_rule(D("30000"), D("21000.01"), D("30")) is False
    # 29.999… rounds to 30.00 for display but still fails the exact comparison.
    assert scoring.net_salary_pct(D("30000"), D("21000.01")) == D("30.00")
    assert scoring.meets_net_rule(D("30000"), D("0"), D("30")) is True
    assert scoring.meets_net_rule(D("0"), D("0"), D("30")) is None
    # The threshold is the office's setting, not a constant.
    assert scoring.meets_net_rule(D("30000"), D("21000"), D("35")) is False


# ---------------------------------------------------------------------- PA flow end to end


@pytest.fixture
def evaluators(office):
    return [make_user(f"eval{i}", Role.SUPERVISOR, office) for i in (1, 2, 3)]


def _fill(agreement):
    for item in agreement.items.all():
        item.tasks = "ออกแบบการจัดการเรียนรู้เชิงรุก"
        item.save()
    agreement.challenge_title = "การอ่านออกเขียนได้ ป.1"
    agreement.challenge_method = "ฝึกอ่านรายวัน"
    agreement.save()


def test_it_runs_a_pa_from_draft_to_result(users, teacher_person, evaluators):
    teacher, director, admin = users[TEACHER], users[DIRECTOR], users[ADMIN]
    a = actions.start_agreement(acting_user=teacher, person=teacher_person, fiscal_year=2568)
    assert a.items.count() == 15 and a.status == PAStatus.DRAFT
    with pytest.raises(actions.CareerError):  # tasks empty
        actions.submit_agreement(acting_user=teacher, agreement=a)
    _fill(a)
    actions.submit_agreement(acting_user=teacher, agreement=a)
    with pytest.raises(actions.CareerError, match="^.*ความเห็นผู้อำนวยการ: กรุณาระบุ"):
        actions.decide_agreement(acting_user=director, agreement=a, approve=False, note="")
    actions.decide_agreement(acting_user=director, agreement=a, approve=False, note="เพิ่มตัวชี้วัด")
    a.refresh_from_db()
    assert a.status == PAStatus.RETURNED
    actions.submit_agreement(acting_user=teacher, agreement=a)
    actions.decide_agreement(acting_user=director, agreement=a, approve=True)
    a.refresh_from_db()
    assert a.status == PAStatus.APPROVED and a.approved_by == director
    with pytest.raises(actions.CareerError):  # the teacher cannot evaluate themself
        actions.assign_evaluators(
            acting_user=admin, agreement=a, evaluators=[teacher, *evaluators[:2]]
        )
    actions.assign_evaluators(acting_user=admin, agreement=a, evaluators=evaluators)
    levels = {i.pk: 4 for i in a.edition.indicators.all()}
    for user, lv in zip(evaluators, (4, 3, 1), strict=True):
        e = PAEvaluation.objects.get(agreement=a, evaluator=user)
        actions.submit_evaluation(acting_user=user, evaluation=e, method=lv, quant=lv, qual=lv,
                                  indicator_levels={k: lv for k in levels})  # fmt: skip
    a.refresh_from_db()
    assert a.status == PAStatus.EVALUATED
    assert [e.total for e in a.evaluations.all()] == [D("100.00"), D("75.00"), D("25.00")]
    ov = queries.overall(a)
    assert (ov.submitted, ov.passed_all, ov.mean_pct) == (3, False, D("66.67"))
    rows = queries.pa_status(users[ADMIN], fiscal_year=2568)
    assert [(r.teachers, r.by_status["evaluated"], r.passed) for r in rows] == [(1, 1, 0)]


def test_it_never_shows_a_teacher_another_teachers_pa(
    client, users, teacher_person, other_teacher, office
):
    other_user = make_user("teacher2", TEACHER, office, person=other_teacher)
    theirs = actions.start_agreement(acting_user=other_user, person=other_teacher, fiscal_year=2568)
    mine = actions.start_agreement(
        acting_user=users[TEACHER], person=teacher_person, fiscal_year=2568
    )
    client.force_login(users[TEACHER])
    assert client.get(f"/career/pa/{mine.pk}/").status_code == 200
    assert client.get(f"/career/pa/{theirs.pk}/").status_code == 404
    assert client.get(f"/career/pa/{theirs.pk}/export/").status_code == 404
    assert client.get(f"/career/pa/{theirs.pk}/edit/").status_code == 404
    # The director of the other school does not see it either; the office does, audited.
    client.force_login(users[DIRECTOR])
    assert client.get(f"/career/pa/{theirs.pk}/").status_code == 404
    client.force_login(users[OFFICER])
    assert client.get(f"/career/pa/{theirs.pk}/").status_code == 200
    assert AuditEntry.objects.filter(action="view_pa", actor=users[OFFICER]).count() == 1


def test_it_walks_the_pa_pages(client, users, teacher_person, evaluators):
    client.force_login(users[TEACHER])
    assert client.post("/career/pa/?fy=2568").status_code == 302
    a = PAAgreement.objects.get(person=teacher_person)
    data = {"teaching_hours": "18", "support_hours": "4", "quality_hours": "2", "policy_hours": "1",
            "challenge_title": "อ่านออก", "challenge_problem": "", "challenge_method": "ฝึกอ่าน",
            "challenge_quant": "ร้อยละ 80", "challenge_qual": "อ่านคล่อง", "submit": "1"}  # fmt: skip
    data |= {f"i{i.indicator_id}_tasks": "งาน" for i in a.items.all()}
    assert client.post(f"/career/pa/{a.pk}/edit/", data).status_code == 302
    a.refresh_from_db()
    assert a.status == PAStatus.SUBMITTED and a.total_hours == D("25")
    client.force_login(users[DIRECTOR])
    client.post(f"/career/pa/{a.pk}/decide/", {"decision": "approve", "note": ""})
    client.force_login(users[ADMIN])
    seats = {f"seat{i}": u.pk for i, u in enumerate(evaluators, 1)}
    assert client.post(f"/career/pa/{a.pk}/evaluators/", seats).status_code == 302
    client.force_login(evaluators[0])
    form = {f"ind{i.pk}": "3" for i in a.edition.indicators.all()} | {
        "method": "3",
        "quant": "3",
        "qual": "3",
    }
    assert client.post(f"/career/pa/{a.pk}/evaluate/", form).status_code == 302
    assert PAEvaluation.objects.get(agreement=a, seat=1).total == D("75.00")
    client.force_login(evaluators[1])  # not yet their turn? any assigned evaluator may score
    assert client.get(f"/career/pa/{a.pk}/evaluate/").status_code == 200
    client.force_login(users[SUPERVISOR])  # not an evaluator of this agreement
    assert client.get(f"/career/pa/{a.pk}/evaluate/").status_code == 404
    client.force_login(users[ADMIN])
    response = client.get("/career/pa/status/?fy=2568&format=xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxml"
    )
    assert client.get(f"/career/pa/{a.pk}/export/").status_code == 200


def _evaluated(users, teacher_person, evaluators):
    """An agreement all three evaluators have scored (100, 75, 25 %)."""
    a = actions.start_agreement(acting_user=users[TEACHER], person=teacher_person, fiscal_year=2568)
    _fill(a)
    actions.submit_agreement(acting_user=users[TEACHER], agreement=a)
    actions.decide_agreement(acting_user=users[DIRECTOR], agreement=a, approve=True)
    actions.assign_evaluators(acting_user=users[ADMIN], agreement=a, evaluators=evaluators)
    ids = list(a.edition.indicators.values_list("pk", flat=True))
    for user, lv in zip(evaluators, (4, 3, 1), strict=True):
        e = PAEvaluation.objects.get(agreement=a, evaluator=user)
        actions.submit_evaluation(acting_user=user, evaluation=e, method=lv, quant=lv, qual=lv,
                                  indicator_levels=dict.fromkeys(ids, lv))  # fmt: skip
    a.refresh_from_db()
    assert a.status == PAStatus.EVALUATED
    return a, ids


def test_it_locks_the_committee_result_once_all_three_have_scored(
    users, teacher_person, evaluators
):
    a, ids = _evaluated(users, teacher_person, evaluators)
    # The third evaluator (or any) cannot change the result alone afterwards.
    e = PAEvaluation.objects.get(agreement=a, seat=3)
    with pytest.raises(actions.CareerError, match="ถูกล็อก"):
        actions.submit_evaluation(acting_user=evaluators[2], evaluation=e, method=4, quant=4,
                                  qual=4, indicator_levels=dict.fromkeys(ids, 4))  # fmt: skip
    assert [e.total for e in a.evaluations.all()] == [D("100.00"), D("75.00"), D("25.00")]
    assert queries.overall(a).passed_all is False


def test_it_lets_an_evaluator_correct_a_score_while_the_committee_is_incomplete(
    users, teacher_person, evaluators
):
    a = actions.start_agreement(acting_user=users[TEACHER], person=teacher_person, fiscal_year=2568)
    _fill(a)
    actions.submit_agreement(acting_user=users[TEACHER], agreement=a)
    actions.decide_agreement(acting_user=users[DIRECTOR], agreement=a, approve=True)
    actions.assign_evaluators(acting_user=users[ADMIN], agreement=a, evaluators=evaluators)
    ids = list(a.edition.indicators.values_list("pk", flat=True))
    e = PAEvaluation.objects.get(agreement=a, seat=1)
    for lv in (2, 3):
        actions.submit_evaluation(acting_user=evaluators[0], evaluation=e, method=lv, quant=lv,
                                  qual=lv, indicator_levels=dict.fromkeys(ids, lv))  # fmt: skip
    e.refresh_from_db()
    assert e.total == D("75.00")


def test_the_office_reopens_one_score_with_a_reason_audited(users, teacher_person, evaluators):
    a, ids = _evaluated(users, teacher_person, evaluators)
    admin = users[ADMIN]
    with pytest.raises(actions.CareerError, match="เหตุผล"):
        actions.reopen_evaluation(acting_user=admin, agreement=a, seat=3, reason="   ")
    for role in (SUPERVISOR, DIRECTOR, TEACHER, INSPECTOR):  # refused: not the office's PA staff
        with pytest.raises(actions.CareerError):
            actions.reopen_evaluation(acting_user=users[role], agreement=a, seat=3, reason="ผิด")
    with pytest.raises(actions.CareerError):  # an evaluator cannot reopen their own score
        actions.reopen_evaluation(acting_user=evaluators[2], agreement=a, seat=3, reason="ผิด")
    a.refresh_from_db()
    assert a.status == PAStatus.EVALUATED
    actions.reopen_evaluation(
        acting_user=users[OFFICER], agreement=a, seat=3, reason="กรอกระดับผิดตัวชี้วัด"
    )
    a.refresh_from_db()
    assert a.status == PAStatus.APPROVED
    entry = AuditEntry.objects.filter(object_type="paagreement", actor=users[OFFICER]).latest("id")
    assert entry.changes["reopen_reason"] == [None, "กรอกระดับผิดตัวชี้วัด"]
    assert entry.changes["evaluator_3"] == ["25.00", None]
    ov = queries.overall(a)  # the set-aside score no longer counts
    assert (ov.submitted, ov.passed_all) == (2, None)
    with pytest.raises(actions.CareerError):  # only a complete result is reopened
        actions.reopen_evaluation(acting_user=admin, agreement=a, seat=1, reason="อีกครั้ง")
    e = PAEvaluation.objects.get(agreement=a, seat=3)
    assert e.indicator_levels == {str(k): 1 for k in ids}  # kept as the evaluator's draft
    # The teacher's pack stays as the committee judged it while the score is corrected.
    with pytest.raises(actions.CareerError, match="แฟ้มหลักฐานแก้ไขไม่ได้"):
        actions.attach_file_or_link(acting_user=users[TEACHER], agreement=a, indicator=None,
                                    title="เพิ่มภายหลัง", url="https://a.example")  # fmt: skip
    actions.submit_evaluation(acting_user=evaluators[2], evaluation=e, method=3, quant=3, qual=3,
                              indicator_levels=dict.fromkeys(ids, 3))  # fmt: skip
    a.refresh_from_db()
    assert a.status == PAStatus.EVALUATED
    assert queries.overall(a).passed_all is True


def test_office_pa_staff_neither_seat_evaluators_of_nor_reopen_their_own_pa(
    users, teacher_person, evaluators
):
    a, _ = _evaluated(users, teacher_person, evaluators)
    users[TEACHER].person = None
    users[TEACHER].save()
    officer = users[OFFICER]
    officer.person = teacher_person  # an officer with a PA of her own (seconded teacher)
    officer.save()
    with pytest.raises(actions.CareerError, match="เรื่องของตนเอง"):
        actions.reopen_evaluation(acting_user=officer, agreement=a, seat=3, reason="ขอแก้")
    with pytest.raises(actions.CareerError, match="เรื่องของตนเอง"):
        actions.assign_evaluators(acting_user=officer, agreement=a, evaluators=evaluators)
    a.refresh_from_db()
    assert a.status == PAStatus.EVALUATED


def test_the_reopen_page_action_allows_the_office_and_refuses_others(
    client, users, teacher_person, evaluators
):
    a, _ = _evaluated(users, teacher_person, evaluators)
    url = f"/career/pa/{a.pk}/reopen/"
    client.force_login(evaluators[2])
    page = client.get(f"/career/pa/{a.pk}/evaluate/", follow=True).content.decode()
    assert "ถูกล็อก" in page  # the form is closed, with the reason why
    assert client.post(url, {"seat": "3", "reason": "ผิด"}).status_code == 403
    client.force_login(users[ADMIN])
    page = client.get(f"/career/pa/{a.pk}/").content.decode()
    assert 'id="pa-reopen"' in page
    page = client.post(url, {"seat": "3", "reason": ""}, follow=True).content.decode()
    assert "กรุณาระบุ" in page
    assert PAAgreement.objects.get(pk=a.pk).status == PAStatus.EVALUATED
    client.post(url, {"seat": "x", "reason": "ผิด"})  # a tampered seat is refused, not a 500
    assert PAAgreement.objects.get(pk=a.pk).status == PAStatus.EVALUATED
    assert client.post(url, {"seat": "3", "reason": "ผิด"}).status_code == 302
    assert PAAgreement.objects.get(pk=a.pk).status == PAStatus.APPROVED


# --------------------------------------------------------------------- academic standing


def test_it_finds_who_meets_tenure_conditions(office, school):
    k1, k2 = AcademicStanding.objects.get(code="k1"), AcademicStanding.objects.get(code="k2")
    six = make_person(office, school, academic_standing=k1, appointment_date=dt.date(2019, 5, 16))
    five = make_person(office, school, academic_standing=k1, appointment_date=dt.date(2020, 5, 17))
    masters = make_person(office, school, academic_standing=k1, appointment_date=dt.date(2021, 5, 16),
                          highest_degree="master")  # fmt: skip
    promoted = make_person(
        office, school, academic_standing=k2, appointment_date=dt.date(2000, 1, 1)
    )
    PositionChange.objects.create(person=promoted, effective_date=dt.date(2022, 6, 1),
                                  field="วิทยฐานะ", new_value="ชำนาญการ")  # fmt: skip
    rows = {r.person_id: r for r in queries.standing_readiness(
        type(six).objects.filter(office=office), as_of=dt.date(2025, 5, 16))}  # fmt: skip
    assert (rows[six.pk].years, rows[six.pk].ready) == (6, True)
    assert (rows[five.pk].years, rows[five.pk].ready) == (4, False)
    assert (rows[masters.pk].required, rows[masters.pk].ready) == (4, True)
    assert (rows[promoted.pk].since, rows[promoted.pk].required, rows[promoted.pk].ready) == (
        dt.date(2022, 6, 1),
        4,
        False,
    )


def test_the_standing_page_lists_teachers_a_page_at_a_time_those_ready_first(
    client, users, office, school, monkeypatch
):
    from career import views

    monkeypatch.setattr(views, "READINESS_PER_PAGE", 1)
    k1 = AcademicStanding.objects.get(code="k1")
    waiting = make_person(office, school, academic_standing=k1, first_name="ก",
                          appointment_date=dt.date.today() - dt.timedelta(days=365))  # fmt: skip
    ready = make_person(office, school, academic_standing=k1, first_name="ฮ",
                        appointment_date=dt.date(2000, 5, 16))  # fmt: skip
    client.force_login(users[Role.OFFICE_ADMIN])
    pages = []
    while not pages or "ถัดไป" in pages[-1]:
        pages.append(client.get("/career/standing/", {"page": len(pages) + 1}).content.decode())
    assert len(pages) >= 2 and all(f"หน้า {n} จาก" in p for n, p in enumerate(pages, 1))
    on_page = {who.pk: [who.full_name in p for p in pages].index(True) for who in (ready, waiting)}
    assert on_page[ready.pk] < on_page[waiting.pk]


# ---------------------------------------------------------------------------------- debt


@pytest.fixture
def debt(users, teacher_person):
    actions.save_debt_profile(acting_user=users[ADMIN], person=teacher_person, gross=D("30000"),
                              other_income=D("0"), deductions=[
        {"creditor_kind": "coop", "creditor": "สหกรณ์ออมทรัพย์ครูเพชรบุรี", "monthly": D("15000"), "outstanding": D("900000")},
        {"creditor_kind": "gsb", "creditor": "ธนาคารออมสิน", "monthly": D("6500"), "outstanding": D("300000")},
    ])  # fmt: skip
    case = DebtCase(person=teacher_person, opened_on=dt.date(2025, 3, 1), creditor_kind="coop",
                    request="ขอปรับโครงสร้างหนี้")  # fmt: skip
    return actions.save_debt_case(acting_user=users[ADMIN], case=case)


def test_it_flags_net_pay_below_the_threshold_and_summarises_counts_only(
    client, users, debt, office
):
    s = queries.debt_summary(office)
    assert (s["profiles"], s["below"], s["cases"]) == (1, 1, 1)  # 8,500 / 30,000 = 28.33 %
    client.force_login(users[INSPECTOR])
    page = client.get("/career/debt/summary/").content.decode()
    assert "สมศรี" not in page and "สหกรณ์ออมทรัพย์ครูเพชรบุรี" not in page
    # Lower the threshold: the same person now passes.
    rules = queries.rules_for(office)
    rules.debt_net_min_pct = D("28")
    rules.save()
    assert queries.debt_summary(office)["below"] == 0


DEBT_PAGES = [
    # url, allowed, refused
    ("/career/debt/", ADMIN, OFFICER),
    ("/career/debt/summary/", INSPECTOR, TEACHER),
    ("/career/debt/{person}/", ADMIN, OFFICER),
    ("/career/debt/{person}/", TEACHER, DIRECTOR),
    ("/career/debt/{person}/edit/", ADMIN, SUPERVISOR),
    ("/career/debt/{person}/cases/new/", ADMIN, INSPECTOR),
    ("/career/debt/mine/", TEACHER, INSPECTOR),
]


@pytest.mark.parametrize(("url", "allowed", "refused"), DEBT_PAGES)
def test_it_guards_and_audits_every_debt_page(
    client, users, debt, teacher_person, url, allowed, refused
):
    url = url.format(person=teacher_person.pk)
    before = AuditEntry.objects.filter(action="view_debt").count()
    client.force_login(users[allowed])
    assert client.get(url).status_code == 200
    if "summary" not in url:  # every page showing one person's debt figures is audited
        assert AuditEntry.objects.filter(action="view_debt").count() == before + 1
    client.force_login(users[refused])
    assert client.get(url).status_code in (403, 404)


def test_it_never_shows_a_teacher_another_teachers_debt(client, users, debt, office, other_teacher):
    other_user = make_user("teacher2", TEACHER, office, person=other_teacher)
    client.force_login(other_user)
    assert client.get(f"/career/debt/{debt.person_id}/").status_code == 404
    assert "15,000" not in client.get("/career/debt/mine/").content.decode()


PA_PAGES = [
    ("/career/", TEACHER, None),
    ("/career/pa/", TEACHER, INSPECTOR),
    ("/career/pa/status/", INSPECTOR, TEACHER),
    ("/career/pa/status/", DIRECTOR, SUPERVISOR),
    ("/career/standing/", DIRECTOR, TEACHER),
    ("/career/standing/requests/new/", OFFICER, DIRECTOR),
]


@pytest.mark.parametrize(("url", "allowed", "refused"), PA_PAGES)
def test_it_guards_the_pa_pages(client, users, url, allowed, refused):
    client.force_login(users[allowed])
    assert client.get(url).status_code == 200
    if refused:
        client.force_login(users[refused])
        assert client.get(url).status_code in (403, 404)


def test_office_admins_edit_the_pa_and_debt_settings_with_an_audit_entry(client, users, office):
    client.force_login(users[OFFICER])
    assert client.get("/career/settings/").status_code == 403
    client.force_login(users[ADMIN])
    assert "/career/settings/" in client.get("/registry/settings/").content.decode()
    assert (
        client.post(
            "/career/settings/", {"pa_pass_pct": "101", "debt_net_min_pct": "30"}
        ).status_code
        == 200
    )
    response = client.post("/career/settings/", {"pa_pass_pct": "75", "debt_net_min_pct": "30"})
    assert response.status_code == 302
    rules = queries.rules_for(office)
    assert (rules.pa_pass_pct, rules.debt_net_min_pct) == (D("75"), D("30"))
    entry = AuditEntry.objects.get(object_type="careerrules")
    assert entry.actor == users[ADMIN] and entry.changes == {"pa_pass_pct": ["70.00", "75.00"]}


def test_the_pa_status_lists_schools_a_page_at_a_time(
    client, users, teacher_person, other_teacher, monkeypatch
):
    from career import views

    monkeypatch.setattr(views, "SCHOOLS_PER_PAGE", 1)
    client.force_login(users[ADMIN])
    pages = [client.get("/career/pa/status/", {"fy": 2568, "schools_page": n}).content.decode()
             for n in (1, 2)]  # fmt: skip
    assert "หน้า 1 จาก 2" in pages[0] and "หน้า 2 จาก 2" in pages[1]
    names = [p.school.name for p in (teacher_person, other_teacher)]
    assert [sum(name in page.split("<tfoot>")[0] for page in pages) for name in names] == [1, 1]
    # The totals stay the whole office's on every page.
    assert all('<th class="num">2</th>' in page.split("<tfoot>")[1] for page in pages)


def test_a_director_never_approves_their_own_pa(client, users, school, evaluators):
    """A school director is also a teacher of the school with a PA of their own: it reached
    their own approval queue and `decide_agreement` approved it. Now it is refused with a Thai
    reason, the page offers no decision, and neither the waiting count nor a notification
    asks them to decide it."""
    from notifications.models import Notification
    from reporting.queries import _pa_waiting

    director = users[DIRECTOR]
    director.person = make_person(director.office, school, first_name="ผอ", last_name="ตนเอง")
    director.save()
    a = actions.start_agreement(acting_user=director, person=director.person, fiscal_year=2568)
    _fill(a)
    actions.submit_agreement(acting_user=director, agreement=a)
    assert not Notification.objects.filter(recipient=director).exists()
    assert _pa_waiting(director, None) == []
    with pytest.raises(actions.CareerError, match="เรื่องของตนเอง"):
        actions.decide_agreement(acting_user=director, agreement=a, approve=True)
    a.refresh_from_db()
    assert a.status == PAStatus.SUBMITTED and a.approved_by is None
    client.force_login(director)
    page = client.get(f"/career/pa/{a.pk}/")
    assert page.status_code == 200 and page.context["may_decide"] is False


def test_going_back_to_the_form_after_sending_changes_nothing(client, users, teacher_person):
    """A teacher sent her PA, then went back to the edit page (or a second tab) and saved:
    she got a bare 403 page, and a save already under way overwrote what the director was
    approving. Now the page sends her to the agreement with a Thai reason naming its state,
    and save_agreement refuses under a lock."""
    teacher = users[TEACHER]
    a = actions.start_agreement(acting_user=teacher, person=teacher_person, fiscal_year=2568)
    _fill(a)
    actions.submit_agreement(acting_user=teacher, agreement=a)
    client.force_login(teacher)
    data = {"teaching_hours": "30", "support_hours": "0", "quality_hours": "0",
            "policy_hours": "0", "challenge_title": "เปลี่ยนใหม่", "challenge_method": "x"}  # fmt: skip
    page = client.post(f"/career/pa/{a.pk}/edit/", data, follow=True)
    assert page.redirect_chain[-1][0] == f"/career/pa/{a.pk}/"
    assert "“เสนอผู้อำนวยการ” แล้ว แก้ไขไม่ได้" in page.content.decode()
    stale = PAAgreement.objects.get(pk=a.pk)  # a tab opened while it was a draft
    stale.challenge_title = "เปลี่ยนใหม่"
    with pytest.raises(actions.CareerError, match="แก้ไขไม่ได้"):
        actions.save_agreement(acting_user=teacher, agreement=stale, items={})
    a.refresh_from_db()
    assert a.challenge_title == "การอ่านออกเขียนได้ ป.1" and a.status == PAStatus.SUBMITTED


def test_a_double_tap_on_start_lands_both_taps_on_one_agreement(users, teacher_person, monkeypatch):
    """Both taps on "start this year's PA" looked for an agreement before either wrote one;
    the second then hit the one-per-year constraint and showed a server error. Both now get
    the same agreement, with its 15 indicator rows once."""
    teacher = users[TEACHER]
    first = actions.start_agreement(acting_user=teacher, person=teacher_person, fiscal_year=2569)
    monkeypatch.setattr(actions, "_agreement_of", lambda person, fy: None)  # looked too early
    second = actions.start_agreement(acting_user=teacher, person=teacher_person, fiscal_year=2569)
    assert second.pk == first.pk and second.items.count() == 15


@pytest.mark.parametrize("note", ["เพิ่ม\x00ตัวชี้วัด", "ก" * 5001])
def test_a_director_note_the_database_cannot_store_is_refused_in_thai(client, users,
                                                                     teacher_person, note):  # fmt: skip
    a = actions.start_agreement(acting_user=users[TEACHER], person=teacher_person,
                                fiscal_year=2568)  # fmt: skip
    _fill(a)
    actions.submit_agreement(acting_user=users[TEACHER], agreement=a)
    url = f"/career/pa/{a.pk}/decide/"
    client.force_login(users[TEACHER])
    assert client.post(url, {"decision": "approve"}).status_code in (403, 404)
    client.force_login(users[DIRECTOR])
    for decision in ("approve", "return"):
        page = client.post(url, {"decision": decision, "note": note}, follow=True)
        assert "ความเห็นผู้อำนวยการ:" in page.content.decode()
    a.refresh_from_db()
    assert a.status == PAStatus.SUBMITTED and a.director_note == ""


def test_the_debt_form_saves_with_its_spare_deduction_rows_left_blank(
    client, users, debt, teacher_person
):
    """The two spare deduction rows show their creditor kind on its first choice, which the
    browser sends back: the untouched rows were refused as half filled, so a salary change
    could not be saved without typing two more debts."""
    from career.models import DebtProfile

    url = f"/career/debt/{teacher_person.pk}/edit/"
    client.force_login(users[ADMIN])
    sent = as_the_browser_sends(client.get(url).content.decode(), having="d-TOTAL_FORMS")
    assert sent["d-3-creditor_kind"] == "coop" and sent["d-3-creditor"] == ""
    response = client.post(url, sent | {"gross": "๓๒,๕๐๐"})
    assert response.status_code == 302
    profile = DebtProfile.objects.get(person=teacher_person)
    assert profile.gross_salary == D("32500") and profile.deductions.count() == 2


@pytest.mark.parametrize(
    "field", ["gross", "other_income", "d-0-monthly", "d-0-outstanding", "d-0-creditor"]
)
def test_a_debt_figure_past_its_column_is_refused_in_thai_and_the_page_still_opens(
    client, users, debt, teacher_person, field
):
    """20 digits (a pasted number) were stored by SQLite, after which the teacher's debt page
    failed on every visit; PostgreSQL refused them with a server error."""
    url = f"/career/debt/{teacher_person.pk}/edit/"
    data = {"gross": "30,000", "other_income": "0", "d-TOTAL_FORMS": "1", "d-INITIAL_FORMS": "0",
            "d-MIN_NUM_FORMS": "0", "d-MAX_NUM_FORMS": "1000", "d-0-creditor_kind": "coop",
            "d-0-creditor": "สหกรณ์", "d-0-monthly": "100", "d-0-outstanding": "1000"}  # fmt: skip
    data[field] = "๙๙๙๙๙๙๙๙๙๙๙๙๙๙๙๙๙๙๙๙" if field != "d-0-creditor" else "ก" * 201
    client.force_login(users[SUPERVISOR])
    assert client.post(url, data).status_code in (403, 404)
    client.force_login(users[ADMIN])
    response = client.post(url, data)
    # The number boxes say how many whole digits their column holds, as every box does.
    said = "หลักหน้าจุดทศนิยม" if field != "d-0-creditor" else "ยาวได้ไม่เกิน 200 ตัวอักษร"
    assert response.status_code == 200 and said in response.content.decode()
    assert client.get(url).status_code == 200
    assert client.get(f"/career/debt/{teacher_person.pk}/").status_code == 200


def test_a_deduction_rows_error_is_named_by_its_row_above_the_table(
    client, users, debt, teacher_person
):
    """On a phone the deduction table is a column of cards: a message under one box far down
    was all the page said. The summary above the table names the row and the box; the amount
    typed with its unit ("1,200 บ.") is read, as every money box reads it."""
    from career.models import DebtProfile

    url = f"/career/debt/{teacher_person.pk}/edit/"
    client.force_login(users[ADMIN])
    sent = as_the_browser_sends(client.get(url).content.decode(), having="d-TOTAL_FORMS")
    sent |= {"d-2-creditor": "ธนาคารออมสิน", "d-2-monthly": "หนึ่งพัน", "d-3-creditor": "สหกรณ์"}
    sent |= {"d-3-monthly": "1,200 บ.", "d-3-outstanding": "฿45,000.-"}
    page = client.post(url, sent).content.decode()
    assert "กรุณาแก้ไข 1 รายการก่อนบันทึก" in page
    assert "แถวที่ 3 · หักต่อเดือน (บาท): กรุณากรอกตัวเลข" in page
    sent["d-2-monthly"] = "๑,๐๐๐ บาท"
    assert client.post(url, sent).status_code == 302
    monthly = DebtProfile.objects.get(person=teacher_person).deductions.values_list(
        "creditor", "monthly", "outstanding"
    )
    assert ("ธนาคารออมสิน", D("1000"), D("0")) in monthly
    assert ("สหกรณ์", D("1200"), D("45000")) in monthly


# ------------------------------------------------------------------------- sent twice


def _approved(users, teacher_person):
    a = actions.start_agreement(acting_user=users[TEACHER], person=teacher_person, fiscal_year=2568)
    _fill(a)
    actions.submit_agreement(acting_user=users[TEACHER], agreement=a)
    actions.decide_agreement(acting_user=users[DIRECTOR], agreement=a, approve=True)
    return a


def test_the_same_committee_appointed_twice_is_audited_once(users, teacher_person, evaluators):
    """The evaluators' form sent again (a reload, Back and save) cleared the seats, made them
    anew and audited a second appointment of the same three people."""
    a = _approved(users, teacher_person)
    actions.assign_evaluators(acting_user=users[ADMIN], agreement=a, evaluators=evaluators)
    seats = list(a.evaluations.order_by("seat").values_list("pk", "seat", "evaluator_id"))
    entries = AuditEntry.objects.filter(object_type="paagreement", object_id=str(a.pk))
    audited = entries.count()
    actions.assign_evaluators(acting_user=users[ADMIN], agreement=a, evaluators=evaluators)
    assert list(a.evaluations.order_by("seat").values_list("pk", "seat", "evaluator_id")) == seats
    assert entries.count() == audited
    # Another committee is still a change, audited.
    actions.assign_evaluators(
        acting_user=users[ADMIN],
        agreement=a,
        evaluators=[evaluators[1], evaluators[0], evaluators[2]],
    )
    assert entries.count() == audited + 1


def test_the_same_scores_sent_twice_are_audited_once(users, teacher_person, evaluators):
    a = _approved(users, teacher_person)
    actions.assign_evaluators(acting_user=users[ADMIN], agreement=a, evaluators=evaluators)
    ids = list(a.edition.indicators.values_list("pk", flat=True))
    e = PAEvaluation.objects.get(agreement=a, evaluator=evaluators[0])
    sent = {"method": 3, "quant": 3, "qual": 3, "indicator_levels": dict.fromkeys(ids, 3),
            "comment": "ดี"}  # fmt: skip
    first = actions.submit_evaluation(acting_user=evaluators[0], evaluation=e, **sent)
    entries = AuditEntry.objects.filter(object_type="paagreement", object_id=str(a.pk))
    audited = entries.count()
    again = actions.submit_evaluation(acting_user=evaluators[0], evaluation=e, **sent)
    assert (again.submitted_at, again.total) == (first.submitted_at, first.total)
    assert entries.count() == audited
    # A score changed before the committee is complete is still saved and audited.
    changed = actions.submit_evaluation(acting_user=evaluators[0], evaluation=e,
                                        **{**sent, "method": 4})  # fmt: skip
    assert changed.total != first.total and entries.count() == audited + 1


def test_a_debt_case_sent_twice_is_saved_once(client, users, teacher_person, debt):
    """The new-case form sent twice (a double click, a reload) opened two cases of one
    request; a second case that says something else is still saved."""
    client.force_login(users[ADMIN])
    url = f"/career/debt/{teacher_person.pk}/cases/new/"
    form = {"opened_on": "01/03/2568", "creditor_kind": "coop", "request": "ขอปรับโครงสร้างหนี้",
            "outcome": "pending", "outcome_note": "", "assigned_officer": ""}  # fmt: skip
    page = client.post(url, form)
    assert page.status_code == 200 and "บันทึกไว้แล้ว" in page.content.decode()
    assert DebtCase.objects.filter(person=teacher_person).count() == 1
    assert client.post(url, {**form, "request": "ขอลดดอกเบี้ย"}).status_code == 302
    assert DebtCase.objects.filter(person=teacher_person).count() == 2
