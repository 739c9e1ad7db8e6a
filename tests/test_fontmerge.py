"""One embedded font per face (and width variant) in a book assembled from chunks: real
WeasyPrint chunks, merged by `fontmerge`, drawn by pdfium and read by poppler and fontTools."""

from __future__ import annotations

import io
import subprocess
from collections import Counter
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from fontTools.ttLib import TTFont

from chapbook.pdf import fontmerge, truetype

from .conftest import REPO, copy_sample, run_chapbook
from .pdftools import font_programs

BOOK = "night-terrors"
CHARIS = REPO / "styles" / "classic" / "fonts" / "CharisSIL-Regular.ttf"


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The chunked book as built, its chunks put together as WeasyPrint made them (a copy
    of each face per chunk), and those shared by fontmerge."""
    root = copy_sample(tmp_path_factory.mktemp("fonts") / "sample")
    result = run_chapbook("build", BOOK, "--format", "pdf", "--chunked", "--jobs", "2",
                          cwd=root)
    assert result.code == 0, result.stderr
    chunks = sorted((root / "build" / ".cache" / "pdf").glob("*.pdf"))
    unshared, shared = root / "unshared.pdf", root / "shared.pdf"
    with pikepdf.new() as together:
        sources = [pikepdf.open(chunk) for chunk in chunks]
        for source in sources:
            together.pages.extend(source.pages)
        together.save(unshared)
        for source in sources:
            source.close()
    with pikepdf.open(unshared) as book:
        fontmerge.share_fonts(enumerate(page.obj for page in book.pages))
        book.save(shared)
    return root / "build" / f"{BOOK}.pdf", unshared, shared


def test_a_chunked_book_embeds_each_face_once_per_variant(
        books: tuple[Path, Path, Path]) -> None:
    built, unshared, shared = books
    before, after = font_programs(unshared), font_programs(shared)
    assert sum(before.values()) >= 10  # the chunks' copies
    assert set(after.values()) == {1}  # every subset has its own tag (ISO 32000-1, 9.6.4)
    faces = {name.split("+", 1)[1] for name in before}
    assert {name.split("+", 1)[1] for name in after} == faces
    assert len(after) <= len(faces) + 2  # width variants are few
    assert font_programs(built) == Counter({name: 1 for name in font_programs(built)})
    assert shared.stat().st_size < 0.8 * unshared.stat().st_size
    listed = subprocess.run(["pdffonts", str(built)], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]
    assert listed and all(line.split()[1:5] == ["CID", "TrueType", "Identity-H", "yes"]
                          for line in listed)


def test_shared_fonts_draw_and_read_every_page_as_the_copies_did(
        books: tuple[Path, Path, Path]) -> None:
    _, unshared, shared = books
    before, after = pdfium.PdfDocument(unshared), pdfium.PdfDocument(shared)
    assert len(before) == len(after)
    for index in range(len(before)):
        want = before[index].render(scale=2).to_pil().tobytes()
        got = after[index].render(scale=2).to_pil().tobytes()
        assert got == want, f"page index {index} is drawn differently"
    text = [subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                           check=True).stdout for pdf in (unshared, shared)]
    assert text[0] == text[1] and len(text[0]) > 10_000


def test_every_glyph_keeps_the_width_its_text_was_set_with(
        books: tuple[Path, Path, Path]) -> None:
    """A chunk's text is placed by its font's widths: a shared font must give each glyph
    the width of every copy it replaced (copies that differ stay apart)."""
    _, unshared, shared = books
    with pikepdf.open(unshared) as before, pikepdf.open(shared) as after:
        for index, (old, new) in enumerate(zip(before.pages, after.pages, strict=True)):
            for key, font in old.Resources.Font.items():
                widths = fontmerge._parse_widths(font.DescendantFonts[0].W.unparse())
                kept = fontmerge._parse_widths(
                    new.Resources.Font[key].DescendantFonts[0].W.unparse())
                assert kept | widths == kept, f"page index {index}, {key}"


def test_merged_programs_are_valid_truetype_with_every_glyph_of_every_copy(
        books: tuple[Path, Path, Path]) -> None:
    _, unshared, shared = books
    copies = _faces_programs(unshared)
    merged = _faces_programs(shared)
    for name, programs in copies.items():
        untagged = name.split("+", 1)[1]
        targets = [m for n, ms in merged.items() if n.endswith("+" + untagged) for m in ms]
        for data, used in programs:
            font = TTFont(io.BytesIO(data))
            outlines = _outlines(font, used)
            assert outlines is not None, name  # a copy holds the glyphs it gives widths to
            assert any(_outlines(TTFont(io.BytesIO(m)), used) == outlines
                       for m, _ in targets), name


def _faces_programs(pdf: Path) -> dict[str, list[tuple[bytes, set[int]]]]:
    """Each face's programs with the glyph ids its W array gives widths to."""
    programs: dict[tuple[int, int], tuple[str, bytes, set[int]]] = {}
    with pikepdf.open(pdf) as book:
        for obj in book.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Subtype") == "/CIDFontType2":
                program = obj.FontDescriptor.FontFile2
                used = set(fontmerge._parse_widths(obj.W.unparse()))
                name, data, seen = programs.get(
                    program.objgen, (str(obj.BaseFont), program.read_bytes(), set()))
                programs[program.objgen] = (name, data, seen | used)
    found: dict[str, list[tuple[bytes, set[int]]]] = {}
    for name, data, used in programs.values():
        found.setdefault(name, []).append((data, used))
    return found


