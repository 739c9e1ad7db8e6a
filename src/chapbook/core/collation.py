"""Sorting as the readers of a language expect it, with ICU's collation (CLDR's rules):
Swedish files Ä after Z, German beside A; Korean by its syllables; Japanese kana in
gojūon order, before kanji."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import icu  # type: ignore[import-untyped]


@cache
def _collator(language: str) -> icu.Collator:
    # ICU falls back to the root collation for a language it has no rules for.
    return icu.Collator.createInstance(icu.Locale.forLanguageTag(language))


def sort_key(language: str) -> Callable[[str], bytes]:
    """A key function that sorts text in `language` (a BCP 47 tag such as sv or zh-Hant)."""
    collator = _collator(language)

    def key(text: str) -> bytes:
        return bytes(collator.getSortKey(text))

    return key
