"""The bibliography: BibTeX and biblatex read with pybtex, formatted Chicago author–date.

Entries are formatted by a real pybtex style (:class:`ChicagoAuthorDate`) and rendered by
small subclasses of pybtex's HTML and plain-text backends. Field values are decoded by
:func:`rich_latex`: latexcodec for accents, dashes and ties, then a small reader for the
macros biblatex files use (``\\emph``, ``\\mkbibquote``, ``\\TeX`` …). A macro it does not
know is dropped with its argument kept, and reported: nothing in a ``.bib`` file can put a
backslash into the book. Titles keep the case they have in the ``.bib`` file: the editors'
sources are quoted as published, never re-cased.

biblatex's data model is followed where a reference list needs it: ``crossref`` and
``xdata`` inheritance, ``date`` ranges, subtitles and title addons, translators and the
other roles, eprints, patents, thesis and report types, ``@set``. Whatever a listed entry
holds that the style does not show is reported at the entry's line (:meth:`Bibliography.use`).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape

import latexcodec  # noqa: F401  (registers the "ulatex" codec)
import pybtex.errors
from pybtex.backends import html, plaintext
from pybtex.bibtex.utils import split_name_list
from pybtex.database import BibliographyData, BibliographyDataError, Entry, Person, parse_string
from pybtex.exceptions import PybtexError
from pybtex.richtext import HRef, String, Tag, Text
from pybtex.style import FormattedEntry
from pybtex.style.formatting import BaseStyle, toplevel
from pybtex.style.names import lastfirst
from pybtex.style.names import plain as plain_names
from pybtex.style.template import (
    FieldIsMissing,
    Node,
    first_of,
    href,
    join,
    node,
    sentence,
    tag,
    words,
)

from .diagnostics import Location, Report
from .model import Citation, CiteItem

__all__ = ["Bibliography", "anchor", "edition_text", "load_bibliography", "rich_latex", "safe_href"]

_HEADER = re.compile(r"@[ \t]*(\w+)[ \t]*[{(][ \t\r\n]*([^\s,={}()\"#%']+)[ \t\r\n]*,")
_NOT_ENTRIES = {"comment", "string", "preamble"}
_SYMBOLS = {"ndash": "–", "newblock": " ", "nbsp": " "}
_PAGE_LOCATOR = re.compile(r"^(?:pp?\.|pages?)\s*(?=\d)", re.IGNORECASE)


class _HtmlBackend(html.Backend):
    """XHTML-safe output: characters instead of HTML-only entities, no protection spans."""

    symbols = _SYMBOLS

    def format_protected(self, text: str) -> str:
        return text

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


_HTML, _TEXT = _HtmlBackend(), _TextBackend()

# What a ``url`` field may link to: the schemes body links may use (sourcescan.SAFE_LINK) but '#'.
SAFE_URL = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)
# Issue 10, a bounded build: a larger .bib is refused (reading one takes about 1 s per MB).
MAX_BIB_BYTES = 16_000_000


def safe_href(url: str) -> str:
    """``url`` with everything but URL punctuation percent-encoded: no raw ``<``, ``>``, ``"`` or spaces.

    Existing ``%XX`` escapes are kept, a ``%`` starting none is encoded (EPUBCheck refuses
    it, RSC-020); non-ASCII characters are encoded as UTF-8.
    """
    return quote(re.sub(r"%(?![0-9A-Fa-f]{2})", "%25", url), safe="!#$%&'()*+,-./:;=?@[]_~")


def anchor(key: str) -> str:
    """The XML id of a reference: ``ref-`` + key, other characters hex-encoded."""
    return "ref-" + "".join(c if re.match(r"[A-Za-z0-9._-]", c) else f"_{ord(c):x}_" for c in key)


def _fold(text: str) -> str:
    """Case- and accent-insensitive sort form."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


# -- LaTeX in field values ---------------------------------------------------------
#
# Three steps: control words that stand for text (``\TeX``, ``\hyphen``) are replaced in the
# raw value, where it is still known whether a space followed them (latexcodec turns
# ``\TeX\ book`` and ``\TeX book`` into the same string); latexcodec then decodes accents,
# ``--``, ``~``, ``\&`` …; :class:`_LatexReader` finally reads braces and the macros left,
# with their arguments.

_WORDS = {
    "TeX": "TeX", "LaTeX": "LaTeX", "LaTeXe": "LaTeX2ε", "BibTeX": "BibTeX", "XeTeX": "XeTeX",
    "XeLaTeX": "XeLaTeX", "LuaTeX": "LuaTeX", "LuaLaTeX": "LuaLaTeX", "ConTeXt": "ConTeXt",
    "METAFONT": "METAFONT", "MF": "METAFONT", "hyphen": "-", "slash": "/", "dots": "…", "ldots": "…",
    "textellipsis": "…", "textendash": "–", "textemdash": "—", "bibrangedash": "–",
    "bibdatedash": "–", "nobreakspace": "\xa0", "space": " ", "addspace": " ", "addnbspace": "\xa0",
    "addabbrvspace": " ", "addcomma": ",", "addcolon": ":", "addsemicolon": ";", "addperiod": ".",
    "adddot": ".", "textquoteleft": "‘", "textquoteright": "’", "textquotedblleft": "“",
    "textquotedblright": "”", "guillemotleft": "«", "guillemotright": "»", "textsection": "§",
    "textparagraph": "¶", "textregistered": "®", "texttrademark": "™", "textcopyright": "©",
    "copyright": "©", "textdegree": "°", "pounds": "£", "texteuro": "€", "euro": "€",
    "textdagger": "†", "dag": "†", "nopunct": "", "isdot": "", "relax": "", "unskip": "",
    "allowbreak": "", "break": "", "newline": " ", "linebreak": " ", "par": " ", "noindent": "",
    "hfill": " ", "quad": " ", "qquad": " ", "textbackslash": "∖",
}
_RAW_WORD = re.compile(r"(?<!\\)\\(" + "|".join(sorted(_WORDS, key=len, reverse=True))
                       + r")(?![A-Za-z])(?:\{\}|[ \t\r\n]*)")
_ITALIC_MACROS = {"emph", "textit", "textsl", "mkbibemph", "mkbibitalic"}
_ARGUMENT_ONLY = {"textbf", "mkbibbold", "textsc", "textrm", "textup", "textnormal", "textsf", "texttt",
                  "textmd", "mbox", "hbox", "url", "nolinkurl", "mkbibacro", "autocap", "NoCaseChange",
                  "ensuremath", "text", "mathrm", "mathit", "mathbf", "textlatin", "MakeUppercase",
                  "MakeLowercase", "uppercase", "lowercase", "mkbibnamefamily", "mkbibnamegiven"}
_SUPERSCRIPT, _SUBSCRIPT = {"textsuperscript", "mkbibsuperscript"}, {"textsubscript", "mkbibsubscript"}
_QUOTES = {"mkbibquote", "enquote", "enquote*", "mkbibquote*"}
_BRACKETS = {"mkbibparens": "()", "mkbibbrackets": "[]", "parentext": "()", "brackettext": "[]"}
_DROP_ARGUMENT = {"noopsort", "index", "label", "hyphenation", "selectlanguage", "cite", "nocite"}
_SECOND_ARGUMENT = {"href", "foreignlanguage", "textcolor", "foreignquote", "hyphenquote", "hologo"}
_ITALIC_DECLARATIONS = {"em", "it", "itshape", "sl", "slshape"}
_PLAIN_DECLARATIONS = {"bf", "bfseries", "sc", "scshape", "rm", "rmfamily", "upshape", "normalfont",
                       "tt", "ttfamily", "sf", "sffamily", "mdseries", "small", "footnotesize", "large",
                       "Large", "tiny", "normalsize", "scriptsize"}
_CONTROL_SYMBOLS = {",": "\u202f", " ": " ", "\\": " ", "@": "", "/": "", "-": "\xad", ";": " ",
                    ":": " ", "!": "", "&": "&", "%": "%", "$": "$", "#": "#", "_": "_", "{": "{",
                    "}": "}"}
_ACCENTS = {'"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303", "=": "\u0304",
            ".": "\u0307", "c": "\u0327", "v": "\u030c", "u": "\u0306", "H": "\u030b", "k": "\u0328",
            "r": "\u030a", "d": "\u0323", "b": "\u0331"}
_RUN = re.compile(r"[^{}\\$^_]+")
_CONTROL = re.compile(r"([A-Za-z]+\*?)\s*|(.)", re.DOTALL)
_OPTION = re.compile(r"\[[^\]{}]*\]\s*(?=\{)")
_PLAIN = re.compile(r"(?! )(?:[^\W_]|[.,:;()/]| (?! ))+")  # letters, digits, single inner spaces, .,:;()/
_FOR_LATEXCODEC = re.compile(r"\\|--|~|`|''")  # what latexcodec decodes: else it is skipped (it is slow)


