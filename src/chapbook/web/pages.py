"""The web edition's pages: an `Anthology` and a `Style` in, HTML strings out.

The pieces, part pages and back matter are the same Jinja partials the EPUB and print
editions include (`partials/review.html.j2`...), in the style's own `web/` page templates:
a piece reads the same in all three. No files are written here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from chapbook.core.anthology import Anthology
from chapbook.core.language import direction
from chapbook.render.context import (
    back_sections,
    book_typefaces,
    bookmark,
    environment,
    part_number,
    shared_context,
)
from chapbook.render.epub_documents import (  # the contents, as the EPUB nav has them
    TocEntry,
    epub_file_name,
)
from chapbook.render.styles import Style
from chapbook.web.metadata import book_data, json_ld, open_graph, piece_data

SITE_CSS = "css/book.css"
INDEX = "index.html"


@dataclass(frozen=True)
class Download:
    """A file of the book, as its web page and the catalogue link to it."""

    label: str  # its label key: download_epub, download_print_pdf, download_screen_pdf
    href: str  # relative to the site folder: ../<slug>.epub
    media_type: str
    length: int  # bytes


@dataclass(frozen=True)
class WebPage:
    file_name: str
    title: str
    html: str
    kind: str  # index, foreword, part, piece, back


@dataclass(frozen=True)
class SiteOptions:
    """What the pages link to besides themselves: the downloads, the cover image (site
    path), and the address the site will have, if known (`[press] base_url`)."""

    downloads: tuple[Download, ...] = ()
    cover: str | None = None
    cover_alt: str = ""
    base_url: str | None = None  # of the book's folder, ending in /
    extra: dict[str, Any] = field(default_factory=dict)


def page_file_name(slug: str) -> str:
    """A piece's page: <slug>.html, named as its EPUB document (a reserved slug differs)."""
    return epub_file_name(slug).removesuffix(".xhtml") + ".html"


@dataclass(frozen=True)
class _Planned:
    """A page before it is rendered: its template and what it shows."""

    template: str
    file_name: str
    title: str
    language: str
    kind: str
    values: dict[str, Any]


def render_site(anthology: Anthology, style: Style, options: SiteOptions) -> tuple[WebPage, ...]:
    """Every page of the web edition, in reading order, the book's home page first."""
    env = environment(style)
    planned = _plan(anthology)
    base = {**shared_context(anthology, page_file_name), "css_href": SITE_CSS,
            "typefaces": book_typefaces(anthology, style), "options": options,
            "index_href": INDEX, "contents": _contents(planned),
            "absolute": _absolute(options.base_url)}
    cover = base["absolute"](options.cover) if options.cover else None
    pages = []
    for number, page in enumerate(planned):
        before = planned[number - 1] if number else None
        after = planned[number + 1] if number + 1 < len(planned) else None
        url = base["absolute"](page.file_name) if options.base_url else None
        values = {**base, **page.values, "title": page.title, "language": page.language,
                  "previous": before, "next": after, "page_kind": page.kind,
                  "meta": _meta(anthology, page, url, cover)}
        html = env.get_template(page.template).render(**values)
        pages.append(WebPage(page.file_name, page.title, html, page.kind))
    return tuple(pages)


def _absolute(base_url: str | None) -> Callable[[str], str]:
    """A site path as links outside the site need it: absolute when the address is known."""
    return lambda path: f"{base_url}{path}" if base_url else path


def _plan(anthology: Anthology) -> list[_Planned]:
    language = anthology.language
    pages = [_Planned("web/index.html.j2", INDEX, anthology.title, language, "index", {})]
    if anthology.foreword:
        piece = anthology.foreword
        pages.append(_Planned("web/piece.html.j2", page_file_name(piece.slug), piece.title,
                              piece.language, "foreword", {"piece": piece,
                                                           "role": "doc-foreword"}))
    for number, (part, pieces) in enumerate(anthology.sections, 1):
        if part:
            pages.append(_Planned("web/part.html.j2", f"{part.slug}.html", part.title,
                                  language, "part", {"part": part,
                                                     "number": part_number(number)}))
        pages += [_Planned("web/piece.html.j2", page_file_name(piece.slug), piece.title,
                           piece.language, "piece", {"piece": piece, "role": "doc-chapter"})
                  for piece in pieces]
    pages += [_Planned("web/back.html.j2", f"{section.id}.html", section.title, language,
                       "back", {"section": section}) for section in back_sections(anthology)]
    return pages


def _contents(planned: list[_Planned]) -> tuple[TocEntry, ...]:
    """The contents on the home page: the foreword, each part with its pieces, the back."""
    entries: list[TocEntry] = []
    children: list[TocEntry] | None = None
    for page in planned[1:]:
        title = bookmark(page.values["piece"]) if "piece" in page.values else page.title
        link = TocEntry(title, page.file_name, page.language)
        if page.kind == "part":
            children = []
            entries.append(link)
        elif page.kind == "piece" and children is not None:
            children.append(link)
        else:
            children = None
            entries.append(link)
        if entries and entries[-1].href != link.href and children is not None:
            last = entries[-1]
            entries[-1] = TocEntry(last.title, last.href, last.language, tuple(children))
    return tuple(entries)


def _meta(anthology: Anthology, page: _Planned, url: str | None,
          cover: str | None) -> dict[str, Any]:
    """A page's description, Open Graph properties and JSON-LD."""
    piece = page.values.get("piece")
    if piece is not None:
        description = piece.standfirst or anthology.config.description
        data = piece_data(anthology, piece, url)
        kind = "article"
    else:
        description = anthology.config.description
        data = book_data(anthology, url, cover) if page.kind == "index" else {}
        kind = "book" if page.kind == "index" else "website"
    title = page.title if page.kind == "index" else f"{page.title} — {anthology.title}"
    return {"description": description, "page_title": title,
            "og": open_graph(kind, page.title, description, anthology.press.name, cover, url),
            "json_ld": json_ld(data) if data else None,
            "direction": direction(page.language)}
