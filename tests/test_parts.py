"""The book laid out part by part, cached in the process (chapbook.typeset, issue 11).

A rebuild in the same process (as ``build.py watch`` does) lays out only what changed, and its
PDF is byte-identical to a clean build's; the composed book reads as one layout of the same HTML.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pikepdf
import pytest
from conftest import MINIMAL, SOURCE_DATE_EPOCH, single_threaded
from pypdf import PdfReader
from test_book_pdf import Book

from chapbook import typeset
from chapbook.diagnostics import Report
from chapbook.pagemap import page_map
from chapbook.pipeline import Build, Progress, prepare, run
from chapbook.writers.pdf import add_page_labels, pdf_options

PDF_NAME = "a-minimal-reader.pdf"


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(SOURCE_DATE_EPOCH))
    root = tmp_path / "minimal"
    shutil.copytree(MINIMAL, root)
    typeset.clear()
    yield root
    typeset.clear()


def build_pdf(root: Path) -> bytes:
    _, report = run(root, root / "output", ["pdf"], stream=io.StringIO(), quiet=True)
    assert not report.failed, report.lines()
    return (root / "output" / PDF_NAME).read_bytes()


def test_a_rebuild_without_changes_lays_out_nothing_and_gives_the_same_bytes(project: Path) -> None:
    first = build_pdf(project)
    assert typeset.STATS.laid  # the first build laid out every part
    before = typeset.STATS.layouts
    again = build_pdf(project)
    assert typeset.STATS.layouts == before and typeset.STATS.laid == []
    assert again == first


def test_an_edited_paragraph_lays_out_only_its_text_and_equals_a_clean_build(project: Path) -> None:
    build_pdf(project)
    text = project / "content" / "texts" / "01-first-text.md"
    source = text.read_text(encoding="utf-8")
    assert "was founded long ago." in source
    text.write_text(source.replace("was founded long ago.", "was founded a long time ago."), encoding="utf-8")
    before = typeset.STATS.layouts
    edited = build_pdf(project)
    assert typeset.STATS.layouts - before == 1
    assert typeset.STATS.laid == ["part-first-text"]
    words = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(edited)).pages).split())
    assert "founded a long time ago" in words
    typeset.clear()
    shutil.rmtree(project / "output")
    clean = build_pdf(project)
    assert len(typeset.STATS.laid) > 10
    assert clean == edited


def _destinations(pdf: pikepdf.Pdf) -> dict[str, int]:
    pages = {page.objgen: number for number, page in enumerate(pdf.pages, start=1)}
    return {name: pages[dest[0].objgen] for name, dest in pikepdf.NameTree(pdf.Root.Names.Dests).items()}


def _links(pdf: pikepdf.Pdf) -> list[tuple[int, str]]:
    """(page, target) of every link annotation: a named destination or a URI."""
    found = []
    for number, page in enumerate(pdf.pages, start=1):
        for annot in page.obj.get("/Annots", ()):
            found.append((number, str(annot.Dest) if "/Dest" in annot else str(annot.A.URI)))
    return found


def _struct(pdf: pikepdf.Pdf) -> tuple[list[str], int]:
    """The structure tree's element types in order, and how many marked-content pieces it holds."""
    types, marked = [], 0
    stack = [pdf.Root.StructTreeRoot.K[0]]
    while stack:
        element = stack.pop()
        types.append(str(element.S))
        kids = element.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
        for kid in reversed(kids):
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
                stack.append(kid)
            else:
                marked += 1
    return types, marked


def _fonts(pdf: pikepdf.Pdf) -> list[str]:
    """The /BaseFont of every distinct font object the pages use."""
    seen = {}
    for page in pdf.pages:
        for font in page.obj.Resources.get("/Font", {}).values():
            seen[font.objgen] = str(font.BaseFont)
    return sorted(seen.values())


def _rendered(data: bytes, where: Path) -> list[bytes]:
    """Every page rendered by poppler at 30 dpi, grey: what a reader sees, glyph for glyph."""
    import subprocess

    pdf = where / "render.pdf"
    pdf.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "30", "-gray", str(pdf), str(where / "page")], check=True)
    pages = sorted(where.glob("page-*.pgm"))
    images = [page.read_bytes() for page in pages]
    for page in pages:
        page.unlink()
    return images


