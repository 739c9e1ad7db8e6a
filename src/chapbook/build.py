"""The build, as its stages: read -> collect -> render -> write."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .anthology import Anthology
from .collect import CollectOptions, collect, unknown_anthologies
from .config import Project, load_project
from .diagnostics import Diagnostic, error, has_errors, relative_path
from .models import Manuscript
from .pagesetup import page_css
from .readers import ReadSettings, read_pool
from .render import malformed_documents, render_epub, render_print
from .styles import Style, load_style

FORMATS = ("epub", "pdf")
Progress = Callable[[str], None]


@dataclass(frozen=True)
class BuildOptions:
    formats: tuple[str, ...] = FORMATS
    only: tuple[str, ...] = ()  # anthology slugs; empty means every anthology
    out_dir: Path | None = None
    include_drafts: bool = False
    strict: bool = False
    style: str | None = None  # overrides each anthology's style
    validate: bool = False  # run EPUBCheck on each EPUB written


@dataclass(frozen=True)
class Plan:
    """What read and collect found: enough to list, check or build."""

    project: Project | None
    manuscripts: tuple[Manuscript, ...] = ()
    anthologies: tuple[Anthology, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True)
class BuildReport:
    plan: Plan
    outputs: tuple[Path, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = field(default_factory=tuple)

    @property
    def all_diagnostics(self) -> tuple[Diagnostic, ...]:
        return self.plan.diagnostics + self.diagnostics


def plan(root: Path, options: BuildOptions) -> Plan:
    """Read the config and the pool, then collect the anthologies. Writes nothing."""
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
    press = project.config.press
    settings = ReadSettings(root=root, default_language=press.language,
                            rating_scale=press.rating_scale, raw_html=press.raw_html)
    results = read_pool(manuscripts_dir, settings)
    pool = tuple(r.manuscript for r in results if r.manuscript is not None)
    problems += [d for r in results for d in r.diagnostics]
    books, found = collect(project, pool, CollectOptions(options.include_drafts, options.only))
    return Plan(project, pool, tuple(books), tuple(problems + found))


def build(root: Path, options: BuildOptions, progress: Progress | None = None) -> BuildReport:
    """Plan, then render and write every requested edition, unless the plan has errors."""
    the_plan = plan(root, options)
    if the_plan.project is None or has_errors(the_plan.diagnostics, options.strict):
        return BuildReport(the_plan)
    out_dir = options.out_dir or root / "build"
    outputs: list[Path] = []
    problems: list[Diagnostic] = []
    for book in the_plan.anthologies:
        for fmt in (f for f in options.formats if f in book.config.formats):
            if progress:
                progress(f"{book.slug}.{fmt}")
            written, found = _write(the_plan.project, book, fmt, out_dir, options)
            outputs += written
            problems += found
            if options.validate and fmt == "epub" and written:
                problems += _validate(the_plan.project.root, book, written[0], progress)
    return BuildReport(the_plan, tuple(outputs), tuple(problems))


def _validate(root: Path, book: Anthology, epub: Path,
              progress: Progress | None) -> list[Diagnostic]:
    from .validate import validation_diagnostics

    if progress:
        progress(f"{book.slug}.epub (EPUBCheck)")
    return validation_diagnostics(book, epub, relative_path(epub, root))


def _write(project: Project, book: Anthology, fmt: str, out_dir: Path,
           options: BuildOptions) -> tuple[list[Path], list[Diagnostic]]:
    style, problems = load_style(options.style or book.config.style, project.root)
    if style is None:
        return [], problems
    target = out_dir / f"{book.slug}.{fmt}"
    try:
        if fmt == "epub":
            found, written = _write_epub(book, style, target)
            problems += found
            if not written:
                return [], problems
        else:
            from .pdf import write_pdf

            rendition = render_print(book, style, page_css(book.config))
            result = write_pdf(book, rendition, target, (project.root, *style.layers),
                               project.root)
            problems += result.diagnostics
    except OSError as exc:
        problems.append(error("write-failed", f"cannot write {target}: {exc.strerror or exc}",
                              None, "check that the output folder is writable and not full"))
        return [], problems
    return [target], problems


def _write_epub(book: Anthology, style: Style, target: Path) -> tuple[list[Diagnostic], bool]:
    """Cover, documents, resources, package. ebooklib (and, for a generated cover,
    WeasyPrint) load only here. Returns the diagnostics and whether the EPUB was written."""
    from .cover import book_cover
    from .epub import write_epub
    from .resources import epub_resources

    cover, problems = book_cover(book, style)
    rendition = render_epub(book, style, cover)
    broken = malformed_documents(rendition, style)
    if broken:
        return problems + broken, False
    resources, found = epub_resources(book, style, rendition, cover)
    write_epub(book, rendition, resources, target)
    return problems + found, True
