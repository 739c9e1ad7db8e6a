"""A rendered body made fit for an XHTML document: one pass over its tree, then XML out.

The input is HTML from markdown-it (and from nh3 when raw HTML is sanitised). HTML
parsing forgives what XHTML content documents do not, so the pass:
- unwraps elements outside the allowlist and drops attributes (or values) it does not know;
- repairs content models HTML leaves invalid (a block inside a phrasing element, stray
  list items and table parts, table children out of order);
- keeps only the footnote ids the renderer makes, each once;
- keeps web and mail links, and in-page links whose target exists; any other link becomes
  its text, with a finding;
- resolves images: an accepted image gets its stable name, a refused one becomes its alt
  text, with a finding.
The result is serialised as XML, so void elements close and entities are characters.
"""

from __future__ import annotations

import html
import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import SplitResult, quote, urlsplit

from lxml import etree
from lxml import html as lxml_html

from chapbook.core.images import ImageAsset, ImageRefusal
from chapbook.read.sanitise import ALLOWED_ATTRIBUTES, ALLOWED_ROLES, ALLOWED_TAGS, BLOCKS, PHRASING

ImageResolver = Callable[[str], ImageAsset | ImageRefusal]


@dataclass(frozen=True)
class Finding:
    """A problem in a body; `needles` are texts to look for in the source to locate it,
    most precise first (the Markdown syntax, the HTML attribute, the bare target)."""

    code: str
    message: str
    hint: str
    needles: tuple[str, ...]


@dataclass(frozen=True)
class Fragment:
    xhtml: str
    images: tuple[ImageAsset, ...] = ()
    findings: tuple[Finding, ...] = ()


def finish_fragment(source: str, doc_id: str, resolve: ImageResolver | None) -> Fragment:
    """Turn an HTML fragment into a valid XHTML fragment (see the module docstring)."""
    if not source.strip():
        return Fragment("")
    try:
        root = lxml_html.fragment_fromstring(source, create_parent="div")
    except (etree.ParserError, ValueError):  # not expected from our renderers: stay safe
        return Fragment(f"<p>{html.escape(source, quote=False)}</p>")
    tidy = _Tidy(doc_id, resolve)
    tidy.run(root)
    return Fragment(_serialise(root), tuple(dict.fromkeys(tidy.images)), tuple(tidy.findings))


_VOID = frozenset({"br", "hr", "img", "wbr"})


def _serialise(root: etree._Element) -> str:
    """XML out, but with an end tag on every empty non-void element: print parses bodies as
    HTML, where `<span/>` would open a span that swallows the rest of the paragraph."""
    for element in root.iter():
        if element.tag not in _VOID and element.text is None and len(element) == 0:
            element.text = ""
    text = html.escape(root.text or "", quote=False)
    return text + "".join(etree.tostring(child, encoding="unicode", method="xml",
                                         with_tail=True) for child in root)


# Elements whose content must be phrasing: any block inside them is unwrapped.
_PHRASING_ONLY = PHRASING | {"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "dt"}
_FORBIDDEN_INSIDE: dict[str, frozenset[str]] = {
    **{tag: BLOCKS for tag in _PHRASING_ONLY},
    "a": BLOCKS | {"a"},
    "th": frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "section"}),
    "caption": frozenset({"table"}),
}
_TABLE_ORDER = {"caption": 0, "thead": 1, "tbody": 2, "tr": 2, "tfoot": 3}
_LANGUAGE = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")
_NUMBER = re.compile(r"^[0-9]{1,5}$")
_VALUES: dict[str, Callable[[str], bool]] = {
    "lang": lambda v: bool(_LANGUAGE.match(v)),
    "dir": lambda v: v in ("ltr", "rtl", "auto"),
    "width": lambda v: bool(_NUMBER.match(v)),
    "height": lambda v: bool(_NUMBER.match(v)),
    "start": lambda v: bool(re.match(r"^-?[0-9]{1,9}$", v)),
    "colspan": lambda v: bool(_NUMBER.match(v)) and 0 < int(v) <= 1000,
    "rowspan": lambda v: bool(_NUMBER.match(v)) and int(v) <= 65534,
    "scope": lambda v: v in ("row", "col", "rowgroup", "colgroup"),
}


