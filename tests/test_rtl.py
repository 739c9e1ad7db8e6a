# ruff: noqa: RUF001  (Arabic, Hebrew and Persian text is the subject here)
"""Right-to-left books (Arabic, Hebrew, Persian): bound on the right, read from the right.

The EPUB's spine progresses right to left. In print the first page is a left-hand page,
every piece opens on a left-hand page (the recto of such a book), the book's title runs on
the right-hand pages (the versos) and the piece's on the left-hand ones, the contents have
their page numbers on the left, and the PDF asks viewers to show spreads right to left.
Which side a page is on is read from the PDF itself: the inner margin, by the spine, is the
wider one, so a left-hand page's text block sits to the left of the page's middle.
"""

from __future__ import annotations

import functools
import html
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from .conftest import run_chapbook, write_project
from .epubtools import NS, Epub, epubcheck_messages
from .pdftools import page_labels, page_texts

SENTENCES = {
    "ar": ("هذا العمل هادئ وبطيء، لكنه لا يملّ أبدًا.",
           "تدور القصة حول مغسلة صغيرة في آخر الشارع، ورثتها البطلة عن جدتها.",
           "تنظر الكاميرا طويلًا إلى الملابس المعلقة وإلى البخار الذي يتصاعد من المكواة.",
           "يتحدث الممثلون قليلًا، ويقولون الكثير بالنظرات والصمت.",
           "في الحلقة الأخيرة تقرأ البطلة أسماء الزبائن واحدًا واحدًا، وهذا المشهد وحده "
           "يستحق المشاهدة.",
           "بعض الحلقات في المنتصف أطول مما ينبغي، والصراع حول هدم الحي ينتهي بسرعة.",
           "لكنه عمل دافئ، يصلح لنهاية أسبوع متعب."),
    "he": ("הסרט הזה שקט ואיטי, אבל אף פעם לא משעמם.",
           "העלילה עוסקת במכבסה קטנה בסוף הרחוב, שהגיבורה ירשה מסבתה.",
           "המצלמה מתעכבת על הבגדים התלויים ועל האדים שעולים מהמגהץ.",
           "השחקנים מדברים מעט, ואומרים הרבה במבטים ובשתיקות."),
    "en": ("This film is quiet and slow, but it is never dull.",
           "The story follows a small laundry at the end of the street, left to the heroine "
           "by her grandmother.",
           "The camera lingers on the hanging clothes and on the steam rising from the iron.",
           "The actors say little, and say a great deal with looks and silences."),
    "fa": ("این فیلم آرام و کند است، اما هرگز خسته‌کننده نیست.",
           "داستان درباره‌ی یک خشک‌شویی کوچک در انتهای کوچه است که قهرمان از مادربزرگش به ارث برده.",
           "دوربین مدت‌ها به لباس‌های آویزان و بخاری که از اتو بلند می‌شود نگاه می‌کند.",
           "بازیگران کم حرف می‌زنند و با نگاه و سکوت بسیار می‌گویند."),
}
BOOK_TITLE = {"ar": "مختارات الاختبار", "he": "אסופת בדיקה", "fa": "گزیده‌ی آزمایشی",
              "en": "A Test Anthology"}
PARTS = ("أفلام", "مسلسلات")
# (slug, title, work, kind, author, paragraphs): lengths vary, so pieces end on either side
ARABIC_PIECES = (
    ("maghsala", "مغسلة آخر الشارع", "المغسلة", "series", "سلمى حداد", 22),
    ("sa3at", "ساعات المد", "ساعات المد", "film", "يوسف العلي", 4),
    ("hafila", "حافلة الليل", "الحافلة", "film", "سلمى حداد", 26),
    ("bayt", "بيت على البحر", "البيت", "series", "يوسف العلي", 14),
    ("rasa2il", "رسائل الشتاء", "الرسائل", "film", "سلمى حداد", 20),
    ("maqha", "المقهى الأخير", "المقهى", "series", "يوسف العلي", 3),
)


def _paragraphs(language: str, count: int, seed: int) -> list[str]:
    sentences = SENTENCES[language]
    return [" ".join(sentences[(seed + n + k) % len(sentences)] for k in range(5))
            for n in range(count)]


def _manuscript(language: str, title: str, work: str, kind: str, author: str,
                paragraphs: list[str], day: int) -> str:
    body = "\n\n".join(paragraphs)
    return (f"---\ntitle: {title}\nauthor: {author}\ndate: 2024-02-{day:02d}\n"
            f"work: {{title: {work}, kind: {kind}, year: 2024}}\nrating: 4/5\n"
            f"language: {language}\nsource: {{publication: مجلة الفانوس, "
            f"first_published: 2024-02-{day:02d}}}\n---\n{body}\n")


