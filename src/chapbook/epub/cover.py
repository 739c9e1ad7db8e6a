"""The EPUB cover: the configured image, or one generated from the title page's facts.

A generated cover is the style's `templates/cover/cover.html.j2` (with its CSS), laid out
and rasterised in a worker (`pdf/worker.py`): this module never loads WeasyPrint. The
same inputs give the same pixels and the same image bytes, so books stay reproducible.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from chapbook.core.anthology import Anthology
from chapbook.core.diagnostics import Diagnostic, info, warning
from chapbook.core.files import replace_file
from chapbook.core.hashing import digest
from chapbook.core.images import CoverImage
from chapbook.pdf.fontconfig import machine_fonts
from chapbook.pdf.worker import generate_cover
from chapbook.read.cjk import is_spaceless, is_wide
from chapbook.render.context import MarkupLabels, book_labels
from chapbook.render.styles import Style

if TYPE_CHECKING:
    from concurrent.futures import Future

    from chapbook.core.workers import Workers

PALETTES = 6  # the style's CSS defines .palette-0 ... .palette-5


class TitleSize(NamedTuple):
    """A size class of the cover's title (cover.css sets its type). A column is about half
    an em: a wide (CJK) character takes two."""

    name: str
    most: int  # columns of the longest title it is for
    word: int  # columns of the longest word it is for: a word is kept on one line
    ems: int  # wide characters a line holds: the text column (320 px) over the type size


TITLE_SIZES = (TitleSize("huge", 16, 10, 5), TitleSize("large", 32, 13, 7),
               TitleSize("medium", 70, 18, 10), TitleSize("small", sys.maxsize, sys.maxsize, 14))
SUBTITLE_EMS = 18  # the subtitle's wide characters a line (17 px type)
CLIP_LEEWAY = 5  # a text at most this many columns too long is kept whole (as Jinja's truncate)


def start_cover(anthology: Anthology, style: Style, cache: Path | None = None,
                workers: Workers | None = None) -> PendingCover:
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
    notes = shortened(anthology)
    try:
        html = render_cover_html(anthology, style)
        sheet = style.find("css/cover.css")
        kept = _Kept(cache, digest(html, sheet.read_bytes(), style.font_css, repr(machine_fonts()),
                                   *(font.read_bytes() for font in style.files("fonts"))))
        if kept.exists():
            return PendingCover(anthology.slug, alt, _generated(kept.read(), alt, notes))
        job = (html, sheet, style.layers)
        if workers is None:
            made = kept.keep(generate_cover(*job))
            return PendingCover(anthology.slug, alt, _generated(made, alt, notes))
        return PendingCover(anthology.slug, alt, job=(workers.submit(generate_cover, *job), kept),
                            notes=notes)
    except Exception as exc:  # a failing renderer costs the cover, never the book
        return PendingCover(anthology.slug, alt, _failed(anthology.slug, exc))


class PendingCover:
    """A cover: known, or being generated in a worker (and kept once it is)."""

    def __init__(self, slug: str, alt: str,
                 known: tuple[CoverImage | None, list[Diagnostic]] | None = None,
                 job: tuple[Future[tuple[bytes, str]], _Kept] | None = None,
                 notes: list[Diagnostic] | None = None) -> None:
        self.slug, self.alt, self.known, self.job = slug, alt, known, job
        self.notes = notes or []

    def result(self) -> tuple[CoverImage | None, list[Diagnostic]]:
        if self.known is None and self.job is not None:
            future, kept = self.job
            try:
                self.known = _generated(kept.keep(future.result()), self.alt, self.notes)
            except Exception as exc:  # a failing renderer costs the cover, never the book
                self.known = _failed(self.slug, exc)
        return self.known or (None, [])


def _generated(image: tuple[bytes, str], alt: str,
               notes: list[Diagnostic]) -> tuple[CoverImage, list[Diagnostic]]:
    data, media_type = image
    extension = "png" if media_type == "image/png" else "jpg"
    return CoverImage(f"images/cover.{extension}", media_type, data, alt), notes


# What the generated cover shows of each text, in columns (cover.html.j2 clips them so).
COVER_ROOM = {"title": 110, "subtitle": 110, "editors": 90, "press": 60}


def shortened(anthology: Anthology) -> list[Diagnostic]:
    """A note for each text the generated cover cuts to fit: nothing is cut silently (the
    title page, the metadata and the cover's alt text keep it whole)."""
    texts = {"title": anthology.title, "subtitle": anthology.config.subtitle or "",
             "editors": book_labels(anthology).names(list(anthology.editors), "standard-short"),
             "press": anthology.press.name}
    return [info("cover-text-shortened", f"the generated cover of '{anthology.slug}' shows "
                 f"its {what} as '{clip(text, COVER_ROOM[what])}'", None,
                 "shorten it, or set 'cover' to an image of your own")
            for what, text in texts.items() if clip(text, COVER_ROOM[what]) != text]


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


def title_size(title: str) -> TitleSize:
    """A size class for the title, so that long titles, and titles with long words, still
    fit the cover."""
    length = columns(title)
    longest = max((columns(word) for word in title.split(" ") if not breaks_inside(word)),
                  default=0)
    return next(size for size in TITLE_SIZES if length <= size.most and longest <= size.word)


def balanced_measure(text: str, ems: int) -> str:
    """A measure ('6em') that gives Chinese or Japanese text of several lines lines of
    about one length, as WeasyPrint cannot (a last line of one character looks dropped);
    '' for other text, or text that fits on one line of `ems` characters. The lines hold
    a character more than the text: one kept off a line's start (kinsoku) then never
    makes a line more."""
    length = math.ceil(columns(text) / 2)
    if length <= ems or not all(breaks_inside(word) for word in text.split(" ")):
        return ""
    lines = math.ceil((length + 1) / ems)
    return f"{math.ceil((length + 1) / lines)}em"


def columns(text: str) -> int:
    """The room `text` takes, in columns: a wide (CJK) character takes two, as it is twice
    as wide as a Latin letter."""
    return sum(2 if is_wide(c) else 1 for c in text)


def breaks_inside(word: str) -> bool:
    """Chinese or Japanese: written without spaces, so a line breaks between characters
    (WeasyPrint's line breaking keeps closing brackets and small kana off a line's start).
    Latin, Arabic or Korean words (Korean with spaces between them) are kept whole."""
    wide = [c for c in word if is_wide(c)]
    return bool(wide) and all(is_spaceless(c) for c in wide)


def clip(text: str, room: int) -> str:
    """`text` cut to `room` columns, as Jinja's `truncate` cuts Latin text (the same text
    for it), with wide characters counted twice: a Japanese title takes as many lines as
    an English one. Chinese and Japanese are cut between characters, other text at a space."""
    if columns(text) <= room + CLIP_LEEWAY:
        return text
    widths = itertools.accumulate(columns(c) for c in text)
    kept = text[:sum(1 for width in widths if width <= room - 3)]
    if breaks_inside(kept.rsplit(" ", 1)[-1]):
        return kept + "…"
    return kept.rsplit(" ", 1)[0] + "..."


def render_cover_html(anthology: Anthology, style: Style) -> str:
    template = style.environment.get_template("cover/cover.html.j2")
    title = clip(anthology.title, COVER_ROOM["title"])
    subtitle = clip(anthology.config.subtitle or "", COVER_ROOM["subtitle"])
    size = title_size(anthology.title)
    return template.render(book=anthology, palette=palette(anthology), title_size=size.name,
                           l=MarkupLabels(book_labels(anthology)), clip=clip, room=COVER_ROOM,
                           breaks_inside=breaks_inside,
                           title_measure=balanced_measure(title, size.ems),
                           subtitle_measure=balanced_measure(subtitle, SUBTITLE_EMS))


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
