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

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import markdown

from . import htmltree
from .citations import find_citations
from .diagnostics import Location, Report
from .model import Citation, Converted, Correction, GlossaryEntry, Part
from .sourcescan import CRITIC, GLOSSARY_MARK, Rewrite, check_html_and_links, locate, mask_code

_PLACEHOLDER = re.compile("\ue000([CGK])(\\d+)\ue001")
_SMART = {"left-single-quote": "‘", "right-single-quote": "’", "left-double-quote": "“",
          "right-double-quote": "”", "ndash": "–", "mdash": "—", "ellipsis": "…",
          "left-angle-quote": "«", "right-angle-quote": "»"}
BLOCKS = {"p", "ul", "ol", "blockquote", "table", "pre", "dl"}
_NO_GLOSSARY = {"h1", "h2", "h3", "h4", "h5", "h6", "a", "code", "pre", "sup", "abbr"}
_ACRONYM = re.compile(r"\b([A-Z][A-Z0-9&]*[A-Z])(?=s?\b)")


def new_markdown() -> markdown.Markdown:
    """The one Markdown configuration used for every part and every editor-written snippet."""
    return markdown.Markdown(
        extensions=["footnotes", "smarty", "tables", "attr_list", "sane_lists"],
        extension_configs={"smarty": {"substitutions": _SMART},
                           "tables": {"use_align_attribute": True},
                           "footnotes": {"BACKLINK_TITLE": "Back to note %d in the text"}},
    )


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
        n = len(found.citations)
        found.citations.append((citation, locate(body, to_source(citation.start), base)))
        rw3.replace(citation.start, citation.end, f"\ue000C{n}\ue001")
    return rw3.result(), found, images


def convert(part: Part, publication, report: Report, md: markdown.Markdown | None = None) -> Converted:
    """Convert one part; problems go to ``report`` and the part is still converted."""
    errors_before = len(report.errors)
    text, found, images = _prepare(part, publication.root, report)
    md = md or new_markdown()
    md.reset()
    raw_html = md.convert(text)
    try:
        root = htmltree.parse_fragment(raw_html)
    except ET.ParseError as exc:  # only after raw HTML, which was reported above with its place
        if len(report.errors) == errors_before:
            report.error(part.body_location, f"could not convert the Markdown ({exc})")
        root = htmltree.parse_fragment("")
    htmltree.sanitize(root)
    slug = part.slug
    bib = publication.bibliography
    glossary = {e.term.lower(): e for e in publication.glossary}
    for alias_entry in publication.glossary:
        for alias in alias_entry.aliases:
            glossary.setdefault(alias.lower(), alias_entry)
    marks: list[tuple[str, str]] = []

    def substitute(match: re.Match[str]) -> list[str | ET.Element]:
        kind, n = match.group(1), int(match.group(2))
        if kind == "C":
            frag = htmltree.parse_fragment(bib.cite_html(found.citations[n][0]))
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
            pieces: list[str | ET.Element] = []
            pos = 0
            for m in _PLACEHOLDER.finditer(value):
                pieces.append(value[pos:m.start()])
                pieces.extend(substitute(m))
                pos = m.end()
            pieces.append(value[pos:])
            htmltree.split_text(parent, el, slot, [p for p in pieces if not isinstance(p, str) or p])

    _footnote_ids(root, slug)
    paragraphs = _number_paragraphs(root, slug)
    corrections = _place_corrections(root, slug, found.corrections)
    if part.kind == "text":
        _mark_glossary(root, slug, publication.glossary, marks)
    if publication.config.typography.get("acronyms", "reduced") != "plain":
        _set_acronyms(root)
    for img in root.iter("img"):
        img.set("src", images.get(img.get("src", ""), ""))
    return Converted(part=part, html=htmltree.serialize(root), citations=tuple(found.citations),
                     explicit_terms=tuple((t, loc) for t, _, loc in found.terms),
                     glossary_marks=tuple(marks), corrections=tuple(corrections),
                     paragraphs=paragraphs)


