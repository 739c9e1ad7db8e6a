"""One CFF-flavoured OpenType program from several subsets of it: the union of their glyphs.

WeasyPrint embeds an OpenType face with CFF outlines (Noto CJK, say) as a CIDFontType0
over a whole OpenType file (FontFile3, /OpenType), subset by HarfBuzz keeping the glyph
ids, desubroutinized, with a CID-keyed CFF whose charset is the identity up to the highest
glyph the PDF uses (then, renumbered after it, the glyphs the layout tables reached, which
the PDF never draws). So the subsets of one face that separately rendered chunks embed
can be merged glyph by glyph, as `truetype.py` does for TrueType: each used glyph's
charstring, its font dictionary (FDSelect) and its metrics are taken from a copy that has
it, into the first copy's program, which keeps its tables and font dictionaries.

`Union` keeps only the glyphs taken so far (a few kilobytes a hundred glyphs) and the
first copy: it can take copies one at a time, each read and then let go.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from fontTools.cffLib import CFFFontSet
from fontTools.misc.psCharStrings import T2CharString
from fontTools.ttLib import TTFont, TTLibError
from fontTools.ttLib.tables.DefaultTable import DefaultTable

from chapbook.pdf.cffraw import Copy
from chapbook.pdf.truetype import NotMergeable

_EMPTY = b"\x0e"  # endchar: the charstring of a glyph id a subset keeps but does not hold


@dataclass(frozen=True)
class _Glyph:
    charstring: bytes
    font_dict: int  # its index in the FDArray (the same in every copy: checked)
    horizontal: tuple[int, int]  # advance, left side bearing
    vertical: tuple[int, int] | None
    origin: int | None  # its VORG entry, if it has one


class Union:
    """The union of subsets of one CFF OpenType face, taken one at a time."""

    def __init__(self, first: bytes, used: Iterable[int]) -> None:
        self._first = first
        self._identity = Copy(first).identity
        self.glyphs: dict[int, _Glyph] = {}
        self.mappings: dict[tuple[int, int], dict[int, int]] = {}  # cmaps: code to id
        self.add(first, used)

    def add(self, program: bytes, used: Iterable[int]) -> bool:
        """Take the glyphs `used` (by the PDF) from `program` that the union lacks; False
        if it had them all. NotMergeable if `program` is not a subset of the same face."""
        wanted = sorted({0, *used}.difference(self.glyphs))
        if not wanted:
            return False
        copy = Copy(program)
        if copy.identity != self._identity:
            raise NotMergeable("the copies are not subsets of one CFF face")
        if not copy.identity_charset(wanted[-1]):
            raise NotMergeable("the charset is not the identity")
        for gid in wanted:
            self.glyphs[gid] = _Glyph(
                copy.charstrings[gid], copy.font_dict(gid), copy.horizontal(gid),
                copy.vertical(gid) if copy.vertical else None, copy.origins.get(gid))
        for key, mapping in copy.mappings(set(wanted)).items():
            self.mappings[key] = mapping | self.mappings.get(key, {})
        return True

    def program(self) -> bytes:
        """The first copy's program holding every glyph taken, glyph ids 0 to the highest
        one used (the same whatever order the copies came in)."""
        font, top = _read(self._first)
        for tag in ("VORG", "cmap", "maxp", "hhea", "vhea"):
            _table(font, tag)  # read with the copy's glyph order, before it changes
        count = max(self.glyphs) + 1
        order = [".notdef", *(f"cid{gid:05d}" for gid in range(1, count))]
        private = [fd.Private for fd in top.FDArray]
        cff: CFFFontSet = font["CFF "].cff
        empty = T2CharString(_EMPTY, private=private[0], globalSubrs=cff.GlobalSubrs)
        charstrings, selected = [empty] * count, [0] * count  # one object for every blank
        for gid, glyph in self.glyphs.items():
            charstrings[gid] = T2CharString(glyph.charstring, private=private[glyph.font_dict],
                                            globalSubrs=cff.GlobalSubrs)
            selected[gid] = glyph.font_dict
        top.charset = order
        top.CharStrings.charStrings = {name: gid for gid, name in enumerate(order)}
        top.CharStrings.charStringsIndex.items = charstrings
        top.FDSelect.gidArray = selected
        top.FDSelect.format = 3
        font.setGlyphOrder(order)
        # The metrics written as they are read: fontTools' tables take far longer
        self._raw_metrics(font, "hhea", "hmtx", "horizontal", count)
        if "vmtx" in font:
            self._raw_metrics(font, "vhea", "vmtx", "vertical", count)
        if "VORG" in font:
            font["VORG"].VOriginRecords = {
                order[gid]: glyph.origin for gid, glyph in sorted(self.glyphs.items())
                if glyph.origin is not None}
        self._remap(font, order)
        output = io.BytesIO()
        font.save(output, reorderTables=False)
        return output.getvalue()

    def _remap(self, font: TTFont, order: Sequence[str]) -> None:
        """The cmap of the union: each copy's mappings to the glyphs taken from it."""
        if "cmap" not in font:
            return
        for subtable in font["cmap"].tables:
            mapping = self.mappings.get((subtable.platformID, subtable.platEncID), {})
            limit = 0xFFFF if subtable.format in (0, 2, 4, 6) else 0x10FFFF
            subtable.cmap = {code: order[gid] for code, gid in sorted(mapping.items())
                             if code <= limit}

    def _raw_metrics(self, font: TTFont, header: str, tag: str, which: str,
                     count: int) -> None:
        table = DefaultTable(tag)
        table.data = b"".join(struct.pack(">Hh", *self._metric(gid, which))
                              for gid in range(count))
        font[tag] = table
        setattr(font[header], "numberOfHMetrics" if tag == "hmtx" else "numberOfVMetrics",
                count)

    def _metric(self, gid: int, which: str) -> tuple[int, int]:
        glyph = self.glyphs.get(gid)
        value = getattr(glyph, which) if glyph else None
        return tuple(value) if value else (0, 0)


