"""Metadata as people write it: every accepted form read into the one model, and said so."""
# ruff: noqa: RUF001  (typographic quotes and dashes in headlines are the subject here)

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

import pytest

from chapbook.build.options import BuildOptions
from chapbook.build.plan import plan
from chapbook.core.diagnostics import Diagnostic, Severity
from chapbook.core.manuscript import Manuscript
from chapbook.read.headline import work_title

from .conftest import read_piece, write_project

SEED = Path("/work/shared/seeds/000_82c61f025357954c.txt")


def read(tmp_path: Path, front: str, body: str = "The text.\n",
         title: str = "T") -> tuple[Manuscript, list[Diagnostic]]:
    """A Markdown piece with `front` under a title line (so keys start on line 3)."""
    content = f"---\ntitle: \"{title}\"\n{front}\n---\n{body}"
    piece, found = read_piece(tmp_path, "piece.md", content)
    assert piece is not None, found
    return piece, found


def notes(found: list[Diagnostic], code: str = "metadata-read-as") -> list[Diagnostic]:
    return [d for d in found if d.code == code]


def line_of(diagnostic: Diagnostic) -> int | None:
    return diagnostic.location.line if diagnostic.location else None


# ---- source, dir ----------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "field"), [
    ("https://example.org/review", "url"),
    ("The Lantern Street Review", "publication"),
])
def test_source_as_a_string(tmp_path: Path, value: str, field: str) -> None:
    piece, found = read(tmp_path, f"author: A\nsource: {value}")
    assert piece.source_info is not None
    assert getattr(piece.source_info, field) == value
    [note] = notes(found)
    assert note.severity is Severity.INFO and line_of(note) == 4 and field in note.message


def test_source_first_published_in_words(tmp_path: Path) -> None:
    piece, _ = read(tmp_path, "source: {publication: P, first_published: 23 March 2024}")
    assert piece.source_info is not None
    assert piece.source_info.first_published == dt.date(2024, 3, 23)


@pytest.mark.parametrize(("title", "body", "expected"), [
    ("Tidewater", "Text.", "ltr"),
    ("«שלום»", "טקסט", "rtl"),
    ("123 — مرحبا", "نص", "rtl"),  # digits and punctuation are weak: the Arabic decides
    ("...", "Text first", "ltr"),
])
def test_dir_auto_from_the_first_strong_character(tmp_path: Path, title: str, body: str,
                                                  expected: str) -> None:
    piece, found = read(tmp_path, "author: A\ndir: auto", body + "\n", title=title)
    assert piece.direction == expected
    [note] = notes(found)
    assert line_of(note) == 4 and f"'{expected}'" in note.message


# ---- ratings ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("front", "value", "scale", "short", "noted"), [
    ("rating: 4.5", Fraction(9, 2), 5, "4.5/5", False),
    ("rating: 9.35/10", Fraction("9.35"), 10, "9.35/10", False),
    ("rating: 7\nrating_scale: 10", Fraction(7), 10, "7/10", True),
    ("rating: ★★★★☆", Fraction(4), 5, "4/5", True),
    ("rating: ★★★½", Fraction(7, 2), 5, "3.5/5", True),
    ("rating: ★★★☆☆☆☆☆☆☆", Fraction(3), 10, "3/10", True),
    ("rating: 4.5 stars", Fraction(9, 2), 5, "4.5/5", True),
    ("rating: 3 out of 4", Fraction(3), 4, "3/4", True),
    ("rating: 85%", Fraction(85), 100, "85%", True),
    ("rating: A+", Fraction(12), 12, "A+", True),
    ("rating: B-", Fraction(7), 12, "B-", True),
    ("rating: F", Fraction(0), 12, "F", True),
    ("score: 4/5", Fraction(4), 5, "4/5", True),  # the alias's note
])
def test_rating_forms(tmp_path: Path, front: str, value: Fraction, scale: int, short: str,
                      noted: bool) -> None:
    piece, found = read(tmp_path, front)
    assert piece.rating is not None
    assert (piece.rating.value, piece.rating.scale, piece.rating.short) == (value, scale, short)
    assert bool(notes(found)) is noted
    assert all(line_of(note) == 3 for note in notes(found))


