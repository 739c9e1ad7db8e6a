"""No tofu, by default: a book in 32 scripts prints every glyph, in every built-in style,
each language in the faces made for it; the preflight predicts what the PDF shows (and
`--strict` refuses a book that would print a box); the glyph checker itself can fail.

Every check reads the real PDF: the glyphs its content streams draw, looked up in the
embedded font programs (tests/glyphcheck.py). The Noto fonts come from Debian's
fonts-noto-core and fonts-noto-cjk, which `make test` installs.
"""
# ruff: noqa: RUF001  (other scripts and their punctuation are the subject here)

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from chapbook.pdf.fontconfig import family_file
from chapbook.render.styles import load_style

from .conftest import REPO, Run, write_project
from .glyphcheck import Glyph, blank_glyphs, drawn_glyphs, summary

STYLES = ("classic", "magazine", "pocket")
NEEDED = ("Noto Serif Devanagari", "Noto Sans Devanagari", "Noto Serif CJK JP",
          "Noto Sans CJK KR", "Noto Sans Mongolian", "Noto Serif Tibetan")

# Article 1 of the Universal Declaration of Human Rights (its first sentence), by language.
UDHR = {
    "en": "All human beings are born free and equal in dignity and rights.",
    "el": "Όλοι οι άνθρωποι γεννιούνται ελεύθεροι και ίσοι στην αξιοπρέπεια και τα "
          "δικαιώματα.",
    "ru": "Все люди рождаются свободными и равными в своем достоинстве и правах.",
    "hy": "Բոլոր մարդիկ ծնվում են ազատ ու հավասար իրենց արժանապատվությամբ ու "
          "իրավունքներով։",
    "ka": "ყველა ადამიანი იბადება თავისუფალი და თანასწორი თავისი ღირსებითა და "
          "უფლებებით.",
    "he": "כל בני האדם נולדו בני חורין ושווים בערכם ובזכויותיהם.",
    "ar": "يولد جميع الناس أحراراً متساوين في الكرامة والحقوق.",
    "dv": "ހުރިހާ އިންސާނުންވެސް ދުނިޔެއަށް އުފަންވަނީ، މިނިވަންކަމުގައި، ހަމަހަމަ "
          "ޙައްޤުތަކަކާއެކުގައެވެ.",
    "hi": "सभी मनुष्यों को गौरव और अधिकारों के मामले में जन्मजात स्वतन्त्रता और समानता "
          "प्राप्त है।",
    "bn": "সমস্ত মানুষ স্বাধীনভাবে সমান মর্যাদা এবং অধিকার নিয়ে জন্মগ্রহণ করে।",
    "pa": "ਸਾਰਾ ਮਨੁੱਖੀ ਪਰਿਵਾਰ ਆਪਣੀ ਮਹਿਮਾ, ਸ਼ਾਨ ਅਤੇ ਹੱਕਾਂ ਦੇ ਪੱਖੋਂ ਜਨਮ ਤੋਂ ਹੀ ਆਜ਼ਾਦ ਹੈ।",
    "gu": "પ્રતિષ્ઠા અને અધિકારોની દૃષ્ટિએ સર્વ માનવો જન્મથી સ્વતંત્ર અને સમાન હોય છે.",
    "or": "ସମସ୍ତ ମଣିଷ ଜନ୍ମକାଳରୁ ସ୍ୱାଧୀନ ଏବଂ ମର୍ଯ୍ୟାଦା ଓ ଅଧିକାରରେ ସମାନ।",
    "ta": "மனிதப் பிறவியினர் சகலரும் சுதந்திரமாகவே பிறக்கின்றனர்; அவர்கள் "
          "மதிப்பிலும், உரிமைகளிலும் சமமானவர்கள்.",
    "te": "ప్రతిపత్తిస్వత్వముల విషయమున మానవులెల్లరును జన్మతః స్వతంత్రులును "
          "సమానులును నగుదురు.",
    "kn": "ಎಲ್ಲಾ ಮಾನವರೂ ಸ್ವತಂತ್ರರಾಗಿಯೇ ಜನಿಸಿದ್ದಾರೆ. ಹಾಗೂ ಘನತೆ ಮತ್ತು ಹಕ್ಕುಗಳಲ್ಲಿ "
          "ಸಮಾನರಾಗಿದ್ದಾರೆ.",
    "ml": "മനുഷ്യരെല്ലാവരും തുല്യാവകാശങ്ങളോടും അന്തസ്സോടും "
          "സ്വാതന്ത്ര്യത്തോടുംകൂടി ജനിച്ചിട്ടുള്ളവരാണ്.",
    "si": "සියලු මනුෂ්‍යයෝ නිදහස්ව උපත ලබා ඇත. ගෞරවයෙන් හා අයිතිවාසිකම්වලින් "
          "සමාන වෙති.",
    "th": "มนุษย์ทั้งหลายเกิดมามีอิสระและเสมอภาคกันในเกียรติศักดิ์และสิทธิ",
    "lo": "ມະນຸດທັງຫຼາຍເກີດມາມີກຽດສັກສີ ແລະ ສິດເທົ່າທຽມກັນ",
    "bo": "འགྲོ་བ་མིའི་རིགས་རྒྱུད་ཡོངས་ལ་སྐྱེས་ཙམ་ཉིད་ནས་ཆེ་མཐོངས་དང༌། "
          "ཐོབ་ཐང་གི་རང་དབང་འདྲ་མཉམ་དུ་ཡོད་ལ།",
    "my": "လူတိုင်းသည် တူညီ လွတ်လပ်သော ဂုဏ်သိက္ခာဖြင့် လည်းကောင်း၊ တူညီလွတ်လပ်သော "
          "အခွင့်အရေးများဖြင့် လည်းကောင်း၊ မွေးဖွားလာသူများ ဖြစ်သည်။",
    "km": "មនុស្សទាំងអស់ កើតមកមានសេរីភាព និងសមភាព ក្នុងផ្នែកសេចក្ដីថ្លៃថ្នូរ និងសិទ្ធិ។",
    "am": "የሰው ልጅ ሁሉ ሲወለድ ነጻና በክብርና በመብትም እኩልነት ያለው ነው።",
    "chr": "ᏂᎦᏓ ᎠᏂᏴᏫ ᏂᎨᎫᏓᎸᎾ ᎠᎴ ᎤᏂᏠᏱ ᎤᎾᏕᎿ ᏚᏳᎧᏛ ᎨᏒᎢ.",
    "iu": "ᐃᓅᔪᓕᒫᑦ ᐊᓂᖅᑎᕆᔪᓕᒫᑦ ᐃᓱᓕᖅᑎᑦᑎᒍᓐᓇᖏᑦᑐᒃ ᐊᖏᖃᑎᒌᒃᑐᑦ ᓄᓇᕐᔪᐊᒥ.",
    "zgh": "ⴰⵔ ⴷ ⵜⵜⵍⴰⵍⴰⵏ ⵎⵉⴷⴷⵏ ⴳⴰⵏ ⵉⵍⴻⵍⵍⵉⵜⵏ ⵎⴳⴰⴷⴷⴰⵏ ⵖ ⵡⴰⵏⵙⴰ ⴷ ⵉⵣⵔⴼⴰⵏ.",
    "mn-Mong": "ᠬᠦᠮᠦᠨ ᠪᠦᠷ ᠲᠥᠷᠥᠵᠦ ᠮᠡᠨᠳᠡᠯᠡᠬᠦ ᠡᠷᠬᠡ ᠴᠢᠯᠥᠭᠡ ᠲᠡᠢ᠂",
    "ja": "すべての人間は、生まれながらにして自由であり、かつ、尊厳と権利とについて"
          "平等である。",
    "zh-Hans": "人人生而自由，在尊严和权利上一律平等。",
    "zh-Hant": "人人生而自由，在尊嚴和權利上一律平等。",
    "ko": "모든 인간은 태어날 때부터 자유로우며 그 존엄과 권리에 있어 동등(同等)하다.",
}
# Ideographs that only one language's text has: each must come from that language's face.
# (Not in the titles: a running head is set in the book's language, the page knowing
# nothing of the piece's.)
OWN_IDEOGRAPHS = {"厳権": "CJK-JP", "严权": "CJK-SC", "嚴權": "CJK-TC"}

