"""Column widths that hold every word: a Thai word, a number or a school code is never broken
across two lines of a table cell.

Word and LibreOffice break a line between Thai words, at spaces and after "/" or "-"; a word
wider than its cell is cut wherever it runs out of room ("สมาชิ|ก", "107601000|3"), which no
office writes. A document gives its columns' widths by eye; `fitted_widths` widens a column
whose longest word does not fit, by as much as the others can spare without breaking theirs,
so that the table keeps its width.

Widths are measured with Sarabun's advance widths: TH SarabunPSK (the documents' font) and its
metric twin Laksaman have the same widths per em within 2 %, and Sarabun ships with the
product (fontpkg-sarabun)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

PT_TO_CM = 2.54 / 72
# Table Grid's cell margins (0.19 cm each side).
CELL_PADDING_CM = 0.38
# What the renderers take beyond the advance widths (the borders, their rounding to twips):
# LibreOffice broke "อันดับ" (bold 14 pt, 1.24 cm of advances) in a 1.62 cm column.
SAFETY_CM = 0.05
# The first rows measured word by word: beyond them only what is not Thai (numbers, codes,
# Latin words) is measured, a dictionary segmentation per cell costing more than the cell.
THAI_ROWS_MEASURED = 200
MIN_COLUMN_CM = 0.8
_BREAK_AFTER = re.compile(r"(?<=[/\-])")


@lru_cache(maxsize=2)
def _advances(bold: bool) -> tuple[dict[int, float], float]:
    """Sarabun's advance width per character, in em; and the width of a character it lacks."""
    import fontpkg_sarabun
    from fontTools.ttLib import TTFont

    name = "Sarabun-Bold.ttf" if bold else "Sarabun-Regular.ttf"
    font = TTFont(str(fontpkg_sarabun.ROOT / "files" / name), lazy=True)
    per_em = font["head"].unitsPerEm
    metrics = font["hmtx"]
    widths = {code: metrics[glyph][0] / per_em for code, glyph in font.getBestCmap().items()}
    return widths, 0.6


def text_width_cm(text: str, *, size: float, bold: bool = False) -> float:
    """How wide the text is set on one line at `size` points."""
    widths, other = _advances(bold)
    return sum(widths.get(ord(ch), other) for ch in text) * size * PT_TO_CM


def _is_thai(text: str) -> bool:
    return any("\u0e00" <= ch <= "\u0e7f" for ch in text)


def words(text: str, *, thai: bool = True) -> list[str]:
    """The pieces a line may not be broken inside: Thai words (thai=False: a Thai stretch is
    left out), and between spaces the rest, broken after "/" and "-"."""
    from .thai_wrap import ZWSP, with_word_breaks

    out = []
    for piece in text.split():
        for part in _BREAK_AFTER.split(piece):
            if not _is_thai(part):
                out.append(part)
            elif thai:
                out.extend(with_word_breaks(part).split(ZWSP))
    return out


def longest_word_cm(text: str, *, size: float, bold: bool = False, thai: bool = True) -> float:
    return max(
        (text_width_cm(w, size=size, bold=bold) for w in words(text, thai=thai)), default=0.0
    )


def fitted_widths(
    widths: Sequence[float],
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    size: float,
    header_size: float | None = None,
    padding: float = CELL_PADDING_CM,
) -> list[float]:
    """`widths` (cm) with each column made wide enough for its longest word, the width taken
    from the columns with room to spare (in proportion to it); the total stays. When the others
    cannot spare enough, a column gets what there is. Header texts are bold; `rows` are the
    cells' texts as written; `padding` the cells' left and right margins together (cm)."""
    widths = [float(w) for w in widths]
    n = len(widths)
    need = [0.0] * n
    for c, text in enumerate(header[:n]):
        need[c] = longest_word_cm(text, size=header_size or size, bold=True)
    for r, row in enumerate(rows):
        thai = r < THAI_ROWS_MEASURED
        for c, text in enumerate(row[:n]):
            if text:
                need[c] = max(need[c], longest_word_cm(text, size=size, thai=thai))
    # A column keeps room for a digit or two even when its cells are empty.
    need = [max(w + padding + SAFETY_CM if w else 0.0, min(widths[c], MIN_COLUMN_CM))
            for c, w in enumerate(need)]  # fmt: skip
    short = [max(0.0, need[c] - widths[c]) for c in range(n)]
    spare = [max(0.0, widths[c] - need[c]) for c in range(n)]
    missing, room = sum(short), sum(spare)
    if not missing or not room:
        return widths
    given = min(missing, room)
    return [
        round(widths[c] + short[c] * given / missing - spare[c] * given / room, 3) for c in range(n)
    ]
