"""BibTeX's ``@string`` macros, expanded within a bound.

A macro may be defined as other macros joined with ``#``, so ten lines of
``@string{s2 = s1 # s1 # … }`` grow a 15-character string to gigabytes: pybtex joins them
all (a 2 KB ``.bib`` took 87 s and 16 GB before a MemoryError). Every value's text comes either
from the file, which is at most :data:`chapbook.bibliography.MAX_BIB_BYTES`, or from macro
expansions, so bounding the text all expansions hand out bounds the whole read.
"""

from __future__ import annotations

from pybtex.database import BibliographyData
from pybtex.database.input.bibtex import Parser
from pybtex.utils import CaseInsensitiveDict

MAX_EXPANDED = 16_000_000  # characters all macro expansions of one .bib may add, together


class BoundedMacros(CaseInsensitiveDict):
    """pybtex's macro table, handing out at most :data:`MAX_EXPANDED` characters in all; past that,
    every macro expands to nothing and ``overflow`` names the first one that did not fit."""

    def __init__(self, macros) -> None:
        super().__init__(macros)
        self.expanded = 0
        self.overflow: str | None = None

    def __getitem__(self, name: str) -> str:
        value = super().__getitem__(name)
        self.expanded += len(value)
        if self.expanded > MAX_EXPANDED:
            self.overflow = self.overflow or name
            return ""
        return value


def parse_bibtex(text: str) -> tuple[BibliographyData, str | None]:
    """``text`` read as pybtex's ``parse_string(text, "bibtex")`` does, and the macro (if any) whose
    expansion went past :data:`MAX_EXPANDED` (its expansions and all later ones are empty)."""
    parser = Parser()
    parser.macros = macros = BoundedMacros(parser.macros)
    return parser.parse_string(text), macros.overflow
