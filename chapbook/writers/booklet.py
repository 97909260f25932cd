"""The folded booklet: the typeset book imposed for duplex printing and saddle stitching.

Two book pages side by side on a sheet twice the page's width (A5 → A4
landscape, A4 → A3, half-letter → Letter), in the order ``chapbook.impose``
computes; printed on both sides (flip on the short edge), folded and nested,
the sheets read 1, 2, 3 … One layout, every output (issue 11): the booklet is
made from the book's PDF as laid out for ``NAME.pdf``, never laid out again.
Each book page becomes a Form XObject (pikepdf, ``Page.as_form_xobject``) and
each sheet side draws two of them with a translation (``1 0 0 1 x y cm``);
nothing is scaled and no content stream of the book is rewritten, so imposing
64 pages takes a fraction of a second (pypdf's ``merge_transformed_page``,
used before, took about 11 s).

The "how to print and fold" instructions are a small WeasyPrint document of
their own (two columns, filled, not balanced: see :func:`instructions_html`);
they change only with the page count and the settings, so their PDF is cached
in ``OUTPUT/.cache/`` under a hash of everything they are made of.

Settings: ``booklet`` in publication.yml (see ``config.BOOKLET``).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .. import __version__, impose
from ..cacheseal import seal, sealed
from ..config import booklet_settings
from ..diagnostics import Location
from ..outfiles import write_cache
from ..preflight import MM, sheet_problem, sheet_size
from ..wordlists import ENGLISH
from .pdf import layout, pdf_identifier
from .sheets import add_sheet, form_xobjects, new_pdf, open_book, pdf_date, place, save_pdf

CACHE_DIR = ".cache"  # under the output folder
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


def finish(writer, build, title: str, seed: str) -> None:
    """Deterministic metadata and /ID for a pypdf writer (the handouts' class pack uses it)."""
    from pypdf.generic import ArrayObject, ByteStringObject

    config = build.publication.config
    date = pdf_date(build)
    writer.add_metadata({"/Title": title, "/Author": ", ".join(config.editors), "/Creator": "chapbook",
                         "/Producer": "chapbook (pypdf)", "/CreationDate": date, "/ModDate": date})
    ident = ByteStringObject(bytes.fromhex(pdf_identifier(config).decode("ascii")) + seed.encode("utf-8"))
    writer._ID = ArrayObject([ident, ident])  # pypdf has no public setter; it writes no /ID otherwise


def has_back_cover_pdf(book) -> bool | None:
    """Whether the book PDF's last page is the back cover: its ``#back-cover`` (or ``#cover``) destination.

    The book template gives the back cover ``id="back-cover"``, which WeasyPrint writes as a named
    destination. None when the PDF has no named destinations at all (nothing to go by).
    """
    import pikepdf

    names = book.Root.get("/Names")
    if names is None or "/Dests" not in names or len(book.pages) < 2:
        return None if len(book.pages) >= 2 else False
    tree = pikepdf.NameTree(names.Dests)
    last = book.pages[-1].objgen
    for key in ("back-cover", "cover"):
        dest = tree.get(key)
        if isinstance(dest, pikepdf.Dictionary):
            dest = dest.get("/D")
        if isinstance(dest, pikepdf.Array) and len(dest) and isinstance(dest[0], pikepdf.Dictionary) \
                and dest[0].objgen == last:
            return True
    return False


class BookletWriter:
    name = "booklet"
    description = "the book imposed for duplex printing and folding (output/NAME-booklet.pdf)"

    def write(self, build) -> list[Path]:
        settings = booklet_settings(build.publication.config)
        config_path = build.publication.root / "content" / "publication.yml"
        where = build.publication.config.locations.get("booklet", Location(config_path, 1, 1))
        book = open_book(build)
        count = len(book.pages)
        back_cover = has_back_cover_pdf(book)
        if back_cover is None:  # a book PDF without named destinations: ask the layout
            back_cover = has_back_cover(build.book().page_names)
        thickness = impose.paper_thickness(settings["paper_thickness_mm"], settings["paper_weight_gsm"])
        paper = impose.paper_label(settings["paper_thickness_mm"], settings["paper_weight_gsm"])
        # the plan warns, among other things, when one stapled gathering is more than a stapler binds
        page_plan = impose.plan(count, back_cover, settings["signature"], thickness, paper)
        for note in page_plan.warnings():
            build.report.warning(where, note)
        build.report.note(page_plan.summary(ENGLISH))  # chapbook's terminal speaks English

        box = book.pages[0].trimbox
        page_w, page_h = float(box[2] - box[0]), float(box[3] - box[1])
        # The check stage (chapbook.preflight) refuses a sheet the configured paper does not fit;
        # this is the last resort for a page size changed by styles/custom.css.
        problem = sheet_problem(page_w, page_h, settings["sheet"])
        if problem:
            build.report.error(where, problem)
            return []
        sheet_w, sheet_h, sheet_name = sheet_size(page_w, page_h, settings["sheet"])
        geo = Geometry(sheet_w, sheet_h, page_w, page_h)
        if settings["marks"] and min(geo.x0, geo.y0) < 4 * MM and settings["sheet"] != "auto":
            build.report.warning(where, "booklet: no room for crop marks around the pages on this sheet; "
                                 "only fold marks are drawn")
        creep = [mm * MM for mm in impose.creep_offsets(max(page_plan.gatherings) // 4, thickness)]

        writer = new_pdf(book)
        sides = impose.impose(count, back_cover, settings["signature"])
        forms = form_xobjects(writer, book, [s for side in sides for s in (side.left, side.right) if s])
        marks = marks_stream(geo).decode("ascii") if settings["marks"] else ""
        for side in sides:
            shift = creep[side.sheet_in_gathering] if settings["creep"] else 0.0
            ops, used = [marks] if marks else [], {}
            for slot, x in ((side.left, geo.x0 + shift), (side.right, geo.fold_x - shift)):
                if slot is not None:
                    used[f"P{slot}"] = forms[slot]
                    ops.append(place(f"P{slot}", x, geo.y0))
            add_sheet(writer, sheet_w, sheet_h, "\n".join(ops).encode("ascii"), used)
        title = f"{build.publication.config.title} — booklet"
        info = Instructions(page_plan, sides, sheet_name, settings, max(creep) / MM)
        files = []
        if settings["instructions"] in ("page", "separate"):
            import pikepdf

            in_booklet = settings["instructions"] == "page"
            instructions = pikepdf.open(io.BytesIO(instructions_pdf(build, info, sheet_w, sheet_h, in_booklet)))
            if in_booklet:
                writer.pages.extend(instructions.pages)
            else:
                target = build.output / f"{build.name}-booklet-instructions.pdf"
                separate = new_pdf(instructions)
                separate.pages.extend(instructions.pages)
                config = build.publication.config
                save_pdf(separate, build, config.words["booklet_pdf_title"].format(title=config.title), target)
                files.append(target)
        target = build.output / f"{build.name}-booklet.pdf"
        save_pdf(writer, build, title, target)
        return [target, *files]


@dataclass(frozen=True)
class Instructions:
    """What the 'how to print and fold' page says."""

    plan: impose.Plan
    sides: list[impose.Side]
    sheet_name: str
    settings: dict
    creep_mm: float  # how far the innermost sheet sticks out, nested: how far its pages were moved if
    # ``settings["creep"]``

    @property
    def compensated(self) -> bool:
        return bool(self.settings.get("creep")) and self.creep_mm > 0

    @property
    def sheets(self) -> int:
        return len(self.sides) // 2


def has_back_cover(page_names: list[str]) -> bool:
    """Whether the book's last page is a cover (its @page name is cover or back-cover)."""
    return len(page_names) >= 2 and page_names[-1] in ("cover", "back-cover")


def _range(slot: impose.Slot, words: Mapping[str, str]) -> str:
    return words["booklet_blank"] if slot is None else str(slot)


def instructions_html(title: str, info: Instructions, sheet_w: float, sheet_h: float, built: str,
                      in_booklet: bool, words: Mapping[str, str], language: str) -> str:
    """The 'how to print and fold' page, one sheet in size, as HTML for WeasyPrint, in the book's
    ``words`` and ``language`` (:mod:`chapbook.words`: the ``booklet_…`` entries).

    The steps fill the first column and the sheet table begins the second (``column-fill: auto``,
    ``break-before: column``): WeasyPrint balances columns by laying their content out again one
    pixel taller at a time while a block may not break (the table), about a second for this page.
    """
    from html import escape

    def say(key: str, **values) -> str:  # a word filled in and escaped; a no-break space as the page had it
        return escape(words[key].format(**values) if values else words[key]).replace("\u00a0", "&#160;")

    def step(key: str, text: str) -> str:
        return f"<li><b>{say(key)}</b> {text}</li>"

    def mm(value: float) -> str:  # "0.5", "0,5"
        return f"{value:.1f}".replace(".", words["decimal_point"])

    sheet = info.sheet_name  # "A4 landscape" (chapbook.preflight.sheet_size), or "297 × 210 mm"
    if sheet.endswith(" landscape"):
        sheet = words["booklet_landscape"].format(sheet=sheet.removesuffix(" landscape"))

    plan, sheets = info.plan, info.sheets
    last_side = 2 * sheets
    gatherings = len(plan.gatherings)
    rows = []
    for front, back in zip(info.sides[::2], info.sides[1::2], strict=True):
        rows.append(f"<tr><td>{front.sheet}</td>{'<td>' + str(front.gathering) + '</td>' if gatherings > 1 else ''}"
                    f"<td>{escape(_range(front.left, words))} | {escape(_range(front.right, words))}</td>"
                    f"<td>{escape(_range(back.left, words))} | {escape(_range(back.right, words))}</td></tr>")
    only = " " + say("booklet_print_only", last=last_side) if in_booklet else ""
    outside = info.sides[0]  # the book's pages, as the table names them: its back cover, not the padded count
    gather = say("booklet_nest", last=_range(outside.left, words))
    if gatherings > 1:
        gather = say("booklet_gatherings", count=gatherings, sizes="+".join(map(str, plan.gatherings)))
    reach = " " + say("booklet_reach", mm=f"{sheet_w / MM / 2:.0f}")
    # uncompensated, the innermost sheet of a gathering sticks out by one paper thickness per sheet around it
    expected = info.creep_mm
    bind = say("booklet_staple") + reach if gatherings == 1 else say("booklet_sew")
    fold = words["booklet_fold_marked" if info.settings.get("marks") else "booklet_fold_unmarked"]
    if info.compensated:
        trim = step("booklet_trim", say("booklet_trim_text", mm=mm(info.creep_mm)))
    elif expected >= 0.5:
        trim = step("booklet_creep", say("booklet_creep_text", mm=mm(expected),
                                         paper=f"{plan.paper_mm:.2g}".replace(".", words["decimal_point"])))
    elif expected:
        trim = step("booklet_creep_small", say("booklet_creep_small_text", mm=mm(expected)))
    else:
        trim = ""
    dates = f'<meta name="dcterms.created" content="{built}"><meta name="dcterms.modified" content="{built}">' \
        if built else ""
    gathering_head = f"<th>{say('booklet_gathering')}</th>" if gatherings > 1 else ""
    return f"""<!DOCTYPE html><html lang="{escape(language)}"><head><meta charset="utf-8">
<title>{say("booklet_document_title", title=title)}</title>
{dates}
<style>
@font-face {{ font-family: "Charis SIL"; src: url(chapbook-style:fonts/CharisSIL-Regular.ttf); }}
@font-face {{ font-family: "Charis SIL"; src: url(chapbook-style:fonts/CharisSIL-Bold.ttf); font-weight: 700; }}
@font-face {{ font-family: "Charis SIL"; src: url(chapbook-style:fonts/CharisSIL-Italic.ttf); font-style: italic; }}
@page {{ size: {sheet_w:.2f}pt {sheet_h:.2f}pt; margin: 14mm 16mm; }}
html {{ font-family: "Charis SIL", serif; font-size: 9.5pt; line-height: 1.35; color: black; }}
h1 {{ font-size: 15pt; margin: 0 0 2mm; }}
.lead {{ margin: 0 0 4mm; font-style: italic; }}
.cols {{ column-count: 2; column-gap: 12mm; column-fill: auto; }}
ol {{ padding-left: 1.3em; margin: 0; }} li {{ margin-bottom: 2.2mm; }}
table {{ border-collapse: collapse; font-size: 8pt; break-inside: avoid; break-before: column; margin-top: 2mm; }}
th, td {{ border-bottom: 0.3pt solid black; padding: 0.3mm 2.5mm; text-align: left; }}
</style></head><body>
<h1>{say("booklet_heading")}</h1>
<p class="lead">{say("booklet_lead", title=title, plan=plan.summary(words), sheet=sheet)}</p>
<div class="cols"><ol>
{step("booklet_print", say("booklet_print_text", sheet=sheet) + only)}
{step("booklet_test", say("booklet_test_text"))}
{step("booklet_fold", say("booklet_fold_text", fold=fold))}
{step("booklet_gather", gather)}
{step("booklet_bind", bind)}{trim}
</ol>
<table><thead><tr><th>{say("booklet_sheet")}</th>{gathering_head}<th>{say("booklet_first_side")}</th>
<th>{say("booklet_second_side")}</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>
</body></html>"""


def instructions_pdf(build, info: Instructions, sheet_w: float, sheet_h: float, in_booklet: bool) -> bytes:
    """The instructions as WeasyPrint lays them out, from ``OUTPUT/.cache/`` when nothing they depend on changed.

    The key hashes the HTML (which holds the plan, the sheet table, the sheet size and the title),
    the font files it loads, the PDF identifier and the chapbook and WeasyPrint versions;
    a cached file and a fresh one are the same bytes, so reproducibility holds.
    """
    import weasyprint

    from ..fetcher import ProjectFetcher

    publication = build.publication
    # No dates in the HTML: the writer sets the file's metadata (save_pdf), so the cache
    # survives builds without SOURCE_DATE_EPOCH.
    config = publication.config
    html = instructions_html(config.title, info, sheet_w, sheet_h, "", in_booklet, config.words, config.language)
    key = hashlib.sha256()
    for part in (b"instructions/1", __version__.encode(), weasyprint.__version__.encode(),
                 pdf_identifier(publication.config), html.encode("utf-8")):
        key.update(part + b"\0")
    fetcher = ProjectFetcher.for_project(publication.root)
    for name in ("Regular", "Bold", "Italic"):
        font = fetcher.resolve(f"chapbook-style:fonts/CharisSIL-{name}.ttf")
        key.update(font.read_bytes() if font and font.is_file() else b"-")
    cache = build.output / CACHE_DIR / f"booklet-instructions-{key.hexdigest()[:32]}.pdf"
    try:
        cached = cache.read_bytes()
        if sealed(cache.with_name(cache.name + ".seal").read_text(encoding="ascii").strip(),
                  cache.name.encode("ascii"), cached):  # only what this user's builds wrote
            return cached
    except (OSError, ValueError):
        pass
    pdf = layout(build, html).write_pdf(pdf_identifier=pdf_identifier(publication.config))
    try:  # written beside and moved into place: a killed build never leaves half a cached file
        tag = seal(cache.name.encode("ascii"), pdf)
        if tag is None:
            return pdf
        write_cache(cache, pdf)  # its temporary file removed if the disk is full; no link followed
        write_cache(cache.with_name(cache.name + ".seal"), tag.encode("ascii"))
        kept = sorted(cache.parent.glob("booklet-instructions-*.pdf"), key=lambda f: f.stat().st_mtime)
        for old in kept[:-4]:  # a few recent ones (page and separate, before and after an edit)
            old.unlink(missing_ok=True)
            old.with_name(old.name + ".seal").unlink(missing_ok=True)
    except OSError:  # a read-only output folder: no cache, same result
        pass
    return pdf
