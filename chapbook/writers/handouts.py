"""Classroom handouts: one PDF per text, and all of them as one class pack.

Each handout is the text as the book prints it (same paragraph numbers, same
footnotes, same corrections), set on A4 (``handouts.paper``) for reading and
annotating: a header block with the reader's title, the text's title, author,
date, the full reference of the original publication and the rights line;
"page x of y" restarting at 1; a footer "From: READER, pp. 23–31" with the
text's real pages in the book (taken from the book's layout); the text's
references; the glossary entries of exactly the terms marked in this text;
and the discussion questions with ruled lines to write on.

Ids of the handout's own targets (glossary entries, references) are
prefixed with the text's slug, and the glossary marks and citations are
pointed at them, so every link stays inside its handout, also in the class
pack, which is the handouts' PDFs put together with pypdf (a blank page after
a handout with an odd number of pages, so each starts on a right-hand page
when the pack is printed double-sided).

Content-hash cache: ``output/handouts/.cache.json`` records, for each file,
the hash of everything it was made from (its HTML, the stylesheets, the
template, the fonts, images, the settings, chapbook's and WeasyPrint's
versions, SOURCE_DATE_EPOCH) and the hash of the file written. A handout is
re-rendered unless both still match. Without SOURCE_DATE_EPOCH a kept
handout keeps the creation date it was made with.

Rendering shares ``build.cache`` and one FontConfiguration between the
handouts (decoding the fonts once). They are rendered by the build's worker
processes (:mod:`chapbook.workers`, ``CHAPBOOK_JOBS``, one per core), which
a build starting from ``POOL_FROM`` handouts to render forks if the book's
parts have not; the build's own process renders those no worker has started
when it gets to them. In a full build they are handed to the workers as soon
as the book's composition has placed every text (:meth:`HandoutsWriter.ahead`:
their footers show the texts' pages), so they are laid out while the rest of
the book is, and while it is joined and the EPUB, booklet and print-shop PDF
are written.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from string import Formatter
from urllib.parse import urljoin

from markupsafe import Markup

from .. import __version__, htmltree
from ..cacheseal import seal, sealed
from ..config import handout_settings, parse_paper
from ..fetcher import ProjectFetcher
from ..outfiles import atomic_path, remove
from ..projectfiles import read_regular
from ..render import (
    PACKAGE_ROOT,
    book_context,
    build_date,
    glossary_items,
    in_language,
    print_footnotes,
    template_env,
    title_of,
)
from ..workers import cancel, gather, longest_first
from .pdf import layout, pdf_identifier

TEMPLATE = "handout.html.j2"
STYLES = ("print.css", "handout.css", "custom.css")  # in cascade order; custom.css only if the project has one
CACHE_FILE = ".cache.json"
CACHE_FORMAT = 1
POOL_FROM = 3  # handouts to render from which worker processes are used
_BUILT = "chapbook-build-date-7f1c2e9a"  # stands for the build date while the cache key is computed


@dataclass(frozen=True)
class Handout:
    slug: str
    title: str  # as shown, editors' titles in [brackets]
    html: str
    key: str  # content hash of every input
    target: Path = field(repr=False)
    pages: tuple[int, int]  # the text's pages in the book


def page_range(pages: tuple[int, int], words: Mapping[str, str]) -> str:
    """'p. 23' or 'pp. 23–31', in the book's words (required: no English default)."""
    first, last = pages
    if first == last:
        return f"{words['page']}\u00a0{first}"
    return f"{words['pages']}\u00a0{first}\u2013\u2060{last}"  # never "23– / 31"


def localise_links(html: str, slug: str) -> str:
    """Point glossary marks and citations at the handout's own glossary and references."""
    root = htmltree.parse_fragment(html)
    for a in root.iter("a"):
        href = a.get("href", "")
        if href.startswith(("#gl-", "#ref-")):
            a.set("href", f"#{slug}-{href[1:]}")
    return htmltree.serialize(root)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_hashes(paths: list[Path]) -> dict[str, str]:
    return {str(p): _sha(read_regular(p)) for p in sorted(set(paths))}  # a FIFO would block