def test_the_composed_book_reads_as_one_layout_of_the_same_html(project: Path) -> None:
    """The book joined from its parts' PDFs has what WeasyPrint writes for one layout of the same
    HTML: text, folios, outline, every named destination on the same page, every link, the same
    structure tree, and the same page map for the EPUB."""
    report = Report()
    publication, converted = prepare(project, report, Progress(io.StringIO(), quiet=True), targets=["pdf"])
    build = Build(publication, converted, project / "output", report)
    composed = typeset.compose(build)
    single, single_html = typeset.single_layout(build)
    assert composed.html == single_html
    options = pdf_options(publication.config)
    single_pdf = single.write_pdf(finisher=add_page_labels, **options)
    a, b = Book(io.BytesIO(composed.pdf())), Book(io.BytesIO(single_pdf))
    assert len(a.texts) == len(b.texts) > 10
    assert a.texts == b.texts
    assert a.outline == b.outline and len(a.outline) > 5
    assert a.reader.trailer["/Root"]["/PageLabels"] == b.reader.trailer["/Root"]["/PageLabels"]
    pa, pb = pikepdf.open(io.BytesIO(composed.pdf())), pikepdf.open(io.BytesIO(single_pdf))
    assert _destinations(pa) == _destinations(pb) and len(_destinations(pa)) > 20
    assert _links(pa) == _links(pb)
    assert all(target in _destinations(pa) for _, target in _links(pa) if "://" not in target and ":" not in target)
    assert _struct(pa) == _struct(pb)
    parents = pikepdf.NumberTree(pa.Root.StructTreeRoot.ParentTree)
    keys = [int(page.obj.StructParents) for page in pa.pages]
    keys += [int(annot.StructParent) for page in pa.pages for annot in page.obj.get("/Annots", ())]
    assert len(set(keys)) == len(keys) and all(key in parents for key in keys)  # each key once, each resolves
    assert int(pa.Root.StructTreeRoot.ParentTreeNextKey) > max(keys)
    assert composed.page_map == page_map(single)
    fonts = _fonts(pa)
    assert len(fonts) == len(set(fonts)) == len(set(_fonts(pb)))  # one font per face, not one per part
    # Every glyph drawn as before. Small capitals may sit 0.01 pt apart between the two layouts
    # (Pango's shaping of letter-spaced runs), a few grey pixels; a glyph lost in the font merge is hundreds.
    for mine, theirs in zip(_rendered(composed.pdf(), project), _rendered(single_pdf, project), strict=True):
        assert len(mine) == len(theirs)
        assert sum(x != y for x, y in zip(mine, theirs, strict=True)) < len(mine) // 1000
    assert composed.part_pages["part-first-text"] == typeset._top_level_pages(single)["part-first-text"]


def test_a_template_that_cannot_be_split_is_laid_out_as_one_document() -> None:
    assert typeset.split("<html><body><p>loose</p><section>x</section></body></html>") is None
    head, parts, _ = typeset.split('<html><body class="b">\n<section id="a">x<section>y</section></section>\n'
                                      '<nav class="contents">z</nav>\n</body></html>')
    assert [p.name for p in parts] == ["a", "class:contents"] and head.endswith('<body class="b">')


# ---- The cache on disk: what a build in a new process reuses ------------------------------------


def _edit(root: Path) -> None:
    text = root / "content" / "texts" / "01-first-text.md"
    source = text.read_text(encoding="utf-8")
    assert "was founded long ago." in source
    text.write_text(source.replace("was founded long ago.", "was founded a long time ago."), encoding="utf-8")


def test_a_new_process_lays_out_only_the_edited_text_and_equals_a_clean_build(project: Path) -> None:
    """The parts on disk (OUTPUT/.cache/parts) stand in for the memory of an earlier process."""
    build_pdf(project)
    parts = project / "output" / ".cache" / "parts"
    assert len(list(parts.glob("*.pdf"))) > 10 and (parts / "state.json").is_file()
    typeset.clear()  # what a new process starts with
    _edit(project)
    typeset.STATS.disk = typeset.STATS.probes = 0
    edited = build_pdf(project)
    assert typeset.STATS.laid == ["part-first-text"]
    assert typeset.STATS.disk > 10 and typeset.STATS.probes == 0  # the sides came from state.json too
    typeset.clear()
    shutil.rmtree(project / "output")
    clean = build_pdf(project)
    assert len(typeset.STATS.laid) > 10
    assert clean == edited


def test_a_rebuild_in_the_same_process_converts_and_opens_only_the_edited_text(project: Path) -> None:
    """As ``watch`` rebuilds: the other texts' conversions and their parts' opened PDFs are kept."""
    from chapbook import convcache
    from chapbook.bookpdf import Opened

    build_pdf(project)
    opened, converted = Opened.get().opened, convcache.STATS.converted
    _edit(project)
    edited = build_pdf(project)
    assert Opened.get().opened - opened == 1 and convcache.STATS.converted - converted == 1
    typeset.clear()  # and from a new process: the conversions from disk
    converted = convcache.STATS.converted
    assert build_pdf(project) == edited
    assert convcache.STATS.converted == converted
    typeset.clear()
    shutil.rmtree(project / "output")
    assert build_pdf(project) == edited


