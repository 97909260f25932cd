"""Classroom handouts (issue 6): the minimal reader's handouts, built once per session with its book.

Pages are read back with pypdf. Book pages are numbered from 1, as printed (the cover is page 1).
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
from functools import cache
from pathlib import Path

import pytest
from conftest import MINIMAL, MINIMAL_PDF_NAME, REPO, load, run_build
from pypdf import PdfReader

from chapbook.render import inline_markdown

A4 = (210 / 25.4 * 72, 297 / 25.4 * 72)
TEXTS = ("first-text", "second-text")
PACK = "a-minimal-reader-class-pack.pdf"


def squash(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def plain(fragment: str) -> str:
    """An HTML fragment as the text a reader sees."""
    return squash(html.unescape(re.sub(r"<[^>]+>", "", fragment)))


@cache
def pages_text(path: Path) -> tuple[str, ...]:
    return tuple(page.extract_text() or "" for page in PdfReader(path).pages)


def flat(path: Path) -> str:
    return squash(" ".join(pages_text(path)))


def book_range(book: Path, title: str) -> tuple[int, int]:
    """A text's pages in the book PDF: from its bookmark to the last page with text before the next part."""
    reader = PdfReader(book)
    top = [(item.title, reader.get_destination_page_number(item) + 1) for item in reader.outline
           if not isinstance(item, list)]
    index = next(i for i, (t, _) in enumerate(top) if t == title)
    first, following = top[index][1], top[index + 1][1]
    last = following - 1
    while last > first and not pages_text(book)[last - 1].strip():
        last -= 1
    return first, last


def pp(first: int, last: int) -> str:
    return f"p. {first}" if first == last else f"pp. {first}–{last}"


@pytest.fixture(scope="session")
def handouts_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("handouts-output")
    result = run_build("pdf", "handouts", "--project", MINIMAL.relative_to(REPO), "--output", output)
    assert result.returncode == 0, result.stderr
    return output


@pytest.fixture(scope="session")
def minimal():
    return load(MINIMAL)


def test_one_handout_per_text_and_a_class_pack(handouts_build: Path) -> None:
    folder = handouts_build / "handouts"
    assert sorted(p.name for p in folder.glob("*.pdf")) == sorted([f"{s}.pdf" for s in TEXTS] + [PACK])
    pack = PdfReader(folder / PACK)
    starts = []
    for slug in TEXTS:
        starts.append(len(starts) and starts[-1] + len(PdfReader(folder / f"{slug}.pdf").pages))
        starts[-1] += starts[-1] % 2  # each handout starts on a right-hand page
    assert [(item.title, pack.get_destination_page_number(item)) for item in pack.outline] == \
        [("The First Text", starts[0]), ("A Second Text", starts[1])]
    assert {f"{s}-gl-border-agency" for s in TEXTS} <= set(pack.named_destinations)  # no clashing ids
    assert squash(pages_text(folder / PACK)[starts[1]]).startswith(squash(pages_text(folder / "second-text.pdf")[0]))


def test_a4_pages(handouts_build: Path) -> None:
    for pdf in (handouts_build / "handouts").glob("*.pdf"):
        for page in PdfReader(pdf).pages:
            assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4, abs=0.5), pdf


@pytest.mark.parametrize("slug", TEXTS)
def test_header_block(handouts_build: Path, minimal, slug: str) -> None:
    part = minimal.converted[slug].part
    bib = minimal.publication.bibliography
    first = squash(pages_text(handouts_build / "handouts" / f"{slug}.pdf")[0])
    for expected in ("A Minimal Reader", "Two short texts for testing", part.title, ", ".join(part.authors),
                     plain(bib.entry_html(part.source)), "The editors' parts are licensed CC BY 4.0.",
                     plain(inline_markdown(part.summary))):
        assert squash(expected.replace("'", "’")) in first or squash(expected) in first, expected
    assert {"first-text": "3 May 2019", "second-text": "2002"}[slug] in first
    meta = PdfReader(handouts_build / "handouts" / f"{slug}.pdf").metadata
    assert meta.title == part.title and meta.author == ", ".join(part.authors)


@pytest.mark.parametrize("slug", TEXTS)
def test_glossary_is_exactly_the_terms_marked_in_the_text(handouts_build: Path, minimal, slug: str) -> None:
    text = flat(handouts_build / "handouts" / f"{slug}.pdf")
    marked = {entry for entry, _ in minimal.converted[slug].glossary_marks}
    assert marked  # the test means something only if some terms are marked
    shown = {e.slug for e in minimal.publication.glossary if plain(inline_markdown(e.definition)) in text}
    assert shown == marked


