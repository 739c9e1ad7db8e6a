"""The web edition of one book: build/<slug>/, a static site.

Its pages, style sheet, fonts (WOFF2, subset), cover, thumbnail and images are written to a
temporary folder beside the target, which then takes the target's place: a reader of
build/ sees the previous complete site or the new one. `book.json` in the folder is the
book's catalogue entry, which the press site and the OPDS feeds are made from.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from PIL import Image

from chapbook.core.anthology import Anthology
from chapbook.core.diagnostics import Diagnostic, Severity, error
from chapbook.core.files import build_timestamp
from chapbook.core.images import CoverImage
from chapbook.core.paths import BuildPaths
from chapbook.core.workers import Workers
from chapbook.epub.cover import start_cover
from chapbook.render.context import book_labels
from chapbook.render.styles import Style
from chapbook.web.fonts import web_fonts, without_font_faces
from chapbook.web.pages import SITE_CSS, Download, SiteOptions, render_site

ENTRY = "book.json"  # the catalogue entry in each site folder
THUMBNAIL = "images/thumbnail.png"
THUMBNAIL_WIDTH = 240
RESERVED_SLUGS = frozenset({"opds"})  # build/opds/ holds the feeds
KEPT_FOLDERS = ("offprints",)  # build/<slug>/offprints/ shares the site's folder
MEDIA_TYPES = {"epub": "application/epub+zip", "pdf": "application/pdf"}


def downloads(book: Anthology, paths: BuildPaths) -> tuple[Download, ...]:
    """The book's EPUB and PDFs that are in build/ (this build's or an earlier one's)."""
    wanted: list[tuple[str, str, str | None]] = []
    if "epub" in book.config.formats:
        wanted.append(("download_epub", "epub", None))
    if "pdf" in book.config.formats:
        wanted += [(f"download_{profile}_pdf", "pdf", profile)
                   for profile in book.config.print.profiles]
    found = []
    for label, fmt, profile in wanted:
        path = paths.book(book.slug, fmt, profile)
        if path.is_file():
            found.append(Download(label, f"../{path.name}", MEDIA_TYPES[fmt],
                                  path.stat().st_size))
    return tuple(found)


def write_web_edition(book: Anthology, style: Style, target: Path, paths: BuildPaths,
                      workers: Workers | None,
                      base_url: str | None = None) -> tuple[bool, list[Diagnostic]]:
    """Write build/<slug>/; returns whether it was written, and the diagnostics.
    `base_url` is the press's address (ending in /): the book's is under it."""
    if book.slug in RESERVED_SLUGS:
        return False, [error("web-slug-reserved", f"the web edition of '{book.slug}' would "
                             f"be build/{book.slug}/, where the catalogue feeds go", None,
                             "give the anthology another slug")]
    cover, problems = start_cover(book, style, paths.cover_cache, workers).result()
    problems = [d for d in problems if d.severity > Severity.INFO]  # the EPUB's notes say it
    files: dict[str, bytes] = {}
    beside = BuildPaths(target.parent)  # build/<slug>.epub next to build/<slug>/, or --out's
    options = SiteOptions(downloads(book, beside),
                          base_url=f"{base_url}{book.slug}/" if base_url else None)
    if cover is not None:
        options = _with_cover(options, cover, files)
    for piece in book.all_pieces:
        files.update({asset.name: asset.path.read_bytes() for asset in piece.images})
    pages = render_site(book, style, options)
    files.update({page.file_name: page.html.encode("utf-8") for page in pages})
    css = "\n".join([without_font_faces(style.stylesheet_text("css/epub.css")),
                     style.stylesheet_text("css/web.css")])
    fonts, found = web_fonts(style, [page.html for page in pages], css, paths.font_cache)
    files.update({font.file_name: font.data for font in fonts})
    sheet = "\n".join([*(font.css() for font in fonts), css])
    files[SITE_CSS] = sheet.encode("utf-8")
    files[ENTRY] = catalogue_entry(book, options, cover is not None)
    with _site_folder(target) as folder:
        for name, data in sorted(files.items()):
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    return True, problems + found


def _with_cover(options: SiteOptions, cover: CoverImage, files: dict[str, bytes]) -> SiteOptions:
    """The cover as a file of the site, and its thumbnail for the catalogues."""
    files[cover.name] = cover.data
    with Image.open(io.BytesIO(cover.data)) as image:
        width, height = image.size
        small = image.convert("RGB")
        small.thumbnail((THUMBNAIL_WIDTH, THUMBNAIL_WIDTH * 2))
        out = io.BytesIO()
        small.save(out, "PNG", optimize=True)
    files[THUMBNAIL] = out.getvalue()
    return SiteOptions(options.downloads, cover.name, cover.alt, options.base_url,
                       {"cover_width": width, "cover_height": height,
                        "cover_type": cover.media_type})


def catalogue_entry(book: Anthology, options: SiteOptions, has_cover: bool) -> bytes:
    """What the press site and the feeds say about the book, paths relative to build/."""
    labels = book_labels(book)
    authors = sorted({person.name for piece in book.all_pieces for person in piece.authors},
                     key=book.file_as)
    entry = {
        "slug": book.slug, "identifier": book.identifier, "title": book.title,
        "subtitle": book.config.subtitle, "editors": list(book.editors), "authors": authors,
        "language": book.language, "subjects": list(book.tags),
        "summary": book.config.description, "issued": book.date.isoformat(),
        "updated": build_timestamp(book.date).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "press": book.press.name, "home": f"{book.slug}/index.html",
        "cover": {"href": f"{book.slug}/{options.cover}", "type": options.extra["cover_type"],
                  "width": options.extra["cover_width"],
                  "height": options.extra["cover_height"]} if has_cover else None,
        "thumbnail": {"href": f"{book.slug}/{THUMBNAIL}", "type": "image/png"}
        if has_cover else None,
        "downloads": [{"label": labels.text(d.label), "key": d.label,
                       "href": d.href.removeprefix("../"), "type": d.media_type,
                       "length": d.length} for d in options.downloads],
    }
    return json.dumps(entry, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


@contextlib.contextmanager
def _site_folder(target: Path) -> Iterator[Path]:
    """A temporary folder that takes `target`'s place if the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".part",
                                      dir=target.parent))
    try:
        yield temporary
        os.chmod(temporary, 0o755)
        old = None
        if target.exists():
            for kept in KEPT_FOLDERS:  # written by other outputs of the book
                if (target / kept).is_dir():
                    os.replace(target / kept, temporary / kept)
            old = target.with_name(f".{target.name}.{os.getpid()}.old")
            os.replace(target, old)
        os.replace(temporary, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)

