"""A content-addressed cache of rendered PDF chunks under build/.cache/.

An entry is a PDF and a JSON record of what its rendering reported, keyed by a hash of
everything that went into it (HTML, style sheets, settings, versions). The record holds
the PDF's own hash: an entry whose file is missing, truncated or altered is discarded and
rendered again, never used. Each entry's record is touched when it is used, so that
`trim` can drop the entries no build has used for longest and keep the cache bounded.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

from chapbook.core.diagnostics import from_record, to_record
from chapbook.core.files import replace_file
from chapbook.core.hashing import file_digest
from chapbook.pdf.jobs import ChunkResult
from chapbook.pdf.typecounts import from_record as typography_from
from chapbook.pdf.typecounts import to_record as typography_to

SCHEMA = 2  # of the JSON records (2: with the typography measured after layout)


class ChunkCache:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def pdf_path(self, key: str) -> Path:
        return self.directory / f"{key}.pdf"

    def temporary_path(self, key: str) -> Path:
        """Where a worker writes a new chunk before `put` checks it in."""
        self.directory.mkdir(parents=True, exist_ok=True)
        return self.directory / f".{key}.{os.getpid()}.part"

    def get(self, key: str) -> ChunkResult | None:
        record, pdf = self.directory / f"{key}.json", self.pdf_path(key)
        try:
            data = json.loads(record.read_text(encoding="utf-8"))
            if data.get("schema") != SCHEMA or data.get("sha256") != file_digest(pdf):
                raise ValueError("stale or altered entry")
            result = _result_from(data["result"])
            os.utime(record)  # used now: trim keeps recently used entries
            return result
        except (OSError, ValueError, KeyError, TypeError):
            record.unlink(missing_ok=True)
            pdf.unlink(missing_ok=True)
            return None

    def put(self, key: str, written: Path, result: ChunkResult) -> None:
        """Move a freshly written chunk into the cache, with its record."""
        pdf = self.pdf_path(key)
        os.replace(written, pdf)
        record = {"schema": SCHEMA, "sha256": file_digest(pdf), "result": _result_to(result)}
        replace_file(self.directory / f"{key}.json", json.dumps(record).encode("utf-8"))


    def trim(self, keep: set[str], limit: int) -> None:
        """Remove the least recently used entries, never those in `keep`, until the cache
        holds at most `limit` bytes; and any PDF left without its record by a crash."""
        entries: list[tuple[float, str, int]] = []  # last used, key, bytes
        for pdf in self.directory.glob("*.pdf"):
            record = self.directory / f"{pdf.stem}.json"
            try:
                used = record.stat()
                entries.append((used.st_mtime, pdf.stem, used.st_size + pdf.stat().st_size))
            except FileNotFoundError:
                if pdf.stem not in keep:
                    pdf.unlink(missing_ok=True)
        total = sum(size for _, _, size in entries)
        for _, key, size in sorted(entries):
            if total <= limit:
                break
            if key not in keep:
                (self.directory / f"{key}.json").unlink(missing_ok=True)
                self.pdf_path(key).unlink(missing_ok=True)
                total -= size


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
