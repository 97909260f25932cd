"""Verse keeps its lines and stanzas (chapbook.verse): backslash breaks, line blocks, verse: true."""

from __future__ import annotations

import re

import pytest
from conftest import BODY_LINE, TEXT_HEAD, run_build
from pypdf import PdfReader


def _lines(html: str) -> list[list[str]]:
    """Each verse paragraph's lines, as text."""
    return [[re.sub(r"<[^>]+>", "", line) for line in re.findall(r'<span class="line">(.*?)</span>', p, re.DOTALL)]
            for p in re.findall(r'<p [^>]*class="verse[^"]*"[^>]*>(.*?)</p>', html, re.DOTALL)]


def test_backslash_breaks_and_line_blocks_keep_their_lines(convert_body):
    body = ("This poem ends each line\\\nwith a backslash, `as in C\\`\nand Pandoc.\n\n"
            "| A line block,\n|     indented here,\n|\n| a second stanza.\n\n"
            "| a | table |\n|---|---|\n| 1 | 2 |\n")
    loaded = convert_body(body)
    assert not loaded.report.errors, loaded.lines()
    html = loaded.converted["first-text"].html
    assert _lines(html) == [["This poem ends each line", "with a backslash, as in C\\\nand Pandoc."],
                            ["A line block,", "\u00a0\u00a0\u00a0\u00a0indented here,"], ["a second stanza."]]
    assert "<table" in html and "<td>1</td>" in html  # a pipe table is not a line block


def _in_verse(convert_body, body: str) -> str:
    """``body`` converted as the first text with ``verse: true``; its HTML (no error allowed)."""
    loaded = convert_body(body, head=TEXT_HEAD.replace("lang: en", "lang: en\nverse: true"))
    assert not loaded.report.errors, loaded.lines()
    return loaded.converted["first-text"].html


def test_a_text_in_verse_keeps_every_line_and_its_indent(convert_body):
    html = _in_verse(convert_body, "The first step is easy.\n    The second is worn.\nThe third[^1] is green.\n\n"
                                   "One more line.\n\n[^1]: A note,\n    in two lines.\n")
    assert _lines(html)[:2] == [["The first step is easy.", "\u00a0\u00a0\u00a0\u00a0The second is worn.",
                                 "The third1 is green."], ["One more line."]]
    assert 'class="verse verse-keep"' in html  # the one-line stanza stays with the one before
    assert "A note,\nin two lines." in re.sub(r"<[^>]+>", "", html.split('class="footnote"')[1])


def test_a_poems_last_line_is_never_alone_overleaf(project, tmp_path):
    """Five-line stanzas down a page, then a one-line stanza: it is not set alone at the top of the
    next page (a new user's "and that was all." on p. 14 by itself)."""
    stanzas = "\n\n".join("  \n".join(f"line {s * 5 + n} of the tide and the weed over the stone"
                                      for n in range(1, 6)) for s in range(5))
    text = project / "content" / "texts" / "01-first-text.md"
    text.write_text(TEXT_HEAD + stanzas + "\n\nand that was all.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_build("pdf", "--project", project, "--output", out)
    assert result.returncode == 0, result.stdout + result.stderr
    pages = [page.extract_text() for page in PdfReader(next(out.glob("*.pdf"))).pages]
    last = next(i for i, page in enumerate(pages) if "and that was all." in page)
    assert "line 25 of the tide" in pages[last], pages[last][:300]


def test_texts_may_start_on_any_page(project, tmp_path):
    """typography.texts_start: any — no blank page before a text (a poetry chapbook had 17 of 44 pages
    blank); a value other than right or any is an error at its line."""
    config = project / "content" / "publication.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("typography:\n", "typography:\n  texts_start: any\n"),
                      encoding="utf-8")
    out = tmp_path / "out"
    result = run_build("pdf", "--project", project, "--output", out)
    assert result.returncode == 0, result.stdout + result.stderr
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(next(out.glob("*.pdf"))).pages]
    first = next(i for i, page in enumerate(pages) if page.startswith("The First Text"))
    second = next(i for i, page in enumerate(pages) if page.startswith("A Second Text"))
    assert all(pages[first:second + 1]), [i for i in range(first, second + 1) if not pages[i]]

    config.write_text(config.read_text(encoding="utf-8").replace("texts_start: any", "texts_start: odd"),
                      encoding="utf-8")
    result = run_build("check", "--project", project)
    assert result.returncode == 1 and "'typography.texts_start' must be right or any" in result.stdout


