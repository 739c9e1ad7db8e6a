"""The pipeline of a build: read -> collect -> render -> write.

`start.py` decides whether there is anything to do and starts the workers; this module,
and the libraries it loads, come after (the CLI loads it once the workers are starting).
"""

from __future__ import annotations

from pathlib import Path

from chapbook.build import uptodate
from chapbook.build.booktask import write_as_tasks
from chapbook.build.bookwriter import Writing, book_fields, editions, write_book
from chapbook.build.executor import ExecutorUnreachable, as_tasks, book_executor
from chapbook.build.inputs import Inputs
from chapbook.build.options import BuildOptions
from chapbook.build.plan import plan
from chapbook.build.report import BuildReport, Output, Progress
from chapbook.build.start import started_workers
from chapbook.build.uptodate import up_to_date
from chapbook.core.anthology import Anthology
from chapbook.core.config import Project
from chapbook.core.diagnostics import Diagnostic, error, has_errors, info
from chapbook.core.executors import cache_location
from chapbook.core.paths import BuildPaths
from chapbook.core.workers import LazyPool
from chapbook.pdf.chunkcache import cache_problem
from chapbook.read.pool import ReadCache
from chapbook.web.press import write_press_site


def build(root: Path, options: BuildOptions, progress: Progress | None = None,
          inputs: Inputs | None = None) -> BuildReport:
    """Plan, then render and write every requested edition, unless the plan has errors;
    nothing at all if nothing changed since the last build."""
    key, previous = up_to_date(root, options, inputs)
    if previous is not None:
        return previous
    with started_workers(root, options) as workers:
        return write_books(root, options, key, workers, progress, inputs)


def write_books(root: Path, options: BuildOptions, key: str, workers: LazyPool,
                progress: Progress | None = None, inputs: Inputs | None = None) -> BuildReport:
    """`build` once the up-to-date check has found work (`key`: the inputs' fingerprint)
    and the workers have started; records a build that succeeds, under `key`, so that the
    next one can be skipped. `inputs`: what the Python API hands in instead of files."""
    paths = BuildPaths(options.output_dir(root), options.book_folders)
    reads = ReadCache(paths.read_cache)
    the_plan = plan(root, options, reads, inputs)
    if the_plan.project is None or has_errors(the_plan.diagnostics, options.strict):
        report = BuildReport(the_plan)
    else:
        cache = options.cache or the_plan.project.config.build.cache
        writing = Writing(paths, workers, frozenset(reads.read_anew), progress,
                          cache_location(cache, root) if cache else None)
        writing.given = inputs.digest() if inputs else ""
        outputs, problems = _write_all(the_plan.project, the_plan.anthologies, options,
                                       writing)
        report = BuildReport(the_plan, tuple(outputs), tuple(problems),
                             written=what_was_written(the_plan.anthologies, outputs, paths,
                                                      options), layouts=writing.layouts)
    if report.outputs and not has_errors(report.all_diagnostics, options.strict):
        uptodate.remember(paths, key, report.outputs, report.all_diagnostics, report.written)
        reads.save()
    else:
        uptodate.forget(paths)
    return report


def _write_all(project: Project, books: tuple[Anthology, ...], options: BuildOptions,
               writing: Writing) -> tuple[list[Path], list[Diagnostic]]:
    outputs: list[Path] = []
    problems: list[Diagnostic] = []
    if writing.cache and cache_problem(writing.cache):
        where = None if options.cache else project.location_of("build", "cache")
        return [], [error("cache-unavailable", str(cache_problem(writing.cache)), where,
                          "give a folder, or an fsspec URL whose library is installed "
                          "(s3:// needs s3fs, gs:// gcsfs)")]
    spec = options.executor or project.config.build.executor
    if as_tasks(spec, len(books), options.preview):
        try:
            with book_executor(spec, writing.workers) as executor:
                outputs, problems = write_as_tasks(project, books, options, writing, executor)
        except ExecutorUnreachable as unreachable:
            return [], [unreachable.diagnostic]
    else:
        for book in books:
            made, found = write_book(project, book, options, writing)
            outputs += made
            problems += found
    if writing.paths.folders and any(o.is_dir() for o in outputs):
        problems.append(info("press-site-per-book", "the press site and catalogues are not "
                             "written when --out places each book in a folder of its own",
                             None, "build the web editions with a plain --out to get them"))
    elif "html" in options.formats and any(o.is_dir() for o in outputs):  # a web edition
        press_files, press_problems = write_press_site(project, writing.paths)
        outputs += press_files
        problems += press_problems
    return outputs, list(dict.fromkeys(problems))  # a style's problems come from every task


def what_was_written(books: tuple[Anthology, ...], outputs: list[Path], paths: BuildPaths,
                     options: BuildOptions) -> tuple[Output, ...]:
    """Each output with its book, format and profile."""
    written = set(outputs)
    return tuple(Output(book.slug, fmt, profile, target) for book in books
                 for fmt, profile in editions(book, options)
                 if (target := paths.book(book.slug, fmt, profile,
                                          book_fields(book, options))) in written)


