"""Print page numbers in the EPUB: a page-break marker where each page of the print edition
begins, and the page list of the nav document.

The EPUB documents and the print HTML come from the same partials, so the first text of
each print page (`chapbook.pdf.pagemap`) is found again in the EPUB's text, in order. Texts
are compared as letters and digits only, case-folded: spaces, soft hyphens, the hyphens of
broken lines and typographic punctuation do not count. The rules:

- each page's opening text is searched for after the text of the page before; a long
  opening first (it cannot be found by chance), then, between the pages so found, a shorter
  one (a page whose opening runs into its footnotes, say);
- a page that begins inside a word (a hyphenated line break) is marked before the word;
- a marker at the start of a heading, paragraph or section goes before the element, not
  inside it, so that it never becomes part of the element's name;
- a blank page shares the point of the page after it, just before that page's marker, when
  that page is marked;
- a page whose whole text opens the next page too (the half title before the title page)
  is not marked: the next page is;
- a page found nowhere (the print contents, with their page numbers) is not marked.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from lxml import etree

from chapbook.pdf.pagemap import PageMap, PrintPage
from chapbook.render.epub_documents import EpubDocument, PageTarget

XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'
SOFT_HYPHEN = "\u00ad"
# Letters and digits of a page's opening to look for: anywhere after the page before, then
# only between the pages found around it.
LONG, SHORTER = 160, (60, 24, 12)
# Elements a marker (a span) cannot be a child of: it stays inside their children.
_NO_SPAN = frozenset(f"{{{XHTML_NS}}}{tag}" for tag in
                     ("body", "ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr",
                      "select", "optgroup", "ruby", "hgroup", "html"))
_SKIPPED = frozenset(f"{{{XHTML_NS}}}{tag}" for tag in ("head", "script", "style"))
_UNSAFE_ID = re.compile(r"[^A-Za-z0-9_.-]")


@dataclass(frozen=True)
class PageBreak:
    """A marker: before raw character `offset` of text segment `segment` of a document."""

    label: str
    element_id: str
    file_name: str
    segment: int
    offset: int


@dataclass(frozen=True)
class PageBreaks:
    breaks: tuple[PageBreak, ...]  # in page order
    unmatched: tuple[str, ...]  # labels of pages with text that have no marker

    def targets(self) -> tuple[PageTarget, ...]:
        return tuple(PageTarget(b.label, f"{b.file_name}#{b.element_id}") for b in self.breaks)

    def in_file(self, file_name: str) -> list[PageBreak]:
        return [b for b in self.breaks if b.file_name == file_name]


def normalise(text: str) -> str:
    """Letters and digits only, compatibility-decomposed (ligatures) and case-folded."""
    return "".join(c for c in unicodedata.normalize("NFKC", text).casefold() if c.isalnum())


# ---- the text of the EPUB -----------------------------------------------------------------

_Segment = tuple[etree._Element, str]  # (element, "text") or (child element, "tail")


def segments(root: etree._Element) -> list[_Segment]:
    """The text nodes of a document's body, in reading order."""
    body = root.find(f"{{{XHTML_NS}}}body")
    return list(_walk(body)) if body is not None else []


def _walk(element: etree._Element) -> Iterator[_Segment]:
    if element.tag in _SKIPPED:
        return
    if element.text and isinstance(element.tag, str):
        yield element, "text"
    for child in element:
        if isinstance(child.tag, str):
            yield from _walk(child)
        if child.tail:
            yield child, "tail"


def _text(segment: _Segment) -> str:
    element, kind = segment
    return (element.text if kind == "text" else element.tail) or ""


@dataclass
class _Stream:
    """The normalised text of the documents, and where each of its characters comes from."""

    text: str
    origin: list[tuple[int, int, int]]  # (document, segment, raw offset) per character


def _stream(documents: Sequence[EpubDocument]) -> _Stream:
    chars: list[str] = []
    origin: list[tuple[int, int, int]] = []
    for number, doc in enumerate(documents):
        for index, segment in enumerate(segments(etree.fromstring(doc.xhtml.encode("utf-8")))):
            for offset, char in enumerate(_text(segment)):
                for folded in normalise(char):
                    chars.append(folded)
                    origin.append((number, index, offset))
    return _Stream("".join(chars), origin)


# ---- finding the pages ---------------------------------------------------------------------

