"""What the command line prints: diagnostics, outputs, plain progress lines, the JSON of
`chapbook list`; and the
exit codes (documented in the README):
  0 success; 1 the project has errors (or warnings, with --strict): nothing was written;
  2 the command line itself is wrong; 3 an output could not be written; 70 an internal
  error (a bug in chapbook: please report it); 130 interrupted (Ctrl-C); 143 terminated.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer

from chapbook.build.report import BuildReport, Plan
from chapbook.core.diagnostics import Diagnostic, Severity, has_errors
from chapbook.pdf.typecounts import REPORT_CODE

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_WRITE, EXIT_INTERNAL = 0, 1, 2, 3, 70
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143  # 128 + SIGINT, 128 + SIGTERM


def stderr(text: str) -> None:
    typer.echo(printable(text), err=True)


# Control characters and bidirectional overrides quoted from a manuscript (a title, a file
# name) could move the cursor, recolour or rewrite the terminal: they are shown escaped.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    return _UNPRINTABLE.sub(lambda found: repr(found.group())[1:-1], text)


# Notes a build always shows, as it shows what it wrote: the cover's spine width.
ALWAYS_SHOWN = frozenset({"cover-spine"})


def report(diagnostics: tuple[Diagnostic, ...], strict: bool, verbose: bool) -> int:
    shown = [d for d in diagnostics
             if (verbose or d.severity >= Severity.WARNING or d.code in ALWAYS_SHOWN)
             and d.code != REPORT_CODE]  # shown with the outputs, see finish_build
    for diagnostic in sorted(shown, key=_diagnostic_order):
        stderr(str(diagnostic))
    return EXIT_ERRORS if has_errors(diagnostics, strict) else EXIT_OK


def tally(diagnostics: Sequence[Diagnostic]) -> str:
    """'2 errors, 1 warning': what a failed check found."""
    errors = sum(d.severity >= Severity.ERROR for d in diagnostics)
    warnings = sum(d.severity == Severity.WARNING for d in diagnostics)
    return (f"{errors} error{'s' if errors != 1 else ''}, "
            f"{warnings} warning{'s' if warnings != 1 else ''}")


def _diagnostic_order(diagnostic: Diagnostic) -> tuple[str, int]:
    where = diagnostic.location
    return (where.path, where.line or 0) if where else ("", 0)


def finish_build(built: BuildReport, root: Path, strict: bool, verbose: bool) -> int:
    code = report(built.all_diagnostics, strict, verbose)
    if any(d.code == "write-failed" for d in built.diagnostics):
        return EXIT_WRITE
    if code != EXIT_OK and not built.outputs:
        stderr("build failed: nothing was written")
        return code
    list_outputs("up to date:" if built.up_to_date else "wrote", built.outputs, root)
    for line in built.typography:  # one per PDF, always: the book's typographic quality
        stderr(line)
    if built.layouts.pdfs:  # how much of the print work was shared between books and builds
        stderr(str(built.layouts))
    if code != EXIT_OK:  # found while writing or validating: the files stay for a look
        stderr("build failed: the books were written, but have the problems shown above")
    return code


def list_outputs(verb: str, outputs: Sequence[Path], root: Path) -> None:
    offprints: dict[Path, list[Path]] = {}  # a folder of offprints: one line, not one a file
    for path in outputs:
        if path.parent.name == "offprints":
            offprints.setdefault(path.parent, []).append(path)
            continue
        shown = path.relative_to(root) if path.is_relative_to(root) else path
        stderr(f"{verb} {shown}/ (web edition)" if path.is_dir() else f"{verb} {shown}")
    for folder, files in offprints.items():
        shown = folder.relative_to(root) if folder.is_relative_to(root) else folder
        count = len({path.stem for path in files})
        kinds = " and ".join(sorted({path.suffix[1:].upper() for path in files}))
        stderr(f"{verb} {count} offprint{'s' if count != 1 else ''} ({kinds}) in {shown}/")


class Lines:
    """Progress as plain lines, for logs and pipes."""

    def begin(self, output: str) -> None:
        stderr(f"building {output}")

    def advance(self, done: int, total: int) -> None:
        pass


def plan_json(the_plan: Plan) -> dict[str, Any]:
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
