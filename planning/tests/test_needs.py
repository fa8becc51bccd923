"""PNI, means and SDs on hand-computed examples; drafts, D = 0 and empty rounds; slicing;
query counts that do not grow with data."""

import math

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from krupd.testing import make_person
from planning import actions, queries
from planning.models import RaterKind

from .conftest import make_framework, make_round

pytestmark = pytest.mark.django_db


def answer(rnd, person, ratings, *, submit=True, topics=None, kind=RaterKind.SELF):
    return actions.save_response(
        acting_user=None, rnd=rnd, person=person, rater_kind=kind, ratings=ratings,
        topics=topics, submit=submit,
    )  # fmt: skip


def test_it_computes_pni_mean_and_sd_by_hand(users, rnd, comps, office, school, teacher_person):
    a, b = comps["A"].pk, comps["B"].pk
    p2 = make_person(office, school, first_name="สอง")
    p3 = make_person(office, school, first_name="สาม")
    # A: D = 2, 3, 4 (mean 3, SD 1); I = 4, 5, 5 (mean 14/3, SD √(1/3)); PNI = (14/3 − 3)/3 = 5/9
    # B: D = 4, 4, 5 (mean 13/3); I = 4, 5, 5 (mean 14/3); PNI = (1/3)/(13/3) = 1/13
    answer(rnd, teacher_person, {a: (2, 4), b: (4, 4)})
    answer(rnd, p2, {a: (3, 5), b: (4, 5)})
    answer(rnd, p3, {a: (4, 5), b: (5, 5)})

    result = queries.analyse_needs(users[Role.DEVELOPMENT_OFFICER], rnd)

    first, second = result.competencies
    assert (first.code, first.rank, second.code, second.rank) == ("A", 1, "B", 2)
    assert first.n == 3
    assert first.mean_d == pytest.approx(3.0)
    assert first.sd_d == pytest.approx(1.0)
    assert first.mean_i == pytest.approx(14 / 3)
    assert first.sd_i == pytest.approx(math.sqrt(1 / 3))
    assert first.pni == pytest.approx(5 / 9)
    assert second.pni == pytest.approx(1 / 13)
    assert result.submitted == 3


def test_it_gives_tied_items_the_same_rank(users, rnd, comps, teacher_person):
    answer(rnd, teacher_person, {comps["A"].pk: (2, 4), comps["B"].pk: (2, 4)})
    ranks = [s.rank for s in queries.analyse_needs(users[Role.OFFICE_ADMIN], rnd).competencies]
    assert ranks == [1, 1]


def test_it_leaves_drafts_out_and_says_so(users, rnd, comps, teacher_person):
    answer(rnd, teacher_person, {comps["A"].pk: (1, 5)}, submit=False)
    result = queries.analyse_needs(users[Role.OFFICE_ADMIN], rnd)
    assert result.submitted == 0 and result.drafts == 1
    assert all(s.n == 0 and s.pni is None and s.rank is None for s in result.competencies)
    assert "ยังไม่มีแบบประเมินที่ส่งแล้ว" in result.warnings[0]
    assert "ร่างที่ยังไม่ส่ง 1 ฉบับ" in result.warnings[0]


def test_a_sent_form_saved_again_as_a_draft_stays_whole(users, rnd, comps, teacher_person):
    """A teacher sent her self-assessment, came back and pressed "save draft" with an item
    cleared: the form stayed "sent" with that item gone, so the needs figures counted her
    for A only. Now a sent form must stay complete, and the refusal says which item."""
    a, b = comps["A"].pk, comps["B"].pk
    answer(rnd, teacher_person, {a: (2, 4), b: (3, 5)})
    with pytest.raises(ValidationError, match="ยังไม่ได้ให้คะแนนครบ 1 ข้อ \\(B\\)"):
        answer(rnd, teacher_person, {a: (1, 4), b: (None, 5)}, submit=False)
    result = queries.analyse_needs(users[Role.OFFICE_ADMIN], rnd)
    assert result.submitted == 1 and [s.n for s in result.competencies] == [1, 1]
    assert [s.mean_d for s in result.competencies] == [2, 3]  # nothing half-written
    answer(rnd, teacher_person, {a: (1, 4), b: (3, 5)}, submit=False)  # whole: saved
    assert queries.analyse_needs(users[Role.OFFICE_ADMIN], rnd).competencies[0].mean_d == 1


def test_it_explains_an_empty_round_without_crashing(users, rnd, client_for):
    result = queries.analyse_needs(users[Role.OFFICE_ADMIN], rnd, by="school")
    assert result.is_empty and result.competencies[0].note == "ยังไม่มีผู้ตอบข้อนี้"
    response = client_for(Role.OFFICE_ADMIN).get(f"/planning/rounds/{rnd.pk}/needs/?by=school")
    assert "ยังไม่มีแบบประเมินที่ส่งแล้ว" in response.content.decode()


