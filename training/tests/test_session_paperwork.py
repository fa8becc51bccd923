"""Roll call with "all present", the sign-in sheet PDF, the roster workbook and paper scores."""

import io
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from krupd.testing import make_person
from training import actions
from training.models import ResultSource, SurveyResponse, TestAttempt, TestKind
from training.queries import evaluate_course
from training.rosters import official_date

from .conftest import answer_key, on_day

pytestmark = pytest.mark.django_db

OFFICE = [Role.OFFICE_ADMIN, Role.DEVELOPMENT_OFFICER]
NOT_OFFICE = [Role.SUPERVISOR, Role.SCHOOL_DIRECTOR, Role.TEACHER, Role.INSPECTOR]


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


def test_all_present_marks_everyone_enrolled(client_for, session, roster):
    day = session.days.first()
    client = client_for(Role.DEVELOPMENT_OFFICER)
    response = client.post(reverse("training:roll_call", args=[day.pk]), {"all_present": "1"})
    assert response.status_code == 302
    assert day.attendance.count() == 3


def _form_as_posted(html: str, ticked: set[int]) -> dict:
    """What the browser posts from the roll-call page as rendered: its hidden fields, and
    the boxes ticked."""
    hidden: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="(\d+)"', html):
        hidden.setdefault(name, []).append(value)
    return {**hidden, "present": [str(pk) for pk in ticked]}


def test_a_roll_call_page_left_open_keeps_the_qr_check_ins_made_meanwhile(
    client_for, users, session, roster, teacher_person
):
    """The officer opened the roll call, a participant checked in by QR on her phone, the
    officer ticked another and saved: the page had her box unticked, so saving deleted her
    check-in (and her hours). Only the boxes the officer changed change now."""
    day = session.days.first()
    officer = users[Role.DEVELOPMENT_OFFICER]
    actions.roll_call(acting_user=officer, day=day, present_ids={roster[2].pk})
    client = client_for(Role.DEVELOPMENT_OFFICER)
    url = reverse("training:roll_call", args=[day.pk])
    page = client.get(url).content.decode()
    teacher = users[Role.TEACHER]
    assert teacher.person_id == roster[0].person_id
    with on_day(day.date):  # meanwhile, at the venue
        actions.check_in(acting_user=teacher, token=actions.checkin_token(day))
    # The officer ticks the second participant and unticks the third (marked by mistake).
    response = client.post(url, _form_as_posted(page, {roster[1].pk}), follow=True)
    assert set(day.attendance.values_list("enrolment_id", flat=True)) == {
        roster[0].pk,
        roster[1].pk,
    }
    assert "รวมผู้ลงเวลาด้วย QR ระหว่างเช็กชื่อ 1 คน" in response.content.decode()
    # Posted again (Back and resubmit): the same, nothing lost.
    client.post(url, _form_as_posted(page, {roster[1].pk}))
    assert day.attendance.count() == 2


def test_cancelling_from_the_roster_names_whose_enrolment(client_for, users, session, roster):
    """A roster of thirty: "มีการลงเวลาหรือเกียรติบัตรแล้ว ยกเลิกไม่ได้" did not say whose."""
    day = session.days.first()
    actions.roll_call(acting_user=users[Role.DEVELOPMENT_OFFICER], day=day,
                      present_ids={roster[0].pk})  # fmt: skip
    client = client_for(Role.DEVELOPMENT_OFFICER)
    html = client.post(
        reverse("training:enrolment_cancel", args=[roster[0].pk]), follow=True
    ).content.decode()
    assert f"{roster[0].person.full_name}: มีการลงเวลาหรือเกียรติบัตรแล้ว ยกเลิกไม่ได้" in html
    html = client.post(
        reverse("training:enrolment_cancel", args=[roster[1].pk]), follow=True
    ).content.decode()
    assert f"ยกเลิกการลงทะเบียนของ {roster[1].person.full_name} แล้ว" in html


