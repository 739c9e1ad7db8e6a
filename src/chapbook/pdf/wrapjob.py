"""What the build hands the cover wrap's writer (`coverwrap.py`) and gets back, without
loading WeasyPrint; and the page count its spine is measured by."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pikepdf

from chapbook.core.diagnostics import Diagnostic
from chapbook.render.cover_wrap import WrapGeometry


@dataclass(frozen=True)
class WrapJob:
    slug: str
    geometry: WrapGeometry
    wrap_html: str
    front_html: str | None  # the generated cover's HTML; None: the front is an image
    font_css: str
    wrap_sheets: tuple[Path, ...]  # css/cover-wrap.css of every style in the chain
    front_sheet: Path  # css/cover.css
    roots: tuple[Path, ...]  # the project and the style's folders: nothing else is read
    base: Path
    spine_sizes: tuple[float, ...]


@dataclass(frozen=True)
class WrapResult:
    written: bool
    spine: str  # what the spine shows: full, title or none
    spine_pt: float
    diagnostics: tuple[Diagnostic, ...]



def page_count(pdf: Path) -> int:
    """The pages of a written PDF (the print edition: its spine holds them all)."""
    with pikepdf.open(pdf) as document:
        return len(document.pages)
