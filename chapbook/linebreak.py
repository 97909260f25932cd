"""Paragraph line breaking for WeasyPrint 70's print layout (issue 13): loose lines, hyphen runs, page turns.

WeasyPrint breaks a paragraph greedily, line by line (first fit), and justifies a line only by
stretching its spaces. A line ends where the next word no longer fits; when that word may not be
hyphenated (a name, a web address, a paragraph's last word, an acronym, a word of under six letters,
a word the patterns do not split, such as "global"; :mod:`chapbook.hyphenation` chooses the
patterns) the line is left with all the slack, and its spaces stretch to three or
four times normal. (A word at the start of another inline box — a citation, a quotation, a glossary
mark — is hyphenated like any other: ``split_first_line`` tries to hyphenate the first word of the
box's text when nothing before it fits.) It also has no ``hyphenate-limit-lines`` and no idea of a
page turn.

:func:`install` (called where every layout starts, :func:`chapbook.writers.pdf.layout`, like
:func:`chapbook.render.fix_weasyprint_line_breaks`) replaces the iterator WeasyPrint's block
layout takes a paragraph's lines from (``weasyprint.layout.block.iter_line_boxes``). For a
justified paragraph it lays the lines out as WeasyPrint does, but measures each line before
justifying it: the *word-space ratio*, a line's justified space against the font's normal space.
If a line would stretch beyond :data:`TRIGGER` or a run of hyphenated lines would pass the limit,
the lines around it are broken again as a small total-fit search (Knuth–Plass-like) over three
choices per line, all made by WeasyPrint's own line layout with another break width:

- *as WeasyPrint* (the measure);
- *tight*: a measure widened by a fifth of the line's spaces and by a hundredth of an em per
  letter, then justified to the real measure with spaces narrower than normal (never under
  :data:`MIN_RATIO`) and, if the spaces alone cannot take it, letters closed up by at most
  :data:`TRACKING` em, so the line takes the next word or syllable, as TeX's shrinkable glue
  (and microtype's font expansion) do;
- *loose*: just short of the line's natural width, so it gives its last word (or syllable) to the
  next line, which then has more to fill its measure;
- and, where a run of hyphenated lines reaches the limit, the same without automatic hyphenation.

The choice minimises (lines stretched beyond :data:`GOAL`, then the sum of each line's cubic
badness plus hyphen penalties), keeps the lines before the window as WeasyPrint set them, and
rejoins WeasyPrint's own breaks after it, so only a few lines of a few paragraphs are laid out
again: the book is laid out once, as before. A path that has not met WeasyPrint's breaks by the
window's end (a tight first line shifts every later line by a word) is run on as WeasyPrint
breaks its lines (:func:`_run_out`) and compared with the others on the same lines. Lines are
justified only once chosen; a line still looser than :data:`GOAL` is letter-spaced by up to
:data:`TRACKING` em (a hundredth of an em, not seen) so that its letters take a little of the slack.

Last resort: a line still looser than :data:`LAST_RESORT` after that search is searched again over a
wider window (:data:`WIDE_BACK` lines before it, :data:`WIDE_AHEAD` after, :data:`WIDE_BEAM` states,
lines before it may take a word too, lines after it may give one) with spaces allowed down to
:data:`WIDE_MIN_RATIO` and common words capitalised in a title hyphenated (``span.title-word``,
``--chapbook-last-resort-hyphens: auto`` in print.css: "Interna-tional Organization" where the line
would otherwise stay loose, never where it need not); kept only if
the window's worst line is then less loose. Words kept whole (names, a paragraph's last word) stay
whole: hyphenating them is a defect of its own (issue 13).

Hyphen runs: no more than ``--chapbook-hyphenate-limit-lines`` (a CSS custom property, inherited;
default :data:`LIMIT_LINES`) consecutive lines end in a hyphen, in every paragraph, ragged ones too.

Page turns: WeasyPrint's ``_break_line`` (where a paragraph is split between pages, after widows
and orphans) is wrapped so that when the page's last line ends in a hyphen, that line is set
again without hyphenation (tight if the whole word fits that way), and the word goes whole to
the next page.

Paragraphs with floats, absolutely positioned boxes, ``::first-letter``/``::first-line`` styles,
preserved white space or right-to-left text are left to WeasyPrint.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from math import inf

GOAL = 1.75  # a justified line's spaces should stretch no more than this (× normal)
TRIGGER = 1.75  # a paragraph is searched when a line stretches more than this, or a hyphen run is too long
MIN_RATIO = 0.8  # a tight line's spaces may shrink to this (× normal)
TIGHT_FROM = 1.3  # try a tight line only where the line as WeasyPrint sets it stretches more
LOOSE_UNTIL = 1.5  # try a loose line only where the line as WeasyPrint sets it stretches less
HYPHEN = 0.3  # badness of a hyphenated line (a line at 1.5× is 1)
HYPHEN_RUN = 1.0  # … and of each hyphenated line that follows another
BACK = 2  # lines before the first bad line that may change
AHEAD = 2  # lines after the last bad line the search may take to rejoin WeasyPrint's breaks
BEAM = 2  # search states kept per line
BUDGET = 24  # line layouts per paragraph search at most
TRACKING = 0.01  # em of letter-spacing a line still looser than GOAL may take (the issue allows ±1 %)
LIMIT_LINES = 2
# Last resort, for a line still beyond LAST_RESORT after the search: the same search again over a
# wider window, with spaces allowed to shrink further (a tight break costs less than a hole).
LAST_RESORT = 1.77
WIDE_BACK = 4
WIDE_AHEAD = 4
WIDE_BUDGET = 64
WIDE_MIN_RATIO = 0.75
RUN_OUT = 12  # lines a window's path may continue as WeasyPrint sets them to meet its breaks again (_run_out)
WIDE_BEAM = 4  # … keeping more search states, and letting a line before the loose one take a word too
LIMIT_PROPERTY = "__chapbook_hyphenate_limit_lines"  # --chapbook-hyphenate-limit-lines
LAST_RESORT_PROPERTY = "__chapbook_last_resort_hyphens"  # --chapbook-last-resort-hyphens: auto (print.css)

class _Mode(threading.local):
    """What the next line layout of the paragraph being broken does differently (one layout at a time
    per thread: ``build.py watch`` builds in a thread)."""

    linebox = None  # the LineBox being laid out
    extra = 0.0  # added to its break width
    no_hyphen = False  # no automatic hyphenation
    defer = False  # leave its justification to the search
    min_ratio = MIN_RATIO  # how far a tight line's spaces may shrink (WIDE_MIN_RATIO in the last resort)
    last_resort = False  # words marked --chapbook-last-resort-hyphens: auto may be hyphenated


MODE = _Mode()


@dataclass
class Line:
    """One laid-out line, before justification."""

    box: object  # WeasyPrint's LineBox
    start: object  # the skip stack it starts at
    resume: object  # the skip stack after it (None: the paragraph ends)
    first: bool  # the paragraph's first line (indented)
    extra: float  # the break width's extra
    measure: float | None  # the width to justify it to (None: not justified)
    ratio: float  # its word spaces once justified, × normal (1.0 when not justified)
    hyphen: bool  # ends in a hyphen, added or the text's own (:func:`ends_in_hyphen`)
    available: float  # the measure
    overfull: bool  # wider than the measure, even with its spaces shrunk
    absolutes: list  # absolutely positioned boxes it holds (a paragraph number, laid out after the block)
    fixed: list
    gain: float = 0.0  # how much TRACKING em of letter-spacing moves its ratio (either way)
    floor: float = MIN_RATIO  # how far its spaces may shrink (MODE.min_ratio when it was laid out)
    spaces: int = 0  # a justified line's expandable spaces and characters, counted when it was laid out
    letters: int = 0

    @property
    def effective(self) -> float:
        """Its ratio once letter-spaced (:meth:`Layer.letter_space`): a line looser than GOAL opens its
        letters, a tight line too tight for its spaces alone closes them up."""
        if self.tight:
            return max(self.ratio, self.floor) if self.measure is not None else self.ratio
        if self.ratio <= GOAL:
            return self.ratio
        return max(GOAL, self.ratio - self.gain)

    @property
    def condensed(self) -> bool:
        """A tight line whose spaces alone cannot take its width: its letters close up a little."""
        return self.tight and self.measure is not None and self.ratio < self.floor - 1e-6

    @property
    def tight(self) -> bool:
        return self.extra > 0


def install() -> None:
    """Install the paragraph breaker in WeasyPrint's layout (idempotent)."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import block, inline

    if getattr(block.iter_line_boxes, "chapbook", False):
        return
    original_split_first_line = inline.split_first_line
    original_split_inline_box = inline.split_inline_box
    original_text_align = inline.text_align
    original_iter_line_boxes = block.iter_line_boxes
    original_break_line = block._break_line

    def split_first_line(text, style, context, max_width, justification_spacing,
                         is_line_start=True, minimum=False):
        if MODE.no_hyphen and style["hyphens"] == "auto":
            style = style.copy()
            style["hyphens"] = "manual"
        elif MODE.last_resort and style["hyphens"] == "manual" and _ident(style, LAST_RESORT_PROPERTY) == "auto":
            style = style.copy()
            style["hyphens"] = "auto"
        return original_split_first_line(text, style, context, max_width, justification_spacing,
                                          is_line_start, minimum)

    def split_inline_box(context, box, position_x, max_x, *args):
        if box is MODE.linebox and MODE.extra:
            max_x += MODE.extra
        return original_split_inline_box(context, box, position_x, max_x, *args)

    def text_align(context, line, available_width, last):
        if MODE.linebox is not None and line.style is MODE.linebox.style:
            line.chapbook_available = available_width
            if MODE.defer and not last:
                line.chapbook_measure = available_width
                return 0
        return original_text_align(context, line, available_width, last)

    def iter_line_boxes(context, box, position_y, bottom_space, skip_stack, containing_block,
                        absolute_boxes, fixed_boxes, first_letter_style, first_line_style):
        if not _simple(context, box, first_letter_style, first_line_style):
            yield from original_iter_line_boxes(context, box, position_y, bottom_space, skip_stack,
                                                containing_block, absolute_boxes, fixed_boxes,
                                                first_letter_style, first_line_style)
            return
        yield from _paragraph(context, box, position_y, bottom_space, skip_stack, containing_block,
                              absolute_boxes, fixed_boxes)

    def break_line(context, box, line, new_children, *args):
        result = original_break_line(context, box, line, new_children, *args)
        abort, stop, _ = result
        if not abort and stop and new_children:
            _no_hyphen_at_page_end(context, box, new_children)
        return result

    split_first_line.original = original_split_first_line
    inline.split_first_line = split_first_line
    inline.split_inline_box = split_inline_box
    inline.text_align = text_align
    iter_line_boxes.chapbook = True
    iter_line_boxes.original = original_iter_line_boxes  # tests lay a fixture out without the breaker
    block.iter_line_boxes = iter_line_boxes
    break_line.original = original_break_line
    block._break_line = break_line
    original_earlier = block.find_earlier_page_break

    def find_earlier_page_break(context, children, absolute_boxes, fixed_boxes):
        if children and isinstance(children[0], boxes.LineBox):
            return _earlier_break_in_lines(context, children, absolute_boxes, fixed_boxes)
        return original_earlier(context, children, absolute_boxes, fixed_boxes)

    find_earlier_page_break.original = original_earlier
    block.find_earlier_page_break = find_earlier_page_break


