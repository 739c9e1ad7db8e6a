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

from chapbook.core.label_registry import LABELS, REGISTRY, Label
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
