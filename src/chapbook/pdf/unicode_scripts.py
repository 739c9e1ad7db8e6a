"""Which writing system a character belongs to, and a free font that covers it.

Python's `unicodedata` has no script property, but a character's name starts with its
script or block ("ARABIC LETTER BEH", "CJK UNIFIED IDEOGRAPH-4E00"); that is enough to
suggest a font, and the Debian package that has it, when no font covers a character.
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
# Scripts whose names are two or three words ("CANADIAN SYLLABICS A" is Canadian
# Aboriginal to Noto); the others are named by a character name's first word.
_LONG_NAMES = {
    "CANADIAN SYLLABICS": "Canadian Aboriginal", "OL CHIKI": "Ol Chiki",
    "NEW TAI LUE": "New Tai Lue", "TAI THAM": "Tai Tham", "TAI VIET": "Tai Viet",
    "TAI LE": "Tai Le", "MEETEI MAYEK": "Meetei Mayek", "SYLOTI NAGRI": "Syloti Nagri",
    "HANIFI ROHINGYA": "Hanifi Rohingya", "KAYAH LI": "Kayah Li",
    "SORA SOMPENG": "Sora Sompeng", "MASARAM GONDI": "Masaram Gondi",
    "GUNJALA GONDI": "Gunjala Gondi", "PAHAWH HMONG": "Pahawh Hmong",
}
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
    if unicodedata.category(char) in ("Co", "Cn"):  # no standard font draws these
        return "Private use" if unicodedata.category(char) == "Co" else "Unassigned"
    name = unicodedata.name(char, "")
    first = name.split(" ")[0] if name else ""
    if first in _NAME_PREFIXES:
        return _NAME_PREFIXES[first]
    long_name = next((script for prefix, script in _LONG_NAMES.items()
                      if name.startswith(prefix + " ")), None)
    if long_name:
        return long_name
    if unicodedata.category(char) in ("So", "Sm") or not first:
        return "Symbols"
    return first.title()


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
