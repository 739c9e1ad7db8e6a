"""Many books from one pool (issue 20): each piece laid out once for every book that has
it, the books built side by side as tasks, by the build's own workers or by a real Dask
cluster (a LocalCluster: scheduler and worker processes), with the same bytes out, and a
worker killed in the middle of a book retried without harm to the chunk cache."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import fsspec
import pytest
from distributed import Client, LocalCluster

from chapbook import BuildResult, Project
from chapbook.build.executor import MANY_BOOKS
from chapbook.pdf.chunkcache import ChunkCache
from chapbook.pdf.claims import CLAIM_SECONDS, Claims

from .conftest import built_files, copy_sample, run_chapbook

# The sample pool's English pieces, drawn into MANY_BOOKS books of two or three with
# overlaps, as a platform's per-reader books are: 20 slots, 8 distinct pieces.
PIECES = ["glass-archive", "low-season", "moss-and-kettle", "night-ward", "quiet-meridian",
          "static-hymn", "still-here", "tidewater-hours"]
BOOKS = [{"slug": f"reader-{n}", "title": f"Saved by reader {n}", "formats": ["epub", "pdf"],
          "pieces": [PIECES[(n * 3 + k) % len(PIECES)] for k in range(2 + n % 2)]}
         for n in range(MANY_BOOKS)]


def distinct_layouts() -> int:
    """A piece is laid out once, or twice when it also opens a book (it then carries the
    book's first-piece class, which changes its layout)."""
    return len({(piece, number == 0) for book in BOOKS
                for number, piece in enumerate(book["pieces"])})


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    root = copy_sample(tmp_path_factory.mktemp("many") / "pool")
    (root / "books.jsonl").write_text("".join(json.dumps(b) + "\n" for b in BOOKS))
    return Project.from_folder(root)


def build(project: Project, out: str, **options: object) -> BuildResult:
    result = project.build(books=project.root / "books.jsonl", formats=["epub", "pdf"],
                           out=out, pdf_mode="chunked", **options)  # type: ignore[arg-type]
    assert result.ok, [str(d) for d in result.errors]
    return result


@pytest.fixture(scope="module")
def local(project: Project) -> Path:
    """The books as tasks (8 books) on one of the build's own workers: every layout made
    once. (`test_a_book_made_of_shared_layouts_is_the_book_built_alone` compares a book
    with the same book built alone, the old way.)"""
    result = build(project, "local", jobs=1)
    assert len(result.outputs) == 2 * len(BOOKS)
    assert (result.layouts.laid_out, result.layouts.reused, result.layouts.pdfs) == (
        distinct_layouts(), sum(len(b["pieces"]) for b in BOOKS) - distinct_layouts(),
        len(BOOKS))
    return project.root / "local"


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as running:
        yield running.scheduler_address.replace("tcp://", "dask://")


def test_each_piece_is_laid_out_once_and_later_runs_reuse_it(project: Project,
                                                             local: Path) -> None:
    again = build(project, "again", cache=str(local / ".cache" / "pdf"))
    assert (again.layouts.laid_out, again.layouts.reused) == (
        0, sum(len(b["pieces"]) for b in BOOKS))
    assert built_files(project.root / "again") == built_files(local)


def test_a_book_made_of_shared_layouts_is_the_book_built_alone(project: Project,
                                                                 local: Path) -> None:
    alone = project.build(books=[BOOKS[5]], formats=["epub", "pdf"], out="alone",
                          pdf_mode="chunked", jobs=1)
    assert alone.ok and alone.layouts.reused == 0
    assert set(BOOKS[5]["pieces"]) & {p for b in BOOKS[:5] for p in b["pieces"]}
    for name in ("reader-5.pdf", "reader-5.epub"):
        assert (project.root / "alone" / name).read_bytes() == (local / name).read_bytes()


def test_a_dask_cluster_builds_the_same_bytes(project: Project, local: Path,
                                              cluster: str) -> None:
    result = build(project, "dask", executor=cluster)
    assert result.layouts.laid_out == distinct_layouts()  # two workers, no piece twice
    assert built_files(project.root / "dask") == built_files(local)


def test_a_dask_cluster_with_a_memory_cache_builds_the_same_bytes(
        project: Project, local: Path, cluster: str) -> None:
    result = build(project, "dask-memory", executor=cluster, cache="memory://chapbook/pdf")
    assert (result.layouts.laid_out, result.layouts.reused) == (
        distinct_layouts(), sum(len(b["pieces"]) for b in BOOKS) - distinct_layouts())
    assert built_files(project.root / "dask-memory") == built_files(local)


def test_an_unreachable_scheduler_is_a_diagnostic(project: Project) -> None:
    result = project.build(books=project.root / "books.jsonl", formats=["epub"],
                           out="nowhere", executor="dask://127.0.0.1:9")
    assert not result.ok and [d.code for d in result.errors] == ["executor-unreachable"]
    assert not (project.root / "nowhere" / "reader-0.epub").exists()


def test_a_worker_killed_mid_book_is_retried_and_the_cache_stays_sound(
        project: Project, local: Path, cluster: str) -> None:
    cache = project.root / "killed" / ".cache" / "pdf"
    with Client(cluster.replace("dask://", "tcp://")) as client:
        pids = list(client.run(os.getpid).values())
    results: list[BuildResult] = []
    builder = threading.Thread(target=lambda: results.append(
        build(project, "killed", executor=cluster)))
    builder.start()
    deadline = time.monotonic() + 120
    while not any(cache.glob("*.pdf")) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(pids[0], signal.SIGKILL)  # in the middle of a book: chunks are being written
    builder.join(timeout=600)
    assert results, "the build did not finish"
    with Client(cluster.replace("dask://", "tcp://")) as client:
        assert pids[0] not in client.run(os.getpid).values()  # killed, and replaced
    assert built_files(project.root / "killed") == built_files(local)
    entries = ChunkCache(cache)
    for record in cache.glob("*.json"):
        if not record.name.endswith(".assembly.json"):
            assert entries.get(record.stem) is not None, record.name


def test_the_command_line_says_how_much_was_shared(project: Project, local: Path) -> None:
    run = run_chapbook("build", "--books", "books.jsonl", "--chunked", "--out", "cli",
                       "--cache", "local/.cache/pdf", cwd=project.root)
    assert run.code == 0, run.stderr
    slots = sum(len(b["pieces"]) for b in BOOKS)
    assert f"layouts: 0 laid out, {slots} reused (100 %), in {len(BOOKS)} PDFs" in run.stderr
    bad = run_chapbook("build", "--executor", "spark://cluster:7077", cwd=project.root)
    assert bad.code == 2 and "neither 'local' nor dask://HOST:PORT" in bad.stderr


def test_only_the_shared_layouts_go_to_the_shared_store(project: Project, local: Path) -> None:
    """Furniture, front and back matter are the book's own: they stay in its folder."""
    store = fsspec.filesystem("memory")
    two = BOOKS[:2]
    result = project.build(books=two, formats=["pdf"], out="store", pdf_mode="chunked", jobs=1,
                           cache="memory://many-books-store/pdf")
    assert result.ok
    layouts = len({(piece, n == 0) for book in two for n, piece in enumerate(book["pieces"])})
    assert result.layouts.laid_out == layouts
    names = [path.rsplit("/", 1)[-1] for path in store.ls("/many-books-store/pdf", detail=False)]
    assert sorted(name.rsplit(".", 1)[-1] for name in names) == sorted(
        ["json"] * layouts + ["pdf"] * layouts)
    for name in ("reader-0.pdf", "reader-1.pdf"):
        assert (project.root / "store" / name).read_bytes() == (local / name).read_bytes()
    store.rm("/many-books-store", recursive=True)


def test_a_cache_no_library_can_reach_is_a_diagnostic(project: Project) -> None:
    result = project.build(books=project.root / "books.jsonl", formats=["pdf"],
                           out="unreachable", cache="nosuchstore://bucket/layouts")
    assert [d.code for d in result.errors] == ["cache-unavailable"]
    assert not (project.root / "unreachable" / "reader-0.pdf").exists()


def test_claims_left_by_a_stopped_run_are_cleared_and_expire(tmp_path: Path) -> None:
    claims = Claims(tmp_path)
    assert claims.take("k") and not claims.take("k")  # held by another worker
    old = time.time() - CLAIM_SECONDS - 1
    os.utime(tmp_path / ".k.claim", (old, old))
    assert claims.take("k")  # a dead worker's claim expires
    claims.clear()
    assert claims.take("k")
