"""Shared cast (office, schools, people, a user per role) plus a small framework and round."""

import datetime as dt

import pytest

from krupd.testing import *  # noqa: F401,F403
from krupd.testing import make_person
from planning.models import Competency, Domain, Framework, Round, Topic

TODAY = dt.date.today()


def make_framework(office, *, code="TC", version="1", scale=(1, 5), items=("A", "B")):
    fw = Framework.objects.create(
        office=office, code=code, version=version, name="สมรรถนะครู", scale_min=scale[0],
        scale_max=scale[1], scale_labels=[str(v) for v in range(scale[0], scale[1] + 1)],
    )  # fmt: skip
    domain = Domain.objects.create(framework=fw, code="D1", name="สมรรถนะหลัก", sort_order=1)
    for i, code_ in enumerate(items, start=1):
        Competency.objects.create(domain=domain, code=code_, name=f"สมรรถนะ {code_}", sort_order=i)
    return fw


def make_round(office, fw, *, opens=None, closes=None):
    return Round.objects.create(
        office=office, year=2568, name="รอบ 2568", framework=fw,
        opens=opens or TODAY - dt.timedelta(days=5), closes=closes or TODAY + dt.timedelta(days=5),
        target_types=["teacher", "assistant_teacher"],
    )  # fmt: skip


@pytest.fixture
def fw(office):
    return make_framework(office)


@pytest.fixture
def rnd(office, fw):
    return make_round(office, fw)


@pytest.fixture
def comps(fw):
    return {c.code: c for c in Competency.objects.filter(domain__framework=fw)}


@pytest.fixture
def topic(office):
    return Topic.objects.create(office=office, name="การวิจัยในชั้นเรียน", competency_code="A")


@pytest.fixture
def colleague(office, school):
    """A second teacher in the director's school."""
    return make_person(office, school, first_name="มานี", last_name="มีนา")
