"""What an EPUB carries besides its documents: the cover, images, fonts and their licences.

Each resource is bytes with the file name the documents use for it, so the EPUB writer
only has to package them. Fonts are those the EPUB stylesheet loads, subset to the
characters of the rendered documents; the style's licence files come along.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .anthology import Anthology
from .cover import CoverImage
from .diagnostics import Diagnostic, Location, warning
from .fonts import FONT_TYPES, characters_of, font_references, is_licence, subset_fonts
from .render import EPUB_CSS_HREF, EpubRendition
from .styles import Style
from .workers import LazyPool

LICENCE_FOLDER = "fonts"


@dataclass(frozen=True)
class EpubResource:
    file_name: str  # relative to the package folder, as documents refer to it
    media_type: str
    data: bytes
    properties: tuple[str, ...] = ()  # e.g. cover-image


def epub_resources(anthology: Anthology, style: Style, rendition: EpubRendition,
                   cover: CoverImage | None, font_cache: Path | None = None,
                   workers: LazyPool | None = None) -> tuple[list[EpubResource], list[Diagnostic]]:
    """`font_cache`: a folder where subset fonts are kept between builds; `workers`: the
    build's worker processes, to subset fonts in."""
    resources = [EpubResource(cover.name, cover.media_type, cover.data, ("cover-image",))
                 ] if cover else []
    resources += _images(anthology)
    fonts, problems = _fonts(style, rendition, font_cache, workers)
    return resources + fonts, problems


def _images(anthology: Anthology) -> list[EpubResource]:
    """Each image of each piece once (pieces may share one), by its content-derived name."""
    assets = {asset.name: asset for piece in anthology.all_pieces for asset in piece.images}
    return [EpubResource(name, asset.media_type, asset.path.read_bytes())
            for name, asset in sorted(assets.items())]


def _fonts(style: Style, rendition: EpubRendition, cache: Path | None,
           workers: LazyPool | None) -> tuple[list[EpubResource], list[Diagnostic]]:
    characters = characters_of([rendition.stylesheet, *(d.xhtml for d in rendition.documents)])
    css_folder = PurePosixPath(EPUB_CSS_HREF).parent
    sources: list[tuple[str, str, Path]] = []  # (reference, name in the EPUB, file)
    problems: list[Diagnostic] = []
    for reference in font_references(rendition.stylesheet):
        name = _normalise(css_folder / reference)
        try:
            sources.append((reference, name, style.find(name)))
        except FileNotFoundError:
            problems.append(warning("style-css", f"css/epub.css loads '{reference}', which "
                                    f"style '{style.name}' does not have",
                                    Location("css/epub.css"), "add the file to the style's "
                                    "fonts/ folder, or remove the @font-face rule"))
    subsets = subset_fonts([source for _, _, source in sources], characters, cache, workers)
    found: list[EpubResource] = []
    for (reference, name, source), subset in zip(sources, subsets, strict=True):
        data, problem = _subset_or_whole(source, subset, reference)
        problems += problem
        found.append(EpubResource(name, FONT_TYPES[source.suffix.lower()], data))
    if found:
        found += [EpubResource(f"{LICENCE_FOLDER}/{path.name}", "text/plain", path.read_bytes())
                  for path in style.files("fonts") if is_licence(path)]
    return found, problems


def _subset_or_whole(source: Path, subset: bytes | Exception,
                     reference: str) -> tuple[bytes, list[Diagnostic]]:
    """The subset font; a font fontTools cannot read goes in whole, with a warning."""
    if isinstance(subset, bytes):
        return subset, []
    return source.read_bytes(), [warning(
        "font-not-subset", f"font '{reference}' could not be subset ({type(subset).__name__}:"
        f" {subset}); it is embedded whole", Location(str(source)),
        "check that the file is a valid TrueType or OpenType font")]


def _normalise(path: PurePosixPath) -> str:
    """`css/../fonts/X.ttf` -> `fonts/X.ttf` (package-relative, no `..`)."""
    parts: list[str] = []
    for part in path.parts:
        if part == "..":
            if parts:
                parts.pop()
        elif part not in (".", "", "/"):
            parts.append(part)
    return "/".join(parts)
