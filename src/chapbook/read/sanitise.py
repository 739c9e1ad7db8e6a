"""The raw-HTML policy: which elements and attributes a manuscript may use.

With `press.raw_html = "sanitise"`, a rendered body goes through nh3 with this allowlist
(scripts, styles, forms, media, event handlers and unknown URL schemes go; their text
mostly stays). The same allowlist is enforced again when the fragment is re-serialised as
XHTML (`xhtml.py`), so it also guards what the Markdown renderer itself produces.
"""

from __future__ import annotations

from functools import cache

import nh3

PHRASING = frozenset({
    "a", "abbr", "b", "bdi", "br", "cite", "code", "del", "em", "i", "img", "ins", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "u", "var", "wbr",
})
BLOCKS = frozenset({
    "blockquote", "caption", "dd", "div", "dl", "dt", "figcaption", "figure", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "section", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul",
})
ALLOWED_TAGS = PHRASING | BLOCKS

# Attributes by element; "*" applies to all. Values are checked again in xhtml.py.
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"lang", "dir", "title", "class", "id"},
    "a": {"href", "aria-label"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
# ARIA roles the Markdown renderer gives footnotes; any other role is dropped.
ALLOWED_ROLES: dict[str, set[str]] = {
    "a": {"doc-noteref", "doc-backlink"},
    "section": {"doc-endnotes"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})


@cache
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style", "template", "textarea", "select", "iframe",
                            "object", "noscript", "svg", "math", "title"},
        attributes=ALLOWED_ATTRIBUTES,
        tag_attribute_values={tag: {"role": roles} for tag, roles in ALLOWED_ROLES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )


def sanitise_html(html: str) -> str:
    """Raw HTML reduced to the allowlist. The result is HTML, not yet XHTML."""
    return str(_cleaner().clean(html))
