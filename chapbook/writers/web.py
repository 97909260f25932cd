"""The web edition: a static site in ``output/web/`` that needs no server (open ``index.html``).

It is the second client of :mod:`chapbook.documents`: the same XHTML documents
the EPUB packages — same ids, headings, notes and print page markers — are
re-framed as one page per part (``texts/SLUG/index.html``, ``SLUG/index.html``
for front and back matter, ``glossary/``, ``bibliography/``, ``sources/``,
``about/`` for the imprint) with the contents as the home page. Links between
documents become relative links between pages, so the site works from
``file://`` as well as from any web server, and "¶ 12" (``#p-SLUG-12``) and
"p. 23" (``#page-23``, shown as ``[p. 23]`` in the margin) mean the same
place as in the book and the EPUB.

What only the web has is added here: the page frame (``templates/web/``),
``styles/web.css`` (the book's face, responsive, with a print stylesheet),
``site.js`` (notes that open in place, glossary and reference previews, search;
everything also works without it), a search index of every paragraph
(:mod:`chapbook.webindex`), Open Graph and schema.org metadata, and download
links. Pages carry a Content-Security-Policy that allows nothing but the
site's own files; content never brings a script (Markdown's HTML is
whitelisted in :mod:`chapbook.htmltree`).
"""

from __future__ import annotations

import itertools
import json
import posixpath
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from .. import outfiles
from ..documents import EPUB_TYPE, XHTML, Doc, book_documents
from ..outfiles import atomic_path, retire
from ..render import PACKAGE_ROOT, title_of
from ..webindex import paragraph_entries
from .epub import FONTS, _image_bytes, _style_file

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
       "base-uri 'none'; form-action 'self'")
SITE_DIR = "web"


@dataclass
class Page:
    """One page of the site: where it goes and what it shows."""

    path: str  # relative to the site's root, e.g. "texts/culture-of-expulsion/index.html"
    title: str
    doc: Doc | None
    kind: str  # "home", "text", "matter", "glossary", "bibliography", "sources", "about", "search"
    meta: dict = field(default_factory=dict)


class WebWriter:
    name = "web"
    description = "the web edition, a static site (output/web/)"

    def write(self, build) -> list[Path]:
        out = build.output / SITE_DIR
        files = site_files(build)
        for rel, data in files.items():
            with atomic_path(out / rel) as tmp:
                tmp.write_bytes(data)
        new = {out / rel for rel in files}
        # The site is this writer's alone: what it no longer makes goes (never through a link: the
        # folder itself being one is outfiles.LinkedOutput, links in it are left for check to report).
        retire(sorted(f for f in outfiles.files_below(out) if f not in new and not f.name.endswith(".part")))
        return [out / "index.html"]


BOOK_PAGES = {"nav.xhtml": "index.html", "imprint.xhtml": "about/index.html", "glossary.xhtml": "glossary/index.html",
              "bibliography.xhtml": "bibliography/index.html", "sources.xhtml": "sources/index.html"}
SEARCH_PAGE = "search/index.html"
# The site's own folders: a front or back part of one of these names (a back part "sources", a
# "search" introduction) goes to matter/NAME/ instead, so that neither page replaces the other.
SITE_FOLDERS = frozenset({path.split("/")[0] for path in [*BOOK_PAGES.values(), SEARCH_PAGE] if "/" in path}
                         | {"texts", "matter", "css", "js", "fonts", "images", "index.html"})


def page_path(doc: Doc) -> str | None:
    """Where a document of the book goes on the site (None: not on the site)."""
    if doc.part is not None:
        slug = doc.part.part.slug
        if doc.part.part.kind == "text":
            return f"texts/{slug}/index.html"
        return f"matter/{slug}/index.html" if slug in SITE_FOLDERS else f"{slug}/index.html"
    return BOOK_PAGES.get(doc.name)