class _Inputs:
    """What every handout is made from besides its HTML: styles, template, fonts, versions."""

    def __init__(self, build, settings: dict, env) -> None:
        from ..typeset import layout_version

        publication = build.publication
        self.fetcher = ProjectFetcher.for_project(publication.root)
        self.base = publication.root.resolve().as_uri() + "/"
        styles = [p for name in STYLES if (p := self.fetcher.resolve(f"chapbook-style:{name}"))]
        fonts = [p for d in (publication.root / "styles" / "fonts", PACKAGE_ROOT / "styles" / "fonts")
                 if d.is_dir() for p in d.iterdir() if p.is_file()]
        template = Path(env.get_template(TEMPLATE).filename)
        self.common = json.dumps({
            "format": CACHE_FORMAT, "chapbook": __version__, "layout": layout_version(),  # WeasyPrint's, the code's
            "files": _file_hashes(styles + fonts + [template]), "settings": settings,
            "identifier": publication.config.identifier,
            "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH", ""),
        }, sort_keys=True)

    def key(self, html: str) -> str:
        """The content hash of one handout: its HTML, the images it shows, and the common inputs."""
        images = [p for src in re.findall(r'\ssrc="([^"]+)"', html)
                  if (p := self.fetcher.resolve(urljoin(self.base, src)))]
        return _sha(json.dumps([self.common, html, _file_hashes(images)]).encode("utf-8"))


def handouts(build, settings: dict | None = None,
             ranges: dict[str, tuple[int, int]] | None = None) -> list[Handout]:
    """The HTML of every text's handout, with its content hash (nothing is laid out here but the book);
    ``ranges``: the texts' pages in the book (:func:`text_pages`), if known before the book is done
    (:meth:`Build.paged`)."""
    publication = build.publication
    config = publication.config
    settings = settings or handout_settings(config)
    env = in_language(template_env(publication.root), config)
    template = env.get_template(TEMPLATE)
    inputs = _Inputs(build, settings, env)
    texts = [c for c in build.converted if c.part.kind == "text"]
    ranges = text_pages(build, build.book().part_pages) if ranges is None else ranges
    context = book_context(publication, build.converted)
    width, height = parse_paper(settings["paper"])
    out = build.output / "handouts"
    result = []
    for c in texts:
        p = c.part
        glossary = [(item, [place for m, _ in item.marks if (place := c.place(m, config.words["note"]))])
                    for item in glossary_items(publication, [c]) if item.marks]
        pages = ranges.get(p.slug)
        html = template.render(
            **context, p=p, settings=settings, page_width=width, page_height=height,
            body=Markup(print_footnotes(localise_links(c.html, p.slug), p.lang or config.language)),
            handout_glossary=glossary, glossary_slugs={item.entry.slug for item, _ in glossary},
            pages_text=page_range(pages, config.words) if pages else "",
            from_line=f"{config.words['from']} {config.title}" + (f", {page_range(pages, config.words)}"
                                                                   if pages else ""),
            page_footer=page_footer(config.words),
            css_string=css_string, built_iso=_BUILT)
        key = inputs.key(html)
        html = html.replace(_BUILT, build_date().strftime("%Y-%m-%dT%H:%M:%SZ"))
        result.append(Handout(p.slug, title_of(p), html, key, out / f"{p.slug}.pdf", pages or (0, 0)))
    return result