def test_the_joined_book_is_kept_until_freed_and_at_most_one(project: Path) -> None:
    """``watch`` frees the last joined book after its rebuild is reported; a process that never frees
    (the tests, a script calling run) holds at most one, and freeing it changes no byte of the next."""
    from chapbook import bookpdf

    first = build_pdf(project)
    held = list(bookpdf._retired)
    assert len(held) == 1 and len(held[0].pages) == len(PdfReader(io.BytesIO(first)).pages)
    _edit(project)
    edited = build_pdf(project)
    assert len(bookpdf._retired) == 1 and bookpdf._retired[0] is not held[0]
    del held
    bookpdf.free_retired()
    assert bookpdf._retired == []
    assert build_pdf(project) == edited


def test_a_changed_stylesheet_invalidates_every_part_on_disk(project: Path) -> None:
    """A part is reused only if every file its layout loaded is unchanged (here the project's custom.css,
    whose link in the HTML stays the same)."""
    build_pdf(project)
    styles = project / "styles"
    styles.mkdir(exist_ok=True)
    (styles / "custom.css").write_text("p { letter-spacing: 0.01em; }\n", encoding="utf-8")
    build_pdf(project)
    typeset.clear()
    (styles / "custom.css").write_text("p { letter-spacing: 0.02em; }\n", encoding="utf-8")
    changed = build_pdf(project)
    assert len(typeset.STATS.laid) > 10  # every part again, not only the edited text
    typeset.clear()
    shutil.rmtree(project / "output")
    assert build_pdf(project) == changed


def test_parts_made_stale_by_a_stylesheet_go_to_the_workers(project: Path, monkeypatch) -> None:
    """A part on disk whose stylesheet changed is laid out again by the workers with the others (it
    was laid out here, one after another: a stylesheet edit took as long as a build in one process)."""
    if not single_threaded():
        pytest.skip("workers need Linux and a single-threaded process")
    monkeypatch.setenv("CHAPBOOK_JOBS", "2")
    styles = project / "styles"
    styles.mkdir(exist_ok=True)
    (styles / "custom.css").write_text("p { letter-spacing: 0.01em; }\n", encoding="utf-8")
    build_pdf(project)
    typeset.clear()  # a new process: the parts on disk only
    (styles / "custom.css").write_text("p { letter-spacing: 0.02em; }\n", encoding="utf-8")
    typeset.STATS.parallel = 0
    build_pdf(project)
    assert len(typeset.STATS.laid) > 10
    assert typeset.STATS.parallel >= 3  # the texts and other parts whose side is fixed, by the workers


def test_a_damaged_cache_file_is_laid_out_again(project: Path) -> None:
    first = build_pdf(project)
    parts = project / "output" / ".cache" / "parts"
    victims = sorted(parts.glob("*.pdf"))[:3]
    for victim in victims:
        victim.write_bytes(victim.read_bytes()[:200])
    (parts / "state.json").write_text("{not json", encoding="utf-8")
    typeset.clear()
    again = build_pdf(project)
    assert 3 <= len(typeset.STATS.laid) < 10
    assert again == first


def test_builds_in_new_processes_are_byte_identical(project: Path) -> None:
    """Through the command line: a cached rebuild after an edit equals a clean build of the edited text."""
    from conftest import run_build

    out = project / "output"
    assert run_build("pdf", "--project", project, "--output", out).returncode == 0
    _edit(project)
    assert run_build("pdf", "--project", project, "--output", out).returncode == 0
    cached = (out / PDF_NAME).read_bytes()
    clean_out = project.parent / "clean"
    assert run_build("pdf", "--project", project, "--output", clean_out).returncode == 0
    assert (clean_out / PDF_NAME).read_bytes() == cached


