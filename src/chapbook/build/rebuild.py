"""Rebuilds for a live preview: the quick editions first, then the whole build.

A reader of the preview waits for the EPUB and the web edition (seconds) and should not
wait for the PDFs (a minute for a long book): each rebuild is two builds, the second
only when the first succeeded. The second is the whole build, in its own order: the
print PDF, then the EPUB with the PDF's page list, then the web edition with the PDFs'
sizes (the caches make the editions done a moment before cost little). Each holds the
output lock, so a `chapbook build` run beside the preview waits its turn rather than
interleaving its writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from chapbook.build.lock import output_lock
from chapbook.build.options import BuildOptions
from chapbook.build.report import BuildReport
from chapbook.build.run import build
from chapbook.core.diagnostics import Diagnostic, Severity, has_errors

PDF = "pdf"


@dataclass(frozen=True)
class Stage:
    """One build of a rebuild: which formats, and what it gave."""

    formats: tuple[str, ...]
    report: BuildReport
    strict: bool

    @property
    def failed(self) -> bool:
        return has_errors(self.report.all_diagnostics, self.strict)

    @property
    def problems(self) -> tuple[Diagnostic, ...]:
        """What failed the stage (errors, and warnings when strict), in file order."""
        threshold = Severity.WARNING if self.strict else Severity.ERROR
        found = [d for d in self.report.all_diagnostics if d.severity >= threshold]
        return tuple(sorted(found, key=lambda d: (str(d.location or ""), d.code)))


def stages(options: BuildOptions) -> list[BuildOptions]:
    """The builds of one rebuild: every format but the PDF, then all of them."""
    quick = tuple(f for f in options.formats if f != PDF)
    if PDF not in options.formats or not quick:
        return [options]
    return [replace(options, formats=quick), options]


def rebuild(root: Path, options: BuildOptions,
            on_wait: Callable[[], None] = lambda: None) -> Iterator[Stage]:
    """Run the stages in turn, yielding each as it lands; stop at the first that fails
    (its diagnostics say why, and the previous outputs stay as they were)."""
    for stage_options in stages(options):
        with output_lock(stage_options.output_dir(root), on_wait):
            stage = Stage(stage_options.formats, build(root, stage_options), options.strict)
        yield stage
        if stage.failed:
            return
