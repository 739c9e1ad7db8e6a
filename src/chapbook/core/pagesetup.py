"""Page geometry for the print edition: trim sizes, bleed and printer's marks, by profile.

The style's CSS owns margins and typography; this module owns only what the press
configures per book: the trim (`@page size`), and for the `print` profile the bleed and
marks. The `screen` profile has neither.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
_LENGTH = re.compile(r"^(\d+(?:\.\d+)?)(mm|cm|in|pt)$")
POINTS_PER_UNIT = {"pt": 1.0, "in": 72.0, "mm": 72 / 25.4, "cm": 72 / 2.54}


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


def css_length(length: str) -> float:
    """A length such as '3mm' in PostScript points; ValueError for anything else."""
    match = _LENGTH.match(length.strip().lower())
    if not match:
        raise ValueError(f"'{length}' is not a length such as 3mm, 0.125in or 9pt")
    return float(match.group(1)) * POINTS_PER_UNIT[match.group(2)]


@dataclass(frozen=True)
class PageSetup:
    profile: str  # "print" or "screen"
    width: str
    height: str
    bleed: str | None
    marks: tuple[str, ...]

    @property
    def css(self) -> str:
        rules = [f"size: {self.width} {self.height};"]
        if self.bleed:
            rules.append(f"bleed: {self.bleed};")
        if self.marks:
            rules.append(f"marks: {' '.join(self.marks)};")
        return "@page { " + " ".join(rules) + " }\n"