@pytest.mark.parametrize("slug", TEXTS)
def test_links_stay_inside_the_handout(handouts_build: Path, minimal, slug: str) -> None:
    """Glossary marks and citations point at the handout's own glossary and references, prefixed by slug."""
    reader = PdfReader(handouts_build / "handouts" / f"{slug}.pdf")
    names = set(reader.named_destinations)
    targets = []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            dest = annot.get_object().get("/Dest")
            if dest is not None:
                targets.append(str(dest))
    assert any(t.startswith(f"{slug}-gl-") for t in targets)
    assert any(t.startswith(f"{slug}-ref-") for t in targets) == bool(minimal.converted[slug].cited_keys)
    assert set(targets) <= names
    assert not [t for t in targets if t.startswith(("gl-", "ref-"))]


def margin_numbers(path: Path) -> list[int]:
    """The ¶ numbers set in the margin, left of the text block, in reading order."""
    found: list[int] = []
    for page in PdfReader(path).pages:
        fragments: list[tuple[float, str]] = []

        def visit(text, cm, tm, font, size, fragments=fragments):
            if text.strip():
                fragments.append((cm[4] + tm[4] * cm[0], text))

        page.extract_text(visitor_text=visit)
        left = min(x for x, t in fragments if not t.lstrip().startswith("¶"))
        found += [int(n) for x, t in fragments if x < left - 5 for n in re.findall(r"¶\s*(\d+)", t)]
    return found


@pytest.mark.parametrize("slug", TEXTS)
def test_paragraph_numbers_are_the_books(handouts_build: Path, minimal, slug: str) -> None:
    expected = [int(n) for n in re.findall(r'data-para="(\d+)"', minimal.converted[slug].html)]
    numbers = margin_numbers(handouts_build / "handouts" / f"{slug}.pdf")
    assert numbers == expected == list(range(1, len(expected) + 1))


@pytest.mark.parametrize("slug", TEXTS)
def test_questions_with_lines_to_write_on(handouts_build: Path, minimal, slug: str) -> None:
    text = flat(handouts_build / "handouts" / f"{slug}.pdf")
    questions = minimal.converted[slug].part.questions
    assert questions and "Questions for discussion" in text
    assert text.index("Questions for discussion") < min(text.index(q) for q in questions)
    assert all(f"{n}." in text for n in range(1, len(questions) + 1))


@pytest.mark.parametrize("slug", TEXTS)
def test_footer_names_the_books_pages_and_counts_pages(handouts_build: Path, minimal, slug: str) -> None:
    part = minimal.converted[slug].part
    first, last = book_range(handouts_build / MINIMAL_PDF_NAME, part.title)
    pages = pages_text(handouts_build / "handouts" / f"{slug}.pdf")
    for number, text in enumerate(pages, start=1):
        assert f"From: A Minimal Reader, {pp(first, last)}" in squash(text)
        assert f"page {number} of {len(pages)}" in squash(text)


def test_the_readers_title_in_the_footer_is_in_italics(handouts_build: Path) -> None:
    """Issue 13: "From: *A Minimal Reader*, pp. 5–6" — the title italic, the rest roman, on every page."""
    for page in PdfReader(handouts_build / "handouts" / f"{TEXTS[0]}.pdf").pages:
        footer: list[tuple[str, str]] = []

        def visit(text, cm, tm, font, size, footer=footer):
            if text.strip() and tm[5] * cm[3] + cm[5] < 72 and font is not None:  # the bottom inch
                footer.append((text.strip(), str(font.get("/BaseFont", ""))))

        page.extract_text(visitor_text=visit)
        faces = {text: face for text, face in footer}
        title = [face for text, face in footer if "Minimal" in text]
        assert title and all("Italic" in face for face in title), footer
        assert any(text.startswith("From") and "Italic" not in face for text, face in faces.items()), footer


def test_byte_identical_rebuild(handouts_build: Path, tmp_path: Path) -> None:
    result = run_build("handouts", "--project", MINIMAL.relative_to(REPO), "--output", tmp_path)
    assert result.returncode == 0, result.stderr
    for name in [f"{s}.pdf" for s in TEXTS] + [PACK]:
        assert (tmp_path / "handouts" / name).read_bytes() == (handouts_build / "handouts" / name).read_bytes(), name


# ---- A longer text (several book pages) and the content-hash cache ---------------------------


