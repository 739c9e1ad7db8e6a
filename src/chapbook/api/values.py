"""What the Python API takes and gives: manuscripts as values, and a build's result."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from chapbook.build.report import BuildReport, Output
from chapbook.core.diagnostics import Diagnostic, Severity, has_errors
from chapbook.pdf.jobs import Layouts


@dataclass(frozen=True)
class Manuscript:
    """A manuscript handed in as values, for reviews kept in a database.

    `name` is its file name: its suffix picks the reader (`.md`, `.txt`, `.html`), its stem
    is the slug unless `meta` gives one, and diagnostics are located at it. `meta` holds the
    front-matter keys (title, author, date, work, rating, tags...); `body` the text."""

    name: str
    body: str
    meta: Mapping[str, Any] = field(default_factory=dict)

    def text(self) -> str:
        """The manuscript as a file would hold it: `meta` as YAML front matter, then the
        body (diagnostics about `meta` point at the lines of that front matter)."""
        if not self.meta:
            return self.body
        front = yaml.safe_dump(dict(self.meta), allow_unicode=True, sort_keys=False)
        return f"---\n{front}---\n{self.body}"


# Manuscripts as the API takes them: {name: text}, or Manuscript values and (name, text)
# pairs; text is str, or bytes (a .docx, or a file as read).
Manuscripts = Mapping[str, str | bytes] | Iterable[Manuscript | tuple[str, str | bytes]]


def manuscript_texts(manuscripts: Manuscripts) -> tuple[tuple[str, bytes], ...]:
    """(name, bytes) of each manuscript, in the order given."""
    items: Iterable[Any] = (manuscripts.items() if isinstance(manuscripts, Mapping)
                            else manuscripts)
    texts: list[tuple[str, bytes]] = []
    for item in items:
        if isinstance(item, Manuscript):
            name, text = item.name, item.text()
        elif isinstance(item, tuple) and len(item) == 2:
            name, text = item
        else:
            raise TypeError(f"a manuscript is a Manuscript or a (name, text) pair, not {item!r}")
        texts.append((str(name), text.encode("utf-8") if isinstance(text, str) else bytes(text)))
    return tuple(texts)


@dataclass(frozen=True)
class BuildResult:
    """What a build did: the files written, and every diagnostic found on the way."""

    outputs: tuple[Output, ...]  # each with its book's slug, format, PDF profile and path
    diagnostics: tuple[Diagnostic, ...]
    ok: bool  # no errors (nor warnings, with strict=True): every book asked for is written
    up_to_date: bool = False  # nothing had changed since the last build: nothing was done
    # The print editions' body layouts: laid out by this build, or reused from the cache
    layouts: Layouts = field(default_factory=Layouts)

    def paths(self, book: str | None = None, format: str | None = None) -> tuple[Path, ...]:
        """The paths written, of one book and/or one format if given."""
        return tuple(o.path for o in self.outputs
                     if (book is None or o.book == book) and (format is None or o.format == format))

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity >= Severity.ERROR)

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == Severity.WARNING)


def result_of(report: BuildReport, strict: bool) -> BuildResult:
    found = report.all_diagnostics
    return BuildResult(report.written, found, not has_errors(found, strict), report.up_to_date,
                       report.layouts)
