"""The print cover wrap laid out and written: build/<slug>-cover.pdf.

The wrap (back, spine, front: `render/cover_wrap.py` says where) is one WeasyPrint page
the size of the sheet with its bleed. A generated front is the EPUB cover's own design,
laid out on its own at the front panel's proportions and placed over the front as
vectors (a form XObject, with pikepdf); a configured image is in the wrap's HTML. The
spine's text is tried at smaller sizes, then as the title alone, then not at all, until
it keeps clear of the folds; any other text outside its panel's safe area refuses the
cover. The PDF gets its TrimBox and BleedBox and is written atomically, reproducibly.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
from weasyprint import CSS, HTML
from weasyprint.anchors import rectangle_aabb
from weasyprint.document import Document
from weasyprint.formatting_structure import boxes
from weasyprint.text.fonts import FontConfiguration

from chapbook.core.diagnostics import Diagnostic, error, info, silenced
from chapbook.core.files import atomic_target
from chapbook.core.pagesetup import POINTS_PER_UNIT
from chapbook.pdf.weasy import ProjectFetcher, captured_log, log_diagnostics, refusals
from chapbook.pdf.wrapjob import WrapJob, WrapResult
from chapbook.render.cover_wrap import (
    FOLD_MM,
    SAFETY_MM,
    SPINE_CONTENTS,
    SPINE_TEXT_MIN_MM,
    Rect,
    WrapGeometry,
    geometry_css,
)

MM_PER_PX = 25.4 / 96
PT_PER_MM = POINTS_PER_UNIT["mm"]
FRONT_WIDTH_PX = 400  # the generated cover's design width (cover.css: 400 x 600 px)
LEEWAY_MM = 0.05  # rounding in the layout


@dataclass(frozen=True)
class Placed:
    """A text (or drawing) as laid out: its words and its box on the page, in mm."""

    text: str
    rect: Rect
    in_spine: bool


def write_cover_wrap(job: WrapJob, target: Path) -> WrapResult:
    """Lay the wrap out, check that its text is safe, and write it (not if it is not)."""
    fetcher = ProjectFetcher(job.roots)
    fonts = FontConfiguration()
    problems: list[Diagnostic] = []
    with silenced("weasyprint"):  # the front's glyph notes: the print edition reports them
        front = _front(job, fetcher, fonts) if job.front_html is not None else None
    with captured_log() as messages:
        wrap, spine, size = _fitted_wrap(job, fetcher, fonts)
    problems += [*log_diagnostics(messages, None), *refusals(fetcher)]
    unsafe = [p for p in _placed(wrap) if not _safe(p, job.geometry)]
    unsafe += front_unsafe(front, job.geometry) if front is not None else []
    problems += [_unsafe(job.slug, p, job.geometry) for p in unsafe]
    if spine != "full":
        problems.append(_spine_note(job, spine))
    if unsafe or fetcher.refused:
        return WrapResult(False, spine, size, tuple(problems))
    with atomic_target(target) as temporary, silenced("weasyprint"):  # laid out: no news
        _finish(wrap, front, job.geometry, temporary)
    return WrapResult(True, spine, size, tuple(problems))


def _attempts(job: WrapJob) -> Iterator[tuple[str, float]]:
    """What the spine shows, most first: everything, the title alone, at each size; then
    nothing (and nothing at all on a spine narrower than the documented minimum)."""
    if job.geometry.spine >= SPINE_TEXT_MIN_MM:
        for contents in SPINE_CONTENTS[:-1]:
            for size in job.spine_sizes:
                yield contents, size
    yield "none", 0.0


def _fitted_wrap(job: WrapJob, fetcher: ProjectFetcher,
                 fonts: FontConfiguration) -> tuple[Document, str, float]:
    """The wrap with the most spine text that keeps clear of the folds and the trim."""
    sheets = [CSS(string=job.font_css, url_fetcher=fetcher, font_config=fonts)]
    sheets += [CSS(filename=str(path), url_fetcher=fetcher, font_config=fonts)
               for path in job.wrap_sheets]
    html = HTML(string=job.wrap_html, base_url=job.base.as_uri() + "/", url_fetcher=fetcher)
    for contents, size in _attempts(job):
        extra = CSS(string=geometry_css(job.geometry, contents, size), font_config=fonts)
        document = html.render(stylesheets=[*sheets, extra], font_config=fonts)
        spine = [p for p in _placed(document) if p.in_spine]
        # All of it inside the folds, and some of it there: text clipped away is lost too.
        if all(_safe(p, job.geometry) for p in spine) and (spine or contents == "none"):
            return document, contents, size
    return document, "none", 0.0


def _safe(placed: Placed, geometry: WrapGeometry) -> bool:
    """Inside the safe area of a panel (spine text: of the spine)."""
    panels = ("spine",) if placed.in_spine else ("back", "spine", "front")
    return any(_within(placed.rect, geometry.safe(name)) for name in panels)


def _within(inner: Rect, outer: Rect) -> bool:
    return (inner.x0 >= outer.x0 - LEEWAY_MM and inner.y0 >= outer.y0 - LEEWAY_MM
            and inner.x1 <= outer.x1 + LEEWAY_MM and inner.y1 <= outer.y1 + LEEWAY_MM)


def _placed(document: Document, scale: float = MM_PER_PX) -> list[Placed]:
    """Every piece of text and every drawing on the first page, as much of it as shows
    (transforms applied, overflow clipped), except the full-bleed cover art."""
    found: list[Placed] = []
    _walk(document.pages[0]._page_box, _Walk(None, None, False, scale), found)
    return found


@dataclass(frozen=True)
class _Walk:
    """What a box inherits from its ancestors: their transform, their clip (in px on the
    page), whether it is on the spine's line; and the page's mm a px."""

    matrix: Any
    clip: tuple[float, float, float, float] | None
    in_spine: bool
    scale: float


def _walk(box: Any, state: _Walk, found: list[Placed]) -> None:
    classes = (box.element.get("class") or "").split() if box.element is not None else []
    if "front-art" in classes or box.style["display"] == "none":
        return
    matrix, clip = state.matrix, state.clip
    own = getattr(box, "transformation_matrix", None)
    if own is not None and not isinstance(box, boxes.InlineBox):
        matrix = own @ matrix if matrix else own
    if isinstance(box, boxes.TextBox) and box.text.strip():
        rect = rectangle_aabb(matrix, box.position_x, box.position_y, box.width, box.height)
        _keep(box.text, rect, clip, state, found)
    elif isinstance(box, boxes.ReplacedBox):
        rect = rectangle_aabb(matrix, box.border_box_x(), box.border_box_y(),
                              box.border_width(), box.border_height())
        _keep(box.element_tag, rect, clip, state, found)
    if box.style["overflow"] != "visible" and hasattr(box, "padding_box_x"):
        clip = _intersect(clip, rectangle_aabb(matrix, box.padding_box_x(), box.padding_box_y(),
                                               box.padding_width(), box.padding_height()))
    inner = _Walk(matrix, clip, state.in_spine or "spine-line" in classes, state.scale)
    for child in getattr(box, "children", ()):
        _walk(child, inner, found)


def _keep(text: str, rect: tuple[float, float, float, float],
          clip: tuple[float, float, float, float] | None, state: _Walk,
          found: list[Placed]) -> None:
    """What shows of a box: nothing if its ancestors clip it away."""
    shown = _intersect(clip, rect)
    if shown[0] < shown[2] and shown[1] < shown[3]:
        x0, y0, x1, y1 = (value * state.scale for value in shown)
        found.append(Placed(text, Rect(x0, y0, x1, y1), state.in_spine))


def _intersect(clip: tuple[float, float, float, float] | None,
               rect: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    if clip is None:
        return rect
    return (max(clip[0], rect[0]), max(clip[1], rect[1]), min(clip[2], rect[2]),
            min(clip[3], rect[3]))


# ---- the generated front ----------------------------------------------------------------

def _front(job: WrapJob, fetcher: ProjectFetcher, fonts: FontConfiguration) -> Document:
    """The generated cover laid out as the front panel and its bleed: its design width
    (400 px) across the trimmed front, as tall as the trim's proportions make it."""
    assert job.front_html is not None
    g = job.geometry
    px = FRONT_WIDTH_PX / g.trim_w  # px a mm
    bleed, height = g.bleed * px, g.trim_h * px
    margins = f"{bleed}px 0 {bleed}px {bleed}px" if g.rtl else f"{bleed}px {bleed}px {bleed}px 0"
    size = (f"@page {{ size: {FRONT_WIDTH_PX + bleed}px {height + 2 * bleed}px; "
            f"margin: {margins}; }}\nbody {{ width: {FRONT_WIDTH_PX}px; height: {height}px; }}")
    sheets = [CSS(filename=str(job.front_sheet), url_fetcher=fetcher, font_config=fonts),
              CSS(string=size, font_config=fonts)]
    html = HTML(string=job.front_html, base_url=job.front_sheet.parent.as_uri() + "/",
                url_fetcher=fetcher)
    document: Document = html.render(stylesheets=sheets, font_config=fonts)
    return document


