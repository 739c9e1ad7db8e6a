"""Preflight: what the print edition would get wrong, found before anything is rendered.

Glyphs: every character a book prints is looked up in the cmap of the style's fonts and
the fallback fonts. A character none of them has would be drawn by whatever font the
machine happens to have (so the book changes from machine to machine), or as a
missing-glyph box; it is reported with the file and line where it first occurs, and a
font to add. Hyphenation: a language Pyphen has no dictionary for is set unhyphenated,
which is worth a note unless the language is not hyphenated anyway.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

import pyphen
from fontTools.ttLib import TTFont

from chapbook.core.anthology import Anthology
from chapbook.core.config import Project
from chapbook.core.diagnostics import Diagnostic, Location, error, info, warning
from chapbook.core.language import primary_language
from chapbook.core.manuscript import Manuscript
from chapbook.pdf.unicode_scripts import describe, script_of, suggestion
from chapbook.render.print_body import print_body
from chapbook.render.styles import Style, load_style

# Scripts that are not hyphenated (CJK, Thai, the Semitic scripts...): no dictionary needed.
UNHYPHENATED = frozenset({"zh", "ja", "ko", "th", "lo", "km", "my", "ar", "he", "fa", "ur",
                          "yi", "ps", "sd", "ug", "dv"})
_SHOWN = 4  # characters named in one message; the rest are counted
_TAG = re.compile(r"<[^>]+>")
_OTHER_ENTITY = re.compile(r"&(?!(?:amp|lt|gt|quot|apos);)")


def preflight(project: Project, books: Sequence[Anthology],
              style_override: str | None = None) -> list[Diagnostic]:
    """Glyph and hyphenation checks for every book, each piece once per style."""
    problems = _missing_fallbacks(project)
    checked: set[tuple[str, str]] = set()
    for book in books:
        style, _ = load_style(style_override or book.config.style, project.root,
                              project.fallback_fonts)
        if style is None:
            continue  # the build reports an unknown or broken style
        covered = coverage(style.all_font_files)
        for piece in _pieces(book):
            if (style.name, piece.slug) not in checked:
                checked.add((style.name, piece.slug))
                problems += piece_glyphs(piece, covered, style, project.root)
        if (style.name, "") not in checked:
            checked.add((style.name, ""))
            problems += _config_glyphs(project, covered, style)
    return problems + hyphenation_notes(books)


def _pieces(book: Anthology) -> list[Manuscript]:
    return ([book.foreword] if book.foreword else []) + list(book.pieces)


def piece_glyphs(piece: Manuscript, covered: frozenset[int], style: Style,
                 root: Path) -> list[Diagnostic]:
    """One warning per script a piece needs and the style's fonts lack."""
    quick = _unprinted_text(piece)
    if quick is not None and not uncovered(quick, covered):
        return []  # the usual case, found without making the print body
    missing = uncovered(_printed_text(piece), covered)
    if not missing:
        return []
    source = _source_text(root / piece.source.path)
    return [_missing_glyph(chars, piece.source.at_line(_first_line(source, chars)), style)
            for chars in _by_script(missing)]


def _printed_text(piece: Manuscript) -> str:
    """What the print edition prints of a piece: its metadata and its body, as text."""
    body = html.unescape(_TAG.sub(" ", print_body(piece.body_html)))
    return "\n".join([*_fields(piece), body])


def _unprinted_text(piece: Manuscript) -> str | None:
    """The metadata and the body's markup as it is: every character the piece prints is
    in it (the print body only drops footnote lists and back-links, and XML's own entities
    stand for characters markup has), so if the fonts cover this they cover the piece.
    None when the body has other entities or character references."""
    if _OTHER_ENTITY.search(piece.body_html):
        return None
    return "\n".join([*_fields(piece), piece.body_html, "\"'"])  # &quot; and &apos; too


def _fields(piece: Manuscript) -> list[str]:
    work = piece.work
    fields = [piece.title, piece.standfirst or "", piece.byline]
    if work:
        fields += [work.title, work.platform or "", work.publisher or "", work.label or "",
                   *work.creators, *work.cast]
    return fields


def uncovered(text: str, covered: frozenset[int]) -> list[str]:
    """Characters of `text`, in order of appearance, that no font covers."""
    return [char for char in dict.fromkeys(text)
            if ord(char) not in covered and not _needs_no_glyph(char)]


