"""What both editions share: the Jinja environment and context, labels, dates, ids,
running heads and bookmarks, and the generated back-matter sections.

Both editions include the same `partials/review.html.j2`, so a piece reads the same in
print and on screen; edition-specific markup lives only in `epub/` and `print/` templates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import jinja2
from markupsafe import Markup

from chapbook.core.anthology import Anthology
from chapbook.core.language import direction, primary_language
from chapbook.core.manuscript import Manuscript
from chapbook.read.xhtml import web_address
from chapbook.render.styles import Style

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


def body_start_id(anthology: Anthology) -> str:
    """The id of the element where arabic folios start: the first part, or the first piece."""
    return anthology.parts[0].slug if anthology.parts else piece_id(anthology.pieces[0])


@dataclass(frozen=True)
class BackSection:
    """A generated back-matter section, the same in both editions."""

    id: str
    title: str
    template: str
    epub_type: str
    role: str | None


def back_sections(anthology: Anthology) -> list[BackSection]:
    """The back matter this book has, in order; empty sections are left out."""
    candidates = [
        (anthology.contributors, BackSection("contributors", "Contributors",
                                             "partials/contributors.html.j2",
                                             "backmatter contributors", "doc-appendix")),
        (anthology.works, BackSection("works", "Index of works reviewed",
                                      "partials/works.html.j2", "backmatter index", "doc-index")),
        (anthology.tag_index, BackSection("tags", "Index of subjects", "partials/tags.html.j2",
                                          "backmatter index", "doc-index")),
        (anthology.acknowledgements, BackSection("acknowledgements", "Acknowledgements",
                                                 "partials/acknowledgements.html.j2",
                                                 "backmatter acknowledgments",
                                                 "doc-acknowledgments")),
        (anthology.press_about_html, BackSection("about", f"About {anthology.press.name}",
                                                 "partials/about.html.j2", "backmatter",
                                                 "doc-appendix")),
    ]
    return [section for content, section in candidates if content]


_PART_NUMBERS = ("One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten",
                 "Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen",
                 "Eighteen", "Nineteen", "Twenty")


def part_number(number: int) -> str:
    return _PART_NUMBERS[number - 1] if number <= len(_PART_NUMBERS) else str(number)


def shared_context(anthology: Anthology, piece_href: Any) -> dict[str, Any]:
    return {
        "book": anthology,
        "piece_id": piece_id,
        "piece_href": piece_href,
        "bookmark": bookmark,
        "running_head": running_head,
        "credit_labels": CREDIT_LABELS,
        "back_sections": back_sections(anthology),
        "part_number": part_number,
        "body_html": lambda piece: piece.body_html,  # the print edition moves footnotes
        "page_attr": lambda element_id: Markup(""),  # print: known page numbers
    }


def environment(style: Style) -> jinja2.Environment:
    env = style.environment
    env.filters.setdefault("longdate", long_date)
    env.filters.setdefault("direction", direction)
    env.filters.setdefault("web_address", lambda url: web_address(url) or "")
    return env
