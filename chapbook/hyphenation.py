"""The hyphenation dictionaries WeasyPrint's print layout uses: English by the American patterns.

Justified text needs break points, and the reader sees where they fall. pyphen's patterns for
``lang="en"`` and ``en-GB`` are the British ones (``hyph_en_GB.dic``, after ukhyphen.tex): sparse
(no point at all in "asylum", "seekers", "between", "people" or "journal", only "headquar-ters"),
so that a word they cannot split leaves the line before it loose (issue 13), and etymological where
they do split, in ways readers take for mistakes: "bey-ond", "art-icle", "act-ive", "inform-ation",
"evid-ence", "fin-ances". The American patterns (TeX's, from a dictionary) split British spellings
as well ("or-gan-i-sa-tion", "cen-tre", "la-bour", "pro-grammes") at the points a reader expects
("be-yond", "ar-ti-cle", "in-for-ma-tion", "asy-lum", "head-quar-ters"), and leave whole the
words the British patterns split worst ("lis-ted", "foun-ded", "prin-ted", "trus-ted"): English is
hyphenated by them alone. The measured effect on the IOM reader is recorded in
``bench/results-typography.md``.

:func:`install` (called where every layout starts, :func:`chapbook.writers.pdf.layout`) gives each
WeasyPrint ``LayoutContext`` a dictionary table that hands out these hyphenators; WeasyPrint itself
still decides whether and where a word is hyphenated (``hyphens``, ``hyphenate-limit-chars``), and
names, web addresses and a paragraph's last word are still kept whole by chapbook's markup
(``hyphens: manual``).
"""

from __future__ import annotations

import pyphen

# A language whose own patterns serve it badly, and the patterns used for it instead.
PATTERNS = {"en": "en_US", "en_GB": "en_US"}

_MADE: dict[tuple, pyphen.Pyphen] = {}  # (lang, left, right) → hyphenator: the patterns are read once per process


def hyphenator(lang: str, left: int, right: int) -> pyphen.Pyphen:
    """pyphen's hyphenator for ``lang``, or for the patterns :data:`PATTERNS` uses instead."""
    key = (lang, left, right)
    if key not in _MADE:
        _MADE[key] = pyphen.Pyphen(lang=PATTERNS.get(lang, lang), left=left, right=right)
    return _MADE[key]


def preload(languages: set[str]) -> None:
    """Read the patterns WeasyPrint will hyphenate ``languages`` (BCP 47 tags, as in ``lang``)
    with, into pyphen's own cache, where forked workers find them."""
    for tag in languages:
        lang = pyphen.language_fallback(tag.replace("-", "_"))
        if lang:
            pyphen.Pyphen(lang=PATTERNS.get(lang, lang))


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
