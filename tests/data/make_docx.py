"""Write the small .docx files the tests and the sample use, with the standard library only.

A .docx is a zip of XML parts; this writes the few that Word itself writes for a plain
document with styles, footnotes and document properties. Run it again after changing a
document below (from the repository root):

    .venv/bin/python tests/data/make_docx.py

It rewrites tests/data/docx/*.docx and manuscripts/*.docx (the files are committed, so
the tests never need this script, Word or the network).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
STYLES = {"Title": "Title", "Subtitle": "Subtitle", "Heading1": "Heading 1",
          "Heading2": "Heading 2", "Quote": "Quote", "FootnoteText": "footnote text",
          "FootnoteReference": "footnote reference"}


@dataclass(frozen=True)
class Run:
    text: str = ""
    italic: bool = False
    bold: bool = False
    footnote: int | None = None  # a reference to footnote N instead of text


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]
    style: str | None = None


@dataclass(frozen=True)
class Document:
    properties: dict[str, str]
    paragraphs: tuple[Paragraph, ...]
    footnotes: dict[int, str] = field(default_factory=dict)


def p(*runs: Run | str, style: str | None = None) -> Paragraph:
    return Paragraph(tuple(Run(r) if isinstance(r, str) else r for r in runs), style)


def _run(run: Run) -> str:
    props = ("<w:i/>" if run.italic else "") + ("<w:b/>" if run.bold else "")
    if run.footnote is not None:
        return (f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
                f'<w:footnoteReference w:id="{run.footnote}"/></w:r>')
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(run.text)}</w:t></w:r>'


def _paragraph(paragraph: Paragraph) -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{paragraph.style}"/></w:pPr>' if paragraph.style else ""
    return f"<w:p>{ppr}{''.join(_run(r) for r in paragraph.runs)}</w:p>"


def _parts(doc: Document) -> dict[str, str]:
    body = "".join(_paragraph(par) for par in doc.paragraphs)
    kinds = {sid: "character" if sid.endswith("Reference") else "paragraph" for sid in STYLES}
    styles = "".join(f'<w:style w:type="{kinds[sid]}" w:styleId="{sid}">'
                     f'<w:name w:val="{name}"/></w:style>' for sid, name in STYLES.items())
    notes = "".join(f'<w:footnote w:id="{n}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/>'
                    f'</w:pPr>{_run(Run(text))}</w:p></w:footnote>'
                    for n, text in doc.footnotes.items())
    props = "".join(f"<{tag}>{escape(doc.properties[key])}</{tag}>" for key, tag in
                    (("title", "dc:title"), ("author", "dc:creator"),
                     ("keywords", "cp:keywords"), ("subject", "dc:subject"))
                    if key in doc.properties)
    created = doc.properties.get("created", "2024-01-01T00:00:00Z")
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml"
    return {
        "[Content_Types].xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/word/document.xml" ContentType="{main}.document.main+xml"/>'
            f'<Override PartName="/word/styles.xml" ContentType="{main}.styles+xml"/>'
            f'<Override PartName="/word/footnotes.xml" ContentType="{main}.footnotes+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.'
            'openxmlformats-package.core-properties+xml"/></Types>',
        "_rels/.rels":
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{PKG}">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/>'
            f'<Relationship Id="rId2" Type="{PKG}/metadata/core-properties" '
            'Target="docProps/core.xml"/></Relationships>',
        "word/_rels/document.xml.rels":
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{PKG}">'
            f'<Relationship Id="rId1" Type="{REL}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId2" Type="{REL}/footnotes" Target="footnotes.xml"/>'
            '</Relationships>',
        "word/document.xml":
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}" '
            f'xmlns:r="{REL}"><w:body>{body}</w:body></w:document>',
        "word/styles.xml":
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="{W}">'
            f"{styles}</w:styles>",
        "word/footnotes.xml":
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{W}">'
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
            '</w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
            f"<w:continuationSeparator/></w:r></w:p></w:footnote>{notes}</w:footnotes>",
        "docProps/core.xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties '
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f'{props}<dcterms:created xsi:type="dcterms:W3CDTF">{created}</dcterms:created>'
            "</cp:coreProperties>",
    }


def write_docx(doc: Document, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in _parts(doc).items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            package.writestr(info, content.encode("utf-8"))


# ---- the documents ---------------------------------------------------------------------

TEST_REVIEW = Document(
    properties={"title": "'Word Film' review: typed in Word", "author": "Ann Critic; Bo Writer",
                "keywords": "drama, word", "created": "2024-02-03T09:30:00Z"},
    paragraphs=(
        p("---"), p("work: {title: Word Film, kind: film, year: 2023}"), p("rating: 4/5"),
        p("\u2014"),  # Word's autocorrect made this closing --- a dash
        p("The Word Film Review", style="Title"),
        p("A standfirst in the Subtitle style", style="Subtitle"),
        p("First paragraph with ", Run("italic", italic=True), " and ", Run("bold", bold=True),
          " words and a note.", Run(footnote=1)),
        p("A Heading", style="Heading1"),
        p("A quotation from the film.", style="Quote"),
        p('Last paragraph with "straight quotes" -- and a dash.'),
    ),
    footnotes={1: "The footnote's text."},
)

SAMPLE_REVIEW = Document(
    properties={"title": "'The Quiet Parish' review: a folk-horror novel that whispers "
                         "instead of screaming",
                "author": "Tomasz Wren", "keywords": "horror, folk-horror, books",
                "created": "2024-09-14T08:00:00Z"},
    paragraphs=(
        p("---"),
        p("work: {title: The Quiet Parish, kind: book, year: 2024, "
          "publisher: Marrowgate Press, creators: [Elspeth Vane]}"),
        p("rating: 4/5"),
        p("source: {publication: The Lantern Street Review, first_published: 2024-09-14}"),
        p("---"),
        p("A village that stops ringing its church bell, and a curate who wants to know why",
          style="Subtitle"),
        p("Nothing happens in the first hundred pages of ", Run("The Quiet Parish", italic=True),
          ", and I mean that as the highest praise. Elspeth Vane's second novel follows a "
          "young curate, Ruth Amory, posted in the winter of 1974 to a marsh parish whose "
          "church has not rung its bell in forty years. Nobody will say why. The villagers "
          "are courteous, the vicarage is warm, and the silence is total."),
        p("Vane writes the marsh the way other novelists write a character: it has moods, "
          "habits and a long memory. Ruth walks it every morning, and every morning it is "
          "a little closer to the house. The dread builds from small wrongnesses -- a hymn "
          "book with one page cut out, a child who counts the steps to the lych-gate, a "
          "bell rope that is warm to the touch.", Run(footnote=1)),
        p("\u201cSome silences are kept, Miss Amory, the way other people keep bees.\u201d",
          style="Quote"),
        p("If the last act leans too hard on a diary found in the vestry, it hardly matters. "
          "The final chapter, in which Ruth at last climbs the tower, is as frightening as "
          "anything I have read this year, and it contains no monster at all. ",
          Run("Read it with the lights on.", bold=True)),
    ),
    footnotes={1: "Vane has said that the parish is invented, but the bell rope is not: "
                  "it hangs in a church near her childhood home."},
)


def main() -> None:
    root = Path(__file__).resolve().parents[2]
    write_docx(TEST_REVIEW, root / "tests" / "data" / "docx" / "word-film.docx")
    write_docx(SAMPLE_REVIEW, root / "manuscripts" / "quiet-parish.docx")


if __name__ == "__main__":
    main()
