"""Collect: the manuscript pool plus the config become one `Anthology` per configured book."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from chapbook.collect import backmatter, poolchecks
from chapbook.collect.selection import group_pieces, matches, sort_pieces
from chapbook.core.anthology import Anthology, Part
from chapbook.core.config import AnthologyConfig, PartConfig, Press, Project, Selection
from chapbook.core.diagnostics import Diagnostic, Location, error, info, warning
from chapbook.core.images import ImageAsset, ImageRefusal, resolve_image
from chapbook.core.isbn import isbn13
from chapbook.core.labels import LabelOverrides, Labels, labels_for, merge_tables
from chapbook.core.locales import language_name
from chapbook.core.manuscript import Manuscript
from chapbook.core.pagesetup import css_length, trim_size
from chapbook.read.body import name_backlinks, render_body

COVER_TYPES = ("image/jpeg", "image/png")


@dataclass(frozen=True)
class CollectOptions:
    include_drafts: bool = False
    only: tuple[str, ...] = ()  # anthology slugs; empty means all
    today: dt.date | None = None  # for the future-date check; default: the clock
    # Slugs of files that could not be read: their own errors say why, so a book that
    # lists one is not told again that it is missing (one cause, one error).
    unreadable: frozenset[str] = frozenset()


def collect(project: Project, pool: Sequence[Manuscript],
            options: CollectOptions) -> tuple[list[Anthology], list[Diagnostic]]:
    today = options.today or dt.date.today()
    problems = [*poolchecks.duplicate_slugs(pool), *poolchecks.future_dates(pool, today),
                *poolchecks.name_variants(pool)]
    books: list[Anthology] = []
    for index, book in enumerate(project.config.anthology):
        if options.only and book.slug not in options.only:
            continue
        collector = _BookCollector(project, index, pool, options)
        anthology = collector.collect()
        problems.extend(collector.problems)
        if anthology:
            books.append(anthology)
            problems.extend(long_contents(anthology, project, index))
            problems.extend(untranslated_labels(anthology, project, index))
    problems.extend(d for book in books for d in missing_bios(book, project))
    return books, list(dict.fromkeys(problems))  # books share the press: say things once


def unknown_anthologies(project: Project, slugs: Iterable[str]) -> list[Diagnostic]:
    known = [a.slug for a in project.config.anthology]
    listed = ", ".join(known) or "none yet: add an [[anthology]] table"
    return [error("unknown-anthology", f"no anthology '{slug}' in chapbook.toml"
                  + did_you_mean(slug, known), project.config_location,
                  f"the anthologies are: {listed}")
            for slug in slugs if slug not in known]


def did_you_mean(slug: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(slug, list(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


class _BookCollector:
    """Resolves one [[anthology]] table against the pool, gathering diagnostics on the way."""

    def __init__(self, project: Project, index: int, pool: Sequence[Manuscript],
                 options: CollectOptions) -> None:
        self.project = project
        self.index = index
        self.book: AnthologyConfig = project.config.anthology[index]
        self.pool = pool
        self.by_slug = {m.slug: m for m in pool}
        self.include_drafts = options.include_drafts
        self.unreadable = options.unreadable
        self.missing_unreadable = False  # the book names a piece that could not be read
        self.problems: list[Diagnostic] = []

    def where(self, *path: str | int) -> Location:
        return self.project.location_of("anthology", self.index, *path)

    def sort_name(self, name: str) -> str:
        return sort_name(name, self.project)

    @property
    def language(self) -> str:
        return self.book.language or self.project.config.press.language

    def labels(self, language: str) -> Labels:
        """The words of `language` in this book: the project's and the book's overrides."""
        return labels_for(language, LabelOverrides.from_table(
            merge_tables(self.project.config.labels, self.book.labels)))

    def collect(self) -> Anthology | None:
        book = self.book
        self._check_isbn()
        foreword = self._foreword()
        parts = self._parts(exclude=foreword)
        pieces = tuple(p for _, _, run in parts for p in run)
        if not pieces and self.missing_unreadable:
            return None  # the manuscripts' own errors explain it
        if not pieces:
            self.problems.append(error("empty-anthology",
                                       f"anthology '{book.slug}' selects no pieces",
                                       self.where("select"),
                                       "loosen 'select', or list slugs in 'pieces'"))
            return None
        all_pieces = ((foreword,) if foreword else ()) + pieces
        back = book.back
        press = self.project.config.press
        language = self.language
        # The book carries the project's label overrides merged under its own.
        labels = merge_tables(self.project.config.labels, book.labels)
        return Anthology(
            config=book.model_copy(update={"labels": labels}), press=press, pieces=pieces,
            foreword=foreword,
            contributors=backmatter.contributors(all_pieces, self.sort_name, self._bio,
                                                 language) if back.contributors else (),
            language=language,
            identifier=_identifier(press, book),
            date=_publication_date(book, all_pieces),
            parts=tuple(self._part(n, title, intro, run)
                        for n, (title, intro, run) in enumerate(parts, 1) if title),
            works=backmatter.works_index(pieces, language) if back.works_index else (),
            tag_index=backmatter.tag_index(pieces, language) if back.tags_index else (),
            acknowledgements=backmatter.acknowledgements(all_pieces)
            if back.acknowledgements else (),
            press_about_html=self._markdown(press.about, press.language, "press",
                                            self.project.location_of("press", "about"))
            if press.about and back.about_press else None,
            cover_image=self._cover(),
            sort_names={name: self.sort_name(name) for name in
                        [*book.editors, *(c.name for m in all_pieces for c in m.contributors)]},
        )

    # ---- the body: one untitled run, or titled parts --------------------------------------

    def _parts(self, exclude: Manuscript | None) -> list[tuple[str | None, str | None,
                                                               list[Manuscript]]]:
        book = self.book
        if book.part:
            return self._explicit_parts(exclude)
        pieces = self._choose(book.pieces, book.select, ("pieces",), exclude)
        if book.group_by:
            return [(title, None, run) for title, run in group_pieces(
                pieces, book.group_by, self.sort_name, self.labels(self.language))]
        return [(None, None, pieces)]

    def _explicit_parts(self, exclude: Manuscript | None) -> list[tuple[str | None, str | None,
                                                                        list[Manuscript]]]:
        placed: dict[str, str] = {}
        parts: list[tuple[str | None, str | None, list[Manuscript]]] = []
        for number, part in enumerate(self.book.part):
            chosen = self._choose(part.pieces, part.select, ("part", number, "pieces"), exclude)
            kept = [p for p in chosen if p.slug not in placed]
            for piece in chosen:
                if piece.slug in placed:
                    self.problems.append(_placed_twice(piece, placed[piece.slug], part,
                                                       self.where("part", number)))
            placed.update({p.slug: part.title for p in kept})
            parts.append((part.title, part.introduction, kept))
        return parts

    def _choose(self, slugs: list[str], select: Selection, path: tuple[str | int, ...],
                exclude: Manuscript | None) -> list[Manuscript]:
        if slugs:
            chosen = self._explicit(slugs, path)
        else:
            scale = self.project.config.press.rating_scale
            chosen = sort_pieces([m for m in self.pool
                                  if m.is_review and matches(m, select, scale)],
                                 self.book.order, self.sort_name)
        chosen = [m for m in chosen if m is not exclude]
        return self._without_drafts(chosen)

    def _explicit(self, slugs: list[str], path: tuple[str | int, ...]) -> list[Manuscript]:
        chosen: list[Manuscript] = []
        for position, slug in enumerate(slugs):
            where = self.where(*path, position)
            if slug not in self.by_slug:
                self._unknown_piece(slug, "", where)
            elif self.by_slug[slug] in chosen:
                self.problems.append(error("piece-twice", f"'{slug}' is listed twice", where))
            else:
                chosen.append(self.by_slug[slug])
        return chosen

    def _without_drafts(self, pieces: list[Manuscript]) -> list[Manuscript]:
        drafts = [m for m in pieces if m.status == "draft"]
        if not drafts or self.include_drafts:
            return pieces
        self.problems.append(info("drafts-left-out",
                                  f"{len(drafts)} draft(s) left out of '{self.book.slug}': "
                                  + ", ".join(m.slug for m in drafts), self.where(),
                                  "build with --drafts to include them"))
        return [m for m in pieces if m.status != "draft"]

    def _part(self, number: int, title: str, introduction: str | None,
              pieces: list[Manuscript]) -> Part:
        slug = f"part-{number}"
        intro = self._markdown(introduction, self.language, slug,
                               self.where("part", number - 1, "introduction")
                               ) if introduction else None
        if not pieces:
            self.problems.append(warning("empty-part", f"part '{title}' has no pieces",
                                         self.where("part", number - 1)))
        explicit = self.book.part[number - 1] if len(self.book.part) >= number else None
        opening = (explicit.opening if explicit else None) or self.book.opening
        return Part(slug, title, intro, tuple(pieces), opening)

    def _foreword(self) -> Manuscript | None:
        slug = self.book.foreword
        if slug is None:
            return None
        found = self.by_slug.get(slug)
        if found is None:
            self._unknown_piece(slug, "foreword: ", self.where("foreword"))
        return found

    def _unknown_piece(self, slug: str, prefix: str, where: Location) -> None:
        if slug in self.unreadable:
            self.missing_unreadable = True
            return
        self.problems.append(error("unknown-piece", f"{prefix}no manuscript with slug '{slug}'"
                                   + did_you_mean(slug, self.by_slug), where,
                                   "use the file name without its extension, or the "
                                   "manuscript's 'slug:'"))

    def _markdown(self, text: str, language: str, doc_id: str, where: Location) -> str:
        """Markdown from the config: no raw HTML, no images; odd links become text. Its
        footnotes' back links are named here: it is read anew for each build."""
        fragment = render_body(text, language, doc_id)
        self.problems += [warning(f.code, f.message, where, f.hint) for f in fragment.findings]
        return name_backlinks(fragment.xhtml, self.labels(language))

    def _cover(self) -> ImageAsset | None:
        """The configured cover: a JPEG or PNG inside the project, or an error saying why."""
        if self.book.cover is None:
            return None
        found = resolve_image(self.book.cover, self.project.root, self.project.root)
        if isinstance(found, ImageRefusal) or found.media_type not in COVER_TYPES:
            reason = found.message if isinstance(found, ImageRefusal) else (
                f"the cover is {found.media_type}; covers must be JPEG or PNG")
            self.problems.append(error("bad-cover", reason, self.where("cover"),
                                       "give a JPEG or PNG path relative to the project "
                                       "folder, or leave 'cover' out to generate one"))
            return None
        return found

    def _check_isbn(self) -> None:
        """An ISBN with a wrong check digit (a typo) would print a barcode that scans as
        another book's: refused where it is written."""
        if self.book.isbn is None:
            if self.book.print.addon() is not None:
                self.problems.append(warning("price-without-isbn", f"'{self.book.slug}' has a "
                                             "price for its barcode but no isbn: the cover "
                                             "has no barcode", self.where("print"),
                                             "set 'isbn', or leave the price out"))
            return
        try:
            isbn13(self.book.isbn)
        except ValueError as exc:
            self.problems.append(error("bad-isbn", str(exc), self.where("isbn"),
                                       "copy the ISBN from the agency's record, or leave "
                                       "'isbn' out until the book has one"))

    def _bio(self, name: str) -> str | None:
        configured = self.project.config.contributors.get(name)
        return configured.bio if configured else None


