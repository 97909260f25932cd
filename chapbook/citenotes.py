"""Citations as footnotes, for a CSL note style (``citation_style: chicago-notes-bibliography``).

In a note style a citation is a footnote: the text keeps a note call where the citation was
(after the author's name, for a narrative ``@key``), and the note holds the citation as the
style writes it — in full the first time a text cites a work, shortened after that. The notes
are the text's own: Python-Markdown has already made the author's notes (``[^1]``) when this
runs, and a citation's note joins them in the same ``<div class="footnote">`` list, with the
same ids, call marks and back links, so that every edition (the print notes at the foot of the
page, the EPUB's pop-up notes, the handouts) treats both alike. All of the text's notes are
then numbered in the order of their calls in the text. A citation inside an author's note
stays where it is, written inline as the note's text by the caller
(:meth:`chapbook.bibliography.Bibliography.cite_html`).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence

from . import htmltree
from .model import Citation

__all__ = ["citation_notes"]

_CITATION = re.compile("\ue000C(\\d+)\ue001")  # markup's placeholder of the n-th citation
_BACKLINK_TEXT = "\u21a9"  # ↩, what Python-Markdown's back links show
_AFTER = set(".,;:!?")  # a note call follows these (CMOS 13.26)


def citation_notes(root: ET.Element, citations: Sequence[Citation], bib,
                   smarten: Callable[[ET.Element], None] = lambda tree: None,
                   backlink_title: str = "Back to note {} in the text") -> None:
    """Turn each citation placeholder in the text of ``root`` (not in its notes) into a note.

    ``root`` is a converted part before its placeholders are replaced and its note ids made
    unique (``fn:…`` as Python-Markdown writes them); ``backlink_title`` is the title of a back
    link, with ``{}`` for the note's number; ``smarten`` curls the quotes of the citations' HTML, as
    :func:`chapbook.markup.convert` does for author–date citations (names from BibTeX: D'Cruz).
    """
    bib.start_text()
    notes = next(iter(htmltree.note_blocks(root)), None)
    own = {li.get("id", ""): li for li in notes.iter("li")} if notes is not None else {}
    added: list[ET.Element] = []

    def in_body(el: ET.Element) -> bool:
        return el is notes

    for parent, el, slot in htmltree.text_slots(root, in_body):
        if el.tag == "sup" and slot == "text":  # the call of an author's note: its citations come here, in order
            link = el.find("a")
            note = own.pop((link.get("href", "") if link is not None else "").removeprefix("#"), None)
            if note is not None:
                _inline(note, citations, bib, smarten)
        value = getattr(el, slot)
        if not value or "\ue000C" not in value:
            continue
        pieces: list[str | ET.Element] = []
        pos = 0
        for m in _CITATION.finditer(value):
            before = value[pos:m.start()]
            citation = citations[int(m.group(1))]
            inline, note = bib.note_citation(citation)
            pos = m.end()
            if inline:  # a narrative citation: the note follows the author's name
                frag = htmltree.parse_fragment(inline)
                smarten(frag)
                pieces += [before, *([frag.text] if frag.text else []), *frag]
            else:  # the note takes the place of the citation, after the punctuation that follows it
                mark = value[pos] if pos < len(value) and value[pos] in _AFTER else ""
                pieces += [before.rstrip() + mark]
                pos += len(mark)
            label = f"cite-{len(added) + 1}"
            sup = htmltree.make("sup", id=f"fnref:{label}")
            sup.append(htmltree.make("a", "", **{"class": "footnote-ref", "href": f"#fn:{label}"}))
            pieces.append(sup)
            added.append(_note(label, _capitalised(note), smarten))
        htmltree.split_text(parent, el, slot, [*pieces, value[pos:]])
    for note in own.values():  # notes no call in the text reaches
        _inline(note, citations, bib, smarten)
    if not added:
        return
    if notes is None:
        notes = htmltree.make("div", **{"class": "footnote"})
        notes.append(htmltree.make("hr"))
        notes.append(htmltree.make("ol"))
        root.append(notes)
    ol = notes.find("ol")
    if ol is None:
        ol = htmltree.make("ol")
        notes.append(ol)
    ol.extend(added)
    _number(root, ol, backlink_title)


def _inline(note: ET.Element, citations: Sequence[Citation], bib, smarten: Callable[[ET.Element], None]) -> None:
    """The citations in an author's note, written where they are, as the style writes a note;
    without its closing period where the author's punctuation follows."""
    for parent, el, slot in htmltree.text_slots(note, lambda e: False):
        value = getattr(el, slot)
        if value and "\ue000C" in value:
            htmltree.substitute(parent, el, slot, _CITATION, lambda m: _cited(m, citations, bib, smarten))


def _cited(m: re.Match[str], citations: Sequence[Citation], bib, smarten: Callable[[ET.Element], None]) -> list:
    """A citation in a note, as the style writes it, without its period before the author's punctuation."""
    value = m.string
    html = bib.cite_html(citations[int(m.group(1))])
    if html.endswith(".") and value[m.end():m.end() + 1] in _AFTER | {")"} and m.end() < len(value):
        html = html[:-1]
    frag = htmltree.parse_fragment(html)
    smarten(frag)
    return [*([frag.text] if frag.text else []), *frag]


def _capitalised(html: str) -> str:
    """A note begins with a capital: "See Doe, …" for ``[see @doe]``."""
    return re.sub(r"^((?:<[^<>]+>)*)([^\W\d_])", lambda m: m.group(1) + m.group(2).upper(), html, count=1)


def _note(label: str, html: str, smarten: Callable[[ET.Element], None]) -> ET.Element:
    """``<li id="fn:LABEL"><p>the citation&#160;<a class="footnote-backref">↩</a></p></li>``."""
    li = htmltree.make("li", id=f"fn:{label}")
    p = htmltree.parse_fragment(html)
    smarten(p)
    p.tag = "p"
    back = htmltree.make("a", _BACKLINK_TEXT, **{"class": "footnote-backref", "href": f"#fnref:{label}"})
    if len(p):
        p[-1].tail = (p[-1].tail or "") + "\xa0"
    else:
        p.text = (p.text or "") + "\xa0"
    p.append(back)
    li.append(p)
    return li


def _number(root: ET.Element, ol: ET.Element, backlink_title: str) -> None:
    """Number the notes in the order of their first call in the text, and list them in that order."""
    order: dict[str, int] = {}
    for sup in root.iter("sup"):
        link = sup.find("a")
        if link is None or "footnote-ref" not in link.get("class", "") or not sup.get("id", "").startswith("fnref"):
            continue
        target = link.get("href", "").removeprefix("#")
        order.setdefault(target, len(order) + 1)
        link.text = str(order[target])
    items = list(ol)
    known = [li for li in items if li.get("id") in order]
    known.sort(key=lambda li: order[li.get("id", "")])
    for li in items:
        ol.remove(li)
    for number, li in enumerate(known + [li for li in items if li.get("id") not in order], start=1):
        ol.append(li)
        for back in li.iter("a"):
            if "footnote-backref" in back.get("class", ""):
                back.set("title", backlink_title.format(number))
