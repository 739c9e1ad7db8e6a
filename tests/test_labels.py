"""Localised furniture: every word chapbook writes is a label, translated by a catalog,
overridden by [labels], formatted (dates, lists, numbers) by CLDR; real books in Korean,
Japanese, Arabic and French carry no English; the catalogs never drift from the labels."""
# ruff: noqa: RUF001  (other scripts and their punctuation are the subject here)

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import json
import re
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from lxml import etree

from chapbook.build.options import BuildOptions
from chapbook.build.plan import plan
from chapbook.core import locales
from chapbook.core.config import Config
from chapbook.core.label_registry import LABELS, REGISTRY
from chapbook.core.labels import (
    LabelOverrides,
    Labels,
    labels_for,
    merge_tables,
    placeholder_problem,
)
from chapbook.core.language import direction
from chapbook.render.epub_documents import render_epub
from chapbook.render.print_html import render_print
from chapbook.render.styles import load_style

from .conftest import REPO, run_chapbook, write_project
from .epubtools import NS, XML_LANG, Epub, epubcheck_messages
from .pdftools import outline_titles, page_texts

LOCALE = REPO / "src" / "chapbook" / "locale"
DAY = dt.date(2024, 3, 23)

# ---- the catalogs never drift from the labels ---------------------------------------------


