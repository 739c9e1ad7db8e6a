"""Which writing system a character belongs to, and a free font that covers it.

The script is ICU's (the Unicode Script property); a character common to several scripts
(punctuation, symbols) is named by where it is used: CJK brackets and marks such as 「 ー
are CJK, as a font for them is.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import icu  # type: ignore[import-untyped]


@dataclass(frozen=True)
class FontSuggestion:
    family: str
    package: str  # the Debian package that has it


_ICU_NAMES = {"Han": "Chinese/Japanese (CJK)", "Bopomofo": "Chinese/Japanese (CJK)",
              "Hiragana": "Japanese", "Katakana": "Japanese", "Hangul": "Korean",
              "Canadian_Aboriginal": "Canadian Aboriginal", "Nko": "Nko"}
CJK_SCRIPTS = frozenset({"Chinese/Japanese (CJK)", "Japanese", "Korean"})
UNDRAWN_SCRIPTS = frozenset({"Private use", "Unassigned"})  # no standard font has them

_SUGGESTIONS = {
    "Arabic": FontSuggestion("Noto Naskh Arabic", "fonts-noto-core"),
    "Hebrew": FontSuggestion("Noto Serif Hebrew", "fonts-noto-core"),
    "Chinese/Japanese (CJK)": FontSuggestion("Noto Serif CJK", "fonts-noto-cjk"),
    "Japanese": FontSuggestion("Noto Serif CJK JP", "fonts-noto-cjk"),
    "Korean": FontSuggestion("Noto Serif CJK KR", "fonts-noto-cjk"),
    "Emoji": FontSuggestion("Noto Emoji", "fonts-noto-core"),
    "Symbols": FontSuggestion("Noto Sans Symbols 2", "fonts-noto-core"),
}

# Scripts with a "Noto Sans <Script>" in fonts-noto-core: the Indic scripts among them.
_NOTO_SANS = ("Devanagari", "Bengali", "Gurmukhi", "Gujarati", "Oriya", "Tamil", "Telugu",
              "Kannada", "Malayalam", "Sinhala", "Thai", "Lao", "Khmer", "Myanmar", "Tibetan",
              "Ethiopic", "Armenian", "Georgian", "Cherokee", "Syriac", "Thaana", "Greek",
              "Cyrillic", "Mongolian", "Canadian Aboriginal", "Tifinagh", "Nko", "Adlam",
              "Ol Chiki", "Javanese", "Balinese", "Sundanese", "Yi", "Vai", "Tai Tham",
              "Tai Viet", "New Tai Lue", "Tai Le", "Meetei Mayek", "Chakma", "Cham", "Lisu",
              "Syloti Nagri", "Hanifi Rohingya", "Kayah Li", "Osage", "Buginese", "Limbu",
              "Lepcha", "Saurashtra", "Samaritan", "Mandaic")


def script_of(char: str) -> str:
    """A human name for the script of `char`: Arabic, Korean, Devanagari, Symbols..."""
    code = ord(char)
    if 0x1F000 <= code <= 0x1FAFF:
        return "Emoji"
    category = unicodedata.category(char)
    if category in ("Co", "Cn"):  # no standard font draws these
        return "Private use" if category == "Co" else "Unassigned"
    script = str(icu.Script.getScript(char).getName())
    if script in ("Common", "Inherited", "Unknown"):
        return _shared_script(char)
    return _ICU_NAMES.get(script, script.replace("_", " "))


def _shared_script(char: str) -> str:
    """A character several scripts use: CJK if wide, else the script its name gives
    (DEVANAGARI DANDA is shared with Bengali, and a Devanagari font has it)."""
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return "Chinese/Japanese (CJK)"
    named = unicodedata.name(char, "").split(" ")[0].title()
    return named if named in _NOTO_SANS or named in _SUGGESTIONS else "Symbols"


def install_package(script: str) -> str:
    """The Debian package of Noto fonts for a script: CJK, or the core set."""
    return "fonts-noto-cjk" if script in CJK_SCRIPTS else "fonts-noto-core"


def suggestion(script: str) -> FontSuggestion:
    if script in _SUGGESTIONS:
        return _SUGGESTIONS[script]
    if script in _NOTO_SANS:
        return FontSuggestion(f"Noto Sans {script}", "fonts-noto-core")
    return FontSuggestion(f"a Noto font for {script}", "fonts-noto-core or fonts-noto-extra")


def describe(char: str) -> str:
    """'ب' (U+0628), as a diagnostic names a character."""
    return f"'{char}' (U+{ord(char):04X})"
