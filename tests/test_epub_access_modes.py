"""An EPUB with pictures declares the visual access mode (EPUB Accessibility 1.1, schema.org).

Every EPUB said ``schema:accessMode textual`` and ``accessModeSufficient textual``, also a reader
with a bar chart, a photograph and a map: the visual mode was never listed, and that every picture
has a text alternative (``alternativeText``) was never said.
"""

from __future__ import annotations

from pathlib import Path

from conftest import run_build
from PIL import Image
from test_epub import Epub, run_epubcheck


def _with_pictures(project: Path, alt: str) -> None:
    (project / "content" / "images").mkdir()
    Image.new("RGB", (300, 200), (40, 90, 160)).save(project / "content" / "images" / "chart.png")
    text = project / "content" / "texts" / "01-first-text.md"
    text.write_text(text.read_text(encoding="utf-8") + f"\n![{alt}](../images/chart.png)\n", encoding="utf-8")


def test_pictures_with_text_alternatives(project: Path, tmp_path: Path) -> None:
    _with_pictures(project, "A bar chart of crossings by year: 120, 340 and 560.")
    result = run_build("epub", "--project", project, "--output", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    epub = next((tmp_path / "out").glob("*.epub"))
    book = Epub(epub)
    assert book.meta("schema:accessMode") == ["textual", "visual"]
    assert book.meta("schema:accessModeSufficient") == ["textual", "textual,visual"]
    assert "alternativeText" in book.meta("schema:accessibilityFeature")
    summary = book.meta("schema:accessibilitySummary")[0]  # it said there were no other images that carry meaning
    assert summary.endswith("The cover and every picture in the texts are images with a text alternative; there is "
                            "no audio, video or hazard.") and "no other images" not in summary
    checker = run_epubcheck(epub, tmp_path / "epubcheck.json")["checker"]
    assert (checker["nFatal"], checker["nError"], checker["nWarning"]) == (0, 0, 0)


def test_a_picture_without_a_text_alternative(project: Path, tmp_path: Path) -> None:
    _with_pictures(project, "")
    result = run_build("epub", "--project", project, "--output", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    book = Epub(next((tmp_path / "out").glob("*.epub")))
    assert book.meta("schema:accessMode") == ["textual", "visual"]
    assert book.meta("schema:accessModeSufficient") == ["textual,visual"]  # the text alone does not suffice
    assert "alternativeText" not in book.meta("schema:accessibilityFeature")
    assert "some of the pictures in the texts have none" in book.meta("schema:accessibilitySummary")[0]
