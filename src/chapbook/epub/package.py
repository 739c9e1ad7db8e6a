"""The EPUB writer: the only module that imports ebooklib.

ebooklib writes the package: the package document (metadata, manifest, spine, guide), the
NCX and the container; documents, the nav document and resources are listed as plain
items, never rewritten. Its known traps are handled here: exceptions are raised, not
swallowed; the identifier and modified date are fixed; its own nav (which has no
stylesheet and wrong landmark names) and cover page (not in the spine, empty alt) are not
used; what it cannot write is added (`xml:lang` on the package, the NCX depth). The zip
(`container.py`) holds `mimetype` first and stored, then the body and back documents (zipped
in a worker while the rest is made), the stylesheet, the front matter and contents, the
package files and the resources, every timestamp fixed, so that two builds of the same
input are byte-identical.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Sequence
from concurrent import futures
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ebooklib import epub
from lxml import etree

from chapbook.core.anthology import Anthology
from chapbook.core.diagnostics import Diagnostic
from chapbook.core.files import build_timestamp
from chapbook.core.language import direction
from chapbook.epub.accessibility import accessibility_metadata
from chapbook.epub.container import ReproducibleZip, zip_documents, zip_time
from chapbook.epub.resources import EpubResource, EpubResources
from chapbook.render.epub_documents import (
    EPUB_CSS_HREF,
    NAV_FILE,
    EpubDocument,
    EpubRendition,
    TocEntry,
)

if TYPE_CHECKING:
    from concurrent.futures import Future

    from chapbook.core.workers import Workers

XHTML = "application/xhtml+xml"
FOLDER = "EPUB"  # ebooklib's package folder
CONTAINER_PATH = "META-INF/container.xml"
OPF_PATH = f"{FOLDER}/content.opf"
NCX_PATH = f"{FOLDER}/toc.ncx"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# EPUB 3 landmarks -> EPUB 2 guide types, for older reading systems.
GUIDE_TYPES = {"cover": "cover", "titlepage": "title-page", "copyright-page": "copyright-page",
               "toc": "toc", "bodymatter": "text"}


@dataclass(frozen=True)
class Offprint:
    """What an offprint's package says instead of the book's: its own identifier and
    title, its authors (name, file-as) as creators, and the book as its source."""

    identifier: str
    title: str
    authors: tuple[tuple[str, str], ...]


class EpubFile:
    """An EPUB written to `path` (a temporary file) in two steps, so that zipping most of
    its bytes costs the build no time: `start` has a worker zip the documents rendered
    first (the body and back matter) while the build makes the rest; `finish` packages the
    book and appends the rest. Leaving the `with` waits for the worker: it never writes
    to `path` after the build has let go of it."""

    def __init__(self, anthology: Anthology, path: Path, workers: Workers | None,
                 offprint: Offprint | None = None) -> None:
        self.anthology, self.path, self.workers = anthology, path, workers
        self.offprint = offprint
        self.stamp = build_timestamp(anthology.date)
        self.date_time = zip_time(self.stamp)
        self._zipped: frozenset[str] | None = None  # None: `start` has not run
        self._job: Future[None] | None = None

    def start(self, documents: Sequence[EpubDocument]) -> None:
        job = (self.path, self.date_time,
               [(f"{FOLDER}/{doc.file_name}", doc.xhtml) for doc in documents])
        self._zipped = frozenset(doc.file_name for doc in documents)
        if self.workers is None:
            zip_documents(*job)
        else:
            self._job = self.workers.submit(zip_documents, *job)

    def finish(self, rendition: EpubRendition, resources: EpubResources) -> list[Diagnostic]:
        """Package and zip what `start` did not; returns what went wrong making the
        resources (a font that could not be subset goes in whole). Fonts still being
        subset are waited for last."""
        book = _package(self.anthology, rendition, resources.listed, self.offprint)
        package = _package_files(book, self.stamp, _finishing(self.anthology, rendition))
        if self._zipped is None:
            self.start([])
        if self._job is not None:
            self._job.result()
        zipped = self._zipped or frozenset()
        with ReproducibleZip(self.path, self.date_time, "a") as packed:
            packed.add(f"{FOLDER}/{EPUB_CSS_HREF}", rendition.stylesheet.encode("utf-8"))
            for doc in rendition.documents:
                if doc.file_name not in zipped:
                    packed.add(f"{FOLDER}/{doc.file_name}", doc.xhtml.encode("utf-8"))
            for name in (CONTAINER_PATH, OPF_PATH, NCX_PATH):
                packed.add(name, package[name])
            contents, problems = resources.contents()
            for resource in resources.listed:
                packed.add(f"{FOLDER}/{resource.file_name}", contents[resource.file_name])
        return problems

    def __enter__(self) -> EpubFile:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._job is not None and not self._job.cancel():  # running or done
            futures.wait([self._job])


def _package_files(book: epub.EpubBook, stamp: dt.datetime,
                   finishing: dict[str, Callable[[bytes], bytes]]) -> dict[str, bytes]:
    """The files ebooklib writes itself (container, package document, NCX), finished.

    ebooklib writes them into a zip in memory, with every other item empty: the documents
    and resources are zipped by `EpubFile`, with fixed timestamps."""
    buffer = io.BytesIO()
    epub.write_epub(buffer, book, {"epub3_pages": False, "raise_exceptions": True,
                                   "mtime": stamp.replace(tzinfo=None), "compresslevel": 0})
    with zipfile.ZipFile(buffer) as written:
        files = {name: written.read(name) for name in (CONTAINER_PATH, OPF_PATH, NCX_PATH)}
    return {name: finishing[name](data) if name in finishing else data
            for name, data in files.items()}


def _package(anthology: Anthology, rendition: EpubRendition,
             resources: list[EpubResource], offprint: Offprint | None = None) -> epub.EpubBook:
    """The book as ebooklib models it: metadata, manifest, spine, contents. Its items are
    empty: ebooklib needs only their names and types to write the package document."""
    book = epub.EpubBook()
    book.set_identifier(offprint.identifier if offprint else anthology.identifier)
    book.set_title(offprint.title if offprint else anthology.title)
    book.set_language(anthology.language)
    if direction(anthology.language) == "rtl":
        book.set_direction("rtl")  # page-progression-direction on the spine
    if offprint:
        _offprint_metadata(book, anthology, offprint)
    else:
        _metadata(book, anthology)
    for prop, value in accessibility_metadata(rendition, anthology.press.name):
        book.add_metadata(None, "meta", value, {"property": prop})
    book.add_item(epub.EpubItem(uid="css", file_name=EPUB_CSS_HREF, media_type="text/css"))
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
    item = epub.EpubItem(uid=uid, file_name=doc.file_name, media_type=XHTML)
    item.properties = ["nav"] if doc.kind == "nav" else []
    return item


def _resource_item(resource: EpubResource) -> epub.EpubItem:
    uid = ("cover-image" if "cover-image" in resource.properties
           else "res-" + resource.file_name.replace("/", "-").replace(".", "-"))
    item = epub.EpubItem(uid=uid, file_name=resource.file_name,
                         media_type=resource.media_type)
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


def _offprint_metadata(book: epub.EpubBook, anthology: Anthology, offprint: Offprint) -> None:
    """An offprint's authors are its creators; the book is its source (by identifier)."""
    for index, (name, file_as) in enumerate(offprint.authors):
        _person(book, "creator", f"author-{index + 1}", name, file_as, "aut")
    book.add_metadata("DC", "source", anthology.identifier)
    book.add_metadata("DC", "publisher", anthology.press.name)
    book.add_metadata("DC", "date", anthology.date.isoformat())
    if anthology.press.rights:
        book.add_metadata("DC", "rights", anthology.press.rights)


