"""Assemble a book from separately rendered PDF chunks (pypdf).

Pages are copied in reading order, with blank versos where a recto opening needs one.
Running heads and folios of body pages come from a light "furniture" PDF and are laid
over each page as a form XObject: the page's own content stream is not parsed or
rewritten, so this stays cheap on books of thousands of pages. Then the book-wide parts:
named destinations, links between chunks, bookmarks, page labels and metadata.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.constants import PageLabelStyle
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    Destination,
    DictionaryObject,
    Fit,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

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
    writer = PdfWriter()
    blank = PdfReader(blank_page).pages[0]
    for chunk in chunks:
        if chunk.blank_before:
            writer.add_page(blank)
        reader = PdfReader(chunk.pdf)
        overlays = PdfReader(chunk.furniture).pages if chunk.furniture else None
        for index, page in enumerate(reader.pages):
            added = writer.add_page(page)
            if overlays is not None:
                _overlay(writer, added, overlays[index], index)
        if len(writer.pages) == 1 and reader.metadata:
            writer.add_metadata(dict(reader.metadata))  # the front chunk carries the book's
    _destinations(writer, links)
    _page_labels(writer, first_body_page)
    writer._root_object[NameObject("/Lang")] = TextStringObject(language)
    with open(target, "wb") as stream:
        writer.write(stream)
    return len(writer.pages)


def _overlay(writer: PdfWriter, page: PageObject, furniture: PageObject, index: int) -> None:
    """Draw `furniture` over `page` as a form XObject, leaving the page's content intact."""
    form = DecodedStreamObject()
    form.set_data(furniture.get_contents().get_data())  # type: ignore[union-attr]
    form.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject(furniture.mediabox),
        NameObject("/Resources"): furniture["/Resources"].clone(writer),
    })
    name = NameObject(f"/ChapbookFurniture{index}")
    resources = page.setdefault(NameObject("/Resources"), DictionaryObject()).get_object()
    xobjects = resources.setdefault(NameObject("/XObject"), DictionaryObject()).get_object()
    xobjects[name] = writer._add_object(form)
    contents = page.get("/Contents")
    streams = list(contents) if isinstance(contents, ArrayObject) else [contents]
    wrapped = [_stream(writer, b"q\n"), *streams, _stream(writer, b"\nQ\n"),
               _stream(writer, b"q " + name.encode() + b" Do Q\n")]
    page[NameObject("/Contents")] = ArrayObject(wrapped)


def _stream(writer: PdfWriter, data: bytes) -> object:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream)


def _destinations(writer: PdfWriter, book: BookLinks) -> None:
    for name, (page, x, y) in sorted(book.destinations.items()):
        reference = writer.pages[page].indirect_reference
        assert reference is not None  # pages added to a writer always have one
        writer.add_named_destination_object(Destination(TextStringObject(name), reference,
                                                        Fit.xyz(x, y, 0)))
    for page, target, rect in book.links:
        if target in book.destinations:
            writer.add_annotation(page, _link(target, rect))
    parents: dict[int, IndirectObject] = {}
    for entry in book.outline:
        if entry.target not in book.destinations:
            continue
        page, x, y = book.destinations[entry.target]
        parent = parents.get(entry.level - 1) if entry.level > 1 else None
        parents[entry.level] = writer.add_outline_item(title=entry.title, page_number=page,
                                                       parent=parent, fit=Fit.xyz(x, y, 0))


def _link(target: str, rect: Rect) -> DictionaryObject:
    """A link to a named destination, as WeasyPrint writes its own internal links."""
    return DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"),
        NameObject("/Subtype"): NameObject("/Link"),
        NameObject("/Rect"): ArrayObject(FloatObject(v) for v in rect),
        NameObject("/Border"): ArrayObject([NumberObject(0)] * 3),
        NameObject("/Dest"): TextStringObject(target),
    })


def _page_labels(writer: PdfWriter, first_body_page: int) -> None:
    last = len(writer.pages) - 1
    if first_body_page > 0:
        writer.set_page_label(0, first_body_page - 1, style=PageLabelStyle.LOWERCASE_ROMAN,
                              start=1)
    writer.set_page_label(first_body_page, last, style=PageLabelStyle.DECIMAL, start=1)
