"""``build.py import``: raw copies of articles → content files, originals kept, leftovers flagged."""

from __future__ import annotations

import shutil

from conftest import MINIMAL, REPO, run_build

from chapbook.htmlimport import decode
from chapbook.importer import leftovers

ARTICLE = """<!DOCTYPE html><html><head><title>Borders &amp; Camps | Example News</title>
<meta name="author" content="Sam Writer"></head><body><nav><a href="/">Home</a></nav>
<article><h1>Borders &amp; Camps</h1><p>5 min read</p>
<p>The camp was opened in 2019 and has since held thousands of people. The report describes the conditions
in detail and cites <a href="https://example.org/doc">the official document</a> in full.</p>
<p>A second paragraph: officials declined to comment on the figures, which come from three groups.</p>
<p>Share this: Facebook Twitter WhatsApp Email</p>
<h2>Related articles</h2><p>Subscribe to our newsletter for weekly updates!</p></article>
<div class="comments"><h3>3 Comments</h3><p>Leave a Reply</p></div></body></html>
"""


def test_import_html_and_text(tmp_path):
    project = tmp_path / "p"
    shutil.copytree(MINIMAL, project)
    html = tmp_path / "borders.html"
    html.write_text(ARTICLE)
    txt = tmp_path / "notes.txt"
    txt.write_bytes(b"A Plain Title\n\nSome text with <b>tags</b> & more.\n\r\nScroll to top\n")
    result = run_build("import", html, txt, "--project", project)
    assert result.returncode == 0, result.stderr
    made = project / "content" / "texts" / "03-borders-camps.md"
    plain = project / "content" / "texts" / "04-a-plain-title.md"
    assert made.is_file() and plain.is_file(), result.stdout
    assert (project / "content" / "originals" / "borders.html").read_text() == ARTICLE
    assert (project / "content" / "originals" / "notes.txt").read_bytes() == txt.read_bytes()
    text = made.read_text()
    assert text.startswith("---\ntitle: ") and "author: Sam Writer" in text
    for leftover in ("5 min read", "Share this", "Related articles", "Leave a Reply", "Subscribe"):
        assert leftover in text, leftover  # never removed silently …
        assert any(leftover in line and "[web-leftover]" in line for line in result.stdout.splitlines())
    lines = text.split("\n")
    for line in result.stdout.splitlines():  # … and flagged with the line in the new file
        if "03-borders-camps.md:" in line:
            number = int(line.split(".md:")[1].split(":")[0])
            quoted = line.split("): '")[1].split("'; confirm")[0]
            assert quoted in lines[number - 1]
    assert "&lt;b>tags&lt;/b>" in plain.read_text()
    check = run_build("check", "--project", project)
    assert "Traceback" not in check.stderr
    assert ": error: " not in check.stdout, check.stdout  # imported texts check clean but for the order
    assert "borders.html:2: warning: dropped <nav> (navigation" in result.stdout  # chrome left out, and said so


def test_import_refuses_unknown_files(tmp_path):
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    result = run_build("import", tmp_path / "x.pdf", "--project", MINIMAL)
    assert result.returncode == 2 and "is not" in result.stderr


def test_leftover_patterns_spare_ordinary_sentences():
    body = "The report was shared with the ministry.\n\nComments\n\n4 min read\n\nBack to top\n"
    assert [(i, what) for i, _, what in leftovers(body)] == [
        (2, "a comment section heading"), (4, "a reading-time badge"), (6, "page navigation")]


