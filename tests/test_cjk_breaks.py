# ruff: noqa: RUF001  (Hangul, kana and full-width punctuation are the subject here)
"""Line breaking in print for Korean, Japanese and Chinese, read back from the PDFs.

Korean is written with spaces between words, and a line breaks only at them (what CSS
calls `word-break: keep-all`, which WeasyPrint ignores). Japanese and Chinese break
between characters, but never before a closing bracket, a comma or full stop, a small
kana or a prolonged sound mark, nor after an opening bracket (kinsoku).
"""

from __future__ import annotations

import random
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from chapbook.render.linebreaks import WORD_JOINER, keep_korean_words

from .conftest import run_chapbook, write_project
from .pdftools import words_with_boxes

# Words as Korean prose has them: particles, numbers, quotes and brackets attached.
KOREAN_PROSE = (
    "서울 변두리, 재개발 현수막이 펄럭이는 골목의 맨 끝에 작은 세탁소가 있다. 간판의 글자는 "
    "반쯤 떨어져 나갔고, 문을 열면 종이 두 번 울린다. 윤지우 감독의 신작 《골목 끝 세탁소》는 "
    "이 가게 안에서 거의 한 발짝도 나가지 않는다. 서른둘의 민서(최민서)는 회사를 그만두고, "
    "돌아가신 할머니가 남긴 세탁소를 정리하러 내려온다. 단골손님들은 매일같이 옷을 맡기러 "
    "온다. 2024년 10월에 공개된 열두 편은 “괜찮아요?”라는 질문과 “아직은요”라는 대답으로 "
    "요약된다. 카메라는 회전하는 드럼 속 옷가지와 김이 오르는 다리미판, 번호표를 단 채 걸려 "
    "있는 외투들을 오래 바라본다. 재개발을 둘러싼 갈등은 후반부에 급하게 봉합되고, 악역으로 "
    "등장하는 부동산 업자는 지나치게 평면적이다."
)
KOREAN_WORDS = tuple(KOREAN_PROSE.split())
# Emphasis that ends inside a word: the word goes on after the tag.
EMPHASISED = ("*매일*같이", "*세탁소*에서", "*할머니*의")

# Kinsoku: what may not start a line, and what may not end one.
NO_LINE_START = set("、。，．・：；？！）」』】〉》〕］｝〟’”ー々"
                    "ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ")
NO_LINE_END = set("（「『【〈《〔［｛〝‘“")
JAPANESE = (
    "「東京の夜は、長い。」と彼は言った。『静かな部屋』（二〇二四年）は、ゆっくりとした映画だ。"
    "ちょっとした会話、コーヒー・カップ、雨の音――そのすべてが【記憶】になる。〈彼女〉は"
    "ショッピングセンターでアルバイトをしている。ゃっぱり、と思った。ファッションショーの"
    "シーンは、ちょっと長すぎる。"
)
CHINESE = (
    "「这部电影，讲的是一家小洗衣店。」他说。《巷尾洗衣店》（二〇二四年）很安静；"
    "镜头常常停在熨斗、衣架、雨伞上。她问：“你还好吗？”他答：“还行。”【注】这是"
    "一部慢电影，但并不无聊！故事很简单：回家、开店、告别。"
)


def _korean_paragraph(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(KOREAN_WORDS) for _ in range(words)]
    for _ in range(3):
        chosen[rng.randrange(words)] = rng.choice(EMPHASISED)
    return " ".join(chosen)


def _cjk_text(rng: random.Random, source: str, length: int) -> str:
    """About `length` characters cut from `source` at random places and glued together,
    starting and ending where a paragraph may."""
    text = ""
    while len(text) < length:
        start = rng.randrange(len(source) - 10)
        text += source[start:start + rng.randint(4, 30)]
    return text.lstrip("".join(NO_LINE_START)).rstrip("".join(NO_LINE_END))


def _manuscript(title: str, language: str, paragraphs: list[str], number: int) -> str:
    body = "\n\n".join(paragraphs)
    return (f"---\ntitle: \"{title}\"\nauthor: Ann Critic\ndate: 2024-01-{number:02d}\n"
            f"language: {language}\n---\n{body}\n")


