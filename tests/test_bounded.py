"""Issue 10, a bounded build: inputs that used to grow faster than linearly, and their limits.

Correctness only: speed is measured by bench/bounded.py (bench/results-bounded.md), never asserted.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import BODY_LINE, MINIMAL, PROJECTS, TEXT_HEAD, load, run_build

from chapbook import bibliography as bibmod
from chapbook import markup
from chapbook.diagnostics import Report
from chapbook.imagecheck import MAX_IMAGE_PIXELS
from chapbook.render import glossary_marks

# ---- 1. glossary marks: each page once, sorted -------------------------------------------------


def _glossary_pages(pdf: Path, definition: str) -> list[int]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = " ".join(text.split())
    m = re.search(re.escape(definition) + r" — pp?\. ((?:\d+, )*\d+)", flat)
    assert m, flat[-1500:]
    return [int(n) for n in m.group(1).split(", ")]


def test_glossary_lists_each_page_once_in_order(tmp_path: Path) -> None:
    project = tmp_path / "many-marks"
    shutil.copytree(MINIMAL, project)
    # one term marked 40 times in one paragraph (one page), then on the next pages too
    many = " ".join(["The [[border agency]] acts."] * 40)
    filler = "\n\n".join(["Words about states and their borders, again and again. " * 12] * 12)
    body = many + "\n\n" + filler + "\n\n" + many + "\n\n" + filler + "\n\n" + many + "\n"
    (project / "content" / "texts" / "01-first-text.md").write_text(TEXT_HEAD + body, encoding="utf-8")
    result = run_build("pdf", "--project", project, "--output", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    pages = _glossary_pages(tmp_path / "out" / "a-minimal-reader.pdf", "A state body that controls borders.")
    assert pages == sorted(set(pages)), pages
    assert len(pages) >= 3  # three separate runs of marks, pages apart, and the second text's mark


def test_glossary_marks_one_per_page_sorted_by_page() -> None:
    loaded = load(MINIMAL)
    converted = list(loaded.converted.values())
    everything = glossary_marks(loaded.publication, converted)
    ids = [m for marks in everything.values() for m, _ in marks]
    # every mark on page 7 → one reference per entry; none known → the first mark in each part
    same_page = glossary_marks(loaded.publication, converted, {m: 7 for m in ids})
    assert all(len(marks) == 1 for marks in same_page.values())
    per_part = glossary_marks(loaded.publication, converted, {})
    assert all(len({t for _, t in marks}) == len(marks) for marks in per_part.values())
    backwards = {m: 100 - i for i, m in enumerate(ids)}
    for marks in glossary_marks(loaded.publication, converted, backwards).values():
        pages = [backwards[m] for m, _ in marks]
        assert pages == sorted(set(pages))


# ---- 2. footnotes: linear, and a located limit --------------------------------------------------


def _notes(n: int) -> str:
    calls = "\n\n".join(" ".join(f"Claim {i + j}.[^{i + j}]" for j in range(1, 11)) for i in range(0, n, 10))
    return calls + "\n\n" + "\n".join(f"[^{i}]: Note number {i}." for i in range(1, n + 1)) + "\n"


def test_five_thousand_footnotes_convert(convert_body) -> None:
    loaded = convert_body(_notes(5000))
    assert not loaded.report.errors, loaded.lines()
    html = loaded.converted["first-text"].html
    assert html.count('class="footnote-ref"') == 5000
    assert html.count('<li id="fn-first-text-') == 5000
    assert '<sup id="fnref-first-text-4999"><a class="footnote-ref" href="#fn-first-text-4999">4999</a>' in html
    assert "Note number 5000." in html


def test_repeated_note_calls_are_numbered_as_python_markdown_does(convert_body) -> None:
    loaded = convert_body("A[^a] b[^b] c[^a] d[^a].\n\n[^a]: First.\n[^b]: Second.\n")
    html = loaded.converted["first-text"].html
    assert html.count('href="#fn-first-text-a">1</a>') == 3
    assert 'id="fnref3-first-text-a"' in html and 'href="#fnref3-first-text-a"' in html  # named per text
    assert 'href="#fn-first-text-b">2</a>' in html


def test_too_many_footnotes_is_a_located_error(convert_body) -> None:
    n = markup.MAX_FOOTNOTES + 1
    loaded = convert_body(_notes(n))
    paragraphs = -(-n // 10)  # of ten calls each, each followed by a blank line
    over_call = (BODY_LINE + 2 * (markup.MAX_FOOTNOTES // 10), len(f"Claim {n}.") + 1)
    over_note = BODY_LINE + 2 * paragraphs + markup.MAX_FOOTNOTES
    limit = f"{markup.MAX_FOOTNOTES:,}"
    assert loaded.lines() == [
        f"content/texts/01-first-text.md:{over_call[0]}:{over_call[1]}: error: more than {limit} footnote "
        "note calls in one text (the limit): split the text into parts or merge notes",
        f"content/texts/01-first-text.md:{over_note}:1: error: more than {limit} footnote notes in one "
        "text (the limit): split the text into parts or merge notes",
    ]
    assert loaded.report.errors[0].kind == "too-many-footnotes"


# ---- 3. bibliography: linear line index, a size limit, safe links ------------------------------


def test_entry_lines_are_exact() -> None:
    text = "".join(f"@misc{{k{i},\n  title = {{T}},\n" + "\n" * (i % 3) + "}\n" for i in range(300))
    lines = bibmod._entry_lines(text)
    expected, line = {}, 1
    for i in range(300):
        expected[f"k{i}"] = [line]
        line += 3 + (i % 3)
    assert dict(lines) == expected


def test_bibliography_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    bib = tmp_path / "bibliography.bib"
    bib.write_bytes(b"% padding\n" * (bibmod.MAX_BIB_BYTES // 10 + 1))
    report = Report()
    result = bibmod.load_bibliography(bib, report)
    assert not result.keys
    assert [d.format() for d in report.errors] == [
        f"{bib}: error: the bibliography is {bib.stat().st_size / 1e6:.1f} MB, more than the limit of "
        f"{bibmod.MAX_BIB_BYTES / 1e6:.0f} MB: keep only the entries this reader cites (e.g. export them "
        "from your reference manager)"]


def test_hostile_bib_urls_are_located_errors() -> None:
    project = PROJECTS / "hostile-bib-url"
    result = run_build("check", "--project", project.relative_to(MINIMAL.parent.parent.parent))
    assert result.returncode == 1
    bib = "tests/projects/hostile-bib-url/bibliography.bib"
    assert result.stdout.splitlines() == [
        f"{bib}:28:1: error: url 'javascript:alert(document.cookie)' of bibliography entry 'script2020' "
        "must be a web address (https://…) or mailto: [unsafe-link]",
        f"{bib}:35:1: error: url 'file:///etc/passwd' of bibliography entry 'local2021' must be a web "
        "address (https://…) or mailto: [unsafe-link]",
    ]


def test_bib_links_are_percent_encoded_and_never_unsafe() -> None:
    loaded = load(PROJECTS / "hostile-bib-url")
    bib = loaded.publication.bibliography
    hrefs = re.findall(r'href="([^"]*)"', "".join(bib.entry_html(k) for k in bib.keys))
    assert "https://doi.org/10.1000/x%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E%20y" in hrefs
    assert "https://example.org/a%20page?q=%22%3Cb%3E%22" in hrefs
    for href in hrefs:
        assert href.startswith(("https://", "http://", "mailto:")), href
        assert not re.search(r'[<>" ]', href), href
    assert "javascript:" not in bib.entry_html("script2020") or "<a" not in bib.entry_html("script2020")
    assert "<a" not in bib.entry_html("local2021")


# ---- 4. images that would not reach the page ---------------------------------------------------


def test_broken_image_is_a_located_error() -> None:
    result = run_build("check", "--project", "tests/projects/broken-image")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "tests/projects/broken-image/content/texts/01-first-text.md:19:1: error: image '../images/broken.png' "
        "is not an image file chapbook can read (PNG, JPEG, GIF, WebP …) or is damaged: it cannot be put "
        "on the page [broken-image]"]


def test_decompression_bomb_is_a_located_error(tmp_path: Path) -> None:
    from PIL import Image

    project = tmp_path / "bomb-image"
    shutil.copytree(PROJECTS / "bomb-image", project)
    Image.new("1", (30000, 30000)).save(project / "content" / "images" / "bomb.png", optimize=True)
    assert (project / "content" / "images" / "bomb.png").stat().st_size < 1_000_000
    result = run_build("pdf", "--project", project, "--output", tmp_path / "out")
    assert result.returncode == 1
    assert (f"{project}/content/texts/01-first-text.md:19:1: error: image '../images/bomb.png' has more than "
            f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels (the limit): it cannot be put on the page"
            in result.stderr), result.stderr
    assert not (tmp_path / "out" / "a-minimal-reader.pdf").exists()


def test_image_weasyprint_cannot_load_is_located_at_write_time(tmp_path: Path) -> None:
    """The second net: an image that passed the checks but that WeasyPrint drops while typesetting."""
    from chapbook.diagnostics import ContentProblem
    from chapbook.pipeline import Build, Progress, prepare
    from chapbook.writers.pdf import PdfWriter

    report = Report()
    publication, converted = prepare(PROJECTS / "broken-image", report, Progress(io.StringIO(), quiet=True))
    build = Build(publication, converted, tmp_path, Report())  # as if the check stage had let it through
    with pytest.raises(ContentProblem) as raised:
        PdfWriter().write(build)
    assert str(raised.value.location).endswith("broken-image/content/texts/01-first-text.md:19:1")
    assert raised.value.message.startswith("image '../images/broken.png' could not be loaded (")
    assert raised.value.code == "broken-image"
    assert not list(tmp_path.glob("*.pdf"))


def test_verbose_shows_weasyprints_own_messages(capsys) -> None:
    """-v: WeasyPrint's warnings reach the terminal (its logger has only a do-nothing handler)."""
    import logging

    from chapbook.cli import _quiet_libraries

    weasy = logging.getLogger("weasyprint")
    before = list(weasy.handlers)
    try:
        _quiet_libraries(verbose=True)
        weasy.warning("Failed to load image at %s", "file:///x.png")
        assert "weasyprint: WARNING: Failed to load image at file:///x.png" in capsys.readouterr().err
        _quiet_libraries(verbose=False)
        weasy.warning("quiet now")
        assert "quiet now" not in capsys.readouterr().err
    finally:
        weasy.handlers[:] = before


def test_string_macros_that_multiply_are_a_located_error(tmp_path: Path) -> None:
    """Ten lines of '@string{s2 = s1 # s1 # …}' grew 15 characters to gigabytes: pybtex joined them all
    (check: 87 s, 16 GB, then an internal MemoryError). All macro expansions together are bounded: past
    the bound a macro expands to nothing, the error is at its definition, and the entries are still read."""
    levels = ['@string{s0 = "lollollollollol"}'] + [
        f"@string{{s{i} = {' # '.join([f's{i - 1}'] * 10)}}}" for i in range(1, 7)]
    bib = tmp_path / "bibliography.bib"
    bib.write_text("\n".join(levels) + "\n@book{doe2020, author = {Doe, Jane}, title = {A Title}, year = 2020,\n"
                   "  note = s6 # s6 # s6 # s6}\n", encoding="utf-8")
    report = Report()
    result = bibmod.load_bibliography(bib, report)
    assert [d.format() for d in report.errors] == [
        f"{bib}:6: error: the @string macros expand to more than 16 MB of text ('s5' joins others over and "
        "over); a macro should be a journal's name or the like"]
    assert result.keys == {"doe2020"}
