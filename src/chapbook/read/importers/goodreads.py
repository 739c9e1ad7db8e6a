"""Goodreads' library export (My Books > Import and export): one book a row; rows
without a review of yours are skipped."""

from __future__ import annotations

import re

from chapbook.core.diagnostics import Location
from chapbook.read.importers.review import (
    Imported,
    Parsed,
    make_slug,
    without_empty,
)
from chapbook.read.importers.tables import Row, csv_table, parse_reviews
from chapbook.read.importers.values import html_to_markdown, parse_date, parse_year, split_list

REQUIRED = ("Book Id", "Title", "Author", "My Rating", "My Review")
# Goodreads' own shelves say where a book is in your reading, not what it is about.
_STATUS_SHELVES = {"read", "to-read", "currently-reading"}


def parse(raw: bytes, where: Location, author: str | None) -> Parsed:
    table = csv_table(raw, where, REQUIRED, "Goodreads' library export")
    return parse_reviews(table, where, "My Review", "books without a review",
                         lambda row: _review(row, author))


def _review(row: Row, author: str | None) -> Imported:
    title = row.text("Title")
    date = parse_date(row.text("Date Read")) or parse_date(row.text("Date Added"))
    year = _year(row.text("Original Publication Year")) or _year(row.text("Year Published"))
    creators = [row.text("Author"), *split_list(row.text("Additional Authors"), ",")]
    front = without_empty({
        "title": title,
        "author": [author] if author else [],
        "date": date,
        "work": without_empty({"title": title, "kind": "book", "year": year,
                               "publisher": row.text("Publisher"),
                               "creators": [name for name in creators if name]}),
        "rating": _rating(row.text("My Rating")),
        "tags": [shelf for shelf in split_list(row.text("Bookshelves"), ",")
                 if shelf not in _STATUS_SHELVES],
        "isbn": _isbn(row.text("ISBN13")) or _isbn(row.text("ISBN")),
        "source": without_empty({
            "publication": "Goodreads",
            "url": f"https://www.goodreads.com/book/show/{row.text('Book Id')}",
            "first_published": date}),
    })
    return Imported(make_slug(title), front, html_to_markdown(row.values["My Review"]), row.line)


def _rating(text: str) -> str | None:
    """1 to 5 stars; 0 (or blank) means not rated."""
    if not re.fullmatch(r"[0-5]?", text):
        raise ValueError(f"My Rating '{text}' is not 0 to 5 stars")
    return f"{text}/5" if text not in ("", "0") else None


def _isbn(text: str) -> str:
    """Goodreads writes ="0123456789" so that spreadsheets keep the leading zeros."""
    return re.sub(r'^="?|"$', "", text).strip()


def _year(text: str) -> int | None:
    """A four-digit year; an older one (the Odyssey's -700) is left out, not refused: the
    model's years run from 1000, and the review matters more than the date of the book."""
    return parse_year(text) if re.fullmatch(r"\s*\d{4}\s*|\s*", text) else None
