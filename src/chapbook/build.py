"""A build: nothing to do if nothing changed since the last one; otherwise the PDF
workers start loading WeasyPrint, and only then is the pipeline (pipeline.py) loaded and
run, so that the workers are ready by the time the first chunk is.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from . import uptodate
from .diagnostics import Diagnostic, has_errors
from .options import BuildOptions
from .workers import LazyPool, default_jobs

if TYPE_CHECKING:
    from .anthology import Anthology
    from .config import Project
    from .models import Manuscript
    from .readers import ReadCache

__all__ = ["BuildOptions", "BuildReport", "Plan", "Progress", "build", "output_name", "plan"]

AUTO_CHUNK_THRESHOLD = 16  # pieces; up to this, "auto" renders a PDF in one pass


class Progress(Protocol):
    """What the build reports while it runs (the CLI shows it)."""

    def begin(self, output: str) -> None: ...

    def advance(self, done: int, total: int) -> None: ...


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
    up_to_date: bool = False  # nothing changed since the last build: nothing was done

    @property
    def all_diagnostics(self) -> tuple[Diagnostic, ...]:
        return self.plan.diagnostics + self.diagnostics


def plan(root: Path, options: BuildOptions, read_cache: ReadCache | None = None) -> Plan:
    """Read the config and the pool, then collect the anthologies (see pipeline.plan)."""
    from .pipeline import plan as plan_pipeline

    return plan_pipeline(root, options, read_cache)


def build(root: Path, options: BuildOptions, progress: Progress | None = None) -> BuildReport:
    """Plan, then render and write every requested edition, unless the plan has errors."""
    out_dir = options.out_dir or root / "build"
    key = uptodate.fingerprint(root, options)
    previous = uptodate.unchanged(out_dir, key)
    if previous is not None:
        return BuildReport(Plan(None), tuple(previous[0]), tuple(previous[1]), up_to_date=True)
    with LazyPool(options.jobs or default_jobs()) as workers:
        # WeasyPrint loads while the pipeline loads and reads the pool
        if _chunks_likely(root, options, workers.jobs):
            from .pdfchunk import warm_worker

            workers.warm(warm_worker, _workers_to_warm(out_dir, workers.jobs))
        elif _cover_likely(root, options, out_dir):  # PDF workers would make it too
            from .coverimage import warm_worker as warm_cover_worker

            workers.warm(warm_cover_worker, 1)
        from .pipeline import plan_and_write
        from .readers import ReadCache

        reads = ReadCache(out_dir / ".cache" / "read")
        report = plan_and_write(root, options, out_dir, progress, reads, workers)
    if report.outputs and not has_errors(report.all_diagnostics, options.strict):
        uptodate.remember(out_dir, key, report.outputs, report.all_diagnostics)
        reads.save()
    else:
        uptodate.forget(out_dir)
    return report


def _chunks_likely(root: Path, options: BuildOptions, jobs: int) -> bool:
    """Whether a PDF will probably be rendered in chunks (a cheap guess from the number of
    manuscript files, made before reading them)."""
    if "pdf" not in options.formats or options.pdf_mode == "single" or jobs < 2:
        return False
    if options.pdf_mode == "chunked":
        return True
    folder = uptodate.manuscripts_dir(root)
    try:
        return sum(1 for _ in folder.iterdir()) > AUTO_CHUNK_THRESHOLD
    except OSError:
        return False


def _cover_likely(root: Path, options: BuildOptions, out_dir: Path) -> bool:
    """Whether an EPUB cover will probably be generated: an EPUB is wanted, of a chosen
    anthology that names no cover image in chapbook.toml, and no cover is kept from an
    earlier build (which would probably serve again)."""
    if "epub" not in options.formats or _has_entries(out_dir / ".cache" / "cover"):
        return False
    books = uptodate.raw_config(root).get("anthology", [])
    return isinstance(books, list) and any(
        isinstance(book, dict) and not book.get("cover")
        and "epub" in book.get("formats", ["epub"])
        and (not options.only or book.get("slug") in options.only) for book in books)


def _has_entries(folder: Path) -> bool:
    try:
        with os.scandir(folder) as entries:
            return any(True for _ in entries)
    except OSError:
        return False


def _workers_to_warm(out_dir: Path, jobs: int) -> int:
    """Every worker for a first build. One when earlier builds left chunks (probably few
    render): warming more would take the cores the parent needs to find which ones, and
    more workers start anyway if it sends several chunks at once."""
    return 1 if _has_entries(out_dir / ".cache" / "pdf") else jobs


def output_name(slug: str, fmt: str, profile: str | None) -> str:
    """build/<slug>.epub, build/<slug>.pdf (print), build/<slug>-screen.pdf."""
    suffix = f"-{profile}" if profile and profile != "print" else ""
    return f"{slug}{suffix}.{fmt}"