@dataclass
class _Tidy:
    doc_id: str
    resolve: ImageResolver | None
    images: list[ImageAsset] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def run(self, root: etree._Element) -> None:
        self._elements_and_attributes(root)
        self._content_models(root)
        ids = self._ids(root)
        for link in list(root.iter("a")):
            self._link(link, ids)
        for image in list(root.iter("img")):
            self._image(image)

    # ---- elements and attributes ---------------------------------------------------------

    def _elements_and_attributes(self, root: etree._Element) -> None:
        for element in list(root.iterdescendants()):
            if not isinstance(element.tag, str):  # comments, processing instructions
                _remove_keeping_tail(element)
            elif element.tag not in ALLOWED_TAGS:
                _unwrap(element)
        for element in root.iterdescendants():
            if element.tag == "h1":  # body headings sit under the piece title
                element.tag = "h2"
            _clean_attributes(element)

    # ---- content models ------------------------------------------------------------------

    def _content_models(self, root: etree._Element) -> None:
        for element in list(root.iterdescendants()):
            forbidden = _FORBIDDEN_INSIDE.get(element.tag)
            if forbidden and element.getparent() is not None:
                for inner in [d for d in element.iterdescendants() if d.tag in forbidden]:
                    _unwrap(inner, separator=" ")
        for element in list(root.iterdescendants()):
            _repair_placement(element)
        for element in list(root.iter("ul", "ol")):
            _only_children(element, {"li"}, "li")
        for element in list(root.iter("dl")):
            _only_children(element, {"dt", "dd"}, "dd")
        for row in list(root.iter("tr")):
            _only_children(row, {"td", "th"}, "td")
        for table in list(root.iter("table")):
            _order_table(table)

    # ---- ids and links -------------------------------------------------------------------

    def _ids(self, root: etree._Element) -> set[str]:
        """Only the renderer's footnote ids survive, once each: raw HTML cannot clash."""
        pattern = re.compile(rf"^fn(?:ref)?-{re.escape(self.doc_id)}-\d+(?::\d+)?$")
        seen: set[str] = set()
        for element in root.iter():
            value = element.get("id")
            if value is None:
                continue
            if not pattern.match(value) or value in seen:
                del element.attrib["id"]
            else:
                seen.add(value)
        return seen

    def _link(self, link: etree._Element, ids: set[str]) -> None:
        href = link.get("href")
        text = _text_of(link)
        if href and not text and not link.xpath(".//img[normalize-space(@alt)]"):
            self.findings.append(Finding("link-dropped", f"a link to '{_short(href)}' has no "
                                         "text; it is left out", "give the link some text",
                                         _needles("", href, "href")))
            if link.get("id"):
                _as_span(link)  # keeps the id a link may point at
            else:
                _remove_keeping_tail(link)
            return
        target = web_address(href) if href else None
        if target is not None:
            link.set("href", target)
            return
        if href and href.startswith("#") and href[1:] in ids:
            return
        reason = ("has no target" if not href else
                  "points inside the piece at something that is not there"
                  if href.startswith("#") else f"points at '{_short(href)}', whose host is not "
                  "a valid name" if _is_web(href) else f"points at '{_short(href)}', which is "
                  "not a web or mail address")
        self.findings.append(Finding("link-dropped", f"link '{_short(text)}' {reason}; it is "
                                     "kept as plain text", "link to a web address "
                                     "(https://...) or a mail address (mailto:...)",
                                     _needles(text, href, "href")))
        _as_span(link)

    # ---- images --------------------------------------------------------------------------

    def _image(self, image: etree._Element) -> None:
        src = image.get("src")
        alt = image.get("alt") or ""
        outcome: ImageAsset | ImageRefusal
        if src is None:
            outcome = ImageRefusal("image-refused", "an image has no usable source",
                                   "only image files inside the project can be used")
        elif self.resolve is None:
            outcome = ImageRefusal("image-refused", f"image '{_short(src)}' cannot be used "
                                   "here", "images belong in manuscripts")
        else:
            outcome = self.resolve(src)
        if isinstance(outcome, ImageRefusal):
            self.findings.append(Finding(outcome.code, f"{outcome.message}; its description "
                                         "is shown instead", outcome.hint,
                                         _needles(alt, src, "src")))
            if image.get("id"):
                _as_span(image).text = alt
            else:
                _replace_with_text(image, alt)
            return
        image.set("src", outcome.name)
        image.set("alt", alt)
        self.images.append(outcome)
        if not alt.strip():
            self.findings.append(Finding("image-no-alt", f"image '{_short(src or '')}' has no "
                                         "description for readers who cannot see it",
                                         "write it between the brackets: ![a description]"
                                         "(picture.jpg)", _needles(alt, src, "src")))


def _needles(text: str, target: str | None, attribute: str) -> tuple[str, ...]:
    """Where a link or image may be written: `[text](target`, `attribute="target"`, ..."""
    if not target:
        return (f"[{text}]()", f"[{text}](<>)", f"[{text}]")
    return (f"[{text}]({target}", f"]({target}", f'{attribute}="{target}"', target)


def _clean_attributes(element: etree._Element) -> None:
    allowed = ALLOWED_ATTRIBUTES["*"] | ALLOWED_ATTRIBUTES.get(element.tag, set())
    roles = ALLOWED_ROLES.get(element.tag, set())
    for name, value in list(element.attrib.items()):
        check = _VALUES.get(name)
        keep = (name in allowed and (check is None or check(value.strip()))) or (
            name == "role" and value in roles)
        if not keep:
            del element.attrib[name]


