"""The chunked, parallel, cached print pipeline against the single pass it must equal."""

from __future__ import annotations

import json
import re
import subprocess
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from .conftest import copy_sample, run_chapbook
from .pdftools import (
    canonical_objects,
    contents_entries,
    font_programs,
    outline_titles,
    page_labels,
    page_texts,
)

BOOK = "night-terrors"  # parts, footnotes, back matter, an epigraph


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    root = copy_sample(tmp_path_factory.mktemp("chunked") / "sample")
    for mode, out in (("--single-pass", "single"), ("--chunked", "chunked")):
        result = run_chapbook("build", BOOK, "--format", "pdf", mode, "--jobs", "2", "--out",
                              out, cwd=root)
        assert result.code == 0, result.stderr
    return root, root / "single" / f"{BOOK}.pdf", root / "chunked" / f"{BOOK}.pdf"


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", page).strip()


def test_same_pages_and_same_text_on_every_page(both: tuple[Path, Path, Path]) -> None:
    _, single, chunked = both
    expected, found = page_texts(single), page_texts(chunked)
    assert len(found) == len(expected)
    for number, (want, got) in enumerate(zip(expected, found, strict=True)):
        assert _text(got) == _text(want), f"page index {number}"


def test_same_labels_bookmarks_and_boxes(both: tuple[Path, Path, Path]) -> None:
    _, single, chunked = both
    assert page_labels(chunked) == page_labels(single)
    assert outline_titles(chunked) == outline_titles(single)
    nested = [type(item) for item in PdfReader(chunked).outline]
    assert nested == [type(item) for item in PdfReader(single).outline]
    for want, got in zip(PdfReader(single).pages, PdfReader(chunked).pages, strict=True):
        assert [float(v) for v in got.trimbox] == pytest.approx([float(v) for v in want.trimbox])
        assert [float(v) for v in got.bleedbox] == pytest.approx(
            [float(v) for v in want.bleedbox])


def test_contents_links_land_where_the_numbers_say(both: tuple[Path, Path, Path]) -> None:
    _, single, chunked = both
    reader = PdfReader(chunked)
    labels = page_labels(chunked)
    first_body = labels.index("1")
    entries = contents_entries(chunked, range(first_body))
    assert len(entries) >= 10
    for entry in entries:
        assert entry.printed_page == labels[entry.target_index], entry
    destinations = {n: reader.get_destination_page_number(d)
                    for n, d in reader.named_destinations.items()}
    single_reader = PdfReader(single)
    for name, dest in single_reader.named_destinations.items():
        if name.startswith(("piece-", "part-")):
            assert destinations[name] == single_reader.get_destination_page_number(dest), name


def test_back_matter_references_in_chunks(both: tuple[Path, Path, Path]) -> None:
    _, _, chunked = both
    labels = page_labels(chunked)
    texts = page_texts(chunked)
    start = next(i for i, t in enumerate(texts) if t.lstrip().startswith("Contributors"))
    entries = [e for e in contents_entries(chunked, range(start, len(texts)))
               if e.target.startswith("piece-")]
    assert len(entries) >= 9
    for entry in entries:
        assert entry.printed_page == labels[entry.target_index], entry


def test_incremental_rebuild_renders_only_what_changed(both: tuple[Path, Path, Path]) -> None:
    root, _, chunked = both
    cache = root / "chunked" / ".cache" / "pdf"
    before = {p.name for p in cache.glob("*.pdf")}
    started = time.monotonic()
    again = run_chapbook("build", BOOK, "--format", "pdf", "--chunked", "--out", "chunked",
                         cwd=root)
    assert again.code == 0, again.stderr
    assert {p.name for p in cache.glob("*.pdf")} == before  # nothing new rendered
    unchanged = time.monotonic() - started
    # one word in the body of one review: only that review's chunk renders again
    review = root / "manuscripts" / "night-ward.md"
    text = review.read_text(encoding="utf-8")
    assert "A drip stand" in text
    review.write_text(text.replace("A drip stand", "An infirmary drip stand"), encoding="utf-8")
    edited = run_chapbook("build", BOOK, "--format", "pdf", "--chunked", "--out", "chunked",
                          cwd=root)
    assert edited.code == 0, edited.stderr
    new = {p.name for p in cache.glob("*.pdf")} - before
    assert len(new) == 1, new  # its chunk; the pages did not move, so nothing else changed
    assert "infirmary" in " ".join(page_texts(chunked))
    assert unchanged < 60  # sanity only: timings are reported by the benchmark


