"""The books of the many-books benchmark (many_books.py): 200 [[anthology]] tables of 22-28
pieces each, drawn with overlaps from a generate.py pool, as a review site would make them."""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

SIZES = (22, 28)  # reviews a book, inclusive
KINDS = (("best-of", 0.15), ("year", 0.05), ("reviewer", 0.10), ("saved", 0.70))
READERS = ("Ada", "Bo", "Chiara", "Dev", "Emeka", "Fen", "Greta", "Hiro", "Ines", "Jonas",
           "Kemal", "Lena", "Malik", "Noor", "Oskar", "Priya", "Quinn", "Rosa", "Sami", "Tove")


@dataclass(frozen=True)
class Piece:
    """What the draw needs of a manuscript: its front matter, in short."""

    slug: str  # the file stem: what a book's `pieces` lists
    tags: tuple[str, ...]
    authors: tuple[str, ...]
    year: int
    rating: float  # 0-1



def read_pool(manuscripts: Path) -> list[Piece]:
    return [piece_of(path) for path in sorted(manuscripts.glob("*.md"))]


def piece_of(path: Path) -> Piece:
    front = yaml.safe_load(path.read_text(encoding="utf-8").split("\n---\n", 1)[0][4:])
    author = front["author"]
    return Piece(path.stem, tuple(front.get("tags", ())),
                 tuple(author if isinstance(author, list) else [author]),
                 int(str(front["date"])[:4]), rating_of(str(front.get("rating", "3"))))


def rating_of(text: str) -> float:
    """'3.5/5', '7/10' or a bare '4' (out of the press's 5) as a share of the scale."""
    value, _, scale = text.partition("/")
    return float(value) / float(scale or 5)


def draw_books(pool: list[Piece], count: int, seed: int) -> list[dict[str, Any]]:
    """`count` books, each of 22-28 pieces, in the proportions of KINDS, shuffled.

    The pieces recur across books as they would on a review site: "best of" books take the
    best-rated pieces of a tag, readers save popular pieces more often (Zipf-like weights),
    and a few books repeat another's pieces in another style or trim.
    """
    rng = random.Random(seed)
    popularity = popular_weights(pool, rng)
    kinds = [kind for kind, share in KINDS for _ in range(round(share * count))]
    kinds = (kinds + ["saved"] * count)[:count]
    rng.shuffle(kinds)
    makers: dict[str, Callable[[int], dict[str, Any]]] = {
        "best-of": lambda n: best_of(pool, rng, n, popularity),
        "year": lambda n: year_book(pool, rng, n, popularity),
        "reviewer": lambda n: reviewer_book(pool, rng, n, popularity),
        "saved": lambda n: saved_book(pool, rng, n, popularity),
    }
    books: list[dict[str, Any]] = []
    for number, kind in enumerate(kinds, start=1):
        book = makers[kind](number)
        if rng.random() < 0.1:  # another edition: a style or trim of its own
            book.update(rng.choice([{"style": "pocket"}, {"print": {"trim": "6x9in"}}]))
        books.append({**book, "formats": ["epub", "pdf"]})
    return books


def popular_weights(pool: list[Piece], rng: random.Random) -> list[float]:
    """A Zipf-like popularity (1/rank^0.8) over a random ranking of the pool."""
    ranks = list(range(1, len(pool) + 1))
    rng.shuffle(ranks)
    return [rank ** -0.8 for rank in ranks]


def size(rng: random.Random) -> int:
    return rng.randint(*SIZES)


def fill(chosen: list[Piece], want: int, pool: list[Piece], rng: random.Random,
         weights: list[float]) -> list[Piece]:
    """`chosen`, topped up with popular pieces it does not have, to `want` pieces."""
    have = {piece.slug for piece in chosen}
    out = list(chosen[:want])
    while len(out) < min(want, len(pool)):
        piece = rng.choices(pool, weights)[0]
        if piece.slug not in have:
            have.add(piece.slug)
            out.append(piece)
    return out


def best_of(pool: list[Piece], rng: random.Random, n: int,
            weights: list[float]) -> dict[str, Any]:
    tag = rng.choice(sorted({tag for piece in pool for tag in piece.tags}))
    best = sorted((p for p in pool if tag in p.tags), key=lambda p: (-p.rating, p.slug))
    pieces = fill(best, size(rng), pool, rng, weights)
    editors = sorted({author for piece in pieces[:6] for author in piece.authors})[:2]
    return {"slug": f"best-of-{tag}-{n}", "title": f"The best of {tag.replace('-', ' ')}",
            "editors": editors, "pieces": [p.slug for p in pieces],
            "group_by": rng.choice([None, "work.kind"])}


def year_book(pool: list[Piece], rng: random.Random, n: int,
              weights: list[float]) -> dict[str, Any]:
    year = rng.choice(sorted({piece.year for piece in pool}))
    of_year = [p for p in pool if p.year == year]
    pieces = fill(rng.sample(of_year, min(len(of_year), SIZES[1])), size(rng), pool, rng,
                  weights)
    return {"slug": f"year-{year}-{n}", "title": f"{year} in review",
            "subtitle": "The year's reviews, by kind of work", "pieces": [p.slug for p in pieces],
            "group_by": "work.kind"}


def reviewer_book(pool: list[Piece], rng: random.Random, n: int,
                  weights: list[float]) -> dict[str, Any]:
    name = rng.choice(sorted({author for piece in pool for author in piece.authors}))
    own = sorted((p for p in pool if name in p.authors), key=lambda p: -p.rating)
    pieces = fill(own, size(rng), pool, rng, weights)  # topped up with colleagues' pieces
    return {"slug": f"reviewer-{slug_of(name)}-{n}", "title": f"{name}: selected reviews",
            "editors": [name], "pieces": [p.slug for p in pieces], "group_by": "year"}


def saved_book(pool: list[Piece], rng: random.Random, n: int,
               weights: list[float]) -> dict[str, Any]:
    reader = f"{rng.choice(READERS)} {rng.choice(READERS)[0]}."
    pieces = fill([], size(rng), pool, rng, weights)
    return {"slug": f"saved-{n}", "title": f"The reviews {reader} saved",
            "subtitle": "A personal collection", "pieces": [p.slug for p in pieces],
            "group_by": rng.choice([None, None, "tag"])}


def slug_of(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def overlap(books: list[dict[str, Any]]) -> dict[str, float]:
    """How often pieces recur: the shared work a run of all the books can avoid."""
    uses = Counter(slug for book in books for slug in book["pieces"])
    variants = {(slug, book.get("style", "classic"), book.get("print", {}).get("trim", "a5"))
                for book in books for slug in book["pieces"]}
    return {"books": len(books), "piece_slots": sum(uses.values()), "distinct_pieces": len(uses),
            "mean_books_per_piece": round(sum(uses.values()) / max(1, len(uses)), 2),
            "max_books_per_piece": max(uses.values(), default=0),
            "distinct_layouts": len(variants)}  # (piece, style, trim): the least to lay out
