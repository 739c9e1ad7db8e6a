"""The EPUB edition, read like a reading system and checked like a retailer: structure,
metadata, cover, fonts, accessibility metadata, EPUBCheck and pandoc."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw

from chapbook.core.labels import labels_for

from .conftest import DATA, GOOD_REVIEW, MINIMAL_CONFIG, run_chapbook, write_project
from .epubtools import NS, XML_LANG, Epub, epubcheck_messages


def plan(root: Path) -> list[dict[str, object]]:
    result = run_chapbook("list", "--json", cwd=root)
    assert result.code == 0, result.stderr
    return json.loads(result.stdout)["anthologies"]  # type: ignore[no-any-return]


def sample_epub(root: Path, slug: str) -> Epub:
    return Epub(root / "build" / f"{slug}.epub")


# ---- the sample books ---------------------------------------------------------------------


@pytest.mark.parametrize("slug", ["comfort-watches", "night-terrors"])
def test_opf_metadata_names_editors_reviewers_and_subjects(built_sample: Path, slug: str) -> None:
    book = next(b for b in plan(built_sample) if b["slug"] == slug)
    epub = sample_epub(built_sample, slug)
    opf = epub.opf
    assert opf.get(XML_LANG) == "en"
    creators = opf.xpath("//dc:creator", namespaces=NS)
    assert [c.text for c in creators] == book["editors"]
    for creator in creators:
        refined = epub.refines(creator.get("id"))
        assert refined["role"] == "edt"
        person = next(p for p in book["contributors"] if p["name"] == creator.text)  # type: ignore[attr-defined]
        assert refined["file-as"] == person["sort_as"]
    contributors = opf.xpath("//dc:contributor", namespaces=NS)
    reviewers = {p["name"] for p in book["contributors"]} - set(book["editors"])  # type: ignore[attr-defined,arg-type]
    assert {c.text for c in contributors} == reviewers
    for contributor in contributors:
        refined = epub.refines(contributor.get("id"))
        assert refined["role"] == "aut" and ", " in refined["file-as"]
    assert opf.xpath("//opf:meta[@refines and @property='file-as' and @scheme]",
                     namespaces=NS) == []
    tags = sorted({t for p in book["pieces"] for t in p["tags"]})  # type: ignore[attr-defined]
    assert [s.text for s in opf.xpath("//dc:subject", namespaces=NS)] == tags
    identifier = opf.xpath("//dc:identifier", namespaces=NS)[0].text
    isbns = {"comfort-watches": "9781739012342", "night-terrors": "9781739012359"}
    assert identifier == f"urn:isbn:{isbns[slug]}"  # chapbook.toml's, hyphens dropped
    assert identifier == book["identifier"]
    assert opf.xpath("//dc:publisher", namespaces=NS)[0].text == "Lantern Street Press"
    assert "Lantern Street Press" in opf.xpath("//dc:rights", namespaces=NS)[0].text
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", opf.xpath("//dc:date", namespaces=NS)[0].text)


def test_pieces_show_byline_work_and_rating_in_words(built_sample: Path) -> None:
    book = next(b for b in plan(built_sample) if b["slug"] == "comfort-watches")
    epub = sample_epub(built_sample, "comfort-watches")
    for piece in book["pieces"]:  # type: ignore[attr-defined]
        doc = epub.xml(f"EPUB/{piece['slug']}.xhtml")
        text = " ".join("".join(doc.itertext()).split())
        for author in piece["authors"]:
            assert author in text
        if piece["rating"]:  # "Rating: 4 out of 5", in the piece's language
            value, scale = piece["rating"].split("/")
            labels = labels_for(doc.get(XML_LANG) or "en")
            rating = labels.rating(Fraction(value), int(scale), None)
            assert " ".join(labels.text("rating", rating=rating).split()) in text
        assert "".join(doc.xpath("//x:cite", namespaces=NS)[0].itertext()) == piece["work"]
        section = doc.xpath("//x:section", namespaces=NS)[0]
        assert section.get(f"{{{NS['epub']}}}type") == "chapter"
        assert section.get("role") == "doc-chapter"


@pytest.mark.parametrize("slug", ["comfort-watches", "night-terrors"])
def test_every_document_declares_its_language(built_sample: Path, slug: str) -> None:
    epub = sample_epub(built_sample, slug)
    languages = {}
    for href in epub.spine():
        root = epub.xml(f"EPUB/{href}")
        assert root.get("lang") == root.get(XML_LANG), href
        languages[href] = root.get("lang")
        assert root.xpath("//x:head/x:title", namespaces=NS)[0].text, href
    if slug == "comfort-watches":
        assert languages["maison-aux-volets-bleus.xhtml"] == "fr"
        assert languages["nav.xhtml"] == "en"
        nav_link = epub.nav.xpath("//x:a[@href='maison-aux-volets-bleus.xhtml']",
                                  namespaces=NS)[0]
        assert nav_link.get("lang") == "fr"


def test_nav_and_ncx_nest_pieces_under_their_parts(built_sample: Path) -> None:
    book = next(b for b in plan(built_sample) if b["slug"] == "comfort-watches")
    epub = sample_epub(built_sample, "comfort-watches")
    toc = epub.nav.xpath("//x:nav[@epub:type='toc']/x:ol/x:li", namespaces=NS)
    top = [li.xpath("x:a/@href", namespaces=NS)[0] for li in toc]
    assert top[0] == "editors-note.xhtml" and top[1:3] == ["part-1.xhtml", "part-2.xhtml"]
    for li, part in zip(toc[1:3], book["parts"], strict=True):  # type: ignore[call-overload]
        nested = li.xpath("x:ol/x:li/x:a/@href", namespaces=NS)
        assert nested == [f"{slug}.xhtml" for slug in part["pieces"]]
    ncx = epub.xml("EPUB/toc.ncx")
    assert ncx.xpath("//ncx:meta[@name='dtb:depth']/@content", namespaces=NS) == ["2"]
    parts = ncx.xpath("/ncx:ncx/ncx:navMap/ncx:navPoint[ncx:navPoint]", namespaces=NS)
    assert len(parts) == 2


def test_landmarks_guide_and_spine_in_reading_order(built_sample: Path) -> None:
    book = next(b for b in plan(built_sample) if b["slug"] == "comfort-watches")
    epub = sample_epub(built_sample, "comfort-watches")
    marks = epub.nav.xpath("//x:nav[@epub:type='landmarks']//x:a", namespaces=NS)
    assert [(m.get(f"{{{NS['epub']}}}type"), m.get("href")) for m in marks] == [
        ("cover", "cover.xhtml"), ("titlepage", "titlepage.xhtml"),
        ("copyright-page", "copyright.xhtml"), ("toc", "nav.xhtml#toc"),
        ("bodymatter", "part-1.xhtml"), ("backmatter", "contributors.xhtml")]
    guide = epub.opf.xpath("//opf:guide/opf:reference/@type", namespaces=NS)
    assert guide == ["cover", "title-page", "copyright-page", "toc", "text"]
    pieces = [f"{p}.xhtml" for part in book["parts"] for p in part["pieces"]]  # type: ignore[attr-defined]
    expected = ["cover.xhtml", "titlepage.xhtml", "copyright.xhtml", "dedication.xhtml",
                "nav.xhtml", "editors-note.xhtml", "part-1.xhtml",
                *pieces[:len(book["parts"][0]["pieces"])], "part-2.xhtml",  # type: ignore[index]
                *pieces[len(book["parts"][0]["pieces"]):],  # type: ignore[index]
                "contributors.xhtml", "works.xhtml", "tags.xhtml", "acknowledgements.xhtml",
                "about.xhtml"]
    assert epub.spine() == expected
    assert epub.manifest()["nav"].get("properties") == "nav"


def test_night_terrors_has_an_epigraph_with_its_role(built_sample: Path) -> None:
    epub = sample_epub(built_sample, "night-terrors")
    assert "epigraph.xhtml" in epub.spine()
    quote = epub.xml("EPUB/epigraph.xhtml").xpath("//x:blockquote", namespaces=NS)[0]
    assert quote.get("role") == "doc-epigraph"
    assert quote.get(f"{{{NS['epub']}}}type") == "epigraph"


def test_a_cover_that_cannot_be_generated_costs_the_cover_not_the_book(
        tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {"good.md": GOOD_REVIEW})
    template = root / "styles" / "classic" / "templates" / "cover" / "cover.html.j2"
    template.parent.mkdir(parents=True)
    template.write_text("<p>{{ book.no_such_thing.title }}</p>", encoding="utf-8")
    result = run_chapbook("build", "--format", "epub", cwd=root)
    assert result.code == 0, result.stderr
    assert "warning: the cover of 'everything' could not be generated" in result.stderr
    epub = root / "build" / "everything.epub"
    assert "cover.xhtml" not in Epub(epub).spine()
    assert epubcheck_messages(epub) == []


@pytest.mark.parametrize("slug", ["comfort-watches", "night-terrors"])
def test_generated_cover_is_the_cover_image_and_first_page(built_sample: Path, slug: str) -> None:
    epub = sample_epub(built_sample, slug)
    covers = [item for item in epub.manifest().values()
              if "cover-image" in (item.get("properties") or "")]
    assert len(covers) == 1
    href = covers[0].get("href")
    image = Image.open(io.BytesIO(epub.read(f"EPUB/{href}")))
    assert image.size == (1600, 2400) and image.format in ("PNG", "JPEG")
    assert epub.spine()[0] == "cover.xhtml"
    page = epub.xml("EPUB/cover.xhtml")
    images = page.xpath("//x:img", namespaces=NS)
    assert len(images) == 1 and images[0].get("src") == href
    title = next(b["title"] for b in plan(built_sample) if b["slug"] == slug)
    assert images[0].get("alt").startswith(f"Cover: {title}")
    assert epub.opf.xpath("//opf:meta[@name='cover']/@content", namespaces=NS) == [
        covers[0].get("id")]
    cover_pages = [h for h in epub.spine() if epub.xml(f"EPUB/{h}").xpath(
        "//x:body//*[@epub:type='cover' and not(self::x:a)]", namespaces=NS)]
    assert cover_pages == ["cover.xhtml"]


def test_fonts_are_embedded_subset_and_licensed(built_sample: Path) -> None:
    epub = sample_epub(built_sample, "comfort-watches")
    fonts = {item.get("href"): item for item in epub.manifest().values()
             if item.get("media-type") == "font/ttf"}
    assert set(fonts) == {"fonts/CharisSIL-Regular.ttf", "fonts/CharisSIL-Italic.ttf",
                          "fonts/CharisSIL-Bold.ttf", "fonts/CharisSIL-BoldItalic.ttf",
                          "fonts/NanumMyeongjo.ttf"}
    sizes = {href: len(epub.read(f"EPUB/{href}")) for href in fonts}
    assert sum(sizes.values()) < 400_000  # the full fonts weigh 6.9 MB
    licences = [item.get("href") for item in epub.manifest().values()
                if item.get("media-type") == "text/plain"]
    assert sorted(licences) == ["fonts/OFL-CharisSIL.txt", "fonts/OFL-Nanum.txt"]
    text = "".join(epub.read(f"EPUB/{h}").decode() for h in epub.spine())
    regular = TTFont(io.BytesIO(epub.read("EPUB/fonts/CharisSIL-Regular.ttf")))
    cmap = regular.getBestCmap()
    assert all(ord(c) in cmap for c in "\u00e9\u2019\u201c\u2014")  # e-acute, quotes, em dash: used
    assert ord("\u0416") not in cmap  # Ж is not
    hangul = {c for c in text if "\uac00" <= c <= "\ud7a3"}
    nanum = TTFont(io.BytesIO(epub.read("EPUB/fonts/NanumMyeongjo.ttf"))).getBestCmap()
    assert hangul and all(ord(c) in nanum for c in hangul)
    css = epub.read("EPUB/css/book.css").decode()
    for href in fonts:
        assert f'url("../{href}")' in css


def test_a_damaged_style_font_is_embedded_whole_with_a_warning(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {"good.md": GOOD_REVIEW},
                         MINIMAL_CONFIG + 'formats = ["epub"]\n')
    fonts = root / "styles" / "classic" / "fonts"
    fonts.mkdir(parents=True)
    (fonts / "CharisSIL-Bold.ttf").write_bytes(b"not a font at all")
    result = run_chapbook("build", "--validate", cwd=root)
    assert "[font-not-subset]" in result.stderr and "Traceback" not in result.stderr
    epub = Epub(root / "build" / "everything.epub")
    assert epub.read("EPUB/fonts/CharisSIL-Bold.ttf") == b"not a font at all"


def test_font_subsets_are_kept_and_a_damaged_one_is_made_again(tmp_path: Path) -> None:
    reviews = {f"r{n}.md": GOOD_REVIEW.replace("Good Film", f"Film {n}") for n in range(2)}
    root = write_project(tmp_path / "p", reviews, MINIMAL_CONFIG + 'formats = ["epub"]\n')
    assert run_chapbook("build", cwd=root).code == 0
    first = Epub(root / "build" / "everything.epub")
    kept = sorted((root / "build" / ".cache" / "fonts").glob("*.font"))
    assert len(kept) >= 4  # one subset per face the EPUB style loads
    fonts = {name: first.read(name) for name in first.names() if name.endswith(".ttf")}
    kept[0].write_bytes(kept[0].read_bytes()[:500])  # damaged, as by a full disk
    touched = root / "manuscripts" / "r0.md"
    touched.write_text(touched.read_text(encoding="utf-8"), encoding="utf-8")
    assert run_chapbook("build", cwd=root).code == 0
    again = Epub(root / "build" / "everything.epub")
    assert {name: again.read(name) for name in fonts} == fonts  # made again, not used cut
    assert kept[0].stat().st_size > 500
    # a character the kept subsets lack: new subsets, which have it
    touched.write_text(touched.read_text(encoding="utf-8") + "\nA \u0174elsh W.\n",
                       encoding="utf-8")
    assert run_chapbook("build", cwd=root).code == 0
    old = time.time() - 40 * 86_400  # the first subsets, unused for 40 days, are dropped
    for entry in kept[1:]:
        os.utime(entry, (old, old))
    touched.write_text(touched.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert run_chapbook("build", cwd=root).code == 0
    assert not any(entry.exists() for entry in kept[1:])
    regular = next(name for name in fonts if name.endswith("Regular.ttf"))
    cmap = TTFont(io.BytesIO(Epub(root / "build" / "everything.epub").read(regular))).getBestCmap()
    assert 0x0174 in cmap


def test_accessibility_metadata_of_a_book_without_images(built_sample: Path) -> None:
    epub = sample_epub(built_sample, "comfort-watches")
    assert epub.metadata("schema:accessMode") == ["textual"]
    assert epub.metadata("schema:accessModeSufficient") == ["textual"]
    features = epub.metadata("schema:accessibilityFeature")
    for feature in ("tableOfContents", "index", "readingOrder", "structuralNavigation",
                    "alternativeText", "displayTransformability"):
        assert feature in features
    assert epub.metadata("schema:accessibilityHazard") == ["none"]
    assert "table of contents" in epub.metadata("schema:accessibilitySummary")[0]
    assert epub.metadata("dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    assert epub.metadata("a11y:certifiedBy") == ["Lantern Street Press"]


def test_an_epub_build_does_not_import_weasyprint_up_front() -> None:
    code = ("import sys, chapbook.build.run, chapbook.epub.edition, chapbook.pdf.edition; "
            "assert 'weasyprint' not in sys.modules, 'weasyprint imported'")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


# ---- configured covers ------------------------------------------------------------------


def cover_project(root: Path, cover: str) -> Path:
    config = MINIMAL_CONFIG + f'cover = "{cover}"\nformats = ["epub"]\n'
    return write_project(root, {"good.md": GOOD_REVIEW}, config)


def test_a_configured_cover_is_used_as_it_is(tmp_path: Path) -> None:
    root = cover_project(tmp_path / "p", "art/front.jpg")
    (root / "art").mkdir()
    Image.new("RGB", (800, 1200), (30, 60, 90)).save(root / "art" / "front.jpg", quality=80)
    result = run_chapbook("build", "--validate", cwd=root)
    assert result.code == 0, result.stderr
    assert "epubcheck" not in result.stderr  # EPUBCheck had nothing to say
    epub = Epub(root / "build" / "everything.epub")
    assert epub.read("EPUB/images/cover.jpg") == (root / "art" / "front.jpg").read_bytes()
    covers = [i for i in epub.manifest().values() if i.get("properties") == "cover-image"]
    assert [c.get("href") for c in covers] == ["images/cover.jpg"]
    assert epub.spine()[0] == "cover.xhtml"


@pytest.mark.parametrize(("cover", "reason"), [
    ("art/missing.jpg", "does not exist"),
    ("../outside.jpg", "outside the project"),
    ("art/not-a-picture.jpg", "not a readable image"),
    ("art/picture.gif", "covers must be JPEG or PNG"),
])
def test_a_bad_cover_is_a_located_error(tmp_path: Path, cover: str, reason: str) -> None:
    root = cover_project(tmp_path / "p", cover)
    (root / "art").mkdir()
    Image.new("RGB", (10, 10)).save(tmp_path / "outside.jpg")
    (root / "art" / "not-a-picture.jpg").write_text("text", encoding="utf-8")
    Image.new("RGB", (10, 10)).save(root / "art" / "picture.gif")
    result = run_chapbook("build", cwd=root)
    assert result.code == 1
    assert re.search(rf"chapbook\.toml:8: error: .*{reason}.* \[bad-cover\]", result.stderr)
    assert not (root / "build").exists()


# ---- the adversarial book -----------------------------------------------------------------


def adversarial_project(base: Path, raw_html: str) -> Path:
    """tests/data/adversarial, with its pictures (good, broken, outside) made here."""
    root = base / "project"
    shutil.copytree(DATA / "adversarial", root)
    config = root / "chapbook.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('language = "en"\n',
                                   f'language = "en"\nraw_html = "{raw_html}"\n', 1),
                      encoding="utf-8")
    pics = root / "manuscripts" / "pics"
    pics.mkdir()
    lighthouse = Image.new("RGB", (320, 200), (40, 50, 90))
    draw = ImageDraw.Draw(lighthouse)
    draw.rectangle((150, 60, 170, 180), fill=(230, 230, 220))
    draw.polygon([(140, 60), (180, 60), (160, 35)], fill=(200, 60, 50))
    lighthouse.save(pics / "lighthouse.png")
    Image.new("RGB", (200, 300), (120, 140, 160)).save(pics / "window.jpg", quality=85)
    (pics / "not-an-image.jpg").write_text("plain text", encoding="utf-8")
    Image.new("RGB", (10, 10)).save(base / "outside.png")
    os.symlink(base / "outside.png", pics / "escape.png")
    return root


@pytest.fixture(scope="session")
def adversarial(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    """The adversarial book built in both raw-HTML modes: {mode: (epub, stderr)}."""
    built = {}
    for mode in ("escape", "sanitise"):
        root = adversarial_project(tmp_path_factory.mktemp(f"adversarial-{mode}"), mode)
        result = run_chapbook("build", cwd=root)
        assert result.code == 0, result.stderr
        built[mode] = (root / "build" / "adversarial.epub", result.stderr)
    return built


@pytest.mark.parametrize("mode", ["escape", "sanitise"])
def test_adversarial_book_passes_epubcheck(adversarial: dict[str, tuple[Path, str]],
                                           mode: str) -> None:
    assert epubcheck_messages(adversarial[mode][0]) == []


DIAGNOSTIC_LINE = re.compile(r"^(\S+?(:\d+)*: (error|warning|info): .* \[[a-z0-9-]+\]"
                             r"|  hint: .*|building \S+|wrote \S+)$")


def test_adversarial_problems_are_located_warnings(adversarial: dict[str, tuple[Path, str]]
                                                   ) -> None:
    stderr = adversarial["escape"][1]
    assert "Traceback" not in stderr
    assert [line for line in stderr.splitlines() if not DIAGNOSTIC_LINE.match(line)] == []
    expected = [
        "manuscripts/images.md:20: warning: image 'pics/missing.png' does not exist",
        "manuscripts/images.md:20: warning: image '../../outside.png' is outside the project",
        "manuscripts/images.md:21: warning: image 'pics/escape.png' is outside the project",
        "manuscripts/images.md:21: warning: 'pics/not-an-image.jpg' is not a readable image",
        "manuscripts/images.md:22: warning: image 'https://example.org/x.png' is not a file",
        "manuscripts/images.md:16: warning: image 'pics/window.jpg' has no description",
        "manuscripts/odd-links.md:9: warning: link 'relative' points at 'other-review.md'",
        "manuscripts/odd-links.md:10: warning: link 'empty' has no target",
        "manuscripts/odd-links.md:10: warning: link 'missing fragment' points inside",
        "manuscripts/empty.md:8: warning: the piece has no text after its title",
    ]
    for start in expected:
        assert any(line.startswith(start) for line in stderr.splitlines()), start


def test_adversarial_images_are_packaged_and_broken_ones_are_text(
        adversarial: dict[str, tuple[Path, str]]) -> None:
    epub = Epub(adversarial["escape"][0])
    images = [i.get("href") for i in epub.manifest().values()
              if i.get("media-type", "").startswith("image/") and i.get("properties") is None]
    assert len(images) == 2 and all(re.fullmatch(r"images/[0-9a-f]{16}\.(png|jpg)", h)
                                    for h in images)
    doc = epub.xml("EPUB/images.xhtml")
    sources = doc.xpath("//x:img/@src", namespaces=NS)
    assert set(sources) == set(images) and len(sources) == 4
    text = "".join(doc.itertext())
    for alt in ("missing picture", "outside picture", "symlink to outside", "not a picture",
                "remote picture", "data picture"):
        assert alt in text
    assert epub.metadata("schema:accessMode") == ["textual", "visual"]
    assert epub.metadata("schema:accessModeSufficient") == ["textual,visual"]  # one has no alt
    assert "alternativeText" not in epub.metadata("schema:accessibilityFeature")
    assert epub.metadata("dcterms:conformsTo") == []
    assert "1 of 4 images have no text description" in epub.metadata(
        "schema:accessibilitySummary")[0]


def test_right_to_left_pieces_say_so(adversarial: dict[str, tuple[Path, str]]) -> None:
    epub = Epub(adversarial["sanitise"][0])
    for slug, language in (("arabic", "ar"), ("hebrew", "he")):
        root = epub.xml(f"EPUB/{slug}.xhtml")
        assert (root.get("lang"), root.get(XML_LANG), root.get("dir")) == (language, language,
                                                                           "rtl")
    assert epub.xml("EPUB/hindi.xhtml").get("dir") is None


def test_pieces_named_like_generated_pages_do_not_replace_them(
        adversarial: dict[str, tuple[Path, str]]) -> None:
    epub = Epub(adversarial["escape"][0])
    spine = epub.spine()
    assert spine[0] == "cover.xhtml" and spine[-1] == "about.xhtml"
    assert {"piece_cover.xhtml", "piece_about.xhtml"} <= set(spine)
    assert "Cover Versions" in "".join(epub.xml("EPUB/piece_cover.xhtml").itertext())
    hrefs = epub.nav.xpath("//x:nav[@epub:type='toc']//x:a/@href", namespaces=NS)
    assert "piece_about.xhtml" in hrefs and "about.xhtml" in hrefs
    assert len(epub.names()) == len(set(epub.names()))


def test_adversarial_epub_is_reproducible(adversarial: dict[str, tuple[Path, str]],
                                          tmp_path: Path) -> None:
    epub = adversarial["sanitise"][0]
    root = epub.parents[1]
    again = run_chapbook("build", "--out", str(tmp_path), cwd=root)
    assert again.code == 0, again.stderr
    assert (tmp_path / "adversarial.epub").read_bytes() == epub.read_bytes()


@pytest.mark.skipif(shutil.which("pandoc") is None,
                    reason="pandoc is not installed (make test installs it on Debian)")
@pytest.mark.parametrize("mode", ["escape", "sanitise"])
def test_pandoc_reads_the_adversarial_book(adversarial: dict[str, tuple[Path, str]],
                                           mode: str) -> None:
    done = subprocess.run(["pandoc", "-f", "epub", "-t", "plain", str(adversarial[mode][0])],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    text = " ".join(done.stdout.split())
    for expected in ("Every construct", "deepest ordered", "فيلم هادئ عن عائلة",
                     "סדרה שקטה על שכנים", "पुस्तकालय की कहानी", "心温まる連続ドラマ",
                     "老茶馆的纪录片", "A lighthouse at dusk", "missing picture",
                     "An extremely long title"):
        assert expected in text, expected
    assert ("alert(2)" in text) is (mode == "escape")  # a script in raw HTML: text or gone


# ---- validation ---------------------------------------------------------------------------


BROKEN_TEMPLATE = """{% extends "!classic/epub/piece.xhtml.j2" %}
{% block body %}{{ super() }}<p><blink>not XHTML</blink></p>{% endblock %}
"""


def test_validate_fails_the_build_and_points_at_the_manuscript(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {"good.md": GOOD_REVIEW},
                         MINIMAL_CONFIG + 'formats = ["epub"]\n')
    template = root / "styles" / "classic" / "templates" / "epub" / "piece.xhtml.j2"
    template.parent.mkdir(parents=True)
    template.write_text(BROKEN_TEMPLATE, encoding="utf-8")
    result = run_chapbook("build", "--validate", cwd=root)
    assert result.code == 1
    assert re.search(r"^manuscripts/good\.md: error: EPUBCheck RSC-005: .*blink.* \(in "
                     r"build/everything\.epub/EPUB/good\.xhtml:\d+:\d+\) \[epubcheck\]$",
                     result.stderr, re.MULTILINE), result.stderr


def test_a_template_that_breaks_xhtml_is_an_error_not_a_crash(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {"good.md": GOOD_REVIEW},
                         MINIMAL_CONFIG + 'formats = ["epub"]\n')
    assert run_chapbook("build", cwd=root).code == 0
    previous = (root / "build" / "everything.epub").read_bytes()
    template = root / "styles" / "classic" / "templates" / "epub" / "piece.xhtml.j2"
    template.parent.mkdir(parents=True)
    template.write_text(BROKEN_TEMPLATE.replace("</blink>", ""), encoding="utf-8")
    result = run_chapbook("build", cwd=root)
    assert result.code == 1 and "Traceback" not in result.stderr
    assert "error: the EPUB document good.xhtml is not well-formed XHTML" in result.stderr
    assert "[bad-template]" in result.stderr
    # The body was already being zipped in a worker: the old book stays, nothing is left
    assert (root / "build" / "everything.epub").read_bytes() == previous
    assert list((root / "build").glob(".*.part")) == []


def test_validate_without_java_says_what_is_missing(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {"good.md": GOOD_REVIEW},
                         MINIMAL_CONFIG + 'formats = ["epub"]\n')
    env = {**os.environ, "PATH": str(tmp_path / "empty")}
    done = subprocess.run([sys.executable, "-m", "chapbook", "build", "--validate"], cwd=root,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert "Java" in done.stderr and "[validator-missing]" in done.stderr
    assert "chapbook[validate]" in done.stderr
