"""The print-shop PDF: the book with bleed and crop marks, K-only black, optionally PDF/X.

One layout, every output (issue 11): the print PDF is the book's own pages as laid out
for ``NAME.pdf``, not a second layout. Each page becomes a Form XObject (pikepdf) drawn
on a larger page: TrimBox = the book page, BleedBox = the trim plus ``print.bleed``,
MediaBox = the bleed plus room for crop marks when ``print.marks`` is on. The marks are
drawn outside the bleed, 0.25 pt, in K-only black (``0 0 0 1 K``). Fonts, images and
everything else are the book's, copied once.

Two edits of the pages' content streams (:func:`rewrite_page`, with pikepdf's content
stream parser), so the print shop gets what the earlier print stylesheet gave:

- **K-only black:** an exact black fill or stroke (``0 0 0 rg``, ``0 0 0 RG``, ``0 g``,
  ``0 G``) becomes ``0 0 0 1 k`` / ``K``, one plate, never rich black; a neutral grey
  (equal R, G and B, or DeviceGray) becomes its K tint (``0.333 0.333 0.333 RG`` → ``0 0 0
  0.667 K``, as print.css's #555 underline was made ``device-cmyk(0 0 0 0.67)``). Any
  other colour, images and shadings are left as they are; nested forms and tiling patterns
  are rewritten too.
- **Backgrounds into the bleed:** WeasyPrint paints a page background (``@page { background }``,
  a coloured cover) as a rectangle the size of the page; such a rectangle is extended by the
  bleed, as WeasyPrint does when it lays a page out with bleed, so a coloured cover still
  bleeds off the edge. The form's bounding box is the bleed box.

With ``print.pdf_variant`` (PDF/X) the book is still laid out a second time, by WeasyPrint
with ``@page { bleed; marks }`` and the K-only stylesheet below (:func:`print_css`): only
WeasyPrint's own writer produces the PDF/X output intent and XMP, and that path is kept for
this case only. Settings: ``print`` in publication.yml (see ``config.PRINT``).
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from pathlib import Path

from ..config import print_settings
from ..diagnostics import Location
from ..outfiles import atomic_path
from ..preflight import MM, profile_problem, to_pt
from .pdf import layout, pdf_identifier
from .sheets import add_sheet, form_xobjects, new_pdf, open_book, save_pdf

# K-only black for text, rules and folios: a print shop's RIP keeps it as one plate, never rich black.
PURE_BLACK = """
html, html *, html *::before, html *::after, html ::marker { color: device-cmyk(0 0 0 1) !important;
  border-color: device-cmyk(0 0 0 1) !important; }
@page { color: device-cmyk(0 0 0 1) !important;
  @footnote { border-color: device-cmyk(0 0 0 1) !important; } }
