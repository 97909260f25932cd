"""pybtex template nodes that read an entry's fields as the house style shows them, and note what they showed.

pybtex's own ``field`` and ``names`` nodes print field values as they are: LaTeX and all. These
decode each value with :func:`chapbook.latex.rich_latex`, read biblatex's name lists for every
role (pybtex parses only author and editor) and its literal lists (``Durham and London``), and
record in a :class:`Trace` which fields an entry's reference showed and which LaTeX macros they
held that are unknown: :meth:`chapbook.bibliography.Bibliography.use` then reports, at the entry's
line, whatever a listed entry holds that the reference list does not show (:func:`left_out`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field

import pybtex.errors
from pybtex.bibtex.utils import split_name_list
from pybtex.database import Entry, Person
from pybtex.richtext import String, Text
from pybtex.style.names import lastfirst
from pybtex.style.names import plain as plain_names
from pybtex.style.template import FieldIsMissing, Node, join, node

from .latex import plain_latex, rich_latex

__all__ = ["Trace", "and_others", "field", "key_list", "left_out", "nonempty", "optional", "optional_field", "people",
           "persons", "quoted", "shown_too", "titled", "year_label"]


def _single_quotes(text: Text) -> Text:
    """Double quotation marks made single: a quotation inside a quoted title (CMOS 6.11)."""
    if isinstance(text, String):
        return String(text.value.replace("“", "‘").replace("”", "’"))
    if hasattr(text, "parts"):
        return text._create_similar([_single_quotes(part) for part in text.parts])
    return text


def key_list(value: str) -> list[str]:
    return [k.strip() for k in value.split(",") if k.strip()]


# -- what formatting an entry used ------------------------------------------------


@dataclass
class Trace:
    """The fields an entry's formatting showed, and the unknown macros met, per field."""

    shown: set[str] = dataclass_field(default_factory=set)
    unknown: dict[str, set[str]] = dataclass_field(default_factory=dict)

    def sink(self, name: str) -> set[str]:
        return self.unknown.setdefault(name.lower(), set())


# Fields a Chicago reference list never prints: identifiers, sorting and indexing aids,
# reference-manager bookkeeping (an unedited export must pass ``check --strict``), options.
# Month and day are the date's precision: the reference list shows the year, and the full
# date where Chicago gives one.
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
    # what reference managers export for their own use: Zotero (extra, copyright), Mendeley
    # (mendeley-groups, mendeley-tags), JabRef (its special fields, creation and modification dates)
    "extra", "copyright", "ranking", "readstatus", "priority", "qualityassured", "printed", "relevance",
    "creationdate", "modificationdate", "__markedentry",
}
# Families of such fields, by prefix: BibDesk's bdsk-url-1, JabRef's comment-USER, Mendeley's
# mendeley-groups, CiteULike's citeulike-article-id and citeulike-linkout-0.
_NOT_PRINTED_PREFIXES = ("bdsk-", "comment-", "mendeley-", "citeulike-")
_ALIASES = [{"journal", "journaltitle"}, {"address", "location"}, {"school", "institution"},
            {"archiveprefix", "eprinttype"}, {"primaryclass", "eprintclass"}]


def left_out(entry: Entry, shown: set[str]) -> list[str]:
    """The fields of ``entry`` its formatting did not show, but those never printed."""
    present = {name.lower() for name in entry.fields} | {role.lower() for role in entry.persons}
    done = set(shown)
    for group in _ALIASES:
        if done & group:
            done |= group
    if "doi" in done:
        done.add("url")  # Chicago (14.8): the DOI rather than the URL
    return sorted(name for name in present - done - _NOT_PRINTED if not name.startswith(_NOT_PRINTED_PREFIXES))


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
    trace: Trace | None = context.get("trace")
    sink = trace.sink(name) if trace is not None else None
    if table is not None and value.strip().lower() in table:
        result: Text | str = Text(table[value.strip().lower()])
    elif split:
        result = literal_list(value, sink, context["style"].words, table)
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
    trace: Trace | None = context.get("trace")
    before = set(trace.shown) if trace is not None else set()
    try:
        return Text(*[child.format_data(context) if hasattr(child, "format_data") else child
                      for child in children])
    except FieldIsMissing:
        if trace is not None:
            trace.shown.intersection_update(before)
        return Text()


