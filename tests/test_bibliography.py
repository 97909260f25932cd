"""The bibliography: loading with diagnostics, labels, citations and Chicago entries."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from chapbook.bibliography import Bibliography, anchor, load_bibliography
from chapbook.diagnostics import Location, Report
from chapbook.model import Citation, CiteItem

FIXTURES = Path(__file__).parent / "fixtures" / "bib"


@pytest.fixture(scope="module")
def bib() -> Bibliography:
    report = Report()
    loaded = load_bibliography(FIXTURES / "refs.bib", report)
    assert report.diagnostics == []
    return loaded


def cite(*items: CiteItem, narrative: bool = False) -> Citation:
    return Citation(tuple(items), narrative, 0, 1, "")


def well_formed(fragment: str) -> None:
    ET.fromstring(f"<div>{fragment}</div>")  # raises on invalid XHTML


# -- loading ------------------------------------------------------------------------


def test_keys_and_locations(bib: Bibliography):
    assert "georgi2019" in bib.keys and len(bib.keys) == 13
    assert bib.location("andrijasevicwalters2010") == Location(FIXTURES / "refs.bib", 2)
    assert bib.location("georgi2019").line == 21


def test_missing_file_is_empty_without_error(tmp_path: Path):
    report = Report()
    empty = load_bibliography(tmp_path / "none.bib", report)
    assert empty.keys == set()
    assert report.diagnostics == []


def test_duplicate_key_is_an_error_with_line():
    report = Report()
    loaded = load_bibliography(FIXTURES / "duplicate.bib", report)
    assert [(d.location.line, d.severity) for d in report.diagnostics] == [(13, "error")]
    assert "duplicate bibliography key 'smith2019'" in report.diagnostics[0].message
    assert "line 1" in report.diagnostics[0].message
    assert loaded.keys == {"smith2019", "other2020"}
    assert loaded.title_text("smith2019") == "First"  # the first definition wins


def test_syntax_error_is_reported_not_raised():
    report = Report()
    loaded = load_bibliography(FIXTURES / "syntax.bib", report)
    assert len(report.errors) == 1
    error = report.errors[0]
    assert error.location == Location(FIXTURES / "syntax.bib", 14)  # where pybtex noticed it
    assert "syntax error" in error.message
    assert "in entry 'broken2020' from line 8" in error.message
    assert {"good2019", "after2021"} <= loaded.keys  # the rest still loads


# -- labels ---------------------------------------------------------------------------


def test_label_forms(bib: Bibliography):
    assert bib.label("georgi2019") == ("Georgi", "2019")
    assert bib.label("hellerpecoud2020") == ("Heller and Pécoud", "2020")
    assert bib.label("redpepper2008") == ("Smith et al.", "2008")  # 3 authors, year from date
    assert bib.label("irr2002") == ("Institute of Race Relations", "2002")
    assert bib.label("geigerpecoud2010") == ("Geiger and Pécoud", "2010")  # editors
    assert bib.label("iomsite") == ("About IOM", "n.d.")  # no author or editor: title


def test_missing_year_is_nd(bib: Bibliography):
    assert bib.label("noborder2002")[1] == "n.d."
    assert bib.year("noborder2002") == ""
    assert "n.d." in bib.entry_text("noborder2002")


def test_same_author_and_year_disambiguated_in_bibliography_order(bib: Bibliography):
    # ordered by title: "Governing…" (ashutosh2012b) before "Remote…" (ashutosh2012a)
    assert bib.label("ashutosh2012b") == ("Ashutosh", "2012a")
    assert bib.label("ashutosh2012a") == ("Ashutosh", "2012b")
    assert bib.entry_text("ashutosh2012b").startswith("Ashutosh, Ishan. 2012a. ")
    assert bib.entry_text("ashutosh2012a").startswith("Ashutosh, Ishan. 2012b. ")


def test_sort_keys_accent_and_case_insensitive(bib: Bibliography):
    order = bib.sort_keys(bib.keys)
    assert order.index("andrijasevicwalters2010") < order.index("ashutosh2012b")
    assert order.index("ashutosh2012b") < order.index("ashutosh2012a")
    assert order.index("bartels2018") < order.index("bartels2021")
    assert order.index("iomsite") < order.index("irr2002")  # "About IOM" sorts under A
    assert order.index("irr2002") < order.index("noborder2002")  # "noborder" lower case


def test_anchor_is_a_valid_xml_id():
    assert anchor("georgi2019") == "ref-georgi2019"
    made = anchor("a:b/c d")
    assert made.startswith("ref-") and all(c.isalnum() or c in "._-" for c in made)
    assert anchor("a:b") != anchor("a/b")


# -- citations ------------------------------------------------------------------------


def test_parenthetical_with_prefix_locator_and_multiple(bib: Bibliography):
    c = cite(CiteItem("georgi2019", prefix="see", locator="45"), CiteItem("bartels2018"))
    assert bib.cite_text(c) == "(see Georgi 2019, 45; Bartels 2018)"
    html = bib.cite_html(c)
    assert html == ('(see <a class="cite" href="#ref-georgi2019">Georgi 2019</a>, 45; '
                    '<a class="cite" href="#ref-bartels2018">Bartels 2018</a>)')
    well_formed(html)


def test_page_locator_drops_p(bib: Bibliography):
    assert bib.cite_text(cite(CiteItem("georgi2019", locator="p. 12"))) == "(Georgi 2019, 12)"
    assert bib.cite_text(cite(CiteItem("georgi2019", locator="pp. 3--4"))) == "(Georgi 2019, 3–4)"


def test_narrative(bib: Bibliography):
    assert bib.cite_text(cite(CiteItem("georgi2019"), narrative=True)) == "Georgi (2019)"
    c = cite(CiteItem("georgi2019", locator="45"), narrative=True)
    assert bib.cite_text(c) == "Georgi (2019, 45)"
    assert bib.cite_html(c) == '<a class="cite" href="#ref-georgi2019">Georgi (2019, 45)</a>'


def test_suppress_author(bib: Bibliography):
    c = cite(CiteItem("georgi2019", suppress_author=True))
    assert bib.cite_text(c) == "(2019)"
    assert bib.cite_html(c) == '(<a class="cite" href="#ref-georgi2019">2019</a>)'


def test_same_author_items_merged(bib: Bibliography):
    c = cite(CiteItem("bartels2018"), CiteItem("bartels2021"))
    assert bib.cite_text(c) == "(Bartels 2018, 2021)"
    c = cite(CiteItem("bartels2018", locator="4"), CiteItem("bartels2021"))
    assert bib.cite_text(c) == "(Bartels 2018, 4; 2021)"


def test_unknown_key_renders_missing_marker(bib: Bibliography):
    c = cite(CiteItem("nosuch<key>"), CiteItem("georgi2019"))
    html = bib.cite_html(c)
    assert html.startswith('(<span class="cite-missing">?nosuch&lt;key&gt;</span>; ')
    well_formed(html)
    assert bib.cite_text(cite(CiteItem("nope"), narrative=True)) == "?nope"


def test_html_in_prefix_is_escaped(bib: Bibliography):
    html = bib.cite_html(cite(CiteItem("georgi2019", prefix="<b>see</b> & cf.")))
    assert "&lt;b&gt;see&lt;/b&gt; &amp; cf." in html
    well_formed(html)


# -- entries --------------------------------------------------------------------------


def test_article_entry_html(bib: Bibliography):
    assert bib.entry_html("andrijasevicwalters2010") == (
        "Andrijasevic, Rutvica, and William Walters. 2010. “The International Organization for "
        "Migration and the international government of borders.” <i>Environment and Planning D: "
        "Society and Space</i> 28 (6): 977–99. "
        '<a href="https://doi.org/10.1068/d1509">https://doi.org/10.1068/d1509</a>.')


def test_book_with_accents_and_title_case_kept(bib: Bibliography):
    assert bib.entry_text("hellerpecoud2020") == (
        "Heller, Charles, and Antoine Pécoud. 2020. Counting migrants' deaths at the border: "
        "From civil society to IOM. Cham: Palgrave Macmillan.")
    assert "<i>Counting migrants' deaths" in bib.entry_html("hellerpecoud2020")


def test_incollection_with_editors_and_pages(bib: Bibliography):
    assert bib.entry_html("georgi2019") == (
        "Georgi, Fabian. 2019. “The role of the IOM in the European border regime.” In <i>The IOM "
        "and the Global Compact</i>, edited by Martin Geiger, Antoine Pécoud, and Stefan Müller, "
        "145–60. London: Routledge.")


def test_corporate_author_url_escaped_and_accessed(bib: Bibliography):
    html = bib.entry_html("irr2002")
    assert html.startswith("Institute of Race Relations. 2002. <i>The IOM and the culture of ")
    assert "Relations, Institute" not in html
    assert "Accessed 3 May 2024." in html
    url = "https://irr.org.uk/article/the-iom-and-the-culture-of-expulsion/?a=1&amp;b=2"
    assert f'<a href="{url}">{url}</a>.' in html
    well_formed(html)


def test_editors_in_author_position(bib: Bibliography):
    assert bib.entry_text("geigerpecoud2010").startswith(
        "Geiger, Martin, and Antoine Pécoud, eds. 2010. The Politics of International")


def test_thesis_and_umlaut_in_school(bib: Bibliography):
    assert bib.entry_text("bartels2021") == (
        "Bartels, Inken. 2021. “Reconfiguring the IOM.” PhD diss., Universität Osnabrück.")


def test_title_ending_in_question_mark_gets_no_period(bib: Bibliography):
    assert "“Migration managers?” <i>Red Pepper</i>, 11 December 2008." in \
        bib.entry_html("redpepper2008")


def test_type_fallbacks(bib: Bibliography):
    assert bib.entry_text("odd2015") == "Odd, Olga. 2015. An odd thing."  # unknown type → misc
    assert bib.entry_text("iomsite") == (
        "“About IOM.” n.d. International Organization for Migration. https://www.iom.int/about-iom.")
    assert bib.entry_text("ashutosh2012a").endswith("“Remote control.” Conference paper.")


def test_every_entry_is_well_formed_xhtml_without_entities(bib: Bibliography):
    for key in bib.keys:
        html = bib.entry_html(key)
        well_formed(html)
        assert "&nbsp;" not in html and "&ndash;" not in html and "bibtex-protected" not in html


def test_source_line(bib: Bibliography):
    assert bib.source_line_html("redpepper2008") == "<i>Red Pepper</i>, 11 December 2008"
    assert bib.source_line_html("noborder2002") == (
        '<a href="http://www.noborder.org/iom/index.php">noborder.org</a>')
    assert bib.source_line_html("bartels2018") == "<i>Migration and Society</i>, 2018"


def test_accessors(bib: Bibliography):
    assert bib.year("georgi2019") == "2019"
    assert bib.title_text("hellerpecoud2020").startswith("Counting migrants' deaths")


def test_string_sources(tmp_path: Path):
    path = tmp_path / "b.bib"
    path.write_text("@misc{x, author = {M{\\\"u}ller, J{\\\"o}rg}, title = {{\\\"U}ber}, "
                    "year = {1999}, pages = {5--9}}\n", encoding="utf-8")
    loaded = load_bibliography(path, Report())
    assert loaded.label("x") == ("Müller", "1999")
    assert loaded.entry_text("x").startswith("Müller, Jörg. 1999. Über.")


def load_text(tmp_path: Path, bibtex: str) -> Bibliography:
    path = tmp_path / "b.bib"
    path.write_text(bibtex, encoding="utf-8")
    report = Report()
    loaded = load_bibliography(path, report)
    assert report.diagnostics == []
    return loaded


def test_latex_italics_and_others(tmp_path: Path):
    loaded = load_text(tmp_path, r"""