class _LatexReader:
    """Decoded field text to rich text: braces group, macros take their arguments.

    ``unknown`` collects the names of macros not known here (their argument is kept).
    """

    def __init__(self, text: str, unknown: set[str] | None) -> None:
        self.text, self.pos, self.unknown = text, 0, unknown
        self.quotes = 0  # depth of \mkbibquote: the inner ones get single quotes
        self.math = False

    def group(self, closing: bool) -> list:
        """Parts up to the matching ``}`` (when ``closing``) or the end.

        A declaration (``{\\em …}``) styles the rest of its group.
        """
        parts: list = []
        text = self.text
        while self.pos < len(text):
            c = text[self.pos]
            self.pos += 1
            if c == "}":
                if closing:
                    return parts
            elif c == "{":
                parts.append(Text(*self.group(True)))
            elif c == "$":
                self.math = not self.math  # the formula is read as text
            elif c in "^_":
                parts.append(Tag("sup" if c == "^" else "sub", self.argument()) if self.math else c)
            elif c == "\\":
                name = self.control_name()
                if name in _ITALIC_DECLARATIONS or name in _PLAIN_DECLARATIONS:
                    rest = Text(*self.group(closing))
                    parts.append(Tag("i", rest) if name in _ITALIC_DECLARATIONS else rest)
                    return parts
                parts.append(self.command(name))
            else:
                m = _RUN.match(text, self.pos - 1)
                parts.append(m.group() if m else c)
                self.pos = m.end() if m else self.pos
        return parts

    def control_name(self) -> str:
        """The name after a backslash; a control word eats the spaces after it, as in TeX."""
        m = _CONTROL.match(self.text, self.pos)
        if m is None:
            return ""
        self.pos = m.end()
        return m.group(1) or m.group(2)

    def argument(self) -> Text:
        """The next ``{group}``, control sequence or character."""
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1
        if self.pos >= len(self.text) or self.text[self.pos] == "}":
            return Text()
        c = self.text[self.pos]
        self.pos += 1
        if c == "{":
            return Text(*self.group(True))
        if c == "\\":
            return Text(self.command(self.control_name()))
        return Text(c)

    def skip_option(self) -> None:
        """``[…]`` right after a macro, when a ``{`` follows it: an optional argument."""
        m = _OPTION.match(self.text, self.pos)
        if m:
            self.pos = m.end()

    def command(self, name: str) -> Text | str:
        if name in _WORDS:
            return _WORDS[name]
        if name in _CONTROL_SYMBOLS:
            return _CONTROL_SYMBOLS[name]
        if name in _ACCENTS:
            return _accented(self.argument(), _ACCENTS[name])
        self.skip_option()
        if name in _ITALIC_MACROS:
            return Tag("i", self.argument())
        if name in _ARGUMENT_ONLY:
            return self.argument()
        if name in _SUPERSCRIPT or name in _SUBSCRIPT:
            return Tag("sup" if name in _SUPERSCRIPT else "sub", self.argument())
        if name in _QUOTES:
            single = name.endswith("*") or self.quotes % 2 == 1
            self.quotes += 1
            inner = self.argument()
            self.quotes -= 1
            return Text("‘" if single else "“", inner, "’" if single else "”")
        if name in _BRACKETS:
            return Text(_BRACKETS[name][0], self.argument(), _BRACKETS[name][1])
        if name in _DROP_ARGUMENT:
            self.argument()
            return ""
        if name in _SECOND_ARGUMENT:
            self.argument()
            return self.argument()
        if self.unknown is not None:
            self.unknown.add(name)
        rest = self.text[self.pos:]
        return self.argument() if rest.startswith("{") else ""


def _accented(base: Text, accent: str) -> str:
    """``\\"{\\i}`` → ï: the accent combined with the first character (dotless i → i)."""
    text = str(base)
    if not text:
        return ""
    first = {"ı": "i", "ȷ": "j"}.get(text[0], text[0])
    return unicodedata.normalize("NFC", first + accent) + text[1:]


def rich_latex(value: str, unknown: set[str] | None = None) -> Text:
    """A field value as rich text: accents decoded, braces dropped, ``\\emph{}`` in italics,
    ``\\mkbibquote{}`` in quotation marks, other known macros as their text.

    The names of unknown macros are added to ``unknown``; their argument is kept.
    """
    if _PLAIN.fullmatch(value):  # nothing for LaTeX to decode: skip latexcodec, the slow part of a big .bib
        return Text(value)
    raw = _RAW_WORD.sub(lambda m: _WORDS[m.group(1)], value) if "\\" in value else value
    try:
        decoded = codecs.decode(raw, "ulatex") if _FOR_LATEXCODEC.search(raw) else raw
    except (ValueError, UnicodeError):  # defensive: latexcodec refuses little
        decoded = raw
    return Text(*_LatexReader(decoded, unknown).group(False))


@lru_cache(maxsize=65536)
def plain_latex(value: str) -> str:
    """A BibTeX field value as plain Unicode text: accents decoded, braces dropped.

    Cached: labels and sorting decode every name and title of a large file, names repeat.
    """
    return rich_latex(value).render(_TEXT) if value else ""


def _single_quotes(text: Text) -> Text:
    """Double quotation marks made single: a quotation inside a quoted title (CMOS 6.11)."""
    if isinstance(text, String):
        return String(text.value.replace("“", "‘").replace("”", "’"))
    if hasattr(text, "parts"):
        return text._create_similar([_single_quotes(part) for part in text.parts])
    return text


# -- what formatting an entry used ------------------------------------------------


@dataclass
class _Trace:
    """The fields an entry's formatting showed, and the unknown macros met, per field."""

    shown: set[str] = dataclass_field(default_factory=set)
    unknown: dict[str, set[str]] = dataclass_field(default_factory=dict)

    def sink(self, name: str) -> set[str]:
        return self.unknown.setdefault(name.lower(), set())


# Fields a Chicago reference list never prints: identifiers, sorting and indexing aids,
# reference-manager bookkeeping, options. Month and day are the date's precision: the
# reference list shows the year, and the full date where Chicago gives one.
_NOT_PRINTED = {
    "abstract", "annotation", "annote", "comment", "comments", "keywords", "file", "pdf", "langid",
    "langidopts", "hyphenation", "language", "ids", "options", "label", "shorthand", "shorthandintro",
    "shorttitle", "shortauthor", "shorteditor", "shortjournal", "shortseries", "sortname", "sorttitle",
    "sortkey", "sortyear", "sortshorthand", "presort", "indextitle", "indexsorttitle", "isbn", "issn",
    "isrn", "isan", "ismn", "iswc", "library", "key", "crossref", "xref", "xdata", "entryset",
    "execute", "entrysubtype", "timestamp", "owner", "groups", "mrclass", "mrnumber", "zbl", "pmid",
    "pmcid", "lccn", "local-url", "date-added", "date-modified", "added-at", "biburl", "interhash",
    "intrahash", "authortype", "year", "date", "month", "day", "usera", "userb", "userc", "userd",
    "usere", "userf", "verba", "verbb", "verbc",
}
_ALIASES = [{"journal", "journaltitle"}, {"address", "location"}, {"school", "institution"},
            {"archiveprefix", "eprinttype"}, {"primaryclass", "eprintclass"}]


def _left_out(entry: Entry, shown: set[str]) -> list[str]:
    """The fields of ``entry`` its formatting did not show, but those never printed."""
    present = {name.lower() for name in entry.fields} | {role.lower() for role in entry.persons}
    done = set(shown)
    for group in _ALIASES:
        if done & group:
            done |= group
    if "doi" in done:
        done.add("url")  # Chicago (14.8): the DOI rather than the URL
    return sorted(name for name in present - done - _NOT_PRINTED if not name.startswith("bdsk-"))


# -- template nodes ------------------------------------------------------------------


@node
def field(children: list, context: dict, name: str, apply_func: Callable | None = None,
          raw: bool = False, table: Mapping[str, str] | None = None, split: bool = False) -> Text:
    """pybtex's ``field``, decoding LaTeX with :func:`rich_latex` and noting the field as shown.

    ``table`` maps key values (``phdthesis``) to their text; ``split`` reads a biblatex
    list (``Durham and London``) and joins it the Chicago way.
    """
    entry = context["entry"]
    if name not in entry.fields:
        raise FieldIsMissing(name, entry)
    value = entry.fields[name]
    trace: _Trace | None = context.get("trace")
    sink = trace.sink(name) if trace is not None else None
    if table is not None and value.strip().lower() in table:
        result: Text | str = Text(table[value.strip().lower()])
    elif split:
        result = _literal_list(value, sink, table)
    else:
        result = value if raw else rich_latex(value, sink)
    if apply_func:
        result = apply_func(result)
    if trace is not None and result:
        trace.shown.add(name.lower())
    return result


def optional_field(name: str, **kwargs) -> Node:
    return optional[field(name, **kwargs)]


