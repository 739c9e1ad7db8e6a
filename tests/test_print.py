"""The print edition, checked as a printer would: boxes, fonts, openings, running heads,
blank pages, bookmarks, standards, and what the renderer may fetch."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from chapbook.core.pagesetup import css_length

from .conftest import run_chapbook, write_project
from .pdftools import page_labels, page_texts

A5 = (419.53, 595.28)
HALF_LETTER = (396.0, 612.0)
BLEED = css_length("3mm")
TRIMS = {"comfort-watches": A5, "night-terrors": HALF_LETTER}


@pytest.fixture(scope="session")
def screen_pdfs(built_sample: Path) -> Path:
    result = run_chapbook("build", "--format", "pdf", "--profile", "screen", cwd=built_sample)
    assert result.code == 0, result.stderr
    return built_sample / "build"


def boxes(pdf: Path) -> list[dict[str, list[float]]]:
    """Every page's boxes as pdfinfo -box reports them (poppler, not our own code)."""
    count = len(PdfReader(pdf).pages)
    out = subprocess.run(["pdfinfo", "-box", "-f", "1", "-l", str(count), str(pdf)],
                         capture_output=True, text=True, check=True).stdout
    pages: dict[int, dict[str, list[float]]] = {}
    for number, name, values in re.findall(r"Page\s+(\d+) (\w+Box):\s+([-\d. ]+)", out):
        pages.setdefault(int(number), {})[name] = [float(v) for v in values.split()]
    return [pages[n] for n in sorted(pages)]


@pytest.mark.parametrize("slug", sorted(TRIMS))
def test_print_profile_boxes(built_sample: Path, slug: str) -> None:
    width, height = TRIMS[slug]
    for page in boxes(built_sample / "build" / f"{slug}.pdf"):
        x0, y0, x1, y1 = page["TrimBox"]
        assert x1 - x0 == pytest.approx(width, abs=0.05)
        assert y1 - y0 == pytest.approx(height, abs=0.05)
        bleed = page["BleedBox"]
        assert [bleed[0], bleed[1]] == pytest.approx([x0 - BLEED, y0 - BLEED], abs=0.05)
        assert [bleed[2], bleed[3]] == pytest.approx([x1 + BLEED, y1 + BLEED], abs=0.05)
        assert page["MediaBox"] == pytest.approx(bleed, abs=0.05)


@pytest.mark.parametrize("slug", sorted(TRIMS))
def test_screen_profile_has_no_bleed_and_no_blank_pages(screen_pdfs: Path, slug: str) -> None:
    pdf = screen_pdfs / f"{slug}-screen.pdf"
    width, height = TRIMS[slug]
    for page in boxes(pdf):
        assert page["MediaBox"] == pytest.approx([0, 0, width, height], abs=0.05)
        assert page["TrimBox"] == page["MediaBox"]
    texts = page_texts(pdf)
    assert all(text.strip() for text in texts)  # no blank pages
    print_pages = len(page_texts(screen_pdfs / f"{slug}.pdf"))
    assert len(texts) < print_pages


