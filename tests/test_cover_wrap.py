"""The print cover wrap (build/<slug>-cover.pdf): its sheet and spine measured from the PDF
boxes, its barcode decoded from a rendering by zbar, its checks (ISBN, safe area)."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from chapbook.build.coverwrap import write_cover
from chapbook.build.options import BuildOptions
from chapbook.build.plan import plan
from chapbook.core.anthology import Anthology
from chapbook.core.config import load_project
from chapbook.core.images import resolve_image
from chapbook.core.isbn import isbn13, price_code
from chapbook.core.paper import PAPER_PRESETS, paper, spine_mm
from chapbook.render.barcode import ean5_modules
from chapbook.render.cover_wrap import FOLD_MM, SAFETY_MM, WrapGeometry
from chapbook.render.styles import load_style

from .conftest import GOOD_REVIEW, MINIMAL_CONFIG, run_chapbook, write_project
from .pdftools import words_with_boxes

PT_PER_MM = 72 / 25.4
needs_zbar = pytest.mark.skipif(shutil.which("zbarimg") is None,
                                reason="zbarimg (Debian zbar-tools; make test installs it)")

CONFIG = MINIMAL_CONFIG + """\
description = "A short blurb for the back."
isbn = "978-1-7390123-6-6"
print = { trim = "a5", bleed = "3mm", profiles = ["print", "screen"], page_thickness = "1mm" }
"""


def boxes(path: Path) -> dict[str, list[float]]:
    page = PdfReader(path).pages[0]
    return {name: [float(v) for v in page[f"/{name}"]]
            for name in ("MediaBox", "TrimBox", "BleedBox")}


def decoded(pdf: Path, work: Path) -> list[str]:
    """What zbar reads off the cover rendered at 300 dpi (EAN-5 add-ons enabled)."""
    subprocess.run(["pdftoppm", "-r", "300", "-png", "-singlefile", str(pdf),
                    str(work / "render")], check=True)
    done = subprocess.run(["zbarimg", "-q", "--nodbus", "-Sean5.enable", str(work / "render.png")],
                          capture_output=True, text=True)
    return sorted(done.stdout.split())


# ---- the sample books -------------------------------------------------------------------

@pytest.mark.parametrize("slug, trim_mm, paper_name, isbn, addon", [
    ("comfort-watches", (148, 210), "cream-80", "9781739012342", "51499"),
    ("night-terrors", (139.7, 215.9), "white-80", "9781739012359", None)])
def test_sample_covers_fit_their_books(built_sample: Path, tmp_path: Path, slug: str,
                                       trim_mm: tuple[float, float], paper_name: str,
                                       isbn: str, addon: str | None) -> None:
    cover = built_sample / "build" / f"{slug}-cover.pdf"
    pages = len(PdfReader(built_sample / "build" / f"{slug}.pdf").pages)
    spine = pages * PAPER_PRESETS[paper_name].page_mm
    found = boxes(cover)
    bleed = 3
    width, height = trim_mm
    assert found["MediaBox"] == found["BleedBox"]
    assert found["MediaBox"][2] == pytest.approx((2 * width + spine + 2 * bleed) * PT_PER_MM,
                                                 abs=0.05)
    assert found["MediaBox"][3] == pytest.approx((height + 2 * bleed) * PT_PER_MM, abs=0.05)
    trim = found["TrimBox"]
    assert trim[0] == pytest.approx(bleed * PT_PER_MM, abs=0.01)
    assert trim[2] - trim[0] == pytest.approx((2 * width + spine) * PT_PER_MM, abs=0.05)
    assert trim[3] - trim[1] == pytest.approx(height * PT_PER_MM, abs=0.05)
    if shutil.which("zbarimg"):
        expected = [f"EAN-13:{isbn}"] + ([f"EAN-5:{addon}"] if addon else [])
        assert decoded(cover, tmp_path) == sorted(expected)


def test_the_build_shows_the_spine_and_no_screen_cover(built_sample: Path) -> None:
    again = run_chapbook("build", cwd=built_sample)  # up to date: the notes are replayed
    assert again.code == 0, again.stderr
    assert "comfort-watches-cover.pdf: spine " in again.stderr
    assert "pages on cream 80 g/m²" in again.stderr
    assert not list((built_sample / "build").glob("*-screen-cover.pdf"))


def test_fonts_are_embedded(built_sample: Path) -> None:
    reader = PdfReader(built_sample / "build" / "comfort-watches-cover.pdf")
    fonts = []
    for form in [reader.pages[0]["/Resources"], *[
            x.get_object()["/Resources"] for x in
            reader.pages[0]["/Resources"]["/XObject"].values()
            if x.get_object().get("/Resources")]]:
        for font in (form.get("/Font") or {}).values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font \
                else font
            descriptor = descendant["/FontDescriptor"].get_object()
            fonts.append(any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")))
    assert fonts and all(fonts)


# ---- a small book, its wrap written in variants -----------------------------------------

@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Anthology]:
    root = write_project(tmp_path_factory.mktemp("wrap") / "p", {"good.md": GOOD_REVIEW},
                         CONFIG)
    built = run_chapbook("build", "--format", "pdf", cwd=root)
    assert built.code == 0, built.stderr
    book = plan(root, BuildOptions()).anthologies[0]
    return root, book


def wrap(small: tuple[Path, Anthology], target: Path,
         book: Anthology | None = None) -> tuple[bool, list[str], list[str]]:
    root, default = small
    style, _ = load_style("classic", root)
    assert style is not None
    written, found = write_cover(book or default, style, root,
                                 root / "build" / "everything.pdf", target)
    return written, [d.code for d in found], [d.message for d in found]


def with_config(book: Anthology, **changes: object) -> Anthology:
    return replace(book, config=book.config.model_copy(update=changes))


def test_wide_spine_carries_its_text_inside_the_folds(small: tuple[Path, Anthology]) -> None:
    root, _ = small
    cover = root / "build" / "everything-cover.pdf"
    assert not (root / "build" / "everything-screen-cover.pdf").exists()
    pages = len(PdfReader(root / "build" / "everything.pdf").pages)
    geometry = WrapGeometry(148, 210, 3, pages * 1.0)
    assert geometry.spine >= 9  # the text's room
    safe, panel = geometry.safe("spine"), geometry.panel("spine")
    words = {w[4]: w for w in words_with_boxes(cover, 0)
             if panel.x0 * PT_PER_MM <= (w[0] + w[2]) / 2 <= panel.x1 * PT_PER_MM}
    height = boxes(cover)["MediaBox"][3]
    assert set(words) == {"Everything", "Ed", "Itor", "TEST", "PRESS"}
    for word in words:
        x0, y0, x1, y1, _ = words[word]
        inside = safe.inset(-0.02, -0.02)  # rounding
        assert inside.x0 * PT_PER_MM <= x0 and x1 <= inside.x1 * PT_PER_MM, word
        assert inside.y0 * PT_PER_MM <= height - y1 and height - y0 <= inside.y1 * PT_PER_MM
    x0, y0, x1, y1, _ = words["Everything"]
    assert y1 - y0 > 3 * (x1 - x0)  # turned to run along the spine


def test_wrap_is_reproducible(small: tuple[Path, Anthology], tmp_path: Path) -> None:
    root, _ = small
    written, codes, _ = wrap(small, tmp_path / "again.pdf")
    assert written and "cover-spine" in codes
    assert (tmp_path / "again.pdf").read_bytes() == (
        root / "build" / "everything-cover.pdf").read_bytes()


def test_long_spine_text_is_dropped_before_failing(small: tuple[Path, Anthology],
                                                   tmp_path: Path) -> None:
    root, book = small
    long = with_config(book, title="An Exceedingly Long Title That Runs The Whole Length "
                       "Of Any Spine Ever Bound " * 3, editors=["Someone With A Long Name"])
    written, codes, messages = wrap(small, tmp_path / "long.pdf", long)
    assert written, messages
    assert "cover-spine-text" in codes
    assert any("no text" in m or "title alone" in m for m in messages)
    spine = WrapGeometry(148, 210, 3, 1.0 * len(PdfReader(root / "build" / "everything.pdf")
                                                  .pages)).panel("spine")
    on_spine = [w[4] for w in words_with_boxes(tmp_path / "long.pdf", 0)
                if spine.x0 * PT_PER_MM <= (w[0] + w[2]) / 2 <= spine.x1 * PT_PER_MM]
    assert "Someone" not in on_spine and "PRESS" not in on_spine


def test_text_outside_the_safe_area_refuses_the_cover(small: tuple[Path, Anthology],
                                                      tmp_path: Path) -> None:
    _, book = small
    blurb = with_config(book, description="A blurb that goes on and on. " * 120)
    written, codes, messages = wrap(small, tmp_path / "unsafe.pdf", blurb)
    assert not written and not (tmp_path / "unsafe.pdf").exists()
    assert "cover-text-unsafe" in codes
    assert any("on the back falls outside the safe area" in m for m in messages)


def test_configured_image_fills_the_front_and_its_bleed(small: tuple[Path, Anthology],
                                                       tmp_path: Path) -> None:
    root, book = small
    Image.new("RGB", (300, 450), (10, 200, 30)).save(root / "art.png")
    image = resolve_image("art.png", root, root)
    pictured = replace(book, cover_image=image)
    written, _, messages = wrap(small, tmp_path / "art.pdf", pictured)
    assert written, messages
    subprocess.run(["pdftoppm", "-r", "20", "-png", "-singlefile", str(tmp_path / "art.pdf"),
                    str(tmp_path / "art")], check=True)
    render = Image.open(tmp_path / "art.png").convert("RGB")
    width, height = render.size
    assert render.getpixel((width - 2, 1)) == (10, 200, 30)  # in the bleed
    assert render.getpixel((width - 2, height - 2)) == (10, 200, 30)
    assert render.getpixel((2, height // 2)) != (10, 200, 30)  # the back is not


# ---- checks and numbers -----------------------------------------------------------------

def test_a_wrong_check_digit_is_a_located_error(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {"good.md": GOOD_REVIEW},
                         CONFIG.replace("978-1-7390123-6-6", "978-1-7390123-6-7"))
    found = [d for d in plan(root, BuildOptions()).diagnostics if d.code == "bad-isbn"]
    assert len(found) == 1
    assert found[0].location is not None and found[0].location.line == 9
    assert "should be 6, not 7" in found[0].message


def test_a_price_without_an_isbn_is_a_warning(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {"good.md": GOOD_REVIEW},
                         CONFIG.replace('isbn = "978-1-7390123-6-6"\n', "")
                         .replace("profiles", 'price = "USD 9.99", profiles'))
    found = [d for d in plan(root, BuildOptions()).diagnostics if d.code == "price-without-isbn"]
    assert len(found) == 1 and found[0].location is not None
    assert found[0].location.line == 9


@pytest.mark.parametrize("text, expected", [
    ("978-1-7390123-4-2", "9781739012342"), ("9781739012342", "9781739012342"),
    ("0-306-40615-2", "9780306406157"), ("080442957X", "9780804429573")])
def test_isbns(text: str, expected: str) -> None:
    assert isbn13(text) == expected


@pytest.mark.parametrize("text", ["978-1-7390123-4-3", "0-306-40615-3", "977-1-7390123-4-2",
                                  "12345"])
def test_not_isbns(text: str) -> None:
    with pytest.raises(ValueError, match="is not an ISBN"):
        isbn13(text)


def test_prices_and_paper() -> None:
    assert price_code("USD 14.99") == "51499"
    assert price_code("gbp 7") == "00700"
    with pytest.raises(ValueError):
        price_code("EUR 10.00")
    with pytest.raises(ValueError):
        price_code("USD 100.00")
    assert spine_mm(148, paper("cream-80")) == pytest.approx(8.88)
    assert spine_mm(100, paper("kdp-white")) == pytest.approx(5.72008)
    assert spine_mm(100, paper("white-80", "0.1mm")) == pytest.approx(10)
    assert ean5_modules("51499") == "10110110001010110011010011101010001011010001011"


@pytest.mark.parametrize("key, value", [("paper", "glossy"), ("price", "EUR 3"),
                                        ("page_thickness", "2mm")])
def test_bad_print_keys_are_config_errors(tmp_path: Path, key: str, value: str) -> None:
    config = CONFIG.replace('page_thickness = "1mm"', f'{key} = "{value}"')
    (tmp_path / "chapbook.toml").write_text(config, encoding="utf-8")
    project, problems = load_project(tmp_path)
    assert project is None and [d.code for d in problems] == ["config-invalid"]


def test_right_to_left_books_have_their_front_on_the_left() -> None:
    geometry = WrapGeometry(148, 210, 3, 10, rtl=True)
    assert geometry.panel("front").x0 == 3 and geometry.panel("back").x0 == 3 + 148 + 10
    assert geometry.safe("spine").x0 == pytest.approx(3 + 148 + FOLD_MM)
    assert geometry.safe("back").y0 == pytest.approx(3 + SAFETY_MM)


@needs_zbar
def test_barcode_without_add_on_decodes(small: tuple[Path, Anthology], tmp_path: Path) -> None:
    root, _ = small
    assert decoded(root / "build" / "everything-cover.pdf", tmp_path) == [
        "EAN-13:9781739012366"]
