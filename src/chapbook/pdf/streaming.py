"""The full assembly of a book from its chunks, streamed: memory holds one chunk at a time.

Holding the whole book took memory in proportion to it (qpdf kept every chunk open until
the book was saved, since the book's pages pointed into them: 754 MB at 2,000 reviews).
Here each chunk is opened, its pages are given their running heads (the furniture laid
over them as a form), their links between chunks and their shared fonts, and they are
written to the book at once (`pdfwriter`: objects numbered as they come, grouped into
compressed object streams); then the chunk is closed. What stays from chunk to chunk is
small and per book, not per chunk: each page's object number, the place of each object
written (for the cross-reference stream), and per face the keeper of its shared font and
the union of its glyphs (`fontstream`). The book-wide parts (names, bookmarks, page
labels, metadata, the shared fonts) are made at the end, held whole (about 5.5 KB a page
of the book grows with it: not yet written as they are made), by the same functions a
patch uses (`bookparts`), in a scratch PDF whose pages stand for the book's; they are written
with those stand-ins replaced by the book's pages, so a full assembly and a patched book
have the same objects.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf

from chapbook.pdf import bookparts
from chapbook.pdf.bookparts import BookLinks, LinkRef, Piece
from chapbook.pdf.fontmerge import FontPath
from chapbook.pdf.fontstream import StreamedFonts
from chapbook.pdf.pdfwriter import BookWriter, Copier


class _Book:
    """A book being written: its writer, its pages so far, its shared fonts."""

    def __init__(self, writer: BookWriter, scratch: Pdf, links: BookLinks) -> None:
        self.writer = writer
        self.scratch = scratch  # the book-wide parts, and the keepers of the shared fonts
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
        for index, page in enumerate(pages):
            if furniture is not None:
                bookparts.overlay(reader, page, furniture.pages[index], index)
            for _, target, rect in self.links.pop(first + index, ()):
                bookparts.add_link(reader, page.obj, target, rect)
        replace = self.fonts.take((first + i, page.obj) for i, page in enumerate(pages))
        self._write_pages(Copier(self.writer, reader, replace), [page.obj for page in pages])

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
        """The shared fonts, the page tree, the book-wide parts and the trailer."""
        copier = Copier(self.writer, self.scratch)
        for number, font in self.fonts.finish():
            copier.write(font, number)
        stand_ins = self._stand_ins()
        bookparts.names(self.scratch, links, stand_ins)
        bookparts.outline(self.scratch, links)
        bookparts.page_labels(self.scratch, first_body_page)
        copier.numbers |= {page.objgen: number
                           for page, number in zip(stand_ins, self.pages, strict=True)}
        kids = b" ".join(b"%d 0 R" % number for number in self.pages)
        self.writer.put(self.pages_root, b"<</Type /Pages /Count %d /Kids [%s]>>"
                        % (len(self.pages), kids))
        root = self.writer.reserve()
        copier.numbers[self.scratch.Root.Pages.objgen] = self.pages_root
        copier.write(self.scratch.Root, root)
        info = None
        if len(self.scratch.docinfo):
            info = self.writer.reserve()
            copier.write(self.scratch.docinfo, info)
        self.writer.finish(root, info)
        return len(self.pages), self.fonts.keepers()

    def _stand_ins(self) -> list[pikepdf.Object]:
        """A page in the scratch PDF for each of the book's, for the names and bookmarks
        to point to (each is written as the book's page of its place)."""
        for _ in self.pages:
            self.scratch.pages.append(pikepdf.Page(Dictionary(
                Type=Name.Page, MediaBox=Array([0, 0, 1, 1]))))
        return [page.obj for page in self.scratch.pages]


def assemble(chunks: Sequence[Piece], blank_page: Path, first_body_page: int,
             links: BookLinks, language: str,
             target: Path) -> tuple[int, dict[str, list[FontPath]]]:
    """Write the book to `target`, one chunk at a time; return its page count and where
    each face's shared fonts are first used."""
    with target.open("wb") as stream, Pdf.new() as scratch, Pdf.open(blank_page) as blank:
        book = _Book(BookWriter(stream), scratch, links)
        blanks = Copier(book.writer, blank)  # its objects are written once, for every blank
        for index, chunk in enumerate(chunks):
            if chunk.blank_before:
                book.add_blank(blanks, blank)
            with contextlib.ExitStack() as stack:
                reader = stack.enter_context(Pdf.open(chunk.pdf))
                furniture = (stack.enter_context(Pdf.open(chunk.furniture))
                             if chunk.furniture else None)
                if index == 0:  # the front matter carries the book's title, authors...
                    bookparts.metadata(scratch, reader, language)
                book.add_chunk(reader, furniture)
        return book.finish(first_body_page, links)
