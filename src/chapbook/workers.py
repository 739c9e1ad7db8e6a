"""Worker processes for the parts of a build that parallelise: reading a large pool,
rendering PDF chunks. They stop with the build."""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)


class LazyPool:
    """Worker processes started on first use and stopped with the build.

    `warm` gives each worker something to load before real work arrives (WeasyPrint, while
    the parent still reads the pool). If no real work ever comes, the workers are stopped
    at exit rather than waited for: warming never delays the end of a build."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._stack = contextlib.ExitStack()
        self._pool: ProcessPoolExecutor | None = None
        self._worked = False

    def submit(self, fn: Callable[..., T], /, *args: Any) -> Future[T]:
        self._worked = True
        return self._started().submit(fn, *args)

    def warm(self, fn: Callable[[], object]) -> None:
        for _ in range(self.jobs):
            self._started().submit(fn)

    def _started(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = self._stack.enter_context(worker_pool(self.jobs))
        return self._pool

    def __enter__(self) -> LazyPool:
        return self

    def __exit__(self, *exc: object) -> bool | None:
        if self._pool is not None and not self._worked and exc[0] is None:
            _stop(self._pool)
        return self._stack.__exit__(*exc)  # type: ignore[arg-type]


def _stop(pool: ProcessPoolExecutor) -> None:
    for worker in list(getattr(pool, "_processes", {}).values()):
        worker.terminate()
    pool.shutdown(wait=True, cancel_futures=True)


@contextlib.contextmanager
def worker_pool(jobs: int) -> Iterator[ProcessPoolExecutor]:
    """Worker processes that stop with the build: on Ctrl-C, SIGTERM or an error the queued
    chunks are cancelled and the running ones killed, instead of rendering the rest of the
    book before exiting (what the executor's own `with` would do)."""
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_leave_signals_to_the_parent)
    try:
        yield pool
    except BaseException:
        # Joined, not abandoned: the executor's thread would otherwise write to a closed
        # pipe as the interpreter exits, and print a traceback after "interrupted".
        _stop(pool)
        raise
    pool.shutdown(wait=True)


def _leave_signals_to_the_parent() -> None:
    """Ctrl-C reaches the whole process group: the parent decides and stops the workers,
    which then die quietly on SIGTERM."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
