"""Worker processes are stopped, not asked to clean up: what they leave in their
temporary folder (WeasyPrint keeps megabytes of font files there for a worker's life)
goes with the pool, never piling up in the system's /tmp build after build."""

from __future__ import annotations

import tempfile
from pathlib import Path

from chapbook.core.workers import LazyPool


def _leave_a_weasyprint_folder() -> str:
    folder = Path(tempfile.mkdtemp(prefix="weasyprint-"))
    (folder / "font.ttf").write_bytes(b"\0" * 1024)
    return str(folder)


def test_what_stopped_workers_leave_goes_with_the_pool(tmp_path: Path) -> None:
    tempfile.tempdir = str(tmp_path)  # the system's /tmp, for this test
    try:
        with LazyPool(2) as workers:  # stops its workers at the end, as a build does
            left = Path(workers.submit(_leave_a_weasyprint_folder).result())
            assert left.is_dir() and left.parent.name.startswith("chapbook-workers-")
            assert left.parent.parent == tmp_path
        assert not left.exists() and list(tmp_path.iterdir()) == []
    finally:
        tempfile.tempdir = None
