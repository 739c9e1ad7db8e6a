"""The names of executors: where the books of a run are built, `local` or
`dask://HOST:PORT` (kept light: the command line checks --executor before anything loads)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

LOCAL = "local"


def executor_problem(spec: str) -> str | None:
    """Why `spec` names no executor, if it does not."""
    if spec == LOCAL:
        return None
    url = urlsplit(spec)
    try:
        port = url.port
    except ValueError:
        port = None
    if url.scheme != "dask" or not url.hostname or port is None or url.path not in ("", "/"):
        return f"executor '{spec}' is neither 'local' nor dask://HOST:PORT"
    return None


def dask_address(spec: str) -> str:
    """dask://host:8786 as the address a Dask client connects to."""
    url = urlsplit(spec)
    return f"tcp://{url.hostname}:{url.port}"


def cache_location(value: str, base: Path) -> str:
    """A --cache or [build] cache value: an fsspec URL as it is, a folder from `base`."""
    return value if "://" in value else str((base / value).resolve())
