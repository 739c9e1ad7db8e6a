"""The full assembly of a book from its chunks, streamed: memory holds one chunk at a time.

Holding the whole book took memory in proportion to it (qpdf kept every chunk open until
the book was saved, since the book's pages pointed into them: 754 MB at 2,000 reviews).
Here each chunk is opened, its pages are given their running heads (the furniture laid
over them as a form), their links between chunks and their shared fonts, and they are
written to the book at once (`pdfwriter`: objects numbered as they come, grouped into
compressed object streams); then the chunk is closed. What stays from chunk to chunk is
small and per book, not per chunk: each page's object number, the place of each object
written (for the cross-reference stream), and per face the keeper of its shared font and
the union of its glyphs (`fontstream`).

Nothing else is held for the whole book. A link between chunks is written as its page
comes (its annotation at once, as bytes; the page points to it through an empty
placeholder that goes with the chunk). At the end, the name tree and the bookmarks are
written entry by entry, as bytes (`streamparts`: made with pikepdf, they took some
5 KB a page of the book, held until the catalogue was written); the page labels and
metadata are small and made by the functions a patch uses (`bookparts`), in a scratch
PDF of their own, closed before the shared fonts are made. A full assembly and a
patched book read the same: the same names, destinations, bookmarks and labels.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf

from chapbook.pdf import bookparts, streamparts
from chapbook.pdf.bookparts import BookLinks, LinkRef, Piece
from chapbook.pdf.fontmerge import FontPath
from chapbook.pdf.fontstream import StreamedFonts
from chapbook.pdf.pdfwriter import BookWriter, Copier, ObjGen


class _Book:
    """A book being written: its writer, its pages so far, its shared fonts."""

    def __init__(self, writer: BookWriter, scratch: Pdf, parts: Pdf, links: BookLinks) -> None:
        self.writer = writer
        self.scratch = scratch  # the keepers of the shared fonts
        self.parts = parts  # the book-wide parts: catalogue, names, bookmarks, metadata
        self.pages_root = writer.reserve()
        self.pages: list[int] = []  # each page's object number
        self.fonts = StreamedFonts(scratch, writer.reserve)
        self.links: dict[int, list[LinkRef]] = defaultdict(list)
        for link in links.links:
            if link[1] in links.destinations:
                self.links[link[0]].append(link)

    def add_chunk(self, reader: Pdf, furniture: Pdf | None) -> None:
        """The chunk's pages with their furniture, links and shared fonts, written."""
        first = len(self.pages)
        pages = list(reader.pages)
        annotations: dict[ObjGen, int] = {}
        for index, page in enumerate(pages):
            if furniture is not None:
                bookparts.overlay(reader, page, furniture.pages[index], index)
            for _, target, rect in self.links.pop(first + index, ()):
                annotations |= self._add_link(reader, page.obj, target, rect)
        replace = self.fonts.take((first + i, page.obj) for i, page in enumerate(pages))
        replace |= annotations
        self._write_pages(Copier(self.writer, reader, replace), [page.obj for page in pages])

    def _add_link(self, reader: Pdf, page: pikepdf.Object, target: str,
                  rect: bookparts.Rect) -> dict[ObjGen, int]:
        """A link between chunks, its annotation written now: the page gets an empty
        placeholder, written as a reference to it (the chunk's objects go with the chunk;
        an annotation made in full there took some twelve qpdf objects)."""
        number = self.writer.reserve()
        self.writer.put(number, bookparts.link_annotation(target, rect).unparse(resolved=True))
        placeholder = reader.make_indirect(Dictionary())
        if Name.Annots not in page:
            page.Annots = Array()
        page.Annots.append(placeholder)
        return {placeholder.objgen: number}

    def add_blank(self, copier: Copier, blank: Pdf) -> None:
        """A blank verso: a page of its own, sharing the blank's content and resources."""
        self._write_pages(copier, [blank.pages[0].obj], fresh=True)

    def _write_pages(self, copier: Copier, pages: Sequence[pikepdf.Object],
                     fresh: bool = False) -> None:
        numbers = [self.writer.reserve() for _ in pages]
        for page, number in zip(pages, numbers, strict=True):
            copier.numbers[page.Parent.objgen] = self.pages_root  # the book's page tree
            if not fresh:  # numbered first: links within the chunk point to them
                copier.numbers[page.objgen] = number
        for page, number in zip(pages, numbers, strict=True):
            copier.write(page, number)
        self.pages += numbers

    def finish(self, first_body_page: int, links: BookLinks) -> tuple[int,
                                                                       dict[str, list[FontPath]]]:
        """The book-wide parts, the shared fonts, the page tree and the trailer."""
        root = self.writer.reserve()
        info = self.writer.reserve() if len(self.parts.docinfo) else None
        self._write_parts(first_body_page, links, root, info)
        self.parts.close()  # before the fonts are made: their memory is not held at once
        copier = Copier(self.writer, self.scratch)
        for number, font in self.fonts.finish():
            copier.write(font, number)
        kids = b" ".join(b"%d 0 R" % number for number in self.pages)
        self.writer.put(self.pages_root, b"<</Type /Pages /Count %d /Kids [%s]>>"
                        % (len(self.pages), kids))
        self.writer.finish(root, info)
        return len(self.pages), self.fonts.keepers()

    def _write_parts(self, first_body_page: int, links: BookLinks, root: int,
                     info: int | None) -> None:
        """The catalogue with the names, bookmarks and page labels, and the metadata."""
        names = streamparts.write_names(self.writer, links, self.pages)
        outlines = streamparts.write_outline(self.writer, links, self.pages)
        bookparts.page_labels(self.parts, first_body_page)
        copier = Copier(self.writer, self.parts)
        # Placeholders in the catalogue for the parts already written
        tree, bookmarks = (self.parts.make_indirect(Dictionary()) for _ in range(2))
        self.parts.Root.Names = Dictionary(Dests=tree)
        self.parts.Root.Outlines = bookmarks
        copier.numbers |= {tree.objgen: names, bookmarks.objgen: outlines,
                           self.parts.Root.Pages.objgen: self.pages_root}
        copier.write(self.parts.Root, root)
        if info is not None:
            copier.write(self.parts.docinfo, info)


def assemble(chunks: Sequence[Piece], blank_page: Path, first_body_page: int,
             links: BookLinks, language: str,
             target: Path) -> tuple[int, dict[str, list[FontPath]]]:
    """Write the book to `target`, one chunk at a time; return its page count and where
    each face's shared fonts are first used."""
    with (target.open("wb") as stream, Pdf.new() as scratch, Pdf.new() as parts,
          Pdf.open(blank_page) as blank):
        book = _Book(BookWriter(stream), scratch, parts, links)
        blanks = Copier(book.writer, blank)  # its objects are written once, for every blank
        for index, chunk in enumerate(chunks):
            if chunk.blank_before:
                book.add_blank(blanks, blank)
            with contextlib.ExitStack() as stack:
                reader = stack.enter_context(Pdf.open(chunk.pdf))
                furniture = (stack.enter_context(Pdf.open(chunk.furniture))
                             if chunk.furniture else None)
                if index == 0:  # the front matter carries the book's title, authors...
                    bookparts.metadata(parts, reader, language)
                book.add_chunk(reader, furniture)
        return book.finish(first_body_page, links)