def test_a_letter_grade_reads_sensibly_and_compares(tmp_path: Path) -> None:
    piece, found = read(tmp_path, "rating: B+")
    assert piece.rating is not None
    assert piece.rating.text == "B+ (9 out of 12)"
    assert piece.rating.normalised == pytest.approx(0.75)
    assert "grade B+" in notes(found)[0].message


@pytest.mark.parametrize("value", ["great", "★★★★★★", "G", "F+", "120%", "6 stars"])
def test_unreadable_ratings_are_still_errors(tmp_path: Path, value: str) -> None:
    _, found = read_piece(tmp_path, "r.md", f"---\ntitle: T\nrating: \"{value}\"\n---\nB\n")
    [problem] = [d for d in found if d.code == "bad-rating"]
    assert problem.severity is Severity.ERROR and line_of(problem) == 3


# ---- dates -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    ("23 March 2024", dt.date(2024, 3, 23)),
    ("March 23, 2024", dt.date(2024, 3, 23)),
    ("2024/03/23", dt.date(2024, 3, 23)),
    ("2024년 3월 23일", dt.date(2024, 3, 23)),
    ("2024年3月23日", dt.date(2024, 3, 23)),
    ("23/03/2024", dt.date(2024, 3, 23)),  # 23 cannot be a month
    ("2024-03-23T10:00:00+09:00", dt.date(2024, 3, 23)),
    ("2024-03-23T23:30:00-05:00", dt.date(2024, 3, 23)),  # not moved to the UTC day
    ("2024-03-23T01:00:00Z", dt.date(2024, 3, 23)),
])
def test_date_forms(tmp_path: Path, value: str, expected: dt.date) -> None:
    piece, found = read(tmp_path, f"author: A\ndate: \"{value}\"")
    assert piece.date == expected
    [note] = notes(found)
    assert line_of(note) == 4 and "23 March 2024" in note.message


def test_iso_dates_read_quietly(tmp_path: Path) -> None:
    piece, found = read(tmp_path, "author: A\ndate: 2024-03-23")
    assert piece.date == dt.date(2024, 3, 23) and notes(found) == []


@pytest.mark.parametrize("written", ["03/04/2024", "03/04/2024 10:00", "'le 03/04/2024'",
                                     "03 / 04 / 2024", "3.4.2024."])
def test_an_ambiguous_date_is_an_error_naming_both_readings(tmp_path: Path,
                                                            written: str) -> None:
    _, found = read_piece(tmp_path, "d.md", f"---\ntitle: T\ndate: {written}\n---\nB\n")
    [problem] = [d for d in found if d.code == "ambiguous-date"]
    assert problem.severity is Severity.ERROR and line_of(problem) == 3
    assert "3 April 2024" in problem.message and "4 March 2024" in problem.message
    assert problem.hint and "2024-04-03" in problem.hint and "2024-03-04" in problem.hint


@pytest.mark.parametrize("value", ["tomorrow", "March 2024", "2024-02-30", "someday"])
def test_dates_that_are_not_one_day_are_errors(tmp_path: Path, value: str) -> None:
    _, found = read_piece(tmp_path, "d.md", f"---\ntitle: T\ndate: {value}\n---\nB\n")
    [problem] = [d for d in found if d.code == "bad-metadata"]
    assert line_of(problem) == 3


# ---- people, tags, work, language ----------------------------------------------------------

@pytest.mark.parametrize(("value", "names"), [
    ("By Jane Doe", ["Jane Doe"]),
    ("by Jane Doe", ["Jane Doe"]),
    ("Jane Doe and Sam Lee", ["Jane Doe", "Sam Lee"]),
    ("Jane Doe & Sam Lee", ["Jane Doe", "Sam Lee"]),
    ("By Jane Doe, Sam Lee and Ana Ruiz", ["Jane Doe", "Sam Lee", "Ana Ruiz"]),
    ("[By Jane Doe, Sam Lee]", ["Jane Doe", "Sam Lee"]),
])
def test_author_forms(tmp_path: Path, value: str, names: list[str]) -> None:
    piece, found = read(tmp_path, f"author: {value}")
    assert [c.name for c in piece.authors] == names
    [note] = notes(found)
    assert line_of(note) == 3


