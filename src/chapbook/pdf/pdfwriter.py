"""A PDF written object by object, as its parts come: what memory holds does not grow with
the file.

`BookWriter` gives out object numbers and writes each object to the file as soon as it
is given: non-stream objects go, a hundred at a time, into compressed object streams;
streams are written as they are. Only each object's place is kept (a few bytes an
object), for the cross-reference stream written at the end. `Copier` writes the objects
one source PDF (opened with pikepdf) reaches from the ones it is asked for, each once and
renumbered; some of them can be replaced by objects already in the book (a font copy by
the book's shared font, say), which are then not followed.
"""

from __future__ import annotations

import hashlib
import re
import struct
import zlib
from array import array
from collections import deque
from typing import BinaryIO

import pikepdf

ObjGen = tuple[int, int]
_PER_OBJECT_STREAM = 100


class BookWriter:
    def __init__(self, stream: BinaryIO) -> None:
        self._out = stream
        self._hash = hashlib.sha256()
        # The cross-reference entries, by object number: type, field 2, field 3
        self._types = bytearray(1)
        self._field2 = array("Q", [0])
        self._field3 = array("L", [65535])
        self._pending: list[tuple[int, bytes]] = []
        self._position = 0
        self._emit(b"%PDF-1.7\n%\xbf\xf7\xa2\xfe\n")

    def reserve(self) -> int:
        """A new object number, for an object to be written later."""
        self._types.append(0)
        self._field2.append(0)
        self._field3.append(0)
        return len(self._types) - 1

    def put(self, number: int, body: bytes) -> None:
        """A non-stream object (it goes into an object stream)."""
        self._pending.append((number, body))
        if len(self._pending) >= _PER_OBJECT_STREAM:
            self._flush_objects()

    def put_stream(self, number: int, dictionary: bytes, data: bytes) -> None:
        """A stream: its dictionary unparsed (without /Length), and its data as encoded by
        the dictionary's filters; data without a filter is compressed."""
        if not _FILTER.search(dictionary):
            compressed = zlib.compress(data)
            if len(compressed) + 20 < len(data):  # not for a few bytes (a `q` stream)
                data = compressed
                dictionary = dictionary[:-2].rstrip() + b" /Filter /FlateDecode >>"
        dictionary = dictionary[:-2].rstrip() + b" /Length %d >>" % len(data)
        self._entry(number, 1, self._position, 0)
        self._emit(b"%d 0 obj\n%s\nstream\n" % (number, dictionary) + data
                   + b"\nendstream\nendobj\n")

    def finish(self, root: int, info: int | None) -> None:
        """The cross-reference stream and the trailer; the file identifier is a hash of
        everything written before (the same objects, the same identifier)."""
        self._flush_objects()
        number = self.reserve()
        self._entry(number, 1, self._position, 0)
        size = len(self._types)
        identifier = self._hash.hexdigest()[:32].encode()
        trailer = {b"/Type": b"/XRef", b"/Size": b"%d" % size, b"/W": b"[1 8 2]",
                   b"/Root": b"%d 0 R" % root, b"/ID": b"[<%s><%s>]" % (identifier, identifier)}
        if info is not None:
            trailer[b"/Info"] = b"%d 0 R" % info
        data = self._rows(size)
        trailer |= {b"/Filter": b"/FlateDecode", b"/Length": b"%d" % len(data)}
        start = self._position
        self._emit(b"%d 0 obj\n%s\nstream\n" % (number, _dictionary(trailer)) + data
                   + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % start)

    def _rows(self, size: int) -> bytes:
        """The cross-reference rows, compressed a block at a time (joined whole, the rows
        of a long book took some 80 bytes an object at once)."""
        compressor, blocks, block = zlib.compressobj(), [], bytearray()
        for n in range(size):
            block += struct.pack(">BQH", self._types[n], self._field2[n],
                                 self._field3[n] & 0xFFFF)
            if len(block) >= 1 << 16:
                blocks.append(compressor.compress(block))
                block.clear()
        blocks.append(compressor.compress(block) + compressor.flush())
        return b"".join(blocks)

    def _flush_objects(self) -> None:
        if not self._pending:
            return
        holder = self.reserve()
        header, bodies, offset = [], [], 0
        for index, (number, body) in enumerate(self._pending):
            self._entry(number, 2, holder, index)
            header.append(b"%d %d" % (number, offset))
            bodies.append(body)
            offset += len(body) + 1
        head = b" ".join(header) + b"\n"
        data = zlib.compress(head + b"\n".join(bodies) + b"\n")
        count = len(self._pending)
        self._pending = []
        self.put_stream(holder, b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode >>"
                        % (count, len(head)), data)

    def _entry(self, number: int, kind: int, second: int, third: int) -> None:
        self._types[number], self._field2[number], self._field3[number] = kind, second, third

    def _emit(self, data: bytes) -> None:
        self._out.write(data)
        self._hash.update(data)
        self._position += len(data)


