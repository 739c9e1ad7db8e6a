"""Styles: built-in ones, inheritance through style.toml, project overrides, the CLI."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import pytest

from chapbook.build.options import BuildOptions
from chapbook.build.plan import plan
from chapbook.core.diagnostics import Location
from chapbook.core.labels import ENGLISH
from chapbook.core.manuscript import Manuscript, Work
from chapbook.render.context import MarkupLabels, book_labels, isolated
from chapbook.render.epub_documents import render_epub
from chapbook.render.print_html import render_print
from chapbook.render.styles import Style, builtin_style_names, builtin_styles_dir, load_style

from .conftest import GOOD_REVIEW, REPO, run_chapbook, write_project

BUILTIN = ("classic", "magazine", "pocket")


def style(name: str, root: Path = REPO) -> Style:
    loaded, problems = load_style(name, root)
    assert loaded is not None, problems
    return loaded


def test_three_builtin_styles_with_descriptions() -> None:
    assert set(BUILTIN) <= set(builtin_style_names())
    descriptions = {style(name).description for name in BUILTIN}
    assert len(descriptions) == 3 and all(descriptions)


@pytest.mark.parametrize("name", BUILTIN)
def test_style_fonts_are_declared_present_and_licensed(name: str) -> None:
    loaded = style(name)
    assert loaded.fonts and all(face.path.is_file() for face in loaded.fonts)
    own = builtin_styles_dir() / name / "fonts"
    files = {p.name for p in own.iterdir()}
    assert any(f.startswith("OFL-") for f in files), "a licence beside the fonts"
    declared = {face.path.name for face in loaded.fonts}
    unused = {f for f in files if f.endswith((".ttf", ".otf"))} - declared
    if name != "classic":  # classic's fonts are declared by classic, and used by children
        assert unused == set(), "only the weights the style uses"


def test_child_style_cascades_style_sheets_and_inherits_templates() -> None:
    magazine = style("magazine")
    sheets = magazine.stylesheets("css/print.css")
    assert [p.parent.parent.name for p in sheets] == ["classic", "magazine"]
    assert "classic" in magazine.stylesheet_text("css/epub.css")
    assert "magazine" in magazine.stylesheet_text("css/epub.css")
    # a template magazine does not have comes from classic; its own partial extends classic's
    assert Path(magazine.environment.get_template("print/book.html.j2").filename or "") \
        .is_relative_to(builtin_styles_dir() / "classic")
    assert "kicker" in magazine.environment.get_template("partials/review.html.j2").render(
        piece=_piece(), piece_id=lambda p: "x", labels_of=lambda p: MarkupLabels(ENGLISH),
        isolated=isolated, body_html=lambda p: "")
    # pocket takes its Korean font from classic's folder
    assert any(f.path.parent.parent.name == "classic" for f in style("pocket").fonts)


def _piece() -> Manuscript:
    return Manuscript(slug="x", source=Location("x.md"), path=Path("x.md"), title="T",
                      body_html="<p>b</p>", content_hash="0", language="en",
                      work=Work(title="W", kind="film"))


def test_font_css_declares_fonts_and_fallback_stack(tmp_path: Path) -> None:
    font = tmp_path / "fonts" / "Extra.ttf"
    font.parent.mkdir()
    font.write_bytes((builtin_styles_dir() / "classic/fonts/NanumMyeongjo.ttf").read_bytes())
    loaded, _ = load_style("classic", tmp_path, (font,))
    assert loaded is not None
    css = loaded.font_css
    assert css.count("@font-face") == 6
    assert 'font-family: "Charis SIL"' in css and "font-style: italic" in css
    assert '--fallback-fonts: "chapbook-fallback-1"' in css and font.as_uri() in css
    assert '"chapbook-no-fallback"' in style("classic").font_css


HOUSE_MANIFEST = 'description = "Our house style"\ninherits = "magazine"\n'


@pytest.fixture
def project_with_styles(tmp_path: Path) -> Path:
    config = ('[press]\nname = "P"\n\n[[anthology]]\nslug = "b"\ntitle = "B"\n'
              'editors = ["Ed"]\nstyle = "house"\n')
    root = write_project(tmp_path / "p", {"good.md": GOOD_REVIEW}, config)
    house = root / "styles" / "house"
    (house / "css").mkdir(parents=True)
    (house / "style.toml").write_text(HOUSE_MANIFEST)
    (house / "css" / "print.css").write_text("/* house print */\n")
    parts = root / "styles" / "classic" / "templates" / "partials"
    parts.mkdir(parents=True)
    (parts / "part.html.j2").write_text("OVERRIDDEN PART")
    (parts / "about.html.j2").write_text(
        '{% extends "!classic/partials/about.html.j2" %}')
    (parts / "tags.html.j2").write_text("<p>HOUSE TAGS</p>")
    return root


def test_project_styles_override_extend_and_inherit(project_with_styles: Path) -> None:
    root = project_with_styles
    house = style("house", root)
    assert house.description == "Our house style"
    sheets = house.stylesheets("css/print.css")
    assert [p.parent.parent.name for p in sheets] == ["classic", "magazine", "house"]
    assert sheets[-1].is_relative_to(root)
    # a project file of a parent style replaces the built-in one for the child too
    assert house.environment.get_template("partials/part.html.j2").render() == \
        "OVERRIDDEN PART"
    about = house.environment.get_template("partials/about.html.j2")
    assert Path(about.filename or "").is_relative_to(root)  # the project's, extending
    book = the_book(root)
    assert "About" in about.render(book=book, l=MarkupLabels(book_labels(book)))  # built-in
    the_plan = plan(root, BuildOptions())
    book = the_plan.anthologies[0]
    printed = render_print(book, house, book.config.print.page_setup("print"))
    assert 'class="kicker"' in printed.html  # from magazine's partial
    assert printed.stylesheets == sheets and "Inter" in printed.font_css


def the_book(root: Path):  # type: ignore[no-untyped-def]
    return plan(root, BuildOptions()).anthologies[0]


def test_style_loops_unknown_parents_and_missing_fonts_are_errors(tmp_path: Path) -> None:
    root = tmp_path
    for name, manifest in {"a": 'inherits = "b"\n', "b": 'inherits = "a"\n',
                           "orphan": 'inherits = "nowhere"\n',
                           "fontless": '[[fonts]]\nfamily = "X"\nfile = "fonts/X.ttf"\n',
                           "typo": 'inherit = "classic"\n'}.items():
        (root / "styles" / name).mkdir(parents=True)
        (root / "styles" / name / "style.toml").write_text(manifest)
    expected = {"a": ("bad-style", "inherits from itself"),
                "orphan": ("unknown-style", "no style named 'nowhere'"),
                "fontless": ("bad-style", "font file 'fonts/X.ttf'"),
                "typo": ("bad-style", "'inherit'"),
                "missing": ("unknown-style", "no style named 'missing'")}
    for name, (code, text) in expected.items():
        loaded, problems = load_style(name, root)
        assert loaded is None
        assert problems[0].code == code and text in problems[0].message, problems
    assert str(load_style("orphan", root)[1][0].location) == "styles/orphan/style.toml"


@pytest.mark.parametrize("name", BUILTIN)
def test_every_style_renders_both_editions(name: str) -> None:
    the_plan = plan(REPO, BuildOptions(formats=("epub",)))
    loaded = style(name)
    for book in the_plan.anthologies:
        epub = render_epub(book, loaded)
        for document in epub.documents:
            ElementTree.fromstring(document.xhtml.encode())  # well-formed XHTML
        printed = render_print(book, loaded, book.config.print.page_setup("print"))
        assert printed.html.count("<article") == len(book.pieces)
        assert "@font-face" in printed.font_css


def test_styles_cli_lists_and_copies(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {"good.md": GOOD_REVIEW})
    listed = run_chapbook("styles", "list", cwd=root)
    assert listed.code == 0, listed.stderr
    for name in BUILTIN:
        assert name in listed.stdout
    assert "inherits classic" in listed.stdout
    copied = run_chapbook("styles", "copy", "pocket", "mine", cwd=root)
    assert copied.code == 0, copied.stderr
    assert (root / "styles" / "mine" / "css" / "print.css").is_file()
    assert (root / "styles" / "mine" / "fonts" / "OFL-LinuxLibertine.txt").is_file()
    assert "mine" in run_chapbook("styles", "list", cwd=root).stdout
    again = run_chapbook("styles", "copy", "pocket", "mine", cwd=root)
    assert again.code == 1 and "already exists" in again.stderr
    unknown = run_chapbook("styles", "copy", "gothic", cwd=root)
    assert unknown.code == 1 and "no built-in style named 'gothic'" in unknown.stderr
