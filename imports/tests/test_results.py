"""Scores and satisfaction answers of a course session from a score sheet or a Google Form."""

import datetime as dt
import unicodedata
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from imports import actions
from imports.importers import CellError, norm_key, prepare
from imports.importers.results import full_marks_in_header, name_key, read_likert, read_score
from imports.models import BatchStatus, ImportBatch, ImportRow, RowStatus
from krupd.lib.numerals import to_thai_digits
from training import queries as training_queries
from training.actions import survey_items_for
from training.models import (
    Course,
    Enrolment,
    EnrolmentStatus,
    ResultSource,
    Session,
    SurveyAnswer,
    SurveyResponse,
)
from training.models import (
    TestAttempt as Attempt,
)

from .conftest import national_id, read_xlsx, upload_file, xlsx_bytes
from .test_properties import FAST, THAI, cells, thai_text


@pytest.fixture
def course(office):
    return Course.objects.create(
        office=office, title="การจัดการเรียนรู้เชิงรุก", mode="workshop", hours=Decimal("12"),
        fiscal_year=2569, min_attendance_pct=80, min_post_test_pct=60,
    )  # fmt: skip


@pytest.fixture
def session(course):
    return Session.objects.create(
        course=course, name="รุ่นที่ 1", start_date=dt.date(2026, 1, 12),
        end_date=dt.date(2026, 1, 13), capacity=40, hours_per_day=Decimal("6"),
    )  # fmt: skip


@pytest.fixture
def participants(session, make_person, school_a):
    people = [
        make_person(
            1, first_name="สมศรี", last_name="ใจดี", email="somsri@example.com", school=school_a
        ),
        make_person(2, first_name="สมชาย", last_name="รักเรียน", title="นาย", gender="male"),
        make_person(3, first_name="มานี", last_name="มีนา"),
    ]
    return [
        Enrolment.objects.create(
            course=session.course,
            session=session,
            person=p,
            status=EnrolmentStatus.ENROLLED,
            source="office",
        )  # fmt: skip
        for p in people
    ]


def start(user, session, content, name="scores.xlsx"):
    batch = actions.start_import(
        acting_user=user, kind="results", uploaded_file=upload_file(name, content), session=session
    )
    batch.refresh_from_db()
    return batch


def errors_of(batch):
    return {
        (r.row_number, e["column"]): e["message"]
        for r in ImportRow.objects.filter(batch=batch, status=RowStatus.ERROR)
        for e in r.errors
    }


def test_a_score_sheet_records_paper_scores_that_evaluation_counts(admin, session, participants):
    content = xlsx_bytes(
        [
            ["เลขประจำตัวประชาชน", "ชื่อ-นามสกุล", "คะแนนก่อนเรียน", "คะแนนหลังเรียน", "คะแนนเต็ม"],
            [national_id(1), "นางสมศรี ใจดี", 8, 17, 20],
            [f"'{national_id(2)}", "นายสมชาย รักเรียน", "๑๐", "18/20", None],
            [
                national_id(3)[:1] + "-" + national_id(3)[1:5] + " " + national_id(3)[5:],
                "",
                12,
                16,
                20,
            ],
            ["รวม 3 คน", None, None, None, None],
        ]
    )
    batch = start(admin, session, content)
    assert batch.status == BatchStatus.VALIDATED, batch.error_message or batch.notice
    assert batch.count_error == 0, errors_of(batch)
    assert batch.count_new == 3
    assert "รวม 3 คน" in str(batch.preview_notes)
    actions.request_apply(acting_user=admin, batch=batch)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPLIED, batch.error_message
    attempts = Attempt.objects.filter(source=ResultSource.IMPORT)
    assert attempts.count() == 6
    first = Enrolment.objects.get(pk=participants[0].pk)
    assert (first.pre_score_pct, first.post_score_pct) == (Decimal("40.0"), Decimal("85.0"))
    evaluation = training_queries.evaluate_course(admin, session.course)
    assert evaluation.pre_mean is not None and evaluation.post_mean > evaluation.pre_mean
    # The same file again changes nothing.
    again = start(admin, session, content)
    assert (again.count_new, again.count_changed, again.count_unchanged) == (0, 0, 3)


