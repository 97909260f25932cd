"""The booklet of the minimal project, built once: every book page must sit where saddle stitching needs it.

The check does not reuse the imposition formula: it reads the text on each half
of each sheet side (pypdf, with a visitor that keeps each fragment's position),
matches it against the book's own pages, then folds the sheets in the mind —
sheet k's front right, its back left, … the middle sheet, … its back right,
its front left — and expects the book's pages in order, blanks only at the end.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import MINIMAL, MINIMAL_PDF_NAME, REPO, run_build
from pypdf import PdfReader

from chapbook.impose import impose
from chapbook.words import ENGLISH

STEM = MINIMAL_PDF_NAME.removesuffix(".pdf")


def positioned(page, lo: float = float("-inf"), hi: float = float("inf")) -> list[tuple[float, str]]:
    """(y, text) of the text shown on ``page`` whose start lies between x = lo and x = hi (sheet coordinates).

    A sheet draws each book page as a Form XObject (``q 1 0 0 1 x y cm /P Do Q``); pypdf hands the
    visitor the form's text in the form's own coordinates, so the translation in force at the
    sheet's ``Do`` is added here.
    """
    found: list[tuple[float, str]] = []
    forms = page.get("/Resources", {}).get("/XObject", {})
    origin = [0.0, 0.0]

    def before(op, args, cm, tm):
        if op == b"Do" and args and args[0] in forms and forms[args[0]].get("/Subtype") == "/Form":
            origin[:] = [cm[4], cm[5]]

    def visit(text, cm, tm, font, size):
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4] + origin[0]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5] + origin[1]
        if text.strip() and lo <= x < hi:
            found.append((y, text))

    page.extract_text(visitor_text=visit, visitor_operand_before=before)
    return found


def fragments(page, lo: float = float("-inf"), hi: float = float("inf")) -> list[str]:
    return [text for _, text in positioned(page, lo, hi)]


def folio(parts: list[tuple[float, str]]) -> str:
    """The lowest line of text on a page (or half-sheet): where the folio is printed."""
    return min(parts)[1].strip() if parts else ""


def words(parts: list[str]) -> list[str]:
    return "".join(parts).split()


def which_page(half: list[str], book: list[list[str]]) -> int | None:
    """The 1-based book page whose text is ``half``; None for a blank half."""
    if not words(half):
        return None
    matches = [i for i, page in enumerate(book, start=1) if words(page) == words(half)]
    assert matches, f"text on a sheet matches no book page: {' '.join(words(half))[:80]}"
    return matches[0] if len(matches) == 1 else -1  # -1: several identical (e.g. empty-ish) pages


def read_order(sheet_pdf: Path, book_pdf: Path, gatherings: list[int] | None = None) -> tuple[list, list]:
    book = [fragments(p) for p in PdfReader(book_pdf).pages]
    sheets = PdfReader(sheet_pdf).pages
    if gatherings:
        sheets = sheets[:sum(gatherings) // 2]  # leave out an instructions page after the sheets
    halves = []
    for side in sheets:
        fold = float(side.mediabox.width) / 2
        halves.append((which_page(fragments(side, hi=fold), book), which_page(fragments(side, lo=fold), book)))
    gatherings = gatherings or [len(halves) * 2]
    order, start = [], 0
    for size in gatherings:  # pages per gathering; size // 2 sides
        sides = halves[start:start + size // 2]
        fronts, backs = sides[::2], sides[1::2]
        first = [p for f, b in zip(fronts, backs, strict=True) for p in (f[1], b[0])]
        second = [p for f, b in reversed(list(zip(fronts, backs, strict=True))) for p in (b[1], f[0])]
        order += first + second
        start += size // 2
    return order, book


def blank_book_pages(book: list[list[str]]) -> set[int]:
    return {i for i, page in enumerate(book, start=1) if not words(page)}


def check_reading_order(order: list, book: list[list[str]], blanks_before_last: bool = True) -> None:
    """The booklet reads 1…n when folded; padding sits before the back cover (the book's last page)."""
    n = len(book)
    assert len(order) % 4 == 0 and n <= len(order) < n + 4
    padding = len(order) - n
    if blanks_before_last:
        expected = list(range(1, n)) + [None] * padding + [n]
    else:
        expected = list(range(1, n + 1)) + [None] * padding
    empty = blank_book_pages(book)
    for got, want in zip(order, expected, strict=True):
        if want is None or want in empty:
            assert got is None, f"expected a blank, found page {got}"
        elif got != -1:
            assert got == want, f"reading order {order}"


@pytest.fixture(scope="session")
def print_builds(tmp_path_factory):
    """The minimal project built twice (pdf, booklet, print) into two folders, for the bytes test too."""
    outputs = []
    for name in ("first", "second"):
        out = tmp_path_factory.mktemp(f"print-{name}")
        result = run_build("pdf", "booklet", "print", "--project", MINIMAL.relative_to(REPO), "--output", out)
        assert result.returncode == 0, result.stderr
        outputs.append((result, out))
    return outputs


@pytest.fixture(scope="session")
def signature_build(tmp_path_factory):
    """A copy of the minimal project with 8-page signatures, marks, creep and the instructions as a page."""
    root = tmp_path_factory.mktemp("signature") / "project"
    shutil.copytree(MINIMAL, root)
    pub = root / "content" / "publication.yml"
    pub.write_text(pub.read_text(encoding="utf-8") + "booklet:\n  signature: 8\n  marks: true\n  creep: true\n"
                   "  paper_thickness_mm: 0.2\n  instructions: page\n  sheet: A3\n", encoding="utf-8")
    out = root / "output"
    result = run_build("pdf", "booklet", "--project", root, "--output", out)
    assert result.returncode == 0, result.stderr
    return result, out


def test_booklet_reads_in_order_when_folded(print_builds):
    _, out = print_builds[0]
    order, book = read_order(out / f"{STEM}-booklet.pdf", out / MINIMAL_PDF_NAME)
    assert len(book) == 22 and len(order) == 24
    check_reading_order(order, book)
    assert order[:3] == [1, None, 3]  # the cover, its blank verso, the half-title
    assert order[21:] == [None, None, 22]  # padding goes before the back cover


def test_booklet_pages_carry_their_folios(print_builds):
    _, out = print_builds[0]
    sheets = PdfReader(out / f"{STEM}-booklet.pdf").pages
    book = [positioned(p) for p in PdfReader(out / MINIMAL_PDF_NAME).pages]
    seen = 0
    for side, slots in zip(sheets, impose(len(book)), strict=True):
        fold = float(side.mediabox.width) / 2
        for slot, (lo, hi) in ((slots.left, (float("-inf"), fold)), (slots.right, (fold, float("inf")))):
            if slot is not None and folio(book[slot - 1]) == str(slot):  # a page with a folio
                assert folio(positioned(side, lo, hi)) == str(slot), f"page {slot} is not where it should be"
                seen += 1
    assert seen >= 6


def test_booklet_sheets_are_a4_landscape_and_report_the_padding(print_builds):
    result, out = print_builds[0]
    reader = PdfReader(out / f"{STEM}-booklet.pdf")
    assert len(reader.pages) == 12
    box = reader.pages[0].mediabox
    assert round(float(box.width)) == 842 and round(float(box.height)) == 595
    assert "22 pages → 24: 2 blank pages added before the back cover" in result.stderr
    assert "warning:" not in result.stderr  # 2 blanks are within what a booklet may waste
    instructions = PdfReader(out / f"{STEM}-booklet-instructions.pdf")
    text = instructions.pages[0].extract_text()
    assert "flip on the SHORT edge" in text and "6 sheets" in text
    said = " ".join(text.split())
    assert "long-reach" in said and "149 mm from the sheet’s side edges" in said  # A4 landscape: 297 / 2
    # 6 sheets of 80 gsm (0.1 mm) nested: the innermost sticks out 0.5 mm, creep not compensated
    assert "stick out at the fore-edge by up to 0.5 mm" in said and "creep: true" in said
    # no marks in this booklet: the instructions do not send the reader looking for them
    assert "dashed" not in said and b" d\n" not in reader.pages[0].get_contents().get_data()


def test_signatures_marks_creep_and_instructions_page(signature_build):
    _, out = signature_build
    reader = PdfReader(out / f"{STEM}-booklet.pdf")
    assert len(reader.pages) == 12 + 1  # 24 pages on 6 sheets (3 gatherings of 8), then the instructions
    said = " ".join(reader.pages[-1].extract_text().split())
    assert "flip on the SHORT edge" in said and "dashed fold marks" in said  # drawn: "[2 2] 0 d" below
    assert "moved toward the fold by up to 0.2 mm" in said  # creep compensated: 2 sheets of 0.2 mm a gathering
    assert "long-reach" not in said  # gatherings are sewn, not stapled
    box = reader.pages[0].mediabox
    assert round(float(box.width)) == 1191 and round(float(box.height)) == 842  # A3
    order, book = read_order(out / f"{STEM}-booklet.pdf", out / MINIMAL_PDF_NAME, gatherings=[8, 8, 8])
    check_reading_order(order, book)
    # creep: the inner sheet of a gathering has its pages 0.2 mm nearer the fold than the outer one
    contents = [reader.pages[i].get_contents().get_data() for i in (0, 2)]
    # the book pages are placed as Form XObjects (never laid out or merged again); fold marks drawn
    assert contents[0].count(b" Do") == 2 and b"[2 2] 0 d" in contents[0]
    xs = []
    for data in contents:
        cms = [line.split() for line in data.decode("latin-1").splitlines() if line.endswith(" cm")]
        xs.append(sorted(float(c[4]) for c in cms if len(c) == 7 and list(map(float, c[:4])) == [1, 0, 0, 1]))
    assert xs[1][0] - xs[0][0] == pytest.approx(0.2 * 72 / 25.4, abs=0.01)


def test_book_booklet_and_print_are_byte_identical_across_builds(print_builds):
    (_, first), (_, second) = print_builds
    for name in (MINIMAL_PDF_NAME, f"{STEM}-booklet.pdf", f"{STEM}-booklet-instructions.pdf", f"{STEM}-print.pdf"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_a_booklet_too_thick_to_staple_warns_at_the_booklet_setting(tmp_path):
    """Issue 12: one gathering of more sheets than a stapler binds is said, with the figures and the way out.

    0.5 mm paper makes the minimal project's 6 sheets too many (a stapler binds 2–2.5 mm of paper).
    """
    root = tmp_path / "project"
    shutil.copytree(MINIMAL, root)
    pub = root / "content" / "publication.yml"
    text = pub.read_text(encoding="utf-8")
    pub.write_text(text + "booklet:\n  paper_thickness_mm: 0.5\n", encoding="utf-8")
    line = text.count("\n") + 1
    result = run_build("booklet", "--project", root, "--output", root / "output")
    assert result.returncode == 0, result.stderr
    assert (f"content/publication.yml:{line}:1: warning: a 24-page booklet is 6 sheets folded into one "
            "gathering; a long-arm stapler binds about 4–5 sheets (16–20 pages) of 0.5 mm paper; set "
            "booklet.signature to 12 (2 gatherings of 3 sheets") in result.stderr


def test_the_instructions_fill_two_columns_without_balancing_them(tmp_path, monkeypatch):
    """The steps in the first column, the sheet table at the top of the second; the columns are laid
    out a few times, not once per pixel of a balanced height (WeasyPrint's balancing took a second)."""
    import io

    from conftest import load
    from weasyprint.layout import block

    from chapbook import impose as imposition
    from chapbook.pipeline import Build
    from chapbook.writers.booklet import Instructions, instructions_html
    from chapbook.writers.pdf import layout

    loaded = load(MINIMAL)
    build = Build(loaded.publication, list(loaded.converted.values()), tmp_path, loaded.report)
    info = Instructions(imposition.plan(64, True, 0, 0.1, "80 gsm"), imposition.impose(64, True, 0), "A4",
                        {"instructions": "separate"}, max(imposition.creep_offsets(16, 0.1)))
    calls = []
    inner = block.block_box_layout

    def counted(*args, **kwargs):
        calls.append(1)
        return inner(*args, **kwargs)

    monkeypatch.setattr(block, "block_box_layout", counted)  # columns_layout imports it when called
    document = layout(build, instructions_html("A reader", info, 842, 595, "", False, ENGLISH, "en"))
    assert len(document.pages) == 1
    assert 0 < len(calls) <= 100, len(calls)
    reader = PdfReader(io.BytesIO(document.write_pdf()))
    left, right = fragments(reader.pages[0], hi=421), fragments(reader.pages[0], lo=421)
    assert any("Print double-sided" in text for text in left) and any("Bind." in text for text in left)
    assert right and right[0].split()[:1] == ["sheet"]  # the table heads the right-hand column
