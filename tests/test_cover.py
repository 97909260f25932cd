"""The perfect-bound cover (issue 12): back | spine | front on one sheet with bleed, boxes a printer reads.

The minimal project has 22 pages: on the default 80 g/m² paper its spine is 1.1 mm, too narrow
for a title; with 0.6 mm paper it is 6.6 mm and carries one. The checks read the PDF as a print
shop's preflight would (MediaBox, TrimBox, BleedBox, /Subject) and find the text where it belongs.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import MINIMAL, MINIMAL_PDF_NAME, REPO, run_build
from pypdf import PdfReader

from chapbook.impose import spine_width
from chapbook.preflight import MM
from chapbook.writers.cover import MARKS_ROOM, CoverGeometry, spine_editors, spine_font_size

COVER = MINIMAL_PDF_NAME.removesuffix(".pdf") + "-cover.pdf"
TRIM_W, TRIM_H = 148 * MM, 210 * MM  # the minimal project is A5
PAGES = 22


def build_copy(root: Path, extra: str, title: str = "") -> tuple[subprocess.CompletedProcess[str], Path]:
    """The minimal project copied to ``root`` with ``extra`` YAML appended (and another title), its cover built."""
    shutil.copytree(MINIMAL, root)
    pub = root / "content" / "publication.yml"
    text = pub.read_text(encoding="utf-8")
    if title:
        text = text.replace("title: A Minimal Reader\n", f"title: {title}\n")
    pub.write_text(text + extra, encoding="utf-8")
    result = run_build("cover", "--project", root, "--output", root / "output")
    assert result.returncode == 0, result.stderr
    [cover] = (root / "output").glob("*-cover.pdf")
    return result, cover


@pytest.fixture(scope="session")
def default_covers(tmp_path_factory) -> list[tuple[subprocess.CompletedProcess[str], Path]]:
    """The minimal project's cover built twice into two folders, for the bytes test too."""
    covers = []
    for name in ("first", "second"):
        out = tmp_path_factory.mktemp(f"cover-{name}")
        result = run_build("cover", "--project", MINIMAL.relative_to(REPO), "--output", out)
        assert result.returncode == 0, result.stderr
        covers.append((result, out / COVER))
    return covers


@pytest.fixture(scope="session")
def thick_cover(tmp_path_factory):
    """0.6 mm paper (a 6.6 mm spine, wide enough for its title) and a 5 mm bleed."""
    return build_copy(tmp_path_factory.mktemp("thick") / "project",
                      "booklet:\n  paper_thickness_mm: 0.6\nprint:\n  bleed: 5mm\n")


@pytest.fixture(scope="session")
def marked_cover(tmp_path_factory):
    """The print shop's spine width, crop marks and a slug line."""
    return build_copy(tmp_path_factory.mktemp("marked") / "project", "cover:\n  spine_mm: 12\n  marks: true\n")


@pytest.fixture(scope="session")
def long_title_cover(tmp_path_factory):
    """A title too long for the spine with the editors' names: they are left off, the title set smaller."""
    return build_copy(tmp_path_factory.mktemp("long") / "project", "cover:\n  spine_mm: 14.8\n",
                      title="A Minimal Reader of Migration Texts, Reports and Testimonies from the Border "
                            "for the Classroom and Beyond")