@pytest.mark.parametrize("value", ["Mira Seo", "Byron Hale", "Doe, Jane", "[Mira Seo, Jonah Pike]"])
def test_plain_authors_read_as_before(tmp_path: Path, value: str) -> None:
    piece, found = read(tmp_path, f"author: {value}")
    expected = [n.strip() for n in value.strip("[]").split(",")] if "[" in value else [value]
    assert [c.name for c in piece.authors] == expected and notes(found) == []


def test_tags_as_a_comma_separated_string(tmp_path: Path) -> None:
    piece, found = read(tmp_path, "author: A\ntags: Drama, thriller,  k-drama")
    assert piece.tags == ("drama", "thriller", "k-drama")
    assert line_of(notes(found)[0]) == 4


def test_work_as_a_string(tmp_path: Path) -> None:
    piece, found = read(tmp_path, "author: A\nwork: Past Lives")
    assert piece.work is not None
    assert (piece.work.title, piece.work.kind) == ("Past Lives", "other")
    assert line_of(notes(found)[0]) == 4


@pytest.mark.parametrize(("value", "tag", "noted"), [
    ("French", "fr", True), ("Korean", "ko", True), ("français", "fr", True),
    ("한국어", "ko", True), ("pt-BR", "pt-BR", False), ("zh-Hant", "zh-Hant", False),
    ("en-GB", "en-GB", False),
])
def test_language_names_and_tags(tmp_path: Path, value: str, tag: str, noted: bool) -> None:
    piece, found = read(tmp_path, f"author: A\nlanguage: {value}")
    assert piece.language == tag and bool(notes(found)) is noted


@pytest.mark.parametrize("value", ["xx", "en-QQ", "zh-Hanx", "Klingonese", "e1"])
def test_an_invalid_language_is_an_error_with_an_example(tmp_path: Path, value: str) -> None:
    _, found = read_piece(tmp_path, "l.md", f"---\ntitle: T\nlanguage: {value}\n---\nB\n")
    [problem] = [d for d in found if d.code == "bad-language"]
    assert problem.severity is Severity.ERROR and line_of(problem) == 3
    assert "'language'" in problem.message and problem.hint and "pt-BR" in problem.hint


# ---- aliases and near misses ----------------------------------------------------------------

def test_aliases_read_as_their_keys(tmp_path: Path) -> None:
    content = ("---\nheadline: The Headline\nsubtitle: The standfirst\nreviewer: By Ann Lee\n"
               "published: 23 March 2024\n---\nB\n")
    piece, found = read_piece(tmp_path, "a.md", content)
    assert piece is not None
    assert piece.title == "The Headline" and piece.standfirst == "The standfirst"
    assert [c.name for c in piece.authors] == ["Ann Lee"]
    assert piece.date == dt.date(2024, 3, 23)
    lines = sorted(line_of(d) or 0 for d in notes(found) if "read as '" in d.message)
    assert lines == [2, 3, 4, 5]
    assert [line_of(d) for d in notes(found)][:4] == [2, 3, 4, 5]  # in the file's order


def test_the_key_wins_over_its_alias_with_a_warning(tmp_path: Path) -> None:
    piece, found = read(tmp_path, "author: A\nsummary: From the alias\nstandfirst: The key")
    assert piece.standfirst == "The key"
    [warned] = notes(found, "metadata-alias-ignored")
    assert warned.severity is Severity.WARNING and line_of(warned) == 4


def test_a_near_miss_key_asks_did_you_mean(tmp_path: Path) -> None:
    piece, found = read(tmp_path, "author: A\nstandfist: S\nmood: sunny")
    assert piece.extra == {"standfist": "S", "mood": "sunny"}
    extra = {line_of(d): d.message for d in notes(found, "extra-metadata")}
    assert "did you mean 'standfirst'?" in extra[4] and "did you mean" not in extra[5]


# ---- every piece is a review; the work from the headline ------------------------------------

def test_a_piece_without_work_is_a_review_unless_an_essay(tmp_path: Path) -> None:
    review, _ = read(tmp_path, "author: A")
    assert review.is_review and review.work is None
    essay, found = read(tmp_path, "author: A\nkind: essay", title="'X' review: not read")
    assert not essay.is_review and essay.work is None and notes(found, "work-from-headline") == []


