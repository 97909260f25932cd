"""``build.py import`` of saved pages and XHTML chapters loses no visible word, and keeps the structure.

The corpus in tests/fixtures/import/ is made for these tests: a Standard-Ebooks-like chapter
(epub:type, a letter with a signature, verse, notes in a sibling endnotes.xhtml), a saved news
article with its site's chrome, a letter, a diary and a poem. Each is imported; the words of the
source's visible text (page chrome left out) must all be in the imported Markdown, in order, once
Markdown is rendered by chapbook's own Markdown configuration. What is left out must be reported
as ``path:line: warning: …`` at the line of the element in the original.
"""

from __future__ import annotations

import difflib
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import MINIMAL, REPO, load, run_build
from lxml import etree, html

from chapbook.htmlimport import _same_title
from chapbook.importer import import_files, leftovers
from chapbook.markup import new_markdown

FIXTURES = REPO / "tests" / "fixtures" / "import"
CORPUS = sorted(p for p in FIXTURES.iterdir() if p.suffix in (".html", ".xhtml"))
TEXTS = [p for p in CORPUS if p.name != "endnotes.xhtml"]  # the endnotes go into the chapter, not a text
# Page chrome, never part of a text (the test's own definition, not the importer's).
CHROME = {"nav", "script", "style", "noscript", "template", "form", "iframe", "button", "input", "link", "meta"}
SITE_PARTS = {"header", "footer", "aside"}  # chrome when outside the page's <article>/<main>
BLOCKS = {"p", "div", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "td", "th", "tr",
          "caption", "figcaption", "pre", "section", "article", "header", "footer", "hr", "ul", "ol", "dl",
          "table", "figure", "main", "aside", "hgroup", "address", "br", "body"}


def _name(el) -> str:
    return etree.QName(el).localname.lower() if isinstance(el.tag, str) else ""


def _parse(path: Path):
    if path.suffix == ".xhtml":
        return etree.fromstring(path.read_bytes(), etree.XMLParser(resolve_entities=False, no_network=True))
    return html.document_fromstring(path.read_bytes())


def _is_chrome(el, has_main: bool) -> bool:
    name = _name(el)
    if name in CHROME:
        return True
    return name in SITE_PARTS and has_main and not any(_name(a) in ("article", "main") for a in el.iterancestors())


def _words(el, has_main: bool = False) -> list[str]:
    """The words of ``el``'s visible text: block boundaries and <br> separate words, inline ones do not."""
    parts: list[str] = []

    def walk(node) -> None:
        block = _name(node) in BLOCKS
        if block:
            parts.append(" ")
        parts.append(node.text or "")
        for child in node:
            if isinstance(child.tag, str) and not _is_chrome(child, has_main):
                walk(child)
            parts.append(child.tail or "")
        if block:
            parts.append(" ")

    walk(el)
    return re.findall(r"\w+", "".join(parts))


def source_words(path: Path) -> list[str]:
    root = _parse(path)
    body = next(el for el in root.iter() if _name(el) == "body")
    has_main = any(_name(el) in ("article", "main") for el in body.iter())
    return _words(body, has_main)


def markdown_words(text: str) -> tuple[list[str], dict]:
    """Words of an imported text: its front-matter title, then its body rendered by chapbook's Markdown."""
    _, head, body = text.split("---\n", 2)
    front = yaml.safe_load(head)
    md = new_markdown()
    rendered = html.fragment_fromstring(md.convert(body), create_parent="div")
    return re.findall(r"\w+", str(front["title"])) + _words(rendered), front


def missing_words(source: list[str], imported: list[str]) -> list[str]:
    """Source words not matched, in order, in the imported words (shown with the words before them).

    A run of at least three words found whole elsewhere was moved, not lost: the title heading
    goes to the front matter, notes to the end of the text.
    """
    missing = []
    joined = f" {' '.join(imported)} "
    matcher = difflib.SequenceMatcher(None, source, imported, autojunk=False)
    for op, i1, i2, _, _ in matcher.get_opcodes():
        run = source[i1:i2]
        if op in ("delete", "replace") and not (len(run) >= 3 and f" {' '.join(run)} " in joined):
            missing.append(f"{' '.join(run)!r} (after {' '.join(source[max(0, i1 - 4):i1])!r})")
    return missing