def test_a_file_with_no_text_is_an_error_and_nothing_is_written(tmp_path):
    """An empty file, a page that is all chrome, a PDF saved as .html: an error naming the file, exit 1,
    nothing written (not a text of Latin-1 mojibake, nor an empty text that 'check' passes)."""
    project = tmp_path / "p"
    shutil.copytree(MINIMAL, project)
    empty, chrome, pdf, good = (tmp_path / n for n in ("empty.html", "chrome.html", "binary.html", "good.txt"))
    empty.write_bytes(b"")
    chrome.write_text("<html><body>\n<nav><a href='/'>Home</a></nav></body></html>")
    pdf.write_bytes(b"%PDF-1.7\n%\xbf\xf7\xa2\xfe\n1 0 obj\n<< /Type /ObjStm /Length 8545 >>\nstream\nx\x00\x9c\x01")
    good.write_text("A text\n\nwith words.\n")
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    for bad, message in ((empty, "the file is empty"), (chrome, "no text to import (everything in it was left out"),
                         (pdf, "the file is a PDF file, not a web page")):
        result = run_build("import", good, bad, "--project", project)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert f"{bad}: error: {message}" in result.stdout, result.stdout
        assert "nothing imported: 1 file with no text to import" in result.stdout
        assert sorted(p.relative_to(project) for p in project.rglob("*")) == before
        assert (f"{chrome}:2: warning: dropped <nav> (navigation" in result.stdout) == (bad == chrome)


def test_byte_order_marks_decide_the_encoding(tmp_path):
    """Notepad's "Unicode" is UTF-16 LE with a BOM and CRLF; read as cp1252 its title began 'ÿþ'."""
    project = tmp_path / "p"
    shutil.copytree(MINIMAL, project)
    source = REPO / "tests" / "fixtures" / "import" / "realworld" / "notepad-utf16.txt"
    result = run_build("import", source, "--project", project)
    assert result.returncode == 0, result.stderr
    text = (project / "content" / "texts" / "03-deportation-diaries.md").read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: Deportation Diaries   # guessed from the first line")
    body = text.split("---\n", 2)[2].lstrip("\n")
    assert body == source.read_bytes()[2:].decode("utf-16-le").replace("\r\n", "\n").strip() + "\n"
    assert "Deportation Diaries\nby Ana Lima\n\nThe first day in the centre was quiet. “We wait,” she said." in body
    assert "note: read as UTF-16-LE, as its byte-order mark says" in result.stdout
    words = "Café “naïve” — done.\r\n"
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"),
                       (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be")):
        assert decode(bom + words.encode(codec))[0] == words, codec


def test_markdown_front_matter_lists_objects_and_dates(tmp_path):
    """Obsidian's and Pandoc's front matter: a list of authors, author objects, YAML dates and datetimes,
    chapbook's own authors: — never a Python repr ('['Lena Fischer', …]') or '2021-06-03 10:22:00'."""
    project = tmp_path / "p"
    shutil.copytree(MINIMAL, project)
    folder = REPO / "tests" / "fixtures" / "import" / "realworld"
    odd = tmp_path / "odd.md"
    odd.write_text("---\ntitle: Odd\nauthor: {given: Ana, family: Lima}\ndate: someday\n---\n\nWords.\n")
    result = run_build("import", *(folder / f"{n}.md" for n in ("obsidian-note", "pandoc-note", "pandoc-note2")), odd,
                       "--project", project)
    assert result.returncode == 0, result.stderr
    texts = project / "content" / "texts"
    obsidian, pandoc, pandoc2, odd_text = (next(texts.glob(f"{n:02d}-*.md")).read_text() for n in (3, 4, 5, 6))
    assert "\nauthors: [Lena Fischer, Tomás Ruiz]\n" in obsidian and "\ndate: '2021-06-03'" in obsidian
    assert "\nlang: en-GB\n" in obsidian
    assert "\nauthors: [Ana Lima, Ben Ode]\n" in pandoc and "\ndate: '2021-06-03'   #" in pandoc
    assert "\nauthor: Ana Lima   #" in pandoc2 and "affiliation" not in pandoc2 and "\ndate: 2021-06   #" in pandoc2
    assert "\nauthor: Ana Lima   #" in odd_text and "\ndate: unknown   #" in odd_text
    assert "note: the date 'someday' in the front matter is not a date chapbook reads" in result.stdout
    check = run_build("check", "--project", project)
    assert "Traceback" not in check.stderr and "author" not in check.stdout and "date" not in check.stdout, check.stdout


def test_an_imported_file_holds_nothing_its_text_is_then_refused_for(tmp_path):
    """An old plain-text file's form feeds (page breaks), vertical tabs and a direction override were
    kept by the import, and the text it wrote then failed ``check`` with three errors. The importer
    now drops what the texts' own check refuses (both name chapbook.charclasses' classes); a form
    feed ends a paragraph and a line separator a line."""
    project = tmp_path / "p"
    shutil.copytree(MINIMAL, project)
    old = tmp_path / "old-report.txt"
    old.write_text("Old Report\n\nThe first page ends here.\x0cThe second\x0b begins \u202ehere,\u2028on a "
                   "line.\n", encoding="utf-8")
    result = run_build("import", old, "--project", project)
    assert result.returncode == 0, result.stdout + result.stderr
    made = next((project / "content" / "texts").glob("*-old-report.md"))
    body = made.read_text(encoding="utf-8").split("---\n", 2)[2]
    assert "The first page ends here.\n\nThe second begins here,\non a line." in body
    config = project / "content" / "publication.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("texts: [first-text, second-text]",
                                                                 "texts: [first-text, second-text, old-report]"),
                      encoding="utf-8")
    check = run_build("check", "--project", project)
    assert check.returncode == 0 and ": error: " not in check.stdout, check.stdout


