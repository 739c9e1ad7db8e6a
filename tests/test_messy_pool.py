"""A messy pool (tests/data/messy/): metadata written the way people write it and text as it
comes off the web, 40 pieces, every one built as it is: no errors, EPUBCheck clean, every
piece in the book."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from chapbook.build.options import BuildOptions
from chapbook.build.plan import plan
from chapbook.core.diagnostics import Severity
from chapbook.render.epub_documents import epub_file_name

from .conftest import DATA, run_chapbook
from .epubtools import Epub, epubcheck_messages

POOL = DATA / "messy"


@pytest.fixture(scope="module")
def messy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("messy") / "project"
    shutil.copytree(POOL, root)
    return root


def test_every_piece_is_read_and_selected(messy: Path) -> None:
    the_plan = plan(messy, BuildOptions(formats=("epub",)))
    errors = [str(d) for d in the_plan.diagnostics if d.severity >= Severity.ERROR]
    assert errors == []
    files = sorted(p for p in (messy / "manuscripts").iterdir())
    assert len(the_plan.manuscripts) == len(files) >= 30
    book = the_plan.anthologies[0]
    assert book.foreword is not None and book.foreword.slug == "why-we-keep-everything"
    assert len(book.pieces) == len(files) - 1  # every review, the essay as the foreword


def test_the_pool_builds_and_passes_epubcheck(messy: Path) -> None:
    done = run_chapbook("build", "--format", "epub", "--validate", cwd=messy)
    assert done.code == 0, done.stderr
    assert " error: " not in done.stderr
    epub = messy / "build" / "everything.epub"
    assert epubcheck_messages(epub) == []
    names = Epub(epub).names()
    the_plan = plan(messy, BuildOptions(formats=("epub",)))
    missing = [piece.slug for piece in the_plan.manuscripts
               if not any(name.endswith("/" + epub_file_name(piece.slug)) for name in names)]
    assert missing == []

def test_nothing_read_is_lost_or_left_broken(messy: Path) -> None:
    the_plan = plan(messy, BuildOptions(formats=("epub",)))
    by_slug = {piece.slug: piece for piece in the_plan.manuscripts}
    assert "first paragraph of the text" in by_slug["front-title"].body_html
    for slug in ("c1-controls", "mojibake"):
        text = by_slug[slug].title + by_slug[slug].body_html
        assert not any("\x80" <= c <= "\x9f" for c in text), slug
        assert "â€" not in text, slug
    assert by_slug["saved-page"].title.endswith("a saved page")
    assert "<table" in by_slug["table"].body_html
    assert 'href="https://../"' not in by_slug["bad-autolink"].body_html  # text kept