def _config(language: str, parts: bool, extra: str = "") -> str:
    config = (f'[press]\nname = "Test Press"\nlanguage = "{language}"\n'
              f'about = "{SENTENCES[language][0]}"\n\n'
              f'[contributors."سلمى حداد"]\nbio = "{SENTENCES["ar"][1]}"\n\n'
              f'[contributors."يوسف العلي"]\nbio = "{SENTENCES["ar"][3]}"\n\n'
              f'[[anthology]]\nslug = "book"\ntitle = "{BOOK_TITLE[language]}"\n'
              f'editors = ["سلمى حداد"]\norder = "title"\n'
              f'print = {{ trim = "a5", profiles = ["print", "screen"] }}\n{extra}')
    if parts:
        for title, kinds in zip(PARTS, ('["film"]', '["series"]'), strict=True):
            config += (f'\n[[anthology.part]]\ntitle = "{title}"\n'
                       f'select = {{ kind = {kinds} }}\n')
    return config


def _project(root: Path, language: str = "ar", parts: bool = True) -> Path:
    pieces = {f"{slug}.md": _manuscript(language, title, work, kind, author,
                                        _paragraphs(language, count, number), number + 1)
              for number, (slug, title, work, kind, author, count) in enumerate(ARABIC_PIECES)}
    return write_project(root, pieces, _config(language, parts))


@pytest.fixture(scope="module")
def arabic(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The Arabic book: EPUB, print PDF in one pass and in chunks, screen PDF."""
    root = _project(tmp_path_factory.mktemp("rtl") / "ar")
    for *options, out in (("--single-pass", "single"),
                          ("--chunked", "--format", "pdf", "--profile", "print", "chunked")):
        result = run_chapbook("build", *options, "--jobs", "2", "--out", out, cwd=root)
        assert result.code == 0, result.stderr
    return {"epub": root / "single" / "book.epub", "single": root / "single" / "book.pdf",
            "chunked": root / "chunked" / "book.pdf",
            "screen": root / "single" / "book-screen.pdf"}


# ---- reading pages back ----------------------------------------------------------------

Word = tuple[float, float, float, float, str]  # x0, y0, x1, y1 (PDF points), text


@functools.cache
def _pages(pdf: Path) -> tuple[tuple[tuple[float, float, float, float], list[Word]], ...]:
    """Every page's trim box and words, as poppler finds them (one pdftotext run)."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    reader = PdfReader(pdf)
    pages = []
    for page, markup in zip(reader.pages, out.split("<page ")[1:], strict=True):
        crop = [float(v) for v in page.cropbox]
        trim = tuple(float(v) for v in page.trimbox)
        words = [(float(x0) + crop[0], crop[3] - float(y1), float(x1) + crop[0],
                  crop[3] - float(y0), html.unescape(text)) for x0, y0, x1, y1, text in
                 re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                            r'yMax="([\d.]+)">(.*?)</word>', markup)]
        pages.append((trim, words))
    return tuple(pages)  # type: ignore[arg-type]


def words_with_boxes(pdf: Path, index: int) -> list[Word]:
    return _pages(pdf)[index][1]


def trim_box(pdf: Path, index: int) -> tuple[float, float, float, float]:
    return _pages(pdf)[index][0]


def side(pdf: Path, index: int) -> str | None:
    """'left' or 'right' from where the page's text block sits between its margins (the
    wider, inner one is by the spine); None for a blank page. The folio, centred under the
    text block, tells; on a page without one, the middle of its text (centred on part
    pages and the half-title)."""
    left, bottom, right, _ = trim_box(pdf, index)
    words = words_with_boxes(pdf, index)
    if not words:
        return None
    folio = [w for w in words if w[3] < bottom + 60 and re.fullmatch(r"\d+|[ivxlc]+", w[4])]
    measured = folio or words
    middle = (min(w[0] for w in measured) + max(w[2] for w in measured)) / 2
    offset = middle - (left + right) / 2
    assert abs(offset) > 2, f"page index {index}: text centred on the page"
    return "left" if offset < 0 else "right"


def folio_sides(pdf: Path) -> dict[int, tuple[str, str]]:
    """Page index -> (its side, as `side` finds it from its folio; the side its folio
    says it is on: odd folios on rectos, the left-hand pages of a book bound on the
    right), for every page with a folio."""
    labels = page_labels(pdf)
    found = {}
    for index, label in enumerate(labels):
        words = words_with_boxes(pdf, index)
        bottom = trim_box(pdf, index)[1]
        if any(w[3] < bottom + 60 and w[4] == label for w in words):
            number = int(label) if label.isdigit() else ROMAN.index(label) + 1
            found[index] = (side(pdf, index) or "", "left" if number % 2 else "right")
    return found


ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii")