@node
def optional(children: list, context: dict) -> Text:
    """pybtex's ``optional``; what a part that turned out missing had noted as shown is undone."""
    trace: _Trace | None = context.get("trace")
    before = set(trace.shown) if trace is not None else set()
    try:
        return Text(*[child.format_data(context) if hasattr(child, "format_data") else child
                      for child in children])
    except FieldIsMissing:
        if trace is not None:
            trace.shown.intersection_update(before)
        return Text()


def _literal_list(value: str, sink: set[str] | None, table: Mapping[str, str] | None = None) -> Text:
    """A biblatex list (``A and B and C``) as "A, B, and C"; items found in ``table`` replaced."""
    items = [item.strip() for item in split_name_list(value)] or [value]
    texts = [Text((table or {})[item.lower()]) if item.lower() in (table or {}) else rich_latex(item, sink)
             for item in items]
    if len(texts) <= 2:
        return Text(" and ").join(texts)
    return Text(Text(", ").join(texts[:-1]), ", and ", texts[-1])


def _people(entry: Entry, role: str) -> list[Person]:
    """The persons of ``role``: pybtex parses only author and editor, biblatex has more."""
    if role in entry.persons:
        return list(entry.persons[role])
    value = entry.fields.get(role, "").strip()
    if not value:
        return []
    with pybtex.errors.capture():
        return [Person(name) for name in split_name_list(value)]


class _RichPerson:
    """A Person whose name parts pybtex's name styles get decoded by :func:`rich_latex`."""

    def __init__(self, person: Person, unknown: set[str] | None) -> None:
        self.person, self.unknown = person, unknown

    def _rich(self, names: list[str]) -> list[Text]:
        return [rich_latex(name, self.unknown) for name in names]

    rich_first_names = property(lambda self: self._rich(self.person.first_names))
    rich_middle_names = property(lambda self: self._rich(self.person.middle_names))
    rich_prelast_names = property(lambda self: self._rich(self.person.prelast_names))
    rich_last_names = property(lambda self: self._rich(self.person.last_names))
    rich_lineage_names = property(lambda self: self._rich(self.person.lineage_names))


@node
def persons(children: list, context: dict, role: str, invert_first: bool = True) -> Text:
    """Names in Chicago order: first "Surname, First", the others "First Surname"."""
    entry = context["entry"]
    people = _people(entry, role)
    if not people:
        raise FieldIsMissing(role, entry)
    trace: _Trace | None = context.get("trace")
    sink = trace.sink(role) if trace is not None else None
    others = len(people) > 1 and str(people[-1]) == "others"  # "A and others": et al.
    names = [(_LASTFIRST if i == 0 and invert_first else _FIRSTLAST)(_RichPerson(person, sink))
             for i, person in enumerate(people[:-1] if others else people)]
    sep2 = ", and " if invert_first else " and "
    text = join(sep=", ", sep2=sep2, last_sep=", and ")[names].format_data(context)
    if trace is not None:
        trace.shown.add(role)
    return Text(text, ", et al.") if others else text


_LASTFIRST, _FIRSTLAST = lastfirst.NameStyle().format, plain_names.NameStyle().format


@node
def titled(children: list, context: dict, *names: str, sub: str = "") -> Text:
    """The first of ``names`` present with its subtitle: "Title: Subtitle" ("Title? Subtitle")."""
    entry = context["entry"]
    name = next((n for n in names if n in entry.fields), names[0])
    title = field(name).format_data(context)
    subtitle = optional_field(sub).format_data(context) if sub else Text()
    if not subtitle:
        return title
    return Text(title, " " if title.endswith(("?", "!", ":")) else ": ", subtitle)


@node
def nonempty(children: list, context: dict) -> Text:
    """Its children, or FieldIsMissing when they come out empty: ``optional`` then drops what
    surrounds them (the parentheses of an event that has no facts)."""
    text = join[children].format_data(context)
    if not text:
        raise FieldIsMissing("", context["entry"])
    return text


@node
def shown_too(children: list, context: dict, *names: str) -> Text:
    """Nothing, but ``names`` noted as shown: fields another one's text stands for."""
    trace: _Trace | None = context.get("trace")
    if trace is not None:
        trace.shown.update(names)
    return Text()


@node
def year_label(children: list, context: dict) -> Text:
    """The disambiguated year ("2019a", "n.d.") computed by :class:`Bibliography`."""
    return Text(context["year_label"])


@node
def quoted(children: list, context: dict) -> Text:
    """“Title.” — Chicago puts the period inside the quotation marks, and makes quotation
    marks inside single."""
    text = join[children].format_data(context)
    return Text("“", _single_quotes(text.add_period()), "”") if text else Text()


# -- dates ---------------------------------------------------------------------------

_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]
_SEASONS = {21: "Spring", 22: "Summer", 23: "Autumn", 24: "Winter"}
_ISO_DAY = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T[\d:.]+(?:Z|[+-][\d:]+)?)?([~?%]?)")


@dataclass(frozen=True)
class _Day:
    """One end of a biblatex date: the year, and month and day when known (0 if not)."""

    year: int
    month: int = 0
    day: int = 0
    approximate: bool = False

    def text(self, with_year: bool = True, with_month: bool = True) -> str:
        month = _SEASONS.get(self.month) or (_MONTHS[self.month - 1] if 1 <= self.month <= 12 else "")
        parts = [str(self.day) if self.day and month and with_month else "", month if with_month else "",
                 str(self.year) if with_year else ""]
        text = " ".join(p for p in parts if p)
        return f"ca. {text}" if self.approximate and with_year else text


def _day(text: str) -> _Day | None:
    m = _ISO_DAY.fullmatch(text.strip())
    if not m:
        return None
    month = int(m.group(2) or 0)
    if month and not (1 <= month <= 12 or month in _SEASONS):
        return None
    return _Day(int(m.group(1)), month, int(m.group(3) or 0), m.group(4) in ("~", "%"))


def _parse_date(value: str) -> tuple[_Day | None, _Day | None, bool] | None:
    """biblatex's ``date``: ``2006``, ``2006-09-13``, ranges ``1984/1986``, open ``1988/``.

    (start, end, ranged); None when ``value`` is not such a date.
    """
    start_text, slash, end_text = value.strip().partition("/")
    start = _day(start_text) if start_text.strip(" .") else None
    end = _day(end_text) if end_text.strip(" .") else None
    if (start_text.strip(" .") and start is None) or (end_text.strip(" .") and end is None):
        return None
    if start is None and end is None:
        return None
    return start, end, bool(slash)


def _range_text(start: _Day | None, end: _Day | None, ranged: bool) -> str:
    """"19–25 May 1968", "19 May–2 June 1968", "1984–1986", "1988–"."""
    if not ranged or end == start:
        return (start or end).text() if (start or end) else ""
    if start is None or end is None:
        return f"{start.text() if start else ''}–{end.text() if end else ''}"
    same_year, same_month = start.year == end.year, start.month == end.month
    if same_year and same_month and start.day and end.day:
        return f"{start.day}–{end.text()}"
    if same_year and start.month and end.month:
        return f"{start.text(with_year=False)}–{end.text()}"
    return f"{start.text()}–{end.text()}"


def _date(value: str) -> str:
    """A date field as shown: ``2008-12-11`` → ``11 December 2008``; a range with an en dash."""
    parsed = _parse_date(value)
    return _range_text(*parsed) if parsed else plain_latex(value)


def full_date(entry: Entry) -> str:
    """A date more precise than the year (from ``date`` or ``month``/``day``), else ''."""
    fields = entry.fields
    parsed = _parse_date(fields.get("date", ""))
    if parsed and any(d is not None and d.month for d in parsed[:2]):
        return _range_text(*parsed)
    month = plain_latex(fields.get("month", "")).strip()
    if not month or not fields.get("year"):
        return ""
    if month.isdigit() and 1 <= int(month) <= 12:
        month = _MONTHS[int(month) - 1]
    named = next((m for m in _MONTHS if _fold(m).startswith(_fold(month)[:3])), month)
    return " ".join(filter(None, [fields.get("day", "").strip(), named, fields["year"].strip()]))


def _year_of(entry: Entry) -> str:
    """The year shown in the label: ``year``, else the years of ``date`` ("1984–1986", "1988–")."""
    year = entry.fields.get("year", "")
    if year:
        return plain_latex(year).strip()
    date = entry.fields.get("date", "")
    parsed = _parse_date(date)
    if parsed is None:
        return plain_latex(date[:4]).strip()
    start, end, ranged = parsed
    first = start.text(with_month=False) if start else ""
    if not ranged or (start and end and start.year == end.year):
        return first
    return f"{first}–{end.text(with_month=False) if end else ''}"


# -- words in the book's language -----------------------------------------------------

_ORDINAL_WORDS = {"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
                  "tenth"}


