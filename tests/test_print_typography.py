"""Typographic quality of the PDF: measured after layout, hyphen ladders repaired, one report
line per PDF, and --strict failing on what cannot be repaired (issue 18).

The ladder fixture is long English prose of long words, justified on an A6 page: laid out
once, as WeasyPrint alone sets it, it has runs of three or more hyphenated lines; the built
PDF has none. Both are checked in the PDFs' own text (pdftotext), not only in the report.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from chapbook.build.options import BuildOptions
from chapbook.build.plan import plan
from chapbook.pdf.chunkcache import _result_from, _result_to
from chapbook.pdf.jobs import ChunkResult
from chapbook.pdf.typecounts import PieceTypography, Typography, summary
from chapbook.pdf.typography import measure
from chapbook.pdf.weasy import ProjectFetcher, stylesheets_from
from chapbook.render.print_html import render_print
from chapbook.render.styles import load_style

from .conftest import Run, run_chapbook, write_project

LONG_WORDS = (
    "institutionalisation", "characteristically", "uncompromising", "cinematography",
    "notwithstanding", "extraordinarily", "melodramatic", "counterproductive",
    "incomprehensibility", "sentimentalised", "overdetermined", "representational",
    "autobiographical", "disproportionately", "unselfconsciously", "interconnectedness",
    "misunderstandings", "photographically", "indistinguishable")
CONFIG = """\
[press]
name = "Test Press"

[contributors."Ann Critic"]
bio = "Reads long words."

[[anthology]]
slug = "ladders"
title = "Ladders"
editors = ["Ed Itor"]
print = { trim = "a6" }
"""
HEAD = """\
---
title: "Long words"
author: Ann Critic
date: 2024-01-02
work: {title: Long Film, kind: film, year: 2023}
language: en
---
"""
HYPHEN = "\u2010"  # WeasyPrint's hyphenate character


def long_prose(paragraphs: int = 6, words: int = 60) -> str:
    """Short words between long ones, in an order that does not repeat too soon."""
    out, k = [], 0
    for _ in range(paragraphs):
        line = []
        for i in range(words):
            line.append(LONG_WORDS[(k * 7 + i * 3) % len(LONG_WORDS)] if i % 2
                        else ("and", "the", "its", "of", "so")[k % 5])
            k += 1
        out.append(" ".join(line).capitalize() + ".")
    return "\n\n".join(out)


def ladders_in_text(pdf: Path) -> int:
    """Runs of more than two lines ending in the hyphenate character, in pdftotext's
    reading of the PDF (one text line per printed line with -layout)."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    runs, run = 0, 0
    for line in text.splitlines():
        run = run + 1 if line.rstrip().endswith(HYPHEN) else 0
        runs += run == 3
    return runs


@pytest.fixture(scope="module")
def ladder_book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Run]:
    root = write_project(tmp_path_factory.mktemp("ladders") / "project",
                         {"long.md": HEAD + long_prose()}, CONFIG)
    return root, run_chapbook("build", "--format", "pdf", cwd=root)


def unrepaired_layout(root: Path) -> Any:
    """The book's print HTML laid out once by WeasyPrint, as chapbook did before repairs."""
    the_plan = plan(root, BuildOptions())
    assert the_plan.project is not None
    book = the_plan.anthologies[0]
    style, _ = load_style(book.config.style, root, the_plan.project.fallback_fonts)
    assert style is not None
    rendition = render_print(book, style, book.config.print.page_setup("print"))
    fetcher, fonts = ProjectFetcher((root, *style.layers)), FontConfiguration()
    sheets, _ = stylesheets_from(rendition.font_css, rendition.stylesheets,
                                 rendition.setup.css, fetcher, fonts)
    html = HTML(string=rendition.html, base_url=root.as_uri() + "/", url_fetcher=fetcher)
    return html, html.render(stylesheets=sheets, font_config=fonts)


def test_the_fixture_has_ladders_without_the_repair(ladder_book: tuple[Path, Run],
                                                    tmp_path: Path) -> None:
    root, _ = ladder_book
    html, document = unrepaired_layout(root)
    measured = measure(document, html.etree_element).typography.total
    document.write_pdf(tmp_path / "unrepaired.pdf")
    assert measured.ladders >= 2
    assert ladders_in_text(tmp_path / "unrepaired.pdf") == measured.ladders  # same count


def test_the_built_pdf_has_no_ladders(ladder_book: tuple[Path, Run]) -> None:
    root, result = ladder_book
    assert result.code == 0, result.stderr
    pdf = root / "build" / "ladders.pdf"
    assert ladders_in_text(pdf) == 0
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "interconnectedness" in text.replace(HYPHEN + "\n", "")  # the words are all there


