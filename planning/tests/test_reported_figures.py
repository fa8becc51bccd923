"""One figure, one way of writing it, on every page and document of the needs round.

Means, SDs and PNI are rounded half up on the written value everywhere (33/8 answers is a
mean of 4.13 on the page and in the spreadsheet, and was 4.12 in the DOCX; a PNI of 0.03125
was 0.0312 on the page and in the DOCX, 0.0313 in the spreadsheet). The heatmap cut its PNI
to five characters (0.2121 shown 0.212, "หาค่าไม่ได้ (D = 0)" shown "หาค่าไ"). A percentage
was written with one decimal in a card, none in a table and two in the warning beside them
and in the DOCX (8 of 9: 88.9 %, 89 %, 88.89 %): now two, as the documents write it."""

import io
import re
from html import unescape

import pytest
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from accounts.roles import Role
from krupd.lib.thai_dates import academic_year
from krupd.testing import make_person
from planning import actions
from planning.models import IdPlan, IdPlanStatus, RaterKind

pytestmark = pytest.mark.django_db
OFFICER = Role.DEVELOPMENT_OFFICER


def _text(response) -> str:
    page = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", unescape(page))


def _docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


@pytest.fixture
def answered(rnd, comps, office, school, teacher_person):
    """Eight of nine teachers sent: A has D = 4 for all and I = 33/8 (PNI 0.03125); B has
    D = 33/8 and I = 5 for all (PNI 0.2121…)."""
    people = [teacher_person] + [make_person(office, school, first_name=f"ครู{i}") for i in range(8)]
    for k, person in enumerate(people[:8]):
        high = 5 if k == 0 else 4
        actions.save_response(
            acting_user=None, rnd=rnd, person=person, rater_kind=RaterKind.SELF,
            ratings={comps["A"].pk: (4, high), comps["B"].pk: (high, 5)}, submit=True,
        )  # fmt: skip
    return people


def test_means_and_pni_read_the_same_on_the_page_and_in_both_files(client_for, rnd, answered):
    client = client_for(OFFICER)
    page = _text(client.get(f"/planning/rounds/{rnd.pk}/needs/"))
    docx = _docx_text(client.get(f"/planning/rounds/{rnd.pk}/needs/export/docx/").content)
    book = load_workbook(
        io.BytesIO(client.get(f"/planning/rounds/{rnd.pk}/needs/export/xlsx/").content)
    )
    rows = {r[1]: r for r in book.worksheets[0].iter_rows(values_only=True) if r[1] in ("A", "B")}

    assert rows["A"][9] == 0.0313 and rows["B"][5] == 4.13
    assert "0.0313" in page and "0.0312" not in page
    assert "4.13 (" in page
    assert "0.0313" in docx and "0.0312" not in docx
    assert "4.13" in docx and "4.12" not in docx


def test_the_heatmap_shows_the_whole_pni(client_for, rnd, answered):
    page = _text(client_for(OFFICER).get(f"/planning/rounds/{rnd.pk}/needs/?by=school"))
    heat = page[page.index("แผนภาพความร้อน") :]
    assert "0.0313" in heat and "0.2121" in heat


def test_a_percentage_has_two_decimals_wherever_the_round_reports_it(client_for, rnd, answered):
    client = client_for(OFFICER)
    round_page = _text(client.get(f"/planning/rounds/{rnd.pk}/"))
    needs_page = _text(client.get(f"/planning/rounds/{rnd.pk}/needs/"))
    docx = _docx_text(client.get(f"/planning/rounds/{rnd.pk}/needs/export/docx/").content)
    assert round_page.count("88.89%") == 2  # the card and the school's row
    assert needs_page.count("88.89%") == 2  # the card and the warning
    assert "ร้อยละ 88.89" in docx
    for text in (round_page, needs_page):
        assert not re.search(r"(?<![\d.])(88\.9|89)%", text)


def test_the_id_plan_summary_writes_its_percentages_alike(client_for, answered):
    year = academic_year(timezone.localdate())
    for person in answered[:2]:
        IdPlan.objects.create(person=person, year=year, status=IdPlanStatus.APPROVED)
    page = _text(client_for(OFFICER).get("/planning/id-plans/summary/"))
    assert page.count("22.22%") == 2  # 2 of 9: the card and the school's row
