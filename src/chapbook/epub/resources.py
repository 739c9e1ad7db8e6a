"""What an EPUB carries besides its documents: the cover, images, fonts and their licences.

Each resource is listed with the file name the documents use for it, so the EPUB writer
only has to package its bytes. Fonts are those the EPUB stylesheet loads, subset to the
characters of the rendered documents; the style's licence files come along.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from chapbook.core.anthology import Anthology
from chapbook.core.diagnostics import Diagnostic, Location, warning
from chapbook.core.images import CoverImage
from chapbook.core.workers import Workers
from chapbook.epub.fonts import (
    FONT_TYPES,
    PendingSubsets,
    characters_of,
    font_references,
    is_licence,
    start_subsets,
)
from chapbook.render.epub_documents import EPUB_CSS_HREF, EpubRendition
from chapbook.render.styles import Style

LICENCE_FOLDER = "fonts"


@dataclass(frozen=True)
class EpubResource:
    file_name: str  # relative to the package folder, as documents refer to it
    media_type: str
    properties: tuple[str, ...] = ()  # e.g. cover-image


class EpubResources:
    """An EPUB's resources. What the package lists (`listed`) is known at once; the bytes
    (`contents`) may wait for fonts still being subset in the build's workers, so that the
    package is made and the documents are zipped meanwhile."""

    def __init__(self, listed: list[tuple[EpubResource, bytes | None]],
                 fonts: list[tuple[str, str, Path]], subsets: PendingSubsets | None,
                 problems: list[Diagnostic]) -> None:
        self.listed = [resource for resource, _ in listed]
        self._ready = {resource.file_name: data for resource, data in listed if data is not None}
        self._fonts, self._subsets, self._problems = fonts, subsets, problems

    def contents(self) -> tuple[dict[str, bytes], list[Diagnostic]]:
        """The bytes of every listed resource, by file name, and what went wrong making them."""
        files, problems = dict(self._ready), list(self._problems)
        subsets = self._subsets.result() if self._subsets else []
        for (reference, name, source), subset in zip(self._fonts, subsets, strict=True):
            files[name], problem = _subset_or_whole(source, subset, reference)
            problems += problem
        return files, problems


def epub_resources(anthology: Anthology, style: Style, rendition: EpubRendition,
                   cover: CoverImage | None, font_cache: Path | None = None,
                   workers: Workers | None = None) -> EpubResources:
    """`font_cache`: a folder where subset fonts are kept between builds; `workers`: the
    build's worker processes, to subset fonts in (they are started here, not waited for)."""
    listed: list[tuple[EpubResource, bytes | None]] = [
        (EpubResource(cover.name, cover.media_type, ("cover-image",)), cover.data)
    ] if cover else []
    listed += _images(anthology)
    fonts, problems = _fonts(style, rendition.stylesheet)
    subsets = start_subsets([source for _, _, source in fonts],
                            characters_of([rendition.stylesheet,
                                           *(d.xhtml for d in rendition.documents)]),
                            font_cache, workers) if fonts else None
    listed += [(EpubResource(name, FONT_TYPES[source.suffix.lower()]), None)
               for _, name, source in fonts]
    if fonts:
        listed += [(EpubResource(f"{LICENCE_FOLDER}/{path.name}", "text/plain"),
                    path.read_bytes()) for path in style.files("fonts") if is_licence(path)]
    return EpubResources(listed, fonts, subsets, problems)


def _images(anthology: Anthology) -> list[tuple[EpubResource, bytes | None]]:
    """Each image of each piece once (pieces may share one), by its content-derived name."""
    assets = {asset.name: asset for piece in anthology.all_pieces for asset in piece.images}
    return [(EpubResource(name, asset.media_type), asset.path.read_bytes())
            for name, asset in sorted(assets.items())]


def _fonts(style: Style, stylesheet: str) -> tuple[list[tuple[str, str, Path]], list[Diagnostic]]:
    """The fonts the stylesheet loads: (reference, name in the EPUB, file of the style)."""
    css_folder = PurePosixPath(EPUB_CSS_HREF).parent
    found: list[tuple[str, str, Path]] = []
    problems: list[Diagnostic] = []
    for reference in font_references(stylesheet):
        name = _normalise(css_folder / reference)
        try:
            found.append((reference, name, style.find(name)))
        except FileNotFoundError:
            problems.append(warning("style-css", f"css/epub.css loads '{reference}', which "
                                    f"style '{style.name}' does not have",
                                    Location("css/epub.css"), "add the file to the style's "
                                    "fonts/ folder, or remove the @font-face rule"))
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
