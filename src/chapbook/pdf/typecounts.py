"""The typographic quality of a laid-out PDF, as values: what `typography.py` measures in
WeasyPrint's boxes, per piece, summed over the chunks of a book, kept in the chunk cache
and reported as one line per PDF and one warning per piece and rule.

No WeasyPrint here: the build process sums and reports cached chunks without loading it.

The rules (issue 18):
- at most MAX_LADDER consecutive hyphenated lines (a longer run is a ladder);
- at most MAX_HYPHENATED of the lines of English prose hyphenated;
- no widow or orphan, no heading, byline or credit left at the foot of a page, no line
  wider than its measure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from chapbook.core.diagnostics import Diagnostic, Location, info, warning

MAX_LADDER = 2  # consecutive hyphenated lines
MAX_HYPHENATED = 0.08  # share of the lines of English prose
MIN_LINES_FOR_SHARE = 20  # a piece shorter than this is not judged on its share alone


@dataclass(frozen=True)
class PieceTypography:
    """What was measured in one piece (or, with `piece` "", in the rest of the book)."""

    piece: str  # the piece's element id (piece-<slug>), or "" outside the pieces
    lines: int = 0
    hyphenated: int = 0  # lines ending in a hyphenation break
    english_lines: int = 0
    english_hyphenated: int = 0
    ladders: int = 0  # runs of more than MAX_LADDER hyphenated lines
    widows: int = 0
    orphans: int = 0
    stranded: int = 0  # headings, bylines, credits left at the foot of a page
    overflows: int = 0  # lines wider than their measure

    def __add__(self, other: PieceTypography) -> PieceTypography:
        return PieceTypography(self.piece, *(getattr(self, f.name) + getattr(other, f.name)
                                             for f in fields(self)[1:]))

    @property
    def too_many_hyphens(self) -> bool:
        """Over the limit: judged in pieces only (front and back matter are lists and
        notes more than prose, and laid out apart in a chunked book)."""
        return (bool(self.piece) and self.english_lines >= MIN_LINES_FOR_SHARE
                and self.english_hyphenated > MAX_HYPHENATED * self.english_lines)


@dataclass(frozen=True)
class Typography:
    """One PDF's (or one chunk's) measurements, piece by piece, in book order; and how many
    layouts the repair of hyphen ladders cost beyond the first."""

    pieces: tuple[PieceTypography, ...] = ()
    repair_rounds: int = 0

    def __add__(self, other: Typography) -> Typography:
        merged: dict[str, PieceTypography] = {}
        for piece in (*self.pieces, *other.pieces):
            merged[piece.piece] = merged[piece.piece] + piece if piece.piece in merged else piece
        return Typography(tuple(merged.values()), self.repair_rounds + other.repair_rounds)

    @property
    def total(self) -> PieceTypography:
        summed = PieceTypography("")
        for piece in self.pieces:
            summed = summed + piece
        return summed


NOTHING_MEASURED = Typography()


def combined(parts: Iterable[Typography]) -> Typography:
    result = Typography()
    for part in parts:
        result = result + part
    return result


def summary(typography: Typography) -> str:
    """The report line: 'typography: 0 ladders, 3.1 % hyphenated, 0 widows/orphans, ...'."""
    t = typography.total
    share = 100 * t.english_hyphenated / t.english_lines if t.english_lines else 0.0
    n = typography.repair_rounds
    rounds = f" ({n} repair layout{_s(n)})" if n else ""
    return (f"typography: {t.ladders} ladder{_s(t.ladders)}, {share:.1f} % hyphenated, "
            f"{t.widows + t.orphans} widows/orphans, {t.stranded} stranded heading"
            f"{_s(t.stranded)}, {t.overflows} overflow{_s(t.overflows)}{rounds}")


def _s(count: int) -> str:
    return "" if count == 1 else "s"


REPORT_CODE = "typography"  # the info diagnostic that carries the report line of a PDF


def report_diagnostic(pdf_name: str, typography: Typography) -> Diagnostic:
    """The report line as an info diagnostic, named after the PDF: it travels with the
    build's diagnostics (and the up-to-date record), and the CLI always prints it."""
    return info(REPORT_CODE, f"{pdf_name}: {summary(typography)}")


# code, field, one, many, hint
_RULES = (
    ("hyphen-ladder", "ladders", "run of more than 2 hyphenated lines",
     "runs of more than 2 hyphenated lines",
     "reword a line, or give the long words soft hyphens (&shy;) where they may break"),
    ("widow", "widows", "widow (a last line alone at the top of a page)",
     "widows (last lines alone at the top of a page)",
     "the style's `widows` could not be kept: shorten or lengthen the paragraph"),
    ("orphan", "orphans", "orphan (a first line alone at the foot of a page)",
     "orphans (first lines alone at the foot of a page)",
     "the style's `orphans` could not be kept: shorten or lengthen the paragraph"),
    ("stranded-heading", "stranded", "heading, byline or credit left at the foot of a page",
     "headings, bylines or credits left at the foot of a page",
     "the style's `break-after: avoid` could not be kept: shorten the text around it"),
    ("line-overflow", "overflows", "line wider than the measure",
     "lines wider than the measure",
     "break the long word or address (a soft hyphen, a space, or a shorter link text)"),
)


def offence_diagnostics(pdf_name: str, typography: Typography,
                        sources: Mapping[str, Location]) -> list[Diagnostic]:
    """One warning per piece and rule, with the count, at the piece's manuscript (or, for
    the rest of the book, naming the PDF)."""
    found: list[Diagnostic] = []
    for piece in typography.pieces:
        where = sources.get(piece.piece)
        what = "" if where else f" ({'front or back matter' if not piece.piece else piece.piece})"
        for code, name, one, many, hint in _RULES:
            count = getattr(piece, name)
            if count:
                found.append(warning(code, f"{pdf_name}: {count} {one if count == 1 else many}"
                                     f"{what}", where, hint))
        if piece.too_many_hyphens:
            share = 100 * piece.english_hyphenated / piece.english_lines
            found.append(warning(
                "too-many-hyphens", f"{pdf_name}: {share:.1f} % of the lines of English prose "
                f"end in a hyphen (at most {100 * MAX_HYPHENATED:.0f} %){what}", where,
                "a wider measure, ragged right or `hyphenate-limit-chars` in the style "
                "hyphenate less"))
    return found


def to_record(typography: Typography) -> dict[str, Any]:
    return {"pieces": [asdict(p) for p in typography.pieces],
            "repair_rounds": typography.repair_rounds}


def from_record(data: dict[str, Any]) -> Typography:
    pieces = tuple(PieceTypography(str(p["piece"]), *(int(p[f.name])
                                                      for f in fields(PieceTypography)[1:]))
                   for p in data["pieces"])
    return Typography(pieces, int(data["repair_rounds"]))
