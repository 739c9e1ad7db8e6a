"""Readers turn one source file into a `Manuscript`, or into diagnostics saying why not.

Each format only knows how to find the title, standfirst and Markdown body in its text
(`TextParts`); decoding, front matter, validation and rendering are shared here, so every
format meets in the same model with the same checks.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import pickle
import re
import stat
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ftfy import TextFixerConfig, fix_text

from chapbook.core.diagnostics import Diagnostic, Location, error, info, relative_path, warning
from chapbook.core.workers import default_jobs, worker_pool
from chapbook.read import docx, html, markdown, text
from chapbook.read.frontmatter import YamlDocument, load_mapping, split_front_matter
from chapbook.read.manuscript import manuscript_from_parts
from chapbook.read.poolcache import ReadCache
from chapbook.read.textparts import ReadResult, ReadSettings, TextParts, with_format_metadata

__all__ = ["READERS", "ReadCache", "ReadResult", "ReadSettings", "TextParts", "read_manuscript",
           "read_pool", "read_texts"]

FormatReader = Callable[[str, int, Location], TextParts]
# A reader that also weighs the front matter (a plain-text title line that repeats it).
FrontMatterReader = Callable[[str, int, Location, Mapping[str, Any]], TextParts]

# One entry per format, by file suffix; a new format is one module and one line here.
READERS: dict[str, FormatReader] = {
    ".md": markdown.extract,
    ".markdown": markdown.extract,
    ".txt": text.extract,
    ".html": html.extract_page,
    ".htm": html.extract_page,
    ".docx": docx.extract,
}

# Formats whose text is read in the light of the front matter.
FRONT_MATTER_READERS: dict[str, FrontMatterReader] = {".txt": text.extract}

# Binary formats are first converted to text in a format above (.docx to HTML).
CONVERTERS: dict[str, Callable[[bytes, Location, int], tuple[str | None, list[Diagnostic]]]] = {
    ".docx": docx.to_text,
}


# XML 1.0 forbids these; they arrive from copy-paste and old word processors.
_FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def read_manuscript(path: Path, settings: ReadSettings) -> ReadResult:
    """Read one file. Never raises for bad content: problems come back as diagnostics."""
    where = Location(relative_path(path, settings.root))
    loaded = _load(path, where)
    return loaded if isinstance(loaded, ReadResult) else _parse(_Source(path, where, loaded),
                                                                settings)


def _load(path: Path, where: Location) -> bytes | ReadResult:
    """The file's bytes, or why it cannot be read."""
    if path.suffix.lower() not in READERS:
        return ReadResult(None, (error("unsupported-format",
                                       f"no reader for '{path.suffix}' files", where,
                                       f"use one of: {', '.join(READERS)}"),))
    try:
        return path.read_bytes()
    except OSError as exc:
        return ReadResult(None, (error("unreadable", f"cannot read file: {exc.strerror}",
                                       where),))


def _read_bytes(path: Path, raw: bytes, where: Location, extract: FormatReader,
                settings: ReadSettings) -> ReadResult:
    convert = CONVERTERS.get(path.suffix.lower())
    decoded, problems = (convert(raw, where, settings.max_bytes) if convert
                         else _decode(raw, where, settings))
    if decoded is None:
        return ReadResult(None, tuple(problems))
    decoded, repairs = repair_text(decoded, where, lines_known=convert is None)
    problems.extend(repairs)
    front, fence_problem = split_front_matter(decoded)
    if fence_problem:
        return ReadResult(None, (*problems, _located(fence_problem, where)))
    document = YamlDocument({})
    if front.yaml_text is not None:
        loaded, yaml_problems = load_mapping(front.yaml_text,
                                             where.at_line(front.yaml_first_line))
        problems.extend(yaml_problems)
        if loaded is None:
            return ReadResult(None, tuple(problems))
        document = loaded
    with_front = FRONT_MATTER_READERS.get(path.suffix.lower())
    parts = (with_front(front.body, front.body_first_line, where, document.data) if with_front
             else extract(front.body, front.body_first_line, where))
    unbroken = _unbroken_run(parts, where)
    if unbroken:
        return ReadResult(None, (*problems, unbroken))
    document = with_format_metadata(document, parts)
    digest = hashlib.sha256(raw).hexdigest()
    manuscript, meta_problems = manuscript_from_parts(path, where, document, parts, digest,
                                                      settings)
    return ReadResult(manuscript, (*problems, *parts.diagnostics, *meta_problems))


