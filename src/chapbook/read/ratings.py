"""Ratings as people write them: stars, `4.5 stars`, `85%`, letter grades.

`4/5`, `8/10` and bare numbers are `parse_rating`'s (core); this module reads the other
forms into the same `Rating`, and says how it read each.

Letter grades sit on a 12-point scale, one step per grade: F = 0, D- = 1, D = 2, D+ = 3,
C- = 4, C = 5, C+ = 6, B- = 7, B = 8, B+ = 9, A- = 10, A = 11, A+ = 12. So A+ is 12/12,
B is 8/12 (0.67, about 3.3/5), and a grade compares with a 4/5 like any other rating.
"""

from __future__ import annotations

import re
from fractions import Fraction

from chapbook.core.manuscript import Rating

GRADE_SCALE = 12
_GRADE_BASE = {"F": 0, "D": 2, "C": 5, "B": 8, "A": 11}
_GRADE = re.compile(r"^([A-DF])\s*([+\-\u2212]?)$", re.IGNORECASE)
_FULL, _HALF, _EMPTY = "★", "½", "☆"
_STARS = re.compile(r"^(★*)(½?)(☆*)$")
_STARS_WORD = re.compile(r"^(\d+(?:\.\d+)?|\d+\s*½)\s*(?:/\s*5\s*)?stars?$", re.IGNORECASE)
_PERCENT = re.compile(r"^(\d+(?:\.\d+)?)\s*%$")
_OUT_OF = re.compile(r"^(\d+(?:\.\d+)?)\s+out\s+of\s+(\d+)$", re.IGNORECASE)


def read_rating(raw: str) -> tuple[Rating, str] | None:
    """The rating and how it was read ('4.5 out of 5 (stars)'), or None if not a form."""
    text = raw.strip()
    for reader in (_stars, _stars_word, _percent, _out_of, _grade):
        found = reader(text)
        if found is not None:
            return found
    return None


def _stars(text: str) -> tuple[Rating, str] | None:
    text = text.replace(" ", "")
    match = _STARS.match(text)
    if not match or not text:
        return None
    full, half, empty = (len(group) for group in match.groups())
    scale = full + half + empty if empty else 5
    value = full + Fraction(half, 2)
    if value > scale:
        return None
    return Rating(value, scale), f"{_num(value)} out of {scale} (stars)"


def _stars_word(text: str) -> tuple[Rating, str] | None:
    match = _STARS_WORD.match(text)
    if not match:
        return None
    number = match.group(1).replace(" ", "")
    value = Fraction(number[:-1]) + Fraction(1, 2) if number.endswith(_HALF) \
        else Fraction(number)
    if value > 5:
        return None
    return Rating(value, 5), f"{_num(value)} out of 5 (stars)"


def _percent(text: str) -> tuple[Rating, str] | None:
    match = _PERCENT.match(text)
    if not match or Fraction(match.group(1)) > 100:
        return None
    value = Fraction(match.group(1))
    return Rating(value, 100, f"{_num(value)}%"), f"{_num(value)} out of 100 (a percentage)"


def _out_of(text: str) -> tuple[Rating, str] | None:
    match = _OUT_OF.match(text)
    if not match:
        return None
    value, scale = Fraction(match.group(1)), int(match.group(2))
    if scale <= 0 or value > scale:
        return None
    return Rating(value, scale), f"{_num(value)} out of {scale}"


def _grade(text: str) -> tuple[Rating, str] | None:
    match = _GRADE.match(text)
    if not match:
        return None
    letter = match.group(1).upper()
    sign = match.group(2).replace("\u2212", "-")
    if letter == "F" and sign:
        return None
    step = _GRADE_BASE[letter] + {"+": 1, "-": -1, "": 0}[sign]
    label = letter + sign
    return (Rating(Fraction(step), GRADE_SCALE, label),
            f"grade {label}, {step} out of {GRADE_SCALE} on the letter-grade scale")


def _num(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{float(value):g}"
