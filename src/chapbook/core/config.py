"""`chapbook.toml`: a declared schema, one documented field per key, errors located by line."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from chapbook.core.buildsettings import BuildSettings
from chapbook.core.diagnostics import Diagnostic, Location, error
from chapbook.core.isbn import addon_code, price_code
from chapbook.core.labels import override_problems
from chapbook.core.manuscript import (
    LANGUAGE_PATTERN,
    SLUG_PATTERN,
    WORK_KINDS,
    not_reserved,
    parse_rating,
)
from chapbook.core.pagesetup import PageSetup, css_length, trim_size
from chapbook.core.paper import DEFAULT_PAPER, paper
from chapbook.core.schema_errors import plain_reason

CONFIG_NAME = "chapbook.toml"
GROUP_KEYS = ("work.kind", "work.year", "work.platform", "year", "tag", "author", "language")
# Where a piece opens in print: a recto (a blank verso before it if need be), the next
# page, or straight after the piece before it.
Opening = Literal["recto", "page", "run-on"]
ORDER_KEYS = ("date", "-date", "title", "-title", "rating", "-rating", "author", "-author",
              "work", "-work")


# [labels]: `key = "text"` for every language, `[labels.<lang>]` tables of them for one.
# A label's own spaces count (" (p. %(page)s)"): its text is not stripped as other values are.
LABELS_HELP = ("the label keys and the placeholders each takes are listed in README.md, "
               "\"Books in other languages\"")
_TEXT, _TABLE = "label text", "label table"  # the two forms, as pydantic names them in paths


def _label_text(value: object) -> object:
    if not isinstance(value, str):
        raise PydanticCustomError("label_text", "must be a label text")
    return value


def _label_form(value: object) -> str | None:
    """Which form a [labels] value takes; None (one error, not one per form) for neither."""
    return _TEXT if isinstance(value, str) else _TABLE if isinstance(value, dict) else None


LabelText = Annotated[str, StringConstraints(strip_whitespace=False), BeforeValidator(_label_text)]
LabelTable = dict[str, Annotated[
    Annotated[LabelText, Tag(_TEXT)] | Annotated[dict[str, LabelText], Tag(_TABLE)],
    Discriminator(_label_form, custom_error_type="label_value", custom_error_message=(
        "must be a label text, or a table of them named by a language tag"))]]


class _Schema(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Press(_Schema):
    name: str = Field("An Independent Press", description="Publisher shown on title pages.")
    language: str = Field("en", pattern=LANGUAGE_PATTERN,
                          description="Default language of pieces and books.")
    rating_scale: int = Field(5, ge=1, le=100,
                              description="Scale of bare ratings such as `rating: 4`.")
    rights: str | None = Field(None, description="Copyright line for the colophon.")
    url: str | None = Field(None, description="The press's web address.")
    base_url: str | None = Field(None, pattern=r"^https?://[^\s]+$", description="Where "
                                 "build/ will be served, e.g. https://example.org/books/: "
                                 "makes the catalogue's and web edition's links absolute.")
    about: str | None = Field(None, description="About the press (Markdown), at the back.")
    fallback_fonts: list[str] = Field(
        [], description="Font files (relative to the project) for characters the style's "
        "fonts lack, e.g. styles/fonts/NotoNaskhArabic-Regular.ttf.")
    raw_html: Literal["escape", "sanitise"] = Field(
        "escape", description="Raw HTML in manuscripts: shown as text, or sanitised.")


class ContributorInfo(_Schema):
    bio: str | None = Field(None, description="One or two sentences for the contributors page.")
    sort_as: str | None = Field(None, description="Sort key, e.g. 'Seo, Mira'.")
    url: str | None = None


class Selection(_Schema):
    """Which manuscripts an anthology takes; all given conditions must hold."""

    tags_any: list[str] = Field([], description="At least one of these tags.")
    tags_all: list[str] = Field([], description="Every one of these tags.")
    tags_none: list[str] = Field([], description="None of these tags.")
    kind: list[Literal["film", "series", "book", "album", "game", "play", "podcast",
                       "other"]] = Field([], description=f"Kinds of work: {', '.join(WORK_KINDS)}.")
    rating_min: str | float | None = Field(None, description="Lowest rating, e.g. 3 or '7/10'.")
    rating_max: str | float | None = Field(None, description="Highest rating.")
    date_from: dt.date | None = Field(None, description="Earliest date (inclusive).")
    date_to: dt.date | None = Field(None, description="Latest date (inclusive).")
    author: list[str] = Field([], description="Only pieces by one of these people.")
    language: list[str] = Field([], description="Only pieces in these languages.")

    @model_validator(mode="after")
    def _ratings_parse(self) -> Selection:
        for bound in (self.rating_min, self.rating_max):
            if bound is not None:
                parse_rating(bound, 100)  # the form only; the press scale applies later
        return self


class PartConfig(_Schema):
    """An explicit part: its own title, introduction and selection."""

    title: str = Field(min_length=1)
    introduction: str | None = Field(None, description="Markdown shown on the part page.")
    select: Selection = Selection()
    pieces: list[str] = Field([], description="Explicit slugs, in this order.")
    opening: Opening | None = Field(None, description="Where this part's pieces open in "
                                    "print; default: the book's opening.")


class BackMatter(_Schema):
    contributors: bool = Field(True, description="Contributors with bios and their pieces.")
    works_index: bool = Field(True, description="Index of works reviewed.")
    tags_index: bool = Field(False, description="Index of tags.")
    acknowledgements: bool = Field(True, description="Where each piece first appeared.")
    about_press: bool = Field(True, description="The press's `about` text, if any.")


class PrintSettings(_Schema):
    trim: str = Field("a5", description="Trim size: a preset (a5, 6x9in...) or e.g. 130x200mm.")
    profiles: list[Literal["print", "screen"]] = Field(
        ["print"], min_length=1, description="print: bleed, marks, recto openings; "
        "screen: no bleed, no marks, no blank pages (build/<slug>-screen.pdf).")
    bleed: str = Field("3mm", description="Bleed on every side, for the print profile.")
    marks: list[Literal["crop", "cross"]] = Field(["crop"], description="Printer's marks.")
    pdf_variant: Literal["pdf/a-3b", "pdf/ua-1"] | None = Field(
        None, description="PDF/A-3b for archiving, PDF/UA-1 (tagged) for accessibility.")
    # The cover wrap (build/<slug>-cover.pdf, print profile): its spine and barcode.
    paper: str = Field(DEFAULT_PAPER, description="Paper preset, for the cover's spine "
                       "width: white-70...white-100, cream-70...cream-90, kdp-white, kdp-cream.")
    page_thickness: str | None = Field(None, description="Thickness of one page (half the "
                                       "caliper), e.g. '0.06mm'; overrides `paper`.")
    price: str | None = Field(None, description="Price for the barcode's add-on, e.g. "
                              "'USD 14.99' (GBP, AUD, NZD, USD, CAD).")
    price_code: str | None = Field(None, description="The add-on's five digits as given, "
                                   "e.g. '90000' (no price); instead of `price`.")

    def page_setup(self, profile: str) -> PageSetup:
        """The trim, and for the print profile the bleed and marks."""
        width, height = trim_size(self.trim)
        if profile == "screen":
            return PageSetup(profile, width, height, None, ())
        return PageSetup(profile, width, height, self.bleed, tuple(self.marks))

    @model_validator(mode="after")
    def _known_sizes(self) -> PrintSettings:
        trim_size(self.trim)  # raises ValueError naming the presets
        css_length(self.bleed)
        paper(self.paper, self.page_thickness)
        self.addon()
        return self

    def addon(self) -> str | None:
        """The barcode's EAN-5 add-on: from `price_code`, or `price`, or none."""
        if self.price is not None and self.price_code is not None:
            raise ValueError("set either price or price_code, not both")
        if self.price_code is not None:
            return addon_code(self.price_code)
        return price_code(self.price) if self.price is not None else None


