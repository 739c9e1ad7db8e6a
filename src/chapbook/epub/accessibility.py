"""Accessibility metadata (schema.org, EPUB Accessibility 1.1), derived from the documents.

Nothing here is a constant claim: each statement is read off what the rendered book
actually contains, so a book with undescribed images does not claim `alternativeText`,
and one without images does not list a `visual` access mode. The cover does not count
as visual content: it repeats the title page (the DAISY knowledge base's advice).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from chapbook.core.labels import ENGLISH, Labels
from chapbook.render.epub_documents import EpubRendition

XHTML_NS = "{http://www.w3.org/1999/xhtml}"
CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
_FIXED_FONT_SIZE = re.compile(r"font-size\s*:\s*[0-9.]+\s*(px|pt|cm|mm|in)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Findings:
    """What the documents show about their accessibility."""

    content_images: int  # images other than the cover
    described_images: int  # of those, how many have alternative text
    cover_described: bool | None  # None: no cover
    has_toc: bool
    has_index: bool
    uses_roles: bool
    reflowable: bool
    page_source: str | None = None  # the print edition whose page breaks the book marks

    @property
    def all_described(self) -> bool:
        return self.described_images == self.content_images and self.cover_described is not False


def inspect(rendition: EpubRendition) -> Findings:
    content = described = 0
    cover: bool | None = None
    roles = breaks = False
    for doc in rendition.documents:
        tree = etree.fromstring(doc.xhtml.encode("utf-8"))
        roles = roles or bool(tree.xpath("//*[@role]"))
        breaks = breaks or bool(tree.xpath("//*[@role='doc-pagebreak']"))
        for image in tree.iter(f"{XHTML_NS}img"):
            has_alt = bool((image.get("alt") or "").strip())
            if doc.kind == "cover":
                cover = has_alt
            else:
                content += 1
                described += has_alt
    return Findings(content, described, cover, bool(rendition.toc),
                    any(d.kind == "back" and d.file_name in ("works.xhtml", "tags.xhtml")
                        for d in rendition.documents),
                    roles, not _FIXED_FONT_SIZE.search(rendition.stylesheet),
                    rendition.page_source if breaks else None)


def accessibility_metadata(rendition: EpubRendition, certifier: str) -> list[tuple[str, str]]:
    """(property, value) pairs for the package metadata, in a stable order."""
    found = inspect(rendition)
    meta = [("schema:accessMode", "textual")]
    if found.content_images:
        meta.append(("schema:accessMode", "visual"))
        meta.append(("schema:accessModeSufficient", "textual,visual"))
    if found.all_described:
        meta.append(("schema:accessModeSufficient", "textual"))
    meta += [("schema:accessibilityFeature", feature) for feature in _features(found)]
    meta.append(("schema:accessibilityHazard", "none"))
    meta.append(("schema:accessibilitySummary", summary(found, rendition.labels)))
    if found.page_source:
        meta.append(("pageBreakSource", found.page_source))
    if found.all_described and found.has_toc and found.reflowable:
        meta.append(("dcterms:conformsTo", CONFORMANCE))
        meta.append(("a11y:certifiedBy", certifier))
    return meta


def _features(found: Findings) -> list[str]:
    features = []
    if found.has_toc:
        features.append("tableOfContents")
    if found.has_index:
        features.append("index")
    features += ["readingOrder", "structuralNavigation"]
    if found.page_source:
        features += ["printPageNumbers", "pageNavigation"]
    if found.uses_roles:
        features.append("ARIA")
    if (found.content_images or found.cover_described) and found.all_described:
        features.append("alternativeText")
    if found.reflowable:
        features.append("displayTransformability")
    return features


def summary(found: Findings, labels: Labels = ENGLISH) -> str:
    """A sentence or three for people choosing a book, in plain words, in its language."""
    parts = [labels.text("a11y_navigation_index" if found.has_index else "a11y_navigation")]
    if found.content_images:
        missing = found.content_images - found.described_images
        parts.append(labels.text("a11y_images_described") if found.all_described else
                     labels.counted("a11y_images_undescribed", missing,
                                    missing=labels.number(missing),
                                    total=labels.number(found.content_images)))
    else:
        parts.append(labels.text("a11y_cover_only" if found.cover_described
                                 else "a11y_no_images"))
    if found.page_source:
        parts.append(labels.text("a11y_print_pages"))
    if found.reflowable:
        parts.append(labels.text("a11y_resizable"))
    parts.append(labels.text("a11y_no_hazards"))
    # Chinese and Japanese sentences end in a full-width stop and run on without a space.
    return ("" if labels.locale.language in ("ja", "zh") else " ").join(parts)
