"""The publication model: plain frozen data passed from stage to stage.

Reading fills these; rendering only reads them. Nothing here knows about
files on disk beyond the source locations kept for diagnostics, and nothing
knows about output formats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Location


@dataclass(frozen=True)
class CiteItem:
    """One cited work inside a citation: ``[see @key, p. 12]``."""

    key: str
    prefix: str = ""  # "see"
    locator: str = ""  # "p. 12"
    suppress_author: bool = False  # [-@key]
    col_offset: int = 0  # offset of "@key" from the citation's start, for diagnostics


@dataclass(frozen=True)
class Citation:
    """A citation found in Markdown source, with its exact span in that source."""

    items: tuple[CiteItem, ...]
    narrative: bool  # bare @key in running text: "Georgi (2019)"
    start: int  # character offsets into the scanned text
    end: int
    raw: str


@dataclass(frozen=True)
class Correction:
    """An editorial correction written as CriticMarkup ``{~~old~>new~~}``."""

    original: str
    corrected: str
    location: Location
    paragraph: int = 0  # 1-based paragraph number within the part's body (0: in a note)
    note: str = ""  # the footnote number, when the correction is in a footnote
    anchor: str = ""  # id of the marker at the corrected place


@dataclass(frozen=True)
class Part:
    """A Markdown document of the book: a text, or front/back matter written by the editors.

    ``body`` is the Markdown after the front matter; ``body_location`` is the
    location of its first line, so positions found in the body can be
    reported against the file.
    """

    slug: str
    kind: str  # "text", "front" or "back"
    title: str
    path: Path = field(repr=False)  # a template printing the part must not learn where the project lives
    body: str
    body_location: Location
    subtitle: str = ""
    authors: tuple[str, ...] = ()
    date: str = ""
    source: str = ""  # bibliography key of the original publication
    original_url: str = ""
    lang: str = ""
    summary: str = ""
    questions: tuple[str, ...] = ()
    editorial_notes: tuple[str, ...] = ()
    editors_title: bool = False  # the title was given by the editors, not the author
    verse: bool = False  # poems: every line of the body is a line (chapbook.verse)
    list_corrections: bool = False  # append the generated list of corrections here
    field_locations: dict[str, Location] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class GlossaryEntry:
    term: str
    slug: str
    definition: str  # Markdown
    aliases: tuple[str, ...] = ()
    see_also: tuple[str, ...] = ()
    location: Location | None = None


@dataclass(frozen=True)
class Publication:
    """Everything read from a project, in book order."""

    root: Path = field(repr=False)
    config: object  # chapbook.config.Config (kept loose to avoid an import cycle)
    front: tuple[Part, ...]
    texts: tuple[Part, ...]
    back: tuple[Part, ...]
    glossary: tuple[GlossaryEntry, ...]
    bibliography: object  # chapbook.bibliography.Bibliography

    @property
    def parts(self) -> tuple[Part, ...]:
        return self.front + self.texts + self.back


@dataclass(frozen=True)
class Converted:
    """A part after the markup stage: an XHTML fragment plus what the checks need.

    ``html`` is well-formed XML (writers serialise it as HTML or XHTML);
    ids inside it are prefixed with the part's slug so parts can share one
    document.
    """

    part: Part
    html: str
    citations: tuple[tuple[Citation, Location], ...]
    explicit_terms: tuple[tuple[str, Location], ...]  # (term as written, where)
    glossary_marks: tuple[tuple[str, str], ...]  # (entry slug, id of the mark), document order
    corrections: tuple[Correction, ...]
    paragraphs: int
    # Where everything with an id is, for every writer that names places ("¶ 4", "note 2"):
    # id → (number of the top-level block it is in, 0 if none; number of the note it is in, 0 if none).
    places: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False, hash=False)
    anchors: tuple[str, ...] = ()  # the ¶ anchors (p-SLUG-N), in order: the same in every edition
    notes: tuple[str, ...] = ()  # the notes' ids (fn-SLUG-LABEL), in note-number order

    def place(self, element_id: str, note_word: str) -> str:
        """'¶\u00a04' or 'note\u00a02' (``note_word``: the book's word for a note, ``words["note"]``, which
        every caller gives: an English default went unnoticed in a German handout) for an element of this
        part; '' if it is in neither."""
        para, note = self.places.get(element_id, (0, 0))
        return f"{note_word}\u00a0{note}" if note else f"¶\u00a0{para}" if para else ""

    @property
    def cited_keys(self) -> tuple[str, ...]:
        """Cited bibliography keys, in order of first citation, without repeats."""
        keys = [item.key for citation, _ in self.citations for item in citation.items]
        return tuple(dict.fromkeys(keys))