def _needs_no_glyph(char: str) -> bool:
    """Spaces, controls and format characters (ZWJ, soft hyphen, bidi marks, variation
    selectors) are handled by the shaper, not drawn from a font."""
    if char.isspace():
        return True
    return unicodedata.category(char) in ("Cc", "Cf", "Mn") and unicodedata.name(
        char, "").startswith(("VARIATION", "ZERO", "SOFT", "LEFT-TO", "RIGHT-TO",
                              "COMBINING GRAPHEME", "WORD J"))


def _by_script(chars: Iterable[str]) -> list[list[str]]:
    groups: dict[str, list[str]] = {}
    for char in chars:
        groups.setdefault(script_of(char), []).append(char)
    return list(groups.values())


def _missing_glyph(chars: list[str], where: Location | None, style: Style) -> Diagnostic:
    script = script_of(chars[0])
    named = ", ".join(describe(char) for char in chars[:_SHOWN])
    more = f" and {len(chars) - _SHOWN} more" if len(chars) > _SHOWN else ""
    font = suggestion(script)
    return warning("missing-glyph",
                   f"no font of style '{style.name}' covers {named}{more} ({script})", where,
                   f"add a font for {script}, such as {font.family} (Debian package "
                   f"{font.package}), to the style's fonts or to press.fallback_fonts")


def _source_text(path: Path) -> str:
    """The source as text, to find lines in; binary formats (.docx) have none."""
    if path.suffix.lower() == ".docx":
        return ""
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _first_line(source: str, chars: list[str]) -> int | None:
    positions = [index for index in (source.find(char) for char in chars) if index >= 0]
    return source.count("\n", 0, min(positions)) + 1 if positions else None


def _config_glyphs(project: Project, covered: frozenset[int], style: Style) -> list[Diagnostic]:
    """Text from chapbook.toml that the books print: titles, dedications, bios..."""
    config = project.config
    texts: list[tuple[tuple[str | int, ...], str | None]] = [
        (("press", "name"), config.press.name), (("press", "rights"), config.press.rights),
        (("press", "about"), config.press.about)]
    for index, book in enumerate(config.anthology):
        texts += [(("anthology", index, key), getattr(book, key)) for key in
                  ("title", "subtitle", "dedication", "epigraph", "epigraph_source")]
        texts += [(("anthology", index, "part", n, "title"), part.title)
                  for n, part in enumerate(book.part)]
    texts += [(("contributors", name), f"{name} {person.bio or ''}")
              for name, person in config.contributors.items()]
    problems = []
    for key, text in texts:
        missing = uncovered(text or "", covered)
        problems += [_missing_glyph(chars, project.location_of(*key), style)
                     for chars in _by_script(missing)]
    return problems


@cache
def coverage(fonts: tuple[Path, ...]) -> frozenset[int]:
    """Every code point some font in `fonts` has a glyph for."""
    points: set[int] = set()
    for path in fonts:
        try:
            with TTFont(path, lazy=True, fontNumber=0) as font:
                points.update(font.getBestCmap() or {})
        except Exception:  # an unreadable font covers nothing; WeasyPrint says why
            continue
    return frozenset(points)


def _missing_fallbacks(project: Project) -> list[Diagnostic]:
    names = project.config.press.fallback_fonts
    return [error("config-invalid", f"'press.fallback_fonts': no font file '{name}'",
                  project.location_of("press", "fallback_fonts"),
                  "paths are relative to the project folder")
            for name in names if not (project.root / name).is_file()]


def hyphenation_notes(books: Sequence[Anthology]) -> list[Diagnostic]:
    """A note per language that will be set without hyphenation for want of a dictionary."""
    notes: list[Diagnostic] = []
    seen: set[str] = set()
    for piece in (piece for book in books for piece in _pieces(book)):
        language = piece.language
        if language in seen or primary_language(language) in UNHYPHENATED:
            continue
        seen.add(language)
        if pyphen.language_fallback(language.replace("-", "_")) is None:
            notes.append(info("no-hyphenation",
                              f"no hyphenation dictionary for '{language}': the piece is set "
                              "without hyphenation", piece.location_of("language")))
    return notes
