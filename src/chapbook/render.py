"""Render: an `Anthology` and a `Style` in, documents out (strings). No files are written here.

Both editions include the same `partials/review.html.j2`, so a piece reads the same in
print and on screen; edition-specific markup lives only in `epub/` and `print/` templates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from .collect import Anthology
from .markup import primary_language
from .models import Manuscript
from .styles import Style

CREDIT_LABELS = {
    "film": "Directed by", "series": "Created by", "book": "By", "album": "By",
    "game": "Developed by", "play": "Written by", "podcast": "Hosted by", "other": "By",
}

_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
           "September", "Oktober", "November", "Dezember"),
}


def long_date(date: dt.date, language: str = "en") -> str:
    """A date as a reader of the language writes it: 23 March 2024, 2024년 3월 23일."""
    lang = primary_language(language)
    if lang == "ko":
        return f"{date.year}년 {date.month}월 {date.day}일"
    if lang in ("ja", "zh"):
        return f"{date.year}年{date.month}月{date.day}日"
    months = _MONTHS.get(lang, _MONTHS["en"])
    return f"{date.day} {months[date.month - 1]} {date.year}"


def piece_id(piece: Manuscript) -> str:
    return f"piece-{piece.slug}"


def bookmark(piece: Manuscript) -> str:
    """'Title — Author', as PDF bookmarks show a piece."""
    return f"{piece.title} — {piece.byline}" if piece.authors else piece.title


def running_head(piece: Manuscript) -> str:
    """Recto running head: a short title (front matter `short_title`, else the work) and author."""
    short = piece.extra.get("short_title") or (piece.work.title if piece.work else piece.title)
    return f"{short} — {piece.byline}" if piece.authors else str(short)


def epub_file_name(piece: Manuscript) -> str:
    return f"{piece.slug}.xhtml"


@dataclass(frozen=True)
class EpubDocument:
    file_name: str
    title: str
    xhtml: str
    language: str
    kind: str  # titlepage, foreword, piece, contributors


@dataclass(frozen=True)
class EpubRendition:
    documents: tuple[EpubDocument, ...]
    stylesheet: str


@dataclass(frozen=True)
class PrintRendition:
    html: str
    stylesheets: tuple[Path, ...]  # the style's print CSS files, in cascade order
    page_css: str  # page geometry generated from the configuration


EPUB_CSS_HREF = "css/book.css"


def _context(anthology: Anthology) -> dict[str, Any]:
    return {
        "book": anthology,
        "pieces_by_slug": {p.slug: p for p in anthology.all_pieces},
        "piece_id": piece_id,
        "bookmark": bookmark,
        "running_head": running_head,
        "credit_labels": CREDIT_LABELS,
    }


def _environment(style: Style) -> jinja2.Environment:
    env = style.environment
    env.filters.setdefault("longdate", long_date)
    return env


def render_epub(anthology: Anthology, style: Style) -> EpubRendition:
    env = _environment(style)
    base = {**_context(anthology), "css_href": EPUB_CSS_HREF}
    docs = [_epub_doc(env, "epub/titlepage.xhtml.j2", "titlepage.xhtml", anthology.title,
                      anthology.language, "titlepage", base)]
    for piece in anthology.all_pieces:
        is_foreword = piece is anthology.foreword
        extra = {"piece": piece, "epub_type": "foreword" if is_foreword else "chapter",
                 "role": "doc-foreword" if is_foreword else "doc-chapter"}
        docs.append(_epub_doc(env, "epub/piece.xhtml.j2", epub_file_name(piece), piece.title,
                              piece.language, "foreword" if is_foreword else "piece",
                              {**base, **extra}))
    if anthology.contributors:
        docs.append(_epub_doc(env, "epub/contributors.xhtml.j2", "contributors.xhtml",
                              "Contributors", anthology.language, "contributors", base))
    stylesheet = style.find("css/epub.css").read_text(encoding="utf-8")
    return EpubRendition(tuple(docs), stylesheet)


def _epub_doc(env: jinja2.Environment, template: str, file_name: str, title: str,
              language: str, kind: str, context: dict[str, Any]) -> EpubDocument:
    xhtml = env.get_template(template).render(**context, title=title, language=language)
    return EpubDocument(file_name, title, xhtml, language, kind)


def render_print(anthology: Anthology, style: Style, page_css: str) -> PrintRendition:
    env = _environment(style)
    html = env.get_template("print/book.html.j2").render(**_context(anthology),
                                                        typefaces=_typefaces(style))
    return PrintRendition(html, (style.find("css/print.css"),), page_css)


def _typefaces(style: Style) -> str:
    """Names of the style's font families, for the colophon, read from the font files."""
    names = sorted({_family(font) for font in style.files("fonts")
                    if font.suffix.lower() in (".ttf", ".otf")} - {""})
    return " and ".join(names) if len(names) <= 2 else ", ".join(names[:-1]) + " and " + names[-1]


def _family(font: Path) -> str:
    """The family name recorded in a font file (name ID 1)."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]  # WeasyPrint brings it

    with TTFont(font, lazy=True) as face:
        return str(face["name"].getDebugName(1) or "")
