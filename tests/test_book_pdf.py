"""The typeset book: the minimal project's PDF, built once per session, read back with pypdf.

Pages are numbered from 1 here, as printed in the book (the cover is page 1).
"""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from functools import cached_property
from pathlib import Path

import pytest
from conftest import MINIMAL, SOURCE_DATE_EPOCH, load
from pypdf import PdfReader
from pypdf.generic import Destination, IndirectObject

A5 = (148 / 25.4 * 72, 210 / 25.4 * 72)  # points
LEADER = re.compile(r"(?:\.\s*){3,}(\d+)\s*$")  # ". . . . 11" at the end of a contents line


def squash(text: str) -> str:
    """Whitespace-insensitive text (extraction breaks lines and doubles spaces)."""
    return " ".join(text.split())


class Book:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.reader = PdfReader(path)

    @cached_property
    def texts(self) -> list[str]:
        """Extracted text of every page; texts[0] is page 1."""
        return [page.extract_text() or "" for page in self.reader.pages]

    def page(self, number: int) -> str:
        return self.texts[number - 1]

    def flat(self, number: int) -> str:
        return squash(self.page(number))

    @cached_property
    def outline(self) -> list[tuple[str, int, int]]:
        """(title, page, depth) of every bookmark, in order."""
        found: list[tuple[str, int, int]] = []

        def walk(items, depth: int) -> None:
            for item in items:
                if isinstance(item, list):
                    walk(item, depth + 1)
                else:
                    found.append((item.title, self.reader.get_destination_page_number(item) + 1, depth))

        walk(self.reader.outline, 0)
        return found

    def outline_page(self, title: str) -> int:
        pages = [page for t, page, _ in self.outline if t == title]
        assert pages, f"no bookmark {title!r} in {self.outline}"
        return pages[0]

    @cached_property
    def destinations(self) -> dict[str, int]:
        """Named destination → page."""
        return {name: self.reader.get_destination_page_number(dest) + 1
                for name, dest in self.reader.named_destinations.items()}

    def pages_with(self, text: str) -> list[int]:
        return [n for n in range(1, len(self.texts) + 1) if text in self.flat(n)]


@pytest.fixture(scope="module")
def book(minimal_pdf: Path) -> Book:
    return Book(minimal_pdf)


@pytest.fixture(scope="module")
def minimal():
    loaded = load(MINIMAL)
    assert loaded.report.diagnostics == []
    return loaded.publication


PART_TITLES = ["Introduction", "The First Text", "A Second Text", "Editorial note"]
GENERATED = ["Glossary", "Bibliography", "Sources of the texts"]


# -- pages -------------------------------------------------------------------------------------


def test_page_count_and_size(book: Book):
    pages = book.reader.pages
    assert 12 <= len(pages) <= 40
    assert len(book.texts) == len(pages)
    for page in pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - A5[0]) < 1 and abs(height - A5[1]) < 1
    # the book ends with its last section, then the back cover on an even (left-hand) page
    last = book.outline_page("Sources of the texts")
    assert len(pages) % 2 == 0 and len(pages) - last <= 2
    assert all(book.page(n).strip() == "" for n in range(last + 1, len(pages)))
    assert book.page(len(pages)).startswith("A Minimal Reader")  # the back cover repeats the title


def test_cover_and_title_page(book: Book):
    assert "A Minimal Reader Two short texts for testing" in book.flat(1)
    assert "Edited by Ada Editor, Ben Editor" in book.flat(1)
    assert "urn:chapbook:test:minimal" in " ".join(book.texts[:8])


def test_texts_start_on_right_hand_pages(book: Book, minimal):
    for part in minimal.parts:
        page = book.outline_page(part.title)
        assert page % 2 == 1, f"{part.title} starts on page {page}, a left-hand page"
        assert book.page(page - 1).strip() == "" or page == 1, "the verso before a new part is blank"


def test_printed_page_numbers_are_the_real_page_numbers(book: Book):
    for title in PART_TITLES:
        page = book.outline_page(title)
        assert book.page(page).split()[-1] == str(page), f"page {page} prints another folio"


# -- outline and contents --------------------------------------------------------------------


def test_outline_has_every_part_and_text(book: Book, minimal):
    titles = [t for t, _, depth in book.outline if depth == 0]
    expected = [p.title for p in minimal.parts] + GENERATED
    assert [t for t in titles if t in expected] == expected  # all present, in book order
    pages = [book.outline_page(t) for t in expected]
    assert pages == sorted(pages) and len(set(pages)) == len(pages)


@pytest.mark.parametrize("title", PART_TITLES + GENERATED)
def test_bookmark_lands_on_its_title(book: Book, title: str):
    page = book.outline_page(title)
    assert book.page(page).lstrip().startswith(title), book.page(page)[:200]


