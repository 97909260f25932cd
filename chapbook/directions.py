"""Which way text runs: a language's direction, and the ``dir`` and ``lang`` attributes the templates
write where it changes.

A Persian or Arabic text set left to right put its full stops first and its words out of order (a
new user's trial). Every output marks a change of direction, and only a change: an English book's
pages carry no ``dir`` at all, so they are what they were. The template globals here are bound to the
book's language by :func:`chapbook.render.in_language`.
"""

from __future__ import annotations

import re
import unicodedata

from markupsafe import Markup, escape

from .fieldcheck import subtags

__all__ = ["book_lang", "dir_of", "direction", "isolated", "lang_attrs", "text_dir"]

# Languages written right to left (by default script), and the scripts that are: a Persian or Arabic
# text set left to right put its full stops first and its words out of order (a new user's trial).
_RTL_LANGUAGES = {"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ji", "ks", "ku-arab", "prs", "ps", "sd", "syr",
                  "ug", "ur", "yi"}
_RTL_SCRIPTS = {"arab", "hebr", "thaa", "syrc", "nkoo", "adlm", "rohg", "samr", "mand"}


def direction(lang: str | None) -> str:
    """'rtl' or 'ltr': how text in ``lang`` runs (a script subtag decides first: az-Arab, ku-Latn)."""
    parts = subtags(lang)
    script = next((p for p in parts[1:] if len(p) == 4 and p.isalpha()), "")
    if script:
        return "rtl" if script in _RTL_SCRIPTS else "ltr"
    return "rtl" if parts[0] in _RTL_LANGUAGES else "ltr"


def dir_of(lang: str | None, book: str = "en") -> Markup:
    """Template global ``dir_of(lang)``: ``dir="rtl"`` (or ``"ltr"``) where text in ``lang`` runs the
    other way than the book in ``book``, and on the root of a right-to-left book (``dir_of(None)``);
    nothing where the two agree (the English reader's pages are unchanged)."""
    inner, outer = direction(lang or book), direction(book) if lang else "ltr"
    return Markup(f' dir="{inner}"') if inner != outer else Markup("")


def text_dir(value, lang: str | None = None, book: str = "en") -> Markup:
    """Template global ``text_dir(question, p.lang)``: ``dir`` for a line the editors wrote in a language
    no field names (a question, a summary, a reference), from its first letter that has a direction,
    as HTML's ``dir=auto`` decides (which WeasyPrint does not know), and the text's ``lang`` when that
    runs the same way (an Arabic question in an Arabic text is Arabic, not the book's English);
    nothing when it runs as the book."""
    text = re.sub(r"<[^>]*>", "", str(value))
    found = next(("ltr" if kind == "L" else "rtl" for kind in map(unicodedata.bidirectional, text)
                  if kind in ("L", "R", "AL")), direction(book))
    if found == direction(book):
        return Markup("")
    named = f' lang="{escape(lang)}"' if lang and lang != book and direction(lang) == found else ""
    return Markup(f'{named} dir="{found}"')


def isolated(value, lang: str | None = None, book: str = "en") -> Markup:
    """Filter ``isolated``: ``value`` in a span of its own direction (:func:`text_dir`) when it runs the
    other way than the book, as it is otherwise (no empty spans in the English reader)."""
    attrs = text_dir(value, lang, book)
    return Markup(f"<span{attrs}>") + value + Markup("</span>") if attrs else Markup(value)


def lang_attrs(lang: str | None, book: str = "en") -> Markup:
    """Template global ``lang_attrs(p.lang)``: ``lang`` (and ``dir`` where it runs the other way) for a
    text's words outside its own section (its title and author in the contents); nothing in the
    book's language. The EPUB's documents have their own, with ``xml:lang``."""
    if not lang or lang == book:
        return Markup("")
    return Markup(f' lang="{escape(lang)}"') + dir_of(lang, book)


def book_lang(lang: str | None, book: str = "en") -> Markup:
    """Template global ``book_lang(p.lang)``: the book's ``lang`` (and ``dir``) on chapbook's own words
    inside a text in another language ("First published in", "Summary."), so that they are read,
    hyphenated and ordered as the book's language; nothing where the two are the same."""
    if not lang or lang == book:
        return Markup("")
    return Markup(f' lang="{escape(book)}"') + dir_of(book, lang)
