"""One embedded font per face (and width variant) in a book written chunk by chunk.

`fontmerge.share_fonts` merges the copies of a face in a book held whole; here the book is
written as it is read (`streaming.py`), so each chunk's copies are taken as the chunk
comes and let go with it. What is kept is per face, not per chunk: the first copy of each
variant (the keeper, copied into a small scratch PDF with its streams read), the union of
the widths and Unicode mappings, and the union of the glyphs (TrueType: the merged
program so far, merged again only when a chunk brings a glyph it lacks; CFF: the used
glyphs' charstrings and metrics, made into one program at the end, `cff.Union`). The
chunk's pages point to the keeper by the object number it will have in the book.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pikepdf
from pikepdf import Dictionary, Pdf

from chapbook.pdf import cff
from chapbook.pdf.fontmerge import Face, FontPath, faces_on, retag, rewrite
from chapbook.pdf.pdfwriter import ObjGen
from chapbook.pdf.truetype import NotMergeable, merge_programs


class _TrueType:
    """The merged TrueType program so far, with the highest glyph id the PDF uses."""

    def __init__(self, program: bytes, used: set[int]) -> None:
        self.program, self.last = program, max(used, default=0)

    def add(self, program: bytes, used: set[int]) -> bool:
        self.program = merge_programs([(self.program, self.last),
                                       (program, max(used, default=0))])
        self.last = max(self.last, *used)
        return True

    def result(self) -> bytes:
        return self.program


class _Cff:
    def __init__(self, program: bytes, used: set[int]) -> None:
        self.union = cff.Union(program, used)

    def add(self, program: bytes, used: set[int]) -> bool:
        return self.union.add(program, used)

    def result(self) -> bytes:
        return self.union.program()


@dataclass
class _Variant:
    keeper: Face  # in the scratch PDF
    number: int  # the keeper's object number in the book
    first_use: FontPath
    widths: dict[int, float]
    unicode: dict[int, bytes]
    glyphs: _TrueType | _Cff
    grown: bool = False  # it took glyphs the keeper lacked: its objects are rewritten

    def agrees(self, face: Face) -> bool:
        return all(self.widths.get(gid, width) == width
                   for gid, width in face.widths().items())


class StreamedFonts:
    def __init__(self, scratch: Pdf, reserve: Callable[[], int]) -> None:
        self._scratch = scratch
        self._reserve = reserve  # a new object number in the book
        self._variants: dict[str, list[_Variant]] = {}

    def take(self, pages: Iterable[tuple[int, Dictionary]]) -> dict[ObjGen, int]:
        """The copies on one chunk's pages (by their index in the book) taken into their
        variants: the book's object number for each, by the copy's own."""
        replace: dict[ObjGen, int] = {}
        for name, copies in faces_on(pages, set()).items():
            variants = self._variants.setdefault(name, [])
            for face in copies:
                variant = next((v for v in variants if v.agrees(face)), None)
                try:
                    if variant is None:
                        variant = self._new_variant(face, name, len(variants))
                        variants.append(variant)
                    else:
                        _join(variant, face)
                except NotMergeable:
                    continue  # the copy stays as WeasyPrint made it
                replace[face.font.objgen] = variant.number
        return replace

    def _new_variant(self, face: Face, name: str, index: int) -> _Variant:
        program, used = face.program.read_bytes(), face.used()
        glyphs = _Cff(program, used) if face.is_cff else _TrueType(program, used)
        font = self._scratch.copy_foreign(face.font)
        _read_streams(font, set())  # the chunk it came from is closed before the end
        keeper = Face(font, face.first_use)
        if index > 0:  # a variant's own subset tag (ISO 32000-1, 9.6.4)
            retag(keeper, name, index)
        return _Variant(keeper, self._reserve(), face.first_use,
                        dict(face.widths()), dict(face.unicode()), glyphs)

    def finish(self) -> list[tuple[int, pikepdf.Object]]:
        """Each keeper's font dictionary (in the scratch PDF) and its number in the book,
        the keepers that took glyphs given the union."""
        fonts = []
        for variants in self._variants.values():
            for variant in variants:
                if variant.grown:
                    rewrite(variant.keeper, variant.widths, variant.unicode,
                            variant.glyphs.result())
                fonts.append((variant.number, variant.keeper.font))
        return fonts

    def keepers(self) -> dict[str, list[FontPath]]:
        """Where each variant's font is first used, by face name (for a later patch)."""
        return {name: [variant.first_use for variant in variants]
                for name, variants in self._variants.items()}


def _join(variant: _Variant, face: Face) -> None:
    """Give the variant the copy's glyphs, widths and Unicode mappings it lacks."""
    theirs = face.widths()
    if theirs.keys() <= variant.widths.keys():
        return
    try:
        variant.glyphs.add(face.program.read_bytes(), face.used())
    except (struct.error, IndexError, KeyError, ValueError, RecursionError,
            pikepdf.PdfError) as error:
        raise NotMergeable(f"a copy cannot be read: {error}") from error
    variant.widths |= theirs
    variant.unicode = face.unicode() | variant.unicode  # the keeper's mapping wins
    variant.grown = True


def _read_streams(obj: pikepdf.Object, seen: set[ObjGen]) -> None:
    """Load the data of every stream `obj` reaches into its own PDF."""
    if obj.is_indirect:
        if obj.objgen in seen:
            return
        seen.add(obj.objgen)
    if isinstance(obj, pikepdf.Stream):
        obj.write(obj.read_raw_bytes(), filter=obj.get("/Filter"),  # type: ignore[arg-type]
                  decode_parms=obj.get("/DecodeParms"))  # type: ignore[arg-type]
    if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        for key, value in obj.items():
            if isinstance(value, pikepdf.Object) and key != "/Parent":
                _read_streams(value, seen)
    elif isinstance(obj, pikepdf.Array):
        for value in obj:
            if isinstance(value, pikepdf.Object):
                _read_streams(value, seen)
