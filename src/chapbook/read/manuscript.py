"""Validate front matter plus what the text itself says, and freeze it into a `Manuscript`."""

from __future__ import annotations

import difflib
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote
from xml.etree import ElementTree

from pydantic import ValidationError

from chapbook.core.diagnostics import Diagnostic, Location, error, info, warning
from chapbook.core.images import resolve_image
from chapbook.core.language import direction
from chapbook.core.manuscript import (
    RESERVED_NAMES,
    ROLE_CODES,
    Contributor,
    Manuscript,
    Metadata,
    Rating,
    Work,
    parse_rating,
)
from chapbook.core.schema_errors import one_per_value, plain_reason
from chapbook.read.body import render_body, smarten
from chapbook.read.forms import ALIASES, READ_AS, normalise
from chapbook.read.frontmatter import YamlDocument
from chapbook.read.headline import work_title
from chapbook.read.ratings import read_rating
from chapbook.read.xhtml import Finding, Fragment

if TYPE_CHECKING:
    from chapbook.read.textparts import ReadSettings, TextParts


def manuscript_from_parts(path: Path, where: Location, document: YamlDocument,
                          parts: TextParts, digest: str,
                          settings: ReadSettings) -> tuple[Manuscript | None, list[Diagnostic]]:
    document, problems = normalise(document, where)
    meta, invalid = _validate(document, where)
    problems += invalid
    if meta is None:
        return None, problems
    title = meta.title or parts.title
    if not title:
        problems.append(error("missing-title", "the piece has no title", where.at_line(1),
                              "add 'title: ...' to the front matter, or start the text "
                              "with the title line"))
        return None, problems
    if meta.title and parts.title and _plain(parts.title) != _plain(meta.title):
        problems.append(info("title-twice", f"the front matter title wins over the heading "
                             f"'{parts.title[:60]}'", where.at_line(parts.title_line)))
    rating, rating_problem = _rating(meta, document, where, settings)
    if rating_problem:
        problems.append(rating_problem)
    work, work_note = _work(meta, title, where.at_line(document.line_of(("title",))
                                                        or parts.title_line))
    problems += work_note
    language = meta.language or settings.default_language
    slug = meta.slug or slugify(path.stem) or f"piece-{digest[:8]}"
    fragment = _render(path, parts, language, slug, settings)
    body = fragment.xhtml
    problems.extend(_located(finding, parts, where) for finding in fragment.findings)
    problems.extend(_check_body(body, parts, where))
    contributors = _contributors(meta)
    if not contributors:
        problems.append(warning("missing-author", "the piece names no author",
                                where.at_line(1), "add 'author: Name' to the front matter"))
    if meta.work and meta.date is None:
        problems.append(warning("missing-date", "the review has no date", where.at_line(1),
                                "add 'date: YYYY-MM-DD' to the front matter"))
    problems.extend(_extras(meta, document, where))
    piece_direction, direction_note = _direction(meta, language, (title, parts.body_markdown),
                                                 where.at_line(document.line_of(("dir",))))
    problems += direction_note
    standfirst = meta.standfirst or parts.standfirst
    manuscript = Manuscript(
        slug=slug, source=where, path=path, title=smarten(title, language),
        body_html=body, content_hash=digest, language=language,
        standfirst=smarten(standfirst, language) if standfirst else None,
        contributors=contributors, date=meta.date, work=work, rating=rating,
        tags=tuple(dict.fromkeys(meta.tags)), source_info=meta.source, status=meta.status,
        kind=meta.kind, direction=piece_direction, images=fragment.images,
        extra=dict(meta.model_extra or {}), key_lines=dict(document.key_lines),
    )
    return manuscript, problems


def _render(path: Path, parts: TextParts, language: str, slug: str,
            settings: ReadSettings) -> Fragment:
    """The body as XHTML; images resolve relative to the manuscript, inside the project."""
    folder = path.parent
    return render_body(parts.body_markdown, language, slug, settings.raw_html,
                       lambda src: resolve_image(src, folder, settings.root))


def _located(finding: Finding, parts: TextParts, where: Location) -> Diagnostic:
    """A finding in the body, at the line of the source where its link or image is."""
    source = parts.body_markdown
    candidates = [n for needle in finding.needles for n in (needle, unquote(needle)) if n]
    offset = next((found for n in candidates if (found := source.find(n)) >= 0), -1)
    line = parts.body_first_line + (source.count("\n", 0, offset) if offset >= 0 else 0)
    return warning(finding.code, finding.message, where.at_line(line), finding.hint)


def _validate(document: YamlDocument, where: Location) -> tuple[Metadata | None, list[Diagnostic]]:
    try:
        return Metadata.model_validate(document.data), []
    except ValidationError as exc:
        return None, [_located_error(item, document, where)
                      for item in one_per_value(exc.errors())]


