"""Markdown manuscripts: the body is already Markdown; a leading `# Heading` is the title."""

from __future__ import annotations

import re

from chapbook.core.diagnostics import Location
from chapbook.read.textparts import TextParts

_ATX_TITLE = re.compile(r"^#[ \t]+(.+?)[ \t#]*$")


def extract(body: str, first_line: int, where: Location) -> TextParts:
    lines = body.split("\n")
    index = next((i for i, line in enumerate(lines) if line.strip()), None)
    if index is not None:
        match = _ATX_TITLE.match(lines[index].strip())
        if match:
            rest = "\n".join(lines[index + 1:])
            return TextParts(rest, first_line + index + 1, title=match.group(1),
                             title_line=first_line + index)
    return TextParts(body, first_line)