# ---- Which paragraphs --------------------------------------------------------------------------


def _simple(context, linebox, first_letter_style, first_line_style) -> bool:
    """A paragraph of text and inline boxes only, laid out left to right without floats around."""
    style = linebox.style
    if first_letter_style or first_line_style or context.excluded_shapes or style["direction"] != "ltr" \
            or style["white_space"] not in ("normal", "pre-line"):
        return False
    return _in_flow(linebox)


def _in_flow(box) -> bool:
    for child in getattr(box, "children", ()):
        if getattr(child, "is_leader", False) or \
                (not child.is_in_normal_flow() and not child.is_absolutely_positioned()):
            return False
        if child.__class__.__name__ in ("InlineBox", "LineBox") and not _in_flow(child):
            return False
    return True


def _justified(linebox) -> bool:
    return linebox.style["text_align_all"] == "justify" and linebox.style["white_space"] == "normal"


def _tokens(style, name: str) -> list:
    """The tokens a custom property (``--name``, stored as ``__name``) is set to; none if unset."""
    try:
        return list(style[name] or ())
    except (KeyError, TypeError):
        return []


def _ident(style, name: str) -> str | None:
    """The identifier a custom property is set to (lower case), or None."""
    idents = [t.lower_value for t in _tokens(style, name) if getattr(t, "type", None) == "ident"]
    return idents[0] if len(idents) == 1 else None


