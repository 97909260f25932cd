"""The book PDF for screen readers and archives: tags, page labels, PDF/A, reproducibility.

Read back with pypdf (no pikepdf, no veraPDF: the structure is checked, not certified).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import MINIMAL, MINIMAL_PDF_NAME, run_build
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from chapbook.config import build_config
from chapbook.diagnostics import Report
from chapbook.writers.pdf import label_ranges, parse_folio

BOTTOM_MARGIN = 19 * 72 / 25.4  # print.css: folios sit in the 19 mm bottom margin


def mcid_texts(reader: PdfReader) -> dict[tuple[int, int], str]:
    """The text of each marked-content sequence, by (page index, MCID)."""
    out: dict[tuple[int, int], str] = {}
    for number, page in enumerate(reader.pages):
        stack: list[int | None] = []
        texts: dict[int, str] = defaultdict(str)

        def before(op, args, cm, tm, stack=stack):
            if op == b"BDC":
                props = args[1] if len(args) > 1 else None
                stack.append(props.get("/MCID") if isinstance(props, DictionaryObject) else None)
            elif op == b"BMC":
                stack.append(None)
            elif op == b"EMC" and stack:
                stack.pop()

        def visit(text, cm, tm, font, size, stack=stack, texts=texts):
            mcid = next((m for m in reversed(stack) if m is not None), None)
            if mcid is not None:
                texts[mcid] += text

        page.extract_text(visitor_operand_before=before, visitor_text=visit)
        out.update({(number, mcid): text for mcid, text in texts.items()})
    return out


def structure(reader: PdfReader, reached: set | None = None) -> list[tuple[str, list[str], dict]]:
    """Every structure element under the document, in reading order: (role, its texts, the element).

    ``reached`` collects the (page index, MCID) of the content the tree reads.
    """
    reached = set() if reached is None else reached
    pages = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}
    texts = mcid_texts(reader)
    elements: list[tuple[str, list[str], dict]] = []

    def walk(element, page=None) -> list[str]:
        element = element.get_object()
        page = element.get("/Pg", page)
        kids = element.get("/K", [])
        own: list[str] = []
        entry = (str(element.get("/S")), own, element)
        elements.append(entry)
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object()
            if isinstance(kid, int):
                reached.add((pages[page.idnum], kid))
                own.append(texts.get((pages[page.idnum], kid), ""))
            elif isinstance(kid, dict) and kid.get("/Type") == "/StructElem":
                own.extend(walk(kid, page))
        return own

    walk(reader.trailer["/Root"]["/StructTreeRoot"]["/K"][0])
    return elements


def text(parts: list[str]) -> str:
    return " ".join("".join(parts).split())


def bottom_folio(page) -> str:
    """The text printed in the page's bottom margin (the folio), or ''."""
    found: list[str] = []

    def visit(text, cm, tm, font, size):
        if text.strip() and tm[4] * cm[1] + tm[5] * cm[3] + cm[5] < BOTTOM_MARGIN:
            found.append(text.strip())

    page.extract_text(visitor_text=visit)
    return " ".join(found)


# ---- The default book: tagged, with page labels ---------------------------------------------------


def test_book_is_tagged_for_screen_readers(minimal_pdf):
    reader = PdfReader(minimal_pdf)
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"].value is True
    assert root["/Lang"] == "en"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert all(page["/Tabs"] == "/S" for page in reader.pages)
    reached: set[tuple[int, int]] = set()
    elements = structure(reader, reached)
    roles = defaultdict(list)
    for role, parts, _ in elements:
        roles[role].append(text(parts))
    assert elements[0][0] == "/Document"
    assert {"/H1", "/H2", "/P", "/L", "/LI", "/Link", "/Sect"} <= roles.keys()
    assert "The First Text" in roles["/H1"] and "A Second Text" in roles["/H1"]
    assert "A section about borders" in roles["/H2"]
    assert any("International Organization for Migration" in link for link in roles["/Link"])
    # the footnote is read (after the text of its page), the folios are not (they stay outside the tree)
    document = text(elements[0][1])
    assert "An author’s footnote with a citation" in document
    assert document.index("was founded long ago") < document.index("An author’s footnote")
    unread = {}  # content outside the tree, by page: running heads and folios
    for (page, _), content in mcid_texts(reader).items():
        if (page, _) not in reached:
            unread.setdefault(page, []).append(content.strip())
    folios = {i: bottom_folio(page) for i, page in enumerate(reader.pages) if bottom_folio(page)}
    # the folios are stamped on the pages as pagination artifacts (chapbook.folios), not marked content
    assert folios and not any(folio in unread.get(i, []) for i, folio in folios.items())
    for i in folios:
        contents = reader.pages[i]["/Contents"]
        streams = [c.get_object() for c in contents] if isinstance(contents, list) else [contents.get_object()]
        assert b"/Artifact <</Type /Pagination>> BDC" in b"".join(s.get_data() for s in streams)
    assert all(t.isdigit() or t in ("A Minimal Reader", "Introduction") for ts in unread.values() for t in ts)