def test_a_corrupt_cache_entry_is_rendered_again(both: tuple[Path, Path, Path]) -> None:
    root, single, chunked = both
    cache = root / "chunked" / ".cache" / "pdf"
    before = [_text(t) for t in page_texts(chunked)]
    for entry in cache.glob("*.pdf"):
        entry.write_bytes(entry.read_bytes()[:100])  # truncated, as after a crash
    (root / "manuscripts" / "night-ward.md").touch()  # a build, with the same content
    result = run_chapbook("build", BOOK, "--format", "pdf", "--chunked", "--out", "chunked",
                          cwd=root)
    assert result.code == 0, result.stderr
    rendered_again = [e for e in cache.glob("*.pdf") if e.stat().st_size > 100]
    assert len(rendered_again) >= 8  # every chunk the book uses; none used truncated
    assert [_text(t) for t in page_texts(chunked)] == before
    assert len(before) == len(page_texts(single))


def test_an_epub_only_build_never_loads_weasyprint(tmp_path: Path) -> None:
    """Not in the build's own process: a cover to generate is laid out in a worker, and
    cached for the builds after."""
    import subprocess
    import sys

    from .conftest import REPO

    script = ("import sys; from pathlib import Path; from chapbook.build.run import build; "
              "from chapbook.build.options import BuildOptions; "
              f"r = build(Path({str(REPO)!r}), BuildOptions(formats=('epub',), "
              f"out_dir=Path({str(tmp_path)!r}))); "
              "print(len(r.outputs), 'weasyprint' in sys.modules, 'pypdf' in sys.modules)")
    first = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           check=True)
    assert first.stdout.split() == ["2", "False", "False"]
    covers = sorted((tmp_path / ".cache" / "cover").iterdir())
    assert len(covers) == 2  # generated (in a worker) and kept
    (tmp_path / ".cache" / "build.json").unlink()  # a real build again, not "up to date"
    again = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           check=True)
    assert again.stdout.split() == ["2", "False", "False"]
    assert sorted((tmp_path / ".cache" / "cover").iterdir()) == covers


def test_a_worker_loads_weasyprint_early_only_for_a_cover_to_generate(tmp_path: Path) -> None:
    """The hint read from chapbook.toml before the pool: an EPUB is wanted, a chosen book
    names no cover image, and no earlier build kept a generated cover."""
    from chapbook.build.options import BuildOptions
    from chapbook.build.start import _cover_likely
    from chapbook.core.paths import BuildPaths

    out = BuildPaths(tmp_path / "build")
    (tmp_path / "chapbook.toml").write_text('[[anthology]]\nslug = "a"\n\n'
                                            '[[anthology]]\nslug = "b"\ncover = "b.jpg"\n\n'
                                            '[[anthology]]\nslug = "c"\nformats = ["pdf"]\n')
    assert _cover_likely(tmp_path, BuildOptions(formats=("epub",)), out)
    assert _cover_likely(tmp_path, BuildOptions(formats=("epub",), only=("a",)), out)
    assert not _cover_likely(tmp_path, BuildOptions(formats=("epub",), only=("b",)), out)
    assert not _cover_likely(tmp_path, BuildOptions(formats=("epub",), only=("c",)), out)
    assert not _cover_likely(tmp_path, BuildOptions(formats=("pdf",)), out)
    out.cover_cache.mkdir(parents=True)
    assert _cover_likely(tmp_path, BuildOptions(formats=("epub",)), out)  # empty: none kept
    (out.cover_cache / "kept.png").write_bytes(b"\x89PNG")
    assert not _cover_likely(tmp_path, BuildOptions(formats=("epub",)), out)
    (out.cover_cache / "kept.png").unlink()
    (tmp_path / "chapbook.toml").write_text("[[anthology]\nslug = ")  # not TOML: no hint
    assert not _cover_likely(tmp_path, BuildOptions(formats=("epub",)), out)


def texts_of(pdf: Path, label: str) -> str:
    return page_texts(pdf)[page_labels(pdf).index(label)]


def test_a_book_with_a_foreword_equals_its_single_pass(tmp_path: Path) -> None:
    """The foreword's roman folio is drafted first: the back matter cites it."""
    root = copy_sample(tmp_path / "sample")
    book = "comfort-watches"
    for mode, out in (("--single-pass", "single"), ("--chunked", "chunked")):
        result = run_chapbook("build", book, "--format", "pdf", mode, "--out", out, cwd=root)
        assert result.code == 0, result.stderr
        assert "rendered in one pass" not in result.stderr
    single, chunked = root / "single" / f"{book}.pdf", root / "chunked" / f"{book}.pdf"
    assert [_text(t) for t in page_texts(chunked)] == [_text(t) for t in page_texts(single)]
    assert page_labels(chunked) == page_labels(single)
    labels = page_labels(chunked)
    cited = [m.group(1) for t in page_texts(chunked)[labels.index("1"):]
             for m in re.finditer("Editors\u2019 note, ([ivx]+)\\b", t)]
    assert cited and all(labels.index(number) < labels.index("1") for number in cited)
    assert texts_of(chunked, cited[0]).lstrip().startswith("Editors")


