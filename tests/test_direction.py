"""Right-to-left texts (Arabic, Persian, Hebrew) are marked so in every output, as are editors' lines in them."""

from __future__ import annotations

import re
import shutil
import zipfile

from conftest import PROJECTS, load, run_build

from chapbook.directions import direction
from chapbook.render import render_book_html


def test_a_language_runs_as_its_script_does():
    assert [direction(t) for t in ("ar", "fa-IR", "he", "ur", "yi", "az-Arab", "ku-Latn", "en", "de-CH", None)] == \
        ["rtl", "rtl", "rtl", "rtl", "rtl", "rtl", "ltr", "ltr", "ltr", "ltr"]


def test_a_right_to_left_text_in_an_english_book_is_marked_rtl(tmp_path):
    """A Persian text in an English book: its section runs right to left; chapbook's own words in it
    run as the book; a question written in Persian runs right to left on its own line."""
    project = tmp_path / "rtl"
    shutil.copytree(PROJECTS / "rtl", project)
    loaded = load(project)
    html = render_book_html(loaded.publication, list(loaded.converted.values()))
    assert re.search(r'<section class="text" id="part-rudkhane" lang="fa" dir="rtl">', html)
    assert re.search(r'<section class="text" id="part-the-canal" lang="en">', html)  # nothing where it agrees
    assert '<html lang="en">' in html
    assert '<p class="first-published" lang="en" dir="ltr">' in html
    assert '<li lang="fa" dir="rtl">نویسنده چرا' in html  # an editor's question in the text's language
    assert '<span class="toc-title" lang="fa" dir="rtl">' in html  # the contents: isolated, not italic
    assert re.search(r'<li id="ref-rahimi2019" dir="rtl">', html)  # a reference in Persian, in the bibliography

    out = tmp_path / "out"
    result = run_build("epub", "--project", project, "--output", out)
    assert result.returncode == 0, result.stdout + result.stderr
    with zipfile.ZipFile(next(out.glob("*.epub"))) as epub:
        text = epub.read("EPUB/part-rudkhane.xhtml").decode()
    assert re.search(r'<section [^>]*lang="fa" dir="rtl"', text)


def test_a_quotation_in_another_script_and_a_right_to_left_book(convert_body, project):
    loaded = convert_body("An English line.\n\nكان النهر يمرّ بالقرية.\n{: lang=ar }\n\nBad.\n{: dir=sideways }\n")
    html = loaded.converted["first-text"].html
    assert 'lang="ar" dir="rtl"' in html
    assert any("'dir=sideways' in an attribute list" in line for line in loaded.lines()), loaded.lines()

    config = project / "content" / "publication.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("language: en", "language: ar"), encoding="utf-8")
    loaded = load(project)
    html = render_book_html(loaded.publication, list(loaded.converted.values()))
    assert '<html lang="ar" dir="rtl">' in html
    assert re.search(r'<section class="text" id="part-first-text" lang="en" dir="ltr">', html)


def test_a_language_in_an_attribute_list_must_be_a_tag(convert_body):
    """{: lang="en onclick=x" } passed check and made the EPUB invalid (an attack); a located error now."""
    loaded = convert_body('A paragraph.\n{: lang="en onclick=x" }\n')
    assert any("'lang=en onclick=x' in an attribute list is not a language tag" in line for line in loaded.lines())
