"""Markdown to a safe XHTML fragment, with smart typography for the piece's language.

markdown-it-py does the work: CommonMark, GitHub's pipe tables, footnotes, `typographer`
for dashes and ellipses, `smartquotes` with the quotation marks of the piece's language.
Raw HTML is escaped (`html: False`) unless the press asks for "sanitise": then it is
parsed, and nh3 keeps an allowlist of it. Either way `xhtml.py` re-serialises the result
as XHTML, checking its links and resolving its images.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from functools import cache
from typing import Any, Literal

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.footnote import footnote_plugin

from chapbook.core.labels import Labels
from chapbook.core.language import primary_language
from chapbook.read.cjk import cjk_breaks_plugin
from chapbook.read.sanitise import sanitise_html
from chapbook.read.xhtml import Fragment, ImageResolver, finish_fragment

RawHtml = Literal["escape", "sanitise"]

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space, before French ; ! ?

# Quotation marks by primary language subtag: outer open/close, inner open/close.
QUOTES: dict[str, tuple[str, str, str, str]] = {
    "en": ("\u201c", "\u201d", "\u2018", "\u2019"),
    "fr": ("\u00ab" + NNBSP, NNBSP + "\u00bb", "\u201c", "\u201d"),
    "de": ("\u201e", "\u201c", "\u201a", "\u2018"),
    "es": ("\u00ab", "\u00bb", "\u201c", "\u201d"),
    "it": ("\u00ab", "\u00bb", "\u201c", "\u201d"),
    "pt": ("\u00ab", "\u00bb", "\u201c", "\u201d"),
    "nl": ("\u201c", "\u201d", "\u2018", "\u2019"),
    "pl": ("\u201e", "\u201d", "\u00ab", "\u00bb"),
    "sv": ("\u201d", "\u201d", "\u2019", "\u2019"),
    "ko": ("\u201c", "\u201d", "\u2018", "\u2019"),
    "ja": ("\u300c", "\u300d", "\u300e", "\u300f"),
    "ru": ("\u00ab", "\u00bb", "\u201e", "\u201c"),
    "uk": ("\u00ab", "\u00bb", "\u201e", "\u201c"),
    "cs": ("\u201e", "\u201c", "\u201a", "\u2018"),
    "da": ("\u00bb", "\u00ab", "\u203a", "\u2039"),
    "fi": ("\u201d", "\u201d", "\u2019", "\u2019"),
    "nb": ("\u00ab", "\u00bb", "\u2018", "\u2019"),
    "no": ("\u00ab", "\u00bb", "\u2018", "\u2019"),
    "hu": ("\u201e", "\u201d", "\u00bb", "\u00ab"),
    "zh": ("\u201c", "\u201d", "\u2018", "\u2019"),
    "ar": ("\u00ab", "\u00bb", "\u201d", "\u201c"),  # « », inner quotes mirrored in RTL
    "fa": ("\u00ab", "\u00bb", "\u201d", "\u201c"),
    "el": ("\u00ab", "\u00bb", "\u201c", "\u201d"),
}

_FRENCH_SPACE_BEFORE = re.compile(r"(?:[ \u00a0\u202f]+|(?<=[\w\u00bb\u201d)]))([;!?])")
_FRENCH_SPACE_BEFORE_COLON = re.compile(r"[ \u00a0\u202f]+:")
_FRENCH_GUILLEMETS = re.compile(r"(\u00ab)[ \u00a0\u202f]*|[ \u00a0\u202f]*(\u00bb)")


def render_body(source: str, language: str, doc_id: str, raw_html: RawHtml = "escape",
                resolve_image: ImageResolver | None = None) -> Fragment:
    """A manuscript body as an XHTML fragment, with its images and any findings.

    `doc_id` prefixes footnote ids; `resolve_image` accepts or refuses each image (without
    one, every image is refused and shown as its description).
    """
    env: dict[str, Any] = {"docId": doc_id}
    rendered = str(_parser(primary_language(language), raw_html == "sanitise")
                   .render(source, env))
    if raw_html == "sanitise":
        rendered = sanitise_html(rendered)
    return finish_fragment(rendered, doc_id, resolve_image)


@cache
def _parser(language: str, raw_html: bool = False) -> MarkdownIt:
    quotes = list(QUOTES.get(language, QUOTES["en"]))
    md = MarkdownIt("commonmark", {"typographer": True, "xhtmlOut": True, "html": raw_html,
                                   "quotes": quotes})
    md.enable(["replacements", "smartquotes", "table"])
    md.use(footnote_plugin)
    md.use(cjk_breaks_plugin)
    md.core.ruler.push("heading_levels", _heading_levels)
    md.core.ruler.push("cell_alignment", _cell_alignment)
    md.add_render_rule("heading_open", _shifted_heading)
    md.add_render_rule("heading_close", _shifted_heading)
    md.add_render_rule("footnote_ref", _footnote_ref)
    md.add_render_rule("footnote_block_open", _footnote_block_open)
    md.add_render_rule("footnote_anchor", _footnote_backlink)
    if language == "fr":
        md.core.ruler.push("french_spacing", _french_spacing)
    return md


def _footnote_ids(tokens: Sequence[Token], idx: int, env: EnvType) -> tuple[str, str, int]:
    """(note id, reference id, number) of a footnote token, as the plugin numbers them."""
    meta = tokens[idx].meta
    number = int(meta["id"]) + 1
    base = f"-{env['docId']}-{number}" if isinstance(env.get("docId"), str) else f"-{number}"
    sub = int(meta.get("subId", -1))
    return f"fn{base}", f"fnref{base}" + (f":{sub}" if sub > 0 else ""), number


def _footnote_ref(self: RendererHTML, tokens: Sequence[Token], idx: int,
                  options: OptionsDict, env: EnvType) -> str:
    """A note reference: the same number each time it is cited, marked for assistive tech."""
    note, ref, number = _footnote_ids(tokens, idx, env)
    return (f'<sup class="footnote-ref"><a href="#{note}" id="{ref}" role="doc-noteref">'
            f"[{number}]</a></sup>")


def _footnote_block_open(self: RendererHTML, tokens: Sequence[Token], idx: int,
                         options: OptionsDict, env: EnvType) -> str:
    return ('<hr class="footnotes-sep" />\n<section class="footnotes" role="doc-endnotes">\n'
            '<ol class="footnotes-list">\n')


def _footnote_backlink(self: RendererHTML, tokens: Sequence[Token], idx: int,
                       options: OptionsDict, env: EnvType) -> str:
    """The link back to the call, without words: `name_backlinks` gives it its name in the
    language of the book or piece that shows it (a reading serves every book)."""
    _, ref, _ = _footnote_ids(tokens, idx, env)
    return f' <a href="#{ref}" class="footnote-backref" role="doc-backlink">\u21a9\ufe0e</a>'


# A back link's start tag in a finished fragment (XML: `>` inside a value is `&gt;`)
_BACKLINK = re.compile(r'<a\b[^>]*\brole="doc-backlink"[^>]*?(?=/?>)')
_BACKLINK_NUMBER = re.compile(r'\bhref="#fnref-[^"]*-(\d+)(?::\d+)?"')


def name_backlinks(xhtml: str, labels: Labels) -> str:
    """A finished fragment with each footnote back link named for screen readers in
    `labels`' language ("Back to the text of note 1"); an author's own name is kept."""
    if "doc-backlink" not in xhtml:
        return xhtml

    def named(found: re.Match[str]) -> str:
        tag, number = found.group(0), _BACKLINK_NUMBER.search(found.group(0))
        if number is None or " aria-label=" in tag:
            return tag
        words = labels.text("footnote_backlink", number=labels.digits(number.group(1)))
        return f'{tag} aria-label="{html.escape(words)}"'

    return _BACKLINK.sub(named, xhtml)


def _heading_levels(state: StateCore) -> None:
    """Body headings sit under the piece title (h1): the body's highest heading becomes h2
    (`#`, or `##` in a body without `#`), so that no level is skipped."""
    levels = [int(token.tag[1]) for token in state.tokens if token.type == "heading_open"]
    state.env["headingShift"] = 2 - min(levels) if levels else 0


def _shifted_heading(self: RendererHTML, tokens: Sequence[Token], idx: int,
                     options: OptionsDict, env: EnvType) -> str:
    token = tokens[idx]
    level = max(2, min(int(token.tag[1:]) + int(env.get("headingShift", 1)), 6))
    token.tag = f"h{level}"
    return self.renderToken(tokens, idx, options, env)


_ALIGNMENT = re.compile(r"^text-align:(left|center|right)$")


def _cell_alignment(state: StateCore) -> None:
    """A table column's alignment (`:--:`) as a class the styles set: the XHTML pass drops
    `style` attributes, as it does any raw HTML's."""
    for token in state.tokens:
        if token.type in ("th_open", "td_open") and "style" in token.attrs:
            found = _ALIGNMENT.match(str(token.attrs.pop("style")))
            if found:
                token.attrs["class"] = f"align-{found.group(1)}"


