"""Offprints as EPUB: the statement page and the piece's own documents, with the book's
style sheet and fonts, written by the book's EPUB writer (`package.EpubFile`) under the
offprint's own metadata (title, authors as creators, the book as source)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from chapbook.core.anthology import Anthology
from chapbook.core.diagnostics import Diagnostic
from chapbook.core.files import NotWritten, atomic_target
from chapbook.core.workers import LazyPool
from chapbook.epub.package import EpubFile
from chapbook.epub.package import Offprint as PackageOffprint
from chapbook.epub.resources import epub_resources
from chapbook.render.epub_documents import malformed_documents
from chapbook.render.offprint import Folios, Offprint, epub_offprint
from chapbook.render.styles import Style


def write_epub_offprint(book: Anthology, style: Style, offprint: Offprint, kind: str,
                        folios: Sequence[Folios], target: Path, font_cache: Path | None,
                        workers: LazyPool | None) -> tuple[bool, list[Diagnostic]]:
    """Whether the offprint was written to `target`, and the diagnostics."""
    rendition = epub_offprint(book, style, offprint, folios)
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


def offprint_identifier(book: Anthology, kind: str, name: str) -> str:
    """Stable across builds: derived from the book's identifier and the offprint."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{book.identifier}:{kind}:{name}')}"
