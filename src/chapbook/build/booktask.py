"""A book as one task of a run of many, sent to a worker: the build's own, or a Dask
cluster's. The worker builds every edition of the book, its PDF chunks one after another
(most of them laid out already, for another book, and found in the shared chunk cache),
and writes the outputs in place, each atomically. The build process only plans, sends
and gathers.

Workers must see the project folder, and the output folder, at the same paths as the
build process (one machine, or a shared filesystem); the chunk cache may be anywhere
fsspec reaches (`--cache`)."""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass, replace
from pathlib import Path

from chapbook.build.bookwriter import Writing, write_book
from chapbook.build.options import BuildOptions
from chapbook.core.anthology import Anthology
from chapbook.core.config import Project
from chapbook.core.diagnostics import Diagnostic
from chapbook.core.paths import BuildPaths
from chapbook.core.workers import Inline, Workers
from chapbook.pdf.chunkcache import ChunkCache
from chapbook.pdf.chunked import CACHE_FLOOR
from chapbook.pdf.claims import Claims
from chapbook.pdf.jobs import Layouts

# Book tasks sent ahead of those finished: enough to keep every worker of a big cluster busy
IN_FLIGHT = 256


@dataclass(frozen=True)
class BookTask:
    """Everything a worker needs to build one book (sent pickled: the book carries its
    pieces, read once by the build process)."""

    project: Project
    book: Anthology
    options: BuildOptions
    paths: BuildPaths
    cache: str | None  # where the print layouts are kept (see ChunkCache); None: paths'
    given: str  # the digest of what the Python API handed in (for the page maps' keys)


@dataclass(frozen=True)
class BookDone:
    outputs: tuple[Path, ...]
    diagnostics: tuple[Diagnostic, ...]
    layouts: Layouts


def run_book_task(task: BookTask) -> BookDone:
    """On a worker: the book's editions, written in place, and what they reported."""
    writing = Writing(task.paths, Inline(), frozenset(), None, task.cache)
    writing.given = task.given
    writing.side_by_side = True
    outputs, problems = write_book(task.project, task.book, task.options, writing)
    return BookDone(tuple(outputs), tuple(problems), writing.layouts)


def write_as_tasks(project: Project, books: Sequence[Anthology], options: BuildOptions,
                   writing: Writing, executor: Executor | Workers,
                   ) -> tuple[list[Path], list[Diagnostic]]:
    """Every book as a task; the outputs and diagnostics in book order, whatever order the
    tasks finish in.
    At most IN_FLIGHT tasks are out at once: a run of a million books does not hold a
    million tasks, and the cluster's scheduler sees a steady queue."""
    started = time.time()
    Claims(writing.paths.chunk_cache).clear()  # left by a run stopped short: see Claims
    # A task carries its own book: not the config's list of every book (a million of them)
    slim = replace(project, config=project.config.model_copy(update={"anthology": []}),
                   book_sources={})
    waiting = iter(enumerate(books))
    out: dict[Future[BookDone], int] = {}
    done: dict[int, BookDone] = {}

    def send(count: int) -> None:
        for number, book in itertools.islice(waiting, count):
            task = BookTask(slim, book, options, writing.paths, writing.cache, writing.given)
            out[executor.submit(run_book_task, task)] = number

    send(IN_FLIGHT)
    writing.begin(f"{len(books)} books, side by side")
    while out:
        finished, _ = wait(out, return_when=FIRST_COMPLETED)
        for future in finished:
            number = out.pop(future)
            done[number] = future.result()
            writing.layouts.add(done[number].layouts)
            if writing.progress:
                writing.progress.advance(len(done), len(books))
                writing.begin(f"{books[number].slug}: built ({len(done)} of {len(books)})")
        send(len(finished))
    # The workers leave the cache alone (see ChunkedPdf._trim_cache): what this run used stays
    ChunkCache(writing.paths.chunk_cache).trim(set(), CACHE_FLOOR, used_since=started)
    ordered = [done[number] for number in range(len(books))]
    return ([path for result in ordered for path in result.outputs],
            [d for result in ordered for d in result.diagnostics])
