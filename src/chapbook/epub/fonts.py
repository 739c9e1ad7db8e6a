"""EPUB fonts: the style's fonts, cut down to the characters the book uses.

A full Charis SIL family and Nanum Myeongjo weigh 7 MB; subset to one book's characters
(plus printable ASCII, so a reader's own additions still have glyphs) they weigh a few
dozen KB. Layout features (small capitals, ligatures, kerning) are kept. Subsetting with
fixed options and no timestamps gives the same bytes on every build.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import os
import re
import time
from collections.abc import Callable, Iterable, Sequence
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

import uharfbuzz as hb
from fontTools import subset
from fontTools.ttLib import TTFont

from chapbook.core.diagnostics import silenced
from chapbook.core.files import replace_file
from chapbook.core.hashing import digest
from chapbook.core.workers import default_jobs, worker_pool

if TYPE_CHECKING:
    from concurrent.futures import Future

    from chapbook.core.workers import Workers

FONT_TYPES = {".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff",
              ".woff2": "font/woff2"}
_URL = re.compile(r"""url\(\s*["']?([^"')]+?)["']?\s*\)""")
_BASELINE = {chr(c) for c in range(0x20, 0x7F)} | set("\u00a0\u2018\u2019\u201c\u201d"
                                                      "\u2013\u2014\u2026\u00b7")
_BEYOND_BASELINE_ASCII = re.compile(r"[^\x20-\x7e]")  # a set of 12 MB of text: 0.09 -> 0.04 s


def font_references(stylesheet: str) -> list[str]:
    """Font files a stylesheet loads, as written (`../fonts/X.ttf`), in order, once each."""
    found = (m.group(1).strip() for m in _URL.finditer(stylesheet))
    return list(dict.fromkeys(u for u in found if Path(u).suffix.lower() in FONT_TYPES))


def characters_of(texts: Iterable[str]) -> set[str]:
    """Every character in the given texts, plus the baseline every book may need."""
    found = set(_BASELINE)
    for text in texts:
        found.update(_BEYOND_BASELINE_ASCII.findall(text))
    return found


def start_subsets(paths: Sequence[Path], characters: set[str], cache: Path | None = None,
                  workers: Workers | None = None) -> PendingSubsets:
    """Start subsetting each font to `characters`; `result()` waits for the subsets.

    Subsets are kept in `cache` by the font's bytes and the characters, so a rebuild whose
    text uses no new character reuses them. HarfBuzz makes the others here, in
    milliseconds (fontTools, here too, if it refuses one); fonts only fontTools can cut
    (`needs_fonttools`: a tenth of a second or more each) are made in parallel, in
    `workers` if given (the build's, perhaps already started), else in worker processes
    of their own."""
    keys = [digest("subset", *_subsetter_versions(), _font_digest(path, *_version_of(path)),
                   "".join(sorted(characters)))
            for path in paths]
    found: dict[int, bytes | Exception] = {
        index: kept for index, key in enumerate(keys) if (kept := _kept(cache, key))}
    missing = [index for index in range(len(paths)) if index not in found]
    pending = PendingSubsets(keys, found, cache)
    slow = [index for index in missing if needs_fonttools(paths[index])]
    if workers is not None and slow:
        pending.futures = {index: workers.submit(subset_font, paths[index], characters)
                           for index in slow}
    elif min(default_jobs(), len(slow)) > 1:
        with worker_pool(min(default_jobs(), len(slow))) as pool:
            futures = {index: pool.submit(subset_font, paths[index], characters)
                       for index in slow}
            found.update({index: _outcome(future.result) for index, future in futures.items()})
    found.update({index: _outcome(functools.partial(subset_font, paths[index], characters))
                  for index in missing if index not in found and index not in pending.futures})
    return pending


@functools.cache
def _subsetter_versions() -> tuple[str, str, str]:
    """What a subset depends on besides the font and the text: read once a process (a
    version is read from package metadata, ~10 ms; a build of 200 books asked 3,000 times)."""
    return version("chapbook"), version("fonttools"), version("uharfbuzz")


@functools.lru_cache(maxsize=256)
def _font_digest(path: Path, size: int, mtime_ns: int) -> str:
    """A font file's hash, once per file and version of it (every book uses the same)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _version_of(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_size, info.st_mtime_ns


class PendingSubsets:
    """Font subsets: kept, made, or being made in workers (and kept once they are)."""

    def __init__(self, keys: list[str], found: dict[int, bytes | Exception],
                 cache: Path | None) -> None:
        self.keys, self.found, self.cache = keys, found, cache
        self.futures: dict[int, Future[bytes]] = {}
        self._made = [index for index in range(len(keys)) if index not in found]

    def result(self) -> list[bytes | Exception]:
        for index, future in self.futures.items():
            self.found[index] = _outcome(future.result)
        self.futures = {}
        for index in self._made:
            _keep(self.cache, self.keys[index], self.found[index])
        self._made = []
        _forget_unused(self.cache)
        return [self.found[index] for index in range(len(self.keys))]


def _outcome(make: Callable[[], bytes]) -> bytes | Exception:
    try:
        return make()
    except Exception as exc:  # fontTools raises many kinds on a damaged font
        return exc


def _kept(cache: Path | None, key: str) -> bytes | None:
    """A kept subset, if its file is whole: it starts with the SHA-256 of the rest."""
    if cache is None:
        return None
    try:
        kept = (cache / f"{key}.font").read_bytes()
    except OSError:
        return None
    data = kept[32:]
    if not data or hashlib.sha256(data).digest() != kept[:32]:
        return None
    with contextlib.suppress(OSError):
        os.utime(cache / f"{key}.font")  # used now: see _forget_unused
    return data


UNUSED_FOR = 30 * 86_400  # seconds: a subset no build has used for a month is dropped


def _forget_unused(cache: Path | None) -> None:
    """Every new character in a book makes new subsets: the old ones must not pile up."""
    if cache is None or not cache.is_dir():
        return
    cutoff = time.time() - UNUSED_FOR
    for entry in cache.glob("*.font"):
        with contextlib.suppress(OSError):
            if entry.stat().st_mtime < cutoff:
                entry.unlink()


def _keep(cache: Path | None, key: str, data: bytes | Exception) -> None:
    if cache is None or not isinstance(data, bytes):
        return
    with contextlib.suppress(OSError):  # a cache that cannot be written costs only time
        cache.mkdir(parents=True, exist_ok=True)
        replace_file(cache / f"{key}.font", hashlib.sha256(data).digest() + data)


HARFBUZZ_READS = {".ttf", ".otf"}  # not WOFF or WOFF2: HarfBuzz reads bare sfnt files only


def subset_font(path: Path, characters: set[str]) -> bytes:
    """The font at `path` with only the glyphs for `characters` (and what they need).

    HarfBuzz's subsetter takes a few milliseconds a face, fontTools a tenth of a second
    and more: fontTools cuts only what HarfBuzz cannot read or keep (see `needs_fonttools`)
    or refuses."""
    if not needs_fonttools(path):
        try:
            return _harfbuzz_subset(path, characters)
        except RuntimeError:  # "Subsetting failed": fontTools says why, or does it
            pass
    return _fonttools_subset(path, characters)


def needs_fonttools(path: Path) -> bool:
    """WOFF and WOFF2 (HarfBuzz reads bare sfnt files only), and fonts whose kerning is an
    old `kern` table (no GPOS) or whose glyphs include SVG: HarfBuzz drops those tables,
    fontTools subsets them."""
    if path.suffix.lower() not in HARFBUZZ_READS:
        return True
    try:
        tables = set(hb.Face(hb.Blob.from_file_path(str(path))).table_tags)
    except (OSError, RuntimeError):
        return False  # unreadable: HarfBuzz refuses it at once, fontTools says why
    return ("kern" in tables and "GPOS" not in tables) or "SVG " in tables


def _harfbuzz_subset(path: Path, characters: set[str]) -> bytes:
    """As `_fonttools_subset`, with HarfBuzz (whose default also drops Graphite tables)."""
    wanted = hb.SubsetInput()
    wanted.unicode_set.update(ord(c) for c in characters)
    for every in (hb.SubsetInputSets.LAYOUT_FEATURE_TAG, hb.SubsetInputSets.LAYOUT_SCRIPT_TAG,
                  hb.SubsetInputSets.NAME_LANG_ID):
        kept = wanted.sets(every)
        kept.clear()
        kept.invert()  # the empty set inverted: every feature, script and name language
    names = wanted.sets(hb.SubsetInputSets.NAME_ID)
    names.clear()
    names.update(range(256))  # the standard names (copyright, licence...); HarfBuzz adds
    # those above 255 that the kept features refer to (fontTools keeps every name)
    wanted.flags = hb.SubsetFlags.NOTDEF_OUTLINE | hb.SubsetFlags.NO_HINTING
    face = hb.subset(hb.Face(hb.Blob.from_file_path(str(path))), wanted)
    return bytes(face.blob.data)


def _fonttools_subset(path: Path, characters: set[str]) -> bytes:
    options = subset.Options()
    options.layout_features = ["*"]  # small caps, ligatures, kerning: the style uses them
    options.name_IDs = ["*"]  # keep copyright and licence names
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False  # reading systems rasterise at many sizes; hints cost bytes
    options.glyph_names = False
    # Graphite and FontForge tables: no reading system uses them, fontTools cannot subset them
    options.drop_tables += ["Silf", "Silt", "Sill", "Glat", "Gloc", "Feat", "FFTM"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes={ord(c) for c in characters})
    with silenced("fontTools"), TTFont(path, recalcTimestamp=False) as font:
        subsetter.subset(font)
        out = io.BytesIO()
        font.save(out)
    return out.getvalue()


def is_licence(path: Path) -> bool:
    """Font licences travel with the fonts: OFL.txt, OFL-Charis.txt, LICENSE..."""
    stem = path.name.upper()
    return path.suffix.lower() == ".txt" and stem.startswith(("OFL", "LICENSE", "LICENCE"))
