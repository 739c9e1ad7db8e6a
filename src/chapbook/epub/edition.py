"""The EPUB edition of one book: cover, documents, resources, package."""

from __future__ import annotations

from pathlib import Path

from chapbook.core.anthology import Anthology
from chapbook.core.diagnostics import Diagnostic
from chapbook.core.files import NotWritten, atomic_target
from chapbook.core.paths import BuildPaths
from chapbook.core.workers import LazyPool
from chapbook.epub.cover import start_cover
from chapbook.epub.package import EpubFile
from chapbook.epub.resources import epub_resources
from chapbook.render.epub_documents import finish_epub, malformed_documents, start_epub
from chapbook.render.styles import Style


def write_epub_edition(book: Anthology, style: Style, target: Path, paths: BuildPaths,
                       workers: LazyPool) -> tuple[bool, list[Diagnostic]]:
    """Returns whether the EPUB was written, and the diagnostics. ebooklib runs here;
    WeasyPrint only in a worker, to generate a cover."""
    # A cover to generate is laid out in a worker while the documents are rendered here
    pending = start_cover(book, style, paths.cover_cache, workers)
    try:
        with atomic_target(target) as temporary, EpubFile(book, temporary, workers) as epub:
            parts = start_epub(book, style)
            # Zipped in a worker while the rest is made: nearly all the book's bytes
            epub.start([*parts.body, *parts.back])
            cover, problems = pending.result()
            rendition = finish_epub(parts, cover)
            resources = epub_resources(book, style, rendition, cover, paths.font_cache, workers)
            broken = malformed_documents(rendition, style)
            if broken:
                raise NotWritten(diagnostics=problems + broken)
            return True, problems + epub.finish(rendition, resources)
    except NotWritten as refused:
        return False, refused.diagnostics
