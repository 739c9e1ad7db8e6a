"""Where things are: the files chapbook ships, and every output and cache of a build."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath


def builtin_styles_dir() -> Path:
    """A wheel carries the styles inside the package; a source checkout has them at its top."""
    packaged = Path(__file__).parent.parent / "styles"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[3] / "styles"


@dataclass(frozen=True)
class BuildPaths:
    """The output folder of a build (`build/` unless told otherwise) and what it holds:
    the books, and under `.cache/` what later builds reuse. Nothing else names these."""

    out: Path
    # Each book's folder under `out`, a template such as "{language}/{slug}" (`--out
    # build/{language}/{slug}`); empty: the books are in `out` itself. The lock and the
    # caches stay in `out`: one cache for the run, shared by every book.
    folders: str = ""

    def folder(self, slug: str, fields: Mapping[str, str] | None = None) -> Path:
        """A book's folder: `out`, or with `folders`, the template filled in (`fields`:
        the book's language, style and trim)."""
        if not self.folders:
            return self.out
        values = {name: _path_safe(value) for name, value in (fields or {}).items()}
        return self.out / self.folders.format_map({**values, "slug": slug})

    def book(self, slug: str, fmt: str, profile: str | None = None,
             fields: Mapping[str, str] | None = None) -> Path:
        """build/<slug>.epub, build/<slug>.pdf (print), build/<slug>-screen.pdf, in the
        book's folder; the web edition (html) is a folder beside them, build/<slug>/."""
        if fmt == "html":
            return self.folder(slug, fields) / slug
        suffix = f"-{profile}" if profile and profile != "print" else ""
        return self.folder(slug, fields) / f"{slug}{suffix}.{fmt}"

    def cover(self, slug: str, fields: Mapping[str, str] | None = None) -> Path:
        """build/<slug>-cover.pdf: the print edition's cover wrap."""
        return self.folder(slug, fields) / f"{slug}-cover.pdf"

    def offprints(self, slug: str, fields: Mapping[str, str] | None = None) -> Path:
        """build/<slug>/offprints/: a book's offprints, a PDF and an EPUB each."""
        return self.folder(slug, fields) / slug / "offprints"

    @property
    def opds(self) -> Path:
        """The catalogue feeds (OPDS 1.2 and 2.0); the press site is out/index.html."""
        return self.out / "opds"

    @property
    def lock(self) -> Path:
        """Held by the build that is writing here (see `build.lock`)."""
        return self.out / ".lock"

    @property
    def cache(self) -> Path:
        return self.out / ".cache"

    @property
    def record(self) -> Path:
        """The last successful build: its fingerprint, outputs and diagnostics."""
        return self.cache / "build.json"

    @property
    def read_cache(self) -> Path:
        """Manuscripts as last read."""
        return self.cache / "read"

    @property
    def chunk_cache(self) -> Path:
        """Print chunks, front and back matter, furniture, assembly records."""
        return self.cache / "pdf"

    @property
    def cover_cache(self) -> Path:
        """Generated EPUB covers."""
        return self.cache / "cover"

    @property
    def font_cache(self) -> Path:
        """EPUB font subsets."""
        return self.cache / "fonts"

    @property
    def page_map_cache(self) -> Path:
        """Where the pages of each book's last print PDF begin (for an EPUB built alone)."""
        return self.cache / "pagemaps"

    @property
    def template_cache(self) -> Path:
        """Compiled Jinja templates."""
        return self.cache / "templates"


OUT_FIELDS = ("slug", "language", "style", "trim")
_FIELD = re.compile(r"\{([^{}]*)\}")


def split_out(out: str) -> tuple[Path, str]:
    """An --out template as the folder that holds every book (the lock and the caches) and
    the template of each book's folder under it: "build/{language}/{slug}" is
    (build, "{language}/{slug}"); a path without fields is (itself, "")."""
    parts = PurePosixPath(out).parts
    fixed = next((n for n, part in enumerate(parts) if "{" in part or "}" in part), len(parts))
    return Path(*parts[:fixed]) if fixed else Path("."), "/".join(parts[fixed:])


def out_problem(folders: str) -> str | None:
    """Why a book-folder template cannot be used, if it cannot."""
    for name in _FIELD.findall(folders):
        if name not in OUT_FIELDS:
            return (f"unknown field {{{name}}} in --out; use "
                    + ", ".join(f"{{{field}}}" for field in OUT_FIELDS))
    leftover = _FIELD.sub("", folders)
    if "{" in leftover or "}" in leftover:
        return "unbalanced braces in --out"
    if any(part in ("..", ".") for part in folders.split("/")):
        return "--out may not climb out of its folder with '..'"
    return None


def _path_safe(value: str) -> str:
    """A field's value as one folder name: no separators, never '.' or '..'."""
    safe = re.sub(r"[/\\\x00]", "-", value)
    return safe if safe.strip(".") else "-"