def literal_list(value: str, sink: set[str] | None, words: Mapping[str, str],
                 table: Mapping[str, str] | None = None) -> Text:
    """A biblatex list (``A and B and C``) as "A, B, and C" in the book's ``words`` ("A, B und C");
    items found in ``table`` replaced."""
    items = [item.strip() for item in split_name_list(value)] or [value]
    texts = [Text((table or {})[item.lower()]) if item.lower() in (table or {}) else rich_latex(item, sink)
             for item in items]
    if len(texts) <= 2:
        return Text(f" {words['ref_and']} ").join(texts)
    return Text(Text(", ").join(texts[:-1]), f"{words['ref_serial_comma']} {words['ref_and']} ", texts[-1])


def people(entry: Entry, role: str) -> list[Person]:
    """The persons of ``role``: pybtex parses only author and editor, biblatex has more. A name with
    nothing to print is none: ``author = {{}}`` and ``{ and }`` gave the citations "( 2022)" and
    "(and 2021)" where the title stands in for a missing author."""
    if role in entry.persons:
        found = list(entry.persons[role])
    else:
        value = entry.fields.get(role, "").strip()
        if not value:
            return []
        with pybtex.errors.capture():
            found = [Person(name) for name in split_name_list(value)]
    return [p for p in found if _printed_name(p)]


def and_others(found: list[Person]) -> bool:
    """Whether the names end in BibTeX's ``and others``: "A and B and others" is "A, B, et al."."""
    return len(found) > 1 and str(found[-1]) == "others"


def _printed_name(person: Person) -> bool:
    """Whether a parsed name has anything to print ("and" alone is what pybtex makes of ``{ and }``)."""
    shown = plain_latex(str(person)).strip()
    return bool(shown) and shown.lower() != "and"


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
    """Names in Chicago order: first "Surname, First", the others "First Surname"; "A and B and others"
    is "A, B, et al.": no "and" before a list that is not complete (Chicago). "and" and "et al." are
    the book's words (``ref_and``, ``ref_serial_comma``, ``ref_et_al``)."""
    entry, w = context["entry"], context["style"].words
    found = people(entry, role)
    if not found:
        raise FieldIsMissing(role, entry)
    trace: Trace | None = context.get("trace")
    sink = trace.sink(role) if trace is not None else None
    others = and_others(found)
    names = [(_LASTFIRST if i == 0 and invert_first else _FIRSTLAST)(_RichPerson(person, sink))
             for i, person in enumerate(found[:-1] if others else found)]
    serial_and = f"{w['ref_serial_comma']} {w['ref_and']} "
    sep2 = ", " if others else serial_and if invert_first else f" {w['ref_and']} "
    text = join(sep=", ", sep2=sep2, last_sep=", " if others else serial_and)[names].format_data(context)
    if trace is not None:
        trace.shown.add(role)
    return Text(text, f", {w['ref_et_al']}") if others else text


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
    trace: Trace | None = context.get("trace")
    if trace is not None:
        trace.shown.update(names)
    return Text()


@node
def year_label(children: list, context: dict) -> Text:
    """The disambiguated year ("2019a", "n.d.") computed by :class:`Bibliography`."""
    return Text(context["year_label"])


def _period_inside(text: Text) -> Text:
    """The period after a quoted title, inside a quotation that ends the title too (“Against
    ‘Integration.’”), and none after the quotation's own ? or ! (“Why Ask ‘Who Counts?’”)."""
    if text.endswith("”"):
        return Text(_period_inside(text[:-1]), text[-1:])
    return text.add_period()


@node
def quoted(children: list, context: dict) -> Text:
    """“Title.” — Chicago puts the period inside the quotation marks, and makes quotation
    marks inside single. In a book in another language the title takes that language's marks, and
    the period follows them (German „Titel“., French « Titre ».), as its typography has it; the
    quotation marks inside stay single English ones, as everywhere in chapbook (markup.QUOTES)."""
    text = join[children].format_data(context)
    if not text:
        return Text()
    style = context["style"]  # ChicagoAuthorDate: the book's quotation marks, and where the period goes
    opening, closing = style.quotes
    if style.period_inside:
        return Text(opening, _single_quotes(_period_inside(text)), closing)
    ended = str(text).rstrip("”’»›\"' ").endswith((".", "?", "!"))  # „Was tun?“ takes no period after it
    return Text(opening, _single_quotes(text), closing, "" if ended else ".")

