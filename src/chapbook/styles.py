"""Styles: folders of templates, CSS and fonts, looked up in the project first, then built in.

A project's `styles/<name>/` file replaces the built-in file of the same path; a template
can extend the built-in one it replaces with `{% extends "!classic/..." %}`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import jinja2

from .diagnostics import Diagnostic, error


def builtin_styles_dir() -> Path:
    """A wheel carries the styles inside the package; a source checkout has them at its top."""
    packaged = Path(__file__).parent / "styles"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "styles"


def builtin_style_names() -> list[str]:
    return sorted(p.name for p in builtin_styles_dir().iterdir() if (p / "templates").is_dir())


@dataclass(frozen=True)
class Style:
    name: str
    layers: tuple[Path, ...]  # style folders, highest priority first

    def find(self, relative: str) -> Path:
        """The first layer's copy of a style file (CSS, font...)."""
        for layer in self.layers:
            candidate = layer / relative
            if candidate.is_file():
                return candidate
        raise FileNotFoundError(f"style '{self.name}' has no file '{relative}'")

    def files(self, folder: str) -> list[Path]:
        """Every file in a style folder, project copies shadowing built-in ones."""
        found: dict[str, Path] = {}
        for layer in reversed(self.layers):
            directory = layer / folder
            if directory.is_dir():
                found.update({p.name: p for p in directory.iterdir() if p.is_file()})
        return [found[name] for name in sorted(found)]

    @cached_property
    def environment(self) -> jinja2.Environment:
        builtin = builtin_styles_dir()
        loader = jinja2.ChoiceLoader([
            jinja2.FileSystemLoader([str(layer / "templates") for layer in self.layers]),
            jinja2.PrefixLoader({f"!{name}": jinja2.FileSystemLoader(
                str(builtin / name / "templates")) for name in builtin_style_names()}),
        ])
        return jinja2.Environment(loader=loader, autoescape=True,
                                  undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


def load_style(name: str, project_root: Path) -> tuple[Style | None, list[Diagnostic]]:
    layers = [folder for folder in (project_root / "styles" / name, builtin_styles_dir() / name)
              if folder.is_dir()]
    if not layers:
        known = ", ".join(builtin_style_names())
        return None, [error("unknown-style", f"no style named '{name}'", None,
                            f"built-in styles: {known}; or create styles/{name}/ in the project")]
    return Style(name, tuple(layers)), []
