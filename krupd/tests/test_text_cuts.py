"""Text shortened for a page, a message or a stored label is cut between whole Thai characters
(krupd.lib.clipping.clip): a cut by code points keeps a consonant and drops its vowel and tone
marks (น้ำ → น), or leaves a leading vowel (เ แ โ ใ ไ) without its consonant."""

import re
import unicodedata
from pathlib import Path

from django.conf import settings
from hypothesis import example, given
from hypothesis import strategies as st

from imports.importers import CellError, clean_text, int_reader
from krupd.lib.clipping import _LEADING_VOWELS

# Django's truncatechars and truncatewords count code points, as a slice does.
CODE_POINT_CUTS = re.compile(r"\|\s*(truncatechars|truncatechars_html|truncatewords)\b")


def test_no_template_cuts_text_by_code_points():
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}"
        for path in sorted(Path(settings.BASE_DIR, "templates").rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if CODE_POINT_CUTS.search(line)
    ]
    assert offenders == []


THAI = st.text(alphabet=st.characters(min_codepoint=0x0E01, max_codepoint=0x0E5B), min_size=1)


@given(st.text(alphabet="0123456789x ", max_size=5), THAI)
@example("", "๙๙")  # a number out of range (16 Thai nines): echoed as typed too
def test_a_refused_cell_is_echoed_in_whole_characters(prefix, thai):
    value = prefix + thai * 8
    try:
        int_reader()(value, None)
    except CellError as error:
        echoed = re.search(r"“(.*)”", str(error)).group(1)
    else:
        return
    cleaned = clean_text(value)
    kept = echoed.removesuffix("…")
    assert cleaned.startswith(kept)
    if kept != cleaned:
        rest = cleaned[len(kept) :]
        assert unicodedata.category(rest[0]) not in ("Mn", "Mc") and rest[0] != "\u0e33"
        assert not kept or kept[-1] not in _LEADING_VOWELS
