"""One book of a build: every edition asked for, its cover wrap, its EPUBCheck and its
offprints. The build process calls it book after book, or a worker runs it as a book task
(`booktask.py`) when a run has many books."""

from __future__ import annotations

from pathlib import Path

import jinja2

from chapbook.build.coverwrap import write_cover
from chapbook.build.offprints import OffprintJob, write_offprints
from chapbook.build.options import BuildOptions
from chapbook.build.pagemaps import page_map_for, remember_page_map
from chapbook.build.report import Progress
from chapbook.core.anthology import Anthology
from chapbook.core.config import Project
from chapbook.core.diagnostics import Diagnostic, error, relative_path
from chapbook.core.paths import BuildPaths
from chapbook.core.workers import Workers
from chapbook.epub.edition import write_epub_edition
from chapbook.epub.epubcheck import validation_diagnostics
from chapbook.pdf.edition import PrintJob, write_print_edition
from chapbook.pdf.jobs import Layouts
from chapbook.pdf.pagemap import PageMap, read_page_map
from chapbook.render.styles import Style, keep_compiled_templates, load_style
from chapbook.render.template_errors import template_diagnostic
from chapbook.web.edition import write_web_edition
from chapbook.web.press import base_url


class Writing:
    """Where a build writes, its workers, the manuscripts whose PDF chunks go to the
    workers first (those read anew: the others' chunks are probably cached), and whom to
    tell how it goes."""

    def __init__(self, paths: BuildPaths, workers: Workers, first: frozenset[str],
                 progress: Progress | None, cache: str | None = None) -> None:
        self.paths, self.workers, self.first, self.progress = paths, workers, first, progress
        self.cache = cache  # where print layouts are kept: a folder or fsspec URL (--cache)
        self.side_by_side = False  # a book task: other workers build other books at once
        self.styles: dict[str, tuple[Style | None, list[Diagnostic]]] = {}  # loaded, by name
        self.page_maps: dict[str, PageMap] = {}  # by book: its print PDF's, for its EPUB
        self.reported: set[str] = set()  # styles whose problems were reported
        self.given = ""  # the digest of what the Python API hands in, for the page maps' keys
        self.layouts = Layouts()  # body layouts laid out and reused, over every book

    def begin(self, output: str) -> None:
        if self.progress:
            self.progress.begin(output)

    def style(self, name: str, project: Project) -> tuple[Style | None, list[Diagnostic]]:
        """The style, loaded once a build: many books share it (and its compiled templates)."""
        if name not in self.styles:
            self.styles[name] = load_style(name, project.root, project.fallback_fonts)
        style, problems = self.styles[name]
        first = name not in self.reported
        self.reported.add(name)
        return style, list(problems) if first else []





def write_book(project: Project, book: Anthology, options: BuildOptions,
               writing: Writing) -> tuple[list[Path], list[Diagnostic]]:
    """Every edition of `book` asked for, in order (see `editions`), with the print PDF's
    cover wrap, EPUBCheck if asked, and the offprints: the outputs and the diagnostics."""
    outputs: list[Path] = []
    problems: list[Diagnostic] = []
    fields = book_fields(book, options)
    for fmt, profile in editions(book, options):
        target = writing.paths.book(book.slug, fmt, profile, fields)
        writing.begin(target.name)
        written, found = _write(project, book, fmt, profile, target, options, writing)
        problems += found
        if written:
            outputs.append(target)
        if written and (fmt, profile) == ("pdf", "print"):  # its cover wrap, after it
            problems += _cover_wrap(project, book, options, writing, target, outputs, fields)
        if options.validate and fmt == "epub" and written:
            writing.begin(f"{book.slug}.epub (EPUBCheck)")
            problems += validation_diagnostics(book, target, relative_path(target, project.root))
    if (_offprint_formats(book, options)
            and writing.paths.book(book.slug, "pdf", "print", fields) in outputs):
        made, noted = _offprints(project, book, options, writing, fields, outputs)
        outputs += made
        problems += noted
    return outputs, problems



def book_fields(book: Anthology, options: BuildOptions) -> dict[str, str]:
    """What an --out template may name of a book, besides its slug."""
    return {"language": book.language, "style": options.style or book.config.style,
            "trim": book.config.print.trim}





