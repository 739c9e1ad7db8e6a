"""Assemble a book from separately rendered PDF chunks (pikepdf, that is qpdf).

Pages are copied in reading order, with blank versos where a recto opening needs one.
Running heads and folios of body pages come from a light "furniture" PDF and are laid
over each page as a form XObject: the page's own content stream is not parsed or
rewritten. Then the book-wide parts: named destinations, links between chunks, bookmarks,
page labels and metadata; and the chunks' copies of each face become one font. A full
assembly is streamed (`streaming.py`): one chunk open at a time, its pages written to the
book at once, so memory does not grow with the book; the parts both kinds of assembly
make are in `bookparts.py`.

A rebuild after an edit usually changes a chunk's content but not its page count. Then the
previous book is patched instead: its bytes are kept and an incremental update is appended
(the changed chunks' pages, given to the old page objects, and the book-wide parts made
again), so a one-word fix writes tens of kilobytes, not the whole book. A record beside the
chunk cache says what the previous book was made of; the book is patched only if it is
still the file that record describes, every chunk keeps its place, and it has not grown by
half since its last full assembly (replaced objects stay in the file, unused). Read, a
patched book has the objects and content a full assembly gives.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import Dictionary, Pdf

from chapbook.core.files import replace_file
from chapbook.core.hashing import digest, file_digest
from chapbook.pdf import bookparts, fontmerge, streaming
from chapbook.pdf.bookparts import BookLinks, LinkRef, OutlineEntry, PageRef, Piece
from chapbook.pdf.revision import Revision

__all__ = ["BookLinks", "LinkRef", "OutlineEntry", "PageRef", "Piece", "Previous", "assemble"]


class Previous:
    """The book a last assembly wrote, and the record of what it was made of.

    `read` reads both once (the record, the book's hash, the book opened) and copies the
    book to `copy_to`, where the patched book will be written, flushed to disk: the caller
    can do all that early, while workers render the chunks that changed, and the patch
    then only appends. Whoever makes one closes it."""

    def __init__(self, book: Path, record: Path, copy_to: Path) -> None:
        self.book = book
        self.record = record
        self.copy_to = copy_to
        self._read: _Read | None = None
        self._done = False

    def read(self) -> _Read | None:
        """The record and the open book, if they can be patched; None otherwise."""
        if not self._done:
            self._read, self._done = _read(self), True
        return self._read

    def close(self) -> None:
        if self._read is not None:
            self._read.book.close()


def assemble(chunks: Sequence[Piece], blank_page: Path, first_body_page: int,
             links: BookLinks, language: str, target: Path,
             previous: Previous | None = None) -> int:
    """Write the book to `target`, patching `previous` where it can; returns its page count."""
    shape = _shape(chunks, blank_page, first_body_page, language, links)
    marks = _marks(links)
    patched = _patch(previous, shape, marks, chunks, links, target) if previous else None
    if patched:
        pages, fonts, base_size, sha256 = patched
    else:
        pages, fonts = streaming.assemble(chunks, blank_page, first_body_page, links,
                                          language, target)
        base_size, sha256 = None, None
    if previous:
        _remember(previous.record, shape, marks, chunks, target, pages, fonts, base_size,
                  sha256)
    return pages


# ---- patching the previous book -----------------------------------------------------------

RECORD_SCHEMA = 4  # 4: CFF faces are shared too
Fonts = dict[str, list[fontmerge.FontPath]]  # where each face's shared fonts are used
# A patched book keeps its replaced objects (an incremental update only adds); once it has
# grown by this much over its last full assembly, the next build assembles it in full.
GROWTH_LIMIT = 1.5


def _shape(chunks: Sequence[Piece], blank_page: Path, first_body_page: int,
           language: str, links: BookLinks) -> dict[str, object]:
    """Everything that fixes where each page of the book is, and the names links can go
    to: if it is unchanged, a chunk whose content changed can replace its own pages and
    nothing else moves (and no link kept on another page loses its destination)."""
    return {"schema": RECORD_SCHEMA, "blank": blank_page.name, "first_body": first_body_page,
            "language": language, "names": digest(*sorted(links.destinations)),
            "places": [[c.blank_before, c.pages, c.furniture.name if c.furniture else None]
                       for c in chunks]}


def _marks(links: BookLinks) -> dict[str, str]:
    """Digests of where every anchor is and of the bookmarks: if they are as the previous
    book had them, its names and outline can stay."""
    outline = [(e.title, e.target, e.level, links.destinations.get(e.target))
               for e in links.outline]
    return {"destinations": digest(json.dumps(sorted(links.destinations.items()))),
            "outline": digest(json.dumps(outline))}


def _remember(record: Path, shape: dict[str, object], marks: dict[str, str],
              chunks: Sequence[Piece], written: Path, pages: int, fonts: Fonts,
              base_size: int | None, sha256: str | None = None) -> None:
    """`base_size`: the size of the last full assembly (None: this was one); `sha256`:
    the written book's, when the caller has it."""
    data = {**shape, **marks, "chunks": [c.pdf.name for c in chunks],
            "sha256": sha256 or file_digest(written), "pages": pages, "fonts": fonts,
            "patched": base_size is not None,
            "base_size": base_size if base_size is not None else written.stat().st_size}
    with contextlib.suppress(OSError):  # without a record the next build assembles in full
        replace_file(record, json.dumps(data).encode("utf-8"))


@dataclass(frozen=True)
class _Read:
    record: dict[str, Any]
    hasher: hashlib._Hash  # of the previous book, to be continued with the revision
    book: Pdf
    stat: tuple[int, int]  # the file's size and modification time when it was hashed


def _read(previous: Previous) -> _Read | None:
    """The previous book, if it is the file its record describes and has not grown too
    much since its last full assembly."""
    try:
        record = json.loads(previous.record.read_text(encoding="utf-8"))
        stat = _stat(previous.book)
        if stat[0] > GROWTH_LIMIT * int(record["base_size"]):
            return None
        with previous.book.open("rb") as stream:
            hasher = hashlib.file_digest(stream, "sha256")
        if record.get("sha256") != hasher.hexdigest():
            return None
        book = Pdf.open(previous.book)
        shutil.copyfile(previous.book, previous.copy_to)
        with previous.copy_to.open("rb") as copy:
            os.fsync(copy.fileno())  # so that writing the book later flushes only the patch
        return _Read(record, hasher, book, stat)
    except Exception:  # an unreadable record or book, whatever the reason: assemble in full
        return None


def _stat(path: Path) -> tuple[int, int]:
    status = path.stat()
    return status.st_size, status.st_mtime_ns


def _patch(previous: Previous, shape: dict[str, object], marks: dict[str, str],
           chunks: Sequence[Piece], links: BookLinks,
           target: Path) -> tuple[int, Fonts, int, str] | None:
    """(pages, shared fonts, size of the last full assembly, SHA-256) of the patched book
    written to `target`; None if the previous book cannot be patched.

    The previous book's bytes are kept and a revision is appended to them (an incremental
    update): the changed chunks' pages, in place of the old ones, pointing to the book's
    shared fonts (which take any glyph they lack), and the remade names, links and
    bookmarks. Nothing else is written again."""
    read = previous.read()
    if read is None or previous.copy_to != target or {
            k: read.record.get(k) for k in shape} != shape:
        return None
    if _stat(previous.book) != read.stat:  # replaced since it was read: start afresh
        return None
    record, hasher, book = read.record, read.hasher, read.book
    base_size = int(record["base_size"])
    try:
        fonts: Fonts = {name: [(index, tuple(forms), key) for index, forms, key in paths]
                        for name, paths in record["fonts"].items()}
        if _same_book(record, marks, chunks):  # rendered again as it was (a touched file)
            return int(record["pages"]), fonts, base_size, hasher.hexdigest()  # the copy
        sources: list[Pdf] = []
        try:
            revision = Revision(book)
            keepers = fontmerge.find_keepers(book, fonts)  # before their pages are replaced
            replaced = _replace_changed(book, chunks, record["chunks"], sources, revision)
            shared = fontmerge.share_fonts(((index, book.pages[index].obj)
                                           for index in sorted(replaced)), keepers)
            revision.touched += shared.touched
            if chunks[0].pdf.name != record["chunks"][0]:
                bookparts.metadata(book, sources[0], str(shape["language"]))
                revision.touched.append(book.docinfo)
            _redo_destinations(book, links, replaced, record, marks)
            revision.touched.append(book.Root)
            appended = revision.append(previous.book, previous.copy_to,
                                       digest(*(c.pdf.name for c in chunks)))
            hasher.update(appended)
            return len(book.pages), shared.keepers, base_size, hasher.hexdigest()
        finally:
            for source in sources:
                source.close()
    except Exception:  # whatever stops a patch, a full assembly is always right
        return None


def _same_book(record: dict[str, object], marks: dict[str, str],
               chunks: Sequence[Piece]) -> bool:
    return (record["chunks"] == [c.pdf.name for c in chunks] and "pages" in record
            and all(record.get(key) == value for key, value in marks.items()))


def _replace_changed(book: Pdf, chunks: Sequence[Piece], old_names: Sequence[str],
                     sources: list[Pdf], revision: Revision) -> set[int]:
    """Give each changed chunk's pages (with their furniture) to the page objects of its
    old ones: the page tree, and every reference to those pages, stay as they are."""
    pages = [page.obj for page in book.pages]
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
                old = pages[position + index]
                _take_content(book, old, reader, page.obj)
                if overlays is not None:
                    bookparts.overlay(book, pikepdf.Page(old), overlays.pages[index], index)
                revision.touched.append(old)
                replaced.add(position + index)
        position += chunk.pages
    return replaced


def _take_content(book: Pdf, page: Dictionary, reader: Pdf, new: Dictionary) -> None:
    """Make `page` the copy of `new` (a page of `reader`), keeping its place in the tree."""
    # A copy without /Parent, so that copying does not follow it into the chunk's tree
    loose = reader.make_indirect(Dictionary({k: v for k, v in new.items() if k != "/Parent"}))
    copied = book.copy_foreign(loose)
    for key in [str(key) for key in page if key != "/Parent"]:
        del page[key]
    for key, value in copied.items():
        page[str(key)] = value


def _redo_destinations(book: Pdf, links: BookLinks, replaced: set[int],
                       record: dict[str, object], marks: dict[str, str]) -> None:
    """The links between chunks are added to the new pages (the others keep theirs). The
    page objects stayed, so the names and bookmarks are made again only if an anchor
    moved or a bookmark changed."""
    pages = [page.obj for page in book.pages]
    if record.get("destinations") != marks["destinations"]:
        bookparts.names(book, links, pages)
    bookparts.add_links(book, (link for link in links.links if link[0] in replaced), links, pages)
    if record.get("outline") != marks["outline"]:
        bookparts.outline(book, links, pages)


