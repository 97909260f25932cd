"""citeproc-py as chapbook runs it: the CSL processor, with what version 0.11 lacks put right.

citeproc-py builds a style's XML into element classes (one per CSL element) through lxml's class
lookup; a few of them do less than CSL 1.0.1 asks, and what they got wrong showed in Chicago and
APA output. :class:`Processor` parses a style from checked bytes (never a path or a name that
citeproc-py would look up itself), with entities and network access off, and puts these element
classes in place of citeproc-py's own, each fixing one thing:

- ``cs:name`` honours ``initialize="false"``: "Doe, Jane", not "Doe, J." (Chicago), and ends a list
  that the .bib ends in ``and others`` with the style's et al. (:data:`OTHERS`), which it dropped;
- ``cs:text`` title-cases and sentence-cases word by word, keeping spacing and the words the .bib
  file protects with braces: "(IOM)", not "( IOM )";
- ``cs:substitute`` suppresses what it printed in the rest of the entry, also inside a macro or a
  choice: a title standing for a missing author is not printed twice;
- ``cs:names`` inside a substitute takes the outer names' ``cs:name`` and ``cs:label``, also within
  a choice, and is suppressed once a substitute printed it: "Pécoud, Antoine, and Martin Geiger, eds.",
  not "A. Pécoud, M. Geiger … Edited by Antoine Pécoud and Martin Geiger";
- ``cs:label`` title-cases in an English locale: APA's "(Eds.)";
- ``cs:key`` sorts accents and case aside: "Sánchez" before "Smith";
- a date range whose ends share every part shown is shown once ("2019"), not dropped;
- ``cs:if``/``cs:else-if`` test ``is-numeric="locator"`` on the citation's locator: "Chapter 3";
- ``cs:layout`` keeps a citation's items in the author's order unless the style sorts them.

citeproc-py also writes an item's values and the style's affixes and delimiters into its output
as they are (it escapes only terms and ``value`` attributes): the ``&``, ``<`` and ``>`` of both therefore
travel through it as private-use stand-ins (:func:`stand_ins`), which no case change or sort
touches, and become entities or characters once it is done (:func:`restored`). A style file is
untrusted: its ``prefix="&lt;script&gt;"`` must not become markup in the web edition.

:data:`XHTML` is the output format: XHTML the book, the EPUB and the handouts accept (citeproc-py's
own HTML formatter writes ``<l>`` for light text).
"""

from __future__ import annotations

import html
import re
import unicodedata
from io import BytesIO
from types import SimpleNamespace

from citeproc import CitationStylesStyle, formatter
from citeproc import model as csl_model
from citeproc.string import MixedString, NoCase, String
from lxml import etree

from .latex import fold

__all__ = ["CSL_NS", "OTHERS", "PLAIN", "XHTML", "Processor", "restored", "stand_ins"]

CSL_NS = "http://purl.org/net/xbiblio/csl"
_CS = f"{{{CSL_NS}}}"
_SMALL_WORDS = set(csl_model.TextCased._stop_words)  # not capitalised inside a title
_STAND_INS = {"&": "\ue030", "<": "\ue031", ">": "\ue032"}
_TO_STAND_INS = str.maketrans(_STAND_INS)
# The last name of a list the .bib ends in "and others" (csljson): never printed, it stands for the
# names left out, so that the list ends in the style's et al. as one cut by the style would.
OTHERS = "\ue033"
_RESTORED = {True: str.maketrans({s: html.escape(c) for c, s in _STAND_INS.items()}),
             False: str.maketrans({s: c for c, s in _STAND_INS.items()})}


def stand_ins(text: str) -> str:
    """``text`` for citeproc-py: ``&``, ``<`` and ``>`` as private-use stand-ins it passes through."""
    return text.translate(_TO_STAND_INS)


def restored(text: str, as_html: bool) -> str:
    """citeproc-py's output with the stand-ins back: as entities (XHTML) or characters (text)."""
    return text.translate(_RESTORED[as_html])