def run_import(tmp_path: Path, *files: Path) -> tuple[str, dict[str, str]]:
    """Import into a copy of the minimal project, in-process; (printed output, {original's name: imported text}).

    The copy reads its texts in file-name order, so that it can be converted with the imported ones.
    """
    project = tmp_path / "project"
    shutil.copytree(MINIMAL, project)
    config = project / "content" / "publication.yml"
    config.write_text(re.sub(r"(?m)^texts:.*$", "", config.read_text(encoding="utf-8")), encoding="utf-8")
    out = io.StringIO()
    assert import_files(list(files), project, stream=out) == 0
    made = {}
    for line in out.getvalue().splitlines():
        m = re.match(r"^imported (.+) → (.+\.md) \(original", line)
        if m:
            made[Path(m.group(1)).name] = Path(m.group(2)).read_text(encoding="utf-8")
    return out.getvalue(), made


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> tuple[str, dict[str, str]]:
    return run_import(tmp_path_factory.mktemp("fidelity"), *CORPUS)


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_no_visible_word_is_lost(imported, path):
    _, made = imported
    words, _ = markdown_words(made[path.name])
    source = source_words(path)
    assert len(source) > 30, path  # the comparison has something to compare
    missing = missing_words(source, words)
    assert not missing, f"{path.name}: words lost in the import: {missing}"


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_what_is_left_out_is_reported_at_its_line(imported, path):
    output, _ = imported
    warnings = [(int(m.group(1)), m.group(2)) for m in re.finditer(
        rf"^.*/{re.escape(path.name)}:(\d+): warning: (.*) \[dropped-content\]$", output, re.MULTILINE)]
    root = _parse(path)
    body = next(el for el in root.iter() if _name(el) == "body")
    has_main = any(_name(el) in ("article", "main") for el in body.iter())
    expected = [el for el in body.iter() if isinstance(el.tag, str)
                and (_is_chrome(el, has_main) or _name(el) == "img")
                and not any(_is_chrome(a, has_main) for a in el.iterancestors())]
    for el in expected:
        line = el.sourceline
        assert any(at == line or re.search(rf"\blines? .*\b{line}\b", message) for at, message in warnings), \
            f"{path.name}:{line}: <{_name(el)}> left out without a warning; warnings: {warnings}"
    assert len(warnings) <= len(expected), f"{path.name}: more warnings than parts left out: {warnings}"


def test_standard_ebooks_chapter(imported):
    _, made = imported
    text = made["a-scandal-in-bohemia.xhtml"]
    body = text.split("---\n", 2)[2]
    assert "title: A Scandal in Bohemia" in text and "Scandal in Bohemia" not in body  # the title printed once
    assert "\nlang: en-GB\n" in text  # the file's full tag
    assert "date: unknown" in text  # not 2007-01-01 from xmlns:epub, not the letter's <time datetime>
    assert "it was on the twentieth of March, 1888\u2060—I was returning" in body
    assert "\n## I\n" in body  # the story's part, its <h3> the first level of the text
    letter = "> Dear Dr. Watson,\n>\n> There will call upon you"
    assert letter in body and "> Yours faithfully,\n> {: .signature}\n>\n> V. R.\n> {: .signature}" in body
    assert "> The wind doth blow to-day, my love,  \n> And a few small drops of rain;  \n" in body
    assert "> In cold grave she was lain.\n>\n> “I’ll do as much" in body  # stanzas are paragraphs
    assert "\n* * *\n" in body and "*pièce de résistance*" in body and "**Irene Adler**" in body
    assert "see Holmes again.[^1]" in body and "woman’s wit.[^2]" in body
    assert "[^1]: *A Study in Scarlet*, the first of the Holmes stories" in body  # from endnotes.xhtml
    assert "[^2]: The woman is Irene Adler" in body and "\n\n    A second paragraph of the note" in body
    assert "↩" not in body  # the notes' back links


