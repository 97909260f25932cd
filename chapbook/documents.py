"""The book as a list of XHTML documents: the layer the EPUB and the web edition share.

Same content and order as the print book: cover (an SVG generated from the
title and editors), title page, imprint, contents (the navigation document),
front matter, the texts, back matter, glossary, bibliography, sources — one
document per part, rendered from ``templates/epub/`` with the print book's
context (:func:`chapbook.render.book_context`). Nothing here knows about
packaging: :mod:`chapbook.writers.epub` zips these documents with an OPF and
the EPUB's styles; :mod:`chapbook.writers.web` re-frames the same documents
as the pages of a static site. Both editions therefore have the same ids
(``p-SLUG-N`` ¶ anchors, ``fn-SLUG-N`` notes, ``gl-SLUG`` glossary entries),
the same headings and the same print page markers.

Each part's XHTML fragment is reshaped once (:func:`part_fragment`):
Markdown's footnotes become ``<aside epub:type="footnote">`` notes with
links back, note references, glossary marks and citations get their
``epub:type`` and ARIA roles. Every document is then parsed as XML and links
to an id in another document are rewritten to ``file.xhtml#id``.

Page-break markers come from the laid-out print book (:mod:`chapbook.pagemap`):
each print page's start is found again in the XHTML by its anchor id and
letter count, and a ``<span epub:type="pagebreak">`` is inserted there; the
contents document's page list points to them.
"""

from __future__ import annotations

import copy
import dataclasses
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup, escape

from . import htmltree
from .directions import dir_of
from .pagemap import PageMap, countable
from .render import book_context, editors_phrase, in_language, template_env

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = f"{{{OPS}}}type"


@dataclass
class Doc:
    """One XHTML content document of the spine."""

    name: str  # file name inside EPUB/
    template: str
    context: dict = field(default_factory=dict)
    root: ET.Element | None = None
    part: object = None  # the Converted part it shows, if it shows one


@dataclass
class BookDocuments:
    """The documents in reading order, with what packaging them needs."""

    docs: list[Doc]
    context: dict  # the templates' context (the print book's, plus the helpers added here)
    images: dict[str, str]  # image path in the project → its name beside the documents ("images/001-x.png")
    env: object  # the Jinja environment the documents were rendered with


# ---- The content of each part -----------------------------------------------------------------

def part_fragment(html: str, slug: str, words: Mapping[str, str]
                  ) -> tuple[str, list[tuple[str, str]], list[str]]:
    """A part's fragment as EPUB XHTML; also its (id, text) of h2 headings and image paths. ``words``:
    the book's (required: no English default)."""
    root = htmltree.parse_fragment(html)
    for div in htmltree.note_blocks(root):
        _footnotes_to_asides(div, words)
    for sup in root.iter("sup"):
        link = sup.find("a")
        if link is not None and "footnote-ref" in link.get("class", ""):
            link.set("class", "noteref")
            link.set("epub:type", "noteref")
            link.set("role", "doc-noteref")
    for a in root.iter("a"):
        classes = a.get("class", "").split()
        if "glossref" in classes:
            a.set("epub:type", "glossref")
            a.set("role", "doc-glossref")
        elif "cite" in classes:
            a.set("epub:type", "biblioref")
            a.set("role", "doc-biblioref")
    headings = []
    for n, h in enumerate((h for h in root.iter() if h.tag == "h2"), start=1):
        if not h.get("id"):
            h.set("id", f"h-{slug}-{n}")
        shown = " ".join("".join(h.itertext()).split())
        if shown:  # '##' alone is an empty heading: no entry in the contents (an empty link in the EPUB's nav)
            headings.append((h.get("id"), shown))
    for el in root.iter():
        if el.get("align"):  # obsolete in HTML5: a class the CSS aligns
            el.set("class", (el.get("class", "") + f" align-{el.attrib.pop('align')}").strip())
        if el.get("lang"):
            el.set("xml:lang", el.get("lang"))
    images = [img.get("src", "") for img in root.iter("img") if img.get("src")]
    return htmltree.serialize(root), headings, images


