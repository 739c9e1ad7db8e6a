"""One embedded font per face in a book assembled from chunks.

Each chunk is laid out by its own WeasyPrint, which embeds a subset of every face the chunk
uses: a book of 500 chunks carried 500 copies of its body face, half of its bytes. The
copies can be merged because WeasyPrint subsets TrueType faces keeping the original glyph
ids (HarfBuzz's retain-gids), encodes text Identity-H and names a face after its
description (the same name in every chunk): the union of the copies' glyphs, widths and
Unicode mappings is one font, and every page's resources can point to it. The pages'
content streams are not touched.

A face is merged only if every copy is a Type 0 font over a TrueType program, with
Identity-H, the identity CID-to-glyph map and a plain ToUnicode map, and the copies' tables
show them to be subsets of one file; otherwise its copies stay as WeasyPrint made them.
Copies that give a glyph different widths are merged apart, as variants of the face (see
_Variant), each with its own subset tag.

One copy, the "keeper", takes the union in its own objects and the others are dropped (a
full assembly writes only what is referenced). A patched book keeps its keepers: the pages
of a changed chunk point to them, and a keeper's objects are rewritten only if the chunk
brought glyphs it lacked.
"""

from __future__ import annotations

import hashlib
import re
import struct
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name

# Where a keeper is used: (page index, names of the form XObjects it is drawn in, from the
# page's, font resource name). Object numbers change when a book is saved; this does not.
FontPath = tuple[int, tuple[str, ...], str]


class NotMergeable(Exception):
    """The copies of a face cannot be merged; they stay apart."""


# ---- TrueType programs ---------------------------------------------------------------------

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


# ---- faces in the PDF ----------------------------------------------------------------------

_WIDTH_TOKEN = re.compile(rb"\[|\]|[-+]?(?:\d+\.?\d*|\.\d+)")
_BFCHAR = re.compile(rb"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]*)>")


@dataclass
class _Face:
    """One copy of a face: its Type 0 font dictionary and where it is used."""

    font: pikepdf.Object  # a Type 0 font dictionary
    first_use: FontPath
    uses: list[tuple[Dictionary, Name]] = field(default_factory=list)
    _widths: dict[int, float] | None = None
    _unicode: dict[int, bytes] | None = None

    @property
    def descendant(self) -> pikepdf.Object:
        return self.font.DescendantFonts[0]

    @property
    def program(self) -> pikepdf.Object:
        return self.descendant.FontDescriptor.FontFile2

    def widths(self) -> dict[int, float]:
        if self._widths is None:
            self._widths = _parse_widths(self.descendant.W.unparse())
        return self._widths

    def unicode(self) -> dict[int, bytes]:
        if self._unicode is None:
            self._unicode = _parse_to_unicode(self.font.ToUnicode.read_bytes())
        return self._unicode


def _mergeable(font: pikepdf.Object) -> bool:
    try:
        descendant = font.DescendantFonts[0]
        return bool(font.get("/Subtype") == Name.Type0
                    and isinstance(font.get("/BaseFont"), Name)
                    and font.get("/Encoding") == Name("/Identity-H")
                    and "/ToUnicode" in font
                    and descendant.get("/Subtype") == Name.CIDFontType2
                    and descendant.get("/CIDToGIDMap", Name.Identity) == Name.Identity
                    and isinstance(descendant.get("/W"), Array)
                    and "/FontFile2" in descendant.FontDescriptor)
    except (AttributeError, IndexError, KeyError, TypeError):
        return False


def _parse_widths(unparsed: bytes) -> dict[int, float]:
    """The W array as WeasyPrint writes it: `first [w1 w2 ...]` runs only."""
    tokens = _WIDTH_TOKEN.findall(unparsed)
    if tokens[:1] != [b"["] or tokens[-1:] != [b"]"]:
        raise NotMergeable("W is not an array")
    widths: dict[int, float] = {}
    position = 1
    try:
        while position < len(tokens) - 1:
            first = int(tokens[position])
            if tokens[position + 1] != b"[":
                raise NotMergeable("W has a range form")
            position += 2
            while tokens[position] != b"]":
                widths[first] = float(tokens[position])
                first += 1
                position += 1
            position += 1
    except (IndexError, ValueError) as error:
        raise NotMergeable("W is not as WeasyPrint writes it") from error
    return widths


def _parse_to_unicode(data: bytes) -> dict[int, bytes]:
    if b"bfrange" in data:
        raise NotMergeable("ToUnicode has ranges")
    return {int(gid, 16): text.lower() for gid, text in _BFCHAR.findall(data)}


def _widths_array(widths: dict[int, float]) -> Array:
    """A W array of `first [w1 w2 ...]` runs, as WeasyPrint writes it."""
    items: list[object] = []
    run: list[float | int] = []
    for gid in sorted(widths):
        if gid - 1 not in widths:
            run = []
            items += [gid, run]
        run.append(int(widths[gid]) if widths[gid].is_integer() else widths[gid])
    return Array([Array(item) if isinstance(item, list) else item for item in items])


