"""The tagged PDF without a /Span per line, and one link annotation per linked area (chapbook.pdftags)."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from conftest import MINIMAL

from chapbook import pdftags
from chapbook.diagnostics import Report
from chapbook.pipeline import Build, Progress, prepare
from chapbook.writers.pdf import layout

HEAD = ('<html lang="en"><head><style>@page { size: 120mm 90mm; margin: 10mm } body { font: 11pt serif }'
        '</style></head><body>')


@pytest.fixture(scope="module")
def build(tmp_path_factory) -> Build:
    root = MINIMAL
    report = Report()
    publication, converted = prepare(root, report, Progress(io.StringIO(), quiet=True), targets=["pdf"])
    return Build(publication, converted, tmp_path_factory.mktemp("out"), report)


def _elements(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    found, stack = [], [pdf.Root.StructTreeRoot.K[0]]
    while stack:
        element = stack.pop()
        found.append(element)
        kids = element.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
        stack.extend(k for k in kids if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/StructElem")
    return found


def _marked_ids(page: pikepdf.Page) -> set[int]:
    """The MCIDs of the page's content stream."""
    found = set()
    for operands, operator in pikepdf.parse_content_stream(page):
        if (str(operator) == "BDC" and len(operands) > 1 and isinstance(operands[1], pikepdf.Dictionary)
                and "/MCID" in operands[1]):
            found.add(int(operands[1].MCID))
    return found


