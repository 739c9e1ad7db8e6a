"""The EAN-13 barcode of an ISBN, with its EAN-5 price add-on, as an SVG drawing (vectors:
the print edition lays it out inline, so it prints as sharp as the type).

python-barcode encodes the EAN-13 (its guard bars marked); the add-on, which it does not
make, is encoded here from the same character sets. Sizes follow ISO/IEC 15420: a module
(the narrowest bar) of 0.33 mm at 100 %, quiet zones of 11 modules before the symbol and
7 after it, 7 to 12 modules between the symbol and its add-on, 5 after the add-on.
"""

from __future__ import annotations

from itertools import groupby

from barcode.charsets import ean as charsets
from barcode.ean import EuropeanArticleNumber13WithGuard

MODULE_MM = 0.33
QUIET_BEFORE, QUIET_AFTER, ADDON_GAP, ADDON_QUIET = 11, 7, 9, 5  # in modules
BAR_MM, GUARD_EXTRA, DIGITS_MM, CAPTION_MM = 18.0, 5, 3.2, 3.4  # GUARD_EXTRA in modules
# EAN-5: the parity (L or G set) of each digit, chosen by the add-on's check value.
ADDON_PARITY = ("GGLLL", "GLGLL", "GLLGL", "GLLLG", "LGGLL", "LLGGL", "LLLGG", "LGLGL",
                "LGLLG", "LLGLG")


def ean13_modules(code: str) -> str:
    """The 95 modules of an EAN-13: 1 a bar, 0 a space, G a bar of a guard pattern."""
    return str(EuropeanArticleNumber13WithGuard(code).build()[0])


def ean5_modules(addon: str) -> str:
    """The 47 modules of an EAN-5 add-on: start 1011, digits separated by 01."""
    check = (3 * sum(int(d) for d in addon[0::2]) + 9 * sum(int(d) for d in addon[1::2])) % 10
    sets = {"L": charsets.CODES["A"], "G": charsets.CODES["B"]}
    digits = [sets[parity][int(d)] for d, parity in zip(addon, ADDON_PARITY[check], strict=True)]
    return "1011" + "01".join(digits)


def barcode_svg(code: str, caption: str, addon: str | None = None,
                font_family: str = "sans-serif") -> str:
    """The symbol as an <svg> element sized in mm, quiet zones included: `caption`
    ('ISBN 978-...') above, the digits below, the add-on's digits above its bars."""
    main = ean13_modules(code)
    width = QUIET_BEFORE + len(main) + QUIET_AFTER
    if addon:
        width = QUIET_BEFORE + len(main) + ADDON_GAP + 47 + ADDON_QUIET
    top = CAPTION_MM
    bottom = top + BAR_MM
    shapes = _bars(main, QUIET_BEFORE, top, bottom, bottom + GUARD_EXTRA * MODULE_MM)
    shapes += _digits(code, top, bottom, font_family)
    if addon:
        start = QUIET_BEFORE + len(main) + ADDON_GAP
        shapes += _bars(ean5_modules(addon), start, top + DIGITS_MM, bottom + GUARD_EXTRA
                        * MODULE_MM, bottom + GUARD_EXTRA * MODULE_MM)
        shapes.append(_text(addon, (start + 47 / 2) * MODULE_MM, top + DIGITS_MM - 0.6,
                            font_family, spaced=True))
    shapes.append(_text(caption, QUIET_BEFORE * MODULE_MM + len(main) * MODULE_MM / 2,
                        CAPTION_MM - 0.9, font_family))
    height = bottom + GUARD_EXTRA * MODULE_MM + DIGITS_MM - 1.0
    w = width * MODULE_MM
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="barcode" width="{w:.3f}mm" '
            f'height="{height:.3f}mm" viewBox="0 0 {w:.3f} {height:.3f}" role="img" '
            f'aria-label="{caption}">' + "".join(shapes) + "</svg>")


def _bars(modules: str, start: int, top: float, bottom: float, guard_bottom: float) -> list[str]:
    """One rectangle per run of bar modules (a guard's bars reach down to guard_bottom)."""
    shapes: list[str] = []
    x = start
    for kind, run in groupby(modules):
        count = len(list(run))
        if kind != "0":
            low = guard_bottom if kind == "G" else bottom
            shapes.append(f'<rect x="{x * MODULE_MM:.3f}" y="{top:.3f}" '
                          f'width="{count * MODULE_MM:.3f}" height="{low - top:.3f}"/>')
        x += count
    return shapes


def _digits(code: str, top: float, bottom: float, font_family: str) -> list[str]:
    """The human-readable digits: the first before the symbol, then six under each half."""
    baseline = bottom + DIGITS_MM - 0.6
    return [_text(code[0], (QUIET_BEFORE - 4) * MODULE_MM, baseline, font_family),
            _text(code[1:7], (QUIET_BEFORE + 3 + 21) * MODULE_MM, baseline, font_family,
                  spaced=True),
            _text(code[7:], (QUIET_BEFORE + 50 + 21) * MODULE_MM, baseline, font_family,
                  spaced=True)]


def _text(text: str, middle: float, baseline: float, font_family: str,
          spaced: bool = False) -> str:
    spacing = ' letter-spacing="0.55"' if spaced else ""
    return (f'<text x="{middle:.3f}" y="{baseline:.3f}" font-size="2.8" '
            f'font-family="{font_family}" text-anchor="middle"{spacing}>{text}</text>')
