"""SVG images are untrusted: parsed safely, refused when they load anything, sanitised when they could run.

An SVG is a document, not a picture: it can carry ``<script>``, ``onload=`` handlers,
``<foreignObject>`` HTML, and references to other files — in ``href``/``xlink:href``/``src``, in
``url()`` in any attribute, and in a ``<style>`` whose CSS may be escaped (``@\\69mport``,
``u\\72l(``) so that no regex on the text sees it. So:

- The file is parsed with lxml with entities unresolved, DTDs unloaded and the network off; a
  DOCTYPE with an internal subset or entities (they could pull in other files) or a malformed file
  is **refused**. A plain DOCTYPE naming the SVG DTD (as Graphviz writes) is accepted and dropped.
- Anything that would *load* something is **refused** (an error at the Markdown line that uses
  the image, reported by :func:`chapbook.sourcescan.svg_problems`): a reference not to the SVG's
  own ``#id``, a ``<?xml-stylesheet?>``, and in ``<style>`` or attribute CSS an ``@import``, or a
  ``url()``/``src()``/``image-set()``/``image()`` to something other than ``#id`` — checked on
  tinycss2's tokens, which have the escapes decoded. Dropping these silently would make a book
  quietly miss part of a picture; the editor decides instead.
- What could *run* is **dropped** from the copy the book gets, with a warning at the SVG's own
  line (a book never runs scripts, so the picture looks the same): ``<script>``, ``<foreignObject>``,
  ``<handler>``, any element in the XHTML namespace, every ``on*`` attribute, and animations
  (``<set>``, ``<animate>`` …) of ``href`` or of an ``on*`` attribute.

:func:`sanitised` is what the EPUB writer and the PDF fetcher use: the cleaned bytes (the file
unchanged when nothing was dropped), or :class:`~chapbook.diagnostics.RefusedResource`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import RefusedResource

SVG_NS = "http://www.w3.org/2000/svg"
XHTML_NS = "http://www.w3.org/1999/xhtml"
DROPPED_ELEMENTS = {"script": "scripts never run in a book", "foreignObject": "it embeds HTML",
                    "handler": "scripts never run in a book", "listener": "scripts never run in a book"}
ANIMATIONS = {"set", "animate", "animateMotion", "animateTransform", "animateColor"}
LOADING_FUNCTIONS = {"url", "src", "image", "image-set", "-webkit-image-set", "cross-fade"}
OWN_IDS_ONLY = "an SVG image may only refer to its own '#ids'"


@dataclass(frozen=True)
class Finding:
    line: int  # in the SVG file, 1-based
    col: int
    message: str


@dataclass
class Review:
    refused: list[Finding] = field(default_factory=list)  # the image may not be used
    dropped: list[Finding] = field(default_factory=list)  # removed from the copy the book gets
    clean: bytes = b""  # what the book gets (empty when refused)


def review_file(path: Path) -> Review:
    """:func:`review` of a file, cached while the file is unchanged (the check and writers share it)."""
    try:
        stat = path.stat()
        return _cached(str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    except OSError as exc:
        return Review(refused=[Finding(1, 1, f"cannot be read ({exc.strerror})")])


@functools.lru_cache(maxsize=64)
def _cached(path: str, mtime_ns: int, size: int) -> Review:
    return review(Path(path).read_bytes())


def sanitised(data: bytes, name: str) -> bytes:
    """The SVG as a book may carry it, or :class:`RefusedResource` naming the first refusal."""
    result = review(data)
    if result.refused:
        first = result.refused[0]
        raise RefusedResource(f"{name}:{first.line}:{first.col}: {first.message}")
    return result.clean


def review(data: bytes) -> Review:
    from lxml import etree

    out = Review()
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                             attribute_defaults=False, huge_tree=False, remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (1, 1)
        out.refused.append(Finding(line or 1, col or 1, f"not a well-formed SVG ({exc.msg})"))
        return out
    tree = root.getroottree()
    text = data.decode(tree.docinfo.encoding or "utf-8", "replace")
    lines = text.splitlines() or [""]
    dtd = tree.docinfo.internalDTD  # lxml's view of the DOCTYPE: its internal subset's declarations
    declares = dtd is not None and bool(list(dtd.entities()) or list(dtd.elements()))
    if declares or tree.docinfo.externalDTD is not None or any(isinstance(el, etree._Entity) for el in root.iter()):
        out.refused.append(Finding(*_find(lines, 1, len(lines), "<!DOCTYPE"), "SVG with a DOCTYPE that declares "
                                   "entities is refused (they could pull in other files)"))
        return out
    if etree.QName(root).localname != "svg":
        out.refused.append(Finding(root.sourceline or 1, 1, f"not an SVG (its root element is "
                                   f"<{etree.QName(root).localname}>)"))
        return out
    # A plain DOCTYPE naming the SVG DTD (Graphviz, Inkscape's older files) declares nothing: it is
    # accepted, never loaded, and left out of the copy the book and the EPUB use.
    changed = bool(tree.docinfo.doctype)
    for pi in [*root.itersiblings(etree.ProcessingInstruction, preceding=True),
               *root.iter(etree.ProcessingInstruction)]:
        if pi.target.lower() == "xml-stylesheet":
            out.refused.append(Finding(*_find(lines, 1, len(lines), "<?xml-stylesheet"),
                                       "the SVG loads a stylesheet with <?xml-stylesheet?>; " + OWN_IDS_ONLY))
        elif pi.getparent() is not None:
            _remove(pi)
            changed = True

    for el in list(root.iter(etree.Element)):
        if el is not root and not any(a is root for a in el.iterancestors()):  # inside something dropped
            continue
        qname = etree.QName(el)
        written = f"{el.prefix}:{qname.localname}" if el.prefix else qname.localname
        end = el.sourceline or 1
        start, col = _find(lines, max(1, end - 50), end, f"<{written}", backwards=True)
        reason = DROPPED_ELEMENTS.get(qname.localname) or ("it is HTML" if qname.namespace == XHTML_NS else "")
        target = (el.get("attributeName") or "").split(":")[-1].lower()
        if not reason and qname.localname in ANIMATIONS and (target in ("href", "src") or target.startswith("on")):
            reason = f"it animates '{el.get('attributeName')}'"
        if reason:
            out.dropped.append(Finding(start, col, f"<{written}> dropped from the image: {reason}"))
            _remove(el)
            changed = True
            continue
        for name, value in list(el.attrib.items()):
            local = etree.QName(name).localname
            shown = _written_attribute(el, name)
            if local.lower().startswith("on"):
                at = _find(lines, start, end, f"{shown}=")
                out.dropped.append(Finding(*at, f"event handler '{shown}' dropped from the image: scripts never "
                                           "run in a book"))
                del el.attrib[name]
                changed = True
                continue
            refs = [(value.strip(), "")] if local in ("href", "src") else []
            if "(" in value or "\\" in value:
                refs += _css_refs(value, inline=True)
            bad = [(ref, how) for ref, how in refs if ref and not ref.startswith("#")]
            for ref, how in bad:
                at = _find(lines, start, end, ref) if ref in text else _find(lines, start, end, f"{shown}=")
                out.refused.append(Finding(*at, f"the SVG refers to '{ref[:80]}'{how} (line {at[0]}); "
                                           + OWN_IDS_ONLY))
            if bad:
                del el.attrib[name]
                changed = True
        if qname.localname == "style" and el.text:
            bad = [(ref, how, line) for ref, how, line in _style_refs(el.text)]
            for ref, how, line in bad:
                at_line = start + line - 1
                out.refused.append(Finding(at_line, 1, f"the SVG's <style> loads '{ref[:80]}' with {how} (line "
                                           f"{at_line}); refused: " + OWN_IDS_ONLY))
            if bad:
                el.text = ""
                changed = True
    if not out.refused:
        _refuse_use_bombs(root, lines, out)
    if not out.refused:
        out.clean = etree.tostring(root, encoding="UTF-8", xml_declaration=True) if changed else data
    return out


# What references may add to the elements an SVG draws. Each ``<use>`` draws a copy of what it refers
# to, so ten of them referring to a group of ten, nine levels deep, draw 10⁹ elements from a file of
# 2 KB: the PDF build hung (a review). A marker is drawn at each vertex of a shape, a mask or clip
# path for each element it is applied to. What is drawn may exceed what the file holds by this many
# elements, plus twice the file's own (a scatter plot of 25,000 ``<use>`` of one marker path, as
# matplotlib writes it, draws 50,000 and is fine).
USE_COPIES = 20_000
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
# Not drawn where they stand, only where something refers to them.
_NOT_DRAWN = {"defs", "symbol", "marker", "pattern", "clipPath", "mask", "linearGradient", "radialGradient",
              "filter", "style", "title", "desc", "metadata", "script"}
# Properties whose url(#id) draws the target's content again for each element that has it: markers (at
# each vertex for marker and marker-mid, once for marker-start and -end), masks, clip paths, and
# patterns (WeasyPrint draws a pattern's content for each element it fills; a gradient is painted once).
_DRAWN_REFS = ("marker", "marker-start", "marker-mid", "marker-end", "mask", "clip-path", "fill", "stroke")
_PER_VERTEX = {"marker", "marker-mid"}
_DRAWN_TARGETS = {"marker", "mask", "clipPath", "pattern"}
_SHAPES = {"path", "line", "polyline", "polygon"}  # what markers go on
_GRAPHICS = _SHAPES | {"rect", "circle", "ellipse", "text", "use", "image", "g"}
_URL_ID = re.compile(r"url\(\s*['\"]?#([^)'\"\s]+)")
_PROPERTY_URL = re.compile(r"([\w-]+)\s*:\s*url\(\s*['\"]?#([^)'\"\s]+)")
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def _refuse_use_bombs(root, lines: list[str], out: Review) -> None:
    """Refuse the SVG when what its references draw exceeds what it holds by more than :data:`USE_COPIES`
    elements (plus twice its own), or when a ``<use>`` reaches itself through others. References are
    followed as WeasyPrint follows them: the first element of an id in document order, ``xlink:href``
    before ``href``."""
    from lxml import etree

    elements = [el for el in root.iter(etree.Element)]
    ids: dict = {}
    for el in elements:
        if el.get("id"):
            ids.setdefault(el.get("id"), el)
    names = {el: etree.QName(el).localname for el in elements}
    styles = " ".join(el.text or "" for el in elements if names[el] == "style")
    # what a <style> rule may set on any element: (property, target), counted on every graphic it fits
    styled = [(prop.lower(), ids[i]) for prop, i in _PROPERTY_URL.findall(styles)
              if i in ids and names[ids[i]] in _DRAWN_TARGETS and prop.lower() in _DRAWN_REFS]
    if not any(names[el] == "use" for el in elements) and not styled and not any(
            "url(" in (el.get(a) or "") for el in elements for a in (*_DRAWN_REFS, "style")):
        return
    drawn: dict = {}  # element → how many elements drawing it draws (itself, its children, what it refers to)
    busy: set = set()

    def target(value: str | None):
        value = (value or "").strip()
        if value.startswith("#"):
            return ids.get(value[1:])
        m = _URL_ID.search(value)
        return ids.get(m.group(1)) if m else None

    def count(el) -> int:
        if el in drawn:
            return drawn[el]
        if el in busy:
            raise _Cycle(el)
        busy.add(el)
        name = names.get(el, "")
        total = 1 + sum(count(child) for child in el.iterchildren(etree.Element) if names.get(child) not in _NOT_DRAWN)
        if name == "use":
            used = target(el.get(_XLINK_HREF)) if el.get(_XLINK_HREF) else target(el.get("href"))
            if used is not None:
                total += count(used)
        refs = [(a, target(el.get(a))) for a in _DRAWN_REFS if el.get(a)]
        refs += [(prop.lower(), ids.get(i)) for prop, i in _PROPERTY_URL.findall(el.get("style", ""))]
        if name in _GRAPHICS and styled:  # a rule may set them here, but never inside what it refers to
            inside = set(el.iterancestors())
            refs += [(prop, ref) for prop, ref in styled if ref not in inside]
        for prop, ref in refs:
            if ref is None or names.get(ref) not in _DRAWN_TARGETS or prop not in _DRAWN_REFS:
                continue
            if names[ref] == "marker" and name not in _SHAPES:
                continue  # markers go on paths, lines, polylines and polygons only
            times = _vertices(el, name) if names[ref] == "marker" and prop in _PER_VERTEX else 1
            total += times * count(ref)
        busy.discard(el)
        drawn[el] = total
        return total

    try:
        excess = count(root) - 3 * len(elements)  # what it draws beyond twice more than it holds
    except _Cycle as cycle:
        line = cycle.element.sourceline or 1
        out.refused.append(Finding(line, 1, f"the SVG's <{names[cycle.element]}> (line {line}) refers, through "
                                   "others, to itself"))
        return
    except RecursionError:
        excess = USE_COPIES + 1
    if excess > USE_COPIES:
        first = next((el for el in elements if names[el] == "use"), None)
        at = _find(lines, 1, len(lines), "<use") if first is not None else (1, 1)
        out.refused.append(Finding(*at, f"the SVG's references (<use>, markers, masks) would draw {excess:,} "
                                   f"elements more than it holds (at most {USE_COPIES:,}: it would take minutes to "
                                   "lay out); draw the elements themselves, or fewer copies"))


def _vertices(el, name: str) -> int:
    """At most how many vertices a shape has (where a marker may be drawn)."""
    if name == "line":
        return 2
    return max(2, len(_NUMBER.findall(el.get("d" if name == "path" else "points", ""))) // 2 + 1)


class _Cycle(Exception):
    def __init__(self, element) -> None:
        self.element = element


def _written_attribute(el, name: str) -> str:
    """An attribute's name as written: ``xlink:href``, ``onload``."""
    from lxml import etree

    qname = etree.QName(name)
    if not qname.namespace:
        return qname.localname
    prefix = next((p for p, uri in el.nsmap.items() if uri == qname.namespace and p), None)
    if qname.namespace == "http://www.w3.org/XML/1998/namespace":
        prefix = "xml"
    return f"{prefix}:{qname.localname}" if prefix else qname.localname


