"""The folded booklet: the typeset book imposed for duplex printing and saddle stitching.

Two book pages side by side on a sheet twice the page's width (A5 → A4
landscape, A4 → A3, half-letter → Letter), in the order ``chapbook.impose``
computes; printed on both sides (flip on the short edge), folded and nested,
the sheets read 1, 2, 3 … Own code on pypdf: each sheet side is a blank page
onto which the book's pages are merged with a translation; nothing is scaled.

Settings: ``booklet`` in publication.yml (see ``config.BOOKLET``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.generic import ArrayObject, ByteStringObject, ContentStream, NameObject

from .. import impose
from ..config import booklet_settings, parse_sheet
from ..diagnostics import Location
from ..outfiles import atomic_path
from ..render import build_date
from .pdf import layout, pdf_identifier

MM = 72 / 25.4
_UNITS = {"mm": MM, "cm": 10 * MM, "in": 72.0, "pt": 1.0, "px": 0.75}
STANDARD_SHEETS = {"A4": (841.89, 595.28), "A3": (1190.55, 841.89), "Letter": (792.0, 612.0)}  # landscape, pt


def to_pt(length: str) -> float:
    for unit, factor in _UNITS.items():
        if length.endswith(unit):
            return float(length[: -len(unit)]) * factor
    raise ValueError(f"not a length: {length!r}")


def sheet_size(page_w: float, page_h: float, setting: str = "auto") -> tuple[float, float, str]:
    """(width, height, name) of the landscape sheet for pages of ``page_w`` × ``page_h`` points.

    ``auto``: twice the page width, rounded to a standard sheet when within 3 mm of one
    (two A5 pages are 296 mm wide, an A4 sheet 297 mm: the pair is centred on it).
    """
    if setting == "auto":
        want_w, want_h = 2 * page_w, page_h
        for name, (w, h) in STANDARD_SHEETS.items():
            if -0.5 <= w - want_w <= 3 * MM and abs(h - want_h) <= 0.5 * MM:
                return w, h, f"{name} landscape"
        return want_w, want_h, f"{want_w / MM:.0f} × {want_h / MM:.0f} mm"
    size = parse_sheet(setting)
    if size is None:
        raise ValueError(f"unknown sheet size {setting!r}")
    w, h = sorted((to_pt(size[0]), to_pt(size[1])), reverse=True)
    return w, h, f"{setting} landscape" if setting[:1].isalpha() else f"{w / MM:.0f} × {h / MM:.0f} mm"


@dataclass(frozen=True)
class Geometry:
    sheet_w: float
    sheet_h: float
    page_w: float
    page_h: float

    @property
    def x0(self) -> float:  # left edge of the pair of pages
        return (self.sheet_w - 2 * self.page_w) / 2

    @property
    def y0(self) -> float:
        return (self.sheet_h - self.page_h) / 2

    @property
    def fold_x(self) -> float:
        return self.x0 + self.page_w


def marks_stream(geo: Geometry) -> bytes:
    """Fold marks (dashed, at the fold) and, when the sheet has room around the pages, crop marks."""
    ops = ["q 0 G 0.3 w"]
    tick = 6 * MM
    top, bottom = geo.y0 + geo.page_h, geo.y0
    # fold marks: short dashed lines at the top and bottom of the fold, outside the pages if there is room
    room = geo.y0
    if room >= 3 * MM:
        ops.append(f"[2 2] 0 d {geo.fold_x:.2f} {top + 1 * MM:.2f} m {geo.fold_x:.2f} {top + min(room, tick):.2f} l S")
        ops.append(f"{geo.fold_x:.2f} {bottom - 1 * MM:.2f} m {geo.fold_x:.2f} {bottom - min(room, tick):.2f} l S")
    else:  # inside the head and foot margins, where a book page has no text
        ops.append(f"[2 2] 0 d {geo.fold_x:.2f} {top:.2f} m {geo.fold_x:.2f} {top - tick:.2f} l S")
        ops.append(f"{geo.fold_x:.2f} {bottom:.2f} m {geo.fold_x:.2f} {bottom + tick:.2f} l S")
    ops.append("[] 0 d")
    gap = 2 * MM
    if min(geo.x0, geo.y0) >= gap + 2 * MM:  # crop marks at the trim corners of the folded pair
        length = min(geo.x0, geo.y0, 5 * MM + gap) - gap
        left, right = geo.x0, geo.x0 + 2 * geo.page_w
        for x, dx in ((left, -1), (right, 1)):
            for y, dy in ((bottom, -1), (top, 1)):
                ops.append(f"{x + dx * gap:.2f} {y:.2f} m {x + dx * (gap + length):.2f} {y:.2f} l S")
                ops.append(f"{x:.2f} {y + dy * gap:.2f} m {x:.2f} {y + dy * (gap + length):.2f} l S")
    ops.append("Q")
    return "\n".join(ops).encode("ascii")


def pdf_date(build) -> str:
    return build_date().strftime("D:%Y%m%d%H%M%SZ")


def finish(writer: PdfWriter, build, title: str, seed: str) -> None:
    """Deterministic metadata and /ID, so the same sources and SOURCE_DATE_EPOCH give the same bytes."""
    config = build.publication.config
    date = pdf_date(build)
    writer.add_metadata({"/Title": title, "/Author": ", ".join(config.editors), "/Creator": "chapbook",
                         "/Producer": "chapbook (pypdf)", "/CreationDate": date, "/ModDate": date})
    ident = ByteStringObject(bytes.fromhex(pdf_identifier(config).decode("ascii")) + seed.encode("utf-8"))
    writer._ID = ArrayObject([ident, ident])  # pypdf has no public setter; it writes no /ID otherwise


class BookletWriter:
    name = "booklet"
    description = "the book imposed for duplex printing and folding (output/NAME-booklet.pdf)"

    def write(self, build) -> list[Path]:
        settings = booklet_settings(build.publication.config)
        config_path = build.publication.root / "content" / "publication.yml"
        where = build.publication.config.locations.get("booklet", Location(config_path, 1, 1))
        typeset = build.book()
        source = PdfReader(io.BytesIO(typeset.pdf(build.publication.config)))
        pages = source.pages
        back_cover = has_back_cover(typeset.document)
        page_plan = impose.plan(len(pages), back_cover, settings["signature"])
        for note in page_plan.warnings():
            build.report.warning(where, note)
        build.report.note(page_plan.summary())

        box = pages[0].mediabox
        page_w, page_h = float(box.width), float(box.height)
        try:
            sheet_w, sheet_h, sheet_name = sheet_size(page_w, page_h, settings["sheet"])
        except ValueError as exc:
            build.report.error(where, f"booklet: {exc}")
            return []
        if sheet_w + 0.5 < 2 * page_w or sheet_h + 0.5 < page_h:
            build.report.error(where, f"booklet: two pages of {page_w / MM:.0f} × {page_h / MM:.0f} mm do not fit "
                               f"on a {sheet_name} sheet ({sheet_w / MM:.0f} × {sheet_h / MM:.0f} mm)")
            return []
        geo = Geometry(sheet_w, sheet_h, page_w, page_h)
        if settings["marks"] and min(geo.x0, geo.y0) < 4 * MM and settings["sheet"] != "auto":
            build.report.warning(where, "booklet: no room for crop marks around the pages on this sheet; "
                                 "only fold marks are drawn")
        thickness = impose.paper_thickness(settings["paper_thickness_mm"], settings["paper_weight_gsm"])
        creep = [mm * MM for mm in impose.creep_offsets(max(page_plan.gatherings) // 4, thickness)]

        writer = PdfWriter()
        sides = impose.impose(len(pages), back_cover, settings["signature"])
        for side in sides:
            sheet = writer.add_blank_page(sheet_w, sheet_h)
            if settings["marks"]:
                marks = ContentStream(None, writer)
                marks.set_data(marks_stream(geo))
                sheet.replace_contents(marks)
            shift = creep[side.sheet_in_gathering] if settings["creep"] else 0.0
            for slot, x in ((side.left, geo.x0 + shift), (side.right, geo.fold_x - shift)):
                if slot is not None:
                    sheet.merge_transformed_page(pages[slot - 1], Transformation().translate(x, geo.y0))
            if "/Annots" in sheet:  # links of the book point nowhere on a sheet
                del sheet[NameObject("/Annots")]
            sheet.compress_content_streams()
        title = f"{build.publication.config.title} — booklet"
        info = Instructions(page_plan, sides, sheet_name, settings, max(creep) / MM if settings["creep"] else 0.0)
        files = []
        if settings["instructions"] == "page":
            for page in PdfReader(io.BytesIO(instructions_pdf(build, info, sheet_w, sheet_h, True))).pages:
                writer.add_page(page)
        elif settings["instructions"] == "separate":
            target = build.output / f"{build.name}-booklet-instructions.pdf"
            separate = PdfWriter()
            for page in PdfReader(io.BytesIO(instructions_pdf(build, info, sheet_w, sheet_h, False))).pages:
                separate.add_page(page)
            finish(separate, build, f"{build.publication.config.title} — how to print and fold the booklet",
                   "instructions")
            with atomic_path(target) as tmp:
                separate.write(tmp)
            files.append(target)
        finish(writer, build, title, "booklet")
        target = build.output / f"{build.name}-booklet.pdf"
        with atomic_path(target) as tmp:
            writer.write(tmp)
        return [target, *files]


@dataclass(frozen=True)
class Instructions:
    """What the 'how to print and fold' page says."""

    plan: impose.Plan
    sides: list[impose.Side]
    sheet_name: str
    settings: dict
    creep_mm: float

    @property
    def sheets(self) -> int:
        return len(self.sides) // 2


def has_back_cover(document) -> bool:
    """Whether the book's last page is a cover (its @page name is cover or back-cover)."""
    if len(document.pages) < 2:
        return False
    page_type = getattr(getattr(document.pages[-1], "_page_box", None), "page_type", None)
    return getattr(page_type, "name", "") in ("cover", "back-cover")


