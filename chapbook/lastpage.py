"""A document's last page is never left with a few lines on it (issue 13: handouts).

WeasyPrint fills each page as far as it goes, so a handout whose questions (each a keep-together
block with its ruled lines) or last paragraphs just miss the page before ends on a page holding one
question or a few lines: the spies handout ended on a page a quarter full, the fixture's names
handout on its questions' heading and one question. Keeping the last questions together in CSS
would only cover handouts that end in questions, and at a fixed count; what the reader sees is the
last page's fill, so that is what is checked, after pagination, for any content.

:func:`install` wraps ``weasyprint.layout.make_all_pages`` (called by ``layout_document`` once per
pagination pass). When the root element sets ``--chapbook-last-page-min`` (a fraction of the page's
text block; styles/handout.css: 0.34) and the last page holds less, a page break is forced before
the block on the page before whose move brings the last page to the minimum (plus
:data:`SLACK`) while moving as little as possible, and the last two pages are paginated again
through WeasyPrint's own ``page_maker`` (the pages before are kept as they are: no full re-layout).
The break is kept only if the last page is then fuller and no page was added. A block is not
separated from a heading (or a block marked ``break-after: avoid``) before it, and the page before
keeps at least the minimum too. Where the page before holds no such block (one long paragraph that
runs on to the last page), the paragraph's ``widows`` is raised instead, so that more of its lines
go over.
"""

from __future__ import annotations

PROPERTY = "__chapbook_last_page_min"  # --chapbook-last-page-min, on the root element
SLACK = 0.05  # move enough for the last page to hold this much more than the minimum
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def install() -> None:
    """Install the last-page check in WeasyPrint's pagination (idempotent)."""
    from weasyprint import layout

    if getattr(layout.make_all_pages, "chapbook", False):
        return
    original = layout.make_all_pages

    def make_all_pages(context, root_box, html, pages):
        footnotes = context.footnotes.copy()  # the waitlist as a pagination pass starts with it
        pages = list(original(context, root_box, html, pages))
        minimum = last_page_minimum(root_box.style)
        if minimum and len(pages) >= 2:
            pages = _fill_last_page(context, root_box, html, pages, minimum, footnotes, original)
        return pages

    make_all_pages.chapbook = True
    make_all_pages.original = original
    layout.make_all_pages = make_all_pages


def last_page_minimum(style) -> float:
    """The root's ``--chapbook-last-page-min`` as a fraction (0: no minimum)."""
    try:
        value = style[PROPERTY]
    except (KeyError, TypeError):
        return 0.0
    for token in value or ():
        if getattr(token, "type", None) == "number" and 0 < token.value < 1:
            return float(token.value)
    return 0.0


def _fill_last_page(context, root_box, html, pages: list, minimum: float, footnotes: list, original) -> list:
    """``pages`` with a break forced earlier on the page before the last where that fills the last."""
    before, last = pages[-2], pages[-1]
    filled = fill(last)
    if filled >= minimum:
        return pages
    needed, room = minimum + SLACK - filled, 1 - filled - SLACK
    change = _break_before(before, needed, room, minimum) or _widows(before, last, needed, room)
    if change is None:
        return pages
    box, name, value = change
    source = _source(root_box, box)
    if source is None:
        return pages
    style = source.style
    source.style = style.copy()  # computed styles are shared between like siblings (the ruled lines)
    source.style[name] = value
    made = _remake_from(context, root_box, html, pages, len(pages) - 2, footnotes, original)
    if len(made) == len(pages) and fill(made[-1]) > filled:
        return made
    source.style = style  # the move did not help: paginate as WeasyPrint did
    return _remake_from(context, root_box, html, made, len(made) - 2, footnotes, original)


def _source(root_box, laid_out):
    """The box of the document's box tree that ``laid_out`` (on a page) was copied from: pages are
    laid out from copies, so a style is changed on the tree's box."""
    if root_box.element is laid_out.element and type(root_box) is type(laid_out) \
            and root_box.element_tag == laid_out.element_tag:
        return root_box
    for child in getattr(root_box, "children", ()):
        if (found := _source(child, laid_out)) is not None:
            return found
    return None


