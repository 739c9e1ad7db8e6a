"""An HTML body, sanitised, as Markdown: so HTML and Word submissions meet the same pipeline.

nh3 first reduces the HTML to an allowed subset (scripts, styles and their content go;
so do attributes other than links and ids). The rest is walked and written as Markdown,
which then gets the same typography, footnote numbering and heading levels as a `.md`
manuscript. Footnotes are recognised by structure, as Word (mammoth), pandoc and most
editors write them: a link to the id of a list item, which links back.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import nh3

from chapbook.read.cjk import joins_without_space

ALLOWED_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "pre", "hr",
    "br", "em", "i", "strong", "b", "cite", "q", "a", "code", "tt", "sup", "sub", "span",
    "small", "u", "s", "del", "ins", "mark", "abbr", "time", "div", "section", "article",
    "header", "footer", "aside", "figure", "figcaption", "table", "thead", "tbody", "tr",
    "td", "th", "dl", "dt", "dd", "main",
}
_ATTRIBUTES = {"a": {"href", "id"}, "li": {"id"}, "sup": {"id"}, "span": {"id"}, "p": {"id"}}
_BLOCKS = {"main", "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "pre",
           "hr", "div", "section", "article", "header", "footer", "aside", "figure",
           "figcaption", "table", "thead", "tbody", "tr", "dl", "dt", "dd"}
# Gone with everything inside: code, and a website's navigation.
_DROPPED_WITH_CONTENT = {"script", "style", "nav", "noscript", "template", "textarea", "select"}
_WRAPPERS = {"div", "section", "article", "header", "main"}
_ESCAPED = re.compile(r"([\\`*_\[\]<>#!|~&{}])")
_LINK_SCHEMES = ("http://", "https://", "mailto:")


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)


@dataclass(frozen=True)
class Converted:
    """The body as Markdown blocks; a leading <h1> and standfirst are set apart."""

    title: str | None
    standfirst: str | None
    markdown: str


def convert(body_html: str, standfirst_class: str = "standfirst") -> Converted:
    marked = re.sub(rf'<p[^>]*class="[^"]*\b{standfirst_class}\b[^"]*"[^>]*>',
                    '<p id="chapbook-standfirst">', body_html, count=1)
    clean = nh3.clean(marked, tags=ALLOWED_TAGS, attributes=_ATTRIBUTES, link_rel=None,
                      clean_content_tags=_DROPPED_WITH_CONTENT,
                      url_schemes={"http", "https", "mailto"}, strip_comments=True)
    root = _main_content(_parse(clean))
    writer = _Writer(root)
    title, standfirst = writer.take_heading()
    return Converted(title, standfirst, writer.markdown())


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in ("br", "hr"):
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def _parse(text: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


class _Writer:
    """Walks the tree once footnotes are known; writes CommonMark."""

    def __init__(self, root: Node) -> None:
        self.root = root
        by_id = {n.attrs["id"]: n for n in _walk(root) if "id" in n.attrs}
        self.notes: dict[str, int] = {}  # footnote li id -> number, in order of reference
        self.note_nodes: dict[str, Node] = {}
        for node in _walk(root):
            target = _fragment(node)
            if target and by_id.get(target) is not None and by_id[target].tag == "li":
                self.notes.setdefault(target, len(self.notes) + 1)
                self.note_nodes[target] = by_id[target]
        self.note_lis = {id(n) for n in self.note_nodes.values()}

    def take_heading(self) -> tuple[str | None, str | None]:
        """Remove and return a leading <h1> and a standfirst paragraph right after it."""
        container = self.root
        while (first := _first_block(container)) is not None and first.tag in _WRAPPERS:
            container = first
        title = standfirst = None
        first = _first_block(container)
        if first is not None and first.tag == "h1":
            title = _plain(first.text)
            container.children.remove(first)
            first = _first_block(container)
        if first is not None and first.attrs.get("id") == "chapbook-standfirst":
            standfirst = _plain(first.text)
            container.children.remove(first)
        return title or None, standfirst or None

    def markdown(self) -> str:
        blocks = self.blocks(self.root)
        while blocks and blocks[-1] == "* * *":  # the rule before a footnote list
            blocks.pop()
        for note_id, number in self.notes.items():
            inner = self.blocks(self.note_nodes[note_id]) or [""]
            rest = "".join("\n\n" + _indent(b, "    ") for b in inner[1:])
            blocks.append(f"[^{number}]: {inner[0]}{rest}")
        return "\n\n".join(blocks) + "\n"

    # ---- blocks --------------------------------------------------------------------------

    def blocks(self, node: Node) -> list[str]:
        """Markdown blocks for a node's children; loose inline runs become paragraphs."""
        found: list[str] = []
        run: list[Node | str] = []
        for child in node.children:
            if isinstance(child, Node) and child.tag in _BLOCKS:
                found += self._paragraph(run)
                run = []
                found += self.block(child)
            else:
                run.append(child)
        return found + self._paragraph(run)

    def block(self, node: Node) -> list[str]:
        tag = node.tag
        if id(node) in self.note_lis:
            return []
        if tag in ("p", "dt", "dd", "figcaption"):
            return self._paragraph(node.children, bold=tag == "dt")
        if tag[0] == "h" and tag[1:].isdigit():
            text = self.inline(node.children)  # h1 is the piece's title: h2 is a `#`
            return [f"{'#' * max(int(tag[1]) - 1, 1)} {text}"] if text else []
        if tag == "blockquote":
            inner = self.blocks(node)
            return [_indent("\n\n".join(inner), "> ")] if inner else []
        if tag in ("ul", "ol"):
            return self._list(node)
        if tag == "pre":
            code = node.text.strip("\n")
            fence = "~~~~" if "```" in code else "```"
            return [f"{fence}\n{code}\n{fence}"]
        if tag == "hr":
            return ["* * *"]
        if tag == "tr":
            cells = [self.inline(c.children) for c in node.children
                     if isinstance(c, Node) and c.tag in ("td", "th")]
            line = " · ".join(cell for cell in cells if cell)
            return [_protect_line_starts(line)] if line else []
        return self.blocks(node)  # div, section, table, li content...

    def _paragraph(self, children: list[Node | str], bold: bool = False) -> list[str]:
        text = self.inline(children)
        if not text:
            return []
        return [_protect_line_starts(f"**{text}**" if bold else text)]

    def _list(self, node: Node) -> list[str]:
        items = [c for c in node.children if isinstance(c, Node) and c.tag == "li"
                 and id(c) not in self.note_lis]
        start = int(node.attrs.get("start", "1") or 1) if node.tag == "ol" else 1
        lines = []
        for number, item in enumerate(items, start):
            marker = f"{number}. " if node.tag == "ol" else "- "
            inner = "\n\n".join(self.blocks(item)) or ""
            lines.append(marker + _indent(inner, " " * len(marker)).lstrip(" "))
        return ["\n".join(lines)] if lines else []

    # ---- inline --------------------------------------------------------------------------

    def inline(self, children: list[Node | str]) -> str:
        parts = [self._text(c) if isinstance(c, str) else self.element(c) for c in children]
        return _squeeze("".join(parts)).strip()

    def element(self, node: Node) -> str:
        tag = node.tag
        note = self._note_number(node)
        if note is not None:
            return f"[^{note}]"
        if self._is_backref(node) or tag in _BLOCKS:
            return ""
        inner = self.inline(node.children)
        if tag == "br":
            return "\\\n"
        if not inner:
            return ""
        if tag in ("em", "i", "cite"):
            return _wrap(inner, "*")
        if tag in ("strong", "b"):
            return _wrap(inner, "**")
        if tag in ("code", "tt"):
            tick = "``" if "`" in node.text else "`"
            return f"{tick}{node.text}{tick}"
        if tag == "q":
            return f'"{inner}"'
        if tag == "a":
            href = node.attrs.get("href", "")
            if href.startswith(_LINK_SCHEMES) and not re.search(r"[<>\s]", href):
                return f"[{inner}](<{href}>)"
        return inner

    def _note_number(self, node: Node) -> int | None:
        """The footnote a reference points to: the link, or a <sup> wrapping only it."""
        target = _fragment(node)
        if target is None and node.tag == "sup":
            links = [c for c in node.children if isinstance(c, Node)]
            if len(links) == 1 and not node.text.strip("[]0123456789* \n").strip():
                target = _fragment(links[0])
        return self.notes.get(target) if target else None

    def _is_backref(self, node: Node) -> bool:
        """A link inside a footnote back to its reference (↩, ↑)."""
        target = _fragment(node)
        return bool(target) and target not in self.notes and not _plain(node.text).isalnum() \
            and len(_plain(node.text)) <= 2

    def _text(self, text: str) -> str:
        return _ESCAPED.sub(r"\\\1", text)


