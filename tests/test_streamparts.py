"""The streamed assembly writes the name tree and bookmarks as bytes (pdf/streamparts.py);
a patch makes them with pikepdf (pdf/bookparts.py). Both must read the same."""

from __future__ import annotations

import io

import pikepdf
from pikepdf import NameTree, Pdf
from pypdf import PdfReader

from chapbook.pdf import bookparts, streamparts
from chapbook.pdf.bookparts import BookLinks, OutlineEntry
from chapbook.pdf.pdfwriter import BookWriter

PAGES = 9
# More names than a leaf holds (a tree of several leaves), with characters to escape
DESTINATIONS = {f"piece-{n:03d}" + ("(x)" if n % 7 == 0 else ""): (n % PAGES, 10.5 + n, 700 - n)
                for n in range(150)}
OUTLINE = [OutlineEntry(title, target, level) for title, target, level in [
    ("Contents", "piece-001", 1), ("Première partie — été", "piece-002", 2),
    ("A review", "piece-003", 3), ("Second part", "piece-004", 1),
    ("Under the last level 2 seen", "piece-005", 3), ("Gone", "nowhere", 2),
    ("Second's child", "piece-006", 2), ("Top again", "piece-141", 1),
    ("Orphan at level 4", "piece-008", 4)]]
LINKS = BookLinks(DESTINATIONS, [], OUTLINE)


def streamed() -> Pdf:
    output = io.BytesIO()
    writer = BookWriter(output)
    tree = writer.reserve()
    pages = [writer.reserve() for _ in range(PAGES)]
    for number in pages:
        writer.put(number, b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 100 100] >>" % tree)
    kids = b" ".join(b"%d 0 R" % number for number in pages)
    writer.put(tree, b"<< /Type /Pages /Count %d /Kids [%s] >>" % (PAGES, kids))
    names = streamparts.write_names(writer, LINKS, pages)
    outlines = streamparts.write_outline(writer, LINKS, pages)
    root = writer.reserve()
    writer.put(root, b"<< /Type /Catalog /Pages %d 0 R /Names << /Dests %d 0 R >> "
               b"/Outlines %d 0 R >>" % (tree, names, outlines))
    writer.finish(root, None)
    return Pdf.open(io.BytesIO(output.getvalue()))


def made_with_pikepdf() -> Pdf:
    pdf = Pdf.new()
    for _ in range(PAGES):
        pdf.add_blank_page(page_size=(100, 100))
    pages = [page.obj for page in pdf.pages]
    bookparts.names(pdf, LINKS, pages)
    bookparts.outline(pdf, LINKS, pages)
    output = io.BytesIO()
    pdf.save(output)
    return Pdf.open(io.BytesIO(output.getvalue()))


def read(pdf: Pdf) -> tuple[object, ...]:
    index = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}

    def where(destination: pikepdf.Object) -> tuple[object, ...]:
        return (index[destination[0].objgen], str(destination[1]),
                *(float(value) for value in destination[2:]))

    names = {str(name): where(value) for name, value in NameTree(pdf.Root.Names.Dests).items()}
    items: list[tuple[object, ...]] = []

    def walk(item: pikepdf.Object, depth: int) -> None:
        while item is not None:
            items.append((str(item.Title), where(item.Dest), depth, int(item.Count)))
            if "/First" in item:
                assert item.First.Parent.objgen == item.objgen
                walk(item.First, depth + 1)
            item = item.get("/Next")

    walk(pdf.Root.Outlines.First, 1)
    return names, items, int(pdf.Root.Outlines.Count)


def test_streamed_names_and_bookmarks_read_as_pikepdf_makes_them() -> None:
    with streamed() as ours, made_with_pikepdf() as theirs:
        assert read(ours) == read(theirs)
        names, items, count = read(ours)
        assert len(names) == 150 and "piece-007(x)" in names
        assert [depth for _, _, depth, _ in items] == [1, 2, 3, 3, 4, 1, 2, 1]
        assert count == 8


def test_pypdf_reads_the_streamed_parts() -> None:
    with streamed() as ours:
        output = io.BytesIO()
        ours.save(output)
    reader = PdfReader(output)
    assert len(reader.named_destinations) == 150
    assert reader.outline[0].title == "Contents"
    assert reader.get_destination_page_number(reader.named_destinations["piece-010"]) == 1
