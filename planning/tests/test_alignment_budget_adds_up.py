"""The alignment page's budget by strategy and by need add up to the plan's budget, as the
page says they do: a 1,000-baht project serving three strategies was 333.33 three times, a
column of 999.99 under a total of 1,000.00. Shares are whole satang now (333.34 + 333.33 +
333.33), whatever the number of items."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accounts.roles import Role
from planning import queries
from planning.models import BudgetLine, FrameItem, Plan, Project, StrategicFrame

pytestmark = pytest.mark.django_db


def test_budget_by_strategy_and_need_add_up_to_the_total(users, office, comps, topic):
    frame = StrategicFrame.objects.create(
        office=office, name="กรอบ", start_year=2569, end_year=2571
    )
    strategies = [
        FrameItem.objects.create(frame=frame, kind="strategy", number=n, text=f"กลยุทธ์ที่ {n}")
        for n in (1, 2, 3)
    ]
    plan = Plan.objects.create(office=office, kind="annual", title="แผน 2569", fiscal_year=2569,
                               end_year=2569, frame=frame)  # fmt: skip
    first = Project.objects.create(plan=plan, number=1, name="โครงการ 1")
    first.strategies.set(strategies)
    first.competencies.set(comps.values())
    first.topics.add(topic)
    BudgetLine.objects.create(project=first, item="ค่าอาหาร", amount=Decimal("1000"))
    zero = Project.objects.create(plan=plan, number=2, name="โครงการไม่ใช้งบ")
    zero.strategies.set(strategies[:2])
    BudgetLine.objects.create(project=zero, item="ไม่ใช้งบประมาณ", amount=Decimal("0"))

    al = queries.alignment(users[Role.DEVELOPMENT_OFFICER], plan)
    assert al.total_budget == Decimal("1000")
    assert sum(amount for _label, amount in al.by_strategy) == Decimal("1000")
    assert sum(amount for _label, amount in al.by_need) == Decimal("1000")
    assert sorted(amount for _label, amount in al.by_strategy) == [
        Decimal("333.33"), Decimal("333.33"), Decimal("333.34")
    ]  # fmt: skip


@given(
    amount=st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False),
    parts=st.integers(1, 40),
)
def test_shares_are_satang_that_add_up(amount, parts):
    shares = queries._shares(amount, parts)
    assert len(shares) == parts and sum(shares) == amount
    assert max(shares) - min(shares) <= Decimal("0.01")
