"""The hyphenation dictionaries WeasyPrint's print layout uses: for English, the American patterns first.

Justified text needs break points, and the reader sees where they fall. pyphen's patterns for
``lang="en"`` and ``en-GB`` are the British ones (``hyph_en_GB.dic``, after ukhyphen.tex): sparse
(no point at all in "asylum", "seekers", "between", "people" or "journal", only "headquar-ters"),
so that a word they cannot split leaves the line before it loose (issue 13), and etymological where
they do split, in ways readers take for mistakes: "bey-ond", "art-icle", "act-ive", "inform-ation",
"evid-ence", "fin-ances". The American patterns (TeX's, from a dictionary) split British spellings
as well ("or-gan-i-sa-tion", "cen-tre", "la-bour", "pro-grammes") at the points a reader expects
("be-yond", "ar-ti-cle", "in-for-ma-tion", "asy-lum", "head-quar-ters"). :class:`Hyphenator`
takes them first for English, and the British points for a word they find none in. The measured
effect on the IOM reader is recorded in ``bench/results-typography.md``.

:func:`install` (called where every layout starts, :func:`chapbook.writers.pdf.layout`) gives each
WeasyPrint ``LayoutContext`` a dictionary table that hands out these hyphenators; WeasyPrint itself
still decides whether and where a word is hyphenated (``hyphens``, ``hyphenate-limit-chars``), and
names, web addresses and a paragraph's last word are still kept whole by chapbook's markup
(``hyphens: manual``).
"""

from __future__ import annotations

import pyphen

# A language whose own patterns serve it badly: the patterns used first, and those asked for a word
# the first find no point in.
PATTERNS = {"en": ("en_US", "en_GB"), "en_GB": ("en_US", "en_GB")}

_MADE: dict[tuple, Hyphenator] = {}  # (lang, left, right) → hyphenator: the patterns are read once per process


class Hyphenator(pyphen.Pyphen):
    """pyphen's hyphenator for ``lang``, or for English the American patterns first: a word they
    find no point in takes the British patterns' points (the same ``left``/``right`` limits apply)."""

    def __init__(self, lang: str, left: int = 2, right: int = 2) -> None:
        first, then = PATTERNS.get(lang, (lang, None))
        super().__init__(lang=first, left=left, right=right)
        self.fallback = pyphen.Pyphen(lang=then, left=left, right=right) if then else None

    def positions(self, word: str) -> list:
        found = super().positions(word)
        if not found and self.fallback is not None:
            found = self.fallback.positions(word)
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
            for name in PATTERNS.get(lang, (lang,)):
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