def top_line(pdf: Path, index: int) -> tuple[str, float]:
    """The letters of the page's first line, sorted (poppler gives Arabic words in visual
    order), and where that line's middle is (x, points)."""
    words = words_with_boxes(pdf, index)
    top = max(w[3] for w in words)
    line = [w for w in words if abs(w[3] - top) < 3]
    middle = (min(w[0] for w in line) + max(w[2] for w in line)) / 2
    return letters("".join(w[4] for w in line)), middle


def letters(text: str) -> str:
    """The letters of a text, sorted, without its alefs: WeasyPrint's text layer gives one
    Unicode text per glyph, and an alef with hamza shaped earlier in another cluster can
    extract as nothing (it prints; only copying loses it)."""
    return "".join(sorted(text.translate(str.maketrans("", "", " \u0627\u0623\u0625\u0622"))))


def openings(pdf: Path) -> dict[int, str]:
    """Page index -> what opens on a recto there (pieces, parts, the back matter)."""
    reader = PdfReader(pdf)
    found: dict[int, str] = {}
    for name, dest in reader.named_destinations.items():
        if re.match(r"^(piece-(?!.*-title$)|part-\d+$|contributors$)", name):
            found.setdefault(reader.get_destination_page_number(dest), name)
    return found


# ---- the EPUB ------------------------------------------------------------------------------

def test_epub_spine_progresses_right_to_left_and_passes_epubcheck(
        arabic: dict[str, Path]) -> None:
    epub = Epub(arabic["epub"])
    spine = epub.opf.xpath("//opf:spine", namespaces=NS)[0]
    assert spine.get("page-progression-direction") == "rtl"
    assert epub.opf.get("dir") == "rtl"
    assert epubcheck_messages(arabic["epub"]) == []


# ---- print ---------------------------------------------------------------------------------

@pytest.mark.parametrize("pdf", ["single", "chunked", "screen"])
def test_pdf_asks_viewers_for_right_to_left_spreads(arabic: dict[str, Path], pdf: str) -> None:
    preferences = PdfReader(arabic[pdf]).trailer["/Root"]["/ViewerPreferences"]
    assert preferences["/Direction"] == "/R2L"


@pytest.mark.parametrize("pdf", ["single", "chunked"])
def test_first_page_and_every_opening_are_left_hand_pages(arabic: dict[str, Path],
                                                          pdf: str) -> None:
    book = arabic[pdf]
    assert side(book, 0) == "left"  # the half-title: a recto, bound on the right
    opened = openings(book)
    assert len(opened) == len(ARABIC_PIECES) + len(PARTS) + 1  # and the back matter
    for index, name in opened.items():
        assert side(book, index) == "left", (index, name)
    sides = folio_sides(book)
    assert len(sides) > 15 and all(found == said for found, said in sides.values()), sides
    assert any(not text.strip() for text in page_texts(book))  # blank versos were needed


def test_running_heads_the_book_on_the_right_the_piece_on_the_left(
        arabic: dict[str, Path]) -> None:
    book = arabic["single"]
    opened = openings(book)
    heads = {f"piece-{slug}": f"{work} — {author}"
             for slug, _, work, _, author, _ in ARABIC_PIECES}
    current, checked = None, {"left": 0, "right": 0}
    for index in range(min(opened), len(page_labels(book))):
        if index in opened:
            current = opened[index]
            continue
        where = side(book, index)
        if where is None or current not in heads:
            continue
        words, middle = top_line(book, index)
        page_middle = sum(trim_box(book, index)[::2]) / 2
        if where == "left":  # the recto: the piece, at the outer (left) corner
            assert words == letters(heads[current]) and middle < page_middle, index
        else:  # the verso: the book's part, at the outer (right) corner
            assert words in {letters(p) for p in PARTS} and middle > page_middle, index
        checked[where] += 1
    assert min(checked.values()) >= 3, checked


def test_contents_numbers_sit_left_of_the_titles(arabic: dict[str, Path]) -> None:
    book = arabic["single"]
    contents = next(i for i, page in enumerate(PdfReader(book).pages) if "/Annots" in page)
    words = words_with_boxes(book, contents)
    numbers = [w for w in words if re.fullmatch(r"\d+", w[4])]
    assert len(numbers) >= len(ARABIC_PIECES) + len(PARTS)
    for number in numbers:
        middle = (number[1] + number[3]) / 2
        line = [w for w in words if w is not number and abs((w[1] + w[3]) / 2 - middle) < 3]
        assert line and number[2] < min(w[0] for w in line), (number, line)


