"""Front matter as people write it, normalised into the keys and shapes `Metadata` declares.

Manuscripts come from many tools: `reviewer: By Jane Doe & Sam Lee`, `tags: drama,
thriller`, `source: The Lantern Review`, `date: 23 March 2024`, `language: French`. Each
such form is rewritten into the canonical one before validation, with an info saying how
it was read (code `metadata-read-as`, at the key's line), so nothing is silently guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from chapbook.core.diagnostics import Diagnostic, Location, error, info, warning
from chapbook.core.manuscript import WORK_KINDS, Metadata
from chapbook.read.dates import is_iso_date, read_date, spoken
from chapbook.read.frontmatter import KeyPath, YamlDocument
from chapbook.read.languages import EXAMPLE, read_language

READ_AS = "metadata-read-as"
# What other tools call our keys; the first alias of a key present wins over later ones.
ALIASES = {"reviewer": "author", "score": "rating", "published": "date",
           "headline": "title", "subtitle": "standfirst", "summary": "standfirst"}
_BY = re.compile(r"^by(?:\s+|$)", re.IGNORECASE)
_AND = re.compile(r"\s*,?\s+(?:and|&)\s+|\s*&\s*", re.IGNORECASE)
# The note on a key that changes another's reading goes where that other key is.
_LOCATED_AT = {"rating_scale": "rating"}
_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)?\s*$")
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)

Data = dict[str, Any]
Lines = dict[KeyPath, int]


def normalise(document: YamlDocument, where: Location) -> tuple[YamlDocument, list[Diagnostic]]:
    """The document with every accepted form rewritten, and what was read how."""
    data: Data = dict(document.data)
    lines: Lines = dict(document.key_lines)
    problems = _capitalised(data, lines, where) + _aliases(data, lines, where)
    for key, reader in _READERS.items():
        if key in data and data[key] is not None:
            at = where.at_line(lines.get((_LOCATED_AT.get(key, key),)))
            problems.extend(reader(data, at))
    return YamlDocument(data, lines), problems


def _capitalised(data: Data, lines: Lines, where: Location) -> list[Diagnostic]:
    """`Title:`, `AUTHOR:` as `title:`, `author:` (tools that write headers capitalised)."""
    known = set(Metadata.model_fields) | set(ALIASES)
    problems: list[Diagnostic] = []
    for key in [k for k in data if isinstance(k, str) and k not in known]:
        lower = key.casefold()
        if lower in known and lower not in data:
            data[lower] = data.pop(key)
            for path, line in list(lines.items()):
                if path[0] == key:
                    lines[(lower, *path[1:])] = line
            problems.append(info(READ_AS, f"'{key}' read as '{lower}'",
                                 where.at_line(lines.get((key,)))))
    return problems


def _aliases(data: Data, lines: Lines, where: Location) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    present = sorted((alias for alias in ALIASES if alias in data),
                     key=lambda alias: lines.get((alias,), 0))  # notes in the file's order
    for alias in present:
        key = ALIASES[alias]
        at = where.at_line(lines.get((alias,)))
        value = data.pop(alias)
        if key in data:
            problems.append(warning("metadata-alias-ignored", f"'{alias}' is another name "
                                    f"for '{key}', which is also given: '{key}' is kept",
                                    at, f"remove '{alias}'"))
            continue
        data[key] = value
        for path, line in list(lines.items()):
            if path[0] == alias:
                lines[(key, *path[1:])] = line
        problems.append(info(READ_AS, f"'{alias}' read as '{key}'", at))
    return problems


def _author(data: Data, at: Location) -> list[Diagnostic]:
    raw = data["author"]
    if isinstance(raw, str):
        names = _names(raw)
    elif isinstance(raw, list) and all(isinstance(item, str) for item in raw):
        names = [_BY.sub("", item).strip() for item in raw]
    else:
        return []
    if names == [item.strip() for item in ([raw] if isinstance(raw, str) else raw)]:
        return []
    if not [name for name in names if name]:  # "By" alone names nobody
        del data["author"]
        return [info(READ_AS, f"author '{_short(raw)}' names nobody: left out", at)]
    data["author"] = [name for name in names if name]
    shown = ", ".join(f"'{name}'" for name in names)
    return [info(READ_AS, f"author '{_short(raw)}' read as {len(names)} author(s): {shown}",
                 at)]


def _names(text: str) -> list[str]:
    """'By Jane Doe, Sam Lee and Ana Ruiz' -> three names; a leading 'By' is no name.

    A comma separates names only beside an 'and' or between names of two words or more:
    'Doe, Jane' is one person written surname first.
    """
    parts = [part.strip() for part in _AND.split(_BY.sub("", text.strip())) if part.strip()]
    names: list[str] = []
    for part in parts:
        pieces = [piece.strip() for piece in part.split(",") if piece.strip()]
        if len(pieces) > 1 and all(len(piece.split()) > 1 for piece in pieces):
            names += pieces
        else:
            names.append(part)
    return names


def _tags(data: Data, at: Location) -> list[Diagnostic]:
    raw = data["tags"]
    if not isinstance(raw, str) or "," not in raw:
        return []
    data["tags"] = [tag.strip() for tag in raw.split(",") if tag.strip()]
    return [info(READ_AS, f"tags '{_short(raw)}' read as {len(data['tags'])} tags", at)]


def _work(data: Data, at: Location) -> list[Diagnostic]:
    raw = data["work"]
    if not isinstance(raw, str | int) or isinstance(raw, bool):
        return []
    data["work"] = {"title": str(raw), "kind": "other"}
    return [info(READ_AS, f"work '{_short(raw)}' read as a work titled '{_short(raw)}' of "
                 "kind 'other'", at, "write work: {title: ..., kind: film} to give its kind")]


def _work_kind(data: Data, at: Location) -> list[Diagnostic]:
    """`kind: film` beside the work: the work's kind (`kind` itself says review or essay)."""
    raw, work = data["kind"], data.get("work")
    if raw not in WORK_KINDS or not isinstance(work, dict) or work.get("kind") not in (
            None, "other"):
        return []
    work["kind"] = data.pop("kind")
    return [info(READ_AS, f"kind '{raw}' read as the kind of the work reviewed", at)]


