"""Line breaks in Chinese and Japanese text: a soft break is not a space.

Markdown turns a line break inside a paragraph into a space, which is right for
languages that put spaces between words and wrong for Chinese and Japanese, where a
sentence split across two source lines would print with a stray space in the middle.
Korean puts spaces between words, so a break next to Hangul stays a space.

Smart quotes have the same blind spot: markdown-it pairs a straight quote only next to a
space or punctuation, but Chinese and Japanese have no spaces and Korean attaches
particles to a closing quote ("괜찮아요?"라는), so quotes left straight beside a CJK
character are paired here, in the language's own marks (「 」 in Japanese).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token


def is_wide(char: str) -> bool:
    """An East Asian wide character: Han, kana, Hangul, CJK punctuation."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def is_spaceless(char: str) -> bool:
    """A wide character of a script written without spaces (not Hangul)."""
    return is_wide(char) and not unicodedata.name(char, "").startswith("HANGUL")


def joins_without_space(before: str, after: str) -> bool:
    return is_spaceless(before) and is_spaceless(after)


def join_lines(lines: Sequence[str]) -> str:
    """Join the lines of a paragraph: with a space, except between CJK characters."""
    joined = ""
    for line in lines:
        if joined and line and not joins_without_space(joined[-1], line[0]):
            joined += " "
        joined += line
    return joined


def cjk_breaks_plugin(md: MarkdownIt) -> None:
    """Core rules: drop soft breaks between CJK characters; pair quotes beside them."""
    md.core.ruler.push("cjk_breaks", _drop_cjk_breaks)
    md.core.ruler.push("cjk_quotes", _pair_cjk_quotes)


def _pair_cjk_quotes(state: StateCore) -> None:
    """Pair the straight double quotes left in a paragraph, in order; a pair with a wide
    character beside either of its quotes becomes the language's marks."""
    opening, closing = state.md.options["quotes"][:2]
    if len(opening) != 1 or len(closing) != 1:
        return  # marks with spaces in them (French) belong to spaced languages
    for block in state.tokens:
        texts = [token for token in block.children or [] if token.type == "text"]
        if not any('"' in token.content for token in texts):
            continue  # smartquotes paired them all: the common case, kept cheap
        chars = [list(token.content) for token in texts]
        quotes = [(t, i) for t, text in enumerate(chars) for i, c in enumerate(text) if c == '"']
        for start, end in zip(quotes[::2], quotes[1::2], strict=False):
            if _beside_wide(chars, *start) or _beside_wide(chars, *end):
                chars[start[0]][start[1]], chars[end[0]][end[1]] = opening, closing
        for token, text in zip(texts, chars, strict=True):
            token.content = "".join(text)


def _beside_wide(chars: list[list[str]], token: int, index: int) -> bool:
    text = chars[token]
    return any(is_wide(c) for c in text[max(index - 1, 0):index] + text[index + 1:index + 2])


def _drop_cjk_breaks(state: StateCore) -> None:
    for block in state.tokens:
        children = block.children or []
        for index, token in enumerate(children):
            if token.type != "softbreak":
                continue
            before, after = _char_before(children, index), _char_after(children, index)
            if before and after and joins_without_space(before, after):
                token.type, token.tag, token.content = "text", "", ""


def _char_before(tokens: list[Token], index: int) -> str:
    for token in reversed(tokens[:index]):
        if token.content:
            return token.content[-1]
        if token.type in ("softbreak", "hardbreak"):
            return ""
    return ""


def _char_after(tokens: list[Token], index: int) -> str:
    for token in tokens[index + 1:]:
        if token.content:
            return token.content[0]
        if token.type in ("softbreak", "hardbreak"):
            return ""
    return ""
