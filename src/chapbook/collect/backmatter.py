"""Back matter built from the pieces' metadata: contributors, works, tags, acknowledgements.

The lists sort as the book's language sorts (ICU collation): Swedish files Ä after Z."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from chapbook.core.anthology import (
    Acknowledgement,
    ContributorEntry,
    TagEntry,
    WorkEntry,
    sort_title,
)
from chapbook.core.collation import sort_key
from chapbook.core.manuscript import Manuscript


def contributors(pieces: Sequence[Manuscript], sort_name: Callable[[str], str],
                 bio: Callable[[str], str | None],
                 language: str = "en") -> tuple[ContributorEntry, ...]:
    """Everyone who wrote a piece, sorted by sort name, with their pieces in book order."""
    written: dict[str, list[str]] = {}
    for piece in pieces:
        for person in piece.authors:
            written.setdefault(person.name, []).append(piece.slug)
    entries = [ContributorEntry(name, sort_name(name), bio(name), tuple(slugs))
               for name, slugs in written.items()]
    collate = sort_key(language)
    return tuple(sorted(entries, key=lambda e: (collate(e.sort_as), e.name)))


def works_index(pieces: Sequence[Manuscript], language: str = "en") -> tuple[WorkEntry, ...]:
    """Each work reviewed once, sorted by title without its article, pointing to its reviews."""
    by_work: dict[tuple[str, str, int | None], list[Manuscript]] = {}
    for piece in pieces:
        if piece.work:
            key = (piece.work.title.casefold(), piece.work.kind, piece.work.year)
            by_work.setdefault(key, []).append(piece)
    entries = [WorkEntry(reviews[0].work, tuple(p.slug for p in reviews))  # type: ignore[arg-type]
               for reviews in by_work.values()]
    collate = sort_key(language)
    return tuple(sorted(entries, key=lambda e: (collate(e.sort_key), e.work.year or 0,
                                                e.work.title)))


def tag_index(pieces: Sequence[Manuscript], language: str = "en") -> tuple[TagEntry, ...]:
    tagged: dict[str, list[str]] = {}
    for piece in pieces:
        for tag in piece.tags:
            tagged.setdefault(tag, []).append(piece.slug)
    collate = sort_key(language)
    return tuple(TagEntry(tag, tuple(tagged[tag]))
                 for tag in sorted(tagged, key=lambda tag: (collate(tag), tag)))


def acknowledgements(pieces: Sequence[Manuscript]) -> tuple[Acknowledgement, ...]:
    """Pieces that first appeared elsewhere, in book order."""
    return tuple(Acknowledgement(p.slug, p.source_info) for p in pieces
                 if p.source_info and (p.source_info.publication or p.source_info.url))


__all__ = ["acknowledgements", "contributors", "sort_title", "tag_index", "works_index"]
