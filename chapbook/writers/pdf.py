"""The typeset book PDF (WeasyPrint)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..fetcher import ProjectFetcher
from ..outfiles import atomic_path
from ..render import PACKAGE_ROOT, render_book_html


@dataclass
class Typeset:
    """A laid-out document, kept so other writers (EPUB page list, booklet) can reuse it."""

    document: object  # weasyprint.Document
    html: str
    _pdf: bytes | None = None

    def pdf(self, config) -> bytes:
        """The book as PDF bytes, serialised once for the pdf and booklet writers alike."""
        if self._pdf is None:
            self._pdf = self.document.write_pdf(pdf_identifier=pdf_identifier(config))
        return self._pdf


def pdf_identifier(config) -> bytes:
    """A stable PDF /ID from the publication's identifier, so rebuilds are byte-identical."""
    seed = config.identifier or config.title
    return hashlib.md5(seed.encode("utf-8"), usedforsecurity=False).hexdigest().encode("ascii")


def layout(build, html: str, css: str = ""):
    """Lay out book HTML (with an extra stylesheet, for variants); refuses anything outside the project."""
    from weasyprint import CSS, HTML

    publication = build.publication
    fetcher = ProjectFetcher(publication.root, [publication.root / "styles", PACKAGE_ROOT / "styles"])
    stylesheets = [CSS(string=css, url_fetcher=fetcher)] if css else []
    document = HTML(string=html, base_url=publication.root.resolve().as_uri() + "/",
                    url_fetcher=fetcher).render(stylesheets=stylesheets, cache=build.cache)
    fetcher.raise_if_refused()
    return document


def typeset(build, template: str = "book.html.j2") -> Typeset:
    """Render the book HTML and lay it out."""
    html = render_book_html(build.publication, build.converted, template)
    return Typeset(layout(build, html), html)


class PdfWriter:
    name = "pdf"
    description = "the typeset book (output/NAME.pdf)"

    def write(self, build) -> list[Path]:
        target = build.output / f"{build.name}.pdf"
        with atomic_path(target) as tmp:
            tmp.write_bytes(build.book().pdf(build.publication.config))
        return [target]