def _english_ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def edition_text(value: str, language: str = "en") -> str:
    """An edition as the book's language abbreviates it: ``3`` → "3rd ed." (en), "3. Aufl." (de),
    "3e éd." (fr), "3.ª ed." (es), else "ed. 3"; "Second" → "Second ed."; other text as given.
    """
    value = value.strip()
    lang = language.lower().replace("_", "-").split("-")[0]
    if not value.isdigit():
        ordinal = value.lower() in _ORDINAL_WORDS or re.fullmatch(r"\d+(st|nd|rd|th)", value.lower())
        return f"{value} ed." if ordinal and lang == "en" else value
    n = int(value)
    if lang == "en":
        return f"{_english_ordinal(n)} ed."
    if lang == "de":
        return f"{n}. Aufl."
    if lang == "fr":
        return f"{n}{'re' if n == 1 else 'e'} éd."
    if lang == "es":
        return f"{n}.ª ed."
    return f"ed. {n}"


# biblatex's type keys (``type = {phdthesis}``) and their English strings
_TYPE_STRINGS = {
    "phdthesis": "PhD thesis", "mathesis": "Master’s thesis", "mastersthesis": "Master’s thesis",
    "candthesis": "Candidate thesis", "techreport": "Technical report", "resreport": "Research report",
    "software": "Software", "datacd": "CD-ROM", "audiocd": "Audio CD", "patent": "Patent",
    "patentde": "German patent", "patenteu": "European patent", "patentfr": "French patent",
    "patentuk": "British patent", "patentus": "US patent", "patreq": "Patent request",
    "patreqde": "German patent request", "patreqeu": "European patent request",
    "patreqfr": "French patent request", "patrequk": "British patent request",
    "patrequs": "US patent request",
}
_THESES = {"phdthesis": "PhD diss.", "mastersthesis": "Master’s thesis"}
_COUNTRIES = {"countryde": "Germany", "countryeu": "European Union", "countryep": "European Union",
              "countryfr": "France", "countryuk": "United Kingdom", "countryus": "United States"}
_PUBSTATE = {"inpress": "In press", "forthcoming": "Forthcoming", "submitted": "Submitted",
             "inpreparation": "In preparation", "prepublished": "Prepublished"}
_ARTICLE_SERIES = {"newseries": "new ser.", "oldseries": "old ser."}
_ROLES = [("commentator", "With a commentary by"), ("annotator", "Annotated by"),
          ("introduction", "With an introduction by"), ("foreword", "With a foreword by"),
          ("afterword", "With an afterword by")]
_EDITOR_TYPES = {"editor": "Edited by", "compiler": "Compiled by", "founder": "Founded by",
                 "continuator": "Continued by", "redactor": "Redacted by", "reviser": "Revised by",
                 "collaborator": "In collaboration with", "organizer": "Organized by",
                 "director": "Directed by", "translator": "Translated by"}
_RELATED = {"origpubas": "Originally published as", "origpubin": "Originally published in",
            "reprint": "Reprint of", "reprintof": "Reprint of", "reprintas": "Reprinted as",
            "reprintfrom": "Reprinted from", "translationof": "Translation of",
            "translationas": "Translated as", "translationfrom": "Translated from",
            "review": "Review of", "multivolume": "Part of"}
# eprinttype → (shown, link); {id} is the identifier
_EPRINTS = {"arxiv": ("arXiv:{id}", "https://arxiv.org/abs/{id}"),
            "jstor": ("JSTOR: {id}", "https://www.jstor.org/stable/{id}"),
            "pubmed": ("PMID: {id}", "https://www.ncbi.nlm.nih.gov/pubmed/{id}"),
            "googlebooks": ("Google Books: {id}", "https://books.google.com/books?id={id}"),
            "hdl": ("HDL: {id}", "https://hdl.handle.net/{id}")}


def _language_name(value: str) -> str:
    """``langgerman`` / ``german`` → German."""
    return " and ".join(part.strip().removeprefix("lang").capitalize()
                        for part in split_name_list(plain_latex(value)))


def _article_series(value: str) -> Text:
    key = value.strip().lower()
    if key.isdigit():
        return Text(f"{_english_ordinal(int(key))} ser.")
    return Text(_ARTICLE_SERIES.get(key) or plain_latex(value))


# -- fields as text --------------------------------------------------------------------


def _page_range(m: re.Match[str]) -> str:
    """Chicago's abbreviated page ranges (CMOS 9.61): 977–99, 101–8, 321–28, 498–532."""
    a, b = m.group(1), m.group(2)
    if len(a) != len(b) or int(a) < 100 or int(a) % 100 == 0 or int(b) <= int(a):
        return f"{a}–{b}"
    changed = b[next(i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y):]
    keep = 1 if int(a) % 100 < 10 else 2
    return f"{a}–{changed if len(changed) >= keep else b[-keep:]}"


def _pages(value: str) -> Text:
    return Text(re.sub(r"(\d+)\s*[-–—]+\s*(\d+)", _page_range, plain_latex(value)))


def _url(value: str) -> str:
    return re.sub(r"\\([_%&#~$])", r"\1", value.strip())


def _doi(value: str) -> str:
    """The resolver address of a DOI, the DOI percent-encoded: ``<``, ``>``, ``#`` and ``?``
    may occur in a DOI (``10.1002/(SICI)…<693::AID-ASI4>3.0.CO;2-0``)."""
    doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", _url(value))
    return "https://doi.org/" + quote(doi, safe="/:;()-._~!$&'*+,=@%")


def _doi_shown(value: str) -> str:
    return "https://doi.org/" + re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", _url(value))


@node
def eprint(children: list, context: dict) -> Text:
    """"arXiv:hep-th/9901022 [hep-th]" linked to the archive (``eprint``, ``eprinttype``,
    ``eprintclass``; BibTeX's ``archivePrefix``/``primaryClass`` too)."""
    entry = context["entry"]
    fields = entry.fields
    if "eprint" not in fields:
        raise FieldIsMissing("eprint", entry)
    ident = _url(fields["eprint"])
    kind_name = next((n for n in ("eprinttype", "archiveprefix") if n in fields), "")
    class_name = next((n for n in ("eprintclass", "primaryclass") if n in fields), "")
    kind = plain_latex(fields.get(kind_name, "")).strip()
    shown, link = _EPRINTS.get(kind.lower(), ("", ""))
    text = shown.format(id=ident) if shown else (f"{kind}: {ident}" if kind else ident)
    if class_name:
        text += f" [{plain_latex(fields[class_name]).strip()}]"
    trace: _Trace | None = context.get("trace")
    if trace is not None:
        trace.shown |= {name for name in ("eprint", kind_name, class_name) if name}
    if link:
        return Text(HRef(link.format(id=quote(ident, safe="/:.-_~")), text))
    return Text(text)


@node
def volume_of(children: list, context: dict, capital: bool = True, main: bool = True) -> Text:
    """"Vol. 7, pt. 2 of <i>Maintitle</i>" (CMOS 14.116–17), "Vol. 7", "In <i>Maintitle</i>"."""
    entry = context["entry"]
    vol = optional[join["Vol. " if capital else "vol. ", field("volume"),
                        optional[join[", pt. ", field("part")]]]].format_data(context)
    whole = Text()
    if main and "maintitle" in entry.fields:
        whole = tag("i")[titled("maintitle", sub="mainsubtitle")].format_data(context)
        addon = optional_field("maintitleaddon").format_data(context)
        whole = Text(whole, ", ", addon) if addon else whole
    if vol and whole:
        return Text(vol, " of ", whole)
    if whole:
        return Text("In " if capital else "in ", whole)
    if not vol:
        raise FieldIsMissing("volume", entry)
    return vol


@node
def related(children: list, context: dict) -> Text:
    """"Reprint of Kullback, Solomon. 1959. …": the entries in ``related``, introduced by
    ``relatedstring`` or the phrase for ``relatedtype``."""
    entry, bib = context["entry"], context.get("bib_data")
    keys = _key_list(entry.fields.get("related", ""))
    found = [bib.related_entry(k) for k in keys] if isinstance(bib, Bibliography) else []
    found = [f for f in found if f is not None]
    if not found or not context.get("with_related"):
        raise FieldIsMissing("related", entry)
    trace: _Trace | None = context.get("trace")
    style: ChicagoAuthorDate = context["style"]
    texts = []
    for label, other in found:
        inner = _Trace()
        text = style.format_entry(label, other, bib, inner, with_related=False).text
        texts.append(text[:-1] if text.endswith(".") else text)
        if trace is not None:  # its macros are printed here: reported here
            trace.sink("related").update(*inner.unknown.values())
    lead = optional_field("relatedstring").format_data(context)
    kind = entry.fields.get("relatedtype", "").strip().lower()
    if not lead:
        lead = Text(_RELATED.get(kind, "See also"))
    if trace is not None:
        trace.shown |= {"related", "relatedtype", "relatedoptions"}
    return Text(lead, " ", Text("; ").join(texts))


# -- the pybtex style ------------------------------------------------------------------

