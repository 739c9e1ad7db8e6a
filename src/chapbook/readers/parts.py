"""What a format reader hands back, and the settings all readers share."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ..diagnostics import Diagnostic


@dataclass(frozen=True)
class ReadSettings:
    root: Path  # the project root: paths in diagnostics are shown relative to it
    default_language: str = "en"
    rating_scale: int = 5
    max_bytes: int = 2_000_000
    raw_html: Literal["escape", "sanitise"] = "escape"  # press.raw_html


@dataclass(frozen=True)
class TextParts:
    """The pieces a format finds in its text; front matter may still override them."""

    body_markdown: str
    body_first_line: int
    title: str | None = None
    title_line: int | None = None
    standfirst: str | None = None
    standfirst_line: int | None = None
    diagnostics: tuple[Diagnostic, ...] = field(default_factory=tuple)
