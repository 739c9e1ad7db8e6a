"""Render: an `Anthology` and a `Style` in, documents out (strings). No files are written here.

Both editions include the same `partials/review.html.j2`, so a piece reads the same in
print and on screen; edition-specific markup lives only in `epub/` and `print/` templates.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from lxml import etree
from markupsafe import Markup

from .anthology import Anthology, Part
from .diagnostics import Diagnostic, Location, error
from .fragment import web_address
from .markup import primary_language
from .models import Manuscript
from .pagesetup import PageSetup
from .printmarkup import print_body
from .styles import Style

if TYPE_CHECKING:
    from .cover import CoverImage

CREDIT_LABELS = {
    "film": "Directed by", "series": "Created by", "book": "By", "album": "By",
    "game": "Developed by", "play": "Written by", "podcast": "Hosted by", "other": "By",
}

_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
           "September", "Oktober", "November", "Dezember"),
}


def long_date(date: dt.date, language: str = "en") -> str:
    """A date as a reader of the language writes it: 23 March 2024, 2024년 3월 23일."""
    lang = primary_language(language)
    if lang == "ko":
        return f"{date.year}년 {date.month}월 {date.day}일"
    if lang in ("ja", "zh"):
        return f"{date.year}年{date.month}月{date.day}日"
    months = _MONTHS.get(lang, _MONTHS["en"])
    return f"{date.day} {months[date.month - 1]} {date.year}"


def piece_id(piece: Manuscript) -> str:
    return f"piece-{piece.slug}"


def bookmark(piece: Manuscript) -> str:
    """'Title — Author', as PDF bookmarks show a piece."""
    return f"{piece.title} — {piece.byline}" if piece.authors else piece.title


def running_head(piece: Manuscript) -> str:
    """Recto running head: a short title (front matter `short_title`, else the work) and author."""
    short = piece.extra.get("short_title") or (piece.work.title if piece.work else piece.title)
    return f"{short} — {piece.byline}" if piece.authors else str(short)


def body_start_id(anthology: Anthology) -> str:
    """The id of the element where arabic folios start: the first part, or the first piece."""
    return anthology.parts[0].slug if anthology.parts else piece_id(anthology.pieces[0])


# Documents chapbook generates; a piece whose slug is one of these (or part-N) gets a
# name no slug can have, so that an "about.md" review cannot replace the about page.
RESERVED_DOCUMENTS = frozenset({"cover", "titlepage", "copyright", "dedication", "epigraph",
                                "nav", "toc", "contributors", "works", "tags",
                                "acknowledgements", "about"})


def epub_file_name(slug: str) -> str:
    """The EPUB document of the piece with this slug: `<slug>.xhtml` (`piece_<slug>.xhtml`
    when the slug is the name of a generated document)."""
    reserved = slug in RESERVED_DOCUMENTS or re.fullmatch(r"part-[0-9]+", slug)
    return f"piece_{slug}.xhtml" if reserved else f"{slug}.xhtml"


@dataclass(frozen=True)
class BackSection:
    """A generated back-matter section, the same in both editions."""

    id: str
    title: str
    template: str
    epub_type: str
    role: str | None


def back_sections(anthology: Anthology) -> list[BackSection]:
    """The back matter this book has, in order; empty sections are left out."""
    candidates = [
        (anthology.contributors, BackSection("contributors", "Contributors",
                                             "partials/contributors.html.j2",
                                             "backmatter contributors", "doc-appendix")),
        (anthology.works, BackSection("works", "Index of works reviewed",
                                      "partials/works.html.j2", "backmatter index", "doc-index")),
        (anthology.tag_index, BackSection("tags", "Index of subjects", "partials/tags.html.j2",
                                          "backmatter index", "doc-index")),
        (anthology.acknowledgements, BackSection("acknowledgements", "Acknowledgements",
                                                 "partials/acknowledgements.html.j2",
                                                 "backmatter acknowledgments",
                                                 "doc-acknowledgments")),
        (anthology.press_about_html, BackSection("about", f"About {anthology.press.name}",
                                                 "partials/about.html.j2", "backmatter",
                                                 "doc-appendix")),
    ]
    return [section for content, section in candidates if content]


@dataclass(frozen=True)
class EpubDocument:
    file_name: str
    title: str
    xhtml: str
    language: str
    # cover, titlepage, copyright, dedication, epigraph, nav, foreword, part, piece, back
    kind: str
    part: str | None = None  # file name of the part document this one belongs to
    nav_title: str | None = None  # the contents entry, when it differs from the title


@dataclass(frozen=True)
class TocEntry:
    """One line of the contents (nav and NCX); pieces nest under their part."""

    title: str
    href: str
    language: str
    children: tuple[TocEntry, ...] = ()


@dataclass(frozen=True)
class Landmark:
    epub_type: str  # cover, titlepage, copyright-page, toc, bodymatter, backmatter
    href: str
    title: str


@dataclass(frozen=True)
class EpubRendition:
    documents: tuple[EpubDocument, ...]  # in reading order: the spine
    stylesheet: str
    toc: tuple[TocEntry, ...] = ()
    landmarks: tuple[Landmark, ...] = ()


@dataclass(frozen=True)
class PrintRendition:
    html: str
    stylesheets: tuple[Path, ...]  # the style's print CSS files, in cascade order
    setup: PageSetup  # trim, bleed and marks from the configuration
    font_css: str = ""  # @font-face rules for the style's fonts and fallbacks


EPUB_CSS_HREF = "css/book.css"
_PART_NUMBERS = ("One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten",
                 "Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen",
                 "Eighteen", "Nineteen", "Twenty")


def part_number(number: int) -> str:
    return _PART_NUMBERS[number - 1] if number <= len(_PART_NUMBERS) else str(number)


def _context(anthology: Anthology, piece_href: Any) -> dict[str, Any]:
    return {
        "book": anthology,
        "piece_id": piece_id,
        "piece_href": piece_href,
        "bookmark": bookmark,
        "running_head": running_head,
        "credit_labels": CREDIT_LABELS,
        "back_sections": back_sections(anthology),
        "part_number": part_number,
        "body_html": lambda piece: piece.body_html,  # the print edition moves footnotes
        "page_attr": lambda element_id: Markup(""),  # print: known page numbers
    }


def _environment(style: Style) -> jinja2.Environment:
    env = style.environment
    env.filters.setdefault("longdate", long_date)
    env.filters.setdefault("direction", text_direction)
    env.filters.setdefault("web_address", lambda url: web_address(url) or "")
    return env


_RTL_LANGUAGES = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ps", "sd",
                            "syr", "ug", "ur", "yi"})


def text_direction(language: str) -> str:
    """'rtl' for languages written right to left (Arabic, Hebrew, Persian...), else 'ltr'."""
    return "rtl" if primary_language(language) in _RTL_LANGUAGES else "ltr"


def render_epub(anthology: Anthology, style: Style,
                cover: CoverImage | None = None) -> EpubRendition:
    """Every XHTML document of the EPUB, in reading order, with the contents and landmarks."""
    return finish_epub(start_epub(anthology, style), cover)


@dataclass(frozen=True)
class EpubParts:
    """An EPUB's body and back documents, rendered before its cover is known (they are
    nearly all the work; the front matter and contents follow the cover)."""

    anthology: Anthology
    style: Style
    document: Callable[..., EpubDocument]
    body: tuple[EpubDocument, ...]
    back: tuple[EpubDocument, ...]


def start_epub(anthology: Anthology, style: Style) -> EpubParts:
    env = _environment(style)
    base = {**_context(anthology, epub_file_name), "css_href": EPUB_CSS_HREF,
            "typefaces": style.typefaces}

    def document(template: str, file_name: str, title: str, language: str, kind: str,
                 in_part: str | None = None, nav_title: str | None = None,
                 **extra: Any) -> EpubDocument:
        xhtml = env.get_template(template).render(**base, **extra, title=title,
                                                  language=language)
        return EpubDocument(file_name, title, xhtml, language, kind, in_part, nav_title)

    body = _body_documents(anthology, document)
    back = [document("epub/back.xhtml.j2", f"{section.id}.xhtml", section.title,
                     anthology.language, "back", section=section)
            for section in back_sections(anthology)]
    return EpubParts(anthology, style, document, tuple(body), tuple(back))


def finish_epub(parts: EpubParts, cover: CoverImage | None) -> EpubRendition:
    """The front matter (with the cover, if any), the contents and the landmarks."""
    anthology, body, back = parts.anthology, list(parts.body), list(parts.back)
    front = _front_documents(anthology, cover, parts.document)
    toc = _toc([*body, *back])
    landmarks = _landmarks(front, body, back)
    nav = parts.document("epub/nav.xhtml.j2", NAV_FILE, "Contents", anthology.language,
                         "nav", toc=toc, landmarks=landmarks)
    stylesheet = parts.style.stylesheet_text("css/epub.css")
    return EpubRendition((*front, nav, *body, *back), stylesheet, toc, landmarks)


def malformed_documents(rendition: EpubRendition, style: Style) -> list[Diagnostic]:
    """Documents that are not well-formed XML: only a style's own templates can do that."""
    problems = []
    for doc in rendition.documents:
        try:
            etree.fromstring(doc.xhtml.encode("utf-8"))
        except etree.XMLSyntaxError as exc:
            problems.append(error("bad-template", f"the EPUB document {doc.file_name} is not "
                                  f"well-formed XHTML: {exc}", Location(f"styles/{style.name}"),
                                  "check the style's epub/ templates (close every element, "
                                  "escape & and <)"))
    return problems


