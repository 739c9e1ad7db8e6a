"""Styles: folders of templates, CSS and fonts, looked up in layers.

A style is `styles/<name>/` in the project, or built in, or both: a project file replaces
the built-in file of the same path. A style's `style.toml` may name a parent style
(`inherits = "classic"`); the parent's folders then sit below the child's, so the child
holds only what differs. Templates and fonts come from the first layer that has them;
the print and EPUB style sheets cascade, the root ancestor's first, so a child's
`css/print.css` only overrides rules. A template can extend a built-in one explicitly
with `{% extends "!classic/print/book.html.j2" %}`.
"""

from __future__ import annotations

import contextlib
import shutil
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Literal

import jinja2
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from chapbook.core.diagnostics import Diagnostic, Location, error
from chapbook.core.files import NotWritten
from chapbook.core.paths import builtin_styles_dir
from chapbook.render.fontfaces import (
    FontFace,
    families_css,
    font_face_css,
    font_family,
    inked_chars,
)

MANIFEST = "style.toml"
# Languages whose ideographs the built-in style sheets set in the language's own face
# (language_fonts) before the style's: a Korean face draws them the Korean way.
OWN_FACES_FIRST = frozenset({"ja", "zh", "yue"})
MAX_DEPTH = 8  # inheritance chains longer than this are surely a loop


def builtin_style_names() -> list[str]:
    return sorted(p.name for p in builtin_styles_dir().iterdir()
                  if (p / "templates").is_dir() or (p / MANIFEST).is_file())


class FontSpec(BaseModel):
    """One font file of a style, as `[[fonts]]` in style.toml declares it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    family: str = Field(min_length=1, description="The CSS family name the style sheets use.")
    file: str = Field(min_length=1, description="Path inside the style, e.g. fonts/X.ttf.")
    style: Literal["normal", "italic"] = "normal"
    weight: Literal["normal", "bold", "100", "200", "300", "400", "500", "600", "700", "800",
                    "900"] = "normal"


class StyleManifest(BaseModel):
    """`style.toml`: what a style says about itself."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    description: str = Field("", description="One line for `chapbook styles list`.")
    inherits: str | None = Field(None, description="A parent style: its files sit below.")
    fonts: tuple[FontSpec, ...] | None = Field(
        None, description="The style's fonts; a style without the key uses its parent's.")
    fallback_fonts: tuple[str, ...] = Field(
        (), description="Font files (in the style) tried for characters the fonts lack.")
    script_fonts: tuple[str, ...] | None = Field(
        None, description="Installed font families for the scripts the fonts lack, tried "
        "after them and the fallback fonts; may end with a generic family (serif). A style "
        "without the key uses its parent's.")
    language_fonts: dict[str, tuple[str, ...]] | None = Field(
        None, description="Per language tag (ja, zh-Hant...), families a piece in that "
        "language tries before script_fonts. A style without the key uses its parent's.")