def _footnote_ids(root: ET.Element, slug: str) -> None:
    """fn:1 → fn-SLUG-1 so notes of different texts can share one document; mark editors' notes."""
    for el in root.iter():
        for attr in ("id", "href"):
            value = el.get(attr)
            if value and (value.startswith(("fn:", "fnref:", "#fn:", "#fnref:"))):
                label = value.split(":", 1)[1]
                el.set(attr, value.split(":", 1)[0] + f"-{slug}-{label}")
                if label.startswith("ed") and attr == "id":
                    el.set("class", (el.get("class", "") + " ed-note").strip())


def _number_paragraphs(root: ET.Element, slug: str) -> int:
    """Number top-level blocks ¶1, ¶2 …: the same numbers in every edition that shows them."""
    n = 0
    for child in root:
        if child.tag in BLOCKS:
            n += 1
            child.set("id", child.get("id") or f"p-{slug}-{n}")
            child.set("data-para", str(n))
    return n


def _place_corrections(root: ET.Element, slug: str, corrections: list[Correction]) -> list[Correction]:
    """Fill in paragraph (or note) number of each correction from where its marker landed."""
    where: dict[str, tuple[int, str]] = {}
    for child in root:
        para = int(child.get("data-para", "0"))
        if child.tag == "div" and "footnote" in child.get("class", ""):
            for number, li in enumerate(child.iter("li"), start=1):
                for span in li.iter("span"):
                    where[span.get("id", "")] = (0, str(number))
            continue
        for span in child.iter("span"):
            where[span.get("id", "")] = (para, "")
    placed = []
    for i, c in enumerate(corrections, start=1):
        anchor = f"corr-{slug}-{i}"
        para, note = where.get(anchor, (0, ""))
        placed.append(Correction(c.original, c.corrected, c.location, para, note, anchor))
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


def _mark_glossary(root: ET.Element, slug: str, entries: tuple[GlossaryEntry, ...],
                   marks: list[tuple[str, str]]) -> None:
    """Link the first occurrence of each term (or alias) in the part, outside headings/links."""
    done = {entry_slug for entry_slug, _ in marks}
    todo = [(e, _patterns(e)) for e in entries if e.slug not in done]

    def skip(el: ET.Element) -> bool:
        return el.tag in _NO_GLOSSARY or "cite" in el.get("class", "")

    for parent, el, slot in htmltree.text_slots(root, skip):
        value = getattr(el, slot)
        if not value or not todo:
            continue
        pieces: list[str | ET.Element] = []
        pos = 0
        while True:
            best = None
            for entry, pats in todo:
                for pat in pats:
                    m = pat.search(value, pos)
                    if m and (best is None or (m.start(), -len(m.group())) < (best[1].start(), -len(best[1].group()))):
                        best = (entry, m)
            if best is None:
                break
            entry, m = best
            mark_id = f"gr-{slug}-{entry.slug}"
            pieces += [value[pos:m.start()], htmltree.make("a", m.group(), **{
                "class": "glossref", "href": f"#gl-{entry.slug}", "id": mark_id})]
            marks.append((entry.slug, mark_id))
            todo = [(e, p) for e, p in todo if e.slug != entry.slug]
            pos = m.end()
        if pieces:
            pieces.append(value[pos:])
            htmltree.split_text(parent, el, slot, [p for p in pieces if not isinstance(p, str) or p])


def _set_acronyms(root: ET.Element) -> None:
    """Wrap runs of capitals (IOM, UNHCR) so CSS can set them in small caps."""
    for parent, el, slot in htmltree.text_slots(root, lambda e: e.tag in {"code", "pre", "abbr"}):
        value = getattr(el, slot)
        if not value or not _ACRONYM.search(value):
            continue
        pieces: list[str | ET.Element] = []
        pos = 0
        for m in _ACRONYM.finditer(value):
            pieces += [value[pos:m.start()], htmltree.make("abbr", m.group(1), **{"class": "caps"})]
            pos = m.end()
        pieces.append(value[pos:])
        htmltree.split_text(parent, el, slot, [p for p in pieces if not isinstance(p, str) or p])