_Document = Callable[..., EpubDocument]


def _front_documents(anthology: Anthology, cover: CoverImage | None,
                     document: _Document) -> list[EpubDocument]:
    language = anthology.language
    docs = [document("epub/cover.xhtml.j2", "cover.xhtml", "Cover", language, "cover",
                     cover=cover)] if cover else []
    docs.append(document("epub/titlepage.xhtml.j2", "titlepage.xhtml", anthology.title,
                         language, "titlepage"))
    docs.append(document("epub/copyright.xhtml.j2", "copyright.xhtml", "Copyright", language,
                         "copyright"))
    if anthology.config.dedication:
        docs.append(document("epub/dedication.xhtml.j2", "dedication.xhtml", "Dedication",
                             language, "dedication"))
    if anthology.config.epigraph:
        docs.append(document("epub/epigraph.xhtml.j2", "epigraph.xhtml", "Epigraph",
                             language, "epigraph"))
    return docs


def _body_documents(anthology: Anthology, document: _Document) -> list[EpubDocument]:
    docs: list[EpubDocument] = []
    if anthology.foreword:
        piece = anthology.foreword
        docs.append(document("epub/piece.xhtml.j2", epub_file_name(piece.slug), piece.title,
                             piece.language, "foreword", nav_title=bookmark(piece),
                             piece=piece, epub_type="foreword", role="doc-foreword"))
    for number, (part, pieces) in enumerate(anthology.sections, 1):
        part_file = f"{part.slug}.xhtml" if part else None
        if part:
            docs.append(document("epub/part.xhtml.j2", f"{part.slug}.xhtml", part.title,
                                 anthology.language, "part", in_part=part_file,
                                 number=part_number(number), part=part))
        docs += [document("epub/piece.xhtml.j2", epub_file_name(piece.slug), piece.title,
                          piece.language, "piece", in_part=part_file, nav_title=bookmark(piece),
                          piece=piece, epub_type="chapter", role="doc-chapter")
                 for piece in pieces]
    return docs