class _Name(csl_model.Name):
    """cs:name with ``initialize="false"`` honoured: the given names are written out, not initialised
    (CSL 1.0.1; citeproc-py 0.11 initialises whenever ``initialize-with`` is inherited)."""

    def get_option(self, name, context=None, sort_options=None):
        if name == "initialize-with" and self.get("initialize", "true").lower() == "false":
            return None
        return super().get_option(name, context, sort_options)

    def process(self, item, variable, context=None, sort_options=None, **kwargs):
        """The names; a list ending in :data:`OTHERS` is cut before it and ends in et al.: "Andrijasevic,
        Rutvica, William Walters, et al.", where "Andrijasevic, Rutvica, and William Walters" was printed.
        The mark counts as a name, so a style that would cut the list anyway cuts it as it would."""
        names = item.reference.get(variable) or []
        if not names or names[-1].get("literal") != OTHERS:
            return super().process(item, variable, context=context, sort_options=sort_options, **kwargs)
        options = dict(sort_options or {})
        minimum = self.get_option("et-al-min", context, sort_options)
        first = self.get_option("et-al-use-first", context, sort_options)
        if not (minimum and len(names) >= minimum and first < len(names)):  # the style would not cut it
            options.update({"et-al-min": str(len(names)), "et-al-use-first": str(len(names) - 1)})
        options["et-al-use-last"] = "false"  # the last name is the mark
        return super().process(item, variable, context=context, sort_options=options, **kwargs)


class _Text(csl_model.Text):
    """cs:text whose title, sentence and capitalize-all case keep the spacing and punctuation of the
    text, and leave the words the .bib file protects ({IOM}, CSL's ``nocase``) as written
    (citeproc-py 0.11 splits at every protected word and joins with spaces: "( IOM )")."""

    def case(self, text, language=None):
        kind = self.get("text-case")
        if kind not in ("title", "sentence", "capitalize-all") or (kind == "title" and language != "en"):
            return super().case(text, language)
        segments = list(text) if isinstance(text, MixedString) else [text]
        whole = "".join(str(s) for s in segments)
        upper = whole.isupper()
        out, previous, index = [], ":", 0
        for segment in segments:
            if isinstance(segment, NoCase):
                out.append(segment)
                words = segment.split()
                previous, index = (words[-1][-1] if words else previous), index + len(words)
                continue
            pieces = []
            for piece in re.split(r"(\s+)", str(segment)):
                if piece and not piece.isspace():
                    piece = _recased(piece, kind, previous, index == 0, upper)
                    previous, index = piece[-1], index + 1
                pieces.append(piece)
            out.append(String("".join(pieces)))
        return out[0] if len(out) == 1 else MixedString(out)


    def render(self, *args, **kwargs):
        text = super().render(*args, **kwargs)
        if text and _RENDERED and self.get("variable"):
            _RENDERED[-1].append((self.tag, self.get("variable")))
        return text


_RENDERED: list[list[tuple[str, str]]] = []  # (tag, variable) cs:text and cs:names rendered in a cs:substitute


_RENDER_DATE_RANGE = csl_model.Date.render_date_range


def _date_range(self, date_range, show_parts=None, context=None):
    """A date range whose ends share every part shown is that part once: "2019" for 2019-03/2019-04
    where only the year is asked for (citeproc-py 0.11 dropped the shared year and, nothing being
    left, the date: "(Alarme Phone Sahara)", "… March–April."). Patched on citeproc-py's class, since
    a locale's date forms are built by citeproc-py, not by :class:`Processor`."""
    text = _RENDER_DATE_RANGE(self, date_range, list(show_parts or ()), context)
    if text is None and not date_range.end.is_nil() and show_parts:
        return self.render_single_date(date_range.begin, list(show_parts), context)
    return text


csl_model.Date.render_date_range = _date_range


