"""Markdown → XHTML fragment for one part, with citations, glossary marks and corrections.

The order matters and is the reason this module exists:

1. scan the raw body (positions are exact only there): raw HTML, links,
   images, CriticMarkup corrections, ``[[term]]`` marks, citations — each
   replaced by a private-use placeholder that Markdown leaves alone;
2. run Python-Markdown;
3. parse its output as XML, whitelist elements and attributes, and put the
   trusted HTML for each placeholder in its place;
4. number paragraphs, mark glossary terms at their first occurrence, set
   acronyms, give footnotes ids unique in the book.
"""

from __future__ import annotations

import contextvars
import functools
import re
import xml.etree.ElementTree as ET
from collections import deque
from dataclasses import dataclass

import markdown
from markdown.extensions.attr_list import AttrListTreeprocessor
from markdown.extensions.footnotes import FootnoteExtension, FootnoteInlineProcessor
from markdown.treeprocessors import InlineProcessor, Treeprocessor

from . import htmltree, verse
from .citations import find_citations
from .citenotes import citation_notes
from .config import glossary_settings
from .diagnostics import Location, Report
from .directions import direction
from .fieldcheck import subtags
from .model import Citation, Converted, Correction, GlossaryEntry, Part
from .sourcescan import (
    CRITIC,
    GLOSSARY_MARK,
    MAX_INLINE_OPENERS,
    MAX_SMART_MARKS,
    Rewrite,
    check_html_and_links,
    inline_overflows,
    locate,
    mask_code,
    smart_overflows,
)

_PLACEHOLDER = re.compile("\ue000([CGK])(\\d+)\ue001")
_RESERVED = re.compile("[\ue000\ue001]")  # the placeholders' brackets: a text may not hold them
_SMART = {"left-single-quote": "‘", "right-single-quote": "’", "left-double-quote": "“",
          "right-double-quote": "”", "ndash": "–", "mdash": "—", "ellipsis": "…",
          "left-angle-quote": "«", "right-angle-quote": "»"}
BLOCKS = {"p", "ul", "ol", "blockquote", "table", "pre", "dl"}
_NO_GLOSSARY = {"h1", "h2", "h3", "h4", "h5", "h6", "a", "code", "pre", "sup", "abbr"}
_ACRONYM = re.compile(r"\b([A-Z][A-Z0-9&]*[A-Z])(?=s?\b)")
# A roman numeral (II, IV, XIV, MCMXC) is a number, not an acronym: it keeps full capitals.
_ROMAN = re.compile(r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
# A web address in running text (links' text too): https://…, www.…, or a domain such as
# migration-control.info, optionally with a path. Marked ``span.url`` so that no edition hyphenates it.
URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'’”“»«\"]"
                 r"|(?<![\w@/.-])[A-Za-z0-9][\w-]*(?:\.[\w-]+)*\.(?:org|info|com|net|uk|de|eu|int|edu|gov|fr|ch)"
                 r"\b(?:/[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'’”“»«\"])?")  # “ and »: German and Swiss closing quotes
# Classes of paragraphs that are not numbered: an author's sign-off is not a paragraph of the argument.
UNNUMBERED = {"signature", "image"}


_OPENS_AFTER = set(" \t\n\u00a0\u202f([{‘“„«—–-/")

# A language's double quotation marks, where they are not English “…”: German „…“ (Swiss German «…»),
# French « … » with narrow no-break spaces inside. Single quotes stay ‘…’: smarty and smarten make the
# apostrophe of "geht's" and "l'État" with the closing single quote, and German's closing single
# quote (‘) would turn every apostrophe. A language not here keeps English quotes.
# As csquotes sets them for LaTeX: guillemets in the Romance languages but Portuguese of Brazil, in
# Greek, Norwegian, Russian and Ukrainian, and in Arabic-script languages; low-high in Central Europe.
_GUILLEMETS, _LOW_HIGH, _LOW_HIGH_RIGHT = ("«", "»"), ("„", "“"), ("„", "”")
_DOUBLE_QUOTES = {"de": _LOW_HIGH, "de-ch": _GUILLEMETS, "de-li": _GUILLEMETS, "fr": ("«\u202f", "\u202f»"),
                  **dict.fromkeys(["es", "it", "ca", "gl", "pt-pt", "el", "nb", "nn", "no", "ru", "uk", "be",
                                   "ar", "fa", "ur", "ps"], _GUILLEMETS),
                  **dict.fromkeys(["cs", "sk", "bg", "lt", "et", "is", "sl"], _LOW_HIGH),
                  **dict.fromkeys(["pl", "hu", "ro"], _LOW_HIGH_RIGHT),
                  "da": ("»", "«"), "sv": ("”", "”"), "fi": ("”", "”")}
