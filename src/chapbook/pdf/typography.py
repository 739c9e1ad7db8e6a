"""Typographic quality after layout: measured in WeasyPrint's boxes, and the one rule CSS
cannot ask for (WeasyPrint 70 has no `hyphenate-limit-lines`) repaired by laying out again.

`measure` walks a laid-out Document: per paragraph its lines, page by page; a line ends in
a hyphenation break when its last text ends with the hyphenate character WeasyPrint added
(after an automatic break or a soft hyphen). From these it counts ladders, hyphenated
lines of prose, widows and orphans, headings left at the foot of a page and lines wider
than their measure (see `typecounts`).

`laid_out` renders, measures, and while there are ladders (or too many hyphens in a
piece's English prose) forbids some of the breaks in the parsed HTML (the word goes into a
span with `hyphens: manual`, its soft hyphens taken out) and renders again, a bounded
number of times. What is forbidden in a piece depends on that piece's own layout alone,
and the last layout is kept: a piece comes out the same whether the book is laid out in
one pass or in chunks, where pieces meet other pieces (the chunked edition is checked page
for page against the single pass).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any
from xml.etree import ElementTree

import cssselect2  # type: ignore[import-untyped]  # WeasyPrint's selector tree
from weasyprint.formatting_structure import boxes

from chapbook.pdf.typecounts import (
    MAX_HYPHENATED,
    MAX_LADDER,
    PieceTypography,
    Typography,
)

MAX_REPAIR_ROUNDS = 3  # layouts after the first, at most
OVERFLOW_TOLERANCE = 0.5  # CSS px: rounding, not overflow
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_CONTAINERS = frozenset({"article", "section", "body", "html"})  # a heading keeps within
_PROSE = frozenset({"p", "li", "blockquote", "dd"})
_WORD_END = re.compile(r"[\w\xad]+$")
_WORD_START = re.compile(r"^[\w\xad]+")
NO_HYPHENS = "hyphens: manual"


@dataclass(frozen=True)
class Break:
    """A hyphenation break: the word it cut, in the element whose text holds it."""

    element: Any  # ElementTree element
    word: str  # without soft hyphens
    shortest: int  # letters in the shorter of its two fragments
    piece: str


@dataclass
class _Line:
    page: int
    text_end: str  # the end of its last text
    text_start: str  # the start of its first text
    element: Any  # the element of its last text
    hyphenated: bool
    english: bool
    overflow: bool


@dataclass
class _Paragraph:
    piece: str
    prose: bool
    lines: list[_Line] = field(default_factory=list)


@dataclass
class Measured:
    typography: Typography
    ladder_breaks: list[Break]  # to forbid: the middle lines of each ladder
    english_breaks: dict[str, list[Break]]  # per piece, for the share of hyphenated lines


# ---- measuring ----------------------------------------------------------------------------

def measure(document: Any, root: Any) -> Measured:
    """The typography of a laid-out Document whose HTML tree is `root`."""
    parents = {child: parent for parent in root.iter() for child in parent}
    paragraphs: dict[tuple[int, str], _Paragraph] = {}
    stranded: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        last: tuple[Any, str] | None = None
        for block, piece, leaf in _blocks(page._page_box, ""):
            last = (block, piece) if leaf else last
            if not any(isinstance(child, boxes.LineBox) for child in block.children):
                continue
            key = (id(block.element), block.element_tag)
            paragraph = paragraphs.setdefault(key, _Paragraph(
                piece, block.element_tag in _PROSE and block.style["hyphens"] == "auto"))
            paragraph.lines += [_line(index, line, block) for line in block.children
                                if isinstance(line, boxes.LineBox)]
        if last and index + 1 < len(document.pages) and _stranded(last[0], parents):
            stranded[last[1]] = stranded.get(last[1], 0) + 1
    return _tally(list(paragraphs.values()), stranded)


def _blocks(box: Any, piece: str) -> Iterator[tuple[Any, str, bool]]:
    """Block-level boxes of the main flow, in order, with the piece they are in and
    whether they are leaves (hold lines, a table, an image or nothing: what ends a page).
    The insides of tables are not walked."""
    for child in _flow(box):
        element = child.element
        inner = (element.get("id", "") if element is not None and element.tag in (
            "article", "section") and element.get("id", "").startswith("piece-") else piece)
        yield child, inner, not any(True for _ in _flow(child))
        yield from _blocks(child, inner)


def _flow(box: Any) -> Iterator[Any]:
    """The block-level children of a box in the main flow (a table's are row groups: none)."""
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.BlockLevelBox | boxes.BlockContainerBox) and not isinstance(
                child, boxes.MarginBox | boxes.FootnoteAreaBox):
            yield child


