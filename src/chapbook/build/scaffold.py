"""`chapbook init`: a new project with a config and one example manuscript."""

from __future__ import annotations

from pathlib import Path

from chapbook.core.files import NotWritten

CONFIG = '''\
# chapbook project: see the configuration reference in chapbook's README.
[press]
name = "My Press"
language = "en"

[contributors."Your Name"]
bio = "Writes about films."
sort_as = "Name, Your"

[[anthology]]
slug = "first-collection"
title = "A First Collection"
subtitle = "Reviews"
editors = ["Your Name"]
select = {}            # every ready review in manuscripts/
order = "date"
'''

EXAMPLE = '''\
---
title: "'The Example' review: a film worth a first anthology"
standfirst: Replace this piece with your own reviews
author: Your Name
date: 2025-01-15
work: {title: The Example, kind: film, year: 2024, creators: [A. Director]}
rating: 4/5
tags: [example]
---
Write the review here, in Markdown: *emphasis*, **strong**, "quotes" and -- dashes
become proper typography.
'''


def scaffold(directory: Path) -> list[Path]:
    """Create the project files; refuse to overwrite an existing project."""
    config = directory / "chapbook.toml"
    if config.exists():
        raise NotWritten(f"{config} already exists; not overwriting it")
    manuscripts = directory / "manuscripts"
    try:
        manuscripts.mkdir(parents=True, exist_ok=True)
        example = manuscripts / "the-example.md"
        config.write_text(CONFIG, encoding="utf-8")
        if not example.exists():
            example.write_text(EXAMPLE, encoding="utf-8")
    except OSError as exc:
        raise NotWritten(f"cannot create the project in {directory}: {exc.strerror}") from exc
    return [config, example]
