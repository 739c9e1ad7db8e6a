"""WeasyPrint as chapbook uses it: resources only through `ProjectFetcher`, which serves
files inside the project and the style folders and refuses everything else; WeasyPrint's
log messages (CSS errors, missing resources) as diagnostics; one chunk laid out in a worker.

A worker loads this module and `jobs.py`, not the book's model or templates.
"""

from __future__ import annotations

import logging
import mimetypes
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from chapbook.core.diagnostics import Diagnostic, Location, error, info, warning
from chapbook.pdf.jobs import PX_TO_PT, ChunkJob, ChunkResult
from chapbook.pdf.typography import laid_out


class ProjectFetcher(URLFetcher):  # type: ignore[misc]
    """Serves `file:` URLs inside the allowed folders and `data:` URLs; refuses the rest.

    `images` maps the names bodies give their images (<project>/images/<hash>.<ext>,
    shared with the EPUB) to the checked files they stand for.
    """

    def __init__(self, allowed_roots: Sequence[Path],
                 images: Mapping[Path, Path] | None = None) -> None:
        super().__init__(allowed_protocols={"file", "data"}, timeout=1)
        self.allowed_roots = tuple(root.resolve() for root in allowed_roots)
        self.images = dict(images or {})
        self.refused: list[str] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if parts.scheme != "file":
            return self._refuse(url, "only files inside the project may be used")
        path = Path(unquote(parts.path))
        path = self.images.get(path, path).resolve()
        if not any(path.is_relative_to(root) for root in self.allowed_roots):
            return self._refuse(url, "the file is outside the project")
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": media_type})

    def _refuse(self, url: str, reason: str) -> URLFetcherResponse:
        self.refused.append(f"{url} ({reason})")
        raise ValueError(f"refused {url}: {reason}")


def stylesheets_from(font_css: str, paths: Sequence[Path], extra_css: str,
                      fetcher: ProjectFetcher,
                      fonts: FontConfiguration) -> tuple[list[CSS], list[Diagnostic]]:
    """The style's fonts, then each style sheet parsed on its own (so that a CSS error
    names the file it is in), then the generated page setup."""
    sheets = [CSS(string=font_css, url_fetcher=fetcher, font_config=fonts)]
    problems: list[Diagnostic] = []
    for path in paths:
        with captured_log() as messages:
            sheets.append(CSS(filename=str(path), url_fetcher=fetcher, font_config=fonts))
        problems += log_diagnostics(messages, path)
    sheets.append(CSS(string=extra_css, url_fetcher=fetcher, font_config=fonts))
    return sheets, problems


class _ListHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def captured_log() -> Iterator[list[str]]:
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


def log_diagnostics(messages: list[str], stylesheet: Path | None) -> list[Diagnostic]:
    """One diagnostic per distinct message; CSS messages point at their style sheet."""
    found: list[Diagnostic] = []
    for message in dict.fromkeys(messages):
        if "refused " in message:
            continue  # reported once, as an error, by the fetcher
        if message.startswith("Using fontTools instead of HarfBuzz-Subset"):
            found.append(info("pdf-font-subsetter", message))  # the machine, not the book
        elif stylesheet is not None and (position := _CSS_POSITION.search(message)):
            where = Location(_shown(stylesheet), int(position.group(1)), int(position.group(2)))
            found.append(warning("style-css", message, where,
                                 "fix or remove the rule: WeasyPrint ignores it"))
        elif message.startswith(".notdef glyph"):
            found.append(warning("missing-glyph", message, None,
                                 "add a font that covers these characters to the style"))
        else:
            found.append(warning("pdf-render", message))
    return found


def _shown(path: Path) -> str:
    """A style file as the user knows it: styles/<name>/... (project or built-in)."""
    parts = path.parts
    return "/".join(parts[parts.index("styles"):]) if "styles" in parts else path.as_posix()


def refusals(fetcher: ProjectFetcher) -> list[Diagnostic]:
    return [error("resource-refused", f"refused to load {item}", None,
                  "only files inside the project and its styles can be used")
            for item in fetcher.refused]


# ---- one chunk of a book, rendered in a worker process -----------------------------------

# A worker renders many chunks with the same style: its fonts and parsed style sheets are
# kept for the life of the worker process (a pool lives for one book).
_WorkerStyle = tuple[FontConfiguration, list[CSS], list[Diagnostic]]
_STYLE_IN_WORKER: dict[tuple[str, tuple[Path, ...]], _WorkerStyle] = {}


def _worker_style(job: ChunkJob, fetcher: ProjectFetcher) -> _WorkerStyle:
    key = (job.font_css, job.stylesheets)
    if key not in _STYLE_IN_WORKER:
        fonts = FontConfiguration()
        sheets, problems = stylesheets_from(job.font_css, job.stylesheets, "", fetcher, fonts)
        _STYLE_IN_WORKER[key] = (fonts, sheets[:-1], problems)
    return _STYLE_IN_WORKER[key]


def warm_up() -> None:
    """What a fresh worker would otherwise do on its first chunk: WeasyPrint's imports and
    fontconfig's set-up."""
    FontConfiguration()


def render_chunk(job: ChunkJob) -> ChunkResult:
    """Lay out and write one chunk; report what merging it into the book needs to know."""
    fetcher = ProjectFetcher(job.allowed_roots, dict(job.images))
    fonts, sheets, style_problems = _worker_style(job, fetcher)
    rendition_sheets = [*sheets, CSS(string=job.extra_css, url_fetcher=fetcher,
                                     font_config=fonts)]
    problems = list(style_problems)
    with captured_log() as messages:
        html = HTML(string=job.html, base_url=job.base.as_uri() + "/", url_fetcher=fetcher)
        document, typography = laid_out(html, lambda: html.render(
            stylesheets=rendition_sheets, font_config=fonts))
        if not fetcher.refused:
            document.write_pdf(str(job.target))
    anchors: dict[str, tuple[int, float, float]] = {}
    for index, page in enumerate(document.pages):
        height = page.height * PX_TO_PT
        for name, box in page.anchors.items():  # box: x0, y0, x1, y1 from the top left
            anchors.setdefault(name, (index, box[0] * PX_TO_PT, height - box[1] * PX_TO_PT))
    links = tuple((index, target, _pdf_rect(rect, page.height))
                  for index, page in enumerate(document.pages)
                  for kind, target, rect, _ in page.links
                  if kind == "internal" and target not in anchors)
    blank = tuple(bool(page._page_box.page_type.blank) for page in document.pages)
    expected = [m for m in messages if not m.startswith("No anchor #")]  # other chunks'
    problems += [*log_diagnostics(expected, None), *refusals(fetcher)]
    return ChunkResult(len(document.pages), blank, anchors, links, tuple(problems),
                       bool(fetcher.refused), typography)


def _pdf_rect(rect: tuple[float, float, float, float],
              page_height: float) -> tuple[float, float, float, float]:
    """WeasyPrint's (x0, y0, x1, y1) in CSS px from the top left, as PDF points."""
    x0, y0, x1, y1 = rect
    height = page_height * PX_TO_PT
    return (x0 * PX_TO_PT, height - y1 * PX_TO_PT, x1 * PX_TO_PT, height - y0 * PX_TO_PT)