def hyphen_limit(style) -> int:
    """The paragraph's ``--chapbook-hyphenate-limit-lines`` (a number; 0 or ``no-limit``: no limit)."""
    for token in _tokens(style, LIMIT_PROPERTY):
        if getattr(token, "type", None) == "number" and token.is_integer:
            return token.int_value if token.int_value > 0 else 10 ** 6
        if getattr(token, "type", None) == "ident" and token.lower_value == "no-limit":
            return 10 ** 6
    return LIMIT_LINES


# ---- Measuring a line ----------------------------------------------------------------------------

_SPACES: dict[tuple, float] = {}


def space_width(style, context) -> float:
    """The width of a normal word space in the style's font (with its word and letter spacing)."""
    from weasyprint.text.line_break import _font_style_cache_key

    key = (_font_style_cache_key(style, include_size=True), str(style["word_spacing"]),
           str(style["letter_spacing"]))
    if key not in _SPACES:
        if len(_SPACES) > 256:
            _SPACES.clear()
        _SPACES[key] = max(_text_width("n n", style, context) - _text_width("nn", style, context),
                           0.05 * style["font_size"])
    return _SPACES[key]


def _last_text(box):
    while getattr(box, "children", None):
        box = box.children[-1]
    return box


def is_hyphenated(linebox) -> bool:
    text = _last_text(linebox)
    return isinstance(getattr(text, "text", None), str) and bool(text.text) and \
        text.text.endswith(text.style["hyphenate_character"])


def ends_in_hyphen(linebox) -> bool:
    """Hyphenated, or broken after a hyphen of the text ("Geneva-/based"): a reader counts both in a
    run of hyphens at the line ends (as TeX's double-hyphen demerits do)."""
    if is_hyphenated(linebox):
        return True
    text = _last_text(linebox)
    return isinstance(getattr(text, "text", None), str) and text.text.rstrip().endswith("-")


def _footnotes(box) -> list:
    return [d.footnote for d in box.descendants() if getattr(d, "footnote", None) is not None]


