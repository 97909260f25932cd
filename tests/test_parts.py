"""The book laid out part by part, cached in the process (chapbook.typeset, issue 11).

A rebuild in the same process (as ``build.py watch`` does) lays out only what changed, and its
PDF is byte-identical to a clean build's; the composed book reads as one layout of the same HTML.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from conftest import MINIMAL, SOURCE_DATE_EPOCH
from pypdf import PdfReader
from test_book_pdf import Book

from chapbook import typeset
from chapbook.diagnostics import Report
from chapbook.pipeline import Build, Progress, prepare, run
from chapbook.writers.pdf import add_page_labels, pdf_options

PDF_NAME = "a-minimal-reader.pdf"


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(SOURCE_DATE_EPOCH))
    root = tmp_path / "minimal"
    shutil.copytree(MINIMAL, root)
    typeset.clear()
    yield root
    typeset.clear()


def build_pdf(root: Path) -> bytes:
    _, report = run(root, root / "output", ["pdf"], stream=io.StringIO(), quiet=True)
    assert not report.failed, report.lines()
    return (root / "output" / PDF_NAME).read_bytes()


def test_a_rebuild_without_changes_lays_out_nothing_and_gives_the_same_bytes(project: Path) -> None:
    first = build_pdf(project)
    assert typeset.STATS.laid  # the first build laid out every part
    before = typeset.STATS.layouts
    again = build_pdf(project)
    assert typeset.STATS.layouts == before and typeset.STATS.laid == []
    assert again == first


def test_an_edited_paragraph_lays_out_only_its_text_and_equals_a_clean_build(project: Path) -> None:
    build_pdf(project)
    text = project / "content" / "texts" / "01-first-text.md"
    source = text.read_text(encoding="utf-8")
    assert "was founded long ago." in source
    text.write_text(source.replace("was founded long ago.", "was founded a long time ago."), encoding="utf-8")
    before = typeset.STATS.layouts
    edited = build_pdf(project)
    assert typeset.STATS.layouts - before == 1
    assert typeset.STATS.laid == ["part-first-text"]
    words = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(edited)).pages).split())
    assert "founded a long time ago" in words
    typeset.clear()
    shutil.rmtree(project / "output")
    clean = build_pdf(project)
    assert len(typeset.STATS.laid) > 10
    assert clean == edited


def test_the_composed_book_reads_as_one_layout_of_the_same_html(project: Path) -> None:
    report = Report()
    publication, converted = prepare(project, report, Progress(io.StringIO(), quiet=True), targets=["pdf"])
    build = Build(publication, converted, project / "output", report)
    composed, html = typeset.compose(build)
    single, single_html = typeset.single_layout(build)
    assert html == single_html
    options = pdf_options(publication.config)
    a = Book(io.BytesIO(composed.write_pdf(finisher=add_page_labels, **options)))
    b = Book(io.BytesIO(single.write_pdf(finisher=add_page_labels, **options)))
    assert len(a.texts) == len(b.texts) > 10
    assert a.texts == b.texts
    assert a.outline == b.outline and len(a.outline) > 5
    assert a.reader.trailer["/Root"]["/PageLabels"] == b.reader.trailer["/Root"]["/PageLabels"]


def test_a_template_that_cannot_be_split_is_laid_out_as_one_document() -> None:
    assert typeset.split("<html><body><p>loose</p><section>x</section></body></html>") is None
    head, parts, _ = typeset.split('<html><body class="b">\n<section id="a">x<section>y</section></section>\n'
                                      '<nav class="contents">z</nav>\n</body></html>')
    assert [p.name for p in parts] == ["a", "class:contents"] and head.endswith('<body class="b">')
