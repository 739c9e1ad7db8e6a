"""Markdown to a safe XHTML fragment, with smart typography for the piece's language.

markdown-it-py does the work: CommonMark, footnotes, `typographer` for dashes and
ellipses, `smartquotes` with the quotation marks of the piece's language. Raw HTML is
escaped (`html: False`), so the fragment is always well-formed XHTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.footnote import footnote_plugin

from .cjk import cjk_breaks_plugin

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
}

_FRENCH_SPACE_BEFORE = re.compile(r"(?:[ \u00a0\u202f]+|(?<=[\w\u00bb\u201d)]))([;!?])")
_FRENCH_SPACE_BEFORE_COLON = re.compile(r"[ \u00a0\u202f]+:")
_FRENCH_GUILLEMETS = re.compile(r"(\u00ab)[ \u00a0\u202f]*|[ \u00a0\u202f]*(\u00bb)")


def primary_language(language: str) -> str:
    return language.split("-")[0].lower()


def render_markdown(source: str, language: str, doc_id: str) -> str:
    """Render Markdown to an XHTML fragment. `doc_id` prefixes footnote ids."""
    env: dict[str, Any] = {"docId": doc_id}
    return str(_parser(primary_language(language)).render(source, env))


@cache
def _parser(language: str) -> MarkdownIt:
    quotes = list(QUOTES.get(language, QUOTES["en"]))
    md = MarkdownIt("commonmark", {"typographer": True, "xhtmlOut": True, "html": False,
                                   "quotes": quotes})
    md.enable(["replacements", "smartquotes"])
    md.use(footnote_plugin)
    md.use(cjk_breaks_plugin)
    md.add_render_rule("heading_open", _shifted_heading)
    md.add_render_rule("heading_close", _shifted_heading)
    if language == "fr":
        md.core.ruler.push("french_spacing", _french_spacing)
    return md


def _shifted_heading(self: RendererHTML, tokens: Sequence[Token], idx: int,
                     options: OptionsDict, env: EnvType) -> str:
    """Body headings sit under the piece title (h1): `#` becomes h2, down to h6."""
    token = tokens[idx]
    level = min(int(token.tag[1]) + 1, 6)
    token.tag = f"h{level}"
    return self.renderToken(tokens, idx, options, env)


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
