"""Time many books from one pool (issue 20): 200 separate builds, one run, a Dask cluster.

    .venv/bin/python benchmarks/many_books.py [--work DIR] [--pool-size 2000] [--books 200]
        [--jobs J] MODE [...]

    MODE:  separate [--shared-cache] [--sample K]  |  one-run  |  dask [--workers 1 2]

Every invocation first makes WORK/pool: a synthetic pool (generate.py, default 2,000
reviews), WORK/pool/books.jsonl (200 books of 22-28 reviews drawn with overlaps, one
[[anthology]] table a line) and WORK/pool/books/<slug>.jsonl (each book on its own). It is
written again only when --pool-size, --books or --seed change. Then it times one mode, adds
its row to WORK/many_books.json (a row of the same mode is replaced) and prints every row.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from draw_books import draw_books, overlap, read_pool  # benchmarks/ is on sys.path
from generate import generate
from rich.table import Table
from run import console, machine, measure, pdf_pages, tail

STAMP = "pool.json"  # WORK/pool/pool.json: the parameters the pool and books were made with
LAYOUTS = re.compile(r"layouts:\s*([\d,]+)\s+laid out,\s*([\d,]+)\s+reused")


@dataclass
class Row:
    mode: str
    books: int  # books in the benchmark (200)
    built: int  # books this mode built (K of them with --sample K)
    wall_s: float  # measured, for the `built` books
    cpu_s: float
    est_wall_s: float  # for all `books`: measured, or extrapolated from the sample
    est_cpu_s: float
    extrapolated: bool
    peak_mib: float
    load: float
    failed: int  # builds that did not exit 0, or books whose EPUB or PDF is missing
    pages: int | None = None  # of the PDFs built
    laid_out: int | None = None  # from the build's "layouts: ..." line, summed over runs
    reused: int | None = None
    note: str = ""
    parts: dict[str, float] = field(default_factory=dict)  # dask: cpu s by process kind


# ---- the pool and the books ------------------------------------------------------------------


def make_pool(work: Path, options: argparse.Namespace) -> tuple[Path, list[str], dict[str, Any]]:
    """WORK/pool with its books files; kept as it is when made with the same parameters."""
    pool = work / "pool"
    stamp = {"pool_size": options.pool_size, "books": options.books, "seed": options.seed}
    if (pool / STAMP).exists():
        made = json.loads((pool / STAMP).read_text(encoding="utf-8"))
        if made["parameters"] == stamp:
            return pool, made["slugs"], made["overlap"]
    (pool / STAMP).unlink(missing_ok=True)
    shutil.rmtree(work / "out", ignore_errors=True)  # books of another pool: not comparable
    generate(options.pool_size, pool)
    books = [{k: v for k, v in book.items() if v is not None}
             for book in draw_books(read_pool(pool / "manuscripts"), options.books, options.seed)]
    shutil.rmtree(pool / "books", ignore_errors=True)
    (pool / "books").mkdir()
    lines = [json.dumps(book, ensure_ascii=False) + "\n" for book in books]
    (pool / "books.jsonl").write_text("".join(lines), encoding="utf-8")
    for book, line in zip(books, lines, strict=True):
        (pool / "books" / f"{book['slug']}.jsonl").write_text(line, encoding="utf-8")
    slugs = [book["slug"] for book in books]
    made = {"parameters": stamp, "slugs": slugs, "overlap": overlap(books)}
    (pool / STAMP).write_text(json.dumps(made, indent=1) + "\n", encoding="utf-8")
    return pool, slugs, made["overlap"]


# ---- running builds --------------------------------------------------------------------------


def chapbook(pool: Path, books: Path, out: Path, options: argparse.Namespace,
             *extra: str) -> list[str]:
    jobs = ["--jobs", str(options.jobs)] if options.jobs else []
    return [sys.executable, "-m", "chapbook", "build", "--project", str(pool), "--books",
            str(books), "--out", str(out), *jobs, *extra]


def layouts(stderr: Path) -> tuple[int, int] | None:
    """(laid out, reused) from the build's `layouts: ...` line, if it printed one."""
    found = LAYOUTS.findall(stderr.read_text(encoding="utf-8", errors="replace"))
    return (int(found[-1][0].replace(",", "")), int(found[-1][1].replace(",", ""))) if found \
        else None


