"""pybtex's rich text written out as XHTML or plain text, and the addresses a reference may link to.

A reference ends up in XHTML (the book, the EPUB, the handouts) and in plain text (sorting,
labels, the corrections list). pybtex's own backends write HTML-only entities and protection
spans, and link to whatever a ``url`` field holds; these subclasses write characters, drop the
spans, and link only to http(s) and mailto addresses, percent-encoded so that EPUBCheck and
XML parsers accept them; :func:`anchor` is the id a citation links to. Every formatter of
references (the house style and CSL) goes through here, so the link policy is in one place.
"""

from __future__ import annotations

import re
from urllib.parse import quote
from xml.sax.saxutils import escape

from pybtex.backends import html, plaintext

__all__ = ["HTML", "SAFE_URL", "TEXT", "anchor", "safe_href", "url_of"]

_SYMBOLS = {"ndash": "–", "newblock": " ", "nbsp": " "}

# What a ``url`` field may link to: the schemes body links may use (sourcescan.SAFE_LINK) but '#'.
SAFE_URL = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)


def safe_href(url: str) -> str:
    """``url`` with everything but URL punctuation percent-encoded: no raw ``<``, ``>``, ``"`` or spaces.

    Existing ``%XX`` escapes are kept, a ``%`` starting none is encoded (EPUBCheck refuses
    it, RSC-020); non-ASCII characters are encoded as UTF-8.
    """
    return quote(re.sub(r"%(?![0-9A-Fa-f]{2})", "%25", url), safe="!#$%&'()*+,-./:;=?@[]_~")


def anchor(key: str) -> str:
    """The XML id of a reference: ``ref-`` + key, other characters hex-encoded."""
    return "ref-" + "".join(c if re.match(r"[A-Za-z0-9._-]", c) else f"_{ord(c):x}_" for c in key)


def url_of(value: str) -> str:
    """A ``url`` (or ``doi``, ``eprint``) field's value as an address: BibTeX's escapes (``\\_``) undone."""
    return re.sub(r"\\([_%&#~$])", r"\1", value.strip())


class _HtmlBackend(html.Backend):
    """XHTML-safe output: characters instead of HTML-only entities, no protection spans."""

    symbols = _SYMBOLS

    def format_protected(self, text: str) -> str:
        return text

    def format_tag(self, tag: str, text: str) -> str:
        """pybtex's tags as elements; LaTeX's small capitals (\\textsc) as a span the stylesheets set
        in small caps (XHTML has no element for them)."""
        if tag == "smallcaps":
            return f'<span class="smallcaps">{text}</span>' if text else ""
        return super().format_tag(tag, text)

    @staticmethod
    def format_href(url: str, text: str, external: bool = False) -> str:
        """A link, only to http(s) and mailto (else the text alone), its address percent-encoded."""
        if not text:
            return ""
        if not SAFE_URL.match(url):  # refused with a located error when read; never a link
            return text
        return f'<a href="{escape(safe_href(url))}">{text}</a>'


class _TextBackend(plaintext.Backend):
    symbols = _SYMBOLS

    def format_protected(self, text: str) -> str:
        return text


HTML, TEXT = _HtmlBackend(), _TextBackend()
