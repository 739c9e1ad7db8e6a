"""`chapbook import`: exports from Letterboxd, Goodreads, WordPress and generic CSV / JSON
Lines become manuscripts that read back field by field; nothing is ever overwritten, a
second import writes nothing, and a bad export writes nothing and says where it is bad."""

from __future__ import annotations

import csv
import datetime as dt
import html
import re
from fractions import Fraction
from pathlib import Path

import pytest

from chapbook.core.manuscript import Manuscript
from chapbook.read.pool import ReadSettings, read_manuscript

from .conftest import DATA, Run, run_chapbook, write_project

EXPORTS = DATA / "exports"
GENERIC_CSV_MAP = ("--map", "title=Headline", "--map", "author=Critic", "--map",
                   "date=Published", "--map", "rating=Stars", "--map", "work.title=Film",
                   "--map", "work.kind=Kind", "--map", "work.year=Released", "--map",
                   "body=Text")
GENERIC_JSONL_MAP = ("--map", "title=headline", "--map", "author=critic", "--map",
                     "rating=stars", "--map", "work.title=work")


def import_into(root: Path, fmt: str, export: Path | str, *options: str) -> Run:
    return run_chapbook("import", fmt, str(export), *options, cwd=root)


def read_back(root: Path) -> dict[str, Manuscript]:
    """Every manuscript in the pool, read as a build reads it, by slug."""
    pieces = {}
    for path in sorted((root / "manuscripts").iterdir()):
        result = read_manuscript(path, ReadSettings(root=root))
        assert result.manuscript is not None, [str(d) for d in result.diagnostics]
        errors = [str(d) for d in result.diagnostics if d.severity.label == "error"]
        assert errors == []
        pieces[result.manuscript.slug] = result.manuscript
    return pieces


def plain(text: str) -> str:
    """Text without tags and with straight quotes: what a reader sees, to compare."""
    text = re.sub(r"</?(?:p|br|li|h\d|blockquote)\b[^>]*>", " ", text)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    for curly, straight in (("\u2018\u2019", "'"), ("\u201c\u201d", '"')):
        text = re.sub(f"[{curly}]", straight, text)
    return " ".join(text.replace("\u2009", " ").replace("\u202f", " ").split())


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "manuscripts").iterdir())}


def check_piece(piece: Manuscript, *, title: str, authors: tuple[str, ...],
                date: dt.date | None, work: dict[str, object] | None,
                rating: tuple[Fraction, int] | None, tags: tuple[str, ...],
                body: tuple[str, ...]) -> None:
    assert plain(piece.title) == title
    assert tuple(a.name for a in piece.authors) == authors
    assert piece.date == date
    if work is None:
        assert piece.work is None
    else:
        assert piece.work is not None
        assert {key: getattr(piece.work, key) for key in work} == work
    found = (piece.rating.value, piece.rating.scale) if piece.rating else None
    assert found == rating
    assert piece.tags == tags
    for words in body:
        assert words in plain(piece.body_html), (words, piece.body_html)