def _french_spacing(state: StateCore) -> None:
    """French sets a narrow no-break space before ; ! ? and inside « », and a no-break
    space before : (typed spaces become these; a missing one before ; ! ? is added)."""
    for block in state.tokens:
        for token in block.children or ():
            if token.type == "text":
                text = _FRENCH_SPACE_BEFORE.sub(NNBSP + r"\1", token.content)
                text = _FRENCH_GUILLEMETS.sub(_guillemet_space, text)
                token.content = _FRENCH_SPACE_BEFORE_COLON.sub(NBSP + ":", text)


def _guillemet_space(match: re.Match[str]) -> str:
    return match.group(1) + NNBSP if match.group(1) else NNBSP + match.group(2)


_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]<>#!|~&{}])")
_BLOCK_MARKER = re.compile(r"^(\s*)([-+=>])", re.MULTILINE)
_LIST_NUMBER = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)


def escape_markdown(text: str) -> str:
    """Make plain text render as itself: only quotes, dashes and dots stay live for typography."""
    escaped = _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)
    escaped = _BLOCK_MARKER.sub(r"\1\\\2", escaped)
    return _LIST_NUMBER.sub(r"\1\\\2", escaped)


def smarten(text: str, language: str) -> str:
    """Plain text with the language's quotes, dashes and ellipses (for titles and names)."""
    rendered = _parser(primary_language(language)).renderInline(escape_markdown(text))
    return html.unescape(rendered)
