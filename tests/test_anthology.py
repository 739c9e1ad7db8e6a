"""Themed anthologies on generated pools: selection, order and parts as properties, the
generated back matter, and the checks on a collection."""

from __future__ import annotations

import datetime as dt
import random
import zipfile
from fractions import Fraction
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from chapbook.build.options import BuildOptions
from chapbook.build.plan import plan
from chapbook.collect.anthologies import CollectOptions, collect
from chapbook.core.anthology import sort_title
from chapbook.core.config import Config, Project
from chapbook.core.diagnostics import Location, Severity
from chapbook.core.manuscript import Contributor, Manuscript, Rating, Work

from .conftest import write_project
from .pdftools import contents_entries, page_labels, page_texts

TAGS = ["horror", "comfort", "romance", "k-drama", "food", "dread", "folk", "music"]
KINDS = ["film", "series", "book", "album", "game"]
AUTHORS = ["Mira Seo", "Tomasz Wren", "Adaeze Okafor", "Jonah Pike", "Ana Lima"]


@st.composite
def pools(draw: Any) -> list[Manuscript]:
    size = draw(st.integers(min_value=150, max_value=300))
    rng = random.Random(draw(st.integers(0, 2**32)))
    return [_manuscript(i, rng) for i in range(size)]


def _manuscript(index: int, rng: random.Random) -> Manuscript:
    scale = rng.choice([5, 10])
    kind = rng.choice(KINDS)
    work = Work(title=rng.choice(["The ", "A ", ""]) + f"Work {rng.randint(1, 60)}", kind=kind,
                year=rng.choice([None, 2019, 2021, 2024]))
    return Manuscript(
        slug=f"m{index:04d}", source=Location(f"manuscripts/m{index:04d}.md"),
        path=Path(f"m{index:04d}.md"), title=f"Review {rng.randint(1, 99)}",
        body_html="<p>x</p>", content_hash=str(index), language=rng.choice(["en", "fr"]),
        contributors=(Contributor(rng.choice(AUTHORS)),),
        date=rng.choice([None, dt.date(2020, 1, 1) + dt.timedelta(days=rng.randint(0, 2000))]),
        work=work, rating=rng.choice([None, Rating(Fraction(rng.randint(0, scale)), scale)]),
        tags=tuple(rng.sample(TAGS, rng.randint(0, 3))),
        status=rng.choice(["ready"] * 9 + ["draft"]),
    )


QUERIES = st.fixed_dictionaries({}, optional={
    "tags_any": st.lists(st.sampled_from(TAGS), max_size=2),
    "tags_all": st.lists(st.sampled_from(TAGS), max_size=2),
    "tags_none": st.lists(st.sampled_from(TAGS), max_size=1),
    "kind": st.lists(st.sampled_from(KINDS), max_size=2),
    "rating_min": st.sampled_from([2, 3, "6/10"]),
    "date_from": st.sampled_from([dt.date(2021, 1, 1), dt.date(2023, 6, 1)]),
    "author": st.lists(st.sampled_from(AUTHORS), max_size=2),
})


def _satisfies(m: Manuscript, query: dict[str, Any]) -> bool:
    """An independent statement of what each query key means."""
    tags = set(m.tags)
    if query.get("tags_any") and not tags.intersection(query["tags_any"]):
        return False
    if not set(query.get("tags_all", [])) <= tags or tags & set(query.get("tags_none", [])):
        return False
    if query.get("kind") and m.work and m.work.kind not in query["kind"]:
        return False
    if "rating_min" in query:
        low = Fraction(6, 10) if query["rating_min"] == "6/10" else Fraction(
            query["rating_min"], 5)
        if m.rating is None or Fraction(m.rating.value, m.rating.scale) < low:
            return False
    if "date_from" in query and (m.date is None or m.date < query["date_from"]):
        return False
    return not query.get("author") or m.contributors[0].name in query["author"]


def _project(anthology: dict[str, Any]) -> Project:
    config = Config.model_validate({"anthology": [{"slug": "b", "title": "B", **anthology}]})
    return Project(Path("."), config, Location("chapbook.toml"), {})


