"""A style's font faces as CSS: @font-face rules, family lists, and which characters a
face really draws (a face may map characters to empty glyphs, as NanumSquare does CJK
ideographs: those are left to the next font with a unicode-range)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import uharfbuzz as hb
from fontTools.ttLib import TTFont


@dataclass(frozen=True)
class FontFace:
    family: str
    path: Path
    style: str = "normal"
    weight: str = "normal"


def font_family(font: Path) -> str:
    """The family name recorded in a font file (name ID 16, else 1)."""
    try:
        with TTFont(font, lazy=True) as face:
            names = face["name"]  # the typographic family (16) groups weights: "Inter Display"
            return str(names.getDebugName(16) or names.getDebugName(1) or "")
    except Exception:  # a damaged font is reported where it is embedded; here it is unnamed
        return ""


GENERIC_FAMILIES = frozenset({"serif", "sans-serif", "monospace", "cursive", "fantasy",
                              "system-ui"})


def families_css(names: tuple[str, ...]) -> str:
    """A CSS family list: names quoted, generic families as keywords."""
    listed = [name if name in GENERIC_FAMILIES else '"{}"'.format(name.replace('"', ""))
              for name in dict.fromkeys(names)]
    return ", ".join(listed) or '"chapbook-no-script-font"'


def font_face_css(face: FontFace) -> str:
    family = face.family.replace('"', "")
    inked = inked_range(face.path)
    limit = f" unicode-range: {inked};" if inked else ""
    return (f'@font-face {{ font-family: "{family}"; src: url("{face.path.as_uri()}"); '
            f"font-style: {face.style}; font-weight: {face.weight};{limit} }}")


# Default-ignorable characters that are not format controls (Cf), and the few format
# controls that do show (prepended concatenation marks such as ARABIC NUMBER SIGN).
_IGNORABLE = frozenset({0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0,
                        *range(0x180B, 0x1810), *range(0xFE00, 0xFE10),
                        *range(0xE0100, 0xE01F0)})
_VISIBLE_FORMAT = frozenset({*range(0x0600, 0x0606), 0x06DD, 0x070F, 0x0890, 0x0891, 0x08E2,
                             0x110BD, 0x110CD})


def draws_nothing(char: str) -> bool:
    """Spaces, controls and default-ignorable characters (ZWJ, soft hyphen, bidi marks,
    variation selectors): nothing to see, so a font may map them to an empty glyph."""
    code = ord(char)
    if char.isspace() or code in _IGNORABLE:
        return True
    category = unicodedata.category(char)
    return category == "Cc" or (category == "Cf" and code not in _VISIBLE_FORMAT)


def blank_glyph(font: hb.Font, glyph: int) -> bool:
    """A glyph with no outline: it prints nothing (the cmap is not the coverage: a font
    may map characters it does not draw, as NanumSquare does CJK ideographs)."""
    extents = font.get_glyph_extents(glyph)
    return extents is None or (extents.width == 0 and extents.height == 0)


def inked_range(path: Path) -> str | None:
    """A unicode-range of the characters a face draws, for a face that maps some to empty
    glyphs (None for the others): WeasyPrint then takes those from the next font."""
    mapped, inked = inked_chars(path)
    return None if len(inked) == len(mapped) else unicode_range(inked)


def unicode_range(codes: frozenset[int]) -> str:
    """CSS's unicode-range of these code points, in runs: "U+20-7E, U+A0"."""
    runs: list[list[int]] = []
    for code in sorted(codes):
        if runs and runs[-1][1] == code - 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return ", ".join(f"U+{low:X}" if low == high else f"U+{low:X}-{high:X}"
                     for low, high in runs)


def inked_chars(path: Path) -> tuple[frozenset[int], frozenset[int]]:
    """The characters a face maps, and those it draws (or that draw nothing anyway)."""
    try:
        stamp = path.stat()
    except OSError:
        return frozenset(), frozenset()  # a missing file is reported where it is loaded
    return _inked_chars(path, stamp.st_size, stamp.st_mtime_ns)


@cache
def _inked_chars(path: Path, size: int, modified: int) -> tuple[frozenset[int], frozenset[int]]:
    try:
        font = hb.Font(hb.Face(hb.Blob.from_file_path(str(path)), 0))
        mapped = frozenset(font.face.unicodes)
    except Exception:  # an unreadable font is reported where WeasyPrint loads it
        return frozenset(), frozenset()
    return mapped, frozenset(code for code in mapped if draws_nothing(chr(code))
                             or not blank_glyph(font, font.get_nominal_glyph(code) or 0))
