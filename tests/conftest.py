"""Shared fixtures: real projects in temporary folders, real builds, the real CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from chapbook.core.diagnostics import Diagnostic
from chapbook.core.manuscript import Manuscript
from chapbook.read.pool import ReadSettings, read_manuscript

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str


def run_chapbook(*args: str, cwd: Path) -> Run:
    """Run the real command line in a subprocess, as a user would."""
    env = {**os.environ, "COLUMNS": "200"}
    done = subprocess.run([sys.executable, "-m", "chapbook", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)
    return Run(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def cli() -> Callable[..., Run]:
    return run_chapbook


def copy_sample(target: Path) -> Path:
    """A copy of the repository's sample project (config and manuscripts)."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "chapbook.toml", target / "chapbook.toml")
    shutil.copytree(REPO / "manuscripts", target / "manuscripts")
    return target


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return copy_sample(tmp_path / "sample")


def read_piece(root: Path, name: str, content: str | bytes,
               **settings: Any) -> tuple[Manuscript | None, list[Diagnostic]]:
    """One manuscript written into `root`/manuscripts/ and read as a build reads it
    (`settings`: ReadSettings fields such as raw_html)."""
    path = root / "manuscripts" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    result = read_manuscript(path, ReadSettings(root=root, **settings))
    return result.manuscript, list(result.diagnostics)


def write_project(root: Path, manuscripts: dict[str, str | bytes],
                  config: str | None = None) -> Path:
    """A small project: one anthology taking every review, and the given manuscripts."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "chapbook.toml").write_text(config or MINIMAL_CONFIG, encoding="utf-8")
    folder = root / "manuscripts"
    folder.mkdir(exist_ok=True)
    for name, content in manuscripts.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


MINIMAL_CONFIG = """\
[press]
name = "Test Press"

[[anthology]]
slug = "everything"
title = "Everything"
editors = ["Ed Itor"]
"""

GOOD_REVIEW = """\
---
title: "'Good Film' review: it is good"
author: Ann Critic
date: 2024-01-02
work: {title: Good Film, kind: film, year: 2023, creators: [Dee Rector]}
rating: 4/5
tags: [drama]
---
A paragraph with "quotes" -- and a dash.
"""


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample anthologies, built once for the session by the real CLI."""
    root = copy_sample(tmp_path_factory.mktemp("built") / "sample")
    result = run_chapbook("build", cwd=root)
    assert result.code == 0, result.stderr
    return root


def built_files(folder: Path) -> dict[str, bytes]:
    """The books in an output folder (files only; the .cache folder is not an output)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())
            if p.is_file() and not p.name.startswith(".")}
