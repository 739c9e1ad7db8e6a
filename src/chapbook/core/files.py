"""Atomic output: a book is written to a temporary file beside its target, then renamed;
a refused output is `NotWritten`.

A reader of `build/` sees either the previous complete file or the new complete file,
never a half-written one, whatever happens to the process in between.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import secrets
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from chapbook.core.diagnostics import Diagnostic


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
    # the process id, and more: the threads of one Dask worker share a process
    temporary = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.part")
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


class NotWritten(Exception):
    """An output was refused and nothing was written (any previous file stays). Carries
    what to tell the user: the diagnostics that say why, or one sentence."""

    def __init__(self, message: str = "", diagnostics: Sequence[Diagnostic] = ()) -> None:
        super().__init__(message or "; ".join(d.message for d in diagnostics))
        self.diagnostics = list(diagnostics)