def _catalogs_tool() -> Any:
    spec = importlib.util.spec_from_file_location("catalogs", REPO / "tools" / "catalogs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _messages(path: Path) -> list[tuple[Any, ...]]:
    with path.open("rb") as file:
        catalog = read_po(file)
    return [(m.context, m.id, tuple(m.auto_comments), tuple(sorted(m.flags)))
            for m in catalog if m.id]


def test_pot_is_a_fresh_extraction_of_the_labels(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    tool = _catalogs_tool()
    fresh = tmp_path / "fresh.pot"
    arguments = [str(fresh) if a == tool.POT else a for a in tool.EXTRACT]
    monkeypatch.chdir(REPO)
    tool.pybabel(arguments)
    assert _messages(fresh) == _messages(LOCALE / "chapbook.pot"), \
        "run: .venv/bin/python tools/catalogs.py"
    assert [m[0] for m in _messages(fresh)] == [label.key for label in REGISTRY]


@pytest.mark.parametrize("po", sorted(LOCALE.glob("*/LC_MESSAGES/chapbook.po")),
                         ids=lambda path: path.parent.parent.name)
def test_each_committed_mo_is_the_compile_of_its_po(po: Path) -> None:
    with po.open("rb") as file:
        catalog = read_po(file)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    mo = po.with_suffix(".mo")
    assert mo.is_file() and mo.read_bytes() == compiled.getvalue(), \
        "run: .venv/bin/python tools/catalogs.py compile"
    # ... and every translation keeps its label's placeholders (one that does not is unused)
    broken = [(m.context, text) for m in catalog if m.id and m.context in LABELS
              for text in (m.string if isinstance(m.string, tuple) else (m.string,))
              if text and placeholder_problem(m.context, text)]
    assert broken == []


# ---- languages, dates, lists, numbers -----------------------------------------------------


def test_language_tags_find_their_catalog(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(locales, "catalogs", lambda: frozenset(
        {"fr", "pt", "zh_Hans", "zh_Hant", "ko", "sr_Latn", "he", "id", "yi"}))
    found = {tag: locales.catalog_for(tag) for tag in
             ("zh-TW", "zh-HK", "zh-Hant", "zh", "zh-CN", "zh-Hans-SG", "pt-BR", "fr-CA",
              "ko-KR", "sr-Latn", "sr", "en", "en-GB", "sw", "iw", "iw-IL", "in", "ji", "und",
              "ko-u-nu-hanidec", "zh-x-tw", "fr_CA")}
    assert found == {"zh-TW": "zh_Hant", "zh-HK": "zh_Hant", "zh-Hant": "zh_Hant",
                     "zh": "zh_Hans", "zh-CN": "zh_Hans", "zh-Hans-SG": "zh_Hans",
                     "pt-BR": "pt", "fr-CA": "fr", "ko-KR": "ko", "sr-Latn": "sr_Latn",
                     "sr": None, "en": None, "en-GB": None, "sw": None, "iw": "he",
                     "iw-IL": "he", "in": "id", "ji": "yi", "und": None,
                     "ko-u-nu-hanidec": "ko", "zh-x-tw": "zh_Hans", "fr_CA": "fr"}


@pytest.mark.parametrize(("tag", "subtags"), [
    ("en-u-nu-arab", ("en", "Latn", None)),  # a -u- keyword, not region NU
    ("en-x-nu", ("en", "Latn", None)),  # private use, not region NU
    ("sr-Latn-u-co-phonebk", ("sr", "Latn", None)),
    ("zh-TW-x-hant", ("zh", "Hant", "TW")),
    ("iw-IL", ("he", "Hebr", "IL")),
    ("und", ("en", "Latn", None)),
    ("und-TW", ("zh", "Hant", "TW")),
])
def test_tags_are_read_by_icu(tag: str, subtags: tuple[str, str, str | None]) -> None:
    assert locales.subtags(tag) == subtags


def test_deprecated_und_and_extended_tags_format_as_their_language() -> None:
    # und and English with only extensions are house English, as a bare en is
    for tag in ("und", "en-u-nu-arab", "en-x-house"):
        assert str(locales.formatting_locale(tag)) == "en_001", tag
        assert Labels(tag).date(DAY) == "23 March 2024" and Labels(tag).is_english
    assert Labels("en-u-nu-arab").names(["Ann", "Bo", "Cy"]) == "Ann, Bo and Cy"
    hebrew, modern = Labels("iw"), Labels("he")
    assert hebrew.catalog == "he" and hebrew.date(DAY) == modern.date(DAY)
    assert hebrew.text("contents") == modern.text("contents") != "Contents"
    assert str(locales.formatting_locale("in")) == "id"
    assert Labels("ji").locale.language == "yi"
    assert direction("iw") == direction("ji") == "rtl"


def test_the_first_of_a_month_in_french_is_an_ordinal() -> None:
    assert Labels("fr").date(dt.date(2024, 3, 1)) == "1er mars 2024"
    assert Labels("fr-CA").date(dt.date(2024, 3, 1)) == "1er mars 2024"
    assert Labels("fr").date(dt.date(2024, 3, 11)) == "11 mars 2024"
    assert Labels("en").date(dt.date(2024, 3, 1)) == "1 March 2024"


@pytest.mark.parametrize(("language", "date", "names"), [
    ("en", "23 March 2024", "Ann, Bo and Cy"),
    ("en-US", "March 23, 2024", "Ann, Bo, and Cy"),
    ("fr", "23 mars 2024", "Ann, Bo et Cy"),
    ("de", "23. März 2024", "Ann, Bo und Cy"),
    ("ko", "2024년 3월 23일", "Ann, Bo 및 Cy"),
    ("ja", "2024年3月23日", "Ann、Bo、Cy"),
    ("zh-Hans", "2024年3月23日", "Ann、Bo和Cy"),
    ("ar-EG", "٢٣ مارس ٢٠٢٤", "Ann وBo وCy"),
    ("fa", "۲۳ مارس ۲۰۲۴", "Ann،\u200f Bo، و Cy"),
])
def test_dates_and_lists_as_cldr_writes_them(language: str, date: str, names: str) -> None:
    labels = Labels(language)
    assert labels.date(DAY) == date
    assert labels.names(["Ann", "Bo", "Cy"]) == names


def test_numbers_ratings_and_part_numbers() -> None:
    english, french = Labels("en"), Labels("fr")
    assert english.part(1) == "Part One" and english.part(20) == "Part Twenty"
    assert english.part(21) == "Part 21"
    assert english.rating(Fraction(7, 2), 5, None) == "3.5 out of 5"
    assert english.rating(Fraction(4), 5, "B+") == "B+ (4 out of 5)"
    assert french.number(3.5) == "3,5" and Labels("ar-EG").number(3.5) == "٣٫٥"
    assert "1" in french.part(1) and "One" not in french.part(1)  # digits, not words
    assert "٣" in Labels("ar-EG").part(3)
    worded = Labels("fr", LabelOverrides.from_table(
        {"fr": {"part": "%(number)s partie", "part_number_words": "Première|Deuxième"}}))
    assert worded.part(2) == "Deuxième partie" and worded.part(3) == "3 partie"
    assert english.names(["A", "B", "C"], "standard-narrow") == "A, B, C"
    assert Labels("fr").names(["A", "B"], "standard-narrow")  # a style Babel lacks: fallback


def test_placeholders_of_overrides_are_checked() -> None:
    assert placeholder_problem("edited_by", "Edited by %(names)s") is None
    assert "missing" in (placeholder_problem("edited_by", "Edited") or "")
    assert "%(name)s" in (placeholder_problem("edited_by", "By %(name)s %(names)s") or "")
    assert "%%" in (placeholder_problem("contents", "100% contents") or "")
    assert "%%" in (placeholder_problem("contents", "100% sure") or "")  # "% s" formats
    assert "%%" in (placeholder_problem("contents", "%s") or "")


def test_overrides_for_a_language_match_as_catalogs_do() -> None:
    # a table's tag is read as a book's is: zh is zh-Hans, zh-TW is zh-Hant-TW
    overrides = LabelOverrides.from_table({
        "contents": "All", "zh-Hans": {"contents": "Hans", "cover": "Hans"},
        "zh": {"contents": "zh"}, "zh-Hant": {"contents": "Hant", "landmarks": "Hant"},
        "zh-TW": {"contents": "TW", "cover": "TW"}, "iw": {"contents": "iw"},
        "EN": {"contents": "en"}, "sr": {"contents": "sr"}, "pt": {"contents": "pt"}})
    contents = {tag: overrides.for_language(tag)["contents"] for tag in
                ("zh-TW", "zh-Hant-TW", "zh-HK", "zh", "zh-CN", "zh-Hans-SG", "he", "he-IL",
                 "en", "en-GB", "und", "sr-Latn", "pt-BR", "fr")}
    assert contents == {"zh-TW": "TW", "zh-Hant-TW": "TW", "zh-HK": "Hant", "zh": "Hans",
                        "zh-CN": "Hans", "zh-Hans-SG": "Hans", "he": "iw", "he-IL": "iw",
                        "en": "en", "en-GB": "en", "und": "en", "sr-Latn": "All",
                        "pt-BR": "pt", "fr": "All"}
    taiwan = overrides.for_language("zh-TW")  # each key from the most specific table giving it
    assert (taiwan["cover"], taiwan["landmarks"]) == ("TW", "Hant")
    assert "landmarks" not in overrides.for_language("zh-CN")
    assert overrides.for_language("zh")["cover"] == "Hans"
    assert labels_for("zh-TW", overrides).text("landmarks") == "Hant"


def test_overrides_keep_their_spaces_and_a_book_wins_over_the_project() -> None:
    config = Config.model_validate({"labels": {"page_cited": " (p. %(page)s)",
                                               "ko": {"group_separator": "; "}},
                                    "anthology": [{"slug": "a", "title": "A"}]})
    assert config.labels == {"page_cited": " (p. %(page)s)", "ko": {"group_separator": "; "}}
    project = {"contents": "P", "ko": {"contents": "Pko"}}
    assert merge_tables(project, {"contents": "B"}) == {"contents": "B", "ko": {}}
    assert merge_tables(project, {"ko": {"contents": "Bko"}})["ko"] == {"contents": "Bko"}
    both = merge_tables(project, {"contents": "B", "ko": {"contents": "Bko"}})
    assert LabelOverrides.from_table(both).for_language("ko")["contents"] == "Bko"
    assert LabelOverrides.from_table(both).for_language("fr")["contents"] == "B"
    assert placeholder_problem("contents", "100%% contents") is None


# ---- real books in other languages --------------------------------------------------------

BOOKS: dict[str, dict[str, Any]] = {
    "ko": {
        "press": "등불거리 출판사", "about": "등불거리 출판사는 서울의 작은 출판사입니다.",
        "title": "작은 화면의 위로", "subtitle": "따뜻한 화면과 책에 대한 리뷰",
        "editors": ["서미라", "박조나"], "dedication": "다시 보는 모든 이에게.",
        "epigraph": "가장 오래된 두려움은 모르는 것에 대한 두려움이다.",
        "epigraph_source": "하워드 러브크래프트", "parts": ["화면", "종이와 놀이"],
        "intro": "영화와 드라마에 대한 글입니다.",
        "bios": {"한서연": "서울에서 드라마를 봅니다.", "서미라": "부산에서 책을 읽습니다."},
        "pieces": [
            ("‘바다의 등대지기’ 리뷰: 조용한 영화", "한서연", "film", "바다의 등대지기",
             ["김도윤", "이하늘"], ["박민수", "최지아", "정우진"], "4/5", ["드라마", "바다"],
             "등불거리 리뷰",
             "등대지기는 십일 년 동안 혼자 살았다.[^1]\n\n[^1]: 부산에서 처음 상영되었다."),
            ("‘골목 세탁소’ 리뷰: 따뜻한 드라마", "서미라", "series", "골목 세탁소",
             ["윤지우"], ["최민서"], "9/10", ["드라마"], "화면과 난로",
             "동네 세탁소 하나로 열두 편을 채우는 느린 드라마다."),
            ("‘여름의 지도’ 리뷰: 두 친구의 이야기", "한서연", "book", "여름의 지도",
             ["안소희"], [], "3.5", ["우정"], None, "해안선을 따라 걷는 두 친구의 이야기."),
            ("‘이끼와 주전자’ 리뷰: 조용한 놀이", "서미라", "game", "이끼와 주전자",
             ["정다은", "문하준"], [], "4/5", ["놀이"], None, "차를 끓이고 이끼를 돌보는 놀이."),
        ],
    },
    "ja": {
        "press": "灯り通り出版", "about": "灯り通り出版は東京の小さな出版社です。",
        "title": "小さな画面のなぐさめ", "subtitle": "やさしい映画と本の批評集",
        "editors": ["佐藤美咲", "高橋健"], "dedication": "何度も見返すすべての人へ。",
        "epigraph": "最も古く最も強い恐怖は、未知への恐怖である。",
        "epigraph_source": "ラヴクラフト", "parts": ["画面", "紙と遊び"],
        "intro": "映画とドラマについての文章です。",
        "bios": {"山田花子": "東京で映画を見ています。", "佐藤美咲": "大阪で本を読んでいます。"},
        "pieces": [
            ("『海の灯台守』評：静かな映画", "山田花子", "film", "海の灯台守",
             ["鈴木一郎", "田中二郎"], ["伊藤三郎", "渡辺四郎", "中村五郎"], "4/5",
             ["ドラマ", "海"], "灯り通り評論",
             "灯台守は十一年間ひとりで暮らしてきた。[^1]\n\n[^1]: 東京で初めて上映された。"),
            ("『路地の洗濯屋』評：温かいドラマ", "佐藤美咲", "series", "路地の洗濯屋",
             ["小林六子"], ["加藤七海"], "9/10", ["ドラマ"], "画面と暖炉",
             "町の洗濯屋ひとつで十二話を満たす、ゆっくりしたドラマだ。"),
            ("『夏の地図』評：二人の友", "山田花子", "book", "夏の地図", ["吉田八重"], [],
             "3.5", ["友情"], None, "海岸線を歩く二人の友の物語。"),
            ("『苔と薬缶』評：静かな遊び", "佐藤美咲", "game", "苔と薬缶",
             ["山口九", "松本十"], [], "4/5", ["遊び"], None, "お茶を入れ、苔を育てる遊び。"),
        ],
    },
    "ar": {
        "press": "دار شارع الفانوس", "about": "دار شارع الفانوس دار نشر صغيرة في القاهرة.",
        "title": "عزاء الشاشات الصغيرة", "subtitle": "مراجعات لأفلام وكتب دافئة",
        "editors": ["ليلى حسن", "عمر خالد"], "dedication": "إلى كل من يعيد المشاهدة.",
        "epigraph": "أقدم أنواع الخوف وأقواها هو الخوف من المجهول.",
        "epigraph_source": "لافكرافت", "parts": ["الشاشة", "الورق واللعب"],
        "intro": "مقالات عن الأفلام والمسلسلات.",
        "bios": {"ليلى حسن": "تكتب عن السينما من القاهرة.", "عمر خالد": "يقرأ الروايات في عمّان."},
        "pieces": [
            ("مراجعة «حارس المنارة»: فيلم هادئ", "ليلى حسن", "film", "حارس المنارة",
             ["يوسف سالم", "منى فؤاد"], ["كريم نبيل", "سارة عادل", "هدى رامي"], "4/5",
             ["دراما", "البحر"], "مجلة الفانوس",
             "عاش حارس المنارة وحده إحدى عشرة سنة.[^1]\n\n[^1]: عُرض أول مرة في القاهرة."),
            ("مراجعة «مغسلة الحارة»: مسلسل دافئ", "عمر خالد", "series", "مغسلة الحارة",
             ["رنا زياد"], ["نادر فهمي"], "9/10", ["دراما"], "الشاشة والموقد",
             "مسلسل بطيء يملأ اثنتي عشرة حلقة بمغسلة واحدة."),
            ("مراجعة «خريطة الصيف»: صديقان", "ليلى حسن", "book", "خريطة الصيف",
             ["هالة منصور"], [], "3.5", ["صداقة"], None, "قصة صديقين يمشيان على الساحل."),
            ("مراجعة «الطحلب والإبريق»: لعبة هادئة", "عمر خالد", "game", "الطحلب والإبريق",
             ["طارق وليد", "دينا سمير"], [], "4/5", ["لعب"], None, "لعبة عن الشاي والطحالب."),
        ],
    },
    "fr": {
        "press": "Éditions de la Lanterne", "about": "Une petite maison d'édition lyonnaise.",
        "title": "Petits écrans, grand réconfort", "subtitle": "Critiques douces et tendres",
        "editors": ["Claire Dubois", "Marc Lefèvre"], "dedication": "À ceux qui revoient.",
        "epigraph": "La peur la plus ancienne est la peur de l'inconnu.",
        "epigraph_source": "Lovecraft", "parts": ["L'écran", "Le papier et le jeu"],
        "intro": "Des critiques de cinéma et de séries.",
        "bios": {"Lucie Martin": "Écrit sur le cinéma depuis Lyon.",
                 "Claire Dubois": "Lit des romans à Nantes."},
        "pieces": [
            ("« Le Gardien du phare » : un drame silencieux", "Lucie Martin", "film",
             "Le Gardien du phare", ["Hélène Marchetti", "Paul Girard"],
             ["Solange Bréval", "Inès Kader", "Paul Verdier"], "4/5", ["drame", "mer"],
             "Le Petit Écran", "Le gardien vit seul sur son rocher depuis onze ans.[^1]\n\n"
             "[^1]: Présenté d'abord à Lyon."),
            ("« La Laverie » : une série tendre", "Claire Dubois", "series", "La Laverie",
             ["Yves Roche"], ["Nina Perret"], "9/10", ["drame"], "Écran et foyer",
             "Une laverie de quartier suffit à remplir douze épisodes."),
            ("« La Carte d'été » : deux amies", "Lucie Martin", "book", "La Carte d'été",
             ["Anne Morel"], [], "3.5", ["amitié"], None, "Deux amies longent la côte."),
            ("« Mousse et bouilloire » : un jeu paisible", "Claire Dubois", "game",
             "Mousse et bouilloire", ["Léa Blanc", "Hugo Petit"], [], "4/5", ["jeu"], None,
             "On y fait du thé et on soigne la mousse."),
        ],
    },
}


def review(title: str, author: str, kind: str, work: str, creators: list[str],
           cast: list[str], rating: str, tags: list[str], publication: str | None,
           body: str, day: int, language: str | None = None) -> str:
    meta: dict[str, Any] = {
        "title": title, "author": author, "date": dt.date(2024, 3, day), "rating": rating,
        "tags": tags, "work": {"title": work, "kind": kind, "year": 2023,
                               "creators": creators, **({"cast": cast} if cast else {})}}
    if publication:
        meta["source"] = {"publication": publication, "first_published": dt.date(2023, 1, day)}
    if language:
        meta["language"] = language
    return f"---\n{yaml.safe_dump(meta, allow_unicode=True)}---\n{body}\n"


def book_project(root: Path, language: str, formats: str = '["epub", "pdf"]',
                 extra: str = "", pieces: dict[str, str] | None = None) -> Path:
    data = BOOKS[language]
    bios = "".join(f'[contributors."{name}"]\nbio = "{bio}"\n\n'
                   for name, bio in data["bios"].items())
    config = f"""\
[press]
name = "{data['press']}"
language = "{language}"
about = "{data['about']}"

{bios}[[anthology]]
slug = "book"
title = "{data['title']}"
subtitle = "{data['subtitle']}"
editors = {json.dumps(data['editors'], ensure_ascii=False)}
dedication = "{data['dedication']}"
epigraph = "{data['epigraph']}"
epigraph_source = "{data['epigraph_source']}"
date = 2026-01-01
formats = {formats}
print = {{ trim = "a5", profiles = ["screen"] }}

[anthology.back]
tags_index = true

[[anthology.part]]
title = "{data['parts'][0]}"
introduction = "{data['intro']}"
select = {{ kind = ["film", "series"] }}

[[anthology.part]]
title = "{data['parts'][1]}"
select = {{ kind = ["book", "game"] }}
{extra}"""
    manuscripts = {f"piece-{n}.md": review(*piece, day=n + 1)
                   for n, piece in enumerate(data["pieces"])}
    return write_project(root, {**manuscripts, **(pieces or {})}, config)


def english_words() -> set[str]:
    """Every English word of three letters or more that the labels write."""
    words: set[str] = set()
    for label in REGISTRY:
        for text in (label.msgid, label.plural or ""):
            words |= set(re.findall(r"[A-Za-z]{3,}", re.sub(r"%\(\w+\)s", "", text)))
    return words - {"chapbook"}  # the program's name is not translated


def untranslated_words(text: str, language: str) -> list[str]:
    """English label words in `text`, less those the language's own labels use (French
    writes "film" and "Index" too)."""
    labels = labels_for(language)
    own = " ".join(labels.pattern(label.key) for label in REGISTRY)
    return sorted({word for word in english_words()
                   if re.search(rf"\b{word}\b", text, re.IGNORECASE)
                   and not re.search(rf"\b{word}\b", own, re.IGNORECASE)})


def words(element: Any) -> str:
    """An element's text as a reader sees it: whitespace collapsed."""
    return flat("".join(element.itertext()))


def flat(text: str) -> str:
    """Runs of white space (no-break spaces too) as one space."""
    return " ".join(text.split())


def epub_furniture_text(epub: Epub) -> str:
    """The words of every XHTML document (text, titles, alt and aria labels) and the
    accessibility summary, less the pieces' own bodies."""
    texts = epub.metadata("schema:accessibilitySummary")  # the OPF's other words are codes
    for name in epub.names():
        if not name.endswith(".xhtml"):
            continue
        tree = epub.xml(name)
        for body in tree.xpath("//x:div[@class='piece-body']", namespaces=NS):
            body.getparent().remove(body)
        texts.append(" ".join(tree.itertext()))
        texts += [str(value) for value in tree.xpath("//@alt | //@aria-label")]
    return "\n".join(texts)


def backlink_names(epub: Epub) -> dict[str, list[str]]:
    """What screen readers hear for the footnotes' links back to the text, by document."""
    found = {name.rpartition("/")[2]: [str(value) for value in epub.xml(name).xpath(
        "//x:a[@role='doc-backlink']/@aria-label", namespaces=NS)]
        for name in epub.names() if name.endswith(".xhtml")}
    return {name: names for name, names in found.items() if names}


@pytest.fixture(scope="module", params=["ko", "ja", "ar", "fr"])
def built_book(request: pytest.FixtureRequest,
               tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    language = request.param
    root = book_project(tmp_path_factory.mktemp(f"book-{language}"), language)
    done = run_chapbook("build", "--verbose", cwd=root)
    assert done.code == 0, done.stdout + done.stderr
    assert "label-untranslated" not in done.stdout + done.stderr, \
        f"the {language} catalog lacks labels: {done.stdout + done.stderr}"
    return language, root


def test_a_book_in_another_language_has_no_english_furniture(
        built_book: tuple[str, Path]) -> None:
    language, root = built_book
    labels = labels_for(language)
    assert labels.missing() == [], f"untranslated in {language}"
    epub = Epub(root / "build" / "book.epub")
    assert untranslated_words(epub_furniture_text(epub), language) == []
    pdf_text = "\n".join(page_texts(root / "build" / "book-screen.pdf"))
    assert untranslated_words(pdf_text, language) == []
    # the words are there, in the language: contents, part numbers, credits, dates, ratings
    outline = outline_titles(root / "build" / "book-screen.pdf")
    assert outline[0] == labels.text("contents")  # no word joiner from the print HTML
    assert epub.nav.xpath("string(//x:nav[@epub:type='toc']/x:h1)", namespaces=NS) == \
        labels.text("contents")
    landmarks = epub.nav.xpath("//x:nav[@epub:type='landmarks']//x:a/text()", namespaces=NS)
    assert labels.text("start_of_content") in landmarks
    # (compared without spaces: a PDF's right-to-left text extracts out of order, and
    # the EPUB's text nodes are joined with spaces)
    text = re.sub(r"\s+", "", epub_furniture_text(epub))
    for expected in (labels.part(1), labels.date(dt.date(2024, 3, 1)),
                     labels.text("contributors"), labels.text("works_index"),
                     labels.text("credit_film", names=labels.names(
                         BOOKS[language]["pieces"][0][4], "standard-narrow"))):
        assert re.sub(r"\s+", "", expected) in text, expected
    summary = epub.metadata("schema:accessibilitySummary")[0]
    assert summary.startswith(labels.text("a11y_navigation_index"))
    # the pieces' footnotes: their links back to the text are named in the language too
    assert backlink_names(epub) == {"piece-0.xhtml": [
        labels.text("footnote_backlink", number=labels.digits("1"))]}


def test_a_book_in_another_language_passes_epubcheck(built_book: tuple[str, Path]) -> None:
    _, root = built_book
    assert epubcheck_messages(root / "build" / "book.epub") == []


# ---- a piece keeps its own language; furniture keeps the book's -----------------------------


def test_a_french_piece_in_a_korean_book_keeps_french_labels(tmp_path: Path) -> None:
    french = BOOKS["fr"]["pieces"][0]
    root = book_project(tmp_path, "ko", pieces={
        "francais.md": review(*french, day=20, language="fr")})
    done = run_chapbook("build", cwd=root)
    assert done.code == 0, done.stderr
    fr, ko = labels_for("fr"), labels_for("ko")
    epub = Epub(root / "build" / "book.epub")
    piece = epub.xml("EPUB/francais.xhtml")
    header = words(piece.xpath("//x:header", namespaces=NS)[0])
    assert flat(fr.text("credit_film", names=fr.names(french[4], "standard-narrow"))) in header
    assert flat(fr.date(dt.date(2024, 3, 20))) in header
    assert flat(fr.text("rating", rating=fr.rating(Fraction(4), 5, None))) in header
    assert flat(ko.text("credit_film", names="")) not in header
    named = backlink_names(epub)  # each piece's footnotes in its own language
    assert named["francais.xhtml"] == [fr.text("footnote_backlink", number="1")]
    assert named["piece-0.xhtml"] == [ko.text("footnote_backlink", number="1")]
    # the rest stays Korean: the nav's title, the back matter, the piece's contents entry
    assert epub.nav.xpath("string(//x:h1)", namespaces=NS) == ko.text("contents")
    entry = epub.nav.xpath("//x:a[@href='francais.xhtml']", namespaces=NS)[0]
    assert entry.get(XML_LANG) == "fr"
    works = words(epub.xml("EPUB/works.xhtml"))
    assert ko.text("works_index") in works and ko.pattern("kind_film") in works
    pdf = "\n".join(page_texts(root / "build" / "book-screen.pdf"))
    assert re.sub(r"\s+", "", fr.text("credit_film", names="")) in re.sub(r"\s+", "", pdf)


def test_names_titles_and_dates_are_isolated_and_directions_marked(tmp_path: Path) -> None:
    arabic = BOOKS["ar"]["pieces"][0]
    root = write_project(tmp_path, {"arabic.md": review(*arabic, day=1, language="ar"),
                                    "english.md": review(
                                        "A quiet film", "Ann Critic", "film", "Quiet",
                                        ["Dee Rector"], [], "4/5", ["drama"], None,
                                        "Quiet and good.", day=2)})
    the_plan = plan(root, BuildOptions())
    book = the_plan.anthologies[0]
    style, _ = load_style("classic", root)
    assert style is not None
    documents = {d.file_name: d.xhtml for d in render_epub(book, style).documents}
    header = documents["arabic.xhtml"].split("<header", 1)[1].split("</header>", 1)[0]
    assert "<bdi>ليلى حسن</bdi>" in header and "<bdi>حارس المنارة</bdi>" in header
    assert f"<bdi>{labels_for('ar').date(dt.date(2024, 3, 1))}</bdi>" in header
    nav = etree.fromstring(documents["nav.xhtml"].encode())
    entry = nav.xpath("//x:a[@href='arabic.xhtml']", namespaces=NS)[0]
    assert entry.get("dir") == "rtl"
    arabic_book = book_project(tmp_path / "ar", "ar", formats='["epub"]', pieces={
        "english.md": review("A quiet film", "Ann Critic", "film", "Quiet", ["Dee Rector"],
                             [], "4/5", ["drama"], None, "Quiet and good.", day=9,
                             language="en")})
    book = plan(arabic_book, BuildOptions()).anthologies[0]
    printed = render_print(book, style, book.config.print.page_setup("screen")).html
    assert '<html lang="ar" dir="rtl"' in printed
    assert 'lang="en" dir="ltr"' in printed  # the English piece's contents entry
    nav = etree.fromstring({d.file_name: d.xhtml for d in render_epub(book, style).documents}[
        "nav.xhtml"].encode())
    assert nav.xpath("//x:a[@href='english.xhtml']", namespaces=NS)[0].get("dir") == "ltr"


# ---- a language without a catalog; overrides; bad overrides --------------------------------

SWAHILI = """\
[press]
name = "Test Press"
language = "sw"

[[anthology]]
slug = "kitabu"
title = "Kitabu"
editors = ["Amani Juma", "Neema Ali"]
formats = ["epub"]
"""


def test_a_language_without_a_catalog_falls_back_to_english_once(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"a.md": review(
        "Filamu nzuri", "Amani Juma", "film", "Nzuri", ["Baraka"], [], "4/5", ["drama"],
        None, "Filamu nzuri sana.", day=23)}, SWAHILI)
    done = run_chapbook("build", "--verbose", cwd=root)
    assert done.code == 0, done.stderr
    notes = [line for line in (done.stdout + done.stderr).splitlines()
             if "[label-untranslated]" in line]
    assert len(notes) == 1 and "Swahili (sw)" in notes[0] and "contents" in notes[0]
    assert notes[0].startswith("chapbook.toml:")
    epub = Epub(root / "build" / "kitabu.epub")
    assert epub.nav.xpath("string(//x:h1)", namespaces=NS) == "Contents"  # English labels
    piece = words(epub.xml("EPUB/a.xhtml"))
    assert "23 Machi 2024" in piece  # ... but CLDR's Swahili date
    assert "Amani Juma na Neema Ali" in words(epub.xml("EPUB/titlepage.xhtml"))


def test_a_cached_reading_takes_the_words_of_each_build(tmp_path: Path) -> None:
    # Readings are kept between builds without footnote words: an override changed since
    # (or another catalog) cannot leave a body's old words in the book.
    french, korean = BOOKS["fr"]["pieces"][0], BOOKS["ko"]["pieces"][0]
    root = write_project(tmp_path, {"fr.md": review(*french, day=3, language="fr"),
                                    "ko.md": review(*korean, day=4)},
                         SWAHILI.replace('"sw"', '"ko"'))
    assert run_chapbook("build", cwd=root).code == 0
    cache = root / "build" / ".cache" / "read" / "pool.pickle"
    kept = cache.read_bytes()
    assert b"aria-label" not in kept and b"doc-backlink" in kept
    with (root / "chapbook.toml").open("a", encoding="utf-8") as config:
        config.write('\n[labels.fr]\nfootnote_backlink = "Remonter à la note %(number)s"\n')
    done = run_chapbook("build", cwd=root)
    assert done.code == 0, done.stderr
    assert cache.read_bytes() == kept  # both pieces came from the cache ...
    named = backlink_names(Epub(root / "build" / "kitabu.epub"))
    assert named == {"fr.xhtml": ["Remonter à la note 1"],  # ... with this build's words
                     "ko.xhtml": [labels_for("ko").text("footnote_backlink", number="1")]}


def test_labels_overridden_for_every_language_and_for_one(tmp_path: Path) -> None:
    config = """\
[press]
name = "Test Press"

[labels]
contents = "In this book"
starring = "With %(names)s"

[labels.fr]
credit_film = "Un film de %(names)s"
contents = "Au sommaire"

[[anthology]]
slug = "english"
title = "English"
formats = ["epub"]

[[anthology]]
slug = "french"
title = "Français"
language = "fr-CA"
formats = ["epub"]
labels = { starring = "Avec %(names)s" }
"""
    french = BOOKS["fr"]["pieces"][0]
    root = write_project(tmp_path, {"fr.md": review(*french, day=3, language="fr")}, config)
    done = run_chapbook("build", cwd=root)
    assert done.code == 0, done.stderr
    english, francais = Epub(root / "build" / "english.epub"), Epub(root / "build" / "french.epub")
    assert english.nav.xpath("string(//x:h1)", namespaces=NS) == "In this book"
    assert francais.nav.xpath("string(//x:h1)", namespaces=NS) == "Au sommaire"
    # the French piece keeps the French overrides in the English book too
    in_english = words(english.xml("EPUB/fr.xhtml"))
    assert "Un film de Hélène Marchetti" in in_english
    assert "With Solange Bréval" in in_english
    assert "Avec Solange Bréval" in words(francais.xml("EPUB/fr.xhtml"))


@pytest.mark.parametrize(("table", "expected"), [
    ('[labels]\ncontnets = "Inside"', "chapbook.toml:5: error: 'labels.contnets': unknown "
     "label 'contnets' (did you mean 'contents'?) [unknown-label]"),
    ('[labels.ko]\nedited_by = "엮음"', "chapbook.toml:5: error: 'labels.ko.edited_by': label "
     "'edited_by': placeholder %(names)s is missing [bad-label]"),
    ('[labels]\nedited_by = "By %(name)s"', "'labels.edited_by': label 'edited_by': unknown "
     "placeholder %(name)s"),
    ('[labels."not a tag"]\ncontents = "x"', "a table of labels must be named by a language "
     "tag"),
])
def test_bad_overrides_are_located_errors(tmp_path: Path, table: str, expected: str) -> None:
    config = f'[press]\nname = "P"\n\n{table}\n\n[[anthology]]\nslug = "b"\ntitle = "B"\n'
    root = write_project(tmp_path, {"a.md": review(
        "A film", "Ann", "film", "F", ["D"], [], "4/5", ["x"], None, "Fine.", day=1)}, config)
    done = run_chapbook("check", cwd=root)
    assert done.code != 0
    assert expected in done.stdout + done.stderr
    assert "Traceback" not in done.stderr
