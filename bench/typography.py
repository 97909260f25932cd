"""Issue 13, typography: measure what a book designer looks at, from the PDF itself.

Reads a PDF's words and their boxes (``pdftotext -bbox-layout``), rebuilds lines and paragraphs,
and reports

- **word-space ratios**: on each justified line (flush with the column's right edge, not the
  last of its paragraph), the gaps between words divided by the normal space of the line's font
  size (Charis SIL's space is 600/2048 em); 1.0 is an unstretched space;
- **the worst lines**, by their median ratio (a justified line's spaces all stretch alike);
- **hyphenated line ends** (a line ending in U+2010, the hyphen WeasyPrint adds) and runs of
  consecutive hyphenated lines;
- **short lines inside a paragraph** (under a third of the measure and not the paragraph's
  last: a paragraph that "breaks off" after a word);
- **URLs broken with a hyphen** (a line ending in a hyphen inside a web address);
- **the last page's fill** (a handout): how far down its text block the last page is inked.

The same functions serve tests/test_typography.py, which turns each defect into an assertion.

Usage: python bench/typography.py [PDF ...]
(no PDF: builds the reader at the repository root into a temporary folder and measures its book
and handouts). Paste the printed summary into bench/results-typography.md.
"""

from __future__ import annotations

import itertools
import re
import statistics
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
XHTML = "{http://www.w3.org/1999/xhtml}"
# Charis SIL: (ascent + descent) / em = (2450 + 900) / 2048 — a word box's height per point of
# font size in pdftotext's boxes; and its space glyph, 600 / 2048 em.
BOX_PER_SIZE = 3350 / 2048
SPACE_EM = 600 / 2048
AUTO_HYPHEN = "\u2010"  # WeasyPrint's hyphenate-character; a hyphen in the text itself is U+002D
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\u00ad"))
URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:org|info|com|net|uk|de|eu|int|edu|gov)"
                 r"\b(?:/\S*)?", re.IGNORECASE)


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    x1: float
    y0: float
    y1: float

    @property
    def size(self) -> float:
        """The font size the box was set in (pdftotext's box is the font's ascent + descent)."""
        return (self.y1 - self.y0) / BOX_PER_SIZE


@dataclass
class Line:
    page: int
    words: list[Word]

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def y0(self) -> float:
        return min(w.y0 for w in self.words)

    @property
    def size(self) -> float:
        return statistics.median(w.size for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words).translate(INVISIBLE)

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    def gaps(self) -> list[float]:
        """The word spaces of the line as multiples of a normal space; splits inside a word
        (pdftotext starts a new word where the font or size changes) are left out."""
        space = SPACE_EM * self.size
        found = [(b.x0 - a.x1) / space for a, b in zip(self.words, self.words[1:], strict=False)]
        return [g for g in found if g > 0.4]


@dataclass
class Paragraph:
    page: int
    lines: list[Line] = field(default_factory=list)


@dataclass(frozen=True)
class Column:
    """The text block of one page: its left edge and the right edge justified lines reach."""

    left: float
    right: float

    @property
    def measure(self) -> float:
        return self.right - self.left


def pdf_lines(pdf: Path, first: int | None = None, last: int | None = None) -> list[Line]:
    """Every line of text of the PDF (or of pages first..last), in reading order, page by page."""
    args = ["pdftotext", "-bbox-layout", *(["-f", str(first)] if first else []),
            *(["-l", str(last)] if last else []), str(pdf), "-"]
    xml = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    root = ET.fromstring(xml)
    lines = []
    for number, page in enumerate(root.iter(f"{XHTML}page"), start=first or 1):
        for line in page.iter(f"{XHTML}line"):
            words = [Word(w.text or "", *(float(w.get(k)) for k in ("xMin", "xMax", "yMin", "yMax")))
                     for w in line.iter(f"{XHTML}word")]
            if words:
                lines.append(Line(number, words))
    return lines


