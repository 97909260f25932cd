"""The characters a project's text may not carry, in named classes shared by everything that reads it.

Five readers refuse or drop characters: the YAML settings (:mod:`chapbook.yamlsafe`), a text's
Markdown (:mod:`chapbook.sourcescan`), the ``.bib`` (:mod:`chapbook.bibliography`), chapbook's own
words (:mod:`chapbook.words`) and an imported page (:mod:`chapbook.htmlimport`); the terminal's
messages escape some more (:mod:`chapbook.diagnostics`). Each used to spell its own pattern, and
they drifted: the importer kept form feeds, which the text it wrote was then refused for. Each now
names the classes it refuses, so a difference between two of them is one that is meant.
"""

from __future__ import annotations

import re

C0 = "\x00-\x08\x0b\x0c\x0e-\x1f"  # C0 controls but tab, newline and CR: XML cannot carry them
LINE_ENDS = "\n\r"
TAB = "\t"
DEL = "\x7f"
C1 = "\x80-\x9f"  # C1 controls: printable in XML, but no font has them (ESC-like in a terminal)
NONCHARACTERS = "\ufffe\uffff"
SEPARATORS = "\u2028\u2029"  # line and paragraph separators: no font has them, and no line number is right after one
# The bidirectional embeddings and overrides reverse what follows them: U+202E in an editor's name
# printed the names after it backwards (an attack). Isolates close themselves at the end of a
# paragraph, and marks only set a direction: a right-to-left text needs both, so both stay allowed.
OVERRIDES = "\u202a-\u202e"
ISOLATES = "\u2066-\u2069"
MARKS = "\u061c\u200e\u200f"  # Arabic letter mark, left-to-right and right-to-left marks


def char_class(*classes: str) -> re.Pattern[str]:
    """One character of any of ``classes`` (the constants above, or chapbook's own placeholders)."""
    return re.compile("[" + "".join(classes) + "]")


# What no book, EPUB or web page of chapbook's may hold, wherever a project writes it (C1 controls
# are refused in settings only: a text or a .bib may hold them as XML allows).
UNPRINTABLE = (C0, DEL, NONCHARACTERS, SEPARATORS, OVERRIDES)
NOT_IN_A_BOOK = char_class(*UNPRINTABLE)  # what a text's check refuses, and what the importer drops
LINE_SEPARATOR = char_class(SEPARATORS)  # the importer makes them line ends (a file) or spaces (a page)
