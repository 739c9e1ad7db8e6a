"""Time chapbook's EPUB and PDF builds on synthetic corpora, next to pandoc and plain WeasyPrint.

    .venv/bin/python benchmarks/run.py [--sizes 100 500 2000] [--work DIR]
                                       [--skip-pandoc] [--skip-single] [--skip-warm]

For each size N: generate N reviews (generate.py), then run, each as its own process,
`chapbook build --format epub`, `chapbook build --format pdf`, three warm rebuilds in the
same output folders (nothing changed; one word of one review edited, PDF and EPUB), pandoc
on the same Markdown files, and one plain WeasyPrint pass over chapbook's print HTML
(weasyprint_pass.py).
Prints a table and writes WORK/results.json (rewritten after every size).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.metadata
import importlib.util
import itertools
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from generate import generate  # benchmarks/ is on sys.path when this file is run
from pypdf import PdfReader
from rich.console import Console
from rich.table import Table

HERE = Path(__file__).resolve().parent
PANDOC_HINT = ("pandoc is not installed: install it with `apt-get install -y pandoc` "
               "(Debian/Ubuntu; `brew install pandoc` on macOS), or pass --skip-pandoc")
console = Console(highlight=False, width=None if sys.stdout.isatty() else 130)
FENCE = "\n---\n"  # the line that closes a manuscript's front matter
EDITED = " the "  # the words an edit replaces: the first " the " of the body
EDITS = itertools.count(1)  # numbers the edits of this run: every edited text is new


@dataclass(frozen=True)
class Measurement:
    wall_s: float
    cpu_s: float  # user + system time of the process tree: less sensitive to a busy machine
    peak_mib: float
    load: float  # the 1-minute load average when the command started
    exit_code: int
    stdout: Path
    stderr: Path


@dataclass(frozen=True)
class Row:
    n: int
    tool: str
    wall_s: float
    cpu_s: float
    peak_mib: float
    load: float
    exit_code: int
    pages: int | None = None
    pages_per_s: float | None = None
    output: str | None = None
    output_bytes: int | None = None
    note: str = ""


# ---- measuring one command -------------------------------------------------------------------


def measure(command: list[str], cwd: Path, logs: Path, name: str) -> Measurement:
    """Run a command; return its wall and CPU time and the peak RSS of its process tree.

    `os.wait4` returns the resource usage of exactly this child (its ru_maxrss already
    covers the grandchildren it waited for). `getrusage(RUSAGE_CHILDREN)` would not do:
    its ru_maxrss is a maximum over every child this process has ever reaped.
    """
    logs.mkdir(parents=True, exist_ok=True)
    stdout, stderr = logs / f"{name}.out", logs / f"{name}.err"
    load = os.getloadavg()[0]
    with stdout.open("wb") as out, stderr.open("wb") as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    return Measurement(wall, usage.ru_utime + usage.ru_stime, maxrss_mib(usage.ru_maxrss), load,
                       process.returncode, stdout, stderr)


def maxrss_mib(maxrss: int) -> float:
    """ru_maxrss is in KiB on Linux and in bytes on macOS."""
    return maxrss / (1024 * 1024) if sys.platform == "darwin" else maxrss / 1024


def tail(path: Path, lines: int = 8) -> str:
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def count_lines(path: Path, marker: str) -> int:
    return sum(marker in line for line in path.read_text(errors="replace").splitlines())


def fresh(path: Path) -> Path:
    """An output path with no stale file from an earlier run."""
    path.unlink(missing_ok=True)
    return path


def pdf_pages(path: Path) -> int:
    return len(PdfReader(path).pages)


def row_for(n: int, tool: str, run: Measurement, output: Path, note: str = "",
            pages: int | None = None) -> Row:
    """A table row; a failed command keeps its exit code and the end of its stderr."""
    if run.exit_code != 0 or not output.exists():
        console.print(f"[red]{tool} failed (exit {run.exit_code}); end of {run.stderr}:[/red]")
        console.print(tail(run.stderr), markup=False)
        return Row(n, tool, round(run.wall_s, 2), round(run.cpu_s, 2), round(run.peak_mib, 1),
                   round(run.load, 2), run.exit_code, note=f"failed, exit {run.exit_code}")
    if pages is None and output.suffix == ".pdf":
        pages = pdf_pages(output)
    size = output.stat().st_size
    per_second = round(pages / run.wall_s, 2) if pages else None
    return Row(n, tool, round(run.wall_s, 2), round(run.cpu_s, 2), round(run.peak_mib, 1),
               round(run.load, 2), run.exit_code, pages, per_second, str(output), size, note)


# ---- the four contenders ---------------------------------------------------------------------


def chapbook(n: int, project: Path, fmt: str) -> Row:
    # A fresh, empty --out folder: whatever chapbook keeps there between builds (a record of
    # the last build, cached chunks) would otherwise turn a repeated run into a warm one.
    shutil.rmtree(chapbook_out(project, fmt), ignore_errors=True)
    run = build(project, fmt, f"chapbook-{fmt}")
    return row_for(n, f"chapbook {fmt}", run, chapbook_target(project, fmt), warnings_note(run))


def chapbook_out(project: Path, fmt: str) -> Path:
    return project / "out" / f"chapbook-{fmt}"


def chapbook_target(project: Path, fmt: str) -> Path:
    return chapbook_out(project, fmt) / f"bench.{fmt}"


def build(project: Path, fmt: str, name: str) -> Measurement:
    command = [sys.executable, "-m", "chapbook", "build", "--format", fmt,
               "--project", str(project), "--out", str(chapbook_out(project, fmt))]
    return measure(command, project, project / "logs", name)


def warnings_note(run: Measurement) -> str:
    warnings = count_lines(run.stderr, "warning:")
    return f"{warnings} warning(s)" if warnings else ""


# ---- warm rebuilds: the cold build's --out folder, with its record and cache ------------------


def chapbook_unchanged(n: int, project: Path, fmt: str) -> Row:
    run = build(project, fmt, f"chapbook-{fmt}-unchanged")
    # The point of the row is the "up to date" answer: say so when chapbook built instead.
    answer = "up to date" if count_lines(run.stderr, "up to date:") else "built again"
    note = "; ".join(filter(None, [answer, warnings_note(run)]))
    return row_for(n, f"chapbook {fmt}, nothing changed", run, chapbook_target(project, fmt),
                   note)


def chapbook_edited(n: int, project: Path, fmt: str, cold: Row) -> Row:
    with one_word_edited(project, f"a{next(EDITS)}"):
        run = build(project, fmt, f"chapbook-{fmt}-edited")
    note = "; ".join(filter(None, [share_of(run, cold), warnings_note(run)]))
    return row_for(n, f"chapbook {fmt}, one review edited", run,
                   chapbook_target(project, fmt), note)


def share_of(run: Measurement, cold: Row) -> str:
    """The warm build's wall time as a share of the cold build of the same format."""
    if run.exit_code != 0 or cold.exit_code != 0 or cold.wall_s <= 0:
        return ""
    return f"{100 * run.wall_s / cold.wall_s:.1f} % of cold"


