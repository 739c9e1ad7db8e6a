"""What a worker renders for the chunked print edition, and what it reports back.

Kept apart from `weasy.py` so that the build process can plan, key and assemble a book
from cached chunks without loading WeasyPrint (half a second) when nothing needs
rendering.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from chapbook.core.diagnostics import Diagnostic
from chapbook.pdf.typecounts import NOTHING_MEASURED, Typography

if TYPE_CHECKING:
    from chapbook.core.anthology import Anthology


def book_images(anthology: Anthology, base: Path) -> dict[Path, Path]:
    """Where print finds each image its bodies name (see `ProjectFetcher`)."""
    return {base / image.name: image.path
            for piece in anthology.all_pieces for image in piece.images}


# Margin boxes of the body chunks stay empty: running heads and folios depend on where a
# chunk lands in the book, so they are drawn separately and laid over the pages.
NO_FURNITURE_CSS = "@page { " + " ".join(
    f"@{box} {{ content: none !important; }}" for box in (
        "top-left-corner", "top-left", "top-center", "top-right", "top-right-corner",
        "bottom-left-corner", "bottom-left", "bottom-center", "bottom-right",
        "bottom-right-corner", "left-top", "left-middle", "left-bottom", "right-top",
        "right-middle", "right-bottom")) + " }\n"

PX_TO_PT = 0.75
AUTO_CHUNK_THRESHOLD = 16  # pieces; up to this, the "auto" mode lays a PDF out in one pass


@dataclass(frozen=True)
class ChunkJob:
    html: str
    font_css: str  # the style's @font-face rules
    stylesheets: tuple[Path, ...]
    extra_css: str  # page setup and what the chunk needs on top of the style
    allowed_roots: tuple[Path, ...]
    base: Path
    target: Path  # where the chunk's PDF goes
    images: tuple[tuple[Path, Path], ...] = ()  # see ProjectFetcher


@dataclass(frozen=True)
class ChunkResult:
    pages: int
    blank: tuple[bool, ...]  # per page: a blank page WeasyPrint added for a recto opening
    anchors: dict[str, tuple[int, float, float]]  # element id -> page index, x, y (points)
    links: tuple[tuple[int, str, tuple[float, float, float, float]], ...]  # to other chunks
    diagnostics: tuple[Diagnostic, ...]
    refused: bool
    typography: Typography = NOTHING_MEASURED  # measured after layout (see typography.py)


@dataclass
class Layouts:
    """A build's tally of body chunks (a piece each, but in the longest books): laid out
    by this build, or reused from the chunk cache, where the same piece in the same style,
    trim, language and profile was laid out for another book or by an earlier build."""

    laid_out: int = 0
    reused: int = 0
    pdfs: int = 0  # the PDFs laid out in chunks

    def add(self, other: Layouts) -> None:
        self.laid_out += other.laid_out
        self.reused += other.reused
        self.pdfs += other.pdfs

    def __str__(self) -> str:
        total = self.laid_out + self.reused
        share = f" ({100 * self.reused / total:.0f} %)" if total else ""
        return (f"layouts: {self.laid_out:,} laid out, {self.reused:,} reused{share}, "
                f"in {self.pdfs:,} PDF{'s' if self.pdfs != 1 else ''}")
