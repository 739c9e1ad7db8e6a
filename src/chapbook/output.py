"""Atomic output: a book is written to a temporary file beside its target, then renamed.

A reader of `build/` sees either the previous complete file or the new complete file,
never a half-written one, whatever happens to the process in between.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_target(target: Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces `target`, on failure it goes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
        with open(temporary, "rb") as written:
            os.fsync(written.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def replace_file(target: Path, data: bytes) -> None:
    """Write a cache file or record whole or not at all: to a temporary beside it, then
    renamed over it. No fsync, unlike `atomic_target`: these files are checked when read,
    and one lost to a crash is only made again."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def build_timestamp(fallback: dt.date) -> dt.datetime:
    """The time stamped into outputs: SOURCE_DATE_EPOCH if set, else the book's date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime(fallback.year, fallback.month, fallback.day, tzinfo=dt.UTC)


LOCK_NAME = ".lock"


@contextlib.contextmanager
def output_lock(out_dir: Path, on_wait: Callable[[], None]) -> Iterator[None]:
    """Hold the output folder for one build at a time: a second build of the same project
    waits (after calling `on_wait`) instead of interleaving its writes and caches.
    The kernel drops the lock when the process dies, however it dies. A folder this build
    created and left empty goes again, so a failed first build leaves nothing behind."""
    created = not out_dir.exists()
    out_dir.mkdir(parents=True, exist_ok=True)
    lock_path = out_dir / LOCK_NAME
    handle = _acquire(lock_path, on_wait)
    try:
        _remove_leftovers(out_dir)
        yield
    finally:
        if created and [p.name for p in out_dir.iterdir()] == [LOCK_NAME]:
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
