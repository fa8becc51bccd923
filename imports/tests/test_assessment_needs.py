"""The needs-survey part of a Google Forms self-assessment file (topics, development modes,
reasons), and a time stamp's day–month order read from its whole column."""

import datetime as dt

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from imports import actions
from imports.importers import norm_key
from imports.importers.assessment import (
    DAY_FIRST,
    MODE_WORDS,
    MONTH_FIRST,
    checkbox_answers,
    date_order,
    match_needs_header,
    mode_of,
    read_sent_at,
)
from imports.models import BatchStatus
from imports.readers import ImportFileError
from krupd.lib.numerals import to_thai_digits
from planning.actions import TopicInput, save_response
from planning.models import Competency, Mode, RaterKind, Response, Topic, TopicAnswer

from . import test_assessment as assessment_tests
from .test_assessment import CUR, EXP, ITEM_1, ITEM_2, errors_of, upload
from .test_properties import FAST

# The round, its framework's two items and four teachers, as the assessment tests have them.
framework = assessment_tests.framework
rnd = assessment_tests.rnd
items = assessment_tests.items
teachers = assessment_tests.teachers

T_MEASURE = "การวัดและประเมินผล"
T_AI = "การใช้ AI, ChatGPT ในการสอน"  # a choice whose own name holds ", "
T_CLASS = "การบริหารจัดการชั้นเรียน"
ZW = "\u200b"


@pytest.fixture
def topics(office):
    made = [
        Topic.objects.create(office=office, name=name, sort_order=n)
        for n, name in enumerate((T_MEASURE, T_AI, T_CLASS), start=1)
    ]
    Topic.objects.create(office=office, name="หัวข้อที่ปิดแล้ว", active=False)
    return {t.name: t for t in made}