@pytest.fixture(scope="module")
def long_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("long") / "project"
    shutil.copytree(MINIMAL, root)
    path = root / "content" / "texts" / "01-first-text.md"
    filler = "\n\n".join(f"Paragraph {n} of a longer text, long enough to need several pages in the book and "
                         "in the handout, so that page ranges and page counts mean something." for n in range(3, 60))
    path.write_text(path.read_text(encoding="utf-8") + "\n" + filler + "\n", encoding="utf-8")
    return root


def build_into(project: Path, output: Path, *targets: str) -> str:
    result = run_build(*targets, "--project", project, "--output", output)
    assert result.returncode == 0, result.stderr
    return result.stderr


def test_long_text_page_range_and_cache(long_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    stderr = build_into(long_project, out, "pdf", "handouts")
    assert "2 handouts: 2 rendered, 0 unchanged" in stderr
    first, last = book_range(out / MINIMAL_PDF_NAME, "The First Text")
    assert last > first
    handout = out / "handouts" / "first-text.pdf"
    pages = pages_text(handout)
    assert len(pages) > 1 and all(f"From: A Minimal Reader, pp. {first}–{last}" in squash(t) for t in pages)
    numbers = margin_numbers(handout)
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) > 50

    # unchanged inputs: nothing is rendered again, the files are left alone
    before = {p.name: p.stat().st_mtime_ns for p in (out / "handouts").glob("*.pdf")}
    stderr = build_into(long_project, out, "handouts")
    assert "2 handouts: 0 rendered, 2 unchanged" in stderr
    assert {p.name: p.stat().st_mtime_ns for p in (out / "handouts").glob("*.pdf")} == before
    cache_entries = json.loads((out / "handouts" / ".cache.json").read_text(encoding="utf-8"))["files"]
    assert set(cache_entries) == set(before)

    # a changed text is rendered again, the other is kept
    second = long_project / "content" / "texts" / "02-second-text.md"
    second.write_text(second.read_text(encoding="utf-8").replace("twice:", "two times:"), encoding="utf-8")
    stderr = build_into(long_project, out, "handouts")
    assert "2 handouts: 1 rendered, 1 unchanged" in stderr
    assert "two times" in flat(out / "handouts" / "second-text.pdf").replace("\n", " ")
    assert (out / "handouts" / "first-text.pdf").stat().st_mtime_ns == before["first-text.pdf"]
    assert (out / "handouts" / PACK).stat().st_mtime_ns != before[PACK]

    # an output damaged or deleted since is made again, even though its inputs did not change
    (out / "handouts" / "first-text.pdf").write_bytes(b"%PDF-1.7 damaged")
    (out / "handouts" / "second-text.pdf").unlink()
    stderr = build_into(long_project, out, "handouts")
    assert "2 handouts: 2 rendered, 0 unchanged" in stderr
    assert len(PdfReader(out / "handouts" / "first-text.pdf").pages) == len(pages)

    # a handout planted with a cache entry to match (an output folder that came with a project):
    # the entry is not sealed by this user, so the handout is made again
    planted = b"%PDF-1.7 planted"
    cache_file = out / "handouts" / ".cache.json"
    cache = json.loads(cache_file.read_text(encoding="utf-8"))
    cache["files"]["first-text.pdf"]["sha256"] = hashlib.sha256(planted).hexdigest()
    cache_file.write_text(json.dumps(cache), encoding="utf-8")
    (out / "handouts" / "first-text.pdf").write_bytes(planted)
    stderr = build_into(long_project, out, "handouts")
    assert "2 handouts: 1 rendered, 1 unchanged" in stderr
    assert len(PdfReader(out / "handouts" / "first-text.pdf").pages) == len(pages)

    # a change to the settings (and so to every handout's inputs) renders everything again
    config = long_project / "content" / "publication.yml"
    config.write_text(config.read_text(encoding="utf-8") + "handouts: {ruled_lines: 3}\n", encoding="utf-8")
    stderr = build_into(long_project, out, "handouts")
    assert "2 handouts: 2 rendered, 0 unchanged" in stderr