def text_pages(build, part_pages: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    """Each text's first and last page in the book, by slug (what a handout's footer shows)."""
    return {c.part.slug: part_pages[f"part-{c.part.slug}"] for c in build.converted
            if c.part.kind == "text" and f"part-{c.part.slug}" in part_pages}


def page_footer(words: Mapping[str, str]) -> Markup:
    """The CSS ``content`` of a handout's "page 2 of 4", in the book's words (the spaces around the
    numbers kept)."""
    def quoted(text: str) -> str:
        return _css_quoted(re.sub(r"\s+", " ", text))

    pieces, literal = [], ""
    for text, name, _, _ in Formatter().parse(words["page_of_pages"]):
        literal += text
        if name in ("page", "pages"):
            pieces += [quoted(literal)] if literal else []
            pieces.append(f"counter({name})")
            literal = ""
    return Markup(" ".join(pieces + ([quoted(literal)] if literal else [])))


def css_string(text: str) -> str:
    """A CSS string literal for ``content:`` (margin boxes), its whitespace collapsed and trimmed."""
    return _css_quoted(" ".join(text.split()))


def _css_quoted(text: str) -> str:
    """``text`` as a CSS string literal for a <style> element: every character but letters, digits and
    spaces is a CSS escape, so no text can close the string, the rule or the element (``</style>``)
    (the quote and backslash alone were escaped here before: a "</style>" in a title passed)."""
    return '"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):06x}" for c in text) + '"'


# ---- Rendering --------------------------------------------------------------------------------

def handout_identifier(config, slug: str) -> bytes:
    """A stable PDF /ID per handout, from the book's."""
    return hashlib.md5(pdf_identifier(config) + b":handout:" + slug.encode("utf-8"),
                       usedforsecurity=False).hexdigest().encode("ascii")


def render_pdf(build, handout: Handout, share_fonts: bool = True) -> bytes:
    document = layout(build, handout.html, shared_fonts=share_fonts)
    return document.write_pdf(pdf_identifier=handout_identifier(build.publication.config, handout.slug))


def _render_in_worker(build, handout: Handout) -> bytes:
    """:func:`render_pdf` as a worker's task: pickled by this name, it looks ``render_pdf`` up in the
    worker when it runs (a stand-in a test put there included, which could not be pickled itself)."""
    return render_pdf(build, handout)


def submit(build, todo: list[Handout], jobs: int | None = None) -> list:
    """Each handout of ``todo`` handed to the build's workers (:mod:`chapbook.workers`): its future,
    or None where it is to be rendered here. A pool is forked for ``POOL_FROM`` handouts or more
    (``jobs``: None as ``CHAPBOOK_JOBS`` says, 1 for none); one already running takes any number.
    The longest are handed over first (:func:`chapbook.workers.longest_first`)."""
    futures: list = [None] * len(todo)
    if jobs == 1:
        return futures
    workers = build.workers
    for index in longest_first([h.html for h in todo]):
        futures[index] = workers.submit(_render_in_worker, todo[index], fork=len(todo) >= POOL_FROM)
    return futures


def render_all(build, todo: list[Handout], jobs: int | None = None, futures: list | None = None) -> list[bytes]:
    """The PDFs of ``todo``, in order: from the workers (``futures``, from :func:`submit`: submitted now
    if None), and here for those no worker has started yet, or that a worker failed."""
    with build.workers.scope():
        if futures is None:
            futures = submit(build, todo, jobs)
        return gather(futures, lambda index: render_pdf(build, todo[index]))


# ---- The class pack -------------------------------------------------------------------------


def class_pack(build, members: list[tuple[Handout, bytes]]) -> bytes:
    """The handouts as one PDF: each starts on a right-hand page; one bookmark per handout."""
    from pypdf import PdfReader, PdfWriter

    from .booklet import finish

    writer = PdfWriter()
    for index, (handout, pdf) in enumerate(members):
        start = len(writer.pages)
        writer.append(PdfReader(io.BytesIO(pdf)), import_outline=False)
        writer.add_outline_item(title=handout.title, page_number=start)
        if len(writer.pages) % 2 and index < len(members) - 1:
            last = writer.pages[-1]
            writer.add_blank_page(float(last.mediabox.width), float(last.mediabox.height))
    finish(writer, build, f"{build.publication.config.title}: class pack", ":class-pack")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# ---- The cache ------------------------------------------------------------------------------


def _load_cache(path: Path) -> dict[str, dict[str, str]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT or not isinstance(data.get("files"), dict):
        return {}
    return data["files"]


def _fresh(target: Path, key: str, cache: dict) -> bytes | None:
    """The file's bytes if it was made from exactly these inputs and is unchanged since; else None."""
    entry = cache.get(target.name)
    if not isinstance(entry, dict) or entry.get("key") != key or not target.is_file() \
            or not sealed(entry.get("seal"), target.name.encode("utf-8"), key.encode("utf-8"),
                          str(entry.get("sha256")).encode("utf-8")):  # not this user's (chapbook.cacheseal)
        return None
    data = target.read_bytes()
    return data if _sha(data) == entry.get("sha256") else None


def _entry(name: str, key: str, data: bytes) -> dict[str, str]:
    """A cache entry, sealed so that a cache file that came with a project is not trusted."""
    sha = _sha(data)
    tag = seal(name.encode("utf-8"), key.encode("utf-8"), sha.encode("utf-8"))
    return {"key": key, "sha256": sha, **({"seal": tag} if tag else {})}


@dataclass
class _Plan:
    """What a handouts build does: every handout, the cache as found, those kept and those to render."""

    settings: dict
    items: list[Handout]
    old: dict
    kept: dict[str, bytes]
    todo: list[Handout]
    pages: dict[str, tuple[int, int]]  # the texts' pages the footers show

    @classmethod
    def make(cls, build, part_pages: dict[str, tuple[int, int]] | None = None) -> _Plan:
        settings = handout_settings(build.publication.config)
        pages = text_pages(build, build.book().part_pages if part_pages is None else part_pages)
        items = handouts(build, settings, pages)
        old = _load_cache(build.output / "handouts" / CACHE_FILE)
        kept = {h.slug: data for h in items if (data := _fresh(h.target, h.key, old)) is not None}
        return cls(settings, items, old, kept, [h for h in items if h.slug not in kept], pages)


class HandoutsWriter:
    name = "handouts"
    description = "one classroom handout per text (output/handouts/SLUG.pdf) and the class pack"

    def __init__(self) -> None:
        self.started: tuple | None = None  # (build, plan, futures): what ahead() handed to the workers

    def _started(self, build) -> tuple:
        """The plan and futures :meth:`ahead` started for this build, or (None, None)."""
        if self.started is None or self.started[0] is not build:
            return None, None
        return self.started[1], self.started[2]

    def ahead(self, build, part_pages: dict[str, tuple[int, int]], final: bool = True) -> None:
        """The handouts to render handed to the build's workers as soon as every text's pages are known
        (:meth:`chapbook.pipeline.Build.paged`: in the composition's first round, if nothing moves
        them after); :meth:`write` takes them. Called again with other pages for the texts, the
        handouts not started are dropped and handed over again. Anything that goes wrong here is
        left for :meth:`write`, which does it again and reports it."""
        try:
            pages = text_pages(build, part_pages)
            if not final and len(pages) < sum(c.part.kind == "text" for c in build.converted):
                return  # texts not placed yet
            plan, futures = self._started(build)
            if plan is not None:
                if plan.pages == pages:
                    return
                cancel(futures)
            plan = _Plan.make(build, part_pages)
            self.started = (build, plan, submit(build, plan.todo))
        except Exception:
            self.started = None

    def write(self, build, jobs: int | None = None) -> list[Path]:
        plan, futures = self._started(build)
        self.started = None
        if plan is None or plan.pages != text_pages(build, build.book().part_pages):  # pages moved since
            cancel(futures)
            plan, futures = _Plan.make(build), None
        settings, items, old, kept, todo = plan.settings, plan.items, plan.old, plan.kept, plan.todo
        folder = build.output / "handouts"
        cache_path = folder / CACHE_FILE
        made = dict(zip([h.slug for h in todo], render_all(build, todo, jobs, futures), strict=True))
        new: dict[str, dict[str, str]] = {}
        written: list[Path] = []
        for h in items:
            data = kept.get(h.slug) or made[h.slug]
            if h.slug in made:
                with atomic_path(h.target) as tmp:
                    tmp.write_bytes(data)
            new[h.target.name] = _entry(h.target.name, h.key, data)
            written.append(h.target)
        if settings["class_pack"] and items:
            target = folder / f"{build.name}-class-pack.pdf"
            key = _sha(json.dumps([CACHE_FORMAT, __version__, [(h.slug, h.title, new[h.target.name]["sha256"])
                                  for h in items], build.publication.config.title,
                                  build.publication.config.identifier,
                                  os.environ.get("SOURCE_DATE_EPOCH", "")]).encode("utf-8"))
            data = _fresh(target, key, old)
            if data is None:
                data = class_pack(build, [(h, kept.get(h.slug) or made[h.slug]) for h in items])
                with atomic_path(target) as tmp:
                    tmp.write_bytes(data)
            new[target.name] = _entry(target.name, key, data)
            written.append(target)
        for name in set(old) - set(new):  # files this writer made for texts no longer in the reader
            entry = old[name] if isinstance(old[name], dict) else {}
            if not sealed(entry.get("seal"), name.encode("utf-8"), str(entry.get("key")).encode("utf-8"),
                          str(entry.get("sha256")).encode("utf-8")):
                continue  # a cache this user did not write names no file to delete
            stale = folder / name
            if stale.suffix == ".pdf" and stale.parent == folder:
                remove(stale)  # never through a link (outfiles.remove)
        with atomic_path(cache_path) as tmp:
            tmp.write_text(json.dumps({"format": CACHE_FORMAT, "files": new}, indent=1, sort_keys=True) + "\n",
                           encoding="utf-8")
        build.report.note(f"{len(items)} handouts: {len(todo)} rendered, {len(kept)} unchanged")
        return written
