"""What a build is asked to do (kept light: the command line reads it before anything else)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FORMATS = ("epub", "pdf", "html")


@dataclass(frozen=True)
class BuildOptions:
    formats: tuple[str, ...] = FORMATS
    only: tuple[str, ...] = ()  # anthology slugs; empty means every anthology
    out_dir: Path | None = None
    include_drafts: bool = False
    strict: bool = False
    style: str | None = None  # overrides each anthology's style
    profiles: tuple[str, ...] = ()  # PDF profiles to build; empty means each book's own
    pdf_mode: str = "auto"  # "single" (one WeasyPrint pass, the reference), "chunked", "auto"
    jobs: int | None = None  # worker processes for the PDF; None means one per core
    validate: bool = False  # run EPUBCheck on each EPUB written
    preview: bool = False  # `chapbook serve`: every book gets its web edition, asked or not
    offprints: str | None = None  # "piece" or "contributor": offprints (see build.offprints)
    books: Path | None = None  # a JSON Lines file of books: only those are built
    book_folders: str = ""  # each book's folder under out_dir: "{language}/{slug}"
    executor: str | None = None  # "local" or "dask://HOST:PORT"; None: [build] executor
    cache: str | None = None  # print layouts: a folder or fsspec URL; None: [build] cache

    def output_dir(self, root: Path) -> Path:
        return self.out_dir or root / "build"
