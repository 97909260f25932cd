"""Book pages placed on other sheets with pikepdf: what the booklet and the print-shop PDF share.

One layout, every output (issue 11): both are made from the book PDF as laid out for
``NAME.pdf``. Each book page becomes a Form XObject drawn on a new page with a translation;
nothing is laid out again and no content stream of the book is merged.
"""

from __future__ import annotations

import io
from pathlib import Path

from .. import __version__
from ..outfiles import atomic_path
from ..render import build_date


def pdf_date(build) -> str:
    """The build's date as a PDF date string (SOURCE_DATE_EPOCH when set)."""
    return build_date().strftime("D:%Y%m%d%H%M%SZ")



def open_book(build):
    """The book as laid out for NAME.pdf, opened with pikepdf: the one layout every output is made of."""
    import pikepdf

    return pikepdf.open(io.BytesIO(build.book().pdf(build.publication.config)))


def new_pdf(source):
    """An empty PDF to place ``source``'s pages in."""
    import pikepdf

    pdf = pikepdf.new()
    pdf._chapbook_version = source.pdf_version  # kept for save_pdf: the placed pages need the book's version
    return pdf


def form_xobjects(target, source, numbers) -> dict[int, object]:
    """Book page number (1-based) → that page as a Form XObject in ``target`` (fonts and images copied once).

    qpdf keeps one copy of each foreign object per source, so resources shared by many pages
    (fonts, images) are copied once. The book's links, structure tree and page labels stay behind.
    """
    forms = {}
    for number in sorted(set(numbers)):
        forms[number] = target.copy_foreign(source.pages[number - 1].as_form_xobject())
    return forms


def add_sheet(pdf, width: float, height: float, content: bytes, xobjects: dict[str, object]):
    """Append a page of ``width`` × ``height`` pt whose content is ``content``, drawing ``xobjects``."""
    import pikepdf

    page = pdf.add_blank_page(page_size=(round(width, 4), round(height, 4)))
    page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(
        {f"/{name}": xobject for name, xobject in xobjects.items()}))
    page.obj.Contents = pdf.make_stream(content)
    return page


def place(name: str, x: float, y: float) -> str:
    """Draw the Form XObject ``name`` with its origin at (x, y)."""
    return f"q\n1 0 0 1 {x:.4f} {y:.4f} cm\n/{name} Do\nQ"


def save_pdf(pdf, build, title: str, target: Path | None = None, info: dict[str, str] | None = None) -> bytes | None:
    """Write ``pdf`` reproducibly: fixed metadata dates (SOURCE_DATE_EPOCH) and a /ID derived from its content.

    qpdf's ``deterministic_id`` computes the /ID from the file's own bytes, so the same
    sources give the same file; no XMP packet is written (the book's stays behind).
    ``info``: more document-information entries (the cover's trim figures in /Subject).
    Writes to ``target`` (atomically) or returns the bytes.
    """
    import pikepdf

    config = build.publication.config
    date = pdf_date(build)
    pdf.docinfo = pdf.make_indirect(pikepdf.Dictionary({
        "/Title": title, "/Author": ", ".join(config.editors), "/Creator": "chapbook",
        "/Producer": f"chapbook {__version__} (pikepdf {pikepdf.__version__})",
        "/CreationDate": date, "/ModDate": date, **(info or {})}))
    options = {"deterministic_id": True, "compress_streams": True, "fix_metadata_version": False,
               "object_stream_mode": pikepdf.ObjectStreamMode.generate,
               "min_version": getattr(pdf, "_chapbook_version", "") or ""}
    if target is None:
        out = io.BytesIO()
        pdf.save(out, **options)
        return out.getvalue()
    with atomic_path(target) as tmp:
        pdf.save(tmp, **options)
    return None