::footnote-call, ::footnote-marker { color: device-cmyk(0 0 0 1) !important; }
a.glossref { text-decoration-color: device-cmyk(0 0 0 0.67) !important; }  /* print.css: #555 */
"""


def print_css(bleed: str = "3mm", marks: bool = True, pure_black: bool = True,
              output_profile_url: str = "") -> str:
    """The stylesheet that turns the book into the print-shop variant."""
    css = f"@page {{ bleed: {bleed}; marks: {'crop' if marks else 'none'}; }}\n"
    if pure_black:
        css += PURE_BLACK
    if output_profile_url:
        css += f"@color-profile device-cmyk {{ src: url({output_profile_url}); }}\n"
    return css


@contextlib.contextmanager
def stable_document_id(seed: bytes) -> Iterator[None]:
    """Make WeasyPrint's PDF/X-4 xmpMM:DocumentID derive from the publication, not from uuid4().

    WeasyPrint 70 writes a random DocumentID into the XMP of PDF/X-4 files,
    which would make every print build differ; a uuid5 of the fixed PDF
    identifier keeps the build reproducible and still unique per publication.
    """
    from weasyprint.pdf import metadata

    fixed = uuid.uuid5(uuid.NAMESPACE_URL, seed.decode("ascii"))
    original = metadata.uuid4
    metadata.uuid4 = lambda: fixed
    try:
        yield
    finally:
        metadata.uuid4 = original


class PrintShopWriter:
    name = "print"
    description = "the book with bleed and crop marks for a print shop (output/NAME-print.pdf)"

    def write(self, build) -> list[Path]:
        publication = build.publication
        settings = print_settings(publication.config)
        where = publication.config.locations.get("print", Location(publication.root / "content" /
                                                                   "publication.yml", 1, 1))
        variant = settings["pdf_variant"] or None
        profile_url, output_intent = "", None
        # The check stage (chapbook.preflight.check_print) reports a bad profile, and warns about
        # PDF/X without one, before anything is written; this is only the last resort.
        if variant and settings["output_profile"]:
            problem = profile_problem(publication.root, settings["output_profile"])
            if problem:
                build.report.error(where, problem)
                return []
            profile = (publication.root / settings["output_profile"]).resolve()
            profile_url, output_intent = profile.as_uri(), "device-cmyk"
        elif variant:
            output_intent = "srgb"

        if not variant:
            return [self.place_pages(build, settings)]
        css = print_css(settings["bleed"], settings["marks"], pure_black=output_intent != "srgb",
                        output_profile_url=profile_url)
        document = layout(build, build.book().html, css)
        book_pages = build.book().page_count
        if len(document.pages) != book_pages:
            build.report.warning(where, f"the print PDF has {len(document.pages)} pages, the book "
                                 f"{book_pages}: the print stylesheet changed the layout")
        options = {"pdf_identifier": pdf_identifier(publication.config), "cache": build.cache,
                   "pdf_variant": variant, "output_intent": output_intent}
        target = build.output / f"{build.name}-print.pdf"
        with atomic_path(target) as tmp, stable_document_id(options["pdf_identifier"]):
            document.write_pdf(tmp, **options)
        return [target]

    def place_pages(self, build, settings) -> Path:
        """The book's pages, each on a page enlarged by the bleed (and the marks), K-only black."""
        import pikepdf

        book = open_book(build)
        bleed = to_pt(settings["bleed"]) if settings["bleed"] else 0.0
        room = bleed + (MARK_OFFSET + MARK_LENGTH + MARK_MARGIN if settings["marks"] else 0.0)
        pdf = new_pdf(book)
        forms = form_xobjects(pdf, book, range(1, len(book.pages) + 1))
        done: set = set()
        for number, form in forms.items():
            x0, y0, x1, y1 = (float(v) for v in form.BBox)
            width, height = x1 - x0, y1 - y0
            rewrite_form(form, width, height, bleed, done)
            form.BBox = pikepdf.Array([x0 - bleed, y0 - bleed, x1 + bleed, y1 + bleed])
            ops = [f"q\n1 0 0 1 {room - x0:.4f} {room - y0:.4f} cm\n/P{number} Do\nQ"]
            if settings["marks"]:
                ops.append(crop_marks(room, room, width, height, bleed))
            page = add_sheet(pdf, width + 2 * room, height + 2 * room, "\n".join(ops).encode("ascii"),
                             {f"P{number}": form})
            page.obj.TrimBox = pikepdf.Array([round(v, 4) for v in (room, room, room + width, room + height)])
            page.obj.BleedBox = pikepdf.Array([round(v, 4) for v in (room - bleed, room - bleed, room + width + bleed,
                                                                    room + height + bleed)])
        if "/PageLabels" in book.Root:  # the viewer's page numbers stay the printed folios
            labels = book.Root.PageLabels
            pdf.Root.PageLabels = pdf.copy_foreign(labels if labels.is_indirect else book.make_indirect(labels))
        info = book.docinfo
        target = build.output / f"{build.name}-print.pdf"
        save_pdf(pdf, build, str(info.get("/Title", build.publication.config.title)), target)
        return target


# ---- Crop marks -----------------------------------------------------------------------------------

MARK_OFFSET = 1 * MM  # between the bleed and the start of a mark
MARK_LENGTH = 5 * MM
MARK_MARGIN = 1 * MM  # between the end of a mark and the edge of the sheet
MARK_WIDTH = 0.25  # pt


def crop_marks(x: float, y: float, width: float, height: float, bleed: float) -> str:
    """Crop marks at the corners of the trim box (x, y, width, height), outside the bleed, K-only."""
    start, end = bleed + MARK_OFFSET, bleed + MARK_OFFSET + MARK_LENGTH
    ops = [f"q 0 0 0 1 K {MARK_WIDTH} w [] 0 d 0 J"]
    for cx, sx in ((x, -1), (x + width, 1)):
        for cy, sy in ((y, -1), (y + height, 1)):
            ops.append(f"{cx + sx * start:.4f} {cy:.4f} m {cx + sx * end:.4f} {cy:.4f} l S")
            ops.append(f"{cx:.4f} {cy + sy * start:.4f} m {cx:.4f} {cy + sy * end:.4f} l S")
    ops.append("Q")
    return "\n".join(ops)


# ---- Content streams: K-only black, backgrounds into the bleed --------------------------------------

_GREY_OPS = {"rg": ("k", 3), "RG": ("K", 3), "g": ("k", 1), "G": ("K", 1)}


