"""The print edition in chunks: rendered in parallel, cached, assembled with global folios.

1. The body is cut into chunks of a few pieces (a part's title page starts its first
   chunk). Each chunk is laid out on its own, without running heads or folios. A chunk
   always starts on a recto, and the text block is as wide on versos as on rectos, so its
   layout does not depend on where it lands in the book.
2. Page counts give every chunk its place, its first folio and the blank versos needed
   before it; every piece and part its printed page number.
3. The back matter (its folios follow the body, its page references are now known), the
   front matter (its contents now have every number) and, per chunk, a light document of
   running heads and folios ("furniture") are rendered.
4. `assembly` puts the book together.

Chunks, furniture, front and back matter are cached by content under build/.cache/pdf:
after an edit to one review only its chunk (and documents whose numbers moved) render.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from importlib.metadata import version
from pathlib import Path

from markupsafe import escape

from chapbook.core.anthology import Anthology
from chapbook.core.diagnostics import Diagnostic
from chapbook.core.hashing import digest
from chapbook.core.language import direction
from chapbook.core.pagesetup import PageSetup
from chapbook.core.workers import LazyPool, Workers
from chapbook.pdf import assembly
from chapbook.pdf.chunkcache import ChunkCache
from chapbook.pdf.claims import Claims, look_up
from chapbook.pdf.fontconfig import machine_fonts
from chapbook.pdf.jobs import NO_FURNITURE_CSS, ChunkJob, ChunkResult, Layouts, book_images
from chapbook.pdf.typecounts import NOTHING_MEASURED, Typography, combined
from chapbook.pdf.worker import render_chunk
from chapbook.render.context import (
    back_sections,
    bookmark,
    contents_title,
    piece_id,
    running_head,
)
from chapbook.render.print_html import BodyRun, PrintSelection, body_runs, render_print
from chapbook.render.styles import Style

# A piece a chunk: after an edit, only its pages are laid out again, and a piece's layout
# is the same document in every book that has it (in the same style, trim, language and
# profile), so the chunk cache shares it between books. But a big book gets bigger chunks,
# at most MAX_CHUNKS of them (1,000 reviews: two a chunk; 2,000: four).
MIN_PIECES_PER_CHUNK = 1
MAX_CHUNKS = 500
# The chunk cache is trimmed after each book to this many times what the book uses (and
# at least CACHE_FLOOR bytes): room for other books and profiles of the project and for
# undoing recent edits, without growing for ever as a pool is edited for years.
CACHE_FACTOR = 4
CACHE_FLOOR = 512 * 1024 * 1024
Progress = Callable[[int, int], None]  # (chunks done, chunks in all)
_Keyed = tuple[str, ChunkJob]  # a job and its cache key


class ChunkingError(Exception):
    """The chunks cannot be assembled faithfully; the caller renders in one pass."""


@dataclass(frozen=True)
class ChunkedResult:
    pages: int
    diagnostics: tuple[Diagnostic, ...]
    written: bool
    rendered: int  # chunks actually rendered (the rest came from the cache)
    typography: Typography = NOTHING_MEASURED  # of the body, back and front matter
    layouts: Layouts = field(default_factory=Layouts)  # of the body's chunks


@dataclass(frozen=True)
class _Placed:
    """A body chunk and where it lands."""

    runs: tuple[BodyRun, ...]
    result: ChunkResult
    pdf: Path
    first_folio: int  # the arabic folio of its first page
    blank_before: bool


class ChunkedPdf:
    """Renders one anthology's print edition through the chunk pipeline."""

    def __init__(self, anthology: Anthology, style: Style, setup: PageSetup,
                 roots: Sequence[Path], base: Path, cache_dir: Path, jobs: int,
                 progress: Progress | None = None, pool: Workers | None = None,
                 first: frozenset[str] = frozenset(), shared: str | None = None,
                 claims: bool = False) -> None:
        self.anthology = anthology
        self.style = style
        self.setup = setup
        self.roots = tuple(roots)
        self.base = base
        # `shared` (--cache): the body's layouts; cache_dir: the copies the assembly reads,
        # and what only this book uses (furniture, front and back matter)
        self.cache = ChunkCache(cache_dir)
        self.layouts = ChunkCache(shared, local=cache_dir) if shared else self.cache
        self.claims = Claims(cache_dir) if claims else None  # book tasks side by side
        self.jobs = max(1, jobs)
        self.progress = progress
        self.pool = pool  # the build's workers, perhaps already warm; else the book's own
        self.first = first  # sources whose chunks go to the workers first (edited ones)
        self.sheets = style.stylesheets("css/print.css")
        self._style_key = digest(style.font_css, *(p.read_bytes() for p in self.sheets),
                                 _versions(), repr(machine_fonts()))  # once: in every key
        self.images = tuple(book_images(anthology, base).items())
        self.rendered = 0
        self._done = 0
        self._total = 0

    # ---- the pipeline ------------------------------------------------------------------

    def write(self, target: Path, previous: Path | None = None) -> ChunkedResult:
        """Write the book to `target`; `previous` is where the last build put it (patched
        rather than assembled again when only the content of some chunks changed)."""
        last = (assembly.Previous(previous, self.cache.directory
                                  / f"{previous.name}.assembly.json", target)
                if previous else None)
        try:
            return self._write(target, last)
        finally:
            if last:
                last.close()

    def _write(self, target: Path, previous: assembly.Previous | None) -> ChunkedResult:
        chunks = plan_chunks(self.anthology, pieces_per_chunk(len(self.anthology.pieces)))
        self._total = len(chunks) * 2 + 4
        with contextlib.ExitStack() as stack:
            pool = self.pool or stack.enter_context(LazyPool(self.jobs))
            # the previous book is read while the workers render the chunks that changed
            body = self._render_body(pool, chunks, previous.read if previous else None)
            layouts = Layouts(self.rendered, len(chunks) - self.rendered, 1)
            placed = place_chunks(chunks, body)
            numbers = page_numbers(placed)
            drafts = []
            if self.anthology.foreword is not None:
                # The back matter may cite the foreword's roman folio. The front matter's
                # own layout does not depend on the numbers it prints (they sit in reserved
                # space), so a first rendering tells where the foreword is.
                drafts = self._render_all(pool, [self._front_job(numbers)])
                numbers |= front_numbers(self.anthology, drafts[0][1])
            # The back matter is the longest job left: it goes first, and the furniture
            # of every chunk fills the other workers meanwhile.
            back_first = _next_recto(placed)
            blank_job = self._job("<html><body></body></html>", NO_FURNITURE_CSS)
            back, blank, *furniture = self._render_all(pool, [
                self._selection_job(PrintSelection(False, (), True, numbers),
                                    f"@page :first {{ counter-reset: page {back_first} }}"),
                blank_job, *(self._furniture_job(c) for c in placed)])
            numbers |= {name: str(back_first + page) for name, (page, _, _)
                        in back[1].anchors.items()}
            front = self._render_all(pool, [self._front_job(numbers)])[0]
        for chunk, (_, result) in zip(placed, furniture, strict=True):
            _check_furniture(chunk, result)
        if drafts and front_numbers(self.anthology, front[1]) != front_numbers(
                self.anthology, drafts[0][1]):
            raise ChunkingError("the front matter moved when its page numbers were filled in")
        problems = [d for _, r in (*body, back, front, *furniture) for d in r.diagnostics]
        if any(r.refused for _, r in (*body, back, front)):
            return ChunkedResult(0, tuple(problems), False, self.rendered, layouts=layouts)
        pages = self._assemble(target, previous, front, placed, furniture, back, blank[0])
        self._trim_cache([*body, *drafts, back, front, blank, *furniture])
        return ChunkedResult(pages, tuple(problems), True, self.rendered,
                             combined(r.typography for _, r in (*body, back, front)), layouts)

    def _render_body(self, pool: Workers, chunks: Sequence[tuple[BodyRun, ...]],
                     meanwhile: Callable[[], object] | None) -> list[tuple[Path, ChunkResult]]:
        """The body chunks, in book order. Chunks with a piece in `first` are keyed (their
        HTML made) first: after an edit, its chunk renders while the others are keyed."""
        order = sorted(range(len(chunks)), key=lambda i: not self._goes_first(chunks[i]))
        rendered = self._render_all(pool, (self._body_job(chunks[i]) for i in order),
                                    meanwhile, self.layouts)
        in_book_order = dict(zip(order, rendered, strict=True))
        return [in_book_order[i] for i in range(len(chunks))]

    def _goes_first(self, runs: tuple[BodyRun, ...]) -> bool:
        return any(piece.source.path in self.first for run in runs for piece in run.pieces)

    def _trim_cache(self, used: Sequence[tuple[Path, ChunkResult]]) -> None:
        if self.claims:  # other workers' books use the cache now: the run trims it at its end
            return
        size = sum(pdf.stat().st_size for pdf, _ in used)
        self.cache.trim({pdf.stem for pdf, _ in used}, max(CACHE_FLOOR, CACHE_FACTOR * size))

    def _assemble(self, target: Path, previous: assembly.Previous | None,
                  front: tuple[Path, ChunkResult],
                  placed: Sequence[_Placed], furniture: Sequence[tuple[Path, ChunkResult]],
                  back: tuple[Path, ChunkResult], blank: Path) -> int:
        front_pages = front[1].pages
        chunks = [assembly.Piece(front[0], False, pages=front_pages)]
        offsets = [0]
        position = front_pages + (front_pages % 2)  # the body opens on a recto
        body_start = position
        for chunk, (overlay, _) in zip(placed, furniture, strict=True):
            position += chunk.blank_before
            offsets.append(position)
            chunks.append(assembly.Piece(chunk.pdf, chunk.blank_before, overlay,
                                         chunk.result.pages))
            position += chunk.result.pages
        back_blank = (position - body_start) % 2 == 1
        offsets.append(position + back_blank)
        chunks.append(assembly.Piece(back[0], back_blank, pages=back[1].pages))
        chunks[1] = replace(chunks[1], blank_before=front_pages % 2 == 1)
        results = [front[1], *(c.result for c in placed), back[1]]
        links = assembly.BookLinks(*_book_links(results, offsets),
                                   outline=outline(self.anthology))
        return assembly.assemble(chunks, blank, body_start, links, self.anthology.language,
                                 target, previous)

    # ---- jobs --------------------------------------------------------------------------

    def _front_job(self, numbers: dict[str, str]) -> _Keyed:
        return self._selection_job(PrintSelection(True, (), False, numbers), "")

    def _body_job(self, runs: tuple[BodyRun, ...]) -> _Keyed:
        return self._selection_job(PrintSelection(False, runs, False, shared=True),
                                   NO_FURNITURE_CSS)

    def _selection_job(self, selection: PrintSelection, extra_css: str) -> _Keyed:
        html = render_print(self.anthology, self.style, self.setup, selection).html
        return self._job(html, extra_css)

    def _furniture_job(self, chunk: _Placed) -> _Keyed:
        html = furniture_html(self.anthology, chunk.runs, chunk.result)
        css = (f"@page :first {{ counter-reset: page {chunk.first_folio} }}\n"
               "@page { marks: none }\n"  # the chunk's pages have them: drawn once, not twice
               ".furniture-page { height: 1px; }\n"
               ".furniture-page + .furniture-page { break-before: page; }\n"
               ".furniture-start { string-set: verso-head attr(data-verso-head); }\n"
               # a right-to-left book shows the book or part on its right-hand pages
               'html[dir="rtl"] .furniture-start '
               "{ string-set: running-head attr(data-verso-head); }\n")
        return self._job(html, css)

    def _job(self, html: str, extra_css: str) -> _Keyed:
        css = self.setup.css + extra_css
        key = digest(html, css, self._style_key)
        return key, ChunkJob(html, self.style.font_css, self.sheets, css, self.roots,
                             self.base, self.cache.temporary_path(key), self.images)

    def _render_all(self, pool: Workers, keyed: Iterable[_Keyed],
                    meanwhile: Callable[[], object] | None = None,
                    cache: ChunkCache | None = None) -> list[tuple[Path, ChunkResult]]:
        """Each job's (pdf, result), from the cache or rendered in the worker pool.

        `keyed` is consumed lazily: the first chunk missing from the cache goes to a worker
        (which starts and loads WeasyPrint) while the HTML of the next ones is made. Then
        `meanwhile` runs, before waiting for the workers."""
        cache = cache or self.cache  # the body's layouts may be shared (self.layouts)
        keys: list[str] = []
        found: dict[int, ChunkResult] = {}
        pending: dict[int, tuple[ChunkJob, Future[ChunkResult]]] = {}
        claimed: dict[int, ChunkJob] = {}  # by another worker: waited for after the rest
        for index, (key, job) in enumerate(keyed):
            keys.append(key)
            cached, here = look_up(cache, self.claims, key)
            if cached is not None:
                found[index] = cached
                self._advance()
            elif not here:
                claimed[index] = job
            elif self.claims:  # side by side, laid out at once: another worker may wait
                found[index] = self._keep(cache, key, job, pool.submit(render_chunk, job))
            else:
                pending[index] = job, pool.submit(render_chunk, job)
        for index, job in claimed.items():
            cached = self.claims.wait(keys[index], cache) if self.claims else None
            found[index] = cached or self._keep(cache, keys[index], job,
                                                pool.submit(render_chunk, job))
            if cached:
                self._advance()
        if meanwhile:
            meanwhile()
        for index, (job, future) in pending.items():
            found[index] = self._keep(cache, keys[index], job, future)
        return [(self.cache.pdf_path(key), found[i]) for i, key in enumerate(keys)]

    def _keep(self, cache: ChunkCache, key: str, job: ChunkJob,
              future: Future[ChunkResult]) -> ChunkResult:
        """A chunk laid out, into the cache (unless refused); its claim released."""
        try:
            result = future.result()
            if not result.refused:
                cache.put(key, job.target, result)
        finally:
            if self.claims:
                self.claims.release(key)
        self.rendered += 1
        self._advance()
        return result

    def _advance(self) -> None:
        self._done += 1
        if self.progress:
            self.progress(min(self._done, self._total), self._total)


