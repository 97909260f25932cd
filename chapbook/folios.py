"""Folios stamped on the book's pages when the parts are joined, not while each part is laid out (issue 11).

A part of the book (:mod:`chapbook.typeset`) laid out with its folios depends on the number of
its first page, so a text that grows by a page made every part after it be laid out again, and
no part could be laid out before every part before it was. The page-number margin boxes (those
whose ``content`` shows ``counter(page)`` or ``counter(pages)``, in ``print.css`` the
``@bottom-left`` and ``@bottom-right`` folios) are therefore left out of the parts
(:func:`suppress_css`), and drawn by one cheap layout of the book's *skeleton*: an empty page for
each page of the book, with the same @page names, sides and blank pages, and only those margin
boxes (:func:`skeleton`, :func:`skeleton_css`). Each page of the skeleton is placed on its book
page as a form XObject marked as a pagination artifact (:func:`stamp`). A part then depends only
on the side it starts on, which its own ``break-before`` fixes: parts can be laid out in any
order, in parallel, and are reused when the pages before them change.

This is possible only where every such margin box shows nothing but counters and strings: a
running head that shows ``string()`` or ``element()`` with the page number must be laid out with
its part. :func:`page_number_boxes` reads the book's stylesheets (``print.css``, a project's
``custom.css``, the template's ``<style>``) and answers None where it cannot tell; the parts then
keep their folios and are laid out one after another, as before.
"""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

MARGIN_BOXES = tuple(f"{edge}-{where}" for edge, places in (
    ("top", ("left-corner", "left", "center", "right", "right-corner")),
    ("bottom", ("left-corner", "left", "center", "right", "right-corner")),
    ("left", ("top", "middle", "bottom")), ("right", ("top", "middle", "bottom"))) for where in places)
_COUNTERS = {"counter", "counters"}
_FROM_CONTENT = {"string", "element", "attr", "content", "target-counter", "target-counters", "target-text",
                 "leader"}
_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>", re.IGNORECASE | re.DOTALL)
_LINK = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_HREF = re.compile(r'\bhref="([^"]*)"')
KNOWN_LINKS = {"chapbook-style:print.css", "chapbook-style:custom.css"}


