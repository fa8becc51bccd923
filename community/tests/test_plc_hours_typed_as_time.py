"""A PLC meeting's length typed as a time ("3:30", "๓ ชม. ๓๐ นาที", "90 นาที") is counted in
hours with decimals; "3.30" with no unit is the decimal 3.3, as before."""

from decimal import Decimal

import pytest

from accounts.roles import Role
from community.models import PLCMeeting

from .test_community import plc_group  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "typed, stored",
    [("3:30", "3.5"), ("๓ ชม. ๓๐ นาที", "3.5"), ("90 นาที", "1.5"), ("3.30", "3.3")],
)
def test_a_plc_meeting_logged_with_its_length_as_a_time_is_counted_in_hours(
    client,
    plc_group,  # noqa: F811
    users,
    teacher_person,
    typed,
    stored,
):
    """It was refused ("กรุณากรอกตัวเลข"; "3.30": "มีทศนิยมได้ไม่เกิน 1 ตำแหน่ง")."""
    client.force_login(users[Role.TEACHER])
    data = {"date": "๑๐/๐๖/๒๕๖๘", "hours": typed, "plan": "สังเกตชั้นเรียน",
            "attendees": [teacher_person.pk]}  # fmt: skip
    response = client.post(f"/community/plc/{plc_group.pk}/log/", data)
    assert response.status_code == 302
    assert PLCMeeting.objects.get(group=plc_group).hours == Decimal(stored)


def test_a_plc_meeting_length_that_cannot_be_kept_is_refused_in_thai(
    client,
    plc_group,  # noqa: F811
    users,
    teacher_person,
):
    client.force_login(users[Role.TEACHER])
    data = {"date": "๑๐/๐๖/๒๕๖๘", "hours": "1 ชม. 20 นาที", "plan": "สังเกตชั้นเรียน",
            "attendees": [teacher_person.pk]}  # fmt: skip
    response = client.post(f"/community/plc/{plc_group.pk}/log/", data)
    assert response.status_code == 200
    assert "เช่น 1.3" in response.content.decode()
    assert not PLCMeeting.objects.exists()


def test_only_members_and_managers_log_a_meeting_by_time(client, plc_group, users, teacher_person):  # noqa: F811
    data = {"date": "๑๐/๐๖/๒๕๖๘", "hours": "3:30", "plan": "สังเกตชั้นเรียน",
            "attendees": [teacher_person.pk]}  # fmt: skip
    client.force_login(users[Role.INSPECTOR])
    assert client.post(f"/community/plc/{plc_group.pk}/log/", data).status_code == 404
    assert not PLCMeeting.objects.exists()