# Line breaking a run of characters with no space in it costs time that grows with the
# square of its length (100,000 characters: a minute of layout); no word, and hardly any
# web address, comes near this.
MAX_UNBROKEN_CHARS = 2_000
_UNBROKEN = re.compile(rf"\S{{{MAX_UNBROKEN_CHARS + 1},}}")


def _unbroken_run(parts: TextParts, where: Location) -> Diagnostic | None:
    found = _UNBROKEN.search(parts.body_markdown)
    if found is None:
        return None
    line = parts.body_first_line + parts.body_markdown.count("\n", 0, found.start())
    return error("unbroken-text", f"{len(found.group()):,} characters without a space; the "
                 f"limit is {MAX_UNBROKEN_CHARS:,}", where.at_line(line),
                 "break the text with spaces, or shorten the address it holds")


def _decode(raw: bytes, where: Location,
            settings: ReadSettings) -> tuple[str | None, list[Diagnostic]]:
    if len(raw) > settings.max_bytes:
        return None, [error("file-too-large",
                            f"file is {len(raw):,} bytes; the limit is {settings.max_bytes:,}",
                            where, "split it, or raise the limit in chapbook.toml")]
    try:
        decoded = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [error("not-utf8", f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
                            where.at_line(line, col),
                            "save the file as UTF-8 (in most editors: Save As, Encoding)")]
    if not decoded.strip():
        return None, [error("empty-file", "file is empty", where.at_line(1),
                            "write the piece, or move the file out of manuscripts/")]
    problems: list[Diagnostic] = []
    bad = _FORBIDDEN_CHARS.search(decoded)
    if bad:
        line = decoded.count("\n", 0, bad.start()) + 1
        problems.append(warning("control-characters",
                                "control characters removed (they are not allowed in books)",
                                where.at_line(line)))
        decoded = _FORBIDDEN_CHARS.sub("", decoded)
    return decoded.replace("\r\n", "\n").replace("\r", "\n"), problems


# ftfy told to mend only broken text: mojibake (UTF-8 read as Latin-1 or cp1252), C1
# controls for cp1252 punctuation, lost no-break spaces. Curly quotes, ligatures, full-width
# letters, entities, line breaks and normalisation are the author's and stay as written.
_REPAIRS = TextFixerConfig(unescape_html=False, remove_terminal_escapes=False,
                           fix_latin_ligatures=False, fix_character_width=False,
                           uncurl_quotes=False, fix_line_breaks=False,
                           remove_control_chars=False, normalization=None, explain=False)
# C1 controls ftfy leaves (cp1252 has no character for them): no font has a glyph. And
# what XML forbids, which a repair may make (U+FFFE from its mojibake).
_LEFT_OVER = re.compile(f"[\x80-\x9f]|{_FORBIDDEN_CHARS.pattern}")
MAX_REPAIR_NOTES = 10  # per file: a whole file of mojibake is one problem, not hundreds


def repair_text(decoded: str, where: Location,
                lines_known: bool = True) -> tuple[str, list[Diagnostic]]:
    """The text with broken encoding mended line by line, each repair noted at its line
    (at the file when the text was converted, as from .docx, and its lines are not the
    author's); C1 controls left over, and characters XML forbids, are removed."""
    lines = decoded.split("\n")
    notes: list[Diagnostic] = []
    repaired = 0
    for index, line in enumerate(lines):
        fixed = line if line.isascii() else fix_text(line, _REPAIRS)
        if fixed == line:
            continue
        repaired += 1
        if repaired <= MAX_REPAIR_NOTES:
            notes.append(info("text-repaired", f"text repaired: {_change(line, fixed)}",
                              where.at_line(index + 1) if lines_known else where,
                              "check the repair: the text had been decoded with the wrong "
                              "encoding before it was saved"))
        lines[index] = fixed
    if repaired > MAX_REPAIR_NOTES:
        notes.append(info("text-repaired", f"{repaired - MAX_REPAIR_NOTES} more line(s) "
                          "repaired", where))
    text, removal = _without_left_over("\n".join(lines), where, lines_known)
    return text, [*notes, *removal]


def _without_left_over(text: str, where: Location,
                         lines_known: bool) -> tuple[str, list[Diagnostic]]:
    found = _LEFT_OVER.search(text)
    if found is None:
        return text, []
    line = text.count("\n", 0, found.start()) + 1
    return _LEFT_OVER.sub("", text), [warning(
        "control-characters", "control characters removed (they are not allowed in books)",
        where.at_line(line) if lines_known else where)]


