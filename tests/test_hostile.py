"""Hostile and broken input: nothing from outside the project reaches an output, nothing crashes.

The hostile projects (tests/projects/hostile-*) are copied next to a file holding a marker string;
their texts and styles try to load it (and /etc/passwd) every way they can. Every attempt must be
reported with its file and line, and no output may contain the marker.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from conftest import MINIMAL, MINIMAL_PDF_NAME, PROJECTS, TEXT_HEAD, build_command, build_env, load, run_build
from pypdf import PdfReader

from chapbook.check import check
from chapbook.diagnostics import Report
from chapbook.fetcher import ProjectFetcher
from chapbook.read import read_project

MARKER = "SECRET-MARKER-7f3a9c"
PASSWD = "root:x:0:0"


def plant(tmp_path: Path, name: str) -> Path:
    """A copy of a hostile project at tmp/NAME with marker files just outside it."""
    for suffix in ("png", "css", "svg"):
        (tmp_path / f"SECRET-MARKER.{suffix}").write_text(MARKER)
    root = tmp_path / name
    shutil.copytree(PROJECTS / name, root)
    return root


def outputs_text(folder: Path) -> str:
    """Everything in the outputs as text: PDF page text and raw bytes, and every zip member."""
    chunks = []
    for path in folder.rglob("*") if folder.exists() else ():
        if not path.is_file():
            continue
        data = path.read_bytes()
        chunks.append(data.decode("latin-1"))
        if path.suffix == ".pdf" and data.rstrip().endswith(b"%%EOF"):
            chunks += [page.extract_text() for page in PdfReader(path).pages]
        if path.suffix == ".epub":
            with zipfile.ZipFile(path) as z:
                chunks += [z.read(n).decode("utf-8", "replace") for n in z.namelist()]
    return "\n".join(chunks)


@pytest.mark.parametrize(("name", "count"), [("hostile-content", 11), ("hostile-styles", 6), ("hostile-svg", 3)])
def test_hostile_project_is_refused_and_every_attempt_located(tmp_path, name, count):
    root = plant(tmp_path, name)
    out = tmp_path / "out"
    out.mkdir()
    (out / "previous.pdf").write_bytes(b"%PDF- previous good output")
    result = run_build("pdf", "epub", "--project", root, "--output", out, "-q")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == count, result.stderr
    for line in errors:  # file:line:col of the content (or stylesheet) that made the attempt
        path, line_no, _ = line.split(":", 3)[:3]
        assert (root / path).is_file() or Path(path).is_file(), line
        assert int(line_no) > 0
    assert [p.name for p in out.iterdir()] == ["previous.pdf"]
    text = outputs_text(out)
    assert MARKER not in text and PASSWD not in text


def test_fetcher_refuses_even_what_the_checks_would_miss(tmp_path):
    """Defence in depth: the renderer itself cannot load anything outside the project."""
    root = plant(tmp_path, "hostile-content")
    fetcher = ProjectFetcher(root, [root / "styles"], allow_remote=False)
    for url in ("file:///etc/passwd", (tmp_path / "SECRET-MARKER.png").as_uri(), "https://example.org/x.png",
                "data:text/plain,hello", "chapbook-style:../../SECRET-MARKER.css", "ftp://example.org/x"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 6


def test_allow_remote_permits_web_styles_only_when_asked(tmp_path):
    root = plant(tmp_path, "hostile-styles")
    (root / "styles" / "custom.css").write_text("h1 { background: url(https://example.org/x.png); }\n")
    result = subprocess.run(build_command("check", "--project", root), capture_output=True, text=True,
                            env=build_env(), timeout=60)
    assert result.returncode == 1 and "--allow-remote" in result.stdout
    result = subprocess.run(build_command("check", "--project", root, "--allow-remote"), capture_output=True,
                            text=True, env=build_env(), timeout=60)
    assert result.returncode == 0, result.stdout
    assert ProjectFetcher(root, [], allow_remote=True).allow_remote


def test_metadata_and_template_syntax_come_out_as_written(tmp_path):
    """Jinja-like text is never executed; & < > " ' survive in PDF and well-formed EPUB XHTML."""
    root = plant(tmp_path, "hostile-metadata")
    out = tmp_path / "out"
    result = run_build("pdf", "epub", "--project", root, "--output", out, "-q")
    assert result.returncode == 0, result.stderr
    pdf = next(out.glob("*.pdf"))
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    flat = " ".join(text.split())
    for shown in ("{{ 7*7 }}", "{% raw %}", "Borders & Walls: <Them>", "O’Brien & <Sons>", "{# a comment #}"):
        assert shown in flat, shown
    assert "49" not in flat.replace("2026", "")
    assert PdfReader(pdf).metadata.title.startswith("Borders & Walls: <Them> vs “Us” {{ 7*7 }}")  # quotes curled
    epub = next(out.glob("*.epub"))
    with zipfile.ZipFile(epub) as z:
        documents = [n for n in z.namelist() if n.endswith((".xhtml", ".opf", ".ncx", ".svg"))]
        for name in documents:
            ET.fromstring(z.read(name))  # well-formed
        opf = ET.fromstring(z.read(next(n for n in documents if n.endswith(".opf"))))
        titles = [el.text for el in opf.iter("{http://purl.org/dc/elements/1.1/}title")]
        assert 'Borders & Walls: <Them> vs “Us” {{ 7*7 }}' in titles, titles  # curled, as the book shows it
        body = "".join(z.read(n).decode() for n in documents)
        assert "{{ 7*7 }}" in body and ">49<" not in body
    assert MARKER not in outputs_text(out)