def test_an_edit_patches_the_previous_book_into_the_fully_assembled_one(
        tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "sample")
    build = ("build", BOOK, "--format", "pdf", "--chunked", "--jobs", "2")
    assert run_chapbook(*build, cwd=root).code == 0
    record = root / "build" / ".cache" / "pdf" / f"{BOOK}.pdf.assembly.json"
    assert json.loads(record.read_text())["patched"] is False  # nothing to patch yet
    first = (root / "build" / f"{BOOK}.pdf").read_bytes()
    review = root / "manuscripts" / "night-ward.md"
    # Å is a glyph the book's shared body font lacks: the patch gives it to that font
    review.write_text(review.read_text(encoding="utf-8").replace(
        "A drip stand", "An infirmary drip stand, Ångström-bright,"), encoding="utf-8")
    assert run_chapbook(*build, cwd=root).code == 0
    assert json.loads(record.read_text())["patched"] is True
    patched = root / "patched.pdf"
    patched.write_bytes((root / "build" / f"{BOOK}.pdf").read_bytes())
    # an incremental update: the previous file, then a revision far smaller than the book
    assert patched.read_bytes().startswith(first)
    assert len(patched.read_bytes()) - len(first) < len(first) / 2
    assert b"/Length1" in patched.read_bytes()[len(first):]  # a font program rewritten
    assert set(font_programs(patched).values()) == {1}
    check = subprocess.run(["qpdf", "--check", str(patched)], capture_output=True, text=True)
    assert check.returncode == 0 and "No syntax or stream encoding errors" in check.stdout, (
        check.stdout + check.stderr)
    record.unlink()  # the same input, assembled in full
    (root / "build" / ".cache" / "build.json").unlink()
    assert run_chapbook(*build, cwd=root).code == 0
    assert json.loads(record.read_text())["patched"] is False
    full = root / "build" / f"{BOOK}.pdf"
    words = " ".join(page_texts(patched)).split()  # justified lines: spaces vary
    assert "infirmary drip stand, Ångström-bright" in " ".join(words)
    assert canonical_objects(patched.read_bytes()) == canonical_objects(full.read_bytes())
    assert outline_titles(patched) == outline_titles(full)
    # a record that no longer describes the book in build/ (edited by hand): full assembly
    review.write_text(review.read_text(encoding="utf-8").replace("infirmary", "hospital"),
                      encoding="utf-8")
    with full.open("ab") as stream:
        stream.write(b"\n% touched\n")
    assert run_chapbook(*build, cwd=root).code == 0
    assert json.loads(record.read_text())["patched"] is False
    assert "hospital" in " ".join(page_texts(full))
    # a new footnote is a new link target: links kept on other pages are made again too
    before = json.loads(record.read_text())
    review.write_text(review.read_text(encoding="utf-8").replace(
        "hospital drip stand", "hospital drip stand[^ward]", 1) + "\n[^ward]: A note.\n",
        encoding="utf-8")
    assert run_chapbook(*build, cwd=root).code == 0
    after = json.loads(record.read_text())
    assert after["places"] == before["places"] and after["names"] != before["names"]
    assert after["patched"] is False
    # metadata the front matter no longer carries leaves the patched book too
    assert PdfReader(full).metadata.get("/Subject")
    config = root / "chapbook.toml"
    config.write_text("\n".join(line for line in config.read_text(encoding="utf-8").splitlines()
                                if not line.startswith("description = \"Reviews of horror")),
                      encoding="utf-8")
    before_patch = full.stat().st_size
    assert run_chapbook(*build, cwd=root).code == 0
    assert json.loads(record.read_text())["patched"] is True
    assert "/Subject" not in PdfReader(full).metadata
    assert b"/Length1" not in full.read_bytes()[before_patch:]  # the fonts had every glyph
    # a book patched again and again is assembled in full once it has grown by half
    grown = json.loads(record.read_text())
    grown["base_size"] = full.stat().st_size // 2
    record.write_text(json.dumps(grown))
    review.write_text(review.read_text(encoding="utf-8").replace("hospital", "clinic"),
                      encoding="utf-8")
    assert run_chapbook(*build, cwd=root).code == 0
    assert json.loads(record.read_text())["patched"] is False
    assert "clinic" in " ".join(page_texts(full))
