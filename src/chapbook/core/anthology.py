"""What a collected book is: parts, pieces, front and back matter, all resolved to data.

Templates for both editions read only these frozen values, so what the EPUB and the PDF
show cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from chapbook.core.config import AnthologyConfig, Press
from chapbook.core.images import ImageAsset
from chapbook.core.manuscript import Manuscript, Source, Work


@dataclass(frozen=True)
class ContributorEntry:
    """A person in a book: for bylines, the contributors page and EPUB `file-as`."""

    name: str
    sort_as: str
    bio: str | None
    pieces: tuple[str, ...]  # slugs of the pieces they wrote, in book order


@dataclass(frozen=True)
class Part:
    slug: str  # unique in the book: an id and a file name
    title: str
    introduction_html: str | None
    pieces: tuple[Manuscript, ...]
    opening: str = "recto"  # where its pieces open in print: recto, page or run-on


@dataclass(frozen=True)
class WorkEntry:
    """One line of the index of works reviewed."""

    work: Work
    pieces: tuple[str, ...]  # slugs of the reviews of this work

    @property
    def sort_key(self) -> str:
        return sort_title(self.work.title)


@dataclass(frozen=True)
class TagEntry:
    tag: str
    pieces: tuple[str, ...]


@dataclass(frozen=True)
class Acknowledgement:
    piece: str  # slug
    source: Source


@dataclass(frozen=True)
class Anthology:
    config: AnthologyConfig
    press: Press
    pieces: tuple[Manuscript, ...]  # every piece after the front matter, in reading order
    foreword: Manuscript | None
    contributors: tuple[ContributorEntry, ...]
    language: str
    identifier: str
    date: dt.date
    parts: tuple[Part, ...] = ()  # empty when the book has no parts
    works: tuple[WorkEntry, ...] = ()
    tag_index: tuple[TagEntry, ...] = ()
    acknowledgements: tuple[Acknowledgement, ...] = ()
    press_about_html: str | None = None
    cover_image: ImageAsset | None = None  # the configured cover, checked; None: generate one
    sort_names: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    def file_as(self, name: str) -> str:
        """How a person's name sorts ('Seo, Mira'), from config or the name itself."""
        return self.sort_names.get(name, name)

    def piece(self, slug: str) -> Manuscript:
        return self._by_slug[slug]

    @cached_property  # the indexes look up every piece they list: thousands of lookups
    def _by_slug(self) -> dict[str, Manuscript]:
        return {piece.slug: piece for piece in self.all_pieces}

    @property
    def slug(self) -> str:
        return self.config.slug

    @property
    def title(self) -> str:
        return self.config.title

    @property
    def editors(self) -> tuple[str, ...]:
        return tuple(self.config.editors)

    @cached_property  # templates ask for it once per rendered chunk
    def tags(self) -> tuple[str, ...]:
        return tuple(sorted({tag for piece in self.pieces for tag in piece.tags}))

    @property
    def all_pieces(self) -> tuple[Manuscript, ...]:
        """Every manuscript in the book, in reading order."""
        return ((self.foreword,) if self.foreword else ()) + self.pieces

    @property
    def sections(self) -> tuple[tuple[Part | None, tuple[Manuscript, ...]], ...]:
        """The body as (part, pieces) runs; one run with no part when the book has none."""
        if not self.parts:
            return ((None, self.pieces),)
        return tuple((part, part.pieces) for part in self.parts)


_ARTICLES = ("the ", "a ", "an ", "le ", "la ", "les ", "l'", "l\u2019", "der ", "die ", "das ")


def sort_title(title: str) -> str:
    """Titles sort without a leading article: 'The Night Ward' files under N."""
    folded = title.casefold().lstrip("\"'\u2018\u201c\u00ab ")
    for article in _ARTICLES:
        if folded.startswith(article) and len(folded) > len(article):
            return folded[len(article):]
    return folded
