"""Collect: the manuscript pool plus the config become one `Anthology` per configured book."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .config import AnthologyConfig, Press, Project, Selection
from .diagnostics import Diagnostic, error, info, warning
from .models import Manuscript, parse_rating


@dataclass(frozen=True)
class ContributorEntry:
    """A person in a book: for bylines, the contributors page and EPUB `file-as`."""

    name: str
    sort_as: str
    bio: str | None
    pieces: tuple[str, ...]  # slugs of the pieces they wrote, in book order


@dataclass(frozen=True)
class Anthology:
    config: AnthologyConfig
    press: Press
    pieces: tuple[Manuscript, ...]
    foreword: Manuscript | None
    contributors: tuple[ContributorEntry, ...]
    language: str
    identifier: str
    date: dt.date
    sort_names: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    def file_as(self, name: str) -> str:
        """How a person's name sorts ('Seo, Mira'), from config or the name itself."""
        return self.sort_names.get(name, name)

    @property
    def slug(self) -> str:
        return self.config.slug

    @property
    def title(self) -> str:
        return self.config.title

    @property
    def editors(self) -> tuple[str, ...]:
        return tuple(self.config.editors)

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(sorted({tag for piece in self.pieces for tag in piece.tags}))

    @property
    def all_pieces(self) -> tuple[Manuscript, ...]:
        """Every manuscript in the book, in reading order."""
        return ((self.foreword,) if self.foreword else ()) + self.pieces


@dataclass(frozen=True)
class CollectOptions:
    include_drafts: bool = False
    only: tuple[str, ...] = ()  # anthology slugs; empty means all


def collect(project: Project, pool: Sequence[Manuscript],
            options: CollectOptions) -> tuple[list[Anthology], list[Diagnostic]]:
    problems = list(_pool_checks(pool))
    by_slug = {m.slug: m for m in pool}
    books: list[Anthology] = []
    for index, book in enumerate(project.config.anthology):
        if options.only and book.slug not in options.only:
            continue
        anthology, found = _collect_one(project, index, book, by_slug, pool, options)
        problems.extend(found)
        if anthology:
            books.append(anthology)
    problems.extend(dict.fromkeys(d for book in books for d in missing_bios(book, project)))
    return books, problems


def unknown_anthologies(project: Project, slugs: Iterable[str]) -> list[Diagnostic]:
    known = [a.slug for a in project.config.anthology]
    return [error("unknown-anthology", f"no anthology '{slug}' in chapbook.toml"
                  + _did_you_mean(slug, known), project.config_location)
            for slug in slugs if slug not in known]


def _pool_checks(pool: Sequence[Manuscript]) -> Iterable[Diagnostic]:
    first_seen: dict[str, Manuscript] = {}
    for manuscript in pool:
        earlier = first_seen.setdefault(manuscript.slug, manuscript)
        if earlier is not manuscript:
            yield error("duplicate-slug",
                        f"slug '{manuscript.slug}' is also used by {earlier.source.path}",
                        manuscript.location_of("slug"),
                        "give one of them a different 'slug:' in its front matter")


def _collect_one(project: Project, index: int, book: AnthologyConfig,
                 by_slug: dict[str, Manuscript], pool: Sequence[Manuscript],
                 options: CollectOptions) -> tuple[Anthology | None, list[Diagnostic]]:
    problems: list[Diagnostic] = []
    press = project.config.press
    if book.pieces:
        pieces = _explicit(project, index, book.pieces, by_slug, problems)
    else:
        chosen = [m for m in pool if m.is_review and _selected(m, book.select, press)]
        pieces = sort_pieces(chosen, book.order, project)
    drafts = [m for m in pieces if m.status == "draft"]
    if drafts and not options.include_drafts:
        pieces = [m for m in pieces if m.status != "draft"]
        problems.append(info("drafts-left-out",
                             f"{len(drafts)} draft(s) left out of '{book.slug}': "
                             + ", ".join(m.slug for m in drafts), project.location_of(
                                 "anthology", index), "build with --drafts to include them"))
    foreword = _foreword(project, index, book, by_slug, problems)
    if foreword is not None:
        pieces = [m for m in pieces if m.slug != foreword.slug]
    if not pieces:
        problems.append(error("empty-anthology", f"anthology '{book.slug}' selects no pieces",
                              project.location_of("anthology", index, "select"),
                              "loosen 'select', or list slugs in 'pieces'"))
        return None, problems
    all_pieces = ([foreword] if foreword else []) + pieces
    anthology = Anthology(
        config=book, press=press, pieces=tuple(pieces), foreword=foreword,
        contributors=_contributors(project, all_pieces),
        language=book.language or press.language,
        identifier=_identifier(press, book),
        date=_publication_date(book, all_pieces),
        sort_names={name: sort_name(name, project) for name in
                    [*book.editors, *(c.name for m in all_pieces for c in m.contributors)]},
    )
    return anthology, problems


