"""The book PDF put together from its parts' PDFs (issue 11).

Each part of the book (:mod:`chapbook.typeset`) is written by WeasyPrint as a PDF of its own,
with a :class:`PartLayout` beside it: what the rest of the build needs to know about its pages
(ids, folios, bookmarks, where each page's text begins), as plain data. Both are kept on disk,
so a build in a new process reuses every part whose sources did not change and writes only the
parts it laid out again; :func:`assemble` joins them with pikepdf into the book:

- the pages in order (each part's fonts, images and annotations come with its pages);
- one ``/Dests`` name tree from every part's own anchors. A link to another part was kept by
  WeasyPrint only because :func:`write_part` gave the part a stand-in anchor of that name
  (``resolve_links`` drops a link whose anchor is not in its document); the stand-ins are left
  out here, so each link's ``/Dest`` name resolves to the real place in the book;
- one outline (bookmarks), nested over the whole book with WeasyPrint's own rule;
- the folios, where the parts were laid out without them: each page of the book's skeleton
  stamped on its page as an artifact (:mod:`chapbook.folios`);
- ``/PageLabels`` from the printed folios (:func:`chapbook.writers.pdf.label_ranges`);
- one structure tree: every part's ``/Document`` children under one ``/Document``, each part's
  ``/StructParents`` and ``/StructParent`` keys moved past the previous parts' keys;
- the document information of this build (title, authors, dates) and a fixed ``/ID``.

pikepdf writes the result with object streams and a deterministic second ``/ID``, so the same
parts give the same bytes whether they were laid out now or read from the cache.
"""

from __future__ import annotations

import dataclasses
import io
import json
import warnings
from pathlib import Path

from .cacheseal import sealed

FORMAT = 3  # of the JSON beside each part's PDF; part of every cache key


@dataclasses.dataclass
class PartLayout:
    """One part as laid out: what the build needs from its pages, page numbers local (1-based)."""

    pages: int
    ids: dict[str, int]  # every id → the page it first appears on (footnotes included)
    anchors: list[str]  # the part's own named destinations
    folios: list[str | None]  # each page's printed folio
    page_names: list[str]  # each page's @page name ("" if none)
    blank: list[bool]  # each page: a blank page WeasyPrint inserted (CSS ``:blank``)
    bookmarks: list[list[list]]  # per page: [level, label, x, y, state] in PDF points
    starts: list[list]  # per page: [anchor, offset, first words, blank] (chapbook.pagemap)
    flow_ids: dict[str, int]  # id → page, main text flow only (chapbook.pagemap.PageMap.id_pages)
    info: dict[str, str]  # title, author, subject, keywords, creator, lang
    resources: dict[str, str] = dataclasses.field(default_factory=dict)  # file → sha256, files the layout loaded
    missing: list[str] = dataclasses.field(default_factory=list)  # characters drawn as empty boxes (no font)
    overflows: list[list] = dataclasses.field(default_factory=list)  # [page, mm, words] past the text block
    seal: str = ""  # this user's seal of the PDF and this description (chapbook.cacheseal), when cached

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> PartLayout:
        return cls(**json.loads(text))


def describe(document) -> PartLayout:
    """A laid-out part's :class:`PartLayout`, read from WeasyPrint's pages (resources filled by the caller)."""
    from weasyprint.matrix import Matrix

    from .overflow import overflows
    from .pagemap import element_pages, page_map
    from .writers.pdf import printed_folios

    pages = document.pages
    starts = page_map(document)
    bookmarks = []
    for page in pages:
        matrix = Matrix(a=0.75, d=-0.75, f=page.height * 0.75)  # as WeasyPrint's write_pdf transforms them
        marks = []
        for level, label, (x, y), state in page.bookmarks:
            px, py = matrix.transform_point(x, y)
            marks.append([level, label, px, py, state])
        bookmarks.append(marks)
    meta = document.metadata
    info = {"title": meta.title or "", "author": ", ".join(meta.authors or ()), "subject": meta.description or "",
            "keywords": ", ".join(meta.keywords or ()), "creator": meta.generator or "", "lang": meta.lang or ""}
    return PartLayout(
        overflows=overflows(document),
        pages=len(pages), ids=element_pages(document),
        anchors=list(dict.fromkeys(name for page in pages for name in page.anchors)),
        folios=printed_folios(document),
        page_names=[getattr(getattr(page._page_box, "page_type", None), "name", "") or "" for page in pages],
        blank=[bool(getattr(getattr(page._page_box, "page_type", None), "blank", False)) for page in pages],
        bookmarks=bookmarks,
        starts=[[s.anchor, s.offset, s.words, s.blank] for s in starts.pages],
        flow_ids=dict(starts.id_pages), info=info)


