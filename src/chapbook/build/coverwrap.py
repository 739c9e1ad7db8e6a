"""The print edition's cover wrap, build/<slug>-cover.pdf, written after the print PDF
whose pages its spine holds (the screen profile has none)."""

from __future__ import annotations

from pathlib import Path

import jinja2

from chapbook.core.anthology import Anthology
from chapbook.core.diagnostics import Diagnostic, info
from chapbook.core.paper import paper, spine_mm
from chapbook.core.paths import builtin_styles_dir
from chapbook.epub.cover import palette, render_cover_html
from chapbook.pdf.worker import write_cover_wrap
from chapbook.pdf.wrapjob import WrapJob, page_count
from chapbook.render.cover_wrap import render_wrap_html, spine_sizes, wrap_geometry
from chapbook.render.styles import Style
from chapbook.render.template_errors import template_diagnostic

# A style without the cover's templates or style sheets (one made from scratch) gets
# the classic style's.
BUILTIN = builtin_styles_dir() / "classic"


def write_cover(book: Anthology, style: Style, root: Path, print_pdf: Path,
                target: Path) -> tuple[bool, list[Diagnostic]]:
    """The wrap for `book`, its spine measured from `print_pdf`: whether it was written,
    and the diagnostics (the spine's width among them, which the build always shows)."""
    settings = book.config.print
    stock = paper(settings.paper, settings.page_thickness)
    pages = page_count(print_pdf)
    spine = spine_mm(pages, stock)
    geometry = wrap_geometry(book, spine)
    image = book.cover_image
    try:
        job = WrapJob(
            book.slug, geometry,
            render_wrap_html(book, style, palette(book), image.path.as_uri() if image else None),
            None if image else render_cover_html(book, style), style.font_css,
            style.stylesheets("css/cover-wrap.css") or (BUILTIN / "css/cover-wrap.css",),
            _front_sheet(style), (root, *style.layers, BUILTIN), root,
            tuple(spine_sizes(geometry)))
    except jinja2.TemplateError as exc:  # a style's own template: no cover
        return False, [template_diagnostic(exc, root)]
    result = write_cover_wrap(job, target)
    note = info("cover-spine", f"{target.name}: spine {spine:.1f} mm: {pages} pages on "
                f"{stock.name}")
    return result.written, [note, *result.diagnostics]


def _front_sheet(style: Style) -> Path:
    try:
        return style.find("css/cover.css")
    except FileNotFoundError:
        return BUILTIN / "css/cover.css"
