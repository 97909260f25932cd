"""The tagged PDF without a structure element per line, and one link annotation per linked area (issue 11).

Two things WeasyPrint 70 writes many times over made most of a tagged book's objects (the reader
at 10×: 68,835 objects, 18,142 after these changes), each written by a part, copied into the book
and written again by the join (:mod:`chapbook.bookpdf`), about half of an edit's rebuild:

- **Elements that say nothing.** Every text box (each line of each inline run) gets a structure
  element of its own, ``/Span``, holding one marked-content id; so does every fragment of an
  inline ``<span>`` (chapbook's typography wraps names, title words and compounds in them only to
  steer hyphenation, :mod:`chapbook.render`), and every fragment of an ``<em>``, ``<abbr>``,
  ``<cite>`` or anonymous inline gets a ``/NonStruct``. In a PDF 1.7 structure tree these carry no
  meaning (WeasyPrint gives them no attribute, language or alternate text): a reader of the tree
  reads the same text, in the same order, in the same meaningful elements (paragraphs, headings,
  lists, links, notes) whether the marked content sits in them or directly in their parent, which
  is how WeasyPrint already tags the text of a link. :func:`install` compiles WeasyPrint's own
  ``pdf.tags._build_box_tree`` again so that such inlines (:func:`_flat`, :data:`PLAIN`) and text
  boxes put their marked content directly into the enclosing element (its ``/ParentTree`` entry
  then points to that element). Links (with their annotation), figures, list labels and every
  block keep their elements. The patch is made by :func:`chapbook.weasypatch.recompile`, only
  where WeasyPrint's source matches.
- **A link annotation per box inside a link**, which a screen reader lists as so many links:
  :func:`one_link_per_area` keeps the outermost box's.
"""

from __future__ import annotations

from .weasypatch import recompile

# WeasyPrint's tags for inlines that mean nothing to a reader, without a link annotation of their own
# ("Link" without one: an <a> without href, or a box inside a link, such as the contents' a::after)
PLAIN = frozenset({"Span", "NonStruct", "Link"})
CHANGES = (  # (WeasyPrint's line, chapbook's), each found exactly once
    ("if tag == 'Link':\n                    # Associate MCID directly with link reference.",
     "if tag == 'Link' or kid['tag'] == 'Span':\n                    # MCID in its element (chapbook.pdftags)"),
    ("children = child.children if isinstance(child, boxes.LineBox) else [child]",
     "children = _chapbook_flat(child)"),
)


def _flat(box) -> list:
    """The boxes whose tags go into the element of ``box``'s parent: a line box's children, and those of
    an inline box that WeasyPrint would tag ``/Span`` or ``/NonStruct`` (``<span>``, ``<em>``, ``<abbr>``,
    an anonymous inline: elements that carry no meaning in a PDF 1.7 structure tree), or ``/Link``
    without being one (an inline or block box inside a link, such as the anonymous block that holds
    a ``display: block`` link's text, or an ``<a>`` without ``href``), and that has no link
    annotation or form field of its own, at any depth."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.pdf import tags

    if isinstance(box, boxes.LineBox):
        return [inner for child in box.children for inner in _flat(child)]
    if box.link_annotation or box.widget_annotation or not isinstance(box, boxes.ParentBox):
        return [box]
    tag = tags._get_pdf_tag(None if box.element is None else box.element_tag)
    if (type(box) is boxes.InlineBox and tag in PLAIN) or (tag == "Link" and isinstance(box, boxes.BlockBox)):
        return [inner for child in box.children for inner in _flat(child)]
    return [box]


def install() -> None:
    """Compile ``_build_box_tree`` with text boxes' marked content in their parent (idempotent)."""
    from weasyprint.pdf import tags

    recompile(tags, "_build_box_tree", CHANGES, {"_chapbook_flat": _flat})


def one_link_per_area(document) -> None:
    """Drop each link of a laid-out page whose box lies inside a box of the same link on that page.

    WeasyPrint 70 gives a link's target to every box inside the link (``gather_anchors`` passes it
    down), and each of those boxes gets a link annotation of its own, with its own ``/Link`` element
    in the structure tree: a contents entry was six annotations over one line, an acronym in a
    glossary link two. A screen reader lists each of them as a link, and they were 40 % of the
    book's annotations. The outermost box of each link (each line of it) keeps its annotation; an
    inner box's is dropped only where the outer one's area covers it, so no clickable area is lost.
    One walk down each page's boxes, comparing a box only with its own ancestors' links: linear in
    the page's boxes, however many links a page holds.
    """
    for page in document.pages:
        links = page.links
        if len(links) < 2:
            continue
        own = {id(box): (kind, target, rectangle) for kind, target, rectangle, box in links}
        inner: set[int] = set()
        stack = [(page._page_box, {})]  # a box, and the rectangles of its ancestors' links by (kind, target)
        while stack:
            box, above = stack.pop()
            link = own.get(id(box))
            if link is not None:
                kind, target, rectangle = link
                outer = above.get((kind, target), ())
                if any(_covers(rect, rectangle) for rect in outer):
                    inner.add(id(box))
                else:
                    above = {**above, (kind, target): (*outer, rectangle)}
            stack.extend((child, above) for child in box.all_children())
        if inner:
            links[:] = [link for link in links if id(link[3]) not in inner]


def _covers(outer, inner) -> bool:
    """Whether rectangle ``outer`` (x, y, x2, y2 in CSS px) covers ``inner``, give or take half a pixel."""
    return (outer[0] - 0.5 <= inner[0] and outer[1] - 0.5 <= inner[1] and inner[2] <= outer[2] + 0.5
            and inner[3] <= outer[3] + 0.5)
