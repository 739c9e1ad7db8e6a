"""Schema refusals in plain words: what the key accepts, with an example.

pydantic's messages ("Input should be a valid date or datetime, input is too short") speak
of its own types; a user of chapbook.toml or of front matter needs the forms a key takes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

# By pydantic error type: what the value must be.
_FORMS = {
    "missing": "is required",
    "string_type": 'must be text, e.g. "Comfort Watches"',
    "string_too_short": "must not be empty",
    "string_too_long": "is too long",
    "int_type": "must be a whole number, e.g. 5",
    "int_parsing": "must be a whole number, e.g. 5",
    "int_from_float": "must be a whole number, e.g. 5",
    "float_type": "must be a number, e.g. 4.5",
    "float_parsing": "must be a number, e.g. 4.5",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "list_type": 'must be a list, e.g. ["horror", "comedy"]',
    "tuple_type": 'must be a list, e.g. ["horror", "comedy"]',
    "dict_type": 'must be a table, e.g. { tags_any = ["horror"] }',
    "model_type": 'must be a table, e.g. { tags_any = ["horror"] }',
    "model_attributes_type": 'must be a table, e.g. { tags_any = ["horror"] }',
    "date_type": "must be a date written YYYY-MM-DD, e.g. 2024-03-23",
    "date_parsing": "must be a date written YYYY-MM-DD, e.g. 2024-03-23",
    "date_from_datetime_parsing": "must be a date written YYYY-MM-DD, e.g. 2024-03-23",
    "date_from_datetime_inexact": "must be a date written YYYY-MM-DD, e.g. 2024-03-23",
    "too_short": "must not be empty",
    # chapbook.toml's [labels] (core/config.py): one refusal for a value of neither form
    "label_value": "must be a label text, or a table of them named by a language tag",
    "label_text": "must be a label text",
}
# By pydantic error type: the bound it names, in words.
_BOUNDS = {"greater_than": "must be above {gt}", "greater_than_equal": "must be at least {ge}",
           "less_than": "must be below {lt}", "less_than_equal": "must be at most {le}"}
_ISO_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# By key name, when its value has the wrong shape: the forms it takes.
_KEY_FORMS = {
    "rating": "must be a rating such as 4/5, 8/10, 4.5, 85% or ★★★★☆",
    "tags": 'must be a list or text, e.g. [drama, thriller] or "drama, thriller"',
    "author": 'must be a name or a list of names, e.g. "Jane Doe" or [Jane Doe, Sam Lee]',
}
# By key name, for pattern refusals: the accepted form.
_PATTERNS = {
    "slug": "must be lower-case letters, digits and hyphens, e.g. comfort-watches",
    "language": "must be a language tag such as en, fr, ko or pt-BR",
}


def plain_reason(item: Mapping[str, Any]) -> str:
    """Why a value was refused, in chapbook's words, with the value given when short."""
    kind = str(item.get("type", ""))
    path = tuple(item.get("loc", ()))
    key = str(path[-1]) if path else ""
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "value_error":  # raised by chapbook's own validators: already plain
        return str(item.get("msg", "")).removeprefix("Value error, ")
    if kind == "literal_error":
        expected = str((item.get("ctx") or {}).get("expected", ""))
        return f"must be one of {expected.replace(chr(39), '')}"
    given = item.get("input")
    if kind == "string_pattern_mismatch":
        reason = _PATTERNS.get(key, "is not in the accepted form")
    elif kind in _BOUNDS:
        reason = _BOUNDS[kind].format(**(item.get("ctx") or {}))
    elif key in _KEY_FORMS and kind.endswith("_type"):
        reason = _KEY_FORMS[key]
    elif kind.startswith("date") and isinstance(given, str) and _ISO_SHAPE.match(given):
        reason = "is not a date that exists: check the month and the day"
    else:
        reason = _FORMS.get(kind, "is not accepted here")
    return reason + _given(given)


def _given(value: Any) -> str:
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return f" (got {str(value)[:60]!r})"
    return ""


def one_per_value(items: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """One refusal per value: a value tried against several forms (`str | int | float`)
    fails each of them, and pydantic names the forms in the key path ('rating.int')."""
    kept: dict[tuple[Any, ...], Mapping[str, Any]] = {}
    for item in items:
        path = tuple(part for part in item.get("loc", ()) if part not in _UNION_MEMBERS)
        kept.setdefault(path, {**item, "loc": path})
    return list(kept.values())


# What pydantic puts in a key path for the branches of a union type
_UNION_MEMBERS = frozenset({"str", "int", "float", "bool", "constrained-str", "list[str]",
                            "tuple[str, ...]", "none", "function-before[_as_text(), "
                            "constrained-str]"})
