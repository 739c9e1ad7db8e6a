"""The command line: a thin shell over the library, and the one place that exits.

This is the CLI launcher: `--help`, `init` and an up-to-date build must not wait for the
pipeline, Jinja or pydantic, so what only some commands need is imported where they run
(each such line says why). Exit codes: see `output.py` and the README.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
import tempfile
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from chapbook.build.lock import output_lock
from chapbook.build.options import FORMATS, BuildOptions
from chapbook.build.report import Progress
from chapbook.cli.output import (
    EXIT_ERRORS,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_TERMINATED,
    EXIT_USAGE,
    EXIT_WRITE,
    Lines,
    finish_build,
    plan_json,
    report,
    stderr,
    tally,
)
from chapbook.core.executors import cache_location, executor_problem
from chapbook.core.files import NotWritten
from chapbook.core.paths import out_problem, split_out

app = typer.Typer(
    help="Publish themed anthologies of reviews as EPUB 3 and print-ready PDF.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
styles_app = typer.Typer(help="List styles, or copy a built-in style into the project.",
                         no_args_is_help=True)
app.add_typer(styles_app, name="styles")


def _show_version(asked: bool) -> None:
    if asked:
        from importlib.metadata import version  # package metadata: --version only

        typer.echo(f"chapbook {version('chapbook')}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _options(version_: Annotated[bool, typer.Option(
        "--version", help="Show chapbook's version and exit.", is_eager=True,
        callback=_show_version)] = False) -> None:
    """Publish themed anthologies of reviews as EPUB 3 and print-ready PDF."""

ProjectOption = Annotated[Path, typer.Option("--project", "-C", help="Project folder.",
                                             file_okay=False)]
VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help="Also show info notes.")]
DraftsOption = Annotated[bool, typer.Option("--drafts", help="Include pieces marked draft.")]
BooksOption = Annotated[Path | None, typer.Option(
    "--books", help="A JSON Lines file of books (one [[anthology]] a line): only these.",
    dir_okay=False, show_default=False)]


@app.command()
def build(
    slugs: Annotated[list[str] | None, typer.Argument(help="Anthologies to build (default: all).",
                                                      show_default=False)] = None,
    fmt: Annotated[list[str] | None, typer.Option("--format", "-f",
                                                  help="epub, pdf or html (repeatable).")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help=(
        "Output folder, or a template of each book's folder: build/{language}/{slug}."),
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
    offprints: Annotated[str | None, typer.Option(
        "--offprints", metavar="[=piece|contributor]",
        help="Also write offprints: each piece (or, =contributor, each contributor's pieces) "
             "as it stands in the book, in build/<slug>/offprints/.")] = None,
    books: BooksOption = None,
    executor: Annotated[str | None, typer.Option(
        help="Where a run's books are built: local, or dask://HOST:PORT (a Dask scheduler; "
             "default: [build] executor).", show_default=False)] = None,
    cache: Annotated[str | None, typer.Option(
        help="Where print layouts are kept: a folder or an fsspec URL the workers share "
             "(default: [build] cache, else build/.cache/pdf).", show_default=False)] = None,
    project: ProjectOption = Path("."),
    verbose: VerboseOption = False,
) -> None:
    """Build the EPUB and PDF of each anthology into build/."""
    if offprints is not None and offprints not in ("piece", "contributor"):
        raise typer.BadParameter(f"unknown offprints {offprints!r}; use piece or contributor",
                                 param_hint="--offprints")
    formats = tuple(fmt or FORMATS)
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise typer.BadParameter(f"unknown format {unknown[0]!r}; use epub, pdf or html",
                                 param_hint="--format")
    bad_profile = [p for p in profile or () if p not in ("print", "screen")]
    if bad_profile:
        raise typer.BadParameter(f"unknown profile {bad_profile[0]!r}; use print or screen",
                                 param_hint="--profile")
    if executor is not None and executor_problem(executor):
        raise typer.BadParameter(str(executor_problem(executor)), param_hint="--executor")
    out, folders = split_out(str(out)) if out else (None, "")
    if out_problem(folders):
        raise typer.BadParameter(str(out_problem(folders)), param_hint="--out")
    options = BuildOptions(formats=formats, only=tuple(slugs or ()),
                           out_dir=out.resolve() if out else None,
                           include_drafts=drafts, strict=strict, style=style,
                           profiles=tuple(profile or ()), jobs=jobs,
                           pdf_mode=_pdf_mode(single_pass, chunked), validate=validate,
                           offprints=offprints,
                           books=books.resolve() if books else None, book_folders=folders,
                           executor=executor,
                           cache=cache_location(cache, Path.cwd()) if cache else None)
    root = project.resolve()
    out_dir = options.output_dir(root)
    try:
        with output_lock(out_dir, lambda: stderr(
                "waiting for another build of this project to finish")):
            raise typer.Exit(_locked_build(root, options, strict, verbose))
    except OSError as exc:  # the output folder itself cannot be created or locked
        stderr(f"error: cannot write to {out_dir}: {exc.strerror or exc} [write-failed]")
        stderr("  hint: check that the output folder is writable and not full")
        raise typer.Exit(EXIT_WRITE) from None


def _locked_build(root: Path, options: BuildOptions, strict: bool, verbose: bool) -> int:
    from chapbook.build.uptodate import up_to_date  # hashing and metadata: not for --help

    key, previous = up_to_date(root, options)
    if previous is not None:  # nothing changed: answered before the pipeline loads
        return finish_build(previous, root, strict, verbose)
    from chapbook.api.project import Project  # the API: workers, then the pipeline

    with _progress() as step:
        built = Project.from_folder(root).write(options, key, step)
    return finish_build(built, root, strict, verbose)


def _progress() -> AbstractContextManager[Progress]:
    """A bar on a terminal; plain lines for logs and pipes."""
    if not sys.stderr.isatty():
        return nullcontext(Lines())
    from chapbook.cli.terminal import progress_bar  # rich's bar: on a terminal only

    return progress_bar()


def _pdf_mode(single_pass: bool, chunked: bool) -> str:
    if single_pass and chunked:
        raise typer.BadParameter("use --single-pass or --chunked, not both",
                                 param_hint="--chunked")
    return "single" if single_pass else "chunked" if chunked else "auto"


@app.command()
def serve(
    slugs: Annotated[list[str] | None, typer.Argument(
        help="Anthologies to preview (default: all).", show_default=False)] = None,
    port: Annotated[int, typer.Option(min=0, max=65535,
                                      help="Port to listen on (0: any free port).")] = 8000,
    host: Annotated[str, typer.Option(
        help="Address to listen on. The default keeps the preview on this machine; "
             "another address shows your unpublished books to its network.")] = "127.0.0.1",
    strict: Annotated[bool, typer.Option(help="Treat warnings as errors.")] = False,
    drafts: DraftsOption = False,
    project: ProjectOption = Path("."),
    verbose: VerboseOption = False,
) -> None:
    """Build, serve build/ on this machine, and rebuild on every change to the project:
    open pages reload when the EPUB and web edition land (the PDFs follow), and show the
    diagnostics of a failed rebuild while the last good build stays served."""
    from chapbook.cli.serve import listen, serve_preview  # server and watcher: this command's

    options = BuildOptions(only=tuple(slugs or ()), include_drafts=drafts, strict=strict,
                           preview=True)
    try:
        listening = listen(host, port)
    except OSError as exc:  # the address is taken, or not this machine's
        stderr(f"error: cannot listen on {host}:{port}: {exc.strerror or exc} [serve-failed]")
        stderr("  hint: choose another --port (0 takes any free one), or stop what uses it")
        raise typer.Exit(EXIT_USAGE) from None
    try:
        serve_preview(project.resolve(), options, listening, verbose)
    except KeyboardInterrupt:  # how the watcher reports Ctrl-C (or SIGTERM) while it waits
        stderr("interrupted")
        raise typer.Exit(EXIT_INTERRUPTED) from None


@app.command("list")
def list_books(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    drafts: DraftsOption = False,
    books: BooksOption = None,
    project: ProjectOption = Path("."),
    verbose: VerboseOption = False,
) -> None:
    """Show each anthology and its pieces, in order."""
    from chapbook.build.plan import plan  # reading and collecting: Jinja, pydantic...

    the_plan = plan(project.resolve(), BuildOptions(include_drafts=drafts,
                                                    books=books.resolve() if books else None))
    code = report(the_plan.diagnostics, strict=False, verbose=verbose)
    if as_json:
        typer.echo(json.dumps(plan_json(the_plan), indent=2, ensure_ascii=False))
    else:
        from chapbook.cli.terminal import print_tree  # rich's tree

        print_tree(the_plan)
    raise typer.Exit(code)


@app.command()
def check(
    strict: Annotated[bool, typer.Option(help="Treat warnings as errors.")] = False,
    drafts: DraftsOption = False,
    books: BooksOption = None,
    project: ProjectOption = Path("."),
    verbose: VerboseOption = False,
) -> None:
    """Read and collect everything, print every diagnostic, write nothing."""
    from chapbook.build.plan import plan, rendering_problems  # reading, collecting, Jinja

    options = BuildOptions(include_drafts=drafts, books=books.resolve() if books else None)
    the_plan = plan(project.resolve(), options)
    found = (*the_plan.diagnostics, *rendering_problems(the_plan, options))
    code = report(found, strict, verbose)
    if code == EXIT_OK:
        pieces = len(the_plan.manuscripts)
        stderr(f"ok: {pieces} manuscripts, {len(the_plan.anthologies)} anthologies")
    else:
        stderr(f"check failed: {tally(found)}")
    raise typer.Exit(code)


@app.command("import")
def import_reviews(
    fmt: Annotated[str, typer.Argument(
        metavar="FORMAT", help="letterboxd, goodreads, wordpress, csv or jsonl.")],
    export: Annotated[Path, typer.Argument(metavar="FILE", help="The exported file.")],
    mapping: Annotated[list[str] | None, typer.Option(
        "--map", help="FIELD=COLUMN, for csv and jsonl (repeatable).",
        show_default=False)] = None,
    author: Annotated[str | None, typer.Option(
        "--author", help="The reviewer, where the export names none.",
        show_default=False)] = None,
    drafts: Annotated[bool, typer.Option(
        "--drafts", help="WordPress: also import drafts and pending posts.")] = False,
    project: ProjectOption = Path("."),
    verbose: VerboseOption = False,
) -> None:
    """Write one manuscript per review of an export into manuscripts/; never overwrites."""
    import chapbook.read.importers.run as importing  # the importers: this command only

    if fmt not in importing.FORMATS:
        raise typer.BadParameter(f"unknown format {fmt!r}; use {', '.join(importing.FORMATS)}",
                                 param_hint="FORMAT")
    root = project.resolve()
    options = importing.ImportOptions(tuple(mapping or ()), author, drafts)
    result = importing.import_file(fmt, export.resolve(), root, options)
    code = report(result.diagnostics, strict=False, verbose=verbose)
    for reason, count in result.skipped:
        stderr(f"skipped: {reason} ({count})")
    for path in result.written:
        stderr(f"wrote {path.relative_to(root) if path.is_relative_to(root) else path}")
    if any(d.code == "write-failed" for d in result.diagnostics):
        raise typer.Exit(EXIT_WRITE)
    if code != EXIT_OK:
        stderr("import failed: nothing was written")
        raise typer.Exit(code)
    stderr(f"imported {len(result.written)} reviews"
           + (f"; {len(result.unchanged)} already imported" if result.unchanged else ""))
    raise typer.Exit(EXIT_OK)


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(
        help="Folder for the new project (default: this one).")] = Path("."),
    source: Annotated[Path | None, typer.Option(
        "--from", help="A folder of manuscripts to copy into the project.", file_okay=False,
        exists=True)] = None,
) -> None:
    """Start a project: chapbook.toml written for the manuscripts found (in manuscripts/,
    loose in the folder, or in --from), or with one example when there are none."""
    from chapbook.build.scaffold import scaffold  # reads manuscripts: init only

    try:
        done = scaffold(directory, source)
    except NotWritten as exc:
        stderr(f"error: {exc}")
        raise typer.Exit(EXIT_ERRORS) from None
    for path in done.copied:
        stderr(f"copied {path}")
    for path in done.not_copied:
        stderr(f"warning: not copied {path}: manuscripts/ has another file of that name")
    if done.unreadable:
        stderr(f"warning: {done.unreadable} manuscript(s) could not be read: "
               "chapbook check says why")
    for path in done.created:
        stderr(f"created {path}")
    if done.read:
        stderr(f"chapbook.toml makes one book of all {done.read} manuscripts")
    where = "" if directory == Path(".") else f"cd {directory} && "
    stderr(f"next: {where}chapbook check, then chapbook build")


@styles_app.command("list")
def list_styles_command(project: ProjectOption = Path(".")) -> None:
    """Show every style: name, where it comes from, and its description."""
    from chapbook.render.styles import list_styles  # Jinja and pydantic, for styles only

    listings = list_styles(project.resolve())
    width = max(len(item.name) for item in listings)
    for item in listings:
        parent = f" (inherits {item.inherits})" if item.inherits else ""
        typer.echo(f"{item.name:<{width}}  {item.description}{parent} [{item.where}]")


@styles_app.command("copy")
def copy_style_command(
    name: Annotated[str, typer.Argument(help="A built-in style to copy.")],
    dest: Annotated[str | None, typer.Argument(
        help="Name of the new style (default: the same name).", show_default=False)] = None,
    project: ProjectOption = Path("."),
) -> None:
    """Copy a built-in style into styles/ to start your own from; never overwrites."""
    from chapbook.render.styles import copy_style  # Jinja and pydantic, for styles only

    root = project.resolve()
    try:
        target = copy_style(name, root, dest)
    except NotWritten as exc:
        stderr(f"error: {exc}")
        raise typer.Exit(EXIT_ERRORS) from None
    shown = target.relative_to(root).as_posix()
    stderr(f"copied style '{name}' to {shown}/")
    stderr(f"next: chapbook build --style {target.name}, or style = \"{target.name}\" "
           "in chapbook.toml")


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


def bare_offprints(args: list[str]) -> list[str]:
    """A bare `--offprints` means `--offprints=piece` (typer has no option whose value may
    be left out; click's flag_value is not passed on)."""
    return [f"{arg}=piece" if arg == "--offprints" else arg for arg in args]


def main() -> None:
    """Entry point: the one error boundary. No traceback for anything a user can cause."""
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    # Temporary files (WeasyPrint's fonts) in a folder that goes with the process: it ends
    # by os._exit, before any library could remove its own (see _leave)
    tempfile.tempdir = tempfile.mkdtemp(prefix="chapbook-")
    try:
        app(args=bare_offprints(sys.argv[1:]))
        code: int | str | None = EXIT_OK
    except SystemExit as done:  # how typer ends every command
        code = done.code
    except KeyboardInterrupt:  # arrived before the handler was installed
        stderr("interrupted")
        code = EXIT_INTERRUPTED
    except _Stopped as stopped:
        stderr(stopped.word)
        code = stopped.code
    except Exception as exc:  # a bug in chapbook, not in the user's project
        stderr(f"internal error: {type(exc).__name__}: {exc}")
        stderr("this is a bug in chapbook; please report it with the command you ran")
        code = EXIT_INTERNAL
    _leave(code)


def _leave(code: int | str | None) -> NoReturn:
    """End the process without tearing the interpreter down: by now every output is
    written and closed, every worker stopped and the output folder unlocked, and freeing
    a build's heap object by object (a thousand manuscripts, PDF libraries) only delays
    the prompt by a tenth of a second."""
    if isinstance(code, str):
        stderr(code)
        code = EXIT_ERRORS
    sys.stdout.flush()
    sys.stderr.flush()
    if tempfile.tempdir:
        shutil.rmtree(tempfile.tempdir, ignore_errors=True)
    os._exit(code or EXIT_OK)