def _collect(pool: list[Manuscript], **anthology: Any) -> tuple[Any, list[Any]]:
    books, problems = collect(_project(anthology), pool, CollectOptions(today=dt.date(2030, 1,
                                                                                        1)))
    return (books[0] if books else None), problems


@settings(max_examples=25, deadline=None, derandomize=True)
@given(pool=pools(), query=QUERIES)
def test_selection_takes_exactly_the_matching_ready_pieces(pool: list[Manuscript],
                                                            query: dict[str, Any]) -> None:
    book, _ = _collect(pool, select=query)
    expected = {m.slug for m in pool if m.status == "ready" and _satisfies(m, query)}
    chosen = [m.slug for m in book.pieces] if book else []
    assert len(chosen) == len(set(chosen))  # no piece twice
    assert set(chosen) == expected  # none lost, none extra


ORDERS = ["date", "-date", "title", "-title", "rating", "-rating", "author", "work"]


@settings(max_examples=20, deadline=None, derandomize=True)
@given(pool=pools(), order=st.sampled_from(ORDERS), seed=st.integers(0, 1000))
def test_order_is_sorted_stable_and_independent_of_pool_order(pool: list[Manuscript],
                                                               order: str, seed: int) -> None:
    book, _ = _collect(pool, order=order)
    shuffled = pool[:]
    random.Random(seed).shuffle(shuffled)
    again, _ = _collect(shuffled, order=order)
    assert [m.slug for m in book.pieces] == [m.slug for m in again.pieces]
    key = {"date": lambda m: m.date, "title": lambda m: m.title.casefold(),
           "rating": lambda m: m.rating.normalised if m.rating else None,
           "author": lambda m: m.contributors[0].name.split()[-1].casefold(),
           "work": lambda m: m.work.title.casefold()}[order.lstrip("-")]
    keyed = [key(m) for m in book.pieces]
    present = [k for k in keyed if k is not None]
    assert keyed[:len(present)] == present  # pieces without the key come last
    assert present == sorted(present, reverse=order.startswith("-"))
    for first, second in zip(book.pieces, book.pieces[1:], strict=False):
        if key(first) == key(second):
            assert first.slug < second.slug  # ties broken by slug


@settings(max_examples=15, deadline=None, derandomize=True)
@given(pool=pools(), group_by=st.sampled_from(["work.kind", "work.year", "year", "tag",
                                               "author", "language"]))
def test_parts_partition_the_selection(pool: list[Manuscript], group_by: str) -> None:
    flat, _ = _collect(pool, order="title")
    grouped, _ = _collect(pool, order="title", group_by=group_by)
    in_parts = [m.slug for part in grouped.parts for m in part.pieces]
    assert sorted(in_parts) == sorted(m.slug for m in flat.pieces)
    assert len(in_parts) == len(set(in_parts))
    assert [m.slug for m in grouped.pieces] == in_parts  # reading order follows the parts
    for part in grouped.parts:
        titles = [m.title.casefold() for m in part.pieces]
        assert titles == sorted(titles)  # the book's order holds inside each part


def test_explicit_parts_keep_a_piece_in_the_first_part_that_takes_it() -> None:
    pool = [_manuscript(i, random.Random(i)) for i in range(200)]
    book, problems = _collect(pool, part=[
        {"title": "Horror", "select": {"tags_any": ["horror"]}},
        {"title": "Comfort", "select": {"tags_any": ["comfort"]}},
        {"title": "Nothing", "select": {"tags_any": ["no-such-tag"]}}])
    horror, comfort, nothing = book.parts
    assert not set(horror.pieces) & set(comfort.pieces)
    assert all("horror" in m.tags for m in horror.pieces) and not nothing.pieces
    both = [m for m in comfort.pieces if "horror" in m.tags]
    assert both == []
    codes = {p.code for p in problems}
    assert {"piece-twice", "empty-part"} <= codes


def test_works_index_sorts_without_articles_and_merges_reviews() -> None:
    assert sort_title("The Night Ward") == "night ward"
    assert sort_title("A Quiet Place") == "quiet place"
    assert sort_title("\u2018The Thing\u2019") == "thing\u2019"
    pool = [_manuscript(i, random.Random(i)) for i in range(200)]
    book, _ = _collect(pool)
    keys = [entry.sort_key for entry in book.works]
    assert keys == sorted(keys)
    reviewed = [slug for entry in book.works for slug in entry.pieces]
    assert sorted(reviewed) == sorted(m.slug for m in book.pieces)


