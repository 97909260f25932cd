"""Verse: lines kept as the poet broke them, stanzas as stanzas.

A small press's poetry chapbook came out as prose (a new user's trial): lines ending in a backslash
and Pandoc's line blocks (``| a line``) ran together into justified paragraphs, stanzas were indented
paragraphs with no space between them, long lines were justified and hyphenated and turned flush
left, and a poem's last line could stand alone on the next page. Here, in Markdown:

- a line ending in ``\\`` is a hard line break (CommonMark's and Pandoc's rule; Python-Markdown only
  knows two trailing spaces);
- a Pandoc line block (lines starting ``| ``; a bare ``|`` between stanzas) becomes stanzas of lines,
  its indents kept as no-break spaces;
- ``verse: true`` in a text's front matter makes every line of its body a line (no trailing spaces
  needed) and every paragraph a stanza, its leading spaces kept.

and in the converted tree, a paragraph of such lines is ``<p class="verse">`` with each line a
``<span class="line">``: the stylesheets set lines ragged, unhyphenated, with a hanging indent for a
turned line, stanzas apart and whole on a page when they fit, and a short last stanza with the one
before it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from .sourcescan import mask_code

_BREAK = "  "  # Markdown's hard line break: two spaces before the newline
_BACKSLASH = re.compile(r"(?<!\\)\\$", re.MULTILINE)
_LINE_BLOCK_LINE = re.compile(r"^\|(?: .*)?$")
_TABLE_RULE = re.compile(r"^\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_BLOCK_START = re.compile(r"^(?:#{1,6}\s|[-*+]\s|\d+[.)]\s|\[\^[^\]]+\]:|\{:|```|~~~|\|)")
_LIST_ITEM = re.compile(r"^(?:[-*+]|\d+[.)])\s")
_NOTE_DEFINITION = re.compile(r"^\[\^[^\]]+\]:", re.MULTILINE)
# A line block's line that Markdown would read as something else than a line of a paragraph.
_NOT_A_LINE = re.compile(r" {0,3}(?:\[[^\]]+\]:|=+\s*$|-+\s*$|(?:[*_-][ \t]*){3,}$|<|#|>|\{:|```|~~~)")
SHORT_STANZA = 2  # lines: a last stanza this short stays on the page of the one before it
# Paragraphs of one short line right after a stanza, ending the poem or leading to another stanza,
# are one-line stanzas ("and that was all."), up to this many characters: prose after a poem runs longer.
LONE_LINE = 80


def hard_breaks(text: str, whole_text: bool = False) -> str:
    """The Markdown with backslash breaks and line blocks as hard breaks; with ``whole_text`` (a text
    with ``verse: true``) every line break of a paragraph or a quotation is one. Code (fenced, spans,
    indented blocks), lists, tables, headings and note definitions are left alone."""
    return "\n".join(_broken(text, whole_text)[0])


def long_stanzas(text: str, whole_text: bool, limit: int) -> list[tuple[int, int]]:
    """(line index in ``text``, lines) of each stanza of more than ``limit`` lines that
    :func:`hard_breaks` makes: each of its breaks costs Python-Markdown as a quote does
    (:data:`chapbook.sourcescan.MAX_SMART_MARKS`), and they are not in the source to be counted there
    (a 220,000-line line block did not convert in two minutes). The same walk as :func:`hard_breaks`,
    so that only the lines it breaks are counted (a ``verse: true`` text's long list was refused)."""
    return [(start, count) for start, count in _broken(text, whole_text)[1] if count > limit]


def _broken(text: str, whole_text: bool) -> tuple[list[str], list[tuple[int, int]]]:
    """The Markdown's lines with chapbook's hard breaks, and each stanza of breaks that are not in the
    source: (the index of its first line in ``text``, its lines). A break the source has (two trailing
    spaces, a backslash) is counted with the source's marks (:mod:`chapbook.sourcescan`)."""
    lines, shown = text.split("\n"), mask_code(text).split("\n")
    code = _indented_code(shown)
    in_note = _in_notes(shown)
    out: list[str] = []
    stanzas: list[tuple[int, int]] = []
    start, breaks = 0, 0  # the stanza being broken: its first line and its breaks so far
    i = 0
    while i < len(lines):
        run = 0 if code[i] else _line_block(shown, i)
        if run:
            block = _stanza_lines(lines[i:i + run])
            stanzas += [(i + offset, len(stanza)) for offset, stanza in block]
            out += _stanzas(block)
            i += run
            continue
        line, made = lines[i], False
        if not code[i] and _BACKSLASH.search(shown[i]) and line == shown[i]:
            line = line[:-1] + _BREAK  # a backslash in the source: counted there
        elif whole_text and not in_note[i] and line.strip() and line == shown[i]:
            line = _verse_line(line, shown[i + 1] if i + 1 < len(shown) and not in_note[i + 1] else "")
            made = line.endswith(_BREAK) and not lines[i].endswith(_BREAK)
        if made:
            start, breaks = (i, 1) if not breaks else (start, breaks + 1)
        elif breaks:  # the stanza's last line
            stanzas.append((start, breaks + 1))
            breaks = 0
        out.append(line)
        i += 1
    if breaks:
        stanzas.append((start, breaks + 1))
    return out, stanzas


def _verse_line(line: str, following: str) -> str:
    """One line of a ``verse: true`` text: its indent kept, a hard break when its stanza goes on."""
    body = line.lstrip()
    if body.startswith(">"):  # a quotation's lines stay lines
        quoted = following.lstrip()
        return line.rstrip() + _BREAK if quoted.startswith(">") and quoted.lstrip("> ").strip() else line
    if _BLOCK_START.match(body) or (line[:1] == " " and _LIST_ITEM.match(body)):
        return line
    kept = _indent_kept(line)
    if following.strip() and not _BLOCK_START.match(following.lstrip()) and not following.lstrip().startswith(">"):
        return kept.rstrip() + _BREAK
    return kept


def _indented_code(shown: list[str]) -> list[bool]:
    """Which lines are in an indented code block (four spaces or a tab after a blank line or code)."""
    code, previous_blank, previous_code = [], True, False
    for line in shown:
        indented = line.startswith(("    ", "\t")) and line.strip()
        here = bool(indented and (previous_blank or previous_code))
        code.append(here)
        previous_code = here or (previous_code and not line.strip())
        previous_blank = not line.strip()
    return code


def _in_notes(shown: list[str]) -> list[bool]:
    """Which lines belong to a note's definition: ``[^1]: …``, its indented lines, and its lines run on
    without a blank line; a line at the margin after a blank line ends it."""
    flags, inside, blank_before = [], False, False
    for line in shown:
        if _NOTE_DEFINITION.match(line):
            inside = True
        elif line.strip() and blank_before and not line.startswith(("    ", "\t")):
            inside = False
        flags.append(inside)
        blank_before = not line.strip()
    return flags


def _line_block(shown: list[str], i: int) -> int:
    """How many lines from ``i`` form a line block (0 if none): lines starting ``| `` or a bare ``|``,
    after a blank line, none of them a table's row (no rule row, no line ending in ``|``)."""
    if i and shown[i - 1].strip():
        return 0
    n = i
    while n < len(shown) and _LINE_BLOCK_LINE.match(shown[n]):
        if _TABLE_RULE.match(shown[n]) or (shown[n].rstrip().endswith("|") and shown[n].strip() != "|"):
            return 0
        if _NOT_A_LINE.match(shown[n][2:]):  # "| [^9]: …", "| [x]: url", "| ===" would be read as Markdown's
            return 0                         # own note, link, heading or rule: no line block, as without chapbook
        n += 1
    if n < len(shown) and _TABLE_RULE.match(shown[n]):  # "| a | b" then "|---|---": a table's head
        return 0
    return n - i


def _stanza_lines(block: list[str]) -> list[tuple[int, list[str]]]:
    """A line block's stanzas: (the index in ``block`` of its first line, its lines' contents)."""
    stanzas: list[tuple[int, list[str]]] = []
    current: list[str] = []
    for n, line in enumerate(block):
        content = line[2:] if line.startswith("| ") else ""
        if content.strip():
            if not current:
                stanzas.append((n, current))
            current.append(content)
        else:
            current = []
    return stanzas


def _stanzas(block: list[tuple[int, list[str]]]) -> list[str]:
    """A line block's stanzas (:func:`_stanza_lines`) as Markdown: lines with hard breaks, a blank line
    between stanzas."""
    out: list[str] = []
    for _, stanza in block:
        kept = [_indent_kept(line) for line in stanza]
        out += [line + _BREAK for line in kept[:-1]] + [kept[-1] + "\n{: .verse }", ""]
    return out


def _indent_kept(line: str) -> str:
    """Leading spaces as no-break spaces: a poet's indent, not a Markdown code block."""
    stripped = line.lstrip(" ")
    return "\u00a0" * (len(line) - len(stripped)) + stripped


def mark_verse(root: ET.Element, whole_text: bool = False) -> None:
    """``class="verse"`` on every paragraph of hard-broken lines (every paragraph of the body with
    ``whole_text``), and on the short lines that end a poem after one (see :func:`_lone_lines`); each
    line a ``span.line``; ``verse-keep`` on a stanza of one or two lines after another. A paragraph with
    a class of its own (a signature, an image) is left as it is."""
    notes = {id(p) for div in root.iter("div") if "footnote" in div.get("class", "") for p in div.iter("p")}
    top = {id(child) for child in root}

    def verse(p: ET.Element) -> bool:
        classes = set(p.get("class", "").split())
        return not (classes - {"verse"}) and ("verse" in classes or (whole_text and id(p) in top)
                                              or any(child.tag == "br" for child in p))

    stanzas: list[tuple[ET.Element, ET.Element | None]] = []  # (stanza, the stanza right before it)
    for parent in list(root.iter()):
        if id(parent) in notes:
            continue
        children = list(parent)
        marked = [child.tag == "p" and id(child) not in notes and verse(child) for child in children]
        for start, end in _lone_lines(children, marked):
            marked[start:end] = [True] * (end - start)
        stanzas += [(child, children[n - 1] if n and marked[n - 1] else None)
                    for n, child in enumerate(children) if marked[n]]
    for p, before in stanzas:
        classes = p.get("class", "").split()
        lines = _into_lines(p)
        classes += [] if "verse" in classes else ["verse"]
        if before is not None and lines <= SHORT_STANZA:
            classes.append("verse-keep")
        p.set("class", " ".join(classes))


def _lone_lines(children: list[ET.Element], marked: list[bool]) -> list[tuple[int, int]]:
    """The runs of short one-line paragraphs right after a stanza that end their parent or lead to
    another stanza: a poem's last line ("and that was all."); not dialogue after a quoted stanza."""
    runs, n = [], 0
    while n < len(children):
        if not marked[n]:
            n += 1
            continue
        end = n + 1
        while end < len(children) and not marked[end] and _short_line(children[end]):
            end += 1
        if end > n + 1 and (end == len(children) or marked[end] or "footnote" in children[end].get("class", "")):
            runs.append((n + 1, end))
        n = end
    return runs


def _short_line(el: ET.Element) -> bool:
    return (el.tag == "p" and not el.get("class") and not any(child.tag == "br" for child in el)
            and len("".join(el.itertext())) <= LONE_LINE)


def _into_lines(p: ET.Element) -> int:
    """Split ``p``'s content at its ``<br>``s into ``span.line`` elements; how many lines."""
    lines = [ET.Element("span", {"class": "line"})]
    lines[0].text = p.text
    for child in list(p):
        p.remove(child)
        if child.tag == "br":
            lines.append(ET.Element("span", {"class": "line"}))
            lines[-1].text = (child.tail or "").lstrip("\n")
        else:
            lines[-1].append(child)
    p.text = None
    for line in lines:
        p.append(line)
    return len(lines)
