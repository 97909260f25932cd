"""Saddle-stitch imposition as pure functions: which book page goes where on which sheet.

Nothing here knows about PDFs; ``writers/booklet.py`` places the pages. Pages
are numbered from 1 as printed (folios); ``None`` is a blank page.

A gathering of ``n`` pages (n a multiple of 4) is printed on n/4 sheets, both
sides, and the sheets are nested and folded once. Sheet ``k`` (0 = the outer
one) carries, left half then right half::

    side 2k+1 (front): (n - 2k, 2k + 1)      side 1: (n, 1)
    side 2k+2 (back):  (2k + 2, n - 2k - 1)  side 2: (2, n - 1), side 3: (n - 2, 3) …

Printed duplex and flipped on the short edge, every back side lands behind its
front, and the folded stack reads 1, 2, 3 … n.

Padding follows the bookbinder: blank pages go before the back cover when the
book ends with one, otherwise after the last page of the back matter; never
inside a text. With signatures, the padded book is cut into gatherings of
``signature`` pages, each imposed on its own; only the last one may be shorter.
"""

from __future__ import annotations

from dataclasses import dataclass

Slot = int | None  # a book page (1-based) or a blank

GSM_TO_MM = 0.00125  # uncoated paper: about 1.25 µm per g/m² (80 g/m² office paper ≈ 0.1 mm)


@dataclass(frozen=True)
class Side:
    """One side of one sheet: the page on the left half and the page on the right half."""

    sheet: int  # 1-based, counted through the whole booklet
    gathering: int  # 1-based signature number
    sheet_in_gathering: int  # 0 = the outer sheet of its gathering
    front: bool
    left: Slot
    right: Slot


@dataclass(frozen=True)
class Plan:
    """What padding and signatures do to a book of ``pages`` pages."""

    pages: int
    padded: int
    blanks: int
    back_cover: bool
    signature: int  # 0: a single gathering
    gatherings: tuple[int, ...]  # pages in each gathering

    @property
    def where(self) -> str:
        return "before the back cover" if self.back_cover else "at the end of the back matter"

    def summary(self) -> str:
        """'61 pages → 64: 3 blank pages added at the end of the back matter' (and the gatherings)."""
        if self.blanks:
            line = (f"{self.pages} pages → {self.padded}: {self.blanks} blank "
                    f"page{'s' if self.blanks != 1 else ''} added {self.where}")
        else:
            line = f"{self.pages} pages, no blank pages needed"
        sheets = self.padded // 4
        line += f"; {sheets} sheet{'s' if sheets != 1 else ''}"
        if self.signature and len(self.gatherings) > 1:
            line += f" in {len(self.gatherings)} gatherings of {'+'.join(map(str, self.gatherings))} pages"
        return line

    def warnings(self) -> list[str]:
        """Page-count planning: blanks an editor could avoid, a last gathering that overflows."""
        notes = []
        if self.blanks >= 3:
            fewer = self.pages - (self.padded - 4)
            notes.append(f"the booklet wastes {self.blanks} blank pages; {fewer} page{'s' if fewer != 1 else ''} "
                         f"fewer ({self.padded - 4}) would need none")
        full = len(self.gatherings) - 1
        if self.signature and full and self.gatherings[-1] <= self.signature // 2:
            over = self.pages - full * self.signature
            notes.append(f"the book overflows {full} gathering{'s' if full != 1 else ''} of {self.signature} "
                         f"pages: the last gathering holds only {self.gatherings[-1]} pages; {over} "
                         f"page{'s' if over != 1 else ''} fewer would fit {full} full gathering"
                         f"{'s' if full != 1 else ''}")
        return notes


def padded_count(pages: int) -> int:
    """The page count rounded up to a multiple of 4 (a folded sheet holds 4 pages); at least 4."""
    if pages < 1:
        raise ValueError("a booklet needs at least one page")
    return max(4, -(-pages // 4) * 4)


def page_sequence(pages: int, back_cover: bool = False) -> list[Slot]:
    """The book's pages in reading order, padded with blanks (None) to a multiple of 4.

    The blanks go before the last page when it is a back cover, otherwise at the end.
    """
    blanks = padded_count(pages) - pages
    body = list(range(1, pages + 1))
    if back_cover and pages > 1:
        return body[:-1] + [None] * blanks + body[-1:]
    return body + [None] * blanks


def gathering_sizes(padded: int, signature: int = 0) -> list[int]:
    """Split ``padded`` pages (a multiple of 4) into gatherings of ``signature`` pages; the last takes the rest."""
    if padded % 4:
        raise ValueError(f"{padded} is not a multiple of 4")
    if signature < 0 or signature % 4:
        raise ValueError(f"a signature must be a multiple of 4 pages, not {signature}")
    if not signature or signature >= padded:
        return [padded]
    full, rest = divmod(padded, signature)
    return [signature] * full + ([rest] if rest else [])


def saddle_order(count: int) -> list[tuple[int, int]]:
    """Positions (1-based, within a gathering of ``count`` pages) on each sheet side, left then right.

    >>> saddle_order(8)
    [(8, 1), (2, 7), (6, 3), (4, 5)]
    """
    if count < 4 or count % 4:
        raise ValueError(f"a saddle-stitched gathering needs a multiple of 4 pages, not {count}")
    sides = []
    for k in range(count // 4):
        sides.append((count - 2 * k, 2 * k + 1))  # front of sheet k
        sides.append((2 * k + 2, count - 2 * k - 1))  # back of sheet k
    return sides


def plan(pages: int, back_cover: bool = False, signature: int = 0) -> Plan:
    padded = padded_count(pages)
    return Plan(pages, padded, padded - pages, back_cover and pages > 1, signature,
                tuple(gathering_sizes(padded, signature)))


def impose(pages: int, back_cover: bool = False, signature: int = 0) -> list[Side]:
    """Every sheet side of the booklet, in printing order."""
    sequence = page_sequence(pages, back_cover)
    sides: list[Side] = []
    start, sheet = 0, 0
    for g, size in enumerate(gathering_sizes(len(sequence), signature), start=1):
        chunk = sequence[start:start + size]
        for i, (left, right) in enumerate(saddle_order(size)):
            if i % 2 == 0:
                sheet += 1
            sides.append(Side(sheet, g, i // 2, i % 2 == 0, chunk[left - 1], chunk[right - 1]))
        start += size
    return sides


def paper_thickness(thickness_mm: float = 0.0, weight_gsm: float = 0.0) -> float:
    """Paper thickness in mm, given directly or estimated from the paper's weight."""
    if thickness_mm:
        return float(thickness_mm)
    return float(weight_gsm) * GSM_TO_MM


def creep_offsets(sheets: int, thickness_mm: float) -> list[float]:
    """How far (mm) to move the pages of each sheet toward the fold, outer sheet first.

    Each sheet nested inside another sticks out at the fore-edge by about one paper
    thickness more than the one around it, so sheet k (0 = outer) shifts by k × thickness;
    after trimming, every page keeps the same outer margin.
    """
    return [round(k * thickness_mm, 4) for k in range(sheets)]
