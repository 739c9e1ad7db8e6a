"""Manuscripts as last read, kept between builds in build/.cache/read/pool.pickle.

Reading a review (YAML, Markdown, typography, XHTML) costs about 1.5 ms; a pool of
thousands of them costs seconds on every build, though one edit changes one file. An entry
is keyed by everything a reading depends on: the file's bytes and its path in the project,
the read settings and chapbook's version. Files that name images are not kept: their
reading also depends on the image files.

All entries live in one file (one open and one write per build, not one per manuscript),
headed by the SHA-256 of the rest: a file that fails it, or an entry that does not load
as a reading, is read again and replaced, never used. The file is written only when a
build succeeds (a failed build leaves build/ as it was) and holds only the entries that
build used, so files edited, renamed or removed leave nothing behind.

The entries are pickles written by chapbook into the build folder: that folder is
trusted as the project is (whoever can write to it can write to the project).
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
from importlib.metadata import version
from pathlib import Path

from chapbook.core.files import replace_file
from chapbook.core.hashing import digest
from chapbook.read.textparts import ReadResult, ReadSettings

# 3: text repaired, metadata forms, headline works (issue 16); 4: footnote back links
# without words (named when rendered, in the language of the book that shows them)
SCHEMA = 4
POOL_FILE = "pool.pickle"
_HEADER = 32  # bytes: the SHA-256 of the pickled entries that follow
# Markdown images, and HTML that may show one once sanitised (tag names in any case)
_IMAGE_MARKERS = (b"![", b"<img", b"<image", b"<svg", b"<picture", b"<source", b"<object",
                  b"<embed")


class ReadCache:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.path = directory / POOL_FILE
        self._stored: dict[str, bytes] | None = None  # loaded on first use
        self._kept: dict[str, bytes] = {}  # what this read used or added: the next file
        self._changed = False
        self.read_anew: set[str] = set()  # files this read parsed (project-relative paths)
        self._version = version("chapbook")  # a few ms a call: once, not per file

    def key(self, relative: str, raw: bytes, settings: ReadSettings) -> str | None:
        """The entry's key, or None for a file whose reading depends on other files."""
        lowered = raw.lower()
        if any(marker in lowered for marker in _IMAGE_MARKERS):
            return None
        return digest(str(SCHEMA), self._version, repr(settings), relative, raw)

    def get(self, key: str) -> ReadResult | None:
        blob = self._entries().get(key)
        if blob is None:
            return None
        try:
            result = pickle.loads(blob)
        except Exception:  # from another chapbook: read again
            return None
        if not isinstance(result, ReadResult):
            return None
        self._kept[key] = blob
        return result

    def put(self, key: str, result: ReadResult, pickled: bytes | None = None) -> None:
        """Keep a new reading (`pickled`, if the caller has its pickle already); it is
        written by `save`, once the build has succeeded."""
        self._kept[key] = pickled or pickle.dumps(result, pickle.HIGHEST_PROTOCOL)
        self._changed = True

    def save(self) -> None:
        """Write the entries this read used or added, if they differ from the file's. A
        cache that cannot be written costs time, not the build."""
        if not self._changed and self._kept.keys() == self._entries().keys():
            return
        payload = pickle.dumps(self._kept, pickle.HIGHEST_PROTOCOL)
        with contextlib.suppress(OSError):
            self.directory.mkdir(parents=True, exist_ok=True)
            replace_file(self.path, hashlib.sha256(payload).digest() + payload)
            self._stored, self._changed = dict(self._kept), False
            for older in self.directory.glob("*.pickle"):  # one file an entry, before
                if older.name != POOL_FILE:
                    older.unlink(missing_ok=True)

    def _entries(self) -> dict[str, bytes]:
        if self._stored is None:
            self._stored = _load(self.path)
        return self._stored


def _load(path: Path) -> dict[str, bytes]:
    """The stored entries; none if the file is missing, damaged or not chapbook's."""
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    payload = memoryview(data)[_HEADER:]
    if hashlib.sha256(payload).digest() != data[:_HEADER]:
        return {}
    try:
        entries = pickle.loads(payload)
    except Exception:
        return {}
    if not isinstance(entries, dict) or not all(
            isinstance(k, str) and isinstance(v, bytes) for k, v in entries.items()):
        return {}
    return entries
