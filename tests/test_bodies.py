"""Bodies: raw HTML escaped or sanitised, odd links and images, always well-formed XHTML."""

from __future__ import annotations

import os
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from PIL import Image

from chapbook.core.diagnostics import Diagnostic
from chapbook.core.labels import LabelOverrides, labels_for
from chapbook.core.manuscript import Manuscript
from chapbook.read.body import name_backlinks

from .conftest import read_piece


def read(root: Path, text: str, raw_html: str = "escape",
         name: str = "piece.md") -> tuple[Manuscript, list[Diagnostic]]:
    """A Markdown manuscript that must be accepted, and what was found in it."""
    piece, found = read_piece(root, name, text, raw_html=raw_html)
    assert piece is not None, found
    return piece, found


def xml(body: str) -> ElementTree.Element:
    """The body parsed as XML: fails the test if it is not well-formed."""
    return ElementTree.fromstring(f"<div>{body}</div>")


def codes(found: list[Diagnostic]) -> list[str]:
    return [d.code for d in found if d.code != "missing-author"]


def png(path: Path, size: tuple[int, int] = (40, 30), mode: str = "RGB") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new(mode, size, "white" if mode == "RGB" else 0).save(path, format="PNG")
    return path


RAW = """---
title: Raw
---
Hi <b onclick="steal()">bold</b>, <em>em</em> &amp; <i>i</i><br>line &nbsp;&eacute;&copy;

<script>alert("x")</script>
<style>body { display: none }</style>
<div class="box"><span><p>para in span</p></span><ul>stray<li>item</li><p>not li</p></ul></div>
<table><tr><td>cell</td></tr><caption>late caption</caption></table>
<li>lonely item</li> <h1>Raw heading</h1> <iframe src="https://x.example"></iframe>
<a href="javascript:alert(1)">js</a> <a href="https://example.org/a b">web</a>
<p lang="fr" dir="sideways" xml:lang="fr" style="color:red">Bonjour</p>
"""


def test_raw_html_escape_mode_shows_it_as_text(tmp_path: Path) -> None:
    piece, _ = read(tmp_path, RAW)
    tree = xml(piece.body_html)
    assert tree.find(".//b") is None and tree.find(".//script") is None
    assert "<script>" in "".join(tree.itertext())


def test_raw_html_sanitise_mode_keeps_a_safe_valid_subset(tmp_path: Path) -> None:
    piece, found = read(tmp_path, RAW, "sanitise")
    body = piece.body_html
    tree = xml(body)
    assert tree.find(".//b") is not None and tree.find(".//b").get("onclick") is None  # type: ignore[union-attr]
    for gone in ("script", "style", "iframe", "h1"):
        assert tree.find(f".//{gone}") is None, gone
    text = "".join(tree.itertext())
    assert "alert" not in text and "display: none" not in text
    assert "\u00a0\u00e9\u00a9" in text  # named entities are characters now
    assert "<br/>" in body  # void elements closed
    # content models repaired: no block inside a span, list children are items
    assert not tree.findall(".//span/p")
    assert all(child.tag == "li" for ul in tree.iter("ul") for child in ul)
    assert tree.find(".//h2").text == "Raw heading"  # type: ignore[union-attr]
    table = tree.find(".//table")
    assert table is not None and table[0].tag == "caption"
    paragraph = next(p for p in tree.iter("p") if p.text == "Bonjour")
    assert paragraph.attrib == {"lang": "fr"}  # bad dir, xml:lang and style dropped
    assert "link-dropped" in codes(found)  # the javascript: link is text now
    assert not [a for a in tree.iter("a") if "javascript" in (a.get("href") or "")]


def test_footnotes_cited_twice_keep_their_number_and_targets(tmp_path: Path) -> None:
    text = "A[^1] and again[^1].\n\n[^1]: The note.\n"
    for mode in ("escape", "sanitise"):
        piece, found = read(tmp_path, f"---\ntitle: N\n---\n{text}", mode)
        tree = xml(piece.body_html)
        refs = [a for a in tree.iter("a") if a.get("role") == "doc-noteref"]
        assert [a.text for a in refs] == ["[1]", "[1]"]
        ids = [e.get("id") for e in tree.iter() if e.get("id")]
        assert len(ids) == len(set(ids)) == 3
        targets = {a.get("href", "")[1:] for a in tree.iter("a")}
        assert targets <= set(ids)
        assert tree.find(".//section[@role='doc-endnotes']") is not None
        assert codes(found) == []


