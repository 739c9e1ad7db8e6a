"""What a build plans and what it reports: values the CLI (or any caller) reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from chapbook.core.diagnostics import Diagnostic
from chapbook.pdf.jobs import Layouts
from chapbook.pdf.typecounts import REPORT_CODE

if TYPE_CHECKING:
    from chapbook.core.anthology import Anthology
    from chapbook.core.config import Project
    from chapbook.core.manuscript import Manuscript


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
class Output:
    """One file a build wrote: of which book, in which format (and, for a PDF, profile)."""

    book: str  # the book's slug
    format: str  # "epub" or "pdf"
    profile: str | None  # "print" or "screen" for a PDF; None for an EPUB
    path: Path


@dataclass(frozen=True)
class BuildReport:
    plan: Plan
    outputs: tuple[Path, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = field(default_factory=tuple)
    up_to_date: bool = False  # nothing changed since the last build: nothing was done
    written: tuple[Output, ...] = ()  # what each output is
    layouts: Layouts = field(default_factory=Layouts)  # shared work: see `Layouts`

    @property
    def all_diagnostics(self) -> tuple[Diagnostic, ...]:
        return self.plan.diagnostics + self.diagnostics

    @property
    def typography(self) -> tuple[str, ...]:
        """One line per PDF: '<name>.pdf: typography: 0 ladders, 3.1 % hyphenated, ...'
        (carried as info diagnostics, so that an up-to-date build shows them again)."""
        return tuple(d.message for d in self.diagnostics if d.code == REPORT_CODE)
