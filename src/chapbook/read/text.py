"""Plain-text manuscripts in the layout of a review copied off a website.

First paragraph: the title. Second: the standfirst. Then paragraphs separated by blank
lines. Trailing site furniture ("More Stories:", "Sponsored Stories:", ...) is dropped.
"""

from __future__ import annotations

import re

from chapbook.core.diagnostics import Location, info
from chapbook.read.body import escape_markdown
from chapbook.read.cjk import join_lines
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


def extract(body: str, first_line: int, where: Location) -> TextParts:
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
    title_line, title = paragraphs[0]
    standfirst_line, standfirst = paragraphs[1] if len(paragraphs) > 1 else (None, None)
    rest = paragraphs[2:]
    markdown = "\n\n".join(escape_markdown(text) for _, text in rest)
    return TextParts(markdown, rest[0][0] if rest else first_line, title=title,
                     title_line=title_line, standfirst=standfirst,
                     standfirst_line=standfirst_line, diagnostics=tuple(notes))
