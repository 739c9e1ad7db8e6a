"""Print-only changes to a piece's body: footnotes move to where they are called.

The reader renders footnotes as a list at the end of the piece (right for an EPUB). In
print they belong at the foot of the page: WeasyPrint does that for an element styled
`float: footnote` placed at the call, so each note's text replaces its reference.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET


def print_body(body_html: str) -> str:
    """The body for the print edition: footnotes inline at their call, the list removed."""
    if "footnote-ref" not in body_html:
        return body_html
    root = ET.fromstring(f"<div>{body_html}</div>")
    notes = {li.get("id"): li for li in root.iter("li") if li.get("class") == "footnote-item"}
    parents = {child: parent for parent in root.iter() for child in parent}
    placed: set[str] = set()
    for call in [e for e in root.iter("sup") if e.get("class") == "footnote-ref"]:
        link = call.find("a")
        target = (link.get("href") or "").lstrip("#") if link is not None else ""
        if target in notes and target not in placed:
            placed.add(target)
            _replace(parents[call], call, _inline_note(notes[target], call.tail))
    for element in list(root):
        if element.get("class") in ("footnotes", "footnotes-sep"):
            root.remove(element)
    inner = ET.tostring(root, encoding="unicode", method="html")
    return inner.removeprefix("<div>").removesuffix("</div>")


def _inline_note(note: ET.Element, tail: str | None) -> ET.Element:
    """<span class="footnote"> with the note's paragraphs, without the back-reference."""
    span = ET.Element("span", {"class": "footnote", "id": note.get("id", "")})
    for number, paragraph in enumerate(note.findall("p")):
        for backref in [a for a in paragraph.findall("a") if a.get("class") == "footnote-backref"]:
            _remove(paragraph, backref)
        if number:
            ET.SubElement(span, "br")
        _append_content(span, paragraph)
    _strip_end(span)
    span.tail = tail
    return span


def _append_content(target: ET.Element, source: ET.Element) -> None:
    if len(target):
        target[-1].tail = (target[-1].tail or "") + (source.text or "")
    else:
        target.text = (target.text or "") + (source.text or "")
    for child in list(source):
        target.append(child)


def _strip_end(element: ET.Element) -> None:
    if len(element):
        element[-1].tail = (element[-1].tail or "").rstrip() or None
    else:
        element.text = (element.text or "").rstrip()


def _remove(parent: ET.Element, child: ET.Element) -> None:
    """Remove an element but keep its tail text."""
    index = list(parent).index(child)
    tail = child.tail or ""
    if index:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(child)


def _replace(parent: ET.Element, old: ET.Element, new: ET.Element) -> None:
    parent.insert(list(parent).index(old), new)
    parent.remove(old)
