"""Text repaired, never lost: mojibake and C1 controls mended (and said where), front
matter that repeats a plain-text title, web pages' titles, links to impossible hosts, and
Markdown tables in both editions."""
# ruff: noqa: RUF001  (typographic quotes, dashes and other scripts are the subject here)

from __future__ import annotations

from pathlib import Path

import pytest

from chapbook.core.diagnostics import Diagnostic, Location, Severity
from chapbook.read.docx import to_text
from chapbook.read.html import without_site_name
from chapbook.read.pool import MAX_REPAIR_NOTES, repair_text
from tests.conftest import (
    GOOD_REVIEW,
    MINIMAL_CONFIG,
    REPO,
    read_piece,
    run_chapbook,
    write_project,
)
from tests.epubtools import Epub, epubcheck_messages
from tests.pdftools import normalise, page_texts

FRONT = "---\nauthor: Ann Critic\ndate: 2024-01-02\nwork: {title: Good Film, kind: film}\n"


def codes(diagnostics: list[Diagnostic], code: str) -> list[tuple[str, str]]:
    return [(str(d.location), d.message) for d in diagnostics if d.code == code]


# ---- mojibake and C1 controls ------------------------------------------------------------


def test_mojibake_and_c1_controls_are_repaired_at_their_lines(tmp_path: Path) -> None:
    text = (FRONT + "title: Caf\u00c3\u00a9 Society\n---\n"
            "A plain first line.\n\n"
            "It\u00e2\u20ac\u2122s a \u00e2\u20ac\u0153good\u00e2\u20ac\x9d caf\u00c3\u00a9.\n\n"
            "He said \x93hello\x94 \x96 and left\x85\n")
    piece, found = read_piece(tmp_path, "moji.md", text.encode("utf-8"))
    assert piece is not None, found
    assert piece.title == "Café Society"
    assert "It’s a “good” café." in piece.body_html
    assert "He said “hello” – and left…" in piece.body_html
    assert not any("\x80" <= c <= "\x9f" for c in piece.body_html)
    repaired = codes(found, "text-repaired")
    assert [where for where, _ in repaired] == [
        "manuscripts/moji.md:5", "manuscripts/moji.md:9", "manuscripts/moji.md:11"]
    assert repaired[0][1] == "text repaired: 'title: CafÃ© Society' → 'title: Café Society'"
    assert "'He said U+0093hello" in repaired[2][1] and "→ 'He said “hello”" in repaired[2][1]
    assert all(d.severity is Severity.INFO for d in found if d.code == "text-repaired")


def test_a_plain_text_review_with_c1_punctuation_is_repaired(tmp_path: Path) -> None:
    text = ("\x91Night Bus 9\x92 review \x96 a long ride\n\n"
            "A standfirst\x85\n\nEveryone knows the feeling.\n")
    piece, found = read_piece(tmp_path, "bus.txt", text.encode("utf-8"))
    assert piece is not None, found
    assert piece.title == "‘Night Bus 9’ review – a long ride"
    assert piece.standfirst == "A standfirst…"
    assert [where for where, _ in codes(found, "text-repaired")] == [
        "manuscripts/bus.txt:1", "manuscripts/bus.txt:3"]


def test_c1_controls_without_a_cp1252_character_are_removed(tmp_path: Path) -> None:
    text = FRONT + "title: Odd\n---\nA line.\n\nAn odd \x81control.\n"
    piece, found = read_piece(tmp_path, "odd.md", text)
    assert piece is not None and "An odd control." in piece.body_html
    assert [(d.code, str(d.location)) for d in found if d.code != "missing-date"] == [
        ("control-characters", "manuscripts/odd.md:9")]


