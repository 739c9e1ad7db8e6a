"""What the web edition tells search engines and link previews: schema.org JSON-LD (a
`Review` per review, with its reviewer, the work and the rating; a `Book` for the book)
and Open Graph properties. Plain data in, JSON text and (property, content) pairs out."""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

from markupsafe import Markup

from chapbook.core.anthology import Anthology
from chapbook.core.manuscript import Manuscript, Rating, Work

# schema.org types of the works reviewed, and the property that names their makers
WORK_TYPES = {"film": "Movie", "series": "TVSeries", "book": "Book", "album": "MusicAlbum",
              "game": "VideoGame", "play": "CreativeWork", "podcast": "PodcastSeries",
              "other": "CreativeWork"}
MAKER_PROPERTY = {"film": "director", "book": "author", "album": "byArtist"}


def json_ld(data: dict[str, Any]) -> Markup:
    """JSON for a <script type="application/ld+json">: `<`, `>` and `&` escaped, so that
    no text in it can close the element."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _people(names: list[str] | tuple[str, ...], kind: str = "Person") -> list[dict[str, str]]:
    return [{"@type": kind, "name": name} for name in names]


def _number(value: Fraction) -> int | float:
    return int(value) if value.denominator == 1 else round(float(value), 3)


def rating_data(rating: Rating) -> dict[str, Any]:
    data: dict[str, Any] = {"@type": "Rating", "ratingValue": _number(rating.value),
                            "bestRating": rating.scale,
                            "worstRating": 1 if rating.value >= 1 else 0}
    if rating.label:
        data["ratingExplanation"] = rating.label
    return data


def work_data(work: Work) -> dict[str, Any]:
    data: dict[str, Any] = {"@type": WORK_TYPES.get(work.kind, "CreativeWork"),
                            "name": work.title}
    if work.year:
        data["dateCreated"] = str(work.year)
    if work.creators:
        maker = MAKER_PROPERTY.get(work.kind, "creator")
        data[maker] = _people(work.creators, "MusicGroup" if maker == "byArtist" else "Person")
    if work.cast:
        data["actor"] = _people(work.cast)
    publisher = work.publisher or work.label or work.platform
    if publisher:
        data["publisher"] = {"@type": "Organization", "name": publisher}
    return data


def piece_data(book: Anthology, piece: Manuscript, url: str | None) -> dict[str, Any]:
    """A review as schema.org sees it (an essay or a foreword is an `Article`)."""
    review = piece.is_review and piece.work is not None
    data: dict[str, Any] = {"@context": "https://schema.org",
                            "@type": "Review" if review else "Article",
                            "name": piece.title, "headline": piece.title,
                            "inLanguage": piece.language}
    if piece.standfirst:
        data["description"] = piece.standfirst
    if piece.authors:
        data["author"] = _people([person.name for person in piece.authors])
    if piece.date:
        data["datePublished"] = piece.date.isoformat()
    if review and piece.work is not None:
        data["itemReviewed"] = work_data(piece.work)
        if piece.rating:
            data["reviewRating"] = rating_data(piece.rating)
    if piece.tags:
        data["keywords"] = ", ".join(piece.tags)
    if url:
        data["url"] = url
    data["isPartOf"] = {"@type": "Book", "name": book.title,
                        "publisher": {"@type": "Organization", "name": book.press.name}}
    return data


def book_data(book: Anthology, url: str | None, cover: str | None) -> dict[str, Any]:
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "Book",
                            "name": book.title, "inLanguage": book.language,
                            "datePublished": book.date.isoformat(),
                            "publisher": {"@type": "Organization", "name": book.press.name}}
    if book.config.subtitle:
        data["alternativeHeadline"] = book.config.subtitle
    if book.editors:
        data["editor"] = _people(book.editors)
    if book.config.description:
        data["description"] = book.config.description
    if book.config.isbn:
        data["isbn"] = book.config.isbn
    if cover:
        data["image"] = cover
    if url:
        data["url"] = url
    return data


def open_graph(kind: str, title: str, description: str | None, site: str,
               image: str | None, url: str | None) -> list[tuple[str, str]]:
    """Open Graph properties: og:type (article, book), title, site, description, image."""
    found = [("og:type", kind), ("og:title", title), ("og:site_name", site)]
    if description:
        found.append(("og:description", description))
    if image:
        found.append(("og:image", image))
    if url:
        found.append(("og:url", url))
    return found
