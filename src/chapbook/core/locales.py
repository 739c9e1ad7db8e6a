"""Which catalog and which CLDR locale a language tag gets, and the compiled catalogs.

ICU reads a tag: canonical (iw → he, in → id, ji → yi), its `-u-` and `-x-` extensions
apart from its subtags (`en-u-nu-arab` has no region), then CLDR's likely subtags, so zh-TW
finds the zh_Hant catalog, zh and zh-CN the zh_Hans one, pt-BR the pt one. A bare `en` (or
`und`, no language) formats as chapbook's house English.
"""

from __future__ import annotations

import gettext
import re
from functools import cache
from pathlib import Path

import icu  # type: ignore[import-untyped]
from babel import Locale
from babel.core import UnknownLocaleError
from babel.support import Translations

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "chapbook"
HOUSE_ENGLISH = "en_001"  # 23 March 2024, "A, B and C"
_SINGLETON = re.compile(r"-[A-Za-z0-9](?:-|$)")  # where a tag's extensions start


@cache
def written_subtags(language: str) -> tuple[str, str, str]:
    """('he', '', 'IL') for iw-IL: the canonical language, script and region the tag
    writes ('' for one it leaves out; the language too for `und`)."""
    tag = language.replace("_", "-")
    for attempt in (tag, _SINGLETON.split(tag, 1)[0]):  # a malformed extension: without it
        try:
            found = icu.Locale.createCanonical(icu.Locale.forLanguageTag(attempt).getName())
        except icu.ICUError:
            continue
        return str(found.getLanguage()), str(found.getScript()), str(found.getCountry())
    return tag.split("-")[0].lower(), "", ""


@cache
def subtags(language: str) -> tuple[str, str | None, str | None]:
    """('zh', 'Hant', 'TW') for zh-Hant-TW; the script from CLDR's likely subtags if the
    tag has none (zh-TW is written in Hant, zh and zh-CN in Hans); `und` reads as en."""
    lang, script, region = written_subtags(language)
    if not (lang or script or region):
        lang = "en"  # und: no language said, the house's
    if not (lang and script):
        likely = icu.Locale("_".join(p for p in (lang or "und", script, region) if p))
        likely.addLikelySubtags()
        lang, script = lang or str(likely.getLanguage()), script or str(likely.getScript())
    return lang, script or None, region or None


def tag_name(language: str) -> str:
    """'zh_Hant' for zh-Hant, 'he' for iw, 'pt_BR' for pt-BR: the subtags a tag writes,
    canonical and named as catalogs are (iw and he, en and EN-u-nu-arab: one name)."""
    lang, script, region = written_subtags(language)
    return "_".join(part for part in (lang or subtags(language)[0], script, region) if part)


def candidates(language: str) -> list[str]:
    """The names a tag's catalog (or labels table) may have, most specific first:
    zh_Hant_TW, zh_Hant, zh_TW, zh for zh-TW."""
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
    return next((name for name in candidates(language) if name in available), None)


@cache
def formatting_locale(language: str) -> Locale:
    """The CLDR locale that formats dates, lists and numbers. A bare `en` (and `und`) is
    chapbook's house English (en_001: 23 March 2024, A, B and C); en-US gives American
    forms."""
    lang, script, region = subtags(language)
    if (lang, script, region) == ("en", "Latn", None):
        return Locale.parse(HOUSE_ENGLISH)
    for name in candidates(language):
        try:
            return Locale.parse(name)
        except (ValueError, UnknownLocaleError):
            continue
    return Locale.parse(HOUSE_ENGLISH)


def language_name(language: str, in_language: str) -> str:
    """'French' for fr in an English book, 'Français' in a French one, 'Hebrew' for iw:
    CLDR's name of what the tag writes ('Portuguese (Brazil)' for pt-BR, but 'English' for
    en), capitalised as `in_language` starts a title with it (ICU's context transforms)."""
    names, lang = _display_names(str(formatting_locale(in_language))), subtags(language)[0]
    if str(names.languageDisplayName(lang)).casefold() == lang:
        return language  # CLDR does not know it: the tag says more than a wrong name
    return str(names.localeDisplayName(tag_name(language)))


@cache
def _display_names(locale: str) -> icu.LocaleDisplayNames:
    """Names of languages in `locale`, cased for the start of a title: Anglais, not anglais."""
    return icu.LocaleDisplayNames.createInstance(icu.Locale(locale), [
        icu.UDisplayContext.CAPITALIZATION_FOR_BEGINNING_OF_SENTENCE,
        icu.UDisplayContext.STANDARD_NAMES])


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