def plan_page_breaks(documents: Sequence[EpubDocument], page_map: PageMap) -> PageBreaks:
    """Where each print page begins in `documents` (the EPUB's reading order, without the
    nav and cover documents)."""
    stream = _stream(documents)
    openings = [normalise(page.text) for page in page_map.pages]
    repeated = _repeated(openings)
    found, ends = _anchor(stream.text, openings, repeated)
    _fill_gaps(stream.text, openings, found, ends)
    starts = _with_blank_pages(page_map.pages, openings, found)
    breaks: list[PageBreak] = []
    used: set[str] = set()
    for page in page_map.pages:
        if page.index in starts:
            owner = page_map.pages[starts[page.index]]  # itself, or the page after a blank
            breaks.append(_page_break(page, owner, found[owner.index], stream, documents,
                                      used))
    unmatched = tuple(page.label for page, opening in zip(page_map.pages, openings, strict=True)
                      if opening and page.index not in starts and page.index not in repeated)
    return PageBreaks(tuple(breaks), unmatched)


def _repeated(openings: list[str]) -> set[int]:
    """Pages whose whole text opens the next page with text (a half title)."""
    repeated = set()
    for index, opening in enumerate(openings):
        following = next((later for later in openings[index + 1:] if later), "")
        if opening and following.startswith(opening):
            repeated.add(index)
    return repeated


def _anchor(text: str, openings: list[str],
            repeated: set[int]) -> tuple[dict[int, int], dict[int, int]]:
    """Pages found by their long opening, each after the one before: where each begins,
    and where the text found of it ends."""
    found: dict[int, int] = {}
    ends: dict[int, int] = {}
    cursor = 0
    for index, opening in enumerate(openings):
        if not opening or index in repeated:
            continue
        snippet = opening[:LONG]
        at = text.find(snippet, cursor)
        if at >= 0:
            found[index], ends[index] = at, at + len(snippet)
            cursor = ends[index]
    return found, ends


def _fill_gaps(text: str, openings: list[str], found: dict[int, int],
               ends: dict[int, int]) -> None:
    """Pages not found by their long opening, looked for by a shorter one between the
    pages found around them."""
    for index, opening in enumerate(openings):
        if not opening or index in found:
            continue
        before = [i for i in found if i < index]
        after = [i for i in found if i > index]
        start = ends[max(before)] if before else 0
        end = found[min(after)] if after else len(text)
        for length in SHORTER:
            snippet = opening[:length]
            at = text.find(snippet, start, end)
            if len(snippet) == length and at >= 0:
                found[index], ends[index] = at, at + length
                break


def _with_blank_pages(pages: Sequence[PrintPage], openings: list[str],
                      found: dict[int, int]) -> dict[int, int]:
    """{page: the found page whose point it takes}: the found pages themselves, and the
    blank pages just before a found one."""
    starts: dict[int, int] = {}
    waiting: list[int] = []
    for index, page in enumerate(pages):
        if not openings[index]:
            waiting.append(page.index)
        elif index in found:
            starts.update({blank: page.index for blank in waiting})
            starts[page.index] = page.index
            waiting = []
        else:
            waiting = []
    return starts


def _page_break(page: PrintPage, owner: PrintPage, position: int, stream: _Stream,
                documents: Sequence[EpubDocument], used: set[str]) -> PageBreak:
    """The marker of `page`, where the text of `owner` (the page itself, or the page
    after a blank one) begins."""
    number, segment, offset = stream.origin[position]
    doc = documents[number]
    raw = _text(segments(etree.fromstring(doc.xhtml.encode("utf-8")))[segment])
    offset = _word_start(raw, offset, owner.text)
    element_id = "page-" + (_UNSAFE_ID.sub("_", page.label) or str(page.index + 1))
    if element_id in used:
        element_id += f"-{page.index + 1}"
    used.add(element_id)
    return PageBreak(page.label, element_id, doc.file_name, segment, offset)