def backlink_names(body: str) -> list[str | None]:
    return [a.get("aria-label") for a in xml(body).iter("a") if a.get("role") == "doc-backlink"]


def test_footnote_back_links_are_read_without_words_and_named_in_a_language(
        tmp_path: Path) -> None:
    # The reading is cached for every book: the words come as a book shows the piece.
    text = "---\ntitle: N\n---\nA[^1] and B[^two] and A again[^1].\n\n[^1]: One.\n\n[^two]: Two.\n"
    for mode in ("escape", "sanitise"):
        piece, _ = read(tmp_path, text, mode)
        assert backlink_names(piece.body_html) == [None, None, None]
        assert "Back to" not in piece.body_html
    korean = name_backlinks(piece.body_html, labels_for("ko"))
    assert backlink_names(korean) == [labels_for("ko").text("footnote_backlink", number=n)
                                      for n in ("1", "1", "2")]
    assert "Back to" not in korean and "\uac01\uc8fc 1" in korean  # 각주 1
    arabic = backlink_names(name_backlinks(piece.body_html, labels_for("ar-EG")))
    assert arabic[2] is not None and "\u0662" in arabic[2]  # ٢: the language's digits
    english = name_backlinks(piece.body_html, labels_for("en"))
    assert backlink_names(english)[0] == "Back to the text of note 1"
    told = labels_for("fr", LabelOverrides.from_table(
        {"fr": {"footnote_backlink": "Vers l'appel \"%(number)s\" & retour"}}))
    assert backlink_names(name_backlinks(piece.body_html, told))[2] == \
        "Vers l'appel \"2\" & retour"  # escaped in the attribute: still well-formed


def test_an_authors_own_name_for_a_back_link_is_kept(tmp_path: Path) -> None:
    text = ('---\ntitle: N\n---\nText[^1]\n\n[^1]: Note <a href="#fnref-piece-1" '
            'role="doc-backlink" aria-label="Mine">back</a>\n')
    piece, _ = read(tmp_path, text, "sanitise")
    assert backlink_names(name_backlinks(piece.body_html, labels_for("fr"))) == [
        "Mine", labels_for("fr").text("footnote_backlink", number="1")]