def write_part(document, tagged: bool, identifier: bytes) -> tuple[bytes, list[str]]:
    """The part's PDF, keeping its links to other parts (see the module's doc), and the characters
    no font had (:func:`chapbook.writers.pdf.missing_glyphs`)."""
    from .writers.pdf import missing_glyphs

    pages = document.pages
    own = {name for page in pages for name in page.anchors}
    elsewhere = sorted({target for page in pages for kind, target, _, _ in page.links
                        if kind == "internal" and target not in own})
    with missing_glyphs() as missing:
        if elsewhere and pages:
            last = pages[-1]
            saved = dict(last.anchors)
            last.anchors.update({name: (0, 0, 0, 0) for name in elsewhere})
            try:
                data = document.write_pdf(pdf_identifier=identifier, pdf_tags=tagged)
            finally:
                last.anchors.clear()
                last.anchors.update(saved)
        else:
            data = document.write_pdf(pdf_identifier=identifier, pdf_tags=tagged)
    return data, sorted(missing)


class _Page:
    """What WeasyPrint's bookmark-tree builder reads of a page."""

    def __init__(self, bookmarks) -> None:
        self.bookmarks = [(level, label, (x, y), state) for level, label, x, y, state in bookmarks]


def _outline(out, tree, page_objects, parent=None):
    """WeasyPrint's ``add_outlines``, with pikepdf: the outline items of ``tree`` and their count."""
    import pikepdf

    count, items = len(tree), []
    for label, (page, x, y), children, state in tree:
        item = out.make_indirect(pikepdf.Dictionary(
            Title=pikepdf.String(label), Dest=pikepdf.Array([page_objects[page], pikepdf.Name.XYZ, x, y, 0])))
        kids, kids_count = _outline(out, children, page_objects, item)
        item.Count = -kids_count if state == "closed" else kids_count
        if state != "closed":
            count += kids_count
        if items:
            item.Prev = items[-1]
            items[-1].Next = item
        if kids:
            item.First, item.Last = kids[0], kids[-1]
        if parent is not None:
            item.Parent = parent
        items.append(item)
    return items, count


def _copy(out, source, obj):
    """``obj`` (an array or dictionary of another PDF) into ``out``, in one call to qpdf's copier: each
    object is copied once per source (a page reached twice is the same page); a direct object is
    first made indirect in its own PDF."""
    if not obj.is_indirect:
        obj = source.make_indirect(obj)
    return out.copy_foreign(obj)


def _bookmark_tree(parts: list[PartLayout]) -> list:
    from weasyprint.anchors import make_page_bookmark_tree
    from weasyprint.matrix import Matrix

    root: list = []
    skipped: list = []
    last_by_depth = [root]
    previous = 0
    number = 0
    for part in parts:
        for marks in part.bookmarks:
            previous = make_page_bookmark_tree(_Page(marks), skipped, last_by_depth, previous, number, Matrix())
            number += 1
    return root