def _explicit(project: Project, index: int, slugs: list[str], by_slug: dict[str, Manuscript],
              problems: list[Diagnostic]) -> list[Manuscript]:
    chosen: list[Manuscript] = []
    for position, slug in enumerate(slugs):
        where = project.location_of("anthology", index, "pieces", position)
        if slug not in by_slug:
            problems.append(error("unknown-piece", f"no manuscript with slug '{slug}'"
                                  + _did_you_mean(slug, by_slug), where))
        elif by_slug[slug] in chosen:
            problems.append(error("piece-twice", f"'{slug}' is listed twice", where))
        else:
            chosen.append(by_slug[slug])
    return chosen


def _foreword(project: Project, index: int, book: AnthologyConfig,
              by_slug: dict[str, Manuscript], problems: list[Diagnostic]) -> Manuscript | None:
    if book.foreword is None:
        return None
    found = by_slug.get(book.foreword)
    if found is None:
        problems.append(error("unknown-piece", f"foreword: no manuscript with slug "
                              f"'{book.foreword}'" + _did_you_mean(book.foreword, by_slug),
                              project.location_of("anthology", index, "foreword")))
    return found


def _did_you_mean(slug: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(slug, list(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _selected(piece: Manuscript, select: Selection, press: Press) -> bool:
    tags = set(piece.tags)
    checks = (
        not select.tags_any or bool(tags & set(select.tags_any)),
        set(select.tags_all) <= tags,
        not tags & set(select.tags_none),
        not select.kind or (piece.work is not None and piece.work.kind in select.kind),
        _in_rating_range(piece, select, press.rating_scale),
        select.date_from is None or (piece.date is not None and piece.date >= select.date_from),
        select.date_to is None or (piece.date is not None and piece.date <= select.date_to),
        not select.author or any(c.name in select.author for c in piece.authors),
        not select.language or piece.language in select.language,
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


def sort_pieces(pieces: Sequence[Manuscript], order: str,
                project: Project) -> list[Manuscript]:
    """Sort by an order key ('-' reverses); ties fall back to the slug, so order is stable."""
    reverse = order.startswith("-")
    key = _ORDER_KEYS[order.lstrip("-")]
    ranked = sorted(pieces, key=lambda m: m.slug)
    present = [m for m in ranked if key(m, project) is not None]
    missing = [m for m in ranked if key(m, project) is None]  # undated etc. always go last
    return sorted(present, key=lambda m: key(m, project), reverse=reverse) + missing


def _author_key(piece: Manuscript, project: Project) -> str | None:
    return sort_name(piece.authors[0].name, project).casefold() if piece.authors else None


_ORDER_KEYS: dict[str, Callable[[Manuscript, Project], Any]] = {
    "date": lambda m, _: m.date,
    "title": lambda m, _: m.title.casefold(),
    "rating": lambda m, _: m.rating.normalised if m.rating else None,
    "author": _author_key,
    "work": lambda m, _: m.work.title.casefold() if m.work else None,
}


def sort_name(name: str, project: Project) -> str:
    """'Seo, Mira' from config if given, else surname-first from the last word of the name."""
    configured = project.config.contributors.get(name)
    if configured and configured.sort_as:
        return configured.sort_as
    words = name.split()
    return f"{words[-1]}, {' '.join(words[:-1])}" if len(words) > 1 else name


def _contributors(project: Project, pieces: Sequence[Manuscript]) -> tuple[ContributorEntry, ...]:
    written: dict[str, list[str]] = {}
    for piece in pieces:
        for person in piece.authors:
            written.setdefault(person.name, []).append(piece.slug)
    entries = [ContributorEntry(name, sort_name(name, project),
                                _bio(project, name), tuple(slugs))
               for name, slugs in written.items()]
    return tuple(sorted(entries, key=lambda e: e.sort_as.casefold()))


def _bio(project: Project, name: str) -> str | None:
    configured = project.config.contributors.get(name)
    return configured.bio if configured else None


def _identifier(press: Press, book: AnthologyConfig) -> str:
    if book.isbn:
        return f"urn:isbn:{book.isbn.replace('-', '').replace(' ', '')}"
    # Stable across builds and machines: derived from the press and the book's slug.
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'chapbook:{press.name}:{book.slug}')}"


def _publication_date(book: AnthologyConfig, pieces: Sequence[Manuscript]) -> dt.date:
    if book.date:
        return book.date
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    dates = [m.date for m in pieces if m.date]
    return max(dates) if dates else dt.date(1970, 1, 1)


def missing_bios(anthology: Anthology, project: Project) -> list[Diagnostic]:
    """Contributors pages need a line on everyone; a missing bio is worth a warning."""
    return [warning("missing-bio", f"contributor '{entry.name}' has no bio",
                    project.location_of("contributors", entry.name),
                    f'add [contributors."{entry.name}"] with bio = "..." to chapbook.toml')
            for entry in anthology.contributors if not entry.bio]