def _main_content(root: Node) -> Node:
    """A page saved from a website: its <article> (or <main>) is the review; the rest
    (header, footer, "More stories") is the site's."""
    for tag in ("article", "main"):
        found = [node for node in _walk(root) if node.tag == tag]
        if len(found) == 1:
            return found[0]
    return root


def _first_block(node: Node) -> Node | None:
    """The first child that is not blank text, if it is an element."""
    for child in node.children:
        if isinstance(child, Node):
            return child
        if child.strip():
            return None
    return None


def _walk(node: Node) -> list[Node]:
    found = []
    for child in node.children:
        if isinstance(child, Node):
            found.append(child)
            found += _walk(child)
    return found


def _fragment(node: Node) -> str | None:
    href = node.attrs.get("href", "") if node.tag == "a" else ""
    return href[1:] if href.startswith("#") and len(href) > 1 else None


def _wrap(text: str, mark: str) -> str:
    """Emphasis with the spaces outside the marks, as CommonMark needs."""
    stripped = text.strip()
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() else ""
    return f"{lead}{mark}{stripped}{mark}{trail}" if stripped else text


def _squeeze(text: str) -> str:
    """Collapse HTML whitespace; a line break between CJK characters is no space at all."""
    def space(match: re.Match[str]) -> str:
        start, end = match.start(), match.end()
        if "\n" in match.group() and start > 0 and end < len(text) and \
                joins_without_space(text[start - 1], text[end]):
            return ""
        return " "

    lines = text.split("\\\n")
    return "\\\n".join(re.sub(r"[ \t\r\n\f]+", space, line) for line in lines)


def _protect_line_starts(text: str) -> str:
    """Text that would start a list, quote or heading at a line start is escaped."""
    lines = [re.sub(r"^(\d+)([.)])", r"\1\\\2", line) for line in text.split("\n")]
    return "\n".join("\\" + line if line[:1] in "-+=>" else line for line in lines)


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line if line else prefix.rstrip() for line in text.split("\n"))


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(text)).strip()
