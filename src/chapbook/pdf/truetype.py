"""One TrueType program from several subsets of it: the union of their glyphs.

WeasyPrint subsets TrueType faces keeping the original glyph ids, so the subsets of one
file embedded by separately rendered chunks can be merged glyph by glyph; `fontmerge.py`
does that for the fonts of an assembled book.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


class NotMergeable(Exception):
    """The copies of a face cannot be merged; they stay apart."""


# Tables a TrueType program in a PDF needs and whose content does not depend on which
# glyphs a subset holds, or that are rebuilt for the union below. cmap and GDEF are left
# out: a CIDFontType2 with the identity map reaches glyphs by id, and both differ per
# subset (so would make the merged program depend on which copies were merged first).
_KEPT = (b"OS/2", b"cvt ", b"fpgm", b"gasp", b"glyf", b"head", b"hhea", b"hmtx", b"loca",
         b"maxp", b"name", b"post", b"prep")
_REQUIRED = (b"glyf", b"head", b"hhea", b"hmtx", b"loca", b"maxp")


@dataclass
class _Program:
    tables: dict[bytes, bytes]
    glyphs: list[bytes]  # by glyph id; b"" for none
    metrics: list[tuple[int, int]]  # (advance width, left side bearing) by glyph id


def _parse(data: bytes) -> _Program:
    if data[:4] not in (b"\x00\x01\x00\x00", b"true"):
        raise NotMergeable("not a TrueType program")
    (count,) = struct.unpack_from(">H", data, 4)
    tables = {}
    for index in range(count):
        tag, _, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * index)
        tables[tag] = data[offset:offset + length]
    if any(tag not in tables for tag in _REQUIRED):
        raise NotMergeable("a table TrueType needs is missing")
    glyph_count = struct.unpack_from(">H", tables[b"maxp"], 4)[0]
    long_offsets = struct.unpack_from(">h", tables[b"head"], 50)[0] == 1
    loca = tables[b"loca"]
    if long_offsets:
        offsets = struct.unpack_from(f">{glyph_count + 1}I", loca)
    else:
        offsets = tuple(2 * o for o in struct.unpack_from(f">{glyph_count + 1}H", loca))
    glyf = tables[b"glyf"]
    glyphs = [glyf[offsets[i]:offsets[i + 1]] for i in range(glyph_count)]
    return _Program(tables, glyphs, _metrics(tables, glyph_count))


def _metrics(tables: dict[bytes, bytes], glyph_count: int) -> list[tuple[int, int]]:
    long_count = struct.unpack_from(">H", tables[b"hhea"], 34)[0]
    hmtx = tables[b"hmtx"]
    pairs = struct.unpack_from(f">{2 * long_count}h", hmtx)
    metrics = [(pairs[2 * i] & 0xFFFF, pairs[2 * i + 1]) for i in range(long_count)]
    bearings = struct.unpack_from(f">{glyph_count - long_count}h", hmtx, 4 * long_count)
    last = metrics[-1][0] if metrics else 0
    return metrics + [(last, bearing) for bearing in bearings]


def merge_programs(programs: Sequence[tuple[bytes, int]]) -> bytes:
    """One TrueType program holding every glyph of `programs`, subsets of one face, each
    given with the highest glyph id it keeps as the face has it (the highest the PDF
    uses). HarfBuzz renumbers the components of composite glyphs beyond that id, in each
    subset its own way: they are put after it, and the composites pointed at them. The
    result does not depend on the order of `programs`."""
    subsets = [_Subset(_parse(data), last) for data, last in programs]
    top = max(subset.last for subset in subsets)
    extras = sorted({subset.key(gid): (subset, gid)
                     for subset in subsets for gid in subset.extras()}.items())
    extra_ids = {key: top + 1 + index for index, (key, _) in enumerate(extras)}
    if top + 1 + len(extras) > 0xFFFF:
        raise NotMergeable("the union has more glyphs than TrueType allows")
    glyphs = [b""] * (top + 1 + len(extras))
    metrics = [(0, 0)] * len(glyphs)
    for subset in subsets:
        for gid in range(subset.last + 1):
            glyph, metric = subset.renumbered(gid, extra_ids), subset.program.metrics[gid]
            if glyph:  # its metrics with it: a mark's negative bearing is not lost to (0, 0)
                if not glyphs[gid] or (len(glyph), glyph, metric) < (
                        len(glyphs[gid]), glyphs[gid], metrics[gid]):
                    glyphs[gid], metrics[gid] = glyph, metric  # the same choice in any order
            elif not glyphs[gid]:  # an empty glyph (a space) has an advance where it is kept
                metrics[gid] = max(metrics[gid], metric)
    for key, (subset, gid) in extras:
        glyphs[extra_ids[key]] = subset.renumbered(gid, extra_ids)
        metrics[extra_ids[key]] = subset.program.metrics[gid]
    return _write(_merged_tables([s.program for s in subsets], glyphs, metrics))


class _Subset:
    """A subset with its glyphs beyond `last` (composites' renumbered components) known
    by their content, which does not depend on the subset."""

    def __init__(self, program: _Program, last: int) -> None:
        if last >= len(program.glyphs):
            raise NotMergeable("the PDF uses glyphs its font does not have")
        self.program, self.last = program, last
        self._keys: dict[int, str] = {}

    def extras(self) -> range:
        return range(self.last + 1, len(self.program.glyphs))

    def key(self, gid: int) -> str:
        if gid <= self.last:
            return f"g{gid}"
        if gid not in self._keys:
            glyph = bytearray(self.program.glyphs[gid])
            children = []
            for at in _component_offsets(glyph):
                children.append(self.key(self._component(glyph, at)))
                glyph[at:at + 2] = b"\0\0"
            self._keys[gid] = hashlib.sha256(bytes(glyph) + " ".join(children).encode()
                                             ).hexdigest()
        return self._keys[gid]

    def renumbered(self, gid: int, extra_ids: dict[str, int]) -> bytes:
        """The glyph, its components given their ids in the merged program."""
        glyph = self.program.glyphs[gid]
        offsets = _component_offsets(glyph)
        if not offsets:
            return glyph
        data = bytearray(glyph)
        for at in offsets:
            component = self._component(glyph, at)
            if component > self.last:
                struct.pack_into(">H", data, at, extra_ids[self.key(component)])
        return bytes(data)

    def _component(self, glyph: bytes | bytearray, at: int) -> int:
        (component,) = struct.unpack_from(">H", glyph, at)
        if component >= len(self.program.glyphs) or component == 0xFFFF:
            raise NotMergeable("a composite glyph points outside its font")
        return int(component)


def _component_offsets(glyph: bytes | bytearray) -> list[int]:
    """Where the glyph ids of a composite glyph's components are (none: a simple glyph)."""
    if len(glyph) < 10 or struct.unpack_from(">h", glyph, 0)[0] >= 0:
        return []
    offsets, position = [], 10
    while True:
        if position + 4 > len(glyph):
            raise NotMergeable("a composite glyph is cut short")
        (flags,) = struct.unpack_from(">H", glyph, position)
        offsets.append(position + 2)
        position += 4 + (4 if flags & 0x0001 else 2)  # ARG_1_AND_2_ARE_WORDS
        if flags & 0x0008:  # WE_HAVE_A_SCALE
            position += 2
        elif flags & 0x0040:  # WE_HAVE_AN_X_AND_Y_SCALE
            position += 4
        elif flags & 0x0080:  # WE_HAVE_A_TWO_BY_TWO
            position += 8
        if not flags & 0x0020:  # MORE_COMPONENTS
            return offsets


def _merged_tables(parsed: Sequence[_Program], glyphs: list[bytes],
                   metrics: list[tuple[int, int]]) -> dict[bytes, bytes]:
    _check_same_face(parsed)
    first = parsed[0].tables
    tables = {tag: data for tag, data in first.items() if tag in _KEPT}
    offsets = [0]
    for glyph in glyphs:
        offsets.append(offsets[-1] + len(glyph))
    tables[b"glyf"] = b"".join(glyphs)
    tables[b"loca"] = struct.pack(f">{len(offsets)}I", *offsets)
    tables[b"hmtx"] = b"".join(struct.pack(">Hh", a, b) for a, b in metrics)
    tables[b"hhea"] = _extremes([p.tables[b"hhea"] for p in parsed], _HHEA_EXTREMES)
    tables[b"hhea"] = _patched(tables[b"hhea"], 34, ">H", len(glyphs))
    tables[b"maxp"] = _extremes([p.tables[b"maxp"] for p in parsed], _MAXP_EXTREMES)
    tables[b"maxp"] = _patched(tables[b"maxp"], 4, ">H", len(glyphs))
    head = _extremes([p.tables[b"head"] for p in parsed], _HEAD_EXTREMES)
    head = _patched(head, 50, ">h", 1)  # long loca offsets
    tables[b"head"] = _patched(head, 8, ">I", 0)  # the checksum adjustment, set in _write
    if b"OS/2" in tables:
        tables[b"OS/2"] = _union_os2([p.tables.get(b"OS/2", b"") for p in parsed])
    return tables


# Fields a subsetter may compute from the glyphs it keeps (fontTools does; HarfBuzz keeps
# the face's): (offset, struct format, min or max). The union's is the extreme of them.
_HEAD_EXTREMES = ((36, ">h", min), (38, ">h", min), (40, ">h", max), (42, ">h", max))
_HHEA_EXTREMES = ((10, ">H", max), (12, ">h", min), (14, ">h", min), (16, ">h", max))
_MAXP_EXTREMES = tuple((offset, ">H", max) for offset in range(6, 32, 2))
# What may differ between two subsets of one face, per table: the fields above, the
# glyph count, the checksum adjustment, the loca format, the OS/2 character ranges.
_MAY_DIFFER = {
    b"head": {8, 9, 10, 11, *range(36, 44), 50, 51},
    b"hhea": {*range(10, 18), 34, 35},
    b"maxp": set(range(4, 32)),
    b"OS/2": {*range(42, 58), *range(64, 68)},
}
_PER_SUBSET = (b"glyf", b"loca", b"hmtx")


def _extremes(tables: Sequence[bytes], fields: Sequence[tuple[int, str, Any]]) -> bytes:
    data = bytearray(tables[0])
    for offset, fmt, pick in fields:
        if offset + 2 <= len(data):
            struct.pack_into(fmt, data, offset,
                             pick(struct.unpack_from(fmt, table, offset)[0] for table in tables))
    return bytes(data)


def _check_same_face(parsed: Sequence[_Program]) -> None:
    """Copies named alike are subsets of one font file: the tables a subset does not cut
    agree, apart from the fields it recomputes. (Two files described alike, say the
    slices of a family split by unicode-range, are not merged.)"""
    first = parsed[0].tables
    for program in parsed[1:]:
        tags = {tag for tag in program.tables if tag in _KEPT}
        if tags != {tag for tag in first if tag in _KEPT}:
            raise NotMergeable("the copies have different tables")
        for tag in tags.difference(_PER_SUBSET):
            if _masked(first[tag], tag) != _masked(program.tables[tag], tag):
                raise NotMergeable(f"the copies' {tag.decode()} tables differ")


def _masked(table: bytes, tag: bytes) -> bytes:
    data = bytearray(table)
    for offset in _MAY_DIFFER.get(tag, ()):
        if offset < len(data):
            data[offset] = 0
    return bytes(data)


def _patched(table: bytes, offset: int, fmt: str, value: int) -> bytes:
    data = bytearray(table)
    struct.pack_into(fmt, data, offset, value)
    return bytes(data)


def _union_os2(tables: Sequence[bytes]) -> bytes:
    """OS/2 of the union: a subset's Unicode ranges and first and last characters are its
    own, so they are combined (in any order, the same result)."""
    data = bytearray(tables[0])
    if len(data) < 68 or any(len(t) < 68 for t in tables):
        return bytes(data)
    for offset in (42, 46, 50, 54):  # ulUnicodeRange1-4
        value = 0
        for table in tables:
            value |= struct.unpack_from(">I", table, offset)[0]
        struct.pack_into(">I", data, offset, value)
    struct.pack_into(">H", data, 64, min(struct.unpack_from(">H", t, 64)[0] for t in tables))
    struct.pack_into(">H", data, 66, max(struct.unpack_from(">H", t, 66)[0] for t in tables))
    return bytes(data)


def _write(tables: dict[bytes, bytes]) -> bytes:
    """An sfnt file of `tables`, with checksums and head's checksum adjustment."""
    tags = sorted(tables)
    count = len(tags)
    power = 1 << (count.bit_length() - 1)
    header = struct.pack(">IHHHH", 0x00010000, count, power * 16, power.bit_length() - 1,
                         count * 16 - power * 16)
    offset = 12 + 16 * count
    records, bodies = [], []
    for tag in tags:
        data = tables[tag]
        records.append(struct.pack(">4sIII", tag, _checksum(data), offset, len(data)))
        bodies.append(data + b"\0" * (-len(data) % 4))
        offset += len(bodies[-1])
    font = bytearray(header + b"".join(records) + b"".join(bodies))
    head_at = 12 + 16 * count + sum(len(b) for b in bodies[:tags.index(b"head")])
    struct.pack_into(">I", font, head_at + 8, (0xB1B0AFBA - _checksum(bytes(font))) & 0xFFFFFFFF)
    return bytes(font)


def _checksum(data: bytes) -> int:
    data += b"\0" * (-len(data) % 4)
    return int(sum(struct.unpack(f">{len(data) // 4}I", data))) & 0xFFFFFFFF
