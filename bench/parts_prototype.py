"""Feasibility prototype (issue 11): the book PDF laid out part by part and composed.

Renders the book HTML as chapbook does, splits it into one HTML document per
top-level child of <body> (each with the full <head>), lays each out with
WeasyPrint at its first page number and side, fills the page references in
Python, composes one PDF two ways, checks it against today's single layout
and times it all. Prints figures and writes bench/results-parts.md.

Usage: python bench/parts_prototype.py [SCALE ...]   (default: 1; 10 uses build_speed's scaled reader)

Nothing here is used by chapbook; it only imports chapbook's own functions.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import pickle
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")  # identical renders → identical chunk HTML

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from build_speed import ROOT, scaled_project

from chapbook.diagnostics import Report
from chapbook.pagemap import element_pages
from chapbook.pipeline import Build, Progress, prepare
from chapbook.render import glossary_marks, render_book_html
from chapbook.writers.pdf import add_page_labels, layout, pdf_options, printed_folios, typeset

# ---- 1. Split ---------------------------------------------------------------------------------------

TOP = re.compile(r"<(/?)(section|nav)\b[^>]*>")


@dataclasses.dataclass
class Chunk:
    name: str  # id, or class:NAME for the id-less half-title
    html: str  # the top-level element's source


def split(html: str) -> tuple[str, list[Chunk], str]:
    """head (through <body ...>), the top-level sections/navs of the body, tail (</body></html>)."""
    body = re.search(r"<body[^>]*>", html)
    end = html.rindex("</body>")
    depth, start, chunks, last = 0, 0, [], body.end()
    for m in TOP.finditer(html, body.end(), end):
        if not m.group(1):
            if depth == 0:
                assert not html[last:m.start()].strip(), html[last:m.start()][:200]
                start = m.start()
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                src = html[start:m.end()]
                ident = re.search(r'\bid="([^"]+)"', src[:src.index(">")])
                cls = re.search(r'\bclass="([^" ]+)', src[:src.index(">")])
                chunks.append(Chunk(ident.group(1) if ident else f"class:{cls.group(1)}", src))
                last = m.end()
    assert not html[last:end].strip()
    return html[:body.end()], chunks, html[end:]


# ---- 3. Page references filled in Python -------------------------------------------------------------

PAGEREF = re.compile(r'<a class="pageref" href="#([^"]+)"')
TOCREF = re.compile(r'(<li class="toc-[a-z]+"><a href="#([^"]+)")')
HREF = re.compile(r'href="#([^"]+)"')
# Stylesheets passed to render() are of *user* origin: they lose to print.css unless !important.
REF_CSS = ("a.pageref[data-page]::after { content: attr(data-page) !important; }\n"
           ".contents a[data-page]::after { content: leader('. ') attr(data-page) !important; }\n")


def has_refs(chunk: Chunk) -> bool:
    return 'class="pageref"' in chunk.html or chunk.name == "contents"


def fill_refs(src: str, pages: dict[str, int]) -> str:
    """target-counter() references → data-page="N" (shown by REF_CSS); unknown targets stay as they are."""
    src = PAGEREF.sub(lambda m: m.group(0) + (f' data-page="{pages[m.group(1)]}"' if m.group(1) in pages else ""), src)
    return TOCREF.sub(lambda m: m.group(1) + (f' data-page="{pages[m.group(2)]}"' if m.group(2) in pages else ""),
                      src)


# ---- 2. Layout of one chunk --------------------------------------------------------------------------

BLANK_CSS = ("@page { @top-left { content: none !important } @top-right { content: none !important } "
             "@bottom-left { content: none !important } @bottom-right { content: none !important } }\n")


def chunk_css(first: int, refs: bool) -> str:
    side = "right" if first % 2 else "left"  # page 1 (the cover) is a right-hand page
    return (f"@page :first {{ counter-reset: page {first}; }}\nhtml {{ break-before: {side}; }}\n"
            + (REF_CSS if refs else ""))


@dataclasses.dataclass
class Laid:
    key: str
    document: object
    first: int
    pages: int
    seconds: float


class Composer:
    """Lays out chunks at their first pages, memoised by (chunk HTML, first page): the in-memory cache."""

    def __init__(self, build: Build, head: str, tail: str) -> None:
        self.build, self.head, self.tail = build, head, tail
        self.cache: dict[str, Laid] = {}
        self.layouts = 0
        self.layout_seconds = 0.0
        self.breaks: dict[str, str] = {}
        self.sources: dict[str, tuple[str, str]] = {}  # cache key → (body, css), for the pool

    def doc(self, body: str) -> str:
        return self.head + "\n" + body + "\n" + self.tail

    def probe_breaks(self, chunks: list[Chunk]) -> None:
        """Each chunk's own break-before, from one cheap layout of the body's empty top-level elements."""
        todo = [c for c in chunks if c.name not in self.breaks]
        if not todo:
            return
        skeleton = "".join(c.html[:c.html.index(">") + 1] + f"</{(c.html[1:4] == 'nav' and 'nav') or 'section'}>"
                           for c in todo)
        document = layout(self.build, self.doc(skeleton))
        kids, seen = [], set()
        for page in document.pages:
            for body_box in page._page_box.children[0].children:
                for b in body_box.children:
                    element = getattr(b, "element", None)
                    if element is not None and element.tag in ("section", "nav") and id(element) not in seen:
                        seen.add(id(element))
                        kids.append(b)
        for c, box in zip(todo, kids, strict=True):
            self.breaks[c.name] = box.style["break_before"]

    def lay(self, body: str, first: int, css: str, name: str) -> Laid:
        key = hashlib.sha256((body + "\0" + css).encode()).hexdigest()
        if key not in self.cache:
            start = time.perf_counter()
            document = layout(self.build, self.doc(body), css=css)
            seconds = time.perf_counter() - start
            self.layouts += 1
            self.layout_seconds += seconds
            self.cache[key] = Laid(key, document, first, len(document.pages), seconds)
            self.sources[key] = (body, css)
        return self.cache[key]

    def plan(self, chunks: list[Chunk], pages: dict[str, int]) -> list[tuple[str, Laid]]:
        """Lay out every chunk in order (from the cache where unchanged); blank pages where a side is forced."""
        self.probe_breaks(chunks)
        out, page = [], 1
        for c in chunks:
            want = self.breaks[c.name]
            if (want in ("right", "recto") and page % 2 == 0) or (want in ("left", "verso") and page % 2 == 1):
                out.append(("(blank)", self.lay("", page, chunk_css(page, False) + BLANK_CSS, "(blank)")))
                page += 1
            refs = has_refs(c)
            body = fill_refs(c.html, pages) if refs else c.html
            laid = self.lay(body, page, chunk_css(page, refs), c.name)
            out.append((c.name, laid))
            page += laid.pages
        return out


def id_pages(plan: list[tuple[str, Laid]], ids: set[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for _, laid in plan:
        for key, local in element_pages(laid.document, ids - found.keys()).items():
            found[key] = laid.first + local - 1
    return found


def compose_layout(build: Build, composer: Composer, converted) -> tuple[list[tuple[str, Laid]], int]:
    """Render → split → lay out → fill references, until stable. Returns the plan and the iterations."""
    publication = build.publication
    mark_ids = {m for c in converted for _, m in c.glossary_marks}
    html = render_book_html(publication, converted, glossary_pages={})
    head, chunks, tail = split(html)
    composer.head, composer.tail = head, tail
    wanted = {t for c in chunks if has_refs(c) for t in HREF.findall(c.html)} | mark_ids
    pages: dict[str, int] = {}
    plain = glossary_marks(publication, converted, {})
    for iteration in range(1, 8):
        plan = composer.plan(chunks, pages)
        new = id_pages(plan, wanted)
        if mark_ids:
            gp = {m: new[m] for m in mark_ids if m in new}
            if glossary_marks(publication, converted, gp) != plain:
                _, chunks2, _ = split(render_book_html(publication, converted, glossary_pages=gp))
                if [c.html for c in chunks2] != [c.html for c in chunks]:
                    chunks = chunks2
                    wanted |= {t for c in chunks if has_refs(c) for t in HREF.findall(c.html)}
                    new = None
        if new is not None and new == pages:
            return plan, iteration
        pages = new if new is not None else pages
    raise RuntimeError("page references did not settle")


def composed_document(plan):
    pages = [p for _, laid in plan for p in laid.document.pages]
    return plan[0][1].document.copy(pages)


# ---- 4b. Per-chunk PDFs merged with pikepdf ----------------------------------------------------------


def chunk_pdfs(build, plan) -> list[bytes]:
    options = pdf_options(build.publication.config)
    return [laid.document.write_pdf(**options) for _, laid in plan]


def merge_pikepdf(pdfs: list[bytes]) -> bytes:
    import pikepdf

    out = pikepdf.new()
    for data in pdfs:
        src = pikepdf.open(io.BytesIO(data))
        if hasattr(out, "add_pages_from"):  # keeps each chunk's named destinations
            out.add_pages_from(src)
        else:
            out.pages.extend(src.pages)
    buf = io.BytesIO()
    out.save(buf, deterministic_id=True)
    return buf.getvalue()


_POOL_STATE: tuple | None = None


def _pool_job(index: int) -> tuple[int, bytes, int]:
    build, jobs = _POOL_STATE
    body, css = jobs[index]
    document = layout(build, body, css=css)
    return index, document.write_pdf(**pdf_options(build.publication.config)), len(document.pages)


def pool_layout(build, composer, plan, workers: int) -> tuple[float, list[bytes]]:
    """Lay out + write every chunk of a known plan in a forked pool (documents don't pickle: PDFs come back)."""
    global _POOL_STATE
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    jobs = [(composer.doc(b), css) for b, css in composer.last_bodies]
    _POOL_STATE = (build, jobs)
    start = time.perf_counter()
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        results = sorted(pool.map(_pool_job, range(len(jobs))))
    _POOL_STATE = None
    return time.perf_counter() - start, [r[1] for r in results]


# ---- 5. Checks ---------------------------------------------------------------------------------------


def page_texts(pdf: bytes) -> list[str]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", f.name, "-"], capture_output=True,
                              check=True).stdout.decode("utf-8")
    return [" ".join(p.split()) for p in text.split("\f")[:-1]]