def test_every_build_prints_a_typography_line_per_pdf(ladder_book: tuple[Path, Run]) -> None:
    _, result = ladder_book
    lines = [line for line in result.stderr.splitlines() if "typography:" in line]
    assert len(lines) == 1, result.stderr
    assert re.fullmatch(r"ladders\.pdf: typography: 0 ladders, \d+\.\d % hyphenated, "
                        r"0 widows/orphans, 0 stranded headings, 0 overflows"
                        r" \(\d repair layouts?\)", lines[0]), lines[0]
    assert "hyphen-ladder" not in result.stderr


def test_an_up_to_date_build_prints_the_line_again(ladder_book: tuple[Path, Run]) -> None:
    root, first = ladder_book
    again = run_chapbook("build", "--format", "pdf", cwd=root)
    line = next(x for x in first.stderr.splitlines() if "typography:" in x)
    assert "up to date: build/ladders.pdf" in again.stderr and line in again.stderr


def test_strict_fails_on_a_line_wider_than_its_measure(tmp_path: Path) -> None:
    unbreakable = "1234567890" * 8  # no break opportunity, no hyphenation
    root = write_project(tmp_path / "project", {
        "wide.md": HEAD + f"A number too long for any line: {unbreakable}, and more words."},
        CONFIG)
    result = run_chapbook("build", "--format", "pdf", "--strict", cwd=root)
    assert result.code == 1
    assert ("manuscripts/wide.md: warning: ladders.pdf: 1 line wider than the measure "
            "[line-overflow]") in result.stderr
    assert "0 stranded headings, 1 overflow" in result.stderr


STRANDED_PAGE = """<html lang="en"><head><style>
@page {{ size: 100mm 60mm; margin: 5mm; }}
body {{ margin: 0; font-size: 10pt; line-height: 12pt; }}
p {{ margin: 0; orphans: 1; widows: 1; }}
h2 {{ margin: 0; font-size: 10pt; line-height: 12pt; break-after: {after}; }}
</style></head><body><article class="piece" id="piece-one">
{filler}<h2>A heading</h2><p>The paragraph it heads.</p></article></body></html>"""


@pytest.mark.parametrize(("after", "stranded"), [("auto", 1), ("avoid", 0)])
def test_a_heading_at_the_foot_of_a_page_is_found(after: str, stranded: int) -> None:
    # 50 mm of text block hold 11 lines of 12 pt: 10 lines of filler, then the heading
    filler = "<p>Filler.</p>" * 10
    html = HTML(string=STRANDED_PAGE.format(after=after, filler=filler))
    document = html.render()
    measured = measure(document, html.etree_element).typography
    assert len(document.pages) == 2
    assert measured.total.stranded == stranded
    assert [p.piece for p in measured.pieces] == ["piece-one"]


def test_the_counts_survive_the_chunk_cache() -> None:
    typography = Typography((PieceTypography("piece-a", 40, 3, 40, 3, 1, 0, 1, 0, 2),
                             PieceTypography("", 5)), repair_rounds=2)
    result = ChunkResult(3, (False,) * 3, {}, (), (), False, typography)
    assert _result_from(_result_to(result)) == result
    assert summary(typography + typography).startswith(
        "typography: 2 ladders, 7.5 % hyphenated, 2 widows/orphans, 0 stranded headings, "
        "4 overflows")


WIDOW_PAGE = """<html lang="en"><head><style>
@page {{ size: 100mm 60mm; margin: 5mm; }}
body {{ margin: 0; font-size: 10pt; line-height: 12pt; }}
p {{ margin: 0; orphans: {keep}; widows: {keep}; }}
.long {{ width: 2em; }}  /* a word a line: three lines */
</style></head><body>{filler}<p class="long">alpha bravo charlie</p><p>end</p>
</body></html>"""


@pytest.mark.parametrize(("filler", "keep", "widows", "orphans"), [
    (10, 1, 0, 1),  # 11 lines a page: the long paragraph's first line alone at the foot
    (9, 1, 1, 0),  # its last line alone at the top of the next page
    (10, 2, 0, 0), (9, 2, 0, 0),  # as the styles ask: CSS moves the lines
])
def test_widows_and_orphans_are_found(filler: int, keep: int, widows: int,
                                      orphans: int) -> None:
    html = HTML(string=WIDOW_PAGE.format(filler="<p>Filler.</p>" * filler, keep=keep))
    total = measure(html.render(), html.etree_element).typography.total
    assert (total.widows, total.orphans) == (widows, orphans)