def test_section_bookmarks_nest_under_their_text(book: Book):
    depth = {t: d for t, _, d in book.outline}
    assert depth["A section about borders"] == 1
    assert book.outline_page("A section about borders") == book.outline_page("The First Text")


def contents_entries(book: Book) -> tuple[int, dict[str, int]]:
    """The contents page and its {title: page} entries; a text's number follows its author line."""
    number = book.outline_page("Contents")
    lines = [line.strip() for line in book.page(number).splitlines() if line.strip()]
    assert lines[0] == "Contents"
    entries: dict[str, int] = {}
    pending: list[str] = []
    for line in lines[1:]:
        m = LEADER.search(line)
        if m is None:
            pending.append(line)  # a text's title: its number is on the author's line
            continue
        label = LEADER.sub("", line).strip()
        for title in [*pending, label]:
            entries[title] = int(m.group(1))
        pending = []
    assert pending == [], f"contents lines without a page number: {pending}"
    return number, entries


def test_contents_page_numbers_are_where_parts_start(book: Book, minimal):
    _, entries = contents_entries(book)
    for title in PART_TITLES + GENERATED:
        assert title in entries, f"{title!r} missing from the contents {entries}"
        page = entries[title]
        assert page == book.outline_page(title)
        assert book.page(page).lstrip().startswith(title)
    for text in minimal.texts:  # the author line carries the same number
        assert entries[text.authors[0]] == entries[text.title]
        assert text.authors[0] in book.page(entries[text.title])


def test_contents_comes_before_the_first_part(book: Book):
    number, entries = contents_entries(book)
    assert number < min(entries.values())


# -- links -----------------------------------------------------------------------------------


def link_annotations(book: Book):
    for number, page in enumerate(book.reader.pages, start=1):
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot.get("/Subtype") == "/Link":
                yield number, annot


def test_every_internal_link_resolves(book: Book):
    internal = 0
    for number, annot in link_annotations(book):
        dest = annot.get("/Dest")
        action = annot.get("/A")
        if dest is None and action is not None and action.get("/S") == "/GoTo":
            dest = action.get("/D")
        if dest is None:
            continue
        internal += 1
        if isinstance(dest, IndirectObject):
            dest = dest.get_object()
        if isinstance(dest, str):
            assert dest in book.destinations, f"page {number}: link to missing destination {dest!r}"
            assert 1 <= book.destinations[dest] <= len(book.texts)
        else:  # an explicit [page /XYZ …] array
            page = dest[0].get_object()
            assert any(page == p.get_object() for p in book.reader.pages)
    assert internal >= 20


def test_external_links_are_web_addresses_only(book: Book):
    uris = [annot["/A"]["/URI"] for _, annot in link_annotations(book)
            if annot.get("/A") is not None and annot["/A"].get("/S") == "/URI"]
    assert "https://example.org/first" in uris
    assert all(uri.startswith(("https://", "http://", "mailto:")) for uri in uris), uris


def test_contents_links_go_to_the_parts(book: Book):
    number = book.outline_page("Contents")
    targets = {str(annot["/Dest"]) for n, annot in link_annotations(book) if n == number and "/Dest" in annot}
    assert {"part-introduction", "part-first-text", "part-second-text", "part-editorial-note", "glossary",
            "bibliography", "sources"} <= targets
    for name in targets:
        assert book.destinations[name] > number


# -- glossary --------------------------------------------------------------------------------


def mentions(page_text: str, names: list[str]) -> bool:
    text = squash(page_text).lower()
    forms = set()
    for name in names:
        forms |= {name.lower(), name.lower() + "s"}
        if name.endswith("y"):
            forms.add(name[:-1].lower() + "ies")
    return any(form in text for form in forms)


def glossary_references(book: Book, minimal) -> dict[str, list[int]]:
    """{term: [page, …]} as printed after each definition: '— p. 11' or '— pp. 11, 13'."""
    start = book.outline_page("Glossary")
    end = book.outline_page("Bibliography")
    text = squash(" ".join(book.page(n) for n in range(start, end)))
    terms = sorted((e.term for e in minimal.glossary), key=lambda t: text.index(t))
    refs = {}
    for i, term in enumerate(terms):
        stop = text.index(terms[i + 1]) if i + 1 < len(terms) else len(text)
        chunk = text[text.index(term):stop]
        m = re.search(r"— pp?\. ((?:\d+(?:, )?)+)", chunk)
        assert m, f"no page references for {term!r}: {chunk!r}"
        refs[term] = [int(n) for n in m.group(1).split(", ")]
    return refs