def test_what_is_not_verse_stays_as_it_was(convert_body):
    """A review's cases: a table whose rows end without '|', a backslash in indented code, a signature with a
    hard break, and dialogue after a quoted stanza."""
    body = ("| a | b\n|---|---\n| 1 | 2\n\n"
            "Code follows.\n\n    x = a \\\n    y = b\n\n"
            "> Two lines  \n> of a poem.\n\nShe said.\n\nHe said.\n\nAnd then a long paragraph of prose that runs on "
            "well past the length of any line of verse, as prose does.\n\n"
            "Yours,  \nAnna\n{: .signature }\n")
    loaded = convert_body(body)
    assert not loaded.report.errors, loaded.lines()
    html = loaded.converted["first-text"].html
    assert "<table" in html and "<td>1</td>" in html
    assert "x = a \\\ny = b" in html
    assert '<p class="signature"' in html and "Yours,<br />" in html
    assert ">She said.</p>" in html and _lines(html) == [["Two lines", "of a poem."]]


def test_a_text_in_verse_keeps_its_lists_quotations_and_late_stanzas(convert_body):
    html = _in_verse(convert_body, "First line,\nsecond line.[^1]\n\n- an item\n    - a nested item\n\n"
                                   "> quoted one,\n> quoted two.\n\n[^1]: A note\n    on two lines.\n\n"
                                   "After the notes\na last stanza.\n")
    assert re.search(r"<li>an item\s*<ul>\s*<li>a nested item</li>", html), html
    assert _lines(html)[:3] == [["First line,", "second line.1"], ["quoted one,", "quoted two."],
                                ["After the notes", "a last stanza."]]


def test_a_note_definition_in_a_line_block_is_no_stanza(convert_body):
    """An attack: "| [^9]: JULIET lost words here" inside a line block vanished without a warning and left
    the EPUB a dangling link; such a block is read as Markdown, as without chapbook.verse."""
    loaded = convert_body("Prose before.\n\n| A first line\n| a second line\n|\n| [^9]: JULIET lost words here\n\n"
                          "Prose after.\n")
    assert "JULIET" in loaded.converted["first-text"].html or any("[^9]" in line for line in loaded.lines())


@pytest.mark.parametrize("inner", ["| [bravo]: https://example.org/BRAVO", "| ===", "| * * *"])
def test_markdown_in_a_line_block_is_read_as_markdown(convert_body, inner: str):
    """A re-test: a link definition in a line block deleted its line, '| ===' made a heading and '| * * *' a
    rule, each leaving '{: .verse }' printed: such a block is no line block."""
    loaded = convert_body(f"| ALPHA first line\n{inner}\n| CHARLIE third line\n")
    html = loaded.converted["first-text"].html
    assert "{: .verse }" not in html and "ALPHA" in html and "CHARLIE" in html


def test_a_stanza_too_long_to_convert_is_refused_at_its_line(convert_body):
    """A 220,000-line line block did not convert in two minutes, and check passed it: its breaks were not
    in the source to be counted."""
    loaded = convert_body("Prose.\n\n" + "\n".join(f"| line {i}" for i in range(6_000)) + "\n")
    assert loaded.lines() == [f"content/texts/01-first-text.md:{BODY_LINE + 2}:1: error: a stanza of 6,000 lines; "
                              "at most 5,000 can be converted in one stanza: split it with a blank line (or a bare "
                              "'|' in a line block)"]


def test_only_the_lines_verse_breaks_count_toward_a_stanza(convert_body):
    """The stanza limit counted every non-blank line of a ``verse: true`` text in its own walk of the
    source: a list of 6,000 items, which verse leaves unbroken, was refused although it converts, and
    a long backslash-broken paragraph was reported twice (here and with the source's own marks)."""
    items = "\n".join(f"- item {i}" for i in range(6_000))
    html = _in_verse(convert_body, "A first stanza\nof two lines.\n\n" + items + "\n")
    assert html.count("<li>") == 6_000
    loaded = convert_body("Prose.\n\n" + "\n".join(f"line {i}\\" for i in range(6_000)) + "\nlast\n")
    assert len(loaded.lines()) == 1 and "a paragraph with 6,000" in loaded.lines()[0], loaded.lines()
