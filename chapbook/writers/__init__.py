"""Output formats. Each writer is a small class with a ``name`` and ``write(build)``.

``WRITERS`` maps a command-line target to the module and class of its
writer, in the order a full build runs them. They are imported only when
used, so a build that stops at the checks never loads WeasyPrint or pypdf.
"""

from __future__ import annotations

import importlib

WRITERS: dict[str, tuple[str, str, str]] = {  # target: (module, class, what it writes)
    "pdf": ("pdf", "PdfWriter", "the typeset book, NAME.pdf"),
    "epub": ("epub", "EpubWriter", "the EPUB 3 edition, NAME.epub"),
    "booklet": ("booklet", "BookletWriter", "the book imposed for folding, NAME-booklet.pdf"),
    "print": ("printshop", "PrintShopWriter", "the book with bleed and crop marks, NAME-print.pdf"),
    "cover": ("cover", "CoverWriter", "the perfect-bound cover (back, spine, front) with bleed, NAME-cover.pdf"),
    "handouts": ("handouts", "HandoutsWriter", "a classroom handout per text, handouts/SLUG.pdf, and a class pack"),
    "web": ("web", "WebWriter", "the web edition, a static site in web/ (open web/index.html)"),
}


def load(target: str):
    """The writer object for a target."""
    module, cls, _ = WRITERS[target]
    return getattr(importlib.import_module(f"{__name__}.{module}"), cls)()