def _change(before: str, after: str, context: int = 12, most: int = 40) -> str:
    """'…before…' → '…after…': what changed, with a little of the line around it."""
    start = _common_start(before, after)
    end = _common_start(before[start:][::-1], after[start:][::-1])
    lead = before[max(0, start - context):start]
    tail = before[len(before) - end:][:context]

    def shown(middle: str) -> str:
        middle = middle if len(middle) <= most else middle[:most - 1] + "…"
        return _visible(f"{lead}{middle}{tail}")

    return (f"'{shown(before[start:len(before) - end])}' → "
            f"'{shown(after[start:len(after) - end])}'")


def _common_start(one: str, other: str) -> int:
    return next((i for i, (a, b) in enumerate(zip(one, other, strict=False)) if a != b),
                min(len(one), len(other)))


def _visible(text: str) -> str:
    """Control characters and non-characters spelled out (U+0093), so the message shows
    what was there."""
    return "".join(f"U+{ord(c):04X}" if unicodedata.category(c) in ("Cc", "Cn", "Cs") else c
                   for c in text)


def _located(problem: Diagnostic, where: Location) -> Diagnostic:
    line = problem.location.line if problem.location else None
    return Diagnostic(problem.code, problem.severity, problem.message, where.at_line(line),
                      problem.hint)


def read_pool(directory: Path, settings: ReadSettings,
              cache: ReadCache | None = None) -> list[ReadResult]:
    """Read every supported file in `directory` (not recursive), in name order, taking
    unchanged files from `cache` when one is given.

    Only regular files inside the project are opened: a link to a file elsewhere is refused,
    and a pipe or device is never read (reading a pipe would wait for ever). A file over the
    size limit is refused before it is read."""
    folder = _Folder.of(directory, settings.root)
    results: list[ReadResult | None] = []
    to_parse: list[tuple[int, _Source, str | None]] = []  # index, file, cache key
    for index, entry in enumerate(folder.entries()):
        where = folder.location(entry)
        refusal = _refusal(entry, where, folder, settings)
        path = directory / entry.name
        loaded = ReadResult(None, (refusal,)) if refusal else _load(path, where)
        if isinstance(loaded, ReadResult):
            results.append(loaded)
            continue
        results.append(_cached(_Source(path, where, loaded), index, settings, cache, to_parse))
    return _parsed(results, to_parse, settings, cache)


def read_texts(texts: Sequence[tuple[str, bytes]], settings: ReadSettings,
               cache: ReadCache | None = None) -> list[ReadResult]:
    """Manuscripts handed in as text (the Python API), in order, each read as the file
    `name` of the project would be: by the reader of its suffix, located at its name, its
    images found from where that file would be (`settings.root / name`)."""
    results: list[ReadResult | None] = []
    to_parse: list[tuple[int, _Source, str | None]] = []
    for index, (name, raw) in enumerate(texts):
        where = Location(name)
        refusal = _name_refusal(name, where, settings)
        if refusal:
            results.append(ReadResult(None, (refusal,)))
            continue
        source = _Source(settings.root / name, where, raw)
        results.append(_cached(source, index, settings, cache, to_parse))
    return _parsed(results, to_parse, settings, cache)


def _name_refusal(name: str, where: Location, settings: ReadSettings) -> Diagnostic | None:
    """Why a manuscript handed in as text cannot be read under its name, if it cannot."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.name:
        return error("outside-project", "a manuscript's name must be a file name inside "
                     "the project", where, "name it like 'reviews/my-review.md'")
    if path.suffix.lower() not in READERS:
        return error("unsupported-format", f"no reader for '{path.suffix}' files", where,
                     f"use one of: {', '.join(READERS)}")
    return None


def _cached(source: _Source, index: int, settings: ReadSettings, cache: ReadCache | None,
            to_parse: list[tuple[int, _Source, str | None]]) -> ReadResult | None:
    """The file's reading from the cache; or None, and the file is put on `to_parse`."""
    key = cache.key(source.where.path, source.raw, settings) if cache else None
    cached = cache.get(key) if cache and key else None
    if cached is None:
        to_parse.append((index, source, key))
    return cached


def _parsed(results: list[ReadResult | None], to_parse: list[tuple[int, _Source, str | None]],
            settings: ReadSettings, cache: ReadCache | None) -> list[ReadResult]:
    """`results` with the files to parse parsed (and kept in the cache)."""
    parsed = parse_all([source for _, source, _ in to_parse], settings)
    for (index, source, key), (result, pickled) in zip(to_parse, parsed, strict=True):
        results[index] = result
        if cache:
            cache.read_anew.add(source.where.path)
            if key:
                cache.put(key, result, pickled)
    return [result for result in results if result is not None]