ENGLISH_QUOTES = ("“", "”")
# The double quotes of what is being set now: the book's language while its writers run, a part's own
# while it is converted (chapbook.pipeline). Strings from front matter and the .bib are curled with them.
QUOTES: contextvars.ContextVar[tuple[str, str]] = contextvars.ContextVar("quotes", default=ENGLISH_QUOTES)


def double_quotes(lang: str | None) -> tuple[str, str]:
    """The opening and closing double quotation marks of ``lang`` (a BCP 47 tag)."""
    tag = subtags(lang)
    return _DOUBLE_QUOTES.get("-".join(tag[:2]), _DOUBLE_QUOTES.get(tag[0], ENGLISH_QUOTES))


# Words that begin with an apostrophe (a letter left out), not an opening quote.
_ELISION = re.compile(r"(?:\d\ds\b|t\b|tis\b|twas\b|n'|em\b|til\b|cause\b)", re.IGNORECASE)


def smarten(text: str, before: str = "") -> str:
    """Straight quotes, ``--``/``---`` and ``...`` → typographic characters, as Markdown's smarty does
    for bodies: for every other string a reader sees (front matter, BibTeX fields, the glossary).

    ``before`` is the character preceding ``text`` (an element's text follows other text in a
    tree), which decides whether a quote opens or closes: D'Cruz, Migrants', IOM's → ’. Double
    quotes are those of :data:`QUOTES` (the language being set).
    """
    text = text.replace("---", "—").replace("--", "–").replace("...", "…")
    if "'" not in text and '"' not in text:
        return text
    out = []
    for i, ch in enumerate(text):
        prev = text[i - 1] if i else before[-1:]
        if ch == "'":
            elided = _ELISION.match(text, i + 1)  # ’90s, ’t Hooft, ’tis, rock ’n’ roll: an apostrophe
            out.append("‘" if (not prev or prev in _OPENS_AFTER) and not elided else "’")
        elif ch == '"':
            left, right = QUOTES.get()
            out.append(left if not prev or prev in _OPENS_AFTER else right)
        else:
            out.append(ch)
    return "".join(out)


def smarten_tree(root: ET.Element) -> None:
    """:func:`smarten` every text node of ``root`` (not in code or a web address), each knowing the
    text before it."""
    before = ""
    skip = lambda e: e.tag in {"code", "pre"} or "url" in e.get("class", "").split()
    for _parent, el, slot in htmltree.text_slots(root, skip):
        value = getattr(el, slot)
        if value:
            setattr(el, slot, smarten(value, before))
            before = value[-1:]


# Issue 10, a bounded build: a text may hold at most this many footnotes (notes, and calls of notes);
# more is a located error. Python-Markdown's footnotes are made linear below; the limit keeps one
# text's notes to what a book can print (10,000 notes convert in a few seconds).
MAX_FOOTNOTES = 10_000


class _LinearFootnotes(FootnoteExtension):
    """Python-Markdown's footnotes extension without its quadratic steps.

    Python-Markdown 3.x numbers each note call with
    ``list(self.footnotes.keys()).index(id)`` and records the call order with
    ``id not in self.footnote_order`` (a list): both scan every note, for
    every call, so 20,000 notes took 32 s and 200,000 more than 5 minutes.
    A note called K times is worse still: ``unique_ref`` tries ``fnref``,
    ``fnref2`` … ``fnrefK`` each time. Here the definition order, the call
    order and the calls per note are kept in dicts, so each call costs the
    same; the output is identical (same numbers, same ``fnrefN:`` ids).
    """

    def reset(self) -> None:
        super().reset()
        self._number: dict[str, int] = {}
        self._called: set[str] = set()

    def setFootnote(self, id: str, text: str) -> None:
        if id not in self.footnotes:
            self._number[id] = len(self.footnotes) + 1
        self.footnotes[id] = text

    def addFootnoteRef(self, id: str) -> None:
        if id not in self._called:
            self._called.add(id)
            self.footnote_order.append(id)

    def unique_ref(self, reference: str, found: bool = False) -> str:
        if not found:
            return reference
        calls = self.found_refs.get(reference, 0)
        self.found_refs[reference] = calls + 1
        if calls:  # the (calls + 1)-th call: fnref:X → fnref2:X, fnref3:X … as the original does
            head, rest = reference.split(self.get_separator(), 1)
            reference = f"{head}{calls + 1}{self.get_separator()}{rest}"
        self.used_refs.add(reference)
        return reference

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        super().extendMarkdown(md)
        md.inlinePatterns.register(_LinearFootnoteCalls(r"\[\^([^\]]*)\]", self), "footnote", 175)