def test_it_ranks_d_zero_first_and_explains_it(users, office, teacher_person):
    fw = make_framework(office, code="Z", scale=(0, 4), items=("Z1", "Z2", "Z3"))
    rnd = make_round(office, fw)
    comps = {c.code: c.pk for c in fw.domains.get().competencies.all()}
    answer(rnd, teacher_person, {comps["Z1"]: (2, 3), comps["Z2"]: (0, 3), comps["Z3"]: (0, 0)})

    result = queries.analyse_needs(users[Role.OFFICE_ADMIN], rnd)

    by_code = {s.code: s for s in result.competencies}
    assert by_code["Z2"].pni is None and by_code["Z2"].rank == 1
    assert by_code["Z2"].pni_label == "หาค่าไม่ได้ (D = 0)" and "D เฉลี่ย = 0" in by_code["Z2"].note
    assert by_code["Z1"].rank == 2 and by_code["Z1"].pni == pytest.approx(0.5)
    assert by_code["Z3"].rank is None and "ไม่มีความต้องการ" in by_code["Z3"].note
    assert any("D เฉลี่ย = 0" in w for w in result.warnings)


def test_it_computes_topic_pni_and_counts_modes(users, rnd, comps, topic, teacher_person):
    actions.save_response(
        acting_user=None, rnd=rnd, person=teacher_person, rater_kind=RaterKind.SELF,
        ratings={c.pk: (3, 4) for c in comps.values()},
        topics=[actions.TopicInput(topic.pk, "", 2, 5), actions.TopicInput(None, "สอนเด็กพิเศษ", None, None)],
        modes=["plc", "online"], submit=True,
    )  # fmt: skip
    result = queries.analyse_needs(users[Role.OFFICE_ADMIN], rnd)
    t = next(s for s in result.topics if s.key == topic.pk)
    assert (t.chosen, t.n, t.pni) == (1, 1, pytest.approx(1.5))
    assert dict(result.modes)["อบรมออนไลน์"] == 1
    assert result.free_texts == [("สอนเด็กพิเศษ", 1)]


def test_it_slices_by_school_and_type(users, rnd, comps, teacher_person, other_teacher):
    answer(rnd, teacher_person, {comps["A"].pk: (2, 4), comps["B"].pk: (4, 4)})
    answer(rnd, other_teacher, {comps["A"].pk: (4, 4), comps["B"].pk: (2, 3)})
    result = queries.analyse_needs(users[Role.OFFICE_ADMIN], rnd, by="school")
    h = result.heatmap
    groups = {g[1]: g[0] for g in h.groups}
    assert set(groups) == {"โรงเรียนบ้านหนองไผ่", "โรงเรียนวัดท่าไม้"}
    assert h.cells[(comps["A"].pk, groups["โรงเรียนบ้านหนองไผ่"])].pni == pytest.approx(1.0)
    assert h.cells[(comps["A"].pk, groups["โรงเรียนวัดท่าไม้"])].pni == pytest.approx(0.0)
    by_type = queries.analyse_needs(users[Role.OFFICE_ADMIN], rnd, by="type").heatmap
    assert [g[1] for g in by_type.groups] == ["ครู"]


def test_it_keeps_query_counts_flat_as_answers_grow(users, rnd, comps, office, school, topic):
    def run():
        with CaptureQueriesContext(connection) as ctx:
            queries.analyse_needs(users[Role.OFFICE_ADMIN], rnd, by="network")
            queries.progress_by_school(users[Role.OFFICE_ADMIN], rnd)
        return len(ctx)

    person = make_person(office, school)
    answer(
        rnd,
        person,
        {c.pk: (3, 4) for c in comps.values()},
        topics=[actions.TopicInput(topic.pk, "", 2, 4)],
    )
    few = run()
    for i in range(12):
        p = make_person(office, school, first_name=f"ครู{i}")
        answer(
            rnd,
            p,
            {c.pk: (2 + i % 3, 5) for c in comps.values()},
            topics=[actions.TopicInput(topic.pk, "", 2, 4)],
        )
    assert run() == few


def test_it_keeps_the_framework_version_a_round_was_opened_with(
    users, rnd, comps, fw, teacher_person
):
    answer(rnd, teacher_person, {c.pk: (3, 4) for c in comps.values()})
    with pytest.raises(actions.WorkflowError):
        actions.save_framework(acting_user=users[Role.OFFICE_ADMIN], framework=fw)
    new = actions.copy_framework(acting_user=users[Role.OFFICE_ADMIN], framework=fw, version="2")
    Competency = type(comps["A"])
    actions.save_competency(
        acting_user=users[Role.OFFICE_ADMIN],
        competency=Competency(domain=new.domains.get(), code="C", name="ใหม่"),
    )
    result = queries.analyse_needs(users[Role.OFFICE_ADMIN], rnd)
    assert [s.code for s in result.competencies] == ["A", "B"]
    assert any("ฉบับใหม่แล้ว" in w for w in result.warnings)