class Copier:
    """Writes objects of one source PDF into the book, each once, renumbered.

    Objects are written as qpdf unparses them (numbers keep their tokens, strings their
    escapes), their references rewritten. `replace`: source objects that stand for
    objects already in (or promised to) the book, by the book's object number; they are
    not followed."""

    def __init__(self, writer: BookWriter, source: pikepdf.Pdf,
                 replace: dict[ObjGen, int] | None = None) -> None:
        self.writer = writer
        self.source = source
        self.numbers: dict[ObjGen, int] = dict(replace or {})
        self._queue: deque[tuple[ObjGen, int]] = deque()

    def number(self, objgen: ObjGen) -> int:
        """The book's number for an object of the source (written later if new)."""
        known = self.numbers.get(objgen)
        if known is None:
            known = self.numbers[objgen] = self.writer.reserve()
            self._queue.append((objgen, known))
        return known

    def write(self, obj: pikepdf.Object, number: int) -> None:
        """Write `obj` as object `number`, then everything it reaches not in the book."""
        if obj.is_indirect:
            self.numbers.setdefault(obj.objgen, number)
        self._write(obj, number)
        while self._queue:
            objgen, later = self._queue.popleft()
            self._write(self.source.get_object(objgen), later)

    def _write(self, obj: pikepdf.Object, number: int) -> None:
        if isinstance(obj, pikepdf.Stream):
            dictionary = self._rewritten(obj.stream_dict.unparse(), drop_length=True)
            self.writer.put_stream(number, dictionary, obj.read_raw_bytes())
        else:
            self.writer.put(number, self._rewritten(obj.unparse(resolved=True)))

    def _rewritten(self, unparsed: bytes, drop_length: bool = False) -> bytes:
        def token(match: re.Match[bytes]) -> bytes:
            if match.group("ref"):
                return b"%d 0 R" % self.number((int(match.group("ref")),
                                               int(match.group("gen"))))
            if match.group("length"):  # written anew in a stream, kept (rewritten) elsewhere
                return b"" if drop_length else b"/Length " + self._rewritten(
                    match.group("length")[len(b"/Length"):].lstrip())
            return match.group(0)

        return _TOKENS.sub(token, unparsed)


# Strings (qpdf escapes their parentheses) and names are kept whole, so that no text in
# them is taken for a reference; a stream's /Length is left out (it is written anew).
_TOKENS = re.compile(rb"\((?:[^\\)]|\\.)*\)|<[0-9A-Fa-f\s]*>"
                     rb"|(?P<length>/Length\s+\d+(?:\s+\d+\s+R)?)(?![\w.])"
                     rb"|/[^\s/\[\]()<>{}%]*"
                     rb"|(?P<ref>\d+)\s+(?P<gen>\d+)\s+R(?![\w])", re.S)
_FILTER = re.compile(rb"/Filter[\s/\[]")


def _dictionary(entries: dict[bytes, bytes]) -> bytes:
    return b"<<" + b"".join(key + b" " + value for key, value in entries.items()) + b">>"
