"""An evaluator's PA marks sent again over earlier ones are audited level by level, old →
new, as the paper grids audit theirs; the same marks sent again write nothing."""

import pytest

from accounts.roles import Role
from career import actions
from career.models import PAEvaluation
from registry.models import AuditEntry

from . import test_career
from .test_career import ADMIN, DIRECTOR, TEACHER, _fill

pytestmark = pytest.mark.django_db

evaluators = test_career.evaluators


@pytest.fixture
def evaluation(users, teacher_person, evaluators):
    a = actions.start_agreement(acting_user=users[TEACHER], person=teacher_person, fiscal_year=2568)
    _fill(a)
    actions.submit_agreement(acting_user=users[TEACHER], agreement=a)
    actions.decide_agreement(acting_user=users[DIRECTOR], agreement=a, approve=True)
    actions.assign_evaluators(acting_user=users[ADMIN], agreement=a, evaluators=evaluators)
    return PAEvaluation.objects.get(agreement=a, seat=1)


def test_a_corrected_evaluation_is_audited_old_to_new(evaluation, evaluators):
    a = evaluation.agreement
    indicators = list(a.edition.indicators.values_list("pk", "number"))
    levels = {pk: 3 for pk, _ in indicators}
    send = {"acting_user": evaluators[0], "evaluation": evaluation}
    actions.submit_evaluation(**send, indicator_levels=levels, method=3, quant=3, qual=3)
    entries = AuditEntry.objects.filter(object_type="paagreement", object_id=str(a.pk))
    first = entries.latest("pk").changes
    assert first == {"evaluator_1": [None, "75.00"]}  # a first scoring: no "before"
    (pk2, n2), (pk5, n5) = indicators[1], indicators[4]
    levels.update({pk2: 4, pk5: 2})
    actions.submit_evaluation(**send, indicator_levels=levels, method=3, quant=4, qual=3,
                              comment="ปรับตามหลักฐานเพิ่มเติม")  # fmt: skip
    changes = entries.latest("pk").changes
    assert changes[f"ตัวชี้วัดที่ {n2}"] == [3, 4] and changes[f"ตัวชี้วัดที่ {n5}"] == [3, 2]
    assert changes["ประเด็นท้าทาย: ผลเชิงปริมาณ"] == [3, 4]
    assert changes["ข้อเสนอแนะ"] == ["", "ปรับตามหลักฐานเพิ่มเติม"]
    assert changes["evaluator_1"][0] == "75.00"
    assert len(changes) == 5  # nothing unchanged is listed
    audited = entries.count()
    actions.submit_evaluation(**send, indicator_levels=levels, method=3, quant=4, qual=3,
                              comment="ปรับตามหลักฐานเพิ่มเติม")  # fmt: skip
    assert entries.count() == audited


def test_the_evaluation_page_is_for_the_evaluator_only(client, users, evaluation, evaluators):
    url = f"/career/pa/{evaluation.agreement_id}/evaluate/"  # the agreement's page
    client.force_login(evaluators[0])
    assert client.get(url).status_code == 200
    client.force_login(users[Role.TEACHER])
    assert client.get(url).status_code in (403, 404)