def _outlines(font: TTFont, gids: set[int]) -> dict[int, object] | None:
    """The drawn outlines of the glyphs (composites resolved into points); None if the font
    is too short to hold them all (another width variant of the face, say: not the one
    these glyphs went to)."""
    glyf, order = font["glyf"], font.getGlyphOrder()
    if gids and max(gids) >= len(order):
        return None
    drawn = {}
    for gid in sorted(gids):
        glyph = glyf[order[gid]]
        coordinates, ends, _ = glyph.getCoordinates(glyf)
        drawn[gid] = (list(coordinates), list(ends), font["hmtx"][order[gid]])
    return drawn


def _subset_of(text: str, tmp_path: Path, face: Path = CHARIS) -> tuple[bytes, int]:
    """WeasyPrint's subset of a face for `text`, with the highest glyph id it uses."""
    from weasyprint import HTML

    html = (f"<style>@font-face {{ font-family: C; src: url({face.as_uri()}) }}"
            f" body {{ font-family: C }}</style><p>{text}</p>")
    pdf = tmp_path / "subset.pdf"
    HTML(string=html).write_pdf(pdf)
    with pikepdf.open(pdf) as document:
        font = next(iter(document.pages[0].Resources.Font.values())).DescendantFonts[0]
        used = fontmerge._parse_widths(font.W.unparse())
        return font.FontDescriptor.FontFile2.read_bytes(), max(used)


def test_composites_keep_their_components_whatever_each_subset_numbered_them(
        tmp_path: Path) -> None:
    """HarfBuzz renumbers a composite's components beyond the highest glyph a subset
    uses: í alone has its acute and dotless i after í; with a later glyph in use they
    keep their own ids."""
    low, high = _subset_of("í", tmp_path), _subset_of("í Ξ", tmp_path)
    assert len(_parse_glyphs(low[0])) > low[1] + 1  # renumbered components
    assert len(_parse_glyphs(high[0])) == high[1] + 1  # none
    merged = truetype.merge_programs([low, high])
    assert truetype.merge_programs([high, low]) == merged  # independent of the order
    font = TTFont(io.BytesIO(merged))
    accented = TTFont(io.BytesIO(low[0])).getGlyphID("iacute")
    gids = {accented}
    assert _outlines(font, gids) == _outlines(TTFont(io.BytesIO(low[0])), gids)
    assert _outlines(font, gids) == _outlines(TTFont(io.BytesIO(high[0])), gids)
    assert font["maxp"].numGlyphs == len(font.getGlyphOrder())
    assert truetype.merge_programs([(merged, high[1]), low]) == merged  # merged again


def _parse_glyphs(data: bytes) -> list[bytes]:
    return truetype._parse(data).glyphs


def test_a_mark_keeps_its_side_bearing_where_another_copy_lacks_it(tmp_path: Path) -> None:
    """A combining mark has no advance and a negative side bearing; a subset that does
    not keep it has (0, 0) there, which must not win (the mark would move right)."""
    marked, other = _subset_of("q\u0301", tmp_path), _subset_of("q\u0306 Ξ", tmp_path)
    face = TTFont(CHARIS)
    mark = face.getGlyphID("acutecomb")
    assert face["hmtx"]["acutecomb"][1] < 0 and other[1] > mark
    for programs in ([marked, other], [other, marked]):
        merged = TTFont(io.BytesIO(truetype.merge_programs(programs)))
        assert merged["hmtx"][merged.getGlyphOrder()[mark]] == face["hmtx"]["acutecomb"]


def test_subsets_of_different_fonts_are_not_merged(tmp_path: Path) -> None:
    """Two files WeasyPrint describes alike (a family cut by unicode-range) are told
    apart by their tables."""
    italic = REPO / "styles" / "classic" / "fonts" / "CharisSIL-Italic.ttf"
    with pytest.raises(truetype.NotMergeable):
        truetype.merge_programs([_subset_of("abc", tmp_path),
                                 _subset_of("abc", tmp_path, italic)])


def test_programs_that_are_not_truetype_are_not_merged() -> None:
    with pytest.raises(truetype.NotMergeable):
        truetype.merge_programs([(b"OTTO" + bytes(100), 3), (b"OTTO" + bytes(100), 3)])
