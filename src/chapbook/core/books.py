"""Books as data: [[anthology]] tables from a JSON Lines file (one book a line), from TOML
files that chapbook.toml includes, or from values handed to the Python API. Each book is
validated against the same schema as chapbook.toml's, its errors at the file and line
that define it."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from chapbook.core.config import (
    AnthologyConfig,
    BookSource,
    Project,
    label_problems,
    schema_error,
    toml_key_lines,
)
from chapbook.core.diagnostics import Diagnostic, Location, error, relative_path

BOOKS_HINT = "one JSON object a line, with the keys of an [[anthology]] table"


@dataclass(frozen=True)
class Book:
    """A book defined outside chapbook.toml, and where."""

    config: AnthologyConfig
    source: BookSource


def with_books(project: Project, books_file: Path | None = None,
               values: Sequence[Mapping[str, Any]] | None = None
               ) -> tuple[Project, list[Diagnostic]]:
    """The project with every book it builds: chapbook.toml's and its `include` files',
    or, when a books file or book values are given, only those."""
    if books_file is not None:
        found, problems = read_books_file(books_file, project.root)
    elif values is not None:
        found, problems = books_from_values(values)
    else:
        found, problems = included_books(project)
        found = _own_books(project) + found
    kept, doubled = _unique(found, project)
    books = [book.config for book in kept]
    sources = {n: book.source for n, book in enumerate(kept)
               if n >= len(project.config.anthology) or books_file or values is not None}
    merged = Project(project.root, project.config.model_copy(update={"anthology": books}),
                     project.config_location, project.key_lines, sources)
    problems += doubled
    if not books and not problems:
        where = Location(relative_path(books_file, project.root)) if books_file else (
            project.config_location)
        problems.append(error("no-anthologies", "there are no books to build", where,
                              "add an [[anthology]] table to chapbook.toml, or give "
                              "--books FILE.jsonl"))
    if sources:  # chapbook.toml's own labels were checked as it was read
        problems += label_problems(merged)
    return merged, problems


def _own_books(project: Project) -> list[Book]:
    """chapbook.toml's books, each with the lines of its keys."""
    return [Book(book, BookSource(project.location_of("anthology", n), {
        key[2:]: line for key, line in project.key_lines.items()
        if key[:2] == ("anthology", n) and len(key) > 2}))
        for n, book in enumerate(project.config.anthology)]


def _unique(books: list[Book], project: Project) -> tuple[list[Book], list[Diagnostic]]:
    """The books whose slug is not taken by an earlier one; an error at each later one."""
    first: dict[str, Location] = {}
    kept: list[Book] = []
    problems: list[Diagnostic] = []
    for book in books:
        slug = book.config.slug
        if slug in first:
            problems.append(error("duplicate-book", f"anthology slug '{slug}' is used "
                                  f"twice (first at {first[slug]})",
                                  book.source.location_of("slug"),
                                  "give each book its own slug: it names its files"))
            continue
        first[slug] = book.source.location_of("slug")
        kept.append(book)
    return kept, problems


def read_books_file(path: Path, root: Path) -> tuple[list[Book], list[Diagnostic]]:
    """The books of a JSON Lines file, one object a line; blank lines are skipped."""
    shown = Location(relative_path(path, root))
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        return [], [error("books-unreadable", f"cannot read the books file: "
                          f"{exc.strerror or exc}", shown, "check the path given to --books")]
    except UnicodeDecodeError as exc:
        return [], [error("books-syntax", f"the books file is not UTF-8 (byte {exc.start})",
                          shown, "save it as UTF-8")]
    books: list[Book] = []
    problems: list[Diagnostic] = []
    for number, line in enumerate(text.split("\n"), start=1):  # JSON may hold U+2028
        if not line.strip():
            continue
        where = shown.at_line(number)
        try:
            values = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(error("books-syntax", f"invalid JSON: {exc.msg}",
                                  shown.at_line(number, exc.colno), BOOKS_HINT))
            continue
        book, found = book_from_values(values, BookSource(where))
        problems += found
        if book:
            books.append(book)
    return books, problems


def books_from_values(values: Sequence[Mapping[str, Any]],
                      name: str = "books") -> tuple[list[Book], list[Diagnostic]]:
    """Books handed in as values (the Python API): each located as `books[N]`."""
    books: list[Book] = []
    problems: list[Diagnostic] = []
    for index, item in enumerate(values):
        book, found = book_from_values(item, BookSource(Location(f"{name}[{index}]")))
        problems += found
        if book:
            books.append(book)
    return books, problems


def book_from_values(values: object, source: BookSource
                     ) -> tuple[Book | None, list[Diagnostic]]:
    if not isinstance(values, Mapping):
        return None, [error("books-syntax", f"a book must be an object, not "
                            f"{type(values).__name__}", source.location, BOOKS_HINT)]
    try:
        return Book(AnthologyConfig.model_validate(values), source), []
    except ValidationError as exc:
        return None, [_at_book(schema_error({**item, "loc": item["loc"] or ("anthology",)},
                                            source.key_lines, source.location), source)
                      for item in exc.errors()]


def _at_book(problem: Diagnostic, source: BookSource) -> Diagnostic:
    """A refusal at its key's line if known, else at the book's (its line of JSON)."""
    if problem.location is not None and problem.location.line is not None:
        return problem
    return replace(problem, location=source.location)


class _BooksTables(BaseModel):
    """An included TOML file: [[anthology]] tables and nothing else."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    anthology: list[AnthologyConfig] = []


def included_books(project: Project) -> tuple[list[Book], list[Diagnostic]]:
    """The books of the TOML files chapbook.toml's `include` names, in order."""
    books: list[Book] = []
    problems: list[Diagnostic] = []
    for index, name in enumerate(project.config.include):
        where = project.location_of("include", index)
        path = project.root / name
        if not path.resolve().is_relative_to(project.root.resolve()):
            problems.append(error("outside-project", f"the included file '{name}' is "
                                  "outside the project", where,
                                  "keep included files inside the project folder"))
            continue
        found, trouble = _toml_books(path, name, where)
        books += found
        problems += trouble
    return books, problems


def _toml_books(path: Path, name: str, where: Location) -> tuple[list[Book], list[Diagnostic]]:
    shown = Location(name)
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        return [], [error("bad-config", f"cannot read the included file '{name}': "
                          f"{getattr(exc, 'strerror', None) or exc}", where)]
    except tomllib.TOMLDecodeError as exc:
        return [], [error("config-syntax", f"invalid TOML: {exc}", shown)]
    lines = toml_key_lines(text)
    try:
        tables = _BooksTables.model_validate(data)
    except ValidationError as exc:
        return [], [schema_error(item, lines, shown) for item in exc.errors()]
    return [Book(book, BookSource(shown.at_line(lines.get(("anthology", n))),
                                  {key[2:]: line for key, line in lines.items()
                                   if key[:2] == ("anthology", n) and len(key) > 2}))
            for n, book in enumerate(tables.anthology)], []