def test_handouts_rendered_by_workers_equal_those_rendered_in_one_process(tmp_path: Path, monkeypatch) -> None:
    """Four handouts: the workers the book's parts were laid out by render them, handed over as soon
    as the texts' pages are known (before the book's other parts are placed), each once; the files
    are the bytes one process writes."""
    import io
    import os

    from conftest import SOURCE_DATE_EPOCH

    from chapbook import typeset, workers
    from chapbook.pipeline import Build, run
    from chapbook.writers import handouts as writer

    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(SOURCE_DATE_EPOCH))
    root = tmp_path / "project"
    shutil.copytree(MINIMAL, root)
    texts = root / "content" / "texts"
    for path in sorted(texts.glob("*.md")):
        (texts / f"9{path.stem}-again.md").write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    config = root / "content" / "publication.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "texts: [first-text, second-text]", "texts: [first-text, second-text, first-text-again, second-text-again]"),
        encoding="utf-8")
    marks = tmp_path / "marks"
    marks.mkdir()
    inner = writer.render_pdf

    def marked(build, handout, *args):
        (marks / f"{os.getpid()}-{handout.slug}-{os.environ['CHAPBOOK_JOBS']}").touch()
        return inner(build, handout, *args)

    monkeypatch.setattr(writer, "render_pdf", marked)
    events: list[str] = []
    submit, paged, assemble = writer.submit, Build.paged, typeset.assemble
    monkeypatch.setattr(writer, "submit", lambda *a: (events.append("submit"), submit(*a))[1])
    monkeypatch.setattr(Build, "paged", lambda b, pages, final=True: (
        events.append("paged" if final else "placed"), paged(b, pages, final))[1])
    monkeypatch.setattr(typeset, "assemble", lambda *a: (events.append("assemble"), assemble(*a))[1])
    outputs = {}
    for jobs in ("2", "1"):
        monkeypatch.setenv("CHAPBOOK_JOBS", jobs)
        typeset.clear()
        events.clear()
        pools = workers.STARTED
        out = tmp_path / f"out-{jobs}"
        status, report = run(root, out, ["pdf", "handouts"], stream=io.StringIO(), quiet=True)
        assert status == 0, report.lines()
        # handed to the workers once, in the composition's first round, as soon as the texts were placed
        assert events.count("submit") == 1 and events.count("paged") == 1, events
        assert "placed" in events[:events.index("submit")] and events.index("submit") < events.index("paged")
        assert events[-1] == "assemble"
        assert workers.STARTED - pools == (1 if jobs == "2" else 0)  # one pool for the book and the handouts
        outputs[jobs] = {p.name: p.read_bytes() for p in sorted((out / "handouts").glob("*.pdf"))}
        pids = [m.name.split("-", 1)[0] for m in marks.iterdir() if m.name.endswith(f"-{jobs}")]
        assert len(pids) == 4  # each rendered once: by a worker, or here if no worker had started it
        here = pids.count(str(os.getpid()))
        assert here < 4 if jobs == "2" else here == 4
    assert len(outputs["2"]) == 5 and outputs["2"] == outputs["1"]


def test_handouts_started_on_pages_that_moved_are_made_again_with_the_books_pages(tmp_path: Path,
                                                                                   monkeypatch) -> None:
    """``ahead`` on the pages of a first round keeps its plan while the texts stay put, makes a new one
    when they move, and ``write`` makes the handouts from the book's final pages whatever it was given."""
    import io

    from chapbook import typeset
    from chapbook.diagnostics import Report
    from chapbook.pipeline import Build, Progress, prepare
    from chapbook.writers import handouts as writer

    monkeypatch.setenv("CHAPBOOK_JOBS", "1")
    root = tmp_path / "project"
    shutil.copytree(MINIMAL, root)
    report = Report()
    publication, converted = prepare(root, report, Progress(io.StringIO(), quiet=True))
    build = Build(publication, converted, tmp_path / "out", report)
    handouts = writer.HandoutsWriter()
    handouts.ahead(build, {"part-first-text": (5, 6)}, final=False)
    assert handouts.started is None  # the second text is not placed yet
    handouts.ahead(build, {"part-first-text": (5, 6), "part-second-text": (7, 7)}, final=False)
    plan = handouts.started[1]
    assert plan.pages == {"first-text": (5, 6), "second-text": (7, 7)}
    assert "pp.\u00a05\u2013\u20606" in plan.items[0].html
    handouts.ahead(build, {"part-first-text": (5, 6), "part-second-text": (7, 7), "glossary": (9, 12)}, final=True)
    assert handouts.started[1] is plan  # the texts did not move
    handouts.ahead(build, {"part-first-text": (5, 7), "part-second-text": (9, 9)}, final=False)
    assert handouts.started[1].pages == {"first-text": (5, 7), "second-text": (9, 9)}
    typeset.clear()
    written = handouts.write(build)
    assert handouts.started is None
    book = build.book().part_pages
    first, last = book["part-first-text"]
    assert (first, last) != (5, 7)
    text = squash(" ".join(page.extract_text() for page in PdfReader(written[0]).pages))
    assert f"From: A Minimal Reader, {pp(first, last)}" in text
