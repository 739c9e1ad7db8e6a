"""Plan a build: the config read, the pool read, the anthologies collected and checked;
what `chapbook list` and `chapbook check` show, and what a build then writes."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import jinja2

from chapbook.build.inputs import Inputs
from chapbook.build.options import BuildOptions
from chapbook.build.report import Plan
from chapbook.collect.anthologies import CollectOptions, collect, unknown_anthologies
from chapbook.core.books import with_books
from chapbook.core.config import (
    CONFIG_NAME,
    Config,
    Project,
    label_problems,
    load_project,
    project_from_data,
    project_from_toml,
)
from chapbook.core.diagnostics import Diagnostic, Location, error
from chapbook.pdf.preflight import preflight
from chapbook.read.manuscript import slugify
from chapbook.read.pool import ReadCache, ReadResult, ReadSettings, read_pool, read_texts
from chapbook.render.epub_documents import finish_epub, malformed_documents, start_epub
from chapbook.render.print_html import render_print
from chapbook.render.styles import load_style
from chapbook.render.template_errors import template_diagnostic
from chapbook.web.pages import SiteOptions, render_site


def plan(root: Path, options: BuildOptions, read_cache: ReadCache | None = None,
         inputs: Inputs | None = None) -> Plan:
    """Read the config and the pool (or take what `inputs` hands in), then collect the
    anthologies. Writes nothing: new readings wait in `read_cache` until the build saves it."""
    project, problems = given_project(root, inputs)
    if project is None:
        return Plan(None, diagnostics=tuple(problems))
    project, found = with_books(project, options.books, inputs.books if inputs else None)
    problems += found
    problems += unknown_anthologies(project, options.only)
    problems += style_problems(project, options)
    press = project.config.press
    settings = ReadSettings(root=root, default_language=press.language,
                            rating_scale=press.rating_scale, raw_html=press.raw_html)
    if inputs is not None and inputs.texts is not None:
        results = read_texts(inputs.texts, settings, read_cache)
    else:
        refusal = _folder_problem(project)
        if refusal:
            return Plan(project, diagnostics=(*problems, refusal))
        results = read_pool(project.manuscripts_dir, settings, read_cache)
    pool = tuple(r.manuscript for r in results if r.manuscript is not None)
    problems += [d for r in results for d in r.diagnostics]
    collecting = CollectOptions(options.include_drafts, options.only,
                                unreadable=_unreadable_slugs(results))
    books, found = collect(project, pool, collecting)
    if "pdf" in options.formats:  # the glyph check is about the print edition
        found += preflight(project, books, options.style)
    return Plan(project, pool, tuple(books), tuple(problems + found))


def given_project(root: Path, inputs: Inputs | None) -> tuple[Project | None,
                                                              list[Diagnostic]]:
    """The project of `root`, with the config `inputs` hands in if it does (TOML text, a
    mapping or a `Config`, located as chapbook.toml)."""
    config = inputs.config if inputs else None
    if config is None:
        return load_project(root)
    where = Location(CONFIG_NAME)
    if isinstance(config, Config):
        project = Project(root, config, where, {})
        problems = label_problems(project)
        return (None, problems) if problems else (project, [])
    if isinstance(config, str):
        return project_from_toml(config, root, where)
    return project_from_data(config, root, where)


def _folder_problem(project: Project) -> Diagnostic | None:
    """Why the manuscripts folder cannot be read, if it cannot."""
    if not project.manuscripts_dir.is_dir():
        return error("no-manuscripts", f"no folder '{project.config.manuscripts}'",
                     project.location_of("manuscripts"),
                     "create it and put .md or .txt manuscripts in it")
    if not project.manuscripts_dir.resolve().is_relative_to(project.root.resolve()):
        return error("outside-project", f"the manuscripts folder "
                     f"'{project.config.manuscripts}' is outside the project",
                     project.location_of("manuscripts"),
                     "keep the manuscripts inside the project folder")
    return None


def style_problems(project: Project, options: BuildOptions) -> list[Diagnostic]:
    """What the build would refuse about each book's style, found before anything is read:
    an unknown style or a broken style.toml (at the book's `style` line)."""
    problems: list[Diagnostic] = []
    tried: set[str] = set()
    for index, book in enumerate(project.config.anthology):
        name = options.style or book.style
        if (options.only and book.slug not in options.only) or name in tried:
            continue
        tried.add(name)
        style, found = load_style(name, project.root, project.fallback_fonts)
        where = None if options.style else project.location_of("anthology", index, "style")
        if style is None:  # warnings about a usable style come with the build
            problems += [replace(d, location=d.location or where) for d in found]
    return problems


def _unreadable_slugs(results: list[ReadResult]) -> frozenset[str]:
    """The slugs files that could not be read would have had (their file names)."""
    return frozenset(slugify(Path(d.location.path).stem) for r in results
                     if r.manuscript is None for d in r.diagnostics[:1] if d.location)


def rendering_problems(the_plan: Plan, options: BuildOptions) -> list[Diagnostic]:
    """What rendering would refuse, found without writing: a style's template that fails,
    or that makes an EPUB document that is not well-formed. Every document is rendered."""
    project = the_plan.project
    if project is None:
        return []
    problems: list[Diagnostic] = []
    for book in the_plan.anthologies:
        style, _ = load_style(options.style or book.config.style, project.root,
                              project.fallback_fonts)
        if style is None:
            continue  # reported by the plan
        try:
            problems += malformed_documents(finish_epub(start_epub(book, style), None), style)
            for profile in book.config.print.profiles:
                render_print(book, style, book.config.print.page_setup(profile))
            if "html" in book.config.formats:  # the web edition's own page templates
                render_site(book, style, SiteOptions())
        except jinja2.TemplateError as exc:
            problems.append(template_diagnostic(exc, project.root))
    return list(dict.fromkeys(problems))  # books share a style: say it once
