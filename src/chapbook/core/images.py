"""Images: found inside the project only, proven to be images by Pillow, named by content.

Every image a book uses (in a manuscript, or a configured cover) passes `resolve_image`:
the reference is resolved relative to the file that makes it, symlinks and `..` are
followed to the real file, and anything outside the project, any URL, and anything that
is not a JPEG, PNG, GIF or WebP Pillow can read is refused with a reason. An accepted
image gets a stable name, `images/<hash>.<ext>`, by which both editions refer to it.
"""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from PIL import Image, UnidentifiedImageError

# Pillow's format name -> (file extension, media type): the raster types EPUB 3 guarantees.
IMAGE_FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "GIF": ("gif", "image/gif"),
    "WEBP": ("webp", "image/webp"),
}
MAX_IMAGE_BYTES = 20_000_000
IMAGE_FOLDER = "images"


@dataclass(frozen=True)
class ImageAsset:
    """An image a book uses: where it really is, and the name both editions give it."""

    path: Path  # the real file (symlinks resolved), inside the project
    name: str  # images/<hash>.<ext>: the src in rendered bodies, the file in the EPUB
    media_type: str
    width: int
    height: int


@dataclass(frozen=True)
class ImageRefusal:
    """Why an image cannot be used: a diagnostic code, a message and a hint."""

    code: str  # image-refused, image-missing or image-invalid
    message: str
    hint: str


def resolve_image(reference: str, base_dir: Path, root: Path) -> ImageAsset | ImageRefusal:
    """Resolve `reference` (a URL path as written in a manuscript) against `base_dir`."""
    parts = urlsplit(reference.strip())
    if parts.scheme or parts.netloc:
        return ImageRefusal("image-refused", f"image '{_short(reference)}' is not a file in "
                            "the project", "put the image in the project and refer to it "
                            "by a relative path")
    if not parts.path:
        return ImageRefusal("image-missing", "an image has no file name",
                            "write ![description](path/to/picture.jpg)")
    path = (base_dir / unquote(parts.path)).resolve()
    if not path.is_relative_to(root.resolve()):
        return ImageRefusal("image-refused", f"image '{_short(reference)}' is outside the "
                            "project", "copy the image into the project folder")
    return verify_image(path, _short(reference))


def verify_image(path: Path, shown: str) -> ImageAsset | ImageRefusal:
    """Check that `path` is a readable, reasonably sized image of a type EPUB supports."""
    if not path.is_file():
        return ImageRefusal("image-missing", f"image '{shown}' does not exist",
                            "check the file name and its folder (relative to the manuscript)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        return ImageRefusal("image-missing", f"image '{shown}' cannot be read: "
                            f"{exc.strerror or exc}", "check the file's permissions")
    if len(data) > MAX_IMAGE_BYTES:
        return ImageRefusal("image-invalid", f"image '{shown}' is {len(data):,} bytes; the "
                            f"limit is {MAX_IMAGE_BYTES:,}", "save a smaller version")
    return _inspect(path, data, shown)


def _inspect(path: Path, data: bytes, shown: str) -> ImageAsset | ImageRefusal:
    formats = ", ".join(sorted(IMAGE_FORMATS))
    try:
        size, kind = _pillow_check(path)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return ImageRefusal("image-invalid", f"image '{shown}' has too many pixels to be "
                            "safe to open", "save a smaller version")
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        return ImageRefusal("image-invalid", f"'{shown}' is not a readable image ({exc})",
                            f"use a {formats} file")
    if kind not in IMAGE_FORMATS:
        return ImageRefusal("image-invalid", f"image '{shown}' is {kind}, which e-books do "
                            "not support", f"convert it to one of {formats}")
    extension, media_type = IMAGE_FORMATS[kind]
    digest = hashlib.sha256(data).hexdigest()[:16]
    return ImageAsset(path, f"{IMAGE_FOLDER}/{digest}.{extension}", media_type, *size)


def _pillow_check(path: Path) -> tuple[tuple[int, int], str]:
    """Open, verify and measure; Pillow's decompression-bomb warning counts as a refusal."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(path) as image:
            kind = str(image.format)
            image.verify()
        with Image.open(path) as image:  # verify() leaves the image unusable: reopen
            image.load()
            return image.size, kind


def _short(reference: str) -> str:
    return reference if len(reference) <= 80 else reference[:77] + "..."


@dataclass(frozen=True)
class CoverImage:
    """A book's cover as the EPUB carries it: configured, or generated from its title page."""

    name: str  # file name in the EPUB, e.g. images/cover.jpg
    media_type: str
    data: bytes
    alt: str  # what the cover says, for readers who cannot see it