def _line(page: int, line: Any, block: Any) -> _Line:
    texts = [box for box in _texts(line) if box.text]
    if not texts:
        return _Line(page, "", "", block.element, False, False, False)
    last = texts[-1]
    hyphen = last.style["hyphenate_character"]
    overflow = _overflows(texts, block)
    return _Line(page, last.text, texts[0].text, last.element,
                 bool(hyphen) and last.text.endswith(hyphen) and len(last.text) > len(hyphen),
                 str(last.style["lang"] or "").lower().startswith("en"), overflow)


def _overflows(texts: list[Any], block: Any) -> bool:
    """Text past the end of the line: its right edge (left in right-to-left text) beyond
    the block's border box (a hanging indent sets text in the padding)."""
    if block.style["direction"] == "rtl":
        left = block.border_box_x() - OVERFLOW_TOLERANCE
        return any(box.position_x < left for box in texts)
    right = block.border_box_x() + block.border_width() + OVERFLOW_TOLERANCE
    return any(box.position_x + box.width > right for box in texts)


def _texts(box: Any) -> Iterator[Any]:
    for child in box.children:
        if isinstance(child, boxes.TextBox):
            if not (child.element_tag or "").endswith("::marker"):
                yield child
        elif isinstance(child, boxes.InlineBox):
            yield from _texts(child)


def _stranded(block: Any, parents: dict[Any, Any]) -> bool:
    """A heading, or a part of a piece's header (standfirst, byline, credits), that ends a
    page while what follows it in its article or section goes on to the next."""
    element = block.element
    if element is None or block.element_tag.endswith(("::before", "::after")):
        return False
    if element.tag not in _HEADINGS and not _in_piece_header(element, parents):
        return False
    while element is not None and element.tag not in _CONTAINERS:
        parent = parents.get(element)
        if parent is None:
            return False
        siblings = list(parent)
        if siblings.index(element) + 1 < len(siblings):
            return True
        element = parent
    return False


def _in_piece_header(element: Any, parents: dict[Any, Any]) -> bool:
    while element is not None:
        if element.tag == "header" and "piece-header" in element.get("class", "").split():
            return True
        element = parents.get(element)
    return False


def _tally(paragraphs: list[_Paragraph], stranded: dict[str, int]) -> Measured:
    pieces: dict[str, PieceTypography] = {}
    ladder_breaks: list[Break] = []
    english: dict[str, list[Break]] = {}
    for paragraph in paragraphs:
        counts, ladders, breaks = _paragraph_counts(paragraph)
        pieces[paragraph.piece] = pieces.get(paragraph.piece, PieceTypography(
            paragraph.piece)) + counts
        ladder_breaks += ladders
        english.setdefault(paragraph.piece, []).extend(breaks)
    for piece, count in stranded.items():
        pieces[piece] = pieces.get(piece, PieceTypography(piece)) + PieceTypography(
            piece, stranded=count)
    return Measured(Typography(tuple(pieces.values())), ladder_breaks, english)


