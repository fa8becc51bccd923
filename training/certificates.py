"""Certificate PDFs: fpdf2 with HarfBuzz shaping and Sarabun (from the fontpkg-sarabun
package), so Thai tone marks and vowels sit where they belong.

Everything printed comes from the Certificate row (a snapshot taken at issue time), and the
QR opens the public verification page for its code, so an edited PDF is detectable.

The page layout itself (draw_page / render_certificate) knows nothing of courses: it takes
the printed texts, so community's award certificates use the same layout. It is the only
thing community imports from training; it reads no training model.

Each certificate is also a signed Open Badges 3.0 credential (credentials app). Its PDF
carries that credential twice: as an attached file (credential-<code>.jwt, which PDF
readers list as an attachment) and in the XMP metadata, where the verification page finds
it when the PDF itself is uploaded.

Bulk generation draws all certificates of a course as pages of one document: the fonts
are parsed, subset and embedded once, and the shaped line breaks of the shared course
title are computed once. Rendering one certificate at a time (new FPDF, add_font, shape,
subset, output) repeats all of that per person; bench.py measures both.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import unquote

import fontpkg_sarabun
import segno
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from fpdf import FPDF
from fpdf.enums import PDFResourceType

from credentials.documents import Claim, achievement_url, issuer_id
from credentials.models import CredentialKind
from credentials.standing import Standing
from krupd.lib import numerals
from krupd.lib.numerals import format_hours, to_thai_digits
from krupd.lib.thai_dates import format_thai_date
from krupd.lib.thai_wrap import wrapped_lines

from . import results
from .models import Certificate, CertificateStanding, Course, CourseStatus, TrainingRules

FONT_DIR = fontpkg_sarabun.ROOT / "files"
FONT_REGULAR = FONT_DIR / "Sarabun-Regular.ttf"
FONT_BOLD = FONT_DIR / "Sarabun-Bold.ttf"
NAVY = (15, 61, 98)
GOLD = (176, 137, 48)


def base_url() -> str:
    """Where the verification page lives, for QR codes rendered outside a request."""
    return getattr(settings, "KRUPD_BASE_URL", "") or os.environ.get(
        "KRUPD_BASE_URL", "http://127.0.0.1:8000"
    )


_CODE_CHARACTERS = re.compile(r"[A-Z0-9]+")
_CODE_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u200b-\u200d\u2060\ufeff.·]+")
# The verification address a QR opens (…/verify/<code>/), pasted whole into the box.
_VERIFY_ADDRESS = re.compile(r"/verify/([^/?#\s]+)", re.IGNORECASE)
# The label printed before the code on a certificate, copied with it.
_CODE_LABEL = re.compile(r"^\s*รหัส(?:ตรวจสอบ)?\s*[:：]?")
# Full-width letters and digits (a phone keyboard's wide mode): the same code.
_FULL_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}


def typed_code(text: str) -> tuple[str, str]:
    """A verification code as someone typed or pasted it, read: spaces (non-breaking and
    zero-width ones from a PDF or a chat too), hyphens, dots and case do not matter, Thai digits
    read as digits. Returns (code, "") or (what was typed, the Thai reason it is no code):
    the certificate's number (2569/12/0001) put in the box opened a server error. The whole
    verification address (what a QR gives) and the printed label before the code ("รหัส
    ตรวจสอบ: …") read as the code they carry: both were refused, the address as a number."""
    found = numerals.to_arabic_digits(text).translate(_FULL_WIDTH)
    if address := _VERIFY_ADDRESS.search(found):
        found = unquote(address.group(1))
    code = _CODE_SEPARATORS.sub("", _CODE_LABEL.sub("", found)).upper()
    if not code:
        return "", ""
    typed = " ".join(text.split())[:60]
    if "/" in code and re.fullmatch(r"[0-9/]+", code):
        return typed, (
            f"“{typed}” เป็นเลขที่เกียรติบัตร ซึ่งใช้ตรวจสอบไม่ได้ "
            "ให้กรอก “รหัสตรวจสอบ” ที่พิมพ์ถัดจากเลขที่ในเกียรติบัตร (ตัวอักษรภาษาอังกฤษและตัวเลข 10 หรือ 12 ตัว)"
        )
    if not _CODE_CHARACTERS.fullmatch(code):
        return typed, (
            f"รหัสตรวจสอบมีเฉพาะตัวอักษรภาษาอังกฤษและตัวเลข (ได้ “{typed}”) ตรวจดูว่าแป้นพิมพ์เป็นภาษาอังกฤษ"
        )
    return code, ""


def verify_url(code: str, *, base: str | None = None) -> str:
    return (base or base_url()).rstrip("/") + reverse("training_verify", args=[code])


class CertificatePdf(FPDF):
    """fpdf2 that draws a repeated text once. Most of a certificate page is the same on every
    page of a batch (the office, the course title, the hours and dates most share, the
    signer), and shaping Thai text is most of the cost of a page. A plain text cell drawn
    again with the same text, font, colours, place and page state appends the page-content
    bytes fpdf2 wrote for it before, and leaves the same state behind: the document is
    byte for byte the one fpdf2 writes without this (training/tests/test_certificate_pdf.py
    compares them). Glyph codes and font numbers belong to one document, so the cells are
    kept per document."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._seen_cells: set[tuple] = set()
        self._drawn_cells: dict[tuple, tuple[bytes, float, float, bool]] = {}
        self._string_widths: dict[tuple, float] = {}
        # Keep a cell the first time it is drawn, for a document known to repeat nearly all
        # of its cells (a sign-in sheet of several days).
        self.keep_every_cell = False

    def cell(self, w=None, h=None, text="", *args, **kwargs):
        key = self._cell_key(w, h, text, args, kwargs)
        drawn = self._drawn_cells.get(key) if key else None
        if drawn is not None:
            content, advance, last_h, font_set = drawn
            self.pages[self.page].contents.extend(content)
            # What fpdf2 does besides writing: the font is in this page's resources (and
            # set on the page), the position moved right by the cell, its height remembered.
            self._resource_catalog.add(PDFResourceType.FONT, self.current_font.i, self.page)
            self.current_font_is_set_on_page = font_set
            self.x += advance
            self._lasth = last_h
            return False
        if key is None or (key not in self._seen_cells and not self.keep_every_cell):
            # Drawn once only so far: most texts (names, codes) never come back.
            if key is not None:
                self._seen_cells.add(key)
            return super().cell(w, h, text, *args, **kwargs)
        contents = self.pages[self.page].contents
        start, x = len(contents), self.x
        broke = super().cell(w, h, text, *args, **kwargs)
        self._drawn_cells[key] = (
            bytes(contents[start:]),
            self.x - x,
            self._lasth,
            self.current_font_is_set_on_page,
        )
        return broke

    def _cell_key(self, w, h, text, args, kwargs) -> tuple | None:
        """Everything a plain cell's output depends on, or None for a cell that is not plain
        (borders, fill, links, markdown, other moves, page breaks): those are always drawn."""
        plain = not args and set(kwargs) <= {"align"} and isinstance(text, str) and text
        if not plain or not self.page or self.buffer or self.auto_page_break:
            return None
        if not isinstance(self.pages[self.page].contents, bytearray):
            return None
        if self._fallback_font_ids or self._record_text_quad_points:
            return None
        if self.underline or self.strikethrough:
            return None
        return (
            text, w, h, str(kwargs.get("align", "L")), self.x, self.y, self.w, self.h,
            self.l_margin, self.r_margin, self.c_margin, self.current_font_is_set_on_page,
            self.font_family, self.font_style, self.font_size_pt, self.text_color,
            self.fill_color, self.char_spacing, self.font_stretching, self.text_mode,
        )  # fmt: skip

    def get_string_width(self, s: str, normalized: bool = False, markdown: bool = False) -> float:
        key = (s, normalized, markdown, self.font_family, self.font_style, self.font_size_pt,
               self.char_spacing, self.font_stretching)  # fmt: skip
        width = self._string_widths.get(key)
        if width is None:
            width = self._string_widths[key] = super().get_string_width(s, normalized, markdown)
        return width


def new_pdf() -> FPDF:
    pdf = CertificatePdf(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margin(0)
    pdf.add_font("Sarabun", "", str(FONT_REGULAR))
    pdf.add_font("Sarabun", "B", str(FONT_BOLD))
    pdf.set_text_shaping(True)
    pdf.set_creator("KruPD")
    return pdf


def _qr(pdf: FPDF, data: str, x: float, y: float, size: float) -> None:
    """Draw the QR as vector rectangles (one per horizontal run of dark modules)."""
    qr = segno.make(data, error="m", micro=False)
    rows = [list(r) for r in qr.matrix]
    n = len(rows)
    quiet = 2
    cell = size / (n + 2 * quiet)
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(x, y, size, size, style="F")
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(rows):
        c = 0
        while c < n:
            if row[c] & 1:
                start = c
                while c < n and row[c] & 1:
                    c += 1
                pdf.rect(
                    x + (quiet + start) * cell,
                    y + (quiet + r) * cell,
                    (c - start) * cell,
                    cell,
                    "F",
                )
            else:
                c += 1


_WRAP_CACHE: dict[tuple, list[str]] = {}


def _wrapped(pdf: FPDF, text: str, width: float, style: str, size: float) -> list[str]:
    """Line breaks of a text, computed once per (text, width, font): every certificate of a
    course shares its title and signer, and shaped line breaking is the costly part."""
    key = (text, width, style, size)
    lines = _WRAP_CACHE.get(key)
    if lines is None:
        pdf.set_font("Sarabun", style, size)
        lines = wrapped_lines(pdf, text, width)
        if len(_WRAP_CACHE) > 500:
            _WRAP_CACHE.clear()
        _WRAP_CACHE[key] = lines
    pdf.set_font("Sarabun", style, size)
    return lines


def _fitted_size(pdf: FPDF, text: str, width: float, style: str, size: float) -> float:
    """The font size (at most `size`) at which a one-line text fits the width."""
    pdf.set_font("Sarabun", style, size)
    while size > 10 and pdf.get_string_width(text) > width:
        size -= 0.5
        pdf.set_font("Sarabun", style, size)
    return size


# The recipient's name sits between "this certifies that" and the lead line: 30 pt on one
# line centred on 66.5 mm, or smaller and wrapped (at most three lines) within 54.5–78.5 mm.
_NAME_CENTRE, _NAME_ROOM, _NAME_LINES = 66.5, 24.0, 3


def _recipient_lines(pdf: FPDF, name: str, width: float) -> list[tuple[str, float, float]]:
    """(text, y, size) of each line of the recipient's name. A 200-letter name (a registry
    holds up to 250) ran off both sides of the page at 30 pt: it shrinks to fit one line
    down to 20 pt, then wraps at the largest size whose lines fit the room, whole."""
    for size in [*range(30, 19, -1), 19, 18, 17, 16, 15, 14]:
        pdf.set_font("Sarabun", "B", size)
        if pdf.get_string_width(name) <= width:
            lines = [name]
        elif size > 20:
            continue
        else:
            lines = _wrapped(pdf, name, width, "B", size)
        height = size * 0.5
        if len(lines) <= _NAME_LINES and len(lines) * height <= _NAME_ROOM:
            break
    top = _NAME_CENTRE - len(lines) * height / 2
    return [(text, top + i * height, size) for i, text in enumerate(lines)]


def draw_page(
    pdf: FPDF,
    *,
    heading: str,
    recipient: str,
    title: str,
    body_lines: list[str],
    date,
    signer_name: str,
    signer_title: str,
    code: str,
    number: str,
    verify_url: str,
    intro: str = "เกียรติบัตรฉบับนี้ให้ไว้เพื่อแสดงว่า",
    lead: str = "ได้ผ่านการพัฒนาตามหลักสูตร",
    thai_digits: bool = False,
) -> None:
    """One certificate page in the office's layout, whatever it certifies: a heading (the
    office), "this certifies that", the recipient, a lead line and a (wrapped) title, up to
    three body lines, "given on <date>", the signature block, and the verification QR, number
    and code. Training certificates and community award certificates both draw with it.
    With `thai_digits`, every number printed is in Thai digits ("เขต ๑", hours, dates, the
    certificate number); the verification code and link stay as they must be typed."""
    digits = to_thai_digits if thai_digits else str
    heading, title, signer_title = digits(heading), digits(title), digits(signer_title)
    body_lines = [digits(text) for text in body_lines]
    pdf.add_page()
    w, h = pdf.w, pdf.h
    pdf.set_draw_color(*NAVY)
    pdf.set_line_width(1.6)
    pdf.rect(8, 8, w - 16, h - 16)
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(0.6)
    pdf.rect(12, 12, w - 24, h - 24)

    def line(
        text: str, y: float, size: float, *, bold: bool = False, color=NAVY, fit: bool = False
    ) -> None:
        if fit:  # long free text (a work's title) shrinks to stay inside the border
            size = _fitted_size(pdf, text, w - 40, "B" if bold else "", size)
        pdf.set_font("Sarabun", "B" if bold else "", size)
        pdf.set_text_color(*color)
        pdf.set_xy(20, y)
        pdf.cell(w - 40, size * 0.5, text, align="C")

    line(heading, 24, 20, bold=True)
    line(intro, 44, 18, color=(40, 40, 40))
    pdf.set_text_color(*NAVY)
    for text, y, size in _recipient_lines(pdf, recipient, w - 40):
        pdf.set_font("Sarabun", "B", size)
        pdf.set_xy(20, y)
        pdf.cell(w - 40, size * 0.5, text, align="C")
    line(lead, 80, 18, color=(40, 40, 40))
    # A long title shrinks (20 pt down to 14) until it takes two lines, or as few as it can:
    # four lines of 20 pt pushed "ให้ไว้ ณ วันที่ ..." onto the signature line.
    size, lines = 20, _wrapped(pdf, title, w - 60, "B", 20)
    while len(lines) > 2 and size > 14:
        size -= 1
        lines = _wrapped(pdf, title, w - 60, "B", size)
    pdf.set_font("Sarabun", "B", size)
    pdf.set_text_color(*NAVY)
    y = 92
    for text in lines:
        pdf.set_xy(30, y)
        pdf.cell(w - 60, size * 0.5, text, align="C")
        y += size * 0.5
    y = max(y + 2, 104)
    # The first body line at 18 pt, the others (and the date) at 16 pt, 11 then 10 mm apart;
    # a body text too long for one line wraps (at most three lines in all, then the date).
    offsets = [0, 11, 21, 31]
    rows: list[tuple[str, float]] = []
    for i, text in enumerate(body_lines):
        size = 18 if i == 0 else 16
        pdf.set_font("Sarabun", "", size)
        if pdf.get_string_width(text) <= w - 40:
            rows.append((text, size))
        else:
            rows += [(part, size) for part in _wrapped(pdf, text, w - 60, "", size)]
    for i, (text, size) in enumerate(rows[:3]):
        line(text, y + offsets[i], size, color=(40, 40, 40), fit=True)
    line(
        digits(f"ให้ไว้ ณ วันที่ {format_thai_date(date, style='long')}"),
        y + offsets[min(len(rows), 3)],
        16,
        color=(40, 40, 40),
    )
    # Signature block, bottom right; wide enough that an office's name stays on one line.
    sx, sw = w - 20 - 140, 140
    pdf.set_draw_color(120, 120, 120)
    pdf.set_line_width(0.3)
    pdf.line(sx + 30, 162, sx + sw - 30, 162)
    pdf.set_text_color(40, 40, 40)
    pdf.set_font("Sarabun", "", 15)
    pdf.set_xy(sx, 164)
    pdf.cell(sw, 7, f"({signer_name})" if signer_name else "", align="C")
    y = 171.5
    for text in _wrapped(pdf, signer_title, sw, "", 14):
        pdf.set_xy(sx, y)
        pdf.cell(sw, 6.5, text, align="C")
        y += 6.5
    draw_verification(pdf, number=digits(number), code=code, verify_url=verify_url)


def draw_verification(pdf: FPDF, *, number: str, code: str, verify_url: str) -> None:
    """Verification, bottom left: the QR, the number, the code and the link."""
    h = pdf.h
    _qr(pdf, verify_url, 22, h - 58, 34)
    pdf.set_font("Sarabun", "", 10.5)
    pdf.set_text_color(70, 70, 70)
    pdf.set_xy(58, h - 50)
    pdf.cell(90, 5, f"เลขที่ {number}")
    pdf.set_xy(58, h - 45)
    pdf.set_font("Sarabun", "B", 12)
    pdf.cell(90, 6, f"รหัสตรวจสอบ {code}")
    pdf.set_font("Sarabun", "", 9.5)
    pdf.set_xy(58, h - 38.5)
    pdf.cell(110, 5, "ตรวจสอบความถูกต้องได้ที่")
    pdf.set_xy(58, h - 34)
    pdf.cell(110, 5, verify_url)


def render_certificate(*, credential: str = "", **page) -> bytes:
    """One certificate as a PDF; the keyword arguments are draw_page's, and its signed
    credential is attached when given."""
    pdf = new_pdf()
    draw_page(pdf, **page)
    if credential:
        attach_credential(pdf, page["code"], credential)
    return bytes(pdf.output())


def draw_certificate(
    pdf: FPDF, cert: Certificate, *, base: str | None = None, thai_digits: bool = False
) -> None:
    draw_page(
        pdf,
        heading=cert.office_name,
        recipient=cert.person_name,
        lead="ได้ผ่านการพัฒนาตามหลักสูตร",
        title=cert.course_title,
        body_lines=certificate_lines(cert),
        date=cert.issued_on,
        signer_name=cert.signer_name,
        signer_title=cert.signer_title,
        code=cert.code,
        number=cert.number,
        verify_url=verify_url(cert.code, base=base),
        thai_digits=thai_digits,
    )
    standing = cert.standing
    if standing != CertificateStanding.VALID:
        draw_void_stamp(pdf, void_note(cert, standing, thai_digits=thai_digits))


# What a certificate that is not valid says across its face: its PDF stays downloadable
# (the office's records, the holder's history, a PA evidence pack) but must never pass for a
# valid one on paper. One under review printed clean into a PA pack as if it stood.
VOID_NOTES = {
    CertificateStanding.REVOKED: ("เพิกถอนแล้ว", "เกียรติบัตรฉบับนี้ถูกเพิกถอนแล้ว ใช้อ้างอิงไม่ได้"),
    CertificateStanding.REPLACED: ("ยกเลิก", "เกียรติบัตรฉบับนี้มีฉบับใหม่ออกแทนแล้ว ใช้อ้างอิงไม่ได้"),
    CertificateStanding.UNDER_REVIEW: (
        "รอตรวจสอบ",
        "เกียรติบัตรฉบับนี้อยู่ระหว่างการตรวจสอบของสำนักงาน ยังใช้อ้างอิงไม่ได้",
    ),
    CertificateStanding.EXPIRED: ("หมดอายุ", "เกียรติบัตรฉบับนี้หมดอายุแล้ว ใช้ได้ถึงวันที่ {until}"),
}


def void_note(cert: Certificate, standing: str, *, thai_digits: bool = False) -> tuple[str, str]:
    word, sentence = VOID_NOTES[standing]
    if cert.valid_until:
        sentence = sentence.format(until=format_thai_date(cert.valid_until, style="long"))
    if since := review_since(cert, thai_digits=thai_digits):
        sentence = sentence.replace("ของสำนักงาน", f"ของสำนักงานตั้งแต่วันที่ {since}", 1)
    return word, sentence


RED = (178, 34, 34)


def draw_void_stamp(pdf: FPDF, note: tuple[str, str]) -> None:
    """A large red word across the page and a line under the heading saying why."""
    word, sentence = note
    w, h = pdf.w, pdf.h
    pdf.set_text_color(*RED)
    pdf.set_draw_color(*RED)
    with pdf.local_context(fill_opacity=0.25, stroke_opacity=0.25):
        with pdf.rotation(20, x=w / 2, y=h / 2):
            pdf.set_font("Sarabun", "B", 90)
            pdf.set_xy(0, h / 2 - 20)
            pdf.cell(w, 40, word, align="C")
    pdf.set_font("Sarabun", "B", 14)
    pdf.set_xy(20, 34)
    pdf.cell(w - 40, 7, sentence, align="C")


def certificate_lines(cert: Certificate) -> list[str]:
    lines = [
        f"จำนวน {format_hours(cert.hours)} ชั่วโมง",
        f"ผ่านการพัฒนาเมื่อวันที่ {format_thai_date(cert.completed_on, style='long')}",
    ]
    if cert.valid_until:
        lines.append(f"ใช้ได้ถึงวันที่ {format_thai_date(cert.valid_until, style='long')}")
    return lines


def render_pdf(
    cert: Certificate, *, base: str | None = None, thai_digits: bool = False, credential: str = ""
) -> bytes:
    """One certificate; with its signed credential (a VC-JWT) attached when given."""
    pdf = new_pdf()
    draw_certificate(pdf, cert, base=base, thai_digits=thai_digits)
    if credential:
        attach_credential(pdf, cert.code, credential)
    return bytes(pdf.output())


def attach_credential(pdf: FPDF, code: str, token: str) -> None:
    """The credential as an attached file and in the XMP metadata (see the module note)."""
    pdf.embed_file(
        bytes=token.encode("ascii"),
        basename=f"credential-{code}.jwt",
        mime_type="application/vc+jwt",
        desc="เครดเดนเชียลดิจิทัล Open Badges 3.0 ของเกียรติบัตรฉบับนี้",
    )
    # The element Open Badges 3.0 bakes a credential into SVG with, in an XMP description.
    pdf.set_xmp_metadata(
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">'
        f"<openbadges:credential>{token}</openbadges:credential>"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
    )


# ------------------------------------------------------------------ digital credential


def pass_criteria(course: Course) -> str:
    """What a participant had to do to pass, as the office states it on the credential: the
    criteria the course page lists and judge applies (results.criteria), so the credential
    never states one the course does not apply (attendance for a self-paced course, a
    post-test a workshop does not have) nor leaves one out."""
    return (
        f"ผ่านการพัฒนาตามหลักสูตร “{course.title}” จำนวน {format_hours(course.hours)} ชั่วโมง "
        "โดย" + " ".join(results.criteria(course))
    )


# What a credential's verifier says of a certificate its register does not hold valid now.
CREDENTIAL_STANDINGS = {
    CertificateStanding.UNDER_REVIEW: Standing(
        "under_review",
        "⚠ ลายมือชื่อดิจิทัลถูกต้อง แต่เกียรติบัตรอยู่ระหว่างการตรวจสอบของสำนักงาน ยังใช้อ้างอิงไม่ได้",
        "ผลการพัฒนาที่รับรองมีการแก้ไขหลังออก สำนักงานกำลังพิจารณาว่าจะคงไว้ ออกฉบับใหม่ หรือเพิกถอน",
    ),
    CertificateStanding.REVOKED: Standing("revoked", "✗ เกียรติบัตรฉบับนี้ถูกเพิกถอนแล้ว"),
    CertificateStanding.REPLACED: Standing("revoked", "✗ เกียรติบัตรฉบับนี้ถูกยกเลิก มีฉบับใหม่ออกแทนแล้ว"),
}


def credential_standing(code: str) -> Standing | None:
    """The register's word on a course credential (credentials.standing): None while its
    certificate stands valid (or has merely expired, which the credential's own dates say)."""
    cert = Certificate.objects.select_related("enrolment").filter(code=code).first()
    return CREDENTIAL_STANDINGS.get(cert.standing) if cert else None


def office_thai_digits(cert: Certificate) -> bool:
    """Whether the certificate's office writes its training documents in Thai digits
    (TrainingRules.thai_digits), in one query; False for one with no enrolment or settings."""
    if cert.enrolment_id is None:
        return False
    offices = Course.objects.filter(enrolments=cert.enrolment_id).values("office_id")
    rules = TrainingRules.objects.filter(office_id__in=offices)
    return bool(rules.values_list("thai_digits", flat=True).first())


def review_day(cert: Certificate) -> dt.date | None:
    """The local day a certificate under review was flagged; None while it is not under
    review, or was flagged before the day was recorded (no day is made up)."""
    if cert.standing != CertificateStanding.UNDER_REVIEW or cert.review_flagged_at is None:
        return None
    return timezone.localtime(cert.review_flagged_at).date()


def review_since(cert: Certificate, *, thai_digits: bool = False) -> str:
    """The day a certificate under review was flagged, as people read it ("5 ธันวาคม 2569",
    Thai digits when asked); "" when there is none (review_day)."""
    day = review_day(cert)
    return format_thai_date(day, style="long", thai_digits=thai_digits) if day else ""


def review_since_as_office_writes(cert: Certificate) -> str:
    """review_since in the digits the certificate's office writes: its settings are read only
    for a certificate with a day to show, so other pages make no extra query."""
    if review_day(cert) is None:
        return ""
    return review_since(cert, thai_digits=office_thai_digits(cert))


def standing_text(cert: Certificate, *, thai_digits: bool = False) -> str:
    """The standing's label, with since when for one under review: what a list or an export
    says of a certificate in one cell."""
    since = review_since(cert, thai_digits=thai_digits)
    label = cert.get_standing_display()
    return f"{label} ตั้งแต่วันที่ {since}" if since else label


def course_achievement_document(course: Course) -> dict:
    """The course as an Open Badges Achievement: hours as creditsAvailable, the pass rule
    as criteria, and alignments to the competencies its project addresses (from the
    office's competency framework) and to the development topics the course lists."""
    url = achievement_url("course", course.pk)
    alignment = []
    if course.project_id:
        competencies = course.project.competencies.select_related("domain__framework")
        for competency in competencies.order_by("domain__sort_order", "sort_order", "id"):
            alignment.append(
                {
                    "type": ["Alignment"],
                    "targetName": f"{competency.code} {competency.name}",
                    "targetUrl": f"{url}#competency-{competency.pk}",
                    "targetCode": competency.code,
                    "targetFramework": str(competency.domain.framework),
                    "targetType": "ceasn:Competency",
                }
            )
    topics = [line.strip() for line in course.competencies.splitlines() if line.strip()]
    for number, topic in enumerate(topics, start=1):
        alignment.append(
            {
                "type": ["Alignment"],
                "targetName": topic,
                "targetUrl": f"{url}#topic-{number}",
                "targetType": "ceasn:Competency",
            }
        )
    document = {
        "id": url,
        "type": ["Achievement"],
        "achievementType": "Course",
        "name": course.title,
        "description": course.objectives.strip() or course.title,
        "criteria": {"narrative": pass_criteria(course)},
        "creditsAvailable": float(course.hours),
        "humanCode": f"{course.fiscal_year}/{course.pk}",
        "creator": {
            "id": issuer_id(course.office),
            "type": ["Profile"],
            "name": course.office.name,
        },
        "inLanguage": "th",
    }
    if alignment:
        document["alignment"] = alignment
    return document


def course_achievement(pk: int) -> dict | None:
    """The public achievement address's document for a course (credentials.achievements).
    None for a course still being drafted, which no certificate names yet: the office has not
    published what it is, and its working title and criteria are not for the public."""
    course = Course.objects.select_related("office", "project").filter(pk=pk).first()
    if course is None:
        return None
    if course.status == CourseStatus.DRAFT and not _has_certificates(course):
        return None
    return course_achievement_document(course)


def _has_certificates(course: Course) -> bool:
    """Whether a certificate of `course` was ever issued (valid or not): its credential points
    at the achievement, which must keep answering when the course is set back to draft."""
    return Certificate.objects.filter(enrolment__course=course).exists()


def credential_claim(
    cert: Certificate, course: Course, *, base: str | None = None, achievement: dict | None = None
) -> Claim:
    """What the certificate states, for its signed credential (credentials.documents.Claim).
    A batch passes the course's achievement, described once for all its certificates."""
    achievement = achievement or course_achievement_document(course)
    return Claim(
        code=cert.code,
        kind=CredentialKind.COURSE,
        office=course.office,
        recipient_name=cert.person_name,
        name=f"เกียรติบัตร: {cert.course_title}",
        achievement={**achievement, "name": cert.course_title},
        issued_on=cert.issued_on,
        valid_until=cert.valid_until,
        credits_earned=cert.hours,
        activity_end=cert.completed_on,
        verify_url=verify_url(cert.code, base=base),
    )


def render_many_to_zip(
    certificates: list[Certificate],
    path: Path,
    *,
    base: str | None = None,
    progress: Callable[[int], None] | None = None,
    every: int = 25,
    thai_digits: bool = False,
    credentials: dict[str, str] | None = None,
) -> Path:
    """One zip: all certificates as pages of one PDF (fonts embedded and subset once, which
    is what makes bulk fast), a CSV of numbers, names, codes and verification links, and
    each certificate's signed credential (code → VC-JWT) as credentials/<code>.jwt."""
    pdf = new_pdf()
    # The standing too: an expired certificate is printed (stamped) with the rest, and the
    # list handed round with the PDF said nothing of it.
    rows = ["เลขที่,ชื่อ-สกุล,รหัสตรวจสอบ,ลิงก์ตรวจสอบ,สถานะ"]
    for done, cert in enumerate(certificates, start=1):
        draw_certificate(pdf, cert, base=base, thai_digits=thai_digits)
        name = cert.person_name.replace('"', "'")
        rows.append(
            f'{cert.number},"{name}",{cert.code},{verify_url(cert.code, base=base)},'
            f"{standing_text(cert, thai_digits=thai_digits)}"
        )
        if progress and done % every == 0:
            progress(done)
    data = bytes(pdf.output()) if certificates else b""
    tmp = path.with_suffix(".part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        if data:
            zf.writestr("certificates.pdf", data, compress_type=zipfile.ZIP_STORED)
        zf.writestr("certificates.csv", "\ufeff" + "\n".join(rows) + "\n")
        for code, token in (credentials or {}).items():
            zf.writestr(f"credentials/credential-{code}.jwt", token)
    os.replace(tmp, path)
    if progress:
        progress(len(certificates))
    return path


def render_merged(certificates: Iterable[Certificate], *, base: str | None = None) -> bytes:
    """All certificates as pages of one PDF (for printing a whole course at once)."""
    pdf = new_pdf()
    for cert in certificates:
        draw_certificate(pdf, cert, base=base)
    return bytes(pdf.output())


def as_bytes_io(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)
