"""Certificate pages drawn with repeated texts kept (training.certificates.CertificatePdf)
are the very document fpdf2 writes without that: same bytes, page for page."""

import datetime as dt
from decimal import Decimal

import pytest
from fpdf import FPDF
from hypothesis import given, settings
from hypothesis import strategies as st

from training import certificates
from training.models import Certificate

WHEN = dt.datetime(2026, 8, 21, 9, 0, tzinfo=dt.UTC)
NAMES = ["นางสาวกุ้งนภา ปั้นน้ำใจ", "นายสมชาย ใจดี", "ว่าที่ร้อยตรีหญิง ณัฏฐ์ฐิญาภรณ์ ศรีสุวรรณรัตน์"]


def _certificate(i: int) -> Certificate:
    # Names, hours and dates repeat at different strides, so pages mix texts drawn before
    # (in other places and states) with texts new to the document.
    return Certificate(
        code=f"K7Q2M{i:05d}",
        number=f"2569/14/{i:04d}",
        person_name=NAMES[i % 3],
        course_title="ประชุมสัมมนาทางวิชาการแลกเปลี่ยนเรียนรู้ พัฒนาครูทั้งระบบ ปี 2569 "
        "เพื่อยกระดับคุณภาพการจัดการเรียนรู้เชิงรุก (Active Learning)",
        office_name="สำนักงานเขตพื้นที่การศึกษาประถมศึกษาเพชรบุรี เขต 1",
        hours=[Decimal("6"), Decimal("12.5")][i % 2],
        completed_on=[dt.date(2026, 8, 20), dt.date(2026, 2, 28), dt.date(2025, 12, 1)][i % 3],
        issued_on=[dt.date(2026, 8, 21), dt.date(2026, 9, 1)][i // 5 % 2],
        valid_until=dt.date(2028, 8, 21) if i % 4 == 3 else None,
        signer_name="นายสมศักดิ์ ตั้งใจทำ",
        signer_title="ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาเพชรบุรี เขต 1",
    )


def _render(monkeypatch, pdf_class, *, thai_digits: bool) -> tuple[bytes, FPDF]:
    class Dated(pdf_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.set_creation_date(WHEN)

    monkeypatch.setattr(certificates, "CertificatePdf", Dated)
    # Wrapping a title picks its glyphs into the font subset in an order of its own: start
    # both documents without wrapped titles kept from earlier documents.
    monkeypatch.setattr(certificates, "_WRAP_CACHE", {})
    pdf = certificates.new_pdf()
    for i in range(12):
        certificates.draw_certificate(
            pdf, _certificate(i), base="https://krupd.example/", thai_digits=thai_digits
        )
    certificates.attach_credential(pdf, "K7Q2M00000", "eyJhbGciOiJFZERTQSJ9.e30.c2ln")
    return bytes(pdf.output()), pdf


@pytest.mark.parametrize("thai_digits", [False, True])
def test_repeated_texts_give_the_document_fpdf2_writes(monkeypatch, thai_digits):
    kept, pdf = _render(monkeypatch, certificates.CertificatePdf, thai_digits=thai_digits)
    # The office, title, signer, and the hours and dates shared by several people were
    # written from what was kept, not shaped again.
    assert len(pdf._drawn_cells) >= 8
    plain, _ = _render(monkeypatch, FPDF, thai_digits=thai_digits)
    assert kept == plain


def test_a_cell_that_is_not_plain_is_always_drawn():
    pdf = certificates.new_pdf()
    pdf.add_page()
    pdf.set_font("Sarabun", "", 14)
    for _ in range(3):
        pdf.set_xy(20, 20)
        pdf.cell(50, 8, "ขอบ", border=1)
        pdf.set_xy(20, 40)
        pdf.cell(50, 8, "ตัวหนังสือ", align="C")
    assert [key[0] for key in pdf._drawn_cells] == ["ตัวหนังสือ"]


# One step of drawing: a new page, a font, a text or fill colour, a place, or a text cell
# in one of two places (from a few texts, so that most come back, in other states than
# the first time).
STEPS = st.one_of(
    st.just(("page",)),
    st.tuples(st.just("font"), st.sampled_from(["", "B"]), st.sampled_from([14, 20])),
    st.tuples(st.just("text_color"), st.sampled_from([(15, 61, 98), (40, 40, 40)])),
    st.tuples(st.just("fill_color"), st.sampled_from([(255, 255, 255), (40, 40, 40)])),
    st.tuples(
        st.just("cell"),
        st.sampled_from(["เกียรติบัตร", "ผ่านการพัฒนา ๑๒ ชั่วโมง", " "]),
        st.sampled_from(["L", "C"]),
        st.sampled_from([24, 92]),
    ),
)


def _draw(pdf_class, steps) -> tuple[bytes, int]:
    pdf = pdf_class(orientation="L", unit="mm", format="A4")
    pdf.set_creation_date(WHEN)
    pdf.set_auto_page_break(False)
    pdf.add_font("Sarabun", "", str(certificates.FONT_REGULAR))
    pdf.add_font("Sarabun", "B", str(certificates.FONT_BOLD))
    pdf.set_text_shaping(True)
    pdf.add_page()
    pdf.set_font("Sarabun", "", 14)
    for step in steps:
        if step[0] == "page":
            pdf.add_page()
        elif step[0] == "font":
            pdf.set_font("Sarabun", step[1], step[2])
        elif step[0] == "text_color":
            pdf.set_text_color(*step[1])
        elif step[0] == "fill_color":
            pdf.set_fill_color(*step[1])
        else:
            pdf.set_xy(20, step[3])
            pdf.cell(120, 8, step[1], align=step[2])
    return bytes(pdf.output()), len(getattr(pdf, "_drawn_cells", ()))


@settings(max_examples=40, deadline=None)
@given(st.lists(STEPS, max_size=40))
def test_any_sequence_of_cells_gives_the_document_fpdf2_writes(steps):
    assert _draw(certificates.CertificatePdf, steps)[0] == _draw(FPDF, steps)[0]


def test_every_state_a_cell_depends_on_is_told_apart():
    # Each state in turn (a new page, another font style, size, text colour, a fill
    # colour equal to the text colour), each with the same text drawn in it three times:
    # kept on the second, written from what was kept on the third.
    steps = []
    for state in [
        ("page",),
        ("font", "B", 20),
        ("font", "B", 14),
        ("text_color", (40, 40, 40)),
        ("fill_color", (40, 40, 40)),
        ("font", "", 14),
        ("page",),
    ]:
        steps += [state] + [("cell", "เกียรติบัตร", "C", 24)] * 3
    kept, cells_kept = _draw(certificates.CertificatePdf, steps)
    assert cells_kept >= 5
    assert kept == _draw(FPDF, steps)[0]
