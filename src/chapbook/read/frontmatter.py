"""YAML front matter that remembers where every key came from.

PyYAML's safe loader is used with two changes: timestamps stay strings (so an impossible
date becomes a located validation error instead of a crash inside the loader), and the
node tree is walked to record the line of every key path. It parses with libyaml (C) where
PyYAML has it, as its wheels do: ten times faster than the pure-Python parser, which matters
with thousands of manuscripts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from chapbook.core.diagnostics import Diagnostic, Location, error, warning

KeyPath = tuple[str | int, ...]

# Front matter is a few dozen keys. These bounds stop a "billion laughs" of nested aliases
# (a few lines that expand to billions of values) and nesting deep enough to exhaust the
# stack, before anything walks or validates the values.
MAX_YAML_NODES = 10_000  # values, counting each alias as often as it is used
MAX_YAML_DEPTH = 50


_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):  # type: ignore[misc,valid-type]
    """SafeLoader without implicit timestamps: dates are validated later, with a location."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class FrontMatter:
    """The split of a source file into YAML front matter and body."""

    yaml_text: str | None
    body: str
    yaml_first_line: int  # 1-based line of the first YAML line (after the opening fence)
    body_first_line: int  # 1-based line where the body starts


@dataclass(frozen=True)
class YamlDocument:
    data: dict[str, Any]
    key_lines: dict[KeyPath, int] = field(default_factory=dict)

    def line_of(self, path: KeyPath) -> int | None:
        """The line of the deepest known prefix of `path` (a bad list item -> its list)."""
        for end in range(len(path), 0, -1):
            line = self.key_lines.get(path[:end])
            if line is not None:
                return line
        return None


_FENCE = "---"


def split_front_matter(text: str) -> tuple[FrontMatter, Diagnostic | None]:
    """Split `---` fenced front matter from the body. A missing closing fence is an error."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != _FENCE:
        return FrontMatter(None, text, 1, 1), None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (_FENCE, "..."):
            yaml_text = "".join(lines[1:index])
            body = "".join(lines[index + 1:])
            return FrontMatter(yaml_text, body, 2, index + 2), None
    problem = error(
        "front-matter-unclosed",
        "front matter opened with '---' on line 1 is never closed",
        Location("", 1),
        "end the metadata block with a line containing only '---'",
    )
    return FrontMatter(None, text, 1, 1), problem


def load_mapping(yaml_text: str, where: Location) -> tuple[YamlDocument | None, list[Diagnostic]]:
    """Parse YAML that must be a mapping; `where.line` is the file line of the YAML's line 1."""
    offset = (where.line or 1) - 1
    try:
        node = yaml.compose(yaml_text, Loader=_Loader)
    except RecursionError:
        return None, [_too_deep(where)]
    except yaml.MarkedYAMLError as exc:
        if "maximum nesting depth" in str(exc.problem):  # libyaml's own bound (1,000 levels)
            return None, [_too_deep(where)]
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and mark and mark.index >= len(yaml_text.rstrip()):
            mark = exc.context_mark  # "unclosed [ at end of input": point at the opening
        line = mark.line + 1 + offset if mark else where.line
        col = mark.column + 1 if mark else None
        reason = "; ".join(filter(None, (exc.context, exc.problem))) or "invalid YAML"
        return None, [error("yaml-syntax", f"invalid YAML in front matter: {reason}",
                            where.at_line(line, col),
                            "check indentation, colons and quotes; quote values containing ': '")]
    except yaml.YAMLError as exc:
        return None, [error("yaml-syntax", f"invalid YAML in front matter: {exc}", where)]
    if node is None:
        return YamlDocument({}), []
    if not isinstance(node, yaml.MappingNode):
        return None, [error("yaml-not-mapping", "front matter must be 'key: value' lines",
                            where.at_line(node.start_mark.line + 1 + offset))]
    too_big = _oversized(node, offset, where)
    if too_big:
        return None, [too_big]
    key_lines: dict[KeyPath, int] = {}
    problems: list[Diagnostic] = []
    _record_lines(node, (), offset, where, key_lines, problems)
    try:
        data = _Loader(yaml_text).construct_document(node)
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        return None, [error("yaml-value", f"cannot read front matter value: {exc}", where)]
    return YamlDocument(data, key_lines), problems


def _too_deep(where: Location) -> Diagnostic:
    return error("yaml-too-deep", "front matter is nested too deeply to read", where,
                 f"front matter may nest at most {MAX_YAML_DEPTH} levels")


def _oversized(root: yaml.Node, offset: int, where: Location) -> Diagnostic | None:
    """Walk the node graph as the loader's users will see it (aliases expanded), stopping
    at the first bound crossed: the walk itself costs at most MAX_YAML_NODES steps."""
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    visited = 0
    while stack:
        node, depth = stack.pop()
        visited += 1
        if depth > MAX_YAML_DEPTH:
            return error("yaml-too-deep", f"front matter is nested more than {MAX_YAML_DEPTH} "
                         "levels deep here", _at(node, offset, where), "flatten the value: "
                         "front matter needs only a few levels")
        if visited > MAX_YAML_NODES:
            return error("yaml-too-large", f"front matter holds more than {MAX_YAML_NODES:,} "
                         "values (counting each alias every time it is used)",
                         _at(node, offset, where), "remove the repeated aliases ('*name'): "
                         "front matter needs only a few dozen values")
        if isinstance(node, yaml.MappingNode):
            stack += [(child, depth + 1) for pair in node.value for child in pair]
        elif isinstance(node, yaml.SequenceNode):
            stack += [(child, depth + 1) for child in node.value]
    return None


def _at(node: yaml.Node, offset: int, where: Location) -> Location:
    return where.at_line(node.start_mark.line + 1 + offset, node.start_mark.column + 1)


def _record_lines(node: yaml.Node, path: KeyPath, offset: int, where: Location,
                  key_lines: dict[KeyPath, int], problems: list[Diagnostic]) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 1 + offset
            if key in seen:
                problems.append(warning("yaml-duplicate-key",
                                        f"key '{_dotted((*path, key))}' is given twice; "
                                        "the last value wins", where.at_line(line)))
            seen.add(key)
            key_lines[(*path, key)] = line
            _record_lines(value_node, (*path, key), offset, where, key_lines, problems)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            key_lines[(*path, index)] = item.start_mark.line + 1 + offset
            _record_lines(item, (*path, index), offset, where, key_lines, problems)


def _dotted(path: KeyPath) -> str:
    return ".".join(str(part) for part in path)
