"""Paper for the print edition: how thick a page is, so that the cover's spine fits.

The spine is the page count times the thickness of a page. A leaf (two pages) is as
thick as the paper's caliper, so a page is half of it. Offset papers are sold by weight
(g/m²); their caliper is the weight times the paper's bulk (cm³/g): uncoated white
offset runs at about 1.25, cream book wove at about 1.5 (e.g. Arctic Paper's Munken
Premium Cream 1.5 and Munken Print White at 1.25-1.3; mills publish the caliper of each
stock in µm). Ask the printer for theirs: `page_thickness` takes it.
"""

from __future__ import annotations

from dataclasses import dataclass

from chapbook.core.pagesetup import POINTS_PER_UNIT, css_length

MM_PER_INCH = 25.4


@dataclass(frozen=True)
class Paper:
    name: str  # as the build output shows it: "cream 80 g/m²"
    page_mm: float  # thickness of one page: half the caliper of a leaf


def _offset(colour: str, grams: int, bulk: float) -> Paper:
    """A page of `grams` g/m² offset paper of `bulk` cm³/g: caliper = grams x bulk µm."""
    return Paper(f"{colour} {grams} g/m²", grams * bulk / 1000 / 2)


WHITE_BULK, CREAM_BULK = 1.25, 1.5
PAPER_PRESETS: dict[str, Paper] = {
    **{f"white-{g}": _offset("white", g, WHITE_BULK) for g in (70, 80, 90, 100)},
    **{f"cream-{g}": _offset("cream", g, CREAM_BULK) for g in (70, 80, 90)},
    # Amazon KDP's published per-page thicknesses for its print-on-demand paperbacks
    # ("Paperback cover calculator": white 0.002252 in, cream 0.0025 in a page).
    "kdp-white": Paper("KDP white", 0.002252 * MM_PER_INCH),
    "kdp-cream": Paper("KDP cream", 0.0025 * MM_PER_INCH),
}
DEFAULT_PAPER = "white-80"


def paper(preset: str, page_thickness: str | None = None) -> Paper:
    """The preset, or a page of the given thickness ('0.06mm'); ValueError for an unknown
    preset or a length that is not one."""
    if page_thickness is not None:
        millimetres = css_length(page_thickness) / POINTS_PER_UNIT["mm"]
        if not 0.01 <= millimetres <= 1:
            raise ValueError(f"page_thickness '{page_thickness}' is not a page's thickness: "
                             "give one from 0.01mm to 1mm (half the paper's caliper)")
        return Paper(f"paper {millimetres:.3f} mm a page", millimetres)
    key = preset.strip().lower()
    if key not in PAPER_PRESETS:
        raise ValueError(f"unknown paper '{preset}': use one of {', '.join(PAPER_PRESETS)}, "
                         "or set page_thickness")
    return PAPER_PRESETS[key]


def spine_mm(pages: int, stock: Paper) -> float:
    """The spine's width for a book of `pages` pages (both sides of every leaf counted)."""
    return pages * stock.page_mm