def test_the_seed_review_names_its_work_in_the_headline(tmp_path: Path) -> None:
    piece, found = read_piece(tmp_path, "seed.txt", SEED.read_text(encoding="utf-8"))
    assert piece is not None and piece.work is not None
    assert (piece.work.title, piece.work.kind) == ("Soundtrack #1", "other")
    [note] = notes(found, "work-from-headline")
    assert note.severity is Severity.INFO and line_of(note) == 1


def test_the_headline_work_is_located_at_the_title_key(tmp_path: Path) -> None:
    piece, found = read(tmp_path, "author: A", title="Review: Past Lives")
    assert piece.work is not None and piece.work.title == "Past Lives"
    assert line_of(notes(found, "work-from-headline")[0]) == 2


HEADLINES = [
    ("Review: Dune: Part Two", None),  # where the title ends is a guess
    ("Review: Mission: Impossible \u2013 the final one", None),
    ("The Review", None), ("Peer review", None), ("Code review", None),
    ("The Year in review", None), ("Review: \u2013 dash", None),
    ("\u2018The Lighthouse Keeper\u2019s Daughter\u2019 review \u2013 salt and silence",
     "The Lighthouse Keeper\u2019s Daughter"),  # an apostrophe inside the quoted title
    ("'Schindler's List' review: still", "Schindler's List"),
    ("\u2018A\u2019 and \u2018B\u2019 review: both at once", None),
    ("‘Soundtrack #1’ review: an intimate romance becomes the perfect comfort watch",
     "Soundtrack #1"),
    ("'Tidewater Hours' review – a ferry and two strangers", "Tidewater Hours"),
    ("'Night Bus 9' review - the last ride home", "Night Bus 9"),
    ('"Past Lives" review: a quiet triumph', "Past Lives"),
    ("“Past Lives” review — a quiet triumph", "Past Lives"),
    ("‘Dune: Part Two’ review – sand, and more sand", "Dune: Part Two"),
    ("'Schindler's List' review: still unbearable", "Schindler's List"),
    ("‘Aftersun’ review", "Aftersun"),
    ("Review: Past Lives", "Past Lives"),
    ("review: Past Lives", "Past Lives"),
    ("Review: Past Lives – a quiet triumph", "Past Lives"),
    ("Review: ‘Past Lives’ – a quiet triumph", "Past Lives"),
    ("Past Lives review", "Past Lives"),
    ("The Bear review", "The Bear"),
    ("《기생충》 리뷰", "기생충"),
    ("《기생충》리뷰: 계단의 영화", "기생충"),
    ("「万引き家族」レビュー", "万引き家族"),
    ("《燈塔》影評：安靜的電影", "燈塔"),
    ("『君たちはどう生きるか』レビュー 宮崎駿の", "君たちはどう生きるか"),
    ("« La Chimera » : critique", "La Chimera"),
    ("« La Chimera » : critique d'un rêve", "La Chimera"),
    ("Critique : « Anatomie d'une chute »", "Anatomie d'une chute"),
    # nothing is guessed:
    ("‘Past Lives’ and ‘Aftersun’ review: two summers", None),
    ("Why this review of Dune is late", None),
    ("My honest review", None),
    ("A review", None),
    ("Review: ‘X’ is a triumph", None),
    ("Dune review: sand", None),
    ("The quiet parish", None),
    ("Editors' note", None),
    ("I review 'Dune' so you don't have to", None),
    ("‘Dune’ is a triumph: review", None),
    ("《기생충》", None),
    ("", None),
]


@pytest.mark.parametrize(("headline", "title"), HEADLINES)
def test_work_title_from_headline(headline: str, title: str | None) -> None:
    assert work_title(headline) == title


# ---- pieces without a work flow through a book ----------------------------------------------

CONFIG = """\
[press]
name = "Test Press"

[[anthology]]
slug = "all"
title = "All"
order = "{order}"
{extra}
"""

POOL = {
    "known.md": "---\ntitle: K\nauthor: A B\ndate: 2024-01-01\n"
                "work: {title: Known, kind: film}\n---\nB\n",
    "headline.md": "---\ntitle: \"'Heard Of' review: fine\"\nauthor: A B\n"
                   "date: 2024-01-02\n---\nB\n",
    "unknown.md": "---\ntitle: Just thoughts\nauthor: C D\ndate: 2024-01-03\n---\nB\n",
    "essay.md": "---\ntitle: An essay\nauthor: E F\nkind: essay\n---\nB\n",
}


