"""Rows of an export file, each with the line it starts on: CSV with a header, or JSON
Lines. A file that is not what it should be is one located error."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from chapbook.core.diagnostics import Diagnostic, Location, error
from chapbook.read.importers.review import Imported, Parsed


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, Any]

    def text(self, column: str) -> str:
        value = self.values.get(column)
        return "" if value is None else str(value).strip()


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[Row, ...]


def decode(raw: bytes, where: Location) -> str | Diagnostic:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return error("import-bad-file", "not UTF-8 text", where.at_line(line),
                     "export the file again as UTF-8 (or CSV UTF-8)")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return error("import-bad-file", "not a text file (it holds NUL bytes)", where.at_line(line))
    return text


def csv_table(raw: bytes, where: Location, required: Sequence[str],
              what: str) -> Table | Diagnostic:
    """The rows of a CSV file whose header has every `required` column."""
    text = decode(raw, where)
    if isinstance(text, Diagnostic):
        return text
    # A review may be long: the csv module's own limit (128 KiB a field) is lifted to the
    # size of the whole export, which is bounded where the file is read.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [name.strip() for name in next(reader, [])]
        twice = sorted({name for name in header if name and header.count(name) > 1})
        if twice:  # a row could keep only one of the two: nothing is silently lost
            return error("import-bad-file", f"columns named twice: {', '.join(twice)}",
                         where.at_line(1), "rename or remove one of each pair")
        missing = [name for name in required if name not in header]
        if missing:
            return error("import-bad-file", f"missing columns: {', '.join(missing)}",
                         where.at_line(1), f"is this {what}? its first line names: "
                         f"{', '.join(header)[:200] or 'nothing'}")
        return Table(tuple(header), tuple(_csv_rows(reader, header, where)))
    except csv.Error as exc:
        return error("import-bad-file", f"not valid CSV: {exc}", where.at_line(reader.line_num))
    except _RowError as exc:
        return exc.diagnostic


class _RowError(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def _csv_rows(reader: Any, header: list[str], where: Location) -> list[Row]:
    rows = []
    start = reader.line_num + 1
    for fields in reader:
        if any(field.strip() for field in fields):
            if len(fields) != len(header):
                raise _RowError(error(
                    "import-bad-file",
                    f"this row has {len(fields)} fields, the header {len(header)}",
                    where.at_line(start), "a quote left open, or a comma outside quotes?"))
            rows.append(Row(start, dict(zip(header, fields, strict=True))))
        start = reader.line_num + 1
    return rows


def jsonl_table(raw: bytes, where: Location) -> Table | Diagnostic:
    """One JSON object a line; the columns are every key any object has, in order."""
    text = decode(raw, where)
    if isinstance(text, Diagnostic):
        return text
    rows: list[Row] = []
    columns: dict[str, None] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            return error("import-bad-file", f"not valid JSON: {exc.msg}",
                         where.at_line(number, exc.colno))
        if not isinstance(value, dict):
            return error("import-bad-file", "each line must be a JSON object ({...})",
                         where.at_line(number))
        columns.update(dict.fromkeys(value))
        rows.append(Row(number, value))
    return Table(tuple(columns), tuple(rows))


def parse_reviews(table: Table | Diagnostic, where: Location, review_column: str,
                  without_review: str, make: Callable[[Row], Imported]) -> Parsed:
    """Each row with a review made into one; rows without are counted as `without_review`,
    rows that cannot be made are located errors."""
    parsed = Parsed()
    if isinstance(table, Diagnostic):
        parsed.diagnostics.append(table)
        return parsed
    for row in table.rows:
        if not row.text(review_column):
            parsed.skip(without_review)
            continue
        try:
            parsed.reviews.append(make(row))
        except ValueError as exc:
            parsed.diagnostics.append(error("import-bad-row", str(exc), where.at_line(row.line)))
    return parsed
