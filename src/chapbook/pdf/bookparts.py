"""The parts of an assembled book: its chunks, its links and bookmarks, and what is made
for the whole book (running heads laid over the pages, names, bookmarks, page labels,
metadata). A patch (`assembly.py`) makes them all here; the full assembly
(`streaming.py`) makes the running heads, link annotations, page labels and metadata here
and writes the names and bookmarks itself, as bytes (`streamparts.py`), to the same
effect: the same destinations, bookmarks and links."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, NameTree, OutlineItem, Pdf, String

from chapbook.core.language import direction

PageRef = tuple[int, float, float]  # page index in the book, x, y (PDF points)
Rect = tuple[float, float, float, float]
LinkRef = tuple[int, str, Rect]  # page index, target element id, rectangle
# The book's pages by index: all of them (a patch), or only those names and bookmarks
# point to (a streamed assembly's stand-ins)
Pages = Sequence[pikepdf.Object] | Mapping[int, pikepdf.Object]


@dataclass(frozen=True)
class Piece:
    """One PDF chunk placed in the book."""

    pdf: Path
    blank_before: bool  # a blank verso goes before it
    furniture: Path | None = None  # running heads and folios to lay over its pages
    pages: int = 0


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


def overlay(book: Pdf, page: pikepdf.Page, furniture: pikepdf.Page, index: int) -> None:
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


def metadata(book: Pdf, front: Pdf, language: str) -> None:
    """The front chunk carries the book's title, authors and dates (and a patched book
    loses what its new front matter no longer says)."""
    for key in [str(key) for key, _ in book.docinfo.items() if key not in front.docinfo]:
        del book.docinfo[key]
    for key, value in front.docinfo.items():
        book.docinfo[key] = value
    book.Root.Lang = String(language)
    if direction(language) == "rtl":  # viewers show the spreads right to left
        if Name.ViewerPreferences not in book.Root:
            book.Root.ViewerPreferences = Dictionary()
        book.Root.ViewerPreferences.Direction = Name.R2L


def names(book: Pdf, links: BookLinks, pages: Pages) -> None:
    names = NameTree.new(book)
    for name, (page, x, y) in sorted(links.destinations.items()):
        names[name] = destination(pages[page], x, y)
    book.Root.Names = Dictionary(Dests=names.obj)


def destination(page: pikepdf.Object, x: float, y: float) -> Array:
    """An explicit destination, as pikepdf's `OutlineItem(title, page, "XYZ", left=x,
    top=y, zoom=0)` makes it from a page number."""
    return Array([page, Name.XYZ, x, y, 0])


def add_links(book: Pdf, chosen: Iterable[LinkRef], links: BookLinks,
           pages: Sequence[pikepdf.Object]) -> None:
    for page, target, rect in chosen:
        if target in links.destinations:
            add_link(book, pages[page], target, rect)


def outline(book: Pdf, links: BookLinks, pages: Pages) -> None:
    if Name.Outlines in book.Root:
        del book.Root.Outlines
    with book.open_outline() as outline:
        parents: dict[int, OutlineItem] = {}
        for entry in links.outline:
            if entry.target not in links.destinations:
                continue
            page, x, y = links.destinations[entry.target]
            item = OutlineItem(entry.title, destination(pages[page], x, y))
            parent = parents.get(entry.level - 1) if entry.level > 1 else None
            (parent.children if parent else outline.root).append(item)
            parents[entry.level] = item


def add_link(book: Pdf, page: pikepdf.Object, target: str, rect: Rect) -> None:
    """A link to a named destination, as WeasyPrint writes its own internal links."""
    annotation = book.make_indirect(link_annotation(target, rect))
    if Name.Annots not in page:
        page.Annots = Array()
    page.Annots.append(annotation)


def link_annotation(target: str, rect: Rect) -> Dictionary:
    """The annotation of a link to a named destination (a direct object: the streamed
    assembly writes it as it is, holding no object for it)."""
    return Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array(rect),
                      Border=Array([0, 0, 0]), Dest=String(target))


def page_labels(book: Pdf, first_body_page: int) -> None:
    """Front matter i, ii, iii...; the body 1, 2, 3..., as printed on the pages."""
    numbers: list[object] = []
    if first_body_page > 0:
        numbers += [0, Dictionary(S=Name.r)]
    numbers += [first_body_page, Dictionary(S=Name.D, St=1)]
    book.Root.PageLabels = Dictionary(Nums=Array(numbers))