def test_qpdf_finds_no_errors(minimal_pdf):
    if not shutil.which("qpdf"):
        pytest.skip("qpdf is not installed")
    result = subprocess.run(["qpdf", "--check", str(minimal_pdf)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_page_labels_are_the_printed_folios(minimal_pdf):
    reader = PdfReader(minimal_pdf)
    labels = reader.page_labels
    assert labels == [str(n) for n in range(1, len(reader.pages) + 1)]  # arabic, counted from the cover
    assert reader.trailer["/Root"]["/PageLabels"]["/Nums"] == [0, {"/S": "/D", "/St": 1}]
    printed = [(label, bottom_folio(page)) for label, page in zip(labels, reader.pages, strict=True)]
    assert sum(1 for _, folio in printed if folio) >= 5
    for label, folio in printed:
        assert folio in ("", label), (label, folio)  # quiet pages print none


@pytest.mark.parametrize(("folios", "ranges"), [
    ([], []),
    ([None, None], [(0, "D", 1)]),
    ([None, None, "3", None, "5"], [(0, "D", 1)]),
    ([None, "4", "5"], [(0, "D", 3)]),  # the counter starts before the cover
    ([None, "i", "ii", None, "1", "2"], [(0, "D", 1), (1, "r", 1), (4, "D", 1)]),  # roman front matter
    ([None, None, "iii", "iv", "5"], [(0, "r", 1), (4, "D", 5)]),
    (["1", None, "1"], [(0, "D", 1), (2, "D", 1)]),  # a counter reset
    ([None, "Chapter", "3"], [(0, "D", 1)]),  # not a number: as if none
])
def test_label_ranges(folios, ranges):
    assert label_ranges(folios) == ranges


def test_parse_folio():
    assert parse_folio("12") == ("D", 12)
    assert parse_folio("xiv") == ("r", 14) and parse_folio("XIV") == ("R", 14) and parse_folio("mcmxc") == ("r", 1990)
    assert parse_folio("Mix") is None and parse_folio("0") is None and parse_folio("") is None


# ---- PDF/A (and the figure's alt text) ------------------------------------------------------------


@pytest.fixture(scope="module")
def pdfa_builds(tmp_path_factory):
    """A copy of the minimal project with an image and ``pdf.variant: pdf/a-3a``, built twice."""
    base = tmp_path_factory.mktemp("pdfa")
    root = base / "project"
    shutil.copytree(MINIMAL, root)
    Image.new("RGB", (40, 30), (200, 30, 30)).save(root / "content" / "texts" / "square.png")
    first = root / "content" / "texts" / "01-first-text.md"
    first.write_text(first.read_text(encoding="utf-8") + "\n![A red square](square.png)\n", encoding="utf-8")
    pub = root / "content" / "publication.yml"
    pub.write_text(pub.read_text(encoding="utf-8") + "pdf:\n  variant: pdf/a-3a\n", encoding="utf-8")
    outs = []
    for name in ("one", "two"):
        result = run_build("pdf", "--project", root, "--output", base / name)
        assert result.returncode == 0, result.stderr
        outs.append((result, base / name / MINIMAL_PDF_NAME))
    return outs


def test_pdfa_metadata_intent_fonts_and_alt_text(pdfa_builds):
    result, pdf = pdfa_builds[0]
    assert "PDF/A-3A, tagged for screen readers" in result.stderr
    reader = PdfReader(pdf)
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_data().decode("utf-8")
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="A"' in xmp
    assert "<xmp:CreateDate>2023-11-14T22:13:20Z</xmp:CreateDate>" in xmp  # SOURCE_DATE_EPOCH
    intent = root["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFA1" and "/DestOutputProfile" in intent
    assert reader.pdf_header == "%PDF-1.7"
    assert root["/MarkInfo"]["/Marked"].value is True and root["/PageLabels"]
    figures = [element for role, _, element in structure(reader) if role == "/Figure"]
    assert [f["/Alt"] for f in figures] == ["A red square"]
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), fonts  # every font embedded


def test_pdfa_rebuild_is_byte_identical_with_the_fixed_id(pdfa_builds):
    (_, one), (_, two) = pdfa_builds
    assert one.read_bytes() == two.read_bytes()
    ident = PdfReader(one).trailer["/ID"][0]  # the fixed pdf_identifier, from the publication's identifier
    assert ident == hashlib.md5(b"urn:chapbook:test:minimal", usedforsecurity=False).hexdigest()


# ---- Settings -------------------------------------------------------------------------------------


def settings(pdf: object) -> tuple[dict, list[str]]:
    report = Report()
    config = build_config({"title": "T", "pdf": pdf}, Path("content/publication.yml"), {}, report)
    return config.pdf, [d.message for d in report.diagnostics]


def test_pdf_settings_are_validated():
    assert settings({}) == ({"tagged": True, "variant": ""}, [])
    assert settings({"variant": "PDF/A-2b", "tagged": False}) == ({"tagged": False, "variant": "pdf/a-2b"}, [])
    _, problems = settings({"variant": "pdf/a-9", "taged": True})
    assert any("'pdf.variant' must be empty or one of" in p for p in problems)
    assert any("unknown setting 'pdf.taged' (did you mean 'tagged'?)" in p for p in problems)
    values, problems = settings({"variant": "pdf/a-3a", "tagged": False})
    assert values["tagged"] is True and any("needs a tagged PDF" in p for p in problems)