SCRIPTS_CONFIG = """\
[press]
name = "Test Press"
raw_html = "sanitise"

[[anthology]]
slug = "scripts"
title = "Article One"
editors = ["Ed Itor"]
"""


@pytest.fixture(scope="module", autouse=True)
def noto_fonts() -> None:
    """These tests need Debian's Noto fonts: without them they would test nothing."""
    missing = [family for family in NEEDED if family_file(family) is None]
    if missing:
        pytest.fail(f"fonts missing: {', '.join(missing)}. The tests need Debian's "
                    "fonts-noto-core and fonts-noto-cjk: `make test` installs them "
                    "(apt-get install fonts-noto-core fonts-noto-cjk)", pytrace=False)


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Run:
    done = subprocess.run([sys.executable, "-m", "chapbook", *args], cwd=cwd,
                          env={**os.environ, "COLUMNS": "200", **(env or {})},
                          capture_output=True, text=True, timeout=600)
    return Run(done.returncode, done.stdout, done.stderr)


def piece(language: str, text: str, title: str | None = None, day: int = 1) -> str:
    """A manuscript in `language`; its title is the text's first words (or characters)."""
    words = text.split()
    headline = title or (" ".join(words[:3]) if len(words) > 3 else text[:6])
    return (f'---\ntitle: "{headline}"\nauthor: Ann Critic\ndate: 2024-01-{day:02d}\n'
            f"language: {language}\n---\n{text}\n\n{text}\n")


