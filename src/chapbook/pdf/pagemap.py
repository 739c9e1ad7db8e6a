"""Where each page of the print edition begins: read back from the written PDF.

For every page, the first text of its body area, with its page label (the folio as the
PDF's /PageLabels give it: "iii", "12"). The body area is the trim box less the top and
bottom page margins of the style's print style sheet, so the running heads and folios
(drawn in the margin boxes) are left out. A blank page has no text. The EPUB marks where
each of these texts begins (see `chapbook.epub.pagelist`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pypdfium2
import tinycss2

from chapbook.core.pagesetup import POINTS_PER_UNIT
from chapbook.render.styles import Style

TEXT_CHARS = 400  # of a page's body text: enough to find it again, and cheap
# WeasyPrint's page margin when a style sets none (75px)
DEFAULT_MARGIN = 56.25
# Text this close outside the body area still counts: glyphs rise a little above the
# line box; running heads sit well clear of it (4 mm in the built-in styles).
TOLERANCE = 1.5 * POINTS_PER_UNIT["mm"]
_UNITS = {**POINTS_PER_UNIT, "px": 0.75}


@dataclass(frozen=True)
class PrintPage:
    index: int  # 0-based, in the PDF
    label: str  # the folio, as the PDF's page labels give it
    text: str  # the first body text on the page ("" for a blank page)


@dataclass(frozen=True)
class PageMap:
    """The pages of one print PDF."""

    pages: tuple[PrintPage, ...]


def read_page_map(pdf: Path, style: Style) -> PageMap:
    """The page map of a print PDF laid out with `style`."""
    top, bottom = body_margins(style)
    document = pypdfium2.PdfDocument(pdf)
    try:
        return PageMap(tuple(_page(document, index, top, bottom)
                             for index in range(len(document))))
    finally:
        document.close()


def _page(document: pypdfium2.PdfDocument, index: int, top: float,
          bottom: float) -> PrintPage:
    page = document[index]
    try:
        left, low, right, high = page.get_trimbox()
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_bounded(left, low + bottom - TOLERANCE, right,
                                             high - top + TOLERANCE)
        finally:
            textpage.close()
    finally:
        page.close()
    label = document.get_page_label(index) or str(index + 1)
    return PrintPage(index, label, " ".join(text.split())[:TEXT_CHARS])


def body_margins(style: Style) -> tuple[float, float]:
    """The top and bottom page margins (points) of the style's print style sheets: the
    last `margin`, `margin-top` and `margin-bottom` of an `@page` rule without a page name
    (`:left`, `:right` and `:first` only change the sides here)."""
    top = bottom = DEFAULT_MARGIN
    for sheet in style.stylesheets("css/print.css"):
        rules = tinycss2.parse_stylesheet(sheet.read_text(encoding="utf-8"),
                                          skip_comments=True, skip_whitespace=True)
        for rule in rules:
            if rule.type == "at-rule" and rule.lower_at_keyword == "page" \
                    and _unnamed(rule.prelude) and rule.content is not None:
                top, bottom = _margins(rule.content, top, bottom)
    return top, bottom


def _unnamed(prelude: list[tinycss2.ast.Node]) -> bool:
    """`@page`, `@page :left`...: not `@page front`."""
    return not any(node.type == "ident" for node in prelude)


def _margins(content: list[tinycss2.ast.Node], top: float,
             bottom: float) -> tuple[float, float]:
    declarations = tinycss2.parse_blocks_contents(content, skip_comments=True,
                                                  skip_whitespace=True)
    for declaration in declarations:
        if declaration.type != "declaration":
            continue
        lengths = [_points(node) for node in declaration.value
                   if node.type not in ("whitespace", "comment")]
        if any(length is None for length in lengths) or not lengths:
            continue
        values = [length for length in lengths if length is not None]
        if declaration.lower_name == "margin":
            top, bottom = values[0], values[2] if len(values) > 2 else values[0]
        elif declaration.lower_name == "margin-top":
            top = values[0]
        elif declaration.lower_name == "margin-bottom":
            bottom = values[0]
    return top, bottom


def _points(node: tinycss2.ast.Node) -> float | None:
    if node.type == "dimension" and node.lower_unit in _UNITS:
        return float(node.value) * _UNITS[node.lower_unit]
    if node.type == "number" and node.value == 0:
        return 0.0
    return None
