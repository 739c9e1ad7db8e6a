"""Korean in print: lines break between words, never inside one.

Korean is written with spaces, and a line may break only at them (CSS `word-break:
keep-all`, which WeasyPrint 70 ignores: Pango breaks between any two Hangul syllables).
So the print HTML gets a WORD JOINER (U+2060) between the characters of every word that
holds Hangul, particles, brackets and quotes attached to it included, and across the
tags inside a word (`<em>매일</em>같이`).

Why a joiner and not one `white-space: nowrap` span per word: both keep every word
whole, but each span is an inline box, and WeasyPrint lays out lines of many boxes
slowly (measured: 21 pages of Korean, 0.5 s of layout with joiners, 4.6 s with spans).
Pango draws no glyph for a joiner, so nothing shows, and text extraction and copying give
the words as written. A word too long for a line must still break somewhere:
`LONG_WORD_CSS`, on the root of a book that has Korean, lets WeasyPrint break a word
only when it does not fit on a line of its own.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator

WORD_JOINER = "\u2060"
LONG_WORD_CSS = "overflow-wrap: break-word"

_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7ff]")
_MARKUP = re.compile(r"(<!--.*?-->|<[^>]*>)", re.DOTALL)
_TAG_NAME = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")
_UNIT = re.compile(r"&#?\w+;|.", re.DOTALL)  # a character, or an entity standing for one
# Inline elements a word can run through; any other tag (a paragraph, a line break, an
# image) ends the word before it.
_INLINE = frozenset({"a", "abbr", "b", "bdi", "bdo", "cite", "code", "del", "dfn", "em",
                     "i", "ins", "kbd", "mark", "q", "s", "samp", "small", "span",
                     "strong", "sub", "sup", "time", "u", "var"})
_SKIPPED = frozenset({"head", "script", "style", "title"})  # text that is not laid out
_BREAK_AFTER = frozenset("-\u2010\u2012\u2013\u2014\u2015/")  # dashes keep their break
_FOOTNOTE = 'class="footnote"'  # print_body's notes, set at the foot of the page


def keep_korean_words(document: str) -> str:
    """`document` (HTML) with each Korean word made unbreakable; unchanged without Hangul."""
    if not _HANGUL.search(document):
        return document
    tokens = _MARKUP.split(document)
    for run in _text_runs(tokens):
        _join_words(tokens, run)
    return "".join(tokens)


def _text_runs(tokens: list[str]) -> Iterator[list[int]]:
    """Indexes of the text tokens that flow together: between two block boundaries, with
    only inline tags (or none) between them. Tokens are text and markup in turn."""
    run: list[int] = []
    skipped = 0  # inside <head>, <style>...
    inline: list[bool] = []  # the open inline elements: True for a footnote
    for index, token in enumerate(tokens):
        if index % 2 == 0:
            if token and not skipped:
                run.append(index)
            continue
        name = _TAG_NAME.match(token)
        tag = name.group(1).lower() if name else ""
        if tag in _SKIPPED:
            skipped += -1 if token.startswith("</") else 1
        if not _ends_run(tag, token, inline):
            continue
        if run:
            yield run
        run = []
    if run:
        yield run


def _ends_run(tag: str, token: str, inline: list[bool]) -> bool:
    """Whether a tag ends the text before it: any tag but an inline element's, and the
    start and end of a footnote (a block of its own, set at the foot of the page)."""
    if tag not in _INLINE or token.endswith("/>"):
        return True
    if token.startswith("</"):
        return inline.pop() if inline else False
    inline.append(_FOOTNOTE in token)
    return inline[-1]


def _join_words(tokens: list[str], run: list[int]) -> None:
    """Add joiners inside the Korean words of one run of text tokens."""
    if not any(_HANGUL.search(tokens[index]) for index in run):
        return
    joined: dict[int, list[str]] = {index: [] for index in run}
    word: list[tuple[int, str]] = []
    for index in run:
        for unit in _UNIT.findall(tokens[index]):
            if (html.unescape(unit) if unit[0] == "&" else unit).isspace():
                _write_word(word, joined)
                word = []
                joined[index].append(unit)
            else:
                word.append((index, unit))
    _write_word(word, joined)
    for index, units in joined.items():
        tokens[index] = "".join(units)


def _write_word(word: list[tuple[int, str]], joined: dict[int, list[str]]) -> None:
    """Write one word's units out, with joiners between them if it holds Hangul."""
    characters = [html.unescape(unit) if unit[0] == "&" else unit for _, unit in word]
    korean = any(_HANGUL.match(c) for c in characters)
    for number, (index, unit) in enumerate(word):
        if korean and number and _may_join(characters[number - 1], characters[number]):
            unit = WORD_JOINER + unit
        joined[index].append(unit)


def _may_join(before: str, after: str) -> bool:
    """Whether a joiner between two characters of a Korean word is wanted and harmless:
    not after a dash (a break there is fine), not inside a character made of several
    code points (a syllable of conjoining jamo, an accent, an emoji sequence), not between
    two letters or digits of a script written with spaces (they never break apart)."""
    if "\uac00" <= before <= "\ud7a3" and "\uac00" <= after <= "\ud7a3":
        return True  # two syllables: most pairs, answered first
    if len(before) != 1 or len(after) != 1 or before in _BREAK_AFTER:
        return False
    if _extends(before, after):
        return False
    return not (before.isalnum() and after.isalnum() and not _wide(before)
                and not _wide(after))


def _extends(before: str, after: str) -> bool:
    """`after` belongs to the same grapheme as `before`."""
    if unicodedata.category(after) in ("Mn", "Mc", "Me", "Cf"):
        return True
    if "\U0001f3fb" <= after <= "\U0001f3ff":  # an emoji's skin tone
        return True
    if unicodedata.category(before) == "Cf":  # a zero-width joiner, a direction mark
        return True
    jamo_vowel_or_final = "\u1160" <= after <= "\u11ff" or "\ud7b0" <= after <= "\ud7ff"
    leading_jamo = "\u1100" <= before <= "\u115f" or "\ua960" <= before <= "\ua97f"
    return jamo_vowel_or_final or (leading_jamo and "\u1100" <= after <= "\u115f")


def _wide(character: str) -> bool:
    return unicodedata.east_asian_width(character) in ("W", "F")
