"""The hyphenation dictionaries WeasyPrint's print layout uses: a language's patterns, with a second opinion.

Justified text needs break points: a long word that may not be split leaves the line before it
loose (issue 13). pyphen's English patterns for ``lang="en"`` and ``en-GB`` are the British ones
(``hyph_en_GB.dic``, after ukhyphen.tex), which are deliberately sparse: they have no point at all
in "asylum", "seekers", "between", "people" or "journal", and only "headquar-ters" and
"strengthened" whole. :class:`Hyphenator` takes, for such a language, the points of the American
patterns as well ("asy-lum", "seek-ers", "head-quar-ters", "strength-ened"): every point it offers
is one that one of two standard dictionaries allows. WeasyPrint tries them longest first, so where
the British point fits it is the one taken. The measured effect on the IOM reader is recorded in
``bench/results-typography.md``.

:func:`install` (called where every layout starts, :func:`chapbook.writers.pdf.layout`) gives each
WeasyPrint ``LayoutContext`` a dictionary table that hands out these hyphenators; WeasyPrint itself
still decides whether and where a word is hyphenated (``hyphens``, ``hyphenate-limit-chars``), and
names, web addresses and a paragraph's last word are still kept whole by chapbook's markup
(``hyphens: manual``).
"""

from __future__ import annotations

import pyphen

# Languages whose patterns leave many words whole, and the patterns whose points are added.
FALLBACK = {"en": "en_US", "en_GB": "en_US"}

_MADE: dict[tuple, Hyphenator] = {}  # (lang, left, right) → hyphenator: the patterns are read once per process


class Hyphenator(pyphen.Pyphen):
    """pyphen's hyphenator for ``lang``, with the points of the fallback language's patterns added
    (the same ``left``/``right`` limits apply to both)."""

    def __init__(self, lang: str, left: int = 2, right: int = 2) -> None:
        super().__init__(lang=lang, left=left, right=right)
        other = FALLBACK.get(lang)
        self.fallback = pyphen.Pyphen(lang=other, left=left, right=right) if other else None

    def positions(self, word: str) -> list:
        found = super().positions(word)
        if self.fallback is not None:
            known = set(found)
            found = sorted([*found, *(p for p in self.fallback.positions(word) if p not in known)])
        return found


def hyphenator(lang: str, left: int, right: int) -> Hyphenator:
    key = (lang, left, right)
    if key not in _MADE:
        _MADE[key] = Hyphenator(lang, left, right)
    return _MADE[key]


def preload(languages: set[str]) -> None:
    """Read the patterns WeasyPrint will hyphenate ``languages`` (BCP 47 tags, as in ``lang``)
    with, into pyphen's own cache, where forked workers find them."""
    for tag in languages:
        lang = pyphen.language_fallback(tag.replace("-", "_"))
        if lang:
            for name in (lang, FALLBACK.get(lang)):
                if name:
                    pyphen.Pyphen(lang=name)


class Dictionaries(dict):
    """WeasyPrint's per-layout table of hyphenators, keyed ``(lang, left, right, total)``; it only
    ever calls ``get`` and sets an item. ``get`` hands out chapbook's hyphenator instead of the
    plain pyphen one WeasyPrint would make."""

    def get(self, key, default=None):
        lang, left, right, _total = key
        return hyphenator(lang, left, right)


def install() -> None:
    """Give every WeasyPrint layout chapbook's hyphenators (idempotent)."""
    from weasyprint.layout import LayoutContext

    if getattr(LayoutContext.__init__, "chapbook", False):
        return
    original = LayoutContext.__init__

    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.dictionaries = Dictionaries()

    __init__.chapbook = True
    LayoutContext.__init__ = __init__