def column(lines: list[Line]) -> Column | None:
    """A page's text column: the commonest left edge of its lines, and the commonest right edge of
    the lines that reach farthest (justified lines end within a few hundredths of a point)."""
    body = [ln for ln in lines if len(ln.words) >= 4]
    if not body:
        return None
    left = Counter(round(ln.x0) for ln in body).most_common(1)[0][0]
    far = max(ln.x1 for ln in body)
    right = Counter(round(ln.x1) for ln in body if ln.x1 > far - 3).most_common(1)[0][0]
    return Column(float(left) - 0.5, float(right) + 0.5) if right - left > 50 else None


def paragraphs(lines: list[Line]) -> list[tuple[Paragraph, Column]]:
    """Group a PDF's lines into paragraphs, page by page.

    A line starts a new paragraph when it is indented against the paragraph's other lines, or
    after more than a line's usual step, or in another size; lines outside the page's column
    (numbers in the margin, running heads, folios) are left out.
    """
    found: list[tuple[Paragraph, Column]] = []
    for page in sorted({ln.page for ln in lines}):
        on_page = [ln for ln in lines if ln.page == page]
        col = column(on_page)
        if col is None:
            continue
        inside = [ln for ln in on_page if ln.x0 >= col.left - 1 and ln.x1 <= col.right + 2 and ln.width > 0]
        current: Paragraph | None = None
        for prev, ln in zip([None, *inside], inside, strict=False):
            if prev is None or current is None or _starts_paragraph(prev, ln, current):
                current = Paragraph(page)
                found.append((current, col))
            current.lines.append(ln)
    return found


def _starts_paragraph(prev: Line, line: Line, current: Paragraph) -> bool:
    size = prev.size
    step = line.y0 - prev.y0
    usual = current.lines[1].y0 - current.lines[0].y0 if len(current.lines) > 1 else 1.55 * size
    if abs(line.size - size) > 0.06 * size or step <= 0 or step > usual + 0.1 * size:
        return True
    if len(current.lines) == 1 and prev.x0 > line.x0:  # the first line's indent
        return False
    return abs(line.x0 - prev.x0) > 0.3 * size


def justified_lines(found: list[tuple[Paragraph, Column]]) -> list[Line]:
    """Lines flush with the column's right edge that are not their paragraph's last."""
    return [ln for para, col in found for ln in para.lines[:-1]
            if abs(ln.x1 - col.right + 0.5) < 1.2 and len(ln.gaps()) >= 2]


def line_ratio(line: Line) -> float:
    """How much a justified line's spaces are stretched: the median of its word spaces."""
    return statistics.median(line.gaps())


def short_lines(found: list[tuple[Paragraph, Column]], fraction: float = 1 / 3) -> list[Line]:
    """Lines shorter than ``fraction`` of the measure that are not the last of their justified
    paragraph (one with a line flush right: lists of short items, set ragged, do not count)."""
    return [ln for para, col in found if _is_justified(para, col)
            for ln in para.lines[:-1] if ln.width < fraction * col.measure]


def _is_justified(para: Paragraph, col: Column) -> bool:
    return any(abs(ln.x1 - col.right + 0.5) < 1.2 for ln in para.lines[:-1])


def hyphenated(lines: list[Line]) -> list[Line]:
    """Lines ending in the hyphen WeasyPrint adds when it hyphenates a word."""
    return [ln for ln in lines if ln.words[-1].text.endswith(AUTO_HYPHEN)]


def _ends_in_hyphen(line: Line) -> bool:
    """The line ends in a hyphen, added (U+2010) or the text's own (-)."""
    return line.words[-1].text.translate(INVISIBLE).endswith((AUTO_HYPHEN, "-"))


def hyphen_runs(found: list[tuple[Paragraph, Column]]) -> list[int]:
    """The lengths of runs of consecutive lines ending in a hyphen within paragraphs: hyphenated, or
    broken after a hyphen of the text ("Geneva-/based"), which a reader counts alike."""
    runs = []
    for para, _ in found:
        run = 0
        for ln in para.lines:
            if _ends_in_hyphen(ln):
                run += 1
            else:
                if run:
                    runs.append(run)
                run = 0
        if run:
            runs.append(run)
    return runs


