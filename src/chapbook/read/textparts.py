"""What a format reader hands back, what reading a file gives, and the settings all
readers share."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from chapbook.core.diagnostics import Diagnostic
from chapbook.core.manuscript import Manuscript
from chapbook.read.frontmatter import KeyPath, YamlDocument


@dataclass(frozen=True)
class ReadSettings:
    root: Path  # the project root: paths in diagnostics are shown relative to it
    default_language: str = "en"
    rating_scale: int = 5
    max_bytes: int = 2_000_000
    raw_html: Literal["escape", "sanitise"] = "escape"  # press.raw_html


@dataclass(frozen=True)
class ReadResult:
    """A file read: its manuscript (None if refused) and what was found on the way."""

    manuscript: Manuscript | None
    diagnostics: tuple[Diagnostic, ...] = field(default_factory=tuple)


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
    # What the format itself says about the piece (HTML <meta>, Word document properties),
    # in front-matter keys; the front matter wins over it.
    metadata: dict[str, Any] = field(default_factory=dict)
    metadata_lines: dict[KeyPath, int] = field(default_factory=dict)


def with_format_metadata(document: YamlDocument, parts: TextParts) -> YamlDocument:
    """The front matter, over what the format says about the piece."""
    if not parts.metadata:
        return document
    return YamlDocument({**parts.metadata, **document.data},
                        {**parts.metadata_lines, **document.key_lines})