@article{a, author = {Ali, Amal and others}, title = {Reading \emph{The Guardian} on {IOM}},
  journal = {J}, year = {2001}, volume = {3}, pages = {101--108}}
""")
    assert loaded.label("a") == ("Ali et al.", "2001")
    assert loaded.entry_html("a") == (
        "Ali, Amal, et al. 2001. “Reading <i>The Guardian</i> on IOM.” <i>J</i> 3: 101–8.")


def test_et_al_after_two_names_takes_no_and(tmp_path: Path):
    """Chicago: "Andrijasevic, Rutvica, William Walters, et al.", not "…, and William Walters, et al."."""
    loaded = load_text(tmp_path, r"""
@article{a, author = {Andrijasevic, Rutvica and Walters, William and others}, title = {T}, journal = {J},
  year = {2010}}
@incollection{b, author = {Roe, Ann}, title = {C}, booktitle = {B}, editor = {Geiger, Martin and
  P{\'e}coud, Antoine and others}, publisher = {P}, year = {2010}}
""")
    assert loaded.entry_text("a") == "Andrijasevic, Rutvica, William Walters, et al. 2010. “T.” J."
    assert "edited by Martin Geiger, Antoine Pécoud, et al." in loaded.entry_text("b")
    assert loaded.label("a") == ("Andrijasevic et al.", "2010")


@pytest.mark.parametrize(("pages", "shown"), [
    ("3--10", "3–10"), ("96--117", "96–117"), ("100--104", "100–104"), ("321--328", "321–28"),
    ("498--532", "498–532"), ("1103--1104", "1103–4"), ("1496--1504", "1496–504"),
    ("xii--xv", "xii–xv"), ("45", "45"),
])
def test_chicago_page_ranges(tmp_path: Path, pages: str, shown: str):
    loaded = load_text(tmp_path, f"@article{{a, author={{A, B}}, title={{T}}, journal={{J}}, "
                                 f"volume={{1}}, year={{2000}}, pages={{{pages}}}}}")
    assert loaded.entry_text("a") == f"A, B. 2000. “T.” J 1: {shown}."


def test_sparse_entries_do_not_fail(tmp_path: Path):
    loaded = load_text(tmp_path, "@article{a, year={2000}}\n@book{b, author={B, C}}\n"
                                 "@incollection{c, title={Only title}}\n")
    assert loaded.entry_text("a") == "2000."
    for key in ("a", "b", "c"):
        well_formed(loaded.entry_html(key))
    assert loaded.entry_text("b") == "B, C. n.d."
    assert loaded.entry_text("c") == "“Only title.” n.d."
    assert loaded.label("c") == ("Only title", "n.d.")


def test_title_in_author_position_short_form(tmp_path: Path):
    loaded = load_text(tmp_path, r"""
@misc{a, title = {[{The} {IOM} and the noborder action days of {October} 2002]}, year = {2002}}
@misc{b, title = {Migration: a short history}, year = {2003}}
@misc{c, author = {Zed, Z}, title = {Z}, year = {2003}}
""")
    assert loaded.label("a") == ("[The IOM and the noborder]", "2002")
    assert loaded.label("b") == ("Migration", "2003")
    assert loaded.sort_keys(["c", "b", "a"]) == ["a", "b", "c"]  # "[The IOM…" files under I


def test_an_entrys_own_short_title_stands_in_for_the_author(tmp_path: Path):
    """biblatex's ``shorttitle``: the editor's choice, not a title cut mid-phrase."""
    loaded = load_text(tmp_path, r"""
@misc{a, title = {[{The} {IOM} and the noborder action days of {October} 2002]},
         shorttitle = {[{The} noborder action days]}, year = {2002}}
""")
    assert loaded.label("a") == ("[The noborder action days]", "2002")
    assert "[The IOM and the noborder action days of October 2002]" in loaded.entry_text("a")


def test_first_published_leads_in_a_periodical_or_site_and_by_a_publisher(tmp_path: Path):
    """Issue 13: "First published in Institute of Race Relations" — the entry says which preposition."""
    path = tmp_path / "where.bib"
    path.write_text("""
@article{a, author = {Roe, Ann}, title = {T}, journaltitle = {Red Pepper}, year = {2008}}
@misc{b, title = {T}, howpublished = {noborder.org}, year = {2002}}
@misc{c, title = {T}, howpublished = {Institute of Race Relations}, year = {2002}}
@book{d, author = {Roe, Ann}, title = {T}, publisher = {George Newnes}, year = {1892}}
@online{e, title = {T}, url = {https://example.org/x}, year = {2019}}
@report{f, title = {T}, institution = {{Centre for Migration Studies}}, year = {2010}}
@incollection{g, author = {Roe, Ann}, title = {T}, booktitle = {A Book}, publisher = {Verso}, year = {2001}}
@misc{h, title = {T}, howpublished = {{}}, publisher = {{}}, url = {https://example.org/y}, year = {2019}}
@misc{i, title = {T}, howpublished = {Pamphlet}, year = {2025}}
@misc{j, title = {T}, howpublished = {leaflet handed out in Strasbourg}, year = {2002}}
""", encoding="utf-8")
    report = Report()
    bib = load_bibliography(path, report)
    assert report.diagnostics == []
    said = {key: f"First published {bib.source_preposition(key)} {bib.source_line_html(key)}"
            for key in "abcdefghij"}
    assert said["a"].startswith("First published in <i>Red Pepper</i>")
    assert said["b"].startswith("First published in noborder.org")
    assert said["c"].startswith("First published by the Institute of Race Relations")
    assert said["d"].startswith("First published by George Newnes")
    assert said["e"].startswith('First published in <a href="https://example.org/x">example.org</a>')
    assert said["f"].startswith("First published by the Centre for Migration Studies")
    assert said["g"].startswith("First published in <i>A Book</i>")
    # empty fields name nothing: the site's host name is shown, and led in by "in" (one choice for both)
    assert said["h"].startswith('First published in <a href="https://example.org/y">example.org</a>')
    # a form, not a publisher: "First published by Pamphlet" was the sample of build.py new
    assert said["i"] == "First published form Pamphlet, 2025" and said["j"].startswith("First published form leaflet")


def test_reference_manager_bookkeeping_is_no_field_left_out(tmp_path: Path):
    """Zotero, Mendeley and JabRef export fields for their own use: an unedited export must pass
    ``check --strict``, so they are not reported as left out (and never printed)."""
    loaded = load_text(tmp_path, r"""
@article{export, author = {Frelick, Bill}, title = {Externalising Asylum}, journaltitle = {J}, date = {2016},
  volume = {4}, abstract = {...}, keywords = {asylum}, copyright = {CC BY 4.0}, extra = {PMID: 12345},
  file = {Full Text PDF:/home/u/Zotero/storage/X/F.pdf:application/pdf}, mendeley-groups = {Reader},
  mendeley-tags = {asylum}, ranking = {rank3}, readstatus = {read}, priority = {prio1},
  qualityassured = {qualityAssured}, printed = {printed}, relevance = {relevant}, comment-jabref = {a comment},
  comment-ann = {hers}, citeulike-article-id = {1}, citeulike-linkout-0 = {https://x.org}, owner = {ann},
  timestamp = {2020-01-01}, creationdate = {2020-01-01T10:00:00}, modificationdate = {2020-01-02T10:00:00},
  groups = {g}, annotation = {n}, nameaddon = {shown nowhere}}
""")
    report = Report()
    loaded.use(["export"], report)
    assert [d.message for d in report.diagnostics] == [
        "bibliography entry 'export': field 'nameaddon' not shown in the reference list (the author–date style "
        "has no place for it in this entry)"]
    assert loaded.entry_text("export") == "Frelick, Bill. 2016. “Externalising Asylum.” J 4."


def test_small_capitals_are_set_as_small_caps(tmp_path: Path):
    """``\\textsc{frontex}`` was printed as a plain lowercase "frontex": it is a span the print and
    EPUB stylesheets set in the font's small capitals (text keeps the letters as written)."""
    loaded = load_text(tmp_path, r"""
@report{f, author = {\textsc{frontex}}, title = {Risk Analysis for {\scshape Frontex} 2019}, institution = {EU},
  year = {2019}}
""")
    html = loaded.entry_html("f")
    well_formed(html)
    assert html.startswith('<span class="smallcaps">frontex</span>. 2019.')
    assert 'Risk Analysis for <span class="smallcaps">Frontex</span> 2019' in html
    assert loaded.entry_text("f").startswith("frontex. 2019. Risk Analysis for Frontex 2019.")
    styles = Path(__file__).parent.parent / "styles"
    for sheet in ("print.css", "epub.css"):
        rule = next(line for line in (styles / sheet).read_text(encoding="utf-8").splitlines()
                    if line.startswith(".smallcaps "))
        assert "font-variant: small-caps" in rule, sheet


def test_a_name_with_nothing_to_print_is_no_name(tmp_path: Path):
    """``author = {{}}`` and ``author = { and }`` (a reference manager's empty creators) gave the citations
    "( 2022)" and "(and 2021)", with no warning; such an author is missing, and the title stands in."""
    path = tmp_path / "empty.bib"
    path.write_text("@article{e2, author = { and }, title = {Blank Pair}, journal = {J}, year = {2021}}\n"
                    "@article{e3, author = {{}}, editor = {Roe, Ann and {}}, title = {Braced Nothing}, journal = {J},"
                    " year = {2022}}\n", encoding="utf-8")
    report = Report()
    bib = load_bibliography(path, report)
    bib.use(["e2", "e3"])
    assert bib.label("e2") == ("Blank Pair", "2021") and bib.label("e3") == ("Roe", "2022")
    assert bib.entry_text("e2").startswith("“Blank Pair.” 2021.")
    assert bib.entry_text("e3").startswith("Roe, Ann, ed. 2022. “Braced Nothing.”")