def test_letterboxd_round_trip(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {})
    done = import_into(root, "letterboxd", EXPORTS / "letterboxd-reviews.csv",
                       "--author", "Ann Critic")
    assert done.code == 0, done.stderr
    assert "skipped: rows without a review (1)" in done.stderr
    pieces = read_back(root)
    assert sorted(pieces) == ["a-walk-2024", "amelie-a-montreal-2022", "night-bus-9-2024",
                              "the-lighthouse-keeper-s-daughter-2023"]
    keeper = pieces["the-lighthouse-keeper-s-daughter-2023"]
    check_piece(keeper, title="The Lighthouse Keeper's Daughter", authors=("Ann Critic",),
                date=dt.date(2024, 2, 11),
                work={"title": "The Lighthouse Keeper's Daughter", "kind": "film",
                      "year": 2023},
                rating=(Fraction(9, 2), 5), tags=("slow cinema", "coastal"),
                body=('a very stubborn "ghost". The first hour is all weather.',
                      "it is wonderful."))
    assert "<em>wonderful</em>" in keeper.body_html
    assert keeper.body_html.count("<p>") == 2
    assert keeper.source_info is not None
    assert keeper.source_info.url == "https://boxd.it/aB3xQ9"
    assert keeper.source_info.first_published == dt.date(2024, 2, 11)
    check_piece(pieces["amelie-a-montreal-2022"], title="Amélie à Montréal",
                authors=("Ann Critic",), date=dt.date(2024, 3, 2),
                work={"title": "Amélie à Montréal", "kind": "film", "year": 2022},
                rating=None, tags=(), body=("Un film doux", "the rest is café scenes."))
    bus = pieces["night-bus-9-2024"]
    check_piece(bus, title="Night Bus 9", authors=("Ann Critic",), date=dt.date(2024, 4, 20),
                work={"title": "Night Bus 9", "kind": "film", "year": 2024},
                rating=(Fraction(3), 5), tags=("horror",),
                body=("Lean and nasty.", "Every stop is a small horror.", "Bring a coat."))
    assert "<strong>Lean</strong>" in bus.body_html and "<br" in bus.body_html
    check_piece(pieces["a-walk-2024"], title="산책 (A Walk)", authors=("Ann Critic",),
                date=dt.date(2024, 6, 14),
                work={"title": "산책 (A Walk)", "kind": "film", "year": 2024},
                rating=(Fraction(5), 5), tags=("k-film",),
                body=("walking & talking", '"no notes".'))


def test_goodreads_round_trip(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {})
    done = import_into(root, "goodreads", EXPORTS / "goodreads-library.csv")
    assert done.code == 0, done.stderr
    assert "skipped: books without a review (1)" in done.stderr
    pieces = read_back(root)
    assert sorted(pieces) == ["salt-roads", "snow-tea-and-other-verbs",
                              "the-quiet-parish-vane-mysteries-1"]
    parish = pieces["the-quiet-parish-vane-mysteries-1"]
    check_piece(parish, title="The Quiet Parish (Vane Mysteries, #1)", authors=(),
                date=dt.date(2024, 1, 15),
                work={"title": "The Quiet Parish (Vane Mysteries, #1)", "kind": "book",
                      "year": 2019, "publisher": "Harrow & Finch",
                      "creators": ("Elspeth Vane",)},
                rating=(Fraction(4), 5), tags=("cosy-crime", "favourites"),
                body=("A village, a vicar, and a body in the bell tower.",
                      "the solution is fair, if a little quick."))
    assert parish.extra["isbn"] == "9780123456786"
    salt = pieces["salt-roads"]
    check_piece(salt, title="Salt Roads", authors=(), date=dt.date(2024, 2, 3),
                work={"title": "Salt Roads", "kind": "book", "year": 2023,
                      "creators": ("Tomás Ibáñez", "Ruth Okafor", "Dmitri Haas")},
                rating=None, tags=("history",),  # My Rating 0: unrated; to-read: a status
                body=("Three translators, one voice: remarkable.",
                      "It sags in the middle, as journeys do."))
    assert "isbn" not in salt.extra
    snow = pieces["snow-tea-and-other-verbs"]
    check_piece(snow, title="Snow, Tea, and Other Verbs", authors=(),
                date=dt.date(2024, 4, 10),  # no Date Read: the date added
                work={"title": "Snow, Tea, and Other Verbs", "kind": "book", "year": 2022,
                      "creators": ("Aiko Mori", "Ha-na Kim")},
                rating=(Fraction(5), 5), tags=("poetry", "translated"),
                body=('"a kettle is a small sun" will stay with me.',))
    assert "<em>weather</em>" in snow.body_html
    assert "<strong>kettles</strong>" in snow.body_html


