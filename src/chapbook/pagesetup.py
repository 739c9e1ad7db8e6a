"""Page geometry for the print edition: trim sizes, from presets or custom sizes."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .config import AnthologyConfig

# Common book trims (width x height). Names are what printers and KDP/IngramSpark call them.
TRIM_PRESETS: dict[str, tuple[str, str]] = {
    "a4": ("210mm", "297mm"),
    "a5": ("148mm", "210mm"),
    "a6": ("105mm", "148mm"),
    "b5": ("176mm", "250mm"),
    "b6": ("125mm", "176mm"),
    "5x8in": ("5in", "8in"),
    "5.25x8in": ("5.25in", "8in"),
    "5.5x8.5in": ("5.5in", "8.5in"),
    "6x9in": ("6in", "9in"),
}
_CUSTOM_TRIM = re.compile(r"^(\d+(?:\.\d+)?)x(\d+(?:\.\d+)?)(mm|cm|in|pt)$")


def trim_size(trim: str) -> tuple[str, str]:
    """('148mm', '210mm') for 'a5' or '148x210mm'; ValueError for anything else."""
    key = trim.strip().lower()
    if key in TRIM_PRESETS:
        return TRIM_PRESETS[key]
    custom = _CUSTOM_TRIM.match(key)
    if custom:
        width, height, unit = custom.groups()
        return f"{width}{unit}", f"{height}{unit}"
    raise ValueError(f"unknown trim '{trim}': use one of {', '.join(TRIM_PRESETS)} "
                     "or a size such as 130x200mm")


def page_css(book: AnthologyConfig) -> str:
    width, height = trim_size(book.print.trim)
    return f"@page {{ size: {width} {height}; }}\n"