def editions(book: Anthology, options: BuildOptions) -> list[tuple[str, str | None]]:
    """(format, PDF profile) pairs to build for a book."""
    wanted = [f for f in options.formats
              if f in book.config.formats or (options.preview and f == "html")]
    editions: list[tuple[str, str | None]] = []
    if "pdf" in wanted:
        profiles = options.profiles or tuple(book.config.print.profiles)
        editions += [("pdf", profile) for profile in profiles]
    if _offprint_formats(book, options) and ("pdf", "print") not in editions:
        editions.append(("pdf", "print"))  # the offprints are made from it
    if "epub" in wanted:  # after the print PDF: the EPUB marks where its pages begin
        editions.append(("epub", None))
    if "html" in wanted:  # last: it links to the EPUB and PDFs, with their sizes
        editions.append(("html", None))
    return editions





def _write(project: Project, book: Anthology, fmt: str, profile: str | None, target: Path,
           options: BuildOptions, writing: Writing) -> tuple[bool, list[Diagnostic]]:
    """One edition of one book: whether it was written, and the diagnostics."""
    style, problems = writing.style(options.style or book.config.style, project)
    if style is None:
        return False, problems
    keep_compiled_templates(style, writing.paths.template_cache)
    try:
        if fmt == "epub":
            page_map, reused = page_map_for(writing.page_maps, writing.paths, project.root,
                                            options, book.slug, writing.given)
            problems += reused
            written, found = write_epub_edition(book, style, target, writing.paths,
                                                writing.workers, page_map)
        elif fmt == "html":
            written, found = write_web_edition(book, style, target, writing.paths,
                                               writing.workers, base_url(project))
        else:
            job = PrintJob(book, style, profile or "print", project.root, options.pdf_mode,
                           writing.paths.chunk_cache, writing.workers, writing.first,
                           writing.progress.advance if writing.progress else None,
                           writing.layouts, writing.cache, writing.side_by_side)
            written, found = write_print_edition(job, target)
            if written and job.profile == "print":
                writing.page_maps[book.slug] = read_page_map(target, style)
                remember_page_map(writing.paths, project.root, options, book.slug,
                                  writing.page_maps[book.slug], writing.given)
    except jinja2.TemplateError as exc:  # a style's own template (TemplateNotFound is
        return False, [*problems, template_diagnostic(exc, project.root)]  # an OSError too)
    except OSError as exc:
        problems.append(error("write-failed", f"cannot write {target}: {exc.strerror or exc}",
                              None, "check that the output folder is writable and not full"))
        return False, problems
    return written, problems + found





def _cover_wrap(project: Project, book: Anthology, options: BuildOptions, writing: Writing,
                interior: Path, outputs: list[Path],
                fields: dict[str, str]) -> list[Diagnostic]:
    """build/<slug>-cover.pdf, its spine measured from the print PDF just written."""
    target = writing.paths.cover(book.slug, fields)
    writing.begin(target.name)
    style, _ = writing.style(options.style or book.config.style, project)  # reported already
    if style is None:
        return []
    try:
        written, found = write_cover(book, style, project.root, interior, target)
    except OSError as exc:
        return [error("write-failed", f"cannot write {target}: {exc.strerror or exc}", None,
                      "check that the output folder is writable and not full")]
    if written:
        outputs.append(target)
    return found





def _offprint_formats(book: Anthology, options: BuildOptions) -> tuple[str, ...]:
    """The formats of a book's offprints: PDF and EPUB, as asked and as the book has."""
    if not options.offprints:
        return ()
    return tuple(f for f in ("pdf", "epub") if f in options.formats and f in book.config.formats)





def _offprints(project: Project, book: Anthology, options: BuildOptions, writing: Writing,
               fields: dict[str, str],
               outputs: list[Path]) -> tuple[list[Path], list[Diagnostic]]:
    """`--offprints`: in the formats asked for, from the print PDF just written (and the
    EPUB, if this build wrote it)."""
    writing.begin(f"{book.slug} offprints")
    style, problems = writing.style(options.style or book.config.style, project)
    if style is None:
        return [], problems
    epub = writing.paths.book(book.slug, "epub", None, fields)
    job = OffprintJob(book, style, options.offprints or "piece",
                      _offprint_formats(book, options), project.root, writing.paths,
                      writing.workers, fields, epub if epub in outputs else None)
    try:
        written, found = write_offprints(job)
    except jinja2.TemplateError as exc:  # a style's own offprint template
        return [], [template_diagnostic(exc, project.root)]
    except OSError as exc:
        return [], [error("write-failed", f"cannot write the offprints of {book.slug}: "
                          f"{exc.strerror or exc}", None,
                          "check that the output folder is writable and not full")]
    return written, found
