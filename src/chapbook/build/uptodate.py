"""Skip a build whose inputs have not changed since the last successful one.

The fingerprint is every input file's path, size and modification time (the project's
config, manuscripts and styles, the built-in styles and catalogs, the machine's fonts),
chapbook's version, the build options and SOURCE_DATE_EPOCH. If it matches the record of the last
build, and every output recorded then is still there with the same content, the build has
nothing to do: it reports the same diagnostics again and writes nothing. Anything else builds.
"""

from __future__ import annotations

import contextlib
import json
import os
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import asdict, is_dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from chapbook.build.inputs import Inputs
from chapbook.build.options import BuildOptions
from chapbook.build.report import BuildReport, Output, Plan
from chapbook.core.diagnostics import Diagnostic, from_record, to_record
from chapbook.core.files import replace_file
from chapbook.core.hashing import digest, file_digest
from chapbook.core.locales import LOCALE_DIR
from chapbook.core.paths import BuildPaths, builtin_styles_dir
from chapbook.pdf.fontconfig import machine_fonts


def up_to_date(root: Path, options: BuildOptions,
               inputs: Inputs | None = None) -> tuple[str, BuildReport | None]:
    """The fingerprint of the build's inputs, and the last build's report if nothing
    changed since it (nothing to do), else None."""
    key = fingerprint(root, options, inputs.digest() if inputs else "")
    previous = unchanged(BuildPaths(options.output_dir(root)), key)
    if previous is None:
        return key, None
    outputs, diagnostics = previous
    return key, BuildReport(Plan(None), tuple(outputs), tuple(diagnostics), up_to_date=True,
                            written=recorded_outputs(BuildPaths(options.output_dir(root))))


def fingerprint(root: Path, options: object, given: str = "") -> str:
    """`given`: the digest of what the Python API hands in instead of files."""
    files = [root / "chapbook.toml", *_walk(manuscripts_dir(root)), *_walk(root / "styles"),
             *_walk(builtin_styles_dir()), *_walk(LOCALE_DIR)]  # catalogs: an edited .po
    files += book_files(root, options)
    stats = []
    for path in files:
        try:
            info = path.stat()
        except OSError:
            continue
        stats.append((path.as_posix(), info.st_size, info.st_mtime_ns))
    settings = asdict(options) if is_dataclass(options) else repr(options)  # type: ignore[arg-type]
    if isinstance(settings, dict):  # where the work is done changes no output
        settings = {k: v for k, v in settings.items() if k not in ("executor", "cache")}
    environment = os.environ.get("SOURCE_DATE_EPOCH", "")  # stamped into the outputs
    fonts = machine_fonts()  # a font installed since draws what was a box
    return digest(json.dumps([stats, version("chapbook"), settings, environment, fonts, given],
                             default=str))


def book_files(root: Path, options: object) -> list[Path]:
    """The files of books outside chapbook.toml: --books, and the TOML files it includes."""
    included = raw_config(root).get("include", [])
    files = [root / str(name) for name in included] if isinstance(included, list) else []
    books = getattr(options, "books", None)
    return [*files, books] if isinstance(books, Path) else files


def manuscripts_dir(root: Path) -> Path:
    """The pool folder as chapbook.toml names it (read without validating: this is a hint)."""
    return root / str(raw_config(root).get("manuscripts", "manuscripts"))


def raw_config(root: Path) -> dict[str, Any]:
    """chapbook.toml as parsed TOML, not validated ({} if it cannot be read): for hints
    taken before the project is loaded."""
    try:
        return tomllib.loads((root / "chapbook.toml").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _walk(folder: Path) -> Iterable[Path]:
    if not folder.is_dir():
        return []
    return sorted(Path(base) / name for base, _, names in os.walk(folder) for name in names)


def unchanged(paths: BuildPaths, key: str) -> tuple[list[Path], list[Diagnostic]] | None:
    """The last build's outputs and diagnostics if nothing changed since; None otherwise."""
    try:
        record: dict[str, Any] = json.loads(paths.record.read_text(encoding="utf-8"))
        if record["fingerprint"] != key:
            return None
        recorded = record["outputs"]  # by path relative to out
        outputs = [paths.out / name for name in recorded]
        if any(output_digest(paths.out / name) != sha for name, sha in recorded.items()):
            return None
        return outputs, [from_record(d) for d in record["diagnostics"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def remember(paths: BuildPaths, key: str, outputs: Sequence[Path],
             diagnostics: Sequence[Diagnostic], written: Sequence[Output] = ()) -> None:
    """Record a successful build. A record that cannot be written only costs a rebuild."""
    record = {"fingerprint": key,
              "written": [[o.book, o.format, o.profile, o.path.relative_to(paths.out).as_posix()]
                          for o in written],
              "outputs": {path.relative_to(paths.out).as_posix(): output_digest(path)
                          for path in outputs},
              "diagnostics": [to_record(d) for d in diagnostics]}
    try:
        paths.record.parent.mkdir(parents=True, exist_ok=True)
        replace_file(paths.record, json.dumps(record).encode("utf-8"))
    except OSError:
        forget(paths)


def recorded_outputs(paths: BuildPaths) -> tuple[Output, ...]:
    """What each output of the last build is, as its record says (none if it cannot)."""
    try:
        record = json.loads(paths.record.read_text(encoding="utf-8"))
        return tuple(Output(str(book), str(fmt), profile, paths.out / str(name))
                     for book, fmt, profile, name in record.get("written", []))
    except (OSError, ValueError, TypeError, AttributeError):
        return ()


def output_digest(path: Path) -> str:
    """A file's digest; a folder's (a web edition) is that of every file in it, by path."""
    if not path.is_dir():
        return file_digest(path)
    return digest(*(f"{file.relative_to(path).as_posix()} {file_digest(file)}"
                    for file in _walk(path)))


def forget(paths: BuildPaths) -> None:
    with contextlib.suppress(OSError):
        paths.record.unlink(missing_ok=True)
