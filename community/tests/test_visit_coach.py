"""A visit's supervisor or coach is never one of those it supervised or coached."""

from accounts.roles import Role
from community.models import Visit
from krupd.testing import make_person, make_user


def test_a_coach_named_among_those_she_coached_is_refused(
    client, users, office, school, teacher_person
):
    """A mentoring visit by the school's lead teacher listed her among the teachers mentored:
    it was saved, and the visit then counted as mentoring she received (her PA evidence
    "ได้รับการโค้ช … (โดย นางสมศรี ใจดี)", one more person coached in the SAR)."""
    client.force_login(users[Role.SUPERVISOR])
    data = {"school": school.pk, "kind": "mentoring", "status": "done", "date": "๐๑/๐๖/๒๕๖๘",
            "visitor_name": f"  {teacher_person.first_name}\u200b {teacher_person.last_name} ",
            "focus": "การอ่าน", "people": [teacher_person.pk]}  # fmt: skip
    refused = client.post("/community/visits/new/", data)
    assert refused.status_code == 200
    assert f"ผู้รับการนิเทศ: {teacher_person.full_name} เป็นผู้นิเทศ/โค้ช" in refused.content.decode()
    with_title = client.post(
        "/community/visits/new/", {**data, "visitor_name": teacher_person.full_name}
    )
    assert with_title.status_code == 200 and Visit.objects.count() == 0
    # Her colleague mentored by her is what the visit records.
    colleague = make_person(office, school, first_name="มานี", last_name="มีนา")
    assert (
        client.post("/community/visits/new/", {**data, "people": [colleague.pk]}).status_code == 302
    )
    assert list(Visit.objects.get().people.all()) == [colleague]


def test_a_coach_recording_her_own_visit_is_not_among_those_coached(client, office, school):
    """The account that records the visit is its coach unless the box names another: a
    coach whose person is of the visited school cannot add herself to the people coached."""
    coach_person = make_person(office, school, first_name="ชุติมา", last_name="โค้ชดี")
    coach = make_user("coach1", Role.SUPERVISOR, office, person=coach_person)
    client.force_login(coach)
    data = {"school": school.pk, "kind": "coaching", "status": "done", "date": "01/06/2568",
            "visitor_name": "ศน.ประจำกลุ่ม", "focus": "การอ่าน", "people": [coach_person.pk]}  # fmt: skip
    refused = client.post("/community/visits/new/", data)
    assert refused.status_code == 200
    assert "นิเทศหรือโค้ชตนเองไม่ได้" in refused.content.decode()
    assert Visit.objects.count() == 0
