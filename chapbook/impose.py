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

A single gathering is stapled through its fold, and a stapler binds only so much
paper (issue 12: a 296-page reader came out as one 74-sheet booklet): a long-arm
stapler closes over about 2–2.5 mm of paper, 20–25 sheets of 80 g/m². Beyond
that the plan warns, and says how to cut the book into signatures or bind it as
a paperback (``spine_width`` gives the perfect-bound cover its spine).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

Slot = int | None  # a book page (1-based) or a blank

GSM_TO_MM = 0.00125  # uncoated paper: about 1.25 µm per g/m² (80 g/m² office paper ≈ 0.1 mm)
STAPLER_MM = (2.0, 2.5)  # paper a long-arm stapler binds through a fold: 20–25 sheets of 80 g/m²
SEWN_SIGNATURES = (16, 20, 12, 24)  # pages per sewn gathering a binder would pick, best first (4 sheets)
THIN_SIGNATURES = (32, 28, 24, 16)  # on paper thinner than 0.08 mm (about 60 g/m²)


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
    paper_mm: float = 0.1  # thickness of one sheet, for what a stapler binds
    paper: str = "80 gsm"  # that paper as the editor set it, for the warning

    def summary(self, words: Mapping[str, str]) -> str:
        """'61 pages → 64: 3 blank pages added at the end of the back matter; 16 sheets' (and the
        gatherings), in ``words`` (:mod:`chapbook.words`' ``booklet_…`` entries): the book's on the
        instructions page, English on the terminal."""
        where = words["booklet_before_back_cover" if self.back_cover else "booklet_end_of_back_matter"]
        if self.blanks:
            line = words["booklet_blank_added" if self.blanks == 1 else "booklet_blanks_added"].format(
                pages=self.pages, padded=self.padded, blanks=self.blanks, where=where)
        else:
            line = words["booklet_no_blanks"].format(pages=self.pages)
        sheets = self.padded // 4
        line += "; " + (words["booklet_one_sheet"] if sheets == 1 else words["booklet_sheets"].format(sheets=sheets))
        if self.signature and len(self.gatherings) > 1:
            line += " " + words["booklet_in_gatherings"].format(count=len(self.gatherings),
                                                               sizes="+".join(map(str, self.gatherings)))
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
        thick = self.too_thick()
        if thick:
            notes.append(thick)
        return notes

    def too_thick(self) -> str:
        """Why one stapled gathering cannot hold this book, with the figures and the ways out; '' if it can.

        Only a single gathering is stapled; signatures are sewn or glued, so setting
        ``booklet.signature`` is itself the answer.
        """
        sheets = self.padded // 4
        low, high = stapler_sheets(self.paper_mm)
        if len(self.gatherings) > 1 or sheets <= high:
            return ""
        signature = suggest_signature(self.padded, self.paper_mm)
        sizes = gathering_sizes(self.padded, signature)
        each = f"{signature // 4} sheets" if len(set(sizes)) == 1 else f"at most {signature // 4} sheets"
        return (f"a {self.padded}-page booklet is {sheets} sheets folded into one gathering; a long-arm "
                f"stapler binds about {low}–{high} sheets ({4 * low}–{4 * high} pages) of {self.paper} "
                f"paper; set booklet.signature to {signature} ({len(sizes)} gatherings of {each}, to sew "
                "or glue at the spine) or have it perfect-bound with the cover 'build.py cover' makes")


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


def plan(pages: int, back_cover: bool = False, signature: int = 0, paper_mm: float = 0.1,
         paper: str = "80 gsm") -> Plan:
    """Padding, gatherings and (through ``paper_mm``) what a stapler can bind, for ``pages`` book pages."""
    padded = padded_count(pages)
    return Plan(pages, padded, padded - pages, back_cover and pages > 1, signature,
                tuple(gathering_sizes(padded, signature)), paper_mm, paper)


def suggest_signature(padded: int, paper_mm: float) -> int:
    """The signature to propose for a book too thick to staple: a usual size whose last gathering is not thin.

    A last gathering of half a signature or less is what ``Plan.warnings`` flags, so the first
    usual size that avoids it is proposed (296 pages: 20, as 16 would leave 8 pages at the end).
    """
    candidates = SEWN_SIGNATURES if paper_mm >= 0.08 else THIN_SIGNATURES
    for signature in candidates:
        last = gathering_sizes(padded, signature)[-1]
        if last == signature or last > signature // 2:
            return signature
    return candidates[0]


def stapler_sheets(paper_mm: float) -> tuple[int, int]:
    """About how many sheets of ``paper_mm`` paper a long-arm stapler binds through the fold (low, high).

    >>> stapler_sheets(0.1)
    (20, 25)
    """
    paper_mm = paper_mm if paper_mm > 0 else 0.1
    low, high = (max(1, int(round(mm / paper_mm, 6))) for mm in STAPLER_MM)
    return low, high


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


def paper_label(thickness_mm: float = 0.0, weight_gsm: float = 0.0) -> str:
    """The paper as the editor set it, for messages: '0.12 mm' when a thickness is given, else '80 gsm'."""
    return f"{float(thickness_mm):g} mm" if thickness_mm else f"{float(weight_gsm):g} gsm"


def spine_width(pages: int, thickness_mm: float) -> float:
    """The spine of a perfect-bound book in mm: one paper thickness per leaf (two pages).

    An odd page count still takes a whole leaf. The cover board adds a little, which a print
    shop's own figure includes; this is the estimate to start from.
    """
    return round(-(-pages // 2) * thickness_mm, 4)


def creep_offsets(sheets: int, thickness_mm: float) -> list[float]:
    """How far (mm) to move the pages of each sheet toward the fold, outer sheet first.

    Each sheet nested inside another sticks out at the fore-edge by about one paper
    thickness more than the one around it, so sheet k (0 = outer) shifts by k × thickness;
    after trimming, every page keeps the same outer margin.
    """
    return [round(k * thickness_mm, 4) for k in range(sheets)]