class _LinearFootnoteCalls(FootnoteInlineProcessor):
    """A note call, numbered from the extension's dict instead of a search of every note."""

    footnotes: _LinearFootnotes

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[ET.Element | None, int | None, int | None]:
        id = m.group(1)
        if id not in self.footnotes._number:
            return None, None, None
        self.footnotes.addFootnoteRef(id)
        sup = ET.Element("sup")
        a = ET.SubElement(sup, "a")
        sup.set("id", self.footnotes.makeFootnoteRefId(id, found=True))
        a.set("href", "#" + self.footnotes.makeFootnoteId(id))
        a.set("class", "footnote-ref")
        a.text = self.footnotes.getConfig("SUPERSCRIPT_TEXT").format(self.footnotes._number[id])
        return sup, m.start(0), m.end(0)


class _TableAttributes(Treeprocessor):
    """``{: .class #id}`` on the line under a table, as under a paragraph: Python-Markdown's tables
    extension reads that line as one more row, and the book printed "{: .class}" in a cell of its own.
    Such a last row (its first cell only an attribute list, the others empty) gives the table its
    attributes instead; the attribute list is checked in the source like any other."""

    _ATTRS = re.compile(r"\{:?[ ]*([^}\n ][^}\n]*)\}")

    def run(self, root: ET.Element) -> None:
        for table in root.iter("table"):
            body = table.find("tbody")
            row = body[-1] if body is not None and len(body) else None
            cells = list(row) if row is not None else []
            found = self._ATTRS.fullmatch((cells[0].text or "").strip()) if cells and not len(cells[0]) else None
            if found and not any((c.text or "").strip() or len(c) for c in cells[1:]):
                body.remove(row)
                AttrListTreeprocessor(self.md).assign_attrs(table, found.group(1))


class _LinearInline(InlineProcessor):
    r"""Python-Markdown's inline tree-processor (``run`` copied from 3.11) without two quadratic steps.

    It kept its work queue in a list it ``pop(0)``\ s, and found each child
    whose tail it had just processed with ``list(parent).index(child)``; for
    the ``<ol>`` that holds all of a text's notes (profiled: once per note) both
    scan every note for every note. Here the queue is a deque and the loop
    keeps the child's index, which is what ``index()`` returned; the tree is
    the same. It uses the parent's private helpers (``markdown`` is pinned in
    requirements.txt; tests/test_bounded.py converts notes through it), and
    also replaces the second inline processor that the smarty extension runs.
    """

    def run(self, tree: ET.Element, ancestors: list[str] | None = None) -> ET.Element:
        handle = self._InlineProcessor__handleInline
        placeholders = self._InlineProcessor__processPlaceholders
        self.stashed_nodes = {}
        tree_parents = [] if ancestors is None else ancestors[:]
        self.parent_map = {c: p for p in tree.iter() for c in p}
        stack = deque([(tree, tree_parents)])
        self._InlineProcessor__build_ancestors(tree, tree_parents)
        while stack:
            current, parents = stack.popleft()
            self.ancestors = parents
            if current is not tree:
                self.ancestors.append(current.tag.lower())
            insert_queue = []
            index = 0
            while index < len(current):  # children inserted after ``child`` are visited too, as before
                child = current[index]
                if child.text and not isinstance(child.text, markdown.util.AtomicString):
                    self.ancestors.append(child.tag.lower())
                    text = child.text
                    child.text = None
                    lst = placeholders(handle(text), child)
                    for item in lst:
                        self.parent_map[item[0]] = child
                    stack.extend(lst)
                    insert_queue.append((child, lst))
                    self.ancestors.pop()
                if child.tail:
                    tail = handle(child.tail)
                    dummy = ET.Element("d")
                    child.tail = None
                    tail_result = placeholders(tail, dummy, False)
                    if dummy.tail:
                        child.tail = dummy.tail
                    for new_child in reversed(tail_result):
                        self.parent_map[new_child[0]] = current
                        current.insert(index + 1, new_child[0])
                if len(child):
                    self.parent_map[child] = current
                    stack.append((child, self.ancestors[:]))
                index += 1
            for element, lst in insert_queue:
                for i, obj in enumerate(lst):
                    element.insert(i, obj[0])
        return tree


