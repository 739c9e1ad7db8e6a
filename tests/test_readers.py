"""Readers: real files in, Manuscripts or located diagnostics out."""

from __future__ import annotations

from pathlib import Path

import pytest

from chapbook.core.diagnostics import Diagnostic, Severity
from chapbook.read.pool import ReadSettings, read_manuscript

from .conftest import DATA, GOOD_REVIEW, read_piece


def errors(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.severity is Severity.ERROR]


def test_markdown_metadata_and_typography(tmp_path: Path) -> None:
    piece, found = read_piece(tmp_path, "good-film.md", GOOD_REVIEW)
    assert piece is not None and not errors(found)
    assert piece.slug == "good-film"
    assert piece.title == "\u2018Good Film\u2019 review: it is good"
    assert [c.name for c in piece.authors] == ["Ann Critic"]
    assert piece.work is not None and piece.work.kind == "film"
    assert piece.rating is not None and piece.rating.text == "4 out of 5"
    assert "\u201cquotes\u201d \u2013 and a dash" in piece.body_html
    assert piece.source.path == "manuscripts/good-film.md"
    assert piece.location_of("rating").line == 6


def test_markdown_title_from_heading_and_footnotes(tmp_path: Path) -> None:
    text = "# A Heading Title\n\nText with a note.[^1]\n\n[^1]: The note.\n"
    piece, _ = read_piece(tmp_path, "note.md", text)
    assert piece is not None
    assert piece.title == "A Heading Title"
    assert "<h1" not in piece.body_html and "<h2" not in piece.body_html
    assert 'id="fn-note-1"' in piece.body_html and 'href="#fn-note-1"' in piece.body_html


def test_raw_html_is_escaped(tmp_path: Path) -> None:
    text = "---\ntitle: T\n---\n<script>alert(1)</script>\n\nHi <b onclick='x'>bold</b>\n"
    piece, _ = read_piece(tmp_path, "html.md", text)
    assert piece is not None
    assert "<script" not in piece.body_html and "<b " not in piece.body_html
    assert "&lt;script&gt;" in piece.body_html


def test_french_typography(tmp_path: Path) -> None:
    text = '---\ntitle: "Un film"\nlanguage: fr\n---\nIl a dit "bonjour" : oui ! Vraiment ?\n'
    piece, _ = read_piece(tmp_path, "fr.md", text)
    assert piece is not None
    assert "\u00ab\u202fbonjour\u202f\u00bb" in piece.body_html  # narrow, as in print
    assert "oui\u202f!" in piece.body_html and "Vraiment\u202f?" in piece.body_html
    assert "\u00a0: oui" in piece.body_html


def test_plain_text_web_copy_layout(tmp_path: Path) -> None:
    text = (DATA / "webcopy" / "lighthouse-keeper.txt").read_text(encoding="utf-8")
    piece, found = read_piece(tmp_path, "lighthouse.txt", text)
    assert piece is not None
    assert piece.title.startswith("\u2018The Lighthouse Keeper\u2019s Daughter\u2019 review")
    assert piece.standfirst == "A patient coastal drama that earns every one of its long, " \
                               "grey silences"
    assert "More Stories" not in piece.body_html and "Sponsored" not in piece.body_html
    assert "Why this actor" not in piece.body_html
    assert "is in cinemas now." in piece.body_html  # content, not furniture
    assert "<p>1995 was the year" in piece.body_html  # not turned into a list
    assert piece.body_html.count("<p>") == 5
    dropped = [d for d in found if d.code == "site-furniture-dropped"]
    assert dropped and dropped[0].location is not None and dropped[0].location.line == 16
    missing = [d for d in found if d.code == "missing-author"]
    assert missing and missing[0].severity is Severity.WARNING


def test_plain_text_with_front_matter(tmp_path: Path) -> None:
    text = ("---\nauthor: Bo Writer\ndate: 2023-05-06\nwork: {title: X, kind: book}\n---\n"
            "X review \u2013 a title line\n\nThe standfirst\n\nBody *not emphasis* <b>.\n")
    piece, found = read_piece(tmp_path, "x.txt", text)
    assert piece is not None and not errors(found)
    assert piece.title == "X review \u2013 a title line"
    assert [c.name for c in piece.authors] == ["Bo Writer"]
    assert "*not emphasis* &lt;b&gt;." in piece.body_html


