"""The README stays true to the code: every command, option, config key and code is there."""

from __future__ import annotations

import re

import typer.main

from chapbook.cli.main import app
from chapbook.core.config import (
    AnthologyConfig,
    BackMatter,
    Config,
    ContributorInfo,
    PartConfig,
    Press,
    PrintSettings,
    Selection,
)
from chapbook.render.styles import FontSpec, StyleManifest

from .conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands() -> None:
    opening = "\n".join(README.splitlines()[:10])
    assert "make book" in opening and "make test" in opening


def test_every_command_and_option_is_documented() -> None:
    group = typer.main.get_command(app)
    commands = group.commands  # type: ignore[attr-defined]
    assert len(commands) >= 4
    for name, command in commands.items():
        assert f"chapbook {name}" in README, name
        for sub_name, sub in getattr(command, "commands", {}).items():  # chapbook styles ...
            assert f"chapbook {name} {sub_name}" in README, sub_name
            assert_options_documented(f"{name} {sub_name}", sub)
        assert_options_documented(name, command)


def assert_options_documented(name: str, command: object) -> None:
    for param in getattr(command, "params", []):
        for flag in getattr(param, "opts", []):
            if flag.startswith("--") and flag != "--help":
                assert flag in README, f"{name} {flag}"


def test_every_config_key_is_documented() -> None:
    for model in (Config, Press, ContributorInfo, AnthologyConfig, Selection, PrintSettings,
                  PartConfig, BackMatter, StyleManifest, FontSpec):
        for field in model.model_fields:
            assert re.search(rf"\b{field}\b", README), f"{model.__name__}.{field}"


def test_every_diagnostic_code_is_documented() -> None:
    source = "\n".join(p.read_text(encoding="utf-8")
                       for p in (REPO / "src" / "chapbook").rglob("*.py"))
    codes = set(re.findall(r'\b(?:error|warning|info)\(\s*"([a-z0-9-]+)"', source))
    assert len(codes) > 20
    missing = sorted(code for code in codes if f"`{code}`" not in README)
    assert missing == []
