"""Reading a built PDF the way a printer or reader checks it (pypdf, no rendering)."""

from __future__ import annotations

import re
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


def _fragments(page: Any) -> list[tuple[float, float, str]]:
    found: list[tuple[float, float, str]] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((x, y, text))

    page.extract_text(visitor_text=visit)
    return found


def contents_entries(path: Path, contents_pages: range) -> list[ContentsEntry]:
    """Every link on the contents pages, with the text printed inside its box."""
    reader = PdfReader(path)
    destinations = {name: reader.get_destination_page_number(dest)
                    for name, dest in reader.named_destinations.items()}
    entries: list[ContentsEntry] = []
    for index in contents_pages:
        page = reader.pages[index]
        boxes: dict[str, list[float]] = {}
        for annotation in page.get("/Annots", []):
            link = annotation.get_object()
            if link.get("/Subtype") != "/Link" or "/Dest" not in link:
                continue
            x1, y1, x2, y2 = (float(v) for v in link["/Rect"])
            box = boxes.setdefault(str(link["/Dest"]), [x1, y1, x2, y2])
            box[:] = [min(box[0], x1, x2), min(box[1], y1, y2),
                      max(box[2], x1, x2), max(box[3], y1, y2)]
        fragments = _fragments(page)
        for target, (left, bottom, right, top) in boxes.items():
            inside = [t for x, y, t in fragments
                      if left - 1 <= x <= right + 1 and bottom - 1 <= y <= top + 1]
            text = normalise(" ".join(inside))
            number = re.findall(r"\b(\d+|[ivxlc]+)\b", text)
            entries.append(ContentsEntry(target, text, number[-1] if number else "",
                                         destinations[target]))
    return entries


def outline_titles(path: Path) -> list[str]:
    reader = PdfReader(path)

    def walk(items: list[Any]) -> list[str]:
        titles: list[str] = []
        for item in items:
            titles.extend(walk(item) if isinstance(item, list) else [str(item.title)])
        return titles

    return walk(reader.outline)