def _placed_twice(piece: Manuscript, first_part: str, part: PartConfig,
                  where: Location) -> Diagnostic:
    return warning("piece-twice", f"'{piece.slug}' matches part '{part.title}' too; "
                   f"it stays in '{first_part}'", where,
                   "narrow the parts' selections so that each piece matches one")


def sort_name(name: str, project: Project) -> str:
    """'Seo, Mira' from config if given, else surname-first from the last word of the name."""
    configured = project.config.contributors.get(name)
    if configured and configured.sort_as:
        return configured.sort_as
    words = name.split()
    return f"{words[-1]}, {' '.join(words[:-1])}" if len(words) > 1 else name


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


def untranslated_labels(anthology: Anthology, project: Project,
                        index: int) -> list[Diagnostic]:
    """One note per book whose words (its own, or a piece's byline and credits) are shown
    in English for want of a translation: which languages, how many labels, which."""
    overrides = LabelOverrides.from_table(anthology.config.labels)
    languages = dict.fromkeys([anthology.language, *(p.language for p in anthology.all_pieces)])
    gaps = []
    for language in languages:
        missing = labels_for(language, overrides).missing()
        if missing:
            shown = ", ".join(missing[:8]) + (", ..." if len(missing) > 8 else "")
            name = language_name(language, "en")
            gaps.append(f"{name} ({language}): {len(missing)} ({shown})")
    if not gaps:
        return []
    return [info("label-untranslated", f"anthology '{anthology.slug}': labels in English for "
                 "want of a translation, " + "; ".join(gaps),
                 project.location_of("anthology", index, "language"),
                 "add a catalog (see README, Translating chapbook), or give the words in "
                 "[labels.<language>] in chapbook.toml")]


