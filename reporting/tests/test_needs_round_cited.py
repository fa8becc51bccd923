"""Which needs round a report cites: the SAR's item 1 and the annual needs summary read the
same round, the latest one that has closed and has answers."""

import datetime as dt

import pytest
from django.utils import timezone

from planning.models import Competency, Rating, Response
from planning.tests.conftest import make_framework, make_round
from reporting.evidence import EvidenceContext, data_ready
from reporting.queries import current_fiscal_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered_round(office, teacher_person):
    """A round still open today, with one teacher's answers."""
    today = timezone.localdate()
    rnd = make_round(office, make_framework(office), opens=today - dt.timedelta(days=5),
                     closes=today + dt.timedelta(days=5))  # fmt: skip
    rnd.year = current_fiscal_year() - 1
    rnd.save()
    response = Response.objects.create(
        round=rnd, person=teacher_person, rater_kind="self", personnel_type="teacher",
        submitted_at=timezone.now(),
    )  # fmt: skip
    for c in Competency.objects.filter(domain__framework=rnd.framework):
        Rating.objects.create(response=response, competency=c, current=2, expected=5)
    return rnd


def _sar_cites(user, rnd) -> bool:
    ev = data_ready(EvidenceContext(user.office, current_fiscal_year(), user=user), {})
    return any(rnd.name in line for line in ev.lines)


def test_a_round_still_open_is_not_cited_until_it_closes(users, answered_round):
    from reporting.reports.summaries import NoData, export

    user = users["office_admin"]
    assert not _sar_cites(user, answered_round)
    with pytest.raises(NoData):
        export(user, kind="needs", fmt="xlsx", fiscal_year=current_fiscal_year())
    answered_round.closes = answered_round.opens = timezone.localdate() - dt.timedelta(days=1)
    answered_round.save()
    assert _sar_cites(user, answered_round)
    data, _name = export(user, kind="needs", fmt="xlsx", fiscal_year=current_fiscal_year())
    assert data
