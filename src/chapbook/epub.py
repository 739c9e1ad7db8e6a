"""The EPUB writer: the only module that imports ebooklib.

ebooklib packages what the templates rendered; it does not rewrite it: documents, the nav
document and resources are added as plain items. Its known traps are handled here:
exceptions are raised, not swallowed; the identifier and modified date are fixed; its own
nav (which has no stylesheet and wrong landmark names) and cover page (not in the spine,
empty alt) are not used; and the zip is re-written with sorted entries and fixed
timestamps, adding what ebooklib cannot write (`xml:lang` on the package, the NCX depth),
so that two builds of the same input are byte-identical.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

from ebooklib import epub
from lxml import etree

from .a11y import accessibility_metadata
from .anthology import Anthology
from .output import atomic_target, build_timestamp
from .render import (
    EPUB_CSS_HREF,
    NAV_FILE,
    EpubDocument,
    EpubRendition,
    TocEntry,
    text_direction,
)
from .resources import EpubResource

XHTML = "application/xhtml+xml"
OPF_PATH = "EPUB/content.opf"
NCX_PATH = "EPUB/toc.ncx"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# EPUB 3 landmarks -> EPUB 2 guide types, for older reading systems.
GUIDE_TYPES = {"cover": "cover", "titlepage": "title-page", "copyright-page": "copyright-page",
               "toc": "toc", "bodymatter": "text"}


def write_epub(anthology: Anthology, rendition: EpubRendition,
               resources: list[EpubResource], target: Path) -> None:
    book = _package(anthology, rendition, resources)
    stamp = build_timestamp(anthology.date)
    with atomic_target(target) as temporary:
        raw = temporary.with_suffix(".raw")
        try:
            # ebooklib's zip is re-packed below: compressing it hard would be wasted work
            epub.write_epub(str(raw), book, {"epub3_pages": False, "raise_exceptions": True,
                                             "mtime": stamp.replace(tzinfo=None),
                                             "compresslevel": 0})
            _reproducible_zip(raw, temporary, stamp, _finishing(anthology, rendition))
        finally:
            raw.unlink(missing_ok=True)


def _package(anthology: Anthology, rendition: EpubRendition,
             resources: list[EpubResource]) -> epub.EpubBook:
    book = epub.EpubBook()
    book.set_identifier(anthology.identifier)
    book.set_title(anthology.title)
    book.set_language(anthology.language)
    if text_direction(anthology.language) == "rtl":
        book.set_direction("rtl")  # page-progression-direction on the spine
    _metadata(book, anthology)
    for prop, value in accessibility_metadata(rendition, anthology.press.name):
        book.add_metadata(None, "meta", value, {"property": prop})
    book.add_item(epub.EpubItem(uid="css", file_name=EPUB_CSS_HREF, media_type="text/css",
                                content=rendition.stylesheet.encode("utf-8")))
    for resource in resources:
        book.add_item(_resource_item(resource))
        if "cover-image" in resource.properties:  # EPUB 2 readers look for this
            book.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-image"})
    items = [_item(doc) for doc in rendition.documents]
    for item in items:
        book.add_item(item)
    book.add_item(epub.EpubNcx())
    book.spine = items
    book.toc = [_toc_entry(entry) for entry in rendition.toc]
    book.guide = [{"type": GUIDE_TYPES[mark.epub_type], "href": mark.href, "title": mark.title}
                  for mark in rendition.landmarks if mark.epub_type in GUIDE_TYPES]
    return book


def _item(doc: EpubDocument) -> epub.EpubItem:
    uid = "nav" if doc.file_name == NAV_FILE else "doc-" + doc.file_name.removesuffix(".xhtml")
    item = epub.EpubItem(uid=uid, file_name=doc.file_name, media_type=XHTML,
                         content=doc.xhtml.encode("utf-8"))
    item.properties = ["nav"] if doc.kind == "nav" else []
    return item


def _resource_item(resource: EpubResource) -> epub.EpubItem:
    uid = ("cover-image" if "cover-image" in resource.properties
           else "res-" + resource.file_name.replace("/", "-").replace(".", "-"))
    item = epub.EpubItem(uid=uid, file_name=resource.file_name,
                         media_type=resource.media_type, content=resource.data)
    item.properties = list(resource.properties)
    return item


def _toc_entry(entry: TocEntry) -> Any:
    """The NCX is written by ebooklib from Sections (with children) and Links."""
    uid = "toc-" + entry.href.removesuffix(".xhtml")
    if entry.children:
        return (epub.Section(entry.title, href=entry.href),
                [_toc_entry(child) for child in entry.children])
    return epub.Link(entry.href, entry.title, uid)


def _metadata(book: epub.EpubBook, anthology: Anthology) -> None:
    for index, editor in enumerate(anthology.editors):
        _person(book, "creator", f"editor-{index + 1}", editor, anthology.file_as(editor), "edt")
    reviewers = [c for c in anthology.contributors if c.name not in anthology.editors]
    for index, person in enumerate(reviewers):
        _person(book, "contributor", f"contributor-{index + 1}", person.name, person.sort_as,
                "aut")
    book.add_metadata("DC", "publisher", anthology.press.name)
    book.add_metadata("DC", "date", anthology.date.isoformat())
    if anthology.press.rights:
        book.add_metadata("DC", "rights", anthology.press.rights)
    if anthology.config.description:
        book.add_metadata("DC", "description", anthology.config.description)
    for tag in anthology.tags:
        book.add_metadata("DC", "subject", tag)


def _person(book: epub.EpubBook, element: str, uid: str, name: str, file_as: str,
            role: str) -> None:
    """dc:creator or dc:contributor, refined by file-as and a MARC relator role."""
    book.add_metadata("DC", element, name, {"id": uid})
    book.add_metadata(None, "meta", file_as, {"refines": f"#{uid}", "property": "file-as"})
    book.add_metadata(None, "meta", role, {"refines": f"#{uid}", "property": "role",
                                           "scheme": "marc:relators"})


def _finishing(anthology: Anthology, rendition: EpubRendition) -> dict[str, Any]:
    """What to change in ebooklib's files while re-packing them."""
    depth = 2 if any(entry.children for entry in rendition.toc) else 1
    return {OPF_PATH: lambda data: _package_language(data, anthology.language),
            NCX_PATH: lambda data: _ncx_depth(data, depth)}


def _package_language(opf: bytes, language: str) -> bytes:
    """ebooklib writes no xml:lang on <package>; Ace rates its absence serious."""
    root = etree.fromstring(opf)
    root.set(XML_LANG, language)
    if text_direction(language) == "rtl":
        root.set("dir", "rtl")
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))


def _ncx_depth(ncx: bytes, depth: int) -> bytes:
    """ebooklib always says dtb:depth 0; say how deep the contents really go."""
    root = etree.fromstring(ncx)
    for meta in root.iter("{http://www.daisy.org/z3986/2005/ncx/}meta"):
        if meta.get("name") == "dtb:depth":
            meta.set("content", str(depth))
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))


def _reproducible_zip(source: Path, target: Path, stamp: dt.datetime,
                      finishing: dict[str, Any]) -> None:
    """Re-pack: `mimetype` first and stored, other entries sorted, every timestamp fixed."""
    date_time = max(stamp, dt.datetime(1980, 1, 1, tzinfo=dt.UTC)).timetuple()[:6]
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as packed:
        names = sorted(n for n in original.namelist() if n != "mimetype")
        for name in ["mimetype", *names]:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            data = original.read(name)
            if name in finishing:
                data = finishing[name](data)
            packed.writestr(info, data, compresslevel=9)
