"""Property tests: messy Thai input never crashes the readers; values survive export → import."""

import datetime as dt
import io
import json
import re
import string
import tempfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from imports import actions, readers
from imports.importers import FORMULA, CellError, format_date, get_importer, prepare
from imports.models import BatchStatus, ImportBatch
from krupd.lib.numerals import clean_text, to_thai_digits
from krupd.lib.thai_id import check_digit

from .conftest import upload_file

THAI = re.compile(r"[\u0e00-\u0e7f]")
FAST = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
SLOW = settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))

thai_text = st.text(alphabet=st.characters(min_codepoint=0x0E01, max_codepoint=0x0E5B), max_size=30)
messy_text = st.one_of(
    thai_text,
    st.text(max_size=40),
    st.text(alphabet=string.digits + "๐๑๒๓๔๕๖๗๘๙ -/.,\u00a0\u200b", max_size=20),
    st.just("x" * 1200),
    st.sampled_from(["#N/A", "#REF!", "-", "", "   ", "15/03/2530", "๑๕ มี.ค. ๒๕๓๐", "2530-03-15"]),
)
cells = st.one_of(
    st.none(),
    messy_text,
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.dates(),
    st.datetimes(),
    st.booleans(),
    st.just(FORMULA),
)


@pytest.fixture
def contexts(office, school_a):
    return {
        kind: get_importer(kind).context(office=office)
        for kind in ("personnel", "schools", "enrolment")
    }


@FAST
@given(data=st.data())
def test_it_reads_any_cell_into_a_value_or_a_thai_error(contexts, data):
    for kind, ctx in contexts.items():
        for column in get_importer(kind).spec.importable:
            raw = data.draw(cells, label=f"{kind}.{column.key}")
            try:
                column.parse(raw, ctx)
            except CellError as error:
                assert THAI.search(str(error)), (column.key, raw, str(error))


def _read(column, raw, ctx, memo=None):
    empty, value = column.read_cell(raw, ctx, memo)
    return empty, (str(value) if isinstance(value, CellError) else value)


@FAST
@given(data=st.data())
def test_a_remembered_cell_reads_as_it_did_the_first_time(contexts, data):
    """Each distinct cell of a column of few values is read once per validation; any cell,
    read again (or after a cell equal to it of another type: 1, 1.0, True), gives the same
    value or the same Thai message as reading it afresh."""
    for kind, ctx in contexts.items():
        for column in get_importer(kind).spec.importable:
            memo: dict = {}
            raws = data.draw(st.lists(cells, max_size=4), label=f"{kind}.{column.key}")
            raws += [1, 1.0, True, 0, 0.0, False]
            for raw in raws + raws:
                afresh = _read(column, raw, ctx)
                assert _read(column, raw, ctx, memo) == afresh, (column.key, raw)
                try:
                    expected = (prepare(raw) is None, column.parse(raw, ctx))
                except CellError as error:
                    expected = (afresh[0], str(error))
                assert afresh == expected, (column.key, raw)


@FAST
@given(rows=st.lists(st.lists(cells, max_size=26), min_size=1, max_size=5))
def test_a_row_reads_the_same_from_remembered_cells(contexts, rows):
    """`read_row` answers a column of few values from its memo: every row, read again or
    after rows with equal cells, has the values, Thai messages and key it has read afresh."""
    importer = get_importer("personnel")
    ctx = contexts["personnel"]
    read = list(enumerate(importer.spec.importable))
    remembered = [(index, column, {} if column.memo else None) for index, column in read]
    afresh = [(index, column, None) for index, column in read]
    for number, row in enumerate(rows + rows, start=2):
        got = actions.read_row(number, tuple(row), remembered, importer, ctx)
        expected = actions.read_row(number, tuple(row), afresh, importer, ctx)
        assert (got is None) == (expected is None)
        if got is not None:
            assert (got.values, got.errors, got.key) == (
                expected.values,
                expected.errors,
                expected.key,
            )


