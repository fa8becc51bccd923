"""O-NET sheet: Thai row errors, all-or-nothing, re-import changes nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from reporting import actions
from reporting.models import OnetResult
from reporting.onet import parse_onet
from reporting.tests.helpers import onet_sheet


def test_it_reports_every_bad_row_in_thai(school):
    data = onet_sheet([
        (school.obec_code, "คณิตศาสตร์", 2567, 45.5),
        ("9999999999", "ภาษาไทย", 2567, 50),
        (school.obec_code, "", "๒๕๖๗", "abc"),
        (school.obec_code, "คณิตศาสตร์", 2567, 45.5),
        (school.obec_code, "วิทยาศาสตร์", 2567, 120),
    ])  # fmt: skip
    parsed = parse_onet(data, school_codes={school.obec_code})
    assert "แถวที่ 4: ไม่พบรหัสสถานศึกษา 9999999999 ในเขตพื้นที่นี้" in parsed.errors
    assert "แถวที่ 5: ไม่มีชื่อวิชา" in parsed.errors
    assert any(e.startswith("แถวที่ 5: คะแนนเฉลี่ย “abc”") for e in parsed.errors)
    assert "แถวที่ 6: ซ้ำกับแถวที่ 3 (โรงเรียน ปี ชั้น และวิชาเดียวกัน)" in parsed.errors
    assert any(e.startswith("แถวที่ 7: คะแนนเฉลี่ย 120") for e in parsed.errors)
    assert parse_onet(b"not a workbook", school_codes=set()).errors == [
        "อ่านไฟล์ไม่ได้: ต้องเป็นไฟล์ Excel (.xlsx)"
    ]


def test_it_applies_all_or_nothing_and_reimports_idempotently(users, school):
    user = users["development_officer"]
    bad = parse_onet(onet_sheet([(school.obec_code, "คณิต", 2567, 40), ("x", "ไทย", 2567, 40)]),
                     school_codes={school.obec_code})  # fmt: skip
    with pytest.raises(ValidationError):
        actions.import_onet(acting_user=user, parsed=bad)
    assert not OnetResult.objects.exists()
    # Thai digits, a CE year and columns in another order are read too.
    sheet = onet_sheet(
        [("คณิตศาสตร์", "๔๕.๕", school.obec_code, 2024), ("ภาษาไทย", 50, school.obec_code, 2567)],
        header=("วิชา", "คะแนนเฉลี่ย", "รหัสสถานศึกษา", "ปีการศึกษา"),
    )
    parsed = parse_onet(sheet, school_codes={school.obec_code})
    assert parsed.errors == []
    first = actions.import_onet(acting_user=user, parsed=parsed)
    assert (first.created, first.changed, first.unchanged) == (2, 0, 0)
    again = actions.import_onet(
        acting_user=user, parsed=parse_onet(sheet, school_codes={school.obec_code})
    )
    assert (again.created, again.changed, again.unchanged) == (0, 0, 2)
    assert OnetResult.objects.get(subject="คณิตศาสตร์").mean == Decimal("45.50")
    assert OnetResult.objects.get(subject="คณิตศาสตร์").academic_year == 2567
