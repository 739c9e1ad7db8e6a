"""HTML manuscripts: a review saved from a website or written in an HTML editor.

The head feeds the metadata (`<title>`, `<meta name="author">`, `date`, `keywords`,
`description`, `<html lang>`), under any YAML front matter on top. The body is sanitised
and turned into Markdown (htmlbody.py); a leading `<h1>` is the title, a following
`<p class="standfirst">` the standfirst.
"""

from __future__ import annotations

import re
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

    def _set(self, key: str, value: Any) -> None:
        self.meta[key] = value
        self.lines.setdefault((key,), self.line())


_BODY = re.compile(r"<body[^>]*>(.*?)(?:</body\s*>|\Z)", re.DOTALL | re.IGNORECASE)
_HEAD = re.compile(r"<head[^>]*>.*?</head\s*>", re.DOTALL | re.IGNORECASE)


def extract(body: str, first_line: int, where: Location) -> TextParts:
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
                     diagnostics=notes, metadata=head.meta, metadata_lines=head.lines)