@st.composite
def personnel_values(draw):
    serial = draw(st.integers(min_value=0, max_value=10**11 - 1))
    first = draw(st.sampled_from("1234568"))
    base = f"{first}{serial:011d}"
    return {
        "national_id": base + str(check_digit(base)),
        "first_name": draw(thai_text.map(clean_text).filter(bool)),
        "birth_date": draw(st.dates(dt.date(1931, 1, 1), dt.date(2005, 12, 31))).isoformat(),
        "appointment_date": draw(
            st.one_of(st.none(), st.dates(dt.date(1951, 1, 1), dt.date.today()).map(str))
        ),
        "salary": draw(st.one_of(st.none(), st.decimals("0", "9999999.99", places=2).map(str))),
        "gender": draw(st.sampled_from(["male", "female", "other"])),
        "personnel_type": draw(
            st.sampled_from(["teacher", "assistant_teacher", "director", "employee"])
        ),
        "highest_degree": draw(st.sampled_from(["", "bachelor", "master", "doctorate"])),
        "status": draw(st.sampled_from(["active", "retired", "transferred", "deceased"])),
        "standing": draw(st.sampled_from(["", "assistant", "k1", "k2", "k5"])),
        "areas_taught": draw(
            st.lists(st.sampled_from(["thai", "math", "science", "arts", "admin"]), unique=True)
        ),
    }


def _messy(cell):
    """What people do to a cell: Thai digits, stray spaces."""
    if isinstance(cell, str):
        return f"  {to_thai_digits(cell)}\u00a0"
    return cell


@FAST
@given(values=personnel_values(), messy=st.booleans())
def test_it_reads_back_every_value_it_exports(contexts, values, messy):
    ctx = contexts["personnel"]
    spec = get_importer("personnel").spec
    order = {c: i for i, c in enumerate(ctx.extra["areas"])}
    values["areas_taught"] = sorted(values["areas_taught"], key=order.get)
    for key, value in values.items():
        column = spec.by_key[key]
        cell = column.to_cell(value, ctx)
        if messy and key not in ("first_name",):
            cell = _messy(cell)
        assert column.parse(cell, ctx) == value, (key, value, cell)


@FAST
@given(date=st.dates(dt.date(1931, 1, 1), dt.date(2020, 12, 31)), style=st.integers(0, 5))
def test_it_reads_dates_in_every_way_offices_write_them(contexts, date, style):
    column = get_importer("personnel").spec.by_key["appointment_date"]
    be = date.year + 543
    written = [
        format_date(date.isoformat()),
        f"{date.day}/{date.month}/{date.year}",
        to_thai_digits(f"{date.day:02d}/{date.month:02d}/{be}"),
        f"{be}-{date.month:02d}-{date.day:02d}",
        dt.datetime(date.year, date.month, date.day),
        (date - dt.date(1899, 12, 30)).days,  # an Excel serial number
    ][style]
    assume(date >= dt.date(1951, 1, 1))
    assert column.parse(written, contexts["personnel"]) == date.isoformat()


@st.composite
def header_layouts(draw):
    """A personnel header as offices lay it out: title rows, shuffled, spaced, maybe two rows."""
    spec = get_importer("personnel").spec
    columns = draw(st.permutations([c for c in spec.columns if not c.informational]))
    titles = draw(st.lists(st.lists(thai_text, min_size=1, max_size=2), max_size=3))
    headers = []
    for column in columns:
        name = draw(st.sampled_from((column.header, *column.aliases)))
        spaces = draw(st.sampled_from(["", " ", "  ", "\u00a0"]))
        headers.append(spaces + to_thai_digits(name.upper()) + spaces)
    split = draw(st.booleans())
    rows = [list(t) for t in titles]
    if split:
        rows.append(["ข้อมูลบุคลากร"] + [None] * (len(headers) - 1))
    rows.append(headers)
    return rows, len(rows), columns


