"""Checks on the pool as a whole: things no single manuscript can know is wrong."""

from __future__ import annotations

import datetime as dt
import difflib
import unicodedata
from collections.abc import Iterable, Sequence
from itertools import combinations

from chapbook.core.diagnostics import Diagnostic, error, warning
from chapbook.core.manuscript import Manuscript


def duplicate_slugs(pool: Sequence[Manuscript]) -> Iterable[Diagnostic]:
    first_seen: dict[str, Manuscript] = {}
    for manuscript in pool:
        earlier = first_seen.setdefault(manuscript.slug, manuscript)
        if earlier is not manuscript:
            yield error("duplicate-slug",
                        f"slug '{manuscript.slug}' is also used by {earlier.source.path}",
                        manuscript.location_of("slug"),
                        "give one of them a different 'slug:' in its front matter")


def future_dates(pool: Sequence[Manuscript], today: dt.date) -> Iterable[Diagnostic]:
    for piece in pool:
        if piece.date and piece.date > today:
            yield warning("date-in-future", f"date {piece.date.isoformat()} is in the future",
                          piece.location_of("date"), "check the year")


def name_variants(pool: Sequence[Manuscript]) -> Iterable[Diagnostic]:
    """'J. Seo' and 'Jae Seo', 'Lucia Ferrer' and 'Lucía Ferrer': probably one person."""
    pieces_by_name: dict[str, list[Manuscript]] = {}
    for piece in pool:
        for person in piece.authors:
            pieces_by_name.setdefault(person.name, []).append(piece)
    for first, second in _candidate_pairs(pieces_by_name):
        if not looks_like_same_person(first, second):
            continue
        rare, common = sorted((first, second), key=lambda n: (len(pieces_by_name[n]), n))
        where = pieces_by_name[rare][0]
        yield warning("author-variant",
                      f"author '{rare}' looks like '{common}' "
                      f"({len(pieces_by_name[common])} piece(s)): the same person?",
                      where.location_of("author"),
                      "spell the name the same way in every manuscript")


def _candidate_pairs(names: Iterable[str]) -> list[tuple[str, str]]:
    """Pairs of names that share a surname, a given name or the start or end of their
    spelling: every pair `looks_like_same_person` can accept, without comparing all n² pairs
    (a pool of a thousand contributors would otherwise take most of a minute)."""
    buckets: dict[tuple[str, str], list[str]] = {}
    for name in names:
        folded = _fold(name)
        if not folded:
            continue
        joined = " ".join(folded)
        for key in (("surname", folded[-1]), ("given", folded[0]),
                    ("start", joined[:4]), ("end", joined[-4:])):
            buckets.setdefault(key, []).append(name)
    pairs = {pair for members in buckets.values()
             for pair in combinations(sorted(set(members)), 2)}
    return sorted(pairs)


def _fold(name: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return plain.casefold().replace(".", " ").replace("-", " ").split()


def looks_like_same_person(first: str, second: str) -> bool:
    a, b = _fold(first), _fold(second)
    if not a or not b or first == second:
        return False
    if a == b:
        return True  # differ only in accents, case, dots or hyphens
    if a[-1] == b[-1] and a[0] != b[0]:
        # same surname; one given name is the other's initial ("j" / "jae", "jae" / "jae won")
        shorter, longer = sorted((a[0], b[0]), key=len)
        if len(shorter) == 1 and longer.startswith(shorter):
            return True
    if a[-1] == b[-1] and a[0] == b[0]:
        return True  # "Jae Seo" / "Jae Won Seo"
    return difflib.SequenceMatcher(None, " ".join(a), " ".join(b)).ratio() >= 0.9
