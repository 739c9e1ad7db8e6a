"""End to end: the sample anthologies built by the real CLI, checked like a retailer and a
printer would check them (EPUBCheck, PDF structure and text)."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from .conftest import run_chapbook
from .epubtools import epubcheck_messages
from .pdftools import contents_entries, normalise, outline_titles, page_labels, page_texts


def plan_json(root: Path) -> dict[str, object]:
    result = run_chapbook("list", "--json", cwd=root)
    assert result.code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def books(root: Path) -> list[dict[str, object]]:
    return plan_json(root)["anthologies"]  # type: ignore[return-value]


def test_build_writes_every_edition(built_sample: Path) -> None:
    slugs = [b["slug"] for b in books(built_sample)]
    assert len(slugs) >= 2
    for slug in slugs:
        for suffix in (".epub", ".pdf"):
            assert (built_sample / "build" / f"{slug}{suffix}").stat().st_size > 10_000
    leftovers = [p.name for p in (built_sample / "build").rglob("*") if p.suffix == ".part"]
    assert leftovers == []  # no temporary files left behind


@pytest.mark.parametrize("slug", ["comfort-watches", "night-terrors"])
def test_epubcheck_reports_nothing(built_sample: Path, slug: str) -> None:
    assert epubcheck_messages(built_sample / "build" / f"{slug}.epub") == []


def test_epub_has_one_document_per_piece(built_sample: Path) -> None:
    for book in books(built_sample):
        with zipfile.ZipFile(built_sample / "build" / f"{book['slug']}.epub") as epub:
            names = epub.namelist()
            assert names[0] == "mimetype"
            assert epub.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
            for piece in book["pieces"]:  # type: ignore[attr-defined]
                document = epub.read(f"EPUB/{piece['slug']}.xhtml").decode()
                assert piece["title"].replace("&", "&amp;") in document
                for author in piece["authors"]:
                    assert author in document
            nav = epub.read("EPUB/nav.xhtml").decode()
            assert nav.count("<li>") >= len(book["pieces"])  # type: ignore[arg-type]


def test_epub_is_reproducible(built_sample: Path, tmp_path: Path) -> None:
    # the print page numbers of the first build (an EPUB alone takes them when its inputs
    # are the same; without them it has no page list)
    shutil.copytree(built_sample / "build" / ".cache" / "pagemaps",
                    tmp_path / ".cache" / "pagemaps")
    again = run_chapbook("build", "--format", "epub", "--out", str(tmp_path), cwd=built_sample)
    assert again.code == 0, again.stderr
    for book in books(built_sample):
        first = (built_sample / "build" / f"{book['slug']}.epub").read_bytes()
        assert (tmp_path / f"{book['slug']}.epub").read_bytes() == first


@pytest.mark.parametrize("slug", ["comfort-watches", "night-terrors"])
def test_contents_page_numbers_are_where_pieces_open(built_sample: Path, slug: str) -> None:
    pdf = built_sample / "build" / f"{slug}.pdf"
    texts = page_texts(pdf)
    labels = page_labels(pdf)
    contents_at = next(i for i, t in enumerate(texts) if t.lstrip().startswith("Contents"))
    first_piece = next(i for i, label in enumerate(labels) if label == "1")
    entries = contents_entries(pdf, range(contents_at, first_piece))
    book = next(b for b in books(built_sample) if b["slug"] == slug)
    by_target = {entry.target: entry for entry in entries}
    for entry in entries:
        # the number printed in the contents is the folio of the page the entry leads to
        assert entry.printed_page == labels[entry.target_index], entry
        if not entry.target.startswith("part-"):  # part title pages print no folio
            assert texts[entry.target_index].strip().endswith(entry.printed_page)
    for piece in book["pieces"]:  # type: ignore[attr-defined]
        entry = by_target[f"piece-{piece['slug']}"]
        assert normalise(piece["title"])[:40] in normalise(texts[entry.target_index])


@pytest.mark.parametrize("slug", ["comfort-watches", "night-terrors"])
def test_pdf_folios_and_openings(built_sample: Path, slug: str) -> None:
    pdf = built_sample / "build" / f"{slug}.pdf"
    reader = PdfReader(pdf)
    labels = page_labels(pdf)
    first = labels.index("1")
    assert labels[:first] == ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x",
                              "xi", "xii"][:first]
    assert labels[first:] == [str(n) for n in range(1, len(labels) - first + 1)]
    openings = [name for name in reader.named_destinations
                if name.startswith("piece-") and not name.endswith("-title")]
    assert len(openings) >= 5
    for name in openings:
        page = reader.get_destination_page_number(reader.named_destinations[name])
        assert page % 2 == 0, f"{name} opens on a verso (page index {page})"
    for text in page_texts(pdf):
        assert "\ufffd" not in text


def test_pdf_bookmarks_and_metadata(built_sample: Path) -> None:
    for book in books(built_sample):
        pdf = built_sample / "build" / f"{book['slug']}.pdf"
        titles = outline_titles(pdf)
        for piece in book["pieces"]:  # type: ignore[attr-defined]
            expected = f"{piece['title']} — {' and '.join(piece['authors'])}"
            assert expected in titles
        meta = PdfReader(pdf).metadata
        assert meta is not None and meta.title and book["title"] in meta.title  # type: ignore
        assert meta.author == ", ".join(book["editors"])  # type: ignore[arg-type]


def test_pdf_fonts_are_embedded(built_sample: Path) -> None:
    reader = PdfReader(built_sample / "build" / "comfort-watches.pdf")
    fonts: set[str] = set()
    for page in reader.pages:
        resources = page.get("/Resources")
        for font in (resources.get_object().get("/Font") or {}).values() if resources else []:
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font)["/FontDescriptor"]
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
    assert any("Charis" in f for f in fonts) and any("Nanum" in f for f in fonts)
