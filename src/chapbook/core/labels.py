"""Every word chapbook writes into a book by itself, and the catalogs that translate it.

Each label has a stable key (what `[labels]` in chapbook.toml overrides) and an English
gettext msgid, which is also its gettext context's text: `pybabel extract` reads the
`_label` calls below into `locale/chapbook.pot` (see README, "Translating chapbook").
A label is looked up in an override for the language, an override for every language,
the language's catalog (`locale/<locale>/LC_MESSAGES/chapbook.mo`), then English.
Names, dates and numbers are never labels: Babel formats them as CLDR says.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from typing import Literal

from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_decimal

from chapbook.core.locales import (
    MISSING,
    candidates,
    catalog_for,
    formatting_locale,
    native_digits,
    subtags,
    tag_name,
    translations,
)


@dataclass(frozen=True)
class Label:
    key: str
    msgid: str
    plural: str | None = None  # a label that depends on a count (gettext plural forms)


def _label(key: str, msgid: str) -> Label:
    return Label(key, msgid)


def _plural_label(key: str, singular: str, plural: str) -> Label:
    return Label(key, singular, plural)


# The registry. Keep keys and msgids stable: translations are keyed by both.
REGISTRY: tuple[Label, ...] = (
    # TRANSLATORS: heading of the table of contents; also the PDF bookmark and EPUB nav title.
    _label("contents", "Contents"),
    # TRANSLATORS: hidden heading of the EPUB's list of landmarks (read by screen readers).
    _label("landmarks", "Landmarks"),
    # TRANSLATORS: the names of front-matter pages, as reading systems and screen readers
    # announce them.
    _label("cover", "Cover"),
    _label("title_page", "Title page"),
    _label("half_title", "Half title"),
    _label("copyright", "Copyright"),
    _label("dedication", "Dedication"),
    _label("epigraph", "Epigraph"),
    # TRANSLATORS: EPUB landmark: where the reviews begin.
    _label("start_of_content", "Start of content"),
    # TRANSLATORS: EPUB landmark: the indexes and notes after the reviews.
    _label("back_matter", "Back matter"),
    # TRANSLATORS: the line at the top of the generated cover (the style may set it in
    # capitals).
    _label("cover_kicker", "An anthology of reviews"),
    # TRANSLATORS: the cover image's text description.
    _label("cover_alt", "Cover: %(title)s. %(press)s."),
    _label("cover_alt_edited", "Cover: %(title)s. Edited by %(names)s. %(press)s."),
    # TRANSLATORS: a book's title and subtitle on one line (copyright page, PDF title).
    _label("title_with_subtitle", "%(title)s: %(subtitle)s"),
    # TRANSLATORS: %(names)s is a list of editors ("A and B", already joined).
    _label("edited_by", "Edited by %(names)s"),
    # TRANSLATORS: the same on two lines, one above the other (title page, cover); keep
    # the line break. The names may come first.
    _label("edited_by_lines", "Edited by\n%(names)s"),
    # TRANSLATORS: copyright page; %(year)s is the year of publication.
    _label("published_by", "Published by %(press)s, %(year)s."),
    # TRANSLATORS: copyright page; the count is the number of contributors.
    _plural_label("copyright_authors", "Each piece is copyright its author.",
                  "Each piece is copyright its authors."),
    # TRANSLATORS: copyright page; %(typefaces)s names the fonts ("Charis SIL and ...").
    _label("set_in", "Set in %(typefaces)s. Made with chapbook."),
    # TRANSLATORS: above a part's title; %(number)s is the part's number: digits (1, 2...),
    # or a word from part_number_words if you translate that.
    _label("part", "Part %(number)s"),
    # TRANSLATORS: optional. Leave it untranslated to number parts with digits (제1부,
    # Partie 1). Translate it only if "Part" reads best with spelled-out numbers: twenty
    # words separated by |, in the form the part label needs.
    _label("part_number_words", "One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten|Eleven|"
           "Twelve|Thirteen|Fourteen|Fifteen|Sixteen|Seventeen|Eighteen|Nineteen|Twenty"),
    # TRANSLATORS: titles of the parts when a book groups its reviews by kind of work.
    _label("group_film", "Films"),
    _label("group_series", "Series"),
    _label("group_book", "Books"),
    _label("group_album", "Albums"),
    _label("group_game", "Games"),
    _label("group_play", "Plays"),
    _label("group_podcast", "Podcasts"),
    _label("group_other", "Other works"),
    # TRANSLATORS: the last part of a grouped book: reviews without the value grouped by
    # (no year, no tag, no platform...).
    _label("group_none", "Other"),
    # TRANSLATORS: headings of the back matter.
    _label("contributors", "Contributors"),
    _label("works_index", "Index of works reviewed"),
    _label("subjects_index", "Index of subjects"),
    _label("acknowledgements", "Acknowledgements"),
    # TRANSLATORS: heading of the page about the publisher; %(press)s is its name.
    _label("about_press", "About %(press)s"),
    # TRANSLATORS: the first line of the acknowledgements.
    _label("acknowledgements_intro", "These pieces first appeared elsewhere and appear here "
           "with the permission of their authors."),
    # TRANSLATORS: acknowledgements: a review's title and its authors.
    _label("acknowledgement_by", "%(title)s, by %(names)s"),
    # TRANSLATORS: acknowledgements: %(piece)s is a review's title (with its authors),
    # %(publication)s where it first appeared, %(date)s when.
    _label("first_published", "%(piece)s: first published."),
    _label("first_published_in", "%(piece)s: first published in %(publication)s."),
    _label("first_published_on", "%(piece)s: first published on %(date)s."),
    _label("first_published_in_on",
           "%(piece)s: first published in %(publication)s on %(date)s."),
    # TRANSLATORS: the credits of the work reviewed, by kind of work; %(names)s is a list.
    _label("credit_film", "Directed by %(names)s"),
    _label("credit_series", "Created by %(names)s"),
    # TRANSLATORS: the author(s) of a book.
    _label("credit_book", "By %(names)s"),
    # TRANSLATORS: the artist(s) of an album.
    _label("credit_album", "By %(names)s"),
    _label("credit_game", "Developed by %(names)s"),
    _label("credit_play", "Written by %(names)s"),
    _label("credit_podcast", "Hosted by %(names)s"),
    # TRANSLATORS: the maker(s) of any other kind of work.
    _label("credit_other", "By %(names)s"),
    # TRANSLATORS: the facts after a work's title, "Dune (film, 2021; Netflix)"; the
    # leading space is part of it (none before full-width brackets).
    _label("details", " (%(details)s)"),
    # TRANSLATORS: between the facts of a work ("film, 2021").
    _label("details_separator", ", "),
    # TRANSLATORS: between groups of facts ("film, 2021; Netflix") and between the
    # references to reviews in the indexes.
    _label("group_separator", "; "),
    # TRANSLATORS: print only: the page number after a reference in the indexes.
    _label("page_in_index", ", %(page)s"),
    # TRANSLATORS: print only: the page number after a cited review, "Title (p. 12)".
    _label("page_cited", " (p. %(page)s)"),
    # TRANSLATORS: EPUB, read by screen readers: the link (↩) at the end of a footnote back
    # to where the text calls it; %(number)s is the note's number.
    _label("footnote_backlink", "Back to the text of note %(number)s"),
    # TRANSLATORS: the cast of a film or series; %(names)s is a list.
    _label("starring", "Starring %(names)s"),
    # TRANSLATORS: %(rating)s is rating_value or rating_labelled.
    _label("rating", "Rating: %(rating)s"),
    # TRANSLATORS: a rating: %(value)s and %(scale)s are numbers ("4 out of 5").
    _label("rating_value", "%(value)s out of %(scale)s"),
    # TRANSLATORS: a rating the reviewer wrote as a grade (B+, 85%), then its value.
    _label("rating_labelled", "%(label)s (%(value)s out of %(scale)s)"),
    # TRANSLATORS: the kind of work reviewed, after its title: "Dune (film, 2021)".
    _label("kind_film", "film"),
    _label("kind_series", "series"),
    _label("kind_book", "book"),
    _label("kind_album", "album"),
    _label("kind_game", "game"),
    _label("kind_play", "play"),
    _label("kind_podcast", "podcast"),
    # TRANSLATORS: the EPUB's accessibility summary, for people choosing a book.
    _label("a11y_navigation", "This publication has a table of contents and headings for "
           "every section, in reading order."),
    _label("a11y_navigation_index", "This publication has a table of contents and headings "
           "for every section, in reading order, and an index of works."),
    _label("a11y_images_described", "Every image has a text description."),
    # TRANSLATORS: the count is %(missing)s, the number of images without a description.
    _plural_label("a11y_images_undescribed",
                  "%(missing)s of %(total)s images have no text description.",
                  "%(missing)s of %(total)s images have no text description."),
    _label("a11y_cover_only", "Apart from the cover, it has no images; the cover has a "
           "text description."),
    _label("a11y_no_images", "It has no images."),
    _label("a11y_resizable", "Text can be resized and restyled in the reading system."),
    _label("a11y_no_hazards", "No accessibility hazards are known."),
    # TRANSLATORS: offprints (a piece on its own, as it stands in the book): the line on the
    # first page. %(anthology)s is the book's title, %(editors)s its editors (a list,
    # already joined), %(press)s its publisher, %(year)s the year of publication and
    # %(pages)s the piece's pages in the book (offprint_pages or offprint_page).
    _label("offprint_from",
           "From %(anthology)s, edited by %(editors)s, %(press)s, %(year)s, %(pages)s."),
    # TRANSLATORS: the same, for a book without editors.
    _label("offprint_from_unedited", "From %(anthology)s, %(press)s, %(year)s, %(pages)s."),
    # TRANSLATORS: offprints: the pages a piece takes in the book ("pp. 12", an en dash,
    # "18"), or the one page it takes ("p. 12").
    _label("offprint_pages", "pp. %(first)s\u2013%(last)s"),
    _label("offprint_page", "p. %(page)s"),
    # TRANSLATORS: offprints: a piece's copyright; %(year)s the year it first appeared,
    # %(names)s its authors (a list).
    _label("offprint_copyright", "© %(year)s %(names)s."),
    # TRANSLATORS: offprints: the name of their first page, as reading systems announce it.
    _label("offprint", "Offprint"),
    # TRANSLATORS: offprints: the title of one contributor's pieces from a book, bundled;
    # %(names)s is the contributor, %(anthology)s the book's title.
    _label("offprint_bundle", "%(names)s in %(anthology)s"),
    # TRANSLATORS: hidden heading of the EPUB's list of print pages (read by screen readers).
    _label("page_list", "Pages"),
    # TRANSLATORS: the print edition whose page numbers the EPUB carries, when the book has
    # no ISBN (metadata read by reading systems): the book's title, its press and the year.
    _label("print_edition", "%(title)s, print edition, %(press)s, %(year)s"),
    _label("a11y_print_pages", "Page numbers follow the print edition; pages found only in "
           "print, such as the half title and the printed contents, are not marked."),
    # TRANSLATORS: web edition: the heading over the links to the book's files.
    _label("download", "Download"),
    # TRANSLATORS: web edition and catalogue: the files a reader can download.
    _label("download_epub", "EPUB e-book"),
    _label("download_print_pdf", "PDF for print"),
    _label("download_screen_pdf", "PDF for screens"),
    # TRANSLATORS: web edition: the links to the next and the previous page of the book.
    _label("next", "Next"),
    _label("previous", "Previous"),
    # TRANSLATORS: the press's web page and feeds that list its books.
    _label("catalogue", "Catalogue"),
    # TRANSLATORS: the press's web page: the link to a book's web edition.
    _label("read_online", "Read online"),
)
LABELS: Mapping[str, Label] = {label.key: label for label in REGISTRY}
OPTIONAL = frozenset({"part_number_words"})  # untranslated on purpose: digits
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


def placeholder_problem(key: str, text: str) -> str | None:
    """Why `text` cannot stand for label `key` (None if it can): its placeholders must be
    the English ones, and any other % written %%."""
    expected = placeholders(LABELS[key].msgid) | placeholders(LABELS[key].plural or "")
    found = placeholders(text)
    named = ", ".join(f"%({name})s" for name in sorted(expected)) or "none"
    if found - expected:
        unknown = ", ".join(f"%({name})s" for name in sorted(found - expected))
        return f"unknown placeholder {unknown} (this label has: {named})"
    if expected - found and LABELS[key].plural is None:
        missing = ", ".join(f"%({name})s" for name in sorted(expected - found))
        return f"placeholder {missing} is missing"
    if "%" in _PLACEHOLDER.sub("", text).replace("%%", ""):  # "100% sure" reads "% s"
        return "a % that is not a placeholder: write %% for a percent sign"
    return None


# ---- overrides from chapbook.toml -----------------------------------------------------------

LabelTable = Mapping[str, "str | Mapping[str, str]"]
ListStyle = Literal["standard", "standard-short", "standard-narrow"]
_LIST_FALLBACK: list[ListStyle] = ["standard-narrow", "standard-short", "standard"]


@dataclass(frozen=True)
class LabelOverrides:
    """`[labels]` (strings: every language) and `[labels.<lang>]` tables, hashable."""

    everywhere: tuple[tuple[str, str], ...] = ()
    by_language: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()

    @classmethod
    def from_table(cls, table: LabelTable) -> LabelOverrides:
        everywhere = tuple((k, v) for k, v in table.items() if isinstance(v, str))
        by_language = tuple((tag, tuple(texts.items())) for tag, texts in table.items()
                            if not isinstance(texts, str))
        return cls(everywhere, by_language)

    def for_language(self, language: str) -> dict[str, str]:
        """The overrides a language gets, over those for every language: the tables named
        by a tag it would take a catalog for, each tag read with its likely script (zh-TW
        as zh-Hant-TW, zh as zh-Hans), the more specific over the less."""
        chosen = dict(self.everywhere)
        names = candidates(language)
        matching = [(names.index(name), tag_name(tag).count("_"), texts)
                    for tag, texts in self.by_language
                    if (name := candidates(tag)[0]) in names]
        for _, _, texts in sorted(matching, key=lambda found: (-found[0], found[1])):
            chosen.update(texts)
        return chosen


def merge_tables(*tables: LabelTable) -> dict[str, str | dict[str, str]]:
    """Label tables merged, later ones winning key by key (a book's over the project's):
    a later table's text for every language also wins over an earlier table's text for
    one language, so the order is project, project's language, book, book's language."""
    merged: dict[str, str | dict[str, str]] = {}
    for table in tables:
        texts = {key: value for key, value in table.items() if isinstance(value, str)}
        for earlier in merged.values():
            if isinstance(earlier, dict):
                for key in texts:
                    earlier.pop(key, None)
        merged.update(texts)
        for tag, value in table.items():
            if not isinstance(value, str):
                known = merged.get(tag)
                merged[tag] = {**known, **value} if isinstance(known, dict) else dict(value)
    return merged


# ---- the labels of one language -------------------------------------------------------------


class Labels:
    """The labels, dates, lists and numbers of one language, as plain text."""

    def __init__(self, language: str, overrides: LabelOverrides = LabelOverrides()) -> None:
        self.language = language
        self.catalog = catalog_for(language)
        self.locale = formatting_locale(language)
        self._translations = translations(self.catalog) if self.catalog else None
        self._overrides = overrides.for_language(language)

    @property
    def is_english(self) -> bool:
        return subtags(self.language)[0] == "en"

    def pattern(self, key: str, count: int = 1) -> str:
        """The text of a label, its placeholders unfilled."""
        label = LABELS[key]
        if key in self._overrides:
            return self._overrides[key]
        translated = self._translated(label, count)
        if translated is not None:
            return translated
        return label.msgid if label.plural is None or count == 1 else label.plural

    def _translated(self, label: Label, count: int) -> str | None:
        found = self._translations
        if found is None:
            return None
        text: object = (found.pgettext(label.key, label.msgid) if label.plural is None
                        else found.npgettext(label.key, label.msgid, label.plural, count))
        if text is MISSING or not isinstance(text, str) or not text or placeholder_problem(
                label.key, text):
            return None  # a translation that would break the sentence is not used
        return text

    def text(self, key: str, **values: str) -> str:
        return self.pattern(key) % values

    def counted(self, key: str, count: int, **values: str) -> str:
        """A label with plural forms, in the form `count` takes."""
        return self.pattern(key, count) % values

    def missing(self) -> list[str]:
        """Keys shown in English in this language for want of a translation."""
        if self.is_english:
            return []
        return [label.key for label in REGISTRY if label.key not in OPTIONAL
                and label.key not in self._overrides and self._translated(label, 1) is None]

    # ---- what CLDR formats ------------------------------------------------------------------

    def names(self, names: Sequence[str], style: ListStyle = "standard") -> str:
        """'A, B and C', 'A, B et C', 'A、B和C'. The narrow style ('A, B, C' in English) is
        for credits; where Babel lacks a style, CLDR's fallback: narrow, short, standard."""
        if not names:
            return ""
        for chosen in _LIST_FALLBACK[_LIST_FALLBACK.index(style):]:
            try:
                return format_list(list(names), style=chosen, locale=self.locale)  # type: ignore[arg-type]
            except KeyError:
                continue
        return format_list(list(names), locale=self.locale)

    def date(self, date: dt.date) -> str:
        """23 March 2024, 1er mars 2024, 2024년 3월 23일, in the language's digits."""
        text = format_date(date, format="long", locale=self.locale)
        if self.locale.language == "fr" and date.day == 1:  # CLDR has no ordinal day
            text = re.sub(r"^1(?=\s)", "1er", text)
        return self.digits(text)

    def number(self, value: Fraction | int | float) -> str:
        """3.5 in English, 3,5 in French: the language's separators and digits."""
        number = float(value) if isinstance(value, Fraction) else value
        return self.digits(format_decimal(number, locale=self.locale,
                                          numbering_system="default"))

    def digits(self, text: str) -> str:
        """ASCII digits as the language's default numbering system writes them."""
        native = native_digits(self.locale.default_numbering_system)
        return text.translate(str.maketrans("0123456789", native))

    def part_number(self, number: int) -> str:
        """'One' in English; the catalog's words if it gives them, else digits."""
        words = self.pattern("part_number_words").split("|")
        spelled = self.is_english or words != LABELS["part_number_words"].msgid.split("|")
        if spelled and 0 < number <= len(words) and all(words):
            return words[number - 1].strip()
        return self.digits(str(number))

    def part(self, number: int) -> str:
        return self.text("part", number=self.part_number(number))

    def rating(self, value: Fraction, scale: int, label: str | None) -> str:
        """'4 out of 5', 'B+ (4 out of 5)', '5점 만점에 4점'."""
        numbers = {"value": self.number(value), "scale": self.number(scale)}
        if label:
            return self.text("rating_labelled", label=label, **numbers)
        return self.text("rating_value", **numbers)