def _person(book: epub.EpubBook, element: str, uid: str, name: str, file_as: str,
            role: str) -> None:
    """dc:creator or dc:contributor, refined by file-as and a MARC relator role."""
    book.add_metadata("DC", element, name, {"id": uid})
    book.add_metadata(None, "meta", file_as, {"refines": f"#{uid}", "property": "file-as"})
    book.add_metadata(None, "meta", role, {"refines": f"#{uid}", "property": "role",
                                           "scheme": "marc:relators"})


def _finishing(anthology: Anthology,
               rendition: EpubRendition) -> dict[str, Callable[[bytes], bytes]]:
    """What to change in ebooklib's files while re-packing them."""
    depth = 2 if any(entry.children for entry in rendition.toc) else 1
    return {OPF_PATH: lambda data: _package_language(data, anthology.language),
            NCX_PATH: lambda data: _ncx_depth(data, depth)}


def _package_language(opf: bytes, language: str) -> bytes:
    """ebooklib writes no xml:lang on <package>; Ace rates its absence serious."""
    root = etree.fromstring(opf)
    root.set(XML_LANG, language)
    if direction(language) == "rtl":
        root.set("dir", "rtl")
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))


def _ncx_depth(ncx: bytes, depth: int) -> bytes:
    """ebooklib always says dtb:depth 0; say how deep the contents really go."""
    root = etree.fromstring(ncx)
    for meta in root.iter("{http://www.daisy.org/z3986/2005/ncx/}meta"):
        if meta.get("name") == "dtb:depth":
            meta.set("content", str(depth))
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))