class AnthologyConfig(_Schema):
    slug: str = Field(pattern=SLUG_PATTERN, max_length=80,
                      description="Output name: build/<slug>.epub and .pdf.")
    _slug_is_a_file_name = field_validator("slug")(not_reserved)
    title: str = Field(min_length=1)
    subtitle: str | None = None
    editors: list[str] = []
    language: str | None = Field(None, pattern=LANGUAGE_PATTERN)
    description: str | None = Field(None, description="Blurb for the EPUB metadata.")
    style: str = Field("classic", description="A folder in styles/ (project, then built-in).")
    select: Selection = Selection()
    pieces: list[str] = Field([], description="Explicit slugs, in this order (overrides select).")
    order: str = Field("date", description=f"One of: {', '.join(ORDER_KEYS)}.")
    group_by: str | None = Field(None, description=f"Parts by: {', '.join(GROUP_KEYS)}.")
    part: list[PartConfig] = Field([], description="Explicit parts ([[anthology.part]]).")
    foreword: str | None = Field(None, description="Slug of a manuscript printed as foreword.")
    dedication: str | None = None
    epigraph: str | None = None
    epigraph_source: str | None = None
    back: BackMatter = BackMatter()
    formats: list[Literal["epub", "pdf", "html"]] = Field(
        ["epub", "pdf"], description="Editions to build: epub, pdf, html (the web edition).")
    print: PrintSettings = PrintSettings()
    date: dt.date | None = Field(None, description="Publication date (also fixes timestamps).")
    isbn: str | None = None
    edition: str | None = Field(None, description="Edition statement, e.g. 'First edition'.")
    opening: Opening = Field("recto", description="Where pieces open in print: 'recto', "
                             "'page' (the next page) or 'run-on' (after the piece before).")
    cover: str | None = Field(None, description="Cover image (JPEG or PNG) inside the "
                              "project; default: one generated from the title page.")
    labels: LabelTable = Field({}, description="This book's own label overrides, as the "
                               "top-level [labels] table.")

    @model_validator(mode="after")
    def _known_order(self) -> AnthologyConfig:
        if self.order not in ORDER_KEYS:
            raise ValueError(f"order '{self.order}' must be one of {', '.join(ORDER_KEYS)}")
        if self.group_by is not None and self.group_by not in GROUP_KEYS:
            raise ValueError(f"group_by '{self.group_by}' must be one of {', '.join(GROUP_KEYS)}")
        if self.group_by and self.part:
            raise ValueError("use either group_by or [[anthology.part]] tables, not both")
        return self


