"""Selection, ordering and the checks made while collecting anthologies."""

from __future__ import annotations

from pathlib import Path

from chapbook.build.options import BuildOptions
from chapbook.build.plan import plan
from chapbook.collect.selection import in_language
from chapbook.core.diagnostics import Severity

from .conftest import REPO, write_project

REVIEW = """\
---
title: "{title}"
author: {author}
date: {date}
work: {{title: "{title}", kind: {kind}}}
rating: {rating}
tags: [{tags}]
status: {status}
---
Body of {title}.
"""


def review(title: str, author: str = "A B", date: str = "2024-01-01", kind: str = "film",
           rating: str = "3/5", tags: str = "x", status: str = "ready") -> str:
    return REVIEW.format(title=title, author=author, date=date, kind=kind, rating=rating,
                         tags=tags, status=status)


def config(select: str = "{}", order: str = "date", extra: str = "") -> str:
    return (f'[[anthology]]\nslug = "b"\ntitle = "B"\nselect = {select}\norder = "{order}"\n'
            + extra)


POOL = {
    "a.md": review("Alpha", date="2024-03-01", rating="5/5", tags="horror, comfort"),
    "b.md": review("Bravo", date="2023-01-01", rating="2/5", tags="horror", kind="book"),
    "c.md": review("Charlie", date="2025-06-01", rating="8/10", tags="comfort",
                   author="Zed Young"),
    "d.md": review("Delta", date="2022-02-02", rating="4", tags="comfort", status="draft"),
    "essay.md": "---\ntitle: An essay\nauthor: E D\nkind: essay\n---\nNot a review.\n",
}


def slugs(tmp_path: Path, select: str = "{}", order: str = "date", extra: str = "",
          drafts: bool = False) -> list[str]:
    root = write_project(tmp_path / "p", POOL, config(select, order, extra))
    the_plan = plan(root, BuildOptions(include_drafts=drafts))
    return [p.slug for p in the_plan.anthologies[0].pieces] if the_plan.anthologies else []


def test_select_everything_leaves_out_drafts_and_essays(tmp_path: Path) -> None:
    assert slugs(tmp_path) == ["b", "a", "c"]
    assert slugs(tmp_path, drafts=True) == ["d", "b", "a", "c"]


def test_selection_conditions(tmp_path: Path) -> None:
    assert slugs(tmp_path, '{ tags_any = ["comfort"] }') == ["a", "c"]
    assert slugs(tmp_path, '{ tags_all = ["horror", "comfort"] }') == ["a"]
    assert slugs(tmp_path, '{ tags_none = ["horror"] }') == ["c"]
    assert slugs(tmp_path, '{ kind = ["book"] }') == ["b"]
    assert slugs(tmp_path, "{ rating_min = 4 }") == ["a", "c"]  # 8/10 counts as 4/5
    assert slugs(tmp_path, '{ rating_max = "6/10" }') == ["b"]
    assert slugs(tmp_path, "{ date_from = 2023-06-01, date_to = 2024-12-31 }") == ["a"]
    assert slugs(tmp_path, '{ author = ["Zed Young"] }') == ["c"]


def test_orders(tmp_path: Path) -> None:
    assert slugs(tmp_path, order="-date") == ["c", "a", "b"]
    assert slugs(tmp_path, order="title") == ["a", "b", "c"]
    assert slugs(tmp_path, order="-rating") == ["a", "c", "b"]
    assert slugs(tmp_path, order="author") == ["a", "b", "c"]  # B, A B, then Young, Zed


def test_explicit_pieces_with_did_you_mean(tmp_path: Path) -> None:
    extra = 'pieces = ["c", "esay", "a"]\n'
    root = write_project(tmp_path / "p", POOL, config(extra=extra))
    the_plan = plan(root, BuildOptions())
    unknown = [d for d in the_plan.diagnostics if d.code == "unknown-piece"]
    assert unknown and "did you mean 'essay'?" in unknown[0].message
    assert unknown[0].location is not None and unknown[0].location.line == 6
    assert [p.slug for p in the_plan.anthologies[0].pieces] == ["c", "a"]


def test_selection_that_matches_nothing_is_an_error(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", POOL, config('{ tags_any = ["nothing"] }'))
    the_plan = plan(root, BuildOptions())
    empty = [d for d in the_plan.diagnostics if d.code == "empty-anthology"]
    assert empty and empty[0].severity is Severity.ERROR
    assert empty[0].location is not None and empty[0].location.line == 4


def test_duplicate_slugs_are_reported(tmp_path: Path) -> None:
    pool = {**POOL, "other.md": review("Other").replace("status: ready", "slug: a")}
    root = write_project(tmp_path / "p", pool, config())
    found = [d for d in plan(root, BuildOptions()).diagnostics if d.code == "duplicate-slug"]
    assert found and found[0].location is not None
    assert found[0].location.path == "manuscripts/other.md"


def test_sample_anthologies_share_pieces() -> None:
    the_plan = plan(REPO, BuildOptions())
    books = {b.slug: b for b in the_plan.anthologies}
    assert len(books) >= 2
    shared = set.intersection(*({p.slug for p in b.pieces} for b in books.values()))
    assert len(shared) >= 2
    assert not [d for d in the_plan.diagnostics if d.severity >= Severity.WARNING]


def test_parts_by_language_are_titled_with_the_languages_names(tmp_path: Path) -> None:
    pool = {"en.md": review("English").replace("status:", "language: en\nstatus:"),
            "fr.md": review("French").replace("status:", "language: fr\nstatus:"),
            "ko.md": review("Korean").replace("status:", "language: ko\nstatus:"),
            "he.md": review("Hebrew").replace("status:", "language: iw\nstatus:")}
    titles: dict[str, list[str]] = {}
    for book in ("en", "fr", "ko"):
        extra = f'group_by = "language"\nlanguage = "{book}"\n'
        root = write_project(tmp_path / book, pool, config(extra=extra))
        the_plan = plan(root, BuildOptions())
        titles[book] = [part.title for part in the_plan.anthologies[0].parts]
    # CLDR's plain names ("English", not "English (world)"), as a title starts in the
    # book's language, in the order of its readers' alphabet; iw is Hebrew
    assert titles == {"en": ["English", "French", "Hebrew", "Korean"],
                      "fr": ["Anglais", "Coréen", "Français", "Hébreu"],
                      "ko": ["영어", "프랑스어", "한국어", "히브리어"]}


def test_a_language_selects_its_tags_and_varieties() -> None:
    assert in_language("he", "iw") and in_language("iw", "he")
    assert in_language("EN", "en") and in_language("en-GB", "en")
    assert not in_language("en", "en-GB") and not in_language("fr", "en")
