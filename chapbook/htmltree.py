"""Small helpers for working on HTML fragments as ElementTree trees.

Python-Markdown's output (with smart punctuation configured to emit
characters, not entities) is well-formed XML, so the markup stage parses it
once and does every transformation on a tree instead of on strings: marking
glossary terms in text nodes only, numbering paragraphs, restructuring
footnotes, and whitelisting elements and attributes.
"""

from __future__ import annotations

import html
import html.entities
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator

# Elements and attributes Markdown may produce; anything else is dropped.
ALLOWED_TAGS = {
    "div", "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "dl", "dt",
    "dd", "pre", "code", "em", "strong", "i", "b", "sup", "sub", "a", "span", "br", "hr", "img",
    "table", "thead", "tbody", "tr", "th", "td", "abbr", "q", "cite", "small", "del", "ins",
}
ALLOWED_ATTRS = {"id", "class", "href", "src", "alt", "title", "lang", "dir", "align", "colspan",
                 "rowspan", "start"}
SAFE_HREF = re.compile(r"^(https?:|mailto:|#)", re.IGNORECASE)


# A named character reference: Markdown passes &nbsp; &mdash; &eacute; through as written, and the
# XML parser knows only the five of XML ("undefined entity", and the whole text was refused).
_NAMED = re.compile(r"&([A-Za-z][A-Za-z0-9]{0,31});")
_XML_NAMED = {"amp", "lt", "gt", "quot", "apos"}


def _character(m: re.Match[str]) -> str:
    """HTML's named references as their characters (escaped where XML needs it); a name HTML does not
    define stays as written, as a browser shows it."""
    name = m.group(1)
    if name in _XML_NAMED:
        return m.group(0)
    text = html.entities.html5.get(name + ";")
    if text is None:
        return "&amp;" + name + ";"
    return html.escape(text)  # quotes too: &QUOT; inside a link's title must not end the attribute


NUMERIC_REFERENCE = re.compile(r"&#(?:[0-9]{1,8}|[xX][0-9A-Fa-f]{1,8});")
# What XML 1.0 allows in a document; HTML shows anything else a reference names as U+FFFD.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def numeric_character(reference: str) -> str:
    """A numeric reference (``&#x202E;``) as the character HTML reads it as (&#X41; and &#0; too, which
    XML refuses; a character XML cannot hold is U+FFFD)."""
    return _NOT_XML.sub("\ufffd", html.unescape(reference))


def _numeric(m: re.Match[str]) -> str:
    return html.escape(numeric_character(m.group(0)))


_REFERENCE = re.compile(rf"{NUMERIC_REFERENCE.pattern}|{_NAMED.pattern}")


def read_references(text: str) -> str:
    """``text`` with its character references as :func:`parse_fragment` reads them in Markdown's output.

    An image's destination (``caf&eacute;.png``, ``Q&amp;A.png``) reaches the tree as the characters its
    references stand for, so the file it names is found, and its ``src`` matched, by this reading.
    """
    def character(m: re.Match[str]) -> str:
        reference = m.group(0)
        if reference[1] == "#":
            return numeric_character(reference)
        return html.entities.html5.get(reference[1:], reference)

    return _REFERENCE.sub(character, text) if "&" in text else text


def parse_fragment(fragment: str) -> ET.Element:
    """Parse a fragment into a <div> root; raises ET.ParseError on malformed input."""
    if "&" in fragment:
        fragment = NUMERIC_REFERENCE.sub(_numeric, _NAMED.sub(_character, fragment))
    return ET.fromstring(f"<div>{fragment}</div>")


def serialize(root: ET.Element, method: str = "xml") -> str:
    """The children of ``root`` as a string (``xml`` for XHTML, ``html`` for the print HTML)."""
    text = ET.tostring(root, encoding="unicode", method=method)
    # strip the wrapper <div> … </div>
    return text[text.index(">") + 1: text.rindex("<")]


