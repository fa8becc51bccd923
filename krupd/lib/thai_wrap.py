"""Line breaks for Thai in PDFs: between words, never inside one.

Thai is written without spaces between words, so a PDF library that breaks lines at spaces
falls back to breaking anywhere in a long run ("ประถ|มศึกษา"). Marking the word boundaries
with zero-width spaces (found by PyThaiNLP's dictionary segmenter) gives it the places where
a Thai reader expects a line to end; the marks are taken out of the lines before drawing.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .thai_dates import MONTHS_LONG, MONTHS_SHORT

ZWSP = "\u200b"
NBSP = "\u00a0"  # fpdf2 does not break a line at it, and draws it as a space

# Terms of the office's documents that the segmenter's dictionary splits ("ชำนาญ|การ|พิเศษ",
# "ตัว|ชี้|วัด", "เกียรติ|บัตร") and a Thai official document never breaks across lines:
# added to its dictionary, so each is one word here (and for fitting a column to its longest
# word). The one list of them.
DOMAIN_WORDS = frozenset({
    "ครูผู้ช่วย", "ปฏิบัติการ", "ชำนาญการ", "ชำนาญการพิเศษ", "เชี่ยวชาญ", "เชี่ยวชาญพิเศษ",
    "ปีการศึกษา", "ปีงบประมาณ", "ภาคเรียน", "ตัวชี้วัด", "ค่าเป้าหมาย", "ต่อเนื่อง", "ทันสมัย",
    "เกียรติบัตร", "รหัสตรวจสอบ", "วิทยฐานะ", "ศึกษานิเทศก์", "ผู้อำนวยการ", "รองผู้อำนวยการ", "สพป.", "สพม.",
})  # fmt: skip

# Words a number is never parted from when they follow it ("955 อัตรา", "200 คน",
# "10 มิถุนายน"): units counted in the office's documents, and the months.
UNIT_WORDS = frozenset({
    "อัตรา", "คน", "ราย", "ตำแหน่ง", "โรง", "แห่ง", "ห้อง", "ชั่วโมง", "ชม.", "นาที", "วัน",
    "สัปดาห์", "เดือน", "ปี", "ครั้ง", "รุ่น", "หลักสูตร", "กิจกรรม", "เรื่อง", "ฉบับ", "ข้อ",
    "หน้า", "คะแนน", "บาท", "ล้านบาท", "หน่วย", "หน่วยกิต", "ชิ้น", "เล่ม", "กลุ่ม", "ระดับ",
    "เขต", "%", *MONTHS_LONG, *MONTHS_SHORT,
})  # fmt: skip


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


@lru_cache(maxsize=1)
def _dictionary():
    from pythainlp.corpus import thai_words  # loads the dictionary on first use
    from pythainlp.util import dict_trie

    return dict_trie(thai_words() | DOMAIN_WORDS)


@lru_cache(maxsize=2048)
def with_word_breaks(text: str, *, terms: bool = True) -> str:
    """The text with a zero-width space between two Thai words (nowhere else); terms=False:
    the office's terms broken into the dictionary's words too (for a column narrower than
    the term)."""
    if not any(_is_thai(ch) for ch in text):
        return text
    from pythainlp.tokenize import word_tokenize

    custom = _dictionary() if terms else None
    out: list[str] = []
    for token in word_tokenize(text, custom_dict=custom, engine="newmm", keep_whitespace=True):
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


_NUMBER = r"[0-9๐-๙][0-9๐-๙,.]*"
_UNIT = "|".join(re.escape(w) for w in sorted(UNIT_WORDS, key=len, reverse=True))
_MONTH = "|".join(re.escape(m) for m in sorted(MONTHS_LONG + MONTHS_SHORT, key=len, reverse=True))
_WORD_END = rf"(?=$|{ZWSP}|[^\u0e00-\u0e7f])"
# The spaces a line is never broken at (each group is the space's left side):
_UNIT_GLUE = rf"(?<![0-9๐-๙,.])({_NUMBER}) (?=(?:{_UNIT}){_WORD_END})"
_NUMBER_AND_UNIT = re.compile(_UNIT_GLUE)
_GLUE = re.compile(
    _UNIT_GLUE  # a number and its unit or month
    + rf"|((?<![\u0e00-\u0e7f])(?:{_MONTH})) (?=(?:พ\.ศ\. ?)?[0-9๐-๙]{{4}}(?![0-9๐-๙]))"  # its year
    r"|((?:พ\.ศ\.|ค\.ศ\.|ร้อยละ)) (?=[0-9๐-๙])"  # "พ.ศ. 2569", "ร้อยละ 80"
    r"|(\S) (?=[)\]}”’»:;,.!?]+(?:\s|$))"  # what closes a bracket or a sentence and its word
)


def _glued(marked: str, glue: re.Pattern = _GLUE) -> str:
    """The marked text with a no-break space where a line must not break."""
    return glue.sub(lambda m: next(g for g in m.groups() if g is not None) + NBSP, marked)


def with_breaks_marked(text: str) -> str:
    """The text as fpdf2 is given it to break into lines: a zero-width space between two Thai
    words, and a no-break space where a line must not break (_GLUE)."""
    return _glued(with_word_breaks(text))


def _lines(pdf, marked: str, width: float) -> list[str]:
    """fpdf2's lines of the marked text, without the marks: each line is drawn on its own, so
    a no-break space is a plain space again (a search of the PDF for "955 อัตรา" finds it)."""
    lines = pdf.multi_cell(width, 5, marked, dry_run=True, output="LINES")
    return [line.replace(ZWSP, "").replace(NBSP, " ") for line in lines] or [""]


_BREAKS = re.compile(f"([ {ZWSP}\n])")


def _fitting(pdf, marked: str, room: float, *, last: bool = False) -> str:
    """The marked text with what is kept together but wider than the line (a long term or a
    date in a narrow column) broken as before it was kept together, not inside a word; a
    number still kept with its unit when that fits."""
    parts = _BREAKS.split(marked)
    for i in range(0, len(parts), 2):
        if pdf.get_string_width(parts[i].replace(ZWSP, "")) > room:
            fine = with_word_breaks(parts[i].replace(NBSP, " "), terms=False)
            if not last:
                fine = _fitting(pdf, _glued(fine, _NUMBER_AND_UNIT), room, last=True)
            parts[i] = fine
    return "".join(parts)


def wrapped_lines(pdf, text: str, width: float) -> list[str]:
    """The lines an fpdf2 `multi_cell` of `width` would draw, broken between Thai words, in
    the pdf's current font; draw each with `cell`. Never broken inside a term of the office
    ("ชำนาญการพิเศษ"), between a number and its unit ("955 อัตรา"), inside a date
    ("10 มิถุนายน 2569") or before a closing bracket, unless it is wider than the line."""
    room = width - 2 * pdf.c_margin
    return _lines(pdf, _fitting(pdf, with_breaks_marked(text), room), width)


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
