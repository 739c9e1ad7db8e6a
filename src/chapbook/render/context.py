"""What both editions share: the Jinja environment and context, labels, dates, ids,
running heads and bookmarks, and the generated back-matter sections.

Both editions include the same `partials/review.html.j2`, so a piece reads the same in
print and on screen; edition-specific markup lives only in `epub/` and `print/` templates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import jinja2
from markupsafe import Markup, escape

from chapbook.core.anthology import Anthology
from chapbook.core.labels import LabelOverrides, Labels, ListStyle, labels_for
from chapbook.core.language import direction
from chapbook.core.manuscript import Manuscript, Rating
from chapbook.read.body import name_backlinks
from chapbook.read.xhtml import web_address
from chapbook.render.styles import Style


def book_labels(anthology: Anthology) -> Labels:
    """The labels of the book's own furniture: contents, back matter, running heads."""
    return language_labels(anthology, anthology.language)


def language_labels(anthology: Anthology, language: str) -> Labels:
    """The labels a piece in `language` keeps in its byline and credits, in this book."""
    return labels_for(language, LabelOverrides.from_table(anthology.config.labels))


def long_date(date: dt.date, language: str = "en") -> str:
    """A date as a reader of the language writes it: 23 March 2024, 2024년 3월 23일."""
    return labels_for(language).date(date)


def isolated(value: object) -> Markup:
    """A value set in <bdi>: a name, title or date in one direction cannot reorder the
    words around it in the other (an Arabic name before "Directed by")."""
    return value if isinstance(value, Markup) else Markup("<bdi>{}</bdi>").format(value)


class MarkupLabels:
    """Labels for templates: the text escaped, every inserted value isolated in <bdi>
    (already-built markup is inserted as it is)."""

    def __init__(self, labels: Labels) -> None:
        self.labels = labels
        self.language = labels.language
        self.direction = direction(labels.language)

    def __call__(self, key: str, **values: object) -> Markup:
        return self._fill(self.labels.pattern(key), values)

    def counted(self, key: str, count: int, **values: object) -> Markup:
        return self._fill(self.labels.pattern(key, count), values)

    def lines(self, key: str, **values: object) -> list[Markup]:
        """A label written on several lines ("Edited by\nA and B"), one Markup a line."""
        return [self._fill(line, values) for line in self.labels.pattern(key).split("\n")]

    def pattern_lines(self, key: str) -> list[str]:
        """A label's lines, placeholders unfilled (the cover styles each line on its own)."""
        return self.labels.pattern(key).split("\n")

    def text(self, key: str, **values: object) -> str:
        """Plain text, for attributes, titles and bookmarks."""
        return self.labels.pattern(key) % {name: str(v) for name, v in values.items()}

    def _fill(self, pattern: str, values: dict[str, object]) -> Markup:
        return Markup(escape(pattern)) % {name: isolated(v) for name, v in values.items()}

    def names(self, names: Sequence[str], style: ListStyle = "standard") -> Markup:
        """'A, B and C' with each name isolated: the list's words stay in this language."""
        tokens = [f"\x00{n}\x00" for n in range(len(names))]
        joined = escape(self.labels.names(tokens, style))
        for token, name in zip(tokens, names, strict=True):
            joined = Markup(joined.replace(token, isolated(name)))
        return Markup(joined)

    def names_text(self, names: Sequence[str], style: ListStyle = "standard") -> str:
        return self.labels.names(names, style)

    def date(self, date: dt.date) -> str:
        return self.labels.date(date)

    def year(self, year: int) -> str:
        return self.labels.digits(str(year))

    def part(self, number: int | str) -> str:
        return self.labels.part(int(number))

    def kind(self, kind: str) -> str:
        """'film', 'film' (fr), '영화': the kind of a work, as its facts show it."""
        return self.labels.text(f"kind_{kind}") if kind != "other" else ""

    def credit(self, kind: str, names: Sequence[str]) -> Markup:
        return self(f"credit_{kind}", names=self.names(names, "standard-narrow"))

    def rating(self, rating: Rating) -> Markup:
        return self("rating", rating=rating.text_in(self.labels))

    def details(self, *groups: Sequence[object]) -> Markup:
        """' (film, 2021; Netflix)': the groups of facts after a work's title, each value
        isolated, in this language's brackets and separators; empty without facts."""
        joined = [escape(self.labels.text("details_separator")).join(map(isolated, group))
                  for group in groups if group]
        if not joined:
            return Markup("")
        return self("details", details=escape(self.separator()).join(joined))

    def separator(self) -> str:
        return self.labels.text("group_separator")

    def page_affixes(self, key: str) -> tuple[str, str]:
        """The text before and after a page number ('(p. ', ')'), for a style sheet that
        writes the number itself (`target-counter`)."""
        before, _, after = self.labels.pattern(key).partition("%(page)s")
        return before.replace("%%", "%"), after.replace("%%", "%")