def _footnotes_to_asides(div: ET.Element, words: Mapping[str, str]) -> None:
    """Markdown's ``<div class="footnote"><hr/><ol><li>`` → ``<div class="footnotes"><aside>…``."""
    items = list(div.iter("li"))
    for child in list(div):
        div.remove(child)
    div.text = "\n"
    div.set("class", "footnotes")
    for number, li in enumerate(items, start=1):
        aside = ET.SubElement(div, "aside", {
            "id": li.get("id", ""), "class": ("footnote " + li.get("class", "")).strip(),
            "epub:type": "footnote", "role": "doc-footnote"})
        aside.tail = "\n"
        back_href = ""
        for back in htmltree.backlinks(li):
            back_href = back.get("href", "")
            htmltree.drop(li, back)
        label = f"{number}"
        ref = ET.Element("a", {"class": "note-back", "href": back_href, "role": "doc-backlink",
                               "title": words["note_back"].format(label=label)})
        ref.text = label
        paragraphs = [p for p in li if p.tag == "p"]
        if not paragraphs:  # bare text in the item
            p = ET.SubElement(aside, "p")
            p.text = li.text
            for child in list(li):
                p.append(child)
            paragraphs = [p]
        else:
            for p in list(li):
                aside.append(p)
        first = paragraphs[0]
        ref.tail = " " + (first.text or "").lstrip()
        first.text = None
        first.insert(0, ref)
        if not back_href:
            first.remove(ref)
            first.text = ref.tail.lstrip()


# ---- Assembling the documents -------------------------------------------------------------------

_DOCUMENTS = ("chapbook", "documents")  # key in build.cache


def book_documents(build) -> BookDocuments:
    """Every content document of the book, rendered, linked across files and with page markers.

    Made once per build (the EPUB and the web edition both ask); each caller gets its own copy of
    the trees, which the writers reshape.
    """
    if _DOCUMENTS not in build.cache:
        build.cache[_DOCUMENTS] = _book_documents(build)
    made = build.cache[_DOCUMENTS]
    docs = [dataclasses.replace(doc, root=copy.deepcopy(doc.root)) for doc in made.docs]
    return BookDocuments(docs, made.context, made.images, made.env)


def _book_documents(build) -> BookDocuments:
    publication = build.publication
    config = publication.config
    pages = build.book().page_map
    env = in_language(template_env(publication.root), config)
    context = book_context(publication, build.converted)
    language = config.language

    files = {c.part.slug: f"part-{c.part.slug}.xhtml" for c in build.converted}
    fragments, headings, images = {}, {}, {}
    for c in build.converted:
        fragments[c.part.slug], headings[c.part.slug], found = part_fragment(c.html, c.part.slug, config.words)
        for src in found:
            if src not in images:
                images[src] = image_name(len(images) + 1, publication.root / src)
    mark_part = {mark_id: c.part for c in build.converted for _, mark_id in c.glossary_marks}

    def lang_attrs(code: str | None) -> Markup:
        if code and code != language:
            return Markup(f' lang="{escape(code)}" xml:lang="{escape(code)}"') + dir_of(code, language)
        return Markup("")

    def sub(c) -> Markup:
        items = headings.get(c.part.slug) or []
        if not items:
            return Markup("")
        lis = "".join(f'<li><a href="#{escape(i)}">{escape(t)}</a></li>' for i, t in items)
        return Markup(f"<ol>{lis}</ol>")

    typography = config.typography
    body_class = " ".join(filter(None, [
        "paranums" if typography.get("paragraph_numbers") else "",
        f"acronyms-{typography.get('acronyms', 'reduced')}"]))
    context.update(
        lang_attrs=lang_attrs,
        book_lang=lambda code: Markup(f' lang="{escape(language)}" xml:lang="{escape(language)}"')
        + dir_of(language, code) if code and code != language else Markup(""),
        mark_lang=lambda mark_id: mark_part[mark_id].lang if mark_id in mark_part else "",
        page_of=pages.page_of,
        sub=sub,
        body_class=body_class,
        bodymatter=(context["front"] + context["texts"] + context["back"] or [None])[0],
        cover=cover_layout(config),
    )

    docs = [Doc("cover.xhtml", "epub/cover.xhtml.j2"), Doc("title.xhtml", "epub/title.xhtml.j2"),
            Doc("imprint.xhtml", "epub/imprint.xhtml.j2"), Doc("nav.xhtml", "epub/nav.xhtml.j2")]
    for c in build.converted:
        template = "epub/text.xhtml.j2" if c.part.kind == "text" else "epub/part.xhtml.j2"
        body = fragments[c.part.slug]
        for src, name in images.items():
            body = body.replace(f'src="{escape(src)}"', f'src="{name}"')
        docs.append(Doc(files[c.part.slug], template, {"c": c, "body": Markup(body)}, part=c))
    if context["glossary"]:
        docs.append(Doc("glossary.xhtml", "epub/glossary.xhtml.j2"))
    if context["bibliography"]:
        docs.append(Doc("bibliography.xhtml", "epub/bibliography.xhtml.j2"))
    if context["texts"]:
        docs.append(Doc("sources.xhtml", "epub/sources.xhtml.j2"))

    def assemble(page_list) -> dict[int, str]:
        for doc in docs:
            text = env.get_template(doc.template).render(**context, **doc.context, page_list=page_list)
            doc.root = ET.fromstring(text)
        link_across_files(docs)
        return place_page_markers(docs, pages)

    page_files = assemble(None)
    page_list = [(f"{page_files[p.number]}#page-{p.number}", str(p.number)) for p in pages.pages]
    assemble(page_list)

    return BookDocuments(docs, context, images, env)