def _word_start(raw: str, offset: int, opening: str) -> int:
    """Where the page's text begins in `raw`, whose letters and digits from `offset` on
    are the page's: before the punctuation the page opens with (a quotation mark), or
    before the word the page opens inside of (after a hyphenated line break)."""
    if offset > 0 and (raw[offset - 1].isalnum() or raw[offset - 1] == SOFT_HYPHEN):
        while offset > 0 and not raw[offset - 1].isspace():
            offset -= 1
        return offset
    lead = [c for c in opening[:next((i for i, c in enumerate(opening) if c.isalnum()), 0)]
            if not c.isspace()]
    start = offset
    for _ in lead:
        while start > 0 and raw[start - 1].isspace():
            start -= 1
        if start == 0 or raw[start - 1].isalnum():
            return offset
        start -= 1
    return start


# ---- marking the documents -----------------------------------------------------------------

def mark_documents(documents: Sequence[EpubDocument], breaks: PageBreaks,
                   skip: frozenset[str] = frozenset()) -> tuple[EpubDocument, ...]:
    """`documents` with their page-break markers (those in `skip` are left as they are)."""
    return tuple(doc if doc.file_name in skip or not breaks.in_file(doc.file_name)
                 else mark_document(doc, breaks.in_file(doc.file_name)) for doc in documents)


def mark_document(doc: EpubDocument, breaks: Sequence[PageBreak]) -> EpubDocument:
    root = etree.fromstring(doc.xhtml.encode("utf-8"))
    found = segments(root)
    # Last first: a split changes only what follows it; of two markers at one point, the
    # later page goes in first and the earlier is put before it.
    points: dict[tuple[int, int], list[PageBreak]] = {}
    for mark in breaks:
        points.setdefault((mark.segment, mark.offset), []).append(mark)
    for (segment, offset), marks in sorted(points.items(), reverse=True):
        first = _marker(marks[0])
        _insert(found[segment], offset, first)
        for mark in marks[1:]:  # a blank page's marker, then the next page's
            span = _marker(mark)
            span.tail, first.tail = first.tail, None
            first.addnext(span)
            first = span
    # The declaration and doctype as the templates write them (lxml would write its own)
    body = etree.tostring(root, encoding="unicode")
    return replace(doc, xhtml=f'{XML_DECLARATION}\n<!DOCTYPE html>\n{body}\n')


def page_targets(file_name: str, xhtml: str) -> list[PageTarget]:
    """The page-list entries of a document's markers, in order (an offprint's, taken
    from the book's marked documents)."""
    root = etree.fromstring(xhtml.encode("utf-8"))
    return [PageTarget(str(span.get("aria-label")), f"{file_name}#{span.get('id')}")
            for span in root.iter(f"{{{XHTML_NS}}}span")
            if span.get(f"{{{EPUB_NS}}}type") == "pagebreak"]


def _marker(mark: PageBreak) -> etree._Element:
    span = etree.Element(f"{{{XHTML_NS}}}span", nsmap={None: XHTML_NS, "epub": EPUB_NS})
    span.set(f"{{{EPUB_NS}}}type", "pagebreak")
    span.set("role", "doc-pagebreak")
    span.set("id", mark.element_id)
    span.set("aria-label", mark.label)
    return span


def _insert(segment: _Segment, offset: int, span: etree._Element) -> None:
    element, kind = segment
    text = _text(segment)
    if kind == "text" and not text[:offset].strip():
        _before(_outermost_start(element), span)
    elif kind == "text":
        element.text, span.tail = text[:offset], text[offset:]
        element.insert(0, span)
    else:
        element.tail, span.tail = text[:offset], text[offset:]
        parent = element.getparent()
        parent.insert(parent.index(element) + 1, span)


def _outermost_start(element: etree._Element) -> etree._Element:
    """The outermost element that begins where `element` does (a section that opens with
    its header that opens with its heading), staying where a span may go."""
    while True:
        parent = element.getparent()
        if parent is None or parent.tag in _NO_SPAN or (parent.text or "").strip() \
                or _previous_element(element) is not None:
            return element
        element = parent


def _previous_element(element: etree._Element) -> etree._Element | None:
    for sibling in element.itersiblings(preceding=True):
        if isinstance(sibling.tag, str) or (sibling.tail or "").strip():
            return sibling
    return None


def _before(element: etree._Element, span: etree._Element) -> None:
    parent = element.getparent()
    if parent is None or (parent.tag in _NO_SPAN and parent.tag != f"{{{XHTML_NS}}}body"):
        element.insert(0, span)  # at the start of its content
        span.tail, element.text = element.text, None
        return
    span.tail = None
    parent.insert(parent.index(element), span)
