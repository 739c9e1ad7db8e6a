"""Where the books of a run are built when it has many: the build's own worker processes
(`local`, the default), or the workers of a Dask distributed cluster
(`--executor dask://HOST:PORT`, or `[build] executor`). Dask schedules, balances and
retries the tasks; chapbook only hands it one task per book (see `booktask.py`)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from concurrent.futures import Executor
from typing import TYPE_CHECKING

from chapbook.core.diagnostics import Diagnostic, error
from chapbook.core.executors import LOCAL, dask_address

if TYPE_CHECKING:
    from chapbook.core.workers import Workers

EXECUTOR_HINT = "use --executor local, or dask://HOST:PORT for a Dask scheduler"
# A run of this many books or more is built a book per task, the books side by side: each
# worker lays a whole book out (its chunks one after another, most of them already laid out
# for another book). Fewer books are built one after another, each one's chunks in parallel.
MANY_BOOKS = 8
# A book task that dies with its worker is run again elsewhere this many times; a chunk it
# was writing is never seen half-written (see ChunkCache).
RETRIES = 2
CONNECT_SECONDS = 20


def as_tasks(spec: str, books: int, preview: bool) -> bool:
    """Whether the run's books go out as book tasks: always to a cluster; locally, when
    there are many. Never in `chapbook serve`: it rebuilds a book or two, at once, here."""
    return not preview and (spec != LOCAL or books >= MANY_BOOKS)


class ExecutorUnreachable(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


@contextlib.contextmanager
def book_executor(spec: str, workers: Workers) -> Iterator[Executor | Workers]:
    """What book tasks are submitted to: the build's workers, or a Dask cluster's (through
    its concurrent.futures face). Raises ExecutorUnreachable when the cluster is not there."""
    if spec == LOCAL:
        yield workers
        return
    try:
        from distributed import Client  # an optional extra, a second to import: when asked
    except ImportError as exc:
        raise ExecutorUnreachable(error(
            "executor-unavailable", f"--executor {spec} needs Dask distributed ({exc.name} "
            "is not installed)", None, "pip install 'chapbook[cluster]'")) from exc
    try:
        client = Client(dask_address(spec), timeout=CONNECT_SECONDS)  # type: ignore[no-untyped-call]
    except OSError as exc:
        raise ExecutorUnreachable(error(
            "executor-unreachable", f"no Dask scheduler answers at {spec}: {exc}", None,
            "start one (dask scheduler, then dask worker tcp://HOST:PORT), or "
            + EXECUTOR_HINT)) from exc
    with client:
        executor = client.get_executor(  # type: ignore[no-untyped-call]
            retries=RETRIES, pure=False)
        try:
            yield executor
        finally:
            executor.shutdown(wait=False)