def test_raw_html_cannot_steal_footnote_ids(tmp_path: Path) -> None:
    text = ('---\ntitle: N\n---\n<a id="fn-piece-1" name="x">spoof</a> <p id="fnref-piece-1">'
            "p</p>\n\nText[^1]\n\n[^1]: Note.\n")
    piece, _ = read(tmp_path, text, "sanitise")
    tree = xml(piece.body_html)
    ids = [e.get("id") for e in tree.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    for link in tree.iter("a"):
        href = link.get("href", "")
        assert not href.startswith("#") or href[1:] in ids


LINKS = """---
title: Links
---
A [web link](https://example.org/path?q=1&r=2) and [mail](mailto:ed@example.org).

[relative](other-review.md) and [empty]() on line 6.

[nowhere](#no-such-id) and [script](javascript:alert(1)) and [data](data:text/html,hi).
"""


def test_odd_links_become_text_with_located_warnings(tmp_path: Path) -> None:
    piece, found = read(tmp_path, LINKS)
    tree = xml(piece.body_html)
    assert sorted(a.get("href") for a in tree.iter("a")) == [  # type: ignore[type-var]
        "https://example.org/path?q=1&r=2", "mailto:ed@example.org"]
    text = "".join(tree.itertext())
    for words in ("relative", "empty", "nowhere", "script", "data"):
        assert words in text
    dropped = {d.message.split("'")[1]: d for d in found if d.code == "link-dropped"}
    assert set(dropped) == {"relative", "empty", "nowhere"}
    assert dropped["relative"].location is not None
    assert str(dropped["relative"].location) == "manuscripts/piece.md:6"
    assert str(dropped["empty"].location) == "manuscripts/piece.md:6"
    assert str(dropped["nowhere"].location) == "manuscripts/piece.md:8"


def test_images_resolve_inside_the_project_and_get_stable_names(tmp_path: Path) -> None:
    picture = png(tmp_path / "manuscripts" / "pics" / "still frame.png")
    text = ("---\ntitle: Pic\n---\nBefore.\n\n![A ferry at dusk](<pics/still frame.png>)\n\n"
            "![](pics/still%20frame.png)\n")
    piece, found = read(tmp_path, text)
    assert len(piece.images) == 1  # the same file twice is one image
    asset = piece.images[0]
    assert asset.path == picture.resolve()
    assert re.fullmatch(r"images/[0-9a-f]{16}\.png", asset.name)
    assert (asset.media_type, asset.width, asset.height) == ("image/png", 40, 30)
    images = list(xml(piece.body_html).iter("img"))
    assert [i.get("src") for i in images] == [asset.name, asset.name]
    assert [i.get("alt") for i in images] == ["A ferry at dusk", ""]
    assert codes(found) == ["image-no-alt"]
    assert [str(d.location) for d in found if d.code == "image-no-alt"] == [
        "manuscripts/piece.md:8"]


def test_refused_and_broken_images_become_their_description(tmp_path: Path) -> None:
    outside = png(tmp_path / "elsewhere" / "secret.png")
    project = tmp_path / "project"
    (project / "manuscripts").mkdir(parents=True)
    os.symlink(outside, project / "manuscripts" / "link.png")
    (project / "manuscripts" / "fake.jpg").write_text("not an image", encoding="utf-8")
    (project / "manuscripts" / "page.svg").write_text("<svg/>", encoding="utf-8")
    png(project / "manuscripts" / "bomb.png", (10_000, 10_000), "1")
    cases = {
        "link.png": "image-refused", "../../elsewhere/secret.png": "image-refused",
        "/etc/hostname": "image-refused", "https://example.org/x.png": "image-refused",
        "missing.png": "image-missing", "fake.jpg": "image-invalid",
        "page.svg": "image-invalid", "bomb.png": "image-invalid",
    }
    lines = "\n\n".join(f"![shown instead {n}]({src})" for n, src in enumerate(cases))
    piece, found = read(project, f"---\ntitle: Pics\n---\n{lines}\n")
    tree = xml(piece.body_html)
    assert list(tree.iter("img")) == [] and piece.images == ()
    text = "".join(tree.itertext())
    for n in range(len(cases)):
        assert f"shown instead {n}" in text
    assert codes(found) == list(cases.values())
    lines = [d.location.line for d in found if d.location and d.code.startswith("image")]
    assert lines == [4 + 2 * n for n in range(len(cases))]


def test_body_headings_start_at_the_second_level(tmp_path: Path) -> None:
    piece, _ = read(tmp_path, "---\ntitle: H\n---\nText.\n\n## Part\n\n### Sub\n")
    assert [e.tag for e in xml(piece.body_html) if e.tag.startswith("h")] == ["h2", "h3"]


def test_links_without_text_are_left_out(tmp_path: Path) -> None:
    text = ('---\ntitle: L\n---\n[](https://example.org/a) and <a href="https://example.org/b">'
            '<a href="https://example.org/c">c</a></a>\n')
    piece, found = read(tmp_path, text, "sanitise")
    assert [a.get("href") for a in xml(piece.body_html).iter("a")] == ["https://example.org/c"]
    assert codes(found) == ["link-dropped", "link-dropped"]
    assert "<span/>" not in piece.body_html  # print parses bodies as HTML: no self-closing


def test_very_long_title_and_empty_body_still_read(tmp_path: Path) -> None:
    title = "Long " * 399 + "end"
    piece, found = read(tmp_path, f"---\ntitle: {title}\n---\n")
    assert len(piece.title) == len(title) == 1998
    assert piece.body_html == "" and codes(found) == ["empty-body"]


@pytest.mark.parametrize("mode", ["escape", "sanitise"])
def test_every_markdown_construct_is_well_formed(tmp_path: Path, mode: str) -> None:
    text = (Path(__file__).parent / "data" / "adversarial" / "manuscripts" /
            "every-construct.md").read_text(encoding="utf-8")
    piece, _ = read(tmp_path, text, mode)
    tree = xml(piece.body_html)
    for tag in ("h2", "h3", "blockquote", "ol", "ul", "pre", "code", "hr", "em", "strong"):
        assert tree.find(f".//{tag}") is not None, tag
    assert tree.find(".//ul//ul//ol") is not None  # nested lists survive
