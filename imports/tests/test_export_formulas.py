"""A value a teacher typed (phone "=cmd|' /C calc'!A0") leaves every export as text, and the
exported file imports back unchanged."""

import csv
import io
import zipfile

import pytest
from django.urls import reverse

from imports.models import BatchStatus, ImportBatch

from .conftest import read_xlsx, upload_file
from .test_exports import export, reimport
from .test_personnel import HEADER, person_row

PHONE = "=cmd|' /C calc'!A0"


def _reads_back_as_typed(batch, problems):
    """The re-import sees exactly what was typed: the name "@SUM(1)" passes, and the phone
    is refused by the phone rule quoting the value unchanged (no apostrophe, no formula)."""
    assert batch.status == BatchStatus.VALIDATED
    [(_, errors, _)] = problems
    assert [e["column"] for e in errors] == ["โทรศัพท์"]
    assert f"“{PHONE}”" in errors[0]["message"]


@pytest.fixture
def person(make_person, school_a):
    return make_person(1, school=school_a, phone=PHONE, first_name="@SUM(1)")


def test_the_xlsx_export_has_no_formula(client, admin, person):
    client.force_login(admin)
    content = export(client, "personnel", "xlsx", "status=")
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet
    batch, problems = reimport(client, "personnel", "p.xlsx", content)
    _reads_back_as_typed(batch, problems)


def test_the_csv_export_guards_the_cell_and_reads_back_as_typed(client, admin, person):
    client.force_login(admin)
    content = export(client, "personnel", "csv", "status=")
    text = content.decode("utf-8-sig")
    assert "'" + PHONE.replace('"', '""') in text
    assert ",=cmd" not in text and ",@SUM" not in text
    batch, problems = reimport(client, "personnel", "p.csv", content)
    _reads_back_as_typed(batch, problems)


def test_the_error_file_has_no_formula(client, admin, school_a):
    client.force_login(admin)
    row = person_row(1, **{"เลขประจำตัวประชาชน": "=1+1", "โทรศัพท์": "@SUM(A1)"})
    buf = io.StringIO()
    csv.writer(buf).writerows([HEADER, row])
    upload = upload_file("a.csv", buf.getvalue().encode("utf-8-sig"))
    client.post(reverse("imports:upload"), {"kind": "personnel", "file": upload})
    batch = ImportBatch.objects.latest("pk")
    assert batch.count_error == 1
    response = client.get(reverse("imports:error_file", args=[batch.pk]))
    data = b"".join(response.streaming_content) if response.streaming else response.content
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()
    assert "=1+1" in str(read_xlsx(data))