class MendLinks(Treeprocessor):
    """Each link whose address an editor's line wrapping cut, joined up again (:func:`htmltree.mend_link`):
    ``<https://example.org/a`` on one line and ``b>`` on the next gave ``href="https://example.org/a b"``."""

    def run(self, root: ET.Element) -> None:
        for a in root.iter("a"):
            href = a.get("href")
            if href and href != htmltree.mend_href(href):
                htmltree.mend_link(a)


def new_markdown(quotes: tuple[str, str] = ENGLISH_QUOTES) -> markdown.Markdown:
    """The one Markdown configuration used for every part and every editor-written snippet; ``quotes``:
    the double quotation marks of the part's language (:func:`double_quotes`)."""
    substitutions = {**_SMART, "left-double-quote": quotes[0], "right-double-quote": quotes[1]}
    md = markdown.Markdown(
        extensions=[_LinearFootnotes(BACKLINK_TITLE="Back to note %d in the text"),
                    "smarty", "tables", "attr_list", "sane_lists"],
        extension_configs={"smarty": {"substitutions": substitutions},
                           "tables": {"use_align_attribute": True}},
    )
    # Raw HTML is refused before conversion (chapbook.sourcescan.RAW_HTML), so Markdown's HTML-block pass,
    # which parses the whole text with Python's html.parser, has nothing to do; and that parser is
    # quadratic on unfinished tags: 3,000 lines of '<a:<a:…' took 80 s to check (CVE-2025-6069).
    md.preprocessors.deregister("html_block")
    md.treeprocessors.register(_LinearInline(md), "inline", 20)
    md.treeprocessors.register(_TableAttributes(md), "table_attributes", 9)
    smarty = _LinearInline(md)  # smarty runs a second inline processor with its own patterns
    smarty.inlinePatterns = md.treeprocessors["smarty"].inlinePatterns
    md.treeprocessors.register(smarty, "smarty", 6)
    md.treeprocessors.register(MendLinks(md), "mend_links", 5)
    return md


@dataclass
class _Found:
    citations: list[tuple[Citation, Location]]
    terms: list[tuple[str, str, Location]]  # (term as written, shown text, where)
    corrections: list[Correction]


def _prepare(part: Part, root, report: Report) -> tuple[str, _Found, dict[str, str]]:
    """Step 1: replace corrections, [[terms]] and citations by placeholders."""
    body, base = part.body, part.body_location
    problems, images = check_html_and_links(body, base, part.path, root)
    for loc, message in problems:
        report.error(loc, message)
    found = _Found([], [], [])
    for m in _RESERVED.finditer(body):
        report.error(locate(body, m.start(), base), f"character U+{ord(m.group()):04X} is reserved by chapbook "
                     "(it marks citations, glossary marks and corrections while converting): delete it",
                     "reserved-character")
    body = _RESERVED.sub(" ", body)

    # Corrections first: the corrected reading may itself contain a citation.
    masked = mask_code(body)
    rw1 = Rewrite(body)
    for m in CRITIC.finditer(masked):
        # spans come from the masked text, the words from the body itself
        if m.group("old") is not None:
            old, new, new_at = body[m.start("old"):m.end("old")], body[m.start("new"):m.end("new")], m.start("new")
        elif m.group("deleted") is not None:
            old, new, new_at = body[m.start("deleted"):m.end("deleted")], "", m.start()
        else:
            old, new, new_at = "", body[m.start("added"):m.end("added")], m.start("added")
        n = len(found.corrections)
        found.corrections.append(Correction(original=old, corrected=new,
                                            location=locate(body, m.start(), base)))
        rw1.replace(m.start(), m.start(), f"\ue000K{n}\ue001")
        rw1.replace(m.start(), m.end(), new, origin=new_at)
    text1 = rw1.result()

    rw2 = Rewrite(text1)
    for m in GLOSSARY_MARK.finditer(mask_code(text1)):
        n = len(found.terms)
        term = m.group(1).strip()
        found.terms.append((term, (m.group(2) or m.group(1)).strip(),
                            locate(body, rw1.original_offset(m.start()), base)))
        rw2.replace(m.start(), m.end(), f"\ue000G{n}\ue001")
    text2 = rw2.result()

    citations, cite_problems = find_citations(text2)
    to_source = lambda off: rw1.original_offset(rw2.original_offset(off))
    for offset, message in cite_problems:
        report.error(locate(body, to_source(offset), base), message)
    rw3 = Rewrite(text2)
    for citation in citations:
        if "\ue000" in citation.raw:  # its placeholders would be printed as the locator's characters
            report.error(locate(body, to_source(citation.start), base),
                         "a glossary mark or a correction inside a citation cannot be shown: put it outside "
                         "the brackets (a correction of a page number: correct the whole citation)",
                         "mark-in-citation")
            continue
        n = len(found.citations)
        found.citations.append((citation, locate(body, to_source(citation.start), base)))
        rw3.replace(citation.start, citation.end, f"\ue000C{n}\ue001")
    return verse.hard_breaks(rw3.result(), part.verse), found, images


