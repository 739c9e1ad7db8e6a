"""The name tree and the bookmarks of a streamed book, written as they are made.

Made with pikepdf (`bookparts.names`, `bookparts.outline`), they took a few qpdf objects
per name and per bookmark, all held until the catalogue was written: at 5,000 reviews the
largest part of what the assembly held at its end. Here each leaf of the name tree and
each bookmark is written to the book (`pdfwriter.BookWriter`) as soon as it is made, as
the bytes qpdf would write for it; what is held is the destinations and bookmarks the
caller already has, and a few integers per bookmark. They read as `bookparts` makes them
(a patch still uses those): the same names, destinations, titles, levels and counts.
"""

from __future__ import annotations

from collections.abc import Sequence

from pikepdf import Array, String

from chapbook.pdf.bookparts import BookLinks
from chapbook.pdf.pdfwriter import BookWriter

_PER_LEAF = 64  # names in a leaf of the tree (its root lists the leaves)


def write_names(writer: BookWriter, links: BookLinks, pages: Sequence[int]) -> int:
    """The name tree of every anchor, by name; returns its root's object number."""
    names = sorted(links.destinations)
    root = writer.reserve()
    if len(names) <= _PER_LEAF:  # one node: the root (which has no /Limits)
        writer.put(root, b"<< /Names [ %s ] >>" % _entries(names, links, pages))
        return root
    kids = []
    for start in range(0, len(names), _PER_LEAF):
        leaf = names[start:start + _PER_LEAF]
        number = writer.reserve()
        writer.put(number, b"<< /Limits [ %s %s ] /Names [ %s ] >>" % (
            _string(leaf[0]), _string(leaf[-1]), _entries(leaf, links, pages)))
        kids.append(b"%d 0 R" % number)
    writer.put(root, b"<< /Kids [ %s ] >>" % b" ".join(kids))
    return root


def write_outline(writer: BookWriter, links: BookLinks, pages: Sequence[int]) -> int:
    """The bookmarks, nested by level as `bookparts.outline` nests them (an entry goes
    under the last one a level up, or at the top); returns the outlines' object number."""
    entries = [e for e in links.outline if e.target in links.destinations]
    numbers = [writer.reserve() for _ in entries]
    parents: list[int] = []  # each entry's parent's index, -1 for the top
    last_at: dict[int, int] = {}  # the last entry of each level so far
    for index, entry in enumerate(entries):
        parents.append(last_at.get(entry.level - 1, -1) if entry.level > 1 else -1)
        last_at[entry.level] = index
    children: dict[int, list[int]] = {}
    for index, parent in enumerate(parents):
        children.setdefault(parent, []).append(index)
    counts = [0] * len(entries)  # open descendants (every item is open)
    for index in reversed(range(len(entries))):
        if parents[index] >= 0:
            counts[parents[index]] += 1 + counts[index]
    root = writer.reserve()
    for index, entry in enumerate(entries):
        page, x, y = links.destinations[entry.target]
        fields = [b"/Title " + _string(entry.title),
                  b"/Dest [ %d 0 R /XYZ %s 0 ]" % (pages[page], _numbers(x, y)),
                  b"/Parent %d 0 R" % (numbers[parents[index]] if parents[index] >= 0 else root)]
        fields += _siblings(children[parents[index]], index, numbers)
        fields += _ends(children.get(index, []), numbers)
        fields.append(b"/Count %d" % counts[index])
        writer.put(numbers[index], b"<< " + b" ".join(fields) + b" >>")
    top = children.get(-1, [])
    fields = [b"/Type /Outlines", *_ends(top, numbers)]
    if top:
        fields.append(b"/Count %d" % (len(top) + sum(counts[i] for i in top)))
    writer.put(root, b"<< " + b" ".join(fields) + b" >>")
    return root


def _siblings(siblings: list[int], index: int, numbers: Sequence[int]) -> list[bytes]:
    place = _find(siblings, index)
    fields = []
    if place > 0:
        fields.append(b"/Prev %d 0 R" % numbers[siblings[place - 1]])
    if place + 1 < len(siblings):
        fields.append(b"/Next %d 0 R" % numbers[siblings[place + 1]])
    return fields


def _find(ordered: list[int], value: int) -> int:
    low, high = 0, len(ordered)
    while low < high:  # the siblings are in increasing order: a binary search
        middle = (low + high) // 2
        if ordered[middle] < value:
            low = middle + 1
        else:
            high = middle
    return low


def _ends(kids: list[int], numbers: Sequence[int]) -> list[bytes]:
    if not kids:
        return []
    return [b"/First %d 0 R" % numbers[kids[0]], b"/Last %d 0 R" % numbers[kids[-1]]]


def _entries(names: Sequence[str], links: BookLinks, pages: Sequence[int]) -> bytes:
    parts = []
    for name in names:
        page, x, y = links.destinations[name]
        parts.append(b"%s [ %d 0 R /XYZ %s 0 ]" % (_string(name), pages[page], _numbers(x, y)))
    return b" ".join(parts)


def _string(text: str) -> bytes:
    """A text string as qpdf writes it (PDFDocEncoding, or UTF-16 with its mark)."""
    return bytes(String(text).unparse())


def _numbers(x: float, y: float) -> bytes:
    """Two numbers as qpdf writes them, without the brackets of their array."""
    return bytes(Array([x, y]).unparse())[1:-1].strip()
