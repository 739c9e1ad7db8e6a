"""Real-world submissions: Word (.docx) and HTML manuscripts meet the same model and checks."""
# ruff: noqa: RUF001  (typographic quotes and dashes are expected in the output)

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from chapbook.read.pool import ReadSettings, read_manuscript

from .conftest import DATA, GOOD_REVIEW, run_chapbook, write_project

WORD = DATA / "docx" / "word-film.docx"


def read(path: Path, root: Path):  # type: ignore[no-untyped-def]
    return read_manuscript(path, ReadSettings(root))


def test_docx_properties_styles_and_front_matter(tmp_path: Path) -> None:
    result = read(WORD, DATA.parent)
    piece = result.manuscript
    assert piece is not None, result.diagnostics
    assert piece.title == "‘Word Film’ review: typed in Word"  # document properties
    assert [c.name for c in piece.authors] == ["Ann Critic", "Bo Writer"]
    assert str(piece.date) == "2024-02-03" and piece.tags == ("drama", "word")
    assert piece.work is not None and piece.work.title == "Word Film"  # typed front matter
    assert piece.rating is not None and piece.rating.short == "4/5"
    assert piece.standfirst == "A standfirst in the Subtitle style"
    body = piece.body_html
    assert "<em>italic</em>" in body and "<strong>bold</strong>" in body
    assert "<h2>A Heading</h2>" in body  # Heading 1 under the piece title
    assert "<blockquote>\n<p>A quotation from the film.</p>" in body
    assert 'class="footnote-ref"' in body and "The footnote’s text." in body
    assert "“straight quotes” – and a dash" in body  # typography as for Markdown
    assert [d.code for d in result.diagnostics] == ["title-twice"]  # the Title paragraph


def test_broken_docx_files_are_located_errors(tmp_path: Path) -> None:
    not_zip = tmp_path / "manuscripts" / "fake.docx"
    not_zip.parent.mkdir()
    not_zip.write_bytes(b"this is not a zip")
    result = read(not_zip, tmp_path)
    assert result.manuscript is None
    assert [(d.code, str(d.location)) for d in result.diagnostics] == [
        ("unreadable", "manuscripts/fake.docx")]
    bomb = tmp_path / "manuscripts" / "bomb.docx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/document.xml", b"\0" * 60_000_000)
    bomb.write_bytes(buffer.getvalue())
    result = read(bomb, tmp_path)
    assert result.manuscript is None and result.diagnostics[0].code == "file-too-large"


PAGE = """\
<!DOCTYPE html>
<html lang="en-GB">
<head>
<title>'Web Film' review: found online</title>
<meta name="author" content="Cy Writer">
<meta name="date" content="2023-13-45">
<meta name="keywords" content="drama, web">
<script>alert("gone")</script>
</head>
<body>
<nav><a href="/">Home</a></nav>
<article>
<h1>'Web Film' review: found online</h1>
<p class="standfirst">A standfirst from the page</p>
<p>Text with <i>emphasis</i>, a <a href="https://example.org/x">link</a>,
a <a href="javascript:alert(1)">bad link</a> and <img src=x onerror="alert(1)">
raw *asterisks* and a &lt;tag&gt;.<sup><a href="#fn1" id="r1">1</a></sup></p>
<ul><li>one</li><li>two</li></ul>
<ol class="notes"><li id="fn1">The note. <a href="#r1">↩</a></li></ol>
</article>
<footer>More Stories: elsewhere</footer>
</body>
</html>
"""


def test_html_head_feeds_metadata_and_body_is_sanitised(tmp_path: Path) -> None:
    page = tmp_path / "manuscripts" / "web.html"
    page.parent.mkdir()
    front = "---\nwork: {title: Web Film, kind: film}\ndate: 2023-05-06\n---\n"
    page.write_text(front + PAGE, encoding="utf-8")
    result = read(page, tmp_path)
    piece = result.manuscript
    assert piece is not None, result.diagnostics
    assert piece.title == "‘Web Film’ review: found online" and piece.language == "en-GB"
    assert piece.byline == "Cy Writer" and piece.tags == ("drama", "web")
    assert str(piece.date) == "2023-05-06"  # the front matter wins over <meta name="date">
    assert piece.standfirst == "A standfirst from the page"
    body = piece.body_html
    assert '<a href="https://example.org/x">link</a>' in body
    assert "javascript" not in body and "alert" not in body and "<img" not in body
    assert "raw *asterisks* and a &lt;tag&gt;." in body  # text stays text
    assert "<li>one</li>" in body and 'class="footnote-item"' in body
    assert "Home" not in body and "More Stories" not in body  # the site's, not the review's
    assert [d.code for d in result.diagnostics] == ["html-dropped"]


def test_html_metadata_errors_point_at_the_meta_line(tmp_path: Path) -> None:
    page = tmp_path / "manuscripts" / "web.html"
    page.parent.mkdir()
    page.write_text(PAGE, encoding="utf-8")
    result = read(page, tmp_path)
    assert result.manuscript is None
    assert [(d.code, str(d.location)) for d in result.diagnostics if d.code != "html-dropped"] \
        == [("bad-metadata", "manuscripts/web.html:6")]


def test_docx_and_html_submissions_join_an_anthology(tmp_path: Path) -> None:
    html_review = "---\nwork: {title: Web Film, kind: film}\n---\n" + \
        PAGE.replace("2023-13-45", "2023-05-06")
    root = write_project(tmp_path / "p", {"good.md": GOOD_REVIEW, "web.html": html_review,
                                          "word.docx": WORD.read_bytes()})
    listed = run_chapbook("list", "--json", cwd=root)
    assert listed.code == 0, listed.stderr
    pieces = json.loads(listed.stdout)["anthologies"][0]["pieces"]
    assert sorted(p["source"] for p in pieces) == [
        "manuscripts/good.md", "manuscripts/web.html", "manuscripts/word.docx"]
    built = run_chapbook("build", "--format", "epub", cwd=root)
    assert built.code == 0, built.stderr
    with zipfile.ZipFile(root / "build" / "everything.epub") as epub:
        assert "A quotation from the film." in epub.read("EPUB/word.xhtml").decode()
        assert "emphasis" in epub.read("EPUB/web.xhtml").decode()
