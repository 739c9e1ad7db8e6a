"""The EPUB writer: the only module that imports ebooklib.

ebooklib packages documents the templates rendered; it does not rewrite them (they are
added as plain XHTML items). Its known traps are handled here: exceptions are raised, not
swallowed; the identifier and modified date are fixed; the zip is re-written with sorted
entries and fixed timestamps so that two builds of the same input are byte-identical.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

from ebooklib import epub

from .anthology import Anthology
from .output import atomic_target, build_timestamp
from .render import EPUB_CSS_HREF, EpubDocument, EpubRendition, epub_file_name

XHTML = "application/xhtml+xml"


def write_epub(anthology: Anthology, rendition: EpubRendition, target: Path) -> None:
    book = _package(anthology, rendition)
    stamp = build_timestamp(anthology.date)
    with atomic_target(target) as temporary:
        raw = temporary.with_suffix(".raw")
        try:
            epub.write_epub(str(raw), book, {"epub3_pages": False, "raise_exceptions": True,
                                             "mtime": stamp.replace(tzinfo=None)})
            _reproducible_zip(raw, temporary, stamp)
        finally:
            raw.unlink(missing_ok=True)


def _package(anthology: Anthology, rendition: EpubRendition) -> epub.EpubBook:
    book = epub.EpubBook()
    book.set_identifier(anthology.identifier)
    book.set_title(anthology.title)
    book.set_language(anthology.language)
    _metadata(book, anthology)
    book.add_item(epub.EpubItem(uid="css", file_name=EPUB_CSS_HREF, media_type="text/css",
                                content=rendition.stylesheet.encode("utf-8")))
    items = {doc.file_name: _item(doc) for doc in rendition.documents}
    for item in items.values():
        book.add_item(item)
    book.add_item(epub.EpubNcx())
    nav = epub.EpubNav()
    book.add_item(nav)
    titlepage = items["titlepage.xhtml"]
    book.spine = [titlepage, nav, *(items[d.file_name] for d in rendition.documents
                                    if d.file_name != "titlepage.xhtml")]
    book.toc = _toc(rendition.documents)
    first_piece = (f"{anthology.parts[0].slug}.xhtml" if anthology.parts
                   else epub_file_name(anthology.pieces[0]))
    book.guide = [
        {"type": "title-page", "href": "titlepage.xhtml", "title": "Title page"},
        {"type": "toc", "href": "nav.xhtml", "title": "Contents"},
        {"type": "text", "href": first_piece, "title": "Start of content"},
    ]
    return book


def _item(doc: EpubDocument) -> epub.EpubItem:
    uid = "doc-" + doc.file_name.removesuffix(".xhtml")
    return epub.EpubItem(uid=uid, file_name=doc.file_name, media_type=XHTML,
                         content=doc.xhtml.encode("utf-8"))


def _toc(documents: tuple[EpubDocument, ...]) -> list[Any]:
    """The nav and NCX: pieces nest under their part when the book has parts."""
    toc: list[Any] = []
    children_of: dict[str, list[epub.Link]] = {}
    for doc in documents:
        if doc.kind == "titlepage":
            continue
        if doc.kind == "part":
            children_of[doc.file_name] = []
            toc.append((epub.Section(doc.title, href=doc.file_name), children_of[doc.file_name]))
            continue
        link = epub.Link(doc.file_name, doc.nav_title or doc.title,
                         "toc-" + doc.file_name.removesuffix(".xhtml"))
        children_of.get(doc.part or "", toc).append(link)
    return toc


def _metadata(book: epub.EpubBook, anthology: Anthology) -> None:
    for index, editor in enumerate(anthology.editors):
        uid = f"editor-{index + 1}"
        book.add_author(editor, file_as=anthology.file_as(editor), role="edt", uid=uid)
    reviewers = [c for c in anthology.contributors if c.name not in anthology.editors]
    for index, person in enumerate(reviewers):
        uid = f"contributor-{index + 1}"
        book.add_metadata("DC", "contributor", person.name, {"id": uid})
        book.add_metadata(None, "meta", person.sort_as,
                          {"refines": f"#{uid}", "property": "file-as"})
        book.add_metadata(None, "meta", "aut", {"refines": f"#{uid}", "property": "role",
                                                "scheme": "marc:relators"})
    book.add_metadata("DC", "publisher", anthology.press.name)
    book.add_metadata("DC", "date", anthology.date.isoformat())
    if anthology.press.rights:
        book.add_metadata("DC", "rights", anthology.press.rights)
    if anthology.config.description:
        book.add_metadata("DC", "description", anthology.config.description)
    for tag in anthology.tags:
        book.add_metadata("DC", "subject", tag)


def _reproducible_zip(source: Path, target: Path, stamp: dt.datetime) -> None:
    """Re-pack: `mimetype` first and stored, other entries sorted, every timestamp fixed."""
    date_time = max(stamp, dt.datetime(1980, 1, 1, tzinfo=dt.UTC)).timetuple()[:6]
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as packed:
        names = sorted(n for n in original.namelist() if n != "mimetype")
        for name in ["mimetype", *names]:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            packed.writestr(info, original.read(name), compresslevel=9)