def check_tree(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every marked-content id of every page is in exactly one element, on that page, and the
    parent tree points to that element; returns the elements."""
    elements = _elements(pdf)
    holder: dict[tuple, pikepdf.Dictionary] = {}
    for element in elements:
        kids = element.get("/K")
        for kid in (list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
            if isinstance(kid, int):
                key = (element.Pg.objgen, int(kid))
                assert key not in holder, "an MCID in two elements"
                holder[key] = element
    parents = pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree)
    for page in pdf.pages:
        if "/StructParents" not in page.obj:
            continue
        row = parents[int(page.obj.StructParents)]
        for mcid in _marked_ids(page):
            if (page.obj.objgen, mcid) in holder:  # the running heads' content is outside the tree
                assert row[mcid].objgen == holder[(page.obj.objgen, mcid)].objgen
    return elements


def test_a_lines_text_is_in_its_element_not_in_a_span_of_its_own(build: Build) -> None:
    html = HEAD + ("<p>Plain words, <em>stressed words</em>, a <span class='name'>Name</span> and more plain "
                   "words that run on over several lines of this narrow page, so that there are many line "
                   "boxes, each with its own text.</p><h2>A heading</h2></body></html>")
    pdf = pikepdf.open(io.BytesIO(layout(build, html).write_pdf(pdf_tags=True)))
    elements = check_tree(pdf)
    roles = [str(e.S) for e in elements]
    # neither a /Span per line nor elements for the <span> and <em>, which mean nothing in PDF 1.7
    assert sorted(roles) == ["/Document", "/H2", "/P"]
    paragraph = next(e for e in elements if str(e.S) == "/P")
    assert sum(isinstance(k, int) for k in paragraph.K) >= 6  # its lines' text, directly


def test_the_patch_is_what_removes_the_spans(build: Build, monkeypatch) -> None:
    """Without the patch, WeasyPrint 70 writes a /Span per line (the test above would fail)."""
    from weasyprint.pdf import tags

    patched = tags._build_box_tree
    if not getattr(patched, "chapbook", False):
        pytest.skip("another WeasyPrint version: the patch is not made")
    html = HEAD + "<p>Two words.</p></body></html>"
    document = layout(build, html)

    def roles() -> list[str]:
        pdf = pikepdf.open(io.BytesIO(document.write_pdf(pdf_tags=True)))
        return [str(e.S) for e in _elements(pdf)]

    monkeypatch.setattr(tags, "_build_box_tree", patched.original)
    before = roles()
    monkeypatch.setattr(tags, "_build_box_tree", patched)
    after = roles()
    assert "/Span" in before and "/Span" not in after


def _annotations(data: bytes) -> list[tuple[int, str, list[float]]]:
    pdf = pikepdf.open(io.BytesIO(data))
    return [(number, str(a.get("/Dest") or a.A.URI), [float(x) for x in a.Rect])
            for number, page in enumerate(pdf.pages) for a in page.obj.get("/Annots", ())]


def test_a_link_keeps_its_element_and_annotation(build: Build) -> None:
    html = HEAD + ('<p id="top">Words and <a href="#top">a link with <em>stress</em> in it</a>; '
                   '<a id="anchor">an anchor, no link</a>.</p></body></html>')
    pdf = pikepdf.open(io.BytesIO(layout(build, html).write_pdf(pdf_tags=True)))
    elements = check_tree(pdf)
    links = [e for e in elements if str(e.S) == "/Link"]
    assert len(links) == 1  # the <a href>, not the <a id> (no link) nor the <em> inside the link
    kids = list(links[0].K)
    assert any(isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR" for k in kids)
    assert sum(isinstance(k, int) for k in kids) >= 2  # "a link with", "stress", "in it"


def test_a_block_link_is_one_link_element(build: Build) -> None:
    """A ``display: block`` link's text sits in an anonymous block WeasyPrint tags /Link too: its
    annotation inside the link's is dropped, and so is its element (no link inside the link)."""
    html = HEAD + ('<p id="t">x</p><a href="#t" style="display: block"><span style="display: block">Title'
                   '</span><span>Author</span></a></body></html>')
    pdf = pikepdf.open(io.BytesIO(layout(build, html).write_pdf(pdf_tags=True)))
    elements = check_tree(pdf)
    links = [e for e in elements if str(e.S) == "/Link"]
    assert len(links) == 1 and len(pdf.pages[0].obj.Annots) == 1
    assert any(isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR" for k in links[0].K)


def test_one_annotation_per_linked_area(build: Build) -> None:
    html = HEAD + ('<p id="top">A link to <a href="#top">the <abbr>IOM</abbr> and <em>its</em> words</a>, and '
                   'one that runs over a line end: <a href="https://example.org/">a long link whose words '
                   'do not fit on the line</a>.</p></body></html>')
    document = layout(build, html)
    links = [(kind, target) for page in document.pages for kind, target, _, _ in page.links]
    assert links.count(("internal", "top")) == 1  # the <a>, not its <abbr> and <em> too
    assert links.count(("external", "https://example.org/")) == 2  # one per line of the link
    found = _annotations(document.write_pdf(pdf_tags=True))
    assert len(found) == 3


def test_nested_links_were_duplicated_by_weasyprint(build: Build, monkeypatch) -> None:
    """What one_link_per_area mends: with it switched off, the abbr and em get annotations of their own."""
    monkeypatch.setattr(pdftags, "one_link_per_area", lambda document: None)
    html = HEAD + '<p id="top">A link to <a href="#top">the <abbr>IOM</abbr> and <em>its</em> words</a>.</p>'
    document = layout(build, html + "</body></html>")
    assert [target for page in document.pages for _, target, _, _ in page.links].count("top") == 3


def test_the_book_has_no_link_inside_another_to_the_same_place(minimal_pdf: Path) -> None:
    pdf = pikepdf.open(minimal_pdf)
    check_tree(pdf)
    found = _annotations(minimal_pdf.read_bytes())
    assert len(found) > 5
    for i, (page, target, rect) in enumerate(found):
        for j, (page2, target2, rect2) in enumerate(found):
            if i != j and page == page2 and target == target2:
                inside = all(rect2[k] - 0.5 <= rect[k] for k in (0, 1)) and all(rect[k] <= rect2[k] + 0.5
                                                                              for k in (2, 3))
                assert not inside, (page, target, rect, rect2)


def test_a_page_of_links_to_one_place_is_checked_in_one_walk(build: Build, monkeypatch) -> None:
    """Content decides how many links a page holds: a box is compared only with its ancestors' links to
    the same place, never with every other link (600 links once took 360,000 comparisons a page)."""
    calls = []
    covers = pdftags._covers
    monkeypatch.setattr(pdftags, "_covers", lambda outer, inner: (calls.append(1), covers(outer, inner))[1])
    html = HEAD + '<p id="x">' + " ".join('<a href="#x">a</a>' for _ in range(600)) + "</p></body></html>"
    document = layout(build, html)
    links = [link for page in document.pages for link in page.links]
    assert len(links) == 600  # none inside another
    assert calls == []  # no link has an ancestor linking to the same place
    nested = HEAD + '<p id="x">' + " ".join('<a href="#x">a <em>b</em></a>' for _ in range(300)) + "</p></body></html>"
    calls.clear()
    document = layout(build, nested)
    assert sum(len(page.links) for page in document.pages) == 300  # the <em>s' links dropped
    assert len(calls) == 300  # each <em> compared with its own <a> only
