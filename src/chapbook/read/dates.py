"""Dates as people write them: `23 March 2024`, `2024年3月23日`, a datetime with its zone.

YYYY-MM-DD stays on a fast path of its own; anything else goes to dateparser, told to
accept absolute dates only (no "tomorrow") with a day, a month and a year. A numeric date
whose day and month could be swapped is refused rather than guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import dateparser  # type: ignore[import-untyped]  # no stubs; one call, checked below

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
                           r"(?:Z|[+-]\d{2}:?\d{2})?$")
# 03/04/2024, 3.4.2024, 03-04-2024: day and month cannot be told apart when both are <= 12
_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?!\d)")
_YEAR = re.compile(r"\d{4}|\d{2,4}\s*[年년]")
_SETTINGS = {"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"],
             "PARSERS": ["absolute-time"], "RETURN_AS_TIMEZONE_AWARE": False}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


@dataclass(frozen=True)
class DateReading:
    """What a date value was read as: a date, a refusal with its reason, or nothing."""

    date: dt.date | None = None
    ambiguous: tuple[dt.date, dt.date] | None = None


def read_date(text: str) -> DateReading:
    """Read a date written in another form than YYYY-MM-DD; `DateReading()` if unreadable."""
    text = text.strip()
    if _ISO_DATETIME.match(text):  # the date where it was written, not converted to UTC
        try:
            return DateReading(dt.datetime.fromisoformat(text.replace(" ", "T")).date())
        except ValueError:  # 2024-13-45T10:00: the validator says why, at its line
            return DateReading()
    numeric = _NUMERIC.search(text)  # anywhere: "03/04/2024 10:00", "le 03/04/2024"
    if numeric:
        return _numeric(*(int(part) for part in numeric.groups()))
    if not _YEAR.search(text):
        return DateReading()
    try:
        found: dt.datetime | None = dateparser.parse(text, settings=_SETTINGS)
    except (ValueError, OverflowError, TypeError):  # a year past 9999, a day 0...
        return DateReading()
    return DateReading(found.date() if found else None)


def is_iso_date(text: str) -> bool:
    return bool(_ISO_DATE.match(text.strip()))


def _numeric(first: int, second: int, year: int) -> DateReading:
    readings = [found for day, month in ((first, second), (second, first))
                if (found := _valid(year, month, day))]
    if len(readings) == 2 and readings[0] != readings[1]:
        return DateReading(ambiguous=(readings[0], readings[1]))
    return DateReading(readings[0] if readings else None)


def _valid(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def spoken(date: dt.date) -> str:
    """'3 April 2024': a date no reader can take for another."""
    return f"{date.day} {_MONTHS[date.month - 1]} {date.year}"
