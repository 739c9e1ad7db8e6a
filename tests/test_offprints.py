"""Offprints (`chapbook build --offprints`): a piece's pages are the book's own pages (same
text, same pixels), after a statement page whose page range is the book's folios; the EPUB
passes EPUBCheck; contributors' bundles; a chunked book; pieces that run on.

One small project (a book whose pieces open on rectos, and one whose pieces run on) is
built once with piece offprints, and once more, chunked, with contributors' bundles."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

from chapbook.build.uptodate import unchanged
from chapbook.core.paths import BuildPaths
from tests.conftest import Run, run_chapbook, write_project
from tests.epubtools import NS, Epub, epubcheck_messages
from tests.pdftools import normalise, page_labels, page_texts

CONFIG = """\
[press]
name = "Test Press"
rights = "This collection © 2026 Test Press."

[contributors."Ann Critic"]
bio = "Writes."
[contributors."Bo Writer"]
bio = "Also writes."

[[anthology]]
slug = "small"
title = "Small Book"
editors = ["Ed Itor", "Bea Editor"]
date = 2025-06-01
back = { contributors = true, acknowledgements = true }
print = { trim = "a6" }

[[anthology]]
slug = "runon"
title = "Run On"
editors = ["Ed Itor"]
date = 2025-06-01
opening = "run-on"
back = { contributors = false }
formats = ["pdf"]
print = { trim = "a6" }
"""
L, R, DASH = "\u2018", "\u2019", "\u2013"  # the quotes of the titles, the range's dash
PARAGRAPH = ("The film lingers on small rooms and long corridors, and it knows what it is doing "
             "with every one of them. ") * 6
PIECES = [("p0", "Ann Critic", "Good Film", 3), ("p1", "Bo Writer", "Bad Film", 5),
          ("p2", "Ann Critic", "Odd Film", 7)]


def _manuscript(author: str, work: str, paragraphs: int, day: int) -> str:
    body = "\n\n".join([PARAGRAPH] * paragraphs)
    return (f"---\ntitle: \"'{work}' review\"\nauthor: {author}\ndate: 2024-01-0{day}\n"
            f"work: {{title: {work}, kind: film, year: 2023}}\n"
            f"source: {{publication: The Weekly, first_published: 2023-05-0{day}}}\n---\n"
            f"{body}\n")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    manuscripts = {f"{slug}.md": _manuscript(author, work, paragraphs, day)
                   for day, (slug, author, work, paragraphs) in enumerate(PIECES, 1)}
    root = write_project(tmp_path_factory.mktemp("offprints") / "press", manuscripts, CONFIG)
    done = run_chapbook("build", "--offprints", cwd=root)
    assert done.code == 0, done.stderr
    return root


@pytest.fixture(scope="module")
def bundled(project: Path) -> tuple[Path, Run]:
    """The recto book again, chunked, with one offprint per contributor, elsewhere."""
    out = project / "chunked"
    done = run_chapbook("build", "small", "--chunked", "--offprints=contributor",
                        "--format", "pdf", "--out", str(out), cwd=project)
    assert done.code == 0, done.stderr
    return out, done


def _pixels(pdf: Path, index: int) -> bytes:
    document = pdfium.PdfDocument(pdf)
    try:
        return bytes(document[index].render(scale=0.6).to_pil().tobytes())
    finally:
        document.close()


def _body(offprint: Path) -> list[int]:
    """The offprint's pages that are the book's: those with a folio label."""
    return [index for index, label in enumerate(page_labels(offprint)) if label]


def _same_pages(offprint: Path, book: Path) -> list[str]:
    """Each body page of the offprint against the book's page of the same folio: the same
    text and the same pixels. Returns the folios."""
    book_labels, book_texts = page_labels(book), page_texts(book)
    labels, texts = page_labels(offprint), page_texts(offprint)
    folios = []
    for index in _body(offprint):
        folio = labels[index]
        in_book = book_labels.index(folio)
        assert texts[index] == book_texts[in_book], f"page {folio}: other text"
        assert _pixels(offprint, index) == _pixels(book, in_book), f"page {folio}: drawn otherwise"
        assert index % 2 == in_book % 2, f"page {folio}: a recto became a verso, or the reverse"
        folios.append(folio)
    return folios


def test_a_piece_offprint_holds_the_book_pages_of_the_piece(project: Path) -> None:
    book = project / "build" / "small.pdf"
    book_labels, book_texts = page_labels(book), page_texts(book)
    for slug, _, work, _ in PIECES:
        offprint = project / "build" / "small" / "offprints" / f"{slug}.pdf"
        folios = _same_pages(offprint, book)
        assert folios == [str(n) for n in range(int(folios[0]), int(folios[-1]) + 1)]
        first, last = book_labels.index(folios[0]), book_labels.index(folios[-1])
        assert f"{L}{work}{R} review" in book_texts[first]  # it starts where the piece does
        after = next(text for text in book_texts[last + 1:] if text.strip())
        assert f"{R} review" in after or "Contributors" in after  # and ends where it does
        # the statement: what the piece is, where it stands in the book, whose it is
        statement = normalise(page_texts(offprint)[0])
        assert f"{L}{work}{R} review" in statement
        assert (f"From Small Book, edited by Ed Itor and Bea Editor, Test Press, 2025, "
                f"pp. {folios[0]}{DASH}{folios[-1]}.") in statement
        assert "first published in The Weekly" in statement
        assert "This collection © 2026 Test Press." in statement and "© 2023" in statement


def test_a_statement_is_followed_by_a_blank_only_before_a_recto(project: Path) -> None:
    offprint = project / "build" / "small" / "offprints" / "p0.pdf"
    texts = page_texts(offprint)
    assert _body(offprint)[0] == 2 and not texts[1].strip()  # p0 opens the body: a recto
    # the statement and the blank have the book's page boxes (trim, bleed)
    book = PdfReader(project / "build" / "small.pdf").pages[0]
    for page in PdfReader(offprint).pages[:2]:
        assert (page.mediabox, page.trimbox) == (book.mediabox, book.trimbox)


def test_run_on_pieces_share_the_page_where_one_ends_and_the_next_begins(
        project: Path) -> None:
    book = project / "build" / "runon.pdf"
    spans = {}
    for slug, _, work, _ in PIECES:
        offprint = project / "build" / "runon" / "offprints" / f"{slug}.pdf"
        folios = _same_pages(offprint, book)
        spans[slug] = (int(folios[0]), int(folios[-1]))
        texts = page_texts(offprint)
        assert f"{L}{work}{R} review" in texts[_body(offprint)[0]]
    ordered = [spans[slug] for slug, *_ in PIECES]
    for (_, end), (start, _) in itertools.pairwise(ordered):
        assert start in (end, end + 1)  # the page they share, or the next page
    # In this book 'Bad Film' starts at the top of a page (after 'Good Film' ends at the
    # foot of the one before) and 'Odd Film' starts below the end of 'Bad Film'.
    assert ordered == [(1, 3), (4, 8), (8, 14)]


def test_epub_offprint_is_valid_and_says_what_it_is(project: Path) -> None:
    path = project / "build" / "small" / "offprints" / "p1.epub"
    assert epubcheck_messages(path) == []
    epub = Epub(path)
    assert _dc(epub, "title") == [f"{L}Bad Film{R} review"]
    assert _dc(epub, "creator") == ["Bo Writer"]
    assert _dc(epub, "language") == ["en"]
    book = Epub(project / "build" / "small.epub")
    assert _dc(epub, "source") == _dc(book, "identifier")
    assert epub.spine() == ["offprint.xhtml", "nav.xhtml", "p1.xhtml"]
    assert epub.read("EPUB/p1.xhtml") == book.read("EPUB/p1.xhtml")  # the book's document
    assert epub.read("EPUB/css/book.css") == book.read("EPUB/css/book.css")
    statement = epub.read("EPUB/offprint.xhtml").decode("utf-8")
    folios = [label for label in page_labels(project / "build" / "small" / "offprints"
                                             / "p1.pdf") if label]
    assert f"pp.\u00a0{folios[0]}{DASH}{folios[-1]}" in statement  # the print edition's pages


def _dc(epub: Epub, element: str) -> list[str]:
    return [e.text or "" for e in epub.opf.xpath(f"//dc:{element}", namespaces=NS)]


def test_offprints_are_outputs_of_the_up_to_date_check(project: Path) -> None:
    done = run_chapbook("build", "--offprints", cwd=project)
    assert done.code == 0
    assert "up to date: 3 offprints (EPUB and PDF) in build/small/offprints/" in done.stderr
    record = json.loads((project / "build" / ".cache" / "build.json").read_text())
    assert "small/offprints/p0.pdf" in record["outputs"]
    paths = BuildPaths(project / "build")
    key = record["fingerprint"]
    assert unchanged(paths, key) is not None
    (project / "build" / "runon" / "offprints" / "p2.pdf").write_bytes(b"%PDF-1.7 edited")
    assert unchanged(paths, key) is None  # an edited offprint means a rebuild


def test_contributor_bundles_from_a_chunked_book(bundled: tuple[Path, Run]) -> None:
    out, done = bundled
    assert "in one pass" not in done.stderr  # the chunked pipeline made the book
    assert "wrote 2 offprints (PDF) in" in done.stderr
    book = out / "small.pdf"
    ann = out / "small" / "offprints" / "ann-critic.pdf"
    texts = page_texts(ann)
    statements = [n for n, text in enumerate(texts) if "From Small Book" in text]
    assert len(statements) == 2 and all(n % 2 == 0 for n in statements)  # both on rectos
    assert f"{L}Good Film{R} review" in texts[statements[0]]
    assert f"{L}Odd Film{R} review" in texts[statements[1]]
    folios = _same_pages(ann, book)
    assert len(folios) == len(set(folios)) > 6
    bo = _same_pages(out / "small" / "offprints" / "bo-writer.pdf", book)
    assert not set(bo) & set(folios)
    assert not (out / "small" / "offprints" / "ann-critic.epub").exists()  # --format pdf


def test_offprints_kind_is_checked(project: Path) -> None:
    done = run_chapbook("build", "--offprints=everyone", cwd=project)
    assert done.code == 2 and "piece or contributor" in done.stderr
