"""The typeset book PDF (WeasyPrint).

The screen book is tagged by default (``pdf.tagged``): headings, paragraphs,
lists, links, figures with their alt text, in reading order, so screen readers
can read it; running heads and folios stay out of the structure tree. An
optional ``pdf.variant`` writes PDF/A (for archives and libraries) or PDF/UA-1.
The page labels a viewer shows are the printed folios (``/PageLabels``, added
while WeasyPrint writes the file, so the /ID stays ``pdf_identifier``).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .. import footnotepages, hyphenation, lastpage, linebreak, pdftags, render, stylecache
from ..config import pdf_settings
from ..diagnostics import Location
from ..fetcher import ProjectFetcher
from ..outfiles import atomic_path


def pdf_identifier(config) -> bytes:
    """A stable PDF /ID from the publication's identifier, so rebuilds are byte-identical."""
    seed = config.identifier or config.title
    return hashlib.md5(seed.encode("utf-8"), usedforsecurity=False).hexdigest().encode("ascii")


def pdf_options(config) -> dict:
    """WeasyPrint's write_pdf options for the book: fixed /ID, tags, PDF/A or PDF/UA variant."""
    settings = pdf_settings(config)
    options = {"pdf_identifier": pdf_identifier(config), "pdf_tags": bool(settings["tagged"])}
    if settings["variant"]:
        options["pdf_variant"] = settings["variant"]  # PDF/A adds an sRGB output intent and XMP metadata
    return options


# ---- Page labels: what a PDF viewer shows as the page number -------------------------------------

