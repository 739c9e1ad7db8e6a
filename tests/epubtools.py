"""Reading a built EPUB the way a reading system does: the zip, the OPF, the nav (lxml)."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from chapbook.epub.epubcheck import run_epubcheck

NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
      "x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops",
      "ncx": "http://www.daisy.org/z3986/2005/ncx/"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class Epub:
    path: Path

    def read(self, name: str) -> bytes:
        with zipfile.ZipFile(self.path) as archive:
            return archive.read(name)

    def names(self) -> list[str]:
        with zipfile.ZipFile(self.path) as archive:
            return archive.namelist()

    def xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.read(name))

    @property
    def opf(self) -> etree._Element:
        return self.xml("EPUB/content.opf")

    @property
    def nav(self) -> etree._Element:
        return self.xml("EPUB/nav.xhtml")

    def metadata(self, prop: str) -> list[str]:
        """Values of <meta property=prop> in the package metadata."""
        return [m.text or "" for m in self.opf.xpath(f"//opf:meta[@property='{prop}']",
                                                     namespaces=NS)]

    def manifest(self) -> dict[str, etree._Element]:
        """Manifest items by id."""
        return {item.get("id"): item for item in self.opf.xpath("//opf:item", namespaces=NS)}

    def spine(self) -> list[str]:
        """The spine as hrefs, in reading order."""
        items = self.manifest()
        return [items[ref.get("idref")].get("href")
                for ref in self.opf.xpath("//opf:itemref", namespaces=NS)]

    def refines(self, uid: str) -> dict[str, str]:
        """{property: value} of the meta elements refining #uid."""
        return {m.get("property"): m.text or "" for m in
                self.opf.xpath(f"//opf:meta[@refines='#{uid}']", namespaces=NS)}


def epubcheck_messages(path: Path) -> list[tuple[str, str, str, str]]:
    """EPUBCheck's findings (the real jar, started the quick way chapbook starts it)."""
    return [(m.severity, m.id, f"{m.path}:{m.line}:{m.col}", m.message)
            for m in run_epubcheck(path)]
