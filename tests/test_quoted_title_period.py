"""A quoted title that ends in a quotation of its own: the period goes inside both, or not at all.

Chicago (CMOS 6.9, 6.11) puts the period inside the quotation marks, inside the inner single ones
too: “Against ‘Integration.’” The house style added it after them (“Against ‘Integration’.”), and
after a quotation ending in a question mark (“Why Ask ‘Who Counts?’.”), which takes none.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from conftest import run_build

from chapbook.bibliography import load_bibliography
from chapbook.diagnostics import Report

BIB = r"""
@article{doe2020against, author = {Doe, Jane}, title = {Against ``Integration''},
  journaltitle = {Journal of Things}, volume = {3}, pages = {1--9}, date = {2020}}
@article{doe2021why, author = {Doe, Jane}, title = {Why Ask ``Who Counts?''},
  journaltitle = {Journal of Things}, date = {2021}}
@article{doe2022plain, author = {Doe, Jane}, title = {The Workers Speak},
  journaltitle = {Journal of Things}, date = {2022}}
"""


def test_the_period_goes_inside_an_ending_quotation(tmp_path: Path) -> None:
    (tmp_path / "b.bib").write_text(BIB, encoding="utf-8")
    report = Report()
    bib = load_bibliography(tmp_path / "b.bib", report)
    assert report.diagnostics == []
    assert bib.entry_text("doe2020against") == "Doe, Jane. 2020. “Against ‘Integration.’” Journal of Things 3: 1–9."
    assert bib.entry_text("doe2021why") == "Doe, Jane. 2021. “Why Ask ‘Who Counts?’” Journal of Things."
    assert bib.entry_text("doe2022plain") == "Doe, Jane. 2022. “The Workers Speak.” Journal of Things."


def test_the_books_bibliography_has_the_period_inside(project: Path, tmp_path: Path) -> None:
    bib = project / "bibliography.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + BIB, encoding="utf-8")
    text = project / "content" / "texts" / "01-first-text.md"
    text.write_text(text.read_text(encoding="utf-8") + "\nSee @doe2020against and @doe2021why.\n", encoding="utf-8")
    result = run_build("epub", "--project", project, "--output", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(next((tmp_path / "out").glob("*.epub"))) as epub:
        xhtml = epub.read("EPUB/bibliography.xhtml").decode("utf-8")
    assert "“Against ‘Integration.’”" in xhtml and "“Why Ask ‘Who Counts?’”" in xhtml
    assert "’.”" not in xhtml