def image_name(n: int, path: Path) -> str:
    """An image's name beside the documents: numbered, its name made safe for a URL (no spaces, '#'
    or '?'), and ending as its bytes say (JPEG data saved as .png becomes .jpg)."""
    from .imagecheck import type_suffix
    from .read import safe_slug

    return f"images/{n:03d}-{safe_slug(path.stem)}{type_suffix(path)}"


def cover_layout(config) -> dict:
    """Positions for the SVG cover (A5 proportions, 1480 × 2100): title, subtitle, rule, editors."""
    margin, y = 150, 380
    title_lines = textwrap.wrap(config.title, 16) or [config.title]
    title_size = 132 if max(map(len, title_lines)) <= 14 else 112
    out = {"width": 1480, "height": 2100, "margin": margin, "publisher_y": 250, "title_size": title_size,
           "subtitle_size": 60}
    out["title_lines"] = []
    for line in title_lines:
        y += int(title_size * 1.12)
        out["title_lines"].append({"y": y, "text": line})
    y += 40
    out["subtitle_lines"] = []
    for line in textwrap.wrap(config.subtitle, 36):
        y += 80
        out["subtitle_lines"].append({"y": y, "text": line})
    out["rule_y"] = y + 110
    y = out["rule_y"] + 60
    out["editor_lines"] = []
    if config.editors:
        for line in textwrap.wrap(f"{config.words['edited_by']} {editors_phrase(config.editors)}", 40):
            y += 66
            out["editor_lines"].append({"y": y, "text": line})
    out["band_y"], out["band_h"] = 1880, 110
    out["foot"] = " · ".join(filter(None, [config.edition, str(config.date or "")]))
    out["foot_y"] = 1948
    title = config.title + (f"{config.subtitle_separator}{config.subtitle}" if config.subtitle else "")
    alt = config.words["cover_of"].format(title=title)
    if config.editors:
        alt += f". {config.words['edited_by']} {editors_phrase(config.editors)}"
    out["alt"] = alt + "."
    return out




# ---- Links and page markers across documents ------------------------------------------------------

def _ids(docs: list[Doc]) -> dict[str, tuple[Doc, ET.Element]]:
    found = {}
    for doc in docs:
        for el in doc.root.iter():
            if el.get("id"):
                found.setdefault(el.get("id"), (doc, el))
    return found


def link_across_files(docs: list[Doc]) -> None:
    """``href="#id"`` → ``href="other.xhtml#id"`` where the id lives in another document."""
    where = {i: d.name for i, (d, _) in _ids(docs).items()}
    for doc in docs:
        for el in doc.root.iter():
            href = el.get("href", "")
            if href.startswith("#") and where.get(href[1:], doc.name) != doc.name:
                el.set("href", where[href[1:]] + href)


def _local(el: ET.Element) -> str:
    return el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""


def _skipped(el: ET.Element) -> bool:
    """Elements whose text the print book does not have in its main flow."""
    kind = el.get(EPUB_TYPE, "")
    return (_local(el) in ("aside", "head") or kind in ("noteref", "pagebreak", "landmarks", "page-list")
            or "epub-only" in el.get("class", "").split())


def _text_slots(root: ET.Element):
    """(element, 'start'|'text'|'tail') in document order, leaving out skipped elements' insides."""
    def walk(el):
        yield el, "start"
        if not _skipped(el):
            yield el, "text"
            for child in el:
                yield from walk(child)
        yield el, "tail"
    yield from walk(root)


_LIST_LIKE = {"li", "dt", "dd", "td", "th", "tr", "thead", "tbody", "body"}
_INLINE = {"a", "abbr", "em", "strong", "i", "b", "span", "q", "cite", "dfn", "small", "sup", "sub", "code",
           "del", "ins"}


def marker(number: int) -> ET.Element:
    el = ET.Element(f"{{{XHTML}}}span", {EPUB_TYPE: "pagebreak", "role": "doc-pagebreak",
                                         "id": f"page-{number}", "aria-label": str(number)})
    return el


