"""The folding instructions name the outer sheet's pages as the sheet table does.

A 22-page book is padded to 24 with two blanks before the back cover: the table gave sheet 1 as
"22 | 1" (the back cover is the book's page 22), while step 4 told the reader to put "sheet 1 (pages
24 and 1)" outside, a page 24 the book does not have.
"""

from __future__ import annotations

from conftest import MINIMAL, REPO, run_build
from pypdf import PdfReader

STEM = "a-minimal-reader"


def test_the_outer_sheet_is_named_by_the_books_pages(tmp_path):
    out = tmp_path / "out"
    result = run_build("booklet", "--project", MINIMAL.relative_to(REPO), "--output", out)
    assert result.returncode == 0, result.stderr
    assert "22 pages → 24: 2 blank pages added before the back cover" in result.stderr
    said = " ".join(PdfReader(out / f"{STEM}-booklet-instructions.pdf").pages[0].extract_text().split())
    assert "22 | 1" in said  # the table's first sheet
    assert "sheet 1 (pages 22 and 1) on the outside" in said
    assert "pages 24 and 1" not in said
