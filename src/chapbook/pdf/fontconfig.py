"""The machine's fonts, as fontconfig (and so Pango, and so WeasyPrint) sees them.

WeasyPrint draws a character the style's fonts lack with a font of the machine: first the
families the style sheets name (the style's `script_fonts`, such as Noto Serif
Devanagari), then fontconfig's fallback for the generic family and the text's language,
in fontconfig's order. Both are asked of fontconfig's own tools (`fc-list`, `fc-match`),
which read its cache and answer in milliseconds; a machine without them has, as far as
the preflight can tell, no fonts of its own.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_REGULAR_WEIGHT = 80  # fontconfig's weight for Regular (400)
_TIMEOUT = 30


@dataclass(frozen=True)
class FontFile:
    """One face of the machine: a file, and the face's index in a collection (.ttc)."""

    path: Path
    index: int = 0
    family: str = ""


def fontconfig_available() -> bool:
    return shutil.which("fc-list") is not None and shutil.which("fc-match") is not None


@cache
def installed_families() -> dict[str, FontFile]:
    """Each family installed (by every name it has, case-folded) to its regular face."""
    lines = _ask("fc-list", "--format", "%{family}\t%{weight}\t%{slant}\t%{file}\t%{index}\n")
    ranked: dict[str, tuple[tuple[int, int], FontFile]] = {}
    for line in lines:
        fields = line.split("\t")
        if len(fields) != 5 or not fields[4].isdigit():
            continue
        families, weight, slant, path, index = fields
        rank = (abs(_number(weight) - _REGULAR_WEIGHT), _number(slant))
        for family in families.split(","):
            face = FontFile(Path(path), int(index), family)
            key = family.strip().casefold()
            if key not in ranked or rank < ranked[key][0]:
                ranked[key] = (rank, face)
    return {key: face for key, (_, face) in ranked.items()}


def family_file(family: str) -> FontFile | None:
    """The regular face of an installed family, or None if the machine does not have it."""
    return installed_families().get(family.casefold())


@cache
def fallback_files(generic: str, language: str) -> tuple[FontFile, ...]:
    """The faces fontconfig tries, best first, for text in `language` set in the generic
    family (`serif`, `sans-serif`): where Pango looks once the named families fail."""
    pattern = f"{generic}:lang={fontconfig_language(language)}"
    lines = _ask("fc-match", "--sort", "--format", "%{file}\t%{index}\t%{family[0]}\n",
                 pattern)
    faces = []
    for line in lines:
        fields = line.split("\t")
        if len(fields) == 3 and fields[1].isdigit():
            faces.append(FontFile(Path(fields[0]), int(fields[1]), fields[2]))
    return tuple(dict.fromkeys(faces))


@cache
def machine_fonts() -> tuple[tuple[str, int, int], ...]:
    """Every font file fontconfig knows, with its size and time: installing or upgrading
    a font changes what a PDF looks like, so it is part of the build's fingerprint and
    of the chunk cache's keys (once per process; `fc-list` answers from its cache)."""
    found = []
    for name in sorted(set(_ask("fc-list", "--format", "%{file}\n"))):
        try:
            info = Path(name).stat()
        except OSError:
            continue
        found.append((name, info.st_size, info.st_mtime_ns))
    return tuple(found)


def fontconfig_language(tag: str) -> str:
    """A BCP 47 tag as fontconfig names languages: lower case, the script subtag left out
    except where it picks the writing (zh-Hant is Traditional Chinese: zh-tw)."""
    parts = tag.casefold().replace("_", "-").split("-")
    if parts[0] == "zh" and "hant" in parts[1:]:
        return "zh-tw"
    if parts[0] == "zh" and "hans" in parts[1:]:
        return "zh-cn"
    regions = [part for part in parts[1:] if len(part) == 2 and part.isalpha()]
    return "-".join(parts[:1] + regions[:1])


def _ask(*command: str) -> list[str]:
    """A fontconfig tool's output lines; none if the tool is missing or fails."""
    if not fontconfig_available():
        return []
    try:
        done = subprocess.run(command, capture_output=True, timeout=_TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError):
        return []
    if done.returncode != 0:
        return []
    return done.stdout.decode("utf-8", errors="replace").splitlines()


def _number(text: str) -> int:
    try:
        return int(float(text))
    except ValueError:
        return 0