def _remake_from(context, root_box, html, pages: list, index: int, footnotes: list, original) -> list:
    """Paginate again from page ``index`` on (WeasyPrint keeps the pages before, as on a re-loop)."""
    context.page_maker[index][-1]["content_changed"] = True
    context.footnotes = footnotes.copy()
    return list(original(context, root_box, html, pages))


def _extent(page) -> tuple[float, float]:
    """The top of the page's text block and the lowest border edge of the boxes in it."""
    top = page.content_box_y()
    return top, max((_bottom(box) for box in _blocks(page.children[0])), default=top)


def fill(page) -> float:
    """How much of the page's text block its content takes, 0 to 1: from the top of the block to
    the lowest box's border edge, plus the footnote area."""
    top, bottom = _extent(page)
    notes = sum(child.margin_height() for child in page.children[1:]
                if type(child).__name__ == "FootnoteAreaBox" and child.children)
    return (bottom - top + notes) / page.height if page.height else 1.0


def _break_before(page, needed: float, room: float, keep: float) -> tuple | None:
    """The block on ``page`` to break before: moving it and what follows to the next page frees at
    least ``needed`` and at most ``room`` of the text block, and leaves ``keep`` on this page; of those,
    the one that moves least. (box, "break_before", "page"), or None if there is none."""
    (top, bottom), height = _extent(page), page.height
    best = None
    for box, previous in _candidates(page.children[0]):
        start = box.position_y
        moved, kept = (bottom - start) / height, (start - top) / height
        if needed <= moved <= room and kept >= keep and not _tied(previous) and \
                (best is None or start > best.position_y):
            best = box
    return None if best is None else (best, "break_before", "page")


def _widows(before, last, needed: float, room: float) -> tuple | None:
    """No block to break before (the page before is one long paragraph): the paragraph that runs on
    to the last page leaves it more lines, by its ``widows``. (box, "widows", n), or None."""
    from weasyprint.formatting_structure import boxes

    blocks = [b for b in _blocks(before.children[0]) if any(isinstance(c, boxes.LineBox) for c in b.children)]
    if not blocks:
        return None
    split = blocks[-1]
    going = [c for c in split.children if isinstance(c, boxes.LineBox)]
    arrived = next((b for b in _blocks(last.children[0]) if b.element is split.element), None)
    if arrived is None or not going:
        return None
    line = max(c.height for c in going)
    more = int(needed * before.height // line) + 1
    if more * line > room * before.height or len(going) - more < split.style["orphans"]:
        return None
    already = sum(isinstance(c, boxes.LineBox) for c in arrived.children)
    return split, "widows", already + more


def _tied(previous) -> bool:
    """A block may not be separated from ``previous``: a heading, or a block kept with the next."""
    return previous is not None and (getattr(previous.element, "tag", None) in HEADINGS
                                     or previous.style["break_after"] in ("avoid", "avoid-page"))


def _candidates(box, previous=None):
    """Every in-flow block box of an element, with the in-flow sibling before it (a first child's is
    its parent's: a break before a first child is a break before its parent too)."""
    from weasyprint.css import AnonymousStyle

    children = [c for c in getattr(box, "children", ()) if _is_block(c) and c.is_in_normal_flow()]
    for index, child in enumerate(children):
        before = children[index - 1] if index else previous
        if child.element is not None and "::" not in (child.element_tag or "::") \
                and not isinstance(child.style, AnonymousStyle):  # an anonymous box shares its style
            yield child, before
        if child.style["break_inside"] not in ("avoid", "avoid-page"):  # a question with its lines
            yield from _candidates(child, before)


def _blocks(box):
    for child in getattr(box, "children", ()):
        if _is_block(child):
            yield child
            yield from _blocks(child)


def _is_block(box) -> bool:
    from weasyprint.formatting_structure import boxes

    return isinstance(box, boxes.BlockLevelBox)


def _bottom(box) -> float:
    return box.border_box_y() + box.border_height()