class Layer:
    """Lays out lines of one paragraph from given points, as WeasyPrint's line layout does."""

    def __init__(self, context, linebox, bottom_space, containing_block, indent: float):
        self.context, self.linebox, self.bottom_space = context, linebox, bottom_space
        self.containing_block, self.indent = containing_block, indent
        self.justified = _justified(linebox)
        self.space = space_width(linebox.style, context)
        self.count = 0
        self.laid: dict = {}  # (start, first, extra, no_hyphen) → Line: the search's windows share lines
        # words the last resort may hyphenate (span.title-word): without any, its lines are the same
        self.title_words = any(_ident(b.style, LAST_RESORT_PROPERTY) == "auto" for b in linebox.descendants())

    def lay(self, start, first: bool, y: float, extra: float = 0.0, no_hyphen: bool = False) -> Line | None:
        key = (_key(start), first, round(extra, 4), no_hyphen, MODE.min_ratio,
               MODE.last_resort and self.title_words)
        if key not in self.laid:
            self.laid[key] = self._lay(start, first, y, extra, no_hyphen)
        return self.laid[key]

    def _lay(self, start, first: bool, y: float, extra: float, no_hyphen: bool) -> Line | None:
        from weasyprint.layout import inline
        from weasyprint.layout.inline import count_expandable_spaces

        saved = (MODE.linebox, MODE.extra, MODE.no_hyphen, MODE.defer)
        self.linebox.text_indent = self.indent if first else 0
        MODE.linebox, MODE.extra, MODE.no_hyphen, MODE.defer = self.linebox, extra, no_hyphen, self.justified
        absolutes, fixed = [], []
        try:
            box, resume = inline.get_next_linebox(self.context, self.linebox, y, self.bottom_space, start,
                                                  self.containing_block, absolutes, fixed, None, None)
        finally:
            MODE.linebox, MODE.extra, MODE.no_hyphen, MODE.defer = saved
        self.count += 1
        if box is None:
            return None
        measure = box.__dict__.pop("chapbook_measure", None)
        available = box.__dict__.pop("chapbook_available", inf)
        ratio, gain, overfull, spaces, letters = 1.0, 0.0, box.width > available + 1e-6, 0, 0
        if measure is not None:
            spaces = count_expandable_spaces(box)
            letters = sum(len(text.text) for text in _texts(box))
            if spaces and letters > spaces:
                gain = TRACKING * box.style["font_size"] * (letters - spaces) / (spaces * self.space)
            slack = measure - box.width
            if spaces and slack:
                ratio = 1 + slack / (spaces * self.space)
            if slack < 0 and ratio + (gain if extra > 0 else 0.0) < MODE.min_ratio:
                measure, ratio = None, 1.0  # a word wider than the measure: left as WeasyPrint leaves it
            else:
                overfull = False  # its spaces shrink a little (WeasyPrint would let it stick out)
        return Line(box, start, resume, first, extra, measure, ratio, ends_in_hyphen(box), available, overfull,
                    absolutes, fixed, gain, MODE.min_ratio, spaces, letters)

    def tight_extra(self, line: Line) -> float:
        """How much wider than the measure a tight line from where ``line`` starts may be laid out:
        its spaces shrunk to the floor, and its letters closed up by TRACKING em."""
        return (1 - MODE.min_ratio) * line.spaces * self.space + line.gain * line.spaces * self.space

    def finish(self, line: Line, y: float, absolute_boxes: list, fixed_boxes: list) -> None:
        """Move the line to ``y``, justify it (spaces shrink on a tight line) and hand its absolutely
        positioned boxes to the block's layout."""
        from weasyprint.layout.inline import justify_line

        box = line.box
        if box.position_y != y:
            box.translate(0, y - box.position_y)
        if line.measure is not None and line.ratio > GOAL and not line.tight:
            self.letter_space(line, line.ratio - GOAL)  # still too loose: its letters take a little slack
        if line.condensed:
            self.letter_space(line, line.ratio - line.floor)  # too tight for its spaces: letters close up
        if line.measure is not None and abs(line.measure - box.width) > 1e-6:
            justify_line(self.context, box, line.measure - box.width)
        box.chapbook_start = (line.start, line.first)
        absolute_boxes.extend(line.absolutes)
        fixed_boxes.extend(line.fixed)

    def letter_space(self, line: Line, change: float) -> None:
        """Letter-space a justified line by as much as moves its spaces' ratio by ``change``, never by
        more than TRACKING em (the issue allows ±1 %; a hundredth of an em is not seen, the spaces'
        stretch is): a line still looser than GOAL opens its letters a little (``change`` > 0), a
        tight line whose spaces would have to shrink below its floor closes them up (``change`` < 0),
        so that it takes a syllable its spaces alone could not make room for."""
        if not line.spaces or line.letters <= line.spaces:
            return
        wanted = change * self.space * line.spaces / (line.letters - line.spaces)
        cap = TRACKING * line.box.style["font_size"]
        _track(self.context, line.box, min(wanted, cap) if wanted > 0 else -min(-wanted, cap), 0.0)


