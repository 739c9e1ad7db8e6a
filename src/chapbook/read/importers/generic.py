"""Any CSV or JSON Lines file, read through a column mapping given on the command line
(`--map title=Headline`); a column named like a field maps itself.

Text in `body` is the review in Markdown. In CSV, lists (author, creators, cast) are
split on `;`, tags on `,` or `;`; in JSON they may be lists.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from chapbook.core.diagnostics import Diagnostic, Location, error
from chapbook.read.importers.review import Imported, Parsed, make_slug
from chapbook.read.importers.tables import Row, Table, csv_table, jsonl_table
from chapbook.read.importers.values import parse_date, parse_year, split_list
from chapbook.read.manuscript import slugify

_LISTS = {"author": ";", "tags": ",;", "work.creators": ";", "work.cast": ";"}
FIELDS = ("title", "standfirst", "author", "date", "body", "rating", "tags", "language",
          "slug", "work.title", "work.kind", "work.year", "work.creators", "work.cast",
          "work.platform", "work.publisher", "work.label", "source.publication",
          "source.url", "source.first_published")


def parse_csv(raw: bytes, where: Location, pairs: Sequence[str], author: str | None) -> Parsed:
    return _parse(csv_table(raw, where, (), "a CSV file with a header line"), where, pairs,
                  author)


def parse_jsonl(raw: bytes, where: Location, pairs: Sequence[str],
                author: str | None) -> Parsed:
    return _parse(jsonl_table(raw, where), where, pairs, author)


def _parse(table: Table | Diagnostic, where: Location, pairs: Sequence[str],
           author: str | None) -> Parsed:
    parsed = Parsed()
    if isinstance(table, Diagnostic):
        parsed.diagnostics.append(table)
        return parsed
    mapping = column_mapping(pairs, table.columns, where, parsed.diagnostics)
    if mapping is None:
        return parsed
    for row in table.rows:
        values = {name: row.values.get(column) for name, column in mapping.items()}
        if not _present(values.get("body")):
            parsed.skip("rows without a body")
            continue
        try:
            parsed.reviews.append(_review(values, row, author))
        except ValueError as exc:
            parsed.diagnostics.append(error("import-bad-row", str(exc), where.at_line(row.line)))
    return parsed


def column_mapping(pairs: Sequence[str], columns: Sequence[str], where: Location,
                   problems: list[Diagnostic]) -> dict[str, str] | None:
    """Field -> column, from `FIELD=COLUMN` pairs and the columns named like fields."""
    by_name = {column.lower(): column for column in columns}
    mapping = {name: by_name[name] for name in FIELDS if name in by_name}
    for pair in pairs:
        name, sep, column = (part.strip() for part in pair.partition("="))
        if not sep or name not in FIELDS:
            problems.append(error(
                "import-bad-map",
                f"--map {pair!r}: use FIELD=COLUMN with a field of: {', '.join(FIELDS)}"))
        elif column not in columns:
            problems.append(error(
                "import-bad-map", f"--map {pair}: the file has no column '{column}'",
                where.at_line(1), f"its columns: {', '.join(columns)[:300]}"))
        else:
            mapping[name] = column
    if "body" not in mapping and not problems:
        problems.append(error("import-bad-map", "no column for the review's text", where.at_line(1),
                              "name one with --map body=COLUMN"))
    return None if problems else mapping


def _review(values: dict[str, Any], row: Row, author: str | None) -> Imported:
    fields = {name: _value(name, values[name]) for name in FIELDS if _present(values.get(name))}
    if author and "author" not in fields:
        fields["author"] = [author]
    front: dict[str, Any] = {}
    for name, value in fields.items():
        if name not in ("body", "slug"):
            group, _, key = name.rpartition(".")
            (front.setdefault(group, {}) if group else front)[key] = value
    if "work" in front:
        front["work"].setdefault("kind", "other")
    if not fields.get("title"):
        raise ValueError("this review has no title (map one with --map title=COLUMN)")
    slug = slugify(str(fields.get("slug") or "")) or make_slug(fields["title"])
    return Imported(slug, front, str(fields["body"]), row.line)


def _date(text: str) -> Any:
    """ISO and RSS dates as dates; any other form as written, for the reader to read as
    it reads front matter (23 March 2024, 2024年3月23日...), checked before writing."""
    try:
        return parse_date(text)
    except ValueError:
        return text


_CONVERT: dict[str, Callable[[str], Any]] = {"work.year": parse_year, "date": _date,
                                             "source.first_published": _date}


def _value(name: str, value: Any) -> Any:
    if name in _LISTS:
        return split_list(value, _LISTS[name])
    if isinstance(value, list | dict):  # a JSON value that is no text: never written as repr
        raise ValueError(f"'{name}' must be text or a number, not {type(value).__name__}")
    if isinstance(value, int | float) and not isinstance(value, bool) and name != "work.year":
        return value
    text = str(value).strip() if name != "body" else str(value)
    return _CONVERT[name](text) if name in _CONVERT else text


def _present(value: Any) -> bool:
    return value is not None and str(value).strip() != "" and value != []
