"""A footnote too tall for any page is reported, not silently cut off.

WeasyPrint cannot split a footnote across pages: a note taller than the room under a page's text is
set from above the page's top edge, over the running head and off the paper, and its first lines
are lost. The build succeeded with no warning (60 sentences written, 47 left in the PDF).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import MINIMAL_PDF_NAME, run_build

SENTENCE = "This very long note goes on and on about the history of the railway and its gauges."


def _with_note(project: Path, sentences: int) -> None:
    text = project / "content" / "texts" / "01-first-text.md"
    text.write_text(text.read_text(encoding="utf-8").replace(
        "[^1]: An author's footnote with a citation [-@garcia2019].", "[^1]: " + " ".join([SENTENCE] * sentences)),
        encoding="utf-8")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_a_note_taller_than_a_page_is_a_warning_at_the_note(project: Path, tmp_path: Path) -> None:
    _with_note(project, 60)
    result = run_build("pdf", "--project", project, "--output", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    pdf = subprocess.run(["pdftotext", str(tmp_path / "out" / MINIMAL_PDF_NAME), "-"], capture_output=True,
                         text=True, check=True).stdout
    assert " ".join(pdf.split()).count("railway and its gauges") < 60  # what the warning is about: words lost
    warnings = [line for line in result.stderr.splitlines() if "above the top of the text block" in line]
    assert len(warnings) == 1, result.stderr
    assert "content/texts/01-first-text.md:" in warnings[0] and "'This very long note" in warnings[0], warnings
    assert "on page 12 of the book" in warnings[0]  # the page after the call's: where the note was set


def test_a_note_that_fits_gives_no_warning(project: Path, tmp_path: Path) -> None:
    _with_note(project, 12)
    result = run_build("pdf", "--project", project, "--output", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "warning:" not in result.stderr, result.stderr
