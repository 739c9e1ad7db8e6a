"""Offprints as EPUB: the statement page and the piece's own documents, with the book's
style sheet and fonts, written by the book's EPUB writer (`package.EpubFile`) under the
offprint's own metadata (title, authors as creators, the book as source)."""

from __future__ import annotations

import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from chapbook.core.anthology import Anthology
from chapbook.core.diagnostics import Diagnostic
from chapbook.core.files import NotWritten, atomic_target
from chapbook.core.workers import Workers
from chapbook.epub.package import EpubFile
from chapbook.epub.package import Offprint as PackageOffprint
from chapbook.epub.pagelist import page_targets
from chapbook.epub.resources import epub_resources
from chapbook.render.epub_documents import epub_file_name, malformed_documents
from chapbook.render.offprint import Folios, Offprint, epub_offprint
from chapbook.render.styles import Style


def write_epub_offprint(book: Anthology, style: Style, offprint: Offprint, kind: str,
                        folios: Sequence[Folios], target: Path, font_cache: Path | None,
                        workers: Workers | None,
                        book_epub: Path | None = None) -> tuple[bool, list[Diagnostic]]:
    """Whether the offprint was written to `target`, and the diagnostics. The pieces'
    documents are the book's own, taken from `book_epub` (with its print page markers)
    when it is there."""
    in_book = _book_documents(book_epub, [epub_file_name(p.slug) for p in offprint.pieces])
    page_list = tuple(t for name, xhtml in in_book.items() for t in page_targets(name, xhtml))
    rendition = epub_offprint(book, style, offprint, folios, in_book, page_list)
    broken = malformed_documents(rendition, style)
    if broken:
        return False, broken
    # the pieces' own images only, and fonts subset to the offprint's own text
    own = replace(book, pieces=offprint.pieces, foreword=None, parts=())
    resources = epub_resources(own, style, rendition, None, font_cache, workers)
    about = PackageOffprint(offprint_identifier(book, kind, offprint.name), offprint.title,
                            tuple((name, book.file_as(name)) for name in offprint.authors))
    try:
        with atomic_target(target) as temporary, \
                EpubFile(book, temporary, None, about) as epub:
            return True, epub.finish(rendition, resources)
    except NotWritten as refused:
        return False, refused.diagnostics


def _book_documents(book_epub: Path | None, names: Sequence[str]) -> dict[str, str]:
    """The book EPUB's documents of these names (none if there is no book EPUB)."""
    if book_epub is None or not book_epub.is_file():
        return {}
    try:
        with zipfile.ZipFile(book_epub) as book:
            present = set(book.namelist())
            return {name: book.read(f"EPUB/{name}").decode("utf-8") for name in names
                    if f"EPUB/{name}" in present}
    except (OSError, zipfile.BadZipFile, UnicodeDecodeError):
        return {}  # then the pieces are rendered again, without the print page markers


def offprint_identifier(book: Anthology, kind: str, name: str) -> str:
    """Stable across builds: derived from the book's identifier and the offprint."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{book.identifier}:{kind}:{name}')}"
