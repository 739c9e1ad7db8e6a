"""Offprints in print: a piece's own pages, taken from the print edition just written.

The pages are copied (pikepdf), not laid out again: folios, running heads and fonts are
the book's, byte for byte. Where a piece starts and ends comes from the written PDF itself,
so one-pass and chunked books are read alike: it starts on the page of its named
destination (`piece-<slug>`, an anchor in both); it ends before the next thing that opens
a page (the next piece, part or back-matter section), blank versos left out. A piece that
runs on from the one before shares pages with it: the offprint holds every page the piece
touches, so the page where the next one starts is kept if the piece's last lines are on
it (text on that page between the top of the text block and the next piece).

Before the pages comes the statement page (`render/offprint.py`), laid out by WeasyPrint
in the book's style, page size and fonts; each statement is followed by a blank page, put
in only where the piece opens on a recto, so that its rectos stay rectos.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
from pikepdf import Array, Dictionary, Name, NameTree, OutlineItem, Pdf, String

from chapbook.core.anthology import Anthology
from chapbook.core.language import direction
from chapbook.pdf.chunked import lower_roman
from chapbook.pdf.jobs import ChunkJob, ChunkResult
from chapbook.render.context import back_sections, piece_id
from chapbook.render.offprint import Folios

PROBE_ID = "chapbook-text-top"
TOLERANCE = 0.5  # points: a line of text above the next piece is above by far more


@dataclass(frozen=True)
class Span:
    """A piece's pages in the book: indexes of its first and last, and their folios."""

    first: int
    last: int
    folios: Folios


@dataclass(frozen=True)
class Section:
    """One piece of an offprint: its statement (a page index in the statements PDF, the
    blank after it is the next page), its pages in the book and its bookmark."""

    statement: int
    span: Span
    bookmark: str


def probe_html(anthology: Anthology) -> str:
    """An empty piece alone on a page: its anchor is the top of a piece page's text block."""
    return (f'<html lang="{anthology.language}" class="profile-print"><body>'
            f'<article class="piece" id="{PROBE_ID}"></article></body></html>')


def text_top(probe: ChunkResult) -> float:
    return probe.anchors[PROBE_ID][2]


def piece_spans(book: Path, anthology: Anthology,
                text_top: Callable[[], float]) -> dict[str, Span]:
    """Each body piece's pages in the print PDF `book`, by slug. `text_top` gives the top
    of a page's text block (asked only for books whose pieces run on)."""
    openings = _openings(anthology)
    with Pdf.open(book) as pdf:
        found = _destinations(pdf)
        labels = [page.label or str(index + 1) for index, page in enumerate(pdf.pages)]
        text = pdfium.PdfDocument(book)
        try:
            reader = _Pages(text)
            spans = {}
            present = [(name, shared) for name, shared in openings if name in found]
            for number, (name, _) in enumerate(present):
                if not name.startswith("piece-"):
                    continue
                first, _ = found[name]
                last = _last_page(present[number + 1:], found, len(labels), reader, text_top)
                while last > first and reader.blank(last):  # a blank verso before a recto
                    last -= 1
                spans[name.removeprefix("piece-")] = Span(
                    first, max(first, last), Folios(labels[first], labels[max(first, last)]))
            return spans
        finally:
            text.close()


def _openings(anthology: Anthology) -> list[tuple[str, bool]]:
    """Whatever opens in the body and after it, in book order (part pages, pieces, back
    matter), by element id, and whether it runs on from what comes before it."""
    found: list[tuple[str, bool]] = []
    for part, pieces in anthology.sections:
        opening = part.opening if part else anthology.config.opening
        if part:
            found.append((part.slug, False))
        # as print/book.html.j2: a run's first piece always opens a page
        found += [(piece_id(piece), opening == "run-on" and number > 0)
                  for number, piece in enumerate(pieces)]
    return found + [(section.id, False) for section in back_sections(anthology)]


def _last_page(after: Sequence[tuple[str, bool]], found: dict[str, tuple[int, float]],
               pages: int, reader: _Pages, top: Callable[[], float]) -> int:
    """The last page a piece can touch: the one before the next opening, or the page of
    the next piece if it runs on below the piece's last lines."""
    if not after:
        return pages - 1
    name, runs_on = after[0]
    page, y = found[name]
    if runs_on and reader.text_between(page, y, top()):
        return page
    return page - 1


class _Pages:
    """The text on the book's pages (pdfium), read only where it is asked for."""

    def __init__(self, document: pdfium.PdfDocument) -> None:
        self.document = document

    def _boxes(self, index: int) -> list[tuple[float, float, float, float]]:
        page = self.document[index]
        text = page.get_textpage()
        try:
            return [text.get_charbox(n) for n in range(text.count_chars())
                    if not text.get_text_range(n, 1).isspace()]
        finally:
            text.close()
            page.close()

    def blank(self, index: int) -> bool:
        return not self._boxes(index)

    def text_between(self, index: int, below: float, above: float) -> bool:
        """Whether a character stands between two heights (PDF points) on a page."""
        return any(below + TOLERANCE < (bottom + top) / 2 < above - TOLERANCE
                   for _, bottom, _, top in self._boxes(index))


