"""A style's template that fails (a syntax error, an unknown variable) as a located
diagnostic, not a crash: the template file and line, from Jinja's own traceback."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

import jinja2

from chapbook.core.diagnostics import Diagnostic, Location, error

HINT = "fix the template, or remove it from the project's style to use the built-in one"


def template_diagnostic(exc: jinja2.TemplateError, project_root: Path) -> Diagnostic:
    """`bad-template` at the template file and line where Jinja stopped."""
    path, line = _where(exc)
    shown = _shown(path, project_root) if path else "a style template"
    kind = "syntax error" if isinstance(exc, jinja2.TemplateSyntaxError) else "error"
    return error("bad-template", f"template {kind} in {shown}: {exc.message or exc}",
                 Location(shown, line) if path else None, HINT)


def _where(exc: jinja2.TemplateError) -> tuple[str | None, int | None]:
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return exc.filename, exc.lineno
    frame: TracebackType | None = exc.__traceback__
    found: tuple[str | None, int | None] = (None, None)
    while frame is not None:  # the innermost template frame is where it stopped
        name = frame.tb_frame.f_code.co_filename
        if name.endswith(".j2"):
            found = (name, frame.tb_lineno)
        frame = frame.tb_next
    return found


def _shown(path: str, project_root: Path) -> str:
    """styles/<name>/templates/... for a project or a built-in style."""
    real = Path(path)
    if real.is_relative_to(project_root):
        return real.relative_to(project_root).as_posix()
    parts = real.parts
    return "/".join(parts[parts.index("styles"):]) if "styles" in parts else real.as_posix()
