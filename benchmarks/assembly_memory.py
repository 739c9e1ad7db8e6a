"""Peak memory of the chunked PDF assembly, measured apart from the layout.

    python benchmarks/assembly_memory.py PROJECT [--out OUT] [--code CHECKOUT] [--warm]

Builds the project's PDF (`chapbook build --format pdf --chunked`) in a child process
whose `chapbook.pdf.assembly.assemble` is wrapped: just before it runs, the process's
peak resident set is reset (Linux: `5` written to /proc/self/clear_refs), and just after,
the peak (VmHWM) is read. So the numbers are the assembly's, not the layout's: the
chunks are laid out by worker processes, and with the chunk cache warm (`--warm` builds
once first, untimed) the build only renders the front and back matter and the running
heads, then assembles. Before that build the book, the assembly record and the build
record are removed, so the assembly is a full one, never a patch.

`--code` runs another checkout's code (its `src/` first on the path) on the same project
and cache: the chunks are the same, so two checkouts' assemblies compare directly.
Prints one JSON line: pages, seconds, resident memory when the assembly starts, its peak,
the increase, and the book's size.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

CLI = """
import sys
from chapbook.cli.main import main
sys.argv = ["chapbook", *sys.argv[1:]]
main()
"""
CHILD = r"""
import json, os, sys, time
from chapbook.pdf import assembly

def status(field):
    with open("/proc/self/status") as stream:
        for line in stream:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0

original = assembly.assemble

def record(chunks, blank, first_body, links, language, target, previous=None):
    # The assembly's inputs as plain data, for --replay (any checkout can read them)
    data = {"chunks": [[str(c.pdf), c.blank_before, c.furniture and str(c.furniture),
                        c.pages] for c in chunks],
            "blank": str(blank), "first_body": first_body, "language": language,
            "destinations": links.destinations, "links": list(links.links),
            "outline": [[e.title, e.target, e.level] for e in links.outline]}
    with open(os.environ["ASSEMBLY_ARGS"], "w") as stream:
        json.dump(data, stream)

def measured(*args, **kwargs):
    if os.environ.get("ASSEMBLY_ARGS"):
        record(*args, **kwargs)
    with open("/proc/self/clear_refs", "w") as stream:
        stream.write("5")  # the peak resident set starts again from the current one
    before, start = status("VmRSS"), time.perf_counter()
    pages = original(*args, **kwargs)
    seconds, peak = time.perf_counter() - start, status("VmHWM")
    with open(os.environ["ASSEMBLY_REPORT"], "w") as stream:
        json.dump({"pages": pages, "seconds": round(seconds, 2), "rss_before": before,
                   "peak": peak, "increase": peak - before,
                   "size": os.path.getsize(args[5])}, stream)
    return pages

assembly.assemble = measured
"""
REPLAY = r"""
from pathlib import Path