def k_only(operator: str, operands: list) -> tuple[str, list] | None:
    """``0 0 0 rg`` → ``0 0 0 1 k`` (and strokes, DeviceGray, neutral greys as K tints); None: leave it."""
    new, count = _GREY_OPS.get(operator, (None, 0))
    if new is None or len(operands) != count:
        return None
    try:
        values = [float(v) for v in operands]
    except (TypeError, ValueError):
        return None
    if max(values) - min(values) > 1e-6 or not 0 <= values[0] <= 1:
        return None
    return new, [0, 0, 0, _number(1 - values[0])]


def _number(value: float):
    from decimal import Decimal

    value = round(value, 4)
    return int(value) if value == int(value) else Decimal(f"{value:.4f}").normalize()


def _multiply(m: tuple, n: tuple) -> tuple:
    """m × n for PDF matrices [a b c d e f] (m applied first)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def rewrite_page(instructions, width: float, height: float, bleed: float) -> tuple[list, bool]:
    """The page's content with K-only black and page-sized rectangles grown by the bleed; whether it changed.

    The current transformation matrix is followed through ``q``/``Q``/``cm`` so a rectangle can
    be compared with the page in page space; only axis-aligned transforms are considered.
    """
    import pikepdf

    identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    ctm, stack, out, changed = identity, [], [], False
    for instruction in instructions:
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            out.append(instruction)
            continue
        operands, operator = instruction.operands, instruction.operator
        op, replaced = str(operator), None
        if op == "q":
            stack.append(ctm)
        elif op == "Q":
            ctm = stack.pop() if stack else identity
        elif op == "cm" and len(operands) == 6:
            ctm = _multiply(tuple(float(v) for v in operands), ctm)
        elif op == "re" and bleed and len(operands) == 4 and abs(ctm[1]) < 1e-9 and abs(ctm[2]) < 1e-9:
            grown = _grow(tuple(float(v) for v in operands), ctm, width, height, bleed)
            if grown:
                replaced = ([_number(v) for v in grown], operator)
        elif op in _GREY_OPS:  # most operators draw text: only colour operators are looked at
            k = k_only(op, list(operands))
            if k:
                replaced = (k[1], pikepdf.Operator(k[0]))
        if replaced:
            out.append(pikepdf.ContentStreamInstruction(*replaced))
            changed = True
        else:
            out.append(instruction)
    return out, changed


def _grow(rect: tuple, ctm: tuple, width: float, height: float, bleed: float) -> tuple | None:
    """The rectangle (x, y, w, h, in user space) grown by the bleed if it covers the whole page; else None."""
    a, _, _, d, e, f = ctm
    if not a or not d:
        return None
    x, y, w, h = rect
    xs = sorted((a * x + e, a * (x + w) + e))
    ys = sorted((d * y + f, d * (y + h) + f))
    tolerance = 0.5
    if not (abs(xs[0]) <= tolerance and abs(ys[0]) <= tolerance
            and abs(xs[1] - width) <= tolerance and abs(ys[1] - height) <= tolerance):
        return None
    # back to user space: the page box grown by the bleed
    ux = sorted(((-bleed - e) / a, (width + bleed - e) / a))
    uy = sorted(((-bleed - f) / d, (height + bleed - f) / d))
    return ux[0], uy[0], ux[1] - ux[0], uy[1] - uy[0]


def rewrite_form(form, width: float, height: float, bleed: float, done: set) -> None:
    """Rewrite a page's Form XObject (and the forms and tiling patterns it uses) in place."""
    import pikepdf

    instructions = pikepdf.parse_content_stream(form)
    new, changed = rewrite_page(instructions, width, height, bleed)
    if changed:
        form.write(pikepdf.unparse_content_stream(new))
    _rewrite_resources(form.get("/Resources"), done)


def _rewrite_resources(resources, done: set) -> None:
    """K-only black in the nested forms and tiling patterns of ``resources`` (each rewritten once)."""
    import pikepdf

    if not isinstance(resources, pikepdf.Dictionary):
        return
    nested = []
    for kind, subtype in (("/XObject", "/Form"), ("/Pattern", None)):
        entries = resources.get(kind)
        if not isinstance(entries, pikepdf.Dictionary):
            continue
        for _, obj in entries.items():
            if not isinstance(obj, pikepdf.Stream) or obj.objgen in done:
                continue
            if (subtype and obj.get("/Subtype") != subtype) or (not subtype and obj.get("/PatternType") != 1):
                continue
            done.add(obj.objgen)
            nested.append(obj)
    for obj in nested:
        new, changed = rewrite_page(pikepdf.parse_content_stream(obj), 0.0, 0.0, 0.0)
        if changed:
            obj.write(pikepdf.unparse_content_stream(new))
        _rewrite_resources(obj.get("/Resources"), done)
