"""Fuzzing: random Markdown, front matter and bytes through read -> collect -> render -> write.

Every case must end in an EPUB (the first few of which EPUBCheck must pass with nothing to
say) or in error diagnostics that say where; never in an exception. `make test` runs a small
derandomised budget; `make fuzz` a long random campaign (HYPOTHESIS_PROFILE=fuzz).
Inputs that once broke the build live in tests/fuzz_corpus/ and are replayed every time.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from chapbook.build.options import BuildOptions
from chapbook.build.run import build
from chapbook.core.diagnostics import Severity

from .conftest import GOOD_REVIEW, MINIMAL_CONFIG, write_project
from .epubtools import epubcheck_messages

settings.register_profile("ci", max_examples=40, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=5_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
CORPUS = Path(__file__).parent / "fuzz_corpus"
VALIDATED_BUILDS = 3  # EPUBCheck costs seconds a run: the first few books are checked

words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)
plain = st.text("abc xyz éü 한글 عربى\u200b\u0301\u202e\t*_`[]()<>!#&;:-|>\\\"'",
                max_size=30)


def _inline(text: str) -> st.SearchStrategy[str]:
    return st.sampled_from([
        f"*{text}*", f"**{text}", f"`{text}`", f"[{text}](http://x.org/{text})",
        f"[{text}](../../../etc/passwd)", f"[{text}](javascript:alert(1))", f"[{text}](#nope)",
        f"![{text}](missing.png)", f"![{text}](/etc/hostname)", f"![]({text})",
        f"<span onclick=x>{text}</span>", f"<script>{text}</script>", f"&{text};",
        f"[^{text}]", f"<{text}>", f"\\{text}", text,
    ])


blocks = st.one_of(
    plain.flatmap(_inline),
    st.tuples(st.integers(1, 7), plain).map(lambda t: "#" * t[0] + " " + t[1]),
    st.tuples(st.integers(1, 60), plain).map(lambda t: "> " * t[0] + t[1]),
    st.tuples(st.integers(1, 40), plain).map(lambda t: "".join(
        "  " * i + "- " + t[1] + "\n" for i in range(t[0]))),
    plain.map(lambda t: f"```{t}\n{t}\n"),  # fences left open
    plain.map(lambda t: f"| {t} | b |\n| --- |\n| {t} |"),
    plain.map(lambda t: f"[^{t}]: note [^{t}]"),
    plain.map(lambda t: f"<div><p>{t}<table><tr><td>{t}</div>"),
    words,
)
markdown = st.lists(blocks, max_size=12).map("\n\n".join)

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), words,
                    st.sampled_from(["2024-02-30", "9999-99-99", "4/5", "11/10", "-1", "film",
                                     "!!python/object:os.system", "*undefined", "&a x"]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(words, inner, max_size=4)), max_leaves=12)
KEYS = ["title", "author", "authors", "date", "work", "rating", "tags", "language", "dir",
        "slug", "status", "standfirst", "source", "contributors", "kind"]
front_matter = st.dictionaries(st.sampled_from(KEYS) | words, values, max_size=8)


def _yaml(data: dict[object, object]) -> str:
    import yaml

    try:
        return yaml.safe_dump(data, allow_unicode=True, default_flow_style=None)
    except yaml.YAMLError:
        return "title: [unclosed\n"


manuscripts = st.one_of(
    st.tuples(front_matter, markdown).map(lambda t: f"---\n{_yaml(t[0])}---\n{t[1]}\n"),
    markdown.map(lambda body: GOOD_REVIEW + "\n" + body),
    st.tuples(st.sampled_from(["---\n", "---\ntitle: &a [*a]\n---\n", "---\n- list\n---\n",
                               "---\ntitle: x\ntitle: y\n---\n", "\ufeff", ""]),
              markdown).map("".join),
)
encodings = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "latin-1", "cp1252"])
raw_files = st.one_of(
    st.tuples(manuscripts, encodings).map(lambda t: t[0].encode(t[1], errors="replace")),
    st.binary(max_size=300),
    st.tuples(st.just(GOOD_REVIEW.encode()), st.binary(max_size=40)).map(b"".join),
)


FUZZ_CONFIG = MINIMAL_CONFIG + 'cover = "cover.png"\n'


class Outcome:
    validated = 0


def assert_built_or_explained(data: bytes, name: str = "piece.md") -> None:
    """The property: an EPUB, or located errors; any exception fails the test."""
    with tempfile.TemporaryDirectory() as folder:
        # a cover of its own, so that each case does not lay out a generated one
        root = write_project(Path(folder) / "p", {name: data}, FUZZ_CONFIG)
        Image.new("RGB", (60, 90), "navy").save(root / "cover.png")
        report = build(root, BuildOptions(formats=("epub",)))
        errors = [d for d in report.all_diagnostics if d.severity is Severity.ERROR]
        if not report.outputs:
            assert errors, report.all_diagnostics
            assert all(d.location is not None for d in errors), errors
            return
        epub = report.outputs[0]
        assert epub.stat().st_size > 0 and not errors
        if Outcome.validated < VALIDATED_BUILDS:
            Outcome.validated += 1
            assert epubcheck_messages(epub) == []


@settings(settings.get_profile(PROFILE))
@given(raw_files)
def test_any_manuscript_builds_or_is_explained(data: bytes) -> None:
    assert_built_or_explained(data)


@settings(settings.get_profile(PROFILE), max_examples=12 if PROFILE == "ci" else 1_000)
@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1,
               max_size=40).filter(lambda n: not {"/", "\x00"} & set(n) and n not in (".", "..")))
def test_any_file_name_builds_or_is_explained(stem: str) -> None:
    # an OSError here is the file system refusing the name itself: nothing to build
    with contextlib.suppress(OSError):
        assert_built_or_explained(GOOD_REVIEW.encode(), f"{stem}.md")


@pytest.mark.parametrize("case", sorted(CORPUS.glob("*")), ids=lambda p: p.name)
def test_corpus_of_past_failures(case: Path) -> None:
    assert_built_or_explained(case.read_bytes())
