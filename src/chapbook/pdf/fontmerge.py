"""One embedded font per face in a book assembled from chunks.

Each chunk is laid out by its own WeasyPrint, which embeds a subset of every face the chunk
uses: a book of 500 chunks carried 500 copies of its body face, half of its bytes (a
Japanese book of 300 reviews, 303 copies of Noto Serif CJK JP: 34 MB for 1.7 MB). The
copies can be merged because WeasyPrint subsets faces keeping the original glyph ids
(HarfBuzz's retain-gids), encodes text Identity-H and names a face after its description
(the same name in every chunk): the union of the copies' glyphs, widths and Unicode
mappings is one font, and every page's resources can point to it. The pages' content
streams are not touched.

A face is merged only if every copy is a Type 0 font over a TrueType program (FontFile2,
merged by truetype.py) or a CFF-flavoured OpenType one (FontFile3 /OpenType, by cff.py),
with Identity-H, the identity CID-to-glyph map and a plain ToUnicode map, and the copies'
tables show them to be subsets of one file; otherwise its copies stay as WeasyPrint made
them. This module merges the copies of a book held whole (a patch); a full assembly takes
them chunk by chunk as it streams the book (fontstream.py), with the same rules.
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

import pikepdf
from pikepdf import Array, Dictionary, Name

from chapbook.pdf import cff
from chapbook.pdf.truetype import NotMergeable, merge_programs

# Where a keeper is used: (page index, names of the form XObjects it is drawn in, from the
# page's, font resource name). Object numbers change when a book is saved; this does not.
FontPath = tuple[int, tuple[str, ...], str]


_WIDTH_TOKEN = re.compile(rb"\[|\]|[-+]?(?:\d+\.?\d*|\.\d+)")
_BFCHAR = re.compile(rb"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]*)>")


@dataclass
class Face:
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
        descriptor = self.descendant.FontDescriptor
        return descriptor.FontFile3 if self.is_cff else descriptor.FontFile2

    @property
    def is_cff(self) -> bool:
        return bool(self.descendant.Subtype == Name.CIDFontType0)

    def used(self) -> set[int]:
        """The glyph ids the PDF uses from the copy."""
        return {*self.widths(), *self.unicode()}

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
                    and descendant.get("/CIDToGIDMap", Name.Identity) == Name.Identity
                    and isinstance(descendant.get("/W"), Array)
                    and _has_program(descendant))
    except (AttributeError, IndexError, KeyError, TypeError):
        return False


def _has_program(descendant: pikepdf.Object) -> bool:
    """A TrueType program, or an OpenType one with CFF outlines (cff.py)."""
    descriptor = descendant.FontDescriptor
    if descendant.get("/Subtype") == Name.CIDFontType2:
        return "/FontFile2" in descriptor
    return bool(descendant.get("/Subtype") == Name.CIDFontType0
                and "/FontFile3" in descriptor
                and descriptor.FontFile3.get("/Subtype") == Name.OpenType)


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


def faces_on(pages: Iterable[tuple[int, Dictionary]], walked: set[int]
           ) -> dict[str, list[Face]]:
    """Every mergeable copy of every face on `pages` (and in their forms), by name, in the
    order they are first used; `walked` gets the pages' indexes."""
    faces: dict[str, list[Face]] = {}
    by_object: dict[tuple[int, int], Face] = {}
    seen: set[tuple[int, int]] = set()  # font resource dictionaries and forms done
    for index, page in pages:
        walked.add(index)
        for forms, fonts in _font_dictionaries(page.get("/Resources"), seen):
            for key, font in fonts.items():
                if not font.is_indirect or not _mergeable(font):
                    continue
                face = by_object.get(font.objgen)
                if face is None:
                    face = by_object[font.objgen] = Face(font, (index, forms, str(key)))
                    if _readable(face):
                        faces.setdefault(str(font.BaseFont), []).append(face)
                face.uses.append((fonts, Name(str(key))))
    return faces


def _readable(face: Face) -> bool:
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

    keeper: Face | None
    widths: dict[int, float]
    members: list[Face] = field(default_factory=list)

    def agrees(self, face: Face) -> bool:
        return all(self.widths.get(gid, width) == width
                   for gid, width in face.widths().items())