def _source(data: Data, at: Location) -> list[Diagnostic]:
    raw = data["source"]
    if isinstance(raw, dict) and isinstance(raw.get("first_published"), str):
        data["source"] = raw = dict(raw)
        return _read_date(raw, "first_published", at)
    if not isinstance(raw, str) or not raw.strip():
        return []
    field = "url" if _URL.match(raw.strip()) else "publication"
    data["source"] = {field: raw.strip()}
    return [info(READ_AS, f"source '{_short(raw)}' read as its {field}", at)]


def _date(data: Data, at: Location) -> list[Diagnostic]:
    return _read_date(data, "date", at)


def _read_date(data: Data, key: str, at: Location) -> list[Diagnostic]:
    raw = data[key]
    if not isinstance(raw, str) or is_iso_date(raw):
        return []
    reading = read_date(raw)
    if reading.ambiguous:
        data.pop(key)
        first, second = reading.ambiguous
        return [error("ambiguous-date", f"{key} '{_short(raw)}' could be {spoken(first)} or "
                      f"{spoken(second)}", at, f"write it as {first.isoformat()} or "
                      f"{second.isoformat()} (YYYY-MM-DD), or with the month's name")]
    if reading.date is None:
        return []  # the validator reports it, at its line
    data[key] = reading.date.isoformat()
    return [info(READ_AS, f"{key} '{_short(raw)}' read as {spoken(reading.date)}", at)]


def _language(data: Data, at: Location) -> list[Diagnostic]:
    raw = data["language"]
    if not isinstance(raw, str):
        return []
    reading = read_language(raw)
    if reading.tag is None:
        data.pop("language")
        return [error("bad-language", f"'language': '{_short(raw)}' is neither a language "
                      "tag nor a language name", at, f"use a language tag such as {EXAMPLE}")]
    data["language"] = reading.tag
    if not reading.from_name:
        return []
    return [info(READ_AS, f"language '{_short(raw)}' read as '{reading.tag}'", at)]


def _rating_scale(data: Data, at: Location) -> list[Diagnostic]:
    """`rating: 7` with `rating_scale: 10` is 7/10: the scale joins the rating."""
    rating, scale = data.get("rating"), data["rating_scale"]
    bare = (isinstance(rating, int | float) and not isinstance(rating, bool)) or (
        isinstance(rating, str) and _NUMBER.match(rating) is not None)
    if isinstance(scale, str) and scale.strip().isdigit():  # rating_scale: '10'
        scale = int(scale)
    if not (isinstance(scale, int) and not isinstance(scale, bool) and scale > 0):
        del data["rating_scale"]
        return [warning("rating-scale-ignored", f"rating_scale '{_short(scale)}' is not a "
                        "whole number above 0: left out", at, "write e.g. rating_scale: 10")]
    if rating is not None and not bare:
        return [warning("rating-scale-ignored", f"rating_scale {scale} does not apply to rating "
                        f"'{_short(rating)}', which has a scale of its own", at)]
    if bare:
        rating = str(rating).strip()
        data["rating"] = f"{rating}/{scale}"
        return [info(READ_AS, f"rating {rating} read as {rating}/{scale} (rating_scale)", at)]
    return []


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


_READERS: dict[str, Callable[[Data, Location], list[Diagnostic]]] = {
    "author": _author, "tags": _tags, "work": _work, "kind": _work_kind, "source": _source,
    "date": _date,
    "language": _language, "rating_scale": _rating_scale,
}