def replay(data, factor):
    # The recorded book with its body chunks taken `factor` times over (the k-th copy of an
    # anchor named NAME~k), its front and back matter once, every page, link and bookmark
    # placed where that book would have them.
    front, body, back = data["chunks"][0], data["chunks"][1:-1], data["chunks"][-1]
    first = data["first_body"]
    starts, position = [], first
    for chunk in body:
        position += chunk[1]
        starts.append(position)
        position += chunk[3]
    old_back = position + back[1]
    where = {}  # a body page's chunk and place in it
    for index, (chunk, start) in enumerate(zip(body, starts)):
        for offset in range(chunk[3]):
            where[start + offset] = (index, offset)
    pieces, moved = [front], {}  # moved: (chunk, copy) -> its first page in the new book
    position = first
    for i in range(round(len(body) * factor)):
        chunk = body[i % len(body)]
        position += chunk[1]
        moved[(i % len(body), i // len(body))] = position
        pieces.append(chunk)
        position += chunk[3]
    back_blank = (position - first) % 2 == 1
    pieces.append([back[0], back_blank, back[2], back[3]])
    shift = position + back_blank - old_back

    def place(page, copy):
        if page < first:
            return page
        if page in where:
            start = moved.get((where[page][0], copy))
            return None if start is None else start + where[page][1]
        return page + shift

    def named(name, page, copy):
        return name if copy == 0 or page not in where else f"{name}~{copy}"

    copies = range(int(factor) + 1)
    destinations, links, outline = {}, [], []
    for name, (page, x, y) in data["destinations"].items():
        for copy in (copies if page in where else [0]):
            new = place(page, copy)
            if new is not None:
                destinations[named(name, page, copy)] = (new, x, y)
    targets = {name: page for name, (page, _, _) in data["destinations"].items()}
    for page, target, rect in data["links"]:
        for copy in (copies if page in where else [0]):
            new = place(page, copy)
            aim = named(target, targets.get(target, -1), copy)
            if new is not None and aim in destinations:
                links.append((new, aim, tuple(rect)))
    entries = data["outline"]
    body_entries = [e for e in entries if targets.get(e[1], -1) in where]
    outline += [e for e in entries if targets.get(e[1], -1) < first]
    for copy in copies:
        outline += [[t, named(e, targets[e], copy), l] for t, e, l in body_entries
                    if named(e, targets[e], copy) in destinations]
    outline += [e for e in entries if e not in body_entries and targets.get(e[1], -1) >= first]
    chunks = [assembly.Piece(Path(p), b, Path(f) if f else None, n) for p, b, f, n in pieces]
    book = assembly.BookLinks(destinations, links,
                              [assembly.OutlineEntry(*e) for e in outline])
    return chunks, book

data = json.load(open(os.environ["ASSEMBLY_ARGS"]))
chunks, book = replay(data, float(os.environ["REPLAY_FACTOR"]))
del os.environ["ASSEMBLY_ARGS"]  # measure, do not record again
assembly.assemble(chunks, Path(data["blank"]), data["first_body"], book, data["language"],
                  Path(os.environ["REPLAY_TARGET"]))
"""


def build(project: Path, out: Path, code: Path,
          child: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(code / "src")}
    command = [sys.executable, "-c", child or CLI]
    args = ["build", "--project", str(project), "--format", "pdf", "--chunked", "--jobs", "2",
            "--out", str(out)]
    return subprocess.run([*command, *args], env=env, capture_output=True, text=True, check=False)


def forget_the_book(out: Path) -> None:
    """So that the next build assembles the book in full from the cached chunks."""
    for path in [*out.glob("*.pdf"), *(out / ".cache" / "pdf").glob("*.assembly.json"),
                 out / ".cache" / "build.json"]:
        path.unlink(missing_ok=True)


def measure(project: Path, out: Path, code: Path) -> dict[str, object]:
    forget_the_book(out)
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        os.environ["ASSEMBLY_REPORT"] = str(report)
        done = build(project, out, code, CHILD + CLI)
        if done.returncode != 0 or not report.exists():
            raise SystemExit(f"the build failed ({done.returncode}):\n{done.stderr[-2000:]}")
        return dict(json.loads(report.read_text()))


def replayed(record: Path, factor: float, code: Path) -> dict[str, object]:
    """The assembly of a recorded book made `factor` times longer (its body chunks
    repeated), measured as a build's is."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        env = {**os.environ, "PYTHONPATH": str(code / "src"), "ASSEMBLY_REPORT": str(report),
               "ASSEMBLY_ARGS": str(record), "REPLAY_FACTOR": str(factor),
               "REPLAY_TARGET": str(Path(folder) / "book.pdf")}
        done = subprocess.run([sys.executable, "-c", CHILD + REPLAY], env=env,
                              capture_output=True, text=True, check=False)
        if done.returncode != 0 or not report.exists():
            raise SystemExit(f"the replay failed ({done.returncode}):\n{done.stderr[-2000:]}")
        return dict(json.loads(report.read_text()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--out", type=Path, help="output folder (default PROJECT/out)")
    parser.add_argument("--code", type=Path, default=Path(__file__).resolve().parents[1],
                        help="the checkout whose code assembles (default: this one)")
    parser.add_argument("--warm", action="store_true",
                        help="build once first, untimed, to fill the chunk cache")
    parser.add_argument("--record", type=Path,
                        help="also write the assembly's inputs to this JSON file")
    parser.add_argument("--replay", type=float, metavar="FACTOR",
                        help="assemble the book --record wrote (PROJECT is that file) with "
                             "its body FACTOR times over, instead of building")
    args = parser.parse_args()
    if args.replay:
        result = replayed(args.project.resolve(), args.replay, args.code.resolve())
        print(json.dumps({"record": str(args.project), "factor": args.replay,
                          "code": str(args.code), **result}))
        return
    if args.record:
        os.environ["ASSEMBLY_ARGS"] = str(args.record.resolve())
    out = args.out or args.project / "out"
    if args.warm:
        done = build(args.project, out, args.code)
        if done.returncode != 0:
            raise SystemExit(f"the warm-up build failed:\n{done.stderr[-2000:]}")
    result = measure(args.project, out, args.code.resolve())
    print(json.dumps({"project": str(args.project), "code": str(args.code), **result}))


if __name__ == "__main__":
    main()
