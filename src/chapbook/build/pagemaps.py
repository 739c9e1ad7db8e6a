"""The page map of each book's last print build, kept for an EPUB built without it.

An EPUB marks where the pages of its print edition begin (`chapbook.epub.pagelist`). A
build that writes the print PDF reads its page map and keeps it here; a later build that
writes the EPUB alone (`--format epub`) uses it if the inputs of the book's print layout
have not changed since: the same fingerprint as the up-to-date check (every input file's
path, size and time, the machine's fonts, chapbook's version, SOURCE_DATE_EPOCH), taken
with the options that change a book's pages (its style, drafts). The map is then the one
the print PDF of these inputs has, so the EPUB is the one a full build writes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chapbook.build.options import BuildOptions
from chapbook.build.uptodate import fingerprint
from chapbook.core.diagnostics import Diagnostic, info
from chapbook.core.files import replace_file
from chapbook.core.paths import BuildPaths
from chapbook.pdf.pagemap import PageMap, PrintPage


def remember_page_map(paths: BuildPaths, root: Path, options: BuildOptions, slug: str,
                      page_map: PageMap, given: str = "") -> None:
    """Keep the page map of a print PDF just written. One that cannot be kept only costs
    a later EPUB-only build its page list."""
    record = {"fingerprint": _layout_key(root, options, slug, given),
              "pages": [[page.index, page.label, page.text] for page in page_map.pages]}
    try:
        paths.page_map_cache.mkdir(parents=True, exist_ok=True)
        replace_file(_record(paths, slug), json.dumps(record, ensure_ascii=False).encode())
    except OSError:
        _record(paths, slug).unlink(missing_ok=True)


def page_map_for(maps: dict[str, PageMap], paths: BuildPaths, root: Path,
                 options: BuildOptions, slug: str,
                 given: str = "") -> tuple[PageMap | None, list[Diagnostic]]:
    """The page map for a book's EPUB: its print PDF's in this build, else that of its
    last print build if the inputs are the same (with a note), else None."""
    if slug in maps:
        return maps[slug], []
    return last_page_map(paths, root, options, slug, given)


def last_page_map(paths: BuildPaths, root: Path, options: BuildOptions,
                  slug: str, given: str = "") -> tuple[PageMap | None, list[Diagnostic]]:
    """The page map of the book's last print build if its inputs have not changed since,
    with a note saying so; else None."""
    try:
        record: dict[str, Any] = json.loads(_record(paths, slug).read_text(encoding="utf-8"))
        if record["fingerprint"] != _layout_key(root, options, slug, given):
            return None, []
        pages = tuple(PrintPage(int(index), str(label), str(text))
                      for index, label, text in record["pages"])
    except (OSError, ValueError, KeyError, TypeError):
        return None, []
    note = info("page-list-reused", f"{slug}.epub: print page numbers from the print PDF of "
                "an earlier build (its inputs have not changed since)")
    return PageMap(pages), [note]


@dataclass(frozen=True)
class _Layout:
    """The options that change a book's pages, and where its definition may be (`books`:
    a --books file, which the fingerprint reads as it reads chapbook.toml)."""

    book: str
    style: str | None
    drafts: bool
    books: Path | None


def _layout_key(root: Path, options: BuildOptions, slug: str, given: str) -> str:
    """`given`: the digest of what the Python API hands in instead of files."""
    layout = _Layout(slug, options.style, options.include_drafts, options.books)
    return fingerprint(root, layout, given)


def _record(paths: BuildPaths, slug: str) -> Path:
    return paths.page_map_cache / f"{slug}.json"
