"""The richer terminal output (rich, loaded only where it is shown): the progress bar of a
build on a terminal, and the tree of `chapbook list`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.markup import escape as escape_markup
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.tree import Tree

from chapbook.build.report import Plan
from chapbook.cli.output import printable


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
def progress_bar() -> Iterator[Bar]:
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        yield Bar(progress)


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
