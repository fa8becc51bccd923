"""Self-assessment answers of an assessment round from a Google Forms responses sheet."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from imports import actions
from imports.importers import CellError, prepare
from imports.importers.assessment import (
    Item,
    header_side,
    match_header,
    read_level,
    read_sent_at,
    scale_words,
)
from imports.models import BatchStatus, ImportBatch, ImportRow, RowStatus
from krupd.lib.numerals import to_thai_digits
from planning import queries as planning_queries
from planning.actions import save_response
from planning.models import Competency, Domain, Framework, RaterKind, Rating, Response, Round
from registry.models import AuditAction, AuditEntry, Person

from .conftest import national_id, upload_file, xlsx_bytes
from .test_properties import FAST

ITEM_1 = "การใช้เทคโนโลยีดิจิทัลในการจัดการเรียนรู้"
ITEM_2 = "การออกแบบการเรียนรู้เชิงรุก"
CUR, EXP = "ระดับที่เป็นอยู่", "ระดับที่คาดหวัง"


@pytest.fixture
def framework(office):
    fw = Framework.objects.create(
        office=office, code="DC", version="2569", name="สมรรถนะดิจิทัลของครู",
        scale_labels=["น้อยที่สุด", "น้อย", "ปานกลาง", "มาก", "มากที่สุด"],
    )  # fmt: skip
    domain = Domain.objects.create(framework=fw, code="1", name="ด้านการใช้", sort_order=1)
    Competency.objects.create(domain=domain, code="1.1", name=ITEM_1, sort_order=1)
    Competency.objects.create(domain=domain, code="1.2", name=ITEM_2, sort_order=2)
    return fw


@pytest.fixture
def rnd(office, framework):
    return Round.objects.create(
        office=office, year=2569, name="ประเมินสมรรถนะ 2569", framework=framework,
        opens=dt.date(2026, 7, 1), closes=dt.date(2026, 7, 31), target_types=["teacher"],
    )  # fmt: skip


@pytest.fixture
def items(framework):
    return {c.code: c for c in Competency.objects.filter(domain__framework=framework)}


@pytest.fixture
def teachers(make_person, school_a):
    return [make_person(n, first_name=f"ครู{n}", school=school_a) for n in (1, 2, 3, 4)]


def form_csv(rows, *, header=None) -> bytes:
    header = header or [
        "ประทับเวลา", "เลขประจำตัวประชาชน", "ชื่อ - นามสกุล", "โรงเรียน",
        f"1.1 {ITEM_1} [{CUR}]", f"1.1 {ITEM_1} [{EXP}]",
        f"1.2  {ITEM_2}\u200b [{CUR}]", f"1.2 {ITEM_2} [{EXP}]",
    ]  # fmt: skip
    lines = [",".join(header)] + [",".join(f'"{c}"' for c in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def dashed_thai(nid: str) -> str:
    return to_thai_digits(f"{nid[0]}-{nid[1:5]}-{nid[5:10]}-{nid[10:12]}-{nid[12]}")


def errors_of(batch):
    return {
        (r.row_number, e["column"]): e["message"]
        for r in ImportRow.objects.filter(batch=batch, status=RowStatus.ERROR)
        for e in r.errors
    }


def upload(client, rnd, content, name="แบบประเมินสมรรถนะ (การตอบกลับ).csv"):
    response = client.post(
        reverse("imports:round_upload", args=[rnd.pk]),
        {"kind": "assessment", "file": upload_file(name, content)},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportBatch.objects.latest("pk")


def pni_by_code(user, rnd):
    return {s.code: s for s in planning_queries.analyse_needs(user, rnd).competencies}


def test_a_google_forms_file_becomes_sent_self_assessments_that_the_pni_counts(
    client, admin, rnd, items, teachers
):
    p1, p2, p3, p4 = teachers
    # Teacher 4 sent the form in the system: 1.1 D=4 I=4, 1.2 D=4 I=5.
    sent = Response.objects.create(
        round=rnd, person=p4, rater_kind=RaterKind.SELF, personnel_type="teacher",
        submitted_at=dt.datetime(2026, 7, 2, 9, tzinfo=dt.UTC),
    )  # fmt: skip
    Rating.objects.create(response=sent, competency=items["1.1"], current=4, expected=4)
    Rating.objects.create(response=sent, competency=items["1.2"], current=4, expected=5)
    before = pni_by_code(admin, rnd)
    assert before["1.1"].pni == 0 and before["1.2"].pni == pytest.approx(0.25)

    rows = [
        ["12/7/2569, 9:00:00", p1.national_id, "ครู1 ใจดี", "บ้านหนึ่ง", "1", "5", "1", "5"],
        ["12/7/2569, 9:05:00", dashed_thai(p2.national_id), "ครู2", "", "๒", "มากที่สุด", "3", "4"],
        ["12/7/2569, 10:30:00", p1.national_id, "ครู1 ใจดี", "", "2", "5", "มาก", "มากที่สุด"],
        ["13/7/2569, 8:00:00", p3.national_id, "ครู3", "", "3", "4", "", ""],
        ["13/7/2569, 8:10:00", p4.national_id, "ครู4", "", "1", "1", "1", "1"],
    ]
    client.force_login(admin)
    round_page = client.get(reverse("planning:round", args=[rnd.pk])).content.decode()
    assert reverse("imports:round_upload", args=[rnd.pk]) in round_page
    assert client.get(reverse("imports:round_upload", args=[rnd.pk])).status_code == 200
    batch = upload(client, rnd, form_csv(rows))
    assert batch.round == rnd and batch.status == BatchStatus.VALIDATED, batch.notice
    # Rows 2 (teacher 1's first form, set aside), 3, 4, 5 new; row 6 kept as sent in the system.
    assert (batch.count_new, batch.count_unchanged, batch.count_error) == (3, 1, 0), errors_of(
        batch
    )
    assert not ImportRow.objects.filter(batch=batch, row_number=2).exists()
    notes = str(batch.preview_notes)
    assert "ส่งแบบฟอร์มซ้ำ 1 คน" in notes and "ใช้แถวที่ 4 ไม่ใช้แถวที่ 2" in notes
    assert "ส่งแบบประเมินตนเองในระบบแล้ว ใช้คำตอบในระบบ" in notes
    preview = client.get(reverse("imports:detail", args=[batch.pk]) + "?show=new")
    assert preview.status_code == 200
    shown = preview.content.decode()
    assert "ส่งแบบฟอร์มซ้ำ" in shown, shown[-6000:]
    assert f"ข้อ 1.1 {ITEM_1}: ระดับที่เป็นอยู่" in shown
    # Nothing is written until the officer applies.
    assert Response.objects.filter(round=rnd).count() == 1

    response = client.post(reverse("imports:apply", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPLIED, batch.error_message
    imported = Response.objects.filter(round=rnd, source="import")
    assert sorted(imported.values_list("person_id", flat=True)) == [p1.pk, p2.pk, p3.pk]
    assert all(r.submitted_at for r in imported)
    assert Response.objects.get(person=p4).source == "online"  # kept as sent in the system
    assert Rating.objects.get(response__person=p4, competency=items["1.1"]).current == 4
    # Teacher 3 left 1.2 blank: not answered, no rating (never a zero).
    assert not Rating.objects.filter(response__person=p3, competency=items["1.2"]).exists()
    # Teacher 1's latest form: 1.1 (2, 5), 1.2 (มาก, มากที่สุด) = (4, 5).
    assert set(Rating.objects.filter(response__person=p1).values_list("current", "expected")) == {
        (2, 5),
        (4, 5),
    }
    # 1.1: D = (2 + 2 + 3 + 4) / 4 = 2.75, I = (5 + 5 + 4 + 4) / 4 = 4.5, PNI = 1.75 / 2.75.
    # 1.2: D = (4 + 3 + 4) / 3, I = (5 + 4 + 5) / 3, PNI = (14 − 11) / 11 = 3/11.
    after = pni_by_code(admin, rnd)
    assert (after["1.1"].n, after["1.1"].mean_d, after["1.1"].mean_i) == (4, 2.75, 4.5)
    assert after["1.1"].pni == pytest.approx(1.75 / 2.75)
    assert after["1.2"].n == 3 and after["1.2"].pni == pytest.approx(3 / 11)
    entries = AuditEntry.objects.filter(object_type="assessment", actor=admin)
    assert entries.count() == 3
    assert AuditEntry.objects.filter(action=AuditAction.IMPORT, object_id=str(batch.pk)).exists()
    # Applying twice changes nothing: the batch is refused, the same file again is unchanged.
    with pytest.raises(actions.ApplyRefused):
        actions.request_apply(acting_user=admin, batch=batch)
    stored = sorted(
        Rating.objects.values_list("response_id", "competency_id", "current", "expected")
    )
    again = upload(client, rnd, form_csv(rows))
    assert (again.count_new, again.count_changed, again.count_unchanged) == (0, 0, 4)
    client.post(reverse("imports:apply", args=[again.pk]))
    assert (
        sorted(Rating.objects.values_list("response_id", "competency_id", "current", "expected"))
        == stored
    )
    assert pni_by_code(admin, rnd)["1.1"].pni == pytest.approx(1.75 / 2.75)


def test_an_xlsx_download_with_time_stamps_as_dates_and_ids_as_numbers_imports(
    client, admin, rnd, items, teachers
):
    p1, p2 = teachers[:2]
    header = ["Timestamp", "เลขประจำตัวประชาชน 13 หลัก", f"1.1 {ITEM_1} [{CUR}]",
              f"1.1 {ITEM_1} [{EXP}]", f"1.2 {ITEM_2} [{CUR}]", f"1.2 {ITEM_2} [{EXP}]"]  # fmt: skip
    content = xlsx_bytes(
        [
            header,
            [dt.datetime(2026, 7, 12, 11, 0), int(p1.national_id), 3, 5, 4, 4],
            [dt.datetime(2026, 7, 12, 9, 0), f" {p2.national_id} ", "๑", "๕", None, None],
            [dt.datetime(2026, 7, 12, 8, 0), int(p1.national_id), 1, 1, 1, 1],  # sent earlier
        ]
    )
    client.force_login(admin)
    batch = upload(client, rnd, content, name="คำตอบ.xlsx")
    assert (batch.count_new, batch.count_error) == (2, 0), errors_of(batch)
    assert "ใช้แถวที่ 2 ไม่ใช้แถวที่ 4" in str(batch.preview_notes)
    actions.request_apply(acting_user=admin, batch=batch)
    sent = Response.objects.get(person=p1).submitted_at
    assert sent.astimezone(dt.timezone(dt.timedelta(hours=7))).hour == 11
    assert set(Rating.objects.values_list("response__person_id", "current", "expected")) == {
        (p1.pk, 3, 5), (p1.pk, 4, 4), (p2.pk, 1, 5),
    }  # fmt: skip
    assert client.get(reverse("imports:template", args=["assessment"])).status_code == 404


def test_bad_rows_are_named_by_row_and_column_and_nothing_is_written(
    client, admin, rnd, teachers, school_x
):
    p1, p2, p3, _p4 = teachers
    stranger = Person.objects.create(
        office=school_x.office, school=school_x, national_id=national_id(90), title="นาย",
        first_name="ต่าง", last_name="เขต", gender="male", personnel_type="teacher",
        position="ครู", birth_date=dt.date(1980, 1, 1),
    )  # fmt: skip
    bad_checksum = national_id(5)[:-1] + str((int(national_id(5)[-1]) + 1) % 10)
    rows = [
        ["12/7/2569, 9:00:00", national_id(77), "", "", "3", "4", "3", "4"],  # 2: not ours
        ["12/7/2569, 9:01:00", stranger.national_id, "", "", "3", "4", "3", "4"],  # 3: other
        ["12/7/2569, 9:02:00", bad_checksum, "", "", "3", "4", "3", "4"],  # 4: checksum
        ["12/7/2569, 9:03:00", p1.national_id, "", "", "6", "4", "0", "4"],  # 5: off the scale
        ["12/7/2569, 9:04:00", p2.national_id, "", "", "ดีเยี่ยม", "4", "3", "4"],  # 6: a word
        ["12/7/2569, 9:05:00", p3.national_id, "", "", "", "", "", ""],  # 7: nothing answered
    ]
    client.force_login(admin)
    batch = upload(client, rnd, form_csv(rows))
    errors = errors_of(batch)
    nid = "เลขประจำตัวประชาชน"
    assert "ไม่พบเลขประจำตัวประชาชน" in errors[(2, nid)]
    assert "หน่วยงานอื่น" in errors[(3, nid)]
    assert (4, nid) in errors
    assert "นอกมาตราส่วน" in errors[(5, f"1.1 {ITEM_1} [{CUR}]")]
    assert "นอกมาตราส่วน" in errors[(5, f"1.2 {ITEM_2} [{CUR}]")]  # as shown, cleaned
    assert "อ่านระดับไม่ได้" in errors[(6, f"1.1 {ITEM_1} [{CUR}]")]
    assert "ไม่ได้ตอบข้อใดเลย" in errors[(7, f"1.1 {ITEM_1} [{CUR}]")]
    assert batch.count_error == 6
    assert client.post(reverse("imports:apply", args=[batch.pk])).status_code == 302
    batch.refresh_from_db()
    assert batch.status == BatchStatus.VALIDATED
    assert not Response.objects.exists()
    error_file = client.get(reverse("imports:error_file", args=[batch.pk]))
    assert error_file.status_code == 200


def test_a_rating_refused_as_an_error_is_not_also_told_as_left_unanswered(
    client, admin, rnd, teachers
):
    """An off-the-scale expected level is an error of its cell; its item's current level is
    not also warned as "answered on one level only" (the warning is for a blank cell)."""
    p1, p2, *_ = teachers
    rows = [
        ["12/7/2569, 9:00:00", p1.national_id, "", "", "3", "6", "3", "4"],  # 2: 6 off the scale
        ["12/7/2569, 9:01:00", p2.national_id, "", "", "3", "", "3", "4"],  # 3: a blank
    ]
    client.force_login(admin)
    batch = upload(client, rnd, form_csv(rows))
    assert "นอกมาตราส่วน" in errors_of(batch)[(2, f"1.1 {ITEM_1} [{EXP}]")]
    notes = str(batch.preview_notes)
    assert f"แถวที่ 3 คอลัมน์ 1.1 {ITEM_1} [{CUR}]: ตอบข้อนี้ไม่ครบ" in notes
    assert "แถวที่ 2 คอลัมน์" not in notes


def test_an_unmatched_question_is_mapped_by_the_officer(client, admin, rnd, items, teachers):
    p1 = teachers[0]
    header = ["Timestamp", "เลขบัตรประชาชน", "ข้อ 1 [ระดับที่เป็นอยู่]", "ข้อ 1 [ระดับที่คาดหวัง]",
              f"ระดับที่เป็นอยู่ [{ITEM_2}]", f"ระดับที่คาดหวัง [{ITEM_2}]"]  # fmt: skip
    rows = [["2026-07-12 09:00:00", p1.national_id, "3", "5", "2", "4"]]
    client.force_login(admin)
    batch = upload(client, rnd, form_csv(rows, header=header))
    # "ข้อ 1" is no item's number: the item is the officer's to say.
    assert batch.status == BatchStatus.VALIDATED and batch.count_new == 1
    assert "ข้อ 1 [ระดับที่เป็นอยู่]" in str(batch.preview_notes)
    page = client.get(reverse("imports:mapping", args=[batch.pk]))
    assert f"ข้อ 1.1 {ITEM_1}: ระดับที่เป็นอยู่" in page.content.decode()
    mapping = {int(k): v for k, v in batch.mapping.items()}
    mapping[2] = f"d_{items['1.1'].pk}"
    actions.save_mapping(acting_user=admin, batch=batch, mapping=mapping)
    batch.refresh_from_db()
    # One side of 1.1 only: the mapping says which is missing.
    assert batch.status == BatchStatus.NEEDS_MAPPING and "ไม่พบคอลัมน์ระดับที่คาดหวัง" in batch.notice
    mapping[3] = f"i_{items['1.1'].pk}"
    actions.save_mapping(acting_user=admin, batch=batch, mapping=mapping)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.VALIDATED and batch.count_new == 1
    actions.request_apply(acting_user=admin, batch=batch)
    assert set(Rating.objects.values_list("competency_id", "current", "expected")) == {
        (items["1.1"].pk, 3, 5),
        (items["1.2"].pk, 2, 4),
    }


def test_a_draft_in_the_system_is_replaced_and_the_preview_says_so(
    client, admin, teacher, rnd, teachers
):
    p1 = teachers[0]
    Response.objects.create(
        round=rnd, person=p1, rater_kind=RaterKind.SELF, personnel_type="teacher"
    )
    client.force_login(admin)
    batch = upload(
        client, rnd, form_csv([["12/7/2569 9:00", p1.national_id, "", "", "3", "4", "3", "4"]])
    )
    assert batch.count_new == 1 and "มีร่างแบบประเมินในระบบที่ยังไม่ส่ง" in str(batch.preview_notes)
    actions.request_apply(acting_user=admin, batch=batch)
    response = Response.objects.get(person=p1)
    assert response.submitted_at is not None and response.source == "import"
    # The teacher then changes her answers in the system: they are hers, a later file keeps off.
    save_response(
        acting_user=teacher, rnd=rnd, person=p1, rater_kind=RaterKind.SELF,
        ratings={c.pk: (2, 5) for c in Competency.objects.all()}, submit=True,
        today=dt.date(2026, 7, 20),
    )  # fmt: skip
    assert Response.objects.get(person=p1).source == "online"
    again = upload(
        client, rnd, form_csv([["14/7/2569 9:00", p1.national_id, "", "", "1", "1", "1", "1"]])
    )
    assert (again.count_new, again.count_changed, again.count_unchanged) == (0, 0, 1)


def test_only_who_manages_rounds_and_imports_may_import_a_rounds_answers(
    client, admin, officer, supervisor, director, teacher, inspector, other_admin, rnd, teachers
):
    url = reverse("imports:round_upload", args=[rnd.pk])
    content = form_csv([["12/7/2569 9:00", teachers[0].national_id, "", "", "3", "4", "3", "4"]])
    for user in (admin, officer):
        client.force_login(user)
        assert client.get(url).status_code == 200, user
    for user in (supervisor, director, teacher, inspector):
        client.force_login(user)
        assert client.get(url).status_code == 403, user
        posted = client.post(url, {"kind": "assessment", "file": upload_file("a.csv", content)})
        assert posted.status_code == 403, user
    client.force_login(supervisor)  # sees the round's progress, not the import
    page = client.get(reverse("planning:round", args=[rnd.pk]))
    assert page.status_code == 200 and url not in page.content.decode()
    client.force_login(other_admin)
    assert client.get(url).status_code == 404
    assert not ImportBatch.objects.exists()
    # The general upload page neither offers the kind nor takes it without its round.
    client.force_login(admin)
    assert 'value="assessment"' not in client.get(reverse("imports:upload")).content.decode()
    client.post(
        reverse("imports:upload"), {"kind": "assessment", "file": upload_file("a.csv", content)}
    )
    assert not ImportBatch.objects.exists()


# ---------------------------------------------------------------- matching and reading, unit


FIVE = SimpleNamespace(
    extra={"scale": (1, 5, scale_words(["น้อยที่สุด", "น้อย", "ปานกลาง", "มาก", "มากที่สุด"], 1))}
)
FOUR = SimpleNamespace(
    extra={"scale": (0, 3, scale_words(["ไม่มี", "พื้นฐาน", "ชำนาญ", "เชี่ยวชาญ"], 0))}
)


@pytest.mark.parametrize(
    "cell, ctx, level",
    [
        ("5", FIVE, 5), (4, FIVE, 4), (3.0, FIVE, 3), ("๒", FIVE, 2), ("มากที่สุด", FIVE, 5),
        ("น้อยที่สุด", FIVE, 1), ("4 - มาก", FIVE, 4), (" ปานกลาง ", FIVE, 3), ("0", FOUR, 0),
        ("ชำนาญ", FOUR, 2), ("๓", FOUR, 3),
    ],
)  # fmt: skip
def test_a_rating_reads_as_its_level(cell, ctx, level):
    assert read_level(prepare(cell), ctx) == level


@pytest.mark.parametrize(
    "cell, ctx, words",
    [
        ("6", FIVE, "นอกมาตราส่วน"), ("0", FIVE, "นอกมาตราส่วน"), (4.5, FIVE, "อ่านระดับไม่ได้"),
        ("ดีเยี่ยม", FIVE, "อ่านระดับไม่ได้"), ("มาก", FOUR, "อ่านระดับไม่ได้"),
        ("4", FOUR, "นอกมาตราส่วน"),
    ],
)  # fmt: skip
def test_a_rating_off_the_scale_or_unreadable_is_refused_in_thai(cell, ctx, words):
    with pytest.raises(CellError, match=words):
        read_level(prepare(cell), ctx)


def test_a_blank_rating_is_not_answered_never_zero():
    assert prepare("") is None and prepare("  ") is None and prepare("-") is None


@pytest.mark.parametrize(
    "cell, iso",
    [
        ("12/7/2569, 10:15:30", "2026-07-12T10:15:30"),
        ("12/7/2026 9:05", "2026-07-12T09:05:00"),
        ("12/7/2569 1:05:00 PM", "2026-07-12T13:05:00"),
        (dt.datetime(2026, 7, 12, 8, 0, 1), "2026-07-12T08:00:01"),
    ],
)
def test_a_form_time_stamp_reads_to_a_moment(cell, iso):
    assert read_sent_at(prepare(cell), None) == iso


ITEMS = [
    Item(1, "1.1", ITEM_1),
    Item(2, "1.2", ITEM_2),
    Item(3, "2.1", "การวัดและประเมินผล"),
    Item(4, "2.2", "การใช้สื่อในยุคปัจจุบัน"),
]


@pytest.mark.parametrize(
    "header, key",
    [
        (f"1.1 {ITEM_1} [{CUR}]", "d_1"),
        (f"1.1 {ITEM_1} [{EXP}]", "i_1"),
        (f"{CUR} [1.2 {ITEM_2}]", "d_2"),  # a Forms grid: the item in the brackets
        ("ข้อ ๒.๑  การวัด\u200bและประเมินผล (สภาพที่คาดหวัง)", "i_3"),
        ("2.1 [ระดับที่เป็นอยู่]", "d_3"),  # the number alone
        (f"{ITEM_2} ระดับที่เป็นอยู่", "d_2"),
        ("1.1 การใช้เทคโนโลยีดิจิทัล [ระดับที่คาดหวัง]", "i_1"),  # a shortened wording
        (f"{ITEM_1}", None),  # no level said
        ("การใช้สื่อในยุคปัจจุบัน", None),  # its wording ends in "ปัจจุบัน": no level said
        ("2.2 การใช้สื่อในยุคปัจจุบัน ระดับที่คาดหวัง", "i_4"),
        ("9.9 [ระดับที่เป็นอยู่]", None),
        ("เลขประจำตัวประชาชน", None),
    ],
)
def test_question_headers_match_framework_items(header, key):
    assert match_header(header, ITEMS) == key


# ---------------------------------------------------------------- messy Thai input, property

ZERO_WIDTH = st.sampled_from(["", "\u200b", "\u200c", "\u00a0", " ", "  "])
WORDS = {1: "น้อยที่สุด", 2: "น้อย", 3: "ปานกลาง", 4: "มาก", 5: "มากที่สุด"}


@FAST
@given(
    level=st.integers(1, 5),
    form=st.sampled_from(["arabic", "thai", "word", "both", "number"]),
    before=ZERO_WIDTH,
    after=ZERO_WIDTH,
)
def test_any_writing_of_a_level_reads_as_that_level(level, form, before, after):
    written = {
        "arabic": str(level),
        "thai": to_thai_digits(str(level)),
        "word": WORDS[level],
        "both": f"{to_thai_digits(str(level))} - {WORDS[level]}",
        "number": level,
    }[form]
    cell = written if form == "number" else f"{before}{written}{after}"
    assert read_level(prepare(cell), FIVE) == level


thai_words = st.text(
    alphabet=st.characters(min_codepoint=0x0E01, max_codepoint=0x0E2E), min_size=10, max_size=30
)


@FAST
@given(
    names=st.lists(thai_words, min_size=2, max_size=4, unique=True),
    pick=st.integers(0, 3),
    side=st.sampled_from([("d", CUR), ("i", EXP), ("d", "สภาพปัจจุบัน"), ("i", "สภาพที่คาดหวัง")]),
    numbering=st.sampled_from(["{code} ", "ข้อ {code} ", "{code}) ", "", "{thai} "]),
    gap=ZERO_WIDTH,
    grid=st.booleans(),
)
def test_a_question_header_matches_its_item_whatever_the_numbering_and_spacing(
    names, pick, side, numbering, gap, grid
):
    # Names one of which is inside another would be ambiguous to anyone: not asked.
    if any(a != b and (a in b) for a in names for b in names):
        return
    items = [Item(n + 1, f"{n + 1}.{n + 2}", name) for n, name in enumerate(names)]
    item = items[pick % len(items)]
    number = numbering.format(code=item.code, thai=to_thai_digits(item.code))
    text = f"{number}{gap}{item.name[:5]}{gap}{item.name[5:]}{gap}"
    header = f"{side[1]} [{text}]" if grid else f"{text} [{side[1]}]"
    assert match_header(header, items) == f"{side[0]}_{item.pk}"
    assert header_side(header)[0] == side[0]