def assemble(parts: list[tuple[PartLayout, bytes]], info: dict[str, str], dates: dict[str, str | None],
             tagged: bool, identifier: bytes, cache: Path | None = None,
             folios: tuple[PartLayout, bytes] | None = None) -> bytes:
    """The book PDF from its parts, in order: ``(layout, the part's PDF)`` each; ``cache``: a folder for
    the merged fonts (:mod:`chapbook.fontmerge`); ``folios``: the skeleton whose pages are stamped
    on the book's (:mod:`chapbook.folios`), when the parts were laid out without their folios."""
    import pikepdf
    from weasyprint import __version__ as weasyprint_version

    from .folios import stamp
    from .fontmerge import merge_fonts
    from .writers.pdf import label_ranges

    out = pikepdf.new()
    dests: list[tuple[str, object]] = []
    kids: list = []
    nums: list = []
    next_key = 0
    printed: list[str | None] = []
    namespaces = None
    opened = Opened.get()
    for layout, data in parts:
        source = opened.open(data)
        start = len(out.pages)
        with warnings.catch_warnings():  # named destinations, links and outline are rebuilt below
            warnings.simplefilter("ignore", getattr(pikepdf, "PageCopyWarning", UserWarning))
            out.pages.extend(source.pages)
        printed.extend(layout.folios)
        names = source.Root.get("/Names")
        if names is not None and "/Dests" in names:
            own = set(layout.anchors)
            tree = _copy(out, source, names.Dests)  # the whole name tree in one copy, then only the part's own names
            for name, dest in pikepdf.NameTree(tree).items():
                if name in own:
                    dests.append((name, dest))
        root = source.Root.get("/StructTreeRoot")
        if tagged and root is not None:
            if namespaces is None and "/Namespaces" in root:
                namespaces = _copy(out, source, root.Namespaces)
            keys = 0
            flat = list(_copy(out, source, root.ParentTree).Nums)
            for i in range(0, len(flat), 2):
                nums.extend([next_key + int(flat[i]), flat[i + 1]])
                keys = max(keys, int(flat[i]) + 1)
            for page in out.pages[start:]:
                obj = page.obj
                if "/StructParents" in obj:
                    obj.StructParents = next_key + int(obj.StructParents)
                for annot in obj.get("/Annots", ()):
                    if "/StructParent" in annot:
                        annot.StructParent = next_key + int(annot.StructParent)
            for document in _copy(out, source, root.K):
                kids.extend(document.K)
            next_key += keys
    if dests:
        flat_names = pikepdf.Array([item for name, dest in sorted(dests, key=lambda item: item[0])
                                    for item in (pikepdf.String(name), dest)])  # built once: extend() copies
        out.Root.Names = pikepdf.Dictionary(Dests=pikepdf.Dictionary(Names=flat_names))
    tree = _bookmark_tree([layout for layout, _ in parts])
    if tree:
        outlines = out.make_indirect(pikepdf.Dictionary())
        items, count = _outline(out, tree, [page.obj for page in out.pages])
        outlines.Count, outlines.First, outlines.Last = count, items[0], items[-1]
        for item in items:
            item.Parent = outlines
        out.Root.Outlines = outlines
    if folios is not None:
        stamp(out, folios[1], folios[0].blank)
        printed = folios[0].folios
    labels = pikepdf.Array()
    for index, style, first in label_ranges(printed):
        labels.extend([index, pikepdf.Dictionary(S=pikepdf.Name("/" + style), St=first)])
    out.Root.PageLabels = pikepdf.Dictionary(Nums=labels)
    if tagged and kids:
        document = out.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document,
                                                        K=pikepdf.Array(kids)))
        struct = out.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.StructTreeRoot, K=pikepdf.Array([document]),
            ParentTree=out.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(nums))), ParentTreeNextKey=next_key))
        if namespaces is not None:
            struct.Namespaces = namespaces
            document.NS = namespaces[0]
        document.P = struct
        for kid in kids:
            kid.P = document
        out.Root.StructTreeRoot = struct
        out.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
        out.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
    if info.get("lang"):
        out.Root.Lang = pikepdf.String(info["lang"])
    docinfo = {"/Producer": f"WeasyPrint {weasyprint_version} + pikepdf", "/Title": info.get("title"),
               "/Author": info.get("author"), "/Subject": info.get("subject"), "/Keywords": info.get("keywords"),
               "/Creator": info.get("creator"), "/CreationDate": dates.get("created"),
               "/ModDate": dates.get("modified")}
    for key, value in docinfo.items():
        if value:
            out.docinfo[key] = pikepdf.String(value)
    merge_fonts(out, cache)
    out.trailer.ID = pikepdf.Array([pikepdf.String(identifier), pikepdf.String(identifier)])
    buffer = io.BytesIO()
    out.save(buffer, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate, min_version="1.7")
    opened.release()  # after saving: qpdf reads a copied stream's data from its source then
    _retire(out)
    return buffer.getvalue()