def convert(part: Part, publication, report: Report, markdowns: dict | None = None) -> Converted:
    """Convert one part; problems go to ``report`` and the part is still converted. Quotes are curled
    as in the part's language (its ``lang``, else the book's). ``markdowns``: the Markdown made for
    each style of quotes so far, kept by the caller for the next parts (one per build)."""
    quotes = double_quotes(part.lang or publication.config.language)
    markdowns = {} if markdowns is None else markdowns
    if quotes not in markdowns:
        markdowns[quotes] = new_markdown(quotes)
    token = QUOTES.set(quotes)  # for what the conversion curls itself (citations from the .bib)
    try:
        return _converted(part, publication, report, markdowns[quotes])
    finally:
        QUOTES.reset(token)


def _converted(part: Part, publication, report: Report, md: markdown.Markdown) -> Converted:
    errors_before = len(report.errors)
    if _inline_within_limit(part, report):
        text, found, images = _prepare(part, publication.root, report)
    else:  # not converted, and not scanned: the scans of links and images are slow on it too
        text, found, images = "", _Found([], [], []), {}
    md.reset()
    raw_html = md.convert(text) if text and _footnotes_within_limit(part, report) else ""
    try:
        root = htmltree.parse_fragment(raw_html)
    except ET.ParseError as exc:  # only after raw HTML, which was reported above with its place
        if len(report.errors) == errors_before:
            report.error(part.body_location, f"could not convert the Markdown ({exc})")
        root = htmltree.parse_fragment("")
    htmltree.sanitize(root)
    htmltree.set_directions(root, direction(part.lang or publication.config.language))
    slug = part.slug
    bib = publication.bibliography
    glossary = {e.term.lower(): e for e in publication.glossary}
    for alias_entry in publication.glossary:
        for alias in alias_entry.aliases:
            glossary.setdefault(alias.lower(), alias_entry)
    marks: list[tuple[str, str]] = []
    if getattr(bib, "notes", False):  # a CSL note style: the text's citations become its footnotes
        citation_notes(root, [c for c, _ in found.citations], bib, smarten_tree)

    def substitute(match: re.Match[str]) -> list[str | ET.Element]:
        kind, n = match.group(1), int(match.group(2))
        if kind == "C":
            frag = htmltree.parse_fragment(bib.cite_html(found.citations[n][0]))
            smarten_tree(frag)  # names from BibTeX keep straight quotes: D'Cruz
            return ([frag.text] if frag.text else []) + list(frag)
        if kind == "K":
            return [htmltree.make("span", **{"class": "corr", "id": f"corr-{slug}-{n + 1}"})]
        term, shown, _ = found.terms[n]
        entry = glossary.get(term.lower())
        if entry is None:
            return [shown]
        mark_id = f"gr-{slug}-{entry.slug}"
        if any(i == mark_id for _, i in marks):
            mark_id = f"{mark_id}-{n + 1}"
        marks.append((entry.slug, mark_id))
        return [htmltree.make("a", shown, **{"class": "glossref", "href": f"#gl-{entry.slug}", "id": mark_id})]

    for parent, el, slot in htmltree.text_slots(root, skip=lambda e: False):
        value = getattr(el, slot)
        if value and "\ue000" in value:
            htmltree.substitute(parent, el, slot, _PLACEHOLDER, substitute)

    _footnote_ids(root, slug)
    _mark_image_paragraphs(root)  # before the numbers: a picture is no paragraph a class discusses
    paragraphs = _number_paragraphs(root, slug)
    mode = glossary_settings(publication.config)["mark"]
    if part.kind == "text" and mode != "manual":
        _mark_glossary(root, slug, publication.glossary, marks, every=mode == "all")
    if publication.config.typography.get("acronyms", "reduced") != "plain":
        set_acronyms(root)
    mark_urls(root)
    for img in root.iter("img"):
        img.set("src", images.get(img.get("src", ""), ""))
    verse.mark_verse(root, part.verse)
    places = _places(root)
    corrections = _place_corrections(places, slug, found.corrections)
    return Converted(part=part, html=htmltree.serialize(root), citations=tuple(found.citations),
                     explicit_terms=tuple((t, loc) for t, _, loc in found.terms),
                     glossary_marks=tuple(marks), corrections=tuple(corrections),
                     paragraphs=paragraphs, places=places,
                     anchors=tuple(b.get("id", "") for b in root if b.get("data-para")),
                     notes=tuple(li.get("id", "") for li in htmltree.notes(root)))


