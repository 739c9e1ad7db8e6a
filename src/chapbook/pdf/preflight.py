"""Preflight: what the print edition would get wrong, found before anything is rendered.

Glyphs: every character a book prints is looked up in the faces WeasyPrint will try for
its piece's language (see glyphs.py): the style's fonts, the fallback fonts, the style's
script fonts, then the machine's fontconfig fallback. A character no face has would print
as a .notdef box, and one whose face has an empty glyph for it as a blank: both are
warnings (so `--strict` refuses the book) with the file and line where the character
first occurs and what to install. A character only a font the style does not name draws
is a note: the book would look different on another machine. Hyphenation: a language
Pyphen has no dictionary for is set unhyphenated, which is worth a note unless the
language is not hyphenated anyway.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import pyphen

from chapbook.core.anthology import Anthology
from chapbook.core.config import Project
from chapbook.core.diagnostics import Diagnostic, Location, error, info, warning
from chapbook.core.label_registry import REGISTRY
from chapbook.core.language import primary_language
from chapbook.core.manuscript import Manuscript
from chapbook.pdf.fontconfig import family_file, fontconfig_available
from chapbook.pdf.glyphs import Drawn, FaceStack, face_stack
from chapbook.pdf.unicode_scripts import (
    UNDRAWN_SCRIPTS,
    describe,
    install_package,
    script_of,
    suggestion,
)
from chapbook.render.context import language_labels
from chapbook.render.fontfaces import draws_nothing
from chapbook.render.print_body import print_body
from chapbook.render.styles import Style, load_style

# Scripts that are not hyphenated (CJK, Thai, the Semitic scripts...): no dictionary needed.
UNHYPHENATED = frozenset({"zh", "ja", "ko", "th", "lo", "km", "my", "ar", "he", "fa", "ur",
                          "yi", "ps", "sd", "ug", "dv"})
_SHOWN = 4  # characters named in one message; the rest are counted
_SAMPLE_DATE = dt.date(2024, 9, 28)  # every digit a date can show
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
        glyphs = GlyphCheck(style)
        for piece in _pieces(book):
            if (style.name, piece.slug) not in checked:
                checked.add((style.name, piece.slug))
                problems += glyphs.piece(piece, project.root)
        if (style.name, "") not in checked:
            checked.add((style.name, ""))
            problems += _config_glyphs(project, glyphs, book.language)
        for language in dict.fromkeys([book.language, *(p.language for p in _pieces(book))]):
            if (style.name, f"labels {language}") not in checked:
                checked.add((style.name, f"labels {language}"))
                problems += _label_glyphs(project, book, language, glyphs)
    return list(dict.fromkeys(problems)) + hyphenation_notes(books)


def _pieces(book: Anthology) -> list[Manuscript]:
    return ([book.foreword] if book.foreword else []) + list(book.pieces)


class GlyphCheck:
    """The glyph check of one style: a face stack per language, each character's face
    found once, and a note per script drawn from a font the style does not name."""

    def __init__(self, style: Style) -> None:
        self.style = style
        self.stacks: dict[str, FaceStack] = {}
        self.noted: set[tuple[str, str]] = set()

    def stack(self, language: str) -> FaceStack:
        if language not in self.stacks:
            self.stacks[language] = face_stack(self.style, language)
        return self.stacks[language]

    def piece(self, piece: Manuscript, root: Path) -> list[Diagnostic]:
        """A warning per script a piece needs and no face draws, and a note per script
        only a font of the machine draws."""
        stack = self.stack(piece.language)
        quick = _unprinted_text(piece)
        if quick is not None and not self._unusual(quick, stack):
            return []  # the usual case, found without making the print body
        unusual = self._unusual(_printed_text(piece), stack)
        if not unusual:
            return []
        source = _source_text(root / piece.source.path)
        return self.diagnostics(unusual, stack, lambda chars: piece.source.at_line(
            _first_line(source, chars)))

    def text(self, text: str, language: str, where: Location | None) -> list[Diagnostic]:
        stack = self.stack(language)
        return self.diagnostics(self._unusual(text, stack), stack, lambda _: where)

    @staticmethod
    def _unusual(text: str, stack: FaceStack) -> list[str]:
        """Characters of `text`, in order of appearance, that print as a box or a blank,
        or come from a font the style does not name."""
        return [char for char in dict.fromkeys(text) if not draws_nothing(char)
                and ((drawn := stack.draw(char)) is None or drawn.blank
                     or drawn.face.from_system)]

    def diagnostics(self, chars: list[str], stack: FaceStack,
                    where: Callable[[list[str]], Location | None]) -> list[Diagnostic]:
        found: list[Diagnostic] = []
        for group in _by_script(chars):
            missing = [char for char in group if stack.draw(char) is None]
            if missing:
                found.append(_missing_glyph(missing, where(missing), self.style))
            for drawn, same in _by_face(group, stack).items():
                if drawn.blank:
                    found.append(_blank_glyph(same, where(same), drawn))
                elif (script_of(same[0]), drawn.face.name) not in self.noted:
                    self.noted.add((script_of(same[0]), drawn.face.name))
                    found.append(_system_font(same, where(same), drawn, self.style))
        return found


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


def _by_script(chars: Iterable[str]) -> list[list[str]]:
    groups: dict[str, list[str]] = {}
    for char in chars:
        groups.setdefault(script_of(char), []).append(char)
    return list(groups.values())


def _by_face(chars: list[str], stack: FaceStack) -> dict[Drawn, list[str]]:
    groups: dict[Drawn, list[str]] = {}
    for char in chars:
        drawn = stack.draw(char)
        if drawn is not None:
            groups.setdefault(drawn, []).append(char)
    return groups


def _named(chars: list[str]) -> str:
    named = ", ".join(describe(char) for char in chars[:_SHOWN])
    return named + (f" and {len(chars) - _SHOWN} more" if len(chars) > _SHOWN else "")


def _missing_glyph(chars: list[str], where: Location | None, style: Style) -> Diagnostic:
    script = script_of(chars[0])
    return warning("missing-glyph",
                   f"no font covers {_named(chars)} ({script}): neither style "
                   f"'{style.name}' nor its fallback fonts, nor any font of this machine; "
                   "it would print as a box", where, _install_hint(script, style))


def _install_hint(script: str, style: Style) -> str:
    """What to install, or to add, for a script no font covers."""
    if script in UNDRAWN_SCRIPTS:
        return ("only a font made for such characters draws them: add it to "
                "press.fallback_fonts, or leave them out")
    family = next((name for name in style.script_fonts if script.casefold() in
                   name.casefold()), suggestion(script).family)
    package = install_package(script)
    if family_file(family) is not None:  # installed, and still without these characters
        return (f"{family} is installed but lacks them: add a font that covers them "
                "to press.fallback_fonts")
    unseen = ("" if fontconfig_available() else " (fontconfig's fc-list and fc-match were "
              "not found, so the machine's own fonts could not be checked)")
    return (f"install Debian's {package} (apt-get install {package}), which has {family}, "
            f"or add a font for {script} to press.fallback_fonts{unseen}")


def _blank_glyph(chars: list[str], where: Location | None, drawn: Drawn) -> Diagnostic:
    face = drawn.face
    return warning("blank-glyph",
                   f"{_named(chars)} ({script_of(chars[0])}) would print blank: {face.name} "
                   f"({face.path}), the first font that has them, draws nothing for them",
                   where, "add a font that draws them to press.fallback_fonts (it is tried "
                   f"before {face.name})")


def _system_font(chars: list[str], where: Location | None, drawn: Drawn,
                 style: Style) -> Diagnostic:
    face = drawn.face
    return info("system-font",
                f"{_named(chars)} ({script_of(chars[0])}) will be drawn with {face.name} "
                f"({face.path}), a font of this machine that style '{style.name}' does "
                "not name", where, "on another machine the book may look different: name "
                "the family in the style's script_fonts, or add the file to "
                "press.fallback_fonts")


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


def _config_glyphs(project: Project, glyphs: GlyphCheck, language: str) -> list[Diagnostic]:
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
        problems += glyphs.text(text or "", language, project.location_of(*key))
    return problems


def _label_glyphs(project: Project, book: Anthology, language: str,
                  glyphs: GlyphCheck) -> list[Diagnostic]:
    """The words chapbook writes itself in a language, overrides included, and a date and
    a list in its digits and words: a Hindi book of English pieces still needs a face for
    its Devanagari labels. Located at the book's language."""
    labels = language_labels(book, language)
    text = " ".join([labels.pattern(label.key) for label in REGISTRY]
                    + [labels.date(_SAMPLE_DATE), labels.names(["A", "B", "C"])])
    index = next((n for n, b in enumerate(project.config.anthology) if b.slug == book.slug), 0)
    where = (project.location_of("anthology", index, "language")
             if project.config.anthology[index].language else
             project.location_of("press", "language"))
    return glyphs.text(text, language, where)


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
