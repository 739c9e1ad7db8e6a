"""Word manuscripts (.docx): converted by mammoth to HTML, then read as an HTML manuscript.

Word styles carry the structure: Title or Heading 1 first is the title, Subtitle the
standfirst, Heading 1-5 the piece's headings, Quote and Intense Quote block quotes;
italic and bold, footnotes and links come through. The document properties (File >
Properties: title, author, keywords, subject, language, created) feed the metadata. What
Word cannot say (the work reviewed, the rating) is typed as YAML front matter in the
first paragraphs, between two `---` paragraphs, exactly as in a Markdown manuscript;
Word's curly quotes and dashes there are straightened. Line numbers in a .docx count
paragraphs of that front matter.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from xml.etree import ElementTree

import mammoth

from chapbook.core.diagnostics import Diagnostic, Location, error, info
from chapbook.read import html as html_reader

extract = html_reader.extract  # the converted document is HTML

MAX_EXPANDED = 50_000_000  # a .docx that unzips to more than this is refused (zip bombs)

STYLE_MAP = """
p[style-name='Title'] => h1:fresh
p[style-name='Subtitle'] => p.standfirst:fresh
p[style-name='Heading 1'] => h2:fresh
p[style-name='Heading 2'] => h3:fresh
p[style-name='Heading 3'] => h4:fresh
p[style-name='Quote'] => blockquote > p:fresh
p[style-name='Intense Quote'] => blockquote > p:fresh
p[style-name='Block Text'] => blockquote > p:fresh
r[style-name='Emphasis'] => em
r[style-name='Strong'] => strong
r[style-name='Book Title'] => cite
"""

_NS = {"dc": "http://purl.org/dc/elements/1.1/",
       "dcterms": "http://purl.org/dc/terms/",
       "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"}
_PROPERTIES = {"title": "dc:title", "author": "dc:creator", "date": "dcterms:created",
               "keywords": "cp:keywords", "description": "dc:subject", "lang": "dc:language"}
# Word's autocorrect turns a typed --- into a dash or two.
_FENCE = re.compile("^\\s*(?:---|\u2014-?|\u2013-?|-\u2013|\u2014\u2014)\\s*$")
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)
_STRAIGHT = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2018": "'",
                           "\u2019": "'", "\u00a0": " "})


def to_text(raw: bytes, where: Location, max_bytes: int) -> tuple[str | None, list[Diagnostic]]:
    """The .docx as an HTML document, with YAML front matter if its first paragraphs are."""
    if len(raw) > max_bytes:
        return None, [error("file-too-large", f"file is {len(raw):,} bytes; the limit is "
                            f"{max_bytes:,}", where, "split it, or raise the limit")]
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as package:
            expanded = sum(item.file_size for item in package.infolist())
            if expanded > MAX_EXPANDED:
                return None, [error("file-too-large", f"the document unpacks to {expanded:,}"
                                    f" bytes; the limit is {MAX_EXPANDED:,}", where)]
            properties = _core_properties(package)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        return None, [error("unreadable", f"not a Word .docx document ({exc})", where,
                            "save it from Word as .docx (not .doc), or as .md")]
    try:
        result = mammoth.convert_to_html(io.BytesIO(raw), style_map=STYLE_MAP)
    except Exception as exc:  # mammoth raises many kinds on a broken document
        return None, [error("unreadable", f"cannot convert the Word document: {exc}", where)]
    notes = [info("docx-conversion", str(message.message), where)
             for message in result.messages if message.type == "warning"]
    front, body = _front_matter(str(result.value))
    return front + _document(properties, body), notes


def _core_properties(package: zipfile.ZipFile) -> dict[str, str]:
    try:
        root = ElementTree.fromstring(package.read("docProps/core.xml"))
    except KeyError:
        return {}
    found = {}
    for key, path in _PROPERTIES.items():
        element = root.find(path, _NS)
        if element is not None and element.text and element.text.strip():
            found[key] = element.text.strip()
    return found


def _front_matter(body: str) -> tuple[str, str]:
    """YAML typed in the first paragraphs, as a front-matter block; and the rest."""
    paragraphs = list(_PARAGRAPH.finditer(body))
    texts = [html.unescape(re.sub(r"<[^>]+>", "", p.group(1))).translate(_STRAIGHT)
             for p in paragraphs]
    if not texts or not _FENCE.match(texts[0]) or paragraphs[0].start() != 0:
        return "", body
    for index in range(1, len(texts)):
        if _FENCE.match(texts[index]):
            yaml_lines = "\n".join(texts[1:index])
            return f"---\n{yaml_lines}\n---\n", body[paragraphs[index].end():]
    return "", body  # unclosed: the paragraphs stay text, the reader reports nothing odd


def _document(properties: dict[str, str], body: str) -> str:
    """An HTML document whose head says what the document properties say."""
    def meta(name: str, key: str) -> str:
        value = properties.get(key)
        return f'<meta name="{name}" content="{html.escape(value)}">' if value else ""

    lang = properties.get("lang", "")
    head = "".join([
        f"<title>{html.escape(properties['title'])}</title>" if "title" in properties else "",
        *(f'<meta name="author" content="{html.escape(name.strip())}">'
          for name in re.split(r";", properties.get("author", "")) if name.strip()),
        meta("date", "date"), meta("keywords", "keywords"), meta("description", "description"),
    ])
    lang_attr = f' lang="{html.escape(lang)}"' if lang else ""
    return f"<html{lang_attr}><head>{head}</head><body>{body}</body></html>\n"