def _range(slot: impose.Slot) -> str:
    return "blank" if slot is None else str(slot)


def instructions_html(title: str, info: Instructions, sheet_w: float, sheet_h: float, built: str,
                      in_booklet: bool) -> str:
    """The 'how to print and fold' page, one sheet in size, as HTML for WeasyPrint."""
    from html import escape

    plan, sheets = info.plan, info.sheets
    last_side = 2 * sheets
    gatherings = len(plan.gatherings)
    rows = []
    for front, back in zip(info.sides[::2], info.sides[1::2], strict=True):
        rows.append(f"<tr><td>{front.sheet}</td>{'<td>' + str(front.gathering) + '</td>' if gatherings > 1 else ''}"
                    f"<td>{_range(front.left)} | {_range(front.right)}</td>"
                    f"<td>{_range(back.left)} | {_range(back.right)}</td></tr>")
    only = (f" Print only pages 1–{last_side} of the PDF; this last page is just for reading."
            if in_booklet else "")
    gather = (f"Nest the folded sheets in the order they were printed: sheet 1 (pages {plan.padded} and 1) "
              "on the outside, the last sheet in the middle.")
    if gatherings > 1:
        gather = (f"The booklet is made of {gatherings} gatherings ({'+'.join(map(str, plan.gatherings))} pages). "
                  "Fold and nest the sheets of each gathering on its own, the first sheet of each gathering "
                  "outside; then stack the gatherings in order, gathering 1 on top.")
    bind = ("Staple twice through the fold from the outside, about a quarter of the height from the top and "
            "from the bottom (saddle stitch)." if gatherings == 1 else
            "Sew each gathering through its fold, or glue the stacked gatherings at the spine.")
    trim = (f"<li><b>Trim</b> the fore-edge: the pages of the inner sheets were moved toward the fold by up "
            f"to {info.creep_mm:.1f} mm, so the outer margins come out even after trimming.</li>"
            if info.creep_mm else "")
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>How to print and fold: {escape(title)}</title>
<meta name="dcterms.created" content="{built}"><meta name="dcterms.modified" content="{built}">
<style>
@font-face {{ font-family: "Charis SIL"; src: url(chapbook-style:fonts/CharisSIL-Regular.woff2); }}
@font-face {{ font-family: "Charis SIL"; src: url(chapbook-style:fonts/CharisSIL-Bold.woff2); font-weight: 700; }}
@font-face {{ font-family: "Charis SIL"; src: url(chapbook-style:fonts/CharisSIL-Italic.woff2); font-style: italic; }}
@page {{ size: {sheet_w:.2f}pt {sheet_h:.2f}pt; margin: 14mm 16mm; }}
html {{ font-family: "Charis SIL", serif; font-size: 9.5pt; line-height: 1.35; color: black; }}
h1 {{ font-size: 15pt; margin: 0 0 2mm; }}
.lead {{ margin: 0 0 4mm; font-style: italic; }}
.cols {{ column-count: 2; column-gap: 12mm; }}
ol {{ padding-left: 1.3em; margin: 0; }} li {{ margin-bottom: 2.2mm; }}
table {{ border-collapse: collapse; font-size: 8pt; break-inside: avoid; margin-top: 2mm; }}
th, td {{ border-bottom: 0.3pt solid black; padding: 0.3mm 2.5mm; text-align: left; }}
</style></head><body>
<h1>How to print and fold this booklet</h1>
<p class="lead">{escape(title)}: {escape(plan.summary())} of {escape(info.sheet_name)} paper.</p>
<div class="cols"><ol>
<li><b>Print double-sided, flip on the SHORT edge</b> (also called “short-edge binding” or “flip up”),
at actual size (100&#160;%, no “fit to page”), on {escape(info.sheet_name)} paper.{only}</li>
<li><b>Test with the first sheet</b> (PDF pages 1 and 2): page 2 of the book must be printed behind
page 1, upright. If it is upside down, your printer needs “flip on the long edge” instead.</li>
<li><b>Fold</b> every sheet in half along the short middle line (marked by the dashed fold marks when
they are printed), with its first printed side outside.</li>
<li><b>Gather.</b> {gather}</li>
<li><b>Bind.</b> {bind}</li>{trim}
</ol>
<table><thead><tr><th>sheet</th>{'<th>gathering</th>' if gatherings > 1 else ''}<th>first side (left | right)</th>
<th>second side</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>
</body></html>"""


def instructions_pdf(build, info: Instructions, sheet_w: float, sheet_h: float, in_booklet: bool) -> bytes:
    publication = build.publication
    html = instructions_html(publication.config.title, info, sheet_w, sheet_h,
                             build_date().strftime("%Y-%m-%dT%H:%M:%SZ"), in_booklet)
    return layout(build, html).write_pdf(pdf_identifier=pdf_identifier(publication.config))