def scripts_project(root: Path) -> Path:
    """A piece in each language, and one piece with a paragraph in each, marked lang."""
    files = {f"{n:02d}-{language}.md": piece(language, text, day=n % 28 + 1)
             for n, (language, text) in enumerate(UDHR.items())}
    paragraphs = "\n\n".join(f'<p lang="{language}">{text}</p>'
                             for language, text in UDHR.items())
    files["99-every-script.md"] = piece("en", paragraphs, "Every script at once")
    return write_project(root, files, SCRIPTS_CONFIG)


ScriptsBook = tuple[str, list[Glyph], Run]  # the style, the glyphs drawn, the build


@pytest.fixture(scope="module", params=STYLES)
def scripts_book(request: pytest.FixtureRequest,
                 tmp_path_factory: pytest.TempPathFactory) -> ScriptsBook:
    style = request.param
    root = scripts_project(tmp_path_factory.mktemp(f"scripts-{style}") / "p")
    built = run("build", "--format", "pdf", "--style", style, "--verbose", cwd=root)
    assert built.code == 0, built.stderr
    return style, list(drawn_glyphs(root / "build" / "scripts.pdf")), built


def test_every_script_prints_in_every_style(scripts_book: ScriptsBook) -> None:
    style, glyphs, _ = scripts_book
    assert len({glyph.font for glyph in glyphs}) > 30, style  # the scripts' own faces
    blank = [glyph for glyph in glyphs if glyph.blank]
    assert blank == [], f"{style}: {summary(blank)}"


def test_the_preflight_finds_nothing_missing(scripts_book: ScriptsBook) -> None:
    """Every script is drawn by the style's fonts or its script fonts: no warning, and no
    note of a character left to whatever font the machine has."""
    style, _, built = scripts_book
    for code in ("missing-glyph", "blank-glyph", "system-font"):
        assert f"[{code}]" not in built.stderr, f"{style}: {built.stderr}"


def test_each_cjk_language_in_its_own_face(scripts_book: ScriptsBook) -> None:
    style, glyphs, _ = scripts_book
    for ideographs, face in OWN_IDEOGRAPHS.items():
        fonts = {glyph.font for glyph in glyphs if glyph.text and glyph.text in ideographs}
        assert fonts and all(face in font for font in fonts), (style, ideographs, fonts)
    korean = {glyph.font for glyph in glyphs if glyph.text and glyph.text in "동등인간同"}
    assert korean and all(font.startswith("Nanum") or "CJK-KR" in font
                          for font in korean), (style, korean)


