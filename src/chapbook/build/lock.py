"""One build of a project at a time: the output folder is locked while a build writes it."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from chapbook.core.paths import BuildPaths


@contextlib.contextmanager
def output_lock(out_dir: Path, on_wait: Callable[[], None]) -> Iterator[None]:
    """Hold the output folder for one build at a time: a second build of the same project
    waits (after calling `on_wait`) instead of interleaving its writes and caches.
    The kernel drops the lock when the process dies, however it dies. A folder this build
    created and left empty goes again, so a failed first build leaves nothing behind."""
    created = not out_dir.exists()
    out_dir.mkdir(parents=True, exist_ok=True)
    lock_path = BuildPaths(out_dir).lock
    handle = _acquire(lock_path, on_wait)
    try:
        _remove_leftovers(out_dir)
        yield
    finally:
        if created and [p.name for p in out_dir.iterdir()] == [lock_path.name]:
            lock_path.unlink(missing_ok=True)  # a waiting build notices and locks afresh
            with contextlib.suppress(OSError):
                out_dir.rmdir()
        os.close(handle)


def _acquire(lock_path: Path, on_wait: Callable[[], None]) -> int:
    """A locked descriptor of the lock file that is still the one at `lock_path`."""
    waited = False
    while True:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not waited:
                on_wait()
                waited = True
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            if os.fstat(handle).st_ino == os.stat(lock_path).st_ino:
                return handle
        except FileNotFoundError:
            pass
        os.close(handle)  # the holder removed the file as it finished: lock the new one


def _remove_leftovers(out_dir: Path) -> None:
    """Temporary files of a build that was killed: safe to remove, since we hold the lock."""
    for leftover in out_dir.glob(".*.part"):
        leftover.unlink(missing_ok=True)
