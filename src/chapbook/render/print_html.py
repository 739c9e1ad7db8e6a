"""The print edition's HTML: the whole book, or the part of it one chunk lays out."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from chapbook.core.anthology import Anthology, Part
from chapbook.core.language import direction
from chapbook.core.manuscript import Manuscript
from chapbook.core.pagesetup import PageSetup
from chapbook.render.context import book_typefaces, environment, part_number, shared_context
from chapbook.render.linebreaks import LONG_WORD_CSS, keep_korean_words
from chapbook.render.print_body import print_body
from chapbook.render.styles import Style


@dataclass(frozen=True)
class PrintRendition:
    html: str
    stylesheets: tuple[Path, ...]  # the style's print CSS files, in cascade order
    setup: PageSetup  # trim, bleed and marks from the configuration
    font_css: str = ""  # @font-face rules for the style's fonts and fallbacks


@dataclass(frozen=True)
class BodyRun:
    """Consecutive pieces of the body, with the title page of their part if it opens here."""

    part: Part | None
    part_number: str | None
    pieces: tuple[Manuscript, ...]
    with_part_page: bool
    opens_body: bool  # the first thing in the body: arabic folios start here


@dataclass(frozen=True)
class PrintSelection:
    """Which parts of the book a print document holds: all of it, or one chunk of it."""

    front: bool = True
    runs: tuple[BodyRun, ...] = ()
    back: bool = True
    page_numbers: Mapping[str, str] = field(default_factory=dict)  # id -> printed folio
    # A body chunk, laid out once for every book that has its pieces: nothing in it may
    # depend on the book but its language (no metadata; a piece's part does not show)
    shared: bool = False


def body_runs(anthology: Anthology) -> tuple[BodyRun, ...]:
    """The whole body: one run per part (or one run when the book has no parts)."""
    return tuple(BodyRun(part, part_number(n) if part else None, pieces, part is not None,
                         n == 1)
                 for n, (part, pieces) in enumerate(anthology.sections, 1))


def whole_book(anthology: Anthology) -> PrintSelection:
    return PrintSelection(True, body_runs(anthology), True)


def render_print(anthology: Anthology, style: Style, setup: PageSetup,
                 selection: PrintSelection | None = None) -> PrintRendition:
    """Print HTML for the whole book, or for the part of it `selection` names.

    `setup.profile` becomes a class on <html> for the style's CSS. Page numbers known in
    advance (`selection.page_numbers`) are written as `data-page`; otherwise the CSS
    computes them with target-counter().
    """
    selection = selection or whole_book(anthology)
    env = environment(style)

    def page_attr(element_id: str) -> Markup:
        number = selection.page_numbers.get(element_id)
        return Markup(' data-page="{}"').format(number) if number else Markup("")

    context = {**shared_context(anthology, lambda slug: f"#piece-{slug}"),
               "body_html": lambda piece: print_body(piece.body_html), "page_attr": page_attr}
    html = env.get_template("print/book.html.j2").render(
        **context, typefaces=book_typefaces(anthology, style), profile=setup.profile,
        selection=selection)
    html = _finished(html, anthology.language)
    return PrintRendition(html, style.stylesheets("css/print.css"), setup, style.font_css)


def _finished(html: str, language: str) -> str:
    """What the print HTML needs beyond the template: `dir="rtl"` on the root of a
    right-to-left book (WeasyPrint then starts it on a left-hand page, the recto of a book
    bound on the right, and `break-before: recto` means a left-hand page); Korean words
    kept whole (see `linebreaks`)."""
    if direction(language) == "rtl":
        html = _with_root_attribute(html, "dir", "rtl")
    joined = keep_korean_words(html)
    return _with_root_attribute(joined, "style", LONG_WORD_CSS) if joined != html else html


_ROOT = re.compile(r"<html\b[^>]*>", re.IGNORECASE)


def _with_root_attribute(html: str, name: str, value: str) -> str:
    """`html` with the attribute on its root element, unless the template set it."""
    root = _ROOT.search(html)
    if root is None or re.search(rf"\s{name}=", root.group()):
        return html
    tag = root.group()
    return f'{html[:root.start()]}{tag[:5]} {name}="{value}"{tag[5:]}{html[root.end():]}'