_NOTE_CALL = re.compile(r"\[\^([^\]\s]+)\](?!:)")
_NOTE_DEF = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:", re.MULTILINE)


def _footnotes_within_limit(part: Part, report: Report) -> bool:
    """At most :data:`MAX_FOOTNOTES` notes and as many note calls in one part; else a located error.

    The error is at the first note (or call) over the limit; the part is then not converted
    (its other problems are still reported: they come from the raw text).
    """
    masked = mask_code(part.body)
    within = True
    for what, pattern in (("notes", _NOTE_DEF), ("note calls", _NOTE_CALL)):
        for n, m in enumerate(pattern.finditer(masked), start=1):
            if n > MAX_FOOTNOTES:
                report.error(locate(part.body, m.start(), part.body_location),
                             f"more than {MAX_FOOTNOTES:,} footnote {what} in one text (the limit): "
                             "split the text into parts or merge notes", "too-many-footnotes")
                within = False
                break
    return within


def _inline_within_limit(part: Part, report: Report) -> bool:
    """At most :data:`~chapbook.sourcescan.MAX_INLINE_OPENERS` openers and
    :data:`~chapbook.sourcescan.MAX_SMART_MARKS` quotes, dashes and ellipses in each paragraph; else a
    located error at each paragraph over it, and the part is neither scanned nor converted."""
    overflows = inline_overflows(part.body)
    for offset, count in overflows:
        report.error(locate(part.body, offset, part.body_location),
                     f"a paragraph with {count:,} openers of links, images, notes, glossary marks or code "
                     f"('[' and runs of '`'); at most {MAX_INLINE_OPENERS:,} can be converted in one "
                     "paragraph: split it, or put the brackets in a code block", "too-complex")
    marks = smart_overflows(part.body)
    stanzas = verse.long_stanzas(part.body, part.verse, MAX_SMART_MARKS)
    for line, count in stanzas:
        report.error(Location(part.body_location.path, part.body_location.line + line, 1),
                     f"a stanza of {count:,} lines; at most {MAX_SMART_MARKS:,} can be converted in one stanza: "
                     "split it with a blank line (or a bare '|' in a line block)", "too-complex")
    for offset, count in marks:
        report.error(locate(part.body, offset, part.body_location),
                     f"a paragraph with {count:,} quotes, apostrophes, dashes, ellipses, backslashes, character "
                     f"references or line breaks; at most {MAX_SMART_MARKS:,} can be converted in one paragraph: "
                     "split it", "too-complex")
    return not overflows and not marks and not stanzas


_NOTE_ID = re.compile(r"#?fn(?:ref[0-9]*)?:")  # fn:1, fnref:1, and fnref2:1 of a note's second call


def _footnote_ids(root: ET.Element, slug: str) -> None:
    """fn:1 → fn-SLUG-1 so notes of different texts can share one document; mark editors' notes.

    A note called twice has a second call ``fnref2:1``: left as it was, two texts calling their
    note 1 twice gave the book one id twice."""
    for el in root.iter():
        for attr in ("id", "href"):
            value = el.get(attr)
            if value and _NOTE_ID.match(value):
                label = value.split(":", 1)[1]
                el.set(attr, value.split(":", 1)[0] + f"-{slug}-{label}")
                if label.startswith("ed") and attr == "id":
                    el.set("class", (el.get("class", "") + " ed-note").strip())


def _mark_image_paragraphs(root: ET.Element) -> None:
    """``class="image"`` on each paragraph that holds only an image (a link around it allowed): print.css
    sets it without the paragraph's first-line indent, which pushed an image as wide as the text block
    4.2 mm past the right margin (a new user's first image)."""
    for p in root.iter("p"):
        inner = list(p)
        if len(inner) == 1 and inner[0].tag == "a" and not (inner[0].text or "").strip():
            inner = list(inner[0])
        if (len(inner) == 1 and inner[0].tag == "img" and not (p.text or "").strip()
                and not "".join(el.tail or "" for el in p.iter() if el is not p).strip()):
            p.set("class", (p.get("class", "") + " image").strip())