def _texts(box):
    if hasattr(box, "text"):
        yield box
    for child in getattr(box, "children", ()):
        if child.is_in_normal_flow():
            yield from _texts(child)


def _text_width(text: str, style, context) -> float:
    from weasyprint.text.line_break import create_layout, line_size

    layout = create_layout(text, style, context, None, 0)
    width = line_size(layout.get_first_line()[0], style)[0]
    layout.deactivate()
    return width


def _track(context, box, tracking: float, advance: float) -> float:
    """Add ``tracking`` to the letter-spacing of every text in ``box`` (a line, as
    ``weasyprint.layout.inline.add_word_spacing`` adds word spacing), moving what follows."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.text.line_break import create_layout

    if isinstance(box, boxes.TextBox):
        box.position_x += advance
        if box.text:
            style = box.style.copy()
            spacing = style["letter_spacing"]
            style["letter_spacing"] = (0 if spacing == "normal" else spacing) + tracking
            grown = _text_width(box.text, style, context) - _text_width(box.text, box.style, context)
            box.style, box.width = style, box.width + grown
            box.pango_layout = create_layout(box.text, style, context, None, box.justification_spacing)
            box.pango_layout.deactivate()
            advance += grown
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += advance
        before = advance
        for child in box.children:
            if child.is_in_normal_flow():
                advance = _track(context, child, tracking, advance)
        box.width += advance - before
    else:
        box.translate(advance, 0)
    return advance


# ---- The paragraph -------------------------------------------------------------------------------


def _paragraph(context, box, position_y, bottom_space, skip_stack, containing_block, absolute_boxes, fixed_boxes):
    from weasyprint.layout.leader import handle_leader
    from weasyprint.layout.percent import resolve_one_percentage, resolve_percentages

    resolve_percentages(box, containing_block)
    if skip_stack is None:
        resolve_one_percentage(box, "text_indent", containing_block.width)
    else:
        box.text_indent = 0
    layer = Layer(context, box, bottom_space, containing_block, box.text_indent)
    containing_block.chapbook_bottom_space = bottom_space
    limit = hyphen_limit(box.style)

    if not layer.justified:  # ragged: WeasyPrint's lines, but no more than `limit` hyphens in a row
        start, first, y, run = skip_stack, skip_stack is None, position_y, 0
        while True:
            line = layer.lay(start, first, y)
            if line is not None and line.hyphen and run >= limit:
                line = _unhyphenated(layer, line, start, first, y)
            if line is None:
                return
            run = run + 1 if line.hyphen else 0
            layer.finish(line, y, absolute_boxes, fixed_boxes)
            handle_leader(context, line.box, containing_block)
            yield line.box, line.resume
            if line.resume is None:
                return
            start, first, y = line.resume, False, line.box.position_y + line.box.height

    # Justified: WeasyPrint's lines, laid out a few ahead of those handed on (so that a page break
    # wastes few), each problem line mended by a search over a window around it (:func:`mend`).
    lines: list[Line] = []
    ended = False

    def more(count: int) -> None:
        nonlocal ended
        while len(lines) < count and not ended:
            if lines:
                last = lines[-1]
                if last.resume is None:
                    return
                start, first, y = last.resume, False, last.box.position_y + last.box.height
                run = next((n for n, ln in enumerate(reversed(lines)) if not ln.hyphen), len(lines))
            else:
                start, first, y, run = skip_stack, skip_stack is None, position_y, 0
            line = layer.lay(start, first, y)
            if line is not None and line.hyphen and run >= limit:
                line = _unhyphenated(layer, line, start, first, y)
            if line is None:
                ended = True
                return
            lines.append(line)

    handed, k, y = 0, 0, position_y
    while True:
        more(k + 1)
        if k < len(lines) and _bad(lines[k]):
            more(k + AHEAD + 4)
            better = mend(layer, lines, k, limit, handed)
            if better is not None:
                lines[:] = better
            if k < len(lines) and lines[k].measure is not None and lines[k].effective > LAST_RESORT:
                more(k + WIDE_AHEAD + 4)
                better = _last_resort(layer, lines, k, limit, handed)
                if better is not None:
                    lines[:] = better
        final = len(lines) if k >= len(lines) else k + 1 - WIDE_BACK  # lines no later window may change
        while handed < final:
            line = lines[handed]
            layer.finish(line, y, absolute_boxes, fixed_boxes)
            y = line.box.position_y + line.box.height
            handle_leader(context, line.box, containing_block)
            handed += 1
            yield line.box, line.resume
        if k >= len(lines):
            return
        k += 1


def _key(stack):
    return None if stack is None else tuple((k, _key(v)) for k, v in stack.items())


def badness(line: Line) -> float:
    if line.measure is None:
        return 0.0
    r = line.effective
    stretch = ((r - 1) / 0.5) ** 3 if r >= 1 else ((1 - r) / (1 - MIN_RATIO)) ** 3
    return stretch + (HYPHEN if line.hyphen else 0.0)


def excess(line: Line) -> float:
    """How far a line is beyond what is acceptable: stretched beyond GOAL (quadratically, so that one
    very loose line weighs more than two slightly loose ones), or overfull."""
    if line.overfull:
        return 1000.0
    if line.measure is None or line.effective <= GOAL:
        return 0.0
    return (1 + 10 * (line.effective - GOAL)) ** 2


def _bad(line: Line) -> bool:
    return line.measure is not None and line.effective > TRIGGER


def cost(lines: list[Line], run: int = 0) -> tuple[float, float]:
    """(excess, badness) of consecutive lines after ``run`` hyphenated ones."""
    over, total = 0.0, 0.0
    for line in lines:
        run = run + 1 if line.hyphen else 0
        over += excess(line)
        total += badness(line) + (HYPHEN_RUN if run > 1 else 0.0)
    return over, total


def _overruns(lines: list[Line], limit: int, run: int = 0) -> int:
    """How many lines pass the limit of hyphenated lines in a row (``run``: those just before)."""
    count = 0
    for line in lines:
        run = run + 1 if line.hyphen else 0
        count += run > limit
    return count


def _worst(lines: list[Line]) -> float:
    return max((line.effective for line in lines if line.measure is not None), default=1.0)


def _last_resort(layer: Layer, lines: list[Line], k: int, limit: int, fixed: int) -> list[Line] | None:
    """Line ``k`` is still looser than LAST_RESORT after :func:`mend`: search again over a wider window
    (WIDE_BACK lines before, WIDE_AHEAD after) with tight lines allowed down to WIDE_MIN_RATIO; kept only
    if the window's worst line is then less loose (the paragraph's other lines are not touched)."""
    saved = MODE.min_ratio, MODE.last_resort
    MODE.min_ratio, MODE.last_resort = WIDE_MIN_RATIO, True
    try:
        found = mend(layer, lines, k, limit, fixed, back=WIDE_BACK, ahead=WIDE_AHEAD, budget=WIDE_BUDGET,
                     wide=True)
    finally:
        MODE.min_ratio, MODE.last_resort = saved
    if found is None:
        return None
    a = max(fixed, k - WIDE_BACK)
    span = k + WIDE_AHEAD + 1
    if _worst(found[a:span]) >= _worst(lines[a:span]) - 0.01:
        return None
    return found


def mend(layer: Layer, lines: list[Line], k: int, limit: int, fixed: int = 0,
         back: int = BACK, ahead: int = AHEAD, budget: int = BUDGET, wide: bool = False) -> list[Line] | None:
    """Better breaks for the paragraph's ``lines`` (as WeasyPrint set them) around the loose line
    ``k``, or None if nothing is better: the problem line alone first, then with one and two lines
    before it (never those before ``fixed``, already handed on)."""
    better = None
    for earlier in range(min(back, k - fixed) + 1):
        found = _window(layer, lines, k - earlier, k, limit, ahead, budget, wide)
        if found is not None:
            better = found
            if not any(_bad(line) for line in found[k - earlier:k + 1]):
                break
    return better


def _window(layer: Layer, lines: list[Line], a: int, k: int, limit: int,
            ahead: int = AHEAD, budget: int = BUDGET, wide: bool = False) -> list[Line] | None:
    """Lines ``a``… broken again so that line ``k`` is no longer a problem (a beam search over the
    choices of :func:`_choices`), ending at the paragraph's end or where the lines meet WeasyPrint's
    breaks again after ``k``; None if nothing is better."""
    m = len(lines)
    greedy_at = {_key(line.start): j for j, line in enumerate(lines)}
    greedy_ids = {id(line) for line in lines}
    lead = [0] * (m + 1)  # hyphenated lines in a row from line j on
    suffix = [(0.0, 0.0)] * (m + 1)
    for j in range(m - 1, -1, -1):
        lead[j] = lead[j + 1] + 1 if lines[j].hyphen else 0
    for j in range(m - 1, -1, -1):
        one = cost([lines[j]], 1 if j and lines[j - 1].hyphen else 0)
        suffix[j] = (suffix[j + 1][0] + one[0], suffix[j + 1][1] + one[1])
    run_a = 0
    for line in lines[:a]:
        run_a = run_a + 1 if line.hyphen else 0
    base = cost(lines[a:], run_a)
    base = (base[0] + 1000 * _overruns(lines[a:], limit, run_a), base[1])
    best = None
    frontier = {(_key(lines[a].start), run_a): ((0.0, 0.0), [], lines[a].start, lines[a].first)}
    spent = layer.count
    for depth in range(k - a + 1 + ahead):
        i = a + depth
        y = lines[min(i, m - 1)].box.position_y
        new: dict = {}
        for (key, run), (so_far, path, start, first) in sorted(frontier.items(),
                                                                key=lambda kv: kv[1][0])[:WIDE_BEAM if wide else BEAM]:
            if layer.count - spent > budget:
                break
            for line in _choices(layer, lines, greedy_at, key, start, first, y, run, limit,
                                 loose=i < k or wide, tight=i >= k or wide):
                new_run = run + 1 if line.hyphen else 0
                if new_run > limit or (wide and line.hyphen and id(line) not in greedy_ids and _short_fragment(line)):
                    continue
                one = cost([line], run)
                here = (so_far[0] + one[0], so_far[1] + one[1])
                if best is not None and here >= best[0]:
                    continue
                if line.resume is None:
                    best = (here, [*path, line])
                    continue
                j = greedy_at.get(_key(line.resume))
                total = _rejoined(lines, j, k, new_run, lead, suffix, limit, here)
                if total is not None:
                    if best is None or total < best[0]:
                        best = (total, [*path, line, *lines[j:]])
                    continue
                node = (_key(line.resume), new_run)
                if node not in new or here < new[node][0]:
                    new[node] = (here, [*path, line], line.resume, False)
        frontier = new
        if not frontier or (best is not None and depth >= k - a
                            and not any(_bad(line) for line in best[1][:k - a + 1 + ahead])):
            break
    else:
        if frontier:  # paths that did not meet WeasyPrint's breaks again within the window
            out = _run_out(layer, lines, frontier, greedy_at, suffix, lead, a, k, limit,
                           WIDE_BEAM if wide else BEAM)
            if out is not None and (best is None or out[0] < best[0]):
                best = out
    if best is None or best[0] >= base:
        return None
    return lines[:a] + best[1]


def _rejoined(lines: list[Line], j: int | None, k: int, run: int, lead: list, suffix: list, limit: int,
              here: tuple) -> tuple | None:
    """The cost of a path that meets WeasyPrint's break before line ``j`` (after the window's last
    bad line ``k``), with WeasyPrint's lines from there on, or None if it does not meet it there or
    the hyphen run would pass ``limit``; ``run``: hyphenated lines the path ends with."""
    if j is None or j <= k or (run != 0 and run + lead[j] > limit):
        return None
    rest = suffix[j]
    if lines[j].hyphen and not run and j and lines[j - 1].hyphen:
        rest = (rest[0], rest[1] - HYPHEN_RUN)
    return (here[0] + rest[0], here[1] + rest[1])


def _run_out(layer: Layer, lines: list[Line], frontier: dict, greedy_at: dict, suffix: list, lead: list,
             a: int, k: int, limit: int, beam: int) -> tuple | None:
    """The window's best paths continued line by line as WeasyPrint breaks them (first fit, the hyphen
    limit kept) until they meet WeasyPrint's breaks again, the paragraph ends, or they are as many
    lines as those laid out so far (which they replace; the paragraph's later lines are laid out from
    where they end, as the lines after a window always are).

    A better break early in a paragraph often shifts every later line by a word, so that it never meets
    the old breaks within the window, and the search gave up on it however good it was; and where
    another path did meet them (often WeasyPrint's own loose line) that one won by default: the
    paths left at the window's end are therefore always run on and compared (p. 41 of the reader,
    "in Libyan / camps" at 2.05×, became a tight first line at 0.96×). After the
    window a path is what WeasyPrint would have set from there anyway; its later loose lines are
    mended in turn, as WeasyPrint's are."""
    best = None
    m = len(lines)
    for (_, run), (so_far, path, start, _first) in sorted(frontier.items(), key=lambda kv: kv[1][0])[:beam]:
        here, path = so_far, list(path)
        for _ in range(RUN_OUT):
            if a + len(path) >= m and lines[-1].resume is not None:  # as many lines as laid out so far
                if best is None or here < best[0]:
                    best = (here, path)
                break
            # below the path's last line: past the paragraph's lines as WeasyPrint set them, a path that
            # takes more lines than they did has no line of theirs to take its position from
            y = lines[a + len(path)].box.position_y if a + len(path) < m else \
                path[-1].box.position_y + path[-1].box.height
            line = layer.lay(start, False, y)
            if line is not None and line.hyphen and run >= limit:
                line = _unhyphenated(layer, line, start, False, y)
            if line is None or (line.hyphen and run >= limit):
                break
            one = cost([line], run)
            run = run + 1 if line.hyphen else 0
            here, path = (here[0] + one[0], here[1] + one[1]), [*path, line]
            if best is not None and here >= best[0]:
                break
            if line.resume is None:
                best = (here, path)
                break
            j = greedy_at.get(_key(line.resume))
            total = _rejoined(lines, j, k, run, lead, suffix, limit, here)
            if total is not None:
                if best is None or total < best[0]:
                    best = (total, [*path, *lines[j:]])
                break
            start = line.resume
    return best


