"""Schools of one name (several "บ้านหนองบัว" in one office, told apart by their OBEC code)
are rows of their own in the needs-assessment progress, the ID plan summary and the needs
heatmap, each named with its code; the rows still add up to the totals."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.roles import Role
from krupd.testing import make_person, make_school
from planning import actions, queries
from planning.models import IdPlan, RaterKind

pytestmark = pytest.mark.django_db


def answer(rnd, person, ratings):
    return actions.save_response(acting_user=None, rnd=rnd, person=person,
                                 rater_kind=RaterKind.SELF, ratings=ratings, submit=True)  # fmt: skip


@pytest.fixture
def twin(office, school):
    return make_school(office, code="1076010009", name=school.name)


def test_the_progress_by_school_names_namesakes_by_their_codes(users, rnd, office, school, twin):
    make_person(office, twin)
    rows = queries.progress_by_school(users[Role.OFFICE_ADMIN], rnd)
    assert {r.name for r in rows} >= {f"{school.name} (1076010001)", f"{school.name} (1076010009)"}
    assert school.name not in {r.name for r in rows}


def test_the_id_plan_summary_names_namesakes_by_their_codes(users, office, school, twin):
    other = make_person(office, twin)
    IdPlan.objects.create(person=other, year=2569, school=twin, status="approved")
    s = queries.id_plan_summary(users[Role.OFFICE_ADMIN], 2569)
    rows = {r["school"]: (r["teachers"], r["approved"]) for r in s.rows}
    assert rows[f"{school.name} (1076010009)"] == (1, 1)
    assert rows[f"{school.name} (1076010001)"][1] == 0


def test_the_heatmap_names_namesakes_by_their_codes(users, rnd, comps, office, school, twin):
    answer(rnd, make_person(office, school), {comps["A"].pk: (2, 4), comps["B"].pk: (4, 4)})
    answer(rnd, make_person(office, twin), {comps["A"].pk: (4, 4), comps["B"].pk: (4, 4)})
    h = queries.analyse_needs(users[Role.OFFICE_ADMIN], rnd, by="school").heatmap
    groups = {label: key for key, label, _n in h.groups}
    assert groups == {f"{school.name} (1076010001)": school.pk,
                      f"{school.name} (1076010009)": twin.pk}  # fmt: skip
    assert h.cells[(comps["A"].pk, school.pk)].pni == pytest.approx(1.0)
    assert h.cells[(comps["A"].pk, twin.pk)].pni == pytest.approx(0.0)


NAMES = st.lists(st.sampled_from(["โรงเรียนบ้านหนองบัว", "โรงเรียนบ้านหนองบัว ", "โรงเรียนวัดใหม่"]),
                 min_size=1, max_size=4)  # fmt: skip


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(names=NAMES, people=st.lists(st.tuples(st.integers(0, 3), st.booleans()), max_size=8))
def test_the_progress_rows_are_a_recount_by_school_id(users, rnd, comps, office, names, people):
    with transaction.atomic():
        schools = [make_school(office, code=f"10760300{i:02d}", name=name)
                   for i, name in enumerate(names)]  # fmt: skip
        for slot, submitted in people:
            person = make_person(office, schools[slot % len(schools)])
            if submitted:
                answer(rnd, person, {c.pk: (3, 4) for c in comps.values()})
        user = users[Role.OFFICE_ADMIN]
        rows = queries.progress_by_school(user, rnd)
        expected = {}
        for person in queries.target_people(user, rnd):
            done = person.assessments.filter(round=rnd, rater_kind=RaterKind.SELF,
                                             submitted_at__isnull=False).exists()  # fmt: skip
            row = expected.setdefault(person.school_id, [0, 0])
            row[0] += 1
            row[1] += done
        assert {r.school_id: [r.targets, r.submitted] for r in rows} == expected
        labels = [r.name for r in rows]
        assert len(set(labels)) == len(labels)
        # Every school shown under its name, with its code where a namesake is shown too.
        shown = {s.pk: s for s in schools}
        for r in rows:
            if r.school_id in shown:
                s = shown[r.school_id]
                assert r.name in (s.name, f"{s.name} ({s.obec_code})")
        transaction.set_rollback(True)
