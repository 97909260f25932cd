"""The web edition's search index: every paragraph of the site, with the anchor that finds it again.

Why not Pagefind: its index is fetched and decoded (WebAssembly) by the browser,
which a page opened from ``file://`` may not do, and the web edition must work
without a server. A reader is small (the IOM reader: about 400 paragraphs,
~250 KB of text), so the whole text, split at paragraphs, is loaded as one
script (``search/index.js``) and searched in the page (``site.js``): results
link to the paragraph itself (``#p-SLUG-12``) and name its place ("¶ 12",
"note 3"), which a page-level index could not.

An entry is ``[href, page title, place, text]``; ``href`` is relative to the
site's root.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

LEAVES = {"p", "li", "dt", "dd", "h1", "h2", "h3", "h4", "td", "th", "blockquote", "pre"}
BLOCKS = LEAVES | {"ul", "ol", "dl", "table", "div", "section", "aside", "nav"}


def _has_block_child(el: ET.Element) -> bool:
    return any(child.tag in BLOCKS for child in el)


def _text(el: ET.Element) -> str:
    """An element's words, without the print page labels ("[p. 23]") set among them."""
    inner = "" if el.get("class") == "page-label" else (el.text or "") + "".join(_text(c) for c in el)
    return inner + (el.tail or "")


def paragraph_entries(path: str, title: str, body: ET.Element, note_word: str) -> list[list[str]]:
    """The searchable pieces of one page (tags already without namespaces); a note's place is
    ``note_word`` (the book's ``words["note"]``, required: no English default) and its number."""
    entries: list[list[str]] = []

    def walk(el: ET.Element, anchor: str, place: str) -> None:
        anchor = el.get("id") or anchor
        if el.get("data-para"):
            place = f"¶ {el.get('data-para')}"
        elif el.tag == "aside" and "footnote" in el.get("class", ""):
            back = el.find(".//a[@class='note-back']")
            place = f"{note_word} {back.text}" if back is not None and back.text else note_word
        if el.tag in LEAVES and not _has_block_child(el):
            text = " ".join((_text(el)[: -len(el.tail)] if el.tail else _text(el)).split())
            if text:
                entries.append([f"{path}#{anchor}" if anchor else path, title, place, text])
            return
        for child in el:
            if child.get("hidden") is None and child.get("class") != "page-label":
                walk(child, anchor, place)

    walk(body, "", "")
    return entries