def _choices(layer: Layer, lines: list[Line], greedy_at: dict, key, start, first: bool, y: float,
             run: int, limit: int, loose: bool, tight: bool) -> list[Line]:
    """The lines that may start at ``start``: as WeasyPrint sets it, and tight or loose (before the
    problem line, a line may give a word to the next; from it on, take one more); without automatic
    hyphenation where the run of hyphenated lines is at its limit."""
    j = greedy_at.get(key)
    plain = lines[j] if j is not None and lines[j].first == first else layer.lay(start, first, y)
    if plain is None:
        return []
    found = [plain]
    if plain.resume is not None and plain.measure is not None:
        spaces = plain.spaces
        if tight and plain.ratio > TIGHT_FROM and spaces:
            line = layer.lay(start, first, y, extra=layer.tight_extra(plain))
            if line is not None and line.resume != plain.resume and _fits(line) and _spaced(line):
                found.append(line)
        if loose and spaces and plain.ratio < LOOSE_UNTIL:
            line = layer.lay(start, first, y, extra=min(-0.01, plain.box.width - plain.measure - 0.01))
            if line is not None and line.resume != plain.resume and line.measure is not None and _spaced(line):
                found.append(line)
    if run >= limit:
        found = [c if not c.hyphen else layer.lay(start, first, y, extra=c.extra, no_hyphen=True)
                 for c in found]
        found = [c for c in found if c is not None and (not c.tight or _fits(c))]
    return found


