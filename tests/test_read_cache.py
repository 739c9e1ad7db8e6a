"""The read cache (build/.cache/read/pool.pickle): unchanged manuscripts are not read
again, and no entry is ever used in place of a file that changed, moved, or depends on an
image, nor taken from a damaged file."""

from __future__ import annotations

import hashlib
import pickle
import zipfile
from pathlib import Path

from .conftest import GOOD_REVIEW, run_chapbook, write_project

POOL = Path("build") / ".cache" / "read" / "pool.pickle"


def _project(root: Path) -> Path:
    reviews = {f"r{n}.md": GOOD_REVIEW.replace("Good Film", f"Film {n}") for n in range(3)}
    return write_project(root, reviews)


def _epub_text(root: Path) -> str:
    with zipfile.ZipFile(root / "build" / "everything.epub") as epub:
        return " ".join(epub.read(name).decode("utf-8") for name in epub.namelist()
                        if name.endswith(".xhtml"))


def _build(root: Path) -> None:
    result = run_chapbook("build", "-f", "epub", cwd=root)
    assert result.code == 0, result.stderr


def _entries(root: Path) -> dict[str, bytes]:
    """The pickled readings in the pool file, by key (after checking its SHA-256 header)."""
    data = (root / POOL).read_bytes()
    assert hashlib.sha256(data[32:]).digest() == data[:32]
    entries = pickle.loads(data[32:])
    assert isinstance(entries, dict)
    return entries


def _readings(root: Path) -> dict[str, object]:
    return _readings_of(_entries(root))


def _readings_of(entries: dict[str, bytes]) -> dict[str, object]:
    return {key: pickle.loads(pickled) for key, pickled in entries.items()}


def _write_entries(root: Path, entries: dict[str, bytes]) -> None:
    payload = pickle.dumps(entries)
    (root / POOL).write_bytes(hashlib.sha256(payload).digest() + payload)


def test_an_edit_is_read_again_and_the_rest_comes_from_the_cache(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    _build(root)
    first = _entries(root)
    assert len(first) == 3
    review = root / "manuscripts" / "r1.md"
    review.write_text(review.read_text(encoding="utf-8").replace(
        "A paragraph", "A reconsidered paragraph"), encoding="utf-8")
    _build(root)
    after = _entries(root)
    assert len(after) == 3 and len(set(after) & set(first)) == 2  # r1's entry replaced
    assert all(after[name] == first[name] for name in set(after) & set(first))
    assert "reconsidered" in _epub_text(root)


def test_renamed_and_removed_files_leave_no_entries_behind(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    _build(root)
    (root / "manuscripts" / "r2.md").unlink()
    (root / "manuscripts" / "r0.md").rename(root / "manuscripts" / "renamed.md")
    _build(root)
    entries = _entries(root)
    assert len(entries) == 2  # r1 and renamed.md: the path is part of what was read
    assert "renamed" in _epub_text(root)


def test_a_damaged_file_or_foreign_entry_is_read_again_not_used(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    _build(root)
    before, entries = _epub_text(root), _entries(root)
    keys = sorted(entries)
    _write_entries(root, {keys[0]: b"\x80\x05truncated",
                          keys[1]: pickle.dumps(("another key", "not a reading")),
                          keys[2]: entries[keys[2]]})
    (root / "manuscripts" / "r0.md").touch()  # a build, with the same content
    _build(root)
    assert _epub_text(root) == before
    assert _readings(root) == _readings_of(entries)  # the two bad ones read again, replaced
    pool = root / POOL
    data = bytearray(pool.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped bit in a reading: the whole file is refused
    pool.write_bytes(bytes(data))
    (root / "manuscripts" / "r0.md").touch()
    _build(root)
    assert _epub_text(root) == before and _readings(root) == _readings_of(entries)


def test_entries_of_an_earlier_layout_are_removed(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    _build(root)
    older = root / POOL.parent / ("0" * 64 + ".pickle")  # one file an entry, before
    older.write_bytes(b"an entry of chapbook 0.1")
    (root / "manuscripts" / "r0.md").write_text(GOOD_REVIEW.replace("Good Film", "Edited"),
                                                encoding="utf-8")
    _build(root)
    assert not older.exists() and len(_entries(root)) == 3


def test_a_manuscript_with_an_image_is_always_read(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    (root / "images").mkdir()
    (root / "images" / "still.png").write_bytes(b"not yet a picture")
    pictured = root / "manuscripts" / "r0.md"
    pictured.write_text(pictured.read_text(encoding="utf-8")
                        + "\n![A still](../images/still.png)\n", encoding="utf-8")
    first = run_chapbook("build", "-f", "epub", cwd=root)
    assert first.code == 0 and "still.png" in first.stderr  # refused: not an image
    assert len(_entries(root)) == 2  # its reading depends on the image file too
    from PIL import Image

    Image.new("RGB", (40, 30), "teal").save(root / "images" / "still.png")
    (root / "manuscripts" / "r1.md").touch()
    second = run_chapbook("build", "-f", "epub", cwd=root)
    assert second.code == 0 and "still.png" not in second.stderr, second.stderr
    assert "<img" in _epub_text(root)


def test_check_reads_without_writing_a_cache(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    assert run_chapbook("check", cwd=root).code == 0
    assert not (root / "build").exists()


def test_no_spelling_of_an_image_is_cached(tmp_path: Path) -> None:
    from chapbook.read.pool import ReadCache, ReadSettings

    cache, settings = ReadCache(tmp_path), ReadSettings(root=tmp_path, raw_html="sanitise")
    for body in (b"![a](p.png)", b'<Img src="p.png">', b'<IMG SRC="p.png">',
                 b"<svg><image href='p.png'/></svg>", b"<picture><source srcset='p.png'>"):
        assert cache.key("r.md", GOOD_REVIEW.encode() + body, settings) is None, body
    assert cache.key("r.md", GOOD_REVIEW.encode(), settings) is not None
