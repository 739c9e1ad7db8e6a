"""The pipeline of a build: read -> collect -> render -> write.

`start.py` decides whether there is anything to do and starts the workers; this module,
and the libraries it loads, come after (the CLI loads it once the workers are starting).
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from chapbook.build import uptodate
from chapbook.build.options import BuildOptions
from chapbook.build.plan import plan
from chapbook.build.report import BuildReport, Progress
from chapbook.build.start import started_workers
from chapbook.build.uptodate import up_to_date
from chapbook.core.anthology import Anthology
from chapbook.core.config import Project
from chapbook.core.diagnostics import Diagnostic, error, has_errors, relative_path
from chapbook.core.paths import BuildPaths
from chapbook.core.workers import LazyPool
from chapbook.epub.edition import write_epub_edition
from chapbook.epub.epubcheck import validation_diagnostics
from chapbook.pdf.edition import PrintJob, write_print_edition
from chapbook.read.pool import ReadCache
from chapbook.render.styles import keep_compiled_templates, load_style
from chapbook.render.template_errors import template_diagnostic
from chapbook.web.edition import write_web_edition
from chapbook.web.press import base_url, write_press_site


def build(root: Path, options: BuildOptions, progress: Progress | None = None) -> BuildReport:
    """Plan, then render and write every requested edition, unless the plan has errors;
    nothing at all if nothing changed since the last build."""
    key, previous = up_to_date(root, options)
    if previous is not None:
        return previous
    with started_workers(root, options) as workers:
        return write_books(root, options, key, workers, progress)


def write_books(root: Path, options: BuildOptions, key: str, workers: LazyPool,
                progress: Progress | None = None) -> BuildReport:
    """`build` once the up-to-date check has found work (`key`: the inputs' fingerprint)
    and the workers have started; records a build that succeeds, under `key`, so that the
    next one can be skipped."""
    paths = BuildPaths(options.output_dir(root))
    reads = ReadCache(paths.read_cache)
    the_plan = plan(root, options, reads)
    if the_plan.project is None or has_errors(the_plan.diagnostics, options.strict):
        report = BuildReport(the_plan)
    else:
        outputs, problems = _write_all(the_plan.project, the_plan.anthologies, options,
                                       _Writing(paths, workers, frozenset(reads.read_anew),
                                                progress))
        report = BuildReport(the_plan, tuple(outputs), tuple(problems))
    if report.outputs and not has_errors(report.all_diagnostics, options.strict):
        uptodate.remember(paths, key, report.outputs, report.all_diagnostics)
        reads.save()
    else:
        uptodate.forget(paths)
    return report


class _Writing:
    """Where a build writes, its workers, the manuscripts whose PDF chunks go to the
    workers first (those read anew: the others' chunks are probably cached), and whom to
    tell how it goes."""

    def __init__(self, paths: BuildPaths, workers: LazyPool, first: frozenset[str],
                 progress: Progress | None) -> None:
        self.paths, self.workers, self.first, self.progress = paths, workers, first, progress

    def begin(self, output: str) -> None:
        if self.progress:
            self.progress.begin(output)


def _write_all(project: Project, books: tuple[Anthology, ...], options: BuildOptions,
               writing: _Writing) -> tuple[list[Path], list[Diagnostic]]:
    outputs: list[Path] = []
    problems: list[Diagnostic] = []
    for book in books:
        for fmt, profile in _editions(book, options):
            target = writing.paths.book(book.slug, fmt, profile)
            writing.begin(target.name)
            written, found = _write(project, book, fmt, profile, target, options, writing)
            problems += found
            if written:
                outputs.append(target)
            if options.validate and fmt == "epub" and written:
                writing.begin(f"{book.slug}.epub (EPUBCheck)")
                problems += validation_diagnostics(book, target,
                                                   relative_path(target, project.root))
    if "html" in options.formats and any(o.is_dir() for o in outputs):  # a web edition
        press_files, press_problems = write_press_site(project, writing.paths)
        outputs += press_files
        problems += press_problems
    return outputs, problems


def _editions(book: Anthology, options: BuildOptions) -> list[tuple[str, str | None]]:
    """(format, PDF profile) pairs to build for a book."""
    wanted = [f for f in options.formats if f in book.config.formats]
    editions: list[tuple[str, str | None]] = [("epub", None)] if "epub" in wanted else []
    if "pdf" in wanted:
        profiles = options.profiles or tuple(book.config.print.profiles)
        editions += [("pdf", profile) for profile in profiles]
    if "html" in wanted:  # last: it links to the EPUB and PDFs, with their sizes
        editions.append(("html", None))
    return editions


def _write(project: Project, book: Anthology, fmt: str, profile: str | None, target: Path,
           options: BuildOptions, writing: _Writing) -> tuple[bool, list[Diagnostic]]:
    """One edition of one book: whether it was written, and the diagnostics."""
    style, problems = load_style(options.style or book.config.style, project.root,
                                 project.fallback_fonts)
    if style is None:
        return False, problems
    keep_compiled_templates(style, writing.paths.template_cache)
    try:
        if fmt == "epub":
            written, found = write_epub_edition(book, style, target, writing.paths,
                                                writing.workers)
        elif fmt == "html":
            written, found = write_web_edition(book, style, target, writing.paths,
                                               writing.workers, base_url(project))
        else:
            job = PrintJob(book, style, profile or "print", project.root, options.pdf_mode,
                           writing.paths.chunk_cache, writing.workers, writing.first,
                           writing.progress.advance if writing.progress else None)
            written, found = write_print_edition(job, target)
    except OSError as exc:
        problems.append(error("write-failed", f"cannot write {target}: {exc.strerror or exc}",
                              None, "check that the output folder is writable and not full"))
        return False, problems
    except jinja2.TemplateError as exc:  # a style's own template: nothing is written
        return False, [*problems, template_diagnostic(exc, project.root)]
    return written, problems + found