_TYPES = {"techreport": "report", "phdthesis": "thesis", "mastersthesis": "thesis",
          "webpage": "online", "electronic": "online", "www": "online", "booklet": "book",
          "manual": "book", "proceedings": "book", "collection": "book", "reference": "book",
          "mvbook": "book", "mvcollection": "book", "mvproceedings": "book", "mvreference": "book",
          "inproceedings": "incollection", "conference": "incollection", "inreference": "incollection",
          "suppbook": "incollection", "suppcollection": "incollection", "bookinbook": "incollection",
          "suppperiodical": "article", "software": "misc", "dataset": "misc"}


class ChicagoAuthorDate(BaseStyle):
    """Reference-list entries after the Chicago Manual of Style, 17th ed., author–date.

    Each ``get_<type>_template`` may inspect the entry to choose its shape, as
    pybtex's own styles do; unknown types are formatted as ``misc``.
    """

    def __init__(self, language: str = "en", **kwargs) -> None:
        super().__init__(**kwargs)
        self.language = language

    def format_entry(self, label: str, entry: Entry, bib_data: object = None, trace: _Trace | None = None,
                     with_related: bool = True) -> FormattedEntry:
        """Like BaseStyle's, but ``label`` (the year label) is available to templates, and
        ``trace`` notes what was shown."""
        context = {"entry": entry, "style": self, "bib_data": bib_data, "year_label": label,
                   "trace": trace, "with_related": with_related}
        kind = _TYPES.get(entry.type.lower(), entry.type.lower())
        if kind == "inbook":
            fields = entry.fields
            kind = "incollection" if "booktitle" in fields or "maintitle" in fields else "book"
        template = getattr(self, f"get_{kind}_template", self.get_misc_template)(entry)
        return FormattedEntry(entry.key, template.format_data(context), label)

    # -- the frame shared by all types

    def _entry(self, e: Entry, title: list[Node], *body: Node, editors: bool = True) -> Node:
        """Creator. Year. Title. Contributors. Body. Note. Accessed date. Links."""
        creator, role = self._creator(e)
        if creator is not None:
            head = [sentence[creator], sentence[year_label], *[optional[t] for t in title]]
        else:  # the title takes the author's place
            head = [*[optional[t] for t in title], sentence[year_label]]
        contributors = self._contributors(e, role, editors)
        tail = [sentence[optional[words["Version", field("version")]]],
                sentence[optional_field("note")], self._original(e),
                sentence[optional[related]],
                sentence[optional_field("addendum")],
                sentence[optional_field("pubstate", table=_PUBSTATE)],
                optional[sentence[words["Accessed", field("urldate", raw=True, apply_func=_date)]]],
                optional[sentence[eprint]],
                first_of[optional[sentence[href(_DOI)[_DOI_SHOWN]]],
                         optional[sentence[href(_URL)[_URL]]]]]
        return toplevel[head + [optional[c] for c in contributors] + [optional[b] for b in body] + tail]

    @staticmethod
    def _creator(e: Entry) -> tuple[Node | None, str]:
        """Who stands in the author's place: authors, else editors ("eds."), else translators."""
        if _people(e, "author"):
            return persons("author"), "author"
        if _people(e, "editor"):
            word = "eds" if len(_people(e, "editor")) > 1 else "ed"
            return join(sep=", ")[persons("editor"), word], "editor"
        if _people(e, "translator"):
            return join(sep=", ")[persons("translator"), "trans"], "translator"
        return None, ""

    @staticmethod
    def _contributors(e: Entry, head: str, editors: bool) -> list[Node]:
        """"Edited by …", "Translated from the German by …", "With an introduction by …"."""
        found: list[Node] = []
        editor, translator = _people(e, "editor"), _people(e, "translator")
        same = bool(editor) and [str(p) for p in editor] == [str(p) for p in translator]
        if editors and head != "editor" and editor:
            if same and head != "translator":
                found.append(sentence[join[words["Edited and translated by", persons("editor", False)],
                                           shown_too("translator")]])
            else:
                verb = optional_field("editortype", table=_EDITOR_TYPES) if "editortype" in e.fields \
                    else "Edited by"
                found.append(sentence[words[verb, persons("editor", False)]])
        if translator and head != "translator" and not (same and editors and head != "editor"):
            origin = optional[words["from the", field("origlanguage", raw=True, apply_func=_language_name)]]
            found.append(sentence[words["Translated", origin, "by", persons("translator", False)]])
        elif "origlanguage" in e.fields and not translator:
            found.append(sentence[words["Translated from the",
                                        field("origlanguage", raw=True, apply_func=_language_name)]])
        for role, phrase in _ROLES:
            found.append(sentence[words[phrase, persons(role, False)]])
        for extra in ("editora", "editorb", "editorc"):
            verb = optional_field(extra + "type", table=_EDITOR_TYPES) if extra + "type" in e.fields \
                else "Edited by"
            found.append(sentence[words[verb, persons(extra, False)]])
        return found

    def _title(self, style: str) -> list[Node]:
        """Title and subtitle quoted ("q"), italic ("i") or roman; then the title addon."""
        title = titled("title", sub="subtitle")
        shown = {"q": quoted[title], "i": sentence[tag("i")[title]]}.get(style, sentence[title])
        return [shown, sentence[field("titleaddon")]]

    def _publisher(self, e: Entry) -> list[Node]:
        """"Location: Publisher"; a second issuer (an organization beside the publisher) before it."""
        names = [n for n in ("publisher", "organization", "institution", "school") if n in e.fields]
        place = first_of[optional_field("location", split=True), optional_field("address", split=True)]
        main = [field(names[0], split=True)] if names else []
        others = [field(n, split=True) for n in names[1:]]
        return [sentence[join(sep=", ")[*others]] if others else Text(),
                sentence[join(sep=": ")[place, *main]]]

    def _edition(self) -> Node:
        return sentence[field("edition", raw=True,
                              apply_func=lambda v: Text(edition_text(plain_latex(v), self.language)))]

    @staticmethod
    def _series(e: Entry) -> Node:
        """"Bollingen Series 75" (``series`` and ``number``); "No. 7" without a series."""
        if "series" in e.fields:
            return sentence[words[field("series"), optional_field("number")]]
        return sentence[join["No. ", field("number")]]

    @staticmethod
    def _event_facts() -> Node:
        """"Eventtitle, Venue, 19–25 May 1968": where and when a paper was given."""
        return join(sep=", ")[
            optional[join(sep=". ")[titled("eventtitle"), optional_field("eventtitleaddon")]],
            optional_field("venue"), optional_field("eventdate", raw=True, apply_func=_date)]

    def _event(self) -> Node:
        return sentence[self._event_facts()]

    @staticmethod
    def _original(e: Entry) -> Node:
        """"Originally published as <i>Origtitle</i> (Paris: Nourry, 1909)"; "First published 1909"."""
        if not any(name in e.fields for name in ("origtitle", "origlocation", "origpublisher", "origdate",
                                                 "origyear")):
            return Text()
        place = join(sep=": ")[optional_field("origlocation", split=True),
                               optional_field("origpublisher", split=True)]
        when = first_of[optional_field("origdate", raw=True, apply_func=_date), optional_field("origyear")]
        facts = join(sep=", ")[place, when]
        as_title = words["Originally published as", tag("i")[field("origtitle")],
                         optional[join["(", facts, ")"]]]
        return sentence[first_of[optional[as_title], optional[words["First published", facts]]]]

    def _volumes(self) -> Node:
        return sentence[join[field("volumes"), " vols."]]

    # -- the types

    def get_article_template(self, e: Entry) -> Node:
        fields = e.fields
        volume = "volume" in fields
        number = "number" in fields or "issue" in fields
        journal = tag("i")[titled("journaltitle", "journal", sub="journalsubtitle")]
        parts: list = [journal]
        if "series" in fields:
            parts.append(join[", ", field("series", raw=True, apply_func=_article_series),
                              "," if volume else ""])
        if volume:
            parts.append(join[" ", field("volume")])
        issue = join(sep=", ")[optional_field("number"), optional_field("issue")]
        if number:
            parts.append(join[" (", issue, ")"] if volume else join[", no. ", issue])
        if not volume and full_date(e):
            parts.append(", " + full_date(e))
        if "pages" in fields or "eid" in fields:
            parts.append(join[": " if volume or number else ", ",
                              first_of[optional_field("pages", raw=True, apply_func=_pages),
                                       optional_field("eid")]])
        special = join["Special issue ", quoted[titled("issuetitle", sub="issuesubtitle")]]
        return self._entry(e, self._title("q"), sentence[join[parts]], special)

    def get_book_template(self, e: Entry) -> Node:
        return self._entry(e, self._title("i"), self._event(), self._edition(), sentence[volume_of],
                           self._volumes(), self._series(e), sentence[field("type", table=_TYPE_STRINGS)],
                           sentence[field("howpublished")], *self._publisher(e),
                           sentence[join[field("pagetotal"), " pp."]])

    def get_incollection_template(self, e: Entry) -> Node:
        fields = e.fields
        event = optional[join[" (", nonempty[self._event_facts()], ")"]]  # "Proceedings … (Lerum, 19–25 May 1968)"
        if "booktitle" in fields:  # "In <i>Book</i>, …, vol. 5 of <i>Main</i>"
            book = join[words["In", tag("i")[titled("booktitle", sub="booksubtitle")]],
                        optional[join[", ", field("booktitleaddon")]], event]
            volume = optional[volume_of(capital=False)]
        elif "maintitle" in fields:  # a part of one volume of a multi-volume work: "In <i>Main</i>, vol. 5"
            book = join[words["In", tag("i")[titled("maintitle", sub="mainsubtitle")]],
                        optional[join[", ", field("maintitleaddon")]], event]
            volume = optional[volume_of(capital=False, main=False)]
        else:  # nothing to be part of: what the container would hold is reported as not shown
            book, volume = words["In", field("booktitle")], Text()
        container = join(sep=", ")[
            book,
            optional[words["by", persons("bookauthor", invert_first=False)]],
            optional[words["edited by", persons("editor", invert_first=False)]],
            volume,
            optional[join["chap. ", field("chapter")]],
            optional[field("pages", raw=True, apply_func=_pages)]]
        return self._entry(e, self._title("q"), sentence[container], self._edition(),
                           self._volumes(), self._series(e), *self._publisher(e), editors=False)

    def get_report_template(self, e: Entry) -> Node:
        if "number" in e.fields:
            kind = sentence[words[first_of[optional_field("type", table=_TYPE_STRINGS), "Report"],
                                  field("number")]]
        else:
            kind = sentence[field("type", table=_TYPE_STRINGS)]
        return self._entry(e, self._title("i"), kind, self._edition(), sentence[field("series")],
                           *self._publisher(e))

    def get_thesis_template(self, e: Entry) -> Node:
        kind = first_of[optional_field("type", table=_TYPE_STRINGS), _THESES.get(e.type.lower(), "Thesis")]
        school = first_of[optional_field("school", split=True), optional_field("institution", split=True)]
        place = first_of[optional_field("location", split=True), optional_field("address", split=True)]
        return self._entry(e, self._title("q"), sentence[join(sep=", ")[kind, school, place]])

    def get_patent_template(self, e: Entry) -> Node:
        """"US patent 1700367 (Germany). Holder." (CMOS 14.157: the title roman)."""
        kind = first_of[optional_field("type", table=_TYPE_STRINGS), "Patent"]
        where = optional[join["(", field("location", split=True, table=_COUNTRIES), ")"]]
        return self._entry(e, self._title("roman"), sentence[words[kind, optional_field("number"), where]],
                           sentence[persons("holder", invert_first=False)])

    def get_periodical_template(self, e: Entry) -> Node:
        """A whole issue: "<i>Title</i>. 2011. Vol. 35, no. 4. Special issue “…”."""
        issue = join(sep=", ")[optional[join["Vol. ", field("volume")]],
                               optional[join["no. ", field("number")]], optional_field("issue")]
        special = join["Special issue ", quoted[titled("issuetitle", sub="issuesubtitle")]]
        return self._entry(e, self._title("i"), sentence[issue], special, *self._publisher(e))

    def get_unpublished_template(self, e: Entry) -> Node:
        return self._entry(e, self._title("q"), sentence[field("howpublished")], self._event(),
                           *self._publisher(e))

    def get_misc_template(self, e: Entry) -> Node:
        """Web pages and other parts of something get “quotes”; standalone works italics."""
        part = any(f in e.fields for f in ("url", "howpublished", "journal", "booktitle"))
        container = first_of[optional[tag("i")[field("journal")]],
                             optional[tag("i")[titled("booktitle", sub="booksubtitle")]],
                             optional_field("howpublished")]
        when = full_date(e)
        if not any(f in e.fields for f in ("journal", "booktitle", "howpublished")):  # the site's owner first
            return self._entry(e, self._title("q" if part else "i"), *self._publisher(e), sentence[when],
                               sentence[field("type", table=_TYPE_STRINGS)], self._event(), self._edition(),
                               self._series(e))
        return self._entry(e, self._title("q" if part else "i"),
                           sentence[join(sep=", ")[container, when]],
                           sentence[field("type", table=_TYPE_STRINGS)], self._event(), self._edition(),
                           self._series(e), *self._publisher(e))

    get_online_template = get_misc_template

    def format_source(self, e: Entry) -> Text:
        """"First published in" phrase: container (linked to ``url``), most precise date.

        The container is the journal or book title (italic), else howpublished,
        publisher or organization, else the web site's host name.
        """
        container = first_of[
            optional[tag("i")[first_of[optional_field("journaltitle"), field("journal")]]],
            optional[tag("i")[field("booktitle")]], optional_field("howpublished"),
            optional_field("publisher"), optional_field("organization"),
            optional_field("institution")]
        context = {"entry": e, "style": self}
        shown = container.format_data(context)
        url = _url(e.fields.get("url", ""))
        if not shown and url:
            shown = Text(re.sub(r"^(https?://)?(www\.)?", "", url).split("/")[0])
        if url:
            shown = Text(HRef(url, shown))
        when = full_date(e) or _year_of(e)
        return join(sep=", ")[shown, when].format_data(context)