class Config(_Schema):
    press: Press = Press()
    labels: LabelTable = Field({}, description="Words chapbook writes, by label key: strings "
                               "for every language, [labels.<lang>] tables for one.")
    contributors: dict[str, ContributorInfo] = {}
    anthology: list[AnthologyConfig] = Field([], description="The books: [[anthology]] "
                                             "tables (more from `include` and --books).")
    manuscripts: str = Field("manuscripts", description="Folder of the manuscript pool.")
    include: list[str] = Field([], description="TOML files of more [[anthology]] tables, "
                               "relative to the project.")
    build: BuildSettings = Field(BuildSettings(), description="How a run is built.")

    @model_validator(mode="after")
    def _unique_slugs(self) -> Config:
        slugs = [a.slug for a in self.anthology]
        doubled = sorted({s for s in slugs if slugs.count(s) > 1})
        if doubled:
            raise ValueError(f"anthology slug used twice: {', '.join(doubled)}")
        return self


@dataclass(frozen=True)
class BookSource:
    """Where a book not written in chapbook.toml is defined: a line of a books file (JSON
    Lines), or a table of an included TOML file with the lines of its keys."""

    location: Location  # the file, at the book's line
    key_lines: dict[tuple[str | int, ...], int] = field(default_factory=dict)  # ("select",)

    def location_of(self, *path: str | int) -> Location:
        for end in range(len(path), 0, -1):
            if path[:end] in self.key_lines:
                return self.location.at_line(self.key_lines[path[:end]])
        return self.location


@dataclass(frozen=True)
class Project:
    root: Path
    config: Config
    config_location: Location
    key_lines: dict[tuple[str | int, ...], int]
    # Books defined outside chapbook.toml, by their index in config.anthology
    book_sources: dict[int, BookSource] = field(default_factory=dict)

    def location_of(self, *path: str | int) -> Location:
        """Where a config key is written (its deepest written prefix), for diagnostics."""
        if len(path) > 1 and path[0] == "anthology" and path[1] in self.book_sources:
            return self.book_sources[int(path[1])].location_of(*path[2:])
        for end in range(len(path), 0, -1):
            if path[:end] in self.key_lines:
                return self.config_location.at_line(self.key_lines[path[:end]])
        return self.config_location

    @property
    def manuscripts_dir(self) -> Path:
        return self.root / self.config.manuscripts

    @property
    def fallback_fonts(self) -> tuple[Path, ...]:
        """The press's fallback fonts that exist (the missing ones are reported)."""
        paths = (self.root / name for name in self.config.press.fallback_fonts)
        return tuple(path for path in paths if path.is_file())


def load_project(root: Path) -> tuple[Project | None, list[Diagnostic]]:
    path = root / CONFIG_NAME
    where = Location(CONFIG_NAME)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [error("no-config", f"no {CONFIG_NAME} in {root}", None,
                            "run 'chapbook init DIR' to start a project, or cd into one")]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [error("bad-config", f"cannot read {CONFIG_NAME}: {exc}", where)]
    return project_from_toml(text, root, where)


