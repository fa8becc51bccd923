"""The SAR PDF's evidence tables and annexes are drawn row by row (render.pdf._RowTable) with
lines written again from their first drawing (_Stamps): the pages must look as fpdf2's own
table drew them, and hold every text once, the header on every page."""

import shutil
import subprocess

import pytest
from fpdf.fonts import FontFace

from reporting.evidence import METHODS_HEADER
from reporting.render.pdf import _evidence_table, _new_pdf
from reporting.reports.sar import ANNEX_WIDTHS

needs_poppler = pytest.mark.skipif(
    not shutil.which("pdftoppm") or not shutil.which("pdftotext"), reason="needs poppler-utils"
)

PLACES = ["ห้องประชุม สพป.", "โรงแรมรอยัล ริเวอร์ กรุงเทพมหานคร", "ออนไลน์"]
MODES = ["ออนไลน์เรียนด้วยตนเอง (e-Training)", "ประชุมสัมมนา", "อบรมเชิงปฏิบัติการ"]


def _rows(n: int) -> list[list]:
    return [
        [i, f"หลักสูตรพัฒนาครู 2569-{i}" + (" การวัดและประเมินผลเพื่อพัฒนาการเรียนรู้" * (i % 4 == 0)),
         f"{i % 28 + 1} พ.ค. 2569 – {i % 28 + 2} พ.ค. 2569", PLACES[i % 3], MODES[i % 3],
         40 + i % 9, 30 + i % 7, f"{75 + i % 20}.{i % 100:02d}"]
        for i in range(1, n + 1)
    ]  # fmt: skip


def _with_fpdf2_table(header, rows, widths) -> bytes:
    """The tables as sar_pdf drew them before: fpdf2's table, the texts marked where a line
    may break (between Thai words) and where it must not (a number and its unit, a date)."""
    from krupd.lib.thai_wrap import with_breaks_marked as words

    pdf = _new_pdf()
    pdf.ln(1)
    pdf.set_font("Sarabun", "", 9)
    with pdf.table(col_widths=widths, headings_style=FontFace(emphasis="BOLD"),
                   repeat_headings=1, line_height=4.6, text_align="LEFT") as table:  # fmt: skip
        for values in [header, *rows]:
            row = table.row()
            for v in values:
                row.cell(f"{v:,}" if isinstance(v, int) else words(str(v)))
    return bytes(pdf.output())


def _with_row_table(header, rows, widths) -> bytes:
    pdf = _new_pdf()
    _evidence_table(pdf, header, rows, widths)
    return bytes(pdf.output())


def _pages(data: bytes, tmp_path, name: str) -> list[bytes]:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "40", "-gray", str(path), str(tmp_path / name)], check=True)
    return [p.read_bytes() for p in sorted(tmp_path.glob(f"{name}-*.pgm"))]


def _text(data: bytes, tmp_path) -> list[str]:
    path = tmp_path / "t.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                         capture_output=True, text=True).stdout  # fmt: skip
    return out.split("\f")[:-1]


@needs_poppler
@pytest.mark.parametrize("widths", [[w * 10 for w in ANNEX_WIDTHS[8]], None])
def test_the_pages_look_as_fpdf2s_table_drew_them(tmp_path, widths):
    """Rendered at 40 dpi, every page as fpdf2's table drew it: the rows, their heights and
    page breaks, the header repeated, the texts wrapped at the same words."""
    rows = _rows(90)
    fast = _pages(_with_row_table(METHODS_HEADER, rows, widths), tmp_path, "fast")
    slow = _pages(_with_fpdf2_table(METHODS_HEADER, rows, widths), tmp_path, "slow")
    assert len(fast) == len(slow) > 2
    for a, b in zip(fast, slow, strict=True):
        # The same picture: equal sizes, no pixel more than a quarter of the grey scale apart
        # (the edges of a few glyphs are anti-aliased a little differently).
        assert len(a) == len(b) and a[:15] == b[:15]
        assert max(abs(x - y) for x, y in zip(a, b, strict=True)) <= 64


@needs_poppler
def test_every_text_once_and_the_header_on_every_page(tmp_path):
    rows = _rows(120)
    pages = _text(_with_row_table(METHODS_HEADER, rows, [w * 10 for w in ANNEX_WIDTHS[8]]),
                  tmp_path)  # fmt: skip
    assert len(pages) > 3
    assert all("ชื่อหลักสูตร/โครงการ" in page for page in pages)
    text = "".join(pages)
    assert "\u200b" not in text  # the word-break marks are not drawn
    for i in range(1, 121):
        assert text.count(f"2569-{i} ") + text.count(f"2569-{i}\n") == 1
    assert text.count("ห้องประชุม สพป.") == 40


@pytest.mark.django_db
def test_the_sar_tables_headings_break_between_words(monkeypatch, users):
    """The long heading "ปัจจัย/วิธีการที่ทำให้การดำเนินงานเกิดผลสำเร็จ…" was given to fpdf2
    without word-break marks, and fpdf2 broke it inside words ("ผลสำเร็ | จตามเป้าหมาย"):
    every heading cell is broken into lines between its Thai words, as the body cells are."""
    from fpdf.table import Row

    from accounts.roles import Role
    from krupd.lib.thai_wrap import ZWSP, with_word_breaks
    from reporting import actions
    from reporting.models import SarEdition
    from reporting.render.pdf import sar_pdf
    from reporting.reports import sar as sar_report
    from reporting.reports.sar import SAR_HEADER

    written = []
    cell = Row.cell
    monkeypatch.setattr(Row, "cell", lambda row, text="", **kw: (written.append(text),
                                                               cell(row, text, **kw))[1])  # fmt: skip
    edition = SarEdition.objects.get(code="esa-2555")
    report = actions.start_sar(
        acting_user=users[Role.DEVELOPMENT_OFFICER], edition=edition, fiscal_year=2569
    )
    sar_pdf(sar_report.build(report))
    headings = written[: len(SAR_HEADER)]
    # The lines are broken before fpdf2 gets them, between words; no zero-width space is
    # left in the page's text (a search of the PDF would trip on it).
    assert [h.replace("\n", "") for h in headings] == SAR_HEADER
    assert not any(ZWSP in text for text in written)
    words = with_word_breaks(SAR_HEADER[3]).split(ZWSP)
    ends = {sum(len(w) for w in words[:n]) for n in range(1, len(words) + 1)}
    lines = headings[3].split("\n")
    assert len(lines) > 1
    for n in range(1, len(lines)):
        assert len("".join(lines[:n])) in ends, lines