def sanitize(root: ET.Element) -> list[str]:
    """Drop disallowed elements (keeping their text) and attributes; return what was dropped.

    Raw HTML is rejected before Markdown runs; this is the second line of
    defence against what attribute lists or Markdown itself could produce.
    """
    dropped: list[str] = []
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag not in ALLOWED_TAGS:
                dropped.append(f"<{child.tag}>")
                _unwrap(parent, child)
        for name in list(parent.attrib):
            value = parent.attrib[name]
            if name not in ALLOWED_ATTRS:
                dropped.append(f"{name}=")
                del parent.attrib[name]
            elif name == "href" and not SAFE_HREF.match(value.strip()):
                dropped.append(f"href={value}")
                del parent.attrib[name]
            elif name == "href" and value != mend_href(value):  # a line break XML read as a space
                mend_link(parent)
            elif name == "dir" and value not in DIRECTIONS:
                dropped.append(f"dir={value}")
                del parent.attrib[name]
    return dropped


# A line break inside an address, with the spaces around it: where an editor's wrapping cut it. Markdown
# keeps it in an autolink (``<https://example.org/a`` on one line, ``b>`` on the next) and in a link's
# destination, and "https://example.org/a b" is no URL (EPUBCheck RSC-020).
_WRAPPED = re.compile(r"[ \t]*\r?\n[ \t]*")


def mend_href(href: str) -> str:
    """``href`` as one address: the line breaks wrapping cut it with joined up again, and any other
    whitespace left in it written as %20 (``<https://example.org/a b>``), as a browser sends it."""
    joined = _WRAPPED.sub("", href.strip())
    return re.sub(r"\s", lambda m: f"%{ord(m.group()):02X}", joined)


def mend_link(a: ET.Element) -> None:
    """A link whose address a line break cut (:func:`mend_href`); when it shows its address (an
    autolink), the address it shows is joined up too, so that a reader copies the one it leads to.
    Markdown's own trees are mended (:class:`chapbook.markup.MendLinks`) before XML reads the line
    break inside an attribute as a space; :func:`sanitize` mends what is left."""
    href = a.get("href", "")
    shown = a.text or ""
    if not len(a) and "\n" in shown and _WRAPPED.sub("", shown.strip()) in _WRAPPED.sub("", href.strip()):
        a.text = type(shown)(_WRAPPED.sub("", shown.strip()))  # Markdown's AtomicString stays one
    a.set("href", mend_href(href))


DIRECTIONS = ("ltr", "rtl", "auto")


def set_directions(root: ET.Element, around: str) -> None:
    """``dir`` on every element whose ``lang`` runs the other way than the text ``around`` it (an
    Arabic quotation in an English text, ``{: lang=ar}``), unless the editor set one."""
    from .directions import direction

    def walk(el: ET.Element, outer: str) -> None:
        here = el.get("dir") if el.get("dir") in ("ltr", "rtl") else outer
        if el.get("lang") and el.get("dir") is None and direction(el.get("lang")) != outer:
            here = direction(el.get("lang"))
            el.set("dir", here)
        for child in el:
            walk(child, here)

    walk(root, around)


