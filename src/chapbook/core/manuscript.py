"""The data model: what a manuscript says about itself, validated and frozen."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from chapbook.core.diagnostics import Location
from chapbook.core.images import ImageAsset
from chapbook.core.labels import ENGLISH, Labels

WORK_KINDS = ("film", "series", "book", "album", "game", "play", "podcast", "other")
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
LANGUAGE_PATTERN = r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$"  # x- and u- extensions too
# Device names Windows reserves whatever the extension: build/con.epub cannot be created there.
RESERVED_NAMES = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)),
                            *(f"lpt{n}" for n in range(10))})


def not_reserved(slug: str | None) -> str | None:
    """A pydantic check for slugs that become file names."""
    if slug is not None and slug in RESERVED_NAMES:
        raise ValueError(f"'{slug}' is a device name on Windows and cannot name a file")
    return slug

# MARC relator codes for the roles a manuscript may name (EPUB uses them as-is).
ROLE_CODES = {
    "author": "aut", "aut": "aut",
    "translator": "trl", "trl": "trl",
    "editor": "edt", "edt": "edt",
    "illustrator": "ill", "ill": "ill",
    "photographer": "pht", "pht": "pht",
}


def _as_list(value: Any) -> Any:
    """Accept a single string where a list of strings is expected."""
    return [value] if isinstance(value, str) else value


def _as_text(value: Any) -> Any:
    """YAML turns `year: 2022` or `title: 1984` into numbers; titles are text."""
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


Text = Annotated[str, BeforeValidator(_as_text), Field(min_length=1, max_length=2000)]
TextList = Annotated[tuple[Text, ...], BeforeValidator(_as_list)]  # tuples: models hash


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Work(_Strict):
    """The work a review is about."""

    title: Text
    kind: Literal["film", "series", "book", "album", "game", "play", "podcast", "other"]
    year: int | None = Field(default=None, ge=1000, le=2999)
    platform: Text | None = None
    publisher: Text | None = None
    label: Text | None = None
    creators: TextList = ()
    cast: TextList = ()


class Source(_Strict):
    """Where a piece first appeared: feeds acknowledgements."""

    publication: Text | None = None
    url: Text | None = None
    first_published: dt.date | None = None


class ContributorRef(_Strict):
    name: Text
    role: str = "author"

    @field_validator("role")
    @classmethod
    def _known_role(cls, role: str) -> str:
        if role.lower() not in ROLE_CODES:
            known = ", ".join(sorted({k for k in ROLE_CODES if len(k) > 3}))
            raise ValueError(f"unknown role '{role}' (known: {known})")
        return role.lower()


@dataclass(frozen=True)
class Rating:
    """A rating on its own scale: 4/5, 8/10 or 3.5 (out of the press's default).

    `label` is how the reviewer wrote a rating that is not a number, such as a letter
    grade: shown as it was written, while `value`/`scale` still order and select it.
    """

    value: Fraction
    scale: int
    label: str | None = None

    @property
    def text(self) -> str:
        """'4 out of 5', 'B+ (4 out of 5)': in English; `text_in` for other languages."""
        return self.text_in(ENGLISH)

    def text_in(self, labels: Labels) -> str:
        """'5점 만점에 4점': the rating's labels and numbers in a language."""
        return labels.rating(self.value, self.scale, self.label)

    @property
    def short(self) -> str:
        return self.label or f"{_number(self.value)}/{self.scale}"

    @property
    def normalised(self) -> float:
        """The rating on a 0..1 scale, so ratings on different scales compare."""
        return float(self.value / self.scale)


def _number(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{float(value):g}"


_RATING_TEXT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:/\s*(\d+))?\s*$")


def parse_rating(raw: Any, default_scale: int) -> Rating:
    """Parse `4/5`, `8/10`, `4` or `3.5`; raise ValueError with a reason a user understands."""
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise ValueError("rating must look like 4/5, 8/10 or a number such as 4")
    match = _RATING_TEXT.match(str(raw))
    if not match:
        raise ValueError(f"rating '{raw}' must look like 4/5, 8/10 or a number such as 4")
    value = Fraction(match.group(1))
    scale = int(match.group(2)) if match.group(2) else default_scale
    if scale <= 0:
        raise ValueError(f"rating '{raw}' has a scale of {scale}; use a scale above 0")
    if not 0 <= value <= scale:
        raise ValueError(f"rating '{raw}' is outside its scale 0-{scale}")
    return Rating(value, scale)


class Metadata(BaseModel):
    """Front matter as declared in the README. Unknown keys are kept in `model_extra`."""

    model_config = ConfigDict(frozen=True, extra="allow", str_strip_whitespace=True)

    title: Text | None = None
    standfirst: Text | None = None
    author: TextList = ()
    contributors: tuple[ContributorRef, ...] = ()
    date: dt.date | None = None
    work: Work | None = None
    rating: str | int | float | None = None
    rating_scale: int | None = Field(default=None, gt=0, le=1000)  # of this piece's rating
    tags: TextList = ()
    language: str | None = Field(default=None, pattern=LANGUAGE_PATTERN)
    # default: from the language (ar, he... rtl); auto: from the text's first letter
    dir: Literal["ltr", "rtl", "auto"] | None = None
    source: Source | None = None
    status: Literal["ready", "draft"] = "ready"
    kind: Literal["review", "essay"] = "review"  # essays are placed by hand, never selected
    slug: str | None = Field(default=None, pattern=SLUG_PATTERN, max_length=120)

    _slug_is_a_file_name = field_validator("slug")(not_reserved)

    @field_validator("tags")
    @classmethod
    def _normalise_tags(cls, tags: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(tag.strip().lower() for tag in tags)


@dataclass(frozen=True)
class Contributor:
    name: str
    role: str = "aut"  # MARC relator code


@dataclass(frozen=True)
class Manuscript:
    """One piece, read and validated: metadata, safe XHTML body, and where it all came from."""

    slug: str
    source: Location  # the file, relative to the project
    path: Path
    title: str
    body_html: str
    content_hash: str
    language: str
    standfirst: str | None = None
    contributors: tuple[Contributor, ...] = ()
    date: dt.date | None = None
    work: Work | None = None
    rating: Rating | None = None
    tags: tuple[str, ...] = ()
    source_info: Source | None = None
    status: str = "ready"
    kind: str = "review"  # or "essay"
    direction: str = "ltr"  # "rtl" for Arabic, Hebrew...: the piece element's dir
    # The images the body shows, in order: the body refers to each by `ImageAsset.name`
    # (images/<hash>.<ext>); `ImageAsset.path` is the real file inside the project.
    images: tuple[ImageAsset, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    key_lines: dict[tuple[str | int, ...], int] = field(default_factory=dict, hash=False,
                                                        compare=False)

    @property
    def authors(self) -> tuple[Contributor, ...]:
        return tuple(c for c in self.contributors if c.role == "aut")

    @property
    def byline(self) -> str:
        names = [c.name for c in self.authors]
        if len(names) <= 2:
            return " and ".join(names)
        return ", ".join(names[:-1]) + " and " + names[-1]

    @property
    def is_review(self) -> bool:
        """Every piece is a review, with or without a known work, unless marked an essay."""
        return self.kind != "essay"

    def location_of(self, *path: str | int) -> Location:
        """The source location of a metadata key, or of the file when it has none."""
        for end in range(len(path), 0, -1):
            line = self.key_lines.get(path[:end])
            if line is not None:
                return self.source.at_line(line)
        return self.source
