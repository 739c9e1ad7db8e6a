"""The pipeline of a build: read -> collect -> render -> write.

`build.py` decides whether there is anything to do and starts the PDF workers; this
module, and the libraries it loads, come after.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .anthology import Anthology
from .build import AUTO_CHUNK_THRESHOLD, BuildReport, Plan, Progress, output_name
from .collect import CollectOptions, collect, unknown_anthologies
from .config import Project, load_project
from .diagnostics import Diagnostic, error, has_errors, info, relative_path
from .options import BuildOptions
from .output import atomic_target
from .pagesetup import PageSetup, page_setup
from .preflight import preflight
from .readers import ReadCache, ReadSettings, read_pool
from .render import finish_epub, malformed_documents, render_print, start_epub
from .styles import Style, keep_compiled_templates, load_style
from .workers import LazyPool


def plan(root: Path, options: BuildOptions, read_cache: ReadCache | None = None) -> Plan:
    """Read the config and the pool, then collect the anthologies. Writes nothing: new
    readings wait in `read_cache` until the build saves it."""
    project, problems = load_project(root)
    if project is None:
        return Plan(None, diagnostics=tuple(problems))
    problems += unknown_anthologies(project, options.only)
    manuscripts_dir = project.manuscripts_dir
    if not manuscripts_dir.is_dir():
        problems.append(error("no-manuscripts", f"no folder '{project.config.manuscripts}'",
                              project.location_of("manuscripts"),
                              "create it and put .md or .txt manuscripts in it"))
        return Plan(project, diagnostics=tuple(problems))
    if not manuscripts_dir.resolve().is_relative_to(root.resolve()):
        problems.append(error("outside-project", f"the manuscripts folder "
                              f"'{project.config.manuscripts}' is outside the project",
                              project.location_of("manuscripts"),
                              "keep the manuscripts inside the project folder"))
        return Plan(project, diagnostics=tuple(problems))
    press = project.config.press
    settings = ReadSettings(root=root, default_language=press.language,
                            rating_scale=press.rating_scale, raw_html=press.raw_html)
    results = read_pool(manuscripts_dir, settings, read_cache)
    pool = tuple(r.manuscript for r in results if r.manuscript is not None)
    problems += [d for r in results for d in r.diagnostics]
    books, found = collect(project, pool, CollectOptions(options.include_drafts, options.only))
    if "pdf" in options.formats:  # the glyph check is about the print edition
        found += preflight(project, books, options.style)
    return Plan(project, pool, tuple(books), tuple(problems + found))


def plan_and_write(root: Path, options: BuildOptions, out_dir: Path,
                    progress: Progress | None, reads: ReadCache,
                    workers: LazyPool) -> BuildReport:
    the_plan = plan(root, options, reads)
    if the_plan.project is None or has_errors(the_plan.diagnostics, options.strict):
        return BuildReport(the_plan)
    outputs: list[Path] = []
    problems: list[Diagnostic] = []
    for book in the_plan.anthologies:
        for fmt, profile in _editions(book, options):
            target = out_dir / output_name(book.slug, fmt, profile)
            if progress:
                progress.begin(target.name)
            written, found = _write(the_plan.project, book, fmt, profile, target, options,
                                    progress, _Workers(workers, frozenset(reads.read_anew)))
            outputs += written
            problems += found
            if options.validate and fmt == "epub" and written:
                problems += _validate(the_plan.project.root, book, written[0], progress)
    return BuildReport(the_plan, tuple(outputs), tuple(problems))


def _validate(root: Path, book: Anthology, epub: Path,
              progress: Progress | None) -> list[Diagnostic]:
    from .validate import validation_diagnostics

    if progress:
        progress.begin(f"{book.slug}.epub (EPUBCheck)")
    return validation_diagnostics(book, epub, relative_path(epub, root))


def _editions(book: Anthology, options: BuildOptions) -> list[tuple[str, str | None]]:
    """(format, PDF profile) pairs to build for a book."""
    wanted = [f for f in options.formats if f in book.config.formats]
    editions: list[tuple[str, str | None]] = [("epub", None)] if "epub" in wanted else []
    if "pdf" in wanted:
        profiles = options.profiles or tuple(book.config.print.profiles)
        editions += [("pdf", profile) for profile in profiles]
    return editions


@dataclass(frozen=True)
class _Workers:
    """The build's worker processes (PDF chunks, a generated cover), and the manuscripts
    whose chunks they should render first (those read anew: the others' chunks are
    probably in the chunk cache)."""

    pool: LazyPool
    first: frozenset[str]  # project-relative paths


def _write(project: Project, book: Anthology, fmt: str, profile: str | None, target: Path,
           options: BuildOptions, progress: Progress | None,
           workers: _Workers) -> tuple[list[Path], list[Diagnostic]]:
    style, problems = load_style(options.style or book.config.style, project.root,
                                 project.fallback_fonts)
    if style is None:
        return [], problems
    keep_compiled_templates(style, target.parent / ".cache" / "templates")
    try:
        if fmt == "epub":
            found, written = _write_epub(book, style, target, workers.pool)
            problems += found
            if not written:
                return [], problems
        else:
            written, found = _write_pdf(project, book, style, profile or "print", target,
                                        options, progress, workers)
            problems += found
            if not written:
                return [], problems
    except OSError as exc:
        problems.append(error("write-failed", f"cannot write {target}: {exc.strerror or exc}",
                              None, "check that the output folder is writable and not full"))
        return [], problems
    return [target], problems


def _write_pdf(project: Project, book: Anthology, style: Style, profile: str, target: Path,
               options: BuildOptions, progress: Progress | None,
               workers: _Workers) -> tuple[bool, list[Diagnostic]]:
    """Chunked and parallel where the result is the same as one pass; one pass otherwise.

    One pass is used on request, for books of a few pieces (chunks cost a fixed overhead
    each and gain nothing there), for the screen profile (no recto openings: a chunk's
    place in the book changes its mirrored margins) and for PDF/A and PDF/UA (a merge
    would lose their metadata and structure tree).
    """
    from .pdfbook import ChunkedPdf, ChunkingError

    setup = page_setup(book.config.print, profile)
    roots = (project.root, *style.layers)
    one_pass = (options.pdf_mode == "single" or profile == "screen"
                or book.config.print.pdf_variant is not None
                or (options.pdf_mode == "auto" and len(book.pieces) <= AUTO_CHUNK_THRESHOLD))
    if not one_pass:
        chunked = ChunkedPdf(book, style, setup, roots, project.root,
                             (options.out_dir or project.root / "build") / ".cache" / "pdf",
                             workers.pool.jobs, progress.advance if progress else None,
                             workers.pool, workers.first)
        try:
            with atomic_target(target) as temporary:
                result = chunked.write(temporary, previous=target)
                if not result.written:
                    raise _NotWritten(list(result.diagnostics))
            return True, list(result.diagnostics)
        except _NotWritten as refused:
            return False, refused.diagnostics
        except ChunkingError as exc:
            note = info("pdf-single-pass", f"{target.name}: rendered in one pass ({exc})")
            written, found = _single_pass(book, style, setup, roots, project, target)
            return written, [note, *found]
    return _single_pass(book, style, setup, roots, project, target)


def _single_pass(book: Anthology, style: Style, setup: PageSetup, roots: tuple[Path, ...],
                 project: Project, target: Path) -> tuple[bool, list[Diagnostic]]:
    from .pdf import write_pdf

    result = write_pdf(book, render_print(book, style, setup), target, roots, project.root)
    return result.written, list(result.diagnostics)


class _NotWritten(Exception):
    """An edition was not written; carries the diagnostics that say why."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics


def _write_epub(book: Anthology, style: Style, target: Path,
                workers: LazyPool) -> tuple[list[Diagnostic], bool]:
    """Cover, documents, resources, package. ebooklib loads only here (and WeasyPrint, in
    a worker, to generate a cover). Returns the diagnostics and whether the EPUB was
    written."""
    from .cover import start_cover
    from .epub import EpubFile
    from .resources import epub_resources

    # A cover to generate is laid out in a worker while the documents are rendered here
    pending = start_cover(book, style, target.parent / ".cache" / "cover", workers)
    try:
        with atomic_target(target) as temporary, EpubFile(book, temporary, workers) as epub:
            parts = start_epub(book, style)
            # Zipped in a worker while the rest is made: nearly all the book's bytes
            epub.start([*parts.body, *parts.back])
            cover, problems = pending.result()
            rendition = finish_epub(parts, cover)
            resources = epub_resources(book, style, rendition, cover,
                                       target.parent / ".cache" / "fonts", workers)
            broken = malformed_documents(rendition, style)
            if broken:
                raise _NotWritten(problems + broken)
            return problems + epub.finish(rendition, resources), True
    except _NotWritten as refused:
        return refused.diagnostics, False