def piece_id(piece: Manuscript) -> str:
    return f"piece-{piece.slug}"


def byline(piece: Manuscript) -> str:
    """The authors as the piece's language lists them: 'A and B', 'A et B', 'A、B和C'.
    (Chunked PDFs ask for bookmarks and running heads without the book: no overrides.)"""
    return labels_for(piece.language).names([c.name for c in piece.authors])


def bookmark(piece: Manuscript) -> str:
    """'Title — Author', as PDF bookmarks show a piece."""
    return f"{piece.title} — {byline(piece)}" if piece.authors else piece.title


def running_head(piece: Manuscript) -> str:
    """Recto running head: a short title (front matter `short_title`, else the work) and author."""
    short = piece.extra.get("short_title") or (piece.work.title if piece.work else piece.title)
    return f"{short} — {byline(piece)}" if piece.authors else str(short)


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
    """The back matter this book has, in order, titled in its language; empty sections are
    left out."""
    label = book_labels(anthology).text
    candidates = [
        (anthology.contributors, BackSection("contributors", label("contributors"),
                                             "partials/contributors.html.j2",
                                             "backmatter contributors", "doc-appendix")),
        (anthology.works, BackSection("works", label("works_index"),
                                      "partials/works.html.j2", "backmatter index", "doc-index")),
        (anthology.tag_index, BackSection("tags", label("subjects_index"),
                                          "partials/tags.html.j2", "backmatter index",
                                          "doc-index")),
        (anthology.acknowledgements, BackSection("acknowledgements", label("acknowledgements"),
                                                 "partials/acknowledgements.html.j2",
                                                 "backmatter acknowledgments",
                                                 "doc-acknowledgments")),
        (anthology.press_about_html, BackSection("about", label("about_press",
                                                                press=anthology.press.name),
                                                 "partials/about.html.j2", "backmatter",
                                                 "doc-appendix")),
    ]
    return [section for content, section in candidates if content]


def part_number(number: int) -> str:
    """A part's number as templates receive it: they label it (`l.part(number)`), in words
    or digits as the book's language writes them."""
    return str(number)


def contents_title(anthology: Anthology) -> str:
    """The contents' heading, which is also its PDF bookmark and the EPUB nav's title."""
    return book_labels(anthology).text("contents")


def typeface_names(typefaces: Sequence[str]) -> list[str]:
    """The colophon's family names (`book_typefaces`), for `l.names` to list them."""
    return list(typefaces)


def book_typefaces(anthology: Anthology, style: Style) -> tuple[str, ...]:
    """The families the colophon names: those that set the book's own words in its
    language, and its pieces' titles in theirs (a Japanese piece's face in an English
    book), as the style's faces and its languages' own faces draw them."""
    texts: dict[str, list[str]] = {anthology.language: [
        anthology.title, anthology.config.subtitle or "", contents_title(anthology)]}
    for piece in anthology.pieces:
        texts.setdefault(piece.language, []).append(f"{piece.title} {piece.standfirst or ''}")
    names = (name for language, text in texts.items()
             for name in style.typefaces_for(" ".join(text), language))
    return tuple(dict.fromkeys(names))


def author_count(anthology: Anthology) -> int:
    """How many people wrote the book's pieces (the copyright line's singular or plural)."""
    return len({person.name for piece in anthology.all_pieces for person in piece.authors})


def shared_context(anthology: Anthology, piece_href: Any) -> dict[str, Any]:
    labels = MarkupLabels(book_labels(anthology))

    def labels_of(piece: Manuscript) -> MarkupLabels:
        """A piece keeps its own language's labels in its byline and credits."""
        if piece.language == anthology.language:
            return labels
        return MarkupLabels(language_labels(anthology, piece.language))

    return {
        "book": anthology,
        "l": labels,
        "labels_of": labels_of,
        "isolated": isolated,
        "typeface_names": typeface_names,
        "author_count": author_count(anthology),
        "direction": direction,
        "piece_id": piece_id,
        "piece_href": piece_href,
        "bookmark": bookmark,
        "running_head": running_head,
        "back_sections": back_sections(anthology),
        "part_number": part_number,
        # A body is read without words (one reading serves every book): its footnotes' back
        # links are named here, in its language. The print edition moves the notes.
        "body_html": lambda piece: name_backlinks(piece.body_html, labels_of(piece).labels),
        "page_attr": lambda element_id: Markup(""),  # print: known page numbers
    }


def environment(style: Style) -> jinja2.Environment:
    env = style.environment
    env.filters.setdefault("longdate", long_date)
    env.filters.setdefault("direction", direction)
    env.filters.setdefault("web_address", lambda url: web_address(url) or "")
    return env