def test_endnotes_given_with_their_chapter_are_not_a_text_of_their_own(imported):
    """Importing a book's endnotes.xhtml with its chapters would make a text repeating the chapters' footnotes."""
    output, made = imported
    assert "endnotes.xhtml" not in made
    assert re.search(r"^skipped \S+/endnotes\.xhtml: a book's endnotes, not a text of its own \(original kept as "
                     r"\S+/content/originals/endnotes\.xhtml\)\n  note: its notes went into the chapters that cite "
                     r"them, as footnotes: a-scandal-in-bohemia\.xhtml$", output, re.MULTILINE), output
    assert re.search(r"^imported 5 files \(1 endnotes file skipped, see above\), ", output, re.MULTILINE)
    chapter, _ = markdown_words(made["a-scandal-in-bohemia.xhtml"])
    notes = [el for el in _parse(FIXTURES / "endnotes.xhtml").iter() if _name(el) == "li"]
    assert len(notes) == 2
    for note in notes:  # every word of every note is in the chapter that cites it
        assert not missing_words(_words(note), chapter)


def test_endnotes_are_known_by_their_epub_type_and_kept_when_nothing_cites_them(tmp_path):
    chapter, notes = tmp_path / "chapter-1.xhtml", tmp_path / "back.xhtml"
    xhtml = '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><body>{}</body></html>'
    chapter.write_text(xhtml.format('<p>A sentence with a note.<a href="back.xhtml#note-1" epub:type="noteref">1</a>'
                                    "</p>"), encoding="utf-8")
    notes.write_text(xhtml.format('<section epub:type="endnotes"><ol><li id="note-1"><p>The note itself.</p></li>'
                                  "</ol></section>"), encoding="utf-8")
    output, made = run_import(tmp_path / "both", notes, chapter)  # the endnotes first: still known as cited
    assert list(made) == ["chapter-1.xhtml"] and "[^1]: The note itself." in made["chapter-1.xhtml"]
    assert re.search(r"^skipped \S+/back\.xhtml: a book's endnotes.*\n  note: .*: chapter-1\.xhtml$", output,
                     re.MULTILINE)
    output, made = run_import(tmp_path / "alone", notes)  # given alone, the notes are the only copy: kept
    assert "skipped" not in output and "The note itself." in made["back.xhtml"]


def test_news_article(imported):
    output, made = imported
    text = made["harbour-strike.html"]
    body = text.split("---\n", 2)[2]
    assert "title: Harbour strike enters its tenth day" in text and "# Harbour strike" not in body
    assert "date: '2019-03-04'" in text and "author: Priya Natarajan" in text and "lang: en-GB" in text
    assert "original_url: https://news.example.org/2019/03/04/harbour-strike-enters-day-ten" in text
    assert "By Priya Natarajan, 4 March 2019" in body and "entered the tenth day of their strike" in body
    assert "> We have loaded the ships" in body and "\n>\n> > Nobody asked us" in body
    assert "\n>\n> — *Maria Lindqvist*, union secretary" in body  # the quotation's cite footer, inside it
    assert "| Week | Containers | Change |\n|---|---|---|\n| Before the strike | 41,200 | — |" in body
    assert "| Second week \\| partial | 26,100 | −37% |" in body
    assert "Idle cranes at the container terminal on Sunday. Photo: J. Okafor" in body  # <figcaption>, <small>
    assert "TEU volumes down by a third.[^1]" in body and "[^1]: TEU: twenty-foot equivalent unit" in body
    assert "[union.example.org](https://union.example.org/statement)" in body
    assert "press&#64;union.example.org" not in body and "press@union.example.org" in body
    assert "The Example Courier" not in body and "Most read" not in body  # the site's chrome …
    assert re.search(r"harbour-strike\.html:18: warning: dropped <header> \(the site's header", output)
    assert re.search(r"harbour-strike\.html:32: warning: image './harbour_files/cranes.jpg'", output)
    assert "Filed under: Ports, Labour" in body  # … but the article's own footer is kept, and flagged
    assert re.search(r"\d\d-harbour[^:]*\.md:\d+:1: warning: possible web leftover \(post metadata\)", output)


