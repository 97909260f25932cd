"""The print-shop PDF: the book with bleed and crop marks, pure black, optionally PDF/X.

The book HTML is laid out again with one extra stylesheet (``@page { bleed; marks }``
and K-only black), so print.css stays the screen book's. WeasyPrint then sets
each page's TrimBox to the page and its BleedBox to the bleed (up to 10 pt),
with the MediaBox as large as the bleed. Fonts are embedded (subset) as in the
book. Settings: ``print`` in publication.yml (see ``config.PRINT``).
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from pathlib import Path

from ..config import print_settings
from ..diagnostics import Location
from ..outfiles import atomic_path
from .pdf import layout, pdf_identifier

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
        if variant and settings["output_profile"]:
            profile = (publication.root / settings["output_profile"]).resolve()
            if not profile.is_file() or not profile.is_relative_to(publication.root.resolve()):
                build.report.error(where, f"print.output_profile: no file {settings['output_profile']} "
                                   "in the project")
                return []
            profile_url, output_intent = profile.as_uri(), "device-cmyk"
        elif variant:
            build.report.warning(where, f"{variant} without print.output_profile: the PDF carries a generic "
                                 "sRGB output intent and RGB black; ask the print shop for its CMYK ICC "
                                 "profile (e.g. FOGRA39 or GRACoL) and set print.output_profile")
            output_intent = "srgb"

        css = print_css(settings["bleed"], settings["marks"], pure_black=output_intent != "srgb",
                        output_profile_url=profile_url)
        document = layout(build, build.book().html, css)
        book_pages = len(build.book().document.pages)
        if len(document.pages) != book_pages:
            build.report.warning(where, f"the print PDF has {len(document.pages)} pages, the book "
                                 f"{book_pages}: the print stylesheet changed the layout")
        options = {"pdf_identifier": pdf_identifier(publication.config), "cache": build.cache}
        if variant:
            options.update(pdf_variant=variant, output_intent=output_intent)
        target = build.output / f"{build.name}-print.pdf"
        with atomic_path(target) as tmp, stable_document_id(options["pdf_identifier"]):
            document.write_pdf(tmp, **options)
        return [target]
