"""Offprints: a piece on its own as it stands in the book, after a page that says where it
comes from. What they hold and what their first page says; the PDF takes the book's own
pages (`pdf/offprint.py`), the EPUB the piece's own documents (`epub/offprint.py`).

The first page (the "statement") is the style's `partials/offprint.html.j2`, in
`print/offprint.html.j2` for the PDF and `epub/offprint.xhtml.j2` for the EPUB: a
project style overrides them as it does the others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from chapbook.core.anthology import Anthology
from chapbook.core.labels import Labels
from chapbook.core.manuscript import Manuscript
from chapbook.core.pagesetup import PageSetup
from chapbook.read.manuscript import slugify
from chapbook.render.context import book_labels, book_typefaces, bookmark, environment
from chapbook.render.context import shared_context as _shared
from chapbook.render.epub_documents import (
    EPUB_CSS_HREF,
    NAV_FILE,
    EpubDocument,
    EpubRendition,
    Landmark,
    PageTarget,
    TocEntry,
    epub_file_name,
)
from chapbook.render.styles import Style

KINDS = ("piece", "contributor")  # --offprints=piece (one a piece) or =contributor
STATEMENT_FILE = "offprint.xhtml"  # an offprint EPUB's first page (no piece has this name)


@dataclass(frozen=True)
class Offprint:
    """One offprint: its file name (without suffix), title, authors and pieces, in book
    order. A piece's offprint holds that piece; a contributor's, each piece they wrote."""

    name: str
    title: str
    authors: tuple[str, ...]
    pieces: tuple[Manuscript, ...]


@dataclass(frozen=True)
class Folios:
    """The printed page numbers of a piece's first and last pages in the book."""

    first: str
    last: str


def offprints(anthology: Anthology, kind: str) -> list[Offprint]:
    """The offprints of a book's pieces (the body: the foreword is the editors')."""
    if kind == "contributor":
        return _bundles(anthology)
    return [Offprint(piece.slug, piece.title, _authors(piece), (piece,))
            for piece in anthology.pieces]


def _bundles(anthology: Anthology) -> list[Offprint]:
    """One offprint per author, named by their name's slug, their pieces in book order."""
    pieces: dict[str, list[Manuscript]] = {}
    for piece in anthology.pieces:
        for name in _authors(piece):
            pieces.setdefault(name, []).append(piece)
    title = book_labels(anthology).text
    taken: set[str] = set()
    found = []
    for name, theirs in pieces.items():
        slug = _unique(slugify(name) or "contributor", taken)
        found.append(Offprint(slug, title("offprint_bundle", names=name,
                                          anthology=anthology.title),
                              (name,), tuple(theirs)))
    return found


def _unique(slug: str, taken: set[str]) -> str:
    """Two names that slug alike (Lee Min, Lee-Min) get -2, -3..."""
    chosen, number = slug, 1
    while chosen in taken:
        number += 1
        chosen = f"{slug}-{number}"
    taken.add(chosen)
    return chosen


def _authors(piece: Manuscript) -> tuple[str, ...]:
    return tuple(person.name for person in piece.authors)


def page_range(labels: Labels, folios: Folios) -> str:
    """'pp. 12-18' (with an en dash) or 'p. 12' in the book's language. The numbers are
    the folios as the book prints them (CSS counters: ASCII digits), so that they can be
    found on its pages."""
    if folios.first == folios.last:
        text = labels.text("offprint_page", page=folios.first)
    else:
        text = labels.text("offprint_pages", first=folios.first, last=folios.last)
    return text.replace(" ", "\u00a0")  # 'pp.' and its numbers on one line


def copyright_year(anthology: Anthology, piece: Manuscript) -> int:
    """The year of a piece's copyright: when it first appeared, else its date, else the
    book's."""
    first = piece.source_info.first_published if piece.source_info else None
    date: dt.date = first or piece.date or anthology.date
    return date.year


def statement_context(anthology: Anthology, style: Style,
                      entries: Sequence[tuple[Manuscript, Folios]]) -> dict[str, Any]:
    """What the statement templates see: the book's context, and `statements`, one
    (piece, pages, copyright year) for each piece; `pages` as 'pp. 12-18'."""
    labels = book_labels(anthology)
    statements = [{"piece": piece, "pages": page_range(labels, folios),
                   "copyright_year": copyright_year(anthology, piece)}
                  for piece, folios in entries]
    return {**_shared(anthology, lambda slug: f"#piece-{slug}"), "statements": statements,
            "typefaces": book_typefaces(anthology, style)}


def print_statements(anthology: Anthology, style: Style, setup: PageSetup,
                     entries: Sequence[tuple[Manuscript, Folios]]) -> str:
    """Print HTML of every statement page asked for, each followed by a blank page (the
    offprint's versos, where one is needed, are these)."""
    html = environment(style).get_template("print/offprint.html.j2").render(
        **statement_context(anthology, style, entries), profile=setup.profile)
    return html


def epub_offprint(anthology: Anthology, style: Style, offprint: Offprint,
                  folios: Sequence[Folios], in_book: Mapping[str, str] | None = None,
                  page_list: tuple[PageTarget, ...] = ()) -> EpubRendition:
    """An offprint's EPUB documents: the statement page (one for all its pieces), each
    piece's own document as the book's EPUB has it (`in_book`: the book's XHTML by file
    name, with its print page markers, whose list is `page_list`), and the contents."""
    env = environment(style)
    context = {**statement_context(anthology, style, list(zip(offprint.pieces, folios,
                                                               strict=True))),
               **_shared(anthology, epub_file_name), "css_href": EPUB_CSS_HREF}
    labels = book_labels(anthology)

    def document(template: str, file_name: str, title: str, language: str, kind: str,
                 nav_title: str | None = None, **extra: Any) -> EpubDocument:
        xhtml = env.get_template(template).render(**context, **extra, title=title,
                                                  language=language)
        return EpubDocument(file_name, title, xhtml, language, kind, None, nav_title)

    statement = document("epub/offprint.xhtml.j2", STATEMENT_FILE, labels.text("offprint"),
                         anthology.language, "offprint")
    pieces = [document("epub/piece.xhtml.j2", epub_file_name(piece.slug), piece.title,
                       piece.language, "piece", nav_title=bookmark(piece), piece=piece,
                       epub_type="chapter", role="doc-chapter")
              for piece in offprint.pieces]
    pieces = [replace(doc, xhtml=(in_book or {}).get(doc.file_name, doc.xhtml)) for doc in pieces]
    toc = tuple(TocEntry(doc.nav_title or doc.title, doc.file_name, doc.language)
                for doc in pieces)
    landmarks = (Landmark("toc", f"{NAV_FILE}#toc", labels.text("contents")),
                 Landmark("bodymatter", pieces[0].file_name, labels.text("start_of_content")))
    nav = document("epub/nav.xhtml.j2", NAV_FILE, labels.text("contents"), anthology.language,
                   "nav", toc=toc, landmarks=landmarks, page_list=page_list)
    return EpubRendition((statement, nav, *pieces), style.stylesheet_text("css/epub.css"),
                         toc, landmarks, labels)