def pieces_per_chunk(pieces: int) -> int:
    return max(MIN_PIECES_PER_CHUNK, -(-pieces // MAX_CHUNKS))


def plan_chunks(anthology: Anthology, size: int) -> list[tuple[BodyRun, ...]]:
    """Runs of at most `size` pieces; a part's title page is a chunk of its own, so that its
    first piece is laid out as in any other book (the page is the book's: its part)."""
    chunks: list[tuple[BodyRun, ...]] = []
    for run in body_runs(anthology):
        pieces = run.pieces
        if run.with_part_page and pieces:
            chunks.append((BodyRun(run.part, run.part_number, (), True, run.opens_body),))
            run = BodyRun(run.part, run.part_number, pieces, False, False)
        for start in range(0, max(len(pieces), 1), size):
            first = start == 0
            chunks.append((BodyRun(run.part, run.part_number, pieces[start:start + size],
                                   run.with_part_page and first, run.opens_body and first),))
    return chunks


def place_chunks(chunks: Sequence[tuple[BodyRun, ...]],
                 rendered: Sequence[tuple[Path, ChunkResult]]) -> list[_Placed]:
    """Give each chunk its first folio; a chunk that would open on a verso gets a blank."""
    placed: list[_Placed] = []
    folio = 1
    for runs, (pdf, result) in zip(chunks, rendered, strict=True):
        blank = folio % 2 == 0
        folio += blank
        placed.append(_Placed(runs, result, pdf, folio, blank))
        folio += result.pages
    return placed


def front_numbers(anthology: Anthology, front: ChunkResult) -> dict[str, str]:
    """The roman folio of the foreword, for references to it from the back matter."""
    if anthology.foreword is None:
        return {}
    name = piece_id(anthology.foreword)
    return {name: lower_roman(front.anchors[name][0] + 1)} if name in front.anchors else {}


_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def lower_roman(number: int) -> str:
    text = ""
    for value, letters in _ROMAN:
        count, number = divmod(number, value)
        text += letters * count
    return text


def _next_recto(placed: Sequence[_Placed]) -> int:
    last = placed[-1]
    folio = last.first_folio + last.result.pages
    return folio + (folio % 2 == 0)


def page_numbers(placed: Iterable[_Placed]) -> dict[str, str]:
    """Printed folio of every element that starts in the body, by id."""
    return {name: str(chunk.first_folio + page)
            for chunk in placed for name, (page, _, _) in chunk.result.anchors.items()}


def _book_links(results: Sequence[ChunkResult], offsets: Sequence[int]) -> tuple[
        dict[str, assembly.PageRef], list[assembly.LinkRef]]:
    destinations: dict[str, assembly.PageRef] = {}
    links: list[assembly.LinkRef] = []
    for result, offset in zip(results, offsets, strict=True):
        for name, (page, x, y) in result.anchors.items():
            destinations.setdefault(name, (offset + page, x, y))
        links += [(offset + page, target, rect) for page, target, rect in result.links]
    return destinations, links


def outline(anthology: Anthology) -> list[assembly.OutlineEntry]:
    """The bookmarks a single pass makes: contents, foreword, parts with pieces, back."""
    entries = [assembly.OutlineEntry(contents_title(anthology), "contents-title", 1)]
    if anthology.foreword:
        entries.append(assembly.OutlineEntry(bookmark(anthology.foreword),
                                             piece_id(anthology.foreword), 1))
    for part, pieces in anthology.sections:
        if part:
            entries.append(assembly.OutlineEntry(part.title, part.slug, 1))
        entries += [assembly.OutlineEntry(bookmark(p), piece_id(p), 2 if part else 1)
                    for p in pieces]
    entries += [assembly.OutlineEntry(s.title, s.id, 1) for s in back_sections(anthology)]
    return entries


def furniture_html(anthology: Anthology, runs: Sequence[BodyRun], result: ChunkResult) -> str:
    """An empty copy of a chunk's structure, one empty block per non-blank page, so that the
    style's own page rules give each page the running heads and folio it has in the book."""
    spans = _page_spans(result)
    parts: list[str] = []
    for run in runs:
        verso = escape(run.part.title if run.part else anthology.title)
        start = f'<div class="furniture-start" data-verso-head="{verso}"></div>'
        if run.with_part_page and run.part:
            classes = "part first-part" if run.opens_body else "part"
            parts.append(f'<section class="{classes}" data-verso-head="{verso}">{start}'
                         f"{_blocks(spans.get(run.part.slug, 1))}</section>")
            start = ""
        for number, piece in enumerate(run.pieces):
            first = run.opens_body and number == 0 and not run.with_part_page
            classes = "piece" + (" first-piece" if first else "") + (
                " in-part" if run.part else "")
            parts.append(f'<article class="{classes}" data-running-head="'
                         f'{escape(running_head(piece))}">{start}'
                         f"{_blocks(spans.get(piece_id(piece), 1))}</article>")
            start = ""
    # dir: the pages take the sides (and heads) of the book's pages, left first if rtl
    return (f'<html lang="{escape(anthology.language)}" dir="{direction(anthology.language)}"'
            ' class="profile-print"><body>' + "".join(parts) + "</body></html>")


def _blocks(count: int) -> str:
    return '<div class="furniture-page"></div>' * count


def _page_spans(result: ChunkResult) -> dict[str, int]:
    """Non-blank pages from each opening (piece or part) to the next."""
    openings = sorted((page, name) for name, (page, _, _) in result.anchors.items()
                      if (name.startswith("piece-") and not name.endswith("-title"))
                      or (name.startswith("part-") and not name.endswith("-title")))
    spans: dict[str, int] = {}
    for number, (page, name) in enumerate(openings):
        end = openings[number + 1][0] if number + 1 < len(openings) else result.pages
        spans[name] = sum(1 for p in range(page, end) if not result.blank[p])
    return spans


def _check_furniture(chunk: _Placed, furniture: ChunkResult) -> None:
    if furniture.blank != chunk.result.blank:
        raise ChunkingError("running heads do not line up with the pages of a chunk")


@functools.cache
def _versions() -> str:
    return f"chapbook {version('chapbook')} weasyprint {version('weasyprint')}"
