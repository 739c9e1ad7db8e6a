"""`chapbook import FORMAT FILE`: the export read whole and checked first, so that a bad
file or row writes nothing; then each review written into the project's pool."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from chapbook.core.config import load_project
from chapbook.core.diagnostics import Diagnostic, Location, error, has_errors, relative_path
from chapbook.read.importers import generic, goodreads, letterboxd, wordpress
from chapbook.read.importers.review import ImportResult, Parsed, check, write_reviews

# An export bigger than this is not a review archive (Goodreads' for 10,000 books is ~5 MB).
MAX_EXPORT_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class ImportOptions:
    mapping: tuple[str, ...] = ()  # FIELD=COLUMN, for csv and jsonl
    author: str | None = None  # the reviewer, where the export does not say
    drafts: bool = False  # WordPress drafts and pending posts too


Importer = Callable[[bytes, Location, ImportOptions], Parsed]
FORMATS: dict[str, Importer] = {
    "letterboxd": lambda raw, where, o: letterboxd.parse(raw, where, o.author),
    "goodreads": lambda raw, where, o: goodreads.parse(raw, where, o.author),
    "wordpress": lambda raw, where, o: wordpress.parse(raw, where, o.drafts),
    "csv": lambda raw, where, o: generic.parse_csv(raw, where, o.mapping, o.author),
    "jsonl": lambda raw, where, o: generic.parse_jsonl(raw, where, o.mapping, o.author),
}


def import_file(fmt: str, export: Path, root: Path, options: ImportOptions) -> ImportResult:
    """Read `export` as `fmt` and write its reviews into the project at `root`."""
    project, problems = load_project(root)
    if project is None:
        return ImportResult(diagnostics=tuple(problems))
    where = Location(relative_path(export, root))
    raw = _read(export, where)
    if not isinstance(raw, bytes):
        return ImportResult(diagnostics=(raw,))
    parsed = FORMATS[fmt](raw, where, options)
    scale = project.config.press.rating_scale
    found = [*parsed.diagnostics,
             *(p for review in parsed.reviews if (p := check(review, where, scale)))]
    skipped = tuple(sorted(parsed.skipped.items()))
    if has_errors(found):
        return ImportResult(skipped=skipped, diagnostics=tuple(found))
    try:
        written = write_reviews(parsed.reviews, project.manuscripts_dir, where)
    except OSError as exc:
        folder = relative_path(project.manuscripts_dir, root)
        return ImportResult(skipped=skipped, diagnostics=(*found, error(
            "write-failed", f"cannot write into {folder}: {exc.strerror or exc}",
            Location(folder)),))
    return ImportResult(written.written, written.unchanged, skipped,
                        (*found, *written.diagnostics))


def _read(export: Path, where: Location) -> bytes | Diagnostic:
    try:
        if not export.is_file():
            return error("import-bad-file", "no such file" if not export.exists() else "not a file",
                         where)
        if export.stat().st_size > MAX_EXPORT_BYTES:
            return error("import-bad-file", "file too large to be an export (over 200 MB)", where)
        return export.read_bytes()
    except OSError as exc:
        return error("import-bad-file", f"cannot read the file: {exc.strerror or exc}", where)