def test_many_repairs_are_summed_up_after_the_first_few(tmp_path: Path) -> None:
    lines = "\n\n".join(f"Line {n} caf\u00c3\u00a9." for n in range(MAX_REPAIR_NOTES + 5))
    piece, found = read_piece(tmp_path, "many.md", FRONT + "title: Many\n---\n" + lines)
    assert piece is not None and piece.body_html.count("café") == MAX_REPAIR_NOTES + 5
    repaired = codes(found, "text-repaired")
    assert len(repaired) == MAX_REPAIR_NOTES + 1
    assert repaired[-1] == ("manuscripts/many.md", "5 more line(s) repaired")


LEGITIMATE = (
    "“Curly” quotes, ‘single’ ones, an em dash — and an ellipsis…\n"
    "Real ligatures: ﬁne ﬂour, and full-width ＡＢＣ１２３ stay as typed.\n"
    "Decomposed e\u0301 and composed \u00e9, naïve façade, Zoë, 30 °C, ½ price, £5.\n"
    "괜찮아요? 日本語の文章「テスト」と中文。 Привет, Ελληνικά, עברית, العربية.\n"
    "Entities as typed: &amp; &lt;b&gt;; Portuguese capitals: NÃO É VERDADE, SÃO PAULO.\n"
    "An emoji flag 🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f and ♥.\n"
)


def test_legitimate_text_is_left_exactly_as_written() -> None:
    assert repair_text(LEGITIMATE, Location("x.md")) == (LEGITIMATE, [])


def test_the_sample_manuscripts_need_no_repair() -> None:
    for path in sorted((REPO / "manuscripts").iterdir()):
        where = Location(path.name)
        if path.suffix == ".docx":
            decoded, _ = to_text(path.read_bytes(), where, 2_000_000)
            assert decoded is not None
        else:
            decoded = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        assert repair_text(decoded, where) == (decoded, []), path.name


# ---- plain text under front matter: no paragraph lost -------------------------------------

SITE_TEXT = ("\u2018Night Bus 9\u2019 review \u2013 the last ride home\n\n"
             "A lean, nasty little chiller\n\n"
             "Everyone who has ever taken a night bus knows the feeling.\n\n"
             "The second paragraph.\n")


def test_a_front_matter_title_the_text_repeats_is_consumed(tmp_path: Path) -> None:
    piece, found = read_piece(tmp_path, "bus.txt", FRONT + "title: \"'NIGHT BUS 9' review - "
                              "the last ride home\"\n---\n" + SITE_TEXT)
    assert piece is not None, found
    assert piece.title == "‘NIGHT BUS 9’ review - the last ride home"  # as the front matter
    assert piece.standfirst == "A lean, nasty little chiller"  # the layout holds
    assert piece.body_html.startswith("<p>Everyone who has ever taken")
    assert "last ride home" not in piece.body_html
    assert codes(found, "title-twice") == []


def test_a_different_first_paragraph_stays_in_the_body(tmp_path: Path) -> None:
    piece, found = read_piece(tmp_path, "bus.txt", FRONT + "title: Night Bus 9\n---\n"
                              + SITE_TEXT)
    assert piece is not None, found
    assert piece.title == "Night Bus 9" and piece.standfirst is None
    paragraphs = [p for p in piece.body_html.split("\n") if p]
    assert paragraphs[0] == "<p>‘Night Bus 9’ review – the last ride home</p>"
    assert paragraphs[1] == "<p>A lean, nasty little chiller</p>"
    assert len(paragraphs) == 4  # every paragraph of the text is in the book
    assert codes(found, "title-twice") == []


def test_a_front_matter_standfirst_the_text_repeats_is_consumed(tmp_path: Path) -> None:
    piece, found = read_piece(tmp_path, "bus.txt", FRONT + "title: Night Bus 9\nsummary: "
                              "a lean nasty little chiller.\n---\n" + SITE_TEXT.split("\n\n", 1)[1])
    assert piece is not None, found
    assert piece.standfirst == "a lean nasty little chiller."
    assert piece.body_html.startswith("<p>Everyone who has ever taken")