@FAST
@given(layout=header_layouts())
def test_it_finds_the_header_among_title_rows(layout):
    rows, header_row, columns = layout
    spec = get_importer("personnel").spec
    guess = spec.detect_header([(i, tuple(r)) for i, r in enumerate(rows, start=1)])
    assert guess.row_number == header_row
    assert [guess.mapping.get(i) for i in range(len(columns))] == [c.key for c in columns]


@SLOW
@given(content=st.binary(max_size=3000), name=st.sampled_from(["a.xlsx", "a.csv", "a.txt", "a"]))
def test_it_reads_random_bytes_as_rows_or_refuses_in_thai(content, name):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(content)
        try:
            with open(path, "rb") as f:
                fmt = readers.sniff(f, name)
            with readers.open_sheet(str(path), fmt) as sheet:
                for _ in sheet.rows():
                    pass
        except readers.ImportFileError as error:
            assert THAI.search(str(error))


@st.composite
def messy_workbooks(draw):
    spec = get_importer("personnel").spec
    keys = [
        "national_id",
        "title",
        "first_name",
        "last_name",
        "position",
        "birth_date",
        "salary",
        "school",
    ]
    header = [spec.by_key[k].header for k in keys]
    workbook = openpyxl.Workbook()
    ws = workbook.active
    for _ in range(draw(st.integers(0, 2))):
        ws.append([draw(thai_text)])  # title rows
    ws.append(header)
    for _ in range(draw(st.integers(0, 6))):
        row = []
        for _key in keys:
            cell = draw(
                st.one_of(
                    st.none(), messy_text, st.integers(-5, 10**13), st.dates(), st.just("=1+1")
                )
            )
            row.append(ILLEGAL_CHARACTERS_RE.sub("", cell) if isinstance(cell, str) else cell)
        ws.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@SLOW
@given(content=messy_workbooks())
def test_it_validates_messy_workbooks_without_crashing(content, admin, school_a):
    batch = actions.start_import(
        acting_user=admin, kind="personnel", uploaded_file=upload_file("m.xlsx", content)
    )
    batch.refresh_from_db()
    if batch.status == BatchStatus.FAILED:
        # Nothing but blank rows under the header: refused whole, saying so (not a crash).
        assert batch.error_message.startswith("ไม่พบแถวข้อมูลใต้หัวตาราง"), batch.error_message
        assert not batch.rows.exists()
    else:
        assert batch.status in (BatchStatus.VALIDATED, BatchStatus.NEEDS_MAPPING)
    for row in batch.rows.filter(status="error"):
        for error in row.errors:
            assert THAI.search(error["message"]) and error["column"]
    ImportBatch.objects.filter(pk=batch.pk).delete()


def test_it_keeps_salary_decimals_exact(contexts):
    column = get_importer("personnel").spec.by_key["salary"]
    assert column.parse(35220.5, contexts["personnel"]) == "35220.50"
    assert column.parse("๓๕,๒๒๐ บาท", contexts["personnel"]) == "35220.00"
    assert column.parse(Decimal("1.005"), contexts["personnel"]) == "1.00"


