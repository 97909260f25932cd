"""The perfect-bound cover: back | spine | front on one sheet, with bleed, for a print shop (issue 12).

A book too thick to staple (``impose.Plan.too_thick``) is bound as a paperback, and its
cover is one sheet wrapped round the block of pages: the back cover on the left, the
spine, the front cover on the right. The spine is as thick as the block: one paper
thickness per leaf (:func:`chapbook.impose.spine_width`, from the booklet's paper
setting), or the print shop's own figure (``cover.spine_mm``).

The sheet is laid out by WeasyPrint from ``templates/cover.html.j2``, which reuses the
book's cover markup and print.css classes, so the front and back look like the book's
own cover pages. pikepdf then sets the boxes a printer's preflight reads: TrimBox = the
three panels, BleedBox = the trim plus ``print.bleed``, MediaBox = the bleed, or more
with ``cover.marks`` (crop marks, spine marks and a slug line outside the bleed, K-only).
The spine width is in the PDF's /Subject and the build's note line.

Settings: ``cover`` in publication.yml (see ``config.COVER``); the bleed is ``print.bleed``,
the paper ``booklet.paper_thickness_mm`` / ``paper_weight_gsm``.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from .. import __version__, impose
from ..config import booklet_settings, cover_settings, print_settings
from ..diagnostics import Location
from ..preflight import MM, to_pt
from .pdf import layout, pdf_identifier
from .printshop import MARK_LENGTH, MARK_MARGIN, MARK_OFFSET, MARK_WIDTH, crop_marks
from .sheets import save_pdf

TEMPLATE = "cover.html.j2"
SPINE_TEXT_MM = 6.0  # narrower than this, a spine's title would be too small to read (and may slip over the fold)
MIN_SPINE_FONT = 6.5  # pt: a long title is set smaller to fit its spine, but no smaller than this
EDITORS_FILL = 0.85  # the editors' names stay on the spine only if it is this full at most: never crowded
THIN_BOOK_PAGES = 32  # print shops usually perfect-bind no fewer pages: too few leaves for the glue
MARKS_ROOM = MARK_OFFSET + MARK_LENGTH + MARK_MARGIN  # outside the bleed, when cover.marks is on


@dataclass(frozen=True)
class CoverGeometry:
    """Where everything goes on the cover sheet, in points, measured from its top-left corner."""

    trim_w: float  # one cover (the book's page width)
    trim_h: float
    spine: float
    bleed: float
    marks: float = 0.0  # room for crop marks outside the bleed

    @property
    def room(self) -> float:
        """From the sheet's edge to the trim."""
        return self.bleed + self.marks

    @property
    def width(self) -> float:
        return 2 * self.room + 2 * self.trim_w + self.spine

    @property
    def height(self) -> float:
        return 2 * self.room + self.trim_h

    @property
    def back_x(self) -> float:
        return self.room

    @property
    def spine_x(self) -> float:
        return self.room + self.trim_w

    @property
    def front_x(self) -> float:
        return self.room + self.trim_w + self.spine

    def trim_box(self) -> list[float]:
        """[x0 y0 x1 y1] in PDF space (origin bottom-left), as TrimBox wants it."""
        return [round(v, 4) for v in (self.room, self.room, self.width - self.room, self.height - self.room)]

    def bleed_box(self) -> list[float]:
        return [round(v, 4) for v in (self.marks, self.marks, self.width - self.marks, self.height - self.marks)]


def spine_font_size(spine: float) -> float:
    """The spine's type size in pt: about 45 % of its width, 12 pt at most."""
    return round(min(12.0, 0.45 * spine), 2)


def spine_editors(editors: tuple[str, ...]) -> str:
    """The editors as a spine names them: surnames ('Editor & Other'), a collective name whole."""
    if not editors:
        return ""
    if any(re.match(r"The\s", e) or len(e.split()) < 2 for e in editors):
        return ", ".join(editors)
    names = [e.split()[-1] for e in editors]
    if len(names) > 3:
        return f"{names[0]} et al."
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} & {names[-1]}"


