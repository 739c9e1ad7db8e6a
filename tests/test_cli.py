"""The command line: exit codes, located diagnostics, no tracebacks, outputs left alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import GOOD_REVIEW, MINIMAL_CONFIG, built_files, run_chapbook, write_project


def test_help_lists_commands(tmp_path: Path) -> None:
    result = run_chapbook("--help", cwd=tmp_path)
    assert result.code == 0
    for command in ("build", "list", "check", "init"):
        assert command in result.stdout


BROKEN_MANUSCRIPTS = {
    "malformed-yaml": ("bad.md", "---\ntitle: [oops\n---\nBody\n", "manuscripts/bad.md:2"),
    "impossible-date": ("bad.md", "---\ntitle: T\ndate: 2023-13-45\n---\nB\n",
                        "manuscripts/bad.md:3"),
    "missing-title": ("bad.md", "---\nauthor: A\n---\nBody only\n", "manuscripts/bad.md:1"),
    "not-utf8": ("bad.txt", "Title\n\nStand\n\nCaf\xe9\n".encode("cp1252"),
                 "manuscripts/bad.txt:5"),
    "empty-file": ("bad.md", "", "manuscripts/bad.md:1"),
}


@pytest.mark.parametrize("case", sorted(BROKEN_MANUSCRIPTS))
def test_broken_manuscript_fails_cleanly_and_keeps_outputs(tmp_path: Path, case: str) -> None:
    name, content, where = BROKEN_MANUSCRIPTS[case]
    root = write_project(tmp_path / "p", {"good.md": GOOD_REVIEW})
    first = run_chapbook("build", cwd=root)
    assert first.code == 0, first.stderr
    before = built_files(root / "build")
    (root / "manuscripts" / name).write_bytes(
        content if isinstance(content, bytes) else content.encode())
    result = run_chapbook("build", cwd=root)
    assert result.code == 1
    assert f"{where}" in result.stderr and ": error: " in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert built_files(root / "build") == before
    check = run_chapbook("check", cwd=root)
    assert check.code == 1 and where in check.stderr


def test_unknown_config_key_fails_with_line(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {"good.md": GOOD_REVIEW},
                         MINIMAL_CONFIG + 'subtitel = "x"\n')
    result = run_chapbook("build", cwd=root)
    assert result.code == 1
    assert "chapbook.toml:8: error: unknown key 'anthology[0].subtitel'" in result.stderr
    assert not (root / "build").exists()
    assert "Traceback" not in result.stderr


def test_strict_turns_warnings_into_failure(tmp_path: Path) -> None:
    no_author = GOOD_REVIEW.replace("author: Ann Critic\n", "")
    root = write_project(tmp_path / "p", {"good.md": no_author})
    assert run_chapbook("check", cwd=root).code == 0
    strict = run_chapbook("build", "--strict", cwd=root)
    assert strict.code == 1 and "manuscripts/good.md:1: warning: the piece names no author" \
        in strict.stderr
    assert not (root / "build").exists()


def test_build_one_format_and_out_dir(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {"good.md": GOOD_REVIEW})
    result = run_chapbook("build", "everything", "--format", "epub", "--out", "elsewhere",
                          cwd=root)
    assert result.code == 0, result.stderr
    assert list(built_files(root / "elsewhere")) == ["everything.epub"]


def test_usage_errors(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {"good.md": GOOD_REVIEW})
    assert run_chapbook("build", "--format", "docx", cwd=root).code == 2
    unknown = run_chapbook("build", "everythin", cwd=root)
    assert unknown.code == 1 and "did you mean 'everything'" in unknown.stderr


def test_unwritable_output_is_exit_3(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {"good.md": GOOD_REVIEW})
    (root / "build").write_text("a file where the folder should be")
    result = run_chapbook("build", "--format", "epub", cwd=root)
    assert result.code == 3 and "cannot write" in result.stderr
    assert "Traceback" not in result.stderr


def test_list_and_check_on_sample(sample: Path) -> None:
    listed = run_chapbook("list", cwd=sample)
    assert listed.code == 0 and "Comfort Watches" in listed.stdout
    assert "tidewater-hours" in listed.stdout
    check = run_chapbook("check", cwd=sample)
    assert check.code == 0 and "ok:" in check.stderr


def test_init_scaffolds_a_project_that_builds(tmp_path: Path) -> None:
    created = run_chapbook("init", "press", cwd=tmp_path)
    assert created.code == 0, created.stderr
    built = run_chapbook("build", "--project", "press", cwd=tmp_path)
    assert built.code == 0, built.stderr
    assert (tmp_path / "press" / "build" / "first-collection.pdf").exists()
    again = run_chapbook("init", "press", cwd=tmp_path)
    assert again.code == 1 and "already exists" in again.stderr


def test_no_project_here(tmp_path: Path) -> None:
    result = run_chapbook("build", cwd=tmp_path)
    assert result.code == 1 and "no chapbook.toml" in result.stderr


def test_nothing_changed_means_nothing_done(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {"good.md": GOOD_REVIEW})
    assert run_chapbook("build", cwd=root).code == 0
    epub = root / "build" / "everything.epub"
    stamp = epub.stat().st_mtime_ns
    again = run_chapbook("build", cwd=root)
    assert again.code == 0 and "up to date: build/everything.epub" in again.stderr
    assert "missing-bio" in again.stderr  # the last build's warnings are reported again
    assert epub.stat().st_mtime_ns == stamp
    (root / "manuscripts" / "good.md").write_text(GOOD_REVIEW + "\nMore.\n", encoding="utf-8")
    changed = run_chapbook("build", cwd=root)
    assert "wrote build/everything.epub" in changed.stderr
    epub.write_bytes(b"damaged")  # an output that changed behind chapbook's back
    repaired = run_chapbook("build", cwd=root)
    assert "wrote build/everything.epub" in repaired.stderr
    other = run_chapbook("build", "--format", "epub", cwd=root)  # other options: a new build
    assert "wrote build/everything.epub" in other.stderr
