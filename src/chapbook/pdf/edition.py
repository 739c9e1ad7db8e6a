"""The print edition of one book: in chunks, in parallel, where that gives the same pages
as one pass; in one pass otherwise."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from chapbook.core.anthology import Anthology
from chapbook.core.diagnostics import Diagnostic, info
from chapbook.core.files import NotWritten, atomic_target
from chapbook.core.pagesetup import PageSetup
from chapbook.core.workers import Workers
from chapbook.pdf.chunked import ChunkedPdf, ChunkingError
from chapbook.pdf.jobs import AUTO_CHUNK_THRESHOLD, Layouts
from chapbook.pdf.typecounts import Typography, offence_diagnostics, report_diagnostic
from chapbook.pdf.worker import write_single_pass
from chapbook.render.context import piece_id
from chapbook.render.print_html import render_print
from chapbook.render.styles import Style


@dataclass(frozen=True)
class PrintJob:
    """One book's print edition in one profile, and where its work is done."""

    book: Anthology
    style: Style
    profile: str  # print or screen
    root: Path  # the project: images and fonts come only from it and the style
    mode: str  # "single", "chunked" or "auto" (see BuildOptions.pdf_mode)
    chunk_cache: Path
    workers: Workers
    first: frozenset[str] = frozenset()  # sources whose chunks render first (edited ones)
    progress: Callable[[int, int], None] | None = None
    layouts: Layouts | None = None  # the build's tally of body layouts, laid out or reused
    shared_cache: str | None = None  # print layouts in a folder or fsspec URL (--cache)
    side_by_side: bool = False  # other workers build other books at once (book tasks)


def write_print_edition(job: PrintJob, target: Path) -> tuple[bool, list[Diagnostic]]:
    """Chunked and parallel where the result is the same as one pass; one pass otherwise.
    Returns whether the PDF was written, and the diagnostics.

    One pass is used on request, for books of a few pieces (chunks cost a fixed overhead
    each and gain nothing there), for the screen profile and for pieces that do not open
    on rectos (`opening`: a chunk's place in the book would change its mirrored margins,
    and run-on pieces share pages across any chunk boundary), and for PDF/A and PDF/UA (a
    merge would lose their metadata and structure tree).
    """
    book = job.book
    setup = book.config.print.page_setup(job.profile)
    one_pass = (job.mode == "single" or job.profile == "screen" or not _opens_on_rectos(book)
                or book.config.print.pdf_variant is not None
                or (job.mode == "auto" and len(book.pieces) <= AUTO_CHUNK_THRESHOLD))
    if one_pass:
        return _single_pass(job, setup, target)
    chunked = ChunkedPdf(book, job.style, setup, _roots(job), job.root, job.chunk_cache,
                         job.workers.jobs, job.progress, job.workers, job.first,
                         job.shared_cache, job.side_by_side)
    try:
        with atomic_target(target) as temporary:
            result = chunked.write(temporary, previous=target)
            if job.layouts is not None:
                job.layouts.add(result.layouts)
            if not result.written:
                raise NotWritten(diagnostics=result.diagnostics)
        return True, [*result.diagnostics,
                      *typography_report(book, target, result.typography)]
    except NotWritten as refused:
        return False, refused.diagnostics
    except ChunkingError as exc:
        note = info("pdf-single-pass", f"{target.name}: rendered in one pass ({exc})")
        written, found = _single_pass(job, setup, target)
        return written, [note, *found]


def _single_pass(job: PrintJob, setup: PageSetup, target: Path) -> tuple[bool, list[Diagnostic]]:
    rendition = render_print(job.book, job.style, setup)
    result = write_single_pass(job.book, rendition, target, _roots(job), job.root)
    return result.written, [*result.diagnostics,
                            *typography_report(job.book, target, result.typography)]


def typography_report(book: Anthology, target: Path, typography: Typography,
                      ) -> list[Diagnostic]:
    """The PDF's report line, and a warning per piece and rule still broken, at the
    piece's manuscript."""
    sources = {piece_id(piece): piece.source for piece in book.all_pieces}
    return [report_diagnostic(target.name, typography),
            *offence_diagnostics(target.name, typography, sources)]


def _roots(job: PrintJob) -> tuple[Path, ...]:
    return (job.root, *job.style.layers)


def _opens_on_rectos(book: Anthology) -> bool:
    """Every piece opens on a recto: chunks, which start on rectos, change nothing."""
    return book.config.opening == "recto" and all(p.opening == "recto" for p in book.parts)
