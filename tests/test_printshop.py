"""The print-shop PDF of the minimal project: bleed, boxes, crop marks, fonts, pure black, PDF/X."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from conftest import MINIMAL, MINIMAL_PDF_NAME, REPO, run_build
from pypdf import PdfReader

from chapbook.writers.printshop import MARK_LENGTH, MARK_MARGIN, MARK_OFFSET, k_only, print_css, rewrite_page

MM = 72 / 25.4
PRINT_NAME = MINIMAL_PDF_NAME.replace(".pdf", "-print.pdf")


@pytest.fixture(scope="module")
def print_out(tmp_path_factory):
    """The minimal project's book and print PDFs, built once (test_booklet checks two builds' bytes)."""
    out = tmp_path_factory.mktemp("printshop")
    result = run_build("pdf", "print", "--project", MINIMAL.relative_to(REPO), "--output", out)
    assert result.returncode == 0, result.stderr
    return out


def box_mm(box) -> list[float]:
    return [round(float(v) / MM, 2) for v in box]


def test_boxes_bleed_and_trim(print_out):
    out = print_out
    reader = PdfReader(out / PRINT_NAME)
    assert len(reader.pages) == len(PdfReader(out / MINIMAL_PDF_NAME).pages)
    for page in reader.pages:
        trim, bleed, media = box_mm(page.trimbox), box_mm(page.bleedbox), box_mm(page.mediabox)
        assert trim[2] - trim[0] == pytest.approx(148, abs=0.05) and trim[3] - trim[1] == pytest.approx(210, abs=0.05)
        assert [b - t for b, t in zip(bleed, trim, strict=True)] == pytest.approx([-3, -3, 3, 3], abs=0.05)
        # the crop marks sit outside the bleed: the sheet is larger than the bleed box by their room
        room = (MARK_OFFSET + MARK_LENGTH + MARK_MARGIN) / MM
        assert [m - b for m, b in zip(media, bleed, strict=True)] == pytest.approx([-room, -room, room, room],
                                                                                abs=0.05)


def test_fonts_embedded_and_black_is_k_only(print_out):
    out = print_out
    fonts = subprocess.run(["pdffonts", str(out / PRINT_NAME)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), fonts  # the 'emb' column
    reader = PdfReader(out / PRINT_NAME)
    # each page draws the book's page as a Form XObject (one layout, every output): look inside it
    contents = [page.get_contents().get_data() + b"\n".join(
        xobject.get_object().get_data() for xobject in page["/Resources"]["/XObject"].values())
        for page in reader.pages]
    for data in contents:
        assert not re.search(rb"\b(?:rg|RG|g|G)\b", data), "RGB or grey colour in the page content (rich black)"
    assert sum(b"0 0 0 1 k" in data for data in contents) >= 10  # text in K-only black
    assert all(b"0 0 0 1 K" in page.get_contents().get_data() for page in reader.pages)  # the crop marks


def test_k_only_and_page_backgrounds_into_the_bleed():
    import pikepdf

    assert k_only("rg", [0, 0, 0]) == ("k", [0, 0, 0, 1])
    assert k_only("G", [0]) == ("K", [0, 0, 0, 1])
    assert k_only("RG", [0.25, 0.25, 0.25]) == ("K", [0, 0, 0, pytest.approx(0.75)])
    assert k_only("rg", [0.8, 0.2, 0.2]) is None  # colours stay as they are
    pdf = pikepdf.new()  # kept alive while its stream is parsed
    page = pikepdf.parse_content_stream(pikepdf.Stream(pdf, (
        b"1 0 0 -1 0 200 cm q 0.5 0 0 0.5 0 0 cm 0.8 0.2 0.2 rg 0 0 200 400 re f "
        b"0 0 0 rg 10 10 20 20 re f Q")))
    new, changed = rewrite_page(page, 100, 200, 5)
    ops = [(str(i.operator), [float(v) for v in i.operands]) for i in new]
    assert changed
    assert ("re", [-10, -10, 220, 420]) in ops  # the page-sized background grown by 5 pt on every side
    assert ("re", [10, 10, 20, 20]) in ops and ("k", [0, 0, 0, 1]) in ops and ("rg", [0.8, 0.2, 0.2]) in ops


def test_only_colour_operators_are_looked_at(monkeypatch):
    """Text operators (most of a page) pass through untouched and unexamined."""
    import pikepdf

    from chapbook.writers import printshop

    seen = []
    inner = printshop.k_only
    monkeypatch.setattr(printshop, "k_only", lambda op, operands: (seen.append(op), inner(op, operands))[1])
    pdf = pikepdf.new()
    page = pikepdf.parse_content_stream(pikepdf.Stream(pdf, (
        b"BT /F1 9 Tf 10 10 Td (a) Tj [(b) 20 (c)] TJ ET 0 g 0 0 0 RG 1 w 0 0 m 5 5 l S")))
    new, changed = printshop.rewrite_page(page, 100, 200, 0)
    assert changed and seen == ["g", "RG"]
    assert [str(i.operator) for i in new] == ["BT", "Tf", "Td", "Tj", "TJ", "ET", "k", "K", "w", "m", "l", "S"]


def test_print_css():
    css = print_css("5mm", marks=False, pure_black=False)
    assert "bleed: 5mm" in css and "marks: none" in css and "device-cmyk" not in css
    assert "@color-profile device-cmyk" in print_css(output_profile_url="file:///p/x.icc")


def test_pdf_x4_variant(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(MINIMAL, root)
    pub = root / "content" / "publication.yml"
    pub.write_text(pub.read_text(encoding="utf-8") + "print:\n  pdf_variant: pdf/x-4\n", encoding="utf-8")
    result = run_build("print", "--project", root, "--output", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "without print.output_profile" in result.stderr  # the generic sRGB intent is a warning
    reader = PdfReader(tmp_path / "out" / PRINT_NAME)
    intents = reader.trailer["/Root"]["/OutputIntents"]
    assert intents[0]["/S"] == "/GTS_PDFX"
    assert b"PDF/X-4" in reader.trailer["/Root"]["/Metadata"].get_data()
    assert reader.pdf_header == "%PDF-1.6"
    # reproducible: WeasyPrint's random xmpMM:DocumentID is replaced by one derived from the identifier
    again = run_build("print", "--project", root, "--output", tmp_path / "again")
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "again" / PRINT_NAME).read_bytes() == (tmp_path / "out" / PRINT_NAME).read_bytes()


def test_bad_settings_are_reported(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(MINIMAL, root)
    pub = root / "content" / "publication.yml"
    pub.write_text(pub.read_text(encoding="utf-8") + "booklet:\n  signature: 6\n  instructons: page\n"
                   "print:\n  bleed: lots\n  pdf_variant: pdf/x-9\n", encoding="utf-8")
    result = run_build("booklet", "--project", root, "--output", tmp_path / "out")
    assert result.returncode == 1
    assert "'booklet.signature' must be a multiple of 4" in result.stderr
    assert "unknown setting 'booklet.instructons' (did you mean 'instructions'?)" in result.stderr
    assert "'print.bleed' must be a length" in result.stderr
    assert "'print.pdf_variant' must be empty or one of" in result.stderr
    assert not (tmp_path / "out").exists()
