"""The command line: a thin shell over the library, and the one place that prints or exits.

Exit codes (documented in the README):
  0  success
  1  the project has errors (or warnings, with --strict); nothing was written
  2  the command line itself is wrong
  3  an output could not be written
  70 an internal error (a bug in chapbook: please report it)
  130 interrupted (Ctrl-C)
  143 terminated (SIGTERM)
"""

from __future__ import annotations

import json
import os
import re
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from .cli_styles import styles_app

if TYPE_CHECKING:
    from .build import BuildReport, Plan
    from .diagnostics import Diagnostic
    from .options import BuildOptions

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_WRITE, EXIT_INTERNAL = 0, 1, 2, 3, 70
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143  # 128 + SIGINT, 128 + SIGTERM

app = typer.Typer(
    help="Publish themed anthologies of reviews as EPUB 3 and print-ready PDF.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

app.add_typer(styles_app, name="styles")

ProjectOption = Annotated[Path, typer.Option("--project", "-C", help="Project folder.",
                                             file_okay=False)]
VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help="Also show info notes.")]
DraftsOption = Annotated[bool, typer.Option("--drafts", help="Include pieces marked draft.")]


@app.command()
def build(
    slugs: Annotated[list[str] | None, typer.Argument(help="Anthologies to build (default: all).",
                                                      show_default=False)] = None,
    fmt: Annotated[list[str] | None, typer.Option("--format", "-f",
                                                  help="epub or pdf (repeatable).")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Output folder.",
                                             file_okay=False)] = None,
    strict: Annotated[bool, typer.Option(help="Treat warnings as errors.")] = False,
    style: Annotated[str | None, typer.Option(help="Use this style for every book.")] = None,
    profile: Annotated[list[str] | None, typer.Option(
        help="PDF profile: print or screen (repeatable; default: each book's own).")] = None,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", min=1, help="Worker processes for the PDF (default: one per core).")
    ] = None,
    single_pass: Annotated[bool, typer.Option(
        "--single-pass", help="Lay each PDF out in one pass (the reference).")] = False,
    chunked: Annotated[bool, typer.Option(
        "--chunked", help="Render each PDF in cached chunks, even a small one.")] = False,
    drafts: DraftsOption = False,
    validate: Annotated[bool, typer.Option(
        "--validate", help="Check each EPUB with EPUBCheck; its errors fail the build.")] = False,
    project: ProjectOption = Path("."),
    verbose: VerboseOption = False,
) -> None:
    """Build the EPUB and PDF of each anthology into build/."""
    from .options import FORMATS, BuildOptions
    from .output import output_lock

    formats = tuple(fmt or FORMATS)
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise typer.BadParameter(f"unknown format {unknown[0]!r}; use epub or pdf",
                                 param_hint="--format")
    bad_profile = [p for p in profile or () if p not in ("print", "screen")]
    if bad_profile:
        raise typer.BadParameter(f"unknown profile {bad_profile[0]!r}; use print or screen",
                                 param_hint="--profile")
    options = BuildOptions(formats=formats, only=tuple(slugs or ()),
                           out_dir=out.resolve() if out else None,
                           include_drafts=drafts, strict=strict, style=style,
                           profiles=tuple(profile or ()), jobs=jobs,
                           pdf_mode=_pdf_mode(single_pass, chunked), validate=validate)
    root = project.resolve()
    out_dir = options.output_dir(root)
    try:
        with output_lock(out_dir, lambda: _stderr(
                "waiting for another build of this project to finish")):
            raise typer.Exit(_locked_build(root, options, strict, verbose))
    except OSError as exc:  # the output folder itself cannot be created or locked
        _stderr(f"error: cannot write to {out_dir}: {exc.strerror or exc} [write-failed]")
        _stderr("  hint: check that the output folder is writable and not full")
        raise typer.Exit(EXIT_WRITE) from None


def _locked_build(root: Path, options: BuildOptions, strict: bool, verbose: bool) -> int:
    from . import uptodate

    previous = uptodate.unchanged(options.output_dir(root), uptodate.fingerprint(root, options))
    if previous is not None:  # nothing changed: answer before loading the pipeline
        outputs, diagnostics = previous
        code = _report(tuple(diagnostics), strict, verbose)
        _list_outputs("up to date:", outputs, root)
        return code
    from .build import build as run_build

    with _progress() as step:
        report = run_build(root, options, step)
    return _finish_build(report, root, strict, verbose)


