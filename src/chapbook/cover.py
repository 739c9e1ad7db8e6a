"""The EPUB cover: the configured image, or one generated from the title page's facts.

A generated cover is the style's `templates/cover/cover.html.j2` (with its CSS), laid out
by WeasyPrint as one page and rasterised by pdfium at a fixed size. Both libraries load
only here, and only when a cover is generated: importing this module stays cheap. The
same inputs give the same pixels and the same JPEG bytes, so books stay reproducible.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .anthology import Anthology
from .diagnostics import Diagnostic, silenced, warning
from .hashing import digest
from .output import replace_file
from .styles import Style

if TYPE_CHECKING:
    from PIL import Image

COVER_SIZE = (1600, 2400)  # pixels: the 1:1.5 most retailers ask for
JPEG_QUALITY = 90
FLAT_COLOURS = 4096  # at most this many colours: a flat design, kept as a palette PNG
PALETTES = 6  # the style's CSS defines .palette-0 ... .palette-5


@dataclass(frozen=True)
class CoverImage:
    name: str  # file name in the EPUB, e.g. images/cover.jpg
    media_type: str
    data: bytes
    alt: str  # what the cover says, for readers who cannot see it


def book_cover(anthology: Anthology, style: Style,
               cache: Path | None = None) -> tuple[CoverImage | None, list[Diagnostic]]:
    """The configured cover if there is one, else a generated one (or none, with a warning).

    A generated cover is kept in `cache` by a hash of its HTML and the style's cover CSS
    and fonts, so that later EPUB builds neither render it again nor load WeasyPrint.
    """
    alt = cover_alt(anthology)
    configured = anthology.cover_image
    if configured is not None:
        extension = configured.name.rsplit(".", 1)[-1]
        return CoverImage(f"images/cover.{extension}", configured.media_type,
                          configured.path.read_bytes(), alt), []
    try:
        data, media_type = _cached_or_generated(anthology, style, cache)
    except Exception as exc:  # a failing renderer costs the cover, never the book
        return None, [warning("cover-failed", f"the cover of '{anthology.slug}' could not be "
                              f"generated ({type(exc).__name__}: {exc}); the EPUB has none",
                              None, "set 'cover' to an image in the project")]
    extension = "png" if media_type == "image/png" else "jpg"
    return CoverImage(f"images/cover.{extension}", media_type, data, alt), []


def cover_alt(anthology: Anthology) -> str:
    """'Cover: Comfort Watches: Reviews of... Edited by A and B. Lantern Street Press.'"""
    title = anthology.title + (f": {anthology.config.subtitle}"
                               if anthology.config.subtitle else "")
    editors = (f" Edited by {' and '.join(anthology.editors)}." if anthology.editors else "")
    return f"Cover: {title}.{editors} {anthology.press.name}."


def palette(anthology: Anthology) -> int:
    """A colour scheme chosen by the book's slug: books of one press differ, builds do not."""
    digest = hashlib.sha256(f"chapbook:{anthology.slug}".encode()).hexdigest()
    return int(digest, 16) % PALETTES


def title_size(title: str) -> str:
    """A size class for the title, so that long titles still fit the cover. Wide (CJK)
    characters count twice: they take twice the room of a Latin letter."""
    length = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in title)
    return ("huge" if length <= 16 else "large" if length <= 32 else "medium" if length <= 70
            else "small")


def render_cover_html(anthology: Anthology, style: Style) -> str:
    template = style.environment.get_template("cover/cover.html.j2")
    return template.render(book=anthology, palette=palette(anthology),
                           title_size=title_size(anthology.title))


def _cached_or_generated(anthology: Anthology, style: Style,
                         cache: Path | None) -> tuple[bytes, str]:
    html = render_cover_html(anthology, style)
    if cache is None:
        return _rasterise(_layout(html, style))
    key = digest(html, style.find("css/cover.css").read_bytes(), style.font_css,
                 *(font.read_bytes() for font in style.files("fonts")))
    for media_type, extension in (("image/png", "png"), ("image/jpeg", "jpg")):
        kept = cache / f"{key}.{extension}"
        if kept.is_file():
            return kept.read_bytes(), media_type
    data, media_type = _rasterise(_layout(html, style))
    with contextlib.suppress(OSError):  # a cache that cannot be written costs only time
        cache.mkdir(parents=True, exist_ok=True)
        extension = "png" if media_type == "image/png" else "jpg"
        replace_file(cache / f"{key}.{extension}", data)
    return data, media_type


def _layout(html: str, style: Style) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from .pdf import ProjectFetcher  # serves the style's fonts, refuses anything else

    fetcher = ProjectFetcher(style.layers)
    fonts = FontConfiguration()
    with silenced("weasyprint"):  # glyph and CSS notes are the print edition's to report
        css = CSS(filename=str(style.find("css/cover.css")), url_fetcher=fetcher,
                  font_config=fonts)
        document = HTML(string=html, base_url=style.layers[0].as_uri() + "/",
                        url_fetcher=fetcher).render(stylesheets=[css], font_config=fonts)
        return bytes(document.copy(document.pages[:1]).write_pdf())


def _rasterise(pdf: bytes) -> tuple[bytes, str]:
    """The first page at COVER_SIZE, encoded as (bytes, media type)."""
    import pypdfium2
    from PIL import Image

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
    from PIL import Image

    out = io.BytesIO()
    if image.getcolors(maxcolors=FLAT_COLOURS) is not None:
        # MAXCOVERAGE: every pixel within 2 levels of the rendering (median cut: 4), in a
        # third of median cut's time
        flat = image.quantize(colors=128, method=Image.Quantize.MAXCOVERAGE,
                              dither=Image.Dither.NONE)
        flat.save(out, format="PNG", optimize=True)
        return out.getvalue(), "image/png"
    image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, subsampling="4:4:4")
    return out.getvalue(), "image/jpeg"
