"""The build, as its stages: read -> collect -> render -> write."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .anthology import Anthology
from .collect import CollectOptions, collect, unknown_anthologies
from .config import Project, load_project
from .diagnostics import Diagnostic, error, has_errors
from .models import Manuscript
from .pagesetup import page_setup
from .preflight import preflight
from .readers import ReadSettings, read_pool
from .render import render_epub, render_print
from .styles import load_style

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
    profiles: tuple[str, ...] = ()  # PDF profiles to build; empty means each book's own


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
                            rating_scale=press.rating_scale)
    results = read_pool(manuscripts_dir, settings)
    pool = tuple(r.manuscript for r in results if r.manuscript is not None)
    problems += [d for r in results for d in r.diagnostics]
    books, found = collect(project, pool, CollectOptions(options.include_drafts, options.only))
    if "pdf" in options.formats:  # the glyph check is about the print edition
        found += preflight(project, books, options.style)
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
        for fmt, profile in _editions(book, options):
            target = out_dir / output_name(book.slug, fmt, profile)
            if progress:
                progress(target.name)
            written, found = _write(the_plan.project, book, fmt, profile, target, options)
            outputs += written
            problems += found
    return BuildReport(the_plan, tuple(outputs), tuple(problems))


def _editions(book: Anthology, options: BuildOptions) -> list[tuple[str, str | None]]:
    """(format, PDF profile) pairs to build for a book."""
    wanted = [f for f in options.formats if f in book.config.formats]
    editions: list[tuple[str, str | None]] = [("epub", None)] if "epub" in wanted else []
    if "pdf" in wanted:
        profiles = options.profiles or tuple(book.config.print.profiles)
        editions += [("pdf", profile) for profile in profiles]
    return editions


def output_name(slug: str, fmt: str, profile: str | None) -> str:
    """build/<slug>.epub, build/<slug>.pdf (print), build/<slug>-screen.pdf."""
    suffix = f"-{profile}" if profile and profile != "print" else ""
    return f"{slug}{suffix}.{fmt}"


def _write(project: Project, book: Anthology, fmt: str, profile: str | None, target: Path,
           options: BuildOptions) -> tuple[list[Path], list[Diagnostic]]:
    style, problems = load_style(options.style or book.config.style, project.root,
                                 project.fallback_fonts)
    if style is None:
        return [], problems
    try:
        if fmt == "epub":
            from .epub import write_epub  # imported late: an EPUB build never loads WeasyPrint

            write_epub(book, render_epub(book, style), target)
        else:
            from .pdf import write_pdf

            setup = page_setup(book.config.print, profile or "print")
            rendition = render_print(book, style, setup)
            result = write_pdf(book, rendition, target, (project.root, *style.layers),
                               project.root)
            problems += result.diagnostics
            if not result.written:
                return [], problems
    except OSError as exc:
        problems.append(error("write-failed", f"cannot write {target}: {exc.strerror or exc}",
                              None, "check that the output folder is writable and not full"))
        return [], problems
    return [target], problems
