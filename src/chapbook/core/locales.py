"""Which catalog and which CLDR locale a language tag gets, and the compiled catalogs.

A tag is read with CLDR's likely subtags, so zh-TW finds the zh_Hant catalog, zh and
zh-CN the zh_Hans one, pt-BR the pt one; a bare `en` formats as chapbook's house English.
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import icu  # type: ignore[import-untyped]
from babel import Locale
from babel.core import UnknownLocaleError, get_global
from babel.support import Translations

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "chapbook"

def subtags(language: str) -> tuple[str, str | None, str | None]:
    """('zh', 'Hant', 'TW') for zh-Hant-TW; the script from CLDR's likely subtags if the
    tag has none (zh-TW is written in Hant, zh and zh-CN in Hans)."""
    parts = language.replace("_", "-").split("-")
    lang = parts[0].lower()
    script = next((p.title() for p in parts[1:] if len(p) == 4 and p.isalpha()), None)
    region = next((p.upper() for p in parts[1:] if (len(p) == 2 and p.isalpha())
                   or (len(p) == 3 and p.isdigit())), None)
    if script is None:
        likely: Mapping[str, str] = get_global("likely_subtags")
        guess = likely.get(f"{lang}_{region}") or likely.get(lang) or ""
        script = next((p for p in guess.split("_") if len(p) == 4), None)
    return lang, script, region


def _candidates(language: str) -> list[str]:
    lang, script, region = subtags(language)
    found = [f"{lang}_{script}_{region}" if script and region else "",
             f"{lang}_{script}" if script else "", f"{lang}_{region}" if region else "", lang]
    return [name for name in found if name]


def catalogs() -> frozenset[str]:
    """The locales chapbook has a compiled catalog for ('fr', 'zh_Hant'...)."""
    return frozenset(path.parent.parent.name
                     for path in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))


def catalog_for(language: str) -> str | None:
    """The catalog a language tag reads: 'zh_Hant' for zh-TW, 'pt' for pt-BR; None for
    English (the msgids) and for a language chapbook has no catalog for."""
    if subtags(language)[0] == "en":
        return None
    available = catalogs()
    return next((name for name in _candidates(language) if name in available), None)


@cache
def formatting_locale(language: str) -> Locale:
    """The CLDR locale that formats dates, lists and numbers. A bare `en` is chapbook's
    house English (en_001: 23 March 2024, A, B and C); en-US gives American forms."""
    if language.lower() == "en":
        return Locale.parse("en_001")
    for name in _candidates(language):
        try:
            return Locale.parse(name)
        except (ValueError, UnknownLocaleError):
            continue
    return Locale.parse("en_001")


def language_name(language: str, in_language: str) -> str:
    """'French' for fr in an English book, 'français' in a French one (CLDR)."""
    found = formatting_locale(language)
    if found.language != subtags(language)[0]:
        return language  # CLDR does not know it: the tag says more than a wrong name
    return found.get_display_name(formatting_locale(in_language)) or language


MISSING = "\x00missing"  # what the fallback returns: told apart by identity, never shown


class _Missing(gettext.NullTranslations):
    def pgettext(self, context: str, message: str) -> str:
        return MISSING

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return MISSING


@cache
def translations(name: str) -> Translations | None:
    path = LOCALE_DIR / name / "LC_MESSAGES" / f"{DOMAIN}.mo"
    try:
        with path.open("rb") as file:
            found = Translations(file, domain=DOMAIN)
    except OSError:
        return None
    found.add_fallback(_Missing())
    return found


@cache
def native_digits(numbering_system: str) -> str:
    """'٠١٢٣٤٥٦٧٨٩' for arab: the ten digits of a CLDR numbering system (from ICU; Babel
    knows a system's symbols but not its digits). Latin digits for algorithmic systems."""
    try:
        found = icu.NumberingSystem.createInstanceByName(numbering_system)
    except icu.ICUError:
        return "0123456789"
    digits = str(found.getDescription())
    return digits if len(digits) == 10 and not found.isAlgorithmic() else "0123456789"