@FAST
@given(values=personnel_values(), data=st.data())
def test_a_new_person_is_written_and_audited_as_a_person_instance_would_be(
    contexts, school_b, school_x, created_json, values, data
):
    """The apply writes new people from plain values; their columns and audit snapshot are
    exactly those of a Person instance given the same values (what the web form records)."""
    from django.utils import timezone

    from imports.importers import personnel
    from registry import audit
    from registry.actions import person_created_changes, person_snapshot, person_values_snapshot
    from registry.models import Person, PersonStatus

    ctx = contexts["personnel"]
    codes = ["", *ctx.extra["schools"]]
    values.update(
        title=data.draw(st.sampled_from(["นาง", "นาย", "ว่าที่ร.ต."])),
        last_name=data.draw(thai_text.map(clean_text).filter(bool)),
        position="ครู",
        school=data.draw(st.sampled_from(codes)),
        major=data.draw(st.sampled_from(["", *list(ctx.extra["majors"])[:5]])),
        secondment=data.draw(st.sampled_from(["", "out", "in"])),
        secondment_school=data.draw(st.sampled_from([*codes, school_x.obec_code])),
        secondment_until=data.draw(st.one_of(st.none(), st.dates().map(str))),
    )
    now = timezone.now()
    fields = personnel._new_person(values, ctx, now)
    person = Person(office=ctx.office, status=PersonStatus.ACTIVE)
    personnel.IMPORTER._assign(person, values, values.keys(), ctx)
    person.created_at = person.updated_at = now
    columns = {f.attname: getattr(person, f.attname) for f in Person._meta.local_concrete_fields}
    del columns["id"]
    assert personnel._column_values(fields) == columns
    names = [ctx.extra["areas"][c].name for c in values["areas_taught"]]
    assert person_values_snapshot(fields, names) == person_snapshot(person, names)
    # The CREATE entry's changes, built in one pass, are the diff of that snapshot.
    created = person_created_changes(fields, names)
    assert created == audit.diff({}, person_snapshot(person, names))
    assert list(created) == sorted(created)
    # ... and the apply writes them as the text json.dumps makes of them, made afresh or
    # from the pieces remembered from earlier people (the same writer for every example).
    assert created_json(fields, names) == json.dumps(created)
    assert created_json(fields, names) == json.dumps(created)


@pytest.fixture
def created_json():
    """One writer of CREATE changes for every example of a test, as for every person of an
    import."""
    from registry.actions import PersonCreatedJson

    return PersonCreatedJson()


def _audit_field_values(school):
    """Any value a person's field may hold when a creation is audited, odd ones included."""
    return st.one_of(
        st.none(),
        st.text(max_size=12),
        st.sampled_from(["", "male", "female", "teacher", "active", "master", "out", "in", "x"]),
        st.dates(),
        st.decimals(allow_nan=False, allow_infinity=False, places=2),
        st.sampled_from([Decimal("1.0"), Decimal("1.00"), Decimal("-0"), Decimal("1E+3")]),
        st.just(school),
    )


@FAST
@given(data=st.data())
def test_the_text_of_created_changes_is_json_of_the_changes(school_a, created_json, data):
    """Any fields, remembered pieces or not: the text is json.dumps of person_created_changes."""
    from registry.actions import PERSON_AUDIT_FIELDS, person_created_changes

    values = st.fixed_dictionaries(
        {name: _audit_field_values(school_a) for name in PERSON_AUDIT_FIELDS}
    )
    for fields in data.draw(st.lists(values, min_size=1, max_size=4)):
        areas = data.draw(st.lists(st.sampled_from(["คณิตศาสตร์", "ศิลปะ", 'a"\\b']), unique=True))
        assert created_json(fields, areas) == json.dumps(person_created_changes(fields, areas))


@settings(deadline=None)
@given(
    st.decimals(min_value=-90, max_value=90, places=6, allow_nan=False, allow_infinity=False),
    st.booleans(),
)
def test_a_coordinate_with_a_decimal_comma_reads_as_with_a_point(latitude, thai_digits):
    """A computer set to European formats writes 13,7563: a coordinate never reaches a
    thousand, so the comma is its decimal point, never a thousands separator."""
    from imports.importers.schools import _coordinate

    read = _coordinate("-90", "90")
    with_point = f"{latitude:f}"
    with_comma = with_point.replace(".", ",")
    if thai_digits:
        with_comma = to_thai_digits(with_comma)
    assert read(with_comma, None) == read(with_point, None)


def test_a_coordinate_pair_in_one_cell_is_refused_naming_what_to_do():
    from imports.importers.schools import _coordinate

    with pytest.raises(CellError, match="แยกละติจูดและลองจิจูดไว้คนละคอลัมน์"):
        _coordinate("-90", "90")("13.7563, 100.5018", None)
    with pytest.raises(CellError, match="ได้ “137.56”"):
        _coordinate("-90", "90")("137.56", None)
