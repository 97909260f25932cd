"""LaTeX in BibTeX field values → pybtex rich text: accents, dashes, braces and the macros biblatex files use.

A ``.bib`` file is LaTeX source, and it is untrusted: nothing in it may put a backslash into the
book. Three steps: control words that stand for text (``\\TeX``, ``\\hyphen``) are replaced in the
raw value, where it is still known whether a space followed them (latexcodec turns
``\\TeX\\ book`` and ``\\TeX book`` into the same string); latexcodec then decodes accents,
``--``, ``~``, ``\\&``, double quotes typed as two backticks and two apostrophes …; :class:`_LatexReader`
finally reads braces and the macros left, with their arguments (``\\emph`` in italics,
``\\mkbibquote`` in quotation marks), and the single opening quote latexcodec leaves: a backtick
is ‘ in LaTeX, and must not reach the book as a backtick. A macro it does not
know is dropped with its argument kept, and its name handed back so that the caller can report it.
The house style and the CSL styles read field values through here alike.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from functools import lru_cache

import latexcodec  # noqa: F401  (registers the "ulatex" codec)
from pybtex.richtext import Tag, Text

from .richtext import TEXT

__all__ = ["fold", "plain_latex", "rich_latex"]


def fold(text: str) -> str:
    """Case- and accent-insensitive form of decoded text, for sorting and matching."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


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
_VERBATIM = {"url", "nolinkurl", "path"}  # an argument taken as written: no quotation marks in an address
_SMALL_CAPS = "smallcaps"  # the tag of \textsc: richtext writes it as <span class="smallcaps">
_ARGUMENT_ONLY = {"textbf", "mkbibbold", "textrm", "textup", "textnormal", "textsf", "texttt",
                  "textmd", "mbox", "hbox", "mkbibacro", "autocap", "NoCaseChange",
                  "ensuremath", "text", "mathrm", "mathit", "mathbf", "textlatin", "MakeUppercase",
                  "MakeLowercase", "uppercase", "lowercase", "mkbibnamefamily", "mkbibnamegiven"}
_SUPERSCRIPT, _SUBSCRIPT = {"textsuperscript", "mkbibsuperscript"}, {"textsubscript", "mkbibsubscript"}
_QUOTES = {"mkbibquote", "enquote", "enquote*", "mkbibquote*"}
_BRACKETS = {"mkbibparens": "()", "mkbibbrackets": "[]", "parentext": "()", "brackettext": "[]"}
_DROP_ARGUMENT = {"noopsort", "index", "label", "hyphenation", "selectlanguage", "cite", "nocite"}
_SECOND_ARGUMENT = {"href", "foreignlanguage", "textcolor", "foreignquote", "hyphenquote", "hologo"}
_ITALIC_DECLARATIONS = {"em", "it", "itshape", "sl", "slshape"}
_SMALL_CAPS_DECLARATIONS = {"sc", "scshape"}
_PLAIN_DECLARATIONS = {"bf", "bfseries", "rm", "rmfamily", "upshape", "normalfont",
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
        self.verbatim = False  # inside \url{…}: characters as written

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
                if name in _ITALIC_DECLARATIONS or name in _SMALL_CAPS_DECLARATIONS or name in _PLAIN_DECLARATIONS:
                    rest = Text(*self.group(closing))
                    parts.append(Tag("i", rest) if name in _ITALIC_DECLARATIONS
                                 else Tag(_SMALL_CAPS, rest) if name in _SMALL_CAPS_DECLARATIONS else rest)
                    return parts
                parts.append(self.command(name))
            else:
                m = _RUN.match(text, self.pos - 1)
                parts.append(self.quoted(m.group()) if m else c)
                self.pos = m.end() if m else self.pos
        return parts

    def quoted(self, run: str) -> str:
        """A run of text with LaTeX's single opening quote: ` is ‘ (latexcodec turned `` and '' into
        “ and ”), but in a formula or a verbatim argument, where it is the character itself."""
        return run if self.math or self.verbatim else run.replace("`", "‘")

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
        if name == "verb":
            return self.verb()
        self.skip_option()
        if name in _VERBATIM:
            self.verbatim, outer = True, self.verbatim
            inner = self.argument()
            self.verbatim = outer
            return inner
        if name in _ITALIC_MACROS:
            return Tag("i", self.argument())
        if name == "textsc":  # "\textsc{frontex}": the word in small capitals, as the author set it
            return Tag(_SMALL_CAPS, self.argument())
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


    def verb(self) -> str:
        """``\\verb|…|``: the characters up to the delimiter again, as written."""
        if self.pos >= len(self.text):
            return ""
        delimiter = self.text[self.pos]
        end = self.text.find(delimiter, self.pos + 1)
        end = len(self.text) if end < 0 else end
        written, self.pos = self.text[self.pos + 1:end], end + 1
        return written


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
    return rich_latex(value).render(TEXT) if value else ""

