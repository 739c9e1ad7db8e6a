"""The PDF chunk cache over fsspec: a local folder as before, or a store the workers share
(`memory://` and `file://` here, the same code as `s3://`). Entries found in the store are
downloaded into each worker's local folder and checked against their record; a broken
entry is never used, and a worker that died mid-upload leaves nothing usable."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import fsspec
import pytest
from fsspec.implementations.memory import MemoryFileSystem

from chapbook.core.diagnostics import Diagnostic, Location, Severity
from chapbook.pdf.chunkcache import ORPHAN_SECONDS, ChunkCache
from chapbook.pdf.jobs import ChunkResult

RESULT = ChunkResult(
    pages=2, blank=(False, True), anchors={"piece-1": (0, 72.0, 540.5)},
    links=((1, "piece-2", (72.0, 100.0, 200.0, 112.0)),),
    diagnostics=(Diagnostic("PDF001", Severity.WARNING, "a warning kept with the chunk",
                            Location("manuscripts/a.md", 3)),),
    refused=False)
OTHER = ChunkResult(pages=1, blank=(False,), anchors={}, links=(), diagnostics=(),
                    refused=False)
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


class DyingMemory(MemoryFileSystem):
    """fsspec's memory store, whose uploads stop half-way (a worker killed, a connection
    reset): what was sent so far is there under the name written, then an I/O error."""

    protocol = "dyingmem"
    store: ClassVar[dict[str, Any]] = {}  # its own, not the memory:// one
    pseudo_dirs: ClassVar[list[str]] = [""]

    def put_file(self, lpath: str, rpath: str, *args: Any, **kwargs: Any) -> None:
        data = Path(lpath).read_bytes()
        with self.open(rpath, "wb") as stream:
            stream.write(data[:len(data) // 2])
            raise ConnectionResetError("the upload stopped half-way")


fsspec.register_implementation("dyingmem", DyingMemory, clobber=True)


@pytest.fixture
def shared() -> Iterator[str]:
    """A fresh `memory://` location: fsspec's memory store is one per process, so each
    test gets its own folder in it, removed afterwards."""
    url = f"memory://chunks-{uuid.uuid4().hex}"
    yield url
    fs, root = fsspec.core.url_to_fs(url)
    if fs.exists(root):
        fs.rm(root, recursive=True)


def _put(cache: ChunkCache, key: str, result: ChunkResult = RESULT, data: bytes = PDF) -> None:
    written = cache.temporary_path(key)
    written.write_bytes(data)
    cache.put(key, written, result)


def _store_files(url: str) -> list[str]:
    fs, root = fsspec.core.url_to_fs(url)
    return sorted(p.rsplit("/", 1)[-1] for p in fs.find(root))


def test_a_local_folder_works_as_before(tmp_path: Path) -> None:
    for location in (tmp_path / "a", str(tmp_path / "b")):
        cache = ChunkCache(location)
        assert cache.directory == Path(location)
        assert cache.get("k") is None
        _put(cache, "k")
        assert cache.get("k") == RESULT
        assert cache.pdf_path("k").read_bytes() == PDF
        assert sorted(p.name for p in Path(location).iterdir()) == ["k.json", "k.pdf"]


def test_a_file_url_alone_is_that_local_folder(tmp_path: Path) -> None:
    cache = ChunkCache(f"file://{tmp_path}/c")
    assert cache.directory == tmp_path / "c"
    _put(cache, "k")
    assert ChunkCache(tmp_path / "c").get("k") == RESULT  # the same entries, no copies
    assert sorted(p.name for p in (tmp_path / "c").iterdir()) == ["k.json", "k.pdf"]


def test_a_memory_store_round_trip(tmp_path: Path, shared: str) -> None:
    cache = ChunkCache(shared, local=tmp_path)
    assert cache.directory == tmp_path
    assert cache.get("k") is None
    _put(cache, "k")
    assert _store_files(shared) == ["k.json", "k.pdf"]  # no temporary upload left behind
    assert fsspec.open(f"{shared}/k.pdf", "rb").open().read() == PDF
    assert cache.get("k") == RESULT
    assert cache.pdf_path("k").read_bytes() == PDF


def test_workers_with_their_own_folders_share_the_store(tmp_path: Path, shared: str) -> None:
    one = ChunkCache(shared, local=tmp_path / "one")
    two = ChunkCache(shared, local=tmp_path / "two")
    _put(one, "a")
    _put(two, "b", OTHER, b"%PDF-1.7\nb\n")
    assert two.get("a") == RESULT
    assert two.pdf_path("a").read_bytes() == PDF  # downloaded where the assembly reads
    assert one.get("b") == OTHER
    assert one.pdf_path("b").read_bytes() == b"%PDF-1.7\nb\n"
    assert _store_files(shared) == ["a.json", "a.pdf", "b.json", "b.pdf"]


def test_an_altered_pdf_in_the_store_is_refused_and_discarded(
        tmp_path: Path, shared: str) -> None:
    one = ChunkCache(shared, local=tmp_path / "one")
    two = ChunkCache(shared, local=tmp_path / "two")
    _put(one, "k")
    fs, root = fsspec.core.url_to_fs(shared)
    fs.pipe_file(f"{root}/k.pdf", PDF.replace(b"%%EOF", b"%%EOX"))  # same size, other bytes
    assert two.get("k") is None
    assert not two.pdf_path("k").exists()
    assert _store_files(shared) == []  # removed from the store too: rendered again
    assert one.get("k") == RESULT  # one's own copy still matches the record it wrote


def test_a_truncated_local_copy_is_fetched_again(tmp_path: Path, shared: str) -> None:
    cache = ChunkCache(shared, local=tmp_path)
    _put(cache, "k")
    cache.pdf_path("k").write_bytes(PDF[:100])
    assert cache.get("k") == RESULT
    assert cache.pdf_path("k").read_bytes() == PDF
    assert _store_files(shared) == ["k.json", "k.pdf"]
    assert [p.name for p in tmp_path.glob(".*")] == []  # no download left half-way


def test_a_pdf_without_its_record_is_no_entry(tmp_path: Path, shared: str) -> None:
    # A worker died between uploading the PDF and its record.
    fs, root = fsspec.core.url_to_fs(shared)
    fs.pipe_file(f"{root}/k.pdf", PDF)
    cache = ChunkCache(shared, local=tmp_path)
    assert cache.get("k") is None
    assert not cache.pdf_path("k").exists()


def test_a_leftover_temporary_upload_is_never_an_entry(tmp_path: Path, shared: str) -> None:
    one = ChunkCache(shared, local=tmp_path / "one")
    _put(one, "done")
    fs, root = fsspec.core.url_to_fs(shared)
    # A worker died during its uploads of "k": temporary names, never moved into place.
    fs.pipe_file(f"{root}/.k.pdf.0123456789abcdef.part", PDF)
    fs.pipe_file(f"{root}/.k.json.0123456789abcdef.part", fs.cat_file(f"{root}/done.json"))
    two = ChunkCache(shared, local=tmp_path / "two")
    assert two.get("k") is None
    assert two.get("done") == RESULT
    assert sorted(p.name for p in (tmp_path / "two").iterdir()) == ["done.json", "done.pdf"]


def test_an_upload_cut_short_leaves_nothing_in_the_store(tmp_path: Path) -> None:
    DyingMemory.store.clear()
    cache = ChunkCache("dyingmem://chunks", local=tmp_path)
    _put(cache, "k")
    assert _store_files("dyingmem://chunks") == []  # not half a PDF under its own name
    assert cache.get("k") == RESULT  # the local copy is sound: the build goes on


def test_a_broken_record_in_the_store_is_discarded(tmp_path: Path, shared: str) -> None:
    one = ChunkCache(shared, local=tmp_path / "one")
    _put(one, "k")
    fs, root = fsspec.core.url_to_fs(shared)
    fs.pipe_file(f"{root}/k.json", fs.cat_file(f"{root}/k.json")[:-10])  # cut short
    assert ChunkCache(shared, local=tmp_path / "two").get("k") is None
    assert _store_files(shared) == []


def test_a_shared_folder_through_a_file_url(tmp_path: Path) -> None:
    url = f"file://{tmp_path}/shared"
    one = ChunkCache(url, local=tmp_path / "one")
    two = ChunkCache(url, local=tmp_path / "two")
    _put(one, "k")
    assert sorted(p.name for p in (tmp_path / "shared").iterdir()) == ["k.json", "k.pdf"]
    assert two.get("k") == RESULT
    assert two.pdf_path("k").read_bytes() == PDF


def test_a_failing_store_costs_time_not_the_build(tmp_path: Path) -> None:
    (tmp_path / "not-a-folder").write_bytes(b"")  # every request under it fails
    cache = ChunkCache(f"file://{tmp_path}/not-a-folder/cache", local=tmp_path / "local")
    assert cache.get("k") is None
    _put(cache, "k")  # the upload fails: the entry stays local only
    assert cache.get("k") == RESULT
    cache.pdf_path("k").unlink()
    assert cache.get("k") is None


def test_trim_bounds_the_local_copies_only(tmp_path: Path, shared: str) -> None:
    one = ChunkCache(shared, local=tmp_path / "one")
    for key in ("a", "b"):
        _put(one, key)
    one.trim(keep={"b"}, limit=0)
    assert sorted(p.name for p in (tmp_path / "one").iterdir()) == ["b.json", "b.pdf"]
    assert _store_files(shared) == ["a.json", "a.pdf", "b.json", "b.pdf"]
    assert one.get("a") == RESULT  # fetched from the store again


def test_a_shared_store_needs_a_local_folder(shared: str) -> None:
    with pytest.raises(ValueError, match="local folder"):
        ChunkCache(shared)


def test_a_pdf_being_committed_by_another_worker_is_left_alone(tmp_path: Path) -> None:
    """Another worker has moved its PDF into place and not yet written the record: a
    look-up or a trim in between must not delete it (its assembly reads it next)."""
    cache = ChunkCache(tmp_path)
    cache.pdf_path("k").write_bytes(PDF)
    assert cache.get("k") is None
    cache.trim(set(), 0)
    assert cache.pdf_path("k").read_bytes() == PDF
    old = time.time() - ORPHAN_SECONDS - 1  # a crash's leftover, long after: removed
    os.utime(cache.pdf_path("k"), (old, old))
    cache.trim(set(), 0)
    assert not cache.pdf_path("k").exists()


def test_a_trim_keeps_what_the_run_used(tmp_path: Path) -> None:
    cache = ChunkCache(tmp_path)
    for key in ("old", "new"):
        _put(cache, key)
    old = time.time() - 3600
    os.utime(tmp_path / "old.json", (old, old))
    cache.trim(set(), 0, used_since=time.time() - 60)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.json", "new.pdf"]


def test_temporary_names_differ_between_threads_of_one_process(tmp_path: Path) -> None:
    cache = ChunkCache(tmp_path)
    assert cache.temporary_path("k") != cache.temporary_path("k")
