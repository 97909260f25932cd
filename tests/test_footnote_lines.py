"""A footnote written over several source lines is one paragraph in print, not one line per source line.

Python-Markdown keeps the newlines of a note's continuation lines (``[^1]: …`` then lines indented by
four spaces, as Pandoc and every Markdown guide write long notes); WeasyPrint breaks a line at each
newline inside a ``float: footnote`` element, so the note came out ragged, one printed line per line
of the source, and long notes overflowed the page.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import MINIMAL_PDF_NAME, run_build

WORDS = ["Every", "word", "of", "this", "long", "note", "stands", "on", "a", "source", "line", "of", "its",
         "own", "here"]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_a_note_over_several_source_lines_flows_as_one_paragraph(project: Path, tmp_path: Path) -> None:
    text = project / "content" / "texts" / "01-first-text.md"
    body = "\n    ".join(WORDS)
    text.write_text(text.read_text(encoding="utf-8").replace(
        "[^1]: An author's footnote with a citation [-@garcia2019].", f"[^1]: {body}"), encoding="utf-8")
    result = run_build("pdf", "--project", project, "--output", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    pdf = subprocess.run(["pdftotext", "-layout", str(tmp_path / "out" / MINIMAL_PDF_NAME), "-"],
                         capture_output=True, text=True, check=True).stdout
    start = next(i for i, line in enumerate(pdf.splitlines()) if re.search(r"\bEvery\b", line))
    note = []
    for line in pdf.splitlines()[start:]:
        note.append(line.strip())
        if re.search(r"\bhere$", line.strip()):
            break
    assert " ".join(note).split()[1:] == WORDS  # no word lost, after the note's number
    assert len(note) <= 2, note  # 14 short words fill one line of an A5 page, two at most