def test_wordpress_round_trip_keeps_html_manuscripts(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {})
    done = import_into(root, "wordpress", EXPORTS / "wordpress-export.xml")
    assert done.code == 0, done.stderr
    assert "drafts and unpublished posts (import them with --drafts) (1)" in done.stderr
    assert "other items that are not posts (1)" in done.stderr
    assert sorted(p.name for p in (root / "manuscripts").iterdir()) == [
        "night-bus-9.html", "tidewater-hours-review.html"]
    pieces = read_back(root)
    tide = pieces["tidewater-hours-review"]
    check_piece(tide, title="'Tidewater Hours' review: a ferry, two strangers & a slow burn",
                authors=("Mira Seo",), date=dt.date(2024, 3, 23), work=tide.work and {
                    "title": tide.work.title},
                rating=None, tags=("series", "k-drama", "romance"),
                body=("Short, sweet and unhurried, and that is exactly why it works.",
                      "Each crossing is a little braver."))
    assert "<script" not in tide.body_html and "alert" not in tide.body_html
    assert "<em>unhurried</em>" in tide.body_html
    assert tide.language == "en-GB"
    assert tide.source_info is not None
    assert tide.source_info.publication == "The Back Row Review"
    assert tide.source_info.url == "https://backrow.example.org/2024/03/tidewater-hours/"
    bus = pieces["night-bus-9"]
    check_piece(bus, title="Night Bus 9 | the last ride home", authors=("Jonah Pike",),
                date=dt.date(2024, 4, 15), work=bus.work and {"title": bus.work.title},
                rating=None, tags=(),  # "Uncategorized" is no tag
                body=("Everyone who has taken a night bus knows the feeling.",
                      "The driver never looks back. Neither should you."))
    assert bus.body_html.count("<p>") == 2 and "<br" in bus.body_html


def test_wordpress_drafts_on_request(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {})
    done = import_into(root, "wordpress", EXPORTS / "wordpress-export.xml", "--drafts")
    assert done.code == 0, done.stderr
    draft = read_back(root)["half-written-thoughts-on-quiet-orchard"]
    assert draft.status == "draft"
    assert draft.date == dt.date(2024, 5, 1)
    assert draft.source_info is None or draft.source_info.first_published is None
    assert "Not ready yet. Apples?" in plain(draft.body_html)


def test_generic_csv_with_a_mapping(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {})
    done = import_into(root, "csv", EXPORTS / "generic-reviews.csv", *GENERIC_CSV_MAP)
    assert done.code == 0, done.stderr
    assert "skipped: rows without a body (1)" in done.stderr
    pieces = read_back(root)
    assert sorted(pieces) == ["le-dernier-metro-de-nuit", "salt-smoke-and-silence"]
    check_piece(pieces["salt-smoke-and-silence"], title="Salt, Smoke and Silence",
                authors=("Jonah Pike",), date=dt.date(2024, 7, 1),
                work={"title": "Salt and Smoke", "kind": "film", "year": 2024},
                rating=(Fraction(4), 5), tags=("documentary", "food"),  # self-mapped
                body=('told in "three" seasons.', "Winter is best."))
    metro = pieces["le-dernier-metro-de-nuit"]
    check_piece(metro, title="Le Dernier Métro de nuit", authors=("Mira Seo",),
                date=dt.date(2024, 7, 9),
                work={"title": "Le Dernier Métro de nuit", "kind": "film", "year": 2023},
                rating=None, tags=("thriller",), body=("huis clos", "qu'à la fin."))
    assert metro.language == "fr"


def test_generic_jsonl_with_lists_and_numbers(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {})
    done = import_into(root, "jsonl", EXPORTS / "generic-reviews.jsonl", *GENERIC_JSONL_MAP)
    assert done.code == 0, done.stderr
    pieces = read_back(root)
    check_piece(pieces["lanterns-over-the-han"], title="Lanterns Over the Han",
                authors=("Mira Seo", "Jonah Pike"), date=dt.date(2024, 8, 2),
                work={"title": "Lanterns Over the Han", "kind": "other"},
                rating=(Fraction(8), 10), tags=("k-drama", "river"),
                body=("Two critics, one river.", "We disagreed about the ending."))
    assert "<strong>river</strong>" in pieces["lanterns-over-the-han"].body_html
    check_piece(pieces["chess-at-midnight"], title="Chess at Midnight",
                authors=("Jonah Pike",), date=dt.date(2024, 8, 11),
                work={"title": "Chess at Midnight", "kind": "other"}, rating=None,
                tags=("games", "late night"), body=('"Checkmate" is said once.',))


