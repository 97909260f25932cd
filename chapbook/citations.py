"""Pandoc citation syntax found in raw Markdown, with exact source offsets.

Citations are located in the raw Markdown (not in rendered HTML) so that a
diagnostic about an unknown key can point at the exact ``line:col`` the
author typed, and so the renderer can replace each span verbatim.  The scan
works on a *masked* copy of the text: code, link destinations, URLs and
escaped characters are overwritten with a filler character of the same
length, so every offset found in the mask is an offset into the original.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable
from dataclasses import replace

from .model import Citation, CiteItem

__all__ = ["cited_keys", "find_citations", "offset_to_line_col"]

_FILL = "\x00"  # stands for masked characters: not a word char, not whitespace, not a bracket
# Pandoc keys: start alphanumeric or "_", internal punctuation allowed, never trailing.
_KEY = r"[\w](?:[\w]|[:.#$%&\-+?<>~/]+(?=[\w]))*"
_KEY_AT = re.compile(r"@(?:\{(?P<braced>[^{}\s]+)\}|(?P<key>" + _KEY + "))")
_NARRATIVE_BEFORE = set(" \t\r\n({\"'“‘—–;,*_~+>")  # chars allowed just before a narrative @
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.MULTILINE)
_BACKTICKS = re.compile(r"`+")
_URLS = re.compile(
    # link destination (+ title) in [text](url "t"); never across a ']', which starts the next one: each
    # ']' of ']( ]( ]( …' scanned the rest of the line (60 KB of it: two minutes)
    r"\]\([^)\s\]]*(?:\s+\"[^\"]*\")?\)"
    r"|<[a-zA-Z][\w+.-]*:[^\s<>]*>|<[^\s<>@]+@[^\s<>]+>"  # autolinks <http://…>, <a@b.org>
    r"|\b(?:https?://|www\.)[^\s<>()\[\]]+"  # bare URLs (may contain "/@user")
)
_PARA_END = re.compile(r"\n[ \t]*\n")
_BRACKET = re.compile(r"[\[\]]")
_CITE_AT = re.compile(r"(?<=[\s;])-?@")
_LOCATOR_BRACKET = re.compile(r"[ \t]\[([^\[\]@^]+)\](?![(\[])")


# A range of pages or paragraphs in a locator ("pp. 45-48", "§§ 3--5"): an en dash, as in the references.
_RANGE_HYPHEN = re.compile(r"(?<=\d)\s*(?:--?|‐|‑)\s*(?=\d)")


def ranged(locator: str) -> str:
    """``locator`` with the hyphens of its number ranges as en dashes ("pp. 45–48")."""
    return _RANGE_HYPHEN.sub("–", locator) if "-" in locator or "‐" in locator or "‑" in locator else locator


def offset_to_line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset`` in ``text``, for diagnostics."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def _mask(text: str) -> str:
    """Blank out everything in which an ``@`` or ``[`` is not citation syntax."""
    chars = list(text)

    def blank(start: int, end: int) -> None:
        chars[start:end] = _FILL * (end - start)

    pos = 0
    while (m := _FENCE.search(text, pos)) is not None:  # fenced code blocks
        fence = m.group(1)
        closing = re.compile(rf"^ {{0,3}}{fence[0]}{{{len(fence)},}}[ \t]*$", re.MULTILINE)
        line_end = text.find("\n", m.end())
        close = closing.search(text, line_end) if line_end != -1 else None
        end = len(text) if close is None else close.end()
        blank(m.start(), end)
        pos = max(end, m.end())
    # Code spans: a run of backticks closed by the next run of the same length. Found from an index
    # of the runs by length, not by searching the rest of the text from each run (quadratic).
    runs = [m.span() for m in _BACKTICKS.finditer("".join(chars))]
    by_length: dict[int, list[int]] = {}
    for index, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(index)
    index = 0
    while index < len(runs):
        start, end = runs[index]
        later = by_length[end - start]
        at = bisect.bisect_right(later, index)
        if at == len(later):
            index += 1
            continue
        blank(start, runs[later[at]][1])
        index = later[at] + 1
    for m in _URLS.finditer("".join(chars)):
        start = m.start() + (2 if m.group().startswith("](") else 0)  # keep "](" for link checks
        blank(start, m.end())
    for m in re.finditer(r"\\[@\[\]\\-]", text):  # escapes: \@, \[, \], \\ …
        if chars[m.start()] != _FILL:
            blank(m.start(), m.end())
    return "".join(chars)


def _parse_item(text: str, masked: str, start: int, end: int,
                problems: list[tuple[int, str]]) -> CiteItem | None:
    """Parse the ``;``-separated item ``text[start:end]``; ``col_offset`` is set by the caller.

    The ``@`` is looked for in the mask; prefix and locator are read from the
    original text, since the mask may have blanked a URL inside them.
    """
    raw = masked[start:end]
    at = next((i for i, c in enumerate(raw) if c == "@" and (i == 0 or raw[i - 1] in " \t\n-")),
              None)
    if at is None:
        if raw.strip():
            problems.append((start + len(raw) - len(raw.lstrip()),
                             f"citation item '{text[start:end].strip()}' has no @key"))
        else:
            problems.append((start - 1 if masked[start - 1] == ";" else start,
                             "empty item in citation (stray ';'?)"))
        return None
    suppress = at > 0 and raw[at - 1] == "-" and (at == 1 or raw[at - 2] in " \t\n")
    m = _KEY_AT.match(raw, at)
    if m is None:
        problems.append((start + at, "citation '@' without a key"))
        return None
    prefix = text[start:start + at - (1 if suppress else 0)].strip()
    rest = text[start + m.end():end]
    locator = rest.strip()
    if rest[:1] == ",":
        locator = rest[1:].strip()
    elif rest[:1] and not rest[:1].isspace():
        problems.append((start + m.end(), f"unexpected '{rest[0]}' after citation key"))
        return None
    return CiteItem(m.group("braced") or m.group("key"), prefix, ranged(locator), suppress, start + at)


def _bracket_ends(masked: str) -> dict[int, int]:
    """Each ``[`` → the offset just after the ``]`` closing it in its paragraph (unclosed: absent).

    One pass with a stack (searching each bracket's end from the bracket was quadratic: 5,000
    unclosed ``![a`` took 6.7 s).
    """
    ends: dict[int, int] = {}
    stack: list[int] = []
    para_ends = iter([m.start() for m in _PARA_END.finditer(masked)] + [len(masked)])
    para_end = next(para_ends)
    for m in _BRACKET.finditer(masked):
        while m.start() >= para_end:
            stack.clear()
            para_end = next(para_ends)
        if m.group() == "[":
            stack.append(m.start())
        elif stack:
            ends[stack.pop()] = m.end()
    return ends


class _CiteAts:
    """Whether a stretch of the masked text holds citation syntax (an ``@`` starting a word), from
    the sorted places of every such ``@`` (searching each stretch was quadratic)."""

    def __init__(self, masked: str) -> None:
        self.masked = masked
        self.starts = [m.start() for m in _CITE_AT.finditer(masked)]  # where '-@' or '@' begins

    def between(self, start: int, end: int) -> bool:
        """``_has_cite_at(masked[start:end])``: at ``start`` itself, or after whitespace or ';'."""
        if self.masked.startswith("@", start, end) or self.masked.startswith("-@", start, end):
            return True
        at = bisect.bisect_left(self.starts, start + 1)
        return at < len(self.starts) and self.starts[at] < end


def _has_cite_at(inner: str) -> bool:
    """True when a bracket's content contains citation syntax (an ``@`` starting a word)."""
    return re.search(r"(?:^|[\s;])-?@", inner) is not None


def _bracketed(text: str, masked: str, start: int, end: int,
               problems: list[tuple[int, str]]) -> Citation | None:
    """The citation ``text[start:end]`` (brackets included), or None if it is malformed."""
    items: list[CiteItem] = []
    found: list[tuple[int, str]] = []
    pos = start + 1
    for raw in masked[start + 1:end - 1].split(";"):
        item = _parse_item(text, masked, pos, pos + len(raw), found)
        if item is not None:
            items.append(replace(item, col_offset=item.col_offset - start))
        pos += len(raw) + 1
    problems.extend(found)
    return None if found else Citation(tuple(items), False, start, end, text[start:end])


def find_citations(text: str) -> tuple[list[Citation], list[tuple[int, str]]]:
    """All citations in ``text`` in source order, and (offset, message) syntax problems.

    Bracketed ``[see @a, 4; -@b]`` and narrative ``@a`` / ``@a [p. 4]`` forms are
    recognised; footnote refs, links, ``[[glossary]]`` marks, e-mail addresses,
    code and escaped ``\\@`` are not citations.
    """
    masked = _mask(text)
    ends, cite_ats = _bracket_ends(masked), _CiteAts(masked)
    citations: list[Citation] = []
    problems: list[tuple[int, str]] = []
    i = 0
    n = len(masked)
    while i < n:
        c = masked[i]
        if c == "[":
            if masked.startswith("[[", i) or masked.startswith("[^", i):
                i += 2
                continue
            end = ends.get(i, -1)
            if end == -1:
                line_end = masked.find("\n", i)
                line_end = n if line_end == -1 else line_end
                if cite_ats.between(i + 1, line_end):
                    problems.append((i, "unclosed citation bracket '['"))
                    i = line_end
                else:
                    i += 1
                continue
            if masked[end:end + 1] in ("(", "[") or not cite_ats.between(i + 1, end - 1):
                i += 1  # a link or plain brackets: look inside for narrative citations
                continue
            cite = _bracketed(text, masked, i, end, problems)
            if cite is not None:
                citations.append(cite)
            i = end
            continue
        if c == "@" and (i == 0 or masked[i - 1] in _NARRATIVE_BEFORE):
            m = _KEY_AT.match(masked, i)
            if m is not None:
                end = m.end()
                locator = ""
                loc = _LOCATOR_BRACKET.match(masked, end)
                if loc is not None:
                    locator, end = ranged(text[loc.start(1):loc.end(1)].strip()), loc.end()
                key = m.group("braced") or m.group("key")
                item = CiteItem(key, "", locator, False, 0)
                citations.append(Citation((item,), True, i, end, text[i:end]))
                i = end
                continue
        i += 1
    return citations, problems


def cited_keys(texts: Iterable[str]) -> set[str]:
    """The keys cited in ``texts`` (raw Markdown), known before any text is converted.

    The bibliography needs them first: year letters (2004a, 2004b) are assigned among
    the entries of the reference list only (:meth:`chapbook.bibliography.Bibliography.use`).
    """
    return set().union(*map(_keys_in, texts))


@functools.lru_cache(maxsize=256)
def _keys_in(text: str) -> frozenset[str]:
    """The keys one text cites, once per text in a process (``build.py watch`` reads every text again
    on each save: finding the citations of all of them cost 0.05 s at 10×)."""
    return frozenset(item.key for citation in find_citations(text)[0] for item in citation.items)
