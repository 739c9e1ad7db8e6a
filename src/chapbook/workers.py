"""Worker processes for the parts of a build that parallelise: reading a large pool,
rendering PDF chunks. They stop with the build."""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)


@contextlib.contextmanager
def worker_pool(jobs: int) -> Iterator[ProcessPoolExecutor]:
    """Worker processes that stop with the build: on Ctrl-C, SIGTERM or an error the queued
    chunks are cancelled and the running ones killed, instead of rendering the rest of the
    book before exiting (what the executor's own `with` would do)."""
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_leave_signals_to_the_parent)
    try:
        yield pool
    except BaseException:
        workers = list(getattr(pool, "_processes", {}).values())
        for worker in workers:
            worker.terminate()
        # Joined, not abandoned: the executor's thread would otherwise write to a closed
        # pipe as the interpreter exits, and print a traceback after "interrupted".
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _leave_signals_to_the_parent() -> None:
    """Ctrl-C reaches the whole process group: the parent decides and stops the workers,
    which then die quietly on SIGTERM."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