def spine_fill(document) -> float:
    """How much of the spine's length its text needs: 1.0 fills it, more runs past its ends (and is clipped).

    The text is set on one line of items that do not shrink; measured on WeasyPrint's boxes, as
    ``pdf.printed_folios`` reads the folios: the items' natural widths and fixed gaps against the
    line's content box. Positions are not used: WeasyPrint 70 gives an auto margin a negative
    width when the items overflow, and then draws them over each other.
    """
    def find(box):
        element = getattr(box, "element", None)
        if element is not None and "spine-text" in (element.get("class") or "").split():
            return box
        for child in getattr(box, "children", ()):
            found = find(child)
            if found is not None:
                return found
        return None

    line = find(document.pages[0]._page_box) if document.pages else None
    items = list(getattr(line, "children", ()))
    if line is None or not items or line.width <= 0:
        return 0.0
    return sum(_natural_width(item) for item in items) / line.width


def _natural_width(box) -> float:
    """A box's width with its padding, borders and fixed margins (an auto margin only takes what is left)."""
    margins = sum(getattr(box, side) or 0 for side in ("margin_left", "margin_right")
                  if box.style[side] != "auto")
    return (box.width + box.padding_left + box.padding_right + box.border_left_width + box.border_right_width
            + margins)


def spine_marks(geo: CoverGeometry) -> str:
    """Short K-only marks above and below the bleed at both folds of the spine (PDF space)."""
    start, end = geo.bleed + MARK_OFFSET, geo.bleed + MARK_OFFSET + MARK_LENGTH
    top, bottom = geo.height - geo.room, geo.room
    ops = [f"q 0 0 0 1 K {MARK_WIDTH} w [] 0 d 0 J"]
    for x in (geo.spine_x, geo.spine_x + geo.spine):
        ops.append(f"{x:.4f} {top + start:.4f} m {x:.4f} {top + end:.4f} l S")
        ops.append(f"{x:.4f} {bottom - start:.4f} m {x:.4f} {bottom - end:.4f} l S")
    ops.append("Q")
    return "\n".join(ops)


@dataclass(frozen=True)
class Spine:
    """The spine's width and what it says about it."""

    mm: float
    pages: int
    source: str  # how the width was found, for the note

    @property
    def has_text(self) -> bool:
        return self.mm >= SPINE_TEXT_MM


def spine_for(build, pages: int) -> Spine:
    """The spine: ``cover.spine_mm`` when the print shop gave one, else pages ÷ 2 × paper thickness."""
    config = build.publication.config
    given = float(cover_settings(config)["spine_mm"])
    if given:
        return Spine(round(given, 4), pages, "cover.spine_mm")
    booklet = booklet_settings(config)
    thickness = impose.paper_thickness(booklet["paper_thickness_mm"], booklet["paper_weight_gsm"])
    paper = impose.paper_label(booklet["paper_thickness_mm"], booklet["paper_weight_gsm"])
    return Spine(impose.spine_width(pages, thickness), pages,
                 f"{pages} pages on {paper} paper, {thickness:g} mm a leaf")


def trim_note(geo: CoverGeometry, spine: Spine) -> str:
    """The figures a print shop checks, for the slug line and the PDF's /Subject."""
    return (f"perfect-bound cover: trim {geo.trim_w / MM:.1f} × {geo.trim_h / MM:.1f} mm a side, spine "
            f"{spine.mm:.2f} mm ({spine.source}), bleed {geo.bleed / MM:.1f} mm; back | spine | front "
            f"{(2 * geo.trim_w + geo.spine) / MM:.1f} × {geo.trim_h / MM:.1f} mm trimmed")


def cover_html(build, geo: CoverGeometry, spine: Spine, slug: str, editors: bool = True,
               size: float = 0.0) -> str:
    """The cover sheet as HTML, from the project's templates/cover.html.j2 or chapbook's.

    ``editors``: name the editors on the spine too (left off when the spine is too short for them);
    ``size``: the spine's type size in pt (default: :func:`spine_font_size`).
    """
    from ..render import in_language, template_env

    publication = build.publication
    config = publication.config
    size = size or spine_font_size(geo.spine)
    sheet = {"width": round(geo.width, 4), "height": round(geo.height, 4), "top": round(geo.room, 4),
             "trim_w": round(geo.trim_w, 4), "trim_h": round(geo.trim_h, 4), "spine": round(geo.spine, 4),
             "back_x": round(geo.back_x, 4), "spine_x": round(geo.spine_x, 4), "front_x": round(geo.front_x, 4),
             "spine_font": size, "slug_x": round(geo.room + 10 * MM, 4), "slug_w": round(geo.trim_w - 20 * MM, 4),
             "slug_y": round(geo.height - geo.marks + MARK_OFFSET, 4)}
    return in_language(template_env(publication.root), config).get_template(TEMPLATE).render(
        config=config, typography=config.typography, sheet=sheet, spine_text=spine.has_text,
        spine_editors=spine_editors(config.editors) if editors else "", slug=slug, version=__version__,
        custom_css=(publication.root / "styles" / "custom.css").is_file())