def front_unsafe(front: Document, geometry: WrapGeometry) -> list[Placed]:
    """The generated front's text outside the front's safe area, placed on the sheet."""
    g = geometry
    mm_per_front_px = g.trim_w / FRONT_WIDTH_PX
    origin = 0.0 if g.rtl else g.panel("front").x0  # where the front's page starts
    placed = [Placed(p.text, Rect(p.rect.x0 + origin, p.rect.y0, p.rect.x1 + origin, p.rect.y1),
                     False) for p in _placed(front, mm_per_front_px)]
    return [p for p in placed if not _within(p.rect, g.safe("front"))]


# ---- the file ---------------------------------------------------------------------------

def _finish(wrap: Document, front: Document | None, geometry: WrapGeometry,
            target: Path) -> None:
    """The wrap's PDF, the generated front placed over its panel, the boxes set."""
    pdf = pikepdf.open(io.BytesIO(wrap.write_pdf()))
    g = geometry
    page = pdf.pages[0]
    if front is not None:
        _place_front(pdf, pikepdf.open(io.BytesIO(front.write_pdf())), g)
    trim = g.trim_box
    height = g.sheet_h * PT_PER_MM
    page.obj.TrimBox = pikepdf.Array([trim.x0 * PT_PER_MM, height - trim.y1 * PT_PER_MM,
                                      trim.x1 * PT_PER_MM, height - trim.y0 * PT_PER_MM])
    page.obj.BleedBox = page.obj.MediaBox
    pdf.save(target, deterministic_id=True)