def needs_csv(rows, header):
    lines = [",".join(f'"{c}"' for c in header)] + [",".join(f'"{c}"' for c in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


RATINGS = [f"1.1 {ITEM_1} [{CUR}]", f"1.1 {ITEM_1} [{EXP}]",
           f"1.2 {ITEM_2} [{CUR}]", f"1.2 {ITEM_2} [{EXP}]"]  # fmt: skip
NEEDS = [
    f"ตอนที่ 2 ข้อ 1.{ZW} หัวข้อที่ท่านต้องการพัฒนา  (ตอบได้มากกว่า 1 ข้อ)",
    "๒. รูปแบบการพัฒนาที่ต้องการ",
    f"3) เหตุผล{ZW}/ความจำเป็นที่ต้องพัฒนา",
]


def test_the_needs_columns_are_imported_into_the_same_response_as_a_teachers_own(
    client, admin, rnd, items, teachers, topics
):
    p1, p2, p3, _p4 = teachers
    header = ["ประทับเวลา", "เลขประจำตัวประชาชน", *RATINGS, *NEEDS]
    rows = [
        ["12/7/2569, 9:00:00", p1.national_id, "3", "5", "3", "4",
         f"{T_MEASURE}, {T_AI}, อื่นๆ: การสอนเด็กพิเศษเรียนร่วม, ชั้นคละ",
         "PLC, อบรม, e-Training, อบรม", "  อยากนำไปใช้กับผู้เรียน  "],
        ["12/7/2569, 9:05:00", p2.national_id, "2", "4", "2", "4",
         f"{T_CLASS}, การสอนภาษาจีน", "Coaching, เรียนด้วยตนเอง", ""],
        ["12/7/2569, 9:06:00", p3.national_id, "2", "4", "2", "4", "", "", ""],
    ]  # fmt: skip
    client.force_login(admin)
    batch = upload(client, rnd, needs_csv(rows, header))
    assert batch.status == BatchStatus.VALIDATED and batch.count_error == 0, errors_of(batch)
    assert {"topics", "modes", "reasons"} <= set(batch.mapping.values()), batch.mapping
    notes = str(batch.preview_notes)
    # Not a choice: warned by row and column, not imported, never dropped in silence.
    column = "ตอนที่ 2 ข้อ 1. หัวข้อที่ท่านต้องการพัฒนา (ตอบได้มากกว่า 1 ข้อ)"  # as cleaned
    assert f"แถวที่ 3 คอลัมน์ {column}: “การสอนภาษาจีน”" in notes, notes
    assert "แถวที่ 3 คอลัมน์ 2. รูปแบบการพัฒนาที่ต้องการ: “เรียนด้วยตนเอง”" in notes
    assert "“การสอนภาษาจีน” ไม่ตรงกับหัวข้อการพัฒนาในแบบสำรวจ" in notes
    assert "“เรียนด้วยตนเอง” ไม่ใช่รูปแบบการพัฒนาที่แบบสำรวจมีให้เลือก" in notes
    preview = client.get(reverse("imports:detail", args=[batch.pk]) + "?show=new")
    shown = preview.content.decode()
    assert "ความต้องการในการพัฒนา: หัวข้อที่ต้องการพัฒนา" in shown
    assert f"{T_MEASURE}, {T_AI}, อื่นๆ: การสอนเด็กพิเศษเรียนร่วม, ชั้นคละ" in shown
    assert "อบรมเชิงปฏิบัติการ, อบรมออนไลน์, ชุมชนการเรียนรู้ทางวิชาชีพ (PLC)" in shown
    assert not TopicAnswer.objects.exists()  # nothing written before the officer applies

    actions.request_apply(acting_user=admin, batch=batch)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPLIED, batch.error_message
    r1 = Response.objects.get(person=p1)
    assert r1.modes == ["workshop", "online", "plc"]  # each once, in the survey's order
    assert r1.reasons == "อยากนำไปใช้กับผู้เรียน"
    assert set(r1.topics.values_list("topic_id", "free_text")) == set(
        [(topics[T_MEASURE].pk, ""), (topics[T_AI].pk, ""),
         (None, "การสอนเด็กพิเศษเรียนร่วม, ชั้นคละ")]
    )  # fmt: skip
    r2 = Response.objects.get(person=p2)
    assert r2.modes == ["coaching"] and r2.reasons == ""
    assert list(r2.topics.values_list("topic_id", flat=True)) == [topics[T_CLASS].pk]
    r3 = Response.objects.get(person=p3)
    assert (r3.modes, r3.reasons, r3.topics.count()) == ([], "", 0)
    # The needs analysis counts them as it counts a teacher's own.
    from planning import queries as planning_queries

    needs = planning_queries.analyse_needs(admin, rnd)
    assert dict(needs.modes)["อบรมเชิงปฏิบัติการ"] == 1
    assert dict(needs.modes)["การโค้ช/พี่เลี้ยง"] == 1
    # The same file again changes nothing.
    again = upload(client, rnd, needs_csv(rows, header))
    assert (again.count_new, again.count_changed, again.count_unchanged) == (0, 0, 3)


def test_the_same_answers_typed_by_a_teacher_are_kept_as_the_import_keeps_them(
    client, admin, teacher, rnd, items, teachers, topics
):
    """A teacher's own entry and the imported row give the same stored needs."""
    p1, p2 = teachers[:2]
    save_response(
        acting_user=teacher, rnd=rnd, person=p1, rater_kind=RaterKind.SELF,
        ratings={c.pk: (3, 5) for c in Competency.objects.all()}, submit=True,
        topics=[TopicInput(topics[T_MEASURE].pk, "", None, None),
                TopicInput(None, " การสอนเด็กพิเศษ ", None, None)],
        modes=["workshop", "plc"], reasons=" เพื่อผู้เรียน ", today=dt.date(2026, 7, 10),
    )  # fmt: skip
    header = ["ประทับเวลา", "เลขประจำตัวประชาชน", *RATINGS, *NEEDS]
    rows = [["12/7/2569 9:00", p2.national_id, "3", "5", "3", "5",
             f"{T_MEASURE}, อื่นๆ: การสอนเด็กพิเศษ", "อบรม, PLC", "เพื่อผู้เรียน"]]  # fmt: skip
    client.force_login(admin)
    batch = upload(client, rnd, needs_csv(rows, header))
    actions.request_apply(acting_user=admin, batch=batch)

    def kept(person):
        r = Response.objects.get(person=person)
        return (r.modes, r.reasons, set(r.topics.values_list("topic_id", "free_text")))

    assert kept(p1) == kept(p2)


def test_a_checkbox_grid_row_names_its_topic_and_unmatched_columns_are_mapped(
    client, admin, rnd, items, teachers, topics
):
    p1, p2 = teachers[:2]
    header = ["ประทับเวลา", "เลขประจำตัวประชาชน", *RATINGS,
              f"รูปแบบการพัฒนาที่ต้องการ [{T_MEASURE}]", f"รูปแบบการพัฒนาที่ต้องการ [{T_CLASS}]",
              "ความคิดเห็นของท่าน"]  # fmt: skip
    rows = [
        ["12/7/2569 9:00", p1.national_id, "3", "5", "3", "5", "อบรม, PLC", "", "อยากไปดูงาน"],
        ["12/7/2569 9:01", p2.national_id, "3", "5", "3", "5", "", "ศึกษาดูงาน", ""],
    ]
    client.force_login(admin)
    batch = upload(client, rnd, needs_csv(rows, header))
    assert batch.mapping["6"] == f"topic_{topics[T_MEASURE].pk}"
    assert batch.mapping["7"] == f"topic_{topics[T_CLASS].pk}"
    assert "8" not in batch.mapping  # not a question the survey asks: the officer's to say
    page = client.get(reverse("imports:mapping", args=[batch.pk])).content.decode()
    assert "ความต้องการในการพัฒนา: เหตุผล/ความจำเป็นที่ต้องพัฒนา" in page
    mapping = {int(k): v for k, v in batch.mapping.items()}
    mapping[8] = "reasons"
    actions.save_mapping(acting_user=admin, batch=batch, mapping=mapping)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.VALIDATED and batch.count_new == 2, batch.notice
    actions.request_apply(acting_user=admin, batch=batch)
    r1, r2 = Response.objects.get(person=p1), Response.objects.get(person=p2)
    assert (r1.modes, r1.reasons) == (["workshop", "plc"], "อยากไปดูงาน")
    assert list(r1.topics.values_list("topic_id", flat=True)) == [topics[T_MEASURE].pk]
    assert r2.modes == ["study_visit"]
    assert list(r2.topics.values_list("topic_id", flat=True)) == [topics[T_CLASS].pk]


def test_a_topic_no_longer_in_the_survey_is_warned_as_such(
    client, admin, rnd, items, teachers, topics
):
    p1 = teachers[0]
    header = ["ประทับเวลา", "เลขประจำตัวประชาชน", *RATINGS, NEEDS[0]]
    rows = [["12/7/2569 9:00", p1.national_id, "3", "5", "3", "5", f"{T_CLASS}, หัวข้อที่ปิดแล้ว"]]
    client.force_login(admin)
    batch = upload(client, rnd, needs_csv(rows, header))
    assert "“หัวข้อที่ปิดแล้ว” เป็นหัวข้อที่ปิดการใช้ในแบบสำรวจแล้ว" in str(batch.preview_notes)
    actions.request_apply(acting_user=admin, batch=batch)
    kept = Response.objects.get(person=p1).topics.values_list("topic_id", flat=True)
    assert list(kept) == [topics[T_CLASS].pk]


def test_a_row_with_an_error_leaves_every_rows_needs_unwritten(
    client, admin, rnd, items, teachers, topics
):
    p1 = teachers[0]
    header = ["ประทับเวลา", "เลขประจำตัวประชาชน", *RATINGS, *NEEDS]
    rows = [
        ["12/7/2569 9:00", p1.national_id, "3", "5", "3", "5", T_MEASURE, "อบรม", "เหตุผล"],
        ["12/7/2569 9:01", "1234", "3", "5", "3", "5", T_CLASS, "PLC", ""],
    ]
    client.force_login(admin)
    batch = upload(client, rnd, needs_csv(rows, header))
    assert batch.count_error == 1
    client.post(reverse("imports:apply", args=[batch.pk]))
    assert not Response.objects.exists() and not TopicAnswer.objects.exists()


# ---------------------------------------------------------------- the time stamps' order


def stamps_csv(rnd_people, stamps):
    header = ["Timestamp", "เลขประจำตัวประชาชน", *RATINGS]
    rows = [[s, p.national_id, "3", "5", "3", "5"] for s, p in zip(stamps, rnd_people, strict=True)]
    return needs_csv(rows, header)


def test_an_english_locale_file_writes_the_month_first_and_is_read_so(
    client, admin, rnd, items, teachers
):
    p1, p2, p3, _ = teachers
    # 7/13/2026 can only be month first: so 7/12/2026 is 12 July, not 7 December.
    content = stamps_csv([p1, p2, p3], ["7/12/2026 9:05:00 AM", "7/13/2026 1:00:00 PM",
                                        "7/9/2569 10:00:00"])  # fmt: skip
    client.force_login(admin)
    batch = upload(client, rnd, content)
    assert batch.status == BatchStatus.VALIDATED, batch.error_message
    assert "อ่านวันที่ในคอลัมน์ “Timestamp” แบบ เดือน/วัน/ปี" in str(batch.preview_notes)
    actions.request_apply(acting_user=admin, batch=batch)
    local = dt.timezone(dt.timedelta(hours=7))
    sent = {
        r.person_id: r.submitted_at.astimezone(local).replace(tzinfo=None)
        for r in Response.objects.all()
    }
    assert sent == {
        p1.pk: dt.datetime(2026, 7, 12, 9, 5),
        p2.pk: dt.datetime(2026, 7, 13, 13, 0),
        p3.pk: dt.datetime(2026, 7, 9, 10, 0),  # a BE year, month first
    }


def test_a_column_that_reads_either_way_throughout_is_day_first_and_the_preview_says(
    client, admin, rnd, items, teachers
):
    p1, p2 = teachers[:2]
    client.force_login(admin)
    batch = upload(client, rnd, stamps_csv([p1, p2], ["7/12/2569 9:00", "8/12/2569 9:00"]))
    notes = str(batch.preview_notes)
    assert "แบบ วัน/เดือน/ปี" in notes and "ทุกแถวอ่านได้ทั้งสองแบบ" in notes
    actions.request_apply(acting_user=admin, batch=batch)
    assert Response.objects.get(person=p1).submitted_at.date() == dt.date(2026, 12, 7)


def test_a_column_with_both_orders_is_refused_naming_it(client, admin, rnd, items, teachers):
    p1, p2 = teachers[:2]
    client.force_login(admin)
    batch = upload(client, rnd, stamps_csv([p1, p2], ["13/7/2569 9:00", "7/13/2026 9:00"]))
    assert batch.status == BatchStatus.FAILED
    assert "คอลัมน์ “Timestamp” เขียนวันที่ปนกันสองแบบ" in batch.error_message
    assert "แถวที่ 2 “13/7/2569 9:00”" in batch.error_message
    assert not Response.objects.exists()


@FAST
@given(
    dates=st.lists(st.dates(dt.date(2024, 1, 1), dt.date(2027, 12, 31)), min_size=1, max_size=8),
    month_first=st.booleans(),
    be=st.booleans(),
    thai=st.booleans(),
    clock=st.sampled_from(["", " 9:05:30", ", 10:15:30", " 1:05:00 PM"]),
)
def test_a_column_of_time_stamps_reads_right_in_either_order(dates, month_first, be, thai, clock):
    def write(d):
        year = d.year + 543 if be else d.year
        first, second = (d.month, d.day) if month_first else (d.day, d.month)
        text = f"{first}/{second}/{year}{clock}"
        return to_thai_digits(text) if thai else text

    cells = [(n + 2, write(d)) for n, d in enumerate(dates)]
    found = date_order(cells, "ประทับเวลา")
    telling = [d for d in dates if d.day > 12]
    if telling:
        assert found.order == (MONTH_FIRST if month_first else DAY_FIRST)
    else:
        assert found.order == DAY_FIRST  # no cell says: the Thai Form's order
    ctx = type("Ctx", (), {"extra": {"date_order": found.order}})()
    for (_n, cell), d in zip(cells, dates, strict=True):
        read = dt.datetime.fromisoformat(read_sent_at(cell, ctx)).date()
        if telling or not month_first or d.day == d.month:
            assert read == d


def test_both_orders_in_one_column_raise_naming_the_column():
    with pytest.raises(ImportFileError, match="คอลัมน์ “ประทับเวลา”"):
        date_order([(2, "13/7/2569"), (3, "7/13/2026")], "ประทับเวลา")


# ---------------------------------------------------------------- matching and values, property

TOPICS = {norm_key(name): pk for pk, name in enumerate((T_MEASURE, T_AI, T_CLASS), start=1)}
SPACE = st.sampled_from(["", ZW, "\u00a0", " ", "  ", "\u200c"])


@FAST
@given(
    field=st.sampled_from([
        ("topics", "หัวข้อที่ต้องการพัฒนา"), ("topics", "ท่านต้องการพัฒนาตนเองในเรื่องใด"),
        ("modes", "รูปแบบการพัฒนาที่ต้องการ"), ("modes", "วิธีการพัฒนาที่ท่านต้องการ"),
        ("reasons", "เหตุผล/ความจำเป็นที่ต้องพัฒนา"), ("free_topics", "หัวข้ออื่นที่ต้องการพัฒนา"),
    ]),
    numbering=st.sampled_from(["", "5. ", "ข้อ 5 ", "ตอนที่ 2 ", "ตอนที่ 2: 1) ", "๕. ", "2.1 "]),
    note=st.sampled_from(["", " (ตอบได้มากกว่า 1 ข้อ)", " (เลือกได้หลายข้อ)"]),
    gap=SPACE,
)  # fmt: skip
def test_a_needs_question_matches_whatever_its_numbering_and_spacing(field, numbering, note, gap):
    key, words = field
    spaced = gap.join([words[:4], words[4:9], words[9:]])
    header = f"{to_thai_digits(numbering) if '๕' in numbering else numbering}{spaced}{note}{gap}"
    assert match_needs_header(header, TOPICS) == key


@FAST
@given(
    question=st.sampled_from(["หัวข้อที่ต้องการพัฒนา", "รูปแบบการพัฒนาที่ต้องการ", "3. หัวข้อที่ต้องการพัฒนา"]),
    pick=st.sampled_from([(1, T_MEASURE), (2, T_AI), (3, T_CLASS)]),
    gap=SPACE,
)
def test_a_grid_row_matches_its_topic(question, pick, gap):
    pk, name = pick
    assert match_needs_header(f"{question}{gap} [{gap}{name}{gap}]", TOPICS) == f"topic_{pk}"


@FAST
@given(
    chosen=st.lists(st.sampled_from([T_MEASURE, T_AI, T_CLASS]), unique=True, max_size=3),
    other=st.one_of(st.none(), st.sampled_from(["การสอนเด็กพิเศษ", "ชั้นคละ, หลายวิชา"])),
    gap=SPACE,
)
def test_checkbox_answers_come_back_whatever_their_names_hold(chosen, other, gap):
    written = [f"{gap}{name}{gap}" for name in chosen]
    if other:
        written.append(f"อื่นๆ:{gap} {other}")
    answers = checkbox_answers(", ".join(written), lambda t: norm_key(t) in TOPICS)
    assert [norm_key(t) for kind, t in answers if kind == "choice"] == [norm_key(c) for c in chosen]
    assert [t for kind, t in answers if kind == "other"] == ([other] if other else [])


@FAST
@given(
    mode=st.sampled_from(list(MODE_WORDS)),
    pick=st.integers(0, 20),
    case=st.sampled_from([str, str.upper, str.lower]),
    gap=SPACE,
)
def test_a_mode_written_any_of_its_ways_reads_as_it(mode, pick, case, gap):
    words = MODE_WORDS[mode]
    written = case(words[pick % len(words)])
    assert mode_of(f"{gap}{written}{gap}") == mode


def test_the_modes_read_are_the_surveys():
    assert tuple(MODE_WORDS) == tuple(Mode.values)
    assert mode_of("อบรม (e-Training)") == "online"
    assert mode_of("อบรมเชิงปฏิบัติการ (Workshop)") == "workshop"
    assert mode_of("เรียนรู้ด้วยตนเอง") is None
