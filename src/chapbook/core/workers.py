"""Worker processes for the parts of a build that parallelise: reading a large pool,
rendering PDF chunks. They stop with the build."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


class Workers(Protocol):
    """Where a build sends work that parallelises: `LazyPool` (worker processes), or
    `Inline` (the calling process itself: a book task, already on a worker)."""

    jobs: int

    def submit(self, fn: Callable[..., T], /, *args: Any) -> Future[T]: ...

    def warm(self, fn: Callable[[], object], workers: int | None = None) -> None: ...


class Inline:
    """Work done at once in the calling process, its result in a finished future."""

    jobs = 1

    def submit(self, fn: Callable[..., T], /, *args: Any) -> Future[T]:
        future: Future[T] = Future()
        try:
            future.set_result(fn(*args))
        except Exception as exc:  # handed to whoever waits for it, as a pool would
            future.set_exception(exc)
        return future

    def warm(self, fn: Callable[[], object], workers: int | None = None) -> None:
        pass  # whatever a task needs loads when it first runs


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)


class LazyPool:
    """Up to `jobs` worker processes, started as work needs them and stopped with the build.

    `warm` gives workers something to load before real work arrives (WeasyPrint, while the
    parent still reads the pool). Workers come in groups (one executor each): a group is
    started only when every worker already started is busy, so a warmed first worker gets
    the first job rather than an idle cold one. At exit the workers are stopped rather than
    waited for: neither warming nor unloading delays the end of a build."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._stack = contextlib.ExitStack()
        self._groups: list[_Group] = []

    def submit(self, fn: Callable[..., T], /, *args: Any) -> Future[T]:
        return self._least_busy().submit(fn, *args)

    def warm(self, fn: Callable[[], object], workers: int | None = None) -> None:
        """Start `workers` workers (default: all) and run `fn` once in each."""
        group = self._start(min(workers or self.jobs, self.jobs))
        for _ in range(group.size):
            group.pool.submit(fn)  # not counted: a warming worker is the one to wait for

    def _least_busy(self) -> _Group:
        started = sum(group.size for group in self._groups)
        if started < self.jobs and all(g.outstanding >= g.size for g in self._groups):
            return self._start(self.jobs - started)
        return min(self._groups, key=lambda group: group.outstanding / group.size)

    def _start(self, size: int) -> _Group:
        group = _Group(self._stack.enter_context(worker_pool(size)), size)
        self._groups.append(group)
        return group

    def __enter__(self) -> LazyPool:
        return self

    def __exit__(self, *exc: object) -> bool | None:
        if exc[0] is None:  # the build has every result it asked for (or asked for none):
            for group in self._groups:  # stopped, not waited for as they unload WeasyPrint
                _stop(group.pool)
        return self._stack.__exit__(*exc)  # type: ignore[arg-type]


class _Group:
    """An executor of `size` workers, and how many of its jobs have not finished."""

    def __init__(self, pool: ProcessPoolExecutor, size: int) -> None:
        self.pool = pool
        self.size = size
        self.outstanding = 0
        self._lock = threading.Lock()  # jobs finish on the executor's thread

    def submit(self, fn: Callable[..., T], /, *args: Any) -> Future[T]:
        future = self.pool.submit(fn, *args)
        with self._lock:
            self.outstanding += 1
        future.add_done_callback(self._finished)  # at once if it is already done
        return future

    def _finished(self, _: Future[Any]) -> None:
        with self._lock:
            self.outstanding -= 1


def _stop(pool: ProcessPoolExecutor) -> None:
    for worker in list(getattr(pool, "_processes", {}).values()):
        worker.terminate()
    pool.shutdown(wait=True, cancel_futures=True)


@contextlib.contextmanager
def worker_pool(jobs: int) -> Iterator[ProcessPoolExecutor]:
    """Worker processes that stop with the build: on Ctrl-C, SIGTERM or an error the queued
    chunks are cancelled and the running ones killed, instead of rendering the rest of the
    book before exiting (what the executor's own `with` would do).

    Workers are stopped, not asked to clean up, so their temporary files (WeasyPrint keeps
    a folder of font files, some megabytes, for a worker's life) go to a scratch folder
    that goes with the pool: killed workers leave nothing behind in the system's /tmp."""
    scratch = tempfile.mkdtemp(prefix="chapbook-workers-")
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker, initargs=(scratch,))
    try:
        try:
            yield pool
        except BaseException:
            # Joined, not abandoned: the executor's thread would otherwise write to a
            # closed pipe as the interpreter exits, and print a traceback after "interrupted".
            _stop(pool)
            raise
        pool.shutdown(wait=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _start_worker(scratch: str) -> None:
    """Ctrl-C reaches the whole process group: the parent decides and stops the workers,
    which then die quietly on SIGTERM. Their temporary files go to the pool's scratch."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.environ["TMPDIR"] = scratch
    tempfile.tempdir = scratch
