"""The EPUB's documents: an `Anthology` and a `Style` in, XHTML strings out, with the
contents and the landmarks. No files are written here."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lxml import etree

from chapbook.core.anthology import Anthology
from chapbook.core.diagnostics import Diagnostic, Location, error
from chapbook.core.images import CoverImage
from chapbook.core.labels import ENGLISH, Labels
from chapbook.render.context import (
    back_sections,
    book_labels,
    book_typefaces,
    bookmark,
    environment,
    part_number,
    shared_context,
)
from chapbook.render.styles import Style

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
class PageTarget:
    """One entry of the page list: a print page's label and its marker in the EPUB."""

    label: str
    href: str


@dataclass(frozen=True)
class EpubRendition:
    documents: tuple[EpubDocument, ...]  # in reading order: the spine
    stylesheet: str
    toc: tuple[TocEntry, ...] = ()
    landmarks: tuple[Landmark, ...] = ()
    labels: Labels = ENGLISH  # the book's: its accessibility summary is in its language
    page_source: str | None = None  # the print edition its page list follows (if it has one)


EPUB_CSS_HREF = "css/book.css"

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
    env = environment(style)
    base = {**shared_context(anthology, epub_file_name), "css_href": EPUB_CSS_HREF,
            "typefaces": book_typefaces(anthology, style)}

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


def finish_epub(parts: EpubParts, cover: CoverImage | None,
                page_list: tuple[PageTarget, ...] = ()) -> EpubRendition:
    """The front matter (with the cover, if any), the contents and the landmarks; the page
    list, when the documents carry the print edition's page breaks."""
    anthology, body, back = parts.anthology, list(parts.body), list(parts.back)
    labels = book_labels(anthology)
    front = _front_documents(anthology, cover, parts.document, labels)
    toc = _toc([*body, *back])
    landmarks = _landmarks(front, body, back, labels)
    nav = parts.document("epub/nav.xhtml.j2", NAV_FILE, labels.text("contents"),
                         anthology.language, "nav", toc=toc, landmarks=landmarks,
                         page_list=page_list)
    stylesheet = parts.style.stylesheet_text("css/epub.css")
    source = page_source(anthology, labels) if page_list else None
    return EpubRendition((*front, nav, *body, *back), stylesheet, toc, landmarks, labels,
                         source)


def reading_documents(parts: EpubParts) -> tuple[EpubDocument, ...]:
    """The documents with the book's text, in reading order, before the cover is known:
    the front matter but the cover, the body and the back matter (no nav)."""
    front = _front_documents(parts.anthology, None, parts.document, book_labels(parts.anthology))
    return (*front, *parts.body, *parts.back)


def page_source(anthology: Anthology, labels: Labels) -> str:
    """The print edition the page breaks come from (EPUB `pageBreakSource`): its ISBN, or
    what it is in words."""
    if anthology.identifier.startswith("urn:isbn:"):
        return anthology.identifier
    return labels.text("print_edition", title=anthology.title, press=anthology.press.name,
                       year=str(anthology.date.year))


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
                     document: _Document, labels: Labels) -> list[EpubDocument]:
    language = anthology.language
    docs = [document("epub/cover.xhtml.j2", "cover.xhtml", labels.text("cover"), language,
                     "cover", cover=cover)] if cover else []
    docs.append(document("epub/titlepage.xhtml.j2", "titlepage.xhtml", anthology.title,
                         language, "titlepage"))
    docs.append(document("epub/copyright.xhtml.j2", "copyright.xhtml",
                         labels.text("copyright"), language, "copyright"))
    if anthology.config.dedication:
        docs.append(document("epub/dedication.xhtml.j2", "dedication.xhtml",
                             labels.text("dedication"), language, "dedication"))
    if anthology.config.epigraph:
        docs.append(document("epub/epigraph.xhtml.j2", "epigraph.xhtml",
                             labels.text("epigraph"), language, "epigraph"))
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
               back: list[EpubDocument], labels: Labels) -> tuple[Landmark, ...]:
    """Where a reading system jumps for 'cover', 'start', 'contents'..., in the book's
    language."""
    first_body = next(d for d in body if d.kind != "foreword")
    found = [Landmark(_LANDMARK_TYPES[d.kind], d.file_name, d.title if d.kind != "titlepage"
                      else labels.text("title_page")) for d in front if d.kind in _LANDMARK_TYPES]
    found.append(Landmark("toc", f"{NAV_FILE}#toc", labels.text("contents")))
    found.append(Landmark("bodymatter", first_body.file_name, labels.text("start_of_content")))
    if back:
        found.append(Landmark("backmatter", back[0].file_name, labels.text("back_matter")))
    return tuple(found)


_LANDMARK_TYPES = {"cover": "cover", "titlepage": "titlepage", "copyright": "copyright-page"}
NAV_FILE = "nav.xhtml"
