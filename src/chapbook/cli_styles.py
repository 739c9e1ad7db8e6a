"""`chapbook styles ...`: list the styles a project can use, copy a built-in one to edit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

styles_app = typer.Typer(help="List styles, or copy a built-in style into the project.",
                         no_args_is_help=True)

ProjectOption = Annotated[Path, typer.Option("--project", "-C", help="Project folder.",
                                             file_okay=False)]


@styles_app.command("list")
def list_command(project: ProjectOption = Path(".")) -> None:
    """Show every style: name, where it comes from, and its description."""
    from .styles import list_styles

    listings = list_styles(project.resolve())
    width = max(len(item.name) for item in listings)
    for item in listings:
        parent = f" (inherits {item.inherits})" if item.inherits else ""
        typer.echo(f"{item.name:<{width}}  {item.description}{parent} [{item.where}]")


@styles_app.command("copy")
def copy_command(
    name: Annotated[str, typer.Argument(help="A built-in style to copy.")],
    dest: Annotated[str | None, typer.Argument(
        help="Name of the new style (default: the same name).", show_default=False)] = None,
    project: ProjectOption = Path("."),
) -> None:
    """Copy a built-in style into styles/ to start your own from; never overwrites."""
    from .styles import StyleCopyError, copy_style

    root = project.resolve()
    try:
        target = copy_style(name, root, dest)
    except StyleCopyError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    shown = target.relative_to(root).as_posix()
    typer.echo(f"copied style '{name}' to {shown}/", err=True)
    typer.echo(f"next: chapbook build --style {target.name}, or style = \"{target.name}\" "
               "in chapbook.toml", err=True)
