"""EPUB font subsets: HarfBuzz for TrueType and OpenType, fontTools for WOFF; both keep
what a reading system needs (the used glyphs, every layout feature, the licence names)."""

from __future__ import annotations

import io
from pathlib import Path

from fontTools.ttLib import TTFont

from chapbook.epub.fonts import subset_font

from .conftest import REPO

CHARIS = REPO / "styles" / "classic" / "fonts" / "CharisSIL-Regular.ttf"
NANUM_SQUARE = REPO / "styles" / "magazine" / "fonts" / "NanumSquareR.ttf"  # kern, no GPOS
USED = set("Quiet Season — “Cartographer” café, naïve…")


def features(font: TTFont) -> set[str]:
    return {record.FeatureTag for record in font["GSUB"].table.FeatureList.FeatureRecord}


def gpos_features(font: TTFont) -> set[str]:
    return {record.FeatureTag for record in font["GPOS"].table.FeatureList.FeatureRecord}


def test_a_truetype_subset_keeps_the_used_glyphs_features_and_licence() -> None:
    """HarfBuzz cuts what fontTools (the reference, and the fallback) would keep."""
    from chapbook.epub.fonts import _fonttools_subset

    original = TTFont(CHARIS)
    subset = TTFont(io.BytesIO(subset_font(CHARIS, USED)))
    reference = TTFont(io.BytesIO(_fonttools_subset(CHARIS, USED)))
    cmap = subset.getBestCmap()
    assert {ord(c) for c in USED} <= set(cmap) and set(cmap) == set(reference.getBestCmap())
    assert ord("Ж") not in cmap and ord("z") not in cmap
    assert len(subset.getGlyphOrder()) == len(reference.getGlyphOrder())
    assert len(subset.getGlyphOrder()) < len(original.getGlyphOrder()) / 20
    assert features(subset) == features(reference) and "smcp" in features(subset)
    assert gpos_features(subset) == gpos_features(reference) and "mark" in gpos_features(subset)
    names = {record.nameID: record.toUnicode() for record in subset["name"].names}
    assert set(names) == {record.nameID for record in reference["name"].names}
    assert "SIL" in names[0] and "Open Font License" in names[13]  # copyright, licence
    assert names[1] == "Charis SIL"
    assert "Silt" in original and "Silt" not in subset  # Graphite: no reading system uses it
    assert "fpgm" in original and not {"fpgm", "prep", "cvt "} & set(subset.keys())  # hints
    assert subset_font(CHARIS, USED) == subset_font(CHARIS, USED)  # reproducible


def test_a_woff_font_is_subset_by_fonttools_and_stays_woff(tmp_path: Path) -> None:
    woff = tmp_path / "Charis.woff"
    font = TTFont(CHARIS)
    font.flavor = "woff"
    font.save(woff)
    data = subset_font(woff, USED)
    assert data[:4] == b"wOFF"
    subset = TTFont(io.BytesIO(data))
    assert {ord(c) for c in USED} <= set(subset.getBestCmap())
    assert ord("Ж") not in subset.getBestCmap()
    assert "smcp" in features(subset) and "mark" in gpos_features(subset)


def test_kerning_in_an_old_kern_table_is_kept() -> None:
    """HarfBuzz drops a `kern` table: such a font is cut by fontTools, which keeps the
    pairs between the glyphs kept."""
    original = TTFont(NANUM_SQUARE)
    assert "kern" in original and "GPOS" not in original
    subset = TTFont(io.BytesIO(subset_font(NANUM_SQUARE, USED | set("AVTo한글"))))
    assert {ord(c) for c in "AVTo한글"} <= set(subset.getBestCmap())
    pairs = subset["kern"].kernTables[0].kernTable
    assert 0 < len(pairs) < len(original["kern"].kernTables[0].kernTable)
