"""Content hashes for caches and up-to-date checks (no heavy imports: the fast path uses it)."""

from __future__ import annotations

import hashlib
from pathlib import Path

SCHEMA = 1


def digest(*parts: str | bytes) -> str:
    """A hash of several values, each length-prefixed so that no two inputs collide."""
    hasher = hashlib.sha256(f"chapbook-{SCHEMA}".encode())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.hexdigest()


def file_digest(path: Path) -> str:
    with open(path, "rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()
