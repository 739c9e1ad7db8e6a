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

def measured(*args, **kwargs):
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
""" + CLI


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
        done = build(project, out, code, CHILD)
        if done.returncode != 0 or not report.exists():
            raise SystemExit(f"the build failed ({done.returncode}):\n{done.stderr[-2000:]}")
        return dict(json.loads(report.read_text()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--out", type=Path, help="output folder (default PROJECT/out)")
    parser.add_argument("--code", type=Path, default=Path(__file__).resolve().parents[1],
                        help="the checkout whose code assembles (default: this one)")
    parser.add_argument("--warm", action="store_true",
                        help="build once first, untimed, to fill the chunk cache")
    args = parser.parse_args()
    out = args.out or args.project / "out"
    if args.warm:
        done = build(args.project, out, args.code)
        if done.returncode != 0:
            raise SystemExit(f"the warm-up build failed:\n{done.stderr[-2000:]}")
    result = measure(args.project, out, args.code.resolve())
    print(json.dumps({"project": str(args.project), "code": str(args.code), **result}))


if __name__ == "__main__":
    main()