def _located_error(item: Any, document: YamlDocument, where: Location) -> Diagnostic:
    path = tuple(item["loc"])
    key = ".".join(str(part) for part in path) or "front matter"
    line = document.line_of(path)
    return error("bad-metadata", f"'{key}': {plain_reason(item)}", where.at_line(line),
                 _HINTS.get(str(path[0]) if path else ""))


_HINTS = {
    "date": "write dates as YYYY-MM-DD, e.g. 2024-03-23, or as 23 March 2024",
    "work": "work needs 'title' and 'kind' (film, series, book, album, game, play, podcast)",
    "kind": "kind is 'review' (the default) or 'essay'; the kind of work reviewed goes in "
            "work: {title: ..., kind: film}",
    "language": "use a language tag such as en, fr, ko or pt-BR",
    "slug": "use lower-case letters, digits and hyphens, e.g. my-review",
    "status": "use 'ready' or 'draft'",
    "source": "source takes publication, url and first_published (YYYY-MM-DD)",
}


def _rating(meta: Metadata, document: YamlDocument, where: Location,
            settings: ReadSettings) -> tuple[Rating | None, Diagnostic | None]:
    if meta.rating is None:
        return None, None
    at = where.at_line(document.line_of(("rating",)))
    try:
        return parse_rating(meta.rating, settings.rating_scale), None
    except ValueError as exc:
        found = read_rating(meta.rating) if isinstance(meta.rating, str) else None
        if found:
            return found[0], info(READ_AS, f"rating '{meta.rating}' read as {found[1]}", at)
        return None, error("bad-rating", str(exc), at,
                           "write the rating as 4/5, 8/10, a number on the press's scale, "
                           "stars (★★★½), 85% or a letter grade (B+)")


def _work(meta: Metadata, title: str, at: Location) -> tuple[Work | None, list[Diagnostic]]:
    """The declared work; else, for a review, the one its headline names plainly."""
    if meta.work is not None or meta.kind == "essay":
        return meta.work, []
    found = work_title(title)
    if found is None:
        return None, []
    return Work(title=found, kind="other"), [
        info("work-from-headline", f"the work reviewed read from the headline: '{found}' "
             "(kind 'other')", at, "add work: {title: ..., kind: ...} to say otherwise")]


def _direction(meta: Metadata, language: str, texts: tuple[str, ...],
               at: Location) -> tuple[str, list[Diagnostic]]:
    """`dir: auto` as HTML reads it: from the first strong character of the text."""
    if meta.dir != "auto":
        return meta.dir or direction(language), []
    for text in texts:
        for char in text:
            kind = unicodedata.bidirectional(char)
            if kind in ("L", "R", "AL"):
                found = "ltr" if kind == "L" else "rtl"
                return found, [info(READ_AS, f"dir 'auto' read as '{found}' (the text's first "
                                    f"letter, '{char}', is written {found})", at)]
    return direction(language), [info(READ_AS, "dir 'auto' read as the language's "
                                      "direction (the text has no letters)", at)]


def _contributors(meta: Metadata) -> tuple[Contributor, ...]:
    people = [Contributor(name, "aut") for name in meta.author]
    people += [Contributor(ref.name, ROLE_CODES[ref.role]) for ref in meta.contributors]
    return tuple(dict.fromkeys(people))


def _check_body(body: str, parts: TextParts, where: Location) -> list[Diagnostic]:
    if not body.strip():
        return [warning("empty-body", "the piece has no text after its title",
                        where.at_line(parts.body_first_line))]
    try:  # the renderer escapes raw HTML, so this only guards against our own mistakes
        ElementTree.fromstring(f"<div>{body}</div>")
    except ElementTree.ParseError as exc:
        return [error("bad-markup", f"the body does not render to valid XHTML: {exc}", where)]
    return []


_KNOWN_KEYS = sorted({*Metadata.model_fields, *ALIASES})


def _extras(meta: Metadata, document: YamlDocument, where: Location) -> list[Diagnostic]:
    return [info("extra-metadata", f"unknown key '{key}' kept as extra metadata"
                 + _did_you_mean(key), where.at_line(document.line_of((key,))))
            for key in (meta.model_extra or {})]


def _did_you_mean(key: str) -> str:
    close = difflib.get_close_matches(key, _KNOWN_KEYS, n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _plain(text: str) -> str:
    return re.sub(r"\W+", "", text).lower()


def slugify(text: str) -> str:
    """ASCII slug for file names and ids: 'Tidewater Hours!' -> 'tidewater-hours'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80].strip("-")
    return f"{slug}-piece" if slug in RESERVED_NAMES else slug
