"""The print edition in one pass: the whole book laid out by one WeasyPrint document.

The reference the chunked edition is checked against, and what small books, the screen
profile, PDF/A and PDF/UA use. As it writes the file, page labels are added so viewers
show the printed folios (iii, 12).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pydyf
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from chapbook.core.anthology import Anthology
from chapbook.core.diagnostics import Diagnostic
from chapbook.core.files import atomic_target
from chapbook.core.language import direction
from chapbook.pdf.jobs import book_images
from chapbook.pdf.typecounts import NOTHING_MEASURED, Typography
from chapbook.pdf.typography import laid_out
from chapbook.pdf.weasy import (
    ProjectFetcher,
    captured_log,
    log_diagnostics,
    refusals,
    stylesheets_from,
)
from chapbook.render.context import body_start_id
from chapbook.render.print_html import PrintRendition


@dataclass(frozen=True)
class PdfResult:
    pages: int
    first_body_page: int  # 0-based index of the first piece's opening page
    diagnostics: tuple[Diagnostic, ...]
    written: bool
    typography: Typography = NOTHING_MEASURED


def write_pdf(anthology: Anthology, rendition: PrintRendition, target: Path,
              allowed_roots: Sequence[Path], base: Path) -> PdfResult:
    """Lay out and write the book; nothing is written if a resource had to be refused."""
    fetcher = ProjectFetcher(allowed_roots, book_images(anthology, base))
    fonts = FontConfiguration()  # makes the style's @font-face rules take effect
    stylesheets, problems = _stylesheets(rendition, fetcher, fonts)
    variant = anthology.config.print.pdf_variant
    with captured_log() as messages:
        html = HTML(string=rendition.html, base_url=base.as_uri() + "/", url_fetcher=fetcher)
        document, typography = laid_out(html, lambda: html.render(
            stylesheets=stylesheets, font_config=fonts, pdf_tags=variant == "pdf/ua-1"))
        first_body = _first_page_of(document, body_start_id(anthology))
        if not fetcher.refused:
            with atomic_target(target) as temporary:
                document.write_pdf(str(temporary), pdf_variant=variant,
                                   pdf_identifier=anthology.identifier.encode(),
                                   finisher=_finisher(first_body, anthology.language))
    problems += [*log_diagnostics(messages, None), *refusals(fetcher)]
    return PdfResult(len(document.pages), first_body, tuple(problems), not fetcher.refused,
                     typography)


def _stylesheets(rendition: PrintRendition, fetcher: ProjectFetcher,
                 fonts: FontConfiguration) -> tuple[list[CSS], list[Diagnostic]]:
    return stylesheets_from(rendition.font_css, rendition.stylesheets, rendition.setup.css,
                             fetcher, fonts)


def _first_page_of(document: object, anchor: str) -> int:
    for index, page in enumerate(document.pages):  # type: ignore[attr-defined]
        if anchor in page.anchors:
            return index
    return 0


def _finisher(first_body: int, language: str) -> Callable[[object, pydyf.PDF], None]:
    """Page labels: front matter i, ii, iii...; the body 1, 2, 3... as printed on the
    pages. A right-to-left book also asks viewers to show its spreads right to left.

    Added to the catalog as WeasyPrint finishes the file, so nothing is rewritten
    afterwards and PDF/A and PDF/UA structures stay intact.
    """
    def finish(document: object, pdf: pydyf.PDF) -> None:
        numbers: list[object] = []
        if first_body > 0:
            numbers += [0, pydyf.Dictionary({"S": "/r"})]
        numbers += [first_body, pydyf.Dictionary({"S": "/D", "St": 1})]
        pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": pydyf.Array(numbers)})
        if direction(language) == "rtl":  # beside PDF/UA's DisplayDocTitle, if set
            preferences = pdf.catalog.get("ViewerPreferences") or pydyf.Dictionary()
            preferences["Direction"] = "/R2L"
            pdf.catalog["ViewerPreferences"] = preferences

    return finish