def _to_unicode_stream(mapping: dict[int, bytes]) -> bytes:
    """A ToUnicode CMap as WeasyPrint writes one (bfchar blocks of at most 100)."""
    lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap",
             b"/CIDSystemInfo", b"<< /Registry (Adobe)", b"/Ordering (UCS)",
             b"/Supplement 0", b">> def", b"/CMapName /Adobe-Identity-UCS def",
             b"/CMapType 2 def", b"1 begincodespacerange", b"<0000> <ffff>",
             b"endcodespacerange"]
    items = sorted(mapping.items())
    for start in range(0, len(items), 100):
        batch = items[start:start + 100]
        lines.append(b"%d beginbfchar" % len(batch))
        lines += [b"<%04x> <%s>" % (gid, text) for gid, text in batch]
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)


def _faces(pages: Iterable[tuple[int, Dictionary]], walked: set[int]
           ) -> dict[str, list[_Face]]:
    """Every mergeable copy of every face on `pages` (and in their forms), by name, in the
    order they are first used; `walked` gets the pages' indexes."""
    faces: dict[str, list[_Face]] = {}
    by_object: dict[tuple[int, int], _Face] = {}
    seen: set[tuple[int, int]] = set()  # font resource dictionaries and forms done
    for index, page in pages:
        walked.add(index)
        for forms, fonts in _font_dictionaries(page.get("/Resources"), seen):
            for key, font in fonts.items():
                if not font.is_indirect or not _mergeable(font):
                    continue
                face = by_object.get(font.objgen)
                if face is None:
                    face = by_object[font.objgen] = _Face(font, (index, forms, str(key)))
                    if _readable(face):
                        faces.setdefault(str(font.BaseFont), []).append(face)
                face.uses.append((fonts, Name(str(key))))
    return faces


def _readable(face: _Face) -> bool:
    try:
        face.widths()
    except NotMergeable:
        return False
    return True


def _font_dictionaries(resources: object, seen: set[tuple[int, int]],
                       forms: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...],
                                                                      Dictionary]]:
    """The /Font dictionaries of `resources` and of the forms it draws, each once, with
    the names of the forms they are in."""
    if not isinstance(resources, Dictionary):
        return
    fonts = resources.get("/Font")
    if isinstance(fonts, Dictionary) and _first_visit(fonts, seen):
        yield forms, fonts
    xobjects = resources.get("/XObject")
    if not isinstance(xobjects, Dictionary):
        return
    for name, xobject in xobjects.items():
        if (isinstance(xobject, pikepdf.Stream) and xobject.get("/Subtype") == Name.Form
                and _first_visit(xobject, seen)):
            yield from _font_dictionaries(xobject.get("/Resources"), seen,
                                          (*forms, str(name)))


def _first_visit(obj: pikepdf.Object, seen: set[tuple[int, int]]) -> bool:
    if not obj.is_indirect:
        return True
    if obj.objgen in seen:
        return False
    seen.add(obj.objgen)
    return True


# ---- sharing -------------------------------------------------------------------------------

@dataclass
class Shared:
    # Where each variant's keeper is used, by face name, the first variant first
    keepers: dict[str, list[FontPath]]
    touched: list[pikepdf.Object]  # old objects rewritten (for an incremental update)


@dataclass
class _Variant:
    """Copies of a face that agree on every width they share, and the one that keeps them.
    WeasyPrint's width of a glyph is its advance at the size it is first set in a
    chunk, rounded, and the text after it is placed by that width: copies that differ in
    one stay apart (small capitals set at two sizes make two variants, say)."""

    keeper: _Face | None
    widths: dict[int, float]
    members: list[_Face] = field(default_factory=list)

    def agrees(self, face: _Face) -> bool:
        return all(self.widths.get(gid, width) == width
                   for gid, width in face.widths().items())


def share_fonts(pages: Iterable[tuple[int, Dictionary]],
                known: dict[str, list[_Face]] | None = None) -> Shared:
    """Point every use of a face on `pages` to a copy holding the union of the copies of
    its variant.

    `known`: the keepers of a book being patched (from `find_keepers`), which stay the
    keepers; the copies on `pages` join the first variant they agree with.
    """
    known = known or {}
    keepers: dict[str, list[FontPath]] = {}
    touched: list[pikepdf.Object] = []
    walked: set[int] = set()
    faces = _faces(pages, walked)
    for name in [*known, *(name for name in faces if name not in known)]:
        kept = {face.font.objgen for face in known.get(name, [])}
        copies = [face for face in faces.get(name, []) if face.font.objgen not in kept]
        variants = _variants(known.get(name, []), copies)
        for index, variant in enumerate(variants):  # a list that may grow meanwhile
            keeper = variant.keeper or _most_used(variant.members)
            others = [member for member in variant.members if member is not keeper]
            try:
                touched += _share(keeper, others)
            except NotMergeable:  # each copy stays as WeasyPrint made it
                variants += [_Variant(None, {}, [member]) for member in others]
                variant.members = [] if variant.keeper else [keeper]
            if variant.keeper is None and index > 0:
                _retag(keeper, name, index)
        keepers[name] = [_place(variant, walked) for variant in variants]
    return Shared(keepers, touched)


