"""Which pieces a book takes, in which order, grouped into which parts. Pure functions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from chapbook.core.collation import sort_key
from chapbook.core.config import Selection
from chapbook.core.labels import ENGLISH, Labels
from chapbook.core.locales import language_name, tag_name
from chapbook.core.manuscript import WORK_KINDS, Manuscript, parse_rating

SortName = Callable[[str], str]  # 'Mira Seo' -> 'Seo, Mira'


def matches(piece: Manuscript, select: Selection, rating_scale: int) -> bool:
    """True if the piece satisfies every condition of the selection."""
    tags = set(piece.tags)
    checks = (
        not select.tags_any or bool(tags & set(select.tags_any)),
        set(select.tags_all) <= tags,
        not tags & set(select.tags_none),
        not select.kind or (piece.work is not None and piece.work.kind in select.kind),
        _in_rating_range(piece, select, rating_scale),
        select.date_from is None or (piece.date is not None and piece.date >= select.date_from),
        select.date_to is None or (piece.date is not None and piece.date <= select.date_to),
        not select.author or any(c.name in select.author for c in piece.authors),
        not select.language or any(in_language(piece.language, tag) for tag in select.language),
    )
    return all(checks)


def _in_rating_range(piece: Manuscript, select: Selection, scale: int) -> bool:
    if select.rating_min is None and select.rating_max is None:
        return True
    if piece.rating is None:
        return False
    low = parse_rating(select.rating_min, scale).normalised if select.rating_min else 0.0
    high = parse_rating(select.rating_max, scale).normalised if select.rating_max else 1.0
    return low <= piece.rating.normalised <= high


def in_language(language: str, selected: str) -> bool:
    """A piece in `language` is in the `selected` one: the same language however tagged
    (iw is he, EN is en), or a variety of it (en-GB is en; en is not en-GB)."""
    piece, wanted = tag_name(language), tag_name(selected)
    return piece == wanted or piece.startswith(wanted + "_")


def sort_pieces(pieces: Sequence[Manuscript], order: str,
                sort_name: SortName) -> list[Manuscript]:
    """Sort by an order key ('-' reverses). Ties keep slug order; pieces without the key last."""
    reverse = order.startswith("-")
    key = _order_key(order.lstrip("-"), sort_name)
    ranked = sorted(pieces, key=lambda m: m.slug)
    present = [m for m in ranked if key(m) is not None]
    missing = [m for m in ranked if key(m) is None]
    return sorted(present, key=key, reverse=reverse) + missing


def _order_key(name: str, sort_name: SortName) -> Callable[[Manuscript], Any]:
    keys: dict[str, Callable[[Manuscript], Any]] = {
        "date": lambda m: m.date,
        "title": lambda m: m.title.casefold(),
        "rating": lambda m: m.rating.normalised if m.rating else None,
        "author": lambda m: sort_name(m.authors[0].name).casefold() if m.authors else None,
        "work": lambda m: m.work.title.casefold() if m.work else None,
    }
    return keys[name]


def group_pieces(pieces: Sequence[Manuscript], group_by: str, sort_name: SortName,
                 labels: Labels = ENGLISH) -> list[tuple[str, list[Manuscript]]]:
    """Split ordered pieces into groups titled in the book's language (`labels`); groups in
    a natural order (names, languages and tags as that language sorts them), pieces kept
    in order.

    A piece goes in one group only: for `tag`, the group of its first tag.
    """
    groups: dict[Any, list[Manuscript]] = {}
    for piece in pieces:
        groups.setdefault(_group_value(piece, group_by), []).append(piece)
    titles = {value: _group_title(value, group_by, labels) for value in groups}
    # languages go by their names, as the book's readers know them, not by their tags
    rank_name = titles.__getitem__ if group_by == "language" else sort_name
    collate = sort_key(labels.language)
    ordered = sorted(groups, key=lambda value: _group_rank(value, group_by, rank_name, collate))
    return [(titles[value], groups[value]) for value in ordered]


def _group_value(piece: Manuscript, group_by: str) -> Any:
    work = piece.work
    values: dict[str, Any] = {
        "work.kind": work.kind if work else None,
        "work.year": work.year if work else None,
        "work.platform": (work.platform or work.publisher or work.label) if work else None,
        "year": piece.date.year if piece.date else None,
        "tag": piece.tags[0] if piece.tags else None,
        "author": piece.authors[0].name if piece.authors else None,
        "language": tag_name(piece.language),  # iw and he, en and EN: one language
    }
    return values[group_by]


def _group_rank(value: Any, group_by: str, sort_name: SortName,
                collate: Callable[[str], bytes]) -> tuple[int, Any]:
    if value is None:
        return (1, b"")  # "Other" goes last
    if group_by == "work.kind":
        return (0, WORK_KINDS.index(value))
    if group_by in ("author", "language"):
        return (0, collate(sort_name(value)))
    return (0, collate(value) if isinstance(value, str) else value)


def _group_title(value: Any, group_by: str, labels: Labels) -> str:
    if value is None:
        return labels.text("group_none")
    if group_by == "work.kind":
        return labels.text(f"group_{value}")
    if group_by == "tag":
        return str(value).replace("-", " ").capitalize()
    if group_by == "language":  # "English", "Anglais" (a title's first word), "영어"
        return language_name(str(value), labels.language)
    return labels.digits(str(value)) if isinstance(value, int) else str(value)
