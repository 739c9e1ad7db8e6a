"""A copy of a CFF OpenType subset, read as raw bytes: only the few glyphs asked for.

fontTools reads a CFF's charset and charstring index whole (tens of thousands of entries
for a CJK face), which took longer than everything else a chunk's fonts need; `cff.Union`
only wants the glyphs a chunk adds. This reads the sfnt's table directory, the CFF's
INDEXes (offsets looked up, not listed), its top and font dictionaries, charset and
FDSelect, and the metrics, where the glyph asked for is (Adobe TN 5176, OpenType spec).
"""

from __future__ import annotations

import bisect
import io
import struct
from collections.abc import Callable

from fontTools.ttLib import TTFont

from chapbook.pdf.truetype import NotMergeable

# Operators of the top and font dictionaries (12 x is 1200 + x)
_CHARSET, _CHARSTRINGS, _PRIVATE, _SUBRS = 15, 17, 18, 19
_ROS, _CID_COUNT, _FD_ARRAY, _FD_SELECT, _FONT_NAME = 1230, 1234, 1236, 1237, 1238


class _Index:
    """A CFF INDEX: its items found by their offsets, one at a time."""

    def __init__(self, data: bytes, position: int) -> None:
        self.data = data
        (self.count,) = struct.unpack_from(">H", data, position)
        self.size = data[position + 2] if self.count else 1
        self.offsets = position + 3
        self.base = self.offsets + (self.count + 1) * self.size - 1
        self.end = self.base + self._offset(self.count) if self.count else position + 2

    def _offset(self, index: int) -> int:
        at = self.offsets + index * self.size
        return int.from_bytes(self.data[at:at + self.size], "big")

    def __getitem__(self, index: int) -> bytes:
        if not 0 <= index < self.count:
            raise NotMergeable("a CFF index is shorter than the glyphs used")
        return self.data[self.base + self._offset(index):self.base + self._offset(index + 1)]


def _dictionary(data: bytes) -> dict[int, list[float]]:
    """A CFF DICT: operands by operator (reals are read as 0: none is needed here)."""
    entries: dict[int, list[float]] = {}
    operands: list[float] = []
    at = 0
    while at < len(data):
        byte = data[at]
        if byte <= 21:
            operator = 1200 + data[at + 1] if byte == 12 else byte
            at += 2 if byte == 12 else 1
            entries[operator], operands = operands, []
        elif byte == 28:
            operands.append(struct.unpack_from(">h", data, at + 1)[0])
            at += 3
        elif byte == 29:
            operands.append(struct.unpack_from(">i", data, at + 1)[0])
            at += 5
        elif byte == 30:
            at += 1
            while data[at] >> 4 != 0xF and data[at] & 0xF != 0xF:
                at += 1
            operands.append(0.0)
            at += 1
        elif 32 <= byte <= 246:
            operands.append(byte - 139)
            at += 1
        elif byte <= 254:
            sign, base = (1, 247) if byte <= 250 else (-1, 251)
            operands.append(sign * ((byte - base) * 256 + data[at + 1] + 108))
            at += 2
        else:
            raise NotMergeable("a CFF dictionary cannot be read")
    return entries


def _tables(program: bytes) -> dict[bytes, bytes]:
    (count,) = struct.unpack_from(">H", program, 4)
    tables = {}
    for index in range(count):
        tag, _, offset, length = struct.unpack_from(">4sIII", program, 12 + 16 * index)
        tables[tag] = program[offset:offset + length]
    return tables


