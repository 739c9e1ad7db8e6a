"""The start of a build that has work to do, before the pipeline loads: the workers start
loading WeasyPrint (or a cover's libraries), so that they are ready by the time the
first chunk is."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from chapbook.build import uptodate
from chapbook.build.options import BuildOptions
from chapbook.core.paths import BuildPaths
from chapbook.core.workers import LazyPool, default_jobs
from chapbook.pdf.jobs import AUTO_CHUNK_THRESHOLD
from chapbook.pdf.worker import warm_cover, warm_pdf


@contextlib.contextmanager
def started_workers(root: Path, options: BuildOptions) -> Iterator[LazyPool]:
    """The build's worker processes, those it will probably need already loading their
    libraries; they stop when the block ends."""
    paths = BuildPaths(options.output_dir(root))
    with LazyPool(options.jobs or default_jobs()) as workers:
        if _chunks_likely(root, options, workers.jobs):
            workers.warm(warm_pdf, _workers_to_warm(paths, workers.jobs))
        elif _cover_likely(root, options, paths):  # PDF workers would make it too
            workers.warm(warm_cover, 1)
        yield workers


def _chunks_likely(root: Path, options: BuildOptions, jobs: int) -> bool:
    """Whether a PDF will probably be rendered in chunks (a cheap guess from the number of
    manuscript files, made before reading them)."""
    if "pdf" not in options.formats or options.pdf_mode == "single" or jobs < 2:
        return False
    if options.pdf_mode == "chunked":
        return True
    folder = uptodate.manuscripts_dir(root)
    try:
        return sum(1 for _ in folder.iterdir()) > AUTO_CHUNK_THRESHOLD
    except OSError:
        return False


def _cover_likely(root: Path, options: BuildOptions, paths: BuildPaths) -> bool:
    """Whether an EPUB cover will probably be generated: an EPUB is wanted, of a chosen
    anthology that names no cover image in chapbook.toml, and no cover is kept from an
    earlier build (which would probably serve again)."""
    if "epub" not in options.formats or _has_entries(paths.cover_cache):
        return False
    books = uptodate.raw_config(root).get("anthology", [])
    return isinstance(books, list) and any(
        isinstance(book, dict) and not book.get("cover")
        and "epub" in book.get("formats", ["epub"])
        and (not options.only or book.get("slug") in options.only) for book in books)


def _has_entries(folder: Path) -> bool:
    try:
        with os.scandir(folder) as entries:
            return any(True for _ in entries)
    except OSError:
        return False


def _workers_to_warm(paths: BuildPaths, jobs: int) -> int:
    """Every worker for a first build. One when earlier builds left chunks (probably few
    render): warming more would take the cores the parent needs to find which ones, and
    more workers start anyway if it sends several chunks at once."""
    return 1 if _has_entries(paths.chunk_cache) else jobs
