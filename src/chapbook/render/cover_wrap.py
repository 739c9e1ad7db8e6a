"""The print cover wrap's geometry and HTML: back, spine and front on one sheet.

chapbook owns the geometry (where the panels, folds and safe areas are, from the trim,
the bleed and the spine) and writes it as CSS; the style owns the design, in
`templates/cover/wrap.html.j2` and `css/cover-wrap.css` (a project style overrides
either, as it does the other templates). The front is the generated cover's design
(`cover/cover.html.j2`, laid out on its own and placed by `pdf/coverwrap.py`) or the
configured cover image, which this HTML places over the front panel and its bleed.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from chapbook.core.anthology import Anthology
from chapbook.core.isbn import hyphenless, isbn13
from chapbook.core.language import direction
from chapbook.core.pagesetup import POINTS_PER_UNIT, css_length, trim_size
from chapbook.render.barcode import barcode_svg
from chapbook.render.context import MarkupLabels, book_labels
from chapbook.render.styles import Style

MM_PER_PT = 1 / POINTS_PER_UNIT["mm"]
SAFETY_MM = 5.0  # text keeps this far from the trim and from the folds, on back and front
FOLD_MM = 1.6  # spine text keeps this far from each fold (1/16 in, as printers ask)
SPINE_TEXT_MIN_MM = 6.0  # a narrower spine carries no text
SPINE_CONTENTS = ("full", "title", "none")  # what the spine shows, most first
SPINE_SMALLEST_PT = 6.0  # the spine's text is never set smaller


@dataclass(frozen=True)
class Rect:
    """A rectangle on the sheet, in mm from the top left."""

    x0: float
    y0: float
    x1: float
    y1: float

    def inset(self, dx: float, dy: float) -> Rect:
        """Smaller by dx and dy on each side (a line, not less, if it is too small)."""
        x, y = (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2
        return Rect(min(self.x0 + dx, x), min(self.y0 + dy, y), max(self.x1 - dx, x),
                    max(self.y1 - dy, y))


@dataclass(frozen=True)
class WrapGeometry:
    """The sheet: bleed, back, spine, front, bleed (front first for a right-to-left book,
    which opens the other way), all in mm."""

    trim_w: float
    trim_h: float
    bleed: float
    spine: float
    rtl: bool = False

    @property
    def sheet_w(self) -> float:
        return 2 * self.bleed + 2 * self.trim_w + self.spine

    @property
    def sheet_h(self) -> float:
        return self.trim_h + 2 * self.bleed

    def panel(self, name: str) -> Rect:
        """The trimmed panel: 'back', 'spine' or 'front'."""
        left = self.bleed
        right = self.bleed + self.trim_w + self.spine
        x = {"spine": self.bleed + self.trim_w,
             "back": right if self.rtl else left, "front": left if self.rtl else right}[name]
        width = self.spine if name == "spine" else self.trim_w
        return Rect(x, self.bleed, x + width, self.bleed + self.trim_h)

    def safe(self, name: str) -> Rect:
        """Where a panel's text may go: the panel less the safety margin (the spine: less
        the fold margin across, the safety margin along)."""
        if name == "spine":
            return self.panel(name).inset(FOLD_MM, SAFETY_MM)
        return self.panel(name).inset(SAFETY_MM, SAFETY_MM)

    @property
    def trim_box(self) -> Rect:
        return Rect(self.bleed, self.bleed, self.sheet_w - self.bleed, self.sheet_h - self.bleed)

    @property
    def spine_takes_text(self) -> bool:
        return self.spine >= SPINE_TEXT_MIN_MM


def wrap_geometry(book: Anthology, spine_mm: float) -> WrapGeometry:
    settings = book.config.print
    width, height = (css_length(size) * MM_PER_PT for size in trim_size(settings.trim))
    return WrapGeometry(width, height, css_length(settings.bleed) * MM_PER_PT, spine_mm,
                        direction(book.language) == "rtl")


def geometry_css(geometry: WrapGeometry, spine: str, spine_pt: float) -> str:
    """The sheet, its panels and their safe areas as CSS; the spine showing `spine`
    ('full', 'title' or 'none') at `spine_pt` points."""
    g = geometry
    rules = [f"@page {{ size: {g.sheet_w:.3f}mm {g.sheet_h:.3f}mm; margin: 0; }}",
             f".sheet {{ width: {g.sheet_w:.3f}mm; height: {g.sheet_h:.3f}mm; }}"]
    for name in ("back", "spine", "front"):
        panel, safe = g.panel(name), g.safe(name)
        rules.append(f".panel.{name} {{ {_place(panel)} }}")
        rules.append(f".panel.{name} > .safe {{ {_place(safe, panel)} }}")
    front = g.panel("front")
    art = Rect(0 if g.rtl else front.x0, 0, front.x1 if g.rtl else g.sheet_w, g.sheet_h)
    rules.append(f".front-art {{ {_place(art)} }}")
    safe = g.safe("spine")
    along, across = safe.y1 - safe.y0, safe.x1 - safe.x0
    # The spine's line: as long as the spine's safe area is tall, turned a quarter about
    # its middle to lie along the spine (the style says which way it reads).
    rules.append(f".spine-line {{ position: absolute; width: {along:.3f}mm; "
                 f"height: {across:.3f}mm; left: {(across - along) / 2:.3f}mm; "
                 f"top: {(along - across) / 2:.3f}mm; font-size: {spine_pt:.2f}pt; }}")
    hidden = {"full": [], "title": [".spine-editors", ".spine-press"],
              "none": [".spine-line"]}[spine]
    rules += [f"{selector} {{ display: none; }}" for selector in hidden]
    return "\n".join(rules) + "\n"


def _place(rect: Rect, within: Rect | None = None) -> str:
    x, y = (within.x0, within.y0) if within else (0.0, 0.0)
    return (f"position: absolute; left: {rect.x0 - x:.3f}mm; top: {rect.y0 - y:.3f}mm; "
            f"width: {rect.x1 - rect.x0:.3f}mm; height: {rect.y1 - rect.y0:.3f}mm;")


def spine_sizes(geometry: WrapGeometry) -> list[float]:
    """Type sizes (pt) to try on the spine, largest first: about half the room across,
    at most 11 pt, then 15 % smaller each time, down to 6 pt."""
    room_pt = (geometry.spine - 2 * FOLD_MM) / MM_PER_PT
    sizes = [min(11.0, room_pt * 0.55)]
    while sizes[-1] * 0.85 > SPINE_SMALLEST_PT:
        sizes.append(sizes[-1] * 0.85)
    return [size for size in sizes if size >= SPINE_SMALLEST_PT] + [SPINE_SMALLEST_PT]


def render_wrap_html(book: Anthology, style: Style, palette: int,
                     front_image: str | None) -> str:
    """The wrap's HTML: `front_image` is the configured cover's URL (None: the front is
    the generated cover, placed over the sheet afterwards)."""
    labels = MarkupLabels(book_labels(book))
    template = style.environment.select_template(["cover/wrap.html.j2",
                                                  "!classic/cover/wrap.html.j2"])
    return template.render(book=book, l=labels, palette=palette, front_image=front_image,
                           barcode=_barcode(book, style))


def _barcode(book: Anthology, style: Style) -> Markup | None:
    """The ISBN's barcode, captioned as ISO 2108 asks ('ISBN' in Latin letters in every
    language, then the number as written if it is an ISBN-13)."""
    if book.config.isbn is None:
        return None
    code = isbn13(book.config.isbn)
    written = book.config.isbn.strip()
    shown = written if hyphenless(written) == code else code
    family = style.fonts[0].family if style.fonts else "serif"
    return Markup(barcode_svg(code, escape(f"ISBN {shown}"), book.config.print.addon(),
                              escape(family)))
