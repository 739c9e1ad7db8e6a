"""Collation: contributors, the works index and the subjects index sort as the book's
language sorts (ICU), and `sort_as` still decides where a contributor files."""

from __future__ import annotations

from pathlib import Path

import pytest

from chapbook.build.options import BuildOptions
from chapbook.build.plan import plan
from chapbook.core.collation import sort_key

from .conftest import write_project


@pytest.mark.parametrize(("language", "words", "ordered"), [
    # Swedish: å, ä, ö are letters after z (in that order); code points put ä before å
    ("sv", ["Åkesson", "Zander", "Ärlig", "Öberg", "Andersson"],
     ["Andersson", "Zander", "Åkesson", "Ärlig", "Öberg"]),
    # German: ä files with a, ö with o
    ("de", ["Zander", "Öberg", "Ärlig", "Andersson", "Ober"],
     ["Andersson", "Ärlig", "Ober", "Öberg", "Zander"]),
    # Korean: by syllable, 가 나 다 ... 하
    ("ko", ["하늘", "가방", "나무", "다리"], ["가방", "나무", "다리", "하늘"]),
    # Japanese: kana in gojūon order, hiragana and katakana together; then kanji
    ("ja", ["さくら", "漢字", "かき", "あお", "アイ"], ["アイ", "あお", "かき", "さくら", "漢字"]),
    # case and accents are second to the letters: cote < côte < Cote in French
    ("fr", ["Côte", "cote", "côte", "Cote"], ["cote", "Cote", "côte", "Côte"]),
])
def test_text_sorts_as_the_language_sorts(language: str, words: list[str],
                                          ordered: list[str]) -> None:
    assert sorted(words, key=sort_key(language)) == ordered


def test_an_unknown_language_sorts_by_the_root_collation() -> None:
    assert sorted(["b", "Á", "a"], key=sort_key("tlh")) == ["a", "Á", "b"]


def _review(slug: str, author: str, work: str, tags: list[str]) -> str:
    return (f"---\ntitle: {slug}\nauthor: {author}\ndate: 2024-01-02\n"
            f"work: {{title: \"{work}\", kind: film, year: 2023}}\ntags: [{', '.join(tags)}]\n"
            f"---\nGood.\n")


def _book(root: Path, language: str, contributors: str = "") -> tuple[list[str], list[str],
                                                                        list[str]]:
    config = f"""\
[press]
name = "P"
language = "{language}"
{contributors}
[[anthology]]
slug = "b"
title = "B"
back = {{ tags_index = true }}
formats = ["epub"]
"""
    write_project(root, {
        "a.md": _review("a", "Bo Zander", "Zoo", ["zebra"]),
        "b.md": _review("b", "Anna Ärlig", "Äpplet", ["äpple"]),
        "c.md": _review("c", "Cia Åkesson", "Åren", ["år"]),
        "d.md": _review("d", "Dan Andersson", "The Apa", ["apa"]),
    }, config)
    book = plan(root, BuildOptions()).anthologies[0]
    return ([entry.name for entry in book.contributors],
            [entry.work.title for entry in book.works],
            [entry.tag for entry in book.tag_index])


def test_back_matter_sorts_by_the_books_language(tmp_path: Path) -> None:
    people, works, tags = _book(tmp_path / "sv", "sv")
    assert people == ["Dan Andersson", "Bo Zander", "Cia Åkesson", "Anna Ärlig"]
    assert works == ["The Apa", "Zoo", "Åren", "Äpplet"]  # a leading article is ignored
    assert tags == ["apa", "zebra", "år", "äpple"]
    people, works, tags = _book(tmp_path / "de", "de")
    assert people == ["Cia Åkesson", "Dan Andersson", "Anna Ärlig", "Bo Zander"]
    assert works == ["The Apa", "Äpplet", "Åren", "Zoo"]
    assert tags == ["apa", "äpple", "år", "zebra"]


def test_sort_as_still_decides_where_a_contributor_files(tmp_path: Path) -> None:
    people, _, _ = _book(tmp_path, "sv", '[contributors."Bo Zander"]\nsort_as = "Aaberg, Bo"\n')
    assert people[0] == "Bo Zander"


def test_korean_and_japanese_contributors(tmp_path: Path) -> None:
    config = '[press]\nname = "P"\nlanguage = "{}"\n\n[[anthology]]\nslug = "b"\ntitle = "B"\n'
    names = {"ko": ["하늘", "가방", "나무"], "ja": ["さくら", "かき", "あお"]}
    for language, people in names.items():
        root = write_project(tmp_path / language, {
            f"{n}.md": _review(f"p{n}", person, f"W{n}", ["x"])
            for n, person in enumerate(people)}, config.format(language))
        book = plan(root, BuildOptions()).anthologies[0]
        assert [e.name for e in book.contributors] == sorted(people)  # here code points agree