def page_turn_hyphens(found: list[tuple[Paragraph, Column]]) -> list[Line]:
    """Pages whose last line of body text (in the page's commonest size: not a footnote) ends in a
    hyphenated word, carried over to the next page."""
    turns = []
    for page in sorted({para.page for para, _ in found}):
        lines = [ln for para, _ in found if para.page == page for ln in para.lines]
        if not lines:
            continue
        body = Counter(round(ln.size, 1) for ln in lines).most_common(1)[0][0]
        last = [ln for ln in lines if round(ln.size, 1) == body][-1]
        if last.words[-1].text.endswith(AUTO_HYPHEN):
            turns.append(last)
    return turns


def broken_urls(lines: list[Line]) -> list[str]:
    """Web addresses split at a line end that ends in a hyphen, added (U+2010) or their own (-).

    The last word of each such line is joined to the next line's first word (without an added
    hyphen): if the join is part of a URL, the address was hyphenated, or broken at its own
    hyphen so that a reader cannot tell the two apart.
    """
    found = []
    for line, after in itertools.pairwise(lines):
        if not _ends_in_hyphen(line):
            continue
        last = line.words[-1].text.translate(INVISIBLE)
        joined = last.removesuffix(AUTO_HYPHEN) + after.words[0].text.translate(INVISIBLE)
        if URL.search(joined) or "/" in joined or URL.search(last):
            found.append(f"p. {line.page}: {last} / {after.words[0].text}")
    return found


def hyphenated_inside_urls(lines: list[Line]) -> list[str]:
    """Added hyphens (U+2010) at a line end inside a web address."""
    found = []
    for line, after in itertools.pairwise(lines):
        last = line.words[-1].text.translate(INVISIBLE)
        if last.endswith(AUTO_HYPHEN):
            joined = last.removesuffix(AUTO_HYPHEN) + after.words[0].text.translate(INVISIBLE)
            if URL.search(joined) and URL.search(joined).end() > len(last) - 1:
                found.append(f"p. {line.page}: {last} / {after.words[0].text}")
    return found


def ink_extents(pdf: Path, dpi: int = 36) -> list[tuple[float, float] | None]:
    """Per page, the first and last inked row (in points from the top) between its running head and
    its footer, or None for a blank page: text, rules and ruled lines alike (pdftotext sees no rules).

    The head and the footer are the page's topmost and lowest lines of text; rows within 1 pt of them
    are left out."""
    from PIL import Image

    lines = pdf_lines(pdf)
    found: list[tuple[float, float] | None] = []
    with tempfile.TemporaryDirectory() as tmp:  # every page in one run of pdftoppm, not one run a page
        subprocess.run(["pdftoppm", "-gray", "-png", "-r", str(dpi), str(pdf), f"{tmp}/page"],
                       capture_output=True, check=True)
        images = sorted(Path(tmp).glob("page-*.png"), key=lambda f: int(f.stem.rsplit("-", 1)[1]))
        rendered = [Image.open(f).convert("L") for f in images]
    for number, image in enumerate(rendered[:max((ln.page for ln in lines), default=0)], start=1):
        on_page = [ln for ln in lines if ln.page == number]
        scale = 72 / dpi
        head = min((ln.y0 for ln in on_page), default=0.0)
        head_end = max((w.y1 for ln in on_page if ln.y0 == head for w in ln.words), default=0.0)
        foot = max((ln.y0 for ln in on_page), default=image.height * scale)
        width, pixels = image.width, image.tobytes()
        inked = [row * scale for row in range(image.height)
                 if head_end + 1 < row * scale < foot - 1 and min(pixels[row * width:(row + 1) * width]) < 235]
        found.append((inked[0], inked[-1]) if inked else None)
    return found