def test_chunked_book_has_the_pages_of_the_single_pass(arabic: dict[str, Path]) -> None:
    single, chunked = arabic["single"], arabic["chunked"]
    expected, found = page_texts(single), page_texts(chunked)
    assert len(found) == len(expected)
    for index, (want, got) in enumerate(zip(expected, found, strict=True)):
        assert re.sub(r"\s+", " ", got).strip() == re.sub(r"\s+", " ", want).strip(), index
        assert side(chunked, index) == side(single, index), index
    assert page_labels(chunked) == page_labels(single)


def test_screen_profile_has_no_blank_pages_and_alternates_from_the_left(
        arabic: dict[str, Path]) -> None:
    screen = arabic["screen"]
    assert all(text.strip() for text in page_texts(screen))
    assert side(screen, 0) == "left"
    sides = folio_sides(screen)
    assert len(sides) > 15 and all(found == said for found, said in sides.values()), sides


def test_a_left_to_right_book_is_bound_on_the_left(tmp_path: Path) -> None:
    root = _project(tmp_path / "en", "en", parts=False)
    result = run_chapbook("build", "--format", "pdf", "--profile", "print", cwd=root)
    assert result.code == 0, result.stderr
    book = root / "build" / "book.pdf"
    assert side(book, 0) == "right"
    assert all(side(book, i) == "right" for i in openings(book))
    assert "/ViewerPreferences" not in PdfReader(book).trailer["/Root"]


@pytest.mark.parametrize("language", ["he", "fa"])
def test_hebrew_and_persian_books_are_right_to_left_too(tmp_path: Path, language: str) -> None:
    root = _project(tmp_path / language, language, parts=False)
    result = run_chapbook("build", "--profile", "print", cwd=root)
    assert result.code == 0, result.stderr
    book = root / "build" / "book.pdf"
    assert PdfReader(book).trailer["/Root"]["/ViewerPreferences"]["/Direction"] == "/R2L"
    assert side(book, 0) == "left"
    assert all(side(book, i) == "left" for i in openings(book))
    spine = Epub(root / "build" / "book.epub").opf.xpath("//opf:spine", namespaces=NS)[0]
    assert spine.get("page-progression-direction") == "rtl"
    assert subprocess.run(["qpdf", "--check", str(book)], capture_output=True).returncode == 0


MM = 72 / 25.4


def test_justified_arabic_stays_inside_the_text_block(arabic: dict[str, Path]) -> None:
    """Every word of the Arabic book sits between its page's margins (classic: 15 mm
    outer, 19 mm by the spine). Spaces taken from a Latin face made WeasyPrint justify
    Arabic lines some 9 pt into the inner margin."""
    pdf = arabic["single"]
    outside = []
    for index in range(len(_pages(pdf))):
        page_side = side(pdf, index)
        if page_side is None:
            continue
        left, _, right, _ = trim_box(pdf, index)
        inner, outer = 19 * MM, 15 * MM
        low, high = ((left + outer, right - inner) if page_side == "left"
                     else (left + inner, right - outer))
        outside += [(index, word[4], round(max(low - word[0], word[2] - high), 1))
                    for word in words_with_boxes(pdf, index)
                    if word[0] < low - 1 or word[2] > high + 1]
    assert not outside, outside[:10]


def test_paragraphs_are_indented_at_their_right(arabic: dict[str, Path]) -> None:
    """A new paragraph of a right-to-left piece starts about 1.2 em (12 pt) in from the
    right of the text block, its first line full at the left. WeasyPrint alone put the
    indent at the left end: a first line flush right with a gap at its left."""
    pdf = arabic["single"]
    indented_right = gap_at_left = 0
    for index in range(len(_pages(pdf))):
        lines: dict[int, list[Word]] = {}
        for word in words_with_boxes(pdf, index):
            lines.setdefault(round(word[3]), []).append(word)
        if len(lines) < 20:
            continue  # not a page of running text
        lefts = [min(w[0] for w in line) for line in lines.values()]
        rights = [max(w[2] for w in line) for line in lines.values()]
        low, high = min(lefts), max(rights)
        indented_right += sum(1 for left, right in zip(lefts, rights, strict=True)
                              if 9 < high - right < 16 and left - low < 2)
        gap_at_left += sum(1 for left, right in zip(lefts, rights, strict=True)
                           if 9 < left - low < 16 and high - right < 2)
    assert indented_right >= 20 and gap_at_left <= 3, (indented_right, gap_at_left)
