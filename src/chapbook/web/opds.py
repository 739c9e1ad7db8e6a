"""The press's catalogue as OPDS feeds: an OPDS 1.2 acquisition feed (Atom) and an OPDS 2.0
feed (JSON), both listing the same books from their catalogue entries (`book.json`).

Hrefs are relative to the feed (build/opds/), or absolute under `[press] base_url`.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from lxml import etree

ATOM = "http://www.w3.org/2005/Atom"
DC = "http://purl.org/dc/terms/"
OPDS = "http://opds-spec.org/2010/catalog"
ACQUISITION_TYPE = "application/atom+xml;profile=opds-catalog;kind=acquisition"
OPDS2_TYPE = "application/opds+json"
OPEN_ACCESS = "http://opds-spec.org/acquisition/open-access"
IMAGE = "http://opds-spec.org/image"
THUMBNAIL = "http://opds-spec.org/image/thumbnail"
FEED_XML = "catalog.xml"
FEED_JSON = "catalog.json"

Entry = dict[str, Any]
Href = Callable[[str], str]  # a path relative to build/ -> the href the feed writes


def feed_href(base_url: str | None) -> Href:
    return (lambda path: f"{base_url}{path}") if base_url else (lambda path: f"../{path}")


def feed_id(press: str, base_url: str | None) -> str:
    """The feed's stable identifier: its address if known, else a name-based UUID."""
    if base_url:
        return f"{base_url}opds/{FEED_XML}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'chapbook:{press}:catalogue')}"


def _sub(parent: etree._Element, tag: str, text: str | None = None,
         **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, tag, {k.rstrip("_"): v for k, v in attributes.items()})
    if text is not None:
        element.text = text
    return element


def atom_feed(title: str, press: str, language: str, entries: Sequence[Entry],
              base_url: str | None, updated: str) -> bytes:
    """The OPDS 1.2 acquisition feed."""
    href = feed_href(base_url)
    own = (lambda name: f"{base_url}opds/{name}") if base_url else (lambda name: name)
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM, "dc": DC, "opds": OPDS})
    feed.set("{http://www.w3.org/XML/1998/namespace}lang", language)
    _sub(feed, f"{{{ATOM}}}id", feed_id(press, base_url))
    _sub(feed, f"{{{ATOM}}}title", title)
    _sub(feed, f"{{{ATOM}}}updated", updated)
    _sub(_sub(feed, f"{{{ATOM}}}author"), f"{{{ATOM}}}name", press)
    for rel in ("self", "start"):
        _sub(feed, f"{{{ATOM}}}link", rel=rel, href=own(FEED_XML), type=ACQUISITION_TYPE)
    _sub(feed, f"{{{ATOM}}}link", rel="alternate", href=own(FEED_JSON), type=OPDS2_TYPE)
    _sub(feed, f"{{{ATOM}}}link", rel="alternate", href=href("index.html"), type="text/html")
    for entry in entries:
        _atom_entry(feed, entry, href)
    return bytes(etree.tostring(feed, xml_declaration=True, encoding="utf-8",
                                pretty_print=True))


def _atom_entry(feed: etree._Element, entry: Entry, href: Href) -> None:
    item = _sub(feed, f"{{{ATOM}}}entry")
    _sub(item, f"{{{ATOM}}}title", _full_title(entry))
    _sub(item, f"{{{ATOM}}}id", entry["identifier"])
    _sub(item, f"{{{ATOM}}}updated", entry["updated"])
    for name in entry["editors"] or [entry["press"]]:
        _sub(_sub(item, f"{{{ATOM}}}author"), f"{{{ATOM}}}name", name)
    for name in entry["authors"]:
        _sub(_sub(item, f"{{{ATOM}}}contributor"), f"{{{ATOM}}}name", name)
    _sub(item, f"{{{DC}}}language", entry["language"])
    _sub(item, f"{{{DC}}}issued", entry["issued"])
    _sub(item, f"{{{DC}}}publisher", entry["press"])
    for subject in entry["subjects"]:
        _sub(item, f"{{{ATOM}}}category", term=subject, label=subject.replace("-", " "))
    if entry["summary"]:
        _sub(item, f"{{{ATOM}}}summary", entry["summary"], type="text")
    for rel, image in ((IMAGE, entry["cover"]), (THUMBNAIL, entry["thumbnail"])):
        if image:
            _sub(item, f"{{{ATOM}}}link", rel=rel, href=href(image["href"]), type=image["type"])
    _sub(item, f"{{{ATOM}}}link", rel="alternate", href=href(entry["home"]), type="text/html")
    for download in entry["downloads"]:
        _sub(item, f"{{{ATOM}}}link", rel=OPEN_ACCESS, href=href(download["href"]),
             type=download["type"], length=str(download["length"]), title=download["label"])


def _full_title(entry: Entry) -> str:
    return f"{entry['title']}: {entry['subtitle']}" if entry["subtitle"] else entry["title"]


def json_feed(title: str, press: str, entries: Sequence[Entry], base_url: str | None,
              updated: str) -> bytes:
    """The OPDS 2.0 feed: the same books as publications."""
    href = feed_href(base_url)
    own = (lambda name: f"{base_url}opds/{name}") if base_url else (lambda name: name)
    feed = {
        "metadata": {"title": title, "modified": updated, "numberOfItems": len(entries)},
        "links": [{"rel": "self", "href": own(FEED_JSON), "type": OPDS2_TYPE},
                  {"rel": "alternate", "href": own(FEED_XML), "type": ACQUISITION_TYPE},
                  {"rel": "alternate", "href": href("index.html"), "type": "text/html"}],
        "publications": [_publication(entry, href) for entry in entries],
    }
    text = json.dumps(feed, ensure_ascii=False, indent=1)
    return f"{text}\n".encode()


def _publication(entry: Entry, href: Href) -> dict[str, Any]:
    metadata: dict[str, Any] = {
        "@type": "http://schema.org/Book", "identifier": entry["identifier"],
        "title": entry["title"], "language": entry["language"],
        "modified": entry["updated"], "published": entry["issued"],
        "publisher": {"name": entry["press"]},
    }
    if entry["subtitle"]:
        metadata["subtitle"] = entry["subtitle"]
    if entry["editors"]:
        metadata["editor"] = [{"name": name} for name in entry["editors"]]
    if entry["authors"]:
        metadata["author"] = [{"name": name} for name in entry["authors"]]
    if entry["summary"]:
        metadata["description"] = entry["summary"]
    if entry["subjects"]:
        metadata["subject"] = [{"name": subject.replace("-", " "), "code": subject}
                               for subject in entry["subjects"]]
    links = [{"rel": OPEN_ACCESS, "href": href(d["href"]), "type": d["type"],
              "title": d["label"], "properties": {"length": d["length"]}}
             for d in entry["downloads"]]
    links.append({"rel": "alternate", "href": href(entry["home"]), "type": "text/html"})
    images = []
    if entry["cover"]:
        cover = entry["cover"]
        images.append({"href": href(cover["href"]), "type": cover["type"],
                       "width": cover["width"], "height": cover["height"]})
    if entry["thumbnail"]:
        images.append({"href": href(entry["thumbnail"]["href"]),
                       "type": entry["thumbnail"]["type"], "rel": THUMBNAIL})
    return {"metadata": metadata, "links": links, "images": images}
