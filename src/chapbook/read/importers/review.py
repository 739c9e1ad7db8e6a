"""What every importer makes (one `Imported` review a row) and how it reaches the pool:
validated as front matter, rendered as a Markdown or HTML manuscript, written atomically
and never over an existing file.

The rule for a slug already taken (by a manuscript of any format): a file holding exactly
the bytes this review would write is this review, imported before: skipped. Otherwise the
next free `slug-2`, `slug-3`... is used (a warning), unless one of those holds the same
bytes. So importing one export twice writes nothing the second time.
"""

from __future__ import annotations

import hashlib
import html
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from chapbook.core.diagnostics import Diagnostic, Location, Severity, error, warning
from chapbook.core.manuscript import Metadata, parse_rating
from chapbook.core.schema_errors import plain_reason
from chapbook.read.forms import normalise
from chapbook.read.frontmatter import YamlDocument
from chapbook.read.manuscript import slugify
from chapbook.read.pool import READERS
from chapbook.read.ratings import read_rating

_HEAD_KEYS = ("title", "author", "date", "tags", "language")


@dataclass(frozen=True)
class Imported:
    """One review: its front matter (as the README documents it) and body."""

    slug: str
    front: dict[str, Any]
    body: str
    line: int | None = None  # where it starts in the export
    suffix: str = ".md"  # or ".html": the body is then an HTML fragment


@dataclass
class Parsed:
    """What an importer found in an export, before anything is written."""

    reviews: list[Imported] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)  # why -> how many
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1


@dataclass(frozen=True)
class ImportResult:
    written: tuple[Path, ...] = ()
    unchanged: tuple[Path, ...] = ()  # imported before: left alone
    skipped: tuple[tuple[str, int], ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()


def make_slug(*parts: object) -> str:
    """A file name from what names the review (its title, the year...), the same on every
    import; a title with no Latin letter or digit (산책) gets one from its hash."""
    text = " ".join(str(part) for part in parts if part not in (None, ""))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
    return slugify(text) or f"review-{digest}"


def without_empty(values: dict[str, Any]) -> dict[str, Any]:
    """Front matter without the keys an export left blank."""
    return {key: value for key, value in values.items() if value not in (None, "", [], {})}


def check(review: Imported, where: Location, rating_scale: int) -> Diagnostic | None:
    """The review's front matter as a build will read it (every form the readers accept),
    or why it would not be read."""
    at = where.at_line(review.line)
    document, found = normalise(YamlDocument(dict(review.front), {}), at)
    refused = next((d for d in found if d.severity >= Severity.ERROR), None)
    if refused is not None:
        return error("import-bad-row", refused.message, at, refused.hint)
    try:
        Metadata.model_validate(document.data)
        _check_rating(document.data.get("rating"), rating_scale)
    except ValidationError as exc:
        problem = exc.errors()[0]
        name = ".".join(str(part) for part in problem["loc"])
        return error("import-bad-row", f"{name}: {plain_reason(problem)}", at)
    except ValueError as exc:
        return error("import-bad-row", str(exc), at)
    if not review.front.get("title"):
        return error("import-bad-row", "this review has no title", at)
    return None


def _check_rating(rating: Any, rating_scale: int) -> None:
    if rating is None:
        return
    try:
        parse_rating(rating, rating_scale)
    except ValueError:
        if not (isinstance(rating, str) and read_rating(rating)):  # stars, 85%, B+...
            raise


def render(review: Imported) -> bytes:
    if review.suffix == ".html":
        return _html_manuscript(review).encode("utf-8")
    body = review.body.replace("\r\n", "\n").strip()  # one line ending in the file
    return (_front_matter(review.front) + body + "\n").encode("utf-8")


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, without anchors: one date used twice is written twice."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _front_matter(front: dict[str, Any]) -> str:
    if not front:
        return ""
    text = yaml.dump(front, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{text}---\n"


def _html_manuscript(review: Imported) -> str:
    """Title, authors, date, tags and language in the head (html.py reads them there); the
    rest, which HTML has no place for, as front matter on top."""
    front = review.front
    lang = f' lang="{html.escape(front["language"])}"' if front.get("language") else ""
    head = [f"<title>{html.escape(front['title'])}</title>"]
    head += [_meta("author", name) for name in front.get("author", [])]
    if front.get("date"):
        head.append(_meta("date", str(front["date"])))
    if front.get("tags"):  # keywords are split on commas and semicolons when read
        words = (tag.replace(",", " ").replace(";", " ") for tag in front["tags"])
        head.append(_meta("keywords", ", ".join(words)))
    # The title in the front matter too, where it wins: the reader prefers a body's <h1>
    # and trims " | ..." from a <title>, and a post's own title must come back as it is.
    rest = {key: value for key, value in front.items()
            if key not in _HEAD_KEYS or key == "title"}
    return (_front_matter(rest) + f"<!DOCTYPE html>\n<html{lang}>\n<head>\n"
            + "\n".join(f"  {line}" for line in head) + "\n</head>\n<body>\n"
            + review.body.strip() + "\n</body>\n</html>\n")


def _meta(name: str, content: str) -> str:
    return f'<meta name="{name}" content="{html.escape(content)}">'


def write_reviews(reviews: Sequence[Imported], folder: Path,
                  where: Location) -> ImportResult:
    """Each review into `folder` under its slug (see the module's rule for a slug taken)."""
    folder.mkdir(parents=True, exist_ok=True)
    taken = {path.stem.lower(): path for path in folder.iterdir()
             if path.suffix.lower() in READERS}
    written: list[Path] = []
    unchanged: list[Path] = []
    notes: list[Diagnostic] = []
    for review in reviews:
        data = render(review)
        target, same = _place(review, data, taken, folder)
        if same:
            unchanged.append(target)
            continue
        _write_new(target, data)
        taken[target.stem.lower()] = target
        written.append(target)
        if target.stem != review.slug:
            notes.append(warning(
                "import-renamed", f"'{review.slug}' is taken by a manuscript with other "
                f"content: written as {target.name}", where.at_line(review.line)))
    return ImportResult(tuple(written), tuple(unchanged), diagnostics=tuple(notes))


def _place(review: Imported, data: bytes, taken: dict[str, Path],
           folder: Path) -> tuple[Path, bool]:
    """The file for a review, and whether it already holds exactly these bytes."""
    number = 1
    while True:
        stem = review.slug if number == 1 else f"{review.slug}-{number}"
        existing = taken.get(stem)
        if existing is None:
            return folder / f"{stem}{review.suffix}", False
        if existing.suffix == review.suffix and _holds(existing, data):
            return existing, True
        number += 1


def _holds(path: Path, data: bytes) -> bool:
    try:
        return path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _write_new(target: Path, data: bytes) -> None:
    """Whole or not at all, and never over a file that appeared meanwhile: written beside
    the target, then linked to its name (which fails if the name exists)."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        temporary.write_bytes(data)
        try:
            os.link(temporary, target)
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links: check, then rename
            if target.exists():
                raise FileExistsError(f"{target} exists") from None
            os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
