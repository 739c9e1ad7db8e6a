"""Faults: killed builds, concurrent builds, full and read-only disks. The books already in
build/ must survive every one of them whole, and the next build must work."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from .conftest import GOOD_REVIEW, run_chapbook, write_project
from .pdftools import canonical_objects

PIECES = 8


def _project(root: Path) -> Path:
    reviews = {f"r{n}.md": GOOD_REVIEW.replace("Good Film", f"Film {n}") + "\nMore.\n" * 30
               for n in range(PIECES)}
    return write_project(root, reviews)


def _start(root: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "chapbook", "build", *args], cwd=root,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def _wait_for(condition: object, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def _outputs(root: Path) -> dict[str, bytes]:
    folder = root / "build"
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()
            and p.suffix in (".epub", ".pdf")} if folder.exists() else {}


def _group_gone(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False


def _edit(root: Path, pieces: int = 1) -> None:
    for number in range(pieces):
        piece = root / "manuscripts" / f"r{number}.md"
        piece.write_text(piece.read_text(encoding="utf-8") + "\nAn added line.\n",
                         encoding="utf-8")


@pytest.mark.parametrize(("signum", "code", "said"), [(signal.SIGTERM, 143, "terminated"),
                                                      (signal.SIGINT, 130, "interrupted")])
def test_a_signal_mid_render_exits_cleanly_and_keeps_the_old_book(
        tmp_path: Path, signum: int, code: int, said: str) -> None:
    root = _project(tmp_path / "p")
    assert run_chapbook("build", "--chunked", "-f", "pdf", cwd=root).code == 0
    old = _outputs(root)
    _edit(root, PIECES)  # every chunk renders again: the signal lands mid-render
    build = _start(root, "--chunked", "-f", "pdf", "--jobs", "1")  # chunks one at a time
    pieces = root / "build" / ".cache" / "pdf"
    before = len(list(pieces.rglob("*")))
    _wait_for(lambda: len(list(pieces.rglob("*"))) > before or build.poll() is not None)
    assert build.poll() is None, "the build finished before it could be signalled"
    os.killpg(build.pid, signum)  # as a terminal does: the whole group
    _, stderr = build.communicate(timeout=60)
    assert build.returncode == code, stderr
    assert said in stderr and "Traceback" not in stderr
    _wait_for(lambda: _group_gone(build.pid), timeout=10)  # no orphaned workers
    assert list((root / "build").glob(".*.part")) == []
    assert _outputs(root) == old
    assert run_chapbook("build", "--chunked", "-f", "pdf", cwd=root).code == 0


def _same_book(data: bytes, book: bytes) -> bool:
    """The same bytes; for a PDF, the same objects (a patched book may order them
    differently from a fully assembled one: see chapbook.pdf.assembly)."""
    if data == book:
        return True
    return data.startswith(b"%PDF") and canonical_objects(data) == canonical_objects(book)


def test_a_build_killed_at_any_moment_leaves_old_or_new_books(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    assert run_chapbook("build", "--chunked", cwd=root).code == 0
    old = _outputs(root)
    _edit(root)
    seen: list[dict[str, bytes]] = []
    for delay in (0.3, 0.8, 1.4, 2.0, 2.8, 3.6, 4.5):
        build = _start(root, "--chunked", "--jobs", "2")
        time.sleep(delay)
        os.killpg(build.pid, signal.SIGKILL)
        build.communicate(timeout=60)
        seen.append(_outputs(root))
    finished = run_chapbook("build", "--chunked", cwd=root)
    assert finished.code == 0, finished.stderr
    assert list((root / "build").glob(".*.part")) == []  # left by the kills, cleared now
    new = _outputs(root)
    assert new.keys() == old.keys() and new != old
    for state in seen:
        for name, data in state.items():
            assert _same_book(data, old[name]) or _same_book(data, new[name]), (
                f"{name} is neither the old nor the new book")
    assert len(PdfReader(root / "build" / "everything.pdf").pages) > PIECES
    single = run_chapbook("build", "--single-pass", "-f", "pdf", "--out", "ref", cwd=root)
    assert single.code == 0
    assert len(PdfReader(root / "ref" / "everything.pdf").pages) == len(
        PdfReader(root / "build" / "everything.pdf").pages)


def test_a_second_build_waits_for_the_first(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {"good.md": GOOD_REVIEW})
    (root / "build").mkdir()
    with open(root / "build" / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another build holds the folder
        build = _start(root, "-f", "epub")
        time.sleep(3)
        assert build.poll() is None and _outputs(root) == {}
    _, stderr = build.communicate(timeout=60)
    assert build.returncode == 0, stderr
    assert "waiting for another build of this project to finish" in stderr
    assert "everything.epub" in _outputs(root)


def test_two_builds_at_once_both_succeed(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {"good.md": GOOD_REVIEW})
    builds = [_start(root, "-f", "epub"), _start(root, "-f", "epub")]
    results = [(b.communicate(timeout=120)[1], b.returncode) for b in builds]
    assert [code for _, code in results] == [0, 0], results
    again = run_chapbook("build", "-f", "epub", cwd=root)
    assert "up to date: build/everything.epub" in again.stderr


needs_root = pytest.mark.skipif(os.geteuid() != 0,
                                reason="mounting a small or read-only disk needs root")


def _mount(folder: Path, *options: str) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", ",".join(options), "tmpfs",
                           str(folder)], capture_output=True)
    return done.returncode == 0


@needs_root
def test_a_full_disk_is_a_clear_error(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    out = tmp_path / "small"
    if not _mount(out, "size=12k"):
        pytest.skip("cannot mount a tmpfs here")
    try:
        run = run_chapbook("build", "-f", "pdf", "--single-pass", "--out", str(out), cwd=root)
        assert run.code == 3, run.stderr
        assert "No space left on device" in run.stderr and "[write-failed]" in run.stderr
        assert "Traceback" not in run.stderr
        assert [p.name for p in out.iterdir() if p.name.endswith(".pdf")
                or p.name.endswith(".part")] == []
    finally:
        subprocess.run(["umount", str(out)], check=True)


@needs_root
def test_a_read_only_output_folder_is_a_clear_error(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {"good.md": GOOD_REVIEW})
    out = tmp_path / "out"
    if not _mount(out, "size=50m"):
        pytest.skip("cannot mount a tmpfs here")
    try:
        assert run_chapbook("build", "-f", "epub", "--out", str(out), cwd=root).code == 0
        old = (out / "everything.epub").read_bytes()
        subprocess.run(["mount", "-o", "remount,ro", str(out)], check=True)
        _edit_good(root)
        run = run_chapbook("build", "-f", "epub", "--out", str(out), cwd=root)
        assert run.code == 3, run.stderr
        assert "Read-only file system" in run.stderr and "[write-failed]" in run.stderr
        assert (out / "everything.epub").read_bytes() == old
    finally:
        subprocess.run(["umount", str(out)], check=True)


def test_an_output_path_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {"good.md": GOOD_REVIEW})
    (root / "taken").write_text("not a folder")
    run = run_chapbook("build", "-f", "epub", "--out", "taken", cwd=root)
    assert run.code in (2, 3), run.stderr
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr


def _edit_good(root: Path) -> None:
    piece = root / "manuscripts" / "good.md"
    piece.write_text(piece.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