@dataclass(frozen=True)
class Style:
    name: str
    layers: tuple[Path, ...]  # every folder, own then inherited, highest priority first
    chain: tuple[tuple[Path, ...], ...] = ()  # each style's folders: own, parent, ...
    description: str = ""
    fonts: tuple[FontFace, ...] = ()
    fallback_fonts: tuple[Path, ...] = ()  # the style's, then the press's
    script_fonts: tuple[str, ...] = ()  # installed families, perhaps a generic family last
    language_fonts: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (tag, families)

    def find(self, relative: str) -> Path:
        """The first layer's copy of a style file (CSS, font...)."""
        found = _first(self.layers, relative)
        if found is None:
            raise FileNotFoundError(f"style '{self.name}' has no file '{relative}'")
        return found

    def files(self, folder: str) -> list[Path]:
        """Every file in a style folder, higher layers shadowing lower ones."""
        found: dict[str, Path] = {}
        for layer in reversed(self.layers):
            directory = layer / folder
            if directory.is_dir():
                found.update({p.name: p for p in directory.iterdir() if p.is_file()})
        return [found[name] for name in sorted(found)]

    def stylesheets(self, relative: str) -> tuple[Path, ...]:
        """A style sheet of every style in the chain, the root ancestor's first."""
        found = (_first(folders, relative) for folders in reversed(self.chain or (self.layers,)))
        return tuple(path for path in found if path is not None)

    def stylesheet_text(self, relative: str) -> str:
        """The cascaded style sheets as one text (the EPUB carries a single style sheet)."""
        return "\n".join(path.read_text(encoding="utf-8") for path in self.stylesheets(relative))

    @cached_property  # once a style: every print chunk's job carries it
    def font_css(self) -> str:
        """@font-face rules for the style's fonts and fallbacks, `--fallback-fonts`, and
        `--script-fonts` for each language.

        Generated, not written in the style sheets, so that a font file is found in
        whichever layer has it and a press can add fallbacks without editing a style.
        """
        rules = [font_face_css(face) for face in self.fonts]
        names = [f"chapbook-fallback-{n}" for n in range(1, len(self.fallback_fonts) + 1)]
        rules += [font_face_css(FontFace(name, path))
                  for name, path in zip(names, self.fallback_fonts, strict=True)]
        stack = ", ".join(f'"{name}"' for name in names) or '"chapbook-no-fallback"'
        rules.append(f":root {{ --fallback-fonts: {stack}; }}")
        return "\n".join(rules + self._script_font_rules()) + "\n"

    def _script_font_rules(self) -> list[str]:
        """Every element with a language starts from the default list, so a piece in one
        language never inherits another's faces (Chinese and Japanese draw one ideograph
        differently); a tag's own faces come first. General tags before their subtags."""
        rules = [f":root {{ --every-script-font: {families_css(self.script_fonts)}; }}",
                 ":root, [lang] { --script-fonts: var(--every-script-font); }"]
        for tag, families in sorted(self.language_fonts, key=lambda item: item[0].count("-")):
            rules.append(f'[lang|="{tag}" i] {{ --script-fonts: {families_css(families)}, '
                         "var(--every-script-font); }")
        return rules

    def script_fonts_for(self, language: str) -> tuple[str, ...]:
        """The script font list a piece in `language` gets (the generated CSS's choice)."""
        return tuple(dict.fromkeys((*self.language_fonts_for(language), *self.script_fonts)))

    def language_fonts_for(self, language: str) -> tuple[str, ...]:
        """The faces `language_fonts` gives a language: its most specific tag's."""
        tags = [tag for tag, _ in self.language_fonts
                if language.casefold() == tag.casefold()
                or language.casefold().startswith(tag.casefold() + "-")]
        best = max(tags, key=lambda tag: tag.count("-"), default=None)
        return dict(self.language_fonts).get(best, ()) if best else ()

    @property
    def all_font_files(self) -> tuple[Path, ...]:
        """Every font a character may be drawn with: the style's, then the fallbacks."""
        return tuple(dict.fromkeys([face.path for face in self.fonts]
                                   + list(self.fallback_fonts)))

    def typefaces_for(self, text: str, language: str) -> tuple[str, ...]:
        """The families that set `text` (a book's own words, in its language), for the
        colophon: the style's faces that draw its letters (names read from the font
        files), then, for letters none draws, the faces the language asks for."""
        letters = {ord(char) for char in text if unicodedata.category(char)[0] == "L"}
        own = self.language_fonts_for(language)[:1]
        names: list[str] = []
        if own and language.casefold().split("-")[0] in OWN_FACES_FIRST:
            names += own  # the style sheets leave the style's Korean face out of these
            letters = {code for code in letters if unicodedata.east_asian_width(
                chr(code)) not in ("W", "F")}
        for face in self.fonts:
            drawn = letters & inked_chars(face.path)[1]
            if drawn:
                names.append(font_family(face.path))
                letters -= drawn
        if letters:
            names += own
        return tuple(dict.fromkeys(name for name in names if name))

    @cached_property
    def environment(self) -> jinja2.Environment:
        builtin = builtin_styles_dir()
        loader = jinja2.ChoiceLoader([
            jinja2.FileSystemLoader([str(layer / "templates") for layer in self.layers]),
            jinja2.PrefixLoader({f"!{name}": jinja2.FileSystemLoader(
                str(builtin / name / "templates")) for name in builtin_style_names()}),
        ])
        return jinja2.Environment(loader=loader, autoescape=True,
                                  undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


def keep_compiled_templates(style: Style, folder: Path) -> None:
    """Keep the style's templates compiled in `folder` between builds (Jinja checks each
    against its source), instead of compiling them again on every build."""
    style.environment.bytecode_cache = _QuietBytecodeCache(folder)


class _QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
    """A template cache that cannot be read or written costs time, never the build."""

    def __init__(self, folder: Path) -> None:
        super().__init__(str(folder))
        self.folder = folder

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # damaged: compiled again (and the file replaced)
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            super().dump_bytecode(bucket)


def _first(folders: tuple[Path, ...], relative: str) -> Path | None:
    return next((folder / relative for folder in folders if (folder / relative).is_file()), None)


def style_folders(name: str, project_root: Path) -> tuple[Path, ...]:
    """The folders of one style (no parents): the project's, then the built-in one."""
    candidates = (project_root / "styles" / name, builtin_styles_dir() / name)
    # dict.fromkeys: in a source checkout the project's styles/ is the built-in one
    return tuple(dict.fromkeys(f.resolve() for f in candidates if f.is_dir()))


def load_style(name: str, project_root: Path,
               press_fallbacks: tuple[Path, ...] = ()) -> tuple[Style | None, list[Diagnostic]]:
    """Resolve a style and its ancestors; problems with them come back as diagnostics."""
    chain: list[tuple[Path, ...]] = []
    manifests: list[StyleManifest] = []
    current: str | None = name
    while current is not None:
        folders = style_folders(current, project_root)
        if not folders:
            child = _manifest_location(chain[-1], project_root) if chain else None
            return None, [_unknown(current, child)]
        if len(chain) == MAX_DEPTH or folders in chain:
            return None, [error("bad-style", f"style '{name}' inherits from itself",
                                _manifest_location(chain[0], project_root))]
        manifest, problems = read_manifest(folders, project_root)
        if manifest is None:
            return None, problems
        chain.append(folders)
        manifests.append(manifest)
        current = manifest.inherits
    return _assemble(name, tuple(chain), manifests, press_fallbacks, project_root)


def _assemble(name: str, chain: tuple[tuple[Path, ...], ...], manifests: list[StyleManifest],
              press_fallbacks: tuple[Path, ...],
              project_root: Path) -> tuple[Style | None, list[Diagnostic]]:
    layers = tuple(folder for folders in chain for folder in folders)
    specs = next((m.fonts for m in manifests if m.fonts is not None), ())
    problems: list[Diagnostic] = []
    faces: list[FontFace] = []
    for spec in specs:
        path = _first(layers, spec.file)
        if path is None:
            problems.append(_missing_font(spec.file, chain, project_root))
        else:
            faces.append(FontFace(spec.family, path, spec.style, spec.weight))
    fallbacks: list[Path] = []
    for manifest in manifests:
        for relative in manifest.fallback_fonts:
            path = _first(layers, relative)
            if path is None:
                problems.append(_missing_font(relative, chain, project_root))
            else:
                fallbacks.append(path)
    if problems:
        return None, problems
    scripts = next((m.script_fonts for m in manifests if m.script_fonts is not None), ())
    languages = next((m.language_fonts for m in manifests if m.language_fonts is not None), {})
    style = Style(name, layers, chain, manifests[0].description, tuple(faces),
                  tuple(dict.fromkeys([*fallbacks, *press_fallbacks])), scripts,
                  tuple(languages.items()))
    return style, []


def read_manifest(folders: tuple[Path, ...],
                  project_root: Path) -> tuple[StyleManifest | None, list[Diagnostic]]:
    """The first layer's style.toml (a project copy replaces the built-in one whole)."""
    path = _first(folders, MANIFEST)
    if path is None:
        return StyleManifest(), []
    where = Location(_shown(path, project_root))
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return StyleManifest.model_validate(data), []
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return None, [error("bad-style", f"cannot read {MANIFEST}: {exc}", where)]
    except ValidationError as exc:
        return None, [error("bad-style", f"'{'.'.join(str(p) for p in item['loc'])}': "
                            f"{item['msg']}", where) for item in exc.errors()]


def _unknown(name: str, where: Location | None) -> Diagnostic:
    known = ", ".join(builtin_style_names())
    return error("unknown-style", f"no style named '{name}'", where,
                 f"built-in styles: {known}; or create styles/{name}/ in the project")


def _missing_font(relative: str, chain: tuple[tuple[Path, ...], ...],
                  project_root: Path) -> Diagnostic:
    return error("bad-style", f"font file '{relative}' is in none of the style's folders",
                 _manifest_location(chain[0], project_root),
                 "put the file in the style's fonts/ folder, or fix the path in style.toml")


def _manifest_location(folders: tuple[Path, ...], project_root: Path) -> Location:
    path = _first(folders, MANIFEST) or folders[0] / MANIFEST
    return Location(_shown(path, project_root))


def _shown(path: Path, project_root: Path) -> str:
    """A style file as the user knows it: styles/<name>/... (project or built-in)."""
    if path.is_relative_to(project_root):
        return path.relative_to(project_root).as_posix()
    parts = path.parts
    return "/".join(parts[len(parts) - 1 - parts[::-1].index("styles"):]) \
        if "styles" in parts else path.as_posix()


@dataclass(frozen=True)
class StyleListing:
    name: str
    description: str
    inherits: str | None
    where: str  # "built-in", "project", or "project, over built-in"


def list_styles(project_root: Path) -> list[StyleListing]:
    """Every style a project can use: its own styles/ folders and the built-in ones."""
    own = project_root / "styles"
    names = set(builtin_style_names())
    if own.is_dir():
        names |= {p.name for p in own.iterdir()
                  if p.is_dir() and ((p / "templates").is_dir() or (p / MANIFEST).is_file())}
    listings = []
    for name in sorted(names):
        folders = style_folders(name, project_root)
        manifest, _ = read_manifest(folders, project_root)
        kinds = ["built-in" if f.is_relative_to(builtin_styles_dir().resolve()) else "project"
                 for f in folders]
        where = "project, over built-in" if len(kinds) == 2 else kinds[0]
        listings.append(StyleListing(name, manifest.description if manifest else "(style.toml "
                                     "has errors)", manifest.inherits if manifest else None,
                                     where))
    return listings


def copy_style(name: str, project_root: Path, new_name: str | None = None) -> Path:
    """Copy a built-in style into the project's styles/ to start from. Never overwrites."""
    source = builtin_styles_dir() / name
    if name not in builtin_style_names():
        raise NotWritten(f"no built-in style named '{name}' "
                             f"(built-in styles: {', '.join(builtin_style_names())})")
    target_name = new_name or name
    if not target_name or "/" in target_name or target_name.startswith("."):
        raise NotWritten(f"'{target_name}' is not a style name: use a folder name "
                             "such as house")
    target = project_root / "styles" / target_name
    if target.exists():
        raise NotWritten(f"styles/{target_name} already exists; nothing was copied")
    shutil.copytree(source, target)
    return target