@pytest.mark.parametrize(("name", "content", "code", "line"), [
    ("bad-yaml.md", "---\ntitle: [unclosed\nauthor: A\n---\nBody\n", "yaml-syntax", 3),
    ("bad-date.md", "---\ntitle: T\nauthor: A\ndate: 2024-02-30\n---\nBody\n", "bad-metadata", 4),
    ("no-title.md", "---\nauthor: A\n---\nJust a body.\n", "missing-title", 1),
    ("empty.md", "", "empty-file", 1),
    ("blank.txt", "\n\n   \n", "empty-file", 1),
    ("latin1.md", "---\ntitle: T\n---\nCaf\xe9 au lait\n".encode("latin-1"), "not-utf8", 4),
    ("unclosed.md", "---\ntitle: T\nBody\n", "front-matter-unclosed", 1),
    ("bad-kind.md", "---\ntitle: T\nwork:\n  title: W\n  kind: opera\n---\nB\n",
     "bad-metadata", 5),
    ("bad-rating.md", "---\ntitle: T\nrating: 7/5\n---\nB\n", "bad-rating", 3),
    ("bad-rating2.md", "---\ntitle: T\nrating: great\n---\nB\n", "bad-rating", 3),
    ("not-mapping.md", "---\n- a\n- b\n---\nB\n", "yaml-not-mapping", 2),
])
def test_bad_input_is_a_located_error(tmp_path: Path, name: str, content: str | bytes,
                                      code: str, line: int) -> None:
    _, found = read_piece(tmp_path, name, content)
    matching = [d for d in errors(found) if d.code == code]
    assert matching, found
    assert matching[0].location is not None
    assert matching[0].location.path == f"manuscripts/{name}"
    assert matching[0].location.line == line


def test_unknown_keys_are_kept_as_info(tmp_path: Path) -> None:
    piece, found = read_piece(tmp_path, "extra.md", "---\ntitle: T\nmood: sunny\n---\nB\n")
    assert piece is not None and piece.extra == {"mood": "sunny"}
    notes = [d for d in found if d.code == "extra-metadata"]
    assert notes and notes[0].severity is Severity.INFO and notes[0].location is not None
    assert notes[0].location.line == 3


def test_control_characters_are_removed(tmp_path: Path) -> None:
    piece, found = read_piece(tmp_path, "ctl.md", "---\ntitle: T\n---\nBell\x07 and form\x0cfeed\n")
    assert piece is not None and "\x07" not in piece.body_html
    assert any(d.code == "control-characters" and d.location and d.location.line == 4
               for d in found)


def test_sample_pool_reads_cleanly() -> None:
    from .conftest import REPO

    pool = sorted((REPO / "manuscripts").iterdir())
    assert len(pool) >= 17
    results = [read_manuscript(p, ReadSettings(root=REPO)) for p in pool]
    problems = [d for r in results for d in r.diagnostics if d.severity >= Severity.WARNING]
    assert problems == []
    pieces = [r.manuscript for r in results if r.manuscript]
    reviews = [p for p in pieces if p.is_review]
    assert len(reviews) >= 16
    assert len({c.name for p in reviews for c in p.authors}) >= 5
    assert {p.work.kind for p in reviews if p.work} >= {"film", "series", "book", "album"}
    assert any("\uac00" <= ch <= "\ud7a3" for p in reviews for ch in p.body_html)  # Hangul
    assert any("footnote" in p.body_html for p in reviews)
    assert sum(p.path.suffix == ".txt" for p in reviews) >= 2


def test_a_large_pool_is_read_in_parallel_with_the_same_results(tmp_path: Path) -> None:
    from chapbook.read.pool import PARALLEL_FROM, ReadSettings, read_manuscript, read_pool

    folder = tmp_path / "manuscripts"
    folder.mkdir()
    count = PARALLEL_FROM + 20
    for n in range(count):
        text = GOOD_REVIEW.replace("Good Film", f"Film {n}")
        if n % 50 == 7:
            text = text.replace("rating: 4/5", "rating: [unclosed")  # located errors too
        (folder / f"r{n:03}.md").write_text(text, encoding="utf-8")
    (folder / "empty.md").write_text("", encoding="utf-8")
    settings = ReadSettings(root=tmp_path)
    parallel = read_pool(folder, settings)
    serial = [read_manuscript(path, settings) for path in sorted(folder.glob("*.md"))]
    assert len(parallel) == count + 1
    assert parallel == serial
    assert sum(r.manuscript is None for r in parallel) == 5  # 4 bad ratings, 1 empty file
