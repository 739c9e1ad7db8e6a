"""Do two versions of chapbook make the same books? For refactors that must change nothing.

    python benchmarks/same_outputs.py build SRC OUT   # build the cases with the code in SRC/src
    python benchmarks/same_outputs.py compare A B     # compare two OUT folders

The cases: the sample project (EPUB and chunked print PDF), the sample in one pass with the
screen profile, the adversarial test project, and a generated corpus of 60 reviews.
EPUBs must be byte-identical; PDFs must have the same pages: the same text (pdftotext) and
the same pixels at 50 dpi (pdfium). Exit status 0 when everything matches.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pypdfium2

REPO = Path(__file__).resolve().parent.parent
CASES: dict[str, tuple[str, tuple[str, ...]]] = {
    "sample": ("sample", ()),
    "sample-screen": ("sample", ("--single-pass", "--profile", "print", "--profile", "screen")),
    "adversarial": ("adversarial", ()),
    "corpus60": ("corpus60", ("--chunked",)),
}
DPI = 50


def _project(name: str, work: Path) -> Path:
    if name == "sample":
        return REPO
    if name == "adversarial":
        return REPO / "tests" / "data" / "adversarial"
    corpus = work / name
    if not corpus.exists():
        subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), "60",
                        str(corpus)], check=True, stdout=subprocess.DEVNULL)
    return corpus


def build(src: Path, out: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(src / "src"), "SOURCE_DATE_EPOCH": "1767225600"}
    with tempfile.TemporaryDirectory() as work:
        for case, (project, flags) in CASES.items():
            target = out / case
            shutil.rmtree(target, ignore_errors=True)
            command = [sys.executable, "-m", "chapbook", "build", "--project",
                       str(_project(project, Path(work))), "--out", str(target), *flags]
            done = subprocess.run(command, env=env, capture_output=True, text=True)
            print(f"{case}: exit {done.returncode}")


def _page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    return text.split("\f")


def _page_pixels(pdf: Path) -> list[bytes]:
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        return [page.render(scale=DPI / 72).to_pil().tobytes() for page in document]
    finally:
        document.close()


def _compare_pdf(a: Path, b: Path) -> list[str]:
    pixels_a, pixels_b = _page_pixels(a), _page_pixels(b)
    if len(pixels_a) != len(pixels_b):
        return [f"{a.name}: {len(pixels_a)} pages against {len(pixels_b)}"]
    texts_a, texts_b = _page_texts(a), _page_texts(b)
    problems = [f"{a.name}: page {n + 1} text differs"
                for n, (x, y) in enumerate(zip(texts_a, texts_b, strict=True)) if x != y]
    problems += [f"{a.name}: page {n + 1} pixels differ"
                 for n, (x, y) in enumerate(zip(pixels_a, pixels_b, strict=True)) if x != y]
    return problems


def compare(a: Path, b: Path) -> int:
    books_a = sorted(p.relative_to(a) for p in a.glob("*/*") if p.suffix in (".epub", ".pdf"))
    books_b = sorted(p.relative_to(b) for p in b.glob("*/*") if p.suffix in (".epub", ".pdf"))
    problems = [] if books_a == books_b else [f"different files: {books_a} / {books_b}"]
    for book in (x for x in books_a if x in books_b):
        if book.suffix == ".epub":
            same = (a / book).read_bytes() == (b / book).read_bytes()
            found = [] if same else [f"{book}: bytes differ"]
        else:
            found = _compare_pdf(a / book, b / book)
        print(f"{book}: {'same' if not found else 'DIFFERENT'}")
        problems += found
    for problem in problems:
        print(problem)
    print(f"{len(books_a)} books compared, {len(problems)} differences")
    return 1 if problems or not books_a else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    build_cmd = sub.add_parser("build")
    build_cmd.add_argument("src", type=Path)
    build_cmd.add_argument("out", type=Path)
    compare_cmd = sub.add_parser("compare")
    compare_cmd.add_argument("a", type=Path)
    compare_cmd.add_argument("b", type=Path)
    args = parser.parse_args()
    if args.command == "build":
        build(args.src.resolve(), args.out.resolve())
        return 0
    return compare(args.a, args.b)


if __name__ == "__main__":
    sys.exit(main())
