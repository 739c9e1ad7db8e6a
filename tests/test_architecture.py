"""The package's shape: stages as subpackages, imports pointing one way, no circles.

Read off the source with `ast` (nothing is imported): every `import` counts, at module
level, under `TYPE_CHECKING` or inside a function, because each is a dependency.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "chapbook"

# Lowest first: a package may import packages of lower layers only (never one of its own
# layer but itself, never one above). The EPUB sits on the print edition: WeasyPrint lays
# out its generated cover.
LAYERS = (("core",), ("read",), ("collect",), ("render",), ("pdf",), ("epub",), ("web",),
          ("build",), ("api",), ("cli",))
# The only modules that may import inside a function (each such line says why): the CLI
# launcher (--help and an up-to-date build load nothing more) and the worker entry point
# (a worker loads only what its task needs; the build process only names the task), and the
# Python API's build (the CLI builds through it: an up-to-date build loads no pipeline).
LAZY_IMPORTERS = ("chapbook.cli.main", "chapbook.pdf.worker", "chapbook.api.project",
                  "chapbook.build.executor")
# Libraries that one package alone may import
OWNERS = {"weasyprint": "pdf", "ebooklib": "epub", "typer": "cli", "rich": "cli",
          "distributed": "build"}
MAX_LINES = 450


@dataclass(frozen=True)
class Import:
    importer: str  # dotted module name
    target: str  # dotted module (or library) name
    line: int
    in_function: bool


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str, path: Path, known: set[str]) -> Iterator[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    functions = [node for node in ast.walk(tree)
                 if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]
    nested = {id(inner) for fn in functions for inner in ast.walk(fn) if inner is not fn}
    inside = {id(node) for fn in functions for node in ast.walk(fn)} | nested
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(name, alias.name, node.lineno, id(node) in inside)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:  # `from chapbook.read import docx` imports a module
                full = f"{base}.{alias.name}"
                yield Import(name, full if full in known else base, node.lineno,
                             id(node) in inside)


def all_imports() -> list[Import]:
    found = modules()
    return [i for name, path in found.items() for i in imports_of(name, path, set(found))]


def package_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "chapbook" and len(parts) > 2 else None


def layer_of(package: str) -> int:
    return next(n for n, layer in enumerate(LAYERS) if package in layer)


def test_every_module_belongs_to_a_stage_package() -> None:
    stray = [name for name in modules()
             if name not in ("chapbook", "chapbook.__main__") and package_of(name) is None
             and name.split(".")[-1] not in {p for layer in LAYERS for p in layer}]
    assert stray == []
    packages = {package_of(name) for name in modules()} - {None}
    assert packages == {p for layer in LAYERS for p in layer}


def test_imports_point_down_the_layers_only() -> None:
    upward = []
    for found in all_imports():
        source, target = package_of(found.importer), package_of(found.target)
        if source is None or target is None or source == target:
            continue
        if layer_of(target) >= layer_of(source):
            upward.append(f"{found.importer}:{found.line} imports {found.target}")
    assert upward == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_circles() -> None:
    graph: dict[str, set[str]] = {}
    for found in all_imports():
        if found.target.startswith("chapbook.") and found.target != found.importer:
            graph.setdefault(found.importer, set()).add(found.target)
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_imports_inside_functions_only_in_the_launcher_and_the_worker_entry() -> None:
    lazy = [f"{i.importer}:{i.line} {i.target}" for i in all_imports()
            if i.in_function and i.importer not in LAZY_IMPORTERS]
    assert lazy == []
    for name in LAZY_IMPORTERS:
        lines = modules()[name].read_text(encoding="utf-8").splitlines()
        unexplained = [i.line for i in all_imports() if i.importer == name and i.in_function
                       and "#" not in lines[i.line - 1]]
        assert unexplained == [], f"{name}: say why on each lazy import line"


@pytest.mark.parametrize(("library", "owner"), sorted(OWNERS.items()))
def test_one_package_imports_each_heavy_library(library: str, owner: str) -> None:
    importers = sorted({i.importer for i in all_imports()
                        if i.target.split(".")[0] == library})
    assert importers, f"nothing imports {library}: update OWNERS"
    assert [m for m in importers if package_of(m) != owner] == []


def test_modules_stay_readable() -> None:
    long = {name: n for name, path in modules().items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_each_package_says_what_it_owns_in_three_lines() -> None:
    for layer in LAYERS:
        for package in layer:
            init = PACKAGE / package / "__init__.py"
            tree = ast.parse(init.read_text(encoding="utf-8"))
            docstring = ast.get_docstring(tree)
            assert docstring and len(docstring.splitlines()) <= 3, package
            assert len(tree.body) == 1, f"{package}/__init__.py holds only its docstring"