def relative(target: str, start: str) -> str:
    """A link from the page at ``start`` to ``target`` (both relative to the site's root)."""
    return posixpath.relpath(target, posixpath.dirname(start) or ".")


def site_files(build) -> dict[str, bytes]:
    """Every file of the site, by its path relative to the site's root."""
    publication = build.publication
    book = book_documents(build)
    env, context = book.env, book.context
    words = publication.config.words
    pages = [_page(doc, words) for doc in book.docs if page_path(doc)]
    pages.append(Page(SEARCH_PAGE, words["search"], None, "search"))
    where = {p.doc.name: p.path for p in pages if p.doc}
    reading = [p for p in pages if p.kind not in ("search", "about")]
    tips = _tips(context)
    downloads = _downloads(build)
    files: dict[str, bytes] = {}
    entries: list[list[str]] = []
    template = env.get_template("web/page.html.j2")
    for page in pages:
        root = "" if page.path == "index.html" else relative("index.html", page.path).removesuffix("index.html")
        main, used = _main(page, where, book.images, entries, words) if page.doc is not None else (Markup(""), [])
        index = reading.index(page) if page in reading else -1
        prev = reading[index - 1] if index > 0 else None
        nxt = reading[index + 1] if 0 <= index < len(reading) - 1 else None
        html = template.render(
            **context, page=page, root=root, main=main, csp=CSP, downloads=downloads,
            tips=[(key, tips[key]) for key in used if key in tips],
            prev=(relative(prev.path, page.path), prev.title) if prev else None,
            next=(relative(nxt.path, page.path), nxt.title) if nxt else None,
            jsonld=Markup(_jsonld(page, publication)) if page.kind == "text" else "",
            description=_description(page, publication.config))
        files[page.path] = html.encode("utf-8")
    files["css/web.css"] = _style_file(publication.root, "web.css").read_bytes()
    files["js/site.js"] = (PACKAGE_ROOT / "styles" / "site.js").read_bytes()
    for font in FONTS:
        files[f"fonts/{font}.woff2"] = (PACKAGE_ROOT / "styles" / "fonts" / f"{font}.woff2").read_bytes()
    for src, name in book.images.items():
        files[name] = _image_bytes(publication.root / src)
    files["search/index.js"] = ("window.chapbookIndex = " + json.dumps(entries, ensure_ascii=False)
                                .replace("<", "\\u003c") + ";\n").encode("utf-8")
    return files


def _page(doc: Doc, words: Mapping[str, str]) -> Page:
    path = page_path(doc)
    if doc.part is not None:
        part = doc.part.part
        kind = "text" if part.kind == "text" else "matter"
        return Page(path, title_of(part), doc, kind, {"part": part})
    kind = {"nav.xhtml": "home", "imprint.xhtml": "about"}.get(doc.name, Path(doc.name).stem)
    key = {"home": "contents", "about": "about"}.get(kind, kind)
    title = words[key] if key in words else kind.capitalize()
    return Page(path, title, doc, kind)


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _main(page: Page, where: dict[str, str], images: dict[str, str], entries: list[list[str]],
          words: Mapping[str, str]) -> tuple[Markup, list[str]]:
    """The document's body as HTML for this page, and the glossary/reference ids it links to;
    its paragraphs are added to the search ``entries``."""
    body = page.doc.root.find(f"{{{XHTML}}}body")
    used: list[str] = []
    names = set(images.values())
    for el in list(body.iter()):
        for child in list(el):
            if _local(child.tag) == "nav" and child.get("hidden") is not None:  # landmarks, page list
                el.remove(child)
    for el in list(body.iter()):
        el.tag = _local(el.tag)
        kind = el.attrib.pop(EPUB_TYPE, "")
        for key in [k for k in el.attrib if k.startswith("{")]:  # xml:lang (lang is kept)
            del el.attrib[key]
        if kind == "pagebreak":
            number = el.get("id", "").removeprefix("page-")
            el.attrib = {"class": "page", "id": f"page-{number}", "role": "doc-pagebreak"}
            label = ET.SubElement(el, "span", {"class": "page-label"})
            label.text = f"[{words['page']}\u00a0{number}]"
        if "epub-only" in el.get("class", "").split():
            el.set("class", " ".join(c for c in el.get("class").split() if c != "epub-only"))
        href = el.get("href")
        if href is not None and not href.startswith(("http:", "https:", "mailto:")):
            name, _, fragment = href.partition("#")
            if name:
                target = where.get(name)
                href = (relative(target, page.path) if target else "") + (f"#{fragment}" if fragment else "")
                el.set("href", href or "#")
            if fragment.startswith(("gl-", "ref-")) and "glossref" in el.get("class", "") + " cite":
                used.append(fragment)
        src = el.get("src")
        if src is not None and src in names:
            el.set("src", relative(src, page.path))
    _merge_page_runs(body)
    if page.kind != "home":
        entries.extend(paragraph_entries(page.path, page.title, body, words["note"]))
    html = "".join(ET.tostring(child, encoding="unicode", method="html") for child in body)
    return Markup(html), list(dict.fromkeys(used))