def _config(language: str, style: str, trim: str) -> str:
    return (f'[press]\nname = "Test Press"\nlanguage = "{language}"\n\n'
            f'[[anthology]]\nslug = "book"\ntitle = "Test"\neditors = ["Ed Itor"]\n'
            f'style = "{style}"\n'
            f'back = {{ contributors = false, works_index = false, acknowledgements = false, '
            f'about_press = false }}\n'
            f'print = {{ trim = "{trim}", profiles = ["print"] }}\n')


def _build(root: Path) -> Path:
    result = run_chapbook("build", "--format", "pdf", cwd=root)
    assert result.code == 0, result.stderr
    return root / "build" / "book.pdf"


def _lines(pdf: Path) -> list[str]:
    """The PDF's text lines, as poppler lays them out (the wide spaces of a justified
    line made one)."""
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    lines = (re.sub(r"\s+", " ", line).strip() for line in out.replace("\f", "\n").splitlines())
    return [line for line in lines if line]


def _breaks_inside_words(paragraph: str, lines: list[str]) -> list[str]:
    """Each line of `paragraph` that ends inside a word of the source: where a line ends,
    the source must have a space. Lines that are not the paragraph's (running heads,
    folios) are passed over. Lines are compared without their spaces (poppler may miss
    one in a short line)."""
    letters = paragraph.replace(" ", "")
    space_after = [paragraph[i + 1:i + 2] == " " for i, c in enumerate(paragraph) if c != " "]
    start = next(i for i, line in enumerate(lines)
                 if len(line) > 8 and paragraph.startswith(line))
    position, broken = 0, []
    for line in lines[start:]:
        line = line.replace(" ", "")
        if position >= len(letters):
            break
        if line.isdigit() or not letters.startswith(line, position):
            continue  # a folio or running head between two pages of the paragraph
        position += len(line)
        if position < len(letters) and not space_after[position - 1]:
            broken.append(f"…{line[-6:]} / {letters[position:position + 6]}…")
    assert position >= len(letters), "the paragraph was not found whole"
    return broken


@pytest.fixture(scope="module")
def korean_books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, list[str]]]:
    """A Korean book of long paragraphs in each style; the paragraphs as printed."""
    rng = random.Random(17)
    pieces = {f"piece-{n}.md": [_korean_paragraph(rng, 140) for _ in range(4)]
              for n in range(1, 4)}
    long_word = "세탁소" * 25  # longer than any line: it must break, not overflow
    pieces["piece-1.md"].append(f"아주 긴 낱말 {long_word} 뒤에 오는 말.")
    built = {}
    for style in ("classic", "magazine", "pocket"):
        root = write_project(tmp_path_factory.mktemp(style), {
            name: _manuscript(f"긴 문단 {name[6]}", "ko", paragraphs, int(name[6]))
            for name, paragraphs in pieces.items()},
            _config("ko", style, "a6" if style == "pocket" else "a5"))
        printed = [p.replace("*", "") for ps in pieces.values() for p in ps]
        built[style] = _build(root), printed
    return built


@pytest.mark.parametrize("style", ["classic", "magazine", "pocket"])
def test_korean_lines_break_only_between_words(
        korean_books: dict[str, tuple[Path, list[str]]], style: str) -> None:
    pdf, paragraphs = korean_books[style]
    lines = _lines(pdf)
    broken = [b for p in paragraphs if "세탁소세탁소" not in p
              for b in _breaks_inside_words(p, lines)]
    assert broken == [], f"{len(broken)} lines end inside a word: {broken[:5]}"


@pytest.mark.parametrize("style", ["classic", "magazine", "pocket"])
def test_a_korean_word_longer_than_the_line_breaks_and_stays_on_the_page(
        korean_books: dict[str, tuple[Path, list[str]]], style: str) -> None:
    pdf, _ = korean_books[style]
    reader = PdfReader(pdf)
    pages = [i for i, page in enumerate(reader.pages)
             if "세탁소세탁소" in (page.extract_text() or "")]
    assert pages
    for index in pages:
        left, _, right, _ = (float(v) for v in reader.pages[index].trimbox)
        for x0, _, x1, _, word in words_with_boxes(pdf, index):
            assert left + 20 < x0 and x1 < right - 20, (word, x0, x1, left, right)


