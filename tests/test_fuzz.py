"""Property-based tests: whatever Markdown, front matter or BibTeX an editor writes, read → convert →
check ends in a result or clean diagnostics, never an exception (in-process: no typesetting)."""

from __future__ import annotations

import shutil
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml
from conftest import MINIMAL, TEXT_HEAD
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chapbook.check import check
from chapbook.diagnostics import Report
from chapbook.markup import convert
from chapbook.read import read_project

SETTINGS = settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
_ROOT = Path(tempfile.mkdtemp(prefix="chapbook-fuzz-")) / "project"
shutil.copytree(MINIMAL, _ROOT)

# Pieces of Markdown and of chapbook's own syntax, glued together at random.
TOKENS = ["*", "**", "_", "`", "```", "~~~", "#", "## ", "> ", "- ", "1. ", "|", "---", "[", "]", "(", ")",
          "![", "](", "[^1]", "[^1]: ", "[^ed1]", "{~~", "~>", "~~}", "{--", "--}", "{++", "++}", "[[", "]]",
          "[[IOM|", "@pecoud2018", "[@garcia2019, p. 4]", "[see @a; @b]", "[-@irr2002]", "{: .x #y}",
          "{: style=x}", "&", "&amp;", "&lt;", "<", ">", "<b>", "{{ 7*7 }}", "{% raw %}", "\\", "\t", "  ",
          "\n", "\n\n", "IOM", "border agency", "http://x.org", "#a", "(#a)", "é", "\u00a0", "\x00", "\x0b",
          "\ufeff", "\ud7ff", "😀", "word", "Word. ", "...", "--", "'", '"']
bodies = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=8)), max_size=60).map("".join)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20),
                    st.dates())
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.text(max_size=8), inner, max_size=3), max_leaves=6)
FIELDS = ["title", "author", "authors", "date", "source", "lang", "summary", "questions", "editorial_notes",
          "editors_title", "original_url", "subtitle", "nonsense"]
front_matter = st.dictionaries(st.sampled_from(FIELDS), values, max_size=8)


def run_pipeline() -> Report:
    report = Report()
    publication = read_project(_ROOT, report)
    converted = [convert(p, publication, report) for p in publication.parts]
    check(publication, converted, report)
    if not report.errors:
        for c in converted:
            ET.fromstring(f"<div>{c.html}</div>")  # well-formed, whatever went in
    for line in report.lines():
        assert ": error: " in line or ": warning: " in line
    return report


def write_text(raw: str) -> None:
    (_ROOT / "content" / "texts" / "01-first-text.md").write_text(raw, encoding="utf-8", errors="surrogatepass")


@SETTINGS
@given(bodies)
def test_any_markdown_body(body):
    write_text(TEXT_HEAD + body)
    run_pipeline()


@SETTINGS
@given(front_matter, bodies)
def test_any_front_matter(fields, body):
    try:
        head = yaml.safe_dump(fields, allow_unicode=True)
    except yaml.YAMLError:
        return
    write_text(f"---\n{head}---\n\n{body}")
    run_pipeline()


@SETTINGS
@given(st.text(max_size=200))
def test_any_front_matter_text(text):
    write_text(f"---\n{text}\n---\nBody.\n")
    run_pipeline()


BIB_TOKENS = ["@book{", "@article{", "@misc(", "@string{", "@comment{", "@preamble{", "key,", "author = ",
              "title = ", "year = ", "{", "}", "(", ")", "\"", ",", "#", "=", "\\'e", "{\\\"o}", "and ",
              "pecoud2018,", "garcia2019,", "%", "\n", " ", "Name, First", "{{Corp}}", "2019", "é"]
bibtex = st.lists(st.one_of(st.sampled_from(BIB_TOKENS), st.text(max_size=6)), max_size=50).map("".join)


@SETTINGS
@given(bibtex)
def test_any_bibtex(text):
    write_text(TEXT_HEAD + "Cites [@pecoud2018] and @garcia2019.\n")
    (_ROOT / "bibliography.bib").write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        run_pipeline()
    finally:
        shutil.copy(MINIMAL / "bibliography.bib", _ROOT / "bibliography.bib")