def _number_paragraphs(root: ET.Element, slug: str) -> int:
    """Number top-level blocks ¶1, ¶2 …: the same numbers in every edition that shows them.

    A sign-off (``{: .signature}``) and a paragraph that only holds a picture are not numbered: they are
    not paragraphs a class discusses (a handout's map was "¶4", and its text's numbers one off).
    """
    n = 0
    for child in root:
        if child.tag in BLOCKS and not UNNUMBERED & set(child.get("class", "").split()):
            n += 1
            child.set("id", child.get("id") or f"p-{slug}-{n}")
            child.set("data-para", str(n))
    return n


def _places(root: ET.Element) -> dict[str, tuple[int, int]]:
    """Every id → (¶ number of the top-level block it is in, number of the note it is in): computed
    once here, so that the corrections list, the handouts' glossaries and the web edition agree."""
    places: dict[str, tuple[int, int]] = {}
    for block in root:
        if htmltree.is_notes(block):
            for number, li in enumerate(block.iter("li"), start=1):
                for el in li.iter():
                    if el.get("id"):
                        places.setdefault(el.get("id"), (0, number))
            continue
        para = int(block.get("data-para", "0"))
        for el in block.iter():
            if el.get("id"):
                places.setdefault(el.get("id"), (para, 0))
    return places


def _place_corrections(places: dict[str, tuple[int, int]], slug: str,
                       corrections: list[Correction]) -> list[Correction]:
    """Fill in paragraph (or note) number of each correction from where its marker landed."""
    placed = []
    for i, c in enumerate(corrections, start=1):
        anchor = f"corr-{slug}-{i}"
        para, note = places.get(anchor, (0, 0))
        placed.append(Correction(c.original, c.corrected, c.location, para, str(note) if note else "", anchor))
    return placed


def _patterns(entry: GlossaryEntry) -> list[re.Pattern[str]]:
    """Acronyms match case-sensitively; words case-insensitively, with plural -s/-es/-ies."""
    pats = []
    for name in sorted({entry.term, *entry.aliases}, key=len, reverse=True):
        words = r"\s+".join(re.escape(w) for w in name.split())
        flags = 0 if name.replace(" ", "").isupper() else re.IGNORECASE
        if flags and re.search(r"[^aeiouy]y$", name, re.IGNORECASE):  # agency → agencies
            words = words[:-1] + "(?:y|ies)"
        pats.append(re.compile(rf"(?<![\w-]){words}(?:s|es)?(?![\w-])", flags))
    return pats


_WORD = re.compile(r"\w+")


@functools.lru_cache(maxsize=4)
def _glossary_index(entries: tuple[GlossaryEntry, ...]):
    """Each entry's patterns and the first-word index, made once per glossary (not once per text:
    with 1,000 terms their patterns outnumber the ``re`` module's own cache, and were compiled again
    for every text)."""
    return [_patterns(e) for e in entries], *_first_word(entries)


def _first_word(entries: tuple[GlossaryEntry, ...]) -> tuple[dict[str, list[int]], list[int]]:
    """Entries by the first word of their names (lower case), so a text is read word by word with one
    dict lookup per word instead of every term's pattern being tried at every position (convert at
    10× spent 2 s there); and the entries with a name that does not begin with a word character
    (searched for, as before)."""
    by_word: dict[str, list[int]] = {}
    anywhere: list[int] = []
    for index, entry in enumerate(entries):
        for name in {entry.term, *entry.aliases}:
            m = _WORD.match(name)
            if m is None:
                anywhere.append(index)
            else:
                by_word.setdefault(m.group().lower(), []).append(index)
    return by_word, sorted(set(anywhere))


def _keys(word: str) -> list[str]:
    """The first words a word of the text may stand for: itself, or a singular under the plurals
    :func:`_patterns` allows (-s, -es, -ies)."""
    w = word.lower()
    keys = [w]
    if w.endswith("s"):
        keys.append(w[:-1])
    if w.endswith("es"):
        keys.append(w[:-2])
    if w.endswith("ies"):
        keys.append(w[:-3] + "y")
    return keys