def fonts_of(glyphs: list[Glyph], characters: str) -> set[str]:
    return {glyph.font for glyph in glyphs if glyph.text and glyph.text in characters}


FRENCH = """\
---
title: Une chronique en francais
author: Ann Critic
date: 2024-02-01
language: fr
---
Tous les êtres humains naissent libres et égaux en dignité et en droits : « voilà »,
dit-on, une idée à laquelle la conscience de chacun répond déjà.
"""


@pytest.mark.parametrize(("style", "latin"), [("classic", "Charis"), ("magazine", "Inter")])
def test_a_french_piece_in_a_korean_book_is_set_in_the_latin_face(
        style: str, latin: str, tmp_path: Path) -> None:
    config = SCRIPTS_CONFIG.replace('name = "Test Press"', 'name = "Test Press"\nlanguage = "ko"')
    root = write_project(tmp_path / "p", {"fr.md": FRENCH, "ko.md": piece("ko", UDHR["ko"])},
                         config)
    built = run("build", "--format", "pdf", "--style", style, cwd=root)
    assert built.code == 0, built.stderr
    glyphs = list(drawn_glyphs(root / "build" / "scripts.pdf"))
    french = fonts_of(glyphs, "êéàçû«»")
    assert french and all(font.startswith(latin) for font in french), french
    assert all(font.startswith("Nanum") for font in fonts_of(glyphs, "모든인간은")), \
        "the Korean piece keeps its Korean face"


def test_japanese_headlines_in_the_magazine_style_are_not_blank(tmp_path: Path) -> None:
    """NanumSquare maps ideographs (and bullets, arrows...) to empty glyphs: the magazine
    style's generated @font-face limits it to what it draws, so they come from Noto."""
    english = piece("en", "Set in a bathhouse • drawn by hand ※ a classic.",
                    "'Spirited Away' (千と千尋の神隠し) review: still a wonder", 2)
    korean = piece("ko", "한국 영화 • 同等한 두 사람의 이야기.", "《人間》 리뷰: 조용한 영화", 3)
    root = write_project(tmp_path / "p", {
        "ja.md": piece("ja", UDHR["ja"], "「東京の人」レビュー：静かな傑作"),
        "en.md": english, "ko.md": korean}, SCRIPTS_CONFIG)
    built = run("build", "--format", "pdf", "--style", "magazine", cwd=root)
    assert built.code == 0, built.stderr
    glyphs = list(drawn_glyphs(root / "build" / "scripts.pdf"))
    assert [g for g in glyphs if g.blank] == [], summary([g for g in glyphs if g.blank])
    assert all("CJK-JP" in font for font in fonts_of(glyphs, "東京傑作")), fonts_of(
        glyphs, "東京傑作")


UNASSIGNED = "\u0378"  # no character yet: no font of any machine draws it


def test_strict_refuses_a_book_that_would_print_a_box(tmp_path: Path) -> None:
    text = f"A paragraph.\n\nA sign no font has: {UNASSIGNED}.\n"
    root = write_project(tmp_path / "p", {"box.md": piece("en", text, "A box")},
                         SCRIPTS_CONFIG)
    line = piece("en", text, "A box").splitlines().index(f"A sign no font has: {UNASSIGNED}.")
    strict = run("build", "--format", "pdf", "--strict", cwd=root)
    assert strict.code == 1
    assert (f"manuscripts/box.md:{line + 1}: warning: no font covers '{UNASSIGNED}' "
            "(U+0378) (Unassigned)") in strict.stderr
    assert "[missing-glyph]" in strict.stderr
    assert not (root / "build" / "scripts.pdf").exists()
    # without --strict the book is made, and shows the box the preflight foresaw
    built = run("build", "--format", "pdf", cwd=root)
    assert built.code == 0, built.stderr
    boxes = blank_glyphs(root / "build" / "scripts.pdf")
    assert boxes and all(glyph.notdef for glyph in boxes), summary(boxes)