_DOI = field("doi", raw=True, apply_func=_doi)
_DOI_SHOWN = field("doi", raw=True, apply_func=_doi_shown)
_URL = field("url", raw=True, apply_func=_url)


# -- crossref, xdata and sets ------------------------------------------------------------

# Fields a child never takes from its parent (biblatex manual, appendix B).
_NOT_INHERITED = {"ids", "crossref", "xref", "xdata", "entryset", "entrysubtype", "execute", "label",
                  "options", "presort", "related", "relatedoptions", "relatedstring", "relatedtype",
                  "shorthand", "shorthandintro", "sortkey", "shorttitle", "sorttitle", "indextitle",
                  "indexsorttitle"}
_WHOLE_BOOKS = {"book", "collection", "proceedings", "reference", "mvbook", "mvcollection",
                "mvproceedings", "mvreference"}
_PARTS_OF_BOOKS = {"inbook", "bookinbook", "suppbook", "incollection", "suppcollection", "inproceedings",
                   "conference", "inreference"}


def _inheritance(parent: str, child: str) -> dict[str, str]:
    """biblatex's default inheritance: the child field each parent field fills, where renamed.

    A book's ``title`` is its chapter's ``booktitle``, a multi-volume work's is the
    ``maintitle`` of its volumes, a periodical's the ``journaltitle`` of its articles.
    """
    parent, child = parent.lower(), child.lower()
    if parent.startswith("mv") and parent in _WHOLE_BOOKS and (child in _WHOLE_BOOKS or child in _PARTS_OF_BOOKS):
        names = {"title": "maintitle", "subtitle": "mainsubtitle", "titleaddon": "maintitleaddon"}
        return names | ({"author": "bookauthor"} if child in {"inbook", "bookinbook", "suppbook"} else {})
    if parent in _WHOLE_BOOKS and child in _PARTS_OF_BOOKS:
        names = {"title": "booktitle", "subtitle": "booksubtitle", "titleaddon": "booktitleaddon"}
        return names | ({"author": "bookauthor"} if child in {"inbook", "bookinbook", "suppbook"} else {})
    if parent == "periodical" and child in {"article", "suppperiodical"}:
        return {"title": "journaltitle", "subtitle": "journalsubtitle"}
    return {}


def _inherit(child: Entry, parent: Entry, renamed: Mapping[str, str]) -> Entry:
    """``child`` with the fields and names it lacks taken from ``parent``; renamed ones first."""
    merged = Entry(child.type, fields=list(child.fields.items()),
                   persons={role: list(people) for role, people in child.persons.items()})
    merged.key = child.key
    ordered = sorted(parent.fields.items(), key=lambda item: item[0].lower() not in renamed)
    for name, value in ordered:
        target = renamed.get(name.lower(), name)
        if name.lower() in _NOT_INHERITED:
            continue
        if target not in merged.fields and target not in merged.persons:
            merged.fields[target] = value
    for role, people in parent.persons.items():
        target = renamed.get(role.lower(), role)
        if target in merged.persons or target in merged.fields:
            continue
        if target == role:
            merged.persons[role] = list(people)
        else:
            merged.fields[target] = " and ".join(str(p) for p in people)
    return merged


def _key_list(value: str) -> list[str]:
    return [k.strip() for k in value.split(",") if k.strip()]


