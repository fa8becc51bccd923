"""A reason or note typed into a box no form reads is trimmed as a form's box is: a pasted
zero-width space (Word and web pages put them between Thai words) is nothing typed."""

import pytest

from accounts.roles import Role
from career import actions
from career.models import PAStatus
from career.tests.test_career import _evaluated, _fill, edition, evaluators  # noqa: F401

ADMIN, DIRECTOR, TEACHER = Role.OFFICE_ADMIN, Role.SCHOOL_DIRECTOR, Role.TEACHER
NOTHING_SEEN = " \u200b\u200c\ufeff "


def test_a_pa_is_not_returned_with_a_note_that_shows_nothing(
    users,
    teacher_person,
    edition,  # noqa: F811
):
    """Returned ("ส่งกลับให้แก้ไข") with only a zero-width space as the note sent the agreement back to
    the teacher with nothing to fix."""
    a = actions.start_agreement(acting_user=users[TEACHER], person=teacher_person, fiscal_year=2568)
    _fill(a)
    actions.submit_agreement(acting_user=users[TEACHER], agreement=a)
    with pytest.raises(actions.CareerError, match="กรุณาระบุสิ่งที่ครูต้องแก้ไข"):
        actions.decide_agreement(
            acting_user=users[DIRECTOR], agreement=a, approve=False, note=NOTHING_SEEN
        )
    a.refresh_from_db()
    assert a.status == PAStatus.SUBMITTED


def test_a_score_is_not_reopened_for_a_reason_that_shows_nothing(
    users,
    teacher_person,
    evaluators,  # noqa: F811
):
    a, _ids = _evaluated(users, teacher_person, evaluators)
    with pytest.raises(actions.CareerError, match="เหตุผลที่เปิดการประเมินอีกครั้ง: กรุณาระบุ"):
        actions.reopen_evaluation(
            acting_user=users[ADMIN], agreement=a, seat=3, reason=NOTHING_SEEN
        )
    a.refresh_from_db()
    assert a.status == PAStatus.EVALUATED
    actions.reopen_evaluation(
        acting_user=users[ADMIN], agreement=a, seat=3, reason="\u200bกรอกระดับผิด\u200b "
    )
    from registry.models import AuditEntry

    entry = AuditEntry.objects.filter(object_type="paagreement").latest("id")
    assert entry.changes["reopen_reason"] == [None, "กรอกระดับผิด"]
