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

import functools
import hashlib
import struct
import zlib
from array import array
from collections import deque
from collections.abc import Iterable
from decimal import Decimal
from typing import BinaryIO

import pikepdf
from pikepdf import Dictionary, Name

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

    def put_stream(self, number: int, dictionary: dict[bytes, bytes], data: bytes) -> None:
        """A stream: its dictionary's entries (keys and values unparsed), and its data as
        encoded by the dictionary's filters; data without a filter is compressed."""
        if b"/Filter" not in dictionary:
            data = zlib.compress(data)
            dictionary = {**dictionary, b"/Filter": b"/FlateDecode"}
            dictionary.pop(b"/DecodeParms", None)
        dictionary = {**dictionary, b"/Length": b"%d" % len(data)}
        self._entry(number, 1, self._position, 0)
        self._emit(b"%d 0 obj\n%s\nstream\n" % (number, _dictionary(dictionary)) + data
                   + b"\nendstream\nendobj\n")

    def finish(self, root: int, info: int | None) -> None:
        """The cross-reference stream and the trailer; the file identifier is a hash of
        everything written before (the same objects, the same identifier)."""
        self._flush_objects()
        number = self.reserve()
        self._entry(number, 1, self._position, 0)
        size = len(self._types)
        rows = b"".join(struct.pack(">BQH", self._types[n], self._field2[n],
                                    self._field3[n] & 0xFFFF) for n in range(size))
        identifier = self._hash.hexdigest()[:32].encode()
        trailer = {b"/Type": b"/XRef", b"/Size": b"%d" % size, b"/W": b"[1 8 2]",
                   b"/Root": b"%d 0 R" % root, b"/ID": b"[<%s><%s>]" % (identifier, identifier)}
        if info is not None:
            trailer[b"/Info"] = b"%d 0 R" % info
        data = zlib.compress(rows)
        trailer |= {b"/Filter": b"/FlateDecode", b"/Length": b"%d" % len(data)}
        start = self._position
        self._emit(b"%d 0 obj\n%s\nstream\n" % (number, _dictionary(trailer)) + data
                   + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % start)

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
        self.put_stream(holder, {b"/Type": b"/ObjStm", b"/N": b"%d" % count,
                                 b"/First": b"%d" % len(head), b"/Filter": b"/FlateDecode"},
                        data)

    def _entry(self, number: int, kind: int, second: int, third: int) -> None:
        self._types[number], self._field2[number], self._field3[number] = kind, second, third

    def _emit(self, data: bytes) -> None:
        self._out.write(data)
        self._hash.update(data)
        self._position += len(data)


class Copier:
    """Writes objects of one source PDF into the book, each once, renumbered.

    `replace`: source objects that stand for objects already in (or promised to) the
    book, by the book's object number; they are not followed."""

    def __init__(self, writer: BookWriter, replace: dict[ObjGen, int] | None = None) -> None:
        self.writer = writer
        self.numbers: dict[ObjGen, int] = dict(replace or {})
        self._queue: deque[tuple[pikepdf.Object, int]] = deque()

    def number(self, obj: pikepdf.Object) -> int:
        """The book's number for an indirect object of the source (written later)."""
        known = self.numbers.get(obj.objgen)
        if known is None:
            known = self.numbers[obj.objgen] = self.writer.reserve()
            self._queue.append((obj, known))
        return known

    def write(self, obj: pikepdf.Object, number: int,
              extra: dict[bytes, bytes] | None = None, leave_out: Iterable[str] = ()) -> None:
        """Write `obj` (a dictionary or stream) as object `number`, with `extra` entries
        (unparsed) instead of its own of those keys and without those in `leave_out`;
        then everything it reaches that is not in the book yet."""
        if obj.is_indirect:
            self.numbers.setdefault(obj.objgen, number)
        self._write(obj, number, extra or {}, set(leave_out))
        self.flush()

    def flush(self) -> None:
        while self._queue:
            obj, number = self._queue.popleft()
            self._write(obj, number, {}, set())

    def _write(self, obj: pikepdf.Object, number: int, extra: dict[bytes, bytes],
               leave_out: set[str]) -> None:
        if isinstance(obj, pikepdf.Stream):
            entries = self._entries(obj.stream_dict, extra, leave_out | {"/Length"})
            self.writer.put_stream(number, entries, obj.read_raw_bytes())
        elif isinstance(obj, Dictionary) and (extra or leave_out):
            self.writer.put(number, _dictionary(self._entries(obj, extra, leave_out)))
        else:
            self.writer.put(number, self.unparse(obj, top=True))

    def _entries(self, dictionary: Dictionary, extra: dict[bytes, bytes],
                 leave_out: set[str]) -> dict[bytes, bytes]:
        entries = {name(key): self.unparse(value) for key, value in dictionary.items()
                   if key not in leave_out and name(key) not in extra}
        return {**entries, **extra}

    def unparse(self, value: object, top: bool = False) -> bytes:
        """PDF syntax for `value`, its indirect objects as references to the book's."""
        if isinstance(value, pikepdf.Object):
            if value.is_indirect and not top:
                return b"%d 0 R" % self.number(value)
            if isinstance(value, Dictionary):
                return _dictionary({name(key): self.unparse(item)
                                    for key, item in value.items()})
            if isinstance(value, pikepdf.Array):
                return b"[" + b" ".join(self.unparse(item) for item in value) + b"]"
            return bytes(value.unparse())
        return _scalar(value)


def _scalar(value: object) -> bytes:
    if value is None:
        return b"null"
    if isinstance(value, bool):
        return b"true" if value else b"false"
    if isinstance(value, int):
        return b"%d" % value
    if isinstance(value, Decimal | float):
        text = format(Decimal(value), "f")
        return (text.rstrip("0").rstrip(".") if "." in text else text).encode() or b"0"
    raise TypeError(f"not a PDF value: {value!r}")


def _dictionary(entries: dict[bytes, bytes]) -> bytes:
    return b"<<" + b"".join(key + b" " + value for key, value in entries.items()) + b">>"


@functools.lru_cache(maxsize=4096)
def name(key: str) -> bytes:
    """A name, unparsed (as a dictionary key)."""
    return bytes(Name(key).unparse())
