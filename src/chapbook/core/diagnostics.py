"""Diagnostics are values: every stage returns them, the CLI decides what they mean."""

from __future__ import annotations

import contextlib
import enum
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class Severity(enum.IntEnum):
    INFO = 0
    WARNING = 1
    ERROR = 2

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file; `path` is relative to the project root when possible."""

    path: str
    line: int | None = None
    col: int | None = None

    def __str__(self) -> str:
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)

    def at_line(self, line: int | None, col: int | None = None) -> Location:
        return Location(self.path, line, col)


@dataclass(frozen=True)
class Diagnostic:
    """One finding. `code` is stable (documented in the README) so scripts can rely on it."""

    code: str
    severity: Severity
    message: str
    location: Location | None = None
    hint: str | None = None

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        text = f"{where}{self.severity.label}: {self.message} [{self.code}]"
        return f"{text}\n  hint: {self.hint}" if self.hint else text


def to_record(diagnostic: Diagnostic) -> dict[str, object]:
    """A JSON-ready form, for caches that replay what a build reported."""
    where = diagnostic.location
    return {"code": diagnostic.code, "severity": int(diagnostic.severity),
            "message": diagnostic.message, "hint": diagnostic.hint,
            "location": [where.path, where.line, where.col] if where else None}


def from_record(record: dict[str, Any]) -> Diagnostic:
    where = record["location"]
    return Diagnostic(str(record["code"]), Severity(int(record["severity"])),
                      str(record["message"]), Location(*where) if where else None,
                      record["hint"])


def error(code: str, message: str, location: Location | None = None,
          hint: str | None = None) -> Diagnostic:
    return Diagnostic(code, Severity.ERROR, message, location, hint)


def warning(code: str, message: str, location: Location | None = None,
            hint: str | None = None) -> Diagnostic:
    return Diagnostic(code, Severity.WARNING, message, location, hint)


def info(code: str, message: str, location: Location | None = None,
         hint: str | None = None) -> Diagnostic:
    return Diagnostic(code, Severity.INFO, message, location, hint)


def has_errors(diagnostics: Iterable[Diagnostic], strict: bool = False) -> bool:
    """True if the diagnostics fail a build; `strict` makes warnings fail too."""
    threshold = Severity.WARNING if strict else Severity.ERROR
    return any(d.severity >= threshold for d in diagnostics)


def relative_path(path: Path, root: Path) -> str:
    """How a path is shown to the user: relative to the project root when inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


@contextlib.contextmanager
def silenced(logger_name: str) -> Iterator[None]:
    """Keep a library's log records (its own and its children's) off stderr for a while:
    library code never prints. A handler on the named logger stops Python's last-resort
    handler; not propagating keeps them from the application's handlers."""
    logger = logging.getLogger(logger_name)
    handler = logging.NullHandler()
    previous = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = previous
