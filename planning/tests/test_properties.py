"""Properties: the framework reader never fails with anything but a Thai list of problems, and
PNI from SQL sums matches PNI from the raw answers."""

import io
import statistics

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from planning.framework_xlsx import FrameworkFileError, read_framework
from planning.queries import mean_sd, pni

cell = st.one_of(
    st.none(),
    st.integers(-5, 20),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),
    st.floats(allow_nan=False, width=16),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    meta=st.lists(st.tuples(cell, cell), max_size=10),
    rows=st.lists(st.lists(cell, max_size=8), max_size=6),
)
def test_it_reads_any_workbook_or_lists_problems(meta, rows):
    wb = Workbook()
    ws = wb.active
    ws.title = "ข้อมูลกรอบ"
    for r, (k, v) in enumerate(meta, start=1):
        ws.cell(r, 1, k), ws.cell(r, 2, v)
    items = wb.create_sheet("สมรรถนะ")
    items.append(["รหัสด้าน", "ชื่อด้าน", "รหัส", "สมรรถนะ/ตัวชี้วัด"])
    for row in rows:
        items.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    try:
        parsed = read_framework(buf.getvalue())
    except FrameworkFileError as exc:
        assert exc.errors and all(isinstance(e, str) and e for e in exc.errors)
    else:
        assert parsed.scale_max > parsed.scale_min and parsed.items


@given(st.lists(st.tuples(st.integers(1, 5), st.integers(1, 5)), min_size=2, max_size=40))
def test_sql_style_sums_give_the_textbook_mean_sd_and_pni(pairs):
    d = [p[0] for p in pairs]
    i = [p[1] for p in pairs]
    mean_d, sd_d = mean_sd(len(d), sum(d), sum(x * x for x in d))
    mean_i, _ = mean_sd(len(i), sum(i), sum(x * x for x in i))
    assert abs(mean_d - statistics.mean(d)) < 1e-9
    assert abs(sd_d - statistics.stdev(d)) < 1e-9
    assert (
        abs(pni(mean_i, mean_d) - (statistics.mean(i) - statistics.mean(d)) / statistics.mean(d))
        < 1e-9
    )