def test_a_different_standfirst_paragraph_stays_in_the_body(tmp_path: Path) -> None:
    piece, found = read_piece(tmp_path, "bus.txt", FRONT + "standfirst: Chills on the 9\n---\n"
                              + SITE_TEXT)
    assert piece is not None, found
    assert piece.title == "‘Night Bus 9’ review – the last ride home"  # the title line
    assert piece.standfirst == "Chills on the 9"
    assert piece.body_html.startswith("<p>A lean, nasty little chiller</p>")


def test_title_and_standfirst_both_repeated_are_both_consumed(tmp_path: Path) -> None:
    piece, found = read_piece(tmp_path, "bus.txt", FRONT + "title: 'Night bus 9 review: the "
                              "last ride home'\nstandfirst: A lean, nasty little chiller\n---\n"
                              + SITE_TEXT)
    assert piece is not None, found
    assert piece.body_html.count("<p>") == 2
    assert piece.body_html.startswith("<p>Everyone who has ever taken")


def test_a_plain_text_review_without_front_matter_reads_as_before(tmp_path: Path) -> None:
    piece, _ = read_piece(tmp_path, "bus.txt", SITE_TEXT)
    assert piece is not None
    assert piece.title == "‘Night Bus 9’ review – the last ride home"
    assert piece.standfirst == "A lean, nasty little chiller"
    assert piece.body_html.count("<p>") == 2


# ---- web pages: <h1> over <title>, and no site name --------------------------------------

SAVED_PAGE = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<meta property="og:site_name" content="The Lantern Street Review">
<meta name="author" content="Cy Writer">
</head>
<body>
<header><a href="/">The Lantern Street Review</a></header>
<article>
{heading}
<p>The review itself.</p>
</article>
</body>
</html>
"""


def read_page(tmp_path: Path, title: str, heading: str = "") -> tuple[object, list[Diagnostic]]:
    page = FRONT + "---\n" + SAVED_PAGE.format(title=title, heading=heading)
    return read_piece(tmp_path, "page.html", page)


def test_a_saved_page_prefers_its_h1_to_its_title(tmp_path: Path) -> None:
    piece, found = read_page(tmp_path, "Tidewater Hours review | TV | The Lantern Street Review",
                             "<h1>'Tidewater Hours' review: the gentlest slow burn</h1>")
    assert piece is not None, found
    assert piece.title == "‘Tidewater Hours’ review: the gentlest slow burn"
    assert codes(found, "title-twice") == []
    assert "gentlest" not in piece.body_html and "The review itself." in piece.body_html


@pytest.mark.parametrize(("title", "expected"), [
    ("'Low Season' review | Film | The Lantern Street Review", "‘Low Season’ review"),
    ("'Low Season' review \u2013 The Lantern Street Review", "‘Low Season’ review"),
    ("'Low Season' review - Lantern Street", "‘Low Season’ review"),
    ("'Low Season' review \u2013 a quiet summer by the sea",
     "‘Low Season’ review – a quiet summer by the sea"),
])
def test_a_title_without_h1_loses_the_site_name(tmp_path: Path, title: str,
                                                expected: str) -> None:
    piece, found = read_page(tmp_path, title)
    assert piece is not None, found
    assert piece.title == expected


def test_site_names_are_told_from_the_title_s_own_second_half() -> None:
    assert without_site_name("Foo \u2013 Kim Do-yun shines") == "Foo \u2013 Kim Do-yun shines"
    assert without_site_name("Foo - a small site", "A Small Site") == "Foo"
    assert without_site_name("Spider-Man: a review") == "Spider-Man: a review"
    # a longer title-case tail may be the title's own: kept, unless the page names its site
    assert without_site_name("Foo \u2014 Film of the Week") == "Foo \u2014 Film of the Week"
    assert without_site_name("Foo \u2014 Film of the Week", "Film of the Week") == "Foo"
    dune = "'Dune: Part Two' Review \u2013 Villeneuve Delivers an Epic"
    assert without_site_name(dune) == dune


# ---- links to hosts that cannot exist ----------------------------------------------------


def test_links_with_invalid_hosts_are_dropped_at_their_line(tmp_path: Path) -> None:
    text = (FRONT + "title: Links\n---\nFirst paragraph.\n\n"
            "See <https://../> for more.\n\n"
            "And [this one](https://exa..mple.org/x), [a good one](https://example.org/a),\n"
            "[an IDN](https://münchen.de/) and [a port](http://localhost:8000/).\n")
    piece, found = read_piece(tmp_path, "links.md", text)
    assert piece is not None, found
    body = piece.body_html
    assert 'href="https://../"' not in body and "<span>https://../</span>" in body
    assert "<span>this one</span>" in body
    assert '<a href="https://example.org/a">a good one</a>' in body
    assert 'href="https://xn--mnchen-3ya.de/"' in body and 'href="http://localhost:8000/"' in body
    dropped = [(d.severity, str(d.location)) for d in found if d.code == "link-dropped"]
    assert dropped == [(Severity.WARNING, "manuscripts/links.md:9"),
                       (Severity.WARNING, "manuscripts/links.md:11")]
    assert "whose host is not a valid name" in codes(found, "link-dropped")[0][1]


# ---- Markdown tables ---------------------------------------------------------------------

TABLE = """\

