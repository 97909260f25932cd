"""An attribute list under a table gives the table its class or id, as under a paragraph.

Python-Markdown's tables extension took ``{: .data}`` on the line after a table for one more row, and
the book, the EPUB and the web edition printed "{: .data}" in a cell of its own under the figures.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from conftest import run_build

TABLE = """Figures follow.

| Crossing point | 1995 | 1999 |
|:---|---:|---:|
| Hodonín–Holíč | 12,400 | 56,000 |
| Lanžhot–Kúty | 8,150 | 41,300 |
{: .data #crossings}

After the table.
"""


def test_an_attribute_list_under_a_table_is_the_tables(convert_body):
    loaded = convert_body(TABLE)
    assert not loaded.report.errors, loaded.lines()
    html = loaded.converted["first-text"].html
    assert '<table class="data" id="crossings"' in html
    assert "{:" not in html and html.count("<tr") == 3  # the header and two rows: no row for the list


def test_a_cell_that_reads_like_an_attribute_list_inside_a_table_stays(convert_body):
    body = "| Markup | Meaning |\n|---|---|\n| {: .data} | a class |\n| plain | text |\n"
    html = convert_body(body).converted["first-text"].html
    assert "<td>{: .data}</td>" in html and 'class="data"' not in html


def test_a_refused_attribute_under_a_table_is_still_an_error(convert_body):
    loaded = convert_body(TABLE.replace("{: .data #crossings}", "{: style=color:red }"))
    assert any("style" in line and "attribute list" in line for line in loaded.lines()), loaded.lines()


def test_the_epub_has_no_row_for_the_attribute_list(project: Path, tmp_path: Path) -> None:
    text = project / "content" / "texts" / "01-first-text.md"
    head = text.read_text(encoding="utf-8").split("\n---\n", 1)[0] + "\n---\n\n"
    text.write_text(head + TABLE, encoding="utf-8")
    result = run_build("epub", "--project", project, "--output", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(next((tmp_path / "out").glob("*.epub"))) as epub:
        xhtml = epub.read("EPUB/part-first-text.xhtml").decode("utf-8")
    assert "{:" not in xhtml and 'class="data"' in xhtml
