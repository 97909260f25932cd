"""The EPUB 3 edition: the book's XHTML documents packaged with ``zipfile`` and Jinja templates.

The documents themselves — one per part, with notes, links across files and
the print book's page markers — come from :mod:`chapbook.documents`, which
the web edition shares; this module adds what only an EPUB has: the package
document (OPF), the container, the cover image, ``styles/epub.css`` with
the vendored Charis SIL fonts embedded, and the images.

The archive is reproducible: ``mimetype`` first and stored, a fixed entry
order, and every entry's time (and ``dcterms:modified``) taken from
``SOURCE_DATE_EPOCH`` when it is set.
"""

from __future__ import annotations

import re
import uuid
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .. import projectfiles
from ..diagnostics import Location
from ..documents import OPS, XHTML, book_documents, serialize
from ..imagecheck import media_type
from ..outfiles import atomic_path
from ..render import PACKAGE_ROOT, build_date

__all__ = ["OPS", "XHTML", "EpubWriter", "epub_entries", "epub_identifier", "write_zip"]

FONTS = ("CharisSIL-Regular", "CharisSIL-Italic", "CharisSIL-Bold", "CharisSIL-BoldItalic")
FEATURES = ("structuralNavigation", "tableOfContents", "readingOrder", "pageBreakMarkers", "printPageNumbers",
            "pageNavigation", "ARIA")
_W3CDTF = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True)
class Item:
    id: str
    href: str
    media_type: str
    properties: str = ""


class EpubWriter:
    name = "epub"
    description = "the EPUB 3 edition (output/NAME.epub)"

    def write(self, build) -> list[Path]:
        target = build.output / f"{build.name}.epub"
        entries = epub_entries(build)
        with atomic_path(target) as tmp:
            write_zip(tmp, entries, build_date().timetuple()[:6])
        return [target]


def _safe_cover(build, svg: bytes, template: Path) -> bytes:
    """The cover SVG a template made, held to what any SVG image of a book is (:mod:`chapbook.svgsafe`):
    a DOCTYPE with entities or a reference to another file is an error at the template (the build
    then writes nothing; b"" stands in), and what could run is dropped with a warning."""
    from ..svgsafe import review

    result = review(svg)
    for finding in result.refused:
        build.report.error(Location(template), f"the cover SVG it makes, line {finding.line}: {finding.message}",
                           "unsafe-svg")
    for finding in result.dropped:
        build.report.warning(Location(template), f"the cover SVG it makes, line {finding.line}: {finding.message}",
                             "svg-dropped")
    return result.clean


def _raster_cover(build, svg: bytes, template: Path) -> bytes | None:
    """The cover as a PNG drawn from its SVG (:mod:`chapbook.coverimage`), or None, with a warning at the
    cover ``template``, when the SVG holds what that drawing does not draw."""
    import xml.etree.ElementTree as ET

    from ..coverimage import UnsupportedCover, raster_cover

    try:
        return raster_cover(svg, PACKAGE_ROOT / "styles" / "fonts")
    except (UnsupportedCover, ET.ParseError) as exc:
        build.report.warning(Location(template),
                             f"the EPUB's cover is only an SVG: a raster copy for stores and libraries draws "
                             f"rectangles and lines of text only, and this cover has {exc}", "epub-cover")
        return None


# ---- Packaging the documents --------------------------------------------------------------------