| Film | Year | Rating |
| :--- | :--: | -----: |
| *Her* | 2013 | 4/5 |
| "Up" | 2009 | 5/5 |

After the table.
"""


@pytest.mark.parametrize("raw_html", ["escape", "sanitise"])
def test_pipe_tables_become_tables_with_aligned_columns(tmp_path: Path, raw_html: str) -> None:
    piece, found = read_piece(tmp_path, "table.md", GOOD_REVIEW + TABLE, raw_html=raw_html)
    assert piece is not None, found
    body = piece.body_html
    assert '<th class="align-left">Film</th>' in body
    assert '<th class="align-center">Year</th>' in body
    assert '<td class="align-right">4/5</td>' in body
    assert '<td class="align-left">“Up”</td>' in body  # typography in cells
    assert "style=" not in body and [d.code for d in found] == []


def test_pipes_in_plain_text_stay_text(tmp_path: Path) -> None:
    text = "A title\n\nA standfirst\n\n| a | b |\n| - | - |\n"
    piece, _ = read_piece(tmp_path, "pipes.txt", text)
    assert piece is not None
    assert "<table" not in piece.body_html and "| a | b |" in piece.body_html


def test_a_book_with_a_table_passes_epubcheck_and_prints_it(tmp_path: Path) -> None:
    review = GOOD_REVIEW + TABLE + "\nA bad autolink <https://../> stays text.\n"
    root = write_project(tmp_path / "p", {"table.md": review}, MINIMAL_CONFIG)
    built = run_chapbook("build", cwd=root)
    assert built.code == 0, built.stderr
    epub = root / "build" / "everything.epub"
    assert epubcheck_messages(epub) == []
    chapter = next(name for name in Epub(epub).names() if name.endswith("table.xhtml"))
    assert "<table>" in Epub(epub).read(chapter).decode()
    pdf = root / "build" / "everything.pdf"
    page = next(n for n, text in enumerate(page_texts(pdf)) if "Rating" in text)
    text = normalise(page_texts(pdf)[page])
    assert "Film Year Rating" in text and "Her 2013 4/5" in text


def test_a_repair_never_leaves_what_xml_forbids() -> None:
    text, notes = repair_text("x \u00ef\u00bf\u00be y\n", Location("f.md"))  # U+FFFE's mojibake
    assert text == "x  y\n"
    assert [(d.code, str(d.location)) for d in notes] == [
        ("text-repaired", "f.md:1"), ("control-characters", "f.md:1")]
    assert "U+FFFE" in notes[0].message