def test_letter_diary_and_poem(imported):
    _, made = imported
    letter, diary, poem = (made[name].split("---\n", 2)[2] for name in
                           ("letter-from-the-front.html", "diary-march-1888.html", "the-ferryman.html"))
    assert "Somewhere in France, 9th July 1916" in letter
    assert letter.endswith("Your loving son,  \nTom\n{: .signature}\n")
    assert "remembered to you.  \nP.S. Please send the *Strand*" in letter
    assert "date: '1916-07-09'" in made["letter-from-the-front.html"]
    assert "date: 1888-03" in made["diary-march-1888.html"]
    assert "**Saturday 3rd**: First **chiffchaff** heard" in diary  # no def_list extension: bold terms
    assert "**Tuesday 20th**, **Wednesday 21st**: Rain both days." in diary
    assert "- March 3: chiffchaff, frogspawn\n- March 14: first primroses by the stile\n" \
           "    - white violets under the hedge" in diary
    assert "|  |  |  |\n|---|---|---|\n| Highest | 54°F | on the 27th |" in diary
    assert "north wall.\n\nE. M." in diary and "\n      rain gauge:  1.9 in\n" in diary
    assert "title: The Ferryman" in made["the-ferryman.html"] and "lang: en\n" in made["the-ferryman.html"]
    assert "> “Row me over the tide.”\n>\n> — *Old song*" in poem
    assert "He keeps the ferry at the bend,  \nwhere alders lean" in poem
    assert "\\- a dash begins this line,  \n1\\. and a number this one;  \n\\# and a hash sign, \\* star" in poem


def test_imported_texts_convert_as_written(imported):
    """Chapbook's own conversion: no errors, and the structure the Markdown stands for."""
    output, _ = imported
    loaded = load(Path(re.search(r"→ (.+?)/content/texts/", output).group(1)))
    assert not loaded.report.errors, loaded.lines()
    pages = {slug: c.html for slug, c in loaded.converted.items()}
    scandal, news, letter, poem = (pages[s] for s in ("a-scandal-in-bohemia", "harbour-strike-enters-its-tenth-day",
                                                      "letter-from-the-front-1916", "the-ferryman"))
    assert '<p class="signature">Yours faithfully,</p>' in scandal
    assert ('<span class="line">The wind doth blow to-day, my love,</span><span class="line">And a few small '
            'drops of rain;</span>') in scandal  # verse: chapbook.verse
    assert scandal.count("<sup ") == 2 and "Beeton’s Christmas Annual" in scandal
    assert re.search(r"<blockquote[^>]*>\s*<p>We have loaded.*?<blockquote>\s*<p>Nobody", news, re.DOTALL)
    assert "<table" in news and "<td>Second week | partial</td>" in news
    assert re.search(r'<p class="signature"[^>]*>Your loving son,<br />\nTom</p>', letter)
    assert "[[not a term]] and [@not-a-citation] or @river and {++ not a correction ++}." in poem


def test_dates_come_only_from_metadata(tmp_path):
    page = tmp_path / "chapter.xht"
    page.write_text('<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml" '
                    'xmlns:epub="http://www.idpf.org/2007/ops" lang="de-AT"><head><title>Kapitel</title></head>'
                    '<body><section epub:type="chapter"><h2>Kapitel</h2><p>Siehe '
                    '<a href="https://example.org/2015/05/12/story">den Bericht</a> vom Mai.</p></section>'
                    '</body></html>', encoding="utf-8")
    dated = tmp_path / "dated.html"
    dated.write_text('<html><head><title>T</title></head><body><article><header><h1>T</h1>'
                     '<time datetime="2021-06-30T08:00">30 June</time></header><p>Words of the text.</p>'
                     '</article></body></html>', encoding="utf-8")
    _, made = run_import(tmp_path, page, dated)
    assert "date: unknown" in made["chapter.xht"] and "lang: de-AT" in made["chapter.xht"]
    assert "[den Bericht](https://example.org/2015/05/12/story)" in made["chapter.xht"]
    assert "date: '2021-06-30'" in made["dated.html"] and "30 June" in made["dated.html"]


