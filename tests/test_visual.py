"""Visual checks: the first pages of every style, compared with reviewed reference images.

An unintended change to a style (a margin, a size, a font) shows as a difference from the
PNGs in tests/visual/, rendered at low resolution from the little book in
tests/data/visual/. After an intended change, look at the new pages and refresh the
references with `make visual-refresh` (CHAPBOOK_VISUAL_REFRESH=1); the failing test leaves
the new page and a difference image beside its message.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from .conftest import DATA, run_chapbook

REFERENCES = Path(__file__).parent / "visual"
STYLES = ("classic", "magazine", "pocket")
DPI = 30
TOLERANCE = 1.5  # mean absolute difference per pixel, of 255: text moving by a line fails
REFRESH = os.environ.get("CHAPBOOK_VISUAL_REFRESH") == "1"


def render_pages(style: str, work: Path) -> list[Path]:
    project = work / "project"
    shutil.copytree(DATA / "visual", project)
    built = run_chapbook("build", "--format", "pdf", "--style", style, cwd=project)
    assert built.code == 0, built.stderr
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png",
                    str(project / "build" / "visual-screen.pdf"), str(work / style)],
                   check=True)
    return sorted(work.glob(f"{style}-*.png"))


def difference(expected: Path, actual: Path) -> tuple[float, Image.Image]:
    old, new = Image.open(expected).convert("L"), Image.open(actual).convert("L")
    if old.size != new.size:
        return 255.0, new
    diff = ImageChops.difference(old, new)
    return ImageStat.Stat(diff).mean[0], diff


@pytest.mark.parametrize("style", STYLES)
def test_style_pages_match_the_references(style: str, tmp_path: Path) -> None:
    pages = render_pages(style, tmp_path)
    assert len(pages) >= 6
    if REFRESH:
        for old in REFERENCES.glob(f"{style}-*.png"):
            old.unlink()
        for page in pages:
            shutil.copy(page, REFERENCES / f"{style}-{page.stem.rsplit('-', 1)[1]}.png")
        pytest.skip("references refreshed: look at them before committing")
    expected = sorted(REFERENCES.glob(f"{style}-*.png"))
    assert [p.name.rsplit("-", 1)[1] for p in expected] == \
        [p.name.rsplit("-", 1)[1] for p in pages], "the number of pages changed"
    for reference, page in zip(expected, pages, strict=True):
        score, diff = difference(reference, page)
        diff.save(page.with_suffix(".diff.png"))
        assert score <= TOLERANCE, (
            f"{reference.name} differs by {score:.2f} (tolerance {TOLERANCE}); new page "
            f"{page}, difference {page.with_suffix('.diff.png')}; if intended, run "
            "make visual-refresh")
