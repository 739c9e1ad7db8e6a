"""Field values as exports write them, turned into what front matter says."""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from collections.abc import Iterable
from typing import Any

from chapbook.read.htmlbody import convert

_ISO_DATE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:$|[ T])")
_BLOCK_TAG = re.compile(r"<(?:p|div|h[1-6]|blockquote|ul|ol|pre|table|figure)\b", re.I)
_BREAK = re.compile(r"<br\s*/?>", re.I)


def parse_date(raw: str) -> dt.date | None:
    """2024-03-01, 2024/03/01, an ISO date-time or an RFC 822 date (RSS); '' is none."""
    text = raw.strip()
    if not text or text.startswith("0000-00-00"):  # WordPress's date of an unsent draft
        return None
    found = _ISO_DATE.match(text)
    try:
        if found:
            return dt.date(*(int(part) for part in found.groups()))
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        raise ValueError(f"'{text}' is not a date (use YYYY-MM-DD)") from None


def parse_year(raw: str) -> int | None:
    text = raw.strip()
    if not text:
        return None
    if not re.fullmatch(r"\d{4}", text):
        raise ValueError(f"'{text}' is not a year")
    return int(text)


def split_list(value: Any, separators: str = ";") -> list[str]:
    """A JSON list as it is; text split on the separators; blanks dropped."""
    items: Iterable[Any] = value if isinstance(value, list) else \
        re.split(f"[{re.escape(separators)}]", str(value))
    return [str(item).strip() for item in items if str(item).strip()]


def paragraphs(body: str) -> str:
    """HTML as exports write it: blank lines between paragraphs and bare line breaks (as
    WordPress's classic editor and Letterboxd do) become <p> and <br>."""
    if _BLOCK_TAG.search(body):
        return body
    text = _BREAK.sub("\n", body.replace("\r\n", "\n")).strip()
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text) if block.strip()]
    return "\n".join("<p>" + block.replace("\n", "<br>\n") + "</p>" for block in blocks)


def html_to_markdown(body: str) -> str:
    """A review written in HTML-ish text, as Markdown (sanitised by the shared converter)."""
    converted = convert(paragraphs(body))
    heading = f"# {converted.title}\n\n" if converted.title else ""
    return heading + converted.markdown