def test_a_script_left_to_the_machine_is_noted(tmp_path: Path) -> None:
    config = SCRIPTS_CONFIG + 'style = "bare"\n'
    root = write_project(tmp_path / "p", {"hi.md": piece("hi", UDHR["hi"])}, config)
    style = root / "styles" / "bare"
    style.mkdir(parents=True)
    (style / "style.toml").write_text('inherits = "classic"\n'
                                      'script_fonts = ["Noto Serif Devanagari Missing"]\n')
    noted = run("check", "--verbose", cwd=root)
    # the machine's fontconfig fallback still draws it: a note, and the book prints
    assert "(Devanagari) will be drawn with Noto" in noted.stderr
    assert "[system-font]" in noted.stderr and "[missing-glyph]" not in noted.stderr


def box_font(path: Path, family: str, inked: str, empty: str) -> Path:
    """A TrueType font: a box for each of `inked`, an empty glyph for each of `empty`."""
    codes = {ord(char): f"uni{ord(char):04X}" for char in inked + empty}
    pen = TTGlyphPen(None)
    pen.moveTo((100, 0))
    for point in ((100, 600), (500, 600), (500, 0)):
        pen.lineTo(point)
    pen.closePath()
    box, nothing = pen.glyph(), TTGlyphPen(None).glyph()
    order = [".notdef", *codes.values()]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap(codes)
    builder.setupGlyf({name: nothing if name in {codes[ord(c)] for c in empty} else box
                       for name in order})
    builder.setupHorizontalMetrics({name: (600, 100) for name in order})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": family, "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=800, usWinAscent=800, usWinDescent=200)
    builder.setupPost()
    path.parent.mkdir(parents=True, exist_ok=True)
    builder.save(str(path))
    return path


def test_the_checker_finds_boxes_and_blank_glyphs(tmp_path: Path) -> None:
    font = box_font(tmp_path / "Blanks.ttf", "Chapbook Blanks", "AB", "C ")
    fonts = FontConfiguration()
    css = CSS(string=f'@font-face {{ font-family: "Chapbook Blanks"; src: url('
                     f'"{font.as_uri()}"); }} p {{ font-family: "Chapbook Blanks"; }}',
              font_config=fonts)
    pdf = tmp_path / "blanks.pdf"
    HTML(string=f"<p>ABC A{UNASSIGNED}B</p>").write_pdf(pdf, stylesheets=[css],
                                                        font_config=fonts)
    glyphs = list(drawn_glyphs(pdf))
    assert [g.text for g in glyphs if not g.blank and g.text.strip()] == list("ABAB")
    empty = [g for g in glyphs if g.empty and not g.notdef]
    assert [(g.font, g.text) for g in empty if g.blank] == [("Chapbook-Blanks", "C")]
    assert [g.text for g in glyphs if g.notdef] == [UNASSIGNED]
    assert [g.empty for g in glyphs if g.text == " "] == [True]  # a space draws nothing


def test_a_machine_font_with_an_empty_glyph_is_a_blank_glyph_warning(tmp_path: Path) -> None:
    """A font of the machine (here, of a fontconfig set up for the test) that maps a
    character to an empty glyph: the preflight says the page would show a blank, and the
    page does."""
    fonts = tmp_path / "fonts"
    box_font(fonts / "Blank.ttf", "Chapbook Blank Test", "", UNASSIGNED)
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?>\n<fontconfig>\n'
                    '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
                    f"<dir>{fonts}</dir>\n<cachedir>{tmp_path / 'cache'}</cachedir>\n"
                    "</fontconfig>\n")
    text = f"A paragraph.\n\nA sign only a blank font has: {UNASSIGNED}.\n"
    root = write_project(tmp_path / "p", {"blank.md": piece("en", text, "A blank")},
                         SCRIPTS_CONFIG)
    env = {"FONTCONFIG_FILE": str(conf)}
    built = run("build", "--format", "pdf", cwd=root, env=env)
    assert built.code == 0, built.stderr
    assert (f"'{UNASSIGNED}' (U+0378) (Unassigned) would print blank: Chapbook Blank Test"
            in built.stderr), built.stderr
    assert "[blank-glyph]" in built.stderr
    blanks = blank_glyphs(root / "build" / "scripts.pdf")
    assert [(g.font, g.text, g.empty) for g in blanks] == \
        [("Chapbook-Blank-Test", UNASSIGNED, True)] * len(blanks) and blanks
    assert run("build", "--format", "pdf", "--strict", cwd=root, env=env).code == 1


