"""`chapbook build --offprints`: each piece (or each contributor's pieces) on its own, as it
stands in the book, in build/<slug>/offprints/.

Offprints are made from the print edition just written: the PDF takes its pages, and the
EPUB's statement gives the same page numbers. So a build with offprints always writes the
print PDF (`run._editions` adds it when `--format` or `--profile` leave it out). The
statement pages of a book are laid out together, by one WeasyPrint document.
"""

from __future__ import annotations

import contextlib
import functools
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pikepdf import Pdf

from chapbook.core.anthology import Anthology
from chapbook.core.diagnostics import Diagnostic, error, has_errors, warning
from chapbook.core.files import atomic_target
from chapbook.core.manuscript import Manuscript
from chapbook.core.paths import BuildPaths
from chapbook.core.workers import Workers
from chapbook.epub.offprint import write_epub_offprint
from chapbook.pdf.jobs import ChunkJob, ChunkResult
from chapbook.pdf.offprint import (
    Section,
    Span,
    chunk_job,
    piece_spans,
    probe_html,
    text_top,
    write_offprint,
)
from chapbook.pdf.worker import render_chunk
from chapbook.render.context import bookmark
from chapbook.render.offprint import Offprint, offprints, print_statements
from chapbook.render.styles import Style


@dataclass(frozen=True)
class OffprintJob:
    """A book's offprints: of what kind, in which formats, from which print PDF."""

    book: Anthology
    style: Style
    kind: str  # piece or contributor
    formats: tuple[str, ...]  # pdf, epub
    root: Path
    paths: BuildPaths
    workers: Workers | None
    fields: Mapping[str, str] = field(default_factory=dict)  # the book's, for --out templates
    book_epub: Path | None = None  # the book's EPUB, written by this build: its documents


def write_offprints(job: OffprintJob) -> tuple[list[Path], list[Diagnostic]]:
    """The offprints written, and the diagnostics. The print PDF must be written already."""
    book = job.book
    source = job.paths.book(book.slug, "pdf", "print", job.fields)
    with tempfile.TemporaryDirectory(dir=_scratch(job)) as scratch:
        render = functools.partial(_render, job)
        probe = Path(scratch) / "probe.pdf"
        spans = piece_spans(source, book, functools.cache(
            lambda: text_top(render(probe_html(book), probe))))
        problems = [_not_found(book, p.slug) for p in book.pieces if p.slug not in spans]
        wanted = [o for o in offprints(book, job.kind) if all(p.slug in spans for p in o.pieces)]
        if not wanted:
            return [], problems
        chosen = {p.slug for o in wanted for p in o.pieces}
        placed = [p for p in book.pieces if p.slug in chosen]
        statements = Path(scratch) / "statements.pdf"
        if "pdf" in job.formats:  # the statement pages: in print only
            found = _statements(job, placed, spans, statements)
            problems += found
            if has_errors(found):
                return [], problems
        order = {piece.slug: 2 * number for number, piece in enumerate(placed)}
        written, found = _write_all(job, wanted, spans, order, source, statements)
    return written, problems + found


def _statements(job: OffprintJob, placed: list[Manuscript], spans: dict[str, Span],
                target: Path) -> list[Diagnostic]:
    """Every statement page the offprints need, each followed by a blank, in one PDF."""
    book = job.book
    html = print_statements(book, job.style, book.config.print.page_setup("print"),
                            [(p, spans[p.slug].folios) for p in placed])
    laid_out = _render(job, html, target)
    if laid_out.refused or laid_out.pages != 2 * len(placed):
        return [*laid_out.diagnostics, _statement_error(book, laid_out.pages, 2 * len(placed))]
    return list(laid_out.diagnostics)


def _write_all(job: OffprintJob, wanted: list[Offprint], spans: dict[str, Span],
               order: dict[str, int], source: Path,
               statements: Path) -> tuple[list[Path], list[Diagnostic]]:
    book, folder = job.book, job.paths.offprints(job.book.slug, job.fields)
    written: list[Path] = []
    problems: list[Diagnostic] = []
    with contextlib.ExitStack() as stack:
        if "pdf" in job.formats:
            pages = stack.enter_context(Pdf.open(source))
            notes = stack.enter_context(Pdf.open(statements))
        for offprint in wanted:
            if "pdf" in job.formats:
                target = folder / f"{offprint.name}.pdf"
                sections = [Section(order[p.slug], spans[p.slug], bookmark(p))
                            for p in offprint.pieces]
                with atomic_target(target) as temporary:
                    write_offprint(pages, notes, sections, offprint.title,
                                   ", ".join(offprint.authors), book.language, temporary)
                written.append(target)
            if "epub" in job.formats:
                target = folder / f"{offprint.name}.epub"
                done, found = write_epub_offprint(
                    book, job.style, offprint, job.kind,
                    [spans[p.slug].folios for p in offprint.pieces], target,
                    job.paths.font_cache, job.workers,
                    job.book_epub)
                problems += found
                written += [target] if done else []
    return written, problems


def _render(job: OffprintJob, html: str, target: Path) -> ChunkResult:
    """A document in the book's print style, page size and fonts, by a build's worker
    (which has WeasyPrint loaded) if there are workers."""
    style, setup = job.style, job.book.config.print.page_setup("print")
    task: ChunkJob = chunk_job(html, style.font_css, style.stylesheets("css/print.css"),
                               setup.css, (job.root, *style.layers), job.root, target)
    run: Callable[[ChunkJob], ChunkResult] = render_chunk
    return job.workers.submit(run, task).result() if job.workers else run(task)


def _scratch(job: OffprintJob) -> Path:
    folder = job.paths.cache / "offprints"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _not_found(book: Anthology, slug: str) -> Diagnostic:
    return warning("offprint-not-found", f"{book.slug}: no offprint of '{slug}': its pages "
                   "cannot be found in the print PDF", None,
                   f"a style's print/book.html.j2 must give each piece its id (piece-{slug})")


def _statement_error(book: Anthology, pages: int, expected: int) -> Diagnostic:
    return error("offprint-statement", f"{book.slug}: the offprints' first pages came out as "
                 f"{pages} pages, not {expected}: no offprint was written", None,
                 "a style's print/offprint.html.j2 and its CSS must give each statement one "
                 "page, then one blank page")
