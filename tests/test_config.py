"""chapbook.toml: schema errors name the key path and the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from chapbook.core.config import load_project, toml_key_lines

BASE = """\
[press]
name = "P"

[[anthology]]
slug = "one"
title = "One"

[[anthology]]
slug = "two"
title = "Two"
select = { tags_any = ["a"] }
"""


def load(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    (tmp_path / "chapbook.toml").write_text(text, encoding="utf-8")
    return load_project(tmp_path)


def test_valid_config_loads(tmp_path: Path) -> None:
    project, problems = load(tmp_path, BASE)
    assert problems == [] and project is not None
    assert [a.slug for a in project.config.anthology] == ["one", "two"]
    assert project.config.anthology[1].select.tags_any == ["a"]
    assert project.config.anthology[0].formats == ["epub", "pdf"]


@pytest.mark.parametrize(("text", "key", "line"), [
    (BASE + "colour = 'red'\n", "anthology[1].colour", 12),
    (BASE.replace('name = "P"', 'name = "P"\nnmae = "Q"'), "press.nmae", 3),
    (BASE.replace('tags_any = ["a"]', 'tagz = ["a"]'), "anthology[1].select.tagz", 11),
    ("[press]\nname = 'P'\n[pres]\nx = 1\n[[anthology]]\nslug='a'\ntitle='A'\n", "pres", 3),
])
def test_unknown_key_names_path_and_line(tmp_path: Path, text: str, key: str, line: int) -> None:
    project, problems = load(tmp_path, text)
    assert project is None
    unknown = [p for p in problems if p.code == "config-unknown-key"]
    assert unknown, problems
    assert f"'{key}'" in unknown[0].message
    assert unknown[0].location is not None and unknown[0].location.path == "chapbook.toml"
    assert unknown[0].location.line == line


def test_toml_syntax_error_has_line(tmp_path: Path) -> None:
    _, problems = load(tmp_path, "[press]\nname = \n")
    assert problems[0].code == "config-syntax"
    assert problems[0].location is not None and problems[0].location.line == 2


@pytest.mark.parametrize(("replace", "with_", "message"), [
    ('slug = "two"', 'slug = "Two Words"', "slug"),
    ('title = "Two"', 'title = "Two"\norder = "sideways"', "order"),
    ('title = "Two"', 'title = "Two"\nprint = { trim = "huge" }', "trim"),
    ('slug = "two"', 'slug = "one"', "used twice"),
])
def test_invalid_values(tmp_path: Path, replace: str, with_: str, message: str) -> None:
    project, problems = load(tmp_path, BASE.replace(replace, with_))
    assert project is None
    assert any(message in p.message for p in problems), problems


def test_missing_config(tmp_path: Path) -> None:
    project, problems = load_project(tmp_path)
    assert project is None and problems[0].code == "no-config"


def test_key_lines_follow_array_tables() -> None:
    lines = toml_key_lines(BASE + "[anthology.print]\ntrim = 'a5'\n")
    assert lines[("anthology", 0, "slug")] == 5
    assert lines[("anthology", 1, "select")] == 11
    assert lines[("anthology", 1, "print", "trim")] == 13


@pytest.mark.parametrize(("table", "key", "line", "reason"), [
    ("[labels]\ncontents = 3\n", "labels.contents", 4,
     "must be a label text, or a table of them named by a language tag (got '3')"),
    ("[labels]\ncontents = [1, 2]\n", "labels.contents", 4,
     "must be a label text, or a table of them named by a language tag"),
    ("[labels.ko]\ncover = 'ok'\ncontents = true\n", "labels.ko.contents", 5,
     "must be a label text"),
])
def test_a_label_that_is_not_text_is_one_located_error(tmp_path: Path, table: str, key: str,
                                                       line: int, reason: str) -> None:
    text = BASE.replace("\n\n[[anthology]]", f"\n{table}\n[[anthology]]", 1)
    project, problems = load(tmp_path, text)
    assert project is None
    [problem] = problems  # not one per form the value might have taken
    assert problem.code == "bad-label"
    assert problem.message == f"'{key}': {reason}"
    assert problem.location is not None and problem.location.line == line
    # the hint names what a user of the wheel can read, not a source file
    assert problem.hint and "README" in problem.hint and "Books in other languages" in problem.hint
    assert ".py" not in problem.hint


def test_label_overrides_keep_their_spaces(tmp_path: Path) -> None:
    project, problems = load(tmp_path, BASE + '\n[labels]\npage_cited = " (p. %(page)s)"\n'
                             '[labels.ko]\ngroup_separator = "; "\n')
    assert problems == [] and project is not None
    assert project.config.labels == {"page_cited": " (p. %(page)s)",
                                     "ko": {"group_separator": "; "}}
