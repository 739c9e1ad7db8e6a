"""HTML manuscripts: a review saved from a website or written in an HTML editor.

The head feeds the metadata (`<title>`, `<meta name="author">`, `date`, `keywords`,
`description`, `<html lang>`), under any YAML front matter on top. The body is sanitised
and turned into Markdown (htmlbody.py); a leading `<h1>` is the title, a following
`<p class="standfirst">` the standfirst.

A page saved from a website (`extract_page`) prefers its `<h1>` to its `<title>`, which
browsers show in a tab and sites end with their name ("... | The Site"); without an
`<h1>`, the `<title>` is the title, less that suffix. A converted Word document keeps its
title property over its Title paragraph (`extract`): the property is the author's.
"""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser
from typing import Any

from chapbook.core.diagnostics import Diagnostic, Location, info
from chapbook.read.htmlbody import convert
from chapbook.read.textparts import TextParts

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_DATE_NAMES = ("date", "dc.date", "dcterms.date", "dcterms.created", "article:published_time")


class _Head(HTMLParser):
    """Collects what the head says, with lines; and where the body and its <h1> start."""

    def __init__(self, first_line: int) -> None:
        super().__init__(convert_charrefs=True)
        self.first_line = first_line
        self.meta: dict[str, Any] = {}
        self.lines: dict[tuple[str | int, ...], int] = {}
        self.in_title = False
        self.title = ""
        self.body_line: int | None = None
        self.h1_line: int | None = None
        self.dropped: set[str] = set()
        self.site_name = ""

    def line(self) -> int:
        return self.getpos()[0] + self.first_line - 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "html" and values.get("lang"):
            self._set("language", values["lang"].strip())
        elif tag == "title" and self.body_line is None:
            self.in_title = True
            self.lines[("title",)] = self.line()
        elif tag == "meta":
            self._meta(values)
        elif tag == "body":
            self.body_line = self.line()
        elif tag == "h1" and self.h1_line is None:
            self.h1_line = self.line()
        elif tag in ("script", "style", "nav", "img", "iframe", "form", "object", "video", "svg"):
            self.dropped.add(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
            if self.title.strip():
                self.meta["title"] = " ".join(self.title.split())

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data

    def _meta(self, values: dict[str, str]) -> None:
        name = (values.get("name") or values.get("property") or "").lower()
        content = values.get("content", "").strip()
        if not content:
            return
        if name == "author":
            self._set("author", [*self.meta.get("author", []), content])
        elif name in _DATE_NAMES and _DATE.match(content) and "date" not in self.meta:
            self._set("date", content[:10])
        elif name == "keywords":
            self._set("tags", [tag.strip() for tag in re.split(r"[,;]", content) if tag.strip()])
        elif name == "description":
            self._set("standfirst", content)
        elif name in ("og:site_name", "application-name"):
            self.site_name = content

    def _set(self, key: str, value: Any) -> None:
        self.meta[key] = value
        self.lines.setdefault((key,), self.line())


_BODY = re.compile(r"<body[^>]*>(.*?)(?:</body\s*>|\Z)", re.DOTALL | re.IGNORECASE)
_HEAD = re.compile(r"<head[^>]*>.*?</head\s*>", re.DOTALL | re.IGNORECASE)


def extract_page(body: str, first_line: int, where: Location) -> TextParts:
    """A web page: its `<h1>` is the title, else its `<title>` without the site's name."""
    parts, head = _read(body, first_line, where)
    metadata, lines = dict(parts.metadata), dict(parts.metadata_lines)
    if parts.title is not None:
        metadata.pop("title", None)
        lines.pop(("title",), None)
    elif "title" in metadata:
        full = metadata["title"]
        metadata["title"] = without_site_name(full, head.site_name)
        if metadata["title"] != full:  # nothing is lost without a word
            note = info("site-name-dropped", f"the page title '{full[:80]}' read as "
                        f"'{metadata['title'][:80]}': the site's name left out",
                        where.at_line(lines.get(("title",))),
                        "give 'title:' in front matter on top of the file to keep it")
            return replace(parts, metadata=metadata, metadata_lines=lines,
                           diagnostics=(*parts.diagnostics, note))
    return replace(parts, metadata=metadata, metadata_lines=lines)


# Between a page's title and the site's name: a bar, an en or em dash, a hyphen, a middle
# dot or "::", with spaces around.
_SITE_SEPARATOR = re.compile("\\s+(?:\\||\u2013|\u2014|-|\u00b7|::)\\s+")
_MAX_SITE_WORDS = 4  # a longer tail is more likely the title's own second half
_SMALL_WORDS = frozenset({"a", "an", "and", "at", "for", "in", "of", "on", "the", "&"})


def without_site_name(title: str, site_name: str = "") -> str:
    """A `<title>` less the site's name after it: everything from the first bar ("Foo |
    Film | The Site"); else the last part after a dash if it is the page's named site
    (og:site_name) or a short name in title case ("Foo - The Site", but not "'Foo'
    review - Kim shines")."""
    cuts = list(_SITE_SEPARATOR.finditer(title))
    if not cuts:
        return title
    bar = next((cut for cut in cuts if "|" in cut.group()), None)
    if bar is not None:
        return title[:bar.start()].strip() or title
    last = cuts[-1]
    tail = title[last.end():].strip()
    named = bool(site_name) and tail.casefold() == site_name.strip().casefold()
    # a title-case tail after a dash may be the title's own second half ("'Dune' Review -
    # Villeneuve Delivers"): cut only a short one that is no sentence
    if named or (_looks_like_a_name(tail) and len(tail.split()) <= 2):
        return title[:last.start()].strip() or title
    return title


def _looks_like_a_name(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= _MAX_SITE_WORDS and text[:1].isupper() and all(
        word[:1].isupper() or not word[:1].isalpha() or word in _SMALL_WORDS for word in words)


def extract(body: str, first_line: int, where: Location) -> TextParts:
    return _read(body, first_line, where)[0]


def _read(body: str, first_line: int, where: Location) -> tuple[TextParts, _Head]:
    head = _Head(first_line)
    head.feed(body)
    head.close()
    match = _BODY.search(body)
    inner = match.group(1) if match else _HEAD.sub("", body)
    converted = convert(inner)
    notes: tuple[Diagnostic, ...] = ()
    if head.dropped:
        notes = (info("html-dropped", f"left out of the book: {', '.join(sorted(head.dropped))}"
                      " elements", where.at_line(head.body_line or first_line)),)
    start = head.body_line or first_line
    return TextParts(converted.markdown, start, title=converted.title,
                     title_line=head.h1_line if converted.title else None,
                     standfirst=converted.standfirst, standfirst_line=head.h1_line,
                     diagnostics=notes, metadata=head.meta, metadata_lines=head.lines), head