def _earlier(m: re.Match[str], best) -> bool:
    """Leftmost first; of two at one place, the longer."""
    return best is None or (m.start(), -len(m.group())) < (best[1].start(), -len(best[1].group()))


def _mark_glossary(root: ET.Element, slug: str, entries: tuple[GlossaryEntry, ...],
                   marks: list[tuple[str, str]], every: bool = False) -> None:
    """Link the first occurrence of each term (or alias) in the part, outside headings/links
    (``every``: each occurrence, ``glossary: {mark: all}``).

    The leftmost occurrence of any term not yet marked wins; of those starting there, the longest.
    """
    done = set() if every else {entry_slug for entry_slug, _ in marks}
    used_ids = {mark_id for _, mark_id in marks}
    patterns, by_word, anywhere = _glossary_index(entries)
    todo = {i for i, e in enumerate(entries) if e.slug not in done}

    def skip(el: ET.Element) -> bool:
        return el.tag in _NO_GLOSSARY or "cite" in el.get("class", "")

    def first_match(value: str, pos: int):
        """The leftmost occurrence from ``pos`` of a term not yet marked (of those there, the longest)."""
        best = None
        for i in anywhere:
            for pat in patterns[i] if i in todo else ():
                m = pat.search(value, pos)
                if m and _earlier(m, best):
                    best = (i, m)
        for word in _WORD.finditer(value, pos):
            if best is not None and word.start() >= best[1].start():
                break
            for key in _keys(word.group()):
                for i in by_word.get(key, ()):
                    for pat in patterns[i] if i in todo else ():
                        m = pat.match(value, word.start())
                        if m and _earlier(m, best):
                            best = (i, m)
        return best

    for parent, el, slot in htmltree.text_slots(root, skip):
        value = getattr(el, slot)
        if not value or not todo:
            continue
        pieces: list[str | ET.Element] = []
        pos = 0
        while todo:
            best = first_match(value, pos)
            if best is None:
                break
            index, m = best
            entry = entries[index]
            mark_id, n = f"gr-{slug}-{entry.slug}", 1
            while mark_id in used_ids:  # every occurrence, or after a mark made by hand: a new id
                n += 1
                mark_id = f"gr-{slug}-{entry.slug}-{n}"
            used_ids.add(mark_id)
            pieces += [value[pos:m.start()], htmltree.make("a", m.group(), **{
                "class": "glossref", "href": f"#gl-{entry.slug}", "id": mark_id})]
            marks.append((entry.slug, mark_id))
            if not every:
                todo.discard(index)
            pos = m.end()
        if pieces:
            htmltree.split_text(parent, el, slot, [*pieces, value[pos:]])


def set_acronyms(root: ET.Element) -> None:
    """Wrap runs of capitals (IOM, UNHCR) so CSS can set them in small caps.

    Roman numerals (II, XIV) are numbers and keep full capitals; so do capitals inside a web address.
    """
    for parent, el, slot in htmltree.text_slots(
            root, lambda e: e.tag in {"code", "pre", "abbr"} or "url" in e.get("class", "").split()):
        value = getattr(el, slot)
        if not value or not _ACRONYM.search(value):
            continue
        urls = [u.span() for u in URL.finditer(value)] if "." in value else []

        def caps(m: re.Match[str], urls=urls) -> list[ET.Element] | None:
            if is_roman(m.group(1)) or any(a <= m.start() < b for a, b in urls):
                return None
            return [htmltree.make("abbr", m.group(1), **{"class": "caps"})]

        htmltree.substitute(parent, el, slot, _ACRONYM, caps)


def is_roman(word: str) -> bool:
    """A roman numeral rather than an acronym: II, IV, XIV, LXX, MCMXC — but CV and CD stay acronyms
    (two letters are a numeral only in I, V and X)."""
    return bool(_ROMAN.fullmatch(word)) and (len(word) > 2 or set(word) <= set("IVX"))


def mark_urls(root: ET.Element) -> None:
    """Wrap each web address in running text in ``span.url``: no edition may hyphenate it.

    The print editions add break opportunities inside it (:func:`chapbook.render.print_typography`);
    the EPUB keeps the address as written, so that it can be searched and copied.
    """
    for parent, el, slot in htmltree.text_slots(
            root, lambda e: e.tag in {"code", "pre"} or "url" in e.get("class", "").split()):
        value = getattr(el, slot)
        if value and "." in value:
            htmltree.substitute(parent, el, slot, URL, lambda m: [htmltree.make("span", m.group(), **{"class": "url"})])