def project_from_toml(text: str, root: Path,
                      where: Location) -> tuple[Project | None, list[Diagnostic]]:
    """A project whose config is this TOML text (located at `where`)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return None, [_toml_syntax_error(exc, where)]
    return project_from_data(data, root, where, toml_key_lines(text))


def project_from_data(data: Any, root: Path, where: Location,
                      lines: dict[tuple[str | int, ...], int] | None = None
                      ) -> tuple[Project | None, list[Diagnostic]]:
    """A project whose config is these values (parsed TOML, or a dict from the Python API;
    `lines`: where each key is written, when known)."""
    lines = lines or {}
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        return None, [_config_error(item, lines, where) for item in exc.errors()]
    project = Project(root, config, where, lines)
    problems = label_problems(project)
    return (None, problems) if problems else (project, [])


def label_problems(project: Project) -> list[Diagnostic]:
    """Overrides of labels that do not exist, or whose placeholders are not the label's;
    tables named by something that is not a language tag."""
    tables: list[tuple[tuple[str | int, ...], LabelTable]] = [(("labels",), project.config.labels)]
    tables += [(("anthology", n, "labels"), book.labels)
               for n, book in enumerate(project.config.anthology)]
    problems = []
    for prefix, table in tables:
        problems += [error("config-invalid", f"'{_display_path((*prefix, tag))}': a table of "
                           "labels must be named by a language tag such as ko or pt-BR",
                           project.location_of(*prefix, tag))
                     for tag, value in table.items()
                     if isinstance(value, dict) and not re.fullmatch(LANGUAGE_PATTERN, tag)]
        for found in override_problems(table):
            path = (*prefix, *found.path)
            code = "unknown-label" if found.kind == "unknown" else "bad-label"
            problems.append(error(code, f"'{_display_path(path)}': {found.message}",
                                  project.location_of(*path), LABELS_HELP))
    return problems


_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def _toml_syntax_error(exc: tomllib.TOMLDecodeError, where: Location) -> Diagnostic:
    message = str(exc)
    found = _TOML_POSITION.search(message)
    line, col = (int(found.group(1)), int(found.group(2))) if found else (None, None)
    reason = _TOML_POSITION.sub("", message).strip()
    return error("config-syntax", f"invalid TOML: {reason}", where.at_line(line, col))


def _config_error(item: Any, lines: dict[tuple[str | int, ...], int],
                  where: Location) -> Diagnostic:
    path = tuple(part for part in item["loc"] if part not in (_TEXT, _TABLE))
    line = next((lines[path[:end]] for end in range(len(path), 0, -1) if path[:end] in lines),
                None)
    key = _display_path(path) or "chapbook.toml"
    if item["type"] == "extra_forbidden":
        return error("config-unknown-key", f"unknown key '{key}'", where.at_line(line),
                     "see the configuration reference in README.md")
    if item["type"] in ("label_value", "label_text"):
        return error("bad-label", f"'{key}': {plain_reason(item)}", where.at_line(line),
                     LABELS_HELP)
    return error("config-invalid", f"'{key}': {plain_reason(item)}", where.at_line(line),
                 "see the configuration reference in README.md")


def _display_path(path: tuple[str | int, ...]) -> str:
    shown = ""
    for part in path:
        shown += f"[{part}]" if isinstance(part, int) else (f".{part}" if shown else part)
    return shown


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_ASSIGN = re.compile(r"^\s*((?:\"[^\"]*\"|'[^']*'|[A-Za-z0-9_.\- \"']+?))\s*=")


def toml_key_lines(text: str) -> dict[tuple[str | int, ...], int]:
    """Map key paths to the line that defines them ('anthology', 1, 'select') -> 27.

    tomllib does not report positions, so the source is scanned for table headers and
    assignments. Keys inside inline tables resolve to the line of the inline table.
    """
    lines: dict[tuple[str | int, ...], int] = {}
    array_counts: dict[tuple[str, ...], int] = {}
    table: tuple[str | int, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            keys = tuple(_split_dotted(header.group(2)))
            if header.group(1) == "[[":
                index = array_counts.get(keys, 0)
                array_counts[keys] = index + 1
                table = (*_in_arrays(keys[:-1], array_counts), keys[-1], index)
            else:
                table = _in_arrays(keys, array_counts)
            lines.setdefault(table, number)
            continue
        assign = _ASSIGN.match(line)
        if assign:
            lines.setdefault((*table, *_split_dotted(assign.group(1))), number)
    return lines


def _in_arrays(keys: tuple[str, ...],
               array_counts: dict[tuple[str, ...], int]) -> tuple[str | int, ...]:
    """`[anthology.select]` after `[[anthology]]` belongs to the latest anthology."""
    path: list[str | int] = []
    for depth, key in enumerate(keys):
        path.append(key)
        count = array_counts.get(keys[: depth + 1])
        if count:
            path.append(count - 1)
    return tuple(path)


def _split_dotted(key: str) -> list[str]:
    return [part.strip().strip("\"'") for part in re.findall(r"\"[^\"]*\"|'[^']*'|[^.]+", key)]


def schema_error(item: Any, lines: dict[tuple[str | int, ...], int],
                 where: Location) -> Diagnostic:
    """A schema refusal located by key path, for files of books as for chapbook.toml."""
    return _config_error(item, lines, where)