def test_a_cache_planted_with_the_project_is_not_used(project: Path, tmp_path: Path, monkeypatch) -> None:
    """An output folder can come with a stranger's project; its cache keys are digests anyone can
    compute. A part's PDF swapped for another (even one this user sealed under another key), or a
    cache sealed by another user's key, is laid out again: the book equals a clean build."""
    import json

    clean = build_pdf(project)
    parts = project / "output" / ".cache" / "parts"
    files = sorted(parts.glob("*.json"))
    first, second = files[0], files[1]
    # Another part's sealed PDF and description under this part's name
    first.with_suffix(".pdf").write_bytes(second.with_suffix(".pdf").read_bytes())
    first.write_text(second.read_text(encoding="utf-8"), encoding="utf-8")
    # A description edited after sealing
    third = files[2]
    layout = json.loads(third.read_text(encoding="utf-8"))
    layout["folios"] = ["99" for _ in layout["folios"]]
    third.write_text(json.dumps(layout), encoding="utf-8")
    typeset.clear()
    assert build_pdf(project) == clean
    assert len(typeset.STATS.laid) >= 2
    # Another user's key: nothing of this cache is theirs
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "someone-else"))
    from chapbook import cacheseal

    cacheseal._key.cache_clear()
    typeset.clear()
    try:
        assert build_pdf(project) == clean
        assert len(typeset.STATS.laid) > 10
    finally:
        cacheseal._key.cache_clear()


# ---- Folios stamped at composition; parts laid out in parallel (chapbook.folios) -----------------


def _folios(data: bytes) -> list[str]:
    """The number printed at the foot of each page (the last line of its text that is a number)."""
    reader = PdfReader(io.BytesIO(data))
    found = []
    for page in reader.pages:
        lines = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        found.append(next((line for line in reversed(lines) if line.isdigit()), ""))
    return found


def test_a_text_that_grows_by_pages_leaves_the_texts_after_it_untouched(project: Path) -> None:
    """A part is laid out without its folios, so a text that grows by pages makes the later texts
    move, not be laid out again: only the grown text and the parts that show page numbers are.
    The folios, stamped from the skeleton, count on across the whole book as in a clean build."""
    first = build_pdf(project)
    text = project / "content" / "texts" / "01-first-text.md"
    source = text.read_text(encoding="utf-8")
    filler = "\n\n".join(f"Added paragraph {n}: the agency's offices, its budget and its projects are "
                         "described at some length, so that this text needs more pages than before." for n in range(40))
    text.write_text(source.rstrip("\n") + "\n\n" + filler + "\n", encoding="utf-8")
    grown = build_pdf(project)
    pages_before, pages_after = len(PdfReader(io.BytesIO(first)).pages), len(PdfReader(io.BytesIO(grown)).pages)
    assert pages_after >= pages_before + 2
    texts_laid = [name for name in typeset.STATS.laid if name.startswith("part-")]
    assert texts_laid == ["part-first-text"], typeset.STATS.laid
    assert "part-second-text" not in typeset.STATS.laid
    folios = _folios(grown)
    numbered = [(index + 1, int(f)) for index, f in enumerate(folios) if f]
    assert len(numbered) >= 10 and numbered[-1][0] >= pages_after - 2, folios
    assert all(printed == page for page, printed in numbered)  # each folio is its page's number
    assert PdfReader(io.BytesIO(grown)).page_labels[-1] == str(pages_after)
    typeset.clear()
    shutil.rmtree(project / "output")
    assert build_pdf(project) == grown


def test_parts_laid_out_by_workers_equal_parts_laid_out_in_one_process(project: Path, monkeypatch) -> None:
    monkeypatch.setenv("CHAPBOOK_JOBS", "2")
    typeset.STATS.parallel = 0
    parallel = build_pdf(project)
    assert typeset.STATS.parallel > 5  # most parts came from the workers
    # and parts showing page numbers, once the parts whose pages they show are placed (Composer.send_ready)
    assert {"glossary", "sources"} <= set(typeset.STATS.by_workers), typeset.STATS.by_workers
    typeset.clear()
    shutil.rmtree(project / "output")
    typeset.STATS.parallel = 0
    monkeypatch.setenv("CHAPBOOK_JOBS", "1")
    single = build_pdf(project)
    assert typeset.STATS.parallel == 0 and len(typeset.STATS.laid) > 10
    assert single == parallel


def test_the_folios_are_artifacts_drawn_once_per_page(project: Path) -> None:
    """A stamped folio is pagination (an /Artifact, out of the structure tree), and no page shows two."""
    data = build_pdf(project)
    pdf = pikepdf.open(io.BytesIO(data))
    stamped = 0
    for page in pdf.pages:
        streams = page.obj.Contents
        content = b"".join(s.read_bytes() for s in ([streams] if isinstance(streams, pikepdf.Stream) else streams))
        stamped += content.count(b"/Artifact <</Type /Pagination>> BDC")
        assert content.count(b"/Artifact <</Type /Pagination>> BDC") <= 1
    assert stamped == sum(1 for f in _folios(data) if f) >= 5
    assert all(f.isdigit() or f == "" for f in _folios(data))


