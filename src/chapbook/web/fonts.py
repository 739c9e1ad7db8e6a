"""The web edition's fonts: the style's faces the book needs, cut down to its characters
and compressed as WOFF2.

A family is needed when the site's style sheet names it first in a font stack (not one for
a language only: `:lang(ko)`), as magazine's headings name Inter Display, or when it draws
some character of the book that no family before it in the style's `fonts` draws: an
English book in classic gets Charis SIL and no Korean face, a book with a Korean review
gets Nanum Myeongjo too. Each needed face is subset to the
book's characters it draws (HarfBuzz, as for the EPUB), then compressed by fontTools
with Brotli. The same characters give the same bytes.
"""

from __future__ import annotations

import contextlib
import io
import re
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from fontTools.ttLib import TTFont

from chapbook.core.diagnostics import Diagnostic, Location, silenced, warning
from chapbook.core.files import replace_file
from chapbook.core.hashing import digest
from chapbook.epub.fonts import characters_of, subset_font
from chapbook.render.fontfaces import FontFace, draws_nothing, inked_chars, unicode_range
from chapbook.render.styles import Style

FONT_FOLDER = "fonts"
_FONT_FACE_RULE = re.compile(r"@font-face\s*{[^}]*}\s*", re.IGNORECASE)
_RULE = re.compile(r"([^{}]+){([^{}]*)}")  # a rule's selector and declarations (@media's too)
_FIRST_FAMILY = re.compile(r"""(?:font-family|--[\w-]*fonts)\s*:\s*["']([^"',;]+)["']""")


@dataclass(frozen=True)
class WebFont:
    """A face as the site serves it: fonts/<name>.woff2, and the characters it draws."""

    face: FontFace
    file_name: str  # fonts/X.woff2
    data: bytes
    characters: frozenset[int]

    def css(self) -> str:
        family = self.face.family.replace('"', "")
        return (f'@font-face {{ font-family: "{family}"; src: url("../{self.file_name}") '
                f'format("woff2"); font-style: {self.face.style}; '
                f"font-weight: {self.face.weight}; font-display: swap;"
                f" unicode-range: {unicode_range(self.characters)}; }}")


def first_families(css: str) -> set[str]:
    """The families a style sheet names first in a stack, in rules for every language."""
    found = set()
    for selector, declarations in _RULE.findall(css):
        if not any(mark in selector for mark in (":lang(", "[lang|=", "@font-face")):
            found.update(_FIRST_FAMILY.findall(declarations))
    return found


def needed_faces(style: Style, characters: set[str],
                 css: str = "") -> list[tuple[FontFace, frozenset[int]]]:
    """The style's faces the book needs, each with the book's characters it draws."""
    wanted = {ord(char) for char in characters}
    visible = {ord(char) for char in characters if not draws_nothing(char)}  # not a space
    drawn_before: set[int] = set()
    needed_families = {face.family for face in style.fonts} & first_families(css)
    for face in style.fonts:
        drawn = visible & inked_chars(face.path)[1]
        if face.family not in needed_families and drawn - drawn_before:
            needed_families.add(face.family)
        drawn_before |= drawn
    return [(face, frozenset(wanted & inked_chars(face.path)[1])) for face in style.fonts
            if face.family in needed_families]


def web_fonts(style: Style, texts: list[str], css: str,
              cache: Path | None) -> tuple[list[WebFont], list[Diagnostic]]:
    """The site's fonts for a book whose pages hold `texts`, styled by `css` (without its
    @font-face rules); a face that cannot be cut is
    left out with a warning (the page then takes the next family of its stack)."""
    fonts: list[WebFont] = []
    problems: list[Diagnostic] = []
    for face, drawn in needed_faces(style, characters_of(texts), css):
        chars = {chr(code) for code in drawn}
        try:
            data = _woff2(face.path, chars, cache)
        except Exception as exc:  # fontTools raises many kinds on a damaged font
            problems.append(warning("web-font-skipped", f"font '{face.path.name}' could not "
                                    f"be made into a web font ({type(exc).__name__}: {exc})",
                                    Location(str(face.path)), "check that the file is a valid "
                                    "TrueType or OpenType font"))
            continue
        fonts.append(WebFont(face, f"{FONT_FOLDER}/{face.path.stem}.woff2", data, drawn))
    return fonts, problems


def _woff2(path: Path, characters: set[str], cache: Path | None) -> bytes:
    key = digest("woff2", version("chapbook"), version("fonttools"), path.read_bytes(),
                 "".join(sorted(characters)))
    kept = cache / f"{key}.woff2" if cache else None
    if kept is not None and kept.is_file():
        with contextlib.suppress(OSError):
            return kept.read_bytes()
    with silenced("fontTools"), TTFont(io.BytesIO(subset_font(path, characters)),
                                       recalcTimestamp=False) as font:
        font.flavor = "woff2"  # Brotli: the brotli package must be installed
        out = io.BytesIO()
        font.save(out, reorderTables=False)
    data = out.getvalue()
    if kept is not None:
        with contextlib.suppress(OSError):  # a cache that cannot be written costs only time
            kept.parent.mkdir(parents=True, exist_ok=True)
            replace_file(kept, data)
    return data


def without_font_faces(css: str) -> str:
    """A style sheet without its @font-face rules (the EPUB's load .ttf files)."""
    return _FONT_FACE_RULE.sub("", css)


