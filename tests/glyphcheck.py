"""What a PDF really draws, glyph by glyph: .notdef boxes and blank glyphs, found in the
content streams and the embedded font programs, not by extracting text (text extraction
reads the ToUnicode map and is happy with a glyph that prints nothing).

Every text-showing operator (Tj, TJ, ', ") is read with the font that Tf made current
(saved and restored by q/Q, followed into form XObjects); its bytes are decoded as the
2-byte codes of the Type 0 fonts WeasyPrint writes, through the font's encoding (Identity-H
or a CMap of cidchar entries, which is how WeasyPrint sends a missing character to CID 0),
then CID to glyph id (CIDToGIDMap, or the CFF charset of a CID-keyed font), and the glyph
is looked up in the embedded program (FontFile2, FontFile3) with fontTools.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from fontTools.cffLib import CFFFontSet
from fontTools.pens.boundsPen import ControlBoundsPen
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import ContentStream, IndirectObject

_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")
_BFRANGE = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]*>|\[[^\]]*\])")
_CIDCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*(\d+)")
_CIDRANGE = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\d+)")
_SECTION = rb"begin%s(.*?)end%s"
_HEX = re.compile(rb"<([0-9a-fA-F]*)>")
# Characters drawn with no ink on purpose: default-ignorable code points besides Cf.
_IGNORABLE = {0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0,
              *range(0x180B, 0x1810), *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)}


@dataclass(frozen=True)
class Glyph:
    """One glyph drawn on a page."""

    page: int  # 0-based
    font: str  # the font's name without its subset tag, e.g. "NanumSquareR"
    gid: int
    text: str  # what the ToUnicode map says it stands for ("" inside a cluster)
    notdef: bool  # glyph 0, or a glyph the program does not have
    empty: bool  # a glyph with no outline

    @property
    def blank(self) -> bool:
        """A .notdef box, or a glyph that prints nothing where a character should show."""
        return self.notdef or (self.empty and not inkless(self.text))


def inkless(text: str) -> bool:
    """Spaces and default-ignorable characters (ZWJ, soft hyphen...) draw nothing."""
    return all(char.isspace() or unicodedata.category(char) == "Cf"
               or ord(char) in _IGNORABLE for char in text)


def blank_glyphs(pdf: Path) -> list[Glyph]:
    """Every .notdef or empty glyph the PDF draws where text should show."""
    return [glyph for glyph in drawn_glyphs(pdf) if glyph.blank]


def summary(glyphs: list[Glyph], shown: int = 12) -> str:
    """Blank glyphs grouped by font and text, for an assertion message."""
    counts: dict[tuple[str, str, str], int] = {}
    for glyph in glyphs:
        key = (glyph.font, "notdef" if glyph.notdef else "empty", glyph.text)
        counts[key] = counts.get(key, 0) + 1
    lines = [f"{n} x {kind} in {font} for {text!r}"
             for (font, kind, text), n in sorted(counts.items(), key=lambda i: -i[1])]
    return f"{len(glyphs)} blank glyphs:\n" + "\n".join(lines[:shown])


def drawn_glyphs(pdf: Path) -> Iterator[Glyph]:
    reader = PdfReader(pdf)
    fonts: dict[Any, _Font] = {}
    for index, page in enumerate(reader.pages):
        resources = page.get("/Resources")
        yield from _glyphs_in(ContentStream(page.get_contents(), reader), resources, index,
                              fonts, reader)


def _glyphs_in(content: ContentStream, resources: Any, page: int, fonts: dict[Any, _Font],
               reader: PdfReader) -> Iterator[Glyph]:
    resources = resources.get_object() if resources is not None else {}
    font: _Font | None = None
    saved: list[_Font | None] = []
    for operands, operator in content.operations:
        if operator == b"q":
            saved.append(font)
        elif operator == b"Q":
            font = saved.pop() if saved else None
        elif operator == b"Tf":
            font = _font(resources, operands[0], fonts)
        elif operator in (b"Tj", b"'", b'"', b"TJ"):
            for string in _strings(operator, operands):
                if font is not None:
                    yield from font.glyphs(string, page)
        elif operator == b"Do":
            yield from _form_glyphs(resources, operands[0], page, fonts, reader)


def _strings(operator: bytes, operands: list[Any]) -> list[bytes]:
    shown = operands[-1] if operator in (b"Tj", b"'", b'"') else None
    items = operands[0] if operator == b"TJ" else [shown]
    return [_bytes(item) for item in items if isinstance(item, str | bytes)]


def _bytes(string: Any) -> bytes:
    original = getattr(string, "original_bytes", None)
    return bytes(original if original is not None else string)


def _resource(resources: Any, kind: str) -> Any:
    """A page's or form's resources of one kind (/Font, /XObject), or {}."""
    found = resources.get(kind)
    return found.get_object() if found is not None else {}


def _form_glyphs(resources: Any, name: Any, page: int, fonts: dict[Any, _Font],
                 reader: PdfReader) -> Iterator[Glyph]:
    xobject = _resource(resources, "/XObject").get(name)
    if xobject is None:
        return
    form = xobject.get_object()
    if form.get("/Subtype") != "/Form":
        return
    inner = form.get("/Resources", resources)
    yield from _glyphs_in(ContentStream(form, reader), inner, page, fonts, reader)


def _font(resources: Any, name: Any, fonts: dict[Any, _Font]) -> _Font | None:
    reference = _resource(resources, "/Font").raw_get(name)
    key = (reference.idnum, reference.generation) if isinstance(
        reference, IndirectObject) else id(reference)
    if key not in fonts:
        fonts[key] = _Font(reference.get_object())
    return fonts[key] if fonts[key].checkable else None


class _Font:
    """A Type 0 font of a PDF: codes to glyphs, and what each glyph has to draw."""

    def __init__(self, dictionary: Any) -> None:
        self.dictionary = dictionary
        self.checkable = dictionary.get("/Subtype") == "/Type0"
        self.name = str(dictionary.get("/BaseFont", "/?"))[1:].split("+")[-1]
        self._verdicts: dict[int, tuple[bool, bool]] = {}

    def glyphs(self, string: bytes, page: int) -> Iterator[Glyph]:
        for offset in range(0, len(string) - 1, 2):
            code = int.from_bytes(string[offset:offset + 2], "big")
            cid = self.code_to_cid.get(code, code) if self.code_to_cid is not None else code
            gid = self.cid_to_gid(cid)
            notdef, empty = self.verdict(gid)
            yield Glyph(page, self.name, gid, self.to_unicode.get(code, ""), notdef, empty)

    @cached_property
    def descendant(self) -> Any:
        return self.dictionary["/DescendantFonts"][0].get_object()

    @cached_property
    def code_to_cid(self) -> dict[int, int] | None:
        """None for Identity-H; else the encoding CMap's cidchar and cidrange entries."""
        encoding = self.dictionary.get("/Encoding")
        if encoding is None or not hasattr(encoding.get_object(), "get_data"):
            return None
        data = encoding.get_object().get_data()
        mapping: dict[int, int] = {}
        for block in _sections(data, b"cidrange"):
            for low, high, first in _CIDRANGE.findall(block):
                for code in range(int(low, 16), int(high, 16) + 1):
                    mapping[code] = int(first) + code - int(low, 16)
        for block in _sections(data, b"cidchar"):
            mapping.update({int(code, 16): int(cid) for code, cid in _CIDCHAR.findall(block)})
        return mapping

    @cached_property
    def to_unicode(self) -> dict[int, str]:
        stream = self.dictionary.get("/ToUnicode")
        return _parse_to_unicode(stream.get_object().get_data()) if stream is not None else {}

    def cid_to_gid(self, cid: int) -> int:
        if self.program.cid_keyed:
            return self.program.gid_of_cid.get(cid, 0)
        mapping = self.descendant.get("/CIDToGIDMap")
        if mapping is None or not hasattr(mapping.get_object(), "get_data"):
            return cid  # /Identity
        table = self.cid_to_gid_table
        return int.from_bytes(table[2 * cid:2 * cid + 2], "big") if 2 * cid + 1 < len(
            table) else 0

    @cached_property
    def cid_to_gid_table(self) -> bytes:
        return bytes(self.descendant["/CIDToGIDMap"].get_object().get_data())

    @cached_property
    def program(self) -> _Program:
        descriptor = self.descendant["/FontDescriptor"].get_object()
        for key in ("/FontFile2", "/FontFile3"):
            if key in descriptor:
                stream = descriptor[key].get_object()
                return _Program(stream.get_data(), str(stream.get("/Subtype", "")))
        raise AssertionError(f"font {self.name} is not embedded")

    def verdict(self, gid: int) -> tuple[bool, bool]:
        """(notdef, empty) for a glyph id."""
        if gid not in self._verdicts:
            self._verdicts[gid] = self.program.verdict(gid)
        return self._verdicts[gid]


