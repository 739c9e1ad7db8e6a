"""Where pieces and back matter open in print: rectos by default, the next page or run on
when the book says so (`opening`), back matter on rectos (CMOS 1.4), and the screen
profile without blank pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import run_chapbook, write_project
from .pdftools import outline_titles, page_texts

CAPSULES = 300


def _capsule(number: int) -> str:
    return (f"---\ntitle: Capsule {number}\nauthor: Critic {number % 7}\n"
            f"date: 2024-01-{number % 28 + 1:02d}\ntags: [capsule, t{number % 3}]\n"
            f"work: {{title: Film {number}, kind: film}}\n---\n"
            f"One line on film {number}, and that is all it needs.\n")


def _config(opening: str, extra: str = "") -> str:
    return ("[press]\nname = \"Test Press\"\n\n[[anthology]]\nslug = \"capsules\"\n"
            f"title = \"Capsules\"\neditors = [\"Ed Itor\"]\nopening = \"{opening}\"\n{extra}")


@pytest.fixture(scope="module")
def run_on(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 one-line reviews, run on: the print PDF."""
    pieces = {f"c{n:03d}.md": _capsule(n) for n in range(CAPSULES)}
    root = write_project(tmp_path_factory.mktemp("runon") / "p", pieces, _config("run-on"))
    built = run_chapbook("build", "--format", "pdf", cwd=root)
    assert built.code == 0, built.stderr
    return root / "build" / "capsules.pdf"


def test_run_on_capsules_share_pages_with_no_blank_verso(run_on: Path) -> None:
    pages = page_texts(run_on)
    body = [n for n, text in enumerate(pages) if "Capsule 0" in text][1]  # after the contents
    back = next(n for n in range(body, len(pages)) if pages[n].startswith("Contributors"))
    assert body % 2 == 0  # the first capsule opens on a recto (page index even: page odd)
    blank = [n + 1 for n in range(body, back) if not pages[n].strip()]
    assert blank in ([], [back]), f"blank body pages: {blank}"  # a verso before the back
    assert back - body <= CAPSULES / 3, back - body  # several a page, not one a recto


def test_a_run_on_heading_is_never_left_at_the_foot_of_a_page(run_on: Path) -> None:
    """Each capsule's heading is on the page of its first line, and every capsule still
    has its bookmark."""
    pages = page_texts(run_on)
    body = [n for n, text in enumerate(pages) if "Capsule 0" in text][1]
    for number in range(CAPSULES):
        heading = next(n for n in range(body, len(pages))
                       if re.search(rf"\bCapsule {number}\b", pages[n]))
        assert f"One line on film {number}," in pages[heading], number
    bookmarks = [title for title in outline_titles(run_on) if title.startswith("Capsule ")]
    assert len(bookmarks) == CAPSULES


def _openings(pdf: Path, titles: list[str]) -> dict[str, int]:
    """The 1-based page where each title opens (its last appearance as a page's first
    line: the contents lists them too)."""
    pages = page_texts(pdf)
    found = {}
    for title in titles:
        found[title] = max(n + 1 for n, text in enumerate(pages)
                           if text.strip().splitlines()[:1] == [title])
    return found


BACK = ["Contributors", "Index of works reviewed"]


def test_back_matter_opens_on_rectos_in_print_and_follows_on_in_the_screen_profile(
        tmp_path: Path) -> None:
    pieces = {f"c{n:03d}.md": _capsule(n) for n in range(5)}
    root = write_project(tmp_path / "p", pieces, _config("page"))
    built = run_chapbook("build", "--format", "pdf", cwd=root)
    assert built.code == 0, built.stderr
    opened = _openings(root / "build" / "capsules.pdf", BACK)
    assert all(page % 2 == 1 for page in opened.values()), opened
    built = run_chapbook("build", "--format", "pdf", "--profile", "screen", cwd=root)
    assert built.code == 0, built.stderr
    screen = _openings(next((root / "build").glob("capsules*screen*.pdf")), BACK)
    pages = sorted(screen.values())
    assert pages == list(range(pages[0], pages[0] + len(BACK))), screen


def test_pieces_opening_on_the_next_page_leave_no_blank_pages(tmp_path: Path) -> None:
    pieces = {f"c{n:03d}.md": _capsule(n) for n in range(6)}
    root = write_project(tmp_path / "p", pieces, _config("page"))
    assert run_chapbook("build", "--format", "pdf", cwd=root).code == 0
    opened = _openings(root / "build" / "capsules.pdf", [f"Capsule {n}" for n in range(6)])
    pages = sorted(opened.values())
    assert pages[0] % 2 == 1, opened  # the first piece on a recto: folio 1 is a recto
    assert pages == list(range(pages[0], pages[0] + 6)), opened  # one a page, versos too


def test_a_part_runs_on_while_the_book_opens_on_rectos(tmp_path: Path) -> None:
    pieces = {f"c{n:03d}.md": _capsule(n) for n in range(8)}
    parts = ('[[anthology.part]]\ntitle = "Long reads"\npieces = ["c000", "c001", "c002"]\n\n'
             '[[anthology.part]]\ntitle = "Capsules"\nopening = "run-on"\n'
             'pieces = ["c003", "c004", "c005", "c006", "c007"]\n')
    root = write_project(tmp_path / "p", pieces, _config("recto", parts))
    assert run_chapbook("build", "--format", "pdf", cwd=root).code == 0
    pages = page_texts(root / "build" / "capsules.pdf")
    opened = _openings(root / "build" / "capsules.pdf", ["Capsule 0", "Capsule 1", "Capsule 2"])
    assert all(page % 2 == 1 for page in opened.values()), opened
    first_run_on = _openings(root / "build" / "capsules.pdf", ["Capsule 3"])["Capsule 3"]
    assert first_run_on % 2 == 1  # after its part's title page, on a recto
    shared = [text for text in pages if "Capsule 3" in text and "Capsule 4" in text
              and "One line on film 4," in text]
    assert shared, "the run-on part's capsules share a page"


def test_a_reference_to_the_foreword_opens_no_front_matter_page(tmp_path: Path) -> None:
    """The contributors' list refers to the foreword (page vii): that link is no front-
    matter section, so no roman-numbered page appears among the back matter."""
    pieces = {f"c{n:03d}.md": _capsule(n) for n in range(3)}
    pieces["fw.md"] = "---\ntitle: Foreword\nauthor: Critic 0\n---\nWhy these capsules.\n"
    root = write_project(tmp_path / "p", pieces, _config("recto", 'foreword = "fw"\n'))
    assert run_chapbook("build", "--format", "pdf", cwd=root).code == 0
    pages = page_texts(root / "build" / "capsules.pdf")
    body = next(n for n, text in enumerate(pages) if text.strip().endswith("\n1"))
    folios = [text.strip().splitlines()[-1] for text in pages[body:] if text.strip()]
    assert all(folio.isdigit() for folio in folios), folios  # no "ix" among the back matter