@contextlib.contextmanager
def one_word_edited(project: Path, word: str) -> Iterator[Path]:
    """Replace one word in the body of the middle review; put the file back afterwards.

    The body, not the front matter, so that one chunk's text changes and the book's order,
    contents and metadata do not. The file's bytes are restored, so the later rows (pandoc,
    weasyprint pass) read the corpus generate.py wrote.
    """
    path, text, at = edit_point(project)
    original = path.read_bytes()
    try:
        path.write_bytes(f"{text[:at]} {word} {text[at + len(EDITED):]}".encode())
        yield path
    finally:
        path.write_bytes(original)


def edit_point(project: Path) -> tuple[Path, str, int]:
    """The manuscript at index N//2 of the sorted file names, its text and the offset of the
    first " the " of its body (or the next manuscript with one: a French review has none)."""
    manuscripts = sorted((project / "manuscripts").glob("*.md"))
    middle = len(manuscripts) // 2
    for path in manuscripts[middle:] + manuscripts[:middle]:
        text = path.read_text(encoding="utf-8")
        body = text.find(FENCE, 3)  # from 3: the opening "---" is not the closing fence
        at = text.find(EDITED, body + len(FENCE)) if body >= 0 else -1
        if at >= 0:
            return path, text, at
    raise SystemExit(f'no manuscript in {project / "manuscripts"} has "{EDITED}" in its body')


def pandoc(n: int, project: Path) -> Row:
    target = fresh(project / "out" / "pandoc.epub")
    sources = sorted(p.relative_to(project).as_posix()
                     for p in (project / "manuscripts").glob("*.md"))
    # --file-scope parses each file on its own, so footnote [^1] of one review does not
    # collide with [^1] of the next (pandoc's default is to concatenate the files first).
    command = ["pandoc", "--file-scope", "-o", str(target), *sources]
    run = measure(command, project, project / "logs", "pandoc")
    warnings = count_lines(run.stderr, "[WARNING]")
    return row_for(n, "pandoc epub", run, target, f"{warnings} warning(s)" if warnings else "")


def single_pass(n: int, project: Path) -> Row:
    target = fresh(project / "out" / "weasyprint-pass.pdf")
    command = [sys.executable, str(HERE / "weasyprint_pass.py"), str(project), str(target)]
    run = measure(command, project, project / "logs", "weasyprint-pass")
    if run.exit_code != 0:
        return row_for(n, "weasyprint pass", run, target)
    phases = json.loads(run.stdout.read_text().strip().splitlines()[-1])
    note = (f"html {phases['html_s']:.1f} + layout {phases['layout_s']:.1f} "
            f"+ write {phases['write_s']:.1f} s")
    return row_for(n, "weasyprint pass", run, target, note, phases["pages"])