def missing_bios(anthology: Anthology, project: Project) -> list[Diagnostic]:
    """Contributors pages need a line on everyone; a missing bio is worth a warning."""
    return [warning("missing-bio", f"contributor '{entry.name}' has no bio",
                    project.location_of("contributors", entry.name),
                    f'add [contributors."{entry.name}"] with bio = "..." to chapbook.toml')
            for entry in anthology.contributors if not entry.bio]


# A contents entry takes about two lines (title, then author) at a 12-point leading, on a
# page whose top and bottom margins take about two inches: enough to warn in time.
CONTENTS_ENTRY_POINTS = 30.0
CONTENTS_MARGINS_POINTS = 144.0
MAX_CONTENTS_PAGES = 40


def contents_pages(anthology: Anthology) -> int:
    """About how many pages the print contents takes on the book's trim."""
    _, height = css_length_pair(anthology.config.print.trim)
    per_page = max(1, int((height - CONTENTS_MARGINS_POINTS) // CONTENTS_ENTRY_POINTS))
    entries = len(anthology.all_pieces) + len(anthology.parts)
    return -(-entries // per_page)


def long_contents(anthology: Anthology, project: Project, index: int) -> list[Diagnostic]:
    pages = contents_pages(anthology)
    if pages <= MAX_CONTENTS_PAGES:
        return []
    return [warning("long-contents", f"anthology '{anthology.slug}' has "
                    f"{len(anthology.all_pieces):,} pieces: on a {anthology.config.print.trim} "
                    f"page its contents would run to about {pages} pages "
                    f"(more than {MAX_CONTENTS_PAGES})", project.location_of("anthology", index),
                    "split it into volumes or parts, narrow its selection, or choose a "
                    "larger trim")]


def css_length_pair(trim: str) -> tuple[float, float]:
    width, height = trim_size(trim)
    return css_length(width), css_length(height)
