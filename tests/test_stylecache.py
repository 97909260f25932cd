"""chapbook's stylesheets parsed once per process (chapbook.stylecache): the same layout as a fresh parse."""

from __future__ import annotations

from pathlib import Path

import pytest

from chapbook import stylecache
from chapbook.fetcher import ProjectFetcher

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>t</title>
<link rel="stylesheet" href="chapbook-style:print.css"></head>
<body><section class="text"><h1>A title</h1><p>Some words in a paragraph, long enough to be set on more than
one line of the page, with a <em>stressed</em> phrase.</p><p class="footnote">A note.</p></section></body></html>"""


def _pdf(project: Path, fonts, css: str | None = None) -> bytes:
    from weasyprint import HTML

    if css is not None:
        (project / "styles" / "print.css").write_text(css, encoding="utf-8")
    fetcher = ProjectFetcher.for_project(project)
    document = HTML(string=PAGE, base_url=project.as_uri() + "/", url_fetcher=fetcher).render(font_config=fonts)
    return document.write_pdf(pdf_identifier=b"0" * 32)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "styles").mkdir()
    stylecache.install()
    stylecache.clear()
    yield tmp_path
    stylecache.clear()


def test_a_kept_parse_lays_out_as_a_fresh_one(project: Path, monkeypatch) -> None:
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    css = ("@page { size: A5; margin: 20mm; @bottom-center { content: counter(page); } }\n"
           "h1 { font-size: 14pt; color: #333; } p { text-align: justify; hyphens: auto; }\n"
           "@media print { em { font-style: italic; } }\n.footnote { float: footnote; }\n")
    fonts = FontConfiguration()
    parsed, reused = stylecache.PARSED, stylecache.REUSED
    first = _pdf(project, fonts, css)
    again = _pdf(project, fonts)
    assert (stylecache.PARSED - parsed, stylecache.REUSED - reused) == (1, 1)
    monkeypatch.setattr(CSS, "__init__", stylecache._ORIGINAL)  # WeasyPrint's own parse, every time
    assert first == again == _pdf(project, fonts)
    monkeypatch.undo()
    _pdf(project, FontConfiguration())  # another font configuration: parsed again
    _pdf(project, fonts, css.replace("14pt", "15pt"))  # other bytes: parsed again
    assert (stylecache.PARSED - parsed, stylecache.REUSED - reused) == (3, 1)


@pytest.mark.parametrize("rule", ["@import url(chapbook-style:other.css);", "@layer base { h1 { color: red } }",
                                  "@counter-style thumbs { system: cyclic; symbols: x; }",
                                  "@\\69mport url(chapbook-style:other.css);"])
def test_stylesheets_acting_on_the_whole_document_are_parsed_every_time(project: Path, rule: str) -> None:
    from weasyprint.text.fonts import FontConfiguration

    (project / "styles" / "other.css").write_text("p { color: blue }", encoding="utf-8")
    fonts = FontConfiguration()
    parsed, reused = stylecache.PARSED, stylecache.REUSED
    _pdf(project, fonts, rule + "\nh1 { font-size: 14pt }\n")
    _pdf(project, fonts)
    assert (stylecache.PARSED - parsed, stylecache.REUSED - reused) == (2, 0)