def _destinations(pdf: Pdf) -> dict[str, tuple[int, float]]:
    """Every named destination: (page index, height)."""
    if Name.Names not in pdf.Root or Name.Dests not in pdf.Root.Names:
        return {}
    pages: dict[object, int] = {page.objgen: index
                                for index, page in enumerate(pdf.pages)}
    found = {}
    for name, target in NameTree(pdf.Root.Names.Dests).items():
        array = target.D if isinstance(target, Dictionary) else target
        if isinstance(array, Array) and len(array) >= 4 and array[0].objgen in pages:
            found[name] = (pages[array[0].objgen], float(array[3]))
    return found


# ---- writing an offprint ------------------------------------------------------------------


def write_offprint(book: Pdf, statements: Pdf, sections: Sequence[Section], title: str,
                   author: str, language: str, target: Path) -> None:
    """The offprint of `sections` to `target`: for each, its statement on a recto, a blank
    if the piece opens on a recto (every page of the piece keeps its side), its pages."""
    with Pdf.new() as out:
        starts: list[tuple[int, Section]] = []
        for section in sections:
            if len(out.pages) % 2:  # the previous piece ended on a recto
                _append_copy(out, statements, statements.pages[section.statement + 1])
            _append_copy(out, statements, statements.pages[section.statement])
            if section.span.first % 2 == 0:  # a recto in the book (its first page is one)
                _append_copy(out, statements, statements.pages[section.statement + 1])
            starts.append((len(out.pages), section))
            for index in range(section.span.first, section.span.last + 1):
                _append_copy(out, book, book.pages[index])
        _links_and_names(book, out, starts)
        _outline(out, starts)
        _page_labels(out, starts)
        _metadata(out, title, author, language)
        out.save(target, deterministic_id=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)


def _append_copy(out: Pdf, source: Pdf, page: pikepdf.Page) -> None:
    """A page of another PDF, as a page object of its own each time (a blank, or a page
    two run-on pieces share, may come twice); its content and resources are copied once."""
    # without /Parent, so that the copy does not follow it into the other PDF's page tree
    loose = source.make_indirect(Dictionary({k: v for k, v in page.obj.items()
                                             if k != "/Parent"}))
    out.pages.append(pikepdf.Page(out.copy_foreign(loose)))


def _links_and_names(book: Pdf, out: Pdf, starts: Sequence[tuple[int, Section]]) -> None:
    """The book's named destinations on the pages kept, and only the links that go to
    them or out of the book (a link to a page left out would go nowhere)."""
    kept: dict[str, Array] = {}
    where = {}
    for start, section in starts:
        for offset in range(section.span.last - section.span.first + 1):
            where[section.span.first + offset] = out.pages[start + offset].obj
    pages: dict[object, int] = {page.objgen: index
                                for index, page in enumerate(book.pages)}
    if Name.Names in book.Root and Name.Dests in book.Root.Names:
        for name, target in NameTree(book.Root.Names.Dests).items():
            array = target.D if isinstance(target, Dictionary) else target
            index = pages.get(array[0].objgen) if isinstance(array, Array) else None
            if index in where:
                kept[name] = Array([where[index], *list(array)[1:]])
    for page in where.values():
        if Name.Annots in page:
            page.Annots = Array([a for a in page.Annots if _keeps(a, kept)])
    if kept:
        names = NameTree.new(out)
        for name, array in sorted(kept.items()):
            names[name] = array
        out.Root.Names = Dictionary(Dests=names.obj)


def _keeps(annotation: pikepdf.Object, kept: dict[str, Array]) -> bool:
    if annotation.get(Name.Subtype) != Name.Link:
        return True
    action = annotation.get(Name.A)
    dest = annotation.get(Name.Dest, action.get(Name.D) if action is not None else None)
    if dest is None:
        return action is not None and action.get(Name.S) == Name.URI
    return isinstance(dest, String) and str(dest) in kept


def _outline(out: Pdf, starts: Sequence[tuple[int, Section]]) -> None:
    with out.open_outline() as outline:
        for start, section in starts:
            outline.root.append(OutlineItem(section.bookmark, start))


def _page_labels(out: Pdf, starts: Sequence[tuple[int, Section]]) -> None:
    """Viewers show the book's folios on its pages; the statement and blanks, none."""
    numbers: list[object] = [0, Dictionary()]
    for start, section in starts:
        style, number = _folio_style(section.span.folios.first)
        numbers += [start, Dictionary(S=style, St=number)]
        end = start + section.span.last - section.span.first + 1
        if end < len(out.pages):
            numbers += [end, Dictionary()]
    out.Root.PageLabels = Dictionary(Nums=Array(numbers))


def _folio_style(folio: str) -> tuple[Name, int]:
    if folio.isdigit():
        return Name.D, int(folio)
    romans = {lower_roman(n): n for n in range(1, 400)}
    return Name.r, romans.get(folio, 1)


def _metadata(out: Pdf, title: str, author: str, language: str) -> None:
    out.docinfo[Name.Title] = title
    if author:
        out.docinfo[Name.Author] = author
    out.docinfo[Name.Creator] = "chapbook"
    out.Root.Lang = String(language)
    if direction(language) == "rtl":
        out.Root.ViewerPreferences = Dictionary(Direction=Name.R2L)


def chunk_job(html: str, font_css: str, stylesheets: tuple[Path, ...], page_css: str,
              roots: tuple[Path, ...], base: Path, target: Path) -> ChunkJob:
    """A statement or probe document, laid out as a chunk of the book is."""
    return ChunkJob(html, font_css, stylesheets, page_css, roots, base, target)
