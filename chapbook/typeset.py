"""The book laid out part by part, each part written and cached as a PDF, the book joined from them (issue 11).

The book HTML (``templates/book.html.j2``) is split into its *parts*: the top-level ``<section>``
and ``<nav>`` elements of ``<body>`` (cover, half-title, title page, imprint, contents, each
text, the front and back matter, glossary, bibliography, sources, back cover). Each part is laid
out by WeasyPrint as its own document (the full ``<head>`` and that one element), starting at
its page number and side::

    @page :first { counter-reset: page N }   html { break-before: left|right }

Where a part must begin on the other side (its own ``break-before``, found once by a cheap
*probe* layout of the empty top-level elements), a one-page blank part is inserted, as
WeasyPrint inserts a blank page in one long document.

**Folios and workers.** Where the stylesheets allow it (:mod:`chapbook.folios`), a part is laid
out without the margin boxes that show page numbers, so it depends only on the side it starts
on, not on its first page's number: the folios are drawn by one layout of the book's skeleton
and stamped on the joined pages. A text that grows by a page then leaves every later part as it
was, and the parts whose side their own ``break-before`` fixes (every text, in print.css) are
laid out at once by the build's forked worker processes (:meth:`Composer.prefetch`,
:mod:`chapbook.workers`: ``CHAPBOOK_JOBS``, one per core by default), while this process takes
their results in the book's order (and lays out those no worker has started yet). Otherwise
``counter-reset: page N`` gives each part its numbers and the parts are laid out in order.

Page-dependent content cannot use ``target-counter()`` across documents, so it is computed here
from the parts' layouts and written into the HTML as literal numbers: the contents' and every
``a.pageref``'s target page as ``data-page="N"``, shown by ``content: attr(data-page)``; the
glossary's one-mark-per-page lists (:func:`chapbook.render.glossary_marks`) are rendered from
the same page map. This is repeated until nothing changes (the pages the numbers are computed
from do not move), starting from the previous build's numbers, so a rebuild usually settles in
one round.

Each part's final layout is written as a PDF of its own and described as plain data
(:class:`chapbook.bookpdf.PartLayout`: ids, folios, bookmarks, where each page's text begins);
the book PDF is joined from the parts' PDFs by :func:`chapbook.bookpdf.assemble` (named
destinations, links across parts, outline, page labels, one structure tree, one font per face),
and the other writers read pages from the descriptions (:class:`Book`), not from WeasyPrint.

**Cache.** A part is keyed by the sha256 of everything it is made of: its HTML with the numbers
filled in, the ``<head>`` (without the build time), the extra CSS (first page and side), whether
the PDF is tagged, chapbook's and WeasyPrint's versions. Laid-out parts are kept in memory per
project (:data:`SESSIONS`, for ``build.py watch``) and on disk in ``OUTPUT/.cache/parts``
(``KEY.pdf`` + ``KEY.json``), so a build in a new process after an edit lays out and writes only
the edited text (and the parts showing page numbers, if their numbers changed). A part on disk
is used only if every file its layout loaded (stylesheets, fonts, images) still has the digest
recorded, and its PDF the digest in its description; ``state.json`` keeps the last page numbers
and the parts' sides, so the first round starts where the last build ended. A cached build and
a clean build give the same bytes (tests/test_parts.py). The cache keeps the parts of the last
build plus :data:`SPARE` others.

A project whose own styles use ``target-counter``/``target-text``/``counter(pages)``, or whose
book template cannot be split into top-level sections, is laid out as one document
(:func:`single_layout`), as before.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import re
from collections import ChainMap, OrderedDict
from pathlib import Path

from . import __version__, code_digest
from .bookpdf import FORMAT, PartLayout, assemble, describe, pdf_dates, read_cached, write_part
from .cacheseal import seal, sealed
from .folios import page_number_boxes, skeleton, skeleton_css, suppress_css
from .outfiles import let_go, prune_cache, write_cache
from .pagemap import PageMap, PageStart
from .projectfiles import file_stamp, read_regular
from .render import glossary_marks, render_book_html
from .workers import cancel, longest_first, result

SPARE = 64  # laid-out parts kept beyond those of the last build (in memory and on disk)
CACHE_DIR = Path(".cache") / "parts"  # under the output folder
FONTS_KEPT = 8  # merged fonts kept in CACHE_DIR (:mod:`chapbook.fontmerge`), most recently used first
STATE = "state.json"  # in CACHE_DIR: the last build's page numbers and parts' sides
MAX_PROJECTS = 2  # projects whose parts are kept (a test run builds many)


@dataclasses.dataclass
class Stats:
    """Counters, so tests can tell how much work a build did."""

    layouts: int = 0  # parts laid out (cache misses)
    hits: int = 0  # parts taken from the cache in memory
    disk: int = 0  # parts taken from the cache on disk
    written: int = 0  # part PDFs written
    probes: int = 0  # layouts of empty top-level elements to learn their sides
    parallel: int = 0  # of the layouts, those done by worker processes
    by_workers: list = dataclasses.field(default_factory=list)  # their names, in the last build
    laid: list = dataclasses.field(default_factory=list)  # names of the parts the last build laid out


STATS = Stats()


@dataclasses.dataclass
class Part:
    name: str  # id, or class:NAME for an id-less part (the half-title)
    html: str  # the top-level element's source
    opening: str  # its start tag


@dataclasses.dataclass
class Laid:
    """One part laid out: what its pages hold (:class:`PartLayout`), and its PDF once written.

    ``document`` (WeasyPrint's) is kept only until the part's PDF is written.
    """

    key: str
    layout: PartLayout
    pdf: bytes | None = None
    document: object = None

    @property
    def pages(self) -> int:
        return self.layout.pages

    @property
    def ids(self) -> dict[str, int]:
        return self.layout.ids


@dataclasses.dataclass
class Book:
    """The typeset book as the writers use it: its PDF, and where things are on its pages."""

    html: str  # the full book HTML (with target-counter() references: one layout of it is the print variant)
    page_count: int
    page_map: PageMap  # where each page's text begins (the EPUB's page list)
    part_pages: dict[str, tuple[int, int]]  # each top-level part's first and last page
    page_names: list[str]  # each page's @page name
    make_pdf: object  # () → bytes
    missing: set[str] = dataclasses.field(default_factory=set)  # characters no font has (empty boxes)
    overflows: list = dataclasses.field(default_factory=list)  # [page number, mm, words] past the text block
    check: object = None  # (missing characters) → None, raises if any (writers.pdf.report_missing_glyphs)
    _pdf: bytes | None = None

    def pdf(self, config=None) -> bytes:
        """The book PDF, made once and shared by the pdf, booklet and print-shop writers."""
        if self._pdf is None:
            from .writers.pdf import missing_glyphs

            with missing_glyphs() as missing:
                data = self.make_pdf()
            if missing and self.check is not None:
                self.check(missing)
            self._pdf = data
        return self._pdf


@dataclasses.dataclass
class Session:
    """One project's laid-out parts and what they were made from, kept between builds."""

    fonts: object
    cache: dict  # WeasyPrint's image cache
    parts: OrderedDict  # key → Laid, least recently used first
    breaks: dict  # (head key, opening tag) → break-before
    resources: dict  # Path → (mtime_ns, size) of every file a layout loaded
    last_pages: dict = dataclasses.field(default_factory=dict)


SESSIONS: OrderedDict[tuple, Session] = OrderedDict()


def clear() -> None:
    """Forget every laid-out part, converted text and opened part PDF (a clean build follows)."""
    from . import convcache
    from .bookpdf import Opened, free_retired

    SESSIONS.clear()
    convcache.clear()
    Opened.forget()
    free_retired()


# ---- Splitting ----------------------------------------------------------------------------------

_TOP = re.compile(r"<(/?)(section|nav)\b[^>]*>", re.IGNORECASE)
_ID = re.compile(r'\bid="([^"]+)"')
_CLASS = re.compile(r'\bclass="([^"]*)"')


def split(html: str) -> tuple[str, list[Part], str] | None:
    """(head through ``<body …>``, the body's top-level sections/navs, the tail), or None if the body
    holds anything else at its top level (a project's own template): then the book is one layout."""
    body = re.search(r"<body\b[^>]*>", html)
    if body is None or "</body>" not in html:
        return None
    end = html.rindex("</body>")
    depth, start, parts, last = 0, 0, [], body.end()
    for m in _TOP.finditer(html, body.end(), end):
        if not m.group(1):
            if depth == 0:
                if html[last:m.start()].strip():
                    return None
                start = m.start()
            depth += 1
        else:
            depth -= 1
            if depth < 0:
                return None
            if depth == 0:
                src = html[start:m.end()]
                opening = src[:src.index(">") + 1]
                ident, cls = _ID.search(opening), _CLASS.search(opening)
                name = ident.group(1) if ident else f"class:{(cls.group(1).split() or [''])[0]}" if cls else "?"
                parts.append(Part(name, src, opening))
                last = m.end()
    if depth or html[last:end].strip() or not parts:
        return None
    return html[:body.end()], parts, html[end:]


# ---- Page numbers written into the HTML ---------------------------------------------------------

# Stylesheets given to layout(css=…) are of *user* origin: they lose to print.css unless !important.
REF_CSS = ("a.pageref[data-page]::after { content: attr(data-page) !important; }\n"
           ".contents a[data-page]::after { content: leader('. ') attr(data-page) !important; }\n")
BLANK_CSS = ("@page { @top-left { content: none !important } @top-right { content: none !important } "
             "@bottom-left { content: none !important } @bottom-right { content: none !important } }\n")
_A = re.compile(r"<a\b([^>]*)>")
_HREF = re.compile(r'\bhref="#([^"]+)"')


def _is_contents(part: Part) -> bool:
    cls = _CLASS.search(part.opening)
    return part.opening.lower().startswith("<nav") and bool(cls) and "contents" in cls.group(1).split()


def _page_ref(attrs: str, contents: bool) -> str | None:
    """The id whose page a link shows (a link of the contents, or any a.pageref), else None."""
    href = _HREF.search(attrs)
    if href is None:
        return None
    cls = _CLASS.search(attrs)
    return href.group(1) if contents or (cls and "pageref" in cls.group(1).split()) else None


def _refs(part: Part) -> list[str]:
    """The ids whose pages the part shows: the contents' links, every a.pageref."""
    contents = _is_contents(part)
    return [target for m in _A.finditer(part.html) if (target := _page_ref(m.group(1), contents))]


def fill(part: Part, pages, unknown_blank: bool = False) -> str:
    """The part with ``data-page="N"`` on each page reference whose target's page is known
    (``unknown_blank``: ``data-page=""`` where it is not, in a first round before any page is known)."""
    contents = _is_contents(part)

    def sub(m: re.Match) -> str:
        attrs = m.group(1)
        target = _page_ref(attrs, contents)
        if target is not None:
            if target in pages:
                return f'<a{attrs} data-page="{pages[target]}">'
            if unknown_blank:  # a first round: no number yet (not a dangling target: no error logged)
                return f'<a{attrs} data-page="">'
        return m.group(0)

    return _A.sub(sub, part.html)


def part_css(first: int, refs: bool, boxes: frozenset[str] | None = None) -> str:
    """The extra CSS of a part beginning on page ``first``: its side, and its page numbers from
    ``first`` on; or, where the folios are stamped later (``boxes``: the margin boxes that show page
    numbers, :mod:`chapbook.folios`), without those boxes, so that only the side counts."""
    side = "right" if first % 2 else "left"  # page 1 (the cover) is a right-hand page
    numbers = f"@page :first {{ counter-reset: page {first}; }}\n" if boxes is None else suppress_css(boxes)
    return numbers + f"html {{ break-before: {side}; }}\n" + (REF_CSS if refs else "")


# ---- Layout, cached -----------------------------------------------------------------------------

_DATES = re.compile(r'(<meta name="dcterms\.(?:created|modified)" content=")[^"]*(")')


def layout_version() -> str:
    """WeasyPrint's version and the digest of chapbook's code that changes how a part is laid out or
    written (its patches to WeasyPrint's line breaking, the part's description): a part cached by
    other code is laid out again, even under the same version number (a checkout between releases)."""
    import pyphen
    import weasyprint

    return f"{weasyprint.__version__}/pyphen {pyphen.VERSION}/{code_digest(_LAYOUT_CODE)[:16]}"


_LAYOUT_CODE = ("linebreak.py", "render.py", "bookpdf.py", "overflow.py", "pagemap.py", "writers/pdf.py",
                "stylecache.py", "lastpage.py", "hyphenation.py", "footnotepages.py", "pdftags.py",
                "weasypatch.py")


def _session(build) -> Session:
    from . import fontfolders
    from .sourcescan import ALLOW_REMOTE

    key = (str(build.publication.root.resolve()), bool(ALLOW_REMOTE.get()))
    session = SESSIONS.get(key)
    if session is not None and not _unchanged(session.resources):
        session = None
    if session is None:
        session = Session(fontfolders.new(), {}, OrderedDict(), {}, {})
        SESSIONS[key] = session
        while len(SESSIONS) > MAX_PROJECTS:
            SESSIONS.popitem(last=False)
    SESSIONS.move_to_end(key)
    return session


def _unchanged(resources: dict) -> bool:
    return all(file_stamp(path) == seen for path, seen in resources.items())


class Composer:
    def __init__(self, build, session: Session, head: str, tail: str, tagged: bool, state: dict) -> None:
        from .writers.pdf import pdf_identifier

        self.build, self.session, self.head, self.tail, self.tagged = build, session, head, tail, tagged
        self.identifier = pdf_identifier(build.publication.config)
        self.head_key = _DATES.sub(r"\1\2", head)
        self.used: set[str] = set()
        self.mark_ids: set[str] = set()
        self.folder = build.output / CACHE_DIR
        self.digests: dict[str, str | None] = {}
        self.state = state  # the last build's (:func:`_read_state`), read once
        self.probe_resources: dict[str, str | None] = {}  # files the parts' sides depend on
        self.boxes: frozenset[str] | None = None  # page-number margin boxes, when folios are stamped later
        self.pending: dict = {}  # key → a worker's future (:meth:`prefetch`)
        self.descriptions: dict[str, str] = {}  # key → its KEY.json, read by on_disk for cached()

    def digest(self, path: str) -> str | None:
        """A file's sha256, once per build (a cached part is valid only if every file it loaded is unchanged)."""
        if path not in self.digests:
            try:
                self.digests[path] = hashlib.sha256(read_regular(Path(path))).hexdigest()
            except OSError:
                self.digests[path] = None
        return self.digests[path]

    def key(self, body: str, css: str, tagged: bool) -> str:
        return hashlib.sha256("\0".join((__version__, str(FORMAT), layout_version(), str(tagged),
                                         self.head_key, body, self.tail, css)).encode("utf-8")).hexdigest()

    def cached(self, key: str) -> Laid | None:
        """The part of this key from memory or disk, if every file its layout loaded is unchanged."""
        parts = self.session.parts
        if key in parts:
            parts.move_to_end(key)
            STATS.hits += 1
            return parts[key]
        cached = read_cached(self.folder, key, self.descriptions.pop(key, None))
        if cached is not None and all(self.digest(path) == sha for path, sha in cached[0].resources.items()):
            STATS.disk += 1
            parts[key] = Laid(key, cached[0], cached[1])
            return parts[key]
        return None

    def lay(self, body: str, css: str, name: str, refs: bool = False, tagged: bool | None = None) -> Laid:
        """The part laid out (or from the cache, or from a worker of :meth:`prefetch`). Its PDF is written
        at once and its pages let go (a 30× book would otherwise hold every part's layout until the
        end), unless it shows page numbers (``refs``): such a part may be laid out again in the next
        round, and is written only once it is final (:meth:`write`)."""
        tagged = self.tagged if tagged is None else tagged
        key = self.key(body, css, tagged)
        self.used.add(key)
        found = self.cached(key)
        if found is not None:
            return found
        done = result(self.pending.pop(key, None))  # None: not started yet (taken back), or failed
        if done is not None:  # laid out and written by a worker
            described, pdf, fetched = PartLayout.from_json(done[0]), done[1], [Path(f) for f in done[2]]
            document = None
            STATS.parallel += 1
            STATS.by_workers.append(name)
        else:  # not sent to a worker, or it failed there: here, where its errors are reported
            fetched = []
            document = _layout_part(self.build, self.session, self.head, self.tail, body, css, fetched)
            described, pdf = describe(document), None
        for path in fetched:
            self.session.resources.setdefault(path, file_stamp(path))
        STATS.layouts += 1
        STATS.laid.append(name)
        described.resources = {str(path): self.digest(str(path)) for path in sorted(set(fetched))}
        laid = Laid(key, described, pdf, document)
        self.session.parts[key] = laid
        if pdf is not None:
            _store(self.folder, laid)
        elif not refs:
            self.write(laid, tagged)
        return laid

    def on_disk(self, key: str) -> bool:
        """Whether the disk cache has this part and every file its layout loaded is unchanged (as
        :meth:`cached` will find; only its description is read here, and an odd one only means the
        part is not handed to a worker). A part whose stylesheet changed is on disk but stale: it
        must go to the workers with the others, not be laid out here one after another."""
        try:
            description = (self.folder / f"{key}.json").read_text(encoding="utf-8")
            resources = json.loads(description).get("resources")
        except (OSError, ValueError, AttributeError):
            return False
        self.descriptions[key] = description  # read once: cached() takes it from here
        return isinstance(resources, dict) and all(self.digest(path) == sha for path, sha in resources.items())

    def prefetch(self, tasks: list[tuple[str, str]]) -> None:
        """Lay out and write ``(body, css)`` parts in the build's worker processes (:mod:`chapbook.workers`),
        those not cached, the longest first (:func:`chapbook.workers.longest_first`); :meth:`lay` takes
        their results in the book's order, and lays out here those no worker has started by then."""
        todo = list({key: (key, body, css) for body, css in tasks
                     if (key := self.key(body, css, self.tagged)) not in self.pending
                     and key not in self.session.parts and not self.on_disk(key)}.values())
        workers = self.build.workers
        todo = [todo[index] for index in longest_first([body for _, body, _ in todo])]
        for key, body, css in todo:  # no pool is started for one part: the fork would cost more than it saves
            future = workers.submit(_lay_in_worker, self.head, self.tail, self.tagged, self.identifier, body, css,
                                    fork=len(todo) >= 2)
            if future is None:
                return
            self.pending[key] = future

    def close(self) -> None:
        """Drop the parts still pending that no worker has started (the workers are the build's)."""
        cancel(self.pending.values())
        self.pending.clear()

    def write(self, laid: Laid, tagged: bool | None = None) -> bytes:
        """The part's PDF: written now if it was laid out in this build, and kept on disk for the next."""
        if laid.pdf is None:
            laid.pdf, laid.layout.missing = write_part(laid.document, self.tagged if tagged is None else tagged,
                                                       self.identifier)
            laid.document = None  # the pages are in the PDF now; let the layout go
            STATS.written += 1
            _store(self.folder, laid)
        return laid.pdf

    def probe(self, parts: list[Part]) -> None:
        """Each part's own break-before, from one layout of the body's empty top-level elements."""
        from .writers.pdf import layout

        todo = list({p.opening: p for p in parts if (self.head_key, p.opening) not in self.session.breaks}.values())
        if not todo or self.state_breaks(todo):
            return
        skeleton = "".join(p.opening + ("</nav>" if p.opening.lower().startswith("<nav") else "</section>")
                           for p in todo)
        fetched: list[Path] = []
        document = layout(self.build, self.head + "\n" + skeleton + "\n" + self.tail,
                          fonts=self.session.fonts, cache=self.session.cache, fetched=fetched)
        self.probe_resources = {str(path): self.digest(str(path)) for path in sorted(set(fetched))}
        STATS.probes += 1
        boxes, seen = [], set()
        for page in document.pages:
            for b in _body_children(page):
                element = getattr(b, "element", None)
                if element is not None and element.tag in ("section", "nav") and id(element) not in seen:
                    seen.add(id(element))
                    boxes.append(b)
        if len(boxes) != len(todo):
            raise _Unsplittable
        for p, box in zip(todo, boxes, strict=True):
            self.session.breaks[(self.head_key, p.opening)] = box.style["break_before"]

    # ---- What a build in a new process starts from: OUTPUT/.cache/parts/state.json ----

    def state_breaks(self, todo: list[Part]) -> bool:
        """The parts' sides from the last build's probe, if its head and every file it loaded are unchanged."""
        state = self.state
        head = hashlib.sha256(self.head_key.encode("utf-8")).hexdigest()
        breaks = state.get("breaks") or {}
        resources = state.get("resources") or {}
        if state.get("head") != head or not all(self.digest(path) == sha for path, sha in resources.items()):
            return False
        if not all(p.opening in breaks for p in todo):
            return False
        for p in todo:
            self.session.breaks[(self.head_key, p.opening)] = breaks[p.opening]
        self.probe_resources = resources
        return True

    def write_state(self, pages: dict[str, int], parts: list[Part]) -> None:
        """The page numbers and sides of this build, for the next build's first round and probe."""
        state = {"format": FORMAT, "pages": pages, "head": hashlib.sha256(self.head_key.encode("utf-8")).hexdigest(),
                 "breaks": {p.opening: self.session.breaks[(self.head_key, p.opening)] for p in parts},
                 "resources": self.probe_resources}
        tag = seal(json.dumps(state, sort_keys=True).encode("utf-8"))
        if tag is None:
            return
        with contextlib.suppress(OSError):  # a full disk: no state, same result (the next build starts afresh)
            write_cache(self.folder / STATE, json.dumps({**state, "seal": tag}, sort_keys=True).encode("utf-8"))

    def folios(self, plan: list) -> Laid | None:
        """The skeleton whose pages carry the book's folios (:mod:`chapbook.folios`), laid out, written
        untagged and cached like a part; None where the parts keep their own folios."""
        if not self.boxes:
            return None
        pages = [(name, part == "(blank)" or laid.layout.blank[i])
                 for part, _, laid in plan for i, name in enumerate(laid.layout.page_names)]
        laid = self.lay(skeleton(pages), skeleton_css(self.boxes), "(folios)", tagged=False)
        if laid.pages != len(pages) or any(blank != made or (not blank and name != got) for (name, blank), got, made
                                           in zip(pages, laid.layout.page_names, laid.layout.blank, strict=True)):
            raise _Unsplittable  # a page the skeleton could not reproduce: one layout of the book
        return laid

    def place(self, parts: list[Part], pages: dict[str, int], first_round: bool, reglossed=None):
        """Every part laid out at its first page (from the cache where unchanged), blank pages inserted.

        A part's page references use the pages of the parts laid out before it in this round, and
        ``pages`` (the last round's) for the others: the glossary and the corrections, which refer
        back, are right in the first round; the contents and the imprint settle in the second.
        ``reglossed(pages)`` gives the parts rendered with the glossary listing one mark per page.
        Returns the plan, the parts as laid out, and the page of every id in the book.
        """
        self.probe(parts)
        waiting: list[tuple[int, int, set[str]]] = []  # parts showing page numbers, their side fixed: (index,
        # side, the ids whose pages they show, and every glossary mark's for a part that lists them)
        if self.boxes is not None:  # a part depends only on its side: those whose side is fixed, in parallel
            ahead = []
            for index, p in enumerate(parts):
                want = self.session.breaks[(self.head_key, p.opening)]
                first = 1 if want in ("right", "recto") else 2 if want in ("left", "verso") else int(index == 0)
                shown = set(_refs(p)) if first else set()
                if first and not shown:
                    ahead.append((p.html, part_css(first, False, self.boxes)))
                elif first:
                    needs = shown | self.mark_ids if reglossed and self.mark_ids.intersection(shown) else shown
                    waiting.append((index, first, needs))
            self.prefetch(ahead)
        out, used, page = [], [], 1
        actual: dict[str, int] = {}
        known = ChainMap(actual, pages)
        placed: dict[str, tuple[int, int]] = {}  # each part's first and last page, so far in this round
        for index, p in enumerate(parts):
            if waiting:
                waiting = self.send_ready(waiting, index, parts, known, first_round, reglossed)
            if index:  # after the parts waiting for workers: the writers that can start (the handouts)
                self.build.paged(placed, final=False)
            want = self.session.breaks[(self.head_key, p.opening)]
            if (want in ("right", "recto") and page % 2 == 0) or (want in ("left", "verso") and page % 2 == 1):
                out.append(("(blank)", page, self.lay("", part_css(page, False, self.boxes) + BLANK_CSS, "(blank)")))
                page += 1
            p, targets = self.as_laid(index, p, parts, known, reglossed)
            refs = bool(targets)
            laid = self.lay(fill(p, known, first_round) if refs else p.html, part_css(page, refs, self.boxes),
                            p.name, refs)
            out.append((p.name, page, laid))
            placed[p.name] = (page, page + laid.pages - 1)
            used.append(p)
            for key, local in laid.ids.items():
                actual.setdefault(key, page + local - 1)
            page += laid.pages
        return out, used, actual

    def as_laid(self, index: int, p: Part, parts: list[Part], known, reglossed) -> tuple[Part, list[str]]:
        """The part at ``index`` as it is laid out with the pages ``known`` (rendered again with the
        glossary's pages where it shows them, :meth:`place`), and the ids whose pages it shows."""
        targets = _refs(p)
        if reglossed is not None and self.mark_ids.intersection(targets):
            again = reglossed(known)
            if again is not None and len(again) == len(parts) and again[index].opening == p.opening:
                p = again[index]
                targets = _refs(p)
        return p, targets

    def send_ready(self, waiting: list[tuple[int, int, set[str]]], index: int, parts: list[Part], known,
                   first_round: bool, reglossed) -> list[tuple[int, int, set[str]]]:
        """Hand to the workers the parts of ``waiting`` after ``index`` whose page references (and the
        glossary's pages, for a part that shows them) all point to parts already placed in this round
        (``known.maps[0]``): their text cannot change any more, and their side is fixed, so they are laid
        out while this process lays out the parts before them (the glossary while the editorial note
        is). Returns those still waiting."""
        placed, later, ready = known.maps[0], [], []
        for j, first, needs in waiting:
            if j <= index:
                continue
            if not needs.issubset(placed):
                later.append((j, first, needs))
                continue
            p, targets = self.as_laid(j, parts[j], parts, known, reglossed)
            if all(t in placed for t in targets):
                ready.append((fill(p, known, first_round), part_css(first, True, self.boxes)))
        if ready:
            self.prefetch(ready)
        return later

# ---- Workers ----------------------------------------------------------------------------------


def _layout_part(build, session: Session, head: str, tail: str, body: str, css: str, fetched: list):
    """One part as WeasyPrint lays it out: the book's head and tail around it, the session's fonts
    and image cache; ``fetched`` receives the files it loaded."""
    from .writers.pdf import layout

    return layout(build, head + "\n" + body + "\n" + tail, css=css, fonts=session.fonts, cache=session.cache,
                  fetched=fetched)


def _lay_in_worker(build, head: str, tail: str, tagged: bool, identifier: bytes, body: str,
                   css: str) -> tuple[str, bytes, list[str]] | None:
    """In a worker: one part laid out and written, ``(its PartLayout as JSON, PDF, files loaded)``; None
    if anything goes wrong (the part is then laid out in the build's own process, which reports it).
    The session is the one the build's process had when it forked (its fonts decoded)."""
    try:
        fetched: list[Path] = []
        document = _layout_part(build, _session(build), head, tail, body, css, fetched)
        described = describe(document)
        pdf, described.missing = write_part(document, tagged, identifier)
        return described.to_json(), pdf, [str(f) for f in fetched]
    except Exception:  # reported where the part is laid out again
        return None


class _Unsplittable(Exception):
    pass


def _linked_styles(build) -> list[Path]:
    """The files book.html.j2's stylesheet links load (the project's print.css or chapbook's, custom.css)."""
    from .fetcher import ProjectFetcher

    fetcher = ProjectFetcher.for_project(build.publication.root)
    return [path for name in ("print.css", "custom.css") if (path := fetcher.resolve(f"chapbook-style:{name}"))]


def _styles_need_one_document(build) -> bool:
    """A project's own stylesheets that refer to other pages' numbers: laid out as one document."""
    folder = build.publication.root / "styles"
    for path in (folder / "print.css", folder / "custom.css"):  # what book.html.j2 links
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if _OTHER_PAGE_NUMBERS.search(_HANDLED.sub("", text)):
            return True
    return False


# print.css's own page references, which compose() fills in (a project's copy of print.css keeps them)
_HANDLED = re.compile(r"(?:\.contents a::after\s*\{\s*content:\s*leader\(\s*\"\. \"\s*\)\s*"
                      r"|a\.pageref::after\s*\{\s*content:\s*)target-counter\(attr\(href url\), page\);?\s*\}")
_OTHER_PAGE_NUMBERS = re.compile(r"target-counter|target-text|counter\(\s*pages\s*\)")


def single_layout(build, template: str = "book.html.j2"):
    """The book as one WeasyPrint document (as before issue 11): ``(document, html)``.

    The glossary is rendered twice at most: first listing the first mark of each part, then, if
    a term is marked on several pages of one text, one mark per page (see ``writers.pdf.typeset``).
    """
    from .pagemap import element_pages
    from .writers.pdf import layout

    publication, converted = build.publication, build.converted
    html = render_book_html(publication, converted, template, glossary_pages={})
    document = layout(build, html)
    mark_ids = {mark_id for c in converted for _, mark_id in c.glossary_marks}
    if mark_ids:
        pages = element_pages(document, mark_ids)
        if glossary_marks(publication, converted, pages) != glossary_marks(publication, converted, {}):
            html = render_book_html(publication, converted, template, glossary_pages=pages)
            document = layout(build, html)
    return document, html


def _read_state(folder: Path) -> dict:
    """The last build's state file (:data:`STATE`), or {}: it only saves work, so anything odd (or not
    sealed by this user, :mod:`chapbook.cacheseal`) is ignored."""
    try:
        state = json.loads((folder / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        return {}
    tag = state.pop("seal", None)
    return state if sealed(tag, json.dumps(state, sort_keys=True).encode("utf-8")) else {}


def _single_book(build, template: str) -> Book:
    """The book laid out as one document and written by WeasyPrint in one go (see :func:`single_layout`)."""
    from .writers.pdf import add_page_labels, pdf_options

    document, html = single_layout(build, template)
    described = describe(document)
    tops = _top_level_pages(document)

    def make_pdf() -> bytes:
        return document.write_pdf(finisher=add_page_labels, **pdf_options(build.publication.config))

    return Book(html, described.pages, _page_map([(1, described)]), tops, described.page_names, make_pdf,
                overflows=[[page + 1, *rest] for page, *rest in described.overflows])


def _body_children(page):
    """The boxes of the body's children on a laid-out page (WeasyPrint's page → html → body boxes)."""
    for html_box in page._page_box.children:
        for body in getattr(html_box, "children", ()):
            yield from getattr(body, "children", ())


def _top_level_pages(document) -> dict[str, tuple[int, int]]:
    """The first and last page on which each of the body's children with an id has a box."""
    found: dict[str, tuple[int, int]] = {}
    for number, page in enumerate(document.pages, start=1):
        for child in _body_children(page):
            element = getattr(child, "element", None)
            ident = element.get("id") if element is not None else None
            if ident:
                found[ident] = (found.get(ident, (number, number))[0], number)
    return found


def _page_map(placed: list[tuple[int, PartLayout]]) -> PageMap:
    """The book's page map from its parts' (each part's pages numbered from its first page)."""
    pages, id_pages = [], {}
    for first, part in placed:
        for local, (anchor, offset, words, blank) in enumerate(part.starts):
            pages.append(PageStart(first + local, anchor, offset, words, blank))
        for key, local in part.flow_ids.items():
            id_pages.setdefault(key, first + local - 1)
    return PageMap(tuple(pages), id_pages)


def _store(folder: Path, laid: Laid) -> None:
    """Keep a written part on disk, sealed (:mod:`chapbook.cacheseal`): PDF, then its description
    (:func:`chapbook.outfiles.write_cache`: no temporary file is left when a write fails, no link followed)."""
    laid.layout.seal = ""
    tag = seal(laid.key.encode("ascii"), laid.pdf, laid.layout.to_json().encode("utf-8"))
    if tag is None:  # no key to seal with: no cache, same result
        return
    laid.layout.seal = tag
    description = laid.layout.to_json().encode("utf-8")  # with its seal
    try:
        for suffix, data in ((".pdf", laid.pdf), (".json", description)):
            write_cache(folder / f"{laid.key}{suffix}", data)
    except OSError:  # a read-only output folder, a full disk: no cache, same result
        pass


def _evict_disk(folder: Path, used: set[str]) -> None:
    """Keep on disk the parts this build used and the :data:`SPARE` most recently used others, and the
    :data:`FONTS_KEPT` most recently written merged fonts (:mod:`chapbook.fontmerge`)."""
    prune_cache(folder, used, SPARE, (".json", ".pdf"))
    prune_cache(folder, set(), FONTS_KEPT, (".json", ".ttf"), prefix="font-")  # fontmerge marks those it reads


def compose(build, template: str = "book.html.j2") -> Book:
    """The book laid out part by part and composed (see the module's doc), or as one document where
    it must be: a PDF/A or PDF/UA variant, styles or templates that refer to other pages' numbers.

    Once the pages are known, before the parts showing page numbers are written and the book is
    joined, the writers waiting for them start (:meth:`chapbook.pipeline.Build.paged`)."""
    with build.workers.scope():  # the build's workers; let go here unless the pipeline holds them
        return _compose(build, template)


def _compose(build, template: str) -> Book:
    from .config import pdf_settings

    publication, converted = build.publication, build.converted
    STATS.laid, STATS.by_workers = [], []
    settings = pdf_settings(publication.config)
    if settings["variant"] or _styles_need_one_document(build):
        return _single_book(build, template)
    mark_ids = {mark_id for c in converted for _, mark_id in c.glossary_marks}
    plain = glossary_marks(publication, converted, {}) if mark_ids else {}
    session = _session(build)
    from .writers.pdf import _FONT_CONFIG

    build.cache.setdefault(_FONT_CONFIG, session.fonts)  # the other writers' layouts share the decoded fonts
    renders: dict[tuple, tuple[str, tuple]] = {}

    def rendered(gp: dict[str, int]):
        """The book HTML and its split, for the glossary pages ``gp`` (rendered once per distinct list)."""
        marks = glossary_marks(publication, converted, gp) if mark_ids else {}
        key = tuple(sorted(marks.items())) if marks != plain else ()
        if key not in renders:
            html = render_book_html(publication, converted, template, glossary_pages=gp if key else {})
            renders[key] = (html, split(html))
        return renders[key]

    state = _read_state(build.output / CACHE_DIR)
    if not session.last_pages:  # a new process: start from the last build's numbers, as watch does
        saved = state.get("pages")
        if isinstance(saved, dict) and all(isinstance(v, int) for v in saved.values()):
            session.last_pages = saved
    pages = dict(session.last_pages)
    html, splitted = rendered({m: pages[m] for m in mark_ids if m in pages})
    if splitted is None:
        return _single_book(build, template)
    head, parts, tail = splitted
    if _OTHER_PAGE_NUMBERS.search(head):  # a template's own <style> referring to other pages' numbers
        return _single_book(build, template)
    composer = Composer(build, session, head, tail, bool(settings["tagged"]), state)
    composer.mark_ids = mark_ids
    composer.boxes = page_number_boxes(head, _linked_styles(build))

    def reglossed(known) -> list[Part] | None:
        again = rendered({m: known[m] for m in mark_ids if m in known})[1]
        return again[1] if again is not None else None

    first_round = not pages
    try:
        for _ in range(12):
            plan, parts, id_pages = composer.place(parts, pages, first_round, reglossed if mark_ids else None)
            first_round = False
            wanted = {t for p in parts for t in _refs(p)} | mark_ids
            new = {key: page for key, page in id_pages.items() if key in wanted}
            changed = new != pages
            if mark_ids:
                html2, splitted2 = rendered({m: new[m] for m in mark_ids if m in new})
                if splitted2 is None:
                    return _single_book(build, template)
                if [p.html for p in splitted2[1]] != [p.html for p in parts]:
                    parts, changed = splitted2[1], True
                html = html2  # the book HTML of these glossary pages
            if not changed:
                break
            pages = new
        else:
            raise RuntimeError("the book's page numbers did not settle")
        part_pages = {name: (first, first + laid.pages - 1) for name, first, laid in plan if name != "(blank)"}
        build.paged(part_pages)
        folios = composer.folios(plan)
    except _Unsplittable:
        return _single_book(build, template)
    finally:
        composer.close()
    session.last_pages = pages
    composer.write_state(pages, parts)

    identifier = composer.identifier
    for _, _, laid in plan:  # the parts showing page numbers are final now; earlier rounds' layouts are let go
        composer.write(laid)
    _evict(session, composer.used)
    _evict_disk(composer.folder, composer.used)
    placed = [(first, laid.layout) for _, first, laid in plan]
    page_names = [n for _, _, laid in plan for n in laid.layout.page_names]
    dates = pdf_dates(head)
    info = plan[0][2].layout.info
    parts_pdf = [(laid.layout, laid.pdf) for _, _, laid in plan]
    tagged = composer.tagged

    def make_pdf() -> bytes:
        return assemble(parts_pdf, info, dates, tagged, identifier, composer.folder,
                        None if folios is None else (folios.layout, folios.pdf))

    missing = {ch for _, _, laid in plan for ch in laid.layout.missing}
    overflows = [[first + page, *rest] for _, first, laid in plan for page, *rest in laid.layout.overflows]
    return Book(html, len(page_names), _page_map(placed), part_pages, page_names, make_pdf, missing, overflows)


def _evict(session: Session, used: set[str]) -> None:
    """Keep the parts this build used and the :data:`SPARE` most recently used others (written ones only:
    a layout from an earlier round whose PDF was never written is dropped with its pages)."""
    parts = session.parts
    for key in [k for k, laid in parts.items() if laid.pdf is None]:
        del parts[key]
    for key in let_go(parts, used, SPARE):
        del parts[key]