def pdf_facts(pdf: bytes) -> dict:
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as p:
        links_internal = links_external = 0
        for page in p.pages:
            for annot in page.obj.get("/Annots", []):
                if annot.get("/Subtype") == "/Link":
                    if "/Dest" in annot or ("/A" in annot and annot.A.get("/S") == "/GoTo"):
                        links_internal += 1
                    else:
                        links_external += 1
        outline = []
        with p.open_outline() as ol:
            def walk(items, level):
                for it in items:
                    dest = it.destination
                    page_index = None
                    try:
                        if isinstance(dest, pikepdf.Array):
                            page_index = pikepdf.Page(dest[0]).index
                    except Exception:
                        pass
                    outline.append((level, it.title, page_index))
                    walk(it.children, level + 1)
            walk(ol.root, 1)
        fonts = set()
        for page in p.pages:
            for _name, font in page.obj.get("/Resources", {}).get("/Font", {}).items():
                fonts.add(str(font.get("/BaseFont")))
        struct = p.Root.get("/StructTreeRoot")
        kids = len(struct.K[0].K) if struct is not None and "/K" in struct else 0
        names = p.Root.get("/Names", {}).get("/Dests")
        return {"pages": len(p.pages), "internal_links": links_internal, "external_links": links_external,
                "outline": outline, "fonts": len(fonts), "struct_kids": kids,
                "has_struct": struct is not None, "page_labels": "/PageLabels" in p.Root,
                "named_dests": len(names.Names) // 2 if names is not None and "/Names" in names else 0}


def compare(base_pdf: bytes, new_pdf: bytes, base_folios, new_folios) -> list[str]:
    diffs = []
    a, b = page_texts(base_pdf), page_texts(new_pdf)
    if len(a) != len(b):
        diffs.append(f"page count {len(a)} vs {len(b)}")
    for i, (x, y) in enumerate(zip(a, b, strict=False), start=1):
        if x != y:
            k = next((j for j in range(min(len(x), len(y))) if x[j] != y[j]), min(len(x), len(y)))
            diffs.append(f"p. {i} text differs at {k}: …{x[max(0, k - 40):k + 40]!r} vs …{y[max(0, k - 40):k + 40]!r}")
    for i, (x, y) in enumerate(zip(base_folios, new_folios, strict=False), start=1):
        if x != y:
            diffs.append(f"p. {i} folio {x!r} vs {y!r}")
    return diffs


# ---- 6. The run --------------------------------------------------------------------------------------


def prepared(project: Path) -> tuple[Build, list]:
    report = Report()
    publication, converted = prepare(project, report, Progress(io.StringIO(), quiet=True), targets=["pdf"])
    if report.errors:
        raise SystemExit(f"{project}: {len(report.errors)} errors")
    return Build(publication, converted, project / "output", report), converted


def edited(converted, which: int, extra: str):
    """The converted parts with ``extra`` added to the first paragraph of the ``which``-th text."""
    texts = [i for i, c in enumerate(converted) if c.part.kind == "text"]
    i = texts[which]
    html = converted[i].html
    at = html.index("</p>")
    out = list(converted)
    out[i] = dataclasses.replace(converted[i], html=html[:at] + extra + html[at:])
    return out, converted[i].part.slug


def timed(fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


def run(project: Path, label: str) -> dict:
    build, converted = prepared(project)
    config = build.publication.config
    r: dict = {"label": label}

    # today: one document (typeset = render + layout, twice if the glossary lists a term on several pages)
    layout(build, "<html><body><p>warm</p></body></html>")  # fonts decoded once, as in both ways below
    r["today_typeset"], book = timed(typeset, build)
    r["today_layout"], _ = timed(layout, build, book.html)  # one layout of the final HTML
    r["today_write"], base_pdf = timed(lambda: book.document.write_pdf(finisher=add_page_labels,
                                                                       **pdf_options(config)))
    base_folios = printed_folios(book.document)
    r["pages"] = len(book.document.pages)
    try:
        pickle.dumps(book.document.pages[1])
        r["pickle"] = "a laid-out Page pickles"
    except Exception as error:
        r["pickle"] = f"a laid-out Page does not pickle ({type(error).__name__}: {str(error)[:80]})"

    # parts: cold
    composer = Composer(build, "", "")
    r["parts_cold"], (plan, iterations) = timed(compose_layout, build, composer, converted)
    r["iterations"], r["cold_layouts"], r["cold_layout_sum"] = iterations, composer.layouts, composer.layout_seconds
    r["chunks"] = len([n for n, _ in plan if n != "(blank)"])
    r["blanks"] = len([n for n, _ in plan if n == "(blank)"])
    r["plan"] = [(n, laid.first, laid.pages, laid.seconds) for n, laid in plan]
    final = [laid.seconds for _, laid in plan]
    r["final_layout_sum"] = sum(final)

    # 4a: one WeasyPrint document from every chunk's pages
    r["compose_a_write"], pdf_a = timed(lambda: composed_document(plan).write_pdf(finisher=add_page_labels,
                                                                                  **pdf_options(config)))
    folios_a = printed_folios(composed_document(plan))
    r["diffs_a"] = compare(base_pdf, pdf_a, base_folios, folios_a)
    r["facts_base"], r["facts_a"] = pdf_facts(base_pdf), pdf_facts(pdf_a)
    r["outline_same_a"] = r["facts_base"]["outline"] == r["facts_a"]["outline"]

    # 4b: per-chunk PDFs merged with pikepdf
    r["chunk_write_b"], pdfs = timed(chunk_pdfs, build, plan)
    r["merge_b"], pdf_b = timed(merge_pikepdf, pdfs)
    r["diffs_b"] = compare(base_pdf, pdf_b, base_folios, folios_a)  # folios checked on text only here
    r["facts_b"] = pdf_facts(pdf_b)
    r["outline_same_b"] = r["facts_base"]["outline"] == r["facts_b"]["outline"]

    # 6: edits (warm in-memory cache)
    for name, extra in (("edit_small", " (an added phrase)"),
                        ("edit_large", " " + "An added sentence that makes this paragraph longer. " * 60)):
        changed, slug = edited(converted, 1, extra)
        before = composer.layouts
        seconds, (plan2, it2) = timed(compose_layout, build, composer, changed)
        w, _ = timed(lambda plan2=plan2: composed_document(plan2).write_pdf(finisher=add_page_labels,
                                                                            **pdf_options(config)))
        r[name] = {"slug": slug, "seconds": seconds, "layouts": composer.layouts - before, "iterations": it2,
                   "pages": sum(laid.pages for _, laid in plan2), "write_a": w,
                   "relaid": [n for (n, laid) in plan2 if laid.key not in {lk.key for _, lk in plan}]}
        compose_layout(build, composer, converted)  # back to the original (from the cache)

    # 6: pool of two for the final plan's chunks (layout + write per chunk; fonts decoded per process after fork)
    composer.last_bodies = [composer.sources[laid.key] for _, laid in plan]
    r["seq_layout_write"] = sum(laid.seconds for _, laid in plan) + r["chunk_write_b"]
    r["pool2"], pool_pdfs = pool_layout(build, composer, plan, 2)
    r["pool_same"] = all(page_texts(x) == page_texts(y) for x, y in zip(pool_pdfs, pdfs, strict=True))
    return r


def report(results: list[dict], scales: list[int]) -> str:
    lines = ["# Parts laid out independently and composed (prototype, issue 11)", "",
             f"`python bench/parts_prototype.py {' '.join(map(str, scales))}` on {platform.machine()}, "
             f"{os.cpu_count()} cores, Python {platform.python_version()}, WeasyPrint 70. "
             "Seconds, one run each (shared machine: ±30 %).", "",
             "| | " + " | ".join(r["label"] for r in results) + " |", "|---" * (len(results) + 1) + "|"]

    def row(title, fmt):
        lines.append(f"| {title} | " + " | ".join(fmt(r) for r in results) + " |")

    row("pages", lambda r: str(r["pages"]))
    row("chunks (+ blank pages inserted)", lambda r: f"{r['chunks']} (+{r['blanks']})")
    row("today: typeset() (render + layout, ×2 if glossary pass)", lambda r: f"{r['today_typeset']:.2f}")
    row("today: one layout of the final HTML", lambda r: f"{r['today_layout']:.2f}")
    row("today: write_pdf", lambda r: f"{r['today_write']:.2f}")
    row("parts cold: whole loop (probe, layouts, refs)", lambda r: f"{r['parts_cold']:.2f}")
    row("parts cold: layouts done / their sum", lambda r: f"{r['cold_layouts']} / {r['cold_layout_sum']:.2f}")
    row("parts cold: iterations until stable", lambda r: str(r["iterations"]))
    row("parts: sum of final chunk layouts", lambda r: f"{r['final_layout_sum']:.2f}")
    row("(a) copy(all pages) → write_pdf", lambda r: f"{r['compose_a_write']:.2f}")
    row("(b) write_pdf per chunk (sum)", lambda r: f"{r['chunk_write_b']:.2f}")
    row("(b) pikepdf merge", lambda r: f"{r['merge_b']:.2f}")
    for name in ("edit_small", "edit_large"):
        row(f"{name}: loop s / layouts / iterations",
            lambda r, n=name: f"{r[n]['seconds']:.2f} / {r[n]['layouts']} / {r[n]['iterations']}")
        row(f"{name}: re-laid chunks", lambda r, n=name: ", ".join(r[n]["relaid"]) or "—")
        row(f"{name}: + (a) write_pdf", lambda r, n=name: f"{r[n]['write_a']:.2f}")
    row("layout+write per chunk: sequential sum", lambda r: f"{r['seq_layout_write']:.2f}")
    row("layout+write per chunk: fork pool of 2", lambda r: f"{r['pool2']:.2f} (same text: {r['pool_same']})")
    row("(a) differences from today", lambda r: str(len(r["diffs_a"])))
    row("(b) differences from today (text)", lambda r: str(len(r["diffs_b"])))
    for key in ("internal_links", "external_links", "named_dests", "fonts", "struct_kids", "page_labels"):
        row(f"{key}: today / (a) / (b)",
            lambda r, k=key: f"{r['facts_base'][k]} / {r['facts_a'][k]} / {r['facts_b'][k]}")
    row("outline entries: today / (a) / (b); same as today?",
        lambda r: f"{len(r['facts_base']['outline'])} / {len(r['facts_a']['outline'])} / "
                  f"{len(r['facts_b']['outline'])}; {r['outline_same_a']} / {r['outline_same_b']}")
    row("pickle", lambda r: r["pickle"])
    lines += ["", "## What worked, what did not", "",
              "- **Split / layout / fill:** one HTML document per top-level child of <body> with the full <head>; "
              "extra CSS per chunk `@page :first { counter-reset: page N }` + `html { break-before: left|right }`. "
              "Each chunk's own side comes from one cheap *probe* layout of the body's empty top-level elements "
              "(`break_before` of each box); where the side does not match the next page, the composer inserts a "
              "one-page blank chunk (empty body, all margin boxes `content: none`, as `@page :blank`). "
              "Page references: ids → pages from each chunk's layout (`chapbook.pagemap.element_pages`, offset by "
              "the chunk's first page), written as `data-page=\"N\"` and shown by "
              "`content: attr(data-page)` (contents: `leader('. ') attr(data-page)`). The glossary's one-mark-per-page "
              "list is recomputed from the same map (`render.glossary_marks`) and the HTML re-split; only chunks whose "
              "HTML or first page changed are laid out again (in-memory cache keyed by sha256(chunk HTML + CSS)).",
              "- **Trap:** stylesheets passed to `HTML.render(stylesheets=…)` (chapbook's `layout(css=…)`) are of "
              "*user* origin and lose to print.css: overriding rules need `!important` (counter-reset/break-before "
              "on html/@page :first work only because print.css sets neither).",
              "- **(a) `documents[0].copy(all pages).write_pdf()` works completely:** WeasyPrint collects fonts, "
              "links, named destinations, bookmarks and the tag tree from the *pages* at write time, so every chunk's "
              "fonts are embedded (same 3 fonts), links across chunks resolve (same internal-link and /Dests counts), "
              "the outline is identical, the StructTreeRoot has the same elements, and `add_page_labels` works "
              "on the composed document. Text, page count and folios equal today's book (0 differences).",
              "- **(a)'s limit:** `write_pdf` serialises the whole book every time (see the row; font subsetting and "
              "content streams), and laid-out pages cannot be kept between processes (a Page does not pickle: cffi "
              "Pango objects). So (a) gives fast edits only inside one process (`watch`), and never below one "
              "whole-book `write_pdf`.",
              "- **(b) per-chunk PDFs + pikepdf** gives the same text and folios, and `Pdf.add_pages_from` keeps "
              "the outline, but as measured it **loses** links across chunks (WeasyPrint drops a link whose anchor "
              "is not in its document: see internal_links), the /Dests name tree, /PageLabels and the structure "
              "tree (each chunk has its own StructTreeRoot; merged pages point into none). All are rebuildable in "
              "the merge (not done here): /Dests from each chunk's `page.anchors` (px → pt, y flipped), cross-chunk "
              "/Link annots from `page.links` ('internal' targets), /PageLabels from `printed_folios`, and the tag "
              "trees by concatenating each chunk's /Document kids under one root and renumbering /StructParent(s) "
              "and the /ParentTree keys by an offset per chunk (MCIDs are per page, unchanged).",
              "- **Pool:** documents do not pickle, so workers must return PDF bytes (+ page count, id→page map, "
              "folios, links/anchors as plain data): that is design (b). Measured (row above): no gain at 1× "
              "(the fork and per-process start "
              "eat it), 1.8× at 10×; but at 10× the pool's chunk PDFs did not all extract to the same text as the "
              "sequential ones (not yet explained: check before relying on the pool).",
              "- **Not yet explained:** (b)'s internal-link count is 115 at 1× and at 10× (should grow): the "
              "count or `add_pages_from` needs a look. The 10× small edit re-laid only 3 chunks but took 8.5 s: "
              "the prototype walks every chunk's boxes for ids on each of 3 rounds and re-renders the whole HTML; "
              "keep each part's id→page map with its cached layout.",
              "- **Page counts that change** shift every later chunk's folios, so today every later chunk is laid "
              "out again (edit_large). A page count change by an even number keeps every side; if folios were "
              "stamped by the composer instead of laid out per chunk, the chunk key would hold the first page's "
              "parity only and edit_large would re-lay only the edited text and the chunks showing page numbers.",
              "",
              "## Recommended design", "",
              "1. `render_book_html` as today; split the body into parts (the template's top-level elements). A part's "
              "side comes from its computed `break-before` (probe once per template/CSS, cached); the composer "
              "inserts blank pages.",
              "2. Cache per part, on disk under the output: key = sha256 of (part HTML after page numbers are "
              "filled in, the <head> and every stylesheet/font/image it loads, the extra CSS — first page number or "
              "only its parity if folios are stamped —, pdf settings, chapbook and WeasyPrint versions). Value: the "
              "part's PDF (written with pdf_tags) + a JSON sidecar: page count, id→local page, anchors "
              "(page, x, y), internal links (page, rect, target), bookmarks, folios.",
              "3. Page-dependent content (contents, imprint/sources p., corrections p., glossary pages, "
              "EPUB page list, "
              "handout pp.) is computed in Python from the sidecars and written into the HTML as literal numbers "
              "(`data-page` + `attr()`, or plain text), so only the parts that show page numbers are laid out "
              "again; iterate until page counts are stable (3 rounds here).",
              "4. Compose with pikepdf: `add_pages_from` per part, then write one /Dests tree, the cross-part "
              "links, the outline, /PageLabels and one merged StructTreeRoot; `deterministic_id`/fixed /ID so a "
              "cached and a clean build are byte-identical (a clean build composes the same cached-shape PDFs). "
              "Keep (a) (`copy(pages).write_pdf`) as the reference the tests compare (b) against: it is correct "
              "by construction.",
              "5. A pool returns part PDFs + sidecars; use it only where cores > 2 (measure at `os.cpu_count()`).",
              ]
    for r in results:
        lines += ["", f"## {r['label']}: differences", ""]
        for kind in ("a", "b"):
            diffs = r[f"diffs_{kind}"]
            lines.append(f"- ({kind}): " + ("none" if not diffs else f"{len(diffs)}"))
            lines += [f"  - {d}" for d in diffs[:30]]
        lines += ["", "Plan (name, first page, pages, layout s): "
                  + "; ".join(f"{n} {f} +{p} {s:.2f}" for n, f, p, s in r["plan"])]
    return "\n".join(lines) + "\n"


def main(scales: list[int]) -> None:
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for scale in scales:
            project = ROOT if scale == 1 else scaled_project(scale, Path(tmp))
            r = run(project, f"{scale}×")
            results.append(r)
            for k, v in r.items():
                if k not in ("plan", "facts_base", "facts_a", "facts_b"):
                    print(f"{r['label']} {k}: {v}", flush=True)
    text = report(results, scales)
    print(text)
    (ROOT / "bench" / "results-parts.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1])
