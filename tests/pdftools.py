"""Reading a built PDF the way a printer or reader checks it (pypdf, no rendering)."""

from __future__ import annotations

import html
import re
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfReader


@dataclass(frozen=True)
class ContentsEntry:
    target: str  # the named destination the entry links to
    text: str  # the entry's printed text, including its page number
    printed_page: str  # the number printed in the contents
    target_index: int  # 0-based index of the page the link goes to


def normalise(text: str) -> str:
    """Whitespace collapsed, soft hyphens and line-end hyphenation undone."""
    text = text.replace("\u00ad", "").replace("-\n", "")
    return re.sub(r"\s+", " ", text).strip()


def page_texts(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(path).pages]


def page_labels(path: Path) -> list[str]:
    return list(PdfReader(path).page_labels)


def words_with_boxes(path: Path, index: int) -> list[tuple[float, float, float, float, str]]:
    """Words on a page with their boxes in PDF user space, as poppler's pdftotext sees them."""
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(index + 1), "-l", str(index + 1),
                          str(path), "-"], capture_output=True, text=True, check=True).stdout
    crop = [float(v) for v in PdfReader(path).pages[index].cropbox]
    words = []
    for x0, y0, x1, y1, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
            out):
        words.append((float(x0) + crop[0], crop[3] - float(y1),
                      float(x1) + crop[0], crop[3] - float(y0), html.unescape(word)))
    return words


def contents_entries(path: Path, pages: range) -> list[ContentsEntry]:
    """Every link on the given pages, with the words printed inside its box.

    A link broken across lines is several annotations in a row with the same destination;
    they make one entry.
    """
    reader = PdfReader(path)
    destinations = {name: reader.get_destination_page_number(dest)
                    for name, dest in reader.named_destinations.items()}
    entries: list[ContentsEntry] = []
    for index in pages:
        words = words_with_boxes(path, index)
        runs: list[tuple[str, list[list[float]]]] = []
        for annotation in reader.pages[index].get("/Annots", []):
            link = annotation.get_object()
            if link.get("/Subtype") != "/Link" or "/Dest" not in link:
                continue
            target = str(link["/Dest"])
            rect = [float(v) for v in link["/Rect"]]
            if runs and runs[-1][0] == target and _continues(runs[-1][1][-1], rect):
                runs[-1][1].append(rect)
            else:
                runs.append((target, [rect]))
        for target, rects in runs:
            inside = [w for w in words if any(_within(w, r) for r in rects)]
            text = normalise(" ".join(w[4] for w in inside))
            number = re.findall(r"\b(\d+|[ivxlc]+)\b", text)
            entries.append(ContentsEntry(target, text, number[-1] if number else "",
                                         destinations[target]))
    return entries


def _within(word: tuple[float, float, float, float, str], rect: list[float]) -> bool:
    left, right = min(rect[0], rect[2]), max(rect[0], rect[2])
    bottom, top = min(rect[1], rect[3]), max(rect[1], rect[3])
    middle_x, middle_y = (word[0] + word[2]) / 2, (word[1] + word[3]) / 2
    return left - 0.5 <= middle_x <= right + 0.5 and bottom - 0.5 <= middle_y <= top + 0.5


def _continues(previous: list[float], rect: list[float]) -> bool:
    """The next line of the same link starts at or below where the previous one was."""
    return min(rect[1], rect[3]) <= max(previous[1], previous[3]) + 0.5


def outline_titles(path: Path) -> list[str]:
    reader = PdfReader(path)

    def walk(items: list[Any]) -> list[str]:
        titles: list[str] = []
        for item in items:
            titles.extend(walk(item) if isinstance(item, list) else [str(item.title)])
        return titles

    return walk(reader.outline)


def canonical_objects(pdf: bytes) -> list[bytes]:
    """A PDF's objects and content in qpdf's canonical form (object numbers in order of
    traversal), without the file identifier (a patched book keeps its first, "permanent"
    element) and byte offsets: two files with the same objects compare equal whatever
    order they were written in. A damaged or truncated file makes qpdf fail."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        source, qdf = Path(folder) / "in.pdf", Path(folder) / "out.qdf"
        source.write_bytes(pdf)
        subprocess.run(["qpdf", "--qdf", "--object-streams=disable", "--static-id",
                        str(source), str(qdf)], check=True, capture_output=True)
        lines = qdf.read_bytes().split(b"\n")
    kept = []
    for line in lines:
        if kept and kept[-1] == b"startxref":  # the offset of the cross-reference table
            continue
        if not line.startswith((b"%% Original object ID", b"  /ID [")) and not re.fullmatch(
                rb"\d{10} \d{5} [nf] ?", line):
            kept.append(line)
    return kept


def font_programs(pdf: Path) -> Counter[str]:
    """How many embedded font programs each font name (BaseFont) has in the fonts the
    pages of `pdf` (and the forms they draw) use."""
    import pikepdf

    found: dict[tuple[int, int], str] = {}

    def visit(resources: Any) -> None:
        for font in resources.get("/Font", {}).values():
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get("/FontDescriptor", {})
                program = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
                if program is not None:
                    found[program.objgen] = str(descriptor.FontName)
        for xobject in resources.get("/XObject", {}).values():
            if xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
                visit(xobject.Resources)

    with pikepdf.open(pdf) as book:
        for page in book.pages:
            visit(page.obj.get("/Resources", {}))
    return Counter(found.values())