class Copy:
    """One subset: what identifies its face, and any glyph's charstring, font dictionary,
    metrics and vertical origin. NotMergeable if it is not a CID-keyed, desubroutinized
    CFF (what WeasyPrint embeds)."""

    def __init__(self, program: bytes) -> None:
        try:
            self._read(program)
        except (struct.error, IndexError, KeyError, ValueError) as error:
            raise NotMergeable(f"the CFF program cannot be read: {error}") from error

    def _read(self, program: bytes) -> None:
        if program[:4] != b"OTTO":
            raise NotMergeable("not a CFF OpenType program")
        self.program = program
        self.tables = tables = _tables(program)
        cff = tables[b"CFF "]
        names = _Index(cff, cff[2])
        tops = _Index(cff, names.end)
        self._strings = _Index(cff, tops.end)
        if _Index(cff, self._strings.end).count:
            raise NotMergeable("the CFF has global subroutines")
        top = _dictionary(tops[0])
        if _FD_ARRAY not in top or _FD_SELECT not in top or _ROS not in top:
            raise NotMergeable("the CFF is not CID-keyed")
        font_dicts = _Index(cff, int(top[_FD_ARRAY][0]))
        fonts = [_dictionary(font_dicts[i]) for i in range(font_dicts.count)]
        for font in fonts:
            size, offset = (int(v) for v in font[_PRIVATE])
            if _SUBRS in _dictionary(cff[offset:offset + size]):
                raise NotMergeable("the CFF has local subroutines")
        self.charstrings = _Index(cff, int(top[_CHARSTRINGS][0]))
        self.identity = (tables.get(b"name"), tables[b"head"][18:28],
                         tuple(self._string(int(sid)) for sid in top[_ROS][:2]),
                         top.get(_CID_COUNT),
                         tuple(self._string(int(font.get(_FONT_NAME, [0])[0]))
                               for font in fonts))
        self._cff, self._charset = cff, int(top[_CHARSET][0])
        self._selector = self._font_dict_selector(int(top[_FD_SELECT][0]))
        self.horizontal = self._metrics(b"hhea", b"hmtx")
        self.vertical = self._metrics(b"vhea", b"vmtx") if b"vmtx" in tables else None
        self.origins = self._origins()

    def _string(self, sid: int) -> bytes | int:
        return self._strings[sid - 391] if sid >= 391 else sid  # a standard string: its id

    def font_dict(self, gid: int) -> int:
        return self._selector(gid)

    def _font_dict_selector(self, at: int) -> Callable[[int], int]:
        cff = self._cff
        if cff[at] == 0:
            return lambda gid: cff[at + 1 + gid]
        if cff[at] != 3:
            raise NotMergeable("an FDSelect format other than 0 and 3")
        (count,) = struct.unpack_from(">H", cff, at + 1)
        firsts = [struct.unpack_from(">H", cff, at + 3 + 3 * i)[0] for i in range(count)]
        chosen = [cff[at + 5 + 3 * i] for i in range(count)]
        return lambda gid: chosen[bisect.bisect_right(firsts, gid) - 1]

    def identity_charset(self, last: int) -> bool:
        """Whether glyphs 1 to `last` are CIDs 1 to `last` (the subset kept the ids)."""
        cff, at = self._cff, self._charset
        kind, at, gid = cff[at], at + 1, 1
        while gid <= last:
            if kind == 0:
                return all(struct.unpack_from(">H", cff, at + 2 * (g - 1))[0] == g
                           for g in range(1, last + 1))
            first = struct.unpack_from(">H", cff, at)[0]
            left = cff[at + 2] if kind == 1 else struct.unpack_from(">H", cff, at + 2)[0]
            if kind not in (1, 2) or first != gid:
                return False
            gid, at = gid + left + 1, at + (3 if kind == 1 else 4)
        return True

    def _metrics(self, header: bytes, tag: bytes) -> Callable[[int], tuple[int, int]]:
        (long_count,) = struct.unpack_from(">H", self.tables[header], 34)
        data = self.tables[tag]

        def metric(gid: int) -> tuple[int, int]:
            if gid < long_count:
                advance, bearing = struct.unpack_from(">Hh", data, 4 * gid)
            else:
                (advance,) = struct.unpack_from(">H", data, 4 * (long_count - 1))
                (bearing,) = struct.unpack_from(">h", data,
                                                4 * long_count + 2 * (gid - long_count))
            return int(advance), int(bearing)

        return metric

    def _origins(self) -> dict[int, int]:
        data = self.tables.get(b"VORG")
        if not data:
            return {}
        (count,) = struct.unpack_from(">H", data, 6)
        return dict(struct.unpack_from(">Hh", data, 8 + 4 * i) for i in range(count))

    def mappings(self, gids: set[int]) -> dict[tuple[int, int], dict[int, int]]:
        """The cmap's mappings to `gids`, by (platform, encoding)."""
        if b"cmap" not in self.tables:
            return {}
        font = TTFont(io.BytesIO(self.program), lazy=True)
        (count,) = struct.unpack_from(">H", self.tables[b"maxp"], 4)
        font.setGlyphOrder([".notdef", *(f"cid{gid:05d}" for gid in range(1, count))])
        found: dict[tuple[int, int], dict[int, int]] = {}
        for subtable in font["cmap"].tables:
            mapping = found.setdefault((subtable.platformID, subtable.platEncID), {})
            for code, name in subtable.cmap.items():
                gid = 0 if name == ".notdef" else int(name[3:])
                if gid in gids:
                    mapping[code] = gid
        return found