def place_page_markers(docs: list[Doc], pages: PageMap) -> dict[int, str]:
    """Insert a page-break marker where each print page begins; returns page number → file."""
    placed: dict[int, str] = {}
    pending: list[int] = []
    ids = _ids(docs)  # once: the markers add ids of their own, never one a page begins at
    parents: dict[int, dict] = {}  # per document, each element's parent, the markers included as placed
    counts: dict[int, dict] = {}  # per document, the texts counted so far (_find)
    for page in pages.pages:
        spot = None
        if not page.blank and page.anchor in ids:
            doc, anchor = ids[page.anchor]
            if id(doc) not in parents:
                parents[id(doc)] = {child: el for el in doc.root.iter() for child in el}
            spot = _find(doc, anchor, page.offset, parents[id(doc)], counts.setdefault(id(doc), {}))
        if spot is None:
            pending.append(page.number)
            continue
        doc, parent, index, split = spot
        after = None
        if split is not None:  # inside a text: cut it where the page begins
            owner, slot, at = split
            value = getattr(owner, slot) or ""
            setattr(owner, slot, value[:at] or None)
            after = value[at:] or None
        for number in [*pending, page.number]:
            el = marker(number)
            parent.insert(index, el)
            parents[id(doc)][el] = parent
            index += 1
            placed[number] = doc.name
        el.tail = after
        pending = []
    if pending:  # blank pages at the very end: after the last document's content
        doc = docs[-1]
        body = doc.root.find(f"{{{XHTML}}}body")
        for number in pending:
            body.append(marker(number))
            placed[number] = doc.name
    return placed


def _find(doc: Doc, anchor: ET.Element, offset: int, parents: dict, counts: dict):
    """Where the print page begins: (doc, parent, index, text split) or None if the text runs out.
    ``counts``: (element, slot) → (its text, letters and digits in it), for the texts passed over so
    far in this document: a paragraph of 80,000 words over a hundred pages was counted again for each
    page, and the EPUB took 52 s (a review)."""
    if offset == 0:
        if _local(anchor) in _LIST_LIKE:
            return doc, anchor, 0, (anchor, "text", 0)
        parent = parents[anchor]
        return _legal(doc, parents, parent, list(parent).index(anchor), None)
    seen, started = 0, False
    for el, slot in _text_slots(doc.root):
        if el is anchor and slot == "start":
            started = True
        if not started or slot == "start":
            continue
        value = getattr(el, slot) or ""
        need = offset - seen
        known = counts.get((el, slot))
        n = known[1] if known is not None and known[0] is value else None  # a split text is counted anew
        at = _nth_countable(value, need) if n is None or n > need else None
        if at is None:
            if n is None:  # the page begins after this text: counted once, not again for each page
                n = countable(value)
                counts[(el, slot)] = (value, n)
            seen += n
            continue
        while at > 0 and not value[at - 1].isspace():  # the whole word (or quoted word) begins the page
            at -= 1
        if slot == "text":
            if at == 0 and _local(el) in _INLINE:  # at the start of an inline element: before it
                parent = parents[el]
                return _legal(doc, parents, parent, list(parent).index(el), None)
            return _legal(doc, parents, el, 0, (el, "text", at))
        parent = parents[el]
        return _legal(doc, parents, parent, list(parent).index(el) + 1, (el, "tail", at))
    return None


def _nth_countable(value: str, n: int) -> int | None:
    """The index of the ``n``-th (0-based) letter or digit of ``value``, or None if it has no more than ``n``;
    reads only as far as that one (the rest of a long paragraph is the next pages')."""
    for i, ch in enumerate(value):
        if ch.isalnum():
            if n == 0:
                return i
            n -= 1
    return None


def _legal(doc: Doc, parents: dict, parent: ET.Element, index: int, split):
    """Markers may not go inside a navigation list: after the <nav> instead."""
    el = parent
    while el is not None:
        if _local(el) == "nav":
            outer = parents[el]
            return doc, outer, list(outer).index(el) + 1, None
        el = parents.get(el)
    return doc, parent, index, split


def serialize(root: ET.Element) -> bytes:
    """A content document as XHTML: default namespace, ``epub:`` and ``xml:`` prefixes, no ``ns0``."""
    names = {f"{{{XHTML}}}": "", f"{{{OPS}}}": "epub:", "{http://www.w3.org/XML/1998/namespace}": "xml:"}

    def plain(name: str) -> str:
        for uri, prefix in names.items():
            if name.startswith(uri):
                return prefix + name[len(uri):]
        return name

    for el in root.iter():
        el.tag = plain(el.tag)
        for key in [k for k in el.attrib if k.startswith("{")]:
            el.attrib[plain(key)] = el.attrib.pop(key)
    root.attrib = {"xmlns": XHTML, "xmlns:epub": OPS, **root.attrib}
    text = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n' + text + "\n").encode("utf-8")
