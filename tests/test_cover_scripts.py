"""The generated cover in other scripts: a Chinese or Japanese title wraps between its
characters, an Arabic or Hebrew one is centred in the frame, each is set in the style's
face for its script, and no line of the cover is clipped.

The cover is laid out by the function chapbook rasterises (`pdf/coverimage.layout`), and
its line boxes are checked against the frame and against every box that clips them."""
# ruff: noqa: RUF001  (other scripts and their punctuation are the subject here)

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader

from chapbook.build.options import BuildOptions
from chapbook.build.plan import plan
from chapbook.core.anthology import Anthology
from chapbook.epub.cover import render_cover_html, start_cover
from chapbook.pdf.coverimage import COVER_SIZE, layout
from chapbook.render.styles import Style, load_style

from .conftest import write_project
from .pdftools import words_with_boxes

SLACK = 0.5  # CSS px: rounding in WeasyPrint's positions


@dataclass(frozen=True)
class Book:
    language: str
    title: str
    subtitle: str
    editors: tuple[str, str]
    press: str
    face: str  # the font (PDF BaseFont, without its subset tag) the script is set in


# Long titles: several lines at their size, none a line of its own.
BOOKS = {
    "ja": Book("ja",
               "雨の日曜日に何度も見返したくなる、小さな画面と古い本のなぐさめについての批評集",
               "やさしい映画と本と遊びについての、ゆっくり読むための批評のあつまり",
               ("佐藤美咲", "高橋健"), "灯り通り出版", "Noto-Serif-CJK-JP"),
    "zh-Hant": Book("zh-Hant", "小螢幕的慰藉：關於溫柔電影、影集、書籍與遊戲的評論選集",
                    "在漫長的一週之後，適合慢慢閱讀的溫暖評論", ("陳美玲", "林志明"),
                    "燈街出版社", "Noto-Serif-CJK-TC"),
    "ar": Book("ar", "عزاء الشاشات الصغيرة: مراجعات لأفلام ومسلسلات وكتب وألعاب دافئة نعود إليها",
               "مراجعات هادئة تُقرأ ببطء بعد أسبوع طويل", ("ليلى حسن", "عمر خالد"),
               "دار شارع الفانوس", "Noto-Naskh-Arabic"),
    "he": Book("he", "נחמת המסכים הקטנים: ביקורות על סרטים, סדרות, ספרים ומשחקים חמים",
               "ביקורות שקטות לקריאה איטית אחרי שבוע ארוך", ("מירה כהן", "יונה לוי"),
               "הוצאת רחוב הפנס", "Noto-Serif-Hebrew"),
}

PIECE = """\
---
title: "'Good Film' review: it is good"
author: Ann Critic
date: 2024-01-02
language: en
work: {title: Good Film, kind: film, year: 2023}
rating: 4/5
---
A paragraph.
"""


@pytest.fixture(scope="module", params=sorted(BOOKS))
def book(request: pytest.FixtureRequest,
         tmp_path_factory: pytest.TempPathFactory) -> tuple[Book, Anthology, Style]:
    data = BOOKS[request.param]
    root = tmp_path_factory.mktemp(f"cover-{data.language}")
    config = f"""\
[press]
name = "{data.press}"
language = "{data.language}"

[[anthology]]
slug = "book"
title = "{data.title}"
subtitle = "{data.subtitle}"
editors = {json.dumps(list(data.editors), ensure_ascii=False)}
formats = ["epub"]
"""
    write_project(root, {"piece.md": PIECE}, config)
    anthology = plan(root, BuildOptions(formats=("epub",))).anthologies[0]
    style, _ = load_style("classic", root)
    assert style is not None
    return data, anthology, style


def test_the_cover_image_is_generated(book: tuple[Book, Anthology, Style]) -> None:
    _, anthology, style = book
    image, problems = start_cover(anthology, style).result()
    assert problems == [] and image is not None
    assert (image.name, image.media_type) == ("images/cover.png", "image/png")
    assert Image.open(io.BytesIO(image.data)).size == COVER_SIZE


def test_no_line_of_the_cover_is_clipped(book: tuple[Book, Anthology, Style]) -> None:
    data, anthology, style = book
    page = _laid_out(anthology, style).pages[0]._page_box  # WeasyPrint's laid-out boxes
    frame = _padding_box(next(_with_class(page, "inner-frame")))
    outside = [(_text(line), _rect(line)) for line, clips in _lines(page, [])
               if not all(_inside(_rect(line), clip) for clip in [frame, *clips])]
    assert outside == []
    title = next(_with_class(page, "title"))
    assert "".join(_text(title).split()) == "".join(data.title.split())  # all of it, once