def test_roll_call_can_go_on_to_the_next_day(client_for, session, roster):
    first, second = session.days.all()
    client = client_for(Role.DEVELOPMENT_OFFICER)
    response = client.post(
        reverse("training:roll_call", args=[first.pk]), {"present": [roster[0].pk], "next": "1"}
    )
    assert response["Location"] == reverse("training:roll_call", args=[second.pk])
    assert list(first.attendance.values_list("enrolment_id", flat=True)) == [roster[0].pk]
    html = client.get(response["Location"]).content.decode()
    assert "วันที่ 2" in html and "มาครบทุกคน (3 คน)" in html and "data-confirm" in html


@pytest.mark.parametrize("role", NOT_OFFICE)
def test_roll_call_is_refused_outside_the_office(client_for, role, session, roster):
    day = session.days.first()
    url = reverse("training:roll_call", args=[day.pk])
    assert client_for(role).post(url, {"all_present": "1"}).status_code == 403
    assert day.attendance.count() == 0


def test_the_roster_asks_before_cancelling(client_for, session, roster):
    html = client_for(Role.DEVELOPMENT_OFFICER).get(reverse("training:roster", args=[session.pk]))
    assert 'data-confirm="ยกเลิกการลงทะเบียนของ' in html.content.decode()


@pytest.mark.parametrize("role", OFFICE)
def test_the_office_downloads_the_sign_in_sheet(client_for, role, session, roster):
    day = session.days.first()
    response = client_for(role).get(
        reverse("training:day_sign_in_sheet", args=[session.pk, day.pk])
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert _pages(response.content) == 1
    whole = client_for(role).get(reverse("training:sign_in_sheet", args=[session.pk]))
    assert _pages(whole.content) == 2  # one sheet per day of the two-day session


@pytest.mark.parametrize("role", NOT_OFFICE)
def test_others_may_not_print_the_sign_in_sheet(client_for, role, session, roster):
    response = client_for(role).get(reverse("training:sign_in_sheet", args=[session.pk]))
    assert response.status_code == 403


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b", pdf))


def test_a_sheet_of_several_days_is_the_document_fpdf2_writes(monkeypatch, session, roster):
    """The rows of the first day kept and copied into the next days' sheets (CertificatePdf)
    give the very bytes fpdf2 writes drawing every row again."""
    import datetime as dt

    from fpdf import FPDF

    from training import certificates
    from training.rosters import sign_in_sheet_pdf

    days = list(session.days.all())
    assert len(days) == 2
    made = []

    def render(pdf_class) -> bytes:
        class Dated(pdf_class):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.set_creation_date(dt.datetime(2026, 1, 12, 8, 0, tzinfo=dt.UTC))
                made.append(self)

        monkeypatch.setattr(certificates, "CertificatePdf", Dated)
        return sign_in_sheet_pdf(session, days, roster * 9)  # two pages a day

    kept = render(certificates.CertificatePdf)
    assert made[0].keep_every_cell and made[0]._drawn_cells
    assert kept == render(FPDF)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler's pdftotext")
def test_the_sign_in_sheet_lists_everyone_with_page_numbers(tmp_path, session, roster):
    from training.rosters import sign_in_sheet_pdf

    people = [roster[0]] * 50  # 20 rows on the first page, 24 on the next: three pages
    data = sign_in_sheet_pdf(session, [session.days.first()], people)
    assert _pages(data) == 3
    (tmp_path / "sheet.pdf").write_bytes(data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "sheet.pdf"), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    first, _, last = text.split("\f")[:3]
    # (pdftotext reorders some shaped Thai marks; these words come out whole)
    assert "ใบลงชื่อ" in first and "หน้า 1/3" in first
    assert "ลายมือชื่อ" in last and "หน้า 3/3" in last and " 50 " in last


def test_the_sign_in_sheet_heads_the_workplace_column_for_schools_and_the_office(
    users, session, roster, office
):
    """The office's own staff sign the sheet too: a supervisor's row read
    "สำนักงานเขตพื้นที่การศึกษา…" under a column headed "โรงเรียน"."""
    from krupd.testing import pdf_text
    from training.rosters import sign_in_sheet_pdf

    supervisor = make_person(office, None, first_name="นิเทศ", last_name="ทดสอบ")
    officer = users[Role.DEVELOPMENT_OFFICER]
    enrolment = actions.enrol(acting_user=officer, session=session, person=supervisor)
    data = sign_in_sheet_pdf(session, [session.days.first()], [*roster, enrolment])
    flat = "".join(pdf_text(data).split())
    assert "สถานศึกษา/หน่วยงาน" in flat and office.name.replace(" ", "") in flat


def test_official_date_has_the_weekday_and_buddhist_era(session):
    assert official_date(session.start_date) == "วันจันทร์ที่ 12 มกราคม พ.ศ. 2569"


@pytest.mark.parametrize("role", [*OFFICE, Role.SCHOOL_DIRECTOR])
def test_the_roster_workbook(client_for, role, users, session, roster, teacher_person):
    day = session.days.first()
    actions.roll_call(
        acting_user=users[Role.DEVELOPMENT_OFFICER], day=day, present_ids={roster[0].pk}
    )
    response = client_for(role).get(reverse("training:roster_xlsx", args=[session.pk]))
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    names = [ws.cell(r, 2).value for r in range(6, ws.max_row + 1)]
    # A director gets their own school's people only (the third one works elsewhere).
    assert len(names) == (2 if role == Role.SCHOOL_DIRECTOR else 3)
    row = names.index(teacher_person.full_name) + 6
    assert ws.cell(row, 8).value == "มา"


@pytest.mark.parametrize("role", [Role.TEACHER, Role.SUPERVISOR, Role.INSPECTOR])
def test_the_roster_workbook_is_refused_to_others(client_for, role, session, roster):
    assert (
        client_for(role).get(reverse("training:roster_xlsx", args=[session.pk])).status_code == 403
    )


# ---------------------------------------------------------------- paper scores


def _grid(roster, items, **cells):
    data = {"pre_max": "20", "post_max": "20"}
    for e in roster:
        data.setdefault(f"pre-{e.pk}", "")
        data.setdefault(f"post-{e.pk}", "")
    data.update(cells)
    return data


@pytest.mark.parametrize("role", OFFICE)
def test_paper_scores_count_in_results_and_the_evaluation(client_for, role, users, session, roster):
    items = actions.survey_items_for(session.course.office)
    a, b, c = roster
    for day in session.days.all():
        actions.roll_call(acting_user=users[role], day=day, present_ids={a.pk, b.pk, c.pk})
    cells = {
        f"pre-{a.pk}": "๘", f"post-{a.pk}": "18",
        f"pre-{b.pk}": "10", f"post-{b.pk}": "9",
        f"c-{a.pk}": "ดีมาก",
        **{f"s{i.pk}-{a.pk}": "5" for i in items},
    }  # fmt: skip
    url = reverse("training:paper_scores", args=[session.pk])
    response = client_for(role).post(url, _grid(roster, items, **cells))
    assert response.status_code == 302, response.content.decode()[:3000]
    a.refresh_from_db()
    b.refresh_from_db()
    c.refresh_from_db()
    assert (a.pre_score_pct, a.post_score_pct, a.passed) == (Decimal("40.0"), Decimal("90.0"), True)
    assert b.post_score_pct == Decimal("45.0") and not b.passed  # below the 60 % threshold
    assert not c.passed  # the workshop had a post-test; c has no score
    assert TestAttempt.objects.filter(source=ResultSource.PAPER).count() == 4
    assert SurveyResponse.objects.get(enrolment=a).source == ResultSource.PAPER
    ev = evaluate_course(users[role], session.course)
    assert ev.post_mean == pytest.approx(67.5) and ev.responses == 1 and ev.overall_mean == 5
    # Typed again with one cell cleared: that score is gone, nothing is duplicated.
    cells[f"post-{b.pk}"] = ""
    client_for(role).post(url, _grid(roster, items, **cells))
    assert TestAttempt.objects.filter(source=ResultSource.PAPER).count() == 3
    html = client_for(role).get(url).content.decode()
    assert 'value="18"' in html and 'value="ดีมาก"' in html


def _page_as_posted(html: str, **typed) -> dict:
    """What the browser posts from the score sheet as rendered, with `typed` typed in."""
    import html as html_lib

    data = {
        name: html_lib.unescape(value)
        for name, value in re.findall(r'<input type="\w+" name="([\w-]+)" value="([^"]*)"', html)
        if name != "csrfmiddlewaretoken"
    }
    for name in re.findall(r'<input type="text" name="([\w-]+)"(?![^>]*value=)', html):
        data.setdefault(name, "")
    return {**data, **typed}


def test_two_officers_typing_one_sheet_keep_each_others_scores(client_for, session, roster):
    """One officer typed the pre-test sheet while another had the grid open for the
    post-test: the second to save posted the other's cells blank, as her page had shown
    them, and deleted those scores. Only the cells typed into change now."""
    a, b, _ = roster
    url = reverse("training:paper_scores", args=[session.pk])
    first, second = client_for(Role.DEVELOPMENT_OFFICER), client_for(Role.OFFICE_ADMIN)
    stale = second.get(url).content.decode()  # opened before the pre-test is typed
    typed_pre = _page_as_posted(
        first.get(url).content.decode(),
        pre_max="20", **{f"pre-{a.pk}": "๘", f"pre-{b.pk}": "10"},
    )  # fmt: skip
    assert first.post(url, typed_pre).status_code == 302
    typed_post = _page_as_posted(stale, post_max="20", **{f"post-{a.pk}": "18"})
    assert second.post(url, typed_post).status_code == 302
    kept = {
        (t.enrolment_id, t.kind): t.score
        for t in TestAttempt.objects.filter(source=ResultSource.PAPER)
    }
    assert kept == {(a.pk, "pre"): 8, (b.pk, "pre"): 10, (a.pk, "post"): 18}
    # A cell she did clear is cleared.
    page = _page_as_posted(second.get(url).content.decode(), **{f"pre-{b.pk}": ""})
    assert second.post(url, page).status_code == 302
    assert not TestAttempt.objects.filter(enrolment=b, source=ResultSource.PAPER).exists()


def test_a_score_marked_absent_is_refused_saying_to_leave_the_cell_blank(
    client_for, session, roster
):
    """A paper sheet marks who missed the test ("ขาด", "-"); typed into the score cell it was
    refused as "ต้องเป็นจำนวนเต็ม" without saying what an absent person's cell should hold."""
    items = actions.survey_items_for(session.course.office)
    a, b, _ = roster
    url = reverse("training:paper_scores", args=[session.pk])
    cells = {f"post-{a.pk}": "๑๗ คะแนน", f"post-{b.pk}": "ขาด"}
    html = client_for(Role.DEVELOPMENT_OFFICER).post(url, _grid(roster, items, **cells))
    html = html.content.decode()
    assert f"({b.person.full_name}): คะแนนหลังเรียน ต้องเป็นจำนวนเต็ม (ผู้ที่ขาดสอบ ให้เว้นช่องนี้ว่างไว้)" in html
    assert 'value="๑๗ คะแนน"' in html  # what was typed stays
    assert not TestAttempt.objects.exists()
    cells[f"post-{b.pk}"] = ""
    assert (
        client_for(Role.DEVELOPMENT_OFFICER).post(url, _grid(roster, items, **cells)).status_code
        == 302
    )
    assert TestAttempt.objects.get(enrolment=a, kind="post").score == 17


def test_paper_scores_refuse_bad_rows_whole_and_name_them(client_for, session, roster):
    items = actions.survey_items_for(session.course.office)
    a, b, _ = roster
    url = reverse("training:paper_scores", args=[session.pk])
    cells = {
        f"post-{a.pk}": "25",
        f"pre-{b.pk}": "abc",
        f"post-{b.pk}": "8.5",
        f"s{items[0].pk}-{b.pk}": "4",
    }
    response = client_for(Role.DEVELOPMENT_OFFICER).post(url, _grid(roster, items, **cells))
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(rf"แถวที่ \d \({a.person.full_name}\): คะแนนหลังเรียน 25 เกินคะแนนเต็ม 20", html)
    # A score is a whole number: "ต้องเป็นตัวเลข" told whoever typed 8.5 that it was not a
    # number at all.
    assert f"({b.person.full_name}): คะแนนก่อนเรียน ต้องเป็นจำนวนเต็ม" in html
    assert f"({b.person.full_name}): คะแนนหลังเรียน ต้องเป็นจำนวนเต็ม" in html
    assert "ต้องตอบครบทุกข้อ (ข้อ 2 ยังว่าง)" in html
    assert not TestAttempt.objects.exists() and not SurveyResponse.objects.exists()


def test_a_refused_satisfaction_answer_is_not_called_blank(client_for, session, roster):
    """A 6 typed in item 1 (and nothing else but a comment) was told "ต้องไม่เกิน 5" and, in
    the same breath, "ข้อ 1 ยังว่าง": the refused answer was counted as blank. The blank item
    named is the first one really left empty."""
    items = actions.survey_items_for(session.course.office)
    _, b, _ = roster
    url = reverse("training:paper_scores", args=[session.pk])
    cells = {f"s{items[0].pk}-{b.pk}": "6", f"c-{b.pk}": "ดีมาก"}
    html = client_for(Role.DEVELOPMENT_OFFICER).post(url, _grid(roster, items, **cells))
    html = html.content.decode()
    assert f"({b.person.full_name}): ความพึงพอใจข้อ 1 ต้องไม่เกิน 5" in html
    assert "ข้อ 1 ยังว่าง" not in html
    assert f"({b.person.full_name}): แบบประเมินความพึงพอใจต้องตอบครบทุกข้อ (ข้อ 2 ยังว่าง)" in html
    assert not SurveyResponse.objects.exists()


def test_paper_scores_need_the_full_mark(client_for, session, roster):
    a = roster[0]
    url = reverse("training:paper_scores", args=[session.pk])
    data = {"pre_max": "", "post_max": "", f"post-{a.pk}": "12"}
    html = client_for(Role.DEVELOPMENT_OFFICER).post(url, data).content.decode()
    assert "กรอกคะแนนเต็มของแบบทดสอบหลังเรียนก่อน" in html


def test_paper_scores_wait_for_the_first_day_of_the_session(client_for, session, roster):
    import datetime as dt

    from django.utils import timezone

    start = timezone.localdate() + dt.timedelta(days=12)
    session.start_date, session.end_date = start, start + dt.timedelta(days=1)
    actions.save_session(acting_user=None, session=session)
    a = roster[0]
    url = reverse("training:paper_scores", args=[session.pk])
    data = {"pre_max": "20", "post_max": "20", f"post-{a.pk}": "18"}
    response = client_for(Role.DEVELOPMENT_OFFICER).post(url, data)
    assert response.status_code == 200
    assert "บันทึกคะแนนหรือแบบประเมินก่อนวันแรกของรุ่นไม่ได้" in response.content.decode()
    assert not TestAttempt.objects.exists()


def test_paper_scores_leave_online_work_alone(client_for, users, session, roster, questions):
    a = roster[0]
    teacher = users[Role.TEACHER]
    attempt = actions.start_attempt(acting_user=teacher, enrolment=a, kind=TestKind.PRE)
    actions.submit_attempt(acting_user=teacher, attempt=attempt, answers=answer_key(questions, 1))
    url = reverse("training:paper_scores", args=[session.pk])
    client = client_for(Role.DEVELOPMENT_OFFICER)
    assert "ในระบบ 33.3%" in client.get(url).content.decode()
    html = client.post(url, {"pre_max": "3", f"pre-{a.pk}": "3"}).content.decode()
    assert "ทำแบบทดสอบก่อนเรียนในระบบแล้ว" in html
    assert TestAttempt.objects.filter(source=ResultSource.PAPER).count() == 0


@pytest.mark.parametrize("role", NOT_OFFICE)
def test_paper_scores_are_refused_outside_the_office(client_for, role, session, roster):
    url = reverse("training:paper_scores", args=[session.pk])
    assert client_for(role).get(url).status_code == 403
    assert client_for(role).post(url, {"post_max": "20"}).status_code == 403


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler's pdftotext")
def test_the_sign_in_sheet_and_roster_follow_the_offices_thai_digits(
    client_for, tmp_path, session, roster
):
    rules = actions.rules_for(session.course.office)
    rules.thai_digits = True
    rules.save()
    client = client_for(Role.DEVELOPMENT_OFFICER)
    pdf = client.get(reverse("training:sign_in_sheet", args=[session.pk]))
    (tmp_path / "sheet.pdf").write_bytes(pdf.content)
    text = subprocess.run(["pdftotext", str(tmp_path / "sheet.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert "หน้า ๑/๑" in text and "๒๕๖๙" in text
    assert not re.search(r"[0-9]", text)
    book = client.get(reverse("training:roster_xlsx", args=[session.pk]))
    ws = load_workbook(io.BytesIO(book.content)).active
    assert ws.cell(6, 1).value == "๑"
    arabic = client.get(reverse("training:roster_xlsx", args=[session.pk]) + "?digits=arabic")
    assert load_workbook(io.BytesIO(arabic.content)).active.cell(6, 1).value == 1


def test_a_long_title_and_place_never_push_the_rows_into_the_footer(monkeypatch, session, roster):
    """A course title of three lines and a venue of two pushed the first page's 20 rows
    below the page's foot: the last rows were printed over "หน้า 1/3" and off the paper.
    The first page now takes as many rows as fit under its title block, the page count
    following."""
    from training import rosters

    bottoms: dict[int, float] = {}
    drawn = rosters._cell

    def cell(pdf, width, text, align, **kw):
        bottoms[pdf.page] = max(bottoms.get(pdf.page, 0), pdf.get_y() + kw.get("height", 10))
        drawn(pdf, width, text, align, **kw)

    monkeypatch.setattr(rosters, "_cell", cell)
    course = session.course
    course.title = "การพัฒนาครูด้านการจัดการเรียนรู้เชิงรุก (Active Learning) " * 5
    session.place = "ห้องประชุมใหญ่ชั้นสาม อาคารเฉลิมพระเกียรติ สำนักงานเขตพื้นที่การศึกษา " * 3
    people = [roster[0]] * 44
    data = rosters.sign_in_sheet_pdf(session, [session.days.first()], people)
    footer_top = 297 - rosters.MARGIN + 2
    assert bottoms and all(bottom <= footer_top - 2 for bottom in bottoms.values()), bottoms
    # The footer's page count is the number of pages printed.
    assert _pages(data) == len(bottoms) == 3
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True,
                              check=True).stdout.decode()  # fmt: skip
        assert "หน้า 3/3" in text and "หน้า 1/3" in text


def test_a_short_title_keeps_twenty_rows_on_the_first_page(session, roster):
    from training import rosters

    people = [roster[0]] * 44  # 20 + 24: two pages, as before
    data = rosters.sign_in_sheet_pdf(session, [session.days.first()], people)
    assert _pages(data) == 2


def test_a_paper_score_with_a_half_says_only_whole_points_are_recorded(client_for, session, roster):
    """ "12.5", "๑๒.๕" and "12,5" typed from a paper test were told "ต้องเป็นจำนวนเต็ม" (and
    "12,5" as if it were no number): the sheet now says that a test's score is kept in whole
    points only (the score column holds whole numbers), and records nothing."""
    items = actions.survey_items_for(session.course.office)
    a, b, c = roster
    cells = {f"post-{a.pk}": "12.5", f"post-{b.pk}": "๑๒.๕", f"pre-{c.pk}": "12,5"}
    url = reverse("training:paper_scores", args=[session.pk])
    response = client_for(Role.DEVELOPMENT_OFFICER).post(url, _grid(roster, items, **cells))
    html = response.content.decode()
    assert response.status_code == 200
    for person, label in ((a, "คะแนนหลังเรียน"), (b, "คะแนนหลังเรียน"), (c, "คะแนนก่อนเรียน")):
        assert re.search(
            rf"แถวที่ \d \({person.person.full_name}\): {label} ต้องเป็นจำนวนเต็ม \(ได้ “[\d.,]+”\): "
            "ระบบบันทึกคะแนนแบบทดสอบได้เฉพาะคะแนนเต็มหน่วย",
            html,
        ), person
    assert not TestAttempt.objects.exists()
