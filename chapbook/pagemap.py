"""Where the print book's pages begin, taken from the laid-out PDF, for the EPUB's page list.

The print book is laid out once (``build.book().document``, a WeasyPrint
``Document``). For each of its pages this module records *where in the text*
the page begins, in terms the EPUB can find again:

- ``anchor``: the element with an ``id`` that was begun most recently before
  the page's first piece of text (in layout order) — a paragraph
  ``p-SLUG-N``, a glossary mark, a section ``part-SLUG``, a glossary entry
  ``gl-SLUG``, a bibliography entry … The EPUB keeps all these ids.
  A top-level section without an id (the half-title) is recorded as
  ``class:NAME``; the EPUB, which has no such section, places its pages with
  the next page it can place.
- ``offset``: how many letters and digits of the main text flow lie between
  the start of that element and the page's first character.

Only letters and digits are counted (``str.isalnum``), so whitespace
collapsing, inserted hyphens, smart punctuation and line breaking cannot make
the print and EPUB counts differ. Text the print book generates (page
numbers in the contents and cross-references, leaders, ¶ numbers, footnote
calls — all CSS pseudo-elements) and footnote bodies (laid out in the page's
footnote area) are not counted; the EPUB skips its own note references,
notes and page markers in the same way.

Precision: a page that begins with a new element (a text, a paragraph, a
glossary entry) is marked exactly before that element; a page that begins in
the middle of a paragraph is marked before the first word of its first line
(the whole word, if it was hyphenated across the page break). The only
places where the EPUB's words can differ from the print book's are the
generated back-matter lines (the glossary's list of places, the "p. N"
references), where a marker may land a few words off but never outside the
right entry. Blank pages (left empty so a part can start on a right-hand
page) have no text; they are marked at the same place as the next page with
text. Page numbers are the PDF's page indices plus one, which is how the
print book numbers its pages (``counter(page)`` from the cover).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from weasyprint.formatting_structure import boxes


@dataclass(frozen=True)
class PageStart:
    number: int  # the printed page number (1-based)
    anchor: str | None  # id (or "class:NAME") of the element begun last before the page's text
    offset: int  # letters and digits between the anchor's start and the page's first character
    words: str  # the page's first words, for tests and for looking at the result
    blank: bool  # no text on the page


@dataclass(frozen=True)
class PageMap:
    pages: tuple[PageStart, ...]
    id_pages: dict[str, int] = field(default_factory=dict)  # page on which each element with an id begins

    def page_of(self, element_id: str) -> int | None:
        return self.id_pages.get(element_id)


def countable(text: str) -> int:
    """The characters both editions agree on: letters and digits."""
    return sum(ch.isalnum() for ch in text)


def _flow(box) -> Iterator[object]:
    """The boxes of the main text flow in layout order: no margin boxes, footnotes or pseudo-elements."""
    if isinstance(box, (boxes.MarginBox, boxes.FootnoteAreaBox)):
        return
    tag = getattr(box, "element_tag", None) or ""
    if "::" in tag or box.is_footnote():
        return
    yield box
    if isinstance(box, boxes.ParentBox):
        for child in box.children:
            yield from _flow(child)


def _key(element, body) -> str | None:
    """The id of an element; for an id-less top-level section, ``class:NAME``."""
    if element is None:
        return None
    if element.get("id"):
        return element.get("id")
    if body is not None and any(child is element for child in body) and element.get("class"):
        return "class:" + element.get("class").split()[0]
    return None


def element_pages(document, ids: set[str] | None = None) -> dict[str, int]:
    """The page (1-based) on which each element whose id is in ``ids`` (None: every id) first appears,
    footnotes included.

    One walk over every box of every page: linear in the size of the layout. Used to list each
    glossary page once (:func:`chapbook.writers.pdf.typeset`).
    """
    found: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        stack = [page._page_box]
        while stack:
            box = stack.pop()
            element = getattr(box, "element", None)
            if element is not None:
                key = element.get("id")
                if key and (ids is None or key in ids) and key not in found:
                    found[key] = number
            stack.extend(getattr(box, "children", ()))
    return found


def page_map(document) -> PageMap:
    """Record, for every page of a laid-out WeasyPrint document, where its text begins."""
    starts: dict[str, int] = {}  # anchor → running count at its first box
    id_pages: dict[str, int] = {}
    count = 0
    anchor: str | None = None
    pages: list[PageStart] = []
    body = None
    for number, page in enumerate(document.pages, start=1):
        first: tuple[str | None, int] | None = None
        words: list[str] = []
        for box in _flow(page._page_box):
            element = getattr(box, "element", None)
            if element is not None and element.tag == "html":  # one per part of a composed book
                body = element.find("body")
            key = _key(element, body)
            if key and key not in starts:
                starts[key] = count
                anchor = key
                if not key.startswith("class:"):
                    id_pages[key] = number
            if isinstance(box, boxes.TextBox):
                n = countable(box.text)
                if n and first is None:
                    first = (anchor, count - starts[anchor] if anchor else count)
                if first is not None and len(words) < 6:
                    words.extend(box.text.split())
                count += n
        if first is None:
            pages.append(PageStart(number, None, 0, "", True))
        else:
            pages.append(PageStart(number, first[0], first[1], " ".join(words[:6]), False))
    return PageMap(tuple(pages), id_pages)