def test_each_script_is_set_in_its_face(book: tuple[Book, Anthology, Style]) -> None:
    data, anthology, style = book
    pdf = PdfReader(io.BytesIO(_laid_out(anthology, style).write_pdf()))
    fonts = {str(font.get_object()["/BaseFont"]).split("+")[-1]
             for font in pdf.pages[0]["/Resources"]["/Font"].values()}
    assert data.face in fonts
    assert fonts <= {data.face, "Charis-SIL"}  # Charis for the Latin and punctuation it has


def test_the_cover_html_says_its_language_and_direction(
        book: tuple[Book, Anthology, Style]) -> None:
    data, anthology, style = book
    html = render_cover_html(anthology, style)
    direction = ' dir="rtl"' if data.language in ("ar", "he") else ""
    assert f'<html lang="{data.language}"{direction}>' in html


def test_latin_words_in_a_right_to_left_cover_keep_their_order(tmp_path: Path) -> None:
    """Words are not boxed one by one in a right-to-left cover: WeasyPrint would reverse
    the boxes of Latin words too."""
    root = write_project(tmp_path, {"piece.md": PIECE}, """\
[press]
name = "دار الفانوس"
language = "ar"

[[anthology]]
slug = "book"
title = "عزاء"
subtitle = "مراجعات Tidewater Hours الهادئة"
editors = ["Ann Lee", "ليلى حسن"]
""")
    anthology = plan(root, BuildOptions(formats=("epub",))).anthologies[0]
    style, _ = load_style("classic", root)
    assert style is not None
    pdf = tmp_path / "cover.pdf"
    pdf.write_bytes(_laid_out(anthology, style).write_pdf())
    words = {word: (x0, y0) for x0, y0, _, _, word in words_with_boxes(pdf, 0)}
    for first, second in (("Tidewater", "Hours"), ("Ann", "Lee")):
        assert words[first][1] == words[second][1]  # on one line,
        assert words[first][0] < words[second][0]  # in their order


# ---- the laid-out boxes -----------------------------------------------------------------


def _laid_out(anthology: Anthology, style: Style) -> Any:
    return layout(render_cover_html(anthology, style), style.find("css/cover.css"),
                  style.layers)


Rect = tuple[float, float, float, float]  # left, top, right, bottom (CSS px)


def _lines(box: Any, clips: list[Rect]) -> Iterator[tuple[Any, list[Rect]]]:
    """Every line box with the rectangles that clip it (its ancestors' with overflow
    hidden)."""
    if type(box).__name__ == "LineBox":
        yield box, clips
        return
    if box.style["overflow"] != "visible":
        clips = [*clips, _padding_box(box)]
    for child in getattr(box, "children", []):
        yield from _lines(child, clips)


def _with_class(box: Any, name: str) -> Iterator[Any]:
    element = getattr(box, "element", None)
    if element is not None and name in (element.get("class") or "").split():
        yield box  # the element's own box first, then its lines
    for child in getattr(box, "children", []):
        yield from _with_class(child, name)


def _text(box: Any) -> str:
    return getattr(box, "text", "") + "".join(_text(c) for c in getattr(box, "children", []))


def _rect(box: Any) -> Rect:
    return (box.position_x, box.position_y, box.position_x + box.width,
            box.position_y + box.height)


def _padding_box(box: Any) -> Rect:
    x, y = box.padding_box_x(), box.padding_box_y()
    return (x, y, x + box.padding_width(), y + box.padding_height())


def _inside(rect: Rect, bound: Rect) -> bool:
    return (rect[0] >= bound[0] - SLACK and rect[1] >= bound[1] - SLACK
            and rect[2] <= bound[2] + SLACK and rect[3] <= bound[3] + SLACK)


def test_a_title_the_cover_cuts_is_a_located_note(tmp_path: Path) -> None:
    """A title too long for the generated cover is shown cut, and the build says so: the
    cover shows 'A very long title...', the note names the book and what it cut."""
    long_title = " ".join(["A very long title"] * 12)
    config = ('[press]\nname = "Test Press"\n\n[[anthology]]\nslug = "book"\n'
              f'title = "{long_title}"\neditors = ["Ed Itor"]\nformats = ["epub"]\n')
    write_project(tmp_path, {"piece.md": PIECE}, config)
    anthology = plan(tmp_path, BuildOptions(formats=("epub",))).anthologies[0]
    style, _ = load_style("classic", tmp_path)
    assert style is not None
    image, notes = start_cover(anthology, style).result()
    assert image is not None
    assert [note.code for note in notes] == ["cover-text-shortened"]
    assert "its title as 'A very long title" in notes[0].message
    assert notes[0].message.rstrip("'").endswith("...")
