"""Text and images that run past the right edge of the text block: found on the laid-out pages.

WeasyPrint sets a word longer than the measure (a German compound, a hash, a URL without
slashes) or a table too wide for the page on past the margin, and past the page's edge, where it
is cut off; the build succeeded while words were lost. A run of 30 characters without a space
may now break anywhere (``span.long-word``: :func:`chapbook.render.print_typography`), and what
still does not fit (a table of ten columns, an image with a fixed width) is found here, page by
page, and reported as a warning at the line of the sources that holds its text
(:class:`chapbook.sourcescan.SourcePlaces`).
"""

from __future__ import annotations

TOLERANCE = 2.0  # CSS px (0.5 mm) past the text block before it counts: rounding, a hanging quote


def overflows(document) -> list[list]:
    """``[page index, how far past the text block in mm, its first words]`` for each page of a
    WeasyPrint document where text or an image runs past the right edge of the text block, and
    ``[page index, mm, first words, "top"]`` where text is set above its top edge: a footnote taller
    than the page's room, which WeasyPrint cannot split, starts above the page, over the running head
    and off the paper, and its first lines were lost while the build succeeded."""
    from weasyprint.formatting_structure import boxes

    found = []
    for index, page in enumerate(document.pages):
        page_box = page._page_box
        right = page_box.content_box_x() + page_box.width
        top = page_box.content_box_y()
        worst, words = 0.0, ""
        cut: list[tuple[float, float, str]] = []  # (y, x, text) of the text set above the text block
        for child in page_box.children:
            if isinstance(child, boxes.MarginBox):
                continue
            for box in child.descendants():
                if isinstance(box, boxes.TextBox | boxes.ReplacedBox):
                    past = box.position_x + box.margin_width() - right
                    if past > max(worst, TOLERANCE):
                        worst = past
                        words = box.text if isinstance(box, boxes.TextBox) else f"[image {box.element.get('src', '')}]"
                if isinstance(box, boxes.TextBox) and top - box.position_y > TOLERANCE:
                    cut.append((box.position_y, box.position_x, box.text))
        if worst:
            found.append([index, round(worst * 25.4 / 96, 1), " ".join(words.split())[:60]])
        if cut:
            cut.sort()
            text = " ".join(" ".join(t for _, _, t in cut).split())
            text = text.split(" ", 1)[1] if text.split(" ", 1)[0].isdigit() and " " in text else text  # a note's number
            found.append([index, round((top - cut[0][0]) * 25.4 / 96, 1), text[:60], "top"])
    return found
