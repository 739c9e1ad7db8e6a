"""An incremental update of a PDF: the objects a patch made or changed, appended to a copy
of the file with a cross-reference stream that points back to the previous one."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf, String


class Revision:
    """An incremental update of an open book: every object made since it was opened, and
    the old objects changed in place (`touched`), appended to a copy of its file."""

    def __init__(self, book: Pdf) -> None:
        self.book = book
        self.first_new = int(book.trailer.Size)  # objects from this number on are new
        self.touched: list[pikepdf.Object] = []

    def append(self, previous: Path, copy: Path, revision_id: str) -> bytes:
        """Append the revision to `copy` (of `previous`); return the revision's bytes."""
        top = max(obj.objgen[0] for obj in self.book.objects)  # numbers may have gaps
        objects = {obj.objgen[0]: obj for obj in self.touched}
        objects |= self._new_objects_in_use()
        with copy.open("r+b") as stream:
            start = stream.seek(0, io.SEEK_END)
            offsets: dict[int, int] = {}
            chunks = []
            position = start
            for number in sorted(objects):
                offsets[number] = position
                data = _serialised(number, objects[number])
                chunks.append(data)
                position += len(data)
            xref_number = top + 1  # the first number not in use
            offsets[xref_number] = position
            chunks.append(self._xref_stream(xref_number, offsets, _startxref(previous),
                                            revision_id))
            chunks.append(b"startxref\n%d\n%%%%EOF\n" % position)
            revision = b"".join(chunks)
            stream.write(revision)
        return revision

    def _new_objects_in_use(self) -> dict[int, pikepdf.Object]:
        """The objects made since the book was opened that the touched ones lead to: not
        the copies of fonts that shared ones replaced, say."""
        found: dict[int, pikepdf.Object] = {}
        pending = list(self.touched)
        while pending:
            obj = pending.pop()
            if isinstance(obj, pikepdf.Stream):
                obj = obj.stream_dict
            if isinstance(obj, Dictionary):
                children = list(obj.values())
            elif isinstance(obj, Array):
                children = list(obj)
            else:
                continue
            for child in children:
                if not isinstance(child, pikepdf.Object):  # a number, a boolean
                    continue
                if not child.is_indirect:
                    pending.append(child)
                elif child.objgen[0] >= self.first_new and child.objgen[0] not in found:
                    found[child.objgen[0]] = child
                    pending.append(child)
        return found

    def _xref_stream(self, number: int, offsets: dict[int, int], previous_xref: int,
                     revision_id: str) -> bytes:
        width = max(4, (max(offsets.values()).bit_length() + 7) // 8)
        rows = b"".join(b"\x01" + offset.to_bytes(width, "big") + b"\x00\x00"
                        for _, offset in sorted(offsets.items()))
        index: list[int] = []
        for object_number in sorted(offsets):
            if index and index[-2] + index[-1] == object_number:
                index[-1] += 1
            else:
                index += [object_number, 1]
        trailer = self.book.trailer
        first_id = trailer.ID[0] if Name.ID in trailer else String(revision_id)
        fields = Dictionary(Type=Name.XRef, Size=number + 1, Index=Array(index),
                            W=Array([1, width, 2]), Root=self.book.Root, Prev=previous_xref,
                            ID=Array([first_id, String(bytes.fromhex(revision_id)[:16])]),
                            Length=len(rows))
        if Name.Info in trailer:
            fields.Info = trailer.Info
        return (b"%d 0 obj\n" % number + fields.unparse(resolved=True) + b"\nstream\n" + rows
                + b"\nendstream\nendobj\n")


def _serialised(number: int, obj: pikepdf.Object) -> bytes:
    if isinstance(obj, pikepdf.Stream):
        raw = obj.read_raw_bytes()
        fields = Dictionary({k: v for k, v in obj.stream_dict.items() if k != "/Length"})
        fields.Length = len(raw)
        body = fields.unparse(resolved=True) + b"\nstream\n" + raw + b"\nendstream"
    else:
        body = obj.unparse(resolved=True)
    return b"%d 0 obj\n" % number + body + b"\nendobj\n"


def _startxref(path: Path) -> int:
    """Where the last cross-reference section of a PDF file starts."""
    with path.open("rb") as stream:
        stream.seek(max(0, path.stat().st_size - 1024))
        tail = stream.read()
    found = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", tail)
    if found is None:
        raise ValueError(f"{path}: no startxref")
    return int(found.group(1))