def _paragraph_counts(paragraph: _Paragraph) -> tuple[PieceTypography, list[Break],
                                                      list[Break]]:
    lines, piece = paragraph.lines, paragraph.piece
    on_pages = [line.page for line in lines]
    widow = len(lines) > 1 and on_pages.count(on_pages[-1]) == 1 and on_pages[0] != on_pages[-1]
    orphan = len(lines) > 1 and on_pages.count(on_pages[0]) == 1 and on_pages[0] != on_pages[-1]
    breaks = [_break(line, lines[i + 1] if i + 1 < len(lines) else None, piece)
              if line.hyphenated else None for i, line in enumerate(lines)]
    ladders, to_forbid = 0, []
    for run in _runs(breaks):
        if len(run) > MAX_LADDER:
            ladders += 1
            to_forbid += run[1::MAX_LADDER + 1]  # every third from the second: none left
    prose = [line for line in lines if paragraph.prose]
    english = [line for line in prose if line.english]
    counts = PieceTypography(
        piece, len(prose), sum(line.hyphenated for line in prose), len(english),
        sum(line.hyphenated for line in english), ladders, int(widow), int(orphan), 0,
        sum(line.overflow for line in lines))
    english_breaks = [b for line, b in zip(lines, breaks, strict=True)
                      if b is not None and line.english and paragraph.prose]
    return counts, to_forbid, english_breaks


def _break(line: _Line, following: _Line | None, piece: str) -> Break:
    hyphen_free = line.text_end.rstrip("\u2010-\xad")
    head = _WORD_END.search(hyphen_free)
    tail = _WORD_START.search(following.text_start) if following else None
    first = head.group().replace("\xad", "") if head else ""
    second = tail.group().replace("\xad", "") if tail else ""
    return Break(line.element, first + second, min(len(first), len(second)), piece)


def _runs(breaks: list[Break | None]) -> Iterator[list[Break]]:
    run: list[Break] = []
    for item in [*breaks, None]:
        if item is None:
            if run:
                yield run
            run = []
        else:
            run.append(item)


# ---- repairing ----------------------------------------------------------------------------

def laid_out(html: Any, render: Callable[[], Any]) -> tuple[Any, Typography]:
    """`render()` lays out `html` (a weasyprint.HTML); the Document and its typography,
    after at most MAX_REPAIR_ROUNDS repairs. Only a book (or chunk) with ladders or too
    many hyphens is laid out again."""
    document = render()
    measured = measure(document, html.etree_element)
    rounds = 0
    while rounds < MAX_REPAIR_ROUNDS:
        to_forbid = measured.ladder_breaks + _excess_breaks(measured)
        if not forbid(html, to_forbid):
            break
        rounds += 1
        document = None  # the previous layout's memory, freed before the next
        document = render()
        measured = measure(document, html.etree_element)
    return document, replace(measured.typography, repair_rounds=rounds)


def _excess_breaks(measured: Measured) -> list[Break]:
    """In each piece over the limit, the breaks above it, shortest fragments first."""
    chosen: list[Break] = []
    for piece in measured.typography.pieces:
        if piece.too_many_hyphens:
            # half as many again: a line set anew may end in a new break
            excess = -(-3 * (piece.english_hyphenated
                             - int(MAX_HYPHENATED * piece.english_lines)) // 2)
            breaks = sorted(measured.english_breaks.get(piece.piece, []),
                            key=lambda b: b.shortest)
            chosen += breaks[:excess]
    return chosen


def forbid(html: Any, breaks: list[Break]) -> int:
    """Wrap each break's word in its element in a span that is never hyphenated; the number
    of words wrapped. The HTML's selector tree is rebuilt to see the new spans."""
    wrapped = sum(_wrap_word(b.element, b.word) for b in breaks if len(b.word) > 1)
    if wrapped:
        html.wrapper_element = cssselect2.ElementWrapper.from_html_root(
            html.etree_element, content_language=None)
        html.etree_element = html.wrapper_element.etree_element
    return wrapped


def _wrap_word(element: Any, word: str) -> int:
    """Wrap the first occurrence of `word` (soft hyphens allowed between its letters) in
    the text or a child's tail of `element`; 1 if done."""
    pattern = re.compile(r"(?<![\w\xad])" + "\xad?".join(map(re.escape, word))
                         + r"(?![\w\xad])")
    slots = [(None, element.text), *((child, child.tail) for child in element)]
    for owner, text in slots:
        found = pattern.search(text or "")
        if found is None or text is None:
            continue
        span = ElementTree.Element("span", {"style": NO_HYPHENS})
        span.text, span.tail = word, text[found.end():]
        if owner is None:
            element.text = text[:found.start()]
            element.insert(0, span)
        else:
            owner.tail = text[:found.start()]
            element.insert(list(element).index(owner) + 1, span)
        return 1
    return 0

