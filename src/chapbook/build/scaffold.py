"""`chapbook init`: a new project, or a project around manuscripts a user already has.

With no manuscripts, the project gets a config and one example piece. With manuscripts (in
`manuscripts/`, loose in the folder, or in a folder named by `--from`), they are read and
the config is written for them: one anthology of everything, a `[contributors]` entry for
every author found, and a book per frequent tag or language as commented suggestions.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from chapbook.core.files import NotWritten
from chapbook.core.manuscript import Manuscript
from chapbook.read.manuscript import slugify
from chapbook.read.pool import READERS, ReadSettings, read_pool

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
formats = ["epub", "pdf", "html"]  # html: the web edition, build/first-collection/
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

SUGGESTED_TAGS = 6  # commented-out books for the most frequent tags, at most
MIN_TAG_PIECES = 2  # a tag on fewer pieces makes no book


@dataclass(frozen=True)
class Scaffolded:
    """What `init` did: files created, manuscripts copied in, and how many it read."""

    created: list[Path] = field(default_factory=list)
    copied: list[Path] = field(default_factory=list)
    read: int = 0
    not_copied: list[Path] = field(default_factory=list)  # a different file of that name
    unreadable: int = 0  # manuscripts that could not be read: `chapbook check` says why


def scaffold(directory: Path, source: Path | None = None) -> Scaffolded:
    """Create the project files; refuse to overwrite an existing project."""
    config = directory / "chapbook.toml"
    if config.exists():
        raise NotWritten(f"{config} already exists; not overwriting it")
    manuscripts = directory / "manuscripts"
    try:
        manuscripts.mkdir(parents=True, exist_ok=True)
        copied, not_copied = _bring_in(_source_files(directory, source), manuscripts)
        pool, unreadable = _read(manuscripts, directory)
        if not pool and not unreadable:
            return _example_project(config, manuscripts, copied, not_copied)
        config.write_text(config_for(pool, directory.resolve().name), encoding="utf-8")
    except OSError as exc:
        raise NotWritten(f"cannot create the project in {directory}: {exc.strerror}") from exc
    return Scaffolded([config], copied, len(pool), not_copied, unreadable)


def _example_project(config: Path, manuscripts: Path, copied: list[Path],
                     not_copied: list[Path]) -> Scaffolded:
    example = manuscripts / "the-example.md"
    config.write_text(CONFIG, encoding="utf-8")
    if not example.exists():
        example.write_text(EXAMPLE, encoding="utf-8")
    return Scaffolded([config, example], copied, 0, not_copied)


def _source_files(directory: Path, source: Path | None) -> list[Path]:
    """Manuscripts to copy in: those in `source`, else those loose in the project folder
    (their originals stay where they are)."""
    folder = source if source is not None else directory
    if source is not None and not source.is_dir():
        raise NotWritten(f"{source} is not a folder of manuscripts")
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and p.suffix.lower() in READERS and p.name != "README.md")


def _bring_in(files: Sequence[Path], manuscripts: Path) -> tuple[list[Path], list[Path]]:
    """Copy each file into manuscripts/, never over a file already there: (copied, not
    copied because manuscripts/ has a different file of that name)."""
    copied, not_copied = [], []
    for path in files:
        target = manuscripts / path.name
        if not target.exists():
            shutil.copy2(path, target)
            copied.append(target)
        elif target.read_bytes() != path.read_bytes():
            not_copied.append(path)
    return copied, not_copied


def _read(manuscripts: Path, root: Path) -> tuple[list[Manuscript], int]:
    """The manuscripts that read, and how many did not."""
    results = read_pool(manuscripts, ReadSettings(root=root))
    pool = [r.manuscript for r in results if r.manuscript is not None]
    return pool, len(results) - len(pool)


def config_for(pool: Sequence[Manuscript], folder_name: str) -> str:
    """A chapbook.toml that builds the pool as it is."""
    languages = Counter(piece.language for piece in pool) or Counter(["en"])
    authors = sorted({person.name for piece in pool for person in piece.contributors})
    lines = ["# chapbook project, written by `chapbook init` for the manuscripts it found.",
             "# See the configuration reference in chapbook's README.", "", "[press]",
             'name = "My Press"', f"language = {_toml(languages.most_common(1)[0][0])}", ""]
    for name in authors:
        lines += [f"[contributors.{_toml(name)}]",
                  '# bio = "One or two sentences for the contributors page."', ""]
    title = folder_name.replace("-", " ").replace("_", " ").strip().title() or "Reviews"
    lines += ["[[anthology]]", 'slug = "everything"', f"title = {_toml(title)}",
              "select = {}            # every ready piece in manuscripts/", 'order = "date"',
              'formats = ["epub", "pdf", "html"]  # html: the web edition, build/everything/']
    essays = [piece.slug for piece in pool if not piece.is_review]
    if len(essays) == 1:
        lines.append(f"foreword = {_toml(essays[0])}  # the one essay (kind: essay)")
    elif essays:
        lines.append(f"# pieces = [...]  # essays are never selected: {', '.join(essays)}")
    return "\n".join(lines + _suggestions(pool, languages)) + "\n"


def _suggestions(pool: Sequence[Manuscript], languages: Counter[str]) -> list[str]:
    """Commented-out books: one per frequent tag, one per language if there are several."""
    tags = Counter(tag for piece in pool for tag in piece.tags)
    books = [(f"tag-{slugify(tag)}", tag.title(), f"tags_any = [{_toml(tag)}]")
             for tag, count in tags.most_common(SUGGESTED_TAGS) if count >= MIN_TAG_PIECES]
    if len(languages) > 1:
        books += [(f"language-{slugify(lang)}", f"Reviews in {lang}",
                   f"language = [{_toml(lang)}]") for lang, _ in languages.most_common()]
    lines: list[str] = []
    for slug, title, selection in books:
        if not slug.split("-", 1)[1]:
            continue  # a tag or language of no ASCII letters: no file name to offer
        lines += ["", "# [[anthology]]", f'# slug = "{slug}"', f"# title = {_toml(title)}",
                  f"# select = {{ {selection} }}"]
    return (["", "# More books from the same pool: remove the # to make one.", *lines]
            if lines else [])


def _toml(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)