_retired: list = []


def _retire(book) -> None:
    """Keep the joined book's objects until :func:`free_retired` (or the next book) lets them go: freeing
    the 65,000 objects of the reader at 10× takes 0.1 s, which ``watch`` spends after the new PDF is in
    place rather than before. At most one book is kept."""
    _retired[:] = [book]


def free_retired() -> None:
    """Let the last joined book's objects go (``watch`` calls this once a rebuild has been reported)."""
    _retired.clear()


class Opened:
    """The parts' PDFs as pikepdf opened them, kept between the books of one process (``build.py watch``):
    opening the 85 parts of the reader at 10× cost 0.16 s of each rebuild, for 84 unchanged parts.

    Keyed by the digest of a part's bytes (and which of the parts with those bytes);
    :func:`assemble` only copies from them (a direct object it copies is made indirect in the source
    first, which changes nothing the part holds). Those the last book used are kept, and
    :data:`SPARE` others.
    """

    SPARE = 16
    _kept: Opened | None = None

    def __init__(self) -> None:
        from collections import OrderedDict

        self.pdfs: OrderedDict = OrderedDict()
        self.used: set[tuple[bytes, int]] = set()
        self.times: dict[bytes, int] = {}  # parts of these bytes opened by this book so far
        self.opened = 0  # PDFs opened (not kept): what tests count

    @classmethod
    def get(cls) -> Opened:
        if cls._kept is None:
            cls._kept = cls()
        cls._kept.used, cls._kept.times = set(), {}
        return cls._kept

    def open(self, data: bytes):
        import hashlib

        import pikepdf

        digest = hashlib.sha256(data).digest()
        key = (digest, self.times.get(digest, 0))  # a part twice (blank pages): opened
        self.times[digest] = key[1] + 1
        self.used.add(key)  # twice, else qpdf would copy the same pages once and use them at both places
        if key in self.pdfs:
            self.pdfs.move_to_end(key)
            return self.pdfs[key]
        self.opened += 1
        self.pdfs[key] = pikepdf.open(io.BytesIO(data))
        return self.pdfs[key]

    @classmethod
    def forget(cls) -> None:
        """Close every kept PDF (a clean build follows)."""
        if cls._kept is not None:
            for pdf in cls._kept.pdfs.values():
                pdf.close()
            cls._kept = None

    def release(self) -> None:
        from .outfiles import let_go

        for key in let_go(self.pdfs, self.used, self.SPARE):
            self.pdfs.pop(key).close()


def pdf_dates(head: str) -> dict[str, str | None]:
    """The book's dcterms.created/modified from its HTML head, as PDF dates (as WeasyPrint writes them)."""
    import re

    from weasyprint.pdf import _w3c_date_to_pdf

    dates: dict[str, str | None] = {}
    for name in ("created", "modified"):
        m = re.search(rf'<meta name="dcterms\.{name}" content="([^"]*)"', head)
        dates[name] = _w3c_date_to_pdf(m.group(1), name) if m and m.group(1) else None
    return dates


def read_cached(folder: Path, key: str, description: str | None = None) -> tuple[PartLayout, bytes] | None:
    """A part from the disk cache, or None (missing, unreadable or from another format);
    ``description``: its ``KEY.json`` as already read."""
    try:
        if description is None:
            description = (folder / f"{key}.json").read_text(encoding="utf-8")
        layout = PartLayout.from_json(description)
        data = (folder / f"{key}.pdf").read_bytes()
    except (OSError, ValueError, TypeError):
        return None
    tag, layout.seal = layout.seal, ""
    if not sealed(tag, key.encode("ascii"), data, layout.to_json().encode("utf-8")):
        return None  # planted, damaged, moved from another key or another user's
    return layout, data