def test_glossary_page_references_point_at_the_term(book: Book, minimal):
    refs = glossary_references(book, minimal)
    assert set(refs) == {e.term for e in minimal.glossary}
    shown = {}  # the words of explicit marks: [[glossary term|glossary]] shows "glossary"
    for c in load(MINIMAL).converted.values():
        for a in ET.fromstring(f"<div>{c.html}</div>").iter("a"):
            if a.get("class") == "glossref":
                shown.setdefault(a.get("href").removeprefix("#gl-"), []).append("".join(a.itertext()))
    for entry in minimal.glossary:
        for page in refs[entry.term]:
            names = [entry.term, *entry.aliases, *shown.get(entry.slug, [])]
            assert mentions(book.page(page), names), f"page {page} does not mention {entry.term!r}"
    assert refs["border agency"] == [book.outline_page("The First Text"), book.outline_page("A Second Text")]


def test_glossary_page_references_match_the_marks(book: Book, minimal):
    """Each printed number is the page of a mark (one per text that uses the term)."""
    refs = glossary_references(book, minimal)
    marks = {}
    for c in load(MINIMAL).converted.values():
        for slug, mark_id in c.glossary_marks:
            marks.setdefault(slug, []).append(book.destinations[mark_id])
    for entry in minimal.glossary:
        assert refs[entry.term] == marks[entry.slug]
    iom = "International Organization for Migration"
    assert refs[iom] == [book.outline_page("The First Text"), book.outline_page("A Second Text")]


def test_glossary_definitions_are_rendered(book: Book):
    text = book.flat(book.outline_page("Glossary"))
    assert "An intergovernmental organisation working on migration." in squash(text)
    assert "See also border agency." in text
    assert "*" not in text


# -- fonts -----------------------------------------------------------------------------------


def fonts(book: Book):
    """Every font dictionary used by a page (and by its form XObjects)."""
    seen = {}

    def visit(resources) -> None:
        if resources is None:
            return
        resources = resources.get_object()
        for ref in (resources.get("/Font") or {}).values():
            font = ref.get_object()
            seen[id(font)] = font
        for ref in (resources.get("/XObject") or {}).values():
            xobject = ref.get_object()
            if xobject.get("/Subtype") == "/Form":
                visit(xobject.get("/Resources"))

    for page in book.reader.pages:
        visit(page.get("/Resources"))
    return list(seen.values())


def test_every_font_is_embedded(book: Book):
    found = fonts(book)
    assert found
    for font in found:
        name = font.get("/BaseFont")
        if font.get("/Subtype") == "/Type3":
            continue  # glyphs drawn in the file itself
        descriptors = []
        if font.get("/Subtype") == "/Type0":
            descendants = font["/DescendantFonts"]
            assert len(descendants) >= 1
            descriptors = [d.get_object()["/FontDescriptor"].get_object() for d in descendants]
        else:
            descriptors = [font["/FontDescriptor"].get_object()]
        for descriptor in descriptors:
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), \
                f"font {name} is not embedded"


def test_fonts_are_charis_and_never_dejavu(book: Book):
    names = {str(font.get("/BaseFont")) for font in fonts(book)}
    assert names and all("Charis" in name for name in names), names
    assert not any("dejavu" in name.lower() for name in names)
    assert b"DejaVu" not in book.path.read_bytes()


# -- metadata --------------------------------------------------------------------------------


def test_metadata(book: Book):
    meta = book.reader.metadata
    assert meta["/Title"] == "A Minimal Reader: Two short texts for testing"
    assert meta["/Author"] == "Ada Editor, Ben Editor"
    assert meta["/Keywords"] == "testing, readers"
    assert meta["/Subject"] == "Testing chapbook"
    assert str(meta["/Creator"]).startswith("chapbook ")


def test_dates_come_from_source_date_epoch(book: Book):
    expected = datetime.datetime.fromtimestamp(SOURCE_DATE_EPOCH, tz=datetime.UTC)
    meta = book.reader.metadata
    assert meta.creation_date == expected.replace(tzinfo=meta.creation_date.tzinfo)
    assert meta["/CreationDate"].startswith("D:" + expected.strftime("%Y%m%d%H%M%S"))
    assert meta["/ModDate"].startswith("D:" + expected.strftime("%Y%m%d%H%M%S"))


def test_document_language(book: Book):
    assert book.reader.trailer["/Root"]["/Lang"] == "en"


# -- the texts -------------------------------------------------------------------------------


def test_footnotes_sit_on_the_page_of_their_call(book: Book):
    cases = [("founded long ago.1", "1 An author’s footnote with a citation (2019)."),
             ("border agencies again.1", "1 Editors’ note: the original spells “Organisation”.")]
    for call, note in cases:
        call_pages, note_pages = book.pages_with(call), book.pages_with(note)
        assert len(call_pages) == 1 and call_pages == note_pages, (call, call_pages, note_pages)
        # the note is at the foot: after the text of the page
        flat = book.flat(call_pages[0])
        assert flat.index(note) > flat.index(call)


