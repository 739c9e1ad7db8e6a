"""Manuscripts as last read, kept between builds under build/.cache/read.

Reading a review (YAML, Markdown, typography, XHTML) costs about 1.5 ms; a pool of
thousands of them costs seconds on every build, though one edit changes one file. An entry
is keyed by everything a reading depends on: the file's bytes and its path in the project,
the read settings and chapbook's version. Files that name images are not kept: their
reading also depends on the image files. An entry that cannot be loaded, or that holds
another key, is read again and replaced, never used. Entries are written only when a
build succeeds (a failed build leaves build/ as it was), and entries the pool no longer
has are removed then.

The entries are pickles written by chapbook into the build folder: that folder is
trusted as the project is (whoever can write to it can write to the project).
"""

from __future__ import annotations

import pickle
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from ..hashing import digest
from ..output import replace_file

if TYPE_CHECKING:
    from . import ReadResult
    from .parts import ReadSettings

SCHEMA = 1
# Markdown images, and HTML that may show one once sanitised (tag names in any case)
_IMAGE_MARKERS = (b"![", b"<img", b"<image", b"<svg", b"<picture", b"<source", b"<object",
                  b"<embed")


class ReadCache:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.used: set[str] = set()
        self._new: dict[str, ReadResult] = {}
        self._version = version("chapbook")  # a few ms a call: once, not per file

    def key(self, relative: str, raw: bytes, settings: ReadSettings) -> str | None:
        """The entry's key, or None for a file whose reading depends on other files."""
        lowered = raw.lower()
        if any(marker in lowered for marker in _IMAGE_MARKERS):
            return None
        return digest(str(SCHEMA), self._version, repr(settings), relative, raw)

    def get(self, key: str) -> ReadResult | None:
        from . import ReadResult

        self.used.add(key)
        entry = self.directory / f"{key}.pickle"
        try:
            with open(entry, "rb") as stream:
                stored_key, result = pickle.load(stream)
            if stored_key == key and isinstance(result, ReadResult):
                return result
        except FileNotFoundError:
            return None
        except Exception:  # truncated, altered or from another chapbook: read again
            pass
        entry.unlink(missing_ok=True)
        return None

    def put(self, key: str, result: ReadResult) -> None:
        """Keep a new reading; it is written by `save`, once the build has succeeded."""
        self._new[key] = result

    def save(self) -> None:
        """Write the new entries and remove those this read did not use (files edited,
        renamed or removed). A cache that cannot be written costs time, not the build."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            for key, result in self._new.items():
                replace_file(self.directory / f"{key}.pickle",
                             pickle.dumps((key, result), pickle.HIGHEST_PROTOCOL))
            for entry in self.directory.glob("*.pickle"):
                if entry.stem not in self.used:
                    entry.unlink(missing_ok=True)
        except OSError:
            pass
        self._new.clear()
