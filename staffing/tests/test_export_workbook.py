"""The staffing workbook: what each sheet holds, cell by cell."""

import io

import pytest
from openpyxl import load_workbook

from accounts.roles import Role
from staffing import exports
from staffing.queries import analyse

from .helpers import YEAR, school_with

pytestmark = pytest.mark.django_db


def cells(content: bytes) -> dict[str, list[list]]:
    """Every sheet's values by row, empty cells None, trailing empty rows and columns gone."""
    book = load_workbook(io.BytesIO(content))
    grids = {}
    for ws in book.worksheets:
        rows = [[None if v == "" else v for v in r] for r in ws.iter_rows(values_only=True)]
        while rows and all(v is None for v in rows[-1]):
            rows.pop()
        grids[ws.title] = rows
    return grids


@pytest.fixture
def analysis(office, users):
    school_with(office, "1076019001", students=20, rooms=6, teachers={"คณิตศาสตร์": 3})
    school_with(office, "1076019002", students=60, rooms=6, teachers={"ภาษาไทย": 1})
    odd = school_with(office, "1076019003", students=None, rooms=0, teachers={"คณิตศาสตร์": 2})
    odd.name = '=โรงเรียน & <วัด> "ป่า"'
    odd.save()
    return analyse(users[Role.OFFICE_ADMIN], academic_year=YEAR)


def test_it_writes_the_same_cells_as_the_openpyxl_workbook(analysis):
    assert cells(exports.analysis_xlsx(analysis)) == cells(exports.analysis_xlsx_openpyxl(analysis))