def test_citations(book: Book):
    first = book.flat(book.outline_page("The First Text"))
    assert "It also cites a study (Pécoud 2018, 4)" in first
    intro = book.flat(book.outline_page("Introduction"))
    assert "García (2019) gives the history" in intro
    assert "(see Pécoud 2018, 12; Institute of Race Relations 2002)" in intro


def test_smart_punctuation_and_corrected_reading(book: Book):
    first = book.flat(book.outline_page("The First Text"))
    assert "“quotes” – with dashes…" in first
    assert "a border correction" in first
    assert "boarder" not in " ".join(book.texts[: book.outline_page("Editorial note") - 1])


def test_text_head_and_references(book: Book):
    first = book.flat(book.outline_page("The First Text"))
    assert first.startswith("The First Text Maria García First published in example.org, 3 May 2019.")
    references = first[first.index("References"):]
    assert references.index("García, María. 2019.") < references.index("Pécoud, Antoine. 2018.")


def test_corrections_listed_in_the_editorial_note(book: Book):
    page = book.outline_page("Editorial note")
    note = book.flat(page)
    assert "List of corrections The First Text" in note
    m = re.search(r"¶ (\d+), p\. (\d+): boarder → border", note)
    assert m, note
    assert int(m.group(1)) == 2
    corrected_on = int(m.group(2))
    assert corrected_on == book.destinations["corr-first-text-1"]
    assert "a border correction" in book.flat(corrected_on)


def test_bibliography_and_sources(book: Book):
    bib = book.flat(book.outline_page("Bibliography"))
    order = [bib.index(name) for name in ("García, María.", "Institute of Race Relations.", "Pécoud, Antoine.")]
    assert order == sorted(order)
    sources = book.flat(book.outline_page("Sources of the texts"))
    assert f"The First Text (p. {book.outline_page('The First Text')})" in sources
    assert f"A Second Text (p. {book.outline_page('A Second Text')})" in sources
    assert "Original address: unknown." in sources


def test_imprint_points_at_the_sources_page(book: Book):
    imprint = book.flat(book.destinations["imprint"])
    assert f"listed on page {book.outline_page('Sources of the texts')};" in imprint


# -- the file --------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf is not installed")
def test_qpdf_check(book: Book):
    result = subprocess.run(["qpdf", "--check", str(book.path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors found" in result.stdout


def test_destination_objects_are_well_formed(book: Book):
    for name, dest in book.reader.named_destinations.items():
        assert isinstance(dest, Destination), name


def test_an_isbn_is_printed_as_a_press_prints_it(project: Path):
    """``identifier: urn:isbn:…`` (the form the EPUB's dc:identifier needs) was printed as written on the
    imprint page; a press prints "ISBN 978-…". Other identifiers are printed as written."""
    from chapbook.render import render_book_html

    config = project / "content" / "publication.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("identifier: urn:chapbook:test:minimal",
                                                                 "identifier: urn:isbn:978-3-16-148410-0"),
                      encoding="utf-8")
    loaded = load(project)
    html = render_book_html(loaded.publication, list(loaded.converted.values()))
    assert '<p class="identifier">ISBN\u00a0978-3-16-148410-0</p>' in html and "urn:isbn" not in html


def test_the_colophon_names_the_heading_face_too(project: Path):
    """A press that set its headings in a face of its own found only the body face in the colophon."""
    from chapbook.render import render_book_html

    config = project / "content" / "publication.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("typography:\n", "typography:\n  heading_font: "
                                                                 "DejaVu Sans\n"), encoding="utf-8")
    loaded = load(project)
    html = render_book_html(loaded.publication, list(loaded.converted.values()))
    colophon = re.search(r'<p class="colophon">(.*?)</p>', html, re.S).group(1)
    assert "Charis SIL" in colophon and "Headings in DejaVu Sans." in colophon
    plain = render_book_html(load(MINIMAL).publication, list(load(MINIMAL).converted.values()))
    assert "Headings in" not in plain


def test_an_editors_name_is_not_broken_between_its_words(project: Path):
    """"Edited by Anna Kowalska, Eleni / Papadaki": the EPUB's cover picture (its lines wrapped by
    chapbook) and the web edition's home page broke a person's name across lines."""
    from chapbook.documents import cover_layout

    config = project / "content" / "publication.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "editors: [Ada Editor, Ben Editor]", "editors: [Anna Kowalska, Eleni Papadaki, Jan van der Berg, "
        "Marie-Claire Dubois]"), encoding="utf-8")
    lines = [line["text"] for line in cover_layout(load(project).publication.config)["editor_lines"]]
    assert len(lines) > 1
    for name in ("Anna\u00a0Kowalska", "Eleni\u00a0Papadaki", "Marie-Claire\u00a0Dubois"):
        assert any(name in line for line in lines), (name, lines)
