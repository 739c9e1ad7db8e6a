"""Which writing system a character belongs to, and a free font that covers it.

Python's `unicodedata` has no script property, but a character's name starts with its
script or block ("ARABIC LETTER BEH", "CJK UNIFIED IDEOGRAPH-4E00"); that is enough to
suggest a font when a style lacks one.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class FontSuggestion:
    family: str
    package: str  # the Debian package that has it


_NAME_PREFIXES = {
    "CJK": "Chinese/Japanese (CJK)", "IDEOGRAPHIC": "Chinese/Japanese (CJK)",
    "FULLWIDTH": "Chinese/Japanese (CJK)", "HALFWIDTH": "Chinese/Japanese (CJK)",
    "KANGXI": "Chinese/Japanese (CJK)", "BOPOMOFO": "Chinese/Japanese (CJK)",
    "HIRAGANA": "Japanese", "KATAKANA": "Japanese", "HANGUL": "Korean",
}

_SUGGESTIONS = {
    "Arabic": FontSuggestion("Noto Naskh Arabic", "fonts-noto-core"),
    "Hebrew": FontSuggestion("Noto Serif Hebrew", "fonts-noto-core"),
    "Chinese/Japanese (CJK)": FontSuggestion("Noto Serif CJK", "fonts-noto-cjk"),
    "Japanese": FontSuggestion("Noto Serif CJK JP", "fonts-noto-cjk"),
    "Korean": FontSuggestion("Nanum Myeongjo", "fonts-nanum"),
    "Emoji": FontSuggestion("Noto Emoji", "fonts-noto-core"),
    "Symbols": FontSuggestion("Noto Sans Symbols 2", "fonts-noto-core"),
}

# Scripts with a "Noto Sans <Script>" in fonts-noto-core: the Indic scripts among them.
_NOTO_SANS = ("Devanagari", "Bengali", "Gurmukhi", "Gujarati", "Oriya", "Tamil", "Telugu",
              "Kannada", "Malayalam", "Sinhala", "Thai", "Lao", "Khmer", "Myanmar", "Tibetan",
              "Ethiopic", "Armenian", "Georgian", "Cherokee", "Syriac", "Thaana", "Greek",
              "Cyrillic")


def script_of(char: str) -> str:
    """A human name for the script of `char`: Arabic, Korean, Devanagari, Symbols..."""
    code = ord(char)
    if 0x1F000 <= code <= 0x1FAFF:
        return "Emoji"
    name = unicodedata.name(char, "")
    first = name.split(" ")[0] if name else ""
    if first in _NAME_PREFIXES:
        return _NAME_PREFIXES[first]
    if unicodedata.category(char) in ("So", "Sm") or not first:
        return "Symbols"
    return first.title()


def suggestion(script: str) -> FontSuggestion:
    if script in _SUGGESTIONS:
        return _SUGGESTIONS[script]
    if script in _NOTO_SANS:
        return FontSuggestion(f"Noto Sans {script}", "fonts-noto-core")
    return FontSuggestion(f"a Noto font for {script}", "fonts-noto-core or fonts-noto-extra")


def describe(char: str) -> str:
    """'ب' (U+0628), as a diagnostic names a character."""
    return f"'{char}' (U+{ord(char):04X})"