def _remove(node) -> None:
    """Remove an element or processing instruction, keeping the text that followed it."""
    parent = node.getparent()
    if node.tail:
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)


def _find(lines: list[str], first: int, last: int, needle: str, backwards: bool = False) -> tuple[int, int]:
    """(line, col) of ``needle`` between lines ``first`` and ``last``; else (first or last, 1)."""
    numbers = range(last, first - 1, -1) if backwards else range(first, last + 1)
    for number in numbers:
        if 1 <= number <= len(lines):
            at = lines[number - 1].find(needle)
            if at >= 0:
                return number, at + 1
    return (last if backwards else first), 1


def _css_refs(css: str, inline: bool = False) -> list[tuple[str, str]]:
    """(reference, ' with how') of what some CSS would load; escapes decoded by tinycss2."""
    return [(ref, f" with {how}") for ref, how, _ in _walk_css(css, inline)]


def _style_refs(css: str) -> list[tuple[str, str, int]]:
    """(reference, how, line in the CSS) of every load in a ``<style>``; an @import always counts."""
    return [(ref or "(an @import)", how, line) for ref, how, line in _walk_css(css, inline=False)
            if how == "@import" or (ref and not ref.startswith("#"))]


def _walk_css(css: str, inline: bool) -> list[tuple[str, str, int]]:
    import tinycss2

    found: list[tuple[str, str, int]] = []

    def walk(tokens) -> None:
        for token in tokens or ():
            kind = getattr(token, "type", "")
            line = getattr(token, "source_line", 1)
            if kind == "url":
                found.append((token.value.strip(), "url()", line))
            elif kind == "function":
                if token.lower_name in LOADING_FUNCTIONS:
                    strings = [a.value.strip() for a in token.arguments if a.type in ("string", "url")]
                    found.extend((s, f"{token.lower_name}()", line) for s in strings)
                    if not strings and token.lower_name in ("url", "src"):  # url(x y): not a plain reference
                        found.append((tinycss2.serialize(token.arguments).strip() or "?", f"{token.lower_name}()",
                                      line))
                walk(token.arguments)
            elif kind == "at-rule":
                if token.lower_at_keyword == "import":
                    refs = [a.value for a in token.prelude if a.type in ("string", "url")]
                    found.append(((refs or [""])[0], "@import", line))
                walk(token.prelude)
                walk(token.content)
            elif kind == "qualified-rule":
                walk(token.prelude)
                walk(token.content)
            elif kind == "declaration":
                walk(token.value)
            elif kind in ("() block", "[] block", "{} block"):
                walk(token.content)

    if inline:
        walk(tinycss2.parse_component_value_list(css, skip_comments=True))
    else:
        walk(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))
    return found
