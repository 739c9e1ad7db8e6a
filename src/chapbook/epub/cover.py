"""The EPUB cover: the configured image, or one generated from the title page's facts.

A generated cover is the style's `templates/cover/cover.html.j2` (with its CSS), laid out
and rasterised in a worker (`pdf/worker.py`): this module never loads WeasyPrint. The
same inputs give the same pixels and the same image bytes, so books stay reproducible.
"""

from __future__ import annotations

import contextlib
import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from chapbook.core.anthology import Anthology
from chapbook.core.diagnostics import Diagnostic, warning
from chapbook.core.files import replace_file
from chapbook.core.hashing import digest
from chapbook.core.images import CoverImage
from chapbook.pdf.fontconfig import machine_fonts
from chapbook.pdf.worker import generate_cover
from chapbook.render.context import MarkupLabels, book_labels
from chapbook.render.styles import Style

if TYPE_CHECKING:
    from concurrent.futures import Future

    from chapbook.core.workers import LazyPool

PALETTES = 6  # the style's CSS defines .palette-0 ... .palette-5


def start_cover(anthology: Anthology, style: Style, cache: Path | None = None,
                workers: LazyPool | None = None) -> PendingCover:
    """The configured cover if there is one, else a generated one (or none, with a
    warning). A cover to generate is made in one of `workers` (if given) while the caller
    goes on: `result()` waits for it.

    A generated cover is kept in `cache` by a hash of its HTML and the style's cover CSS
    and fonts, so that later EPUB builds neither render it again nor load WeasyPrint.
    """
    alt = cover_alt(anthology)
    configured = anthology.cover_image
    if configured is not None:
        extension = configured.name.rsplit(".", 1)[-1]
        return PendingCover(anthology.slug, alt, (CoverImage(
            f"images/cover.{extension}", configured.media_type, configured.path.read_bytes(),
            alt), []))
    try:
        html = render_cover_html(anthology, style)
        sheet = style.find("css/cover.css")
        kept = _Kept(cache, digest(html, sheet.read_bytes(), style.font_css, repr(machine_fonts()),
                                   *(font.read_bytes() for font in style.files("fonts"))))
        if kept.exists():
            return PendingCover(anthology.slug, alt, _generated(kept.read(), alt))
        job = (html, sheet, style.layers)
        if workers is None:
            made = kept.keep(generate_cover(*job))
            return PendingCover(anthology.slug, alt, _generated(made, alt))
        return PendingCover(anthology.slug, alt, job=(workers.submit(generate_cover, *job), kept))
    except Exception as exc:  # a failing renderer costs the cover, never the book
        return PendingCover(anthology.slug, alt, _failed(anthology.slug, exc))


class PendingCover:
    """A cover: known, or being generated in a worker (and kept once it is)."""

    def __init__(self, slug: str, alt: str,
                 known: tuple[CoverImage | None, list[Diagnostic]] | None = None,
                 job: tuple[Future[tuple[bytes, str]], _Kept] | None = None) -> None:
        self.slug, self.alt, self.known, self.job = slug, alt, known, job

    def result(self) -> tuple[CoverImage | None, list[Diagnostic]]:
        if self.known is None and self.job is not None:
            future, kept = self.job
            try:
                self.known = _generated(kept.keep(future.result()), self.alt)
            except Exception as exc:  # a failing renderer costs the cover, never the book
                self.known = _failed(self.slug, exc)
        return self.known or (None, [])


def _generated(image: tuple[bytes, str], alt: str) -> tuple[CoverImage, list[Diagnostic]]:
    data, media_type = image
    extension = "png" if media_type == "image/png" else "jpg"
    return CoverImage(f"images/cover.{extension}", media_type, data, alt), []


def _failed(slug: str, exc: Exception) -> tuple[None, list[Diagnostic]]:
    return None, [warning("cover-failed", f"the cover of '{slug}' could not be generated "
                          f"({type(exc).__name__}: {exc}); the EPUB has none", None,
                          "set 'cover' to an image in the project")]


def cover_alt(anthology: Anthology) -> str:
    """'Cover: Comfort Watches: Reviews of... Edited by A and B. Lantern Street Press.',
    in the book's language."""
    labels = book_labels(anthology)
    subtitle = anthology.config.subtitle
    title = (labels.text("title_with_subtitle", title=anthology.title, subtitle=subtitle)
             if subtitle else anthology.title)
    if anthology.editors:
        return labels.text("cover_alt_edited", title=title, press=anthology.press.name,
                           names=labels.names(anthology.editors))
    return labels.text("cover_alt", title=title, press=anthology.press.name)


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
                           title_size=title_size(anthology.title),
                           l=MarkupLabels(book_labels(anthology)))


@dataclass(frozen=True)
class _Kept:
    """Where a generated cover is kept between builds (nowhere without a cache folder)."""

    cache: Path | None
    key: str

    def _file(self, extension: str) -> Path | None:
        return self.cache / f"{self.key}.{extension}" if self.cache else None

    def exists(self) -> bool:
        return any(f is not None and f.is_file() for f in (self._file("png"), self._file("jpg")))

    def read(self) -> tuple[bytes, str]:
        for media_type, extension in (("image/png", "png"), ("image/jpeg", "jpg")):
            kept = self._file(extension)
            if kept is not None and kept.is_file():
                return kept.read_bytes(), media_type
        raise FileNotFoundError(self.key)

    def keep(self, image: tuple[bytes, str]) -> tuple[bytes, str]:
        data, media_type = image
        kept = self._file("png" if media_type == "image/png" else "jpg")
        if kept is not None:
            with contextlib.suppress(OSError):  # a cache that cannot be written costs time
                kept.parent.mkdir(parents=True, exist_ok=True)
                replace_file(kept, data)
        return image