def epub_entries(build) -> list[tuple[str, bytes]]:
    """Every file of the EPUB, in archive order, as (path, bytes)."""
    publication = build.publication
    config = publication.config
    book = book_documents(build)
    docs, context, images, env = book.docs, book.context, book.images, book.env
    language = config.language

    entries: list[tuple[str, bytes]] = [
        ("mimetype", b"application/epub+zip"),
        ("META-INF/container.xml", env.get_template("epub/container.xml.j2").render().encode("utf-8")),
    ]
    manifest = []
    for doc in docs:
        properties = "nav" if doc.name == "nav.xhtml" else ""
        manifest.append(Item(f"doc-{Path(doc.name).stem}", doc.name, "application/xhtml+xml", properties))
        entries.append((f"EPUB/{doc.name}", serialize(doc.root)))
    spine = list(manifest)
    cover = env.get_template("epub/cover.svg.j2")
    svg = _safe_cover(build, cover.render(**context).encode("utf-8"), Path(cover.filename))
    png = _raster_cover(build, svg, Path(cover.filename)) if svg else None
    if png is not None:  # the cover image stores and libraries show; the cover page keeps the SVG
        manifest.append(Item("cover-image", "cover.png", "image/png", "cover-image"))
        entries.append(("EPUB/cover.png", png))
        manifest.append(Item("cover-svg", "cover.svg", "image/svg+xml"))
    else:
        manifest.append(Item("cover-image", "cover.svg", "image/svg+xml", "cover-image"))
    entries.append(("EPUB/cover.svg", svg))
    manifest.append(Item("css", "css/epub.css", "text/css"))
    css = projectfiles.read_bytes(_style_file(publication.root, "epub.css"), publication.root)
    entries.append(("EPUB/css/epub.css", css))
    for font in FONTS:
        manifest.append(Item(f"font-{font}", f"fonts/{font}.woff2", "font/woff2"))
        entries.append((f"EPUB/fonts/{font}.woff2", (PACKAGE_ROOT / "styles" / "fonts" / f"{font}.woff2").read_bytes()))
    for n, (src, name) in enumerate(images.items(), start=1):
        # from the bytes, not the name (refused in the check stage when it is no core media type)
        manifest.append(Item(f"image-{n:03d}", name, media_type(publication.root / src) or "image/png"))
        entries.append((f"EPUB/{name}", _image_bytes(publication.root / src)))

    authors = [a for p in publication.texts for a in p.authors if a.strip().lower() != "unknown"]
    # Pictures are read visually; with a text alternative for every one the text alone suffices
    pictures = [img for doc in docs for img in doc.root.iter("img") if doc.name != "cover.xhtml"]
    described = all((img.get("alt") or "").strip() for img in pictures)
    opf = env.get_template("epub/package.opf.j2").render(
        **context,
        identifier=epub_identifier(config),
        other_languages=sorted({p.lang for p in publication.parts if p.lang and p.lang != language}),
        authors=list(dict.fromkeys(authors)),
        date=str(config.date) if _W3CDTF.match(str(config.date)) else "",
        modified=context["built"].strftime("%Y-%m-%dT%H:%M:%SZ"),
        access_modes=["textual", "visual"] if pictures else ["textual"],
        sufficient=(["textual"] if described else []) + (["textual,visual"] if pictures else []),
        features=FEATURES + (("alternativeText",) if pictures and described else ()),
        summary=accessibility_summary(config.words, pictures, described),
        page_source=f"{config.title}, print edition ({build.name}.pdf, {config.paper_css})",
        certifier=config.publisher or ", ".join(config.editors) or "chapbook",
        manifest=manifest, spine=spine)
    entries.insert(2, ("EPUB/package.opf", opf.encode("utf-8")))
    return entries


def accessibility_summary(words: Mapping[str, str], pictures: list, described: bool) -> str:
    """The package's accessibility summary in the book's words, its last sentence true of its pictures:
    it said "there are no other images that carry meaning" also of a reader with a chart and a map."""
    images = "none" if not pictures else "described" if described else "undescribed"
    return f"{words['accessibility_summary']} {words['accessibility_images_' + images]}"


def epub_identifier(config) -> str:
    """publication.yml's identifier; without one, a UUID derived from the title (never random)."""
    return config.identifier or f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'chapbook:' + config.title)}"


def _image_bytes(path: Path) -> bytes:
    """An image as the EPUB carries it: an SVG sanitised (no scripts, handlers, foreignObject), else as is."""
    from ..svgsafe import sanitised

    data = path.read_bytes()
    return sanitised(data, path.name) if path.suffix.lower() == ".svg" else data


def _style_file(project: Path, name: str) -> Path:
    own = project / "styles" / name
    return own if own.is_file() else PACKAGE_ROOT / "styles" / name


def write_zip(path: Path, entries: list[tuple[str, bytes]], date_time: tuple) -> None:
    """The archive with ``mimetype`` first and stored, and every entry's time fixed."""
    date_time = max(tuple(date_time), (1980, 1, 1, 0, 0, 0))
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            archive.writestr(info, data, compresslevel=9)