@pytest.mark.parametrize(("fmt", "export", "options"), [
    ("letterboxd", "letterboxd-reviews.csv", ()),
    ("goodreads", "goodreads-library.csv", ()),
    ("wordpress", "wordpress-export.xml", ("--drafts",)),
    ("csv", "generic-reviews.csv", GENERIC_CSV_MAP),
    ("jsonl", "generic-reviews.jsonl", GENERIC_JSONL_MAP),
])
def test_importing_twice_writes_nothing_new(tmp_path: Path, fmt: str, export: str,
                                            options: tuple[str, ...]) -> None:
    root = write_project(tmp_path / "p", {})
    first = import_into(root, fmt, EXPORTS / export, *options)
    assert first.code == 0, first.stderr
    before = snapshot(root)
    times = {p.name: p.stat().st_mtime_ns for p in (root / "manuscripts").iterdir()}
    second = import_into(root, fmt, EXPORTS / export, *options)
    assert second.code == 0, second.stderr
    assert "wrote " not in second.stderr
    assert f"imported 0 reviews; {len(before)} already imported" in second.stderr
    assert snapshot(root) == before
    assert {p.name: p.stat().st_mtime_ns for p in (root / "manuscripts").iterdir()} == times


def test_a_taken_slug_gets_a_number_and_the_file_stays(tmp_path: Path) -> None:
    mine = "---\ntitle: My own Night Bus piece\n---\nNot from Letterboxd.\n"
    root = write_project(tmp_path / "p", {"night-bus-9-2024.md": mine})
    done = import_into(root, "letterboxd", EXPORTS / "letterboxd-reviews.csv")
    assert done.code == 0, done.stderr
    assert "written as night-bus-9-2024-2.md [import-renamed]" in done.stderr
    assert (root / "manuscripts" / "night-bus-9-2024.md").read_text(encoding="utf-8") == mine
    assert "Bring a coat" in plain(read_back(root)["night-bus-9-2024-2"].body_html)
    before = snapshot(root)
    again = import_into(root, "letterboxd", EXPORTS / "letterboxd-reviews.csv")
    assert again.code == 0 and "import-renamed" not in again.stderr
    assert snapshot(root) == before


BAD_EXPORTS = [  # format, file name, content, what the message says, the line
    ("letterboxd", "reviews.csv", (EXPORTS / "goodreads-library.csv").read_bytes(),
     "missing columns: Date, Name, Year, Letterboxd URI, Rating, Review", 1),
    ("goodreads", "library.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not UTF-8", 1),
    ("csv", "notes.csv", b"title,body\nfine,text\nthree\x00nul,bytes\n", "NUL bytes", 3),
    ("letterboxd", "reviews.csv",
     b"Date,Name,Year,Letterboxd URI,Rating,Review\n2024-01-01,A,2020,u,4,ok\n"
     b'2024-01-02,B,2021,u,3,"never closed\nand on\n', "not valid CSV", 4),
    ("letterboxd", "reviews.csv",
     b"Date,Name,Year,Letterboxd URI,Rating,Review\n2024-01-01,A,2020,u,4,ok\n"
     b"2024-01-02,B,2021,u,3,too,many,fields\n", "this row has 8 fields, the header 6", 3),
    ("letterboxd", "reviews.csv",
     b"Date,Name,Year,Letterboxd URI,Rating,Review\n2024-01-01,A,2020,u,4,ok\n"
     b"2024-01-02,B,2021,u,7,too good\n", "Rating '7' is not 0.5 to 5 in half stars", 3),
    ("goodreads", "library.csv",
     b"Book Id,Title,Author,My Rating,My Review,Date Read\n1,T,A,3,fine,last Tuesday\n",
     "'last Tuesday' is not a date", 2),
    ("wordpress", "blog.xml", b"<?xml version='1.0'?>\n<rss><channel>\n<item><title>x</title>"
     b"\n</channel></rss>\n", "not well-formed XML", 4),
    ("wordpress", "blog.xml", b'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY x SYSTEM '
     b'"file:///etc/passwd">]>\n<rss><channel><item><title>&x;</title></item></channel>'
     b"</rss>\n", "DOCTYPE", 1),
    ("wordpress", "blog.xml", b"<?xml version='1.0'?>\n<feed><entry/></feed>\n",
     "not a WordPress export", 1),
    ("jsonl", "reviews.jsonl", b'{"title": "a", "body": "b"}\n{"title": "c", body}\n',
     "not valid JSON", 2),
    ("jsonl", "reviews.jsonl", b'{"title": "a", "body": "b"}\n["a list"]\n',
     "each line must be a JSON object", 2),
    ("csv", "reviews.csv", b"title,body,rating\nGood,Fine text,11/10\n", "outside its scale", 2),
]