def _short_fragment(line: Line) -> bool:
    """A hyphenated line whose last fragment has under three letters ("in‐formation"): the last resort
    makes no new one (WeasyPrint's own lines may, by ``hyphenate-limit-chars``)."""
    text = _last_text(line.box).text
    word = text[:-len(_last_text(line.box).style["hyphenate_character"])].split()[-1:] or [""]
    return sum(c.isalpha() for c in word[0]) < 3


def _unhyphenated(layer: Layer, line: Line, start, first: bool, y: float) -> Line:
    """The line set again without automatic hyphenation (unless it would then be one word broken
    between two letters)."""
    whole = layer.lay(start, first, y, no_hyphen=True)
    return whole if whole is not None and _spaced(whole) else line


def _spaced(line: Line) -> bool:
    """A tight or loose line must still have a word space: one word alone on a line narrower than
    it would be broken between two letters (``overflow-wrap: break-word``), not between words."""
    from weasyprint.layout.inline import count_expandable_spaces

    return count_expandable_spaces(line.box) > 0


def _fits(line: Line) -> bool:
    """A tight line is usable if it is justified and its spaces need not shrink beyond MIN_RATIO, or
    if it is its paragraph's last (not justified) and needs no shrinking at all."""
    if line.overfull:
        return False
    if line.measure is None:
        return line.box.width <= line.available + 1e-6
    return line.ratio + (line.gain if line.tight else 0.0) >= line.floor - 1e-6


