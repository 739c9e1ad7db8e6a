"""Plain-text manuscripts in the layout of a review copied off a website.

First paragraph: the title. Second: the standfirst. Then paragraphs separated by blank
lines. Trailing site furniture ("More Stories:", "Sponsored Stories:", ...) is dropped.

Front matter comes first, and no paragraph is lost to it. With a `title:` the first
paragraph is the title only if it says the same (compared loosely: case, punctuation,
spacing and quote style aside); otherwise it is the start of the body. The paragraph after
a title line is the standfirst, as in the layout above, unless the front matter has a
`standfirst:`: then that paragraph is consumed only if it says the same, and otherwise
stays in the body. Without a title line, a paragraph is never taken as the standfirst.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from chapbook.core.diagnostics import Location, info
from chapbook.read.body import escape_markdown
from chapbook.read.cjk import join_lines
from chapbook.read.forms import ALIASES
from chapbook.read.textparts import TextParts

# A paragraph that is only one of these labels starts the site's furniture: it and
# everything after it are navigation, not the review.
_FURNITURE = re.compile(
    r"^(more stories|sponsored stories|sponsored|related stories|related articles|related"
    r"|read more|read next|recommended( for you)?|you (may|might) also like|advertisement"
    r"|share this( article| story)?|trending( now)?|most popular|latest stories)\s*:?$",
    re.IGNORECASE,
)


def _paragraphs(body: str, first_line: int) -> list[tuple[int, str]]:
    """(line, text) for each blank-line separated paragraph; hard-wrapped lines are joined."""
    found: list[tuple[int, str]] = []
    current: list[str] = []
    start = first_line
    for offset, line in enumerate(body.split("\n")):
        if line.strip():
            if not current:
                start = first_line + offset
            current.append(line.strip())
        elif current:
            found.append((start, join_lines(current)))
            current = []
    if current:
        found.append((start, join_lines(current)))
    return found


def extract(body: str, first_line: int, where: Location,
            front: Mapping[str, Any] | None = None) -> TextParts:
    paragraphs = _paragraphs(body, first_line)
    cut = next((i for i, (_, text) in enumerate(paragraphs) if _FURNITURE.match(text)), None)
    notes = []
    if cut is not None:
        dropped = len(paragraphs) - cut
        notes.append(info("site-furniture-dropped",
                          f"dropped {dropped} trailing paragraph(s) of site furniture "
                          f"starting '{paragraphs[cut][1][:40]}'",
                          where.at_line(paragraphs[cut][0])))
        paragraphs = paragraphs[:cut]
    if not paragraphs:
        return TextParts("", first_line, diagnostics=tuple(notes))
    title, standfirst, rest = _heading(paragraphs, front or {})
    markdown = "\n\n".join(escape_markdown(text) for _, text in rest)
    return TextParts(markdown, rest[0][0] if rest else first_line,
                     title=title[1] if title else None, title_line=title[0] if title else None,
                     standfirst=standfirst[1] if standfirst else None,
                     standfirst_line=standfirst[0] if standfirst else None,
                     diagnostics=tuple(notes))


Paragraph = tuple[int, str]  # (line, text)


def _heading(paragraphs: list[Paragraph], front: Mapping[str, Any]) -> tuple[
        Paragraph | None, Paragraph | None, list[Paragraph]]:
    """(title, standfirst, body): the leading paragraphs the front matter leaves as they
    are (see the module docstring); a title or standfirst the front matter repeats is
    consumed and comes back as None."""
    given_title, given_standfirst = _given(front, "title"), _given(front, "standfirst")
    rest = list(paragraphs)
    title: Paragraph | None = None
    if given_title is None:
        title = rest.pop(0)
    elif _same(rest[0][1], given_title):
        rest.pop(0)
    title_line_read = len(rest) < len(paragraphs)
    if not rest or (not title_line_read and given_standfirst is None):
        return title, None, rest
    if given_standfirst is not None:
        if _same(rest[0][1], given_standfirst):
            rest.pop(0)
        return title, None, rest
    return title, rest.pop(0), rest


def _given(front: Mapping[str, Any], key: str) -> str | None:
    """What the front matter gives for a key or another name of it (`headline:`), as text
    (a bare `title: 1984` is a number)."""
    names = [key, *(alias for alias, target in ALIASES.items() if target == key)]
    value = next((front[name] for name in names if front.get(name) is not None), None)
    return None if value is None or isinstance(value, dict | list) else str(value)


# Quotes and dashes as typed or as typography made them compare equal: only letters and
# digits count.
_NOT_WORD = re.compile(r"[\W_]+")


def _same(paragraph: str, given: str) -> bool:
    """Whether a paragraph says what the front matter says, loosely."""
    def plain(text: str) -> str:
        return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text)).casefold()

    return bool(plain(given)) and plain(paragraph) == plain(given)
