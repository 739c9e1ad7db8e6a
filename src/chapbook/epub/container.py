"""The EPUB's zip container, written reproducibly: entries in the order they are added,
`mimetype` first and stored, every timestamp fixed, the same permissions on every system.

Most of an EPUB's bytes are its body documents, rendered before anything else: a worker
zips them (`zip_documents`) while the build makes the rest, which is then appended. The
worker loads only this module.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

MIMETYPE = b"application/epub+zip"
DEFLATE_LEVEL = 9


def zip_time(stamp: dt.datetime) -> tuple[int, int, int, int, int, int]:
    """A build's timestamp as a zip entry's date and time (zip cannot go before 1980)."""
    year, month, day, hour, minute, second = max(
        stamp, dt.datetime(1980, 1, 1, tzinfo=dt.UTC)).timetuple()[:6]
    return year, month, day, hour, minute, second


def zip_documents(path: Path, date_time: tuple[int, int, int, int, int, int],
                  documents: Sequence[tuple[str, str]]) -> None:
    """A new EPUB zip at `path`: `mimetype`, then each (name, text) document. Runs in a
    worker."""
    with ReproducibleZip(path, date_time, "w") as packed:
        packed.add("mimetype", MIMETYPE, compress=False)
        for name, text in documents:
            packed.add(name, text.encode("utf-8"))


class ReproducibleZip:
    """A zip written (`w`) or appended to (`a`) with fixed timestamps and Unix modes."""

    def __init__(self, path: Path, date_time: tuple[int, int, int, int, int, int],
                 mode: Literal["w", "a"]) -> None:
        self.date_time = date_time
        self.archive = zipfile.ZipFile(path, mode)

    def add(self, name: str, data: bytes, compress: bool = True) -> None:
        info = zipfile.ZipInfo(name, date_time=self.date_time)
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        info.external_attr = 0o644 << 16
        info.create_system = 3
        self.archive.writestr(info, data, compresslevel=DEFLATE_LEVEL)

    def __enter__(self) -> ReproducibleZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.archive.close()