_ROMAN = re.compile(r"^(?=[mdclxvi])m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
_ROMAN_VALUES = {"m": 1000, "d": 500, "c": 100, "l": 50, "x": 10, "v": 5, "i": 1}


def parse_folio(text: str | None) -> tuple[str, int] | None:
    """'12' → ('D', 12); 'xiv' → ('r', 14); 'XIV' → ('R', 14); anything else → None."""
    text = (text or "").strip()
    if text.isdigit() and int(text) > 0:
        return "D", int(text)
    if text and _ROMAN.match(text.lower()) and (text.islower() or text.isupper()):
        value, digits = 0, [_ROMAN_VALUES[c] for c in text.lower()]
        for digit, following in zip(digits, [*digits[1:], 0], strict=True):
            value += -digit if digit < following else digit
        return ("r" if text.islower() else "R"), value
    return None


def label_ranges(folios: list[str | None]) -> list[tuple[int, str, int]]:
    """The /PageLabels ranges (first page index, style D/r/R, first number) matching the printed folios.

    A page without a folio (cover, quiet pages) counts on from the page before it, as the CSS page
    counter does; pages before the first folio count back from it (decimal from 1 if that would go
    below 1). A new range starts wherever the folios do not simply count on (a counter reset, a change
    from roman front matter to arabic).
    """
    parsed = [parse_folio(f) for f in folios]
    first = next((i for i, p in enumerate(parsed) if p), None)
    if first is None:
        return [(0, "D", 1)] if folios else []
    numbers: list[tuple[str, int]] = []
    style, value = parsed[first]
    for i in range(first):
        numbers.append((style, value - first + i) if value - first >= 1 else ("D", i + 1))
    for i in range(first, len(parsed)):
        numbers.append(parsed[i] or (numbers[-1][0], numbers[-1][1] + 1))
    ranges = []
    for i, (style, value) in enumerate(numbers):
        if i == 0 or style != numbers[i - 1][0] or value != numbers[i - 1][1] + 1:
            ranges.append((i, style, value))
    return ranges


def _text(box) -> str:
    text = getattr(box, "text", None)
    if isinstance(text, str):
        return text
    return "".join(_text(child) for child in getattr(box, "children", ()))


def printed_folios(document) -> list[str | None]:
    """Each page's folio as printed: the text of its @bottom-* margin boxes that reads as a number."""
    folios = []
    for page in document.pages:
        found = None
        for child in getattr(page._page_box, "children", ()):
            if getattr(child, "at_keyword", "").startswith("@bottom") and parse_folio(_text(child)):
                found = _text(child).strip()
        folios.append(found)
    return folios


def add_page_labels(document, pdf) -> None:
    """WeasyPrint finisher: write /PageLabels so the viewer's page numbers are the printed folios."""
    import pydyf

    nums = pydyf.Array()
    for index, style, start in label_ranges(printed_folios(document)):
        nums.extend([index, pydyf.Dictionary({"S": f"/{style}", "St": start})])
    pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": nums})


# ---- pydyf's page references, made linear ----------------------------------------------------------


def _page_references(self) -> tuple:
    """pydyf's ``PDF.page_references``, built once per page count instead of on every call.

    WeasyPrint's tagging asks ``pdf.page_references[n]`` for every tagged element and every
    anchor; pydyf builds the tuple of *all* page references on each call, so writing a tagged
    book costs O(elements × pages): 14 million string formats at 352 pages, half of the book's
    ``write_pdf`` time and the reason seconds per page grew with the book (issue 11). The pages
    array only grows, so its length is a sound cache key.
    """
    kids = self.pages["Kids"]
    cached = self.__dict__.get("_chapbook_page_references")
    if cached is None or cached[0] != len(kids):
        cached = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
        self._chapbook_page_references = cached
    return cached[1]


def linear_page_references() -> None:
    """Install :func:`_page_references` on pydyf's PDF class (idempotent; same results, linear time)."""
    import pydyf

    current = getattr(pydyf.PDF, "page_references", None)
    if isinstance(current, property) and current.fget is not _page_references:
        pydyf.PDF.page_references = property(_page_references)


# ---- Layout ---------------------------------------------------------------------------------------


def font_config(build):
    """One WeasyPrint FontConfiguration per build, shared by every document it lays out.

    WeasyPrint decodes each WOFF2 @font-face once per FontConfiguration (about
    2.5 s for Charis SIL's four faces) and makes a new one per document by
    default; the ``cache`` dict holds only images. Sharing it makes the print
    variant and each handout several times faster (bench/results-handouts.md).
    """
    if _FONT_CONFIG not in build.cache:
        from .. import fontfolders

        build.cache[_FONT_CONFIG] = fontfolders.new()
    return build.cache[_FONT_CONFIG]


_FONT_CONFIG = ("chapbook", "font_config")  # key in build.cache; WeasyPrint's own keys are URL strings


def layout(build, html: str, css: str = "", shared_fonts: bool = True, *, fonts=None, cache=None,
           fetched: list | None = None):
    """Lay out book HTML (with an extra stylesheet, for variants); refuses anything outside the project.

    ``fonts``/``cache``: a FontConfiguration and image cache kept elsewhere (the book's parts,
    :mod:`chapbook.typeset`); ``fetched`` receives the local files the layout loaded.
    """
    from weasyprint import CSS, HTML

    from .. import fontfolders

    linear_page_references()
    render.fix_weasyprint_line_breaks()  # through the module: a test switches it off to show the bug
    linebreak.install()  # paragraphs broken again where WeasyPrint leaves a loose line (issue 13)
    lastpage.install()  # no last page left with a few lines (issue 13: handouts)
    hyphenation.install()  # English hyphenated by the American patterns (the British split 'bey-ond')
    footnotepages.install()  # a footnote is not moved off its call's page to fit one more line
    stylecache.install()  # print.css parsed once, not for every part and handout
    pdftags.install()  # a line's text tagged in its element, not in a /Span element of its own
    publication = build.publication
    if fonts is None:
        fonts = font_config(build) if shared_fonts else fontfolders.new()
    fetcher = ProjectFetcher.for_project(publication.root)
    stylesheets = [CSS(string=css, url_fetcher=fetcher, font_config=fonts)] if css else []
    with image_failures() as failed:
        document = HTML(string=html, base_url=publication.root.resolve().as_uri() + "/",
                        url_fetcher=fetcher).render(stylesheets=stylesheets,
                                                    cache=build.cache if cache is None else cache,
                                                    font_config=fonts)
    pdftags.one_link_per_area(document)
    if fetched is not None:
        fetched.extend(fetcher.fetched)
    fetcher.raise_if_refused()
    if failed:
        report_image_failures(build, failed)
    return document


@contextlib.contextmanager
def _weasyprint_records(level: int, take) -> Iterator[None]:
    """Hand each record of WeasyPrint's logger at ``level`` or above to ``take`` while the block runs.

    chapbook's command line silences that logger (shown with ``-v``); the logger's level is lowered
    for the block if need be (its own NullHandler keeps the record quiet), and restored after, so
    ``-v`` still prints WeasyPrint's own message wherever it printed before.
    """
    logger = logging.getLogger("weasyprint")

    class Listener(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            take(record)

    listener, before = Listener(level), logger.level
    if not logger.isEnabledFor(level):
        logger.setLevel(level)
    logger.addHandler(listener)
    try:
        yield
    finally:
        logger.removeHandler(listener)
        logger.setLevel(before)


@contextlib.contextmanager
def image_failures() -> Iterator[list[tuple[str, str]]]:
    """Collect WeasyPrint's "Failed to load image" records, ``(url, reason)``, while laying out:
    WeasyPrint lays a page out without an image it cannot load and only logs an error."""
    failed: list[tuple[str, str]] = []

    def take(record: logging.LogRecord) -> None:
        if str(record.msg).startswith("Failed to load image") and len(record.args or ()) >= 2:
            error = record.args[1]
            reason = str(error) or str(getattr(error, "__cause__", None) or "") or type(error).__name__
            failed.append((str(record.args[0]), reason))

    with _weasyprint_records(logging.ERROR, take):
        yield failed


@contextlib.contextmanager
def missing_glyphs() -> Iterator[set[str]]:
    """Collect the characters WeasyPrint drew as ``.notdef`` (an empty box) while writing a PDF:
    no font of the book's, nor any font on the machine, has them. WeasyPrint only logs a warning:
    the PDF would lose words while the build succeeded."""
    missing: set[str] = set()

    def take(record: logging.LogRecord) -> None:
        if str(record.msg).startswith(".notdef glyph rendered") and record.args:
            missing.update(str(record.args[0]))

    with _weasyprint_records(logging.WARNING, take):
        yield missing


def report_missing_glyphs(build, missing: set[str]) -> None:
    """Each character no font has → an error at its first place in the project's sources; stop writing."""
    from ..diagnostics import ContentProblem

    if not missing:
        return
    from ..sourcescan import SourcePlaces

    places = SourcePlaces(build.publication)
    found: dict[tuple, list[tuple[int, str]]] = {}  # (path, line) → [(column, character)]
    for ch in sorted(missing):
        where = places.first(ch)
        found.setdefault((where.path, where.line), []).append((where.col, ch))
    problems = []
    for (path, line), chars in found.items():  # one error per line, its characters in order
        chars.sort()
        shown = "".join(ch for _, ch in chars)
        codes = ", ".join(f"U+{ord(ch):04X}" for _, ch in chars)
        what = f"the character '{shown}' ({codes})" if len(chars) == 1 else f"the characters '{shown}' ({codes})"
        problems.append((Location(path, line, chars[0][0]),
                         f"no font has {what}: the PDF would show empty boxes; add a font that has them "
                         "(its files in styles/fonts/ and an @font-face rule in styles/custom.css), or write "
                         "the text without them"))
    for loc, message in problems[:-1]:
        build.report.error(loc, message, "missing-glyph")
    raise ContentProblem(problems[-1][0], problems[-1][1], "missing-glyph")


def report_overflows(build, overflows: list) -> None:
    """A warning for each page where text or an image runs past the right margin
    (:mod:`chapbook.overflow`), at the line of the sources that holds it."""
    from ..sourcescan import SourcePlaces

    places = SourcePlaces(build.publication) if overflows else None
    images = _image_places(build.publication) if any(w.startswith("[image ") for _, _, w, *_ in overflows) else {}
    for page, mm, words, *edge in overflows:
        first = (words.split() or [""])[0]
        where = images.get(words) or places.first(words, first if len(first) >= 4 else "")
        if edge == ["top"]:
            build.report.warning(where, f"on page {page} of the book, the text from '{words}' is set {mm} mm above "
                                        "the top of the text block, over the running head and off the page, and is "
                                        "lost: a footnote taller than a page cannot be set; shorten it or move part of "
                                        "it into the text", "overflow")
            continue
        build.report.warning(where, f"on page {page} of the book, '{words}' runs {mm} mm past the right "
                                    "margin and may be cut off at the page's edge: give a table fewer or narrower "
                                    "columns, an image a smaller width, a long word a place to break", "overflow")


def _image_places(publication) -> dict:
    """``[image SRC]`` (how :mod:`chapbook.overflow` names an image) → the first Markdown image that
    shows it: the warning named publication.yml, not the text (a new user's wide image)."""
    from ..imagecheck import image_files

    places: dict = {}
    root = publication.root.resolve()
    for loc, _target, path in image_files(publication):
        try:
            src = path.resolve().relative_to(root).as_posix()
        except (OSError, ValueError):
            continue
        places.setdefault(f"[image {src}]", loc)
    return places


def report_image_failures(build, failed: list[tuple[str, str]]) -> None:
    """Each image WeasyPrint could not load → an error at the Markdown image that uses it; stop writing.

    Raised as a located problem (the pipeline reports it and writes nothing more); normally the
    check stage (:mod:`chapbook.imagecheck`) has refused such an image already.
    """
    from ..diagnostics import ContentProblem
    from ..imagecheck import image_files

    users: dict[str, list] = {}
    for loc, target, path in image_files(build.publication):
        users.setdefault(path.resolve().as_uri(), []).append((loc, target))
    problems = []
    for url, reason in dict.fromkeys(failed):
        where = users.get(Path(unquote(urlsplit(url).path)).resolve().as_uri() if url.startswith("file:") else url)
        for loc, target in where or [(Location(build.publication.root / "styles"), url)]:
            problems.append((loc, f"image '{target}' could not be loaded ({reason}): it would be missing "
                                  "from the book"))
    for loc, message in problems[:-1]:
        build.report.error(loc, message, "broken-image")
    raise ContentProblem(problems[-1][0], problems[-1][1], "broken-image")


def typeset(build, template: str = "book.html.j2"):
    """The book laid out part by part, cached, and composed (:func:`chapbook.typeset.compose`).

    Page numbers shown in the book (contents, "p. N" references, the glossary's pages) are
    computed from the parts' layouts and written into the HTML; the glossary lists each page a
    term is marked on once (:func:`chapbook.render.glossary_marks`, issue 10).
    """
    from .. import convcache
    from ..typeset import compose

    book = compose(build, template)
    convcache.store(build.output / convcache.CACHE_DIR, build.publication, build.converted)  # beside the parts
    report_overflows(build, book.overflows)
    report_missing_glyphs(build, book.missing)  # found while the parts were written
    book.check = lambda missing: report_missing_glyphs(build, missing)  # and while the book is
    return book


class PdfWriter:
    name = "pdf"
    description = "the typeset book (output/NAME.pdf)"

    def write(self, build) -> list[Path]:
        target = build.output / f"{build.name}.pdf"
        with atomic_path(target) as tmp:
            tmp.write_bytes(build.book().pdf(build.publication.config))
        settings = pdf_settings(build.publication.config)
        if settings["variant"]:  # the default (tagged) book says nothing, like every other stage
            tagged = ", tagged for screen readers" if settings["tagged"] else ""
            build.report.note(f"{target.name}: {settings['variant'].upper()}{tagged}")
        return [target]
