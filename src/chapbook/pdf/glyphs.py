"""Which face will draw a character, and whether it draws anything.

The faces are tried in WeasyPrint's order for a piece's language: the style's fonts and
the fallback fonts (each limited to the characters it really draws: the generated
@font-face rules carry that unicode-range), then the style's script fonts for the
language (installed families), then fontconfig's fallback for the generic family and the
language. The first face whose character map has the character draws it; if its glyph
there is empty, the page shows a blank. Faces are read with HarfBuzz, which maps the
file and answers per character, so a 20 MB CJK collection costs microseconds, not the
seconds of reading its tables; answers are kept per face for the process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import uharfbuzz as hb

from chapbook.pdf.fontconfig import FontFile, fallback_files, family_file
from chapbook.render.fontfaces import GENERIC_FAMILIES, blank_glyph
from chapbook.render.styles import Style

_ABSENT, _INKED, _BLANK = 0, 1, 2
DEFAULT_GENERIC = "sans-serif"  # what fontconfig falls back to when a list names none


@dataclass(frozen=True)
class Face:
    """A face that may draw a character: where it is, and what the messages call it."""

    path: Path
    index: int
    name: str
    from_system: bool  # found by fontconfig's fallback, not named by the style or press


@dataclass(frozen=True)
class Drawn:
    face: Face
    blank: bool  # the face maps the character to a glyph with no outline


class _OpenFace:
    """One face, opened once, with its answers so far."""

    def __init__(self, path: Path, index: int) -> None:
        self.font = hb.Font(hb.Face(hb.Blob.from_file_path(str(path)), index))
        self.answers: dict[int, int] = {}

    def state(self, code: int) -> int:
        if code not in self.answers:
            glyph = self.font.get_nominal_glyph(code)
            self.answers[code] = (_ABSENT if glyph is None
                                  else _BLANK if blank_glyph(self.font, glyph) else _INKED)
        return self.answers[code]


@cache
def _opened(path: Path, index: int) -> _OpenFace | None:
    try:
        return _OpenFace(path, index)
    except Exception:  # an unreadable font covers nothing; WeasyPrint says why
        return None


def _state(face: Face, code: int) -> int:
    opened = _opened(face.path, face.index)
    return opened.state(code) if opened else _ABSENT


@dataclass
class FaceStack:
    """The faces a piece in one language is set with, in the order they are tried."""

    own: tuple[Face, ...]  # the style's fonts and the fallback fonts
    scripts: tuple[Face, ...]  # the style's script fonts the machine has
    generic: str
    language: str
    _found: dict[str, Drawn | None] = field(default_factory=dict)
    _fallback: tuple[Face, ...] | None = None

    def draw(self, char: str) -> Drawn | None:
        """The face that draws `char`, or None if no face has it."""
        if char not in self._found:
            self._found[char] = self._search(ord(char))
        return self._found[char]

    def _search(self, code: int) -> Drawn | None:
        for face in self.own:  # limited to what they draw: a blank one is passed over
            if _state(face, code) == _INKED:
                return Drawn(face, blank=False)
        return self._first_with(code, self.scripts) or self._first_with(code, self._system())

    @staticmethod
    def _first_with(code: int, faces: tuple[Face, ...]) -> Drawn | None:
        for face in faces:
            state = _state(face, code)
            if state != _ABSENT:
                return Drawn(face, blank=state == _BLANK)
        return None

    def _system(self) -> tuple[Face, ...]:
        """fontconfig's fallback, asked only for a character the named faces lack."""
        if self._fallback is None:
            self._fallback = tuple(Face(found.path, found.index, found.family, True)
                                   for found in fallback_files(self.generic, self.language))
        return self._fallback


def face_stack(style: Style, language: str) -> FaceStack:
    own = [Face(face.path, 0, face.family, False) for face in style.fonts]
    own += [Face(path, 0, path.name, False) for path in style.fallback_fonts]
    scripts = [Face(found.path, found.index, found.family, False)
               for found in _installed(style.script_fonts_for(language))]
    generic = next((name for name in reversed(style.script_fonts) if name in GENERIC_FAMILIES),
                   DEFAULT_GENERIC)
    return FaceStack(tuple(own), tuple(dict.fromkeys(scripts)), generic, language)


def _installed(families: tuple[str, ...]) -> list[FontFile]:
    found = (family_file(name) for name in families if name not in GENERIC_FAMILIES)
    return [face for face in found if face is not None]

