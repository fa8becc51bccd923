"""Topics people type are counted by person and by what they say, not by row and spelling.

The ID plan summary printed "การวิจัยในชั้นเรียน 2 คน" for one teacher who wrote it twice in her
plan, and split one topic typed with a zero-width space, a double space or other letter case
into rows of its own; the needs page's free-text topics did the same."""

import pytest
from django.utils import timezone

from accounts.roles import Role
from krupd.lib.thai_dates import academic_year
from krupd.testing import make_person
from planning import actions, queries
from planning.models import IdPlan, IdPlanItem, RaterKind

pytestmark = pytest.mark.django_db


def test_id_plan_topics_count_teachers_once_whatever_the_spelling(users, office, school,
                                                                   teacher_person):  # fmt: skip
    year = academic_year(timezone.localdate())
    b = make_person(office, school, first_name="บี")
    c = make_person(office, school, first_name="ซี")
    titles = {
        teacher_person: ["การวิจัยในชั้นเรียน", "การวิจัยในชั้นเรียน", "Active Learning"],
        b: ["การวิจัย\u200bในชั้นเรียน", "active  learning"],
        c: ["การวิจัยในชั้นเรียน"],
    }
    for person, items in titles.items():
        plan = IdPlan.objects.create(person=person, year=year)
        for title in items:
            IdPlanItem.objects.create(plan=plan, title=title)

    summary = queries.id_plan_summary(users[Role.DEVELOPMENT_OFFICER], year)
    assert summary.topics == [("การวิจัยในชั้นเรียน", 3), ("Active Learning", 2)]


def test_free_text_topics_count_each_person_once(users, rnd, comps, office, school,
                                                 teacher_person):  # fmt: skip
    b = make_person(office, school, first_name="บี")
    ratings = {comps["A"].pk: (3, 4), comps["B"].pk: (3, 4)}
    for person, text in ((teacher_person, "สะเต็มศึกษา"), (b, "สะเต็ม\u200bศึกษา")):
        actions.save_response(
            acting_user=None, rnd=rnd, person=person, rater_kind=RaterKind.SELF,
            ratings=ratings, submit=True,
            topics=[actions.TopicInput(None, text, None, None)],
        )  # fmt: skip
    result = queries.analyse_needs(users[Role.DEVELOPMENT_OFFICER], rnd)
    assert result.free_texts == [("สะเต็มศึกษา", 2)]
