"""`chapbook serve`: build, serve the build folder, and rebuild on every change.

The server (uvicorn, running the Starlette app of `preview.py`) runs in a thread; the main
thread builds and watches the project (watchfiles). So Ctrl-C arrives where the builds
run, and leaves the way it leaves a `chapbook build`: temporary files removed, workers
stopped, exit 130. A failed rebuild changes no output: the last good build stays served,
and the open pages show what failed.
"""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import uvicorn
import watchfiles

from chapbook.build.options import BuildOptions
from chapbook.build.rebuild import rebuild
from chapbook.cli.output import printable, report, stderr
from chapbook.cli.preview import BuildState, preview_app

SHUTDOWN_SECONDS = 1  # open event streams never end by themselves: close them after this
WATCH_TIMEOUT_MS = 200  # the watcher's wait for a change before it says none came


def serve_preview(root: Path, options: BuildOptions, listening: socket.socket,
                  verbose: bool) -> None:
    """Serve until interrupted: the interruption ends the program (see main.py)."""
    out_dir = options.output_dir(root)
    state = BuildState()
    server = uvicorn.Server(uvicorn.Config(
        preview_app(out_dir, state), log_level="warning", access_log=False, lifespan="off",
        timeout_graceful_shutdown=SHUTDOWN_SECONDS))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]},
                              name="preview-server", daemon=True)
    thread.start()
    stderr(f"serving {_shown(out_dir, root)} at {_address(listening)} (Ctrl-C to stop)")
    try:
        built = False
        # Watching starts before the first build, so that an edit made while it runs is
        # seen; the watcher's first timeout (no change yet) starts that build.
        for changes in watchfiles.watch(root, watch_filter=_inputs(out_dir),
                                        raise_interrupt=True, yield_on_timeout=True,
                                        rust_timeout=WATCH_TIMEOUT_MS):
            if changes:
                stderr(f"changed: {_changed(changes, root)}")
            elif built:
                continue  # a timeout: nothing changed
            _build(root, options, state, verbose)
            built = True
    finally:
        state.closing = True
        server.should_exit = True
        thread.join(timeout=SHUTDOWN_SECONDS + 1)


def listen(host: str, port: int) -> socket.socket:
    """The server's socket, bound before anything else so that a port in use is an
    OSError the command reports (uvicorn would log it and end its thread)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listening = socket.socket(family, socket.SOCK_STREAM)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listening.bind((host, port))
        listening.listen(64)
    except OSError:
        listening.close()
        raise
    return listening


def _address(listening: socket.socket) -> str:
    host, port = listening.getsockname()[:2]
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def _inputs(out_dir: Path) -> watchfiles.DefaultFilter:
    """Everything in the project but the build folder (and what watchfiles ignores by
    default: .git, caches, editors' swap files)."""
    return watchfiles.DefaultFilter(ignore_paths=[out_dir])


def _build(root: Path, options: BuildOptions, state: BuildState, verbose: bool) -> None:
    """One rebuild, stage by stage, each told to the terminal and to the open pages."""
    started = time.perf_counter()
    for number, stage in enumerate(rebuild(root, options, lambda: stderr(
            "waiting for another build of this project to finish"))):
        seconds, started = time.perf_counter() - started, time.perf_counter()
        # the whole build plans again: its plan's findings were shown with the first stage
        shown = stage.report.all_diagnostics if number == 0 else stage.report.diagnostics
        report(shown, options.strict, verbose)
        what = ", ".join(stage.formats)
        if stage.failed:
            state.failed(what, stage.problems)
            stderr(f"{what}: the rebuild failed; the page shows why")
            continue
        if number == 0 or state.now()[1] is not None:
            state.landed()  # the open pages reload (the whole build changes no page's text)
        done = "up to date" if stage.report.up_to_date else "rebuilt"
        stderr(f"{what}: {done} in {seconds:.1f} s")
        for line in stage.report.typography:
            stderr(line)


def _changed(changes: set[tuple[watchfiles.Change, str]], root: Path) -> str:
    names = sorted({_shown(Path(path), root) for _, path in changes})
    return printable(", ".join(names[:3]) + (f" and {len(names) - 3} more"
                                              if len(names) > 3 else ""))


def _shown(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
