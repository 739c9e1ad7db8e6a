"""`chapbook.Project`: a project made from a folder, or from manuscripts and a config held in
memory, and its builds. It never prints and never exits: a build returns a `BuildResult`.

Light to import, as the CLI launcher is (the CLI builds through it): the pipeline loads
inside `write`, once the workers are starting, so that an up-to-date build never loads it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chapbook.api.values import BuildResult, Manuscripts, manuscript_texts, result_of
from chapbook.build.inputs import Inputs
from chapbook.build.lock import output_lock
from chapbook.build.options import FORMATS, BuildOptions
from chapbook.build.report import BuildReport, Progress
from chapbook.build.start import started_workers
from chapbook.build.uptodate import up_to_date
from chapbook.core.diagnostics import Diagnostic, error
from chapbook.core.executors import executor_problem
from chapbook.core.paths import out_problem, split_out

if TYPE_CHECKING:
    from chapbook.core.config import Config

# Books to build: None (all), slugs, book definitions (the [[anthology]] schema), or the
# path of a JSON Lines file of them.
Books = Sequence[str] | Sequence[Mapping[str, Any]] | os.PathLike[str] | None
PDF_MODES = ("auto", "single", "chunked")


class Project:
    """A chapbook project. Make one with `from_folder` or `from_manuscripts`."""

    def __init__(self, root: Path, inputs: Inputs | None = None) -> None:
        self.root = root.resolve()
        self.inputs = inputs

    @classmethod
    def from_folder(cls, path: str | os.PathLike[str]) -> Project:
        """The project in a folder: its chapbook.toml and manuscripts, read at each build."""
        return cls(Path(path))

    @classmethod
    def from_manuscripts(cls, manuscripts: Manuscripts,
                         config: Config | Mapping[str, Any] | str | None = None,
                         root: str | os.PathLike[str] | None = None) -> Project:
        """A project of manuscripts held in memory: `{name: text}`, or `Manuscript` values.

        They are read by the same readers as files, each as if it were the file `name` of
        the project: diagnostics are located at it. `config` is chapbook.toml's content, as
        TOML text, a mapping or a `Config` (default: none, so the books are given to
        `build`). `root` (default: the current folder) is the project folder all the same:
        images and a cover are found inside it and never outside, its styles/ folder adds
        styles, and the default output folder (and its caches) is root/build."""
        return cls(Path(root) if root is not None else Path.cwd(),
                   Inputs(config if config is not None else {}, manuscript_texts(manuscripts)))

    def build(self, books: Books = None, formats: Sequence[str] = FORMATS,
              out: str | os.PathLike[str] | None = None, strict: bool = False, *,
              style: str | None = None, profiles: Sequence[str] = (), drafts: bool = False,
              jobs: int | None = None, pdf_mode: str = "auto", validate: bool = False,
              offprints: str | None = None, executor: str | None = None,
              cache: str | os.PathLike[str] | None = None,
              progress: Progress | Callable[[str], object] | None = None,
              on_wait: Callable[[], None] | None = None) -> BuildResult:
        """Build the books' editions, as `chapbook build` does.

        `books`: None for every book of the config; slugs to build some of them; book
        definitions (dicts with the [[anthology]] schema) or a JSON Lines file of them, to
        build those instead of the config's. `out`: the output folder (relative to the
        root; default root/build), or a template of each book's folder such as
        "build/{language}/{slug}" ({slug}, {language}, {style}, {trim}); the caches and
        the lock stay in the part before the first field. `progress`: told as each output
        begins (a callable taking its name, or an object with `begin` and `advance`).
        `offprints`: "piece" or "contributor", as `--offprints`. `executor`: "local" or
        "dask://HOST:PORT", and `cache`: a folder or fsspec URL, as `--executor`, `--cache`.
        `on_wait`: called if another build holds the output folder. Diagnostics are
        values in the result; bad arguments (an unknown format) raise ValueError."""
        options, inputs = self._options(books, formats, out, strict, style, profiles, drafts,
                                         jobs, pdf_mode, validate)
        if offprints not in (None, "piece", "contributor"):
            raise ValueError(f"offprints is 'piece' or 'contributor', not {offprints!r}")
        if executor is not None and executor_problem(executor):
            raise ValueError(executor_problem(executor))
        options = replace(options, offprints=offprints, executor=executor,
                          cache=os.fspath(cache) if cache is not None else None)
        out_dir = options.output_dir(self.root)
        try:
            with output_lock(out_dir, on_wait or _nothing):
                key, previous = up_to_date(self.root, options, inputs)
                report = previous or self.write(options, key, _progress(progress), inputs)
        except OSError as exc:  # the output folder itself cannot be created or locked
            return BuildResult((), (_unwritable(out_dir, exc),), False)
        return result_of(report, strict)

    def write(self, options: BuildOptions, key: str, progress: Progress | None = None,
              inputs: Inputs | None = None) -> BuildReport:
        """A build's work once its output folder is locked and the up-to-date check found
        some (`key`: the inputs' fingerprint): what `build`, and the CLI, do next."""
        with started_workers(self.root, options) as workers:
            from chapbook.build.run import write_books  # the pipeline loads as workers start

            return write_books(self.root, options, key, workers, progress,
                               inputs if inputs is not None else self.inputs)

    def check(self, books: Books = None, drafts: bool = False) -> tuple[Diagnostic, ...]:
        """Read and collect everything, render every document, write nothing: every
        diagnostic a build would give before writing (`chapbook check`)."""
        from chapbook.build.plan import plan, rendering_problems  # reading, Jinja: not light

        options, inputs = self._options(books, FORMATS, None, False, None, (), drafts, None,
                                        "auto", False)
        found = plan(self.root, options, None, inputs)
        return (*found.diagnostics, *rendering_problems(found, options))

    def _options(self, books: Books, formats: Sequence[str], out: str | os.PathLike[str] | None,
                 strict: bool, style: str | None, profiles: Sequence[str], drafts: bool,
                 jobs: int | None, pdf_mode: str,
                 validate: bool) -> tuple[BuildOptions, Inputs | None]:
        _check_choices(formats, profiles, pdf_mode)
        only, books_file, inputs = self._books(books)
        out_dir, folders = split_out(os.fspath(out)) if out is not None else (None, "")
        problem = out_problem(folders)
        if problem:
            raise ValueError(problem)
        options = BuildOptions(
            formats=tuple(formats), only=only,
            out_dir=(self.root / out_dir).resolve() if out_dir is not None else None,
            include_drafts=drafts, strict=strict, style=style, profiles=tuple(profiles),
            pdf_mode=pdf_mode, jobs=jobs, validate=validate, books=books_file,
            book_folders=folders)
        return options, inputs

    def _books(self, books: Books) -> tuple[tuple[str, ...], Path | None, Inputs | None]:
        """(slugs to build, a books file, the inputs with books as values)."""
        if books is None:
            return (), None, self.inputs
        if isinstance(books, os.PathLike):
            return (), (self.root / os.fspath(books)).resolve(), self.inputs
        if isinstance(books, str | bytes):
            raise TypeError("books is a list of slugs or of book definitions, not one string")
        if books and all(isinstance(book, str) for book in books):
            return tuple(str(book) for book in books), None, self.inputs
        if all(isinstance(book, Mapping) for book in books):
            values = tuple(book for book in books if isinstance(book, Mapping))
            return (), None, replace(self.inputs or Inputs(), books=values)
        raise TypeError("books is a list of slugs, or of book definitions: not both")


def _check_choices(formats: Sequence[str], profiles: Sequence[str], pdf_mode: str) -> None:
    for value, allowed, what in [*((f, FORMATS, "format") for f in formats),
                                 *((p, ("print", "screen"), "profile") for p in profiles),
                                 (pdf_mode, PDF_MODES, "pdf_mode")]:
        if value not in allowed:
            raise ValueError(f"unknown {what} {value!r}; use {' or '.join(allowed)}")


class _Told:
    """A plain callable as a build's progress: told the name of each output it begins."""

    def __init__(self, tell: Callable[[str], object]) -> None:
        self.tell = tell

    def begin(self, output: str) -> None:
        self.tell(output)

    def advance(self, done: int, total: int) -> None:
        pass


def _progress(progress: Progress | Callable[[str], object] | None) -> Progress | None:
    if progress is None or hasattr(progress, "begin"):
        return progress  # type: ignore[return-value]
    return _Told(progress)


def _nothing() -> None:
    pass


def _unwritable(out_dir: Path, exc: OSError) -> Diagnostic:
    return error("write-failed", f"cannot write to {out_dir}: {exc.strerror or exc}", None,
                 "check that the output folder is writable and not full")