class _Resolver:
    """Entries with their ``xdata`` and ``crossref`` parents' fields filled in, once each."""

    def __init__(self, entries: dict[str, Entry], problems: list[tuple[str, str]]) -> None:
        self.raw, self.problems = entries, problems
        self.folded = {k.lower(): k for k in entries}
        self.done: dict[str, Entry] = {}
        self.parents: dict[str, list[str]] = {}
        self.active: set[str] = set()

    def find(self, key: str) -> str | None:
        return key if key in self.raw else self.folded.get(key.lower())

    def resolve(self, key: str) -> Entry:
        if key in self.done:
            return self.done[key]
        entry = self.raw[key]
        fields = entry.fields
        if "xdata" not in fields and "crossref" not in fields:
            return entry
        self.active.add(key)
        wanted = [("xdata", k) for k in _key_list(fields.get("xdata", ""))]  # biblatex: xdata first
        if fields.get("crossref", "").strip():
            wanted.append(("crossref", fields["crossref"].strip()))
        for kind, want in wanted:
            parent_key = self.find(want)
            if parent_key is None:
                self.problems.append((key, f"{kind} '{want}' of bibliography entry '{key}' is not in the "
                                           "bibliography: the fields it would give are missing"))
            elif parent_key in self.active:
                self.problems.append((key, f"{kind} '{want}' of bibliography entry '{key}' leads back to "
                                           "it: not followed"))
            else:
                self.parents.setdefault(key, []).append(parent_key)
                parent = self.resolve(parent_key)
                renamed = _inheritance(parent.type, entry.type) if kind == "crossref" else {}
                entry = _inherit(entry, parent, renamed)
        self.active.discard(key)
        self.done[key] = entry
        return entry


# -- the bibliography ----------------------------------------------------------------------


class Bibliography:
    """The entries of one ``.bib`` file, with their labels and formatted references."""

    def __init__(self, data: BibliographyData | None = None, path: Path | None = None,
                 lines: dict[str, int] | None = None, language: str = "en") -> None:
        self.path = path or Path("bibliography.bib")
        raw: dict[str, Entry] = dict(data.entries) if data is not None else {}
        # (key, message): what reading found wrong (a crossref to nothing …); see load_bibliography
        self.problems: list[tuple[str, str]] = []
        resolver = _Resolver(raw, self.problems)
        self._entries = {key: resolver.resolve(key) for key in raw}
        self._parents = resolver.parents
        self._lines = lines or {}
        self.keys: set[str] = {k for k, e in self._entries.items() if e.type.lower() != "xdata"}
        self._members = {k: self._set_members(k, resolver) for k, e in self._entries.items()
                         if e.type.lower() == "set"}
        self._style = ChicagoAuthorDate(language)
        self._authors = {k: self._author_part(self._lead(k)) for k in self.keys}
        self._years = {k: _year_of(self._lead(k)) for k in self.keys}
        self._year_labels = self._disambiguate(self.keys)
        self._cache: dict[tuple[str, str], str] = {}
        self._formatted: dict[str, Text] = {}
        self._traces: dict[str, _Trace] = {}

    def location(self, key: str) -> Location:
        return Location(self.path, self._lines.get(key, 0))

    def _set_members(self, key: str, resolver: _Resolver) -> list[str]:
        """The entries an ``@set`` groups (``entryset``), those found."""
        members = []
        for wanted in _key_list(self._entries[key].fields.get("entryset", "")):
            found = resolver.find(wanted)
            if found is None or found == key:
                self.problems.append((key, f"member '{wanted}' of the set '{key}' is not in the bibliography"))
            else:
                members.append(found)
        if not members:
            self.problems.append((key, f"the set '{key}' has no members (entryset): it is shown by its own "
                                       "fields"))
        return members

    def _lead(self, key: str) -> Entry:
        """The entry whose author and year label ``key``: a set's first member, else itself."""
        members = self._members.get(key)
        return self._entries[members[0]] if members else self._entries[key]

    def implied(self, keys: Iterable[str]) -> set[str]:
        """Entries that ``keys`` use without citing them: crossref and xdata parents, set
        members, related entries (none of them is "never cited")."""
        found: set[str] = set()
        todo = [k for k in keys if k in self._entries]
        while todo:
            key = todo.pop()
            entry = self._entries[key]
            near = self._parents.get(key, []) + self._members.get(key, [])
            near += [k for k in _key_list(entry.fields.get("related", "")) if k in self._entries]
            for other in near:
                if other not in found:
                    found.add(other)
                    todo.append(other)
        return found

    # -- labels ---------------------------------------------------------------

    @staticmethod
    def _author_part(entry: Entry) -> str:
        people = _people(entry, "author") or _people(entry, "editor") or _people(entry, "translator")
        if not people:
            return _short_title(plain_latex(entry.fields.get("title", "")))
        names = [plain_latex(" ".join(p.prelast_names + p.last_names)) for p in people]
        if len(names) >= 3 or names[-1] == "others":
            return f"{names[0]} et al."
        return " and ".join(names)

    def _sort_key(self, key: str) -> tuple[str, int, str, str, int, str]:
        """Author label, year (n.d. last), title; then the place in the file, so that the same
        work twice (an article and its preprint) gets its letters in the same order every build."""
        entry = self._lead(key)
        author = self._authors[key]
        if not (_people(entry, "author") or _people(entry, "editor") or _people(entry, "translator")):
            author = re.sub(r"^\W*(?:(?:the|an?)\s+)?", "", author, flags=re.IGNORECASE)
        year = self._years[key]
        return (_fold(author), 0 if year else 1, year, _fold(self.title_text(key)), self._lines.get(key, 0), key)

    def _disambiguate(self, keys: Iterable[str]) -> dict[str, str]:
        """Year labels with a/b suffixes where author part and year coincide among ``keys``."""
        groups: dict[tuple[str, str], list[str]] = defaultdict(list)
        for key in self.sort_keys(keys):
            groups[(self._authors[key], self._years[key])].append(key)
        labels = {}
        for (_, year), group in groups.items():
            base = year or "n.d."
            for i, key in enumerate(group):
                suffix = "" if len(group) == 1 else chr(ord("a") + i)
                labels[key] = base + ("-" + suffix if suffix and not year else suffix)
        return labels

    def sort_keys(self, keys: Iterable[str]) -> list[str]:
        """Keys in bibliography order: author label, year (n.d. last), title."""
        return sorted(keys, key=self._sort_key)

    def label(self, key: str) -> tuple[str, str]:
        """Author part and year part of a citation label: ``("Georgi", "2019")``."""
        return self._authors[key], self._year_labels[key]

    def year(self, key: str) -> str:
        """The year of publication as written, '' when unknown."""
        return self._years[key]

    def title_text(self, key: str) -> str:
        entry = self._entries[key]
        return plain_latex((entry if "title" in entry.fields else self._lead(key)).fields.get("title", ""))

    # -- the reference list -------------------------------------------------------

    def use(self, keys: Iterable[str], report: Report | None = None) -> None:
        """The reference list holds ``keys`` (cited entries and the texts' sources).

        Year letters (2004a, 2004b) are assigned among these entries only: an uncited
        entry by the same author in the same year must not make a lone "2004b" appear.
        Each entry is formatted now, so that what it holds but the reference list cannot
        show (a field, an unknown LaTeX macro) is reported, located at the entry's line.
        """
        listed = [k for k in dict.fromkeys(keys) if k in self.keys]
        self._year_labels = {k: self._years[k] or "n.d." for k in self.keys} | self._disambiguate(listed)
        self._cache.clear()
        self._formatted.clear()
        self._traces.clear()
        if report is None:
            return
        for key in self.sort_keys(listed):
            self._format(key)
        for key, trace in sorted(self._traces.items()):
            for message, code in self._problems_of(key, trace):
                report.warning(self.location(key), message, code)

    def _problems_of(self, key: str, trace: _Trace) -> Iterator[tuple[str, str]]:
        """What formatting ``key`` left out: fields, and unknown LaTeX macros (their text kept)."""
        left = _left_out(self._entries[key], trace.shown)
        if left:
            names = ", ".join(f"'{n}'" for n in left)
            what, it = ("fields", "them") if len(left) > 1 else ("field", "it")
            yield (f"bibliography entry '{key}': {what} {names} not shown in the reference list "
                   f"(the author–date style has no place for {it} in this entry)"), "bib-field-not-shown"
        macros = sorted({m for ms in trace.unknown.values() for m in ms})
        if macros:
            where = ", ".join(f"'{n}'" for n, ms in sorted(trace.unknown.items()) if ms and n)
            shown = ", ".join(f"\\{m}" for m in macros)
            what = "commands" if len(macros) > 1 else "command"
            yield (f"bibliography entry '{key}': unknown LaTeX {what} {shown}"
                   f"{' in ' + where if where else ''} left out (the text of the argument is kept)"), "latex-macro"

    def related_entry(self, key: str) -> tuple[str, Entry] | None:
        """(plain year label, entry) of a ``related`` key, for :func:`related`."""
        found = key if key in self.keys else next((k for k in self.keys if k.lower() == key.lower()), None)
        if found is None:
            return None
        return self._years[found] or "n.d.", self._entries[found]

    def _format(self, key: str) -> Text:
        """The reference as rich text; a set as its members' references, joined by semicolons."""
        if key not in self._formatted:
            members = self._members.get(key)
            if members:
                labels = [self._year_labels[key]] + [self._year_labels.get(m, "n.d.") for m in members[1:]]
                texts = [self._format_one(m, label) for m, label in zip(members, labels, strict=True)]
                trimmed = [t[:-1] if t.endswith(".") else t for t in texts[:-1]]
                self._traces.setdefault(key, _Trace())
                self._formatted[key] = Text(Text("; ").join([*trimmed, texts[-1]]))
            else:
                self._formatted[key] = self._format_one(key, self._year_labels[key])
        return self._formatted[key]

    def _format_one(self, key: str, label: str) -> Text:
        trace = self._traces.setdefault(key, _Trace())
        return self._style.format_entry(label, self._entries[key], self, trace).text

    # -- citations --------------------------------------------------------------

    def cite_html(self, citation: Citation) -> str:
        """A citation as an HTML fragment; unknown keys become ``cite-missing`` spans."""
        return self._cite(citation, True)

    def cite_text(self, citation: Citation) -> str:
        return self._cite(citation, False)

    def _cite(self, citation: Citation, as_html: bool) -> str:
        esc = escape if as_html else str

        def link(key: str, inner: str) -> str:
            if not as_html:
                return inner
            return f'<a class="cite" href="#{escape(anchor(key))}">{inner}</a>'

        def missing(key: str) -> str:
            return f'<span class="cite-missing">?{esc(key)}</span>' if as_html else f"?{key}"

        def locator(item: CiteItem) -> str:
            return esc(_PAGE_LOCATOR.sub("", item.locator).replace("--", "–"))

        if citation.narrative:
            item = citation.items[0]
            if item.key not in self.keys:
                return missing(item.key)
            author, year = self.label(item.key)
            inside = ", ".join(filter(None, [esc(year), locator(item)]))
            return link(item.key, f"{esc(author)} ({inside})")
        groups: list[list[str]] = []
        previous: CiteItem | None = None
        for item in citation.items:
            if item.key not in self.keys:
                groups.append([missing(item.key)])
                previous = None
                continue
            author, year = self.label(item.key)
            merge = (previous is not None and not item.prefix and not item.suppress_author
                     and not previous.suppress_author and self.label(previous.key)[0] == author)
            shown = year if merge or item.suppress_author else f"{author} {year}"
            text = link(item.key, esc(shown))
            if item.prefix:
                text = f"{esc(item.prefix)} {text}"
            if item.locator:
                text += ", " + locator(item)
            if merge and previous is not None and not previous.locator:
                groups[-1].append(text)
            else:
                groups.append([text])
            previous = item
        return "(" + "; ".join(", ".join(g) for g in groups) + ")"

    # -- references -------------------------------------------------------------

    def _render(self, key: str, kind: str, as_html: bool) -> str:
        cache_key = (key, kind + ("html" if as_html else "text"))
        if cache_key not in self._cache:
            if key not in self.keys:
                raise KeyError(key)  # callers check first
            if kind == "entry":
                text = self._format(key)
            else:
                text = self._style.format_source(self._lead(key))
            self._cache[cache_key] = text.render(_HTML if as_html else _TEXT)
        return self._cache[cache_key]

    def entry_html(self, key: str) -> str:
        """The formatted reference as an XHTML fragment (no ``<li>``); KeyError if unknown."""
        return self._render(key, "entry", True)

    def entry_text(self, key: str) -> str:
        return self._render(key, "entry", False)

    def source_line_html(self, key: str) -> str:
        """Where a text first appeared, for "First published in …": container, date, link.

        E.g. ``<i>Red Pepper</i>, 11 December 2008``; see
        :meth:`ChicagoAuthorDate.format_source` for the fields used.
        """
        return self._render(key, "source", True)

    def full_date(self, key: str) -> str:
        """The most precise publication date known ("11 December 2008", "2002", '')."""
        return full_date(self._lead(key)) or self._years[key]


