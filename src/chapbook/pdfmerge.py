"""Assemble a book from separately rendered PDF chunks (pikepdf, that is qpdf).

Pages are copied in reading order, with blank versos where a recto opening needs one.
Running heads and folios of body pages come from a light "furniture" PDF and are laid
over each page as a form XObject: the page's own content stream is not parsed or
rewritten. Then the book-wide parts: named destinations, links between chunks, bookmarks,
page labels and metadata. qpdf copies and writes pages in C++: a 1,700-page book is
assembled in about a second (pypdf took several).

A rebuild after an edit usually changes a chunk's content but not its page count. Then the
previous book is patched instead: only the pages of changed chunks are replaced, and the
book-wide parts are made again. A record beside the chunk cache says what the previous
book was made of; the book is patched only if it is still the file that record describes
and every chunk keeps its place. A patched book has the objects and content a full
assembly gives (only their order in the file, and the file's first identifier, may differ).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, NameTree, OutlineItem, Pdf, String

from .hashing import digest, file_digest
from .output import replace_file

PageRef = tuple[int, float, float]  # page index in the book, x, y (PDF points)
Rect = tuple[float, float, float, float]
LinkRef = tuple[int, str, Rect]  # page index, target element id, rectangle


@dataclass(frozen=True)
class Piece:
    """One PDF chunk placed in the book."""

    pdf: Path
    blank_before: bool  # a blank verso goes before it
    furniture: Path | None = None  # running heads and folios to lay over its pages
    pages: int = 0


@dataclass(frozen=True)
class Previous:
    """The book a last assembly wrote, and the record of what it was made of."""

    book: Path
    record: Path


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
             links: BookLinks, language: str, target: Path,
             previous: Previous | None = None) -> int:
    """Write the book to `target`, patching `previous` where it can; returns its page count."""
    shape = _shape(chunks, blank_page, first_body_page, language, links)
    pages = _patch(previous, shape, chunks, links, target) if previous else None
    patched = pages is not None
    if pages is None:
        pages = _assemble_all(chunks, blank_page, first_body_page, links, language, target)
    if previous:
        _remember(previous.record, shape, chunks, target, patched)
    return pages


def _assemble_all(chunks: Sequence[Piece], blank_page: Path, first_body_page: int,
                  links: BookLinks, language: str, target: Path) -> int:
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
            _save(book, target)
            return len(book.pages)
        finally:
            for source in sources[1:]:
                source.close()


def _save(book: Pdf, target: Path) -> None:
    book.save(target, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)


# ---- patching the previous book -----------------------------------------------------------

RECORD_SCHEMA = 1


def _shape(chunks: Sequence[Piece], blank_page: Path, first_body_page: int,
           language: str, links: BookLinks) -> dict[str, object]:
    """Everything that fixes where each page of the book is, and the names links can go
    to: if it is unchanged, a chunk whose content changed can replace its own pages and
    nothing else moves (and no link kept on another page loses its destination)."""
    return {"schema": RECORD_SCHEMA, "blank": blank_page.name, "first_body": first_body_page,
            "language": language, "names": digest(*sorted(links.destinations)),
            "places": [[c.blank_before, c.pages, c.furniture.name if c.furniture else None]
                       for c in chunks]}


def _remember(record: Path, shape: dict[str, object], chunks: Sequence[Piece],
              written: Path, patched: bool) -> None:
    data = {**shape, "chunks": [c.pdf.name for c in chunks], "sha256": file_digest(written),
            "patched": patched}
    with contextlib.suppress(OSError):  # without a record the next build assembles in full
        replace_file(record, json.dumps(data).encode("utf-8"))


def _patch(previous: Previous, shape: dict[str, object], chunks: Sequence[Piece],
           links: BookLinks, target: Path) -> int | None:
    """The page count of the patched book written to `target`; None if it cannot be patched."""
    try:
        record = json.loads(previous.record.read_text(encoding="utf-8"))
        if ({k: record.get(k) for k in shape} != shape
                or record.get("sha256") != file_digest(previous.book)):
            return None
        old_names: list[str] = record["chunks"]
        with Pdf.open(previous.book) as book:
            sources: list[Pdf] = []
            try:
                replaced = _replace_changed(book, chunks, old_names, sources)
                if chunks[0].pdf.name != old_names[0]:
                    _metadata(book, sources[0], str(shape["language"]))
                _redo_destinations(book, links, replaced)
                _save(book, target)
                return len(book.pages)
            finally:
                for source in sources:
                    source.close()
    except (OSError, ValueError, KeyError, TypeError, IndexError, pikepdf.PdfError):
        return None  # an unreadable record or book: assemble in full


def _replace_changed(book: Pdf, chunks: Sequence[Piece], old_names: Sequence[str],
                     sources: list[Pdf]) -> set[int]:
    """Put each changed chunk's pages (with their furniture) in place of its old ones."""
    replaced: set[int] = set()
    position = 0
    for chunk, old_name in zip(chunks, old_names, strict=True):
        position += chunk.blank_before
        if chunk.pdf.name != old_name:
            reader = Pdf.open(chunk.pdf)
            sources.append(reader)
            overlays = Pdf.open(chunk.furniture) if chunk.furniture else None
            if overlays is not None:
                sources.append(overlays)
            for index, page in enumerate(reader.pages):
                book.pages[position + index] = page
                if overlays is not None:
                    _overlay(book, book.pages[position + index], overlays.pages[index], index)
                replaced.add(position + index)
        position += chunk.pages
    return replaced


def _redo_destinations(book: Pdf, links: BookLinks, replaced: set[int]) -> None:
    """Anchors in changed chunks may have moved: the names and bookmarks are made again,
    and the links between chunks are added to the new pages (the others keep theirs)."""
    del book.Root.Names
    if Name.Outlines in book.Root:
        del book.Root.Outlines
    _destinations(book, BookLinks(links.destinations,
                                  [link for link in links.links if link[0] in replaced],
                                  links.outline))


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
    """The front chunk carries the book's title, authors and dates (and a patched book
    loses what its new front matter no longer says)."""
    for key in [str(key) for key, _ in book.docinfo.items() if key not in front.docinfo]:
        del book.docinfo[key]
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