def _merge_page_runs(body: ET.Element) -> None:
    """Markers side by side (blank pages before a part) keep their ids, but only the last shows its label."""
    for parent in body.iter():
        children = list(parent)
        for el, nxt in itertools.pairwise(children):
            if (el.get("class") == "page" and nxt.get("class") == "page" and not (el.tail or "").strip()):
                el.set("class", "page quiet")
                for label in list(el):
                    el.remove(label)


def _tips(context: dict) -> dict[str, Markup]:
    """What a glossary term or a citation shows on hover or focus: its entry."""
    tips: dict[str, Markup] = {}
    for item in context["glossary"]:
        tips[f"gl-{item.entry.slug}"] = Markup(f"<strong>{Markup.escape(item.entry.term)}</strong>: "
                                               f"{item.definition_html}")
    for key, html in context["bibliography"]:
        tips[context["anchor"](key)] = Markup(html)
    return tips


def _downloads(build) -> list[tuple[str, str]]:
    """(href from the site's root, label) of the book's other editions built into the same folder."""
    name, words = build.name, build.publication.config.words
    candidates = [(f"{name}.pdf", words["download_pdf"]), (f"{name}.epub", words["download_epub"]),
                  (f"{name}-booklet.pdf", words["download_booklet"])]
    candidates += [(f"handouts/{c.part.slug}.pdf", words["download_handout"].format(title=title_of(c.part)))
                   for c in build.converted if c.part.kind == "text"]
    return [(f"../{rel}", label) for rel, label in candidates if outfiles.will_exist(build.output / rel)]


def _description(page: Page, config) -> str:
    part = page.meta.get("part")
    if part is not None and part.summary:
        return " ".join(part.summary.split())
    return config.subtitle or config.title


def _jsonld(page: Page, publication) -> str:
    """schema.org metadata of a text: its author, date and original publication."""
    part, config = page.meta["part"], publication.config
    data: dict = {"@context": "https://schema.org", "@type": "Article", "headline": title_of(part),
                  "inLanguage": part.lang or config.language,
                  "isPartOf": {"@type": "Book", "name": config.title, "editor": list(config.editors)}}
    authors = [a for a in part.authors if a.strip().lower() != "unknown"]
    if authors:
        data["author"] = [{"@type": "Person", "name": a} for a in authors]
    if part.date:
        data["datePublished"] = part.date
    if part.source in publication.bibliography.keys:
        data["isBasedOn"] = {"@type": "CreativeWork",
                             "name": publication.bibliography.title_text(part.source),
                             "citation": publication.bibliography.entry_text(part.source)}
    if part.original_url:
        data.setdefault("isBasedOn", {"@type": "CreativeWork"})["url"] = part.original_url
    return json.dumps(data, ensure_ascii=False, indent=1).replace("<", "\\u003c")

