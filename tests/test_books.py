"""Books as data: `--books FILE.jsonl`, `include` files, `--out` templates."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from chapbook.build.options import BuildOptions
from chapbook.build.uptodate import fingerprint
from chapbook.core.paths import BuildPaths, out_problem, split_out

from .conftest import GOOD_REVIEW, run_chapbook, write_project

CONFIG = """\
[press]
name = "Test Press"

[contributors."Ann Critic"]
bio = "Writes."
"""
BOOKS = 200


def book_line(n: int) -> dict[str, object]:
    # A cover image: the 200 EPUBs do not each lay a cover out (a test of books as data,
    # not of covers)
    return {"slug": f"book-{n:03d}", "title": f"Book number {n}", "cover": "cover.png",
            "language": "fr" if n % 4 == 0 else "en", "formats": ["epub"]}


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A one-piece pool and 200 books in one JSON Lines file, built as EPUBs."""
    root = write_project(tmp_path_factory.mktemp("many"), {"good.md": GOOD_REVIEW}, CONFIG)
    Image.new("RGB", (60, 90), "navy").save(root / "cover.png")
    lines = [json.dumps(book_line(n)) for n in range(BOOKS)]
    lines.insert(100, "")  # a blank line is skipped
    (root / "books.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = run_chapbook("build", "--books", "books.jsonl", "-f", "epub",
                        "--out", "build/{language}/{slug}", cwd=root)
    assert done.code == 0, done.stderr
    return root, done.stderr


def test_one_jsonl_file_builds_200_books_in_their_folders(many: tuple[Path, str]) -> None:
    root, stderr = many
    epubs = sorted((root / "build").rglob("*.epub"))
    assert len(epubs) == BOOKS
    for n in (0, 1, 117, 199):
        book = book_line(n)
        path = root / "build" / str(book["language"]) / str(book["slug"]) / f"{book['slug']}.epub"
        assert path in epubs
        with zipfile.ZipFile(path) as epub:
            opf = epub.read("EPUB/content.opf").decode()
        assert f">{book['title']}<" in opf and f">{book['language']}</dc:language>" in opf
    assert sorted(p.name for p in (root / "build").iterdir()) == [".cache", ".lock", "en", "fr"]
    assert stderr.count("wrote build/") == BOOKS


def test_the_same_build_again_is_up_to_date(many: tuple[Path, str]) -> None:
    root, _ = many
    done = run_chapbook("build", "--books", "books.jsonl", "-f", "epub",
                        "--out", "build/{language}/{slug}", "book-007", cwd=root)
    assert done.code == 0, done.stderr
    assert "wrote build/en/book-007/book-007.epub" in done.stderr  # other books: a new run
    again = run_chapbook("build", "--books", "books.jsonl", "-f", "epub",
                         "--out", "build/{language}/{slug}", "book-007", cwd=root)
    assert again.stderr.strip() == "up to date: build/en/book-007/book-007.epub"


def test_the_books_file_is_part_of_the_fingerprint(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"good.md": GOOD_REVIEW}, CONFIG)
    books = root / "books.jsonl"
    books.write_text('{"slug": "a", "title": "A"}\n', encoding="utf-8")
    options = BuildOptions(books=books)
    before = fingerprint(root, options)
    books.write_text('{"slug": "a", "title": "Another A"}\n', encoding="utf-8")
    assert fingerprint(root, options) != before


BAD_LINES = """\
{"slug": "a", "title": "A"}

{"slug": "b", "title": "B", "select": {"tag_any": ["drama"]}}
{"slug": "c", "title":
{"slug": "a", "title": "A again"}
["not", "an", "object"]
{"slug": "Bad Slug", "title": "D"}
"""


def test_each_bad_line_is_an_error_at_its_line(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"good.md": GOOD_REVIEW}, CONFIG)
    (root / "books.jsonl").write_text(BAD_LINES, encoding="utf-8")
    done = run_chapbook("check", "--books", "books.jsonl", cwd=root)
    assert done.code == 1
    errors = [line for line in done.stderr.splitlines() if ": error: " in line]
    assert errors == [
        "books.jsonl:3: error: unknown key 'select.tag_any' [config-unknown-key]",
        "books.jsonl:4:23: error: invalid JSON: Expecting value [books-syntax]",
        "books.jsonl:5: error: anthology slug 'a' is used twice (first at books.jsonl:1) "
        "[duplicate-book]",
        "books.jsonl:6: error: a book must be an object, not list [books-syntax]",
        "books.jsonl:7: error: 'slug': must be lower-case letters, digits and hyphens, e.g. "
        "comfort-watches (got 'Bad Slug') [config-invalid]",
    ]


def test_a_missing_books_file_is_an_error(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"good.md": GOOD_REVIEW}, CONFIG)
    done = run_chapbook("list", "--books", "nowhere.jsonl", cwd=root)
    assert done.code == 1 and "[books-unreadable]" in done.stderr


INCLUDING = """\
include = ["more-books.toml"]

[press]
name = "Test Press"

[[anthology]]
slug = "first"
title = "First"
"""
MORE_BOOKS = """\
# more books

[[anthology]]
slug = "second"
title = "Second"

[[anthology]]
slug = "third"
title = "Third"
style = "no-such-style"
"""


def test_included_toml_books_are_added_and_located(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"good.md": GOOD_REVIEW}, INCLUDING)
    (root / "more-books.toml").write_text(MORE_BOOKS, encoding="utf-8")
    done = run_chapbook("check", cwd=root)
    assert "more-books.toml:10: error: no style named 'no-such-style' [unknown-style]" in (
        done.stderr)
    (root / "more-books.toml").write_text(MORE_BOOKS.replace("no-such-style", "classic")
                                          .replace('"second"', '"first"'), encoding="utf-8")
    done = run_chapbook("list", "--json", cwd=root)
    assert "more-books.toml:4: error: anthology slug 'first' is used twice (first at " \
           "chapbook.toml:7)" in done.stderr
    (root / "more-books.toml").write_text(MORE_BOOKS.replace("no-such-style", "classic"),
                                          encoding="utf-8")
    done = run_chapbook("list", "--json", cwd=root)
    assert done.code == 0, done.stderr
    assert [b["slug"] for b in json.loads(done.stdout)["anthologies"]] == [
        "first", "second", "third"]


def test_out_templates_split_at_the_first_field() -> None:
    assert split_out("build/{language}/{slug}") == (Path("build"), "{language}/{slug}")
    assert split_out("/tmp/out") == (Path("/tmp/out"), "")
    assert split_out("{slug}") == (Path("."), "{slug}")
    paths = BuildPaths(Path("build"), "{trim}/{style}-{slug}")
    target = paths.book("b", "pdf", "screen", {"trim": "6x9in", "style": "../x"})
    assert target == Path("build/6x9in/..-x-b/b-screen.pdf")
    assert out_problem("{language}/{slug}") is None
    assert "unknown field {author}" in str(out_problem("{author}/{slug}"))
    assert out_problem("{slug}/../x") is not None


def test_an_unknown_out_field_is_a_command_line_error(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"good.md": GOOD_REVIEW}, CONFIG)
    done = run_chapbook("build", "--out", "build/{reviewer}", cwd=root)
    assert done.code == 2 and "unknown field {reviewer}" in done.stderr