def _unwrap(parent: ET.Element, child: ET.Element) -> None:
    """Replace ``child`` by its text and children."""
    index = list(parent).index(child)
    text = (child.text or "")
    parent.remove(child)
    kids = list(child)
    for offset, kid in enumerate(kids):
        parent.insert(index + offset, kid)
    tail_holder = kids[-1] if kids else None
    if tail_holder is not None:
        tail_holder.tail = (tail_holder.tail or "") + (child.tail or "")
    else:
        text += child.tail or ""
    if index + len(kids) > 0 and index > 0:
        prev = parent[index - 1]
        prev.tail = (prev.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def text_slots(root: ET.Element, skip: Callable[[ET.Element], bool]
               ) -> Iterator[tuple[ET.Element, ET.Element, str]]:
    """Yield (parent, element, 'text'|'tail') for every text node in document order.

    ``skip(el)`` excludes an element's own text and its descendants (its tail
    still belongs to the parent and is yielded). The parent is yielded so
    that tail text can be split without a parent map. A caller may split the
    slot just yielded; the elements it inserts are not walked again.
    """

    def walk(parent: ET.Element, el: ET.Element) -> Iterator[tuple[ET.Element, ET.Element, str]]:
        if not skip(el):
            children = list(el)
            yield parent, el, "text"
            for child in children:
                yield from walk(el, child)
        yield parent, el, "tail"

    children = list(root)
    yield root, root, "text"
    for child in children:
        yield from walk(root, child)


def substitute(parent: ET.Element, el: ET.Element, slot: str, pattern: re.Pattern[str],
               replace: Callable[[re.Match[str]], list[str | ET.Element] | None]) -> bool:
    """Each match of ``pattern`` in ``el``'s text slot replaced by the strings and elements
    ``replace(match)`` gives, or kept where it gives None; True if anything was replaced."""
    value = getattr(el, slot) or ""
    pieces: list[str | ET.Element] = []
    pos, replaced = 0, False
    for m in pattern.finditer(value):
        new = replace(m)
        if new is None:
            continue
        pieces += [value[pos:m.start()], *new]
        pos, replaced = m.end(), True
    if replaced:
        split_text(parent, el, slot, [*pieces, value[pos:]])
    return replaced


def split_text(parent: ET.Element, el: ET.Element, slot: str,
               pieces: list[str | ET.Element]) -> None:
    """Replace the text in ``el``'s slot by a sequence of strings and new elements (empty strings skipped)."""
    pieces = [p for p in pieces if not isinstance(p, str) or p]
    if slot == "text":
        el.text = None
        container, index, prev = el, 0, None
    else:
        el.tail = None
        container, index, prev = parent, list(parent).index(el) + 1, el
    for piece in pieces:
        if isinstance(piece, str):
            if prev is None:
                container.text = (container.text or "") + piece
            else:
                prev.tail = (prev.tail or "") + piece
        else:
            container.insert(index, piece)
            index += 1
            prev = piece


def make(tag: str, text: str = "", **attrs: str) -> ET.Element:
    el = ET.Element(tag, {k.rstrip("_").replace("__", ":"): v for k, v in attrs.items()})
    el.text = text or None
    return el


def is_notes(el: ET.Element) -> bool:
    """Python-Markdown's block of footnotes, ``<div class="footnote"><hr/><ol><li id="fn-…">``."""
    return el.tag == "div" and "footnote" in el.get("class", "").split()


def note_blocks(root: ET.Element) -> list[ET.Element]:
    """The footnote blocks among a fragment's top-level blocks (Markdown puts one at the end)."""
    return [el for el in root if is_notes(el)]


def notes(root: ET.Element) -> list[ET.Element]:
    """Every footnote of a fragment (its ``<li>``), in note-number order."""
    return [li for block in note_blocks(root) for li in block.iter("li")]


def drop(root: ET.Element, target: ET.Element) -> None:
    """Remove ``target`` from under ``root``, keeping its tail and trimming the no-break space before it.

    Markdown joins a note's back link to its last word with a no-break space; a writer
    that drops the link (print notes, EPUB notes with their own back link) drops that space too.
    """
    for parent in root.iter():
        children = list(parent)
        if target in children:
            index = children.index(target)
            tail = (target.tail or "").strip("\xa0 ")
            if index:
                prev = children[index - 1]
                prev.tail = ((prev.tail or "").rstrip("\xa0 ") + tail) or None
            else:
                parent.text = ((parent.text or "").rstrip("\xa0 ") + tail) or None
            parent.remove(target)
            return


def backlinks(el: ET.Element) -> list[ET.Element]:
    """Markdown's links from a note back to its call."""
    return [a for a in el.iter("a") if "footnote-backref" in a.get("class", "")]
