"""Which chunks are being laid out right now, when workers build books side by side
(book tasks, see build/booktask.py): a claim file beside the cache's local copies, so
that a worker that needs a piece another worker is laying out waits for that layout
instead of making it again. A claim is only a hint: one left by a worker that died
expires, and a chunk whose claim cannot be made or waited for is laid out anyway."""

from __future__ import annotations

import os
import time
from pathlib import Path

from chapbook.pdf.chunkcache import ChunkCache
from chapbook.pdf.jobs import ChunkResult

# Longer than any one chunk takes to lay out (a few seconds): an older claim is a dead
# worker's, and the chunk is laid out by whoever needs it.
CLAIM_SECONDS = 90.0
POLL_SECONDS = 0.05


class Claims:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, key: str) -> Path:
        return self.directory / f".{key}.claim"

    def take(self, key: str) -> bool:
        """Claim `key` for this worker; False if another worker holds a live claim."""
        path = self._path(key)
        for _ in range(2):  # once more after clearing an expired claim
            try:
                os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
                return True
            except FileExistsError:
                if not self._expired(path):
                    return False
                path.unlink(missing_ok=True)
            except OSError:
                return True  # no claims here (a read-only folder): lay it out
        return True

    def clear(self) -> None:
        """Remove every claim: a run that holds the output lock starts with none (those
        left are from workers stopped by Ctrl-C or an error, and would only make it wait)."""
        for claim in self.directory.glob(".*.claim"):
            claim.unlink(missing_ok=True)

    def release(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def wait(self, key: str, cache: ChunkCache) -> ChunkResult | None:
        """The chunk another worker claimed, once its claim is gone (None if it expired or
        the worker failed: the caller then lays the chunk out itself)."""
        path = self._path(key)
        while path.exists() and not self._expired(path):
            time.sleep(POLL_SECONDS)
        return cache.get(key)

    @staticmethod
    def _expired(path: Path) -> bool:
        try:
            return time.time() - path.stat().st_mtime > CLAIM_SECONDS
        except OSError:
            return True  # gone already


def look_up(cache: ChunkCache, claims: Claims | None, key: str) -> tuple[ChunkResult | None,
                                                                         bool]:
    """(the chunk from the cache, or None; whether to lay it out here): False when
    another worker has claimed it. A chunk to lay out here is claimed until `release`."""
    cached = cache.get(key)
    if cached is not None or claims is None:
        return cached, cached is None
    if not claims.take(key):
        return None, False
    cached = cache.get(key)  # laid out by another worker since it was looked for
    if cached is not None:
        claims.release(key)
    return cached, cached is None