@pytest.mark.parametrize(("fmt", "name", "content", "message", "line"), BAD_EXPORTS,
                         ids=[f"{case[0]}-{case[3][:20]}" for case in BAD_EXPORTS])
def test_a_bad_export_writes_nothing_and_says_where(tmp_path: Path, fmt: str, name: str,
                                                    content: bytes, message: str,
                                                    line: int) -> None:
    root = write_project(tmp_path / "p", {})
    (root / name).write_bytes(content)
    done = import_into(root, fmt, name)
    assert done.code == 1, done.stderr
    assert f"{name}:{line}" in done.stderr and message in done.stderr, done.stderr
    assert "import failed: nothing was written" in done.stderr
    assert "Traceback" not in done.stderr
    assert list((root / "manuscripts").iterdir()) == []


@pytest.mark.parametrize(("options", "message"), [
    (("--map", "headline"), "use FIELD=COLUMN"),
    (("--map", "titel=title"), "use FIELD=COLUMN"),
    (("--map", "title=Headline"), "the file has no column 'Headline'"),
    ((), "no column for the review's text"),
])
def test_a_bad_mapping_is_named(tmp_path: Path, options: tuple[str, ...], message: str) -> None:
    root = write_project(tmp_path / "p", {})
    (root / "reviews.csv").write_text("title,text\nA,b\n", encoding="utf-8")
    done = import_into(root, "csv", "reviews.csv", *options)
    assert done.code == 1 and message in done.stderr and "[import-bad-map]" in done.stderr
    assert list((root / "manuscripts").iterdir()) == []


def test_wrong_format_missing_file_and_no_project(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {})
    wrong = import_into(root, "myspace", EXPORTS / "generic-reviews.csv")
    assert wrong.code == 2 and "unknown format 'myspace'" in wrong.stderr
    missing = import_into(root, "letterboxd", "nowhere.csv")
    assert missing.code == 1 and "nowhere.csv: error: no such file" in missing.stderr
    (tmp_path / "bare").mkdir()
    bare = import_into(tmp_path / "bare", "letterboxd", EXPORTS / "letterboxd-reviews.csv")
    assert bare.code == 1 and "[no-config]" in bare.stderr
    assert not (tmp_path / "bare" / "manuscripts").exists()


def test_project_option_and_a_relative_export(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {})
    (tmp_path / "reviews.jsonl").write_bytes((EXPORTS / "generic-reviews.jsonl").read_bytes())
    done = run_chapbook("import", "jsonl", "reviews.jsonl", "-C", "p", *GENERIC_JSONL_MAP,
                        cwd=tmp_path)
    assert done.code == 0, done.stderr
    assert "wrote manuscripts/lanterns-over-the-han.md" in done.stderr
    assert sorted(p.name for p in (root / "manuscripts").iterdir()) == [
        "chess-at-midnight.md", "lanterns-over-the-han.md"]


