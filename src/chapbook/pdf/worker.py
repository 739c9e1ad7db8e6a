"""The worker entry point: the tasks a build's worker processes run.

The build process names these tasks; only the worker that runs one loads its library
(WeasyPrint alone takes half a second), so each import below is made where it is used.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chapbook.core.anthology import Anthology
    from chapbook.pdf.jobs import ChunkJob, ChunkResult
    from chapbook.pdf.single_pass import PdfResult
    from chapbook.pdf.wrapjob import WrapJob, WrapResult
    from chapbook.render.print_html import PrintRendition


def warm_pdf() -> None:
    """Load WeasyPrint and set fontconfig up in a worker before its first chunk arrives
    (see `LazyPool.warm`), while the build process still reads the pool."""
    from chapbook.pdf.weasy import warm_up  # WeasyPrint: in the worker, not the build process

    warm_up()


def render_chunk(job: ChunkJob) -> ChunkResult:
    """One chunk of a book laid out and written (see `weasy.render_chunk`)."""
    from chapbook.pdf.weasy import render_chunk as render  # WeasyPrint, in the worker only

    return render(job)


def warm_cover() -> None:
    """Load what generating a cover needs (WeasyPrint, pdfium, Pillow) in a worker."""
    from chapbook.pdf.coverimage import generate  # noqa: F401 (WeasyPrint, pdfium, Pillow)
    from chapbook.pdf.weasy import warm_up  # fontconfig's set-up, as for a chunk

    warm_up()


def generate_cover(html: str, sheet: Path, layers: tuple[Path, ...]) -> tuple[bytes, str]:
    """A generated cover, laid out and rasterised: (image bytes, media type)."""
    from chapbook.pdf.coverimage import generate  # WeasyPrint, pdfium, Pillow: worker only

    return generate(html, sheet, layers)


def write_single_pass(anthology: Anthology, rendition: PrintRendition, target: Path,
                      allowed_roots: tuple[Path, ...], base: Path) -> PdfResult:
    """The whole book in one WeasyPrint pass, in the calling process (the reference)."""
    from chapbook.pdf.single_pass import write_pdf  # WeasyPrint: only when a PDF is made

    return write_pdf(anthology, rendition, target, allowed_roots, base)


def write_cover_wrap(job: WrapJob, target: Path) -> WrapResult:
    """The print cover wrap laid out, checked and written (see `coverwrap.py`)."""
    from chapbook.pdf.coverwrap import write_cover_wrap as write  # WeasyPrint, pikepdf

    return write(job, target)