def share_fonts(pages: Iterable[tuple[int, Dictionary]],
                known: dict[str, list[Face]] | None = None) -> Shared:
    """Point every use of a face on `pages` to a copy holding the union of the copies of
    its variant.

    `known`: the keepers of a book being patched (from `find_keepers`), which stay the
    keepers; the copies on `pages` join the first variant they agree with.
    """
    known = known or {}
    keepers: dict[str, list[FontPath]] = {}
    touched: list[pikepdf.Object] = []
    walked: set[int] = set()
    faces = faces_on(pages, walked)
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
                retag(keeper, name, index)
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


def _variants(keepers: Sequence[Face], copies: Sequence[Face]) -> list[_Variant]:
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


def _most_used(faces: Sequence[Face]) -> Face:
    """The copy used most (the first of those): the fewest references change."""
    return max(faces, key=lambda face: len(face.uses))  # max keeps the first of equals


def _share(keeper: Face, others: Sequence[Face]) -> list[pikepdf.Object]:
    """Give the keeper the union of `others`' glyphs, widths and Unicode mappings, and
    point their uses to it; return the old objects changed."""
    touched = _take_union(keeper, others)
    for face in others:
        for fonts, key in face.uses:
            fonts[key] = keeper.font
    return touched


def _take_union(keeper: Face, others: Sequence[Face]) -> list[pikepdf.Object]:
    """Give the keeper the union of its copies' glyphs, widths and Unicode mappings;
    return the objects it changed (none if it had every glyph already)."""
    widths = dict(keeper.widths())
    adding: list[Face] = []
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
        program = merged_program(keeper, adding)
    except (struct.error, IndexError, KeyError, ValueError, RecursionError,
            pikepdf.PdfError) as error:
        # a damaged stream or program, a font whole (WeasyPrint could not subset it)...
        raise NotMergeable(f"a copy cannot be read: {error}") from error
    return rewrite(keeper, widths, unicode, program)


def merged_program(keeper: Face, adding: Sequence[Face]) -> bytes:
    """The union of the copies' programs, TrueType or CFF OpenType."""
    faces = (keeper, *adding)
    if keeper.is_cff:
        return cff.merge_programs([(face.program.read_bytes(), face.used()) for face in faces])
    return merge_programs([(face.program.read_bytes(), max(face.used(), default=0))
                           for face in faces])


def rewrite(keeper: Face, widths: dict[int, float],
             unicode: dict[int, bytes], program: bytes) -> list[pikepdf.Object]:
    descendant = keeper.descendant
    descriptor = descendant.FontDescriptor
    descendant.W = _widths_array(widths)
    box = [float(v) for v in descriptor.FontBBox]
    descriptor.FontBBox = Array([box[0], box[1], max(widths.values(), default=0), box[3]])
    fixed = len(widths) > 1 and len(set(widths.values())) == 1
    descriptor.Flags = (int(descriptor.Flags) & ~1) | int(fixed)
    keeper.program.write(zlib.compress(program), filter=Name.FlateDecode)
    if not keeper.is_cff:  # FontFile3 keeps its /Subtype /OpenType, and has no Length1
        keeper.program.Length1 = len(program)
    keeper.font.ToUnicode.write(zlib.compress(_to_unicode_stream(unicode)),
                                filter=Name.FlateDecode)
    keeper._widths, keeper._unicode = widths, unicode
    return [descendant, descriptor, keeper.program, keeper.font.ToUnicode]


def retag(face: Face, name: str, index: int) -> None:
    """A variant's own subset tag: different subsets in one PDF must have different ones
    (ISO 32000-1, 9.6.4)."""
    letters = hashlib.sha256(f"{name} {index}".encode()).digest()[:6]
    tagged = Name("/" + "".join(chr(65 + b % 26) for b in letters) + "+" + _untagged(name))
    face.font.BaseFont = face.descendant.BaseFont = tagged
    face.descendant.FontDescriptor.FontName = tagged


def _untagged(name: str) -> str:
    return name.lstrip("/").split("+", 1)[-1]


def find_keepers(book: pikepdf.Pdf, paths: dict[str, list[FontPath]]
                 ) -> dict[str, list[Face]]:
    """The keepers of a book whose faces an earlier assembly shared, found where the record
    says they are used. KeyError (or IndexError) if one is not there."""
    keepers: dict[str, list[Face]] = {}
    for name, variants in paths.items():
        for index, forms, key in variants:
            resources = book.pages[index].obj.Resources
            for form in forms:
                resources = resources.XObject[form].Resources
            font = resources.Font[key]
            if _untagged(str(font.BaseFont)) != _untagged(name) or not _mergeable(font):
                raise KeyError(name)
            keepers.setdefault(name, []).append(Face(font, (index, tuple(forms), key)))
    return keepers
