"""The EPUB edition of one book: cover, documents, resources, package."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from chapbook.core.anthology import Anthology
from chapbook.core.diagnostics import Diagnostic, info
from chapbook.core.files import NotWritten, atomic_target
from chapbook.core.paths import BuildPaths
from chapbook.core.workers import Workers
from chapbook.epub.cover import start_cover
from chapbook.epub.package import EpubFile
from chapbook.epub.pagelist import PageBreaks, mark_documents, plan_page_breaks
from chapbook.epub.resources import epub_resources
from chapbook.pdf.pagemap import PageMap
from chapbook.render.epub_documents import (
    EpubParts,
    finish_epub,
    malformed_documents,
    reading_documents,
    start_epub,
)
from chapbook.render.styles import Style


def write_epub_edition(book: Anthology, style: Style, target: Path, paths: BuildPaths,
                       workers: Workers, page_map: PageMap | None = None,
                       ) -> tuple[bool, list[Diagnostic]]:
    """Returns whether the EPUB was written, and the diagnostics. ebooklib runs here;
    WeasyPrint only in a worker, to generate a cover. With the page map of the print
    edition, the EPUB carries its page breaks and page list."""
    # A cover to generate is laid out in a worker while the documents are rendered here
    pending = start_cover(book, style, paths.cover_cache, workers)
    try:
        with atomic_target(target) as temporary, EpubFile(book, temporary, workers) as epub:
            parts = start_epub(book, style)
            breaks, notes = _page_breaks(parts, page_map, target)
            parts = _marked(parts, breaks)
            # Zipped in a worker while the rest is made: nearly all the book's bytes
            epub.start([*parts.body, *parts.back])
            cover, problems = pending.result()
            problems = notes + problems
            rendition = finish_epub(parts, cover, breaks.targets() if breaks else ())
            if breaks:  # the front matter: made once the cover is known
                done = frozenset(doc.file_name for doc in (*parts.body, *parts.back))
                rendition = replace(rendition, documents=mark_documents(
                    rendition.documents, breaks, skip=done))
            resources = epub_resources(book, style, rendition, cover, paths.font_cache, workers)
            broken = malformed_documents(rendition, style)
            if broken:
                raise NotWritten(diagnostics=problems + broken)
            return True, problems + epub.finish(rendition, resources)
    except NotWritten as refused:
        return False, refused.diagnostics


def _page_breaks(parts: EpubParts, page_map: PageMap | None,
                 target: Path) -> tuple[PageBreaks | None, list[Diagnostic]]:
    """Where the print pages begin in the documents, and notes on what is not marked."""
    if page_map is None:
        return None, [info("epub-no-page-list", f"{target.name} has no page list: the print "
                           "PDF of this book was not built with it, nor by an earlier build "
                           "of the same inputs",
                           hint="build the EPUB and the print PDF together (chapbook build "
                           "without --format) to give the EPUB the print page numbers")]
    breaks = plan_page_breaks(reading_documents(parts), page_map)
    notes = [info("page-list-unmarked", f"{target.name}: {len(breaks.unmatched)} print "
                  f"page(s) not found in the EPUB have no page break: "
                  f"{', '.join(breaks.unmatched)}",
                  hint="pages that exist only in print (the contents) are expected here")
             ] if breaks.unmatched else []
    return (breaks if breaks.breaks else None), notes


def _marked(parts: EpubParts, breaks: PageBreaks | None) -> EpubParts:
    if breaks is None:
        return parts
    return replace(parts, body=mark_documents(parts.body, breaks),
                   back=mark_documents(parts.back, breaks))
