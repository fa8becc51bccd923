"""Line breaks for Thai in PDFs: between words, never inside one.

Thai is written without spaces between words, so a PDF library that breaks lines at spaces
falls back to breaking anywhere in a long run ("ประถ|มศึกษา"). Marking the word boundaries
with zero-width spaces (found by PyThaiNLP's dictionary segmenter) gives it the places where
a Thai reader expects a line to end; the marks are taken out of the lines before drawing.
"""

from __future__ import annotations

from functools import lru_cache

ZWSP = "\u200b"


def _is_thai(ch: str) -> bool:
    return "\u0e00" <= ch <= "\u0e7f"


# What may not begin a line, so never follows a break: the repetition mark "ๆ", the vowels and
# marks written after or over a consonant, and the abbreviation mark "ฯ" ("ขยายโอกาสฯ",
# "กรุงเทพฯ") unless it opens "ฯลฯ". The segmenter gives "ขยาย|โอกาส|ฯ"; measured apart,
# "โอกาส" fitted a column that "โอกาสฯ" did not, and LibreOffice cut it "โอ|กาสฯ".
_NO_LINE_START = (
    "ๆะาำๅ" + "".join(map(chr, range(0x0E31, 0x0E3B))) + "".join(map(chr, range(0x0E47, 0x0E4F)))
)


def _may_start_line(token: str) -> bool:
    if token[0] == "ฯ":
        return token.startswith("ฯล")
    return token[0] not in _NO_LINE_START


@lru_cache(maxsize=2048)
def with_word_breaks(text: str) -> str:
    """The text with a zero-width space between two Thai words (nowhere else)."""
    if not any(_is_thai(ch) for ch in text):
        return text
    from pythainlp.tokenize import word_tokenize  # loads its dictionary on first use

    out: list[str] = []
    for token in word_tokenize(text, engine="newmm", keep_whitespace=True):
        if (
            out
            and out[-1]
            and token
            and _is_thai(out[-1][-1])
            and _is_thai(token[0])
            and _may_start_line(token)
        ):
            out.append(ZWSP)
        out.append(token)
    return "".join(out)


def wrapped_lines(pdf, text: str, width: float) -> list[str]:
    """The lines an fpdf2 `multi_cell` of `width` would draw, broken between Thai words, in
    the pdf's current font; draw each with `cell`."""
    lines = pdf.multi_cell(width, 5, with_word_breaks(text), dry_run=True, output="LINES")
    return [line.replace(ZWSP, "") for line in lines] or [""]


def write_wrapped(pdf, width: float, height: float, text: str, *, align: str = "L") -> None:
    """`multi_cell(width, height, text)` that breaks between Thai words: each line drawn with
    `cell` from the current x, the cursor left at the left margin below the last line.
    A width of 0 reaches the right margin, as in fpdf2."""
    x = pdf.get_x()
    width = width or (pdf.w - pdf.r_margin - x)
    for line in wrapped_lines(pdf, text, width):
        pdf.set_x(x)
        pdf.cell(width, height, line, align=align, new_x="LMARGIN", new_y="NEXT")


def cell_text(pdf, text: str, width: float) -> str:
    """A table cell's text broken into lines between Thai words (at "\n"), for an fpdf2
    table column `width` wide in the pdf's current font. Not the zero-width spaces that mark
    the breaks: fpdf2 writes them into the page's text, and a search of the PDF for
    "เกียรติบัตรรางวัล" would not find "เกียรติบัตร\u200bรางวัล"."""
    return "\n".join(wrapped_lines(pdf, text, width - 0.3))  # the cell's border