def set_boxes(pdf, geo: CoverGeometry, marks: bool) -> None:
    """TrimBox and BleedBox for the printer's preflight; with marks, crop and spine marks outside the bleed."""
    import pikepdf

    page = pdf.pages[0]
    page.obj.TrimBox = pikepdf.Array(geo.trim_box())
    page.obj.BleedBox = pikepdf.Array(geo.bleed_box())
    if marks:  # WeasyPrint's content flips the y axis without saving the state: fence it in q … Q first
        page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
        room = geo.room
        drawn = crop_marks(room, room, 2 * geo.trim_w + geo.spine, geo.trim_h, geo.bleed)
        page.contents_add(pdf.make_stream(f"Q\n{drawn}\n{spine_marks(geo)}\n".encode("ascii")))


class CoverWriter:
    name = "cover"
    description = "the perfect-bound cover: back, spine and front with bleed (output/NAME-cover.pdf)"

    def write(self, build) -> list[Path]:
        import pikepdf

        config = build.publication.config
        where = config.locations.get("cover", Location(build.publication.root / "content" / "publication.yml", 1, 1))
        settings = cover_settings(config)
        pages = build.book().page_count
        spine = spine_for(build, pages)
        bleed = to_pt(print_settings(config)["bleed"] or "0mm")
        geo = CoverGeometry(to_pt(config.page_width), to_pt(config.page_height), spine.mm * MM, bleed,
                            MARKS_ROOM if settings["marks"] else 0.0)
        if pages < THIN_BOOK_PAGES and not settings["spine_mm"]:  # a note: a full build writes every target
            build.report.note(f"{build.name}-cover.pdf: a {pages}-page book is thin for perfect binding (print "
                              f"shops usually ask for at least {THIN_BOOK_PAGES} pages); a stapled booklet "
                              "('build.py booklet') suits it better")
        note = trim_note(geo, spine)
        document = self.lay_out(build, geo, spine, f"{config.title} — {note}" if settings["marks"] else "", where)
        if len(document.pages) != 1:
            build.report.warning(where, f"cover: the cover came out as {len(document.pages)} pages; "
                                 "only the first is kept (check styles/custom.css and templates/cover.html.j2)")
        pdf = pikepdf.open(io.BytesIO(document.copy(document.pages[:1]).write_pdf(
            pdf_identifier=pdf_identifier(config))))
        set_boxes(pdf, geo, settings["marks"])
        target = build.output / f"{build.name}-cover.pdf"
        save_pdf(pdf, build, f"{config.title}: cover", target, {"/Subject": note})
        blank = "" if spine.has_text else f"; spine under {SPINE_TEXT_MM:g} mm, left blank"
        build.report.note(f"{target.name}: spine {spine.mm:.1f} mm ({spine.source}), sheet "
                          f"{geo.width / MM:.1f} × {geo.height / MM:.1f} mm with {geo.bleed / MM:g} mm bleed{blank}")
        return [target]

    def lay_out(self, build, geo: CoverGeometry, spine: Spine, slug: str, where: Location):
        """The cover laid out so the spine's text fits: without the editors, then in smaller type, else a warning."""
        document = layout(build, cover_html(build, geo, spine, slug))
        named = bool(spine_editors(build.publication.config.editors))
        if not spine.has_text or spine_fill(document) <= (EDITORS_FILL if named else 1):
            return document
        if named:
            document = layout(build, cover_html(build, geo, spine, slug, editors=False))
        fill = spine_fill(document)
        if fill <= 1:
            return document
        size = spine_font_size(geo.spine)
        smaller = max(MIN_SPINE_FONT, round(size / fill * 0.98, 2))
        if smaller < size:
            document = layout(build, cover_html(build, geo, spine, slug, editors=False, size=smaller))
        if spine_fill(document) > 1:
            build.report.warning(where, f"cover: the title is too long for the {spine.mm:.1f} mm spine, even in "
                                 f"{smaller:g} pt type, and is cut off there; shorten it in "
                                 "templates/cover.html.j2 or ask for a wider spine (cover.spine_mm)")
        return document