@dataclass(frozen=True)
class _Folder:
    """A manuscripts folder, resolved once (not once per file)."""

    path: Path
    shown: str  # as diagnostics show it: relative to the project root when inside it
    root: Path  # the project root, resolved
    inside: bool  # whether the folder is inside the project

    @classmethod
    def of(cls, directory: Path, root: Path) -> _Folder:
        real, real_root = directory.resolve(), root.resolve()
        return cls(real, relative_path(real, real_root), real_root,
                   real.is_relative_to(real_root))

    def entries(self) -> list[os.DirEntry[str]]:
        """The files with a reader's suffix, in name order (no hidden files, no folders;
        a broken or looping link is kept, for `_refusal` to report)."""
        with os.scandir(self.path) as scan:
            found = [entry for entry in scan
                     if os.path.splitext(entry.name)[1].lower() in READERS
                     and not entry.name.startswith(".") and not _is_folder(entry)]
        return sorted(found, key=lambda entry: entry.name)

    def location(self, entry: os.DirEntry[str]) -> Location:
        """Where diagnostics say the file is: a link to a file in the project is shown as
        that file (as `relative_path` shows it); any other link as itself."""
        if entry.is_symlink():
            try:
                real = Path(entry.path).resolve(strict=True)
                if real.is_relative_to(self.root):
                    return Location(real.relative_to(self.root).as_posix())
            except (OSError, RuntimeError):  # broken or looping: `_refusal` says so
                pass
        return Location(PurePosixPath(self.shown, entry.name).as_posix())


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a link that loops
        return False


@dataclass(frozen=True)
class _Source:
    path: Path
    where: Location
    raw: bytes


# Reading a review takes about 1.5 ms; a process pool starts in tens of ms and sends each
# result back pickled. Below this many files one process is as fast.
PARALLEL_FROM = 150
_BATCH = 50  # files per task: fewer round trips to the workers


def parse_all(files: Sequence[_Source],
              settings: ReadSettings) -> list[tuple[ReadResult, bytes | None]]:
    """Parse the files, in worker processes when there are enough of them. Each reading
    comes with its pickle when a worker made one (the read cache keeps it as it is)."""
    jobs = min(default_jobs(), -(-len(files) // _BATCH))
    if len(files) < PARALLEL_FROM or jobs < 2:
        return [(_parse(source, settings), None) for source in files]
    batches = [files[start:start + _BATCH] for start in range(0, len(files), _BATCH)]
    with worker_pool(jobs) as pool:
        return [(pickle.loads(pickled), pickled) for batch in
                pool.map(_parse_batch, batches, itertools.repeat(settings)) for pickled in batch]


def _parse_batch(files: Sequence[_Source], settings: ReadSettings) -> list[bytes]:
    return [pickle.dumps(_parse(source, settings), pickle.HIGHEST_PROTOCOL) for source in files]


def _parse(source: _Source, settings: ReadSettings) -> ReadResult:
    return _read_bytes(source.path, source.raw, source.where,
                       READERS[source.path.suffix.lower()], settings)


def _refusal(entry: os.DirEntry[str], where: Location, folder: _Folder,
             settings: ReadSettings) -> Diagnostic | None:
    """Why a file of the pool must not be read, if it must not."""
    try:
        if entry.is_symlink() or not folder.inside:
            real = Path(entry.path).resolve(strict=True)
            status = real.stat()
            if not real.is_relative_to(folder.root):
                return error("outside-project", "links to a file outside the project: not "
                             "read", where, "copy the file into the project instead of "
                             "linking to it")
        else:
            status = entry.stat(follow_symlinks=False)
    except (OSError, RuntimeError) as exc:  # a broken or looping link
        return error("unreadable", f"cannot read file: {getattr(exc, 'strerror', None) or exc}",
                     where, "remove the broken link, or point it at a manuscript")
    if not stat.S_ISREG(status.st_mode):
        return error("not-a-file", "not a regular file (a pipe, device or socket): not read",
                     where, "move it out of the manuscripts folder")
    if status.st_size > settings.max_bytes:
        return error("file-too-large", f"file is {status.st_size:,} bytes; the limit is "
                     f"{settings.max_bytes:,}", where, "split it into several pieces")
    return None