class _Program:
    """An embedded font program, TrueType or CFF, read with fontTools."""

    def __init__(self, data: bytes, subtype: str) -> None:
        self.charstrings: Any = None  # CFF charstrings by glyph name; None for glyf
        self.order: list[str] = []  # CFF glyph names by glyph id
        self.cid_keyed = False  # a CID-keyed CFF: CIDs are found through its charset
        self.font: TTFont | None = None
        if subtype in ("/CIDFontType0C", "/Type1C"):
            cff = CFFFontSet()
            cff.decompile(io.BytesIO(data), None)
            self._cff_top(cff)
            return
        self.font = TTFont(io.BytesIO(data), lazy=True)
        for tag in ("CFF ", "CFF2"):
            if tag in self.font:
                self._cff_top(self.font[tag].cff)

    def _cff_top(self, cff: CFFFontSet) -> None:
        top = cff.topDictIndex[0]
        self.charstrings = top.CharStrings
        self.order = list(top.charset)
        self.cid_keyed = hasattr(top, "ROS")

    @cached_property
    def gid_of_cid(self) -> dict[int, int]:
        """A CID-keyed CFF font's charset names its glyphs cid00042: CID 42."""
        return {int(name[3:]): gid for gid, name in enumerate(self.order)
                if name.startswith("cid")}

    def verdict(self, gid: int) -> tuple[bool, bool]:
        if gid == 0:
            return True, True
        if self.charstrings is not None:
            if gid >= len(self.order):
                return True, True
            pen = ControlBoundsPen(None)
            self.charstrings[self.order[gid]].draw(pen)
            return False, pen.bounds is None
        assert self.font is not None
        order = self.font.getGlyphOrder()
        if gid >= len(order):
            return True, True
        glyph = self.font["glyf"][order[gid]]
        return False, glyph.numberOfContours == 0


def _sections(data: bytes, kind: bytes) -> list[bytes]:
    return re.findall(_SECTION % (kind, kind), data, re.S)


def _parse_to_unicode(data: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for block in _sections(data, b"bfrange"):
        for low, high, target in _BFRANGE.findall(block):
            first, last = int(low, 16), int(high, 16)
            if target.startswith(b"["):
                for code, text in zip(range(first, last + 1), _HEX.findall(target),
                                      strict=False):
                    mapping[code] = _utf16(text)
            else:
                start = _utf16(target[1:-1])
                for code in range(first, last + 1):
                    mapping[code] = start[:-1] + chr(ord(start[-1]) + code - first) \
                        if start else ""
    for block in _sections(data, b"bfchar"):
        mapping.update({int(code, 16): _utf16(text) for code, text in _BFCHAR.findall(block)})
    return mapping


def _utf16(hexadecimal: bytes) -> str:
    return bytes.fromhex(hexadecimal.decode()).decode("utf-16-be", errors="replace")

