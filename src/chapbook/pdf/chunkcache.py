"""A content-addressed cache of rendered PDF chunks: a local folder (build/.cache/pdf), or
any fsspec location shared by the workers, in front of which the local folder is a copy.

An entry is a PDF and a JSON record of what its rendering reported, keyed by a hash of
everything that went into it (HTML, style sheets, settings, versions). The record holds
the PDF's own hash: an entry whose file is missing, truncated or altered is discarded and
rendered again, never used. Each entry's record is touched when it is used, so that
`trim` can drop the entries no build has used for longest and keep the cache bounded.

A shared store (`memory://`, `s3://`, `file://` on a shared mount...) holds the same two
files per entry. A worker that dies mid-task never leaves a usable half-entry there: the
PDF is uploaded under a temporary name and moved into place, and the record goes LAST (the
record is the commit: an entry without one does not exist). The assembly reads its PDFs
from the local folder, so an entry found in the store is downloaded there, and checked
against its record, before use. A store that fails costs time (chunks rendered again),
never the build.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from fsspec.core import url_to_fs
from fsspec.implementations.local import LocalFileSystem

from chapbook.core.diagnostics import from_record, to_record
from chapbook.core.files import replace_file
from chapbook.core.hashing import file_digest
from chapbook.pdf.jobs import ChunkResult
from chapbook.pdf.typecounts import from_record as typography_from
from chapbook.pdf.typecounts import to_record as typography_to

SCHEMA = 2  # of the JSON records (2: with the typography measured after layout)
# A PDF without its record this old is a crash's leftover, not an entry being committed
ORPHAN_SECONDS = 600
# Object stores whose uploads appear whole or not at all: no temporary name and move (a
# copy and a delete there) needed, and no leftover temporary object when a worker dies.
WHOLE_OBJECT_WRITES = frozenset({"s3", "s3a", "gs", "gcs", "abfs", "az"})


class ChunkCache:
    """`location` is a local folder (a path, or a `file://` URL) or a shared fsspec URL;
    `local` is the folder the assembly reads PDFs from, where workers write new chunks and
    the assembly records live (`directory`). It defaults to `location` when that is a local
    folder, and is required otherwise. A local `location` that is `local` itself is used
    directly, with no copies; any other is a shared store."""

    def __init__(self, location: str | Path, local: Path | None = None) -> None:
        self.directory, self._store = _open(location, local)

    def pdf_path(self, key: str) -> Path:
        return self.directory / f"{key}.pdf"

    def temporary_path(self, key: str) -> Path:
        """Where a worker writes a new chunk before `put` checks it in."""
        self.directory.mkdir(parents=True, exist_ok=True)
        return self.directory / f".{key}.{_unique()}.part"

    def get(self, key: str) -> ChunkResult | None:
        """The entry's result, its PDF at `pdf_path(key)`; None if there is no usable one.
        The local copy first (no request at all when it is there and sound), then the store."""
        result = self._get_local(key)
        if result is None and self._store is not None:
            return self._fetch(key, self._store)
        return result

    def _get_local(self, key: str) -> ChunkResult | None:
        record, pdf = self.directory / f"{key}.json", self.pdf_path(key)
        try:
            text = record.read_text(encoding="utf-8")
        except OSError:  # no entry; a PDF without its record may be one being committed
            return None
        try:
            data = json.loads(text)
            if data.get("schema") != SCHEMA or data.get("sha256") != file_digest(pdf):
                raise ValueError("stale or altered entry")
            result = _result_from(data["result"])
            os.utime(record)  # used now: trim keeps recently used entries
            return result
        except (OSError, ValueError, KeyError, TypeError):
            record.unlink(missing_ok=True)
            pdf.unlink(missing_ok=True)
            return None

    def _fetch(self, key: str, store: _Store) -> ChunkResult | None:
        """The store's entry, downloaded into the local folder and checked; a broken one is
        removed from the store (best effort), a store that fails is only a miss."""
        try:
            raw = store.read_record(key)
        except Exception:  # no record (no entry), or the store failed (any library's error)
            return None
        try:
            sha, result = _parse(raw)
        except (ValueError, KeyError, TypeError):
            store.discard(key)
            return None
        try:
            fetched = self._download(key, store, sha)
        except Exception:  # the store failed, or the local disk: no verdict on the entry
            return None
        if not fetched:
            store.discard(key)
            return None
        replace_file(self.directory / f"{key}.json", raw)  # a local entry now, like any other
        return result

    def _download(self, key: str, store: _Store, sha: str) -> bool:
        """Download the entry's PDF to the local folder if it matches `sha`: False if it
        is missing from the store or does not match."""
        self.directory.mkdir(parents=True, exist_ok=True)
        temporary = self.directory / f".{key}.{_unique()}.fetch.part"
        try:
            try:
                store.download(key, temporary)
            except FileNotFoundError:  # a record without its PDF
                return False
            if file_digest(temporary) != sha:
                return False
            os.replace(temporary, self.pdf_path(key))
            return True
        finally:
            temporary.unlink(missing_ok=True)

    def put(self, key: str, written: Path, result: ChunkResult) -> None:
        """Move a freshly written chunk into the cache, with its record; and into the
        shared store if there is one (an upload that fails is given up: others render it)."""
        pdf = self.pdf_path(key)
        os.replace(written, pdf)
        record = {"schema": SCHEMA, "sha256": file_digest(pdf), "result": _result_to(result)}
        data = json.dumps(record).encode("utf-8")
        replace_file(self.directory / f"{key}.json", data)
        if self._store is not None:
            self._store.upload(key, pdf, data)

    def trim(self, keep: set[str], limit: int, used_since: float | None = None) -> None:
        """Remove the least recently used entries, never those in `keep`, until the cache
        holds at most `limit` bytes; and any PDF left without its record by a crash.

        Only the local folder is trimmed: a shared store is bounded by its owner's
        lifecycle rules (an object store's expiry, say), not by any one build."""
        # The local folder only, whatever the location: see the docstring.
        entries: list[tuple[float, str, int]] = []  # last used, key, bytes
        for pdf in self.directory.glob("*.pdf"):
            record = self.directory / f"{pdf.stem}.json"
            try:
                stat = record.stat()
                entries.append((stat.st_mtime, pdf.stem, stat.st_size + pdf.stat().st_size))
            except FileNotFoundError:  # a crash's leftover, unless it is being committed
                with contextlib.suppress(OSError):
                    if pdf.stem not in keep and time.time() - pdf.stat().st_mtime > ORPHAN_SECONDS:
                        pdf.unlink()
        total = sum(size for _, _, size in entries)
        for last_used, key, size in sorted(entries):
            if total <= limit:
                break
            if key not in keep and (used_since is None or last_used < used_since):
                (self.directory / f"{key}.json").unlink(missing_ok=True)
                self.pdf_path(key).unlink(missing_ok=True)
                total -= size


class _Store:
    """A shared fsspec location holding `<key>.pdf` and `<key>.json` per entry."""

    def __init__(self, fs: Any, root: str) -> None:
        self.fs = fs
        self.root = root.rstrip("/")
        protocols = (fs.protocol,) if isinstance(fs.protocol, str) else tuple(fs.protocol)
        self.whole_objects = not WHOLE_OBJECT_WRITES.isdisjoint(protocols)
        self._made = False  # the root folder, made on the first upload

    def path(self, name: str) -> str:
        return f"{self.root}/{name}"

    def read_record(self, key: str) -> bytes:
        data: bytes = self.fs.cat_file(self.path(f"{key}.json"))
        return data

    def download(self, key: str, target: Path) -> None:
        self.fs.get_file(self.path(f"{key}.pdf"), str(target))

    def upload(self, key: str, pdf: Path, record: bytes) -> None:
        """The PDF, then the record that commits the entry; each whole or not at all."""
        try:
            if not self._made:
                self.fs.makedirs(self.root, exist_ok=True)
                self._made = True
            self._place(f"{key}.pdf", lambda at: self.fs.put_file(str(pdf), at))
            self._place(f"{key}.json", lambda at: self.fs.pipe_file(at, record))
        except Exception:  # any library's error: the entry stays local only, which costs time
            pass

    def _place(self, name: str, write: Callable[[str], object]) -> None:
        """Write `name` through `write(path)`: to a temporary name moved into place, unless
        the store's writes are atomic per object."""
        if self.whole_objects:
            write(self.path(name))
            return
        temporary = self.path(f".{name}.{secrets.token_hex(8)}.part")
        try:
            write(temporary)
            self.fs.mv(temporary, self.path(name))
        except Exception:  # any store library's error: no temporary object left behind
            self._remove(temporary)
            raise

    def discard(self, key: str) -> None:
        """Remove a broken entry, record first (then it no longer exists), best effort."""
        self._remove(self.path(f"{key}.json"))
        self._remove(self.path(f"{key}.pdf"))

    def _remove(self, path: str) -> None:
        # Already gone, or the store failed: the entry is not used either way.
        with contextlib.suppress(Exception):  # any store library's error
            self.fs.rm_file(path)


def _open(location: str | Path, local: Path | None) -> tuple[Path, _Store | None]:
    """The local folder, and the shared store if the location is not that folder."""
    if local is None and (isinstance(location, Path) or "://" not in location):
        return Path(location), None  # the usual case: the local folder alone, as given
    fs, root = url_to_fs(str(location))
    if isinstance(fs, LocalFileSystem) and (local is None or _same(Path(root), local)):
        return (local or Path(root)), None
    if local is None:
        raise ValueError(f"a shared chunk cache ({location}) needs a local folder")
    return local, _Store(fs, root)


def _same(a: Path, b: Path) -> bool:
    return a.resolve() == b.resolve()


def _parse(raw: bytes) -> tuple[str, ChunkResult]:
    """A record's PDF hash and result; ValueError, KeyError or TypeError if it is not one."""
    data = json.loads(raw)
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise ValueError("not a record of this schema")
    return str(data["sha256"]), _result_from(data["result"])


def _result_to(result: ChunkResult) -> dict[str, Any]:
    data = asdict(result)
    data["diagnostics"] = [to_record(d) for d in result.diagnostics]
    data["typography"] = typography_to(result.typography)
    return data


def _result_from(data: dict[str, Any]) -> ChunkResult:
    diagnostics = tuple(from_record(d) for d in data["diagnostics"])
    anchors = {name: (int(page), float(x), float(y))
               for name, (page, x, y) in data["anchors"].items()}
    links = tuple((int(page), str(target), (float(rect[0]), float(rect[1]), float(rect[2]),
                                            float(rect[3])))
                  for page, target, rect in data["links"])
    return ChunkResult(int(data["pages"]), tuple(data["blank"]), anchors, links, diagnostics,
                       bool(data["refused"]), typography_from(data["typography"]))


def _unique() -> str:
    """A temporary name's own part: the threads of one worker share its process id."""
    return f"{os.getpid()}.{secrets.token_hex(4)}"


def cache_problem(location: str) -> str | None:
    """Why the chunk cache cannot live at `location` (an unknown protocol, or one whose
    library is not installed), if it cannot."""
    if "://" not in location:
        return None
    try:
        url_to_fs(location)
    except (ImportError, ValueError) as exc:
        return f"cannot keep layouts at {location}: {exc}"
    return None
