"""What an officer sends is saved as sent, or refused whole saying why: a grid's row for
someone no longer on it is not dropped while the rest is saved; a score corrected on the
paper grid is audited old → new; a check-in is posted once (post, redirect, get)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.roles import Role
from krupd.testing import make_person
from registry.models import AuditEntry
from training import actions
from training.models import Attendance, Course, Enrolment, ResultSource, Session, TestAttempt

from .conftest import on_day
from .test_session_paperwork import _grid, _page_as_posted

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster(users, session, office, school, teacher_person, other_teacher):
    """Three enrolled participants of the two-day session."""
    session.capacity = 10
    session.save()
    officer = users[Role.DEVELOPMENT_OFFICER]
    third = make_person(office, school, first_name="มานี", last_name="มีนา")
    return [
        actions.enrol(acting_user=officer, session=session, person=p)
        for p in (teacher_person, other_teacher, third)
    ]


def _said(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


# ---------------------------------------------------------------- the roll call


def test_a_roll_call_ticking_someone_cancelled_meanwhile_is_refused_whole(
    client_for, users, session, roster
):
    """The page was opened with three people; one was cancelled before it was sent. The
    other two were saved and the third dropped without a word: now nothing is saved and
    the message names who is no longer a participant."""
    a, b, c = roster
    day = session.days.first()
    actions.cancel_enrolment(acting_user=users[Role.DEVELOPMENT_OFFICER], enrolment=c)
    url = reverse("training:roll_call", args=[day.pk])
    client = client_for(Role.DEVELOPMENT_OFFICER)
    response = client.post(url, {"shown": "1", "present": [a.pk, b.pk, c.pk]})
    assert response.status_code == 302 and response["Location"] == url
    said = _said(response)
    assert "ยังไม่ได้บันทึกการเข้าร่วม" in said and f"{c.person.full_name} (ยกเลิก)" in said
    assert not day.attendance.exists()
    assert not AuditEntry.objects.filter(object_type="sessionday").exists()
    # Sent again without them: saved.
    assert client.post(url, {"shown": "1", "present": [a.pk, b.pk]}).status_code == 302
    assert set(day.attendance.values_list("enrolment_id", flat=True)) == {a.pk, b.pk}


def test_a_roll_call_naming_a_row_of_no_participant_is_refused_without_a_name(
    client_for, users, session, roster, other_office
):
    """A row that is no enrolment here (another office's, or none at all) is counted, its
    person never named to this office."""
    course = Course.objects.create(office=other_office, title="หลักสูตรเขตอื่น", mode="workshop",
                                   hours=6, fiscal_year=2569)  # fmt: skip
    their_session = Session.objects.create(course=course, name="รุ่นที่ 1", capacity=5,
        start_date=session.start_date, end_date=session.start_date)  # fmt: skip
    person = make_person(other_office, None, first_name="ปรีดา", last_name="ต่างเขต")
    theirs = Enrolment.objects.create(course=course, session=their_session, person=person,
                                      status="enrolled")  # fmt: skip
    a = roster[0]
    day = session.days.first()
    client = client_for(Role.DEVELOPMENT_OFFICER)
    url = reverse("training:roll_call", args=[day.pk])
    response = client.post(url, {"present": [a.pk, theirs.pk, 987654]})
    said = _said(response)
    assert "รายชื่อที่ไม่ได้อยู่ในรุ่นนี้อีก 2 รายการ" in said
    assert theirs.person.full_name not in said
    assert not day.attendance.exists()


# ---------------------------------------------------------------- the paper score sheet


def test_a_score_sheet_typing_for_someone_cancelled_meanwhile_is_refused_whole(
    client_for, users, session, roster
):
    a, b, c = roster
    items = actions.survey_items_for(session.course.office)
    url = reverse("training:paper_scores", args=[session.pk])
    client = client_for(Role.DEVELOPMENT_OFFICER)
    page = client.get(url).content.decode()
    actions.cancel_enrolment(acting_user=users[Role.DEVELOPMENT_OFFICER], enrolment=c)
    typed = {f"post-{a.pk}": "18", f"post-{c.pk}": "15", "post_max": "20"}
    response = client.post(url, _page_as_posted(page, **typed))
    assert response.status_code == 200
    html = response.content.decode()
    assert "ยังไม่ได้บันทึกคะแนนจากกระดาษ" in html and f"{c.person.full_name} (ยกเลิก)" in html
    assert not TestAttempt.objects.exists()
    # Their cell left as the page showed it (blank) sends nothing: the rest is saved.
    typed[f"post-{c.pk}"] = ""
    assert client.post(url, _page_as_posted(page, **typed)).status_code == 302
    assert TestAttempt.objects.get().enrolment_id == a.pk
    # A row of no participant at all is refused too, counted.
    html = client.post(url, _grid(roster[:2], items, **{"post-987654": "12"})).content.decode()
    assert "รายชื่อที่ไม่ได้อยู่ในรุ่นนี้อีก 1 รายการ" in html


def test_scores_corrected_on_the_paper_grid_are_audited_old_to_new(
    client_for, users, session, roster
):
    """As the satisfaction answers beside them are: each score corrected, old → new; a
    sheet saved again as it was writes and audits nothing."""
    a, b, _ = roster
    items = actions.survey_items_for(session.course.office)
    url = reverse("training:paper_scores", args=[session.pk])
    client = client_for(Role.DEVELOPMENT_OFFICER)
    first = {f"pre-{a.pk}": "8", f"post-{a.pk}": "18", f"post-{b.pk}": "9"}
    assert client.post(url, _grid(roster, items, **first)).status_code == 302
    per_row = AuditEntry.objects.filter(
        object_type="enrolment", object_label__startswith="คะแนนจากกระดาษ"
    )
    assert not per_row.exists()  # typed into empty cells: new, counted by the sheet's entry
    corrected = {**first, f"pre-{a.pk}": "10", f"post-{b.pk}": ""}
    assert client.post(url, _grid(roster, items, **corrected)).status_code == 302
    entries = {e.object_id: e for e in per_row}
    assert entries[str(a.pk)].changes == {"คะแนนก่อนเรียน": ["8/20", "10/20"]}
    assert entries[str(a.pk)].action == "update"
    assert entries[str(b.pk)].changes == {"คะแนนหลังเรียน": ["9/20", None]}
    assert entries[str(b.pk)].action == "delete"
    audited = AuditEntry.objects.count()
    assert client.post(url, _grid(roster, items, **corrected)).status_code == 302
    assert AuditEntry.objects.count() == audited


def test_a_score_from_a_file_corrected_on_the_grid_says_where_it_came_from(users, session, roster):
    a = roster[0]
    TestAttempt.objects.create(enrolment=a, kind="post", number=1, score=9, max_score=10,
                               source=ResultSource.IMPORT)  # fmt: skip
    officer = users[Role.DEVELOPMENT_OFFICER]
    rows = [actions.PaperRow(enrolment=a, post=7)]
    actions.record_paper_scores(acting_user=officer, session=session, rows=rows, pre_max=None,
                                post_max=20)  # fmt: skip
    entry = AuditEntry.objects.get(object_id=str(a.pk), object_label__startswith="คะแนนจากกระดาษ")
    assert entry.changes == {
        "คะแนนหลังเรียน": ["9/10", "7/10"],
        "ที่มาคะแนนหลังเรียน": [ResultSource.IMPORT.label, ResultSource.PAPER.label],
    }


# ---------------------------------------------------------------- the QR check-in


def test_a_check_in_is_posted_then_shown_so_a_refresh_sends_nothing(
    client_for, users, session, teacher_person
):
    e = actions.enrol(acting_user=users[Role.TEACHER], session=session, person=teacher_person)
    day = session.days.first()
    url = reverse("training:checkin", args=[actions.checkin_token(day)])
    client = client_for(Role.TEACHER)
    with on_day(day.date):
        response = client.post(url)
        assert response.status_code == 302 and response["Location"] == url
        page = client.get(url)
    html = page.content.decode()
    assert "ลงเวลาแล้ว" in html and e.person.full_name in html
    assert "ลงเวลาเข้าร่วมวันที่" in html  # the message, shown after the redirect
    assert 'type="submit"' not in html.split("<main", 1)[-1].split("ลงเวลาแล้ว")[1]
    with on_day(day.date):
        again = client.get(url).content.decode()  # the refresh
    assert "ลงเวลาแล้ว" in again
    assert Attendance.objects.filter(day=day).count() == 1


def test_a_check_in_page_shows_no_one_elses_check_in(client_for, users, session, teacher_person):
    actions.enrol(acting_user=users[Role.TEACHER], session=session, person=teacher_person)
    day = session.days.first()
    token = actions.checkin_token(day)
    with on_day(day.date):
        actions.check_in(acting_user=users[Role.TEACHER], token=token)
    html = client_for(Role.SCHOOL_DIRECTOR).get(reverse("training:checkin", args=[token]))
    html = html.content.decode()
    assert "ยืนยันการลงเวลา" in html and teacher_person.full_name not in html


@pytest.mark.django_db(transaction=True)
def test_a_roll_call_that_fails_part_way_writes_nothing(users, session, roster, monkeypatch):
    """A day's roll call is one transaction: when judging the results after the attendance
    was written fails, the attendance is not left behind (a page that then errors has saved
    nothing, as the officer is told)."""
    a, b, _ = roster
    day = session.days.first()

    def failing(*args, **kwargs):
        raise RuntimeError("the results could not be judged")

    monkeypatch.setattr(actions, "refresh_results", failing)
    with pytest.raises(RuntimeError), on_day(day.date):
        actions.roll_call(acting_user=users[Role.DEVELOPMENT_OFFICER], day=day,
                          present_ids={a.pk, b.pk})  # fmt: skip
    assert not Attendance.objects.filter(day=day).exists()