def test_a_running_head_with_the_page_number_keeps_folios_in_the_parts(project: Path) -> None:
    """A margin box that shows the book's content and the page number (``string()`` with
    ``counter(page)``) cannot be drawn from the skeleton: the parts are laid out at their page
    numbers, as before, and the numbers are right."""
    styles = project / "styles"
    styles.mkdir(exist_ok=True)
    (styles / "custom.css").write_text(
        "@page :right { @top-right { content: \"Folio \" counter(page) \" of \" string(chapter); } }\n"
        "h1 { string-set: chapter content(); }\n", encoding="utf-8")
    typeset.STATS.parallel = 0
    data = build_pdf(project)
    assert typeset.STATS.parallel == 0  # each part's numbers depend on the parts before it
    reader = PdfReader(io.BytesIO(data))
    heads = []
    for number, page in enumerate(reader.pages, start=1):
        heads += [(number, int(m)) for m in re.findall(r"Folio (\d+) of", page.extract_text())]
    assert len(heads) >= 3 and all(number == printed for number, printed in heads), heads


@pytest.mark.parametrize(("css", "expected"), [
    ("@page :left { @bottom-left { content: counter(page); } }", {"bottom-left"}),
    ("@page { @bottom-center { content: \"p. \" counter(page) \" of \" counter(pages); } }", {"bottom-center"}),
    ("@media print { @page { @top-right { content: counter(page, lower-roman); } } }", {"top-right"}),
    ("@page { @top-left { content: string(title); } @bottom-right { content: counter(page); } }", {"bottom-right"}),
    ("@page { @bottom-right { content: counter(footnote); } }", set()),
    ("@page { @top-right { content: string(title) \" \" counter(page); } }", None),
    ("@page { @top-right { content: element(head) counter(page); } }", None),
    ("@import url(other.css);", None),
    ("@page { @bottom-left { content: " + "f(" * 5000 + "counter(page)" + ")" * 5000 + "; } }", None),
])
def test_page_number_boxes_are_read_from_the_stylesheets(tmp_path: Path, css: str, expected) -> None:
    from chapbook.folios import page_number_boxes

    sheet = tmp_path / "custom.css"
    sheet.write_text(css, encoding="utf-8")
    found = page_number_boxes('<head><link rel="stylesheet" href="chapbook-style:custom.css"></head>', [sheet])
    assert (None if found is None else set(found)) == expected
    assert page_number_boxes('<head><link rel="stylesheet" href="file:///x.css"></head>', []) is None
    assert page_number_boxes("<head><style>@page { @bottom-left { content: counter(page) } }</style></head>",
                             []) == {"bottom-left"}


def test_named_pages_with_their_own_folios_are_stamped_right(project: Path) -> None:
    """Texts on a named page with a folio of their own, after blank pages: the skeleton reproduces
    the names, sides and blank pages (no fallback to one layout), and each folio is its page's number."""
    styles = project / "styles"
    styles.mkdir(exist_ok=True)
    (styles / "custom.css").write_text(
        "section.text { page: chapter; }\n"
        "@page chapter { @bottom-center { content: \"~ \" counter(page) \" ~\"; } }\n", encoding="utf-8")
    data = build_pdf(project)
    assert "(folios)" in typeset.STATS.laid
    reader = PdfReader(io.BytesIO(data))
    found = [(number, int(m)) for number, page in enumerate(reader.pages, start=1)
             for m in re.findall(r"~ (\d+) ~", page.extract_text())]
    assert len(found) >= 2 and all(number == printed for number, printed in found), found
    typeset.clear()
    shutil.rmtree(project / "output")
    assert build_pdf(project) == data  # a clean build: the same bytes


def test_only_the_most_recent_merged_fonts_are_kept(tmp_path: Path) -> None:
    """The merged fonts beside the parts (chapbook.fontmerge): the FONTS_KEPT most recently used, each
    with its program; a file not named as the cache names them is left alone."""
    import os

    folder = tmp_path / "parts"
    folder.mkdir()
    keys = [f"{n:064x}" for n in range(typeset.FONTS_KEPT + 4)]
    for age, key in enumerate(keys):
        for suffix in (".json", ".ttf"):
            path = folder / f"font-{key}{suffix}"
            path.write_text("x", encoding="utf-8")
            os.utime(path, (1_000_000 + age, 1_000_000 + age))
    (folder / "font-notes.json").write_text("{}", encoding="utf-8")
    typeset._evict_disk(folder, set())
    left = sorted(p.name for p in folder.iterdir())
    newest = keys[-typeset.FONTS_KEPT:]
    assert left == sorted([f"font-{k}{s}" for k in newest for s in (".json", ".ttf")] + ["font-notes.json"])
