"""A footnote stays on the page of its call: WeasyPrint 70 moved it to the next page to make room.

When a line of a paragraph overflows the page and the paragraph may not be broken before it
(fewer lines above it than ``orphans``) but could be after it, WeasyPrint 70's
``block._linebox_layout`` first moves ("reports") the page's footnotes, the last first, to the next
page, so that the line fits; only if that does not help does it break the paragraph. A footnote
then sits a page after its call, and the call's page ends one line lower: the handout of the IOM
profile had its p. 8 footnote at the foot of p. 9, for one more line of a glossary entry. A book
moves the block instead (here, the glossary entry goes whole to the next page), which is what
``_break_line`` does when nothing is reported.

:func:`install` (called where every layout starts, :func:`chapbook.writers.pdf.layout`) compiles
WeasyPrint's own ``_linebox_layout`` again with that one decision turned off (``report = False``);
a footnote whose own text does not fit on its call's page is still carried over, as before. The
patch is made by :func:`chapbook.weasypatch.recompile`, only where WeasyPrint's source matches.
"""

from __future__ import annotations

from .weasypatch import recompile

DECISION = "report = not context.in_column and can_break_now and not could_break_before"


def install() -> None:
    """Compile ``_linebox_layout`` without the footnote report (idempotent; a no-op elsewhere)."""
    from weasyprint.layout import block

    recompile(block, "_linebox_layout", ((DECISION, "report = False"),))
