"""Where the files chapbook ships live (kept light: the up-to-date check needs it)."""

from __future__ import annotations

from pathlib import Path


def builtin_styles_dir() -> Path:
    """A wheel carries the styles inside the package; a source checkout has them at its top."""
    packaged = Path(__file__).parent / "styles"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "styles"