def _toc(documents: list[EpubDocument]) -> tuple[TocEntry, ...]:
    """The contents: the foreword, each part with its pieces nested, the back matter."""
    entries: list[TocEntry] = []
    children: dict[str, list[TocEntry]] = {}
    for doc in documents:
        entry = TocEntry(doc.nav_title or doc.title, doc.file_name, doc.language)
        if doc.kind == "part":
            children[doc.file_name] = []
            entries.append(entry)
        else:
            children.get(doc.part or "", entries).append(entry)
    return tuple(TocEntry(e.title, e.href, e.language, tuple(children.get(e.href, ())))
                 for e in entries)


def _landmarks(front: list[EpubDocument], body: list[EpubDocument],
               back: list[EpubDocument]) -> tuple[Landmark, ...]:
    """Where a reading system jumps for 'cover', 'start', 'contents'..."""
    first_body = next(d for d in body if d.kind != "foreword")
    found = [Landmark(_LANDMARK_TYPES[d.kind], d.file_name, d.title if d.kind != "titlepage"
                      else "Title page") for d in front if d.kind in _LANDMARK_TYPES]
    found.append(Landmark("toc", f"{NAV_FILE}#toc", "Contents"))
    found.append(Landmark("bodymatter", first_body.file_name, "Start of content"))
    if back:
        found.append(Landmark("backmatter", back[0].file_name, "Back matter"))
    return tuple(found)


_LANDMARK_TYPES = {"cover": "cover", "titlepage": "titlepage", "copyright": "copyright-page"}
NAV_FILE = "nav.xhtml"


@dataclass(frozen=True)
class BodyRun:
    """Consecutive pieces of the body, with the title page of their part if it opens here."""

    part: Part | None
    part_number: str | None
    pieces: tuple[Manuscript, ...]
    with_part_page: bool
    opens_body: bool  # the first thing in the body: arabic folios start here


@dataclass(frozen=True)
class PrintSelection:
    """Which parts of the book a print document holds: all of it, or one chunk of it."""

    front: bool = True
    runs: tuple[BodyRun, ...] = ()
    back: bool = True
    page_numbers: Mapping[str, str] = field(default_factory=dict)  # id -> printed folio


def body_runs(anthology: Anthology) -> tuple[BodyRun, ...]:
    """The whole body: one run per part (or one run when the book has no parts)."""
    return tuple(BodyRun(part, part_number(n) if part else None, pieces, part is not None,
                         n == 1)
                 for n, (part, pieces) in enumerate(anthology.sections, 1))


def whole_book(anthology: Anthology) -> PrintSelection:
    return PrintSelection(True, body_runs(anthology), True)


def render_print(anthology: Anthology, style: Style, setup: PageSetup,
                 selection: PrintSelection | None = None) -> PrintRendition:
    """Print HTML for the whole book, or for the part of it `selection` names.

    `setup.profile` becomes a class on <html> for the style's CSS. Page numbers known in
    advance (`selection.page_numbers`) are written as `data-page`; otherwise the CSS
    computes them with target-counter().
    """
    selection = selection or whole_book(anthology)
    env = _environment(style)

    def page_attr(element_id: str) -> Markup:
        number = selection.page_numbers.get(element_id)
        return Markup(' data-page="{}"').format(number) if number else Markup("")

    context = {**_context(anthology, lambda slug: f"#piece-{slug}"),
               "body_html": lambda piece: print_body(piece.body_html), "page_attr": page_attr}
    html = env.get_template("print/book.html.j2").render(
        **context, typefaces=style.typefaces, profile=setup.profile, selection=selection)
    return PrintRendition(html, style.stylesheets("css/print.css"), setup, style.font_css)