@pytest.mark.parametrize(("order", "extra", "expected"), [
    ("work", "", ["headline", "known", "unknown"]),
    ("-work", "", ["known", "headline", "unknown"]),
    ("date", 'group_by = "work.kind"', ["known", "headline", "unknown"]),
    ("title", 'select = { kind = ["other"] }', ["headline"]),
])
def test_pieces_without_a_work_are_selected_ordered_grouped_indexed(
        tmp_path: Path, order: str, extra: str, expected: list[str]) -> None:
    root = write_project(tmp_path / "p", POOL, CONFIG.format(order=order, extra=extra))
    the_plan = plan(root, BuildOptions())
    assert [d for d in the_plan.diagnostics if d.severity is Severity.ERROR] == []
    [book] = the_plan.anthologies
    assert [p.slug for p in book.pieces] == expected
    assert {e.work.title for e in book.works} <= {"Known", "Heard Of"}
    if "group_by" in extra:
        assert [part.title for part in book.parts] == ["Films", "Other works", "Other"]



def test_a_top_level_kind_of_work_is_the_works_kind(tmp_path: Path) -> None:
    text = ("---\ntitle: A radio play\nauthor: Jane Doe\ndate: 2024-01-01\n"
            "work: The Lighthouse Tapes\nkind: podcast\n---\nText.\n")
    piece, found = read_piece(tmp_path, "radio.md", text)
    assert piece is not None and piece.work is not None
    assert (piece.work.title, piece.work.kind, piece.kind) == (
        "The Lighthouse Tapes", "podcast", "review")
    assert any("kind 'podcast' read as the kind of the work" in d.message for d in found)


@pytest.mark.parametrize(("written", "authors"), [
    ("Doe, Jane and Sam Lee", ["Doe, Jane", "Sam Lee"]),  # surname first stays one name
    ("By", []),  # names nobody: the piece has no author, and says so
])
def test_author_edge_cases(tmp_path: Path, written: str, authors: list[str]) -> None:
    piece, found = read_piece(tmp_path, "a.md", f"---\ntitle: T\nauthor: {written}\n---\nB\n")
    assert piece is not None
    assert [c.name for c in piece.authors] == authors
    assert any(d.code == "missing-author" for d in found) == (not authors)


def test_capitalised_keys_and_a_string_scale(tmp_path: Path) -> None:
    text = ("---\nTitle: \"'Dune' review\"\nAuthor: Jane Doe\nDate: 2024-03-01\nrating: 4\n"
            "rating_scale: '10'\nlanguage: en-x-house\n---\nB\n")
    piece, found = read_piece(tmp_path, "caps.md", text)
    assert piece is not None, found
    assert (piece.title, piece.byline, str(piece.date)) == ("‘Dune’ review", "Jane Doe",
                                                           "2024-03-01")
    assert piece.rating is not None and piece.rating.short == "4/10"
    assert piece.language == "en-x-house"
    assert any(d.message == "'Title' read as 'title'" for d in found)


def test_a_scale_that_cannot_apply_is_said(tmp_path: Path) -> None:
    text = "---\ntitle: T\nrating: 4/5\nrating_scale: 10\n---\nB\n"
    piece, found = read_piece(tmp_path, "s.md", text)
    assert piece is not None and piece.rating is not None and piece.rating.short == "4/5"
    assert [d.code for d in found if d.code == "rating-scale-ignored"] == [
        "rating-scale-ignored"]


@pytest.mark.parametrize(("line", "says"), [
    ("rating: [4, 5]", "'rating': must be a rating such as 4/5"),
    ("date: 2024-02-30", "'date': is not a date that exists"),
    ("title: ''", "'title': must not be empty"),
    ("work: {title: X, kind: film, year: 500}", "'work.year': must be at least 1000"),
])
def test_one_refusal_per_value_in_plain_words(tmp_path: Path, line: str, says: str) -> None:
    _, found = read_piece(tmp_path, "p.md", f"---\ntitle: T\n{line}\n---\nB\n")
    errors = [d for d in found if d.severity >= Severity.ERROR]
    assert len(errors) == 1 and errors[0].message.startswith(says), errors
    assert line_of(errors[0]) == 3
    assert "Input should" not in errors[0].message and "constrained" not in errors[0].message