ENGLISH = Labels("en")


@cache
def labels_for(language: str, overrides: LabelOverrides = LabelOverrides()) -> Labels:
    return Labels(language, overrides)


# ---- checking overrides -----------------------------------------------------------------------


@dataclass(frozen=True)
class OverrideProblem:
    """What is wrong with one override, at its key path under the table."""

    path: tuple[str, ...]
    kind: str  # "unknown" or "placeholder"
    message: str


def override_problems(table: LabelTable) -> list[OverrideProblem]:
    """Unknown keys (with the nearest known one) and texts whose placeholders are not the
    label's. A table's keys are language tags (`[labels.ko]`), checked by the config."""
    problems: list[OverrideProblem] = []
    for key, value in table.items():
        if isinstance(value, str):
            problems += _check(key, value, (key,))
        else:
            for inner, text in value.items():
                problems += _check(inner, text, (key, inner))
    return problems


def _check(key: str, text: str, path: tuple[str, ...]) -> list[OverrideProblem]:
    if key not in LABELS:
        nearest = difflib.get_close_matches(key, list(LABELS), n=1)
        hint = f" (did you mean '{nearest[0]}'?)" if nearest else ""
        return [OverrideProblem(path, "unknown", f"unknown label '{key}'{hint}")]
    reason = placeholder_problem(key, text)
    return [OverrideProblem(path, "placeholder", f"label '{key}': {reason}")] if reason else []
