"""The typeset book PDF (WeasyPrint)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from weasyprint import HTML

from ..fetcher import ProjectFetcher
from ..outfiles import atomic_path
from ..render import PACKAGE_ROOT, render_book_html


@dataclass
class Typeset:
    """A laid-out document, kept so other writers (EPUB page list, booklet) can reuse it."""

    document: object  # weasyprint.Document
    html: str


def pdf_identifier(config) -> bytes:
    """A stable PDF /ID from the publication's identifier, so rebuilds are byte-identical."""
    seed = config.identifier or config.title
    return hashlib.md5(seed.encode("utf-8"), usedforsecurity=False).hexdigest().encode("ascii")


def typeset(build, template: str = "book.html.j2") -> Typeset:
    """Render the book HTML and lay it out; refuses any resource outside the project."""
    publication = build.publication
    fetcher = ProjectFetcher(publication.root, [publication.root / "styles", PACKAGE_ROOT / "styles"])
    html = render_book_html(publication, build.converted, template)
    document = HTML(string=html, base_url=publication.root.resolve().as_uri() + "/",
                    url_fetcher=fetcher).render(cache=build.cache)
    fetcher.raise_if_refused()
    return Typeset(document, html)


class PdfWriter:
    name = "pdf"
    description = "the typeset book (output/NAME.pdf)"

    def write(self, build) -> list[Path]:
        result = build.book()
        target = build.output / f"{build.name}.pdf"
        with atomic_path(target) as tmp:
            result.document.write_pdf(tmp, pdf_identifier=pdf_identifier(build.publication.config),
                                      cache=build.cache)
        return [target]
