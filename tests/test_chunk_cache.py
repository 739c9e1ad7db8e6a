"""The PDF chunk cache stays bounded: least recently used entries go first, never the
ones the book being built uses."""

from __future__ import annotations

import os
import time
from pathlib import Path

from chapbook.pdf.chunkcache import ChunkCache
from chapbook.pdf.jobs import ChunkResult

RESULT = ChunkResult(pages=1, blank=(False,), anchors={}, links=(), diagnostics=(),
                     refused=False)


def _entry(cache: ChunkCache, key: str, size: int, used: float) -> None:
    written = cache.temporary_path(key)
    written.write_bytes(b"%PDF-1.7\n" + b"x" * size)
    cache.put(key, written, RESULT)
    os.utime(cache.directory / f"{key}.json", (used, used))


def test_the_least_recently_used_entries_go_until_the_cache_fits(tmp_path: Path) -> None:
    cache = ChunkCache(tmp_path)
    now = time.time()
    for age, key in enumerate(["fresh", "recent", "old", "older", "oldest"]):
        _entry(cache, key, 10_000, now - age * 86_400)
    assert cache.get("oldest") == RESULT  # used now: no longer the oldest
    cache.trim(keep={"older"}, limit=35_000)
    left = sorted(p.stem for p in tmp_path.glob("*.json"))
    assert left == ["fresh", "older", "oldest"]  # "old" and "recent" were used longest ago
    assert sorted(p.stem for p in tmp_path.glob("*.pdf")) == left
    assert all(cache.get(key) == RESULT for key in left)


def test_entries_the_book_uses_are_kept_even_over_the_limit(tmp_path: Path) -> None:
    cache = ChunkCache(tmp_path)
    for key in ("a", "b"):
        _entry(cache, key, 10_000, time.time() - 3600)
    orphan = tmp_path / "orphan.pdf"  # its record never written: a crash, an hour ago
    orphan.write_bytes(b"%PDF-1.7\n")
    os.utime(orphan, (time.time() - 3600, time.time() - 3600))
    cache.trim(keep={"a", "b"}, limit=0)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "a.pdf", "b.json", "b.pdf"]
