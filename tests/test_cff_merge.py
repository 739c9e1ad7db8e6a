"""A Japanese book assembled from chunks: its CFF-flavoured OpenType face (Noto Serif CJK
JP, from Debian's fonts-noto-cjk, found through fontconfig as WeasyPrint finds it) is
embedded once per variant, not once per chunk; the merged programs are valid and hold
every glyph each chunk drew; the book is about the size of one pass and draws and reads
the same. And the streamed assembly holds one chunk at a time."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.ttLib import TTFont

from chapbook.pdf import cff, fontmerge
from chapbook.pdf.fontconfig import family_file
from chapbook.pdf.truetype import NotMergeable

from .conftest import REPO, write_project
from .pdftools import font_programs, normalise, page_texts

FACE = "Noto Serif CJK JP"
LINES = ("静かな雨の夜、主人公は古い手紙を読み返す。",
         "音楽が止まると、町の灯りが一つずつ消えていく。",
         "家族の記憶は、季節ごとに違う色で戻ってくる。",
         "最後の場面で、二人はようやく同じ窓を見る。")
CONFIG = """\
[press]
name = "試験書房"
language = "ja"

[[anthology]]
slug = "yoru"
title = "夜の画面"
editors = ["山田 花子"]
language = "ja"
"""
SPY = r"""
import json, os, sys
from chapbook.pdf import streaming

def open_pdfs():
    paths = set()
    for entry in os.listdir("/proc/self/fd"):
        try:
            paths.add(os.readlink(f"/proc/self/fd/{entry}"))
        except OSError:
            pass
    with open("/proc/self/maps") as maps:
        paths.update(line.split(None, 5)[-1].strip() for line in maps if ".pdf" in line)
    return sorted(p for p in paths if p.endswith(".pdf") and "/.cache/" in p)

most = []
original = streaming._Book.add_chunk

def spied(self, reader, furniture):
    original(self, reader, furniture)
    # PDFs open besides the chunk just copied and its furniture
    others = set(open_pdfs()).difference({reader.filename, furniture and furniture.filename})
    most.append(sorted(others))
    with open(os.environ["SPY_REPORT"], "w") as stream:  # the CLI ends with os._exit
        json.dump(most, stream)

