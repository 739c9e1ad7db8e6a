"""The richer terminal output (rich, loaded only by the commands that use it): the
progress bar of a build, and the tree or JSON of `chapbook list`."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.markup import escape as escape_markup
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.tree import Tree

from chapbook.build.report import Plan
from chapbook.cli.output import Lines, printable


class Bar:
    """Progress on a terminal: a bar of chunks done / total, with the time left."""

    def __init__(self, progress: Any) -> None:
        self.progress = progress
        self.task = progress.add_task("reading manuscripts", total=None)

    def begin(self, output: str) -> None:
        self.progress.reset(self.task, description=f"building {output}", total=None)

    def advance(self, done: int, total: int) -> None:
        self.progress.update(self.task, completed=done, total=total)


@contextmanager
def progress() -> Iterator[Lines | Bar]:
    if not sys.stderr.isatty():
        yield Lines()
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        yield Bar(progress)


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


def print_tree(the_plan: Plan) -> None:
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