_MINOR = {"a", "an", "the", "and", "of", "in", "on", "for", "to", "at", "by", "with", "from"}


def _short_title(title: str) -> str:
    """A title standing in for a missing author: the main title, or its first four words
    (more if they end on a minor word); an editors' ``[title]`` keeps its brackets."""
    bracketed = title.startswith("[") and title.endswith("]")
    words = re.split(r"[:.?!]\s", title.strip("[]") + " ", maxsplit=1)[0].split()
    n = len(words) if len(words) <= 5 else 4
    while n < len(words) and words[n - 1].lower() in _MINOR:
        n += 1
    short = " ".join(words[:n])
    return f"[{short}]" if bracketed else short


def _line_starts(text: str) -> list[int]:
    """Offsets where each line starts: one pass, then the line of any offset is a binary search."""
    return [0, *(m.end() for m in re.finditer("\n", text))]


def _line_of(starts: list[int], offset: int) -> int:
    return bisect_right(starts, offset)


def _entry_lines(text: str, starts: list[int] | None = None) -> dict[str, list[int]]:
    """Line numbers of each ``@type{key,`` header, per lower-cased key, in file order.

    Linear in the file's size: counting the newlines before each entry from the start
    of the file (as this did before issue 10) made a 12 MB file take 77 s here alone.
    """
    starts = _line_starts(text) if starts is None else starts
    found: dict[str, list[int]] = defaultdict(list)
    for m in _HEADER.finditer(text):
        if m.group(1).lower() not in _NOT_ENTRIES:
            found[m.group(2).lower()].append(_line_of(starts, m.start()))
    return found


def _unsafe_urls(data: BibliographyData, path: Path, lines: dict[str, list[int]], report: Report) -> None:
    """A ``url`` field must be http(s) or mailto, like a link in a text: else an error at the entry."""
    for key, entry in data.entries.items():
        url = entry.fields.get("url")
        if url is not None and not SAFE_URL.match(_url(url)):
            line = (lines.get(key.lower()) or [0])[0]
            report.error(Location(path, line, 1 if line else 0),
                         f"url '{_url(url)[:80]}' of bibliography entry '{key}' must be a web address "
                         "(https://…) or mailto:", "unsafe-link")


def load_bibliography(path: Path, report: Report, language: str = "en") -> Bibliography:
    """Read ``path``; problems go to ``report`` and whatever parses is still used.

    A missing file gives an empty bibliography: whether that matters depends
    on whether anything is cited, which only the caller knows. ``language`` is the
    book's, for the words of the references ("3rd ed.", "3. Aufl.").
    """
    if not path.is_file():
        return Bibliography(path=path, language=language)
    size = path.stat().st_size
    if size > MAX_BIB_BYTES:
        report.error(Location(path), f"the bibliography is {size / 1e6:.1f} MB, more than the limit of "
                     f"{MAX_BIB_BYTES / 1e6:.0f} MB: keep only the entries this reader cites "
                     "(e.g. export them from your reference manager)", "bibliography-too-large")
        return Bibliography(path=path, language=language)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        report.error(Location(path), f"cannot read bibliography: {exc}")
        return Bibliography(path=path, language=language)
    starts = _line_starts(text)
    lines = _entry_lines(text, starts)
    seen: dict[str, int] = defaultdict(int)
    data: BibliographyData | None = None
    with pybtex.errors.capture() as errors:
        try:
            data = parse_string(text, "bibtex")
        except PybtexError as exc:  # defensive: errors are normally captured
            errors.append(exc)
    for exc in errors:
        message = str(exc)
        dup = re.match(r"repeated bibliography entry: (.*)", message)
        if isinstance(exc, BibliographyDataError) and dup:
            key = dup.group(1)
            seen[key.lower()] += 1
            where = lines.get(key.lower(), [])
            line = where[seen[key.lower()]] if len(where) > seen[key.lower()] else 0
            first = f" (first defined on line {where[0]})" if where else ""
            report.error(Location(path, line), f"duplicate bibliography key '{key}'{first}")
            continue
        line = getattr(exc, "lineno", None) or 0
        message = re.sub(r"^syntax error in line \d+: ", "", message)
        info = getattr(exc, "error_context_info", None)  # (entry start, line, position)
        entry = _HEADER.match(text, info[0]) if info and isinstance(info[0], int) else None
        if entry:  # name the entry being read: the error often shows only at the next one
            start_line = _line_of(starts, entry.start())
            message += f" (in entry '{entry.group(2)}' from line {start_line})"
        report.error(Location(path, line), f"bibliography syntax error: {message}")
    if data is not None:
        _unsafe_urls(data, path, lines, report)
    first_lines = {k: v[0] for k, v in lines.items()}
    keyed = {} if data is None else {k: first_lines.get(k.lower(), 0) for k in data.entries}
    bibliography = Bibliography(data, path, keyed, language)
    for key, message in bibliography.problems:
        report.warning(bibliography.location(key), message, "bib-reference")
    return bibliography