def _repair_placement(element: etree._Element) -> None:
    """Elements that only make sense inside a certain parent become a div elsewhere."""
    parent = element.getparent()
    parent_tag = parent.tag if parent is not None else None
    homes = {"li": ("ul", "ol"), "dt": ("dl",), "dd": ("dl",), "tr": ("table", "thead",
             "tbody", "tfoot"), "td": ("tr",), "th": ("tr",), "thead": ("table",),
             "tbody": ("table",), "tfoot": ("table",), "caption": ("table",),
             "figcaption": ("figure",)}
    if element.tag in homes and parent_tag not in homes[element.tag]:
        element.tag = "div"
        _clean_attributes(element)
    elif element.tag == "figcaption" and parent is not None:
        children = [c for c in parent if isinstance(c.tag, str)]
        if element is not children[0] and element is not children[-1]:
            element.tag = "div"


def _only_children(parent: etree._Element, allowed: set[str], wrapper: str) -> None:
    """Wrap stray text and elements of a list, definition list or row in `wrapper`."""
    if parent.text and parent.text.strip():
        item = parent.makeelement(wrapper, {})
        item.text, parent.text = parent.text, None
        parent.insert(0, item)
    for child in list(parent):
        if child.tag not in allowed:
            item = parent.makeelement(wrapper, {})
            parent.replace(child, item)
            item.append(child)
        elif child.tail and child.tail.strip():
            stray = parent.makeelement(wrapper, {})
            stray.text, child.tail = child.tail, None
            child.addnext(stray)


def _order_table(table: etree._Element) -> None:
    """caption, thead, body rows, tfoot: in that order, one caption/thead/tfoot at most."""
    seen: set[str] = set()
    for child in list(table):
        if child.tag not in _TABLE_ORDER:
            table.addprevious(child)  # like a browser: stray content goes before the table
            continue
        if child.tag in ("caption", "thead", "tfoot") and child.tag in seen:
            child.tag = "tbody" if child.tag != "caption" else "div"
            if child.tag == "div":
                table.addnext(child)
                continue
        seen.add(child.tag)
    rows = [c for c in table if c.tag == "tr"]
    if rows and any(c.tag == "tbody" for c in table):
        body = table.makeelement("tbody", {})
        table.append(body)
        for row in rows:
            body.append(row)
    table[:] = sorted(table, key=lambda c: _TABLE_ORDER[c.tag])


def web_address(href: str) -> str | None:
    """The href as a valid URL if it is a web or mail address, else None."""
    href = href.strip()
    try:
        parts = urlsplit(href)
    except ValueError:  # an unclosed [IPv6 address
        return None
    scheme = parts.scheme.lower()
    if scheme in ("http", "https") and "@" not in parts.netloc and _valid_host(parts):
        return _encode(href)
    if scheme == "mailto" and len(href) > len("mailto:"):
        return _encode(href)
    return None


def _is_web(href: str) -> bool:
    return href.strip().lower().startswith(("http:", "https:"))


# A host name label (RFC 1123; with the underscore some real hosts have), once a non-ASCII
# label is in its ASCII (punycode) form.
_LABEL = re.compile(r"^(?!-)[A-Za-z0-9_-]{1,63}(?<!-)$")


def _valid_host(parts: SplitResult) -> bool:
    """Whether a web address names a host a reading system can look up: a domain name of
    valid labels (`https://../` has none), an IPv4 address or a bracketed IPv6 one, and a
    port that is a number."""
    try:
        host, _ = parts.hostname, parts.port
    except ValueError:  # a port that is not a number, or out of range
        return False
    if not host:
        return False
    if parts.netloc.rpartition("@")[2].startswith("["):
        return _ip_address(host)
    name = host[:-1] if host.endswith(".") else host
    return 0 < len(name) <= 253 and all(_label(label) for label in name.split("."))


def _ip_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _label(label: str) -> bool:
    try:
        ascii_label = label.encode("idna").decode("ascii") if not label.isascii() else label
    except UnicodeError:
        return False
    return bool(_LABEL.match(ascii_label))


def _encode(url: str) -> str:
    """Percent-encode what a URL may not contain; keep existing valid escapes."""
    url = re.sub(r"%(?![0-9A-Fa-f]{2})", "%25", url)
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~")


def _unwrap(element: etree._Element, separator: str = "") -> None:
    """Remove the element but keep its text and children where it stood."""
    if separator and element.tag in BLOCKS:
        element.tail = separator + (element.tail or "")
    element.drop_tag()


def _as_span(element: etree._Element) -> etree._Element:
    """A plain span in place of a link or image, keeping its id (a link may point at it)."""
    element.tag = "span"
    _clean_attributes(element)
    return element


def _remove_keeping_tail(element: etree._Element) -> None:
    _replace_with_text(element, "")


def _replace_with_text(element: etree._Element, text: str) -> None:
    parent = element.getparent()
    if parent is None:
        return
    joined = text + (element.tail or "")
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + joined
    else:
        parent.text = (parent.text or "") + joined
    parent.remove(element)


def _text_of(element: etree._Element) -> str:
    return "".join(str(text) for text in element.itertext()).strip()


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."