def test_xhtml_that_is_not_well_formed_is_read_as_html(tmp_path):
    page = tmp_path / "broken.xhtml"
    page.write_text('<html xmlns="http://www.w3.org/1999/xhtml"><body><p>One&nbsp;two <i>three</p>'
                    "<p>four <time>five</time></p></body></html>", encoding="utf-8")
    output, made = run_import(tmp_path, page)
    assert "not well-formed XML" in output
    assert "One\xa0two *three*" in made["broken.xhtml"] and "four five" in made["broken.xhtml"]


def test_a_note_whose_file_is_missing_is_kept_and_reported(tmp_path):
    page = tmp_path / "ch.xhtml"
    page.write_text('<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
                    '<body><p>A sentence with a note.<a href="notes.xhtml#n1" epub:type="noteref">1</a></p>'
                    "</body></html>", encoding="utf-8")
    output, made = run_import(tmp_path, page)
    assert "a note.&#91;1&#93;" in made["ch.xhtml"]
    assert re.search(r"ch\.xhtml:1: warning: note reference '1' points to 'notes.xhtml#n1'", output)


def test_what_lxml_cannot_read_is_reported(tmp_path):
    page = tmp_path / "deep.html"
    page.write_text("<html><body><p>Before the nesting.</p>\n" + "<div>" * 300 + "<p>Too deep.</p>"
                    + "</div>" * 300 + "</body></html>", encoding="utf-8")
    output, made = run_import(tmp_path, page)
    assert "Before the nesting." in made["deep.html"]
    assert re.search(r"deep\.html:2: warning: the page could not be read from here on", output)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_imported_corpus_builds_into_a_book(tmp_path):
    """Through the command line: new project, import, check, PDF; the imported words are in the PDF."""
    project = tmp_path / "reader"
    assert run_build("new", project).returncode == 0
    result = run_build("import", *CORPUS, "--project", project)
    assert result.returncode == 0, result.stderr
    config = project / "content" / "publication.yml"
    config.write_text(re.sub(r"(?m)^texts:.*$", "", config.read_text(encoding="utf-8")), encoding="utf-8")
    check = run_build("check", "--project", project)
    assert check.returncode == 0 and ": error: " not in check.stdout, check.stdout
    built = run_build("pdf", "--project", project, "--output", tmp_path / "out")
    assert built.returncode == 0, built.stdout + built.stderr
    pdf = next((tmp_path / "out").glob("*.pdf"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = " ".join(re.sub(r"(\w)‐\n(\w)", r"\1\2", text).split())  # words the layout hyphenated
    for words in ("twentieth of March, 1888", "Yours faithfully,", "V. R.", "In cold grave she was lain.",
                  "Nobody asked us before the automation plan was announced.", "27,950", "Your loving son, Tom",
                  "Saturday 3rd: First chiffchaff", "white violets under the hedge",
                  "he asks the others nothing, though.", "Beeton’s Christmas Annual", "Photo: J. Okafor"):
        assert words in text, words


# ---- Real-world pages a tester imported (reduced copies in tests/fixtures/import/realworld/) --------

REALWORLD = FIXTURES / "realworld"


def _body(text: str) -> str:
    return text.split("---\n", 2)[2]


def _text_words(text: str) -> list[str]:
    """Words of an imported text without its footnotes: what the reader reads as the text itself."""
    return markdown_words(text.split("\n[^", 1)[0] if "\n[^" in text else text)[0]


def test_wikipedia_reference_used_twice_keeps_the_text_in_the_body(tmp_path):
    """Wikipedia's back links "^ a b" of a reference used twice hold a <sup> like a call; taken for calls,
    they made the lead and the History paragraphs notes called only from other notes."""
    page = REALWORLD / "wikipedia-iom.html"
    output, made = run_import(tmp_path, page)
    body = _body(made[page.name])
    text = body.split("\n[^1]: ", 1)[0]
    assert "\nThe **International Organization for Migration** (**IOM**) is a United Nations agency" in text
    assert "migrants.[^1] It was founded in 1951" in text and "European Migration.[^2]\n\n## History\n\n" in text
    assert "Initially the organization resettled people displaced by the Second World War.[^2] In 2016" in text
    assert "\n[^2]: Elie, Jérôme (2010)." in body and body.count("[^2]:") == 1 and "[^a]" not in body
    assert "[^1]: *\"[About IOM]" in body and "^" not in body.replace("[^", "")  # no back link's "^"
    source = html.document_fromstring(page.read_bytes())
    for p in source.find_class("mw-parser-output")[0].iter("p"):  # every paragraph's words in the text itself
        assert not missing_words(_words(p), _text_words(made[page.name])), p.text_content()
    assert "edit" not in body and re.search(r"wikipedia-iom\.html:34: warning: dropped 3 <span> elements \(a "
                                            r"wiki's \[edit\] link\) at lines 34, 36, 39 \[dropped-content\]", output)
    assert "organization.[^3]&#91;citation needed&#93;" in text
    assert re.search(r"\.md:\d+:1: warning: possible web leftover \(a wiki's maintenance tag\): "
                     r"'&#91;citation needed&#93;'", output)
    assert "[suspect-notes]" not in output


def test_text_taken_for_notes_is_reported(tmp_path):
    """The guard: body paragraphs that links made notes, or a note called only from notes, are reported."""
    page = tmp_path / "linked.html"
    page.write_text('<html><body><p>See<a href="#p2"><sup>a</sup></a> and<a href="#p3"><sup>b</sup></a> and'
                    '<a href="#p4"><sup>c</sup></a>.</p>\n<p id="p2">Second paragraph.</p>\n<p id="p3">Third, '
                    'see<a href="#p5"><sup>d</sup></a>.</p>\n<p id="p4">Fourth.</p>\n<p id="p5">Fifth.</p>\n'
                    '<p>The last paragraph of the text.</p></body></html>', encoding="utf-8")
    output, made = run_import(tmp_path, page)
    assert "[^a]: Second paragraph." in made[page.name]  # the import does what the links say …
    assert re.search(r"linked\.html:5: warning: the note \[\^d\] is only called from other notes: it may be a "
                     r"paragraph of the text.* \[suspect-notes\]", output)  # … and says it may be wrong
    assert re.search(r"linked\.html:2: warning: 4 paragraphs among the text's own \(lines 2, 3, 4, 5\) became "
                     r"footnotes: .* \[suspect-notes\]", output)


def test_leftover_inside_a_long_line_is_flagged():
    line = "A long sentence of the text that goes on and on. " * 5 + "It ends in a tag.&#91;*citation needed*&#93;"
    assert leftovers(f"Short line.\n\n{line}\n") == [(2, "&#91;*citation needed*&#93;", "a wiki's maintenance tag")]


def test_a_page_inside_one_form_keeps_its_text(tmp_path):
    """ASP.NET WebForms put the whole page in one <form>: only the form's controls are left out."""
    page = REALWORLD / "aspnet.html"
    output, made = run_import(tmp_path, page)
    body = _body(made[page.name])
    assert "The ministry today published the evaluation of the assisted return programme.\n\n" in body
    assert "- Participants: 4,212\n- Cost per return: 1,850 euros" in body
    source = html.document_fromstring(page.read_bytes()).get_element_by_id("content")
    assert not missing_words(_words(source), _text_words(made[page.name]))
    assert re.search(r"aspnet\.html:6: warning: dropped <input> \(a form field\)", output)
    assert "dropped <form>" not in output
    assert "dropped <form> (a form" in run_import(tmp_path / "search", FIXTURES / "harbour-strike.html")[0]


def test_a_section_heading_never_takes_the_place_of_the_title(tmp_path):
    """A heading is taken out of the body only if it is the title: 'The evidence' was taken for the
    title 'Frontex in Libya: the evidence', and Google Docs' first section 'Arrival' for the document's
    title paragraph."""
    pages = REALWORLD / "titletest.html", REALWORLD / "gdocs-field-notes-tunis.html"
    _, made = run_import(tmp_path, *pages)
    evidence, gdocs = (made[p.name] for p in pages)
    assert "title: 'Frontex in Libya: the evidence'   # from the page's metadata" in evidence
    assert "Intro paragraph before any heading.\n\n## The evidence\n\nFirst piece of evidence." in _body(evidence)
    assert "title: 'Field notes: Tunis, spring 2019'   # from the document's title paragraph" in gdocs
    assert "\nWritten by Sami Ben Youssef\n\n## Arrival\n\nWe arrived at the office" in _body(gdocs)
    assert "Field notes" not in _body(gdocs)  # the title paragraph is the title, printed once
    assert not missing_words(source_words(pages[0]), markdown_words(evidence)[0])


@pytest.mark.parametrize(("heading", "title", "same"), [
    ("International Organization for Migration", "International Organization for Migration - Wikipedia", True),
    ("Harbour strike enters its tenth day", "The Example Courier | Harbour strike enters its tenth day", True),
    ("Les frontières externalisées", "Chapitre 3 — Les frontières externalisées", True),
    ("Loomings", "Chapter 1: Loomings", True),
    ("A Scandal in Bohemia", "a scandal in Bohemia", True),
    ("The evidence", "Frontex in Libya: the evidence", False),
    ("Migration", "International Organization for Migration - Wikipedia", False),
    ("Returns programme", "Returns programme evaluated - Ministry of Interior", False),
])
def test_a_heading_is_the_title_only_if_it_says_the_same(heading, title, same):
    assert _same_title(heading, title) is same


def test_a_page_without_a_title_gives_its_first_heading_only_if_nothing_comes_before_it(tmp_path):
    top, later = tmp_path / "top.html", tmp_path / "later.html"
    top.write_text("<html><body><nav>Home</nav><h1>The Heading</h1><p>Words of the text.</p></body></html>")
    later.write_text("<html><body><p>Words before.</p><h2>A Section</h2><p>Words of the text.</p></body></html>")
    _, made = run_import(tmp_path, top, later)
    assert "title: The Heading   # from the first heading" in made["top.html"] and "#" not in _body(made["top.html"])
    assert "\nWords before.\n\n## A Section\n\nWords" in _body(made["later.html"])


def test_a_note_loses_what_its_number_left_behind(tmp_path):
    """EPUB notes written '<a href="#nref1">1</a>. Voir…': the number, a back link, goes; its '. ' too."""
    pages = REALWORLD / "ch03.xhtml", REALWORLD / "gdocs-field-notes-tunis.html"
    _, made = run_import(tmp_path, *pages)
    chapter, gdocs = (_body(made[p.name]) for p in pages)
    assert "\n[^1]: Voir Migreurop, *Atlas des migrants en Europe*, Paris, Armand Colin, 2017.\n" in chapter
    assert "\n[^2]: Entretien avec l’auteure, Genève, mars 2018.\n" in chapter
    assert "vers le Sud.[^1] Cette « externalisation »" in chapter and "rôle clé[^2], comme" in chapter
    assert "\n[^1]: A travel document issued by the UN.\n" in gdocs  # Google Docs' [1]&nbsp; before the text


def test_google_redirects_become_the_real_address(tmp_path):
    """Google Docs exports every link as https://www.google.com/url?q=REAL&sa=D&…"""
    page = REALWORLD / "gdocs-field-notes-tunis.html"
    _, made = run_import(tmp_path, page)
    assert "See [the mission page](https://www.iom.int/tunisia)." in made[page.name]
    assert "google" not in made[page.name]


def test_word_save_as_web_page_notes_lists_and_author(tmp_path):
    """Word's footnotes (<a style="mso-footnote-id:…" href="#_ftn1">), its lists (MsoListParagraph with a
    bullet in <span style="mso-list:Ignore">) and its author (<o:Author> in a conditional comment)."""
    page = REALWORLD / "word-report.htm"
    output, made = run_import(tmp_path, page)
    text = made[page.name]
    body = _body(text)
    assert "\nauthor: Maria Schmidt   #" in text
    assert "more than 100,000 people.[^1] The figures are contested" in body
    assert body.endswith("\n[^1]: BAMF, *Migrationsbericht 2019*, p. 121.\n") and body.count("[^1]") == 2
    assert "\n\n- Afghanistan: 12 per cent\n- Iraq: 9 per cent\n\nThe Länder’s own schemes" in body
    assert "·" not in body and "&#91;1&#93;" not in body
    assert "[suspect-notes]" not in output