COLLECTION_CHECKS = """\
[[anthology]]
slug = "b"
title = "B"

[[anthology.part]]
title = "Empty"
select = { tags_any = ["nothing"] }

[[anthology.part]]
title = "All"
"""


def test_collection_checks_are_located(tmp_path: Path) -> None:
    review = ("---\ntitle: T{n}\nauthor: {author}\ndate: {date}\nwork: {{title: W{n}, kind: film}}"
              "\n---\nBody.\n")
    root = write_project(tmp_path / "p", {
        "a.md": review.format(n=1, author="Jae Seo", date="2024-01-01"),
        "b.md": review.format(n=2, author="Jae Seo", date="2024-02-01"),
        "c.md": review.format(n=3, author="J. Seo", date="2099-05-01"),
        "d.md": review.format(n=4, author="Lucia Ferrer", date="2024-03-01"),
        "e.md": review.format(n=5, author="Lucía Ferrer", date="2024-03-02"),
    }, COLLECTION_CHECKS)
    found = {(d.code, str(d.location)): d for d in plan(root, BuildOptions()).diagnostics}
    assert ("author-variant", "manuscripts/c.md:3") in found
    assert "'J. Seo' looks like 'Jae Seo' (2 piece(s))" in found[
        ("author-variant", "manuscripts/c.md:3")].message
    assert any(code == "author-variant" and "Luc" in d.message
               for (code, _), d in found.items())
    assert ("date-in-future", "manuscripts/c.md:4") in found
    assert ("empty-part", "chapbook.toml:5") in found
    assert found[("missing-bio", "chapbook.toml")].severity is Severity.WARNING


def test_name_variant_check_finds_the_same_pairs_as_comparing_every_pair() -> None:
    """The variant check compares only names sharing a surname, given name or spelling
    edge; on a pool of random names plus known variants it must accept exactly the pairs
    an exhaustive comparison accepts."""
    from itertools import combinations

    from chapbook.collect.poolchecks import _candidate_pairs, looks_like_same_person

    rng = random.Random(7)

    def word() -> str:
        return rng.choice("BCDFGKLMNPRST") + "".join(rng.choices("aeioulnrst", k=rng.randint(2, 7)))

    names = {f"{word()} {word()}" for _ in range(300)}
    names |= {"Lucia Ferrer", "Lucía Ferrer", "Lucia Ferer", "J. Seo", "Jae Seo", "Jae Won Seo",
              "Anne-Marie Roy", "Anne Marie Roy", "Marta Kowalska", "Marta Kowalskaa"}
    every = {pair for pair in combinations(sorted(names), 2) if looks_like_same_person(*pair)}
    blocked = {pair for pair in _candidate_pairs(names) if looks_like_same_person(*pair)}
    assert blocked == every
    assert ("Lucia Ferer", "Lucia Ferrer") in every


def test_back_matter_page_numbers_and_links(built_sample: Path) -> None:
    pdf = built_sample / "build" / "comfort-watches.pdf"
    labels = page_labels(pdf)
    texts = page_texts(pdf)
    back_start = next(i for i, t in enumerate(texts) if t.lstrip().startswith("Contributors"))
    entries = [e for e in contents_entries(pdf, range(back_start, len(texts)))
               if e.target.startswith("piece-")]
    assert len(entries) >= 20  # contributors, works, subjects, acknowledgements
    for entry in entries:
        assert entry.printed_page == labels[entry.target_index], entry
    with zipfile.ZipFile(built_sample / "build" / "comfort-watches.epub") as epub:
        names = set(epub.namelist())
        for section in ("contributors", "works", "tags", "acknowledgements", "about"):
            document = epub.read(f"EPUB/{section}.xhtml").decode()
            hrefs = {h.split('"')[0] for h in document.split('href="')[1:]} - {"css/book.css"}
            assert all(f"EPUB/{href}" in names for href in hrefs), section
        assert "Index of works reviewed" in epub.read("EPUB/nav.xhtml").decode()
