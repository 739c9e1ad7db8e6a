"""Languages as people write them: a BCP 47 tag (`pt-BR`, `zh-Hant`) or a name (`French`,
`français`, `한국어`), checked against CLDR's languages, scripts and regions (Babel)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from babel import Locale
from babel.localedata import locale_identifiers

from chapbook.core.language import RTL_LANGUAGES

_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_SCRIPT = re.compile(r"^[A-Za-z]{4}$")
_REGION = re.compile(r"^(?:[A-Za-z]{2}|\d{3})$")
EXAMPLE = "en, fr, pt-BR or zh-Hant, or a name such as French"


@dataclass(frozen=True)
class LanguageReading:
    tag: str | None  # None: neither a known tag nor a known name
    from_name: bool = False


def read_language(value: str) -> LanguageReading:
    text = value.strip()
    if _TAG.match(text) and _known_tag(text):
        return LanguageReading(text)
    by_name = _names().get(text.casefold())
    return LanguageReading(by_name, from_name=by_name is not None)


def _known_tag(tag: str) -> bool:
    primary, *rest = tag.split("-")
    english = _english()
    if primary.lower() not in english.languages and primary.lower() not in RTL_LANGUAGES:
        return False
    for position, subtag in enumerate(rest):
        if subtag.lower() == "x":  # private use: anything may follow
            return True
        if position == 0 and _SCRIPT.match(subtag) and subtag.title() not in english.scripts:
            return False
        if _REGION.match(subtag) and subtag.upper() not in english.territories:
            return False
    return True


@functools.cache
def _english() -> Locale:
    return Locale("en")


@functools.cache
def _names() -> dict[str, str]:
    """Language names, in English and in each language itself, to their tags. Built once,
    on the first name met: a tag never needs it."""
    names: dict[str, str] = {}
    for identifier in sorted(locale_identifiers()):
        if "_" in identifier:
            continue
        own = Locale.parse(identifier).get_display_name(identifier)
        if own:
            names.setdefault(own.casefold(), identifier)
    for code, name in sorted(_english().languages.items(), key=lambda item: len(item[0])):
        if "_" not in code:
            names.setdefault(name.casefold(), code)
    return names