# ---- Page turns ----------------------------------------------------------------------------------


def _earlier_break_in_lines(context, children, absolute_boxes, fixed_boxes):
    """WeasyPrint's ``find_earlier_page_break`` for a paragraph's lines (when a ``break-before: avoid``
    after it moves its last lines to the next page), keeping ``widows`` lines for the next page as it
    does, and more if the page would otherwise end in a hyphenated line (while ``orphans`` allow;
    else none here, and WeasyPrint breaks before the paragraph): that path never reached
    ``_break_line``, where the page turn is otherwise mended."""
    from weasyprint.layout.block import remove_placeholders

    orphans, widows = children[0].style["orphans"], children[0].style["widows"]
    index = len(children) - widows  # lines kept on this page
    while index > orphans and is_hyphenated(children[index - 1]):
        index -= 1
    if index < orphans or is_hyphenated(children[index - 1]):
        return None  # no break in this paragraph: WeasyPrint looks for one before it
    new_children = children[:index]
    remove_placeholders(context, children[index:], absolute_boxes, fixed_boxes)
    return new_children, {0: new_children[-1].resume_at}


def _no_hyphen_at_page_end(context, block, new_children) -> None:
    """The page's last line of a split paragraph ends in a hyphen: set it again without hyphenating
    (tight, if the whole word then fits), so that the word goes whole to the next page."""
    last = new_children[-1]
    info = getattr(last, "chapbook_start", None)
    if info is None or not is_hyphenated(last) or not block.children:
        return
    start, first = info
    linebox = block.children[0]
    layer = Layer(context, linebox, getattr(block, "chapbook_bottom_space", 0), block,
                  linebox.text_indent if first else 0)
    y = last.position_y
    candidates = []
    plain = layer.lay(start, first, y, no_hyphen=True)
    if plain is not None:
        candidates.append(plain)
        if plain.resume is not None and plain.measure is not None:
            from weasyprint.layout.inline import count_expandable_spaces

            spaces = count_expandable_spaces(plain.box)
            tight = layer.lay(start, first, y, extra=(1 - MIN_RATIO) * spaces * layer.space, no_hyphen=True)
            if tight is not None and _fits(tight) and tight.resume != plain.resume:
                candidates.append(tight)
    old_notes = _footnotes(last)
    candidates = [c for c in candidates if not c.hyphen and c.resume is not None and _spaced(c) and not c.absolutes
                  and not c.fixed
                  and c.box.height <= last.height + 1e-6 and _footnotes(c.box) == old_notes]
    if not candidates:
        return
    line = min(candidates, key=lambda c: cost([c]))
    layer.finish(line, y, [], [])
    line.box.resume_at = line.resume
    new_children[-1] = line.box
