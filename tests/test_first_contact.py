"""First contact: `init` around the manuscripts a user already has, `--version`, and
messages that name one cause once, with a location and the accepted forms."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from .conftest import DATA, GOOD_REVIEW, MINIMAL_CONFIG, REPO, run_chapbook, write_project
from .epubtools import Epub


def review(title: str, author: str, tags: str, language: str = "en") -> str:
    return (GOOD_REVIEW.replace("'Good Film' review: it is good", title)
            .replace("Ann Critic", author).replace("[drama]", tags)
            .replace("tags:", f"language: {language}\ntags:"))


def test_version() -> None:
    done = run_chapbook("--version", cwd=REPO)
    assert done.code == 0
    assert done.stdout.startswith("chapbook ") and done.stdout.split()[1][0].isdigit()


def test_init_in_a_folder_of_loose_manuscripts_writes_a_config_that_builds(
        tmp_path: Path) -> None:
    folder = tmp_path / "my-reviews"
    folder.mkdir()
    pieces = {"a.md": review("'Alpha' review: first", "Jane Doe", "[horror, drama]"),
              "b.md": review("'Beta' review: second", "Kim Lee", "[horror]"),
              "c.md": review("'Gamma' critique : troisième", "Jane Doe", "[comedy]", "fr")}
    for name, text in pieces.items():
        (folder / name).write_text(text, encoding="utf-8")
    done = run_chapbook("init", cwd=folder)  # no argument: this folder
    assert done.code == 0, done.stderr
    assert sorted(p.name for p in (folder / "manuscripts").iterdir()) == sorted(pieces)
    assert (folder / "a.md").exists()  # copied, not moved
    config = tomllib.loads((folder / "chapbook.toml").read_text(encoding="utf-8"))
    assert sorted(config["contributors"]) == ["Jane Doe", "Kim Lee"]
    assert config["anthology"] == [{"slug": "everything", "title": "My Reviews",
                                    "select": {}, "order": "date",
                                    "formats": ["epub", "pdf", "html"]}]
    text = (folder / "chapbook.toml").read_text(encoding="utf-8")
    assert '# slug = "tag-horror"' in text  # the frequent tag, as a suggestion
    assert "comedy" not in text  # one piece makes no book
    assert '# select = { language = ["fr"] }' in text  # two languages: one book each
    checked = run_chapbook("check", cwd=folder)
    assert checked.code == 0, checked.stderr
    built = run_chapbook("build", "--format", "epub", cwd=folder)
    assert built.code == 0, built.stderr
    assert (folder / "build" / "everything.epub").is_file()


def test_init_from_a_folder_elsewhere(tmp_path: Path) -> None:
    source = tmp_path / "exports"
    source.mkdir()
    (source / "a.md").write_text(review("'Alpha' review: first", "Jane Doe", "[x]"),
                                 encoding="utf-8")
    done = run_chapbook("init", "press", "--from", str(source), cwd=tmp_path)
    assert done.code == 0, done.stderr
    assert (tmp_path / "press" / "manuscripts" / "a.md").is_file()
    assert "cd press && chapbook check" in done.stderr
    assert run_chapbook("init", "press", cwd=tmp_path).code == 1  # never overwrites


def test_a_review_copied_off_a_website_builds_in_a_fresh_project(tmp_path: Path) -> None:
    """The shape of ../shared/seeds/: a .txt with no front matter at all. Its work is read
    from the headline, and a work of kind 'other' shows no '(other)'."""
    shutil.copy(DATA / "webcopy" / "lighthouse-keeper.txt", tmp_path / "lighthouse.txt")
    assert run_chapbook("init", cwd=tmp_path).code == 0
    done = run_chapbook("build", "--format", "epub", cwd=tmp_path)
    assert done.code == 0, done.stderr
    document = Epub(tmp_path / "build" / "everything.epub").read("EPUB/lighthouse.xhtml")
    assert "<cite><bdi>The Lighthouse Keeper\u2019s Daughter</bdi></cite></p>" in document.decode()
    assert "(other)" not in document.decode()


def test_an_unknown_style_is_found_by_check_at_its_line(tmp_path: Path) -> None:
    config = MINIMAL_CONFIG + 'style = "nowhere"\n'
    root = write_project(tmp_path / "p", {"a.md": GOOD_REVIEW}, config)
    done = run_chapbook("check", cwd=root)
    assert done.code == 1
    line = config.splitlines().index('style = "nowhere"') + 1
    assert f"chapbook.toml:{line}: error: no style named 'nowhere' [unknown-style]" in done.stderr
    assert done.stderr.rstrip().endswith("check failed: 1 error, 1 warning")  # and a bio
    built = run_chapbook("build", cwd=root)
    assert built.stderr.count("[unknown-style]") == 1  # one cause, one error


def test_a_listed_piece_that_cannot_be_read_is_not_also_unknown(tmp_path: Path) -> None:
    config = MINIMAL_CONFIG + 'pieces = ["broken", "good", "absent"]\n'
    broken = "---\ntitle: [unclosed\n---\nText.\n"
    root = write_project(tmp_path / "p", {"broken.md": broken, "good.md": GOOD_REVIEW}, config)
    done = run_chapbook("check", cwd=root)
    assert done.code == 1
    assert "manuscripts/broken.md" in done.stderr
    assert "'broken'" not in done.stderr  # no "no manuscript with slug 'broken'"
    assert "no manuscript with slug 'absent'" in done.stderr  # a real typo still is


def test_a_book_of_only_unreadable_pieces_gets_no_second_error(tmp_path: Path) -> None:
    config = MINIMAL_CONFIG + 'pieces = ["broken"]\n'
    root = write_project(tmp_path / "p", {"broken.md": "---\ntitle: [x\n---\nText.\n"}, config)
    done = run_chapbook("check", cwd=root)
    assert done.code == 1
    assert "[empty-anthology]" not in done.stderr


def test_an_unknown_book_lists_the_books(tmp_path: Path) -> None:
    config = MINIMAL_CONFIG + '\n[[anthology]]\nslug = "horror"\ntitle = "Horror"\n'
    root = write_project(tmp_path / "p", {"a.md": GOOD_REVIEW}, config)
    done = run_chapbook("build", "everythin", cwd=root)
    assert done.code == 1
    assert "did you mean 'everything'?" in done.stderr
    assert "the anthologies are: everything, horror" in done.stderr


def test_config_refusals_name_the_accepted_form(tmp_path: Path) -> None:
    config = MINIMAL_CONFIG + 'date = "last spring"\nslug_extra = 1\n'
    config = config.replace('slug = "everything"', 'slug = "Every Thing"')
    root = write_project(tmp_path / "p", {"a.md": GOOD_REVIEW}, config)
    done = run_chapbook("check", cwd=root)
    assert "must be lower-case letters, digits and hyphens, e.g. comfort-watches" in done.stderr
    assert "must be a date written YYYY-MM-DD, e.g. 2024-03-23 (got 'last spring')" \
        in done.stderr
    assert "Input should" not in done.stderr and "String should" not in done.stderr


@pytest.mark.parametrize(("broken", "says"), [
    ("{{ nothing.here }}", "template error in styles/mine/templates/epub/titlepage.xhtml.j2:"
                           " 'nothing' is undefined"),
    ("{% if %}", "template syntax error in styles/mine/templates/epub/titlepage.xhtml.j2"),
])
def test_a_broken_style_template_is_found_by_check_and_refused_by_build(
        tmp_path: Path, broken: str, says: str) -> None:
    root = write_project(tmp_path / "p", {"a.md": GOOD_REVIEW},
                         MINIMAL_CONFIG + 'style = "mine"\n')
    assert run_chapbook("styles", "copy", "classic", "mine", cwd=root).code == 0
    template = root / "styles" / "mine" / "templates" / "epub" / "titlepage.xhtml.j2"
    template.write_text(broken + "\n" + template.read_text(encoding="utf-8"), encoding="utf-8")
    checked = run_chapbook("check", cwd=root)
    assert checked.code == 1
    assert "styles/mine/templates/epub/titlepage.xhtml.j2:1: error: " + says in checked.stderr
    built = run_chapbook("build", "--format", "epub", cwd=root)
    assert built.code == 1 and "Traceback" not in built.stderr
    assert "[bad-template]" in built.stderr and not (root / "build" / "everything.epub").exists()


def test_init_warns_of_what_it_did_not_copy_or_could_not_read(tmp_path: Path) -> None:
    (tmp_path / "manuscripts").mkdir()
    (tmp_path / "manuscripts" / "a.md").write_text(GOOD_REVIEW, encoding="utf-8")
    (tmp_path / "a.md").write_text(GOOD_REVIEW.replace("Good Film", "Other"), encoding="utf-8")
    (tmp_path / "broken.md").write_text("---\ntitle: [x\n---\nText.\n", encoding="utf-8")
    essay = "---\ntitle: Why we review\nauthor: Ed Itor\nkind: essay\n---\nBecause.\n"
    (tmp_path / "essay.md").write_text(essay, encoding="utf-8")
    done = run_chapbook("init", cwd=tmp_path)
    assert done.code == 0, done.stderr
    assert "warning: not copied" in done.stderr and "a.md" in done.stderr
    assert "1 manuscript(s) could not be read" in done.stderr
    config = tomllib.loads((tmp_path / "chapbook.toml").read_text(encoding="utf-8"))
    assert config["anthology"][0]["foreword"] == "essay"  # the one essay opens the book
    assert not (tmp_path / "manuscripts" / "the-example.md").exists()


def test_init_over_unreadable_manuscripts_writes_no_example(tmp_path: Path) -> None:
    (tmp_path / "broken.md").write_text("---\ntitle: [x\n---\nText.\n", encoding="utf-8")
    assert run_chapbook("init", cwd=tmp_path).code == 0
    assert not (tmp_path / "manuscripts" / "the-example.md").exists()
    assert "Your Name" not in (tmp_path / "chapbook.toml").read_text(encoding="utf-8")
