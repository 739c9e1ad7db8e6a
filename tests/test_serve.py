"""`chapbook serve`: the preview server's files and events, and the real command.

The server is the real one (uvicorn in a subprocess, or Starlette's test client over the
same application); the builds are real builds of a small project.
"""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from starlette.testclient import TestClient

from chapbook.cli.preview import BuildState, preview_app, with_script
from chapbook.core.diagnostics import Location, error
from tests.conftest import GOOD_REVIEW, MINIMAL_CONFIG, write_project

EPUB_ONLY = MINIMAL_CONFIG + 'formats = ["epub"]\n'


def test_pages_get_the_reload_script_before_the_end_of_their_body() -> None:
    page = b"<html><body><p>a</p></body>\n</html>"
    assert with_script(page) == (b'<html><body><p>a</p><script src="/__chapbook__/reload.js"'
                                 b' defer></script></body>\n</html>')
    assert with_script(b"<p>no body end</p>").endswith(b"defer></script>")


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[tuple[TestClient, BuildState, Path]]:
    build = tmp_path / "project" / "build"
    (build / "book").mkdir(parents=True)
    (build / "book" / "index.html").write_text("<!doctype html><body>Book</body>")
    (build / "book.epub").write_bytes(b"PK epub")
    (tmp_path / "project" / "chapbook.toml").write_text("secret = 1")
    (tmp_path / "outside.txt").write_text("outside")
    (build / "leak").symlink_to(tmp_path / "outside.txt")
    state = BuildState()
    with TestClient(preview_app(build, state)) as client:
        yield client, state, build


def test_the_preview_serves_the_build_folder_uncached(preview: tuple[TestClient, BuildState,
                                                                     Path]) -> None:
    client, _, _ = preview
    page = client.get("/book/")
    assert page.status_code == 200
    assert "Book" in page.text and "/__chapbook__/reload.js" in page.text
    assert page.headers["cache-control"] == "no-store"
    download = client.get("/book.epub")
    assert download.content == b"PK epub" and download.headers["cache-control"] == "no-store"
    script = client.get("/__chapbook__/reload.js")
    assert "EventSource" in script.text and script.headers["content-type"].startswith(
        "text/javascript")


def test_nothing_outside_the_build_folder_is_served(preview: tuple[TestClient, BuildState,
                                                                   Path]) -> None:
    client, _, _ = preview
    for path in ("/../chapbook.toml", "/%2e%2e/chapbook.toml", "/book/../../chapbook.toml",
                 "/leak", "/..%2f..%2foutside.txt"):
        answer = client.get(path)
        assert answer.status_code == 404, path
        assert "secret" not in answer.text and "outside" not in answer.text


def test_the_status_tells_the_last_failure_until_a_build_lands(
        preview: tuple[TestClient, BuildState, Path]) -> None:
    client, state, _ = preview
    assert client.get("/__chapbook__/status").json() == {"version": 0, "failure": None}
    state.failed("epub", (error("yaml-syntax", "invalid YAML", Location("manuscripts/a.md", 2),
                                "check the quotes"),))
    failure = client.get("/__chapbook__/status").json()["failure"]
    assert failure == {"stage": "epub", "problems": [{
        "where": "manuscripts/a.md:2", "severity": "error", "message": "invalid YAML",
        "code": "yaml-syntax", "hint": "check the quotes"}]}
    state.landed()
    assert client.get("/__chapbook__/status").json() == {"version": 2, "failure": None}


class Served:
    """`chapbook serve` running on a free port in a subprocess; its stderr is read by a
    thread into a queue, so that waiting for a line has a real timeout."""

    def __init__(self, root: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "chapbook", "serve", "--port", "0"], cwd=root,
            stderr=subprocess.PIPE, text=True, env={**os.environ, "COLUMNS": "200"})
        self.lines: list[str] = []
        self.queue: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        address = self.wait_for(r"serving build at (http://\S+/)")
        self.url = address.group(1)

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.queue.put(line)

    def wait_for(self, pattern: str, timeout: float = 120) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.queue.get(timeout=left)
            except queue.Empty:
                break
            self.lines.append(line)
            found = re.search(pattern, line)
            if found:
                return found
        raise AssertionError(f"no {pattern!r} in:\n{''.join(self.lines)}")

    def stop(self) -> tuple[int, str]:
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=60)
        time.sleep(0.2)  # the reader's last lines
        while not self.queue.empty():
            self.lines.append(self.queue.get())
        return self.process.returncode, "".join(self.lines)


def events(url: str, count: int, timeout: float = 60) -> Iterator[tuple[str, str]]:
    """The first `count` server-sent events after the greeting: (event, data)."""
    with httpx2.stream("GET", url + "__chapbook__/events", timeout=timeout) as stream:
        name, seen = "", 0
        for line in stream.iter_lines():
            if line.startswith("event: "):
                name = line.removeprefix("event: ")
            elif line.startswith("data: ") and name != "hello":
                yield name, line.removeprefix("data: ")
                seen += 1
                if seen == count:
                    return


def test_serve_rebuilds_on_edits_reports_failures_and_stops_with_130(tmp_path: Path) -> None:
    root = write_project(tmp_path / "project", {"good.md": GOOD_REVIEW}, EPUB_ONLY)
    served = Served(root)
    try:
        served.wait_for(r"epub, html: rebuilt")
        stream = events(served.url, 2)
        time.sleep(0.5)  # the stream is open before the edit
        edited = GOOD_REVIEW.replace("it is good", "it is very good")
        (root / "manuscripts" / "good.md").write_text(edited, encoding="utf-8")
        assert next(stream) == ("reload", "{}")
        served.wait_for(r"epub, html: rebuilt")
        (root / "manuscripts" / "broken.md").write_text("---\ntitle: [unclosed\n---\nx\n")
        name, data = next(stream)
        assert name == "failed"
        problem = json.loads(data)["problems"][0]
        assert problem["where"].startswith("manuscripts/broken.md:2")
        assert problem["code"] == "yaml-syntax"
        served.wait_for(r"the page shows why")
        last_good = (root / "build" / "everything.epub").read_bytes()  # still there
        assert httpx2.get(served.url + "everything.epub").content == last_good
    finally:
        code, output = served.stop()
    assert code == 130, output
    assert output.rstrip().endswith("interrupted")
    assert not list((root / "build").glob(".*.part"))


def test_a_port_in_use_is_a_clear_error(tmp_path: Path) -> None:
    root = write_project(tmp_path / "project", {"good.md": GOOD_REVIEW}, EPUB_ONLY)
    served = Served(root)
    try:
        port = served.url.rsplit(":", 1)[1].strip("/")
        done = subprocess.run([sys.executable, "-m", "chapbook", "serve", "--port", port],
                              cwd=root, capture_output=True, text=True, timeout=60)
    finally:
        served.stop()
    assert done.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr and "[serve-failed]" in \
        done.stderr