def test_korean_text_extracts_clean_and_stays_justified(
        korean_books: dict[str, tuple[Path, list[str]]]) -> None:
    pdf, _ = korean_books["classic"]
    text = "\n".join(page.extract_text() or "" for page in PdfReader(pdf).pages)
    poppler = "\n".join(_lines(pdf))
    assert "\u2060" not in text and "\u2060" not in poppler
    for word in ("《골목", "세탁소》는", "“괜찮아요?”라는", "민서(최민서)는", "매일같이"):
        assert word in text and word in poppler
    # a page of body text: its lines (but the last of each paragraph) end at one edge
    ends: dict[float, float] = {}
    for _, y0, x1, _, _ in words_with_boxes(pdf, _first_full_page(pdf)):
        ends[round(y0)] = max(ends.get(round(y0), 0.0), x1)
    right = max(ends.values())
    flush = [x for x in ends.values() if abs(x - right) < 1.0]
    assert len(flush) >= 0.75 * len(ends), sorted(ends.values())


def _first_full_page(pdf: Path) -> int:
    """A page of the body that holds nothing but text of one paragraph or more."""
    texts = [page.extract_text() or "" for page in PdfReader(pdf).pages]
    return next(i for i, t in enumerate(texts) if len(t) > 600 and "긴 문단" not in t)


@pytest.mark.parametrize(("language", "source"), [("ja", JAPANESE), ("zh", CHINESE)])
def test_kinsoku_no_line_starts_with_closing_punctuation(
        tmp_path: Path, language: str, source: str) -> None:
    rng = random.Random(language)
    # emphasis ends before punctuation now and then: a break between two inline boxes
    paragraphs = [_cjk_text(rng, source, 400).replace("映画", "*映画*").replace(
        "电影", "*电影*") for _ in range(12)]
    root = write_project(tmp_path / language, {
        "piece.md": _manuscript("Kinsoku", language, paragraphs, 1)},
        _config(language, "pocket", "a6"))
    lines = _lines(_build(root))
    body = [line for line in lines if re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", line)]
    assert len(body) > 150
    starts = [line for line in body if line[0] in NO_LINE_START]
    ends = [line for line in body if line[-1] in NO_LINE_END]
    assert starts == [] and ends == [], (starts[:5], ends[:5])


# ---- the joiners in the print HTML -----------------------------------------------------------

def _joined(html: str) -> str:
    """keep_korean_words' output with the joiners shown as |."""
    return keep_korean_words(html).replace(WORD_JOINER, "|")


def test_joiners_go_inside_korean_words_and_through_inline_tags_only() -> None:
    assert _joined("<p>오늘 <em>매일</em>같이 “봐요?”라는 말</p>") == \
        "<p>오|늘 <em>매|일</em>|같|이 “|봐|요|?|”|라|는 말</p>"
    # a paragraph, a line break or a footnote ends a word; a dash keeps its break
    assert _joined("<p>매일</p><p>같이<br/>같이</p>") == "<p>매|일</p><p>같|이<br/>같|이</p>"
    assert _joined('<p>매일<span class="footnote">주석</span>같이</p>') == \
        '<p>매|일<span class="footnote">주|석</span>같|이</p>'
    assert _joined("<p>K-드라마를 Netflix에서</p>") == "<p>K|-드|라|마|를 Netflix|에|서</p>"


def test_joiners_leave_markup_entities_and_other_scripts_alone() -> None:
    page = ('<html lang="ko"><head><title>한국어 제목</title></head><body>'
            '<section data-running-head="골목 끝 세탁소"><p>가&amp;나 &lt;다&gt; 東京의 '
            'English words, 日本語</p></section></body></html>')
    assert _joined(page) == page.replace("가&amp;나 &lt;다&gt; 東京의",
                                         "가|&amp;|나 &lt;|다|&gt; 東|京|의")
    assert keep_korean_words("<p>English only, 日本語</p>") == "<p>English only, 日本語</p>"
    # decomposed syllables (conjoining jamo) and combining marks stay one character
    decomposed = unicodedata.normalize("NFD", "<p>한국</p>")
    assert _joined(decomposed) == decomposed.replace("\u11ab\u1100", "\u11ab|\u1100")