# ---- a run -----------------------------------------------------------------------------------


def bench_size(n: int, work: Path, options: argparse.Namespace) -> list[Row]:
    project = work / f"n{n}"
    started = time.perf_counter()
    generate(n, project)
    console.print(f"[bold]N={n}[/bold]: corpus in {project} "
                  f"({time.perf_counter() - started:.1f} s to generate)")
    cold_epub = report(chapbook(n, project, "epub"))
    cold_pdf = report(chapbook(n, project, "pdf"))
    rows = [cold_epub, cold_pdf]
    if not options.skip_warm:  # right after the cold PDF, in the --out folders it just filled
        rows.append(report(chapbook_unchanged(n, project, "pdf")))
        rows.append(report(chapbook_edited(n, project, "pdf", cold_pdf)))
        rows.append(report(chapbook_edited(n, project, "epub", cold_epub)))
    if options.pandoc:
        rows.append(report(pandoc(n, project)))
    if not options.skip_single:
        rows.append(report(single_pass(n, project)))
    return rows


def report(row: Row) -> Row:
    """Print a row as soon as it is measured: a large run takes a while."""
    pages = f"{row.pages:>6} pages" if row.pages else ""
    console.print(f"  {row.tool:<32} {row.wall_s:8.2f} s wall {row.cpu_s:8.2f} s cpu "
                  f"{row.peak_mib:7.1f} MiB {pages:<12} (load {row.load:.1f})  {row.note}")
    return row


def machine() -> dict[str, object]:
    chapbook_spec = importlib.util.find_spec("chapbook")  # PYTHONPATH may point elsewhere
    pandoc_path = shutil.which("pandoc")
    pandoc_version = (subprocess.run([pandoc_path, "--version"], capture_output=True, text=True,
                                     check=False).stdout.splitlines()[0] if pandoc_path else None)
    return {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "chapbook": importlib.metadata.version("chapbook"),
        "chapbook_from": str(Path(chapbook_spec.origin).parent) if chapbook_spec else None,
        "weasyprint": importlib.metadata.version("weasyprint"),
        "pandoc": pandoc_version,
    }


def table(rows: list[Row]) -> Table:
    grid = Table(title="chapbook benchmark")
    for name in ("N", "tool", "wall s", "cpu s", "peak MiB", "pages", "pages/s", "out MiB",
                 "load", "note"):
        grid.add_column(name, justify="left" if name in ("tool", "note") else "right")
    for row in rows:
        grid.add_row(str(row.n), row.tool, f"{row.wall_s:.2f}", f"{row.cpu_s:.2f}",
                     f"{row.peak_mib:.0f}",
                     blank_or(row.pages, "{}"), blank_or(row.pages_per_s, "{:.2f}"),
                     blank_or(row.output_bytes and row.output_bytes / 2**20, "{:.1f}"),
                     f"{row.load:.1f}", row.note)
    return grid


def blank_or(value: float | None, template: str) -> str:
    return "" if value is None else template.format(value)


def save(path: Path, info: dict[str, object], rows: list[Row]) -> None:
    path.write_text(json.dumps({"machine": info, "results": [asdict(r) for r in rows]},
                               indent=2) + "\n", encoding="utf-8")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 500, 2000],
                        metavar="N", help="corpus sizes (default: 100 500 2000)")
    parser.add_argument("--work", type=Path,
                        default=Path(tempfile.gettempdir()) / "chapbook-bench",
                        help="folder for corpora, outputs, logs and results.json "
                             "(default: %(default)s)")
    parser.add_argument("--skip-pandoc", action="store_true", help="do not run pandoc")
    parser.add_argument("--skip-single", action="store_true",
                        help="do not run the plain WeasyPrint pass")
    parser.add_argument("--skip-warm", action="store_true",
                        help="do not run the warm rebuilds (nothing changed, one review edited)")
    options = parser.parse_args(argv)
    options.pandoc = not options.skip_pandoc and shutil.which("pandoc") is not None
    if not options.skip_pandoc and not options.pandoc:
        console.print(f"[yellow]{PANDOC_HINT}; skipping pandoc[/yellow]")
    return options


def main(argv: list[str] | None = None) -> None:
    options = parse_args(argv)
    work = options.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    info = machine()
    console.print(f"{info['platform']}, {info['cpus']} CPUs, Python {info['python']}, "
                  f"WeasyPrint {info['weasyprint']}, {info['pandoc'] or 'no pandoc'}")
    rows: list[Row] = []
    for n in options.sizes:
        rows += bench_size(n, work, options)
        save(work / "results.json", info, rows)
    console.print(table(rows))
    console.print(f"results: {work / 'results.json'}; logs: {work}/n*/logs/")


if __name__ == "__main__":
    main()
