"""A generated cover laid out by WeasyPrint as one page, rasterised by pdfium at a fixed
size and encoded. It runs in a worker, which loads this module and `weasy.py` but not the
book's model or templates (those stay in `epub/cover.py`, in the build process)."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2
from PIL import Image
from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration

from chapbook.core.diagnostics import silenced
from chapbook.pdf.weasy import ProjectFetcher

COVER_SIZE = (1600, 2400)  # pixels: the 1:1.5 most retailers ask for
JPEG_QUALITY = 90
FLAT_COLOURS = 4096  # at most this many colours: a flat design, kept as a palette PNG
PNG_LEVEL = 6  # zlib: level 9 takes five times as long for a file 9 % smaller


def generate(html: str, sheet: Path, layers: tuple[Path, ...]) -> tuple[bytes, str]:
    """The cover laid out and rasterised: (image bytes, media type). Runs in a worker."""
    return _rasterise(_first_page_pdf(layout(html, sheet, layers)))


def layout(html: str, sheet: Path, layers: tuple[Path, ...]) -> Document:
    """The cover laid out by WeasyPrint, as `generate` lays it out (its boxes show what
    fits the page)."""
    fetcher = ProjectFetcher(layers)
    fonts = FontConfiguration()
    with silenced("weasyprint"):  # glyph and CSS notes are the print edition's to report
        css = CSS(filename=str(sheet), url_fetcher=fetcher, font_config=fonts)
        return HTML(string=html, base_url=layers[0].as_uri() + "/",
                    url_fetcher=fetcher).render(stylesheets=[css], font_config=fonts)


def _first_page_pdf(document: Document) -> bytes:
    with silenced("weasyprint"):
        return bytes(document.copy(document.pages[:1]).write_pdf())


def _rasterise(pdf: bytes) -> tuple[bytes, str]:
    """The first page at COVER_SIZE, encoded as (bytes, media type)."""

    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        bitmap = page.render(scale=COVER_SIZE[0] / page.get_width())
        image = bitmap.to_pil().convert("RGB")
    finally:
        document.close()
    if image.size != COVER_SIZE:  # rounding in the page size: never more than a pixel
        image = image.resize(COVER_SIZE, Image.Resampling.LANCZOS)
    return _encode(image)


def _encode(image: Image.Image) -> tuple[bytes, str]:
    """Flat designs (few colours) as a small, sharp palette PNG; anything else as JPEG."""

    out = io.BytesIO()
    if image.getcolors(maxcolors=FLAT_COLOURS) is not None:
        # MAXCOVERAGE: every pixel within 2 levels of the rendering (median cut: 4), in a
        # third of median cut's time
        flat = image.quantize(colors=128, method=Image.Quantize.MAXCOVERAGE,
                              dither=Image.Dither.NONE)
        flat.save(out, format="PNG", compress_level=PNG_LEVEL)
        return out.getvalue(), "image/png"
    image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, subsampling="4:4:4")
    return out.getvalue(), "image/jpeg"
