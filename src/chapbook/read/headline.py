"""The work a review is about, read from its headline where the headline says it plainly.

`'X' review - ...` (any quotes), `Review: X`, `X review`, `《X》 리뷰`, `「X」レビュー`,
`« X » : critique`.
Anything else — two quoted titles, "review" in the middle of a sentence — reads as
nothing: a wrong work in the works index is worse than none.
"""

from __future__ import annotations

import re

_SEPARATOR = r"(?:\s*[:\u2013\u2014|]|\s+-)(?:\s|$)|\s*$"
_QUOTES = (("'", "'"), ("\u2018", "\u2019"), ('"', '"'), ("\u201c", "\u201d"),
           ("\u2018", "'"), ("'", "\u2019"))
_ANY_QUOTE = re.compile(r"[\u2018\u2019\u201c\u201d\"«»《》「」『』]|'\s|\s'|^'|'$")
_APOSTROPHE = re.compile(r"(?<=\w)[\u2019'](?=\w)")
_CJK_REVIEW = r"(?:리뷰|후기|レビュー|評論|评论|影评|影評|书评|書評|劇評|剧评)"
_CJK_BRACKETS = (("《", "》"), ("〈", "〉"), ("「", "」"), ("『", "』"))
_UNQUOTED = re.compile(r"^(?P<title>[^:\u2013\u2014|]+?)\s+review[.!]?$",
                       re.IGNORECASE)
_REVIEW_OF = re.compile(r"^review\s*[:\u2013\u2014|]\s*(?P<rest>.+)$",
                        re.IGNORECASE)
_FRENCH = (re.compile(r"^«\s*(?P<title>[^«»]+?)\s*»\s*:?\s*critique\b", re.IGNORECASE),
           re.compile(r"^critique\s*:?\s*«\s*(?P<title>[^«»]+?)\s*»\s*$", re.IGNORECASE))
# "X review" is no title when X ends like a phrase ("The Year in review")...
_ENDS_NO_TITLE = frozenset({"in", "of", "a", "an", "the", "to", "for", "and", "my", "our"})
# ...or is one word that makes a kind of review ("Peer review", "Code review")
_KINDS_OF_REVIEW = frozenset({
    "the", "peer", "code", "annual", "restaurant", "product", "performance", "book", "film",
    "movie", "album", "game", "tv", "music", "theatre", "theater", "year", "weekly", "monthly",
    "daily", "critical", "literature", "systematic", "judicial", "user", "customer"})
# "X review" is only a title when X is not the start of a sentence about the review
_NOT_A_TITLE = frozenset({"a", "an", "my", "our", "your", "his", "her", "their", "this",
                          "that", "another", "quick", "short", "full", "honest", "why",
                          "in", "one", "book", "film", "movie", "album", "game", "series"})


def work_title(headline: str) -> str | None:
    """The reviewed work's title if the headline names it unambiguously, else None."""
    text = " ".join(headline.split())
    for reader in (_quoted, _cjk, _french, _review_colon, _unquoted):
        title = reader(text)
        if title is not None:
            return title if title.strip() else None
    return None


def _quoted(text: str) -> str | None:
    for opening, closing in _QUOTES:
        pattern = (re.escape(opening) + r"(?P<title>.+?)" + re.escape(closing)
                   + r"\s+review(?:" + _SEPARATOR + ")")
        match = re.match(pattern, text, re.IGNORECASE)
        if match and _single(match.group("title")):
            return match.group("title").strip()
    return None


def _cjk(text: str) -> str | None:
    for opening, closing in _CJK_BRACKETS:
        pattern = (re.escape(opening) + r"(?P<title>[^" + re.escape(opening + closing)
                   + r"]+)" + re.escape(closing) + r"\s*" + _CJK_REVIEW)
        match = re.match(pattern, text)
        if match:
            return match.group("title").strip()
    return None


def _french(text: str) -> str | None:
    for pattern in _FRENCH:
        match = pattern.match(text)
        if match:
            return match.group("title").strip()
    return None


def _review_colon(text: str) -> str | None:
    """`Review: X`, `Review: 'X' - ...`, `Review: X - ...` (any dash or a colon)."""
    match = _REVIEW_OF.match(text)
    if not match:
        return None
    rest = match.group("rest")
    for opening, closing in _QUOTES:
        if rest.startswith(opening):
            pattern = (re.escape(opening) + r"(?P<title>.+?)" + re.escape(closing)
                       + "(?:" + _SEPARATOR + ")")
            quoted = re.match(pattern, rest)
            return quoted.group("title") if quoted and _single(quoted.group("title")) else ""
    if re.search(r":\s", rest):  # "Review: Dune: Part Two": where the title ends is a guess
        return ""
    head = re.split(r"\s+[\u2013\u2014|-]\s+", rest, maxsplit=1)[0]
    return head if _single(head) and head[:1].isalnum() else ""


def _unquoted(text: str) -> str | None:
    match = _UNQUOTED.match(text)
    if not match:
        return None
    title = match.group("title")
    words = title.casefold().split()
    if (words[0] in _NOT_A_TITLE or words[-1] in _ENDS_NO_TITLE or not _single(title)
            or (len(words) == 1 and words[0] in _KINDS_OF_REVIEW)):
        return None
    return title


def _single(title: str) -> bool:
    """No quotation marks left inside: a second quoted title makes the headline ambiguous.
    An apostrophe between letters (Keeper's, Keeper\u2019s) is no quotation mark."""
    return not _ANY_QUOTE.search(_APOSTROPHE.sub("", title.strip()))
