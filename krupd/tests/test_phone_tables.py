"""On a 390-pixel phone a table wider than the screen scrolls sideways inside its own box
(``<div class="scroll">``, krupd.css), instead of pushing the whole page wider than the screen
and leaving the menu and the text beside it off to the side."""

import re
from pathlib import Path

from django.conf import settings

SCROLL_BOX = re.compile(r'<div[^>]*class="[^"]*\bscroll\b[^"]*"[^>]*>')


def tables_outside_a_scroll_box(text: str) -> list[int]:
    """Line numbers of the tables whose nearest enclosing <div> is not a scroll box."""
    lines = []
    for table in re.finditer(r"<table\b", text):
        before = text[: table.start()]
        boxes = list(SCROLL_BOX.finditer(before))
        if not boxes or boxes[-1].start() < before.rfind("</div>"):
            lines.append(before.count("\n") + 1)
    return lines


def test_the_check_tells_a_wrapped_table_from_a_bare_one():
    assert tables_outside_a_scroll_box('<div class="scroll"><table></table></div>') == []
    assert tables_outside_a_scroll_box('<div class="scroll">x</div>\n<table></table>') == [2]
    assert tables_outside_a_scroll_box("<article><table></table></article>") == [1]


def test_every_table_of_every_page_scrolls_inside_its_own_box():
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}:{line}"
        for path in sorted(Path(settings.BASE_DIR, "templates").rglob("*.html"))
        for line in tables_outside_a_scroll_box(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