def page_number_boxes(head: str, stylesheets: list[Path]) -> frozenset[str] | None:
    """The margin boxes that show page numbers, from the book's ``<head>`` and its linked stylesheets
    (``stylesheets``: the files ``chapbook-style:print.css`` and ``custom.css`` resolve to); None if
    one of them also shows the book's content, or a stylesheet is out of sight (another link, an
    ``@import``), or a stylesheet cannot be read."""
    import tinycss2

    for link in _LINK.findall(head):
        href = _HREF.search(link)
        if "stylesheet" in link.lower() and (href is None or htmllib.unescape(href.group(1)) not in KNOWN_LINKS):
            return None
    sources = [m.group(1) for m in _STYLE.finditer(head)]
    for path in stylesheets:
        try:
            sources.append(path.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            return None
    found: set[str] = set()
    try:
        for source in sources:
            rules = tinycss2.parse_stylesheet(source, skip_comments=True, skip_whitespace=True)
            if not _scan(rules, found, tinycss2):
                return None
    except RecursionError:  # functions nested thousands deep: left to WeasyPrint, one part after another
        return None
    return frozenset(found)


def _scan(rules, found: set[str], tinycss2) -> bool:
    """Add the page-number margin boxes of ``rules`` to ``found``; False where it cannot be done."""
    for rule in rules:
        if rule.type != "at-rule":
            continue
        keyword = rule.lower_at_keyword
        if keyword == "import":
            return False
        if keyword in ("media", "supports", "layer") and rule.content is not None:
            inner = tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
            if not _scan(inner, found, tinycss2):
                return False
        elif keyword == "page" and rule.content is not None:
            for item in tinycss2.parse_declaration_list(rule.content, skip_comments=True, skip_whitespace=True):
                if item.type == "at-rule" and item.lower_at_keyword in MARGIN_BOXES and item.content is not None:
                    for decl in tinycss2.parse_declaration_list(item.content, skip_comments=True,
                                                                skip_whitespace=True):
                        if decl.type == "declaration" and decl.lower_name == "content":
                            functions = _functions(decl.value)
                            if _COUNTERS & functions and _page_counter(decl.value):
                                if _FROM_CONTENT & functions:
                                    return False
                                found.add(item.lower_at_keyword)
    return True


def _functions(tokens) -> set[str]:
    names = set()
    for token in tokens:
        if token.type == "function":
            names.add(token.lower_name)
            names |= _functions(token.arguments)
    return names


def _page_counter(tokens) -> bool:
    """Whether a ``counter()``/``counters()`` among ``tokens`` names the page or pages counter."""
    for token in tokens:
        if token.type == "function":
            if token.lower_name in _COUNTERS:
                first = next((t for t in token.arguments if t.type not in ("whitespace", "comment")), None)
                if first is not None and first.type == "ident" and first.lower_value in ("page", "pages"):
                    return True
            elif _page_counter(token.arguments):
                return True
    return False


def suppress_css(boxes: frozenset[str]) -> str:
    """For a part: its page-number margin boxes left out (user ``!important`` wins over the book's rules)."""
    inner = " ".join(f"@{box} {{ content: none !important }}" for box in sorted(boxes))
    return f"@page {{ {inner} }}\n" if boxes else ""


def skeleton_css(boxes: frozenset[str]) -> str:
    """For the skeleton: nothing drawn but the page-number margin boxes (no page or root background,
    border or printer's marks: those are the parts' own)."""
    others = " ".join(f"@{box} {{ content: none !important }}" for box in MARGIN_BOXES if box not in boxes)
    return (f"@page {{ background: none !important; border: none !important; marks: none !important; {others} }}\n"
            "html, body { background: none !important; }\n")


def skeleton(pages: list[tuple[str, bool]]) -> str:
    """The body of the skeleton: an empty block for each non-blank book page, ``(@page name, blank)``
    each, starting a new page with that name; a blank page is left where the book has one, by making
    the next page begin on its own side."""
    out, skipped = [], False
    for number, (name, blank) in enumerate(pages, start=1):
        if blank:
            skipped = True
            continue
        side = ("right" if number % 2 else "left") if skipped else "page"
        page = htmllib.escape(name or "auto", quote=True)
        before = "" if not out else f" break-before: {side};"
        out.append(f'<div style="page: {page};{before}"></div>')
        skipped = False
    return "\n".join(out)


_DRAWING = {"Tj", "TJ", "'", '"', "Do", "f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "sh", "BI"}


def stamp(out, skeleton_pdf: bytes, blank: list[bool]) -> None:
    """Each page of the skeleton that draws anything, on the same page of ``out`` (a pikepdf PDF), as
    a form XObject inside ``/Artifact`` (folios are pagination, outside the structure tree); not on
    ``blank`` pages, which the book leaves empty (the blank parts of :mod:`chapbook.typeset`)."""
    import io

    import pikepdf

    source = pikepdf.open(io.BytesIO(skeleton_pdf))
    if not len(source.pages) == len(out.pages) == len(blank):
        raise ValueError("the skeleton does not have the book's pages")
    for page, folio, empty in zip(out.pages, source.pages, blank, strict=True):
        if empty or not any(str(op) in _DRAWING for _, op in pikepdf.parse_content_stream(folio)):
            continue
        form = out.copy_foreign(folio.as_form_xobject())
        taken = page.obj.get("/Resources", {}).get("/XObject", {})
        name = next(n for i in range(len(taken) + 1) if (n := pikepdf.Name(f"/Folio{i}")) not in taken)
        page.add_resource(form, pikepdf.Name.XObject, name)  # a fixed name: the same bytes every build
        page.contents_add(b"q\n", prepend=True)
        page.contents_add(b"Q\n/Artifact <</Type /Pagination>> BDC q " + bytes(name.unparse()) + b" Do Q EMC\n")