def test_a_font_installed_since_the_last_build_builds_again(tmp_path: Path) -> None:
    """Installing a font changes what the PDF draws, so an unchanged project is not 'up to
    date' any more (nor are its cached chunks)."""
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?>\n<fontconfig>\n'
                    '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
                    f"<dir>{fonts}</dir>\n<cachedir>{tmp_path / 'cache'}</cachedir>\n"
                    "</fontconfig>\n")
    root = write_project(tmp_path / "p", {"one.md": piece("en", "A paragraph.\n", "One")},
                         SCRIPTS_CONFIG)
    env = {"FONTCONFIG_FILE": str(conf)}
    assert run("build", "--format", "epub", cwd=root, env=env).code == 0
    again = run("build", "--format", "epub", cwd=root, env=env)
    assert "up to date" in again.stderr, again.stderr
    box_font(fonts / "New.ttf", "Chapbook New Test", "A", UNASSIGNED)
    after = run("build", "--format", "epub", cwd=root, env=env)
    assert after.code == 0 and "up to date" not in after.stderr, after.stderr


def test_the_words_chapbook_writes_are_checked_too(tmp_path: Path) -> None:
    """A Hindi book of English pieces prints Hindi labels and a date in Devanagari: on a
    machine without a font for them, the preflight says so at the book's language."""
    conf = tmp_path / "fonts.conf"  # a machine with no fonts but the style's
    conf.write_text('<?xml version="1.0"?>\n<fontconfig>\n'
                    f"<cachedir>{tmp_path / 'cache'}</cachedir>\n</fontconfig>\n")
    config = SCRIPTS_CONFIG.replace('editors = ["Ed Itor"]', 'editors = ["Ed Itor"]\n'
                                    'language = "hi"')
    root = write_project(tmp_path / "p", {"one.md": piece("en", "A paragraph.\n", "One")},
                         config)
    built = run("build", "--format", "pdf", "--strict", cwd=root,
                env={"FONTCONFIG_FILE": str(conf)})
    assert built.code == 1, built.stderr
    assert "chapbook.toml:9: warning: no font covers" in built.stderr, built.stderr
    assert "(Devanagari)" in built.stderr and "(Symbols)" not in built.stderr
    assert "[missing-glyph]" in built.stderr


@pytest.mark.parametrize(("style", "text", "language", "expected"), [
    ("classic", "Article One", "en", ("Charis SIL",)),
    ("classic", "차례 소설", "ko", ("NanumMyeongjo",)),
    ("classic", "小さな画面のなぐさめ", "ja", ("Noto Serif CJK JP",)),
    ("classic", "عزاء الشاشات", "ar", ("Noto Naskh Arabic",)),
    ("classic", "Article 小さな", "ja", ("Noto Serif CJK JP", "Charis SIL")),
    ("magazine", "Article One", "en", ("Inter",)),
    ("magazine", "عزاء الشاشات", "ar", ("Noto Sans Arabic",)),
])
def test_the_colophon_names_the_faces_that_set_the_book(
        style: str, text: str, language: str, expected: tuple[str, ...]) -> None:
    """'Set in …' names the faces that draw the book's words, not every file of the style:
    a Japanese book is set in Noto Serif CJK JP, not in the style's Korean face."""
    loaded, _ = load_style(style, REPO)
    assert loaded is not None
    assert loaded.typefaces_for(text, language) == expected
