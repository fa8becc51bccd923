"""A two-glyph font of our own drawing, ☐ and ☑, for PDFs: Sarabun has no box glyphs, and
Thai forms print their check boxes as boxes, never "[ ]"/"[x]". Built in memory with
fontTools (already a dependency of fpdf2) and registered as a fallback font, so any text
with a box in it renders. Django-free."""

from __future__ import annotations

import functools
import hashlib
import io
import os
import tempfile
from pathlib import Path

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen

UPM = 1000


def _box(pen: TTGlyphPen, *, checked: bool) -> None:
    # Outer square minus an inner square (opposite winding) = an outlined box.
    for x0, y0, x1, y1, clockwise in ((80, -40, 680, 560, True), (140, 20, 620, 500, False)):
        points = [(x0, y0), (x0, y1), (x1, y1), (x1, y0)]
        if not clockwise:
            points.reverse()
        pen.moveTo(points[0])
        for p in points[1:]:
            pen.lineTo(p)
        pen.closePath()
    if checked:  # a tick as one closed polygon
        tick = [(220, 280), (300, 200), (560, 480), (610, 430), (300, 100), (170, 230)]
        pen.moveTo(tick[0])
        for p in tick[1:]:
            pen.lineTo(p)
        pen.closePath()


@functools.cache
def checkbox_font() -> bytes:
    """TrueType bytes of the font (built once per process)."""
    fb = FontBuilder(UPM, isTTF=True)
    names = [".notdef", "uni2610", "uni2611"]
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({0x2610: "uni2610", 0x2611: "uni2611"})
    glyphs = {}
    for name in names:
        pen = TTGlyphPen(None)
        if name != ".notdef":
            _box(pen, checked=name == "uni2611")
        glyphs[name] = pen.glyph()
    fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics({n: (760, 80 if n != ".notdef" else 0) for n in names})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": "KruPD Boxes", "styleName": "Regular"})
    fb.setupOS2(sTypoAscender=800, sTypoDescender=-200, usWinAscent=800, usWinDescent=200)
    fb.setupPost()
    out = io.BytesIO()
    fb.save(out)
    return out.getvalue()


@functools.cache
def checkbox_font_path() -> str:
    """The font as a file (fpdf2 loads fonts from files only): written once into the temp
    directory under a name that changes with its contents, atomically, so concurrent
    workers never read half a file."""
    data = checkbox_font()
    path = Path(tempfile.gettempdir()) / f"krupd-boxes-{hashlib.sha256(data).hexdigest()[:12]}.ttf"
    if not path.exists():
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".ttf")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    return str(path)