def test_a_title_without_latin_letters_gets_a_stable_slug(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {})
    export = "\ufefftitle,body,date\r\n산책,\"걷고, 말하고.\r\n\r\n또 걷고.\",2024-09-01\r\n"
    (root / "walk.csv").write_text(export, encoding="utf-8")  # Excel's BOM and CRLF
    assert import_into(root, "csv", "walk.csv").code == 0
    [written] = list((root / "manuscripts").iterdir())
    assert re.fullmatch(r"review-[0-9a-f]{10}\.md", written.name)
    piece = read_back(root)[written.stem]
    check_piece(piece, title="산책", authors=(), date=dt.date(2024, 9, 1), work=None,
                rating=None, tags=(), body=("걷고, 말하고.", "또 걷고."))
    again = import_into(root, "csv", "walk.csv")
    assert again.code == 0 and "imported 0 reviews; 1 already imported" in again.stderr


def test_a_long_review_and_a_post_title_with_a_bar_come_back_whole(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {})
    long_review = "A long review. " * 12_000  # 180 KB: past the csv module's own limit
    export = tmp_path / "reviews.csv"
    with export.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["title", "body"])
        writer.writerow(["Film Diary | March", long_review])
    done = run_chapbook("import", "csv", str(export), cwd=root)
    assert done.code == 0, done.stderr
    [written] = sorted((root / "manuscripts").iterdir())
    piece = read_manuscript(written, ReadSettings(root)).manuscript
    assert piece is not None and piece.title == "Film Diary | March"
    assert piece.body_html.count("A long review.") == 12_000


def test_a_generic_import_takes_every_form_the_readers_take(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {})
    export = tmp_path / "reviews.csv"
    with export.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["title", "body", "rating", "date"])
        writer.writerow(["Stars", "Text one.", "★★★½", "23 March 2024"])
        writer.writerow(["Percent", "Text two.", "85%", "2024年3月24日"])
        writer.writerow(["Grade", "Text three.", "B+", "March 25, 2024"])
    done = run_chapbook("import", "csv", str(export), cwd=root)
    assert done.code == 0, done.stderr
    read = {p.stem: read_manuscript(p, ReadSettings(root)).manuscript
            for p in (root / "manuscripts").iterdir()}
    found = {slug: (piece.rating.short if piece and piece.rating else None,
                    str(piece.date) if piece else None) for slug, piece in read.items()}
    assert found == {"stars": ("3.5/5", "2024-03-23"), "percent": ("85%", "2024-03-24"),
                     "grade": ("B+", "2024-03-25")}


def test_an_ancient_book_and_an_untitled_post_do_not_stop_an_import(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {})
    books = tmp_path / "goodreads.csv"
    with books.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["Book Id", "Title", "Author", "My Rating", "My Review",
                         "Original Publication Year", "Year Published", "Date Read"])
        writer.writerow(["1", "The Odyssey", "Homer", "5", "Still the best trip.", "-700",
                         "", "2024/03/01"])
    done = run_chapbook("import", "goodreads", str(books), cwd=root)
    assert done.code == 0, done.stderr
    [odyssey] = (root / "manuscripts").iterdir()
    piece = read_manuscript(odyssey, ReadSettings(root)).manuscript
    assert piece is not None and piece.work is not None and piece.work.year is None
    wxr = (DATA / "exports" / "wordpress-export.xml").read_text(encoding="utf-8")
    untitled = wxr.replace("<title>Night Bus 9 | the last ride home</title>", "<title></title>")
    (tmp_path / "untitled.xml").write_text(untitled, encoding="utf-8")
    posts = run_chapbook("import", "wordpress", str(tmp_path / "untitled.xml"), cwd=root)
    assert posts.code == 0, posts.stderr
    assert "skipped: posts without a title (asides, status updates) (1)" in posts.stderr


def test_a_column_named_twice_and_a_json_list_title_are_refused(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {})
    twice = tmp_path / "twice.csv"
    twice.write_text("title,body,body\nA,first,second\n", encoding="utf-8")
    done = run_chapbook("import", "csv", str(twice), cwd=root)
    assert done.code == 1 and "columns named twice: body" in done.stderr
    lines = tmp_path / "list.jsonl"
    lines.write_text('{"title": ["a", "b"], "body": "Text."}\n', encoding="utf-8")
    done = run_chapbook("import", "jsonl", str(lines), cwd=root)
    assert done.code == 1 and "'title' must be text or a number, not list" in done.stderr
    assert list((root / "manuscripts").iterdir()) == []