def _pdf_mode(single_pass: bool, chunked: bool) -> str:
    if single_pass and chunked:
        raise typer.BadParameter("use --single-pass or --chunked, not both",
                                 param_hint="--chunked")
    return "single" if single_pass else "chunked" if chunked else "auto"


@app.command("list")
def list_books(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    drafts: DraftsOption = False,
    project: ProjectOption = Path("."),
    verbose: VerboseOption = False,
) -> None:
    """Show each anthology and its pieces, in order."""
    from .build import plan
    from .options import BuildOptions

    the_plan = plan(project.resolve(), BuildOptions(include_drafts=drafts))
    code = _report(the_plan.diagnostics, strict=False, verbose=verbose)
    if as_json:
        typer.echo(json.dumps(_plan_json(the_plan), indent=2, ensure_ascii=False))
    else:
        _print_tree(the_plan)
    raise typer.Exit(code)


@app.command()
def check(
    strict: Annotated[bool, typer.Option(help="Treat warnings as errors.")] = False,
    drafts: DraftsOption = False,
    project: ProjectOption = Path("."),
    verbose: VerboseOption = False,
) -> None:
    """Read and collect everything, print every diagnostic, write nothing."""
    from .build import plan
    from .options import BuildOptions

    the_plan = plan(project.resolve(), BuildOptions(include_drafts=drafts))
    code = _report(the_plan.diagnostics, strict, verbose)
    if code == EXIT_OK:
        pieces = len(the_plan.manuscripts)
        _stderr(f"ok: {pieces} manuscripts, {len(the_plan.anthologies)} anthologies")
    raise typer.Exit(code)


@app.command()
def init(directory: Annotated[Path, typer.Argument(help="Folder for the new project.")]) -> None:
    """Start a project: chapbook.toml and a manuscripts/ folder with one example."""
    from .scaffold import ScaffoldError, scaffold

    try:
        created = scaffold(directory)
    except ScaffoldError as exc:
        _stderr(f"error: {exc}")
        raise typer.Exit(EXIT_ERRORS) from None
    for path in created:
        _stderr(f"created {path}")
    _stderr(f"next: cd {directory} && chapbook build")


# ---- output ------------------------------------------------------------------------------


def _stderr(text: str) -> None:
    typer.echo(printable(text), err=True)


# Control characters and bidirectional overrides quoted from a manuscript (a title, a file
# name) could move the cursor, recolour or rewrite the terminal: they are shown escaped.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    return _UNPRINTABLE.sub(lambda found: repr(found.group())[1:-1], text)


def _report(diagnostics: tuple[Diagnostic, ...], strict: bool, verbose: bool) -> int:
    from .diagnostics import Severity, has_errors

    shown = [d for d in diagnostics if verbose or d.severity >= Severity.WARNING]
    for diagnostic in sorted(shown, key=_diagnostic_order):
        _stderr(str(diagnostic))
    return EXIT_ERRORS if has_errors(diagnostics, strict) else EXIT_OK


def _diagnostic_order(diagnostic: Diagnostic) -> tuple[str, int]:
    where = diagnostic.location
    return (where.path, where.line or 0) if where else ("", 0)


def _finish_build(report: BuildReport, root: Path, strict: bool, verbose: bool) -> int:
    code = _report(report.all_diagnostics, strict, verbose)
    if any(d.code == "write-failed" for d in report.diagnostics):
        return EXIT_WRITE
    if code != EXIT_OK and not report.outputs:
        _stderr("build failed: nothing was written")
        return code
    _list_outputs("up to date:" if report.up_to_date else "wrote", report.outputs, root)
    if code != EXIT_OK:  # found while writing or validating: the files stay for a look
        _stderr("build failed: the books were written, but have the problems shown above")
    return code


def _list_outputs(verb: str, outputs: Sequence[Path], root: Path) -> None:
    for path in outputs:
        shown = path.relative_to(root) if path.is_relative_to(root) else path
        _stderr(f"{verb} {shown}")


class _Lines:
    """Progress as plain lines, for logs and pipes."""

    def begin(self, output: str) -> None:
        _stderr(f"building {output}")

    def advance(self, done: int, total: int) -> None:
        pass


