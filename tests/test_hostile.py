"""Hostile manuscripts: bounded in time and memory, contained in the project, never a traceback.

Each case runs the real command line in a subprocess whose address space is capped, so a
limit that stopped working would show as a crash or a kill, not as a slow pass.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import GOOD_REVIEW, MINIMAL_CONFIG, Run, write_project

MEMORY_CAP = 1536 * 1024 * 1024  # bytes of address space for the build


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def run_capped(*args: str, cwd: Path) -> Run:
    done = subprocess.run([sys.executable, "-m", "chapbook", *args], cwd=cwd,
                          env={**os.environ, "COLUMNS": "200"}, capture_output=True, text=True,
                          timeout=120, preexec_fn=_capped)
    return Run(done.returncode, done.stdout, done.stderr)


def _front_matter(extra: str) -> str:
    head, body = GOOD_REVIEW.split("---\n", 2)[1:]
    return f"---\n{head}{extra}---\n{body}"


def _alias_bomb() -> str:
    lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 10):  # 9**10 values once expanded
        refs = ", ".join([f"*l{level - 1}"] * 9)
        lines.append(f"l{level}: &l{level} [{refs}]")
    return "\n".join(lines) + "\nextra: *l9\n"


def assert_refused(run: Run, code: str, where: str) -> None:
    assert run.code == 1, run.stderr
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    assert f"{where}" in run.stderr and f"[{code}]" in run.stderr, run.stderr


def test_a_yaml_alias_bomb_is_refused_quickly_and_located(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {"bomb.md": _front_matter(_alias_bomb())})
    run = run_capped("build", "--format", "epub", cwd=root)
    assert_refused(run, "yaml-too-large", "manuscripts/bomb.md:")
    assert "nothing was written" in run.stderr
    assert not (root / "build" / "everything.epub").exists()


@pytest.mark.parametrize("depth", [60, 100_000])
def test_deeply_nested_front_matter_is_refused(tmp_path: Path, depth: int) -> None:
    nested = "deep: " + "[" * depth + "]" * depth + "\n"
    root = write_project(tmp_path / "p", {"deep.md": _front_matter(nested)})
    assert_refused(run_capped("check", cwd=root), "yaml-too-deep", "manuscripts/deep.md:")


def test_a_long_run_without_spaces_is_refused_at_its_line(tmp_path: Path) -> None:
    # escaped as text, 20,000 <div>s are a 100,000-character word: a minute of line breaking
    root = write_project(tmp_path / "p", {"div.md": GOOD_REVIEW + "\n" + "<div>" * 20_000})
    assert_refused(run_capped("build", cwd=root), "unbroken-text", "manuscripts/div.md:11")


def test_deeply_nested_markdown_and_html_build(tmp_path: Path) -> None:
    body = ("> " * 20_000 + "quoted\n\n" + "<div>\n" * 20_000 + "\n\n" + "- " * 5_000
            + "item\n")
    root = write_project(tmp_path / "p", {"deep.md": GOOD_REVIEW + "\n" + body})
    run = run_capped("build", cwd=root)
    assert run.code == 0, run.stderr
    assert (root / "build" / "everything.epub").stat().st_size > 0
    assert (root / "build" / "everything.pdf").stat().st_size > 0


def test_a_huge_manuscript_is_refused_before_it_is_read(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {"good.md": GOOD_REVIEW})
    with open(root / "manuscripts" / "huge.md", "wb") as huge:
        huge.truncate(4 * MEMORY_CAP)  # sparse: reading it would blow the memory cap
    run = run_capped("check", cwd=root)
    assert_refused(run, "file-too-large", "manuscripts/huge.md")


def test_a_pipe_among_the_manuscripts_is_not_read(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {"good.md": GOOD_REVIEW})
    os.mkfifo(root / "manuscripts" / "pipe.md")  # opening it would wait for a writer
    run = run_capped("check", cwd=root)
    assert_refused(run, "not-a-file", "manuscripts/pipe.md")


def test_links_out_of_the_project_are_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text(GOOD_REVIEW.replace("It is good", "SECRET"), encoding="utf-8")
    root = write_project(tmp_path / "p", {"good.md": GOOD_REVIEW})
    (root / "manuscripts" / "leak.md").symlink_to(secret)
    run = run_capped("check", cwd=root)
    assert_refused(run, "outside-project", "manuscripts/leak.md")


def test_a_looping_or_broken_link_is_reported_not_a_crash(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {"good.md": GOOD_REVIEW})
    (root / "manuscripts" / "loop.md").symlink_to(root / "manuscripts" / "loop.md")
    (root / "manuscripts" / "gone.md").symlink_to(root / "nowhere.md")
    run = run_capped("check", cwd=root)
    assert_refused(run, "unreadable", "manuscripts/loop.md")
    assert_refused(run, "unreadable", "manuscripts/gone.md")


def test_links_inside_the_project_are_read(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {"good.md": GOOD_REVIEW})
    (root / "drafts").mkdir()
    (root / "drafts" / "other.md").write_text(GOOD_REVIEW.replace("Good Film", "Other Film"),
                                              encoding="utf-8")
    (root / "manuscripts" / "other.md").symlink_to(root / "drafts" / "other.md")
    run = run_capped("check", cwd=root)
    assert run.code == 0, run.stderr
    assert "ok: 2 manuscripts" in run.stderr
    from chapbook.read.pool import ReadSettings, read_manuscript, read_pool

    settings = ReadSettings(root=root.resolve())
    pooled = {r.manuscript.title: r.manuscript.source for r in
              read_pool(root / "manuscripts", settings) if r.manuscript}
    alone = read_manuscript(root / "manuscripts" / "other.md", settings).manuscript
    assert alone is not None and pooled[alone.title] == alone.source  # drafts/other.md


def test_a_manuscripts_folder_outside_the_project_is_refused(tmp_path: Path) -> None:
    elsewhere = write_project(tmp_path / "elsewhere", {"good.md": GOOD_REVIEW})
    root = tmp_path / "p"
    root.mkdir()
    (root / "chapbook.toml").write_text((elsewhere / "chapbook.toml").read_text())
    (root / "manuscripts").symlink_to(elsewhere / "manuscripts")
    run = run_capped("check", cwd=root)
    assert_refused(run, "outside-project", "chapbook.toml")


def test_slugs_that_windows_reserves_never_name_files(tmp_path: Path) -> None:
    config = (MINIMAL_CONFIG.replace('slug = "everything"', 'slug = "nul"'))
    root = write_project(tmp_path / "p", {"good.md": GOOD_REVIEW}, config)
    assert_refused(run_capped("check", cwd=root), "config-invalid", "chapbook.toml:")
    root = write_project(tmp_path / "q", {"con.md": GOOD_REVIEW,
                                          "aux.md": _front_matter("slug: aux\n")})
    run = run_capped("list", "--json", cwd=root)
    assert run.code == 1 and "'aux' is a device name on Windows" in run.stderr, run.stderr
    assert "manuscripts/aux.md:" in run.stderr
    root = write_project(tmp_path / "r", {"con.md": GOOD_REVIEW})
    run = run_capped("list", "--json", cwd=root)
    assert run.code == 0, run.stderr
    assert '"slug": "con-piece"' in run.stdout


def test_a_build_never_reaches_the_network(tmp_path: Path) -> None:
    """A manuscript, its raw HTML and the project's own style all point at a live local
    server; the EPUB and the PDF build, and the server sees no request at all."""
    import http.server
    import threading

    requests: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    try:
        body = (f"\n![poster]({url}/poster.png)\n\n<img src=\"{url}/raw.png\" alt=\"raw\">\n\n"
                f"<p style=\"background: url({url}/bg.png)\">styled</p>\n")
        config = MINIMAL_CONFIG.replace('name = "Test Press"',
                                        'name = "Test Press"\nraw_html = "sanitise"')
        config = config.replace('editors = ["Ed Itor"]', 'editors = ["Ed Itor"]\nstyle = "own"')
        root = write_project(tmp_path / "p", {"good.md": GOOD_REVIEW + body}, config)
        copied = run_capped("styles", "copy", "classic", "own", cwd=root)
        assert copied.code == 0, copied.stderr
        for sheet in ("print.css", "epub.css"):
            css = root / "styles" / "own" / "css" / sheet
            css.write_text(f'@import url("{url}/import.css");\n'
                           f'@font-face {{ font-family: Far; src: url("{url}/far.woff2"); }}\n'
                           f"body {{ background-image: url({url}/page.png) }}\n"
                           + css.read_text(encoding="utf-8"), encoding="utf-8")
        run = run_capped("build", "--single-pass", cwd=root)
    finally:
        server.shutdown()
    assert requests == []
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    assert "[image-refused]" in run.stderr, run.stderr
    assert "[resource-refused]" in run.stderr, run.stderr  # the PDF stage was reached


def test_control_characters_from_manuscripts_reach_the_terminal_escaped(tmp_path: Path) -> None:
    hostile = "\x1b[2J\x1b[31mOwned\u202e"
    review = GOOD_REVIEW.replace("title: \"'Good Film' review: it is good\"",
                                 'title: "\\e[2J\\e[31mOwned\\u202e"').replace(
        "date: 2024-01-02", "date: 2024-13-45")
    root = write_project(tmp_path / "p", {f"bad{hostile}.md": review})
    run = run_capped("check", cwd=root)
    assert run.code == 1
    assert "\x1b" not in run.stderr and "\u202e" not in run.stderr
    assert "bad\\x1b[2J\\x1b[31mOwned\\u202e.md" in run.stderr, run.stderr
    listed = run_capped("list", cwd=write_project(tmp_path / "q", {
        "good.md": review.replace("2024-13-45", "2024-01-02")}))
    assert listed.code == 0, listed.stderr
    assert "\x1b" not in listed.stdout and "Owned" in listed.stdout


def test_too_many_pieces_for_the_trims_contents_is_reported(tmp_path: Path) -> None:
    from chapbook.build.options import BuildOptions
    from chapbook.build.plan import plan
    from chapbook.collect.anthologies import contents_pages

    reviews = {f"r{n:03}.md": GOOD_REVIEW.replace("Good Film", f"Film {n}") for n in range(90)}
    tiny = MINIMAL_CONFIG + '\n[anthology.print]\ntrim = "60x80mm"\n'
    found = plan(write_project(tmp_path / "tiny", reviews, tiny), BuildOptions())
    assert contents_pages(found.anthologies[0]) > 40
    long = [d for d in found.diagnostics if d.code == "long-contents"]
    assert len(long) == 1 and str(long[0].location) == "chapbook.toml:4", found.diagnostics
    assert "90 pieces: on a 60x80mm page its contents would run to about" in long[0].message
    roomy = plan(write_project(tmp_path / "a4", reviews, MINIMAL_CONFIG.replace(
        "[[anthology]]", "[[anthology]]\nprint = { trim = \"a4\" }")), BuildOptions())
    assert not [d for d in roomy.diagnostics if d.code == "long-contents"]