class _Key(csl_model.Key):
    """cs:key whose text sorts as a reader's alphabet does, accents and case aside ("Sánchez" before
    "Smith"; citeproc-py 0.11 compares code points, and put every accented initial after z); the text
    itself breaks a tie, and numbers stay numbers."""

    def sort_keys(self, items, context):
        return [_folded(key) for key in super().sort_keys(items, context)]


def _folded(key):
    if key is None or isinstance(key, int) or not isinstance(key, str | String | MixedString):
        return key
    text = str(key)
    return text if text.strip().isdigit() else f"{fold(text)}\0{text}"


class _Label(csl_model.Label):
    """cs:label whose ``text-case="title"`` applies in an English locale: APA's "(Eds.)", not "(eds.)"
    (citeproc-py 0.11 title-cases only text whose item says it is English, and a label has no item)."""

    def case(self, text, language=None):
        if language is None:
            tags = [locale.get(_XML_LANG) for locale in getattr(self.get_root(), "locales", None) or ()]
            found = next((tag for tag in tags if tag), "")
            language = "en" if found.lower().startswith("en") else None
        return super().case(text, language)


_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class _Substitute(csl_model.Substitute):
    """cs:substitute that suppresses, in the rest of the entry, every variable it printed, also
    inside a macro or a choice (a title standing for a missing author is not printed twice; editors
    standing for one are not "Edited by" again)."""

    def render(self, item, context=None, **kwargs):
        _RENDERED.append([])
        try:
            text = super().render(item, context=context, **kwargs)
        finally:
            printed = _RENDERED.pop()
        if text and context is not None:
            repressed = context.get_layout().repressed
            for tag, variable in printed:
                repressed.setdefault(tag, []).append(variable)
        return text


class _Names(csl_model.Names):
    """cs:names as CSL 1.0.1 has it inside a substitute, also within a choice: it takes the cs:name
    and cs:label of the cs:names it stands in for, and what a substitute printed is not printed again.

    citeproc-py 0.11 passes the outer cs:names only to its substitute's direct children and never
    suppresses names: Chicago's editors standing for a missing author came out "A. Pécoud, M. Geiger
    … Edited by Antoine Pécoud and Martin Geiger" (a new user's edited volumes)."""

    def process(self, item, names_context=None, context=None, **kwargs):
        layout = (context if context is not None else self).get_layout()
        repressed = set(layout.repressed.get(self.tag, ())) if layout is not None else set()
        variables = self.get("variable", "").split()
        shown = [v for v in variables if v not in repressed]
        if not shown:
            raise csl_model.VariableError
        if names_context is None and self.name is None:
            outer = self.xpath_search("./ancestor::cs:substitute[1]/parent::cs:names[1]")
            names_context = outer[0] if outer else None
        if shown != variables:
            self.set("variable", " ".join(shown))
        try:
            text = super().process(item, names_context=names_context, context=context, **kwargs)
        finally:
            self.set("variable", " ".join(variables))
        if text and _RENDERED:
            _RENDERED[-1].extend((self.tag, v) for v in shown if v in item.reference)
        return text


def _recased(word: str, kind: str, previous: str, first: bool, all_upper: bool) -> str:
    """One word in title case (lowercase words capitalised, but the small words inside a title),
    sentence case (lowercased, but acronyms; the first capitalised) or capitalize-all."""
    if kind == "sentence":
        word = word if all_upper or word.isupper() else word.lower()
        return _capital(word) if first else word
    if kind == "capitalize-all" or (word.islower() and (word.strip("[('\"‘“") not in _SMALL_WORDS
                                                        or previous in ":.?!" or first)):
        return _capital(word)
    return word


def _capital(word: str) -> str:
    """The word with its first letter capitalised: "[the" → "[The"; but an ordinal ("10th", not
    "10Th") and a word that opens with a letter of another script (a Greek symbol from the .bib's
    math: "α-mobility", not "Α-mobility") stay as written."""
    for i, c in enumerate(word):
        if c.isdigit():
            return word
        if c.isalpha():
            if not unicodedata.name(c, "").startswith("LATIN"):
                return word
            return word[:i] + c.upper() + word[i + 1:]
    return word


