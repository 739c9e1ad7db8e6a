"""The Python API: `chapbook.Project` made from memory, its build's result, its diagnostics
as values; and the README's example, run as it is written there."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from chapbook import BuildResult, Manuscript, Project
from chapbook.core.diagnostics import Diagnostic

from .conftest import GOOD_REVIEW, REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
CONFIG = {"press": {"name": "Test Press"}, "contributors": {"Ann Critic": {"bio": "Writes."}}}


def readme_example() -> str:
    section = README.split("## Python API", 1)[1]
    found = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert found, "the README's Python API section has no example"
    return found.group(1)


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The README's example, run in an empty folder (its root), as it is written."""
    folder = tmp_path_factory.mktemp("example")
    before = Path.cwd()
    namespace: dict[str, Any] = {}
    try:  # the example builds in the current folder, as its reader's would
        os.chdir(folder)
        exec(compile(readme_example(), "README.md", "exec"), namespace)
    finally:
        os.chdir(before)
    namespace["folder"] = folder
    return namespace


def test_the_readme_example_runs_and_returns_its_outputs(example: dict[str, Any]) -> None:
    result: BuildResult = example["result"]
    folder: Path = example["folder"]
    assert result.ok and not result.up_to_date
    assert [(o.book, o.format, o.profile) for o in result.outputs] == [
        ("comfort", "epub", None), ("games", "epub", None)]
    assert result.paths(book="games") == (folder / "build/en/games/games.epub",)
    for output in result.outputs:
        with zipfile.ZipFile(output.path) as epub:
            opf = epub.read("EPUB/content.opf").decode()
        assert {"comfort": "Comfort Watches", "games": "Games at Night"}[output.book] in opf
    with zipfile.ZipFile(result.paths(book="games")[0]) as epub:  # the Manuscript value
        assert any(b"a quiet game about a loud lake" in epub.read(name)
                   for name in epub.namelist() if name.endswith(".xhtml"))


def test_the_same_build_again_is_up_to_date_with_the_same_outputs(
        example: dict[str, Any]) -> None:
    project: Project = example["project"]
    first: BuildResult = example["result"]
    again = project.build(books=[
        {"slug": "comfort", "title": "Comfort Watches", "select": {"tags_any": ["romance"]}},
        {"slug": "games", "title": "Games at Night", "select": {"kind": ["game"]}}],
        formats=["epub"], out=str(example["folder"] / "build/{language}/{slug}"))
    assert again.up_to_date and again.ok
    assert again.outputs == first.outputs


def test_a_broken_manuscript_in_memory_is_a_located_diagnostic(tmp_path: Path) -> None:
    project = Project.from_manuscripts(
        {"good.md": GOOD_REVIEW, "broken.md": "---\ntitle: [unclosed\n---\nBody\n"},
        config=CONFIG, root=tmp_path)
    result = project.build(books=[{"slug": "all", "title": "All"}], formats=["epub"])
    assert not result.ok and result.outputs == ()
    broken = [d for d in result.errors if d.location and d.location.path == "broken.md"]
    assert [(d.code, d.location.line if d.location else None) for d in broken] == [
        ("yaml-syntax", 2)]
    assert all(isinstance(d, Diagnostic) for d in result.diagnostics)
    assert not (tmp_path / "build").exists()  # nothing written, not even the folder


def test_books_given_as_values_are_checked_and_located(tmp_path: Path) -> None:
    project = Project.from_manuscripts([("good.md", GOOD_REVIEW)], config=CONFIG,
                                       root=tmp_path)
    found = project.check(books=[{"slug": "a", "title": "A"}, {"slug": "b"},
                                 {"slug": "a", "title": "Again"}])
    shown = sorted(str(d).splitlines()[0] for d in found if d.severity.label == "error")
    assert shown == ["books[1]: error: 'title': is required [config-invalid]",
                     "books[2]: error: anthology slug 'a' is used twice (first at books[0]) "
                     "[duplicate-book]"]


def test_a_config_given_as_toml_text_is_located_as_chapbook_toml(tmp_path: Path) -> None:
    project = Project.from_manuscripts({"good.md": GOOD_REVIEW},
                                       config='[press]\nname = "P"\nnmae = "typo"\n',
                                       root=tmp_path)
    found = project.check(books=[{"slug": "a", "title": "A"}])
    assert [(d.code, str(d.location)) for d in found] == [
        ("config-unknown-key", "chapbook.toml:3")]


def test_manuscript_values_become_front_matter_read_by_the_same_reader() -> None:
    text = Manuscript("x.md", "Body.", {"title": "T: a colon", "tags": ["a", "b"]}).text()
    assert text.startswith("---\ntitle: 'T: a colon'\n") and text.endswith("---\nBody.")
    assert Manuscript("y.txt", "Title line\n\nBody.").text() == "Title line\n\nBody."


def test_bad_arguments_raise_and_project_problems_do_not(tmp_path: Path) -> None:
    project = Project.from_manuscripts({}, root=tmp_path)
    with pytest.raises(ValueError, match="unknown format 'mobi'"):
        project.build(formats=["mobi"])
    with pytest.raises(ValueError, match="unknown field"):
        project.build(out="build/{author}")
    with pytest.raises(TypeError):
        project.build(books=["a", {"slug": "b"}])  # type: ignore[list-item]
    result = project.build()  # no books anywhere: a diagnostic, not an exception
    assert [d.code for d in result.errors] == ["no-anthologies"]


def test_importing_chapbook_stays_light() -> None:
    """The CLI launcher imports the package first; its --help must not wait for the API."""
    code = ("import sys, chapbook; print(sorted(m for m in ('pydantic', 'jinja2', "
            "'chapbook.api.project', 'chapbook.build.run') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"
