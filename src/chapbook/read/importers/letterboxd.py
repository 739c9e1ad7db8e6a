"""Letterboxd's `reviews.csv` (Settings > Import & Export): one film review a row."""

from __future__ import annotations

from fractions import Fraction

from chapbook.core.diagnostics import Location
from chapbook.read.importers.review import (
    Imported,
    Parsed,
    make_slug,
    without_empty,
)
from chapbook.read.importers.tables import Row, csv_table, parse_reviews
from chapbook.read.importers.values import html_to_markdown, parse_date, parse_year, split_list

REQUIRED = ("Date", "Name", "Year", "Letterboxd URI", "Rating", "Review")


def parse(raw: bytes, where: Location, author: str | None) -> Parsed:
    table = csv_table(raw, where, REQUIRED, "Letterboxd's reviews.csv")
    return parse_reviews(table, where, "Review", "rows without a review",
                         lambda row: _review(row, author))


def _review(row: Row, author: str | None) -> Imported:
    name, year = row.text("Name"), parse_year(row.text("Year"))
    date = parse_date(row.text("Date"))
    front = without_empty({
        "title": name,
        "author": [author] if author else [],
        "date": date,
        "work": without_empty({"title": name, "kind": "film", "year": year}),
        "rating": _rating(row.text("Rating")),
        "tags": split_list(row.text("Tags"), ","),
        "source": without_empty({"publication": "Letterboxd", "url": row.text("Letterboxd URI"),
                                 "first_published": date}),
    })
    return Imported(make_slug(name, year), front, html_to_markdown(row.values["Review"]), row.line)


def _rating(text: str) -> str | None:
    """Half stars, 0.5 to 5; blank for a review without one."""
    if not text:
        return None
    try:
        stars = Fraction(text)
    except ValueError:
        raise ValueError(f"Rating '{text}' is not a number of stars") from None
    if not (0 < stars <= 5 and (stars * 2).denominator == 1):
        raise ValueError(f"Rating '{text}' is not 0.5 to 5 in half stars")
    return f"{float(stars):g}/5"
