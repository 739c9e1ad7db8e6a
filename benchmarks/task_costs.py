"""The per-task costs behind the cost model in README.md ("A million books a day"): what
one book task costs with its layouts made and with them all reused, what one layout
costs and weighs in the cache, what planning the pool costs, and how big a task is on
the wire. Run after `many_books.py pool` (it reads WORK/pool and its books.jsonl).

    PYTHONPATH=src .venv/bin/python benchmarks/task_costs.py --work /tmp/many-books --books 20
"""

from __future__ import annotations

import argparse
import json
import pickle
import resource
import shutil
import time
from dataclasses import replace
from pathlib import Path

from chapbook.build.booktask import BookTask, run_book_task
from chapbook.build.options import BuildOptions
from chapbook.build.plan import plan
from chapbook.core.paths import BuildPaths
from chapbook.read.pool import ReadCache


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/chapbook-many-books"))
    parser.add_argument("--books", type=int, default=20, help="books to build (the first N)")
    args = parser.parse_args()
    pool = args.work / "pool"
    out = args.work / "costs"
    shutil.rmtree(out, ignore_errors=True)
    layouts_dir = out / "layouts"  # the body layouts alone: a shared store, as --cache

    options = BuildOptions(books=pool / "books.jsonl", formats=("epub", "pdf"), out_dir=out)
    paths = BuildPaths(out)
    started, clock = cpu(), time.perf_counter()
    planned = plan(pool, options, ReadCache(paths.read_cache), None)
    plan_cpu, plan_wall = cpu() - started, time.perf_counter() - clock
    assert planned.project is not None
    books = planned.anthologies[:args.books]
    tasks = [BookTask(planned.project, book, options, paths, str(layouts_dir), "")
             for book in books]
    sizes = [len(pickle.dumps(task)) for task in tasks]

    def run(batch: list[BookTask]) -> tuple[float, int, int]:
        started = cpu()
        laid_out = reused = 0
        for task in batch:
            done = run_book_task(task)
            laid_out += done.layouts.laid_out
            reused += done.layouts.reused
        return cpu() - started, laid_out, reused

    run(tasks[:1])  # WeasyPrint, fontconfig and the style loaded: not counted
    cold_cpu, cold_laid, _ = run(tasks[1:])
    # The same books again, as other books (new slugs and titles): every body layout
    # reused, everything else (furniture, front and back matter, EPUB, covers) made again
    again = [replace(task, book=replace(task.book, config=task.book.config.model_copy(
        update={"slug": task.book.slug + "-again", "title": task.book.title + " again"})))
        for task in tasks[1:]]
    warm_cpu, warm_laid, warm_reused = run(again)
    per_book = warm_cpu / len(again)
    per_layout = (cold_cpu - warm_cpu) / max(cold_laid, 1)
    pdfs = list(layouts_dir.glob("*.pdf"))
    layout_bytes = sum(p.stat().st_size + p.with_suffix(".json").stat().st_size for p in pdfs)
    result = {
        "books": len(again), "plan_cpu_s": round(plan_cpu, 2), "plan_wall_s": round(plan_wall, 2),
        "pool_books_planned": len(planned.anthologies),
        "book_task_cpu_s_all_layouts_reused": round(per_book, 3),
        "layouts_in_warm_run": warm_laid, "reused_in_warm_run": warm_reused,
        "layout_cpu_s": round(per_layout, 3), "layouts_measured": cold_laid,
        "layout_bytes_mean": round(layout_bytes / max(len(pdfs), 1)),
        "book_task_pickled_bytes_mean": round(sum(sizes) / len(sizes)),
    }
    print(json.dumps(result, indent=2))
    (args.work / "task_costs.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