# -- broken input: a located error or a build, never a traceback ---------------------------------


def _check_body(project: Path, raw: bytes) -> list[str]:
    (project / "content" / "texts" / "01-first-text.md").write_bytes(raw)
    loaded = load(project)
    check(loaded.publication, list(loaded.converted.values()), loaded.report)
    return loaded.report.lines(root=project)


BROKEN = {
    "malformed-yaml": (TEXT_HEAD.replace("title: The First Text", "title: [unclosed").encode() + b"Body.\n",
                       "content/texts/01-first-text.md:3:7: error: invalid YAML"),
    "invalid-utf8": (TEXT_HEAD.encode() + b"caf\xe9 au lait\n", "content/texts/01-first-text.md:9:4: error: not UTF-8"),
    "nul-byte": (TEXT_HEAD.encode() + b"A NUL\x00 here.\n", "content/texts/01-first-text.md:9:6: error: control"),
    "empty": (b"", "content/texts/01-first-text.md:1:1: error: missing front matter"),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_text_is_a_located_error(project, name):
    raw, expected = BROKEN[name]
    lines = _check_body(project, raw)
    assert any(line.startswith(expected) for line in lines), lines


@pytest.mark.parametrize("body", [
    "",  # an empty body after the front matter
    "x" * 10_000 + "\n",  # one 10,000-character word
    "".join("  " * i + "- item\n" for i in range(150)),  # deeply nested lists
    "> " * 300 + "deep quote\n",
    "[" * 500 + "]" * 500 + "\n" + "*" * 2000 + "\n" + "{" * 300 + "\n",
])
def test_awkward_bodies_convert(project, body):
    lines = _check_body(project, (TEXT_HEAD + body).encode())
    assert not [line for line in lines if ": error: " in line], lines


def test_five_megabytes_of_text_convert(project):
    paragraph = "Plain prose about borders, the IOM and the people who cross them, in one long sentence. " * 6
    body = (paragraph + "\n\n") * (5_000_000 // (len(paragraph) + 2))
    start = time.perf_counter()
    lines = _check_body(project, (TEXT_HEAD + body).encode())
    assert not [line for line in lines if ": error: " in line]
    assert time.perf_counter() - start < 120  # a generous bound: linear, not quadratic


def test_broken_bibliography_and_glossary(project):
    (project / "bibliography.bib").write_text("@book{a, title={x}\n@book{b, title={y}}\n@book{b, title={z}}\n")
    (project / "content" / "glossary.yml").write_text(
        "- term: C++\n  definition: A language.\n- term: '(*'\n  definition: Metacharacters.\n"
        "- term: '[x]'\n  definition: Brackets.\n- term: border agency\n  definition: d\n  : broken\n")
    report = Report()
    publication = read_project(project, report)
    lines = report.lines(root=project)
    assert any(line.startswith("bibliography.bib:2: error: bibliography syntax error") for line in lines), lines
    assert any(line.startswith("bibliography.bib:3: error: duplicate bibliography key 'b'") for line in lines)
    assert any(line.startswith("content/glossary.yml:") and "invalid YAML" in line for line in lines), lines
    assert publication is not None


def test_glossary_terms_with_regex_metacharacters(project):
    (project / "content" / "glossary.yml").write_text(
        "- term: C++\n  definition: A language.\n- term: '(*'\n  definition: Odd.\n"
        "- term: a.b\n  definition: Dotted.\n")
    lines = _check_body(project, (TEXT_HEAD + "We write C++ and (* and axb but a.b and [[C++]].\n").encode())
    assert not [line for line in lines if ": error: " in line and "01-first" in line], lines
    loaded = load(project)
    html = loaded.converted["first-text"].html
    assert 'href="#gl-c"' in html and ">a.b<" in html and ">axb" not in html


def test_malformed_publication_yml_via_the_command_line(tmp_path):
    root = tmp_path / "p"
    shutil.copytree(MINIMAL, root)
    (root / "content" / "publication.yml").write_text("title: [oops\npaper: A5\n")
    result = run_build("pdf", "--project", root, "--output", tmp_path / "out", "-q")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "content/publication.yml:" in result.stderr and "invalid YAML" in result.stderr


# -- atomic outputs ----------------------------------------------------------------------------------


def test_killed_build_keeps_the_previous_pdf_and_leaves_no_temporary_files(tmp_path, minimal_pdf):
    root = tmp_path / "p"
    shutil.copytree(MINIMAL, root)
    out = tmp_path / "out"
    out.mkdir()
    good = minimal_pdf.read_bytes()
    (out / MINIMAL_PDF_NAME).write_bytes(good)
    process = subprocess.Popen(build_command("pdf", "--project", root, "--output", out, "-q"), env=build_env(),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not list(out.glob(".*.part")):
        assert process.poll() is None, "the build ended before its PDF write could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert (out / MINIMAL_PDF_NAME).read_bytes() == good
    assert list(out.glob(".*.part")), "the killed build should have left its temporary file"
    result = run_build("pdf", "--project", root, "--output", out, "-q")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir() if p.name != ".cache") == [MINIMAL_PDF_NAME]
    assert (out / MINIMAL_PDF_NAME).read_bytes().startswith(b"%PDF-")


def test_back_cover_text_is_escaped_or_refused(tmp_path):
    """The subject is plain metadata (escaped on the back cover); the blurb is Markdown (raw HTML refused)."""
    root = tmp_path / "p"
    shutil.copytree(MINIMAL, root)
    pub = root / "content" / "publication.yml"
    pub.write_text(pub.read_text().replace("subject: Testing chapbook", "subject: Testing <angle> brackets"))
    result = run_build("pdf", "--project", root, "--output", tmp_path / "out", "-q")
    assert result.returncode == 0, result.stderr
    back_cover = PdfReader(next((tmp_path / "out").glob("*.pdf"))).pages[-1].extract_text()
    assert "Testing <angle> brackets" in back_cover
    pub.write_text(pub.read_text() + "blurb: A <b>bold</b> claim.\n")
    result = run_build("pdf", "--project", root, "--output", tmp_path / "out2", "-q")
    assert result.returncode == 1
    assert "internal error" not in result.stderr
    assert result.stderr.splitlines()[0].endswith(
        "error: raw HTML is not allowed in 'blurb'; use Markdown (write &lt; for a literal '<')")


def test_a_stylesheet_nested_thousands_deep_is_refused_at_its_line(tmp_path):
    """Functions nested 5,000 deep in custom.css ran the checker (and WeasyPrint) out of stack: an
    internal error. It is now a located error, and nothing is written."""
    root = tmp_path / "project"
    shutil.copytree(MINIMAL, root)
    (root / "styles").mkdir()
    (root / "styles" / "custom.css").write_text(
        "p { color: black; }\n@page { @bottom-left { content: " + "f(" * 5000 + "counter(page)" + ")" * 5000
        + "; } }\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_build("pdf", "--project", root, "--output", out)
    assert result.returncode == 1
    assert "custom.css:2:" in result.stderr and "more than 64 deep" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert not out.exists() or not list(out.glob("*.pdf"))


def test_characters_no_font_has_fail_the_build_at_their_line(tmp_path):
    """Chinese and emoji in a text: no font of the book's or the machine's has them, and WeasyPrint
    drew empty boxes while the build exited 0. Now an error at the line, nothing written; again from
    the cache of laid-out parts, in a second build."""
    root = tmp_path / "project"
    shutil.copytree(MINIMAL, root)
    text = root / "content" / "texts" / "02-second-text.md"
    lines = text.read_text(encoding="utf-8").rstrip("\n").split("\n")
    lines.append("")
    lines.append("The sign read 入国管理局 and a poster showed 🧱.")
    text.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    for _ in range(2):
        result = run_build("pdf", "epub", "--project", root, "--output", out)
        assert result.returncode == 1, result.stderr
        assert (f"content/texts/02-second-text.md:{len(lines)}:15: error: no font has the characters "
                "'入国管理局🧱' (U+5165, U+56FD, U+7BA1, U+7406, U+5C40, U+1F9F1)") in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
        assert not list(out.glob("*.pdf")) and not list(out.glob("*.epub"))


def test_what_does_not_fit_the_page_is_wrapped_or_reported(tmp_path):
    """Material no one here wrote: a 110-letter compound and a 80-character hash ran past the margin
    and off the page (the words were lost, the build exited 0), and so did a ten-column table. The
    words now break where they must; the table, which cannot, is a warning at its line."""
    root = tmp_path / "project"
    shutil.copytree(MINIMAL, root)
    text = root / "content" / "texts" / "02-second-text.md"
    compound = ("Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherungsanstalts"
                "verwaltungsgebäudereinigungsfirma")
    digest = "3f786850e387550fdab836ed7e6dc881de23001b" * 2
    lines = text.read_text(encoding="utf-8").rstrip("\n").split("\n")
    lines += ["", f"A token: {compound} and a hash {digest} ends.", ""]
    lines += ["| Year | Country | Programme | Budget | Migrants | Staff | Offices | Partner | Donor | Remarks |",
              "|---|---|---|---|---|---|---|---|---|---|",
              "| 2002 | Switzerland | Assisted voluntary return | 1,000,000 | 12,000 | 345 | 19 | UNHCR | "
              "European Union | A long remark |"]
    text.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_build("pdf", "--project", root, "--output", out)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "past the right margin" in line]
    assert len(warnings) == 1, result.stderr
    assert f"content/texts/02-second-text.md:{len(lines) - 2}:" in warnings[0]
    pdf = next(out.glob("*.pdf"))
    words = "".join("".join(page.extract_text() for page in PdfReader(pdf).pages).split())
    words = words.replace("-", "").replace("\u2010", "")
    assert compound in words and digest in words
    import pikepdf

    book = pikepdf.open(pdf)
    width = float(book.pages[0].mediabox[2])
    reader = PdfReader(pdf)
    for page in reader.pages:  # no glyph of the long words set beyond the page's right edge
        def visit(chunk, cm, tm, font, size):
            if chunk.strip() and (compound[:20] in chunk or digest[:20] in chunk):
                assert tm[4] * cm[0] + cm[4] < width
        page.extract_text(visitor_text=visit)
