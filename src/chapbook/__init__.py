"""chapbook: publish themed anthologies of reviews as EPUB 3 and print-ready PDF."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["BuildResult", "Diagnostic", "Layouts", "Location", "Manuscript", "Output",
           "Project", "Severity"]

if TYPE_CHECKING:
    from chapbook.api.project import Project
    from chapbook.api.values import BuildResult, Manuscript
    from chapbook.build.report import Output
    from chapbook.core.diagnostics import Diagnostic, Location, Severity
    from chapbook.pdf.jobs import Layouts

# The public names, loaded on first use rather than with the package: the command line
# imports this package first, and its --help must not wait for the API.
_PUBLIC = {"Project": "chapbook.api.project", "BuildResult": "chapbook.api.values",
           "Manuscript": "chapbook.api.values", "Output": "chapbook.build.report",
           "Diagnostic": "chapbook.core.diagnostics", "Location": "chapbook.core.diagnostics",
           "Severity": "chapbook.core.diagnostics", "Layouts": "chapbook.pdf.jobs"}


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'chapbook' has no attribute {name!r}")
    return getattr(importlib.import_module(_PUBLIC[name]), name)
