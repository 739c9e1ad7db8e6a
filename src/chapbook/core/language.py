"""Language tags: their primary subtag, and the direction their script runs."""

from __future__ import annotations

# Languages written right to left: a piece in one is set with dir="rtl" (Arabic, Aramaic,
# Sorani Kurdish, Dhivehi, Persian, Hebrew (and its old tag iw), Kashmiri, Pashto, Sindhi,
# Syriac, Uyghur, Urdu, Yiddish).
RTL_LANGUAGES = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ps", "sd",
                           "syr", "ug", "ur", "yi", "ji"})  # iw, ji: the old tags of he, yi


def primary_language(language: str) -> str:
    """'fr' for 'fr-CA': the part of a tag that hyphenation, quotes and labels go by."""
    return language.split("-")[0].lower()


def direction(language: str) -> str:
    """'rtl' or 'ltr' for a language tag such as 'ar' or 'fa-IR'."""
    return "rtl" if primary_language(language) in RTL_LANGUAGES else "ltr"
