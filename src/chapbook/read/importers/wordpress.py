"""A WordPress export (Tools > Export: WXR, RSS with WordPress's own elements): each
published post becomes an HTML manuscript, so its body is sanitised as HTML manuscripts
are. The XML is parsed without a DTD: no entities, nothing fetched."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from lxml import etree

from chapbook.core.diagnostics import Location, error
from chapbook.core.manuscript import LANGUAGE_PATTERN
from chapbook.read.importers.review import (
    Imported,
    Parsed,
    make_slug,
    without_empty,
)
from chapbook.read.importers.values import paragraphs, parse_date
from chapbook.read.manuscript import slugify

_NAMESPACES = {
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
_DRAFTS = {"draft", "pending", "private", "future"}


@dataclass(frozen=True)
class _Site:
    publication: str
    language: str | None
    authors: dict[str, str]  # login -> display name


def parse(raw: bytes, where: Location, drafts: bool) -> Parsed:
    parsed = Parsed()
    channel = _channel(raw, where, parsed)
    if channel is None:
        return parsed
    site = _site(channel)
    for item in channel.iter("item"):
        status = _wp(item, "status") or "publish"
        if _wp(item, "post_type") not in ("post", ""):
            parsed.skip("pages, attachments and other items that are not posts")
        elif status != "publish" and not (drafts and status in _DRAFTS):
            parsed.skip("drafts and unpublished posts (import them with --drafts)")
        elif not _text(item, "content:encoded").strip():
            parsed.skip("posts without a body")
        elif not _text(item, "title").strip():
            parsed.skip("posts without a title (asides, status updates)")
        else:
            try:
                parsed.reviews.append(_review(item, site, status))
            except ValueError as exc:
                parsed.diagnostics.append(error("import-bad-row", str(exc),
                                                where.at_line(item.sourceline)))
    return parsed


def _channel(raw: bytes, where: Location, parsed: Parsed) -> Any:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             dtd_validation=False, huge_tree=False)
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        parsed.diagnostics.append(error("import-bad-file", f"not well-formed XML: {exc.msg}",
                                        where.at_line(line)))
        return None
    if root.getroottree().docinfo.doctype:  # entities could hide in it: WXR has none
        parsed.diagnostics.append(error(
            "import-bad-file", "the file has a DOCTYPE: not a WordPress export, and not read",
            where.at_line(1)))
        return None
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        parsed.diagnostics.append(error(
            "import-bad-file", "not a WordPress export (no <rss><channel>)", where.at_line(1),
            "export from WordPress's Tools > Export"))
        return None
    return channel


def _site(channel: Any) -> _Site:
    language = _text(channel, "language").strip()
    if not re.fullmatch(LANGUAGE_PATTERN, language):
        language = ""
    authors = {_wp(a, "author_login"): _wp(a, "author_display_name")
               for a in channel if _local(a) == "author" and _is_wp(a)}
    return _Site(_text(channel, "title").strip(), language or None, authors)


def _review(item: Any, site: _Site, status: str) -> Imported:
    title = " ".join(_text(item, "title").split())
    login = _text(item, "dc:creator").strip()
    date = parse_date(_wp(item, "post_date")) or _rss_date(_text(item, "pubDate"))
    tags = [" ".join((category.text or "").split()) for category in item.iter("category")
            if category.get("domain") in ("category", "post_tag")
            and category.get("nicename") != "uncategorized"]
    link = _text(item, "link").strip()
    published = status == "publish"
    front = without_empty({
        "title": title,
        "author": [site.authors.get(login) or login] if login else [],
        "date": date,
        "tags": list(dict.fromkeys(tag for tag in tags if tag)),
        "language": site.language,
        "source": without_empty({"publication": site.publication,
                                 "url": link if published and link.startswith("http") else "",
                                 "first_published": date if published else None}),
        "status": None if published else "draft",
    })
    slug = slugify(unquote(_wp(item, "post_name"))) or make_slug(title)
    return Imported(slug, front, paragraphs(_text(item, "content:encoded")), item.sourceline,
                    ".html")


def _rss_date(text: str) -> dt.date | None:
    """pubDate is only a fallback: WordPress writes a year -0001 there for drafts."""
    try:
        return parse_date(text)
    except ValueError:
        return None


def _text(element: Any, name: str) -> str:
    found = element.find(name, _NAMESPACES)
    return (found.text or "") if found is not None else ""


def _wp(element: Any, name: str) -> str:
    """A WordPress element, whatever the WXR version in its namespace (1.0 to 1.2)."""
    for child in element:
        if _local(child) == name and _is_wp(child):
            return (child.text or "").strip()
    return ""


def _local(element: Any) -> str:
    return str(etree.QName(element).localname) if isinstance(element.tag, str) else ""


def _is_wp(element: Any) -> bool:
    return str(etree.QName(element).namespace or "").startswith("http://wordpress.org/export/")