def check(out: Path, slugs: list[str]) -> tuple[int, int]:
    """(books missing their EPUB or PDF, pages of the PDFs there are)."""
    missing = sum(not (out / f"{s}.epub").exists() or not (out / f"{s}.pdf").exists()
                  for s in slugs)
    pages = sum(pdf_pages(out / f"{s}.pdf") for s in slugs if (out / f"{s}.pdf").exists())
    return missing, pages


def sampled(slugs: list[str], k: int | None) -> list[str]:
    """K books spread evenly over the list (all of them without --sample)."""
    if not k or k >= len(slugs):
        return slugs
    return [slugs[i * len(slugs) // k] for i in range(k)]


def separate(pool: Path, slugs: list[str], work: Path, options: argparse.Namespace) -> Row:
    """One `chapbook build` a book, one after the other; one --out for all, or a fresh one."""
    mode = "separate, shared cache" if options.shared_cache else "separate, cold"
    name = "separate-shared" if options.shared_cache else "separate-cold"
    outs = work / "out" / name
    shutil.rmtree(outs, ignore_errors=True)
    chosen = sampled(slugs, options.sample)
    wall = cpu = peak = 0.0
    failed = pages = laid = reused = 0
    counted = False
    for index, slug in enumerate(chosen):
        out = outs if options.shared_cache else outs / slug
        run = measure(chapbook(pool, pool / "books" / f"{slug}.jsonl", out, options), pool,
                      work / "logs", f"{name}-{index:03d}-{slug}")
        wall, cpu, peak = wall + run.wall_s, cpu + run.cpu_s, max(peak, run.peak_mib)
        missing, book_pages = check(out, [slug])
        failed += run.exit_code != 0 or missing > 0
        pages += book_pages
        if run.exit_code != 0:
            console.print(f"[red]{slug}: exit {run.exit_code}[/red]\n{tail(run.stderr)}",
                          markup=False)
        found = layouts(run.stderr)
        if found:
            counted, laid, reused = True, laid + found[0], reused + found[1]
        if not options.shared_cache and index > 0:  # keep the books, drop 200 caches
            shutil.rmtree(out / ".cache", ignore_errors=True)
        console.print(f"  {index + 1}/{len(chosen)} {slug}: {run.wall_s:.1f} s wall, "
                      f"{run.cpu_s:.1f} s cpu, exit {run.exit_code}")
    scale = len(slugs) / max(1, len(chosen))
    note = (f"extrapolated linearly from {len(chosen)} of {len(slugs)} books"
            if scale != 1 else "")
    if scale != 1 and options.shared_cache:
        note += " (overstates a shared cache: it is warmer over all the books)"
    return Row(mode, len(slugs), len(chosen), round(wall, 2), round(cpu, 2),
               round(wall * scale, 1), round(cpu * scale, 1), scale != 1, round(peak, 1),
               round(os.getloadavg()[0], 2), failed, pages, laid if counted else None,
               reused if counted else None, note)


def whole_run(pool: Path, slugs: list[str], work: Path, options: argparse.Namespace,
              mode: str, out: Path, *extra: str) -> Row:
    """One `chapbook build --books books.jsonl` of every book, into a fresh --out."""
    shutil.rmtree(out, ignore_errors=True)
    with cpu_of_other_processes() as others:
        run = measure(chapbook(pool, pool / "books.jsonl", out, options, *extra), pool,
                      work / "logs", mode.replace(" ", "-").replace(",", ""))
    missing, pages = check(out, slugs)
    if run.exit_code != 0:
        console.print(f"[red]{mode}: exit {run.exit_code}[/red]\n{tail(run.stderr, 15)}",
                      markup=False)
    found = layouts(run.stderr)
    cpu = run.cpu_s + sum(others.values())
    parts = {"build process": round(run.cpu_s, 2), **others} if others else {}
    return Row(mode, len(slugs), len(slugs), round(run.wall_s, 2), round(cpu, 2),
               round(run.wall_s, 2), round(cpu, 2), False, round(run.peak_mib, 1),
               round(run.load, 2), int(run.exit_code != 0) or missing, pages,
               found[0] if found else None, found[1] if found else None, parts=parts)


def one_run(pool: Path, slugs: list[str], work: Path, options: argparse.Namespace) -> Row:
    return whole_run(pool, slugs, work, options, "one run", work / "out" / "one-run")


def dask(pool: Path, slugs: list[str], work: Path, options: argparse.Namespace) -> list[Row]:
    """The one run on a real LocalCluster (scheduler here, workers in processes), for each
    worker count; the cluster is started before the clock and closed after it."""
    # distributed is imported here: only this mode needs it, and it is slow to import.
    from distributed import LocalCluster

    rows = []
    for workers in options.workers:
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster:  # type: ignore[no-untyped-call]
            address = "dask://" + cluster.scheduler_address.split("://", 1)[1]
            console.print(f"  LocalCluster of {workers} worker(s) at {address}")
            rows.append(report(whole_run(pool, slugs, work, options, f"dask, {workers} worker(s)",
                                         work / "out" / f"dask-{workers}",
                                         "--executor", address)))
    return rows


@contextlib.contextmanager
def cpu_of_other_processes() -> Iterator[dict[str, float]]:
    """Fills the dict it yields with the CPU seconds spent meanwhile by the Dask workers (the
    live descendants of this process) and the scheduler (this process); empty if none ran.

    The build's own CPU comes from os.wait4 (measure): the workers are not its children.
    """
    spent: dict[str, float] = {}
    before = cpu_snapshot()
    yield spent
    after = cpu_snapshot()
    delta = {key: after[key] - before.get(key, 0.0) for key in after}
    workers = sum(seconds for key, seconds in delta.items() if key != "harness")
    if workers > 0.05:  # no workers: a run without a cluster
        spent.update({"workers": round(workers, 2),
                      "scheduler (harness)": round(delta.get("harness", 0.0), 2)})


def cpu_snapshot() -> dict[str, float]:
    """user+system CPU of this process and of each live descendant (with the children they
    reaped), by pid; the build process is reaped by measure, so it is never in here."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    return {"harness": own.ru_utime + own.ru_stime,
            **{str(pid): seconds for pid, seconds in descendants_cpu()}}


def descendants_cpu() -> Iterator[tuple[int, float]]:
    try:  # psutil comes with distributed; without it there are no workers to count
        import psutil
    except ImportError:
        return
    for child in psutil.Process().children(recursive=True):
        try:
            t = child.cpu_times()
            yield child.pid, t.user + t.system + t.children_user + t.children_system
        except psutil.NoSuchProcess:
            continue


def identical(work: Path, slugs: list[str]) -> dict[str, str]:
    """For each mode's output folder, how many of its books have the same EPUB and PDF bytes
    as the one run's: the books must not depend on how they were built."""
    reference = work / "out" / "one-run"
    found: dict[str, str] = {}
    for folder in sorted((work / "out").glob("*")):
        if folder == reference or not reference.is_dir():
            continue
        same = {"epub": 0, "pdf": 0}
        books = 0
        for slug in slugs:
            mine = folder / slug if (folder / slug).is_dir() else folder  # cold: one a book
            if not (mine / f"{slug}.epub").exists():
                continue
            books += 1
            for fmt in same:
                same[fmt] += files_equal(mine / f"{slug}.{fmt}", reference / f"{slug}.{fmt}")
        found[folder.name] = f"{same['epub']}/{books} EPUB, {same['pdf']}/{books} PDF"
    return found


def files_equal(one: Path, other: Path) -> bool:
    return one.exists() and other.exists() and one.read_bytes() == other.read_bytes()


# ---- results ---------------------------------------------------------------------------------


def report(row: Row) -> Row:
    layouts_text = (f", layouts {row.laid_out:,} laid out / {row.reused:,} reused"
                    if row.laid_out is not None and row.reused is not None else "")
    console.print(f"[bold]{row.mode}[/bold]: {row.built} book(s) in {row.wall_s:.1f} s wall, "
                  f"{row.cpu_s:.1f} s cpu; {row.failed} failed{layouts_text}. {row.note}")
    return row


def per_book(seconds: float, books: int) -> str:
    return f"{seconds / max(1, books):.2f}"


def table(rows: list[dict[str, Any]], shape: dict[str, Any]) -> Table:
    grid = Table(title=f"{shape['books']} books from one pool: {shape['distinct_pieces']} "
                       f"pieces used, each in {shape['mean_books_per_piece']} books on average")
    for name in ("mode", "built", "wall s", "cpu s", "wall, all", "cpu, all", "wall/book",
                 "cpu/book", "pages", "laid out", "reused", "failed", "load"):
        grid.add_column(name, justify="left" if name == "mode" else "right",
                        no_wrap=name == "mode")
    for row in rows:
        grid.add_row(row["mode"], str(row["built"]), f"{row['wall_s']:.1f}",
                     f"{row['cpu_s']:.1f}",
                     f"{row['est_wall_s']:.1f}" + ("*" if row["extrapolated"] else ""),
                     f"{row['est_cpu_s']:.1f}" + ("*" if row["extrapolated"] else ""),
                     per_book(row["wall_s"], row["built"]), per_book(row["cpu_s"], row["built"]),
                     str(row["pages"] or ""), blank(row["laid_out"]), blank(row["reused"]),
                     str(row["failed"]), f"{row['load']:.1f}")
    return grid


def blank(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


def ratios(rows: list[dict[str, Any]]) -> dict[str, float]:
    """The issue's two targets: one run / 200 separate builds, and dask 1 worker / 2."""
    by = {row["mode"]: row for row in rows if not row["failed"]}
    out: dict[str, float] = {}
    for separate_mode in ("separate, shared cache", "separate, cold"):
        if "one run" in by and separate_mode in by:
            out[f"one run / {separate_mode} (wall)"] = round(
                by["one run"]["est_wall_s"] / by[separate_mode]["est_wall_s"], 3)
    one, two = by.get("dask, 1 worker(s)"), by.get("dask, 2 worker(s)")
    if one and two:
        out["dask speed-up, 2 workers over 1 (wall)"] = round(one["wall_s"] / two["wall_s"], 2)
    return out


def save(work: Path, rows: list[Row], shape: dict[str, Any],
         same: dict[str, str]) -> list[dict[str, Any]]:
    """Merge these rows into WORK/many_books.json (a mode measured again replaces its row)."""
    path = work / "many_books.json"
    old = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    kept = [r for r in old.get("results", []) if r["mode"] not in {row.mode for row in rows}
            and old.get("books") == shape]
    merged = kept + [asdict(row) for row in rows]
    path.write_text(json.dumps({"machine": machine(), "books": shape, "results": merged,
                                "ratios": ratios(merged), "identical_to_one_run": same},
                               indent=2) + "\n", encoding="utf-8")
    return merged


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path,
                        default=Path(tempfile.gettempdir()) / "chapbook-many-books",
                        help="folder for the pool, outputs, logs and many_books.json "
                             "(default: %(default)s)")
    parser.add_argument("--pool-size", type=int, default=2000, help="reviews in the pool")
    parser.add_argument("--books", type=int, default=200, help="books to draw")
    parser.add_argument("--seed", type=int, default=20, help="seed of the draw")
    parser.add_argument("--jobs", type=int, help="chapbook build --jobs (default: its own)")
    modes = parser.add_subparsers(dest="mode", required=True)
    one = modes.add_parser("separate", help="one chapbook build a book, one after the other")
    one.add_argument("--shared-cache", action="store_true",
                     help="one --out for all the builds (default: a fresh one each, cold)")
    one.add_argument("--sample", type=int, metavar="K",
                     help="build only K books, spread over the list, and extrapolate")
    modes.add_parser("one-run", help="one chapbook build --books books.jsonl of every book")
    cluster = modes.add_parser("dask", help="the one run on a Dask LocalCluster")
    cluster.add_argument("--workers", type=int, nargs="+", default=[1, 2], metavar="N",
                         help="worker counts, one run each (default: 1 2)")
    modes.add_parser("pool", help="only make the pool and the books files")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    options = parse_args(argv)
    work = options.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    pool, slugs, shape = make_pool(work, options)
    console.print(f"pool {pool}: {options.pool_size} reviews, {len(slugs)} books "
                  f"({time.perf_counter() - started:.1f} s); {shape}")
    if options.mode == "pool":
        return
    if options.mode == "separate":
        rows = [report(separate(pool, slugs, work, options))]
    elif options.mode == "one-run":
        rows = [report(one_run(pool, slugs, work, options))]
    else:
        rows = dask(pool, slugs, work, options)
    same = identical(work, slugs)
    merged = save(work, rows, shape, same)
    console.print(table(merged, shape), width=max(console.width, 150))  # 13 columns
    for name, value in ratios(merged).items():
        console.print(f"{name}: {value}")
    for row in merged:
        if row["note"] or row["parts"]:
            console.print(f"{row['mode']}: {row['note']} {row['parts'] or ''}".rstrip())
    for folder, counts in same.items():
        console.print(f"out/{folder}: {counts} identical to the one run's")
    console.print(f"results: {work / 'many_books.json'}; logs: {work / 'logs'}")


if __name__ == "__main__":
    main()
