"""The press site (build/index.html) and the catalogue feeds (build/opds/), written at the
end of a build that made a web edition.

They list every book of chapbook.toml whose web edition is in build/, this build's or an
earlier one's, from its catalogue entry (`<slug>/book.json`): a build of one book keeps
the others in the catalogue, and a book no longer configured leaves it. The feeds, being
acquisition feeds, list only the books with a file to download (EPUB or PDF).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jinja2

from chapbook.core.config import Project
from chapbook.core.diagnostics import Diagnostic, info, warning
from chapbook.core.files import atomic_target
from chapbook.core.labels import LabelOverrides, labels_for
from chapbook.core.language import direction
from chapbook.core.paths import BuildPaths
from chapbook.render.context import MarkupLabels, environment
from chapbook.render.styles import load_style
from chapbook.render.template_errors import template_diagnostic
from chapbook.web.edition import ENTRY
from chapbook.web.opds import FEED_JSON, FEED_XML, atom_feed, json_feed

PRESS_PAGE = "index.html"


def base_url(project: Project) -> str | None:
    """`[press] base_url`, ending in /."""
    url = project.config.press.base_url
    return url if not url or url.endswith("/") else f"{url}/"


def catalogue_entries(project: Project, paths: BuildPaths) -> list[dict[str, Any]]:
    """The entries of the configured books that have a web edition in build/, in the
    order of chapbook.toml."""
    entries = []
    for book in project.config.anthology:
        if "html" not in book.formats:  # a preview's web edition (chapbook serve) is not published
            continue
        try:
            entry = json.loads((paths.book(book.slug, "html") / ENTRY).read_text("utf-8"))
        except (OSError, ValueError):
            continue  # not built as a web edition (yet)
        if isinstance(entry, dict) and entry.get("slug") == book.slug:
            entries.append(entry)
    return entries


def write_press_site(project: Project, paths: BuildPaths) -> tuple[list[Path], list[Diagnostic]]:
    """Write build/index.html and the two feeds; returns the files written."""
    entries = catalogue_entries(project, paths)
    if not entries:
        return [], []
    press = project.config.press
    labels = MarkupLabels(labels_for(press.language,
                                     LabelOverrides.from_table(project.config.labels)))
    title = f"{press.name} — {labels.text('catalogue')}"
    updated = max(entry["updated"] for entry in entries)  # the newest book's stamp
    url = base_url(project)
    try:
        page = _press_page(project, entries, labels, title)
    except jinja2.TemplateError as exc:  # a style's own template
        return [], [template_diagnostic(exc, project.root)]
    if page is None:
        return [], [warning("press-site-skipped", "the press site was not written: the "
                            "first book's style cannot be loaded", None,
                            "fix the style the build reported")]
    offered = [entry for entry in entries if entry["downloads"]]  # acquisition feeds
    files = {paths.out / PRESS_PAGE: page.encode("utf-8"),
             paths.opds / FEED_XML: atom_feed(title, press.name, press.language, offered,
                                                url, updated),
             paths.opds / FEED_JSON: json_feed(title, press.name, offered, url, updated)}
    for target, data in files.items():
        with atomic_target(target) as temporary:
            temporary.write_bytes(data)
    notes = [] if url else [info("catalogue-relative", "the catalogue's links are relative: "
                                 "OPDS 2.0 readers want the feed's own address, absolute",
                                 project.location_of("press"), "set [press] base_url to "
                                 "where build/ will be served")]
    return list(files), notes


def _press_page(project: Project, entries: list[dict[str, Any]], labels: MarkupLabels,
                title: str) -> str | None:
    """The press's page, in the first listed book's style (its style sheet too)."""
    first = next(book for book in project.config.anthology if book.slug == entries[0]["slug"])
    style, _ = load_style(first.style, project.root, project.fallback_fonts)
    if style is None:
        return None
    press = project.config.press
    return environment(style).get_template("web/press.html.j2").render(
        press=press, books=entries, l=labels, title=title, language=press.language,
        dir=direction(press.language), css_href=f"{entries[0]['slug']}/css/book.css",
        direction=direction)
