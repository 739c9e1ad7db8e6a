"""Where things are: the files chapbook ships, and every output and cache of a build."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


def builtin_styles_dir() -> Path:
    """A wheel carries the styles inside the package; a source checkout has them at its top."""
    packaged = Path(__file__).parent.parent / "styles"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[3] / "styles"


@dataclass(frozen=True)
class BuildPaths:
    """The output folder of a build (`build/` unless told otherwise) and what it holds:
    the books, and under `.cache/` what later builds reuse. Nothing else names these."""

    out: Path

    def book(self, slug: str, fmt: str, profile: str | None = None) -> Path:
        """build/<slug>.epub, build/<slug>.pdf (print), build/<slug>-screen.pdf; the web
        edition (html) is a folder, build/<slug>/."""
        if fmt == "html":
            return self.out / slug
        suffix = f"-{profile}" if profile and profile != "print" else ""
        return self.out / f"{slug}{suffix}.{fmt}"

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
    def template_cache(self) -> Path:
        """Compiled Jinja templates."""
        return self.cache / "templates"
