"""Print page numbers in the EPUB: a marker where each page of the print PDF begins, the
page list, pageBreakSource. One small book, built once with both editions (real
WeasyPrint, ebooklib, EPUBCheck, poppler), and once as an EPUB alone."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from chapbook.build.options import BuildOptions
from chapbook.build.pagemaps import last_page_map, remember_page_map
from chapbook.core.labels import ENGLISH
from chapbook.core.paths import BuildPaths
from chapbook.epub.pagelist import mark_documents, normalise, plan_page_breaks
from chapbook.pdf.pagemap import PageMap, PrintPage
from chapbook.render.epub_documents import EpubDocument, page_source
from tests.conftest import REPO, Run, run_chapbook
from tests.epubtools import NS, Epub, epubcheck_messages
from tests.pdftools import page_labels, words_with_boxes

CONFIG = """\
[press]
name = "Test Press"

[[anthology]]
slug = "pages"
title = "Paged Reviews"
editors = ["Mira Seo"]
foreword = "editors-note"
dedication = "For the people who count pages."
back = { contributors = true }
print = { trim = "a6" }
"""
PIECES = ("editors-note.md", "salt-and-butter.txt", "maison-aux-volets-bleus.md",
          "cartographers-summer.md")
MM = 72 / 25.4
# The classic style's page margins (styles/classic/css/print.css), written out here so
# that the test does not take them from the code it checks.
TOP, BOTTOM = 18 * MM, 20 * MM


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Run]:
    root = tmp_path_factory.mktemp("pagelist")
    (root / "chapbook.toml").write_text(CONFIG, encoding="utf-8")
    (root / "manuscripts").mkdir()
    for name in PIECES:
        shutil.copy(REPO / "manuscripts" / name, root / "manuscripts" / name)
    result = run_chapbook("build", "-v", "-j", "1", cwd=root)
    assert result.code == 0, result.stdout + result.stderr
    return root, result


def _pdf_openings(pdf: Path) -> list[str]:
    """Each page's body text as poppler reads it: the words below the top margin and
    above the bottom one (no running heads, no folios)."""
    reader = PdfReader(pdf)
    openings = []
    for index, page in enumerate(reader.pages):
        trim = [float(v) for v in page.trimbox]
        words = [w for w in words_with_boxes(pdf, index)
                 if w[3] <= trim[3] - TOP + 2 and w[1] >= trim[1] + BOTTOM - 2]
        openings.append(" ".join(w[4] for w in words))
    return openings


def _markers(epub: Epub) -> dict[str, tuple[str, str, str]]:
    """{marker id: (document, aria-label, the EPUB's text after the marker)}."""
    found = {}
    for name in epub.spine():
        xhtml = epub.read(f"EPUB/{name}").decode("utf-8")
        body = xhtml[xhtml.index("<body"):]
        for match in re.finditer(r'<span epub:type="pagebreak" role="doc-pagebreak" '
                                 r'id="([^"]+)" aria-label="([^"]+)"/>', body):
            after = html.unescape(re.sub(r"<[^>]+>", "", body[match.end():]))
            found[match.group(1)] = (name, match.group(2), after)
    return found


def test_every_marker_is_where_its_print_page_begins(book: tuple[Path, Run]) -> None:
    root, _ = book
    pdf, epub = root / "build" / "pages.pdf", Epub(root / "build" / "pages.epub")
    labels, openings = page_labels(pdf), _pdf_openings(pdf)
    markers = {aria: after for _, aria, after in _markers(epub).values()}
    checked = 0
    for index, (label, opening) in enumerate(zip(labels, openings, strict=True)):
        if not opening:  # a blank page: at the point of the page after it, if any
            if label in markers and index + 1 < len(labels):
                assert markers[label] == markers[labels[index + 1]], label
            continue
        if label not in markers:
            # only the print contents may be missing (they exist only in print)
            assert opening.startswith("Contents") or not label.isdigit(), (label, opening)
            continue
        # the front matter differs a little (the EPUB's copyright page names the editors)
        want = normalise(opening)[:40 if label.isdigit() else 12]
        after = normalise(markers[label])
        raw_word = markers[label].split()[0]
        at = after.find(want)
        # at the page's first text, or before the word the page begins inside of
        assert at == 0 or 0 < at < len(normalise(raw_word)), (label, opening, after[:80])
        checked += 1
    body_pages = [label for label, opening in zip(labels, openings, strict=True)
                  if label.isdigit() and opening]
    assert all(label in markers for label in body_pages)
    assert checked >= 20


def test_page_list_lists_every_marker_with_its_label(book: tuple[Path, Run]) -> None:
    root, _ = book
    epub = Epub(root / "build" / "pages.epub")
    markers = _markers(epub)
    nav = epub.nav.xpath("//x:nav[@epub:type='page-list']", namespaces=NS)
    assert len(nav) == 1 and nav[0].get("hidden") is not None
    links = [(a.get("href"), a.text) for a in nav[0].xpath(".//x:a", namespaces=NS)]
    assert {href.split("#")[1] for href, _ in links} == set(markers)
    for href, text in links:
        document, element_id = href.split("#")
        assert markers[element_id][:2] == (document, text)
    # in the print edition's order, with its labels (roman front matter)
    labels = page_labels(root / "build" / "pages.pdf")
    listed = [text for _, text in links]
    assert listed == [label for label in labels if label in listed]
    assert any(not label.isdigit() for label in listed)


def test_page_break_source_and_a_clean_epubcheck(book: tuple[Path, Run]) -> None:
    root, result = book
    epub = Epub(root / "build" / "pages.epub")
    assert epub.metadata("pageBreakSource") == ["Paged Reviews, print edition, Test Press, "
                                                f"{epub.metadata('dcterms:modified')[0][:4]}"]
    features = epub.metadata("schema:accessibilityFeature")
    assert {"printPageNumbers", "pageNavigation"} <= set(features)
    assert epubcheck_messages(epub.path) == []
    # the print contents are not in the EPUB: noted, not marked
    assert "[page-list-unmarked]" in result.stdout + result.stderr


def test_an_epub_alone_notes_that_it_has_no_page_list(book: tuple[Path, Run]) -> None:
    root, _ = book
    result = run_chapbook("build", "--format", "epub", "-v", "-o", "alone", cwd=root)
    assert result.code == 0, result.stderr
    assert "[epub-no-page-list]" in result.stdout + result.stderr
    epub = Epub(root / "alone" / "pages.epub")
    assert not epub.nav.xpath("//x:nav[@epub:type='page-list']", namespaces=NS)
    assert epub.metadata("pageBreakSource") == []
    assert b"doc-pagebreak" not in epub.read("EPUB/salt-and-butter.xhtml")


def _document(name: str, body: str) -> EpubDocument:
    xhtml = ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n<html xmlns='
             '"http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
             f"<head><title>t</title></head><body>{body}</body></html>")
    return EpubDocument(name, "t", xhtml, "en", "piece")


def test_a_page_beginning_inside_a_word_is_marked_before_it() -> None:
    doc = _document("a.xhtml", "<section><h1>\u2018A title\u2019</h1><p>One two "
                    "com\u00adfortable three, and then some more words.</p></section>")
    pages = PageMap((PrintPage(0, "1", "\u2018A title\u2019 One two com\u2010"),
                     PrintPage(1, "2", ""),
                     PrintPage(2, "3", "fortable three, and then some")))
    breaks = plan_page_breaks([doc], pages)
    assert [b.label for b in breaks.breaks] == ["1", "2", "3"]
    marked = mark_documents([doc], breaks)[0].xhtml
    body = etree.fromstring(marked.encode("utf-8")).find("{http://www.w3.org/1999/xhtml}body")
    text = etree.tostring(body, encoding="unicode")
    # page 1 before the section (not inside the heading); 2 (blank) and 3 before the word
    assert re.search(r'id="page-1"[^>]*/><section', text)
    assert re.search(r'two <span[^>]*id="page-2"[^>]*/><span[^>]*id="page-3"[^>]*/>com', text)


def test_the_page_source_is_the_isbn_when_there_is_one() -> None:
    class Press:
        name = "Test Press"

    class Book:
        identifier = "urn:isbn:9780000000002"
        title, press = "T", Press()

    assert page_source(Book(), ENGLISH) == "urn:isbn:9780000000002"  # type: ignore[arg-type]


def test_an_epub_alone_reuses_the_page_map_of_the_same_inputs(book: tuple[Path, Run]) -> None:
    root, _ = book
    full = (root / "build" / "pages.epub").read_bytes()
    result = run_chapbook("build", "--format", "epub", "-v", cwd=root)
    assert result.code == 0, result.stderr
    assert "[page-list-reused]" in result.stdout + result.stderr
    assert (root / "build" / "pages.epub").read_bytes() == full  # as the full build wrote it


def test_a_kept_page_map_is_not_used_once_an_input_changed(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "manuscripts").mkdir(parents=True)
    (root / "chapbook.toml").write_text(CONFIG, encoding="utf-8")
    piece = root / "manuscripts" / "a.md"
    piece.write_text("---\ntitle: A\n---\nText.\n", encoding="utf-8")
    paths, options = BuildPaths(root / "build"), BuildOptions()
    pages = PageMap((PrintPage(0, "i", "A"), PrintPage(1, "1", "Text.")))
    remember_page_map(paths, root, options, "pages", pages)
    assert last_page_map(paths, root, options, "pages")[0] == pages
    assert last_page_map(paths, root, BuildOptions(style="pocket"), "pages")[0] is None
    piece.write_text("---\ntitle: A\n---\nText, edited.\n", encoding="utf-8")
    assert last_page_map(paths, root, options, "pages") == (None, [])
