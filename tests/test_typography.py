"""Typography by language: quotes, spaces, CJK line breaks, direction and lang attributes."""
# ruff: noqa: RUF001  (typographic quotes, dashes and other scripts are the subject here)

from __future__ import annotations

from pathlib import Path

import pytest

from chapbook.build.options import BuildOptions
from chapbook.build.plan import plan
from chapbook.core.language import direction
from chapbook.read.body import render_body, smarten
from chapbook.render.epub_documents import render_epub
from chapbook.render.print_html import render_print
from chapbook.render.styles import load_style

from .conftest import GOOD_REVIEW, write_project

NBSP, NNBSP = "\u00a0", "\u202f"


def body(text: str, language: str) -> str:
    return render_body(text, language, "t").xhtml.strip().removeprefix("<p>").removesuffix("</p>")


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "He said “yes” and ‘no’ – then… nothing."),
    ("de", "He said „yes“ and ‚no‘ – then… nothing."),
    ("fr", f"He said «{NNBSP}yes{NNBSP}» and “no” – then… nothing."),
    ("ja", "He said 「yes」 and 『no』 – then… nothing."),
    ("ko", "He said “yes” and ‘no’ – then… nothing."),
    ("ar", "He said «yes» and ”no“ – then… nothing."),
    ("fa-IR", "He said «yes» and ”no“ – then… nothing."),
    ("el", "He said «yes» and “no” – then… nothing."),
])
def test_quotes_dashes_and_ellipses_by_language(language: str, expected: str) -> None:
    assert body("He said \"yes\" and 'no' -- then... nothing.", language) == expected


def test_french_spaces() -> None:
    text = body("Vraiment? Oui ! Il dit : « non ». Rendez-vous à 10:30; fin!", "fr")
    assert text == (f"Vraiment{NNBSP}? Oui{NNBSP}! Il dit{NBSP}: «{NNBSP}non{NNBSP}». "
                    f"Rendez-vous à 10:30{NNBSP}; fin{NNBSP}!")
    assert smarten('"La Maison" : un été', "fr") == f"«{NNBSP}La Maison{NNBSP}»{NBSP}: un été"


def test_english_keeps_its_spacing() -> None:
    assert body("Really? Yes: 10:30!", "en") == "Really? Yes: 10:30!"


def test_soft_breaks_between_cjk_characters_are_not_spaces() -> None:
    assert body("彼は\"はい\"と言った。\n次の文は\n続く。", "ja") == \
        "彼は「はい」と言った。次の文は続く。"
    assert body("他说了。\n我们走吧。", "zh") == "他说了。我们走吧。"
    # Korean is written with spaces: the break stays one; particles follow closing quotes
    assert body('그는 "괜찮아요?"라고\n물었다.', "ko") == "그는 “괜찮아요?”라고\n물었다."
    # between CJK and Latin text the break is a space as usual
    assert body("東京\nTokyo", "ja") == "東京\nTokyo"


def test_plain_text_paragraphs_join_cjk_lines_without_spaces(tmp_path: Path) -> None:
    from chapbook.read.pool import ReadSettings, read_manuscript

    source = tmp_path / "manuscripts" / "j.txt"
    source.parent.mkdir()
    source.write_text("---\nlanguage: ja\n---\n題名\n\n副題\n\n一行目の文は\n二行目に続く。\n",
                      encoding="utf-8")
    result = read_manuscript(source, ReadSettings(tmp_path))
    assert result.manuscript is not None
    assert "一行目の文は二行目に続く。" in result.manuscript.body_html


def test_direction_from_language_or_front_matter() -> None:
    assert [direction(tag) for tag in ("ar", "he-IL", "iw", "fa", "ur", "ks", "arc", "en",
                                       "ko")] == ["rtl"] * 7 + ["ltr", "ltr"]


def test_a_kashmiri_piece_runs_right_to_left_in_its_manuscript_and_its_epub(
        tmp_path: Path) -> None:
    """One table of directions: the manuscript and the EPUB document agree."""
    kashmiri = GOOD_REVIEW.replace("tags: [drama]", "tags: [drama]\nlanguage: ks")
    root = write_project(tmp_path / "p", {"ks.md": kashmiri})
    book = plan(root, BuildOptions()).anthologies[0]
    assert book.pieces[0].direction == "rtl"
    style, _ = load_style("classic", root)
    assert style is not None
    document = next(d for d in render_epub(book, style).documents if d.kind == "piece")
    assert 'dir="rtl"' in document.xhtml


ARABIC = GOOD_REVIEW.replace("tags: [drama]", "tags: [drama]\nlanguage: ar") + \
    "\nمرحبا بالعالم\n"
HEBREW_DIR = GOOD_REVIEW.replace("title: \"'Good Film'", "dir: rtl\ntitle: \"'Other Film'") \
    .replace("Good Film, kind", "Other Film, kind")


def test_lang_and_dir_reach_the_piece_element_in_both_editions(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {"ar.md": ARABIC, "explicit.md": HEBREW_DIR,
                                          "en.md": GOOD_REVIEW.replace("Good", "Third")})
    book = plan(root, BuildOptions()).anthologies[0]
    style, _ = load_style("classic", root)
    assert style is not None
    html = render_print(book, style, book.config.print.page_setup("print")).html
    assert 'id="piece-ar" lang="ar" dir="rtl"' in html
    assert 'id="piece-explicit" lang="en" dir="rtl"' in html
    assert 'id="piece-en" lang="en" dir="ltr"' in html
    assert '<span class="entry-title" lang="ar" dir="rtl">' in html  # the contents entry too
    documents = {d.file_name: d.xhtml for d in render_epub(book, style).documents}
    assert 'xml:lang="ar"' in documents["ar.xhtml"]
    assert 'dir="rtl"' in documents["ar.xhtml"] and 'dir="ltr"' in documents["en.xhtml"]