@pytest.mark.parametrize("slug", sorted(TRIMS))
def test_every_font_embedded_and_subset(built_sample: Path, slug: str) -> None:
    out = subprocess.run(["pdffonts", str(built_sample / "build" / f"{slug}.pdf")],
                         capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows
    for row in rows:
        emb, sub = row[-5], row[-4]
        assert (emb, sub) == ("yes", "yes"), row
        assert re.match(r"^[A-Z]{6}\+", row[0]), row  # a subset tag


@pytest.mark.parametrize("slug", sorted(TRIMS))
def test_qpdf_check_is_clean(built_sample: Path, screen_pdfs: Path, slug: str) -> None:
    for pdf in (built_sample / "build" / f"{slug}.pdf", screen_pdfs / f"{slug}-screen.pdf"):
        done = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "No syntax or stream encoding errors" in done.stdout


def _openings(pdf: Path) -> dict[int, str]:
    """Page index -> named destination of what opens there (pieces, parts, back matter)."""
    reader = PdfReader(pdf)
    found: dict[int, str] = {}
    for name, dest in reader.named_destinations.items():
        if re.match(r"^(piece-(?!.*-title$)|part-\d+$|contributors$|works$|tags$)", name):
            found.setdefault(reader.get_destination_page_number(dest), name)
    return found


def _top_line(pdf: Path, page: int) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-f", str(page + 1), "-l", str(page + 1),
                          str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    lines = [line.strip() for line in out.splitlines() if line.strip()]
    return lines[0] if lines else ""


def test_running_heads_verso_and_recto(built_sample: Path) -> None:
    pdf = built_sample / "build" / "night-terrors.pdf"
    texts = page_texts(pdf)
    openings = _openings(pdf)
    listed = run_chapbook("list", "--json", cwd=built_sample).stdout
    book = next(b for b in json.loads(listed)["anthologies"] if b["slug"] == "night-terrors")
    part_of = {slug: part["title"] for part in book["parts"] for slug in part["pieces"]}
    works = {p["slug"]: p["work"] for p in book["pieces"]}
    authors = {p["slug"]: " and ".join(p["authors"]) for p in book["pieces"]}
    current = None
    checked = 0
    for index in range(min(openings), max(openings)):
        if index in openings:
            current = openings[index]
            assert not _top_line(pdf, index).startswith(("Films", "Series", "Night Terrors"))
            continue
        if not texts[index].strip() or not current or not current.startswith("piece-"):
            continue
        slug = current.removeprefix("piece-")
        top = _top_line(pdf, index)
        if index % 2 == 1:  # a verso (the first page, index 0, is a recto)
            assert top == part_of[slug], (index, top)
        else:
            assert top == f"{works[slug]} — {authors[slug]}", (index, top)
        checked += 1
    assert checked >= 8


def test_blank_pages_are_really_blank(built_sample: Path, tmp_path: Path) -> None:
    pdf = built_sample / "build" / "comfort-watches.pdf"
    texts = page_texts(pdf)
    blank = [i for i, text in enumerate(texts) if not text.strip()]
    assert blank, "a print book with recto openings has blank versos"
    labels = page_labels(pdf)
    for index in blank:
        assert index % 2 == 1, f"blank page {labels[index]} is a recto"
        subprocess.run(["pdftoppm", "-r", "30", "-gray", "-f", str(index + 1), "-l",
                        str(index + 1), "-png", str(pdf), str(tmp_path / f"p{index}")],
                       check=True)
        image = Image.open(next(tmp_path.glob(f"p{index}*.png"))).convert("L")
        bleed_px = round(BLEED / 72 * 30) + 2  # crop marks live in the bleed: look inside
        inside = image.crop((bleed_px, bleed_px, image.width - bleed_px,
                             image.height - bleed_px))
        assert inside.getextrema() == (255, 255), f"page {labels[index]} is not blank"
        edge = image.crop((0, 0, image.width, bleed_px)).getextrema()
        assert edge[0] < 255, "the crop marks are drawn in the bleed"


def test_bookmarks_nest_by_part(built_sample: Path) -> None:
    outline = PdfReader(built_sample / "build" / "night-terrors.pdf").outline
    titles = [item.title for item in outline if not isinstance(item, list)]
    assert titles[0] == "Contents"
    assert {"Films", "Series", "Books", "Games", "Contributors"} <= set(titles)
    for part in ("Films", "Series", "Books", "Games"):
        position = next(i for i, item in enumerate(outline)
                        if not isinstance(item, list) and item.title == part)
        children = outline[position + 1]  # pypdf gives a part's children as the next item
        assert isinstance(children, list) and children
        assert all(" — " in child.title for child in children)


def test_front_matter_order_and_colophon(built_sample: Path) -> None:
    texts = page_texts(built_sample / "build" / "comfort-watches.pdf")
    assert texts[0].strip() == "Comfort Watches"  # half-title
    assert "Edited by" in texts[2] and "Lantern Street Press" in texts[2]
    assert "Set in Charis SIL and NanumMyeongjo" in texts[3]
    assert "For everyone who rewatches." in texts[4]


def test_footnotes_sit_at_the_foot_of_their_page(built_sample: Path) -> None:
    texts = page_texts(built_sample / "build" / "night-terrors.pdf")
    page = next(t for t in texts if "Her previous novel" in t)
    body, _, foot = page.partition("1. Her previous novel")
    assert "very well,1 and" in re.sub(r"\s+", " ", body) and foot  # call in text, note below
    assert "↩" not in "".join(texts)


VARIANT_CONFIG = """\
[press]
name = "Test Press"
language = "en"

[contributors."Ann Critic"]
bio = "Critic."

[[anthology]]
slug = "{variant}"
title = "Variant"
editors = ["Ed Itor"]
print = {{ pdf_variant = "pdf/{variant}", trim = "6x9in" }}
"""


@pytest.mark.parametrize("variant", ["a-3b", "ua-1"])
def test_pdf_variants_carry_what_they_need(tmp_path: Path, variant: str) -> None:
    from .conftest import GOOD_REVIEW

    root = write_project(tmp_path / "p", {"good.md": GOOD_REVIEW},
                         VARIANT_CONFIG.format(variant=variant))
    result = run_chapbook("build", "--format", "pdf", cwd=root)
    assert result.code == 0, result.stderr
    reader = PdfReader(root / "build" / f"{variant}.pdf")
    catalog = reader.trailer["/Root"]
    metadata = catalog["/Metadata"].get_object().get_data().decode()
    assert catalog["/Lang"] == "en"
    labels = page_labels(root / "build" / f"{variant}.pdf")
    assert labels[labels.index("1") - 1] == "vi"  # labels written alongside the variant
    if variant == "a-3b":
        assert re.search(r'pdfaid:part(="|>)3', metadata)
        assert re.search(r'pdfaid:conformance(="|>)B', metadata)
        assert "/OutputIntents" in catalog
    else:
        assert re.search(r'pdfuaid:part(="|>)1', metadata)
        assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"]


def test_fetcher_refuses_network_and_outside_files(tmp_path: Path) -> None:
    from chapbook.pdf.weasy import ProjectFetcher

    root = tmp_path / "project"
    (root / "styles").mkdir(parents=True)
    (root / "styles" / "ok.css").write_text("p {}")
    fetcher = ProjectFetcher([root])
    assert fetcher.fetch((root / "styles" / "ok.css").as_uri()).read() == b"p {}"
    for url in ("http://example.com/cover.png", "https://example.com/x.css",
                (root / "styles" / ".." / ".." / ".." / "etc" / "passwd").as_uri(),
                "file:///etc/passwd", "ftp://example.com/x"):
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 5


def test_images_print_and_refused_ones_become_their_description(tmp_path: Path) -> None:
    from .conftest import GOOD_REVIEW

    body = GOOD_REVIEW + ("\n![A lighthouse at dusk](pics/light.png)\n\n"
                          "![a network image](http://example.com/x.png)\n\n"
                          "![a secret](" + "../" * 12 + "etc/passwd)\n")
    root = write_project(tmp_path / "p", {"good.md": body})
    (root / "manuscripts" / "pics").mkdir()
    Image.new("RGB", (400, 300), (20, 60, 120)).save(root / "manuscripts/pics/light.png")
    result = run_chapbook("build", "--format", "pdf", cwd=root)
    assert result.code == 0, result.stderr
    assert "manuscripts/good.md:13: warning: image 'http://example.com/x.png'" in result.stderr
    assert "manuscripts/good.md:15: warning: image '../" in result.stderr
    assert "[image-refused]" in result.stderr and "Traceback" not in result.stderr
    pdf = root / "build" / "everything.pdf"
    listed = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True,
                            check=True).stdout
    assert " 400   300 " in listed  # the project's image is in the book, at full size
    text = " ".join(page_texts(pdf))
    assert "a network image" in text and "a secret" in text  # refused: their descriptions


def test_css_errors_name_the_style_sheet_and_line(tmp_path: Path) -> None:
    from weasyprint.text.fonts import FontConfiguration

    from chapbook.core.pagesetup import PageSetup
    from chapbook.pdf.single_pass import _stylesheets
    from chapbook.pdf.weasy import ProjectFetcher
    from chapbook.render.print_html import PrintRendition

    sheet = tmp_path / "styles" / "mine" / "css" / "print.css"
    sheet.parent.mkdir(parents=True)
    sheet.write_text("p { color: black; }\n\nh1 { colour: red; }\n", encoding="utf-8")
    rendition = PrintRendition("<p>x</p>", (sheet,), PageSetup("print", "a5", "a5", None, ()))
    _, problems = _stylesheets(rendition, ProjectFetcher([tmp_path]), FontConfiguration())
    assert [(p.code, str(p.location)) for p in problems] == [
        ("style-css", "styles/mine/css/print.css:3:6")]
