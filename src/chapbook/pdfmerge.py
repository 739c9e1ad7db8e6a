"""Assemble a book from separately rendered PDF chunks (pikepdf, that is qpdf).

Pages are copied in reading order, with blank versos where a recto opening needs one.
Running heads and folios of body pages come from a light "furniture" PDF and are laid
over each page as a form XObject: the page's own content stream is not parsed or
rewritten. Then the book-wide parts: named destinations, links between chunks, bookmarks,
page labels and metadata. qpdf copies and writes pages in C++: a 1,700-page book is
assembled in about a second (pypdf took several), which is most of an incremental
rebuild once the changed chunk is rendered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, NameTree, OutlineItem, Pdf, String

PageRef = tuple[int, float, float]  # page index in the book, x, y (PDF points)
Rect = tuple[float, float, float, float]
LinkRef = tuple[int, str, Rect]  # page index, target element id, rectangle


@dataclass(frozen=True)
class Piece:
    """One PDF chunk placed in the book."""

    pdf: Path
    blank_before: bool  # a blank verso goes before it
    furniture: Path | None = None  # running heads and folios to lay over its pages


@dataclass(frozen=True)
class OutlineEntry:
    title: str
    target: str  # element id
    level: int


@dataclass(frozen=True)
class BookLinks:
    destinations: dict[str, PageRef]  # every anchor in the book
    links: Sequence[LinkRef]
    outline: Sequence[OutlineEntry]


def assemble(chunks: Sequence[Piece], blank_page: Path, first_body_page: int,
             links: BookLinks, language: str, target: Path) -> int:
    """Write the book to `target`; returns its page count."""
    with Pdf.new() as book, Pdf.open(blank_page) as blank:
        sources = [blank]  # kept open until the book is saved: its pages point into them
        try:
            for chunk in chunks:
                if chunk.blank_before:
                    book.pages.append(blank.pages[0])
                _append(book, chunk, sources)
            _metadata(book, sources[1], language)  # sources[1]: the first chunk, the front
            _destinations(book, links)
            _page_labels(book, first_body_page)
            book.save(target, deterministic_id=True,
                      object_stream_mode=pikepdf.ObjectStreamMode.generate)
            return len(book.pages)
        finally:
            for source in sources[1:]:
                source.close()


def _append(book: Pdf, chunk: Piece, sources: list[Pdf]) -> None:
    reader = Pdf.open(chunk.pdf)
    sources.append(reader)
    first = len(book.pages)
    book.pages.extend(reader.pages)
    if chunk.furniture is None:
        return
    overlays = Pdf.open(chunk.furniture)
    sources.append(overlays)
    for index, overlay in enumerate(overlays.pages):
        _overlay(book, book.pages[first + index], overlay, index)


def _overlay(book: Pdf, page: pikepdf.Page, furniture: pikepdf.Page, index: int) -> None:
    """Draw `furniture` over `page` as a form XObject, leaving the page's content intact.
    The form spans the whole media box, as the page does: nothing is scaled or clipped."""
    furniture.contents_coalesce()  # one stream, whatever WeasyPrint wrote
    form = book.make_stream(furniture.obj.Contents.read_bytes())
    form.Type, form.Subtype = Name.XObject, Name.Form
    form.BBox = Array(furniture.mediabox)
    form.Resources = book.copy_foreign(furniture.obj.Resources)
    # Named by the page's place in its chunk, not at random: the same book, the same bytes.
    # (A chunk's pages may share one resource dictionary, so the names must differ.)
    name = page.add_resource(form, Name.XObject, Name(f"/ChapbookFurniture{index}"))
    # q ... Q around the page's own content, so that no state it leaves moves the form
    page.contents_add(book.make_stream(b"q\n"), prepend=True)
    page.contents_add(book.make_stream(b"\nQ\nq " + str(name).encode() + b" Do Q\n"))


def _metadata(book: Pdf, front: Pdf, language: str) -> None:
    """The front chunk carries the book's title, authors and dates."""
    for key, value in front.docinfo.items():
        book.docinfo[key] = value
    book.Root.Lang = String(language)


def _destinations(book: Pdf, links: BookLinks) -> None:
    pages = [page.obj for page in book.pages]  # indexing book.pages each time is slow
    names = NameTree.new(book)
    for name, (page, x, y) in sorted(links.destinations.items()):
        names[name] = Array([pages[page], Name.XYZ, x, y, 0])
    book.Root.Names = Dictionary(Dests=names.obj)
    for page, target, rect in links.links:
        if target in links.destinations:
            _add_link(book, pages[page], target, rect)
    with book.open_outline() as outline:
        parents: dict[int, OutlineItem] = {}
        for entry in links.outline:
            if entry.target not in links.destinations:
                continue
            page, x, y = links.destinations[entry.target]
            item = OutlineItem(entry.title, page, "XYZ", left=x, top=y, zoom=0)
            parent = parents.get(entry.level - 1) if entry.level > 1 else None
            (parent.children if parent else outline.root).append(item)
            parents[entry.level] = item


def _add_link(book: Pdf, page: pikepdf.Dictionary, target: str, rect: Rect) -> None:
    """A link to a named destination, as WeasyPrint writes its own internal links."""
    annotation = book.make_indirect(Dictionary(
        Type=Name.Annot, Subtype=Name.Link, Rect=Array(rect), Border=Array([0, 0, 0]),
        Dest=String(target)))
    if Name.Annots not in page:
        page.Annots = Array()
    page.Annots.append(annotation)


def _page_labels(book: Pdf, first_body_page: int) -> None:
    """Front matter i, ii, iii...; the body 1, 2, 3..., as printed on the pages."""
    numbers: list[object] = []
    if first_body_page > 0:
        numbers += [0, Dictionary(S=Name.r)]
    numbers += [first_body_page, Dictionary(S=Name.D, St=1)]
    book.Root.PageLabels = Dictionary(Nums=Array(numbers))