def last_page_fill(pdf: Path) -> float:
    """How full a document's last page is: the height from its first to its last inked row, against
    the tallest text block of its other pages (which reaches the foot of the page), 0 to 1."""
    extents = ink_extents(pdf)
    full = max((e[1] - e[0] for e in extents[:-1] if e), default=0.0)
    last = extents[-1]
    return (last[1] - last[0]) / full if last and full else 0.0


@dataclass
class Measures:
    name: str
    pages: int
    lines: int
    justified: int
    ratios: list[float]  # one per justified line
    worst: list[tuple[float, Line]]
    hyphenated: int
    runs: Counter
    short: list[Line]
    urls: list[str]
    turns: list[Line]


def measure(pdf: Path) -> Measures:
    lines = pdf_lines(pdf)
    found = paragraphs(lines)
    just = justified_lines(found)
    ratios = sorted(((line_ratio(ln), ln) for ln in just), key=lambda r: -r[0])
    body = [ln for para, _ in found for ln in para.lines]
    return Measures(pdf.name, max((ln.page for ln in lines), default=0), len(body), len(just),
                    [r for r, _ in ratios], ratios[:12], len(hyphenated(body)), Counter(hyphen_runs(found)),
                    short_lines(found), broken_urls(lines), page_turn_hyphens(found))


def summary(m: Measures) -> str:
    """A Markdown summary of one PDF's measures."""
    r = m.ratios
    quantiles = statistics.quantiles(r, n=20) if len(r) >= 20 else []
    over = lambda t: sum(1 for x in r if x > t)
    out = [f"### {m.name}", "",
           f"{m.pages} pages, {m.lines} lines in paragraphs, {m.justified} justified lines.", "",
           "| word-space ratio | median | p90 | p95 | max | lines > 1.5× | > 1.8× | > 2.0× |",
           "|---|---|---|---|---|---|---|---|",
           f"| justified lines | {statistics.median(r):.2f} | {quantiles[17]:.2f} | {quantiles[18]:.2f} | "
           f"{max(r):.2f} | {over(1.5)} | {over(1.8)} | {over(2.0)} |" if quantiles else "| (too few) |",
           "",
           f"Hyphenated line ends: {m.hyphenated}; runs of consecutive hyphenated lines: "
           + (", ".join(f"{n}× {k}" for k, n in sorted(m.runs.items())) or "none") + ".",
           f"Short lines inside a paragraph (< ⅓ measure): {len(m.short)}"
           + "".join(f"\n- p. {ln.page}: “{ln.text}”" for ln in m.short),
           f"URLs broken at a hyphen: {len(m.urls)}" + "".join(f"\n- {u}" for u in m.urls),
           f"Hyphenated words carried over a page turn: {len(m.turns)}"
           + "".join(f"\n- p. {ln.page}: “{ln.text}”" for ln in m.turns),
           "", "Worst justified lines:", ""]
    out += [f"- {ratio:.2f}× p. {ln.page}: “{ln.text}”" for ratio, ln in m.worst]
    return "\n".join(out) + "\n"


def build_reader(output: Path) -> list[Path]:
    """Build the reader's book and handouts with build.py, as a user does."""
    subprocess.run([sys.executable, str(ROOT / "build.py"), "pdf", "handouts", "--output", str(output), "-q"],
                   cwd=ROOT, check=True)
    return [*sorted(output.glob("*.pdf")), *sorted((output / "handouts").glob("*.pdf"))]


def main(args: list[str]) -> None:
    if args:
        pdfs = [Path(a) for a in args]
        print("".join(summary(measure(p)) + "\n" for p in pdfs))
        return
    with tempfile.TemporaryDirectory() as tmp:
        pdfs = [p for p in build_reader(Path(tmp)) if "class-pack" not in p.name]
        print("".join(summary(measure(p)) + "\n" for p in pdfs))


if __name__ == "__main__":
    main(sys.argv[1:])