def _place_front(pdf: pikepdf.Pdf, cover: pikepdf.Pdf, g: WrapGeometry) -> None:
    """The front's page drawn over the front panel and its bleed, as a form XObject of
    a fixed name (pikepdf's add_overlay names it at random: the bytes would differ)."""
    page = pdf.pages[0]
    form = pdf.copy_foreign(cover.pages[0].as_form_xobject())
    x0, y0, x1, _ = (float(v) for v in form.BBox)
    left = 0.0 if g.rtl else g.panel("front").x0 * PT_PER_MM
    scale = (g.trim_w + g.bleed) * PT_PER_MM / (x1 - x0)
    page.obj.Resources.XObject[pikepdf.Name.ChapbookFront] = form
    page.contents_add(b"q\n", prepend=True)
    page.contents_add(f"Q q {scale:.6f} 0 0 {scale:.6f} {left - x0 * scale:.4f} "
                      f"{-y0 * scale:.4f} cm /ChapbookFront Do Q\n".encode())


def _unsafe(slug: str, placed: Placed, geometry: WrapGeometry) -> Diagnostic:
    where = _panel_of(placed.rect, geometry)
    shown = placed.text if len(placed.text) <= 40 else placed.text[:37] + "..."
    margin = f"{FOLD_MM} mm from the folds" if where == "spine" else f"{SAFETY_MM} mm"
    return error("cover-text-unsafe", f"the cover of '{slug}': '{shown}' on the {where} "
                 f"falls outside the safe area (the trim less {margin})", None,
                 "shorten the text, or move it in the style's css/cover-wrap.css")


def _panel_of(rect: Rect, geometry: WrapGeometry) -> str:
    middle = (rect.x0 + rect.x1) / 2
    for name in ("back", "spine", "front"):
        panel = geometry.panel(name)
        if panel.x0 <= middle <= panel.x1:
            return name
    return "bleed"


def _spine_note(job: WrapJob, spine: str) -> Diagnostic:
    if job.geometry.spine < SPINE_TEXT_MIN_MM:
        why = (f"the spine ({job.geometry.spine:.1f} mm) is narrower than "
               f"{SPINE_TEXT_MIN_MM:.0f} mm")
    else:
        why = "the rest does not fit between the folds" if spine == "title" else (
            "its text does not fit between the folds")
    shown = "the title alone" if spine == "title" else "no text"
    return info("cover-spine-text", f"the cover of '{job.slug}': the spine shows {shown}: "
                f"{why}", None, "a shorter title, or thicker paper or more pages, "
                "give the spine more room")
