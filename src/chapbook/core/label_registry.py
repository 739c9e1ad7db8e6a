"""The registry of labels: every word chapbook writes into a book by itself, with its key
(what `[labels]` in chapbook.toml overrides) and its English gettext msgid. `pybabel
extract` reads the `_label` calls below into `locale/chapbook.pot` (see babel.cfg, and
README, "Translating chapbook"); `labels.py` looks them up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Label:
    key: str
    msgid: str
    plural: str | None = None  # a label that depends on a count (gettext plural forms)


def _label(key: str, msgid: str) -> Label:
    return Label(key, msgid)


def _plural_label(key: str, singular: str, plural: str) -> Label:
    return Label(key, singular, plural)


# The registry. Keep keys and msgids stable: translations are keyed by both.
REGISTRY: tuple[Label, ...] = (
    # TRANSLATORS: heading of the table of contents; also the PDF bookmark and EPUB nav title.
    _label("contents", "Contents"),
    # TRANSLATORS: hidden heading of the EPUB's list of landmarks (read by screen readers).
    _label("landmarks", "Landmarks"),
    # TRANSLATORS: the names of front-matter pages, as reading systems and screen readers
    # announce them.
    _label("cover", "Cover"),
    _label("title_page", "Title page"),
    _label("half_title", "Half title"),
    _label("copyright", "Copyright"),
    _label("dedication", "Dedication"),
    _label("epigraph", "Epigraph"),
    # TRANSLATORS: EPUB landmark: where the reviews begin.
    _label("start_of_content", "Start of content"),
    # TRANSLATORS: EPUB landmark: the indexes and notes after the reviews.
    _label("back_matter", "Back matter"),
    # TRANSLATORS: the line at the top of the generated cover (the style may set it in
    # capitals).
    _label("cover_kicker", "An anthology of reviews"),
    # TRANSLATORS: the cover image's text description.
    _label("cover_alt", "Cover: %(title)s. %(press)s."),
    _label("cover_alt_edited", "Cover: %(title)s. Edited by %(names)s. %(press)s."),
    # TRANSLATORS: a book's title and subtitle on one line (copyright page, PDF title).
    _label("title_with_subtitle", "%(title)s: %(subtitle)s"),
    # TRANSLATORS: %(names)s is a list of editors ("A and B", already joined).
    _label("edited_by", "Edited by %(names)s"),
    # TRANSLATORS: the same on two lines, one above the other (title page, cover); keep
    # the line break. The names may come first.
    _label("edited_by_lines", "Edited by\n%(names)s"),
    # TRANSLATORS: copyright page; %(year)s is the year of publication.
    _label("published_by", "Published by %(press)s, %(year)s."),
    # TRANSLATORS: copyright page; the count is the number of contributors.
    _plural_label("copyright_authors", "Each piece is copyright its author.",
                  "Each piece is copyright its authors."),
    # TRANSLATORS: copyright page; %(typefaces)s names the fonts ("Charis SIL and ...").
    _label("set_in", "Set in %(typefaces)s. Made with chapbook."),
    # TRANSLATORS: above a part's title; %(number)s is the part's number: digits (1, 2...),
    # or a word from part_number_words if you translate that.
    _label("part", "Part %(number)s"),
    # TRANSLATORS: optional. Leave it untranslated to number parts with digits (제1부,
    # Partie 1). Translate it only if "Part" reads best with spelled-out numbers: twenty
    # words separated by |, in the form the part label needs.
    _label("part_number_words", "One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten|Eleven|"
           "Twelve|Thirteen|Fourteen|Fifteen|Sixteen|Seventeen|Eighteen|Nineteen|Twenty"),
    # TRANSLATORS: titles of the parts when a book groups its reviews by kind of work.
    _label("group_film", "Films"),
    _label("group_series", "Series"),
    _label("group_book", "Books"),
    _label("group_album", "Albums"),
    _label("group_game", "Games"),
    _label("group_play", "Plays"),
    _label("group_podcast", "Podcasts"),
    _label("group_other", "Other works"),
    # TRANSLATORS: the last part of a grouped book: reviews without the value grouped by
    # (no year, no tag, no platform...).
    _label("group_none", "Other"),
    # TRANSLATORS: headings of the back matter.
    _label("contributors", "Contributors"),
    _label("works_index", "Index of works reviewed"),
    _label("subjects_index", "Index of subjects"),
    _label("acknowledgements", "Acknowledgements"),
    # TRANSLATORS: heading of the page about the publisher; %(press)s is its name.
    _label("about_press", "About %(press)s"),
    # TRANSLATORS: the first line of the acknowledgements.
    _label("acknowledgements_intro", "These pieces first appeared elsewhere and appear here "
           "with the permission of their authors."),
    # TRANSLATORS: acknowledgements: a review's title and its authors.
    _label("acknowledgement_by", "%(title)s, by %(names)s"),
    # TRANSLATORS: acknowledgements: %(piece)s is a review's title (with its authors),
    # %(publication)s where it first appeared, %(date)s when.
    _label("first_published", "%(piece)s: first published."),
    _label("first_published_in", "%(piece)s: first published in %(publication)s."),
    _label("first_published_on", "%(piece)s: first published on %(date)s."),
    _label("first_published_in_on",
           "%(piece)s: first published in %(publication)s on %(date)s."),
    # TRANSLATORS: the credits of the work reviewed, by kind of work; %(names)s is a list.
    _label("credit_film", "Directed by %(names)s"),
    _label("credit_series", "Created by %(names)s"),
    # TRANSLATORS: the author(s) of a book.
    _label("credit_book", "By %(names)s"),
    # TRANSLATORS: the artist(s) of an album.
    _label("credit_album", "By %(names)s"),
    _label("credit_game", "Developed by %(names)s"),
    _label("credit_play", "Written by %(names)s"),
    _label("credit_podcast", "Hosted by %(names)s"),
    # TRANSLATORS: the maker(s) of any other kind of work.
    _label("credit_other", "By %(names)s"),
    # TRANSLATORS: the facts after a work's title, "Dune (film, 2021; Netflix)"; the
    # leading space is part of it (none before full-width brackets).
    _label("details", " (%(details)s)"),
    # TRANSLATORS: between the facts of a work ("film, 2021").
    _label("details_separator", ", "),
    # TRANSLATORS: between groups of facts ("film, 2021; Netflix") and between the
    # references to reviews in the indexes.
    _label("group_separator", "; "),
    # TRANSLATORS: print only: the page number after a reference in the indexes.
    _label("page_in_index", ", %(page)s"),
    # TRANSLATORS: print only: the page number after a cited review, "Title (p. 12)".
    _label("page_cited", " (p. %(page)s)"),
    # TRANSLATORS: EPUB, read by screen readers: the link (↩) at the end of a footnote back
    # to where the text calls it; %(number)s is the note's number.
    _label("footnote_backlink", "Back to the text of note %(number)s"),
    # TRANSLATORS: the cast of a film or series; %(names)s is a list.
    _label("starring", "Starring %(names)s"),
    # TRANSLATORS: %(rating)s is rating_value or rating_labelled.
    _label("rating", "Rating: %(rating)s"),
    # TRANSLATORS: a rating: %(value)s and %(scale)s are numbers ("4 out of 5").
    _label("rating_value", "%(value)s out of %(scale)s"),
    # TRANSLATORS: a rating the reviewer wrote as a grade (B+, 85%), then its value.
    _label("rating_labelled", "%(label)s (%(value)s out of %(scale)s)"),
    # TRANSLATORS: the kind of work reviewed, after its title: "Dune (film, 2021)".
    _label("kind_film", "film"),
    _label("kind_series", "series"),
    _label("kind_book", "book"),
    _label("kind_album", "album"),
    _label("kind_game", "game"),
    _label("kind_play", "play"),
    _label("kind_podcast", "podcast"),
    # TRANSLATORS: the EPUB's accessibility summary, for people choosing a book.
    _label("a11y_navigation", "This publication has a table of contents and headings for "
           "every section, in reading order."),
    _label("a11y_navigation_index", "This publication has a table of contents and headings "
           "for every section, in reading order, and an index of works."),
    _label("a11y_images_described", "Every image has a text description."),
    # TRANSLATORS: the count is %(missing)s, the number of images without a description.
    _plural_label("a11y_images_undescribed",
                  "%(missing)s of %(total)s images have no text description.",
                  "%(missing)s of %(total)s images have no text description."),
    _label("a11y_cover_only", "Apart from the cover, it has no images; the cover has a "
           "text description."),
    _label("a11y_no_images", "It has no images."),
    _label("a11y_resizable", "Text can be resized and restyled in the reading system."),
    _label("a11y_no_hazards", "No accessibility hazards are known."),
    # TRANSLATORS: offprints (a piece on its own, as it stands in the book): the line on the
    # first page. %(anthology)s is the book's title, %(editors)s its editors (a list,
    # already joined), %(press)s its publisher, %(year)s the year of publication and
    # %(pages)s the piece's pages in the book (offprint_pages or offprint_page).
    _label("offprint_from",
           "From %(anthology)s, edited by %(editors)s, %(press)s, %(year)s, %(pages)s."),
    # TRANSLATORS: the same, for a book without editors.
    _label("offprint_from_unedited", "From %(anthology)s, %(press)s, %(year)s, %(pages)s."),
    # TRANSLATORS: offprints: the pages a piece takes in the book ("pp. 12", an en dash,
    # "18"), or the one page it takes ("p. 12").
    _label("offprint_pages", "pp. %(first)s\u2013%(last)s"),
    _label("offprint_page", "p. %(page)s"),
    # TRANSLATORS: offprints: a piece's copyright; %(year)s the year it first appeared,
    # %(names)s its authors (a list).
    _label("offprint_copyright", "© %(year)s %(names)s."),
    # TRANSLATORS: offprints: the name of their first page, as reading systems announce it.
    _label("offprint", "Offprint"),
    # TRANSLATORS: offprints: the title of one contributor's pieces from a book, bundled;
    # %(names)s is the contributor, %(anthology)s the book's title.
    _label("offprint_bundle", "%(names)s in %(anthology)s"),
    # TRANSLATORS: hidden heading of the EPUB's list of print pages (read by screen readers).
    _label("page_list", "Pages"),
    # TRANSLATORS: the print edition whose page numbers the EPUB carries, when the book has
    # no ISBN (metadata read by reading systems): the book's title, its press and the year.
    _label("print_edition", "%(title)s, print edition, %(press)s, %(year)s"),
    _label("a11y_print_pages", "Page numbers follow the print edition; pages found only in "
           "print, such as the half title and the printed contents, are not marked."),
    # TRANSLATORS: web edition: the heading over the links to the book's files.
    _label("download", "Download"),
    # TRANSLATORS: web edition and catalogue: the files a reader can download.
    _label("download_epub", "EPUB e-book"),
    _label("download_print_pdf", "PDF for print"),
    _label("download_screen_pdf", "PDF for screens"),
    # TRANSLATORS: web edition: the links to the next and the previous page of the book.
    _label("next", "Next"),
    _label("previous", "Previous"),
    # TRANSLATORS: the press's web page and feeds that list its books.
    _label("catalogue", "Catalogue"),
    # TRANSLATORS: the press's web page: the link to a book's web edition.
    _label("read_online", "Read online"),
)
LABELS: Mapping[str, Label] = {label.key: label for label in REGISTRY}