class _If(csl_model.If):
    """cs:if whose ``is-numeric="locator"`` tests the citation's locator (citeproc-py 0.11 looks for a
    variable of the entry: APA's "Chapter 3" lost its label)."""

    def _is_numeric(self, item):
        tests = self.get("is-numeric").split()
        found = super()._is_numeric(item)
        return [bool(self.re_numeric.match(str(item.locator.identifier))) if test == "locator" and item.has_locator
                else result for test, result in zip(tests, found, strict=True)]


class _ElseIf(_If, csl_model.Else_If):
    pass


class _Layout(csl_model.Layout):
    """cs:layout whose citation keeps its items in the order the author wrote them, unless the style
    sorts them (citeproc-py 0.11 first puts them in the order the bibliography registered them)."""

    def render_citation(self, citation, callback):  # Layout.render_citation, less that first sort
        good = [cite for cite in citation.cites if not cite.is_bad()]
        bad = [cite for cite in citation.cites if cite.is_bad()]
        if self.getparent().sort is not None:
            good = self.getparent().sort.sort(good, self)
        out = []
        for item in good:
            self.repressed = {}
            try:
                output = self.render_children(item)
            except csl_model.VariableError:
                continue
            if output is not None:
                out.append(item.get("prefix", "") + output + item.get("suffix", ""))
                self.getparent().cites.append(item)
        out += [callback(item) or f"{item.key}?" for item in bad]
        return self.format(self.wrap(self.join(out)))


class Processor(CitationStylesStyle):
    """citeproc-py's style, parsed from checked bytes (never a path or a name it would look up), with
    entities and network access off, and the element classes above for what they fix."""

    def __init__(self, data: bytes, locale: str) -> None:  # what CitationStylesXML.__init__ does
        lookup = etree.ElementNamespaceClassLookup()
        namespace = lookup.get_namespace(CSL_NS)
        namespace[None] = csl_model.CitationStylesElement
        namespace.update({cls.__name__.replace("_", "-").lower(): cls
                          for cls in csl_model.CitationStylesElement.__subclasses__()})
        namespace.update({"name": _Name, "names": _Names, "label": _Label, "key": _Key, "layout": _Layout,
                          "text": _Text, "substitute": _Substitute, "if": _If, "else-if": _ElseIf})
        parser = etree.XMLParser(remove_comments=True, encoding="UTF-8", no_network=True, resolve_entities=False,
                                 load_dtd=False, huge_tree=False)
        parser.set_element_class_lookup(lookup)
        self.xml = etree.parse(BytesIO(data), parser)
        self.root = self.xml.getroot()
        for element in self.root.iter():  # affixes and delimiters are written out unescaped
            for name, value in element.attrib.items():
                if stand_ins(value) != value:
                    element.set(name, stand_ins(value))
        self.root.set_locale_list(locale, validate=False)


class _Tag(str):
    """A formatted span of citeproc-py's output as XHTML (its own HTML formatter writes ``<l>``)."""

    start, end = "", ""

    def __new__(cls, text: str) -> _Tag:
        return super().__new__(cls, f"{cls.start}{text}{cls.end}")


def _tag(start: str, end: str) -> type[_Tag]:
    return type("Tag", (_Tag,), {"start": start, "end": end})


XHTML = SimpleNamespace(
    preformat=lambda text: html.escape(str(text), quote=False),
    Italic=_tag("<i>", "</i>"), Oblique=_tag("<i>", "</i>"), Bold=_tag("<b>", "</b>"), Light=str,
    Superscript=_tag("<sup>", "</sup>"), Subscript=_tag("<sub>", "</sub>"),
    Underline=_tag('<span style="text-decoration: underline">', "</span>"),
    SmallCaps=_tag('<span style="font-variant: small-caps">', "</span>"),
)
PLAIN = formatter.plain
