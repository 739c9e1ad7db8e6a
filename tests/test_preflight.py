"""Glyph preflight: characters no font covers are found before rendering, with a location;
fallback fonts fill the gaps; languages without hyphenation degrade to a note. (What the
machine's own fonts draw, and blank glyphs, are in test_no_tofu.py.)"""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from chapbook.build.options import BuildOptions
from chapbook.build.plan import plan
from chapbook.pdf.fontconfig import fontconfig_language
from chapbook.pdf.unicode_scripts import install_package, script_of, suggestion
from chapbook.render.styles import load_style

from .conftest import GOOD_REVIEW, MINIMAL_CONFIG, REPO, run_chapbook, write_project

ARABIC_TEXT = "مرحبا بالعالم"
ARABIC = GOOD_REVIEW.replace("tags: [drama]", "tags: [drama]\nlanguage: ar") + \
    f"\nA second paragraph.\n\n{ARABIC_TEXT}\n"
TURKISH = GOOD_REVIEW.replace("tags: [drama]", "tags: [drama]\nlanguage: tr") \
    .replace("Good Film", "İyi Film")


def make_font(path: Path, family: str, chars: str) -> Path:
    """A tiny TrueType font with a box glyph for each of `chars` (no network, no package)."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    names = {ord(c): f"uni{ord(c):04X}" for c in chars}
    order = [".notdef", *names.values()]
    pen = TTGlyphPen(None)
    for point in ((100, 0), (100, 600), (500, 600), (500, 0)):
        (pen.lineTo if point != (100, 0) else pen.moveTo)(point)
    pen.closePath()
    box = pen.glyph()
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap(names)
    builder.setupGlyf({name: box for name in order})
    builder.setupHorizontalMetrics({name: (600, 100) for name in order})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": family, "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=800, usWinAscent=800, usWinDescent=200)
    builder.setupPost()
    path.parent.mkdir(parents=True, exist_ok=True)
    builder.save(str(path))
    return path


def test_scripts_and_suggestions() -> None:
    assert script_of("ب") == "Arabic" and suggestion("Arabic").family == "Noto Naskh Arabic"
    assert script_of("한") == "Korean" and script_of("か") == "Japanese"
    assert script_of("漢") == "Chinese/Japanese (CJK)"
    assert suggestion("Devanagari").family == "Noto Sans Devanagari"
    assert suggestion("Hebrew").package == "fonts-noto-core"
    assert script_of("\U0001f600") == "Emoji"
    assert script_of("\ue000") == "Private use" and script_of(UNASSIGNED) == "Unassigned"
    assert script_of("ᐃ") == "Canadian Aboriginal"
    assert suggestion("Canadian Aboriginal").family == "Noto Sans Canadian Aboriginal"
    assert install_package("Korean") == "fonts-noto-cjk"
    assert install_package("Tamil") == "fonts-noto-core"


def test_languages_as_fontconfig_names_them() -> None:
    assert [fontconfig_language(tag) for tag in ("ja", "zh-Hant", "zh-Hant-HK", "zh-Hans",
                                                  "pt-BR", "sr-Latn-RS", "mn-Mong")] == \
        ["ja", "zh-tw", "zh-tw", "zh-cn", "pt-br", "sr-rs", "mn"]


UNASSIGNED = "\u0378"  # no character yet: no font of any machine has it


def test_missing_glyphs_are_located_warnings_with_a_suggestion(tmp_path: Path) -> None:
    config = MINIMAL_CONFIG.replace('editors = ["Ed Itor"]',
                                    f'editors = ["Ed Itor"]\ndedication = "{UNASSIGNED}"')
    text = f"A sign: {UNASSIGNED}, and a private one: \ue000."
    root = write_project(tmp_path / "p", {"box.md": GOOD_REVIEW + f"\n{text}\n"}, config)
    result = run_chapbook("check", cwd=root)
    assert result.code == 0, result.stderr  # a warning, not an error
    line = (GOOD_REVIEW + f"\n{text}\n").splitlines().index(text) + 1
    assert (f"manuscripts/box.md:{line}: warning: no font covers '{UNASSIGNED}' (U+0378) "
            "(Unassigned): neither style 'classic' nor its fallback fonts, nor any font of "
            "this machine; it would print as a box [missing-glyph]") in result.stderr
    assert "covers '\ue000' (U+E000) (Private use)" in result.stderr
    assert "only a font made for such characters draws them" in result.stderr
    assert "chapbook.toml:8: warning: no font covers" in result.stderr
    assert run_chapbook("check", "--strict", cwd=root).code == 1


def test_the_hint_names_the_debian_package_to_install() -> None:
    from chapbook.pdf.preflight import _install_hint

    style, _ = load_style("classic", REPO)
    assert style is not None
    missing = replace(style, script_fonts=("Noto Serif Devanagari Not Installed",))
    assert _install_hint("Devanagari", missing).startswith(
        "install Debian's fonts-noto-core (apt-get install fonts-noto-core), which has Noto "
        "Serif Devanagari Not Installed, or add a font for Devanagari to "
        "press.fallback_fonts")
    korean = replace(style, script_fonts=("Noto Korean Not Installed",))
    assert "(apt-get install fonts-noto-cjk), which has Noto Korean Not Installed" in \
        _install_hint("Korean", korean)


@pytest.fixture(scope="module")
def fallback_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    config = MINIMAL_CONFIG.replace(
        '[press]\nname = "Test Press"',
        '[press]\nname = "Test Press"\nfallback_fonts = ["styles/fonts/TestArabic.ttf"]')
    root = write_project(tmp_path_factory.mktemp("fallback") / "p",
                         {"ar.md": ARABIC, "tr.md": TURKISH}, config)
    make_font(root / "styles" / "fonts" / "TestArabic.ttf", "Test Arabic", ARABIC_TEXT)
    return root


def test_fallback_fonts_cover_and_are_used_in_the_pdf(fallback_project: Path) -> None:
    root = fallback_project
    result = run_chapbook("build", "--format", "pdf", "--verbose", cwd=root)
    assert result.code == 0, result.stderr
    assert "missing-glyph" not in result.stderr
    # Turkish has no hyphenation dictionary: a note, and the book is set all the same
    assert "manuscripts/tr.md:8: info: no hyphenation dictionary for 'tr'" in result.stderr
    fonts = subprocess.run(["pdffonts", str(root / "build" / "everything.pdf")],
                           capture_output=True, text=True, check=True).stdout
    assert "chapbook-fallback-1" in fonts


def test_a_missing_fallback_font_is_a_config_error(tmp_path: Path) -> None:
    config = MINIMAL_CONFIG.replace('[press]\nname = "Test Press"',
                                    '[press]\nname = "Test Press"\nfallback_fonts = ["no.ttf"]')
    root = write_project(tmp_path / "p", {"good.md": GOOD_REVIEW}, config)
    result = run_chapbook("check", cwd=root)
    assert result.code == 1
    assert "chapbook.toml:3: error: 'press.fallback_fonts': no font file 'no.ttf'" \
        in result.stderr


@pytest.mark.parametrize("style", ["classic", "magazine", "pocket"])
def test_the_sample_needs_no_missing_glyph_in_any_style(style: str) -> None:
    the_plan = plan(REPO, BuildOptions(style=style))
    assert [str(d) for d in the_plan.diagnostics
            if d.code in ("missing-glyph", "blank-glyph")] == []
    languages = {p.language for book in the_plan.anthologies for p in book.pieces}
    assert {"en", "fr", "ko"} <= languages


def test_a_glyph_missing_only_from_a_footnote_is_found(tmp_path: Path) -> None:
    noted = GOOD_REVIEW + f"\nA claim.[^1]\n\n[^1]: Said in {UNASSIGNED}.\n"
    root = write_project(tmp_path / "p", {"noted.md": noted})
    result = run_chapbook("check", cwd=root)
    assert result.code == 0 and "covers '\u0378' (U+0378)" in result.stderr, result.stderr


def test_the_quick_glyph_check_sees_every_printed_character() -> None:
    from chapbook.pdf.preflight import _printed_text, _unprinted_text

    the_plan = plan(REPO, BuildOptions())
    for piece in the_plan.manuscripts:
        quick = _unprinted_text(piece)
        assert quick is None or set(_printed_text(piece)) <= set(quick) | {" ", "\n"}, piece.slug