def _place(variant: _Variant, walked: set[int]) -> FontPath:
    """Where the variant's font is used: a known keeper's recorded place, unless that page
    was replaced (then where a copy it took was used, which now points to it)."""
    if variant.keeper is None:
        return _most_used(variant.members).first_use
    if variant.keeper.first_use[0] not in walked:
        return variant.keeper.first_use
    if not variant.members:
        raise LookupError("the page a shared font was found on no longer uses it")
    return variant.members[0].first_use


def _variants(keepers: Sequence[_Face], copies: Sequence[_Face]) -> list[_Variant]:
    """The known keepers' variants, then new ones; each copy joins the first variant it
    agrees with."""
    variants = [_Variant(keeper, dict(keeper.widths())) for keeper in keepers]
    for face in copies:
        variant = next((v for v in variants if v.agrees(face)), None)
        if variant is None:
            variant = _Variant(None, {})
            variants.append(variant)
        variant.members.append(face)
        variant.widths |= face.widths()
    return variants


def _most_used(faces: Sequence[_Face]) -> _Face:
    """The copy used most (the first of those): the fewest references change."""
    return max(faces, key=lambda face: len(face.uses))  # max keeps the first of equals


def _share(keeper: _Face, others: Sequence[_Face]) -> list[pikepdf.Object]:
    """Give the keeper the union of `others`' glyphs, widths and Unicode mappings, and
    point their uses to it; return the old objects changed."""
    touched = _take_union(keeper, others)
    for face in others:
        for fonts, key in face.uses:
            fonts[key] = keeper.font
    return touched


def _take_union(keeper: _Face, others: Sequence[_Face]) -> list[pikepdf.Object]:
    """Give the keeper the union of its copies' glyphs, widths and Unicode mappings;
    return the objects it changed (none if it had every glyph already)."""
    widths = dict(keeper.widths())
    adding: list[_Face] = []
    for face in others:
        theirs = face.widths()
        if not theirs.keys() <= widths.keys():
            adding.append(face)
            widths |= theirs
    if not adding:
        return []
    try:
        unicode = dict(keeper.unicode())
        for face in adding:
            unicode = face.unicode() | unicode  # the keeper's mapping wins where both have one
        program = merge_programs([(face.program.read_bytes(), _last_used(face))
                                  for face in (keeper, *adding)])
    except (struct.error, IndexError, ValueError, RecursionError, pikepdf.PdfError) as error:
        # a damaged stream or program, a font whole (WeasyPrint could not subset it)...
        raise NotMergeable(f"a copy cannot be read: {error}") from error
    return _rewrite(keeper, widths, unicode, program)


def _last_used(face: _Face) -> int:
    """The highest glyph id the PDF uses from the copy."""
    return max([*face.widths(), *face.unicode()], default=0)


def _rewrite(keeper: _Face, widths: dict[int, float],
             unicode: dict[int, bytes], program: bytes) -> list[pikepdf.Object]:
    descendant = keeper.descendant
    descriptor = descendant.FontDescriptor
    descendant.W = _widths_array(widths)
    box = [float(v) for v in descriptor.FontBBox]
    descriptor.FontBBox = Array([box[0], box[1], max(widths.values(), default=0), box[3]])
    fixed = len(widths) > 1 and len(set(widths.values())) == 1
    descriptor.Flags = (int(descriptor.Flags) & ~1) | int(fixed)
    keeper.program.write(zlib.compress(program), filter=Name.FlateDecode)
    keeper.program.Length1 = len(program)
    keeper.font.ToUnicode.write(zlib.compress(_to_unicode_stream(unicode)),
                                filter=Name.FlateDecode)
    keeper._widths, keeper._unicode = widths, unicode
    return [descendant, descriptor, keeper.program, keeper.font.ToUnicode]


def _retag(face: _Face, name: str, index: int) -> None:
    """A variant's own subset tag: different subsets in one PDF must have different ones
    (ISO 32000-1, 9.6.4)."""
    letters = hashlib.sha256(f"{name} {index}".encode()).digest()[:6]
    tagged = Name("/" + "".join(chr(65 + b % 26) for b in letters) + "+" + _untagged(name))
    face.font.BaseFont = face.descendant.BaseFont = tagged
    face.descendant.FontDescriptor.FontName = tagged


def _untagged(name: str) -> str:
    return name.lstrip("/").split("+", 1)[-1]


def find_keepers(book: pikepdf.Pdf, paths: dict[str, list[FontPath]]
                 ) -> dict[str, list[_Face]]:
    """The keepers of a book whose faces an earlier assembly shared, found where the record
    says they are used. KeyError (or IndexError) if one is not there."""
    keepers: dict[str, list[_Face]] = {}
    for name, variants in paths.items():
        for index, forms, key in variants:
            resources = book.pages[index].obj.Resources
            for form in forms:
                resources = resources.XObject[form].Resources
            font = resources.Font[key]
            if _untagged(str(font.BaseFont)) != _untagged(name) or not _mergeable(font):
                raise KeyError(name)
            keepers.setdefault(name, []).append(_Face(font, (index, tuple(forms), key)))
    return keepers
