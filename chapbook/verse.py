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
_BLOCK_START = re.compile(r"^(?:#{1,6}\s|>|[-*+]\s|\d+[.)]\s|\[\^[^\]]+\]:|\{:|```|~~~|\|)")
_NOTE_DEFINITION = re.compile(r"^\[\^[^\]]+\]:", re.MULTILINE)
SHORT_STANZA = 2  # lines: a last stanza this short stays on the page of the one before it
# A paragraph of one line right after a stanza is a one-line stanza ("and that was all."), up to
# this many characters: prose after a poem runs longer.
LONE_LINE = 80


def hard_breaks(text: str, whole_text: bool = False) -> str:
    """The Markdown with backslash breaks and line blocks as hard breaks; with ``whole_text`` (a text
    with ``verse: true``) every line break of a paragraph before the notes is one. Code is left alone."""
    masked = mask_code(text)
    if "\\" in masked:
        text, masked = _backslash_breaks(text, masked)
    lines, shown = text.split("\n"), masked.split("\n")
    out: list[str] = []
    i = 0
    notes_from = next((n for n, line in enumerate(shown) if _NOTE_DEFINITION.match(line)), len(shown))
    while i < len(lines):
        run = _line_block(shown, i)
        if run:
            out += _stanzas(lines[i:i + run])
            i += run
            continue
        line = lines[i]
        if whole_text and i < notes_from and line.strip() and line == shown[i]:
            line = _indent_kept(line)
            following = shown[i + 1] if i + 1 < len(shown) else ""
            if following.strip() and i + 1 < notes_from and not _BLOCK_START.match(following.lstrip()) \
                    and not _BLOCK_START.match(line.lstrip()):
                line = line.rstrip() + _BREAK
        out.append(line)
        i += 1
    return "\n".join(out)


def _backslash_breaks(text: str, masked: str) -> tuple[str, str]:
    pieces, masked_pieces, at = [], [], 0
    for m in _BACKSLASH.finditer(masked):
        pieces += [text[at:m.start()], _BREAK]
        masked_pieces += [masked[at:m.start()], _BREAK]
        at = m.end()
    return "".join(pieces) + text[at:], "".join(masked_pieces) + masked[at:]


def _line_block(shown: list[str], i: int) -> int:
    """How many lines from ``i`` form a line block (0 if none): lines starting ``| `` or a bare ``|``,
    after a blank line, none of them a table's row (no rule row, no line ending in ``|``)."""
    if i and shown[i - 1].strip():
        return 0
    n = i
    while n < len(shown) and _LINE_BLOCK_LINE.match(shown[n]):
        if _TABLE_RULE.match(shown[n]) or (shown[n].rstrip().endswith("|") and shown[n].strip() != "|"):
            return 0
        n += 1
    return n - i


def _stanzas(block: list[str]) -> list[str]:
    """A line block's lines as Markdown stanzas: lines with hard breaks, a blank line between stanzas."""
    stanzas: list[list[str]] = [[]]
    for line in block:
        content = line[2:] if line.startswith("| ") else ""
        if content.strip():
            stanzas[-1].append(_indent_kept(content))
        elif stanzas[-1]:
            stanzas.append([])
    out: list[str] = []
    for stanza in filter(None, stanzas):
        out += [line + _BREAK for line in stanza[:-1]] + [stanza[-1] + "\n{: .verse }", ""]
    return out


def _indent_kept(line: str) -> str:
    """Leading spaces as no-break spaces: a poet's indent, not a Markdown code block."""
    stripped = line.lstrip(" ")
    return "\u00a0" * (len(line) - len(stripped)) + stripped


def mark_verse(root: ET.Element, whole_text: bool = False) -> None:
    """``class="verse"`` on every paragraph of hard-broken lines (every paragraph of the body with
    ``whole_text``) and on a short line right after one, each line a ``span.line``; ``verse-keep`` on
    a short stanza after another."""
    in_notes = {id(p) for div in root.iter("div") if "footnote" in div.get("class", "") for p in div.iter("p")}
    siblings = {id(child): children for parent in root.iter() for children in [list(parent)] for child in children}
    previous: ET.Element | None = None
    for p in [p for p in root.iter("p") if id(p) not in in_notes]:
        classes = p.get("class", "").split()
        if "image" in classes:
            continue
        top_level = any(child is p for child in root)
        lone_line = previous is not None and _follows(siblings[id(p)], previous, p) and \
            len("".join(p.itertext())) <= LONE_LINE
        if not (any(child.tag == "br" for child in p) or "verse" in classes or (whole_text and top_level)
                or lone_line):
            previous = None
            continue
        lines = _into_lines(p)
        if "verse" not in classes:
            classes.append("verse")
        if previous is not None and lines <= SHORT_STANZA and _follows(siblings[id(p)], previous, p):
            classes.append("verse-keep")
        p.set("class", " ".join(classes))
        previous = p


def _follows(children: list[ET.Element], before: ET.Element, p: ET.Element) -> bool:
    """Whether ``p`` comes right after ``before`` among its parent's ``children``."""
    index = next(i for i, child in enumerate(children) if child is p)
    return index > 0 and children[index - 1] is before


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