def test_markdown_front_matter_with_aliases_is_not_read(tmp_path):
    """An alias bomb in an imported .md's front matter: safe_load shares the aliases, but reading its
    author flattened them into 9**8 names and the import ran out of memory (killed after 120 s,
    2.8 GB; here 9**7). The front matter is refused as a project's YAML would be, with a note; the text is imported."""
    project = tmp_path / "p"
    shutil.copytree(MINIMAL, project)
    levels = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'] + [
        f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]" for a, b in zip("abcdef", "bcdefg", strict=True)]
    bomb = tmp_path / "bomb.md"
    bomb.write_text("---\n" + "\n".join(levels) + "\ntitle: Bomb\nauthor: *g\n---\n\nBody words.\n", encoding="utf-8")
    result = run_build("import", bomb, "--project", project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert ("note: the front matter was not read (line 3): YAML aliases ('*a') are not allowed in a chapbook "
            "project: write the value out") in result.stdout
    text = next((project / "content" / "texts").glob("03-*.md")).read_text(encoding="utf-8")
    assert "Body words." in text and "lol" in text  # nothing dropped: the front matter stays for the editor


def test_an_imported_page_takes_notes_only_from_its_own_folder_or_book(tmp_path):
    """A saved page's note link ``../Documents/notes.html#n1`` made the import read that file of the
    user's (any HTML below the page's grandparent folder) and put the element in the new text. A page
    takes notes from its own folder, or from the unpacked EPUB it is a chapter of."""
    project = tmp_path / "p"
    shutil.copytree(MINIMAL, project)
    page = ("<html><head><title>{title}</title></head><body><main><h1>{title}</h1>"
            "<p>A claim.<sup><a href=\"{href}\">1</a></sup></p></main></body></html>")
    notes = "<html><body><ol><li id=\"n1\"><p>{text}</p></li></ol></body></html>"
    (tmp_path / "Documents").mkdir()
    (tmp_path / "Documents" / "notes.html").write_text(notes.format(text="SECRET diary entry"), encoding="utf-8")
    (tmp_path / "Downloads").mkdir()
    saved = tmp_path / "Downloads" / "page.html"
    saved.write_text(page.format(title="Saved Page", href="../Documents/notes.html#n1"), encoding="utf-8")
    book = tmp_path / "book"
    (book / "META-INF").mkdir(parents=True)
    (book / "META-INF" / "container.xml").write_text("<container/>", encoding="utf-8")
    (book / "OEBPS" / "Text").mkdir(parents=True)
    (book / "OEBPS" / "notes.xhtml").write_text(notes.format(text="The book's own endnote."), encoding="utf-8")
    chapter = book / "OEBPS" / "Text" / "chapter.xhtml"
    chapter.write_text(page.format(title="A Chapter", href="../notes.xhtml#n1"), encoding="utf-8")
    result = run_build("import", saved, chapter, "--project", project)
    assert result.returncode == 0, result.stdout + result.stderr
    texts = {p.name: p.read_text(encoding="utf-8") for p in (project / "content" / "texts").glob("*.md")}
    assert "SECRET" not in "".join(texts.values()) and "notes taken from notes.html" not in result.stdout
    assert "The book's own endnote." in next(t for n, t in texts.items() if n.endswith("a-chapter.md"))
