"""The live preview's web application (Starlette): the build folder as it is, each HTML
page with a small script that reloads it when a rebuild lands, or shows what failed.

Files are served by Starlette's StaticFiles, which refuses paths that resolve outside the
folder (`..`, or a symlink pointing out). The script and its event stream live under
/__chapbook__/, a name no build output takes. Nothing is cached by the browser: a reload
must show the file as it is now.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import anyio
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from chapbook.core.diagnostics import Diagnostic

PREFIX = "/__chapbook__"
NO_STORE = {"Cache-Control": "no-store"}
POLL_SECONDS = 0.2  # how often an open page's event stream looks for a new build
_SCRIPT = f'<script src="{PREFIX}/reload.js" defer></script>'
_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)


@dataclass(frozen=True)
class Failure:
    """What the last rebuild reported, for the page's overlay."""

    stage: str
    problems: tuple[dict[str, str], ...]


class BuildState:
    """What the open pages are told: a counter that moves at each landed or failed
    rebuild, and the failure if the last one failed. Written by the rebuilding thread,
    read by the server's."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version = 0
        self._failure: Failure | None = None
        self.closing = False

    def landed(self) -> None:
        with self._lock:
            self._version += 1
            self._failure = None

    def failed(self, stage: str, problems: tuple[Diagnostic, ...]) -> None:
        with self._lock:
            self._version += 1
            self._failure = Failure(stage, tuple(_problem(d) for d in problems))

    def now(self) -> tuple[int, Failure | None]:
        with self._lock:
            return self._version, self._failure


def _problem(diagnostic: Diagnostic) -> dict[str, str]:
    return {"where": str(diagnostic.location or ""), "severity": diagnostic.severity.label,
            "message": diagnostic.message, "code": diagnostic.code,
            "hint": diagnostic.hint or ""}


class _PreviewFiles(StaticFiles):
    """The build folder, HTML pages with the reload script added before </body>."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if isinstance(response, FileResponse) and response.media_type == "text/html":
            page = await anyio.Path(response.path).read_bytes()
            return Response(with_script(page), media_type="text/html", headers=NO_STORE)
        response.headers.update(NO_STORE)
        return response


def with_script(page: bytes) -> bytes:
    """The page with the reload script before its last </body> (or at its end)."""
    ends = list(_BODY_END.finditer(page))
    at = ends[-1].start() if ends else len(page)
    return page[:at] + _SCRIPT.encode() + page[at:]


def preview_app(build_dir: Path, state: BuildState) -> Starlette:
    """The preview's application: the build folder, and the script and its events."""

    async def script(_: Request) -> Response:
        text = files("chapbook.cli").joinpath("preview.js").read_text(encoding="utf-8")
        return Response(text, media_type="text/javascript", headers=NO_STORE)

    async def events(request: Request) -> Response:
        return StreamingResponse(_events(request, state), media_type="text/event-stream",
                                 headers=NO_STORE)

    async def status(_: Request) -> Response:
        version, failure = state.now()
        return Response(json.dumps(_status(version, failure)), media_type="application/json",
                        headers=NO_STORE)

    build_dir.mkdir(parents=True, exist_ok=True)
    return Starlette(routes=[
        Route(f"{PREFIX}/reload.js", script),
        Route(f"{PREFIX}/events", events),
        Route(f"{PREFIX}/status", status),
        Mount("/", app=_PreviewFiles(directory=build_dir, html=True, follow_symlink=False)),
    ])


async def _events(request: Request, state: BuildState) -> AsyncIterator[str]:
    """Server-sent events: a failure already there, then each rebuild as it lands
    ("reload") or fails ("failed", with the diagnostics)."""
    seen, failure = state.now()
    yield f"retry: 1000\nevent: hello\ndata: {seen}\n\n"
    if failure is not None:
        yield _event(failure)
    while not state.closing and not await request.is_disconnected():
        version, failure = state.now()
        if version != seen:
            seen = version
            yield _event(failure)
        await anyio.sleep(POLL_SECONDS)


def _event(failure: Failure | None) -> str:
    if failure is None:
        return "event: reload\ndata: {}\n\n"
    return f"event: failed\ndata: {json.dumps(_status(0, failure)['failure'])}\n\n"


def _status(version: int, failure: Failure | None) -> dict[str, object]:
    shown = None if failure is None else {"stage": failure.stage,
                                          "problems": list(failure.problems)}
    return {"version": version, "failure": shown}
