"""The PDF writer: the only module that imports WeasyPrint.

WeasyPrint lays out the print HTML; resources come only through `ProjectFetcher`, which
serves files inside the project and the style folders and refuses everything else.
WeasyPrint's log messages (CSS errors, missing resources) become diagnostics. After
layout, pypdf adds page labels so viewers show the printed folios (iii, 12).
"""

from __future__ import annotations

import logging
import mimetypes
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pypdf import PdfReader, PdfWriter
from pypdf.constants import PageLabelStyle
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .anthology import Anthology
from .diagnostics import Diagnostic, Location, error, info, warning
from .output import atomic_target
from .render import PrintRendition, body_start_id


class ProjectFetcher(URLFetcher):  # type: ignore[misc]
    """Serves `file:` URLs inside the allowed folders and `data:` URLs; refuses the rest."""

    def __init__(self, allowed_roots: Sequence[Path]) -> None:
        super().__init__(allowed_protocols={"file", "data"}, timeout=1)
        self.allowed_roots = tuple(root.resolve() for root in allowed_roots)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if parts.scheme != "file":
            return self._refuse(url, "only files inside the project may be used")
        path = Path(unquote(parts.path)).resolve()
        if not any(path.is_relative_to(root) for root in self.allowed_roots):
            return self._refuse(url, "the file is outside the project")
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": media_type})

    def _refuse(self, url: str, reason: str) -> URLFetcherResponse:
        self.refused.append(f"{url} ({reason})")
        raise ValueError(f"refused {url}: {reason}")


@dataclass(frozen=True)
class PdfResult:
    pages: int
    first_body_page: int  # 0-based index of the first piece's opening page
    diagnostics: tuple[Diagnostic, ...]


def write_pdf(anthology: Anthology, rendition: PrintRendition, target: Path,
              allowed_roots: Sequence[Path], base: Path) -> PdfResult:
    fetcher = ProjectFetcher(allowed_roots)
    fonts = FontConfiguration()  # makes the style's @font-face rules take effect
    with _captured_weasyprint_log() as messages:
        stylesheets = [CSS(filename=str(path), url_fetcher=fetcher, font_config=fonts)
                       for path in rendition.stylesheets]
        stylesheets.append(CSS(string=rendition.page_css, url_fetcher=fetcher,
                               font_config=fonts))
        html = HTML(string=rendition.html, base_url=base.as_uri() + "/", url_fetcher=fetcher)
        document = html.render(stylesheets=stylesheets, font_config=fonts)
        first_body = _first_page_of(document, body_start_id(anthology))
        with atomic_target(target) as temporary:
            raw = temporary.with_suffix(".raw")
            try:
                document.write_pdf(str(raw))
                _add_page_labels(raw, temporary, first_body)
            finally:
                raw.unlink(missing_ok=True)
    problems = [*_log_diagnostics(messages, rendition), *_refusals(fetcher)]
    return PdfResult(len(document.pages), first_body, tuple(problems))


def _first_page_of(document: object, anchor: str) -> int:
    for index, page in enumerate(document.pages):  # type: ignore[attr-defined]
        if anchor in page.anchors:
            return index
    return 0


def _add_page_labels(source: Path, target: Path, first_body: int) -> None:
    """Front matter is labelled i, ii, iii...; the body 1, 2, 3... as printed on the pages."""
    writer = PdfWriter(clone_from=PdfReader(source))
    last = len(writer.pages) - 1
    if first_body > 0:
        writer.set_page_label(0, first_body - 1, style=PageLabelStyle.LOWERCASE_ROMAN, start=1)
    writer.set_page_label(first_body, last, style=PageLabelStyle.DECIMAL, start=1)
    with open(target, "wb") as stream:
        writer.write(stream)


class _ListHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _captured_weasyprint_log() -> Iterator[list[str]]:
    """WeasyPrint only logs CSS errors and failed resources: collect them while rendering."""
    logger = logging.getLogger("weasyprint")
    handler = _ListHandler()
    previous = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)
        logger.propagate = previous


_CSS_POSITION = re.compile(r" at (\d+):(\d+)")


def _log_diagnostics(messages: list[str], rendition: PrintRendition) -> list[Diagnostic]:
    """One diagnostic per distinct message; CSS messages point at the style sheet."""
    found: list[Diagnostic] = []
    for message in dict.fromkeys(messages):
        if message.startswith("Using fontTools instead of HarfBuzz-Subset"):
            found.append(info("pdf-font-subsetter", message))  # the machine, not the book
        elif position := _CSS_POSITION.search(message):
            where = Location(rendition.stylesheets[0].as_posix(), int(position.group(1)),
                             int(position.group(2)))
            found.append(warning("style-css", message, where))
        elif message.startswith(".notdef glyph"):
            found.append(warning("missing-glyph", message, None,
                                 "add a font that covers these characters to the style"))
        else:
            found.append(warning("pdf-render", message))
    return found


def _refusals(fetcher: ProjectFetcher) -> list[Diagnostic]:
    return [error("resource-refused", f"refused to load {item}", None,
                  "only files inside the project and its styles can be used")
            for item in fetcher.refused]