streaming._Book.add_chunk = spied
from chapbook.cli.main import main
sys.argv = ["chapbook", *sys.argv[1:]]
main()
"""


def _review(index: int) -> str:
    body = "\n\n".join("".join(LINES[(index + k + j) % 4] for j in range(3)) + f"第{index}話。"
                       for k in range(3))
    return (f"---\ntitle: 作品{index}の感想\nauthor: 田中 {index}\ndate: 2024-01-{index + 1:02d}\n"
            f"work: {{title: 作品{index}, kind: film, year: 2023}}\nrating: 4/5\n"
            f"language: ja\n---\n{body}\n")


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, Path]]:
    """The project, its book in one pass, and the same book from chunks of two pieces
    (assembled by a build whose assembly is watched, see SPY)."""
    if family_file(FACE) is None:
        pytest.skip(f"{FACE} is not installed (Debian's fonts-noto-cjk; `make test` "
                    "installs it)")
    root = write_project(tmp_path_factory.mktemp("cjk") / "book",
                         {f"p{i:02d}.md": _review(i) for i in range(12)}, CONFIG)
    env = {**os.environ, "COLUMNS": "200", "SPY_REPORT": str(root / "spy.json")}
    for mode, out, command in (("--single-pass", "single", ["-m", "chapbook"]),
                               ("--chunked", "chunked", ["-c", SPY])):
        done = subprocess.run([sys.executable, *command, "build", "--format", "pdf", mode,
                               "--jobs", "2", "--out", out], cwd=root, env=env,
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
    yield root, root / "single" / "yoru.pdf", root / "chunked" / "yoru.pdf"


def _cff_programs(pdf: Path) -> Iterator[tuple[str, bytes, set[int]]]:
    """(face name without its tag, program, glyph ids used) of every CFF font in `pdf`."""
    with pikepdf.open(pdf) as document:
        for obj in document.objects:
            if (isinstance(obj, pikepdf.Dictionary) and obj.get("/Subtype") == "/CIDFontType0"
                    and "/FontFile3" in obj.FontDescriptor):
                used = set(fontmerge._parse_widths(obj.W.unparse()))
                yield (str(obj.BaseFont).split("+", 1)[-1],
                       obj.FontDescriptor.FontFile3.read_bytes(), used)


def test_the_cjk_face_is_embedded_once_per_variant(books: tuple[Path, Path, Path]) -> None:
    root, single, chunked = books
    chunks = sorted((root / "chunked" / ".cache" / "pdf").glob("*.pdf"))
    copies = sum(1 for chunk in chunks for _ in _cff_programs(chunk))
    assert copies >= 6  # one per chunk at least: the chunks do embed their own
    programs = font_programs(chunked)
    assert set(programs.values()) == {1}
    cjk = [name for name in programs if "CJK" in name]
    assert cjk and len(cjk) <= 4  # the face and its small capitals, and few width variants
    assert chunked.stat().st_size <= 1.2 * single.stat().st_size


def test_merged_programs_are_valid_and_hold_every_glyph_each_chunk_drew(
        books: tuple[Path, Path, Path]) -> None:
    root, _, chunked = books
    merged: dict[str, dict[int, bytes]] = {}
    for name, program, used in _cff_programs(chunked):
        font = TTFont(io.BytesIO(program))  # fontTools reads it whole
        charstrings = font["CFF "].cff.topDictIndex[0].CharStrings
        order = font.getGlyphOrder()
        assert order[1:] == [f"cid{gid:05d}" for gid in range(1, len(order))]
        glyphs = merged.setdefault(name, {})
        for gid in used:
            glyphs[gid] = charstrings[order[gid]].bytecode
    checked = 0
    for chunk in sorted((root / "chunked" / ".cache" / "pdf").glob("*.pdf")):
        for name, program, used in _cff_programs(chunk):
            font = TTFont(io.BytesIO(program))
            charstrings = font["CFF "].cff.topDictIndex[0].CharStrings
            for gid in used:
                assert merged[name][gid] == charstrings[font.getGlyphOrder()[gid]].bytecode
                checked += 1
    assert checked > 500


def _trimmed(page: pdfium.PdfPage) -> bytes:
    """The page drawn at 72 dpi, inside its trim box (crop marks drawn in the bleed are
    laid over chunks with their furniture, a pixel apart from one pass)."""
    left, bottom, right, top = page.get_trimbox()
    media_left, _, _, media_top = page.get_mediabox()
    image = page.render(scale=1).to_pil().convert("L")
    return image.crop((round(left - media_left) + 1, round(media_top - top) + 1,
                       round(right - media_left) - 1,
                       round(media_top - bottom) - 1)).tobytes()


def test_the_chunked_book_draws_and_reads_as_one_pass(books: tuple[Path, Path, Path]) -> None:
    _, single, chunked = books
    assert [normalise(t) for t in page_texts(chunked)] == [normalise(t)
                                                           for t in page_texts(single)]
    one, other = pdfium.PdfDocument(single), pdfium.PdfDocument(chunked)
    assert len(one) == len(other) > 12
    different = [i for i in range(len(one)) if _trimmed(one[i]) != _trimmed(other[i])]
    assert different == []


def test_the_assembly_holds_one_chunk_at_a_time(books: tuple[Path, Path, Path]) -> None:
    root, _, _ = books
    others = json.loads((root / "spy.json").read_text())
    assert len(others) >= 6  # a look after each chunk
    # besides the chunk being copied and its furniture, only the blank verso's page, which
    # is kept open throughout
    assert len({path for paths in others for path in paths}) <= 1, others


def test_copies_of_other_kinds_or_faces_are_not_merged(books: tuple[Path, Path, Path]) -> None:
    _, _, chunked = books
    _, program, used = next(_cff_programs(chunked))
    truetype = (REPO / "styles" / "classic" / "fonts" / "CharisSIL-Regular.ttf").read_bytes()
    lacking = {max(used) + 1}  # a glyph the first copy lacks: the second is read for it
    with pytest.raises(NotMergeable):
        cff.merge_programs([(program, used), (truetype, lacking)])
    with pytest.raises(NotMergeable):  # a CFF that is not CID-keyed, as WeasyPrint's are
        cff.merge_programs([(program, used), (_plain_cff(), lacking)])
    with pytest.raises(NotMergeable):  # a glyph beyond the copy's last
        cff.merge_programs([(program, used), (program, {len(program)})])
    merged = TTFont(io.BytesIO(cff.merge_programs([(program, used), (program, used)])))
    assert len(merged.getGlyphOrder()) == max(used) + 1


def _plain_cff() -> bytes:
    builder = FontBuilder(1000, isTTF=False)
    builder.setupGlyphOrder([".notdef", "a"])
    builder.setupCharacterMap({ord("a"): "a"})
    pen = T2CharStringPen(500, None)
    pen.moveTo((0, 0))
    pen.lineTo((100, 0))
    pen.lineTo((100, 100))
    pen.closePath()
    charstring = pen.getCharString()
    builder.setupCFF("Plain", {"FullName": "Plain"}, {".notdef": charstring, "a": charstring},
                     {})
    builder.setupHorizontalMetrics({".notdef": (500, 0), "a": (500, 0)})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Plain", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    output = io.BytesIO()
    builder.save(output)
    return output.getvalue()