def google_form_csv(rows, items):
    header = ["ประทับเวลา", "ที่อยู่อีเมล", "คะแนน", "ชื่อ - นามสกุล", "เลขประจำตัวประชาชน 13 หลัก"]
    header += [f"ความพึงพอใจต่อการอบรม [{item.text}]" for item in items]
    header += ["ข้อเสนอแนะอื่นๆ"]
    lines = [",".join(header)] + [",".join(f'"{c}"' for c in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_a_google_forms_export_records_post_test_scores_and_satisfaction(
    client, admin, office, session, participants
):
    items = survey_items_for(office)
    answers = ["5", "มากที่สุด", "4 - มาก", "มาก", "ปานกลาง"]
    rows = [
        [
            "12/1/2026, 16:05:11",
            "somsri@example.com",
            "8 / 10",
            "นางสมศรี ใจดี",
            "",
            *answers,
            "ดีมากค่ะ",
        ],
        [
            "12/1/2026, 16:07:40",
            "x@example.com",
            "9 / 10",
            "นาย สมชาย  รักเรียน",
            national_id(2),
            *answers,
            "",
        ],
        [
            "12/1/2026, 16:09:02",
            "m@example.com",
            "6 / 10",
            "มานี มีนา",
            "1234567890123",
            *answers,
            "",
        ],
    ]
    client.force_login(admin)
    response = client.post(
        reverse("imports:session_upload", args=[session.pk]),
        {
            "kind": "results",
            "file": upload_file("แบบทดสอบหลังเรียน (การตอบกลับ).csv", google_form_csv(rows, items)),
        },
    )
    batch = ImportBatch.objects.latest("pk")
    assert response.status_code == 302 and batch.session == session
    # One "คะแนน" column: the officer says whether it is the pre- or the post-test.
    assert batch.status == BatchStatus.NEEDS_MAPPING
    mapping = {int(k): v for k, v in batch.mapping.items()}
    assert [mapping.get(i) for i in range(5, 5 + len(items))] == [f"item_{n}" for n in range(1, 6)]
    mapping[2] = "post_score"
    actions.save_mapping(acting_user=admin, batch=batch, mapping=mapping)
    batch.refresh_from_db()
    # Row 4's ID has a typo, but the name matches one participant: that participant.
    assert (batch.status, batch.count_error, batch.count_new) == (BatchStatus.VALIDATED, 0, 3), (
        errors_of(batch)
    )
    actions.request_apply(acting_user=admin, batch=batch)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPLIED
    responses = SurveyResponse.objects.filter(source=ResultSource.IMPORT)
    assert responses.count() == 3
    assert sorted(
        SurveyAnswer.objects.filter(response__enrolment=participants[0]).values_list(
            "score", flat=True
        )
    ) == [3, 4, 4, 5, 5]
    assert responses.get(enrolment=participants[0]).comment == "ดีมากค่ะ"
    evaluation = training_queries.evaluate_course(admin, session.course)
    assert evaluation.responses == 3 and evaluation.overall_mean == pytest.approx(4.2)
    assert Enrolment.objects.get(pk=participants[2].pk).post_score_pct == Decimal("60.0")


def test_it_names_rows_it_cannot_match_and_never_overwrites_online_answers(
    admin, session, participants
):
    Attempt.objects.create(
        enrolment=participants[0], kind="pre", score=2, max_score=3,
        submitted_at=dt.datetime(2026, 1, 12, 9, tzinfo=dt.UTC),
    )  # fmt: skip
    content = xlsx_bytes(
        [
            ["ชื่อ", "นามสกุล", "คะแนนก่อนเรียน", "คะแนนหลังเรียน"],
            ["สมศรี", "ใจดี", "5/10", "9/10"],  # row 2: took the pre-test online
            ["ใครก็ไม่รู้", "ไม่มีชื่อ", "5/10", "9/10"],  # row 3: not a participant
            ["สมชาย", "รักเรียน", "11/10", "abc"],  # row 4: impossible scores
            ["มานี", "มีนา", "5", ""],  # row 5: no full marks anywhere
            ["สมชาย", "รักเรียน", "5/10", ""],  # row 6: same person as row 4
            ["หมายเหตุ คะแนนเต็ม 10 คะแนน", None, None, None],  # row 7: a note
        ]
    )
    batch = start(admin, session, content)
    errors = errors_of(batch)
    assert "ทำแบบทดสอบก่อนเรียนในระบบแล้ว" in errors[(2, "คะแนนก่อนเรียน")]
    assert "ไม่พบ “ใครก็ไม่รู้ไม่มีชื่อ”" in errors[(3, "ชื่อ")] or "ไม่พบ" in errors[(3, "ชื่อ")]
    assert "มากกว่าคะแนนเต็ม" in errors[(4, "คะแนนก่อนเรียน")]
    assert "8/10" in errors[(4, "คะแนนหลังเรียน")]
    assert "คะแนนเต็ม" in errors[(5, "คะแนนก่อนเรียน")]
    assert "แถวที่ 6" in errors[(4, "ชื่อ")] and "แถวที่ 4" in errors[(6, "ชื่อ")]
    assert "หมายเหตุ คะแนนเต็ม" in str(batch.preview_notes)
    with pytest.raises(actions.ApplyRefused):
        actions.request_apply(acting_user=admin, batch=batch)
    assert not Attempt.objects.filter(source=ResultSource.IMPORT).exists()


def test_an_imported_score_replaces_the_earlier_imported_one_and_counts_once(
    admin, session, participants
):
    first = xlsx_bytes([["เลขประจำตัวประชาชน", "คะแนนหลังเรียน"], [national_id(1), "5/10"]])
    batch = start(admin, session, first)
    actions.request_apply(acting_user=admin, batch=batch)
    second = start(
        admin, session, xlsx_bytes([["เลขประจำตัวประชาชน", "คะแนนหลังเรียน"], [national_id(1), "70%"]])
    )
    assert (second.count_changed, second.count_error) == (1, 0)
    row = ImportRow.objects.get(batch=second)
    assert row.changes["post_score"][0].startswith("5/10")
    actions.request_apply(acting_user=admin, batch=second)
    attempts = Attempt.objects.filter(enrolment=participants[0], kind="post")
    assert [(a.score, a.max_score, a.source) for a in attempts] == [(70, 100, ResultSource.IMPORT)]
    assert Enrolment.objects.get(pk=participants[0].pk).post_score_pct == Decimal("70.0")


def test_a_name_typed_with_thai_vowels_split_matches_the_participant(
    admin, session, participants, make_person
):
    """แ typed as เเ and ำ as ํ + า (how many people type them) left the row "not found"."""
    person = make_person(4, first_name="แก้วตา", last_name="น้ำใจ")
    Enrolment.objects.create(course=session.course, session=session, person=person,
                             status=EnrolmentStatus.ENROLLED, source="office")  # fmt: skip
    typed = "นางเเก้วตา  น\u0e4d\u0e49\u0e32ใจ"
    batch = start(admin, session, xlsx_bytes([["ชื่อ-นามสกุล", "คะแนนหลังเรียน"], [typed, "8/10"]]))
    assert (batch.count_new, batch.count_error) == (1, 0), errors_of(batch)


@FAST
@given(word=st.text(alphabet=st.sampled_from("กขนมแ่้๊๋ำาใ"), min_size=1, max_size=8))
def test_split_vowels_read_as_the_vowel(word):
    # (เ before แ never occurs in Thai: "เเเ" could be read either way)
    typed = word.replace("แ", "เเ").replace("ำ", "\u0e4d\u0e32")
    assert norm_key(typed) == norm_key(word)


def test_a_score_cell_formatted_as_a_percentage_reads_as_one(admin, session, participants):
    """Excel and Google Sheets keep "85%" typed in a percentage cell as 0.85: it was refused
    as "คะแนนต้องเป็นจำนวนเต็มไม่ติดลบ (ได้ “0.85”)"."""
    rows = [
        ["เลขประจำตัวประชาชน", "คะแนนหลังเรียน"],
        [national_id(1), 0.85],
        [national_id(2), 0.59999],
    ]
    batch = start(admin, session, xlsx_bytes(rows))
    assert (batch.count_new, batch.count_error) == (2, 0)
    actions.request_apply(acting_user=admin, batch=batch)
    scores = [Enrolment.objects.get(pk=e.pk).post_score_pct for e in participants[:2]]
    assert scores == [Decimal("85.0"), Decimal("59.9")]  # never rounded up onto 60


def test_a_full_score_in_a_percentage_cell_is_100_percent_not_one_point(
    admin, session, participants
):
    """A score column formatted as a percentage stores 100 % as 1 (and 0 % as 0): the reader
    gave the number, so 100 % became a score of 1 and 0.85 relied on a guess. The reader now
    gives the percentage the cell shows."""
    import io

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["เลขประจำตัวประชาชน", "คะแนนหลังเรียน"])
    for n, value in ((1, 1), (2, 0.85), (3, 0.555)):
        sheet.append([national_id(n), value])
        sheet.cell(row=n + 1, column=2).number_format = "0%"
    buffer = io.BytesIO()
    workbook.save(buffer)
    batch = start(admin, session, buffer.getvalue())
    assert (batch.count_new, batch.count_error) == (3, 0)
    actions.request_apply(acting_user=admin, batch=batch)
    scores = [Enrolment.objects.get(pk=e.pk).post_score_pct for e in participants[:3]]
    assert scores == [Decimal("100.0"), Decimal("85.0"), Decimal("55.5")]


@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_a_percentage_score_column_reads_alike_from_an_older_workbook(
    admin, session, participants, fmt
):
    """The same score column saved as .xls (Excel 97–2003) or .ods (LibreOffice): its 100 %
    came through as 1, a score of one point ("ไม่ทราบคะแนนเต็ม"), and 0.555 only by a guess
    at fractions; it now reads as the percentage shown, as from an .xlsx."""
    from .test_older_formats import Percent, ods_bytes, xls_bytes

    rows = [["เลขประจำตัวประชาชน", "คะแนนหลังเรียน"]] + [
        [national_id(n), Percent(value, "0%")] for n, value in ((1, 1.0), (2, 0.85), (3, 0.555))
    ]
    content = xls_bytes(rows) if fmt == "xls" else ods_bytes(rows)
    batch = start(admin, session, content, name=f"scores.{fmt}")
    assert (batch.count_new, batch.count_error) == (3, 0), errors_of(batch)
    actions.request_apply(acting_user=admin, batch=batch)
    scores = [Enrolment.objects.get(pk=e.pk).post_score_pct for e in participants[:3]]
    assert scores == [Decimal("100.0"), Decimal("85.0"), Decimal("55.5")]


@pytest.mark.parametrize(
    "cell, read",
    [(0.85, "85%"), (Decimal("0.6667"), "66.6%"), ("66.67%", "66.6%"), ("๘๐ %", "80%"), (1, "1")],
)
def test_percentages_read_to_one_decimal_cut_not_rounded(cell, read):
    assert read_score(prepare(cell), None) == read


def test_a_file_that_gives_the_course_its_post_test_requires_it_of_everyone(
    admin, session, participants
):
    from training import actions as training_actions

    training_actions.save_session(acting_user=admin, session=session)  # its attendance days
    for day in session.days.all():
        training_actions.roll_call(
            acting_user=admin, day=day, present_ids={e.pk for e in participants}
        )
    assert all(Enrolment.objects.get(pk=e.pk).passed for e in participants)
    batch = start(
        admin,
        session,
        xlsx_bytes([["เลขประจำตัวประชาชน", "คะแนนหลังเรียน"], [national_id(1), "8/10"]]),
    )
    actions.request_apply(acting_user=admin, batch=batch)
    first, *others = (Enrolment.objects.get(pk=e.pk) for e in participants)
    assert first.passed
    # The two the file does not name have not reached the post-test the course now has
    # (and its window closed long ago: they did not pass).
    for e in others:
        assert not e.passed and e.hours_credited == 0
        assert e.result_reasons == ["ยังไม่ได้ทำแบบทดสอบหลังเรียน"]


def test_scores_for_a_session_that_has_not_begun_are_refused_by_row(admin, session, participants):
    from django.utils import timezone

    first_day = timezone.localdate() + dt.timedelta(days=12)
    Session.objects.filter(pk=session.pk).update(start_date=first_day, end_date=first_day)
    session.refresh_from_db()
    sheet = xlsx_bytes([["เลขประจำตัวประชาชน", "คะแนนหลังเรียน"], [national_id(1), "8/10"]])
    batch = start(admin, session, sheet)
    assert batch.count_error == 1
    (message,) = errors_of(batch).values()
    assert message.startswith("รุ่นนี้เริ่มวันที่ ")
    assert message.endswith(" บันทึกคะแนนหรือแบบประเมินก่อนวันแรกของรุ่นไม่ได้")


def test_the_session_template_lists_participants_and_validates_as_it_is(
    client, admin, office, session, participants
):
    client.force_login(admin)
    response = client.get(reverse("imports:session_template", args=[session.pk]))
    content = b"".join(response.streaming_content)
    rows = read_xlsx(content)
    assert rows[0][:4] == ("ลำดับ", "เลขประจำตัวประชาชน", "ชื่อ-นามสกุล", "สถานศึกษา")
    assert survey_items_for(office)[0].text in rows[0]
    assert {r[1] for r in rows[1:]} == {national_id(n) for n in (1, 2, 3)}
    batch = start(admin, session, content)
    assert (batch.status, batch.count_error, batch.count_unchanged) == (BatchStatus.VALIDATED, 0, 3)


def test_only_who_manages_training_and_imports_may_import_a_sessions_results(
    client, admin, officer, supervisor, director, teacher, inspector, session, participants
):
    pages = [
        reverse("imports:session_upload", args=[session.pk]),
        reverse("imports:session_template", args=[session.pk]),
    ]
    for user in (admin, officer):
        client.force_login(user)
        for url in pages:
            assert client.get(url).status_code == 200, (user, url)
        roster = client.get(reverse("training:roster", args=[session.pk])).content.decode()
        assert reverse("imports:session_upload", args=[session.pk]) in roster
    for user in (supervisor, director, teacher, inspector):
        client.force_login(user)
        for url in pages:
            assert client.get(url).status_code == 403, (user, url)
    client.force_login(director)
    roster = client.get(reverse("training:roster", args=[session.pk])).content.decode()
    assert reverse("imports:session_upload", args=[session.pk]) not in roster


def test_an_admin_of_another_office_cannot_reach_the_session(client, other_admin, session):
    client.force_login(other_admin)
    assert client.get(reverse("imports:session_upload", args=[session.pk])).status_code == 404


def test_a_results_file_needs_its_session_and_the_general_upload_does_not_offer_it(
    client, admin, session
):
    client.force_login(admin)
    assert 'value="results"' not in client.get(reverse("imports:upload")).content.decode()
    content = xlsx_bytes([["เลขประจำตัวประชาชน", "คะแนนหลังเรียน"], [national_id(1), "5/10"]])
    assert (
        client.post(
            reverse("imports:upload"), {"kind": "results", "file": upload_file("a.xlsx", content)}
        ).status_code
        == 200
    )
    assert not ImportBatch.objects.exists()


# ---------------------------------------------------------------- cell readers, messy input


@FAST
@given(raw=cells)
def test_score_and_likert_cells_read_as_a_value_or_a_thai_error(raw):
    for read in (read_score, read_likert):
        try:
            value = prepare(raw)
            if value is not None:
                read(value, None)
        except CellError as error:
            assert THAI.search(str(error)), (raw, str(error))


@FAST
@given(
    score=st.integers(0, 100),
    extra=st.integers(0, 100),
    thai=st.booleans(),
    spaces=st.sampled_from(["", " ", "  "]),
)
def test_a_google_forms_score_reads_back_whatever_digits_and_spacing(score, extra, thai, spaces):
    full = score + extra or 1
    text = f"{score}{spaces}/{spaces}{full}"
    assert read_score(prepare(to_thai_digits(text) if thai else text), None) == f"{score}/{full}"


@FAST
@given(
    first=thai_text.filter(lambda t: len(t.strip()) > 1),
    last=thai_text.filter(lambda t: len(t.strip()) > 1),
    title=st.sampled_from(["", "นาย", "นาง", "นางสาว", "น.ส.", "ดร.", "ว่าที่ร้อยตรี"]),
    gap=st.sampled_from([" ", "  ", "\u00a0", ""]),
)
def test_names_match_whatever_title_and_spacing(first, last, title, gap):
    assume_text = norm_key(first + last)
    if not assume_text or any(
        assume_text.startswith(norm_key(t)) for t in ("นาย", "นาง", "นส", "ดร", "ว่าที่", "ครู") if t
    ):
        return
    if unicodedata.category(first.strip()[0]) == "Mn":
        return  # no name opens with a vowel or tone mark: "นายิกา" is a name, not นาย + ิกา
    assert name_key(f"{title}{first}{gap}{last}") == assume_text


# ---------------------------------------------------------------- full marks in the heading


@FAST
@given(
    full=st.integers(1, 1000),
    base=st.sampled_from(["คะแนนก่อนเรียน", "คะแนนหลังอบรม", "Pre-test", "หลังเรียน"]),
    form=st.sampled_from(
        [
            "{b} ({n} คะแนน)",
            "{b}\n(เต็ม {n})",
            "{b} (เต็ม {n} คะแนน)",
            "{b} ({n})",
            "{b}/{n}",
            "{b} (คะแนนเต็ม {n})",
            "{b} ({n} points)",
        ]
    ),  # fmt: skip
    thai=st.booleans(),
)
def test_the_full_marks_a_score_heading_states_are_read(full, base, form, thai):
    header = form.format(b=base, n=to_thai_digits(str(full)) if thai else full)
    assert full_marks_in_header(header) == full
    assert full_marks_in_header(base) is None


def test_a_paper_sheet_stating_full_marks_in_its_headings_imports(admin, session, participants):
    """ "คะแนนก่อนอบรม (20 คะแนน)": every plain score was refused as "ไม่ทราบคะแนนเต็ม"."""
    rows = [
        ["ผลการทดสอบก่อนและหลังการอบรม"],
        ["ลำดับ", "คำนำหน้า", "ชื่อ", "สกุล", "คะแนนก่อนอบรม\n(20 คะแนน)", "คะแนนหลังอบรม\n(เต็ม ๔๐)"],
        [1, "นาง", "สมศรี", "ใจดี", "๘", "๓๔"],
        [2, "นาย", "สมชาย", "รักเรียน", 10, 41],
        [3, "นาง", "มานี", "มีนา", 12, "30/40"],
    ]
    batch = start(admin, session, xlsx_bytes(rows))
    assert batch.status == BatchStatus.VALIDATED, batch.error_message
    assert errors_of(batch) == {(4, "คะแนนหลังอบรม (เต็ม 40)"): "คะแนน 41 มากกว่าคะแนนเต็ม 40"}
    rows[3][5] = 40
    batch = start(admin, session, xlsx_bytes(rows))
    assert (batch.count_new, batch.count_error) == (3, 0), errors_of(batch)
    actions.request_apply(acting_user=admin, batch=batch)
    first = Enrolment.objects.get(pk=participants[0].pk)
    assert (first.pre_score_pct, first.post_score_pct) == (Decimal("40.0"), Decimal("85.0"))


def test_plain_numbers_under_a_percentage_heading_are_percentages(admin, session, participants):
    """ "หลังเรียน (%)" over 90: every plain number was refused as "ไม่ทราบคะแนนเต็ม"."""
    rows = [
        ["ผลการทดสอบ (คิดเป็นร้อยละ)"],
        ["เลขประจำตัวประชาชน", "คะแนนก่อนเรียน (ร้อยละ)", "หลังเรียน (%)"],
        [national_id(1), "๔๐", 85],
        [national_id(2), "50 %", 0.9],  # typed with its sign, a cell formatted as a percentage
        [national_id(3), 60, 101],
    ]
    batch = start(admin, session, xlsx_bytes(rows))
    assert batch.status == BatchStatus.VALIDATED, batch.error_message or batch.notice
    assert errors_of(batch) == {(5, "หลังเรียน (%)"): "ร้อยละเกิน 100 (ได้ “101”)"}
    rows[4][2] = 80
    batch = start(admin, session, xlsx_bytes(rows))
    assert (batch.count_new, batch.count_error) == (3, 0), errors_of(batch)
    actions.request_apply(acting_user=admin, batch=batch)
    scores = [
        (e.pre_score_pct, e.post_score_pct)
        for e in Enrolment.objects.filter(pk__in=[p.pk for p in participants]).order_by("pk")
    ]
    assert scores == [
        (Decimal("40.0"), Decimal("85.0")),
        (Decimal("50.0"), Decimal("90.0")),
        (Decimal("60.0"), Decimal("80.0")),
    ]


@pytest.mark.parametrize("absent", ["ขาด", "ขาดสอบ", "ไม่ได้สอบ", " ลา ", "Absent"])
def test_a_participant_marked_absent_from_a_test_has_no_score_for_it(
    admin, session, participants, absent
):
    rows = [
        ["เลขประจำตัวประชาชน", "คะแนนก่อนเรียน", "คะแนนหลังเรียน", "คะแนนเต็ม"],
        [national_id(1), absent, 17, 20],
        [national_id(2), 10, 18, 20],
    ]
    batch = start(admin, session, xlsx_bytes(rows))
    assert (batch.count_new, batch.count_error) == (2, 0), errors_of(batch)
    actions.request_apply(acting_user=admin, batch=batch)
    first = Enrolment.objects.get(pk=participants[0].pk)
    assert (first.pre_score_pct, first.post_score_pct) == (None, Decimal("85.0"))
    assert Attempt.objects.filter(source=ResultSource.IMPORT).count() == 3


@pytest.mark.parametrize(
    "written, key",
    [("นายิกา สุขใจ", "นายิกาสุขใจ"), ("นางสาวิตรี ใจดี", "สาวิตรีใจดี"),
     ("ว่าที่ร้อยตรี ดร.สมชาย ใจดี", "สมชายใจดี"), ("ว่าที่ ร้อยตรี ครูสมศรี ใจดี", "สมศรีใจดี")],
)  # fmt: skip
def test_a_name_loses_its_titles_and_nothing_of_the_name(written, key):
    """ "นายิกา" lost นาย (no participant is called "ิกา"); a second title stayed on."""
    assert name_key(written) == key


def test_a_results_import_that_fails_a_certificate_holder_records_since_when(
    admin, session, participants
):
    """The bulk path: a score file gives the course its post-test, so a participant it does
    not name no longer passes; their certificate goes under review, with the moment it was
    flagged recorded in the import's own transaction."""
    from django.utils import timezone

    from credentials import verification
    from training import actions as training_actions
    from training.models import Certificate

    training_actions.save_session(acting_user=admin, session=session)
    for day in session.days.all():
        training_actions.roll_call(
            acting_user=admin, day=day, present_ids={e.pk for e in participants}
        )
    certificate = training_actions.issue_certificate(acting_user=admin, enrolment=participants[1])
    assert verification.verify_stored(certificate.code).ok
    assert certificate.review_flagged_at is None
    before = timezone.now()
    batch = start(
        admin,
        session,
        xlsx_bytes([["เลขประจำตัวประชาชน", "คะแนนหลังเรียน"], [national_id(1), "8/10"]]),
    )
    actions.request_apply(acting_user=admin, batch=batch)
    certificate = Certificate.objects.get(pk=certificate.pk)
    assert certificate.needs_review
    assert before <= certificate.review_flagged_at <= timezone.now()
    assert verification.verify_stored(certificate.code).state == "under_review"


def _imported_post_score(admin, session, participants, score: str) -> None:
    content = xlsx_bytes([["เลขประจำตัวประชาชน", "คะแนนหลังเรียน"], [national_id(1), score]])
    batch = start(admin, session, content)
    actions.request_apply(acting_user=admin, batch=batch)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPLIED, batch.error_message


def _paper_grid(client, session) -> tuple[str, dict]:
    from krupd.testing import as_the_browser_sends

    url = reverse("training:paper_scores", args=[session.pk])
    return url, as_the_browser_sends(client.get(url).content.decode(), having="post_max")


@pytest.mark.parametrize("typed", ["3", ""])
def test_a_wrongly_imported_post_test_score_is_corrected_on_the_paper_grid(
    admin, client, session, participants, typed
):
    """A post-test score imported from a file is the session's offline score, as one typed
    on the paper grid is: the grid shows it in the participant's cell, and correcting the
    cell corrects it (clearing it removes it). The grid showed it as done "in the system",
    and the corrected score was added beside it as a second paper attempt: the best attempt
    counts, so the wrong 9/10 still passed the participant whatever the officer typed."""
    _imported_post_score(admin, session, participants, "9/10")
    enrolment = Enrolment.objects.get(pk=participants[0].pk)
    assert enrolment.post_score_pct == Decimal("90.0")
    client.force_login(admin)
    url, data = _paper_grid(client, session)
    assert data[f"post-{enrolment.pk}"] == "9" and data["post_max"] == "10"
    data[f"post-{enrolment.pk}"] = typed
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    enrolment.refresh_from_db()
    attempts = Attempt.objects.filter(enrolment=enrolment, kind="post")
    if typed:
        assert [(a.score, a.max_score) for a in attempts] == [(3, 10)]
        assert enrolment.post_score_pct == Decimal("30.0")
    else:
        assert not attempts.exists()
        assert enrolment.post_score_pct is None
    assert "คะแนนหลังเรียน 90" not in " ".join(enrolment.result_reasons)


def test_correcting_one_imported_score_on_the_paper_grid_keeps_each_files_full_marks(
    admin, client, session, participants
):
    """Imported scores keep the full marks of their file (a percentage is out of 100, a
    raw score out of the file's): the grid's one full-marks box neither rescales the ones
    left as they were nor the one corrected, which stays out of its own full marks."""
    content = xlsx_bytes(
        [["เลขประจำตัวประชาชน", "คะแนนหลังเรียน"], [national_id(1), "70%"], [national_id(2), "9/10"]]
    )
    batch = start(admin, session, content)
    actions.request_apply(acting_user=admin, batch=batch)
    client.force_login(admin)
    url, data = _paper_grid(client, session)
    second = participants[1]
    assert data[f"post-{second.pk}"] == "9"
    assert "จากไฟล์ 9/10" in client.get(url).content.decode()
    data[f"post-{second.pk}"] = "3"
    assert client.post(url, data).status_code == 302
    scores = {
        a.enrolment_id: (a.score, a.max_score)
        for a in Attempt.objects.filter(kind="post", enrolment__in=participants)
    }
    assert scores == {participants[0].pk: (70, 100), second.pk: (3, 10)}
    assert Enrolment.objects.get(pk=second.pk).post_score_pct == Decimal("30.0")


# ---------------------------------------------------------------- imported answers corrected


def _imported_answers(admin, session, rows: dict) -> list:
    """Satisfaction answers imported from a file: {participant serial: [answers…, comment]}."""
    items = survey_items_for(session.course.office)
    header = ["เลขประจำตัวประชาชน", *(f"ข้อ {n}" for n in range(1, len(items) + 1)), "ข้อเสนอแนะ"]
    content = xlsx_bytes([header, *([national_id(k), *v] for k, v in rows.items())])
    batch = start(admin, session, content)
    assert batch.count_error == 0, errors_of(batch)
    actions.request_apply(acting_user=admin, batch=batch)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPLIED, batch.error_message
    return items


def _answers(enrolment) -> list:
    response = SurveyResponse.objects.get(enrolment=enrolment)
    by_item = dict(response.answers.values_list("item_id", "score"))
    items = survey_items_for(enrolment.course.office)
    return [by_item.get(item.pk) for item in items]


def _survey_audits():
    from registry.models import AuditEntry

    return AuditEntry.objects.filter(object_type="surveyresponse")


@pytest.mark.parametrize("role", ["admin", "officer"])
def test_a_typo_in_an_imported_satisfaction_answer_is_corrected_in_its_cell_on_the_paper_grid(
    request, client, session, participants, role
):
    """Satisfaction answers brought in by the results import were shown on the paper grid as
    answered "in the system", their cells absent: a typo in one could not be corrected
    anywhere. The grid shows them in their cells now, as it shows an imported score, and the
    corrected cell is saved, audited old → new, and the course's means and bands follow."""
    admin = request.getfixturevalue("admin")
    user = request.getfixturevalue(role)
    first, second = participants[0], participants[1]
    items = _imported_answers(admin, session, {1: [5, 5, 5, 5, 2, "ดีมาก"], 2: [4, 4, 4, 4, 4, ""]})
    last = items[-1]
    ev = training_queries.evaluate_course(admin, session.course)
    assert ev.overall_mean == pytest.approx(4.2) and ev.items[-1].mean == pytest.approx(3.0)
    band_before = ev.items[-1].band
    client.force_login(user)
    url, data = _paper_grid(client, session)
    page = client.get(url).content.decode()
    assert "ตอบแบบประเมินในระบบแล้ว" not in page and "คำตอบจากไฟล์" in page
    assert data[f"s{last.pk}-{first.pk}"] == "2" and data[f"c-{first.pk}"] == "ดีมาก"
    data[f"s{last.pk}-{first.pk}"] = "๔"  # typed with Thai digits
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _answers(first) == [5, 5, 5, 5, 4] and _answers(second) == [4] * 5
    corrected = SurveyResponse.objects.get(enrolment=first)
    assert (corrected.source, corrected.comment) == (ResultSource.PAPER, "ดีมาก")
    assert corrected.recorded_by == user
    # One entry, for the one response corrected: the other, saved as it was, has none.
    (entry,) = _survey_audits()
    assert entry.object_id == str(corrected.pk) and entry.actor == user
    assert entry.changes == {
        f"ข้อ {len(items)}": [2, 4],
        "ที่มา": ["นำเข้าจากไฟล์", "บันทึกจากกระดาษ"],
    }
    assert first.person.full_name in entry.object_label
    ev = training_queries.evaluate_course(admin, session.course)
    assert ev.responses == 2 and ev.overall_mean == pytest.approx(4.4)
    assert ev.items[-1].mean == pytest.approx(4.0)
    from krupd.lib.likert import likert_band

    assert ev.items[-1].band == likert_band(4.0) != band_before
    assert ev.overall_band == likert_band(4.4)


def test_an_imported_response_saved_again_as_it_was_writes_and_audits_nothing(
    admin, client, session, participants
):
    """A file may leave a question unanswered and bring a comment longer than the grid once
    took: the sheet saved as it was shown (another participant's score typed) keeps those
    answers as they are, with no entry saying they changed."""
    long_comment = ("วิทยากรอธิบายชัดเจน " * 40).strip()  # more than the grid once took
    _imported_answers(admin, session, {1: [5, 4, None, 3, 2, long_comment]})
    response = SurveyResponse.objects.get(enrolment=participants[0])
    client.force_login(admin)
    url, data = _paper_grid(client, session)
    data["post_max"], data[f"post-{participants[2].pk}"] = "10", "7"
    reply = client.post(url, data)
    assert reply.status_code == 302, reply.content.decode()[:2000]
    assert _answers(participants[0]) == [5, 4, None, 3, 2]
    kept = SurveyResponse.objects.get(pk=response.pk)
    assert (kept.source, kept.comment, kept.recorded_by) == (
        ResultSource.IMPORT,
        long_comment,
        None,
    )
    assert not _survey_audits().exists()
    assert Attempt.objects.get(enrolment=participants[2], kind="post").score == 7


def test_an_imported_answer_cleared_on_the_grid_is_no_answer(admin, client, session, participants):
    """A file's answers may leave a question blank: clearing one cell of them is that item
    not answered (the rest kept), audited; clearing every cell and the comment removes them."""
    items = _imported_answers(admin, session, {1: [5, 4, 3, 3, 2, ""]})
    first = participants[0]
    client.force_login(admin)
    url, data = _paper_grid(client, session)
    data[f"s{items[1].pk}-{first.pk}"] = ""
    assert client.post(url, data).status_code == 302
    assert _answers(first) == [5, None, 3, 3, 2]
    assert _survey_audits().get().changes["ข้อ 2"] == [4, None]
    url, data = _paper_grid(client, session)
    for item in items:
        data[f"s{item.pk}-{first.pk}"] = ""
    assert client.post(url, data).status_code == 302
    assert not SurveyResponse.objects.filter(enrolment=first).exists()
    assert training_queries.evaluate_course(admin, session.course).responses == 0
    assert _survey_audits().count() == 2


@pytest.mark.parametrize("typed", ["6", "๐", "ดี", "4.5"])
def test_a_bad_correction_names_the_participant_and_item_and_nothing_of_the_sheet_is_written(
    admin, client, session, participants, typed
):
    items = _imported_answers(admin, session, {1: [5, 5, 5, 5, 2, ""], 2: [4, 4, 4, 4, 4, ""]})
    first, second = participants[0], participants[1]
    client.force_login(admin)
    url, data = _paper_grid(client, session)
    data[f"s{items[0].pk}-{second.pk}"] = "3"  # a good correction in the same sending
    data[f"s{items[2].pk}-{first.pk}"] = typed
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "ยังไม่ได้บันทึก" in page
    assert f"({first.person.full_name}): ความพึงพอใจข้อ 3 " in page
    assert _answers(first) == [5, 5, 5, 5, 2] and _answers(second) == [4] * 5
    assert not _survey_audits().exists()
    assert set(SurveyResponse.objects.values_list("source", flat=True)) == {ResultSource.IMPORT}


@pytest.mark.parametrize("role", ["director", "teacher", "supervisor", "inspector"])
def test_imported_answers_are_not_corrected_by_other_roles(
    request, admin, client, session, participants, role
):
    items = _imported_answers(admin, session, {1: [5, 5, 5, 5, 2, ""]})
    client.force_login(request.getfixturevalue(role))
    url = reverse("training:paper_scores", args=[session.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {f"s{items[-1].pk}-{participants[0].pk}": "4"})
    assert response.status_code == 403
    assert _answers(participants[0]) == [5, 5, 5, 5, 2] and not _survey_audits().exists()