def merge_programs(programs: Sequence[tuple[bytes, Iterable[int]]]) -> bytes:
    """One program holding the glyphs each of `programs` (subsets of one CFF OpenType
    face) is used for: (program, glyph ids the PDF uses from it)."""
    (first, used), *others = programs
    union = Union(first, used)
    for program, theirs in others:
        union.add(program, theirs)
    return union.program()


def is_cff_opentype(program: bytes) -> bool:
    return program[:4] == b"OTTO"


def _read(program: bytes) -> tuple[TTFont, Any]:
    """The font (its tables read when asked for) and its CFF's top dictionary, if it is a
    CID-keyed, desubroutinized CFF as WeasyPrint embeds; NotMergeable otherwise."""
    if not is_cff_opentype(program):
        raise NotMergeable("not a CFF OpenType program")
    try:
        # The copy's bounding boxes and dates are kept: recomputing them draws every
        # glyph (tens of thousands in a CJK face) and would date the book
        font = TTFont(io.BytesIO(program), lazy=True, recalcBBoxes=False,
                      recalcTimestamp=False)
        cff = font["CFF "].cff
        top = cff.topDictIndex[0]
        if not hasattr(top, "FDArray") or not hasattr(top, "FDSelect"):
            raise NotMergeable("the CFF is not CID-keyed")
        if len(cff.GlobalSubrs) or any(len(getattr(fd.Private, "Subrs", ())) for fd
                                       in top.FDArray):
            raise NotMergeable("the CFF has subroutines")  # each copy its own
        return font, top
    except (TTLibError, KeyError, AssertionError, ValueError, IndexError) as error:
        raise NotMergeable(f"the CFF program cannot be read: {error}") from error


def _table(font: TTFont, tag: str) -> Any:
    return font.get(tag)