class _Bar:
    """Progress on a terminal: a bar of chunks done / total, with the time left."""

    def __init__(self, progress: Any) -> None:
        self.progress = progress
        self.task = progress.add_task("reading manuscripts", total=None)

    def begin(self, output: str) -> None:
        self.progress.reset(self.task, description=f"building {output}", total=None)

    def advance(self, done: int, total: int) -> None:
        self.progress.update(self.task, completed=done, total=total)


@contextmanager
def _progress() -> Iterator[_Lines | _Bar]:
    if not sys.stderr.isatty():
        yield _Lines()
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        yield _Bar(progress)


def _plan_json(the_plan: Plan) -> dict[str, Any]:
    return {"anthologies": [
        {
            "slug": book.slug,
            "title": book.title,
            "subtitle": book.config.subtitle,
            "editors": list(book.editors),
            "language": book.language,
            "identifier": book.identifier,
            "foreword": book.foreword.slug if book.foreword else None,
            "parts": [{"slug": part.slug, "title": part.title,
                       "pieces": [p.slug for p in part.pieces]} for part in book.parts],
            "pieces": [_piece_json(p) for p in book.pieces],
            "contributors": [{"name": c.name, "sort_as": c.sort_as, "pieces": list(c.pieces)}
                             for c in book.contributors],
            "works": [{"title": w.work.title, "kind": w.work.kind, "year": w.work.year,
                       "pieces": list(w.pieces)} for w in book.works],
        }
        for book in the_plan.anthologies
    ]}


def _piece_json(piece: Any) -> dict[str, Any]:
    return {
        "slug": piece.slug,
        "title": piece.title,
        "authors": [c.name for c in piece.authors],
        "date": piece.date.isoformat() if piece.date else None,
        "work": piece.work.title if piece.work else None,
        "kind": piece.work.kind if piece.work else None,
        "rating": piece.rating.short if piece.rating else None,
        "tags": list(piece.tags),
        "source": piece.source.path,
    }


def _print_tree(the_plan: Plan) -> None:
    from rich.console import Console
    from rich.markup import escape as escape_markup
    from rich.tree import Tree

    def _safe(text: str) -> str:
        return str(escape_markup(printable(text)))

    console = Console(highlight=False)
    for book in the_plan.anthologies:
        tree = Tree(f"[bold]{_safe(book.title)}[/bold] ({book.slug}, {len(book.pieces)} pieces)")
        if book.foreword:
            tree.add(f"[italic]{_safe(book.foreword.title)}[/italic] — "
                     f"{_safe(book.foreword.byline)}")
        for part, pieces in book.sections:
            branch = tree.add(f"[bold]{_safe(part.title)}[/bold]") if part else tree
            for piece in pieces:
                branch.add(f"{_safe(piece.title)} — {_safe(piece.byline or 'anonymous')} "
                           f"[dim]({piece.slug})[/dim]")
        console.print(tree)


class _Stopped(BaseException):
    """Ctrl-C or SIGTERM, raised where the program is so that `finally` blocks remove
    temporary files and stop the PDF workers on the way out."""

    def __init__(self, code: int, word: str) -> None:
        super().__init__(word)
        self.code, self.word = code, word


def _stop(signum: int, frame: object) -> None:
    if signum == signal.SIGTERM:
        raise _Stopped(EXIT_TERMINATED, "terminated")
    raise _Stopped(EXIT_INTERRUPTED, "interrupted")


def main() -> None:
    """Entry point: the one error boundary. No traceback for anything a user can cause."""
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        app()
        code: int | str | None = EXIT_OK
    except SystemExit as done:  # how typer ends every command
        code = done.code
    except KeyboardInterrupt:  # arrived before the handler was installed
        _stderr("interrupted")
        code = EXIT_INTERRUPTED
    except _Stopped as stopped:
        _stderr(stopped.word)
        code = stopped.code
    except Exception as exc:  # a bug in chapbook, not in the user's project
        _stderr(f"internal error: {type(exc).__name__}: {exc}")
        _stderr("this is a bug in chapbook; please report it with the command you ran")
        code = EXIT_INTERNAL
    _leave(code)


def _leave(code: int | str | None) -> NoReturn:
    """End the process without tearing the interpreter down: by now every output is
    written and closed, every worker stopped and the output folder unlocked, and freeing
    a build's heap object by object (a thousand manuscripts, PDF libraries) only delays
    the prompt by a tenth of a second."""
    if isinstance(code, str):
        _stderr(code)
        code = EXIT_ERRORS
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code or EXIT_OK)