def texts_at(page) -> list[tuple[float, str]]:
    """(x, text) of every piece of text on ``page``, x in the sheet's coordinates (points from the left)."""
    found: list[tuple[float, str]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.append((tm[4] * cm[0] + tm[5] * cm[2] + cm[4], text))

    page.extract_text(visitor_text=visit)
    return found


def text_between(page, lo: float, hi: float) -> str:
    return " ".join(" ".join(t for x, t in texts_at(page) if lo <= x < hi).split())


def boxes(pdf: Path) -> dict[str, list[float]]:
    page = PdfReader(pdf).pages[0]
    return {name: [float(v) for v in page[f"/{name}"]] for name in ("MediaBox", "TrimBox", "BleedBox")}


# ---- Geometry, without building ------------------------------------------------------------------


def test_spine_width_is_a_paper_thickness_per_leaf():
    assert spine_width(296, 0.1) == pytest.approx(14.8)  # the 296-page reader of issue 12
    assert spine_width(22, 0.1) == pytest.approx(1.1)
    assert spine_width(23, 0.1) == pytest.approx(1.2)  # an odd page still takes a whole leaf


def test_cover_geometry():
    geo = CoverGeometry(TRIM_W, TRIM_H, 14.8 * MM, 3 * MM)
    assert geo.width == pytest.approx((2 * 148 + 14.8 + 2 * 3) * MM)
    assert geo.height == pytest.approx((210 + 6) * MM)
    assert geo.front_x - geo.spine_x == pytest.approx(14.8 * MM)
    assert geo.bleed_box() == pytest.approx([0, 0, geo.width, geo.height], abs=1e-3)
    marked = CoverGeometry(TRIM_W, TRIM_H, 14.8 * MM, 3 * MM, MARKS_ROOM)
    assert marked.trim_box() == pytest.approx([3 * MM + MARKS_ROOM, 3 * MM + MARKS_ROOM,
                                               marked.width - 3 * MM - MARKS_ROOM, marked.height - 3 * MM - MARKS_ROOM],
                                              abs=1e-3)


def test_spine_names_and_type_size():
    assert spine_editors(("Ada Editor", "Ben Other")) == "Editor & Other"
    assert spine_editors(("The chapbook editors",)) == "The chapbook editors"
    assert spine_editors(("A B", "C D", "E F", "G H")) == "B et al."
    assert spine_font_size(6 * MM) == pytest.approx(7.65, abs=0.01) and spine_font_size(20 * MM) == 12


# ---- The built cover --------------------------------------------------------------------------------


def test_cover_sheet_is_back_spine_front_with_bleed(default_covers):
    result, pdf = default_covers[0]
    reader = PdfReader(pdf)
    assert len(reader.pages) == 1
    spine, bleed = 1.1 * MM, 3 * MM
    got = boxes(pdf)
    assert got["MediaBox"][2] - got["MediaBox"][0] == pytest.approx(2 * TRIM_W + spine + 2 * bleed, abs=0.5)
    assert got["MediaBox"][3] - got["MediaBox"][1] == pytest.approx(TRIM_H + 2 * bleed, abs=0.5)
    assert got["TrimBox"] == pytest.approx([bleed, bleed, bleed + 2 * TRIM_W + spine, bleed + TRIM_H], abs=0.5)
    assert got["BleedBox"] == pytest.approx(got["MediaBox"], abs=0.01)
    assert "spine 1.10 mm (22 pages on 80 gsm paper" in reader.metadata["/Subject"]
    assert "spine 1.1 mm (22 pages on 80 gsm paper, 0.1 mm a leaf)" in result.stderr
    assert "spine under 6 mm, left blank" in result.stderr
    # a note, not a warning: a full build writes the cover too, and --strict must not fail a pamphlet
    assert "a-minimal-reader-cover.pdf: a 22-page book is thin for perfect binding" in result.stderr
    assert "warning:" not in result.stderr


def test_front_on_the_right_back_on_the_left_blank_spine(default_covers):
    _, pdf = default_covers[0]
    page = PdfReader(pdf).pages[0]
    spine_x = 3 * MM + TRIM_W
    front = text_between(page, spine_x + 1.1 * MM, float("inf"))
    back = text_between(page, 0, spine_x)
    assert "A Minimal Reader" in front and "Two short texts for testing" in front
    assert "Edited by Ada Editor, Ben Editor" in front
    assert "A Minimal Reader" in back and "Testing chapbook" in back  # no blurb: the subject, as in the book
    assert text_between(page, spine_x, spine_x + 1.1 * MM) == ""


def test_spine_carries_the_title_when_wide_enough(thick_cover):
    result, pdf = thick_cover
    spine, bleed = spine_width(PAGES, 0.6) * MM, 5 * MM
    assert spine == pytest.approx(6.6 * MM)
    got = boxes(pdf)
    assert got["MediaBox"][2] == pytest.approx(2 * TRIM_W + spine + 2 * bleed, abs=0.5)
    assert got["TrimBox"][0] == pytest.approx(bleed, abs=0.01)
    page = PdfReader(pdf).pages[0]
    on_spine = text_between(page, bleed + TRIM_W, bleed + TRIM_W + spine)
    assert "A Minimal Reader" in on_spine and "Test Press" in on_spine
    assert "A Minimal Reader" in text_between(page, bleed + TRIM_W + spine, float("inf"))
    assert "spine 6.6 mm" in result.stderr and "left blank" not in result.stderr


def test_a_long_title_keeps_the_spine_without_the_editors(long_title_cover):
    result, pdf = long_title_cover
    page = PdfReader(pdf).pages[0]
    spine_x = 3 * MM + TRIM_W
    on_spine = text_between(page, spine_x, spine_x + 14.8 * MM)
    assert "for the Classroom and Beyond" in on_spine and "Test Press" in on_spine
    assert "Editor" not in on_spine
    assert "warning:" not in result.stderr


def test_print_shop_spine_marks_and_slug(marked_cover):
    result, pdf = marked_cover
    spine, bleed = 12 * MM, 3 * MM
    room = bleed + MARKS_ROOM
    got = boxes(pdf)
    assert got["MediaBox"][2] == pytest.approx(2 * TRIM_W + spine + 2 * room, abs=0.5)
    assert got["TrimBox"] == pytest.approx([room, room, room + 2 * TRIM_W + spine, room + TRIM_H], abs=0.5)
    assert got["BleedBox"] == pytest.approx([MARKS_ROOM, MARKS_ROOM, got["MediaBox"][2] - MARKS_ROOM,
                                             got["MediaBox"][3] - MARKS_ROOM], abs=0.5)
    reader = PdfReader(pdf)
    assert "spine 12.00 mm (cover.spine_mm)" in reader.metadata["/Subject"]
    contents = reader.pages[0].get_contents().get_data()
    assert b"0 0 0 1 K" in contents  # K-only crop marks
    assert "perfect-bound cover: trim 148.0 × 210.0 mm" in reader.pages[0].extract_text()  # the slug line
    assert "thin for perfect binding" not in result.stderr  # the print shop gave its spine: it takes the job


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf is not installed")
def test_qpdf_finds_nothing_wrong(default_covers, thick_cover, marked_cover):
    for pdf in (default_covers[0][1], thick_cover[1], marked_cover[1]):
        check = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True, timeout=60)
        assert check.returncode == 0, check.stdout + check.stderr


def test_cover_is_byte_identical_across_builds(default_covers):
    (_, first), (_, second) = default_covers
    assert first.read_bytes() == second.read_bytes()
