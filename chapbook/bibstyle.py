"""The house style: reference-list entries after the Chicago Manual of Style, 17th ed., author–date.

A real pybtex style (:class:`ChicagoAuthorDate`), one template per entry type, built from the
nodes of :mod:`chapbook.bibnodes`; with the words it needs in the book's language (editions:
"3rd ed.", "3. Aufl."), biblatex's type keys as text ("PhD thesis", "US patent"), Chicago's page
ranges, DOIs, eprints, volumes of multi-volume works and related entries. It is the default
style of every reader, and the one this reader's editors checked by hand; a project may choose a
CSL style instead (:mod:`chapbook.csl`). Titles keep the case they have in the ``.bib`` file:
the editors' sources are quoted as published, never re-cased.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import quote

from pybtex.bibtex.utils import split_name_list
from pybtex.database import Entry
from pybtex.richtext import HRef, Text
from pybtex.style import FormattedEntry
from pybtex.style.formatting import BaseStyle, toplevel
from pybtex.style.template import FieldIsMissing, Node, first_of, href, join, node, sentence, tag, words

from .bibdates import date_text, full_date, single_iso, year_of
from .bibnodes import (
    Trace,
    field,
    key_list,
    nonempty,
    optional,
    optional_field,
    people,
    persons,
    quoted,
    shown_too,
    titled,
    year_label,
)
from .fieldcheck import subtags
from .latex import plain_latex
from .markup import ENGLISH_QUOTES, double_quotes
from .richtext import url_of
from .words import CATALOGUE, human_date

__all__ = ["EPRINTS", "PUBSTATE", "TYPE_STRINGS", "ChicagoAuthorDate", "edition_text"]

# -- words in the book's language -----------------------------------------------------

_ORDINAL_WORDS = {"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
                  "tenth"}


def _english_ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def edition_text(value: str, language: str, words: Mapping[str, str]) -> str:
    """An edition as the book's words abbreviate it (``ref_edition``): ``3`` → "3rd ed." (en),
    "3. Aufl." (de), "3e éd." (fr), "3.ª ed." (es); "Second" → "Second ed."; other text as given.
    ``{ordinal}`` is the number as ``language`` writes an ordinal (English for a language chapbook
    has no words in, whose words are English), ``{number}`` the number.
    """
    value = value.strip()
    lang = subtags(language)[0] if subtags(language) else "en"
    if not value.isdigit():
        ordinal = value.lower() in _ORDINAL_WORDS or re.fullmatch(r"\d+(st|nd|rd|th)", value.lower())
        return f"{value} ed." if ordinal and lang == "en" else value
    n = int(value)
    if lang == "fr":
        ordinal = f"{n}{'re' if n == 1 else 'e'}"
    elif lang == "en" or lang not in CATALOGUE:
        ordinal = _english_ordinal(n)
    else:
        ordinal = str(n)
    return words["ref_edition"].format(ordinal=ordinal, number=n)


# biblatex's type keys (``type = {phdthesis}``) and their English strings
TYPE_STRINGS = {
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
PUBSTATE = {"inpress": "In press", "forthcoming": "Forthcoming", "submitted": "Submitted",
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
            "review": "Review of", "multivolume": "Comprising"}
# eprinttype → (shown, link); {id} is the identifier
EPRINTS = {"arxiv": ("arXiv:{id}", "https://arxiv.org/abs/{id}"),
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


def _doi(value: str) -> str:
    """The resolver address of a DOI, the DOI percent-encoded: ``<``, ``>``, ``#`` and ``?``
    may occur in a DOI (``10.1002/(SICI)…<693::AID-ASI4>3.0.CO;2-0``)."""
    doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", url_of(value))
    return "https://doi.org/" + quote(doi, safe="/:;()-._~!$&'*+,=@%")


def _doi_shown(value: str) -> str:
    return "https://doi.org/" + re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", url_of(value))


@node
def eprint(children: list, context: dict) -> Text:
    """"arXiv:hep-th/9901022 [hep-th]" linked to the archive (``eprint``, ``eprinttype``,
    ``eprintclass``; BibTeX's ``archivePrefix``/``primaryClass`` too)."""
    entry = context["entry"]
    fields = entry.fields
    if "eprint" not in fields:
        raise FieldIsMissing("eprint", entry)
    ident = url_of(fields["eprint"])
    kind_name = next((n for n in ("eprinttype", "archiveprefix") if n in fields), "")
    class_name = next((n for n in ("eprintclass", "primaryclass") if n in fields), "")
    kind = plain_latex(fields.get(kind_name, "")).strip()
    shown, link = EPRINTS.get(kind.lower(), ("", ""))
    text = shown.format(id=ident) if shown else (f"{kind}: {ident}" if kind else ident)
    if class_name:
        text += f" [{plain_latex(fields[class_name]).strip()}]"
    trace: Trace | None = context.get("trace")
    if trace is not None:
        trace.shown |= {name for name in ("eprint", kind_name, class_name) if name}
    if link:
        return Text(HRef(link.format(id=quote(ident, safe="/:.-_~")), text))
    return Text(text)


@node
def volume_of(children: list, context: dict, capital: bool = True, main: bool = True) -> Text:
    """"Vol. 7, pt. 2 of <i>Maintitle</i>" (CMOS 14.116–17), "Vol. 7", "In <i>Maintitle</i>"."""
    entry, w = context["entry"], context["style"].words
    vol = optional[join[w["ref_volume" if capital else "ref_volume_lower"], " ", field("volume"),
                        optional[join[", ", w["ref_part"], " ", field("part")]]]].format_data(context)
    whole = Text()
    if main and "maintitle" in entry.fields:
        whole = tag("i")[titled("maintitle", sub="mainsubtitle")].format_data(context)
        addon = optional_field("maintitleaddon").format_data(context)
        whole = Text(whole, ", ", addon) if addon else whole
    if vol and whole:
        return Text(vol, f" {w['ref_of']} ", whole)
    if whole:
        return Text(w["ref_in" if capital else "ref_in_lower"], " ", whole)
    if not vol:
        raise FieldIsMissing("volume", entry)
    return vol


@node
def related(children: list, context: dict) -> Text:
    """"Reprint of Kullback, Solomon. 1959. …": the entries in ``related``, introduced by
    ``relatedstring`` or the phrase for ``relatedtype``."""
    entry, bib = context["entry"], context.get("bib_data")
    keys = key_list(entry.fields.get("related", ""))
    found = [bib.related_entry(k) for k in keys] if hasattr(bib, "related_entry") else []
    found = [f for f in found if f is not None]
    if not found or not context.get("with_related"):
        raise FieldIsMissing("related", entry)
    trace: Trace | None = context.get("trace")
    style: ChicagoAuthorDate = context["style"]
    texts = []
    for label, other in found:
        inner = Trace()
        text = style.format_entry(label, other, bib, inner, with_related=False).text
        texts.append(text[:-1] if text.endswith(".") else text)
        if trace is not None:  # its macros are printed here: reported here
            trace.sink("related").update(*inner.unknown.values())
    lead = optional_field("relatedstring").format_data(context)
    kind = entry.fields.get("relatedtype", "").strip().lower()
    if not lead:  # a relatedtype is a type or a localisation key (bytranslator: "Translated by")
        by_role = _EDITOR_TYPES.get(kind[2:]) if kind.startswith("by") else None
        lead = Text(_RELATED.get(kind) or by_role or "See also")
    else:  # it opens a sentence: biblatex's \autocap{e}xcerpt in → "Excerpt in"
        lead = lead.capfirst()
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

    def __init__(self, language: str, words: Mapping[str, str], **kwargs) -> None:
        super().__init__(**kwargs)
        self.language = language
        self.words = words  # the book's (chapbook.words): every word the style prints but the .bib's
        self.quotes = double_quotes(language)  # around an article's title: „…“ in a German book
        self.period_inside = self.quotes == ENGLISH_QUOTES  # American usage: “Title.”; „Titel“. elsewhere

    def _date(self, value: str) -> str:
        """A biblatex date field in the book's words (an ``apply_func``)."""
        return date_text(value, self.words)

    def format_entry(self, label: str, entry: Entry, bib_data: object = None, trace: Trace | None = None,
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
        w = self.words
        creator, role = self._creator(e)
        if creator is not None:
            head = [sentence[creator], sentence[year_label], *[optional[t] for t in title]]
        else:  # the title takes the author's place
            head = [*[optional[t] for t in title], sentence[year_label]]
        contributors = self._contributors(e, role, editors)
        tail = [sentence[optional[words[w["ref_version"], field("version")]]],
                sentence[optional_field("note")], self._original(e),
                sentence[optional[related]],
                sentence[optional_field("addendum")],
                sentence[optional_field("pubstate", table=PUBSTATE)],
                optional[sentence[words[w["ref_accessed"], field("urldate", raw=True, apply_func=self._date)]]],
                optional[sentence[eprint]],
                first_of[optional[sentence[href(_DOI)[_DOI_SHOWN]]],
                         optional[sentence[href(_URL)[_URL]]]]]
        return toplevel[head + [optional[c] for c in contributors] + [optional[b] for b in body] + tail]

    def _creator(self, e: Entry) -> tuple[Node | None, str]:
        """Who stands in the author's place: authors, else editors ("eds."), else translators."""
        if people(e, "author"):
            return persons("author"), "author"
        if people(e, "editor"):
            word = self.words["ref_eds" if len(people(e, "editor")) > 1 else "ref_ed"]
            return join(sep=", ")[persons("editor"), word], "editor"
        if people(e, "translator"):
            return join(sep=", ")[persons("translator"), self.words["ref_trans"]], "translator"
        return None, ""

    def _contributors(self, e: Entry, head: str, editors: bool) -> list[Node]:
        """"Edited by …", "Translated from the German by …", "With an introduction by …"."""
        found: list[Node] = []
        editor, translator = people(e, "editor"), people(e, "translator")
        same = bool(editor) and [str(p) for p in editor] == [str(p) for p in translator]
        if editors and head != "editor" and editor:
            if same and head != "translator":
                found.append(sentence[join[words["Edited and translated by", persons("editor", False)],
                                           shown_too("translator")]])
            else:
                verb = optional_field("editortype", table=_EDITOR_TYPES) if "editortype" in e.fields \
                    else self.words["ref_edited_by"]
                found.append(sentence[words[verb, persons("editor", False)]])
        if translator and head != "translator" and not (same and editors and head != "editor"):
            origin = optional[words["from the", field("origlanguage", raw=True, apply_func=_language_name)]]
            if "origlanguage" in e.fields:  # "Translated from the German by": English (the language names are)
                found.append(sentence[words["Translated", origin, "by", persons("translator", False)]])
            else:
                found.append(sentence[words[self.words["ref_translated_by"], persons("translator", False)]])
        elif "origlanguage" in e.fields and not translator:
            found.append(sentence[words["Translated from the",
                                        field("origlanguage", raw=True, apply_func=_language_name)]])
        for role, phrase in _ROLES:
            found.append(sentence[words[phrase, persons(role, False)]])
        for extra in ("editora", "editorb", "editorc"):
            verb = optional_field(extra + "type", table=_EDITOR_TYPES) if extra + "type" in e.fields \
                else self.words["ref_edited_by"]
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
                              apply_func=lambda v: Text(edition_text(plain_latex(v), self.language,
                                                                     self.words)))]

    def _series(self, e: Entry) -> Node:
        """"Bollingen Series 75" (``series`` and ``number``); "No. 7" without a series."""
        if "series" in e.fields:
            return sentence[words[field("series"), optional_field("number")]]
        return sentence[words[self.words["ref_number"], field("number")]]

    def _event_facts(self) -> Node:
        """"Eventtitle, Venue, 19–25 May 1968": where and when a paper was given."""
        return join(sep=", ")[
            optional[join(sep=". ")[titled("eventtitle"), optional_field("eventtitleaddon")]],
            optional_field("venue"), optional_field("eventdate", raw=True, apply_func=self._date)]

    def _event(self) -> Node:
        return sentence[self._event_facts()]

    def _original(self, e: Entry) -> Node:
        """"Originally published as <i>Origtitle</i> (Paris: Nourry, 1909)"; "First published 1909"."""
        if not any(name in e.fields for name in ("origtitle", "origlocation", "origpublisher", "origdate",
                                                 "origyear")):
            return Text()
        place = join(sep=": ")[optional_field("origlocation", split=True),
                               optional_field("origpublisher", split=True)]
        when = first_of[optional_field("origdate", raw=True, apply_func=self._date), optional_field("origyear")]
        facts = join(sep=", ")[place, when]
        as_title = words[self.words["ref_originally_published_as"], tag("i")[field("origtitle")],
                         optional[join["(", facts, ")"]]]
        return sentence[first_of[optional[as_title], optional[words[self.words["ref_first_published"], facts]]]]

    def _volumes(self) -> Node:
        return sentence[words[field("volumes"), self.words["ref_volumes"]]]

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
            parts.append(join[" (", issue, ")"] if volume else join[", ", self.words["ref_number_lower"], " ", issue])
        if not volume and full_date(e, self.words):
            parts.append(", " + full_date(e, self.words))
        if "pages" in fields or "eid" in fields:
            parts.append(join[": " if volume or number else ", ",
                              first_of[optional_field("pages", raw=True, apply_func=_pages),
                                       optional_field("eid")]])
        special = words[self.words["ref_special_issue"], quoted[titled("issuetitle", sub="issuesubtitle")]]
        return self._entry(e, self._title("q"), sentence[join[parts]], special)

    def get_book_template(self, e: Entry) -> Node:
        return self._entry(e, self._title("i"), self._event(), self._edition(), sentence[volume_of],
                           self._volumes(), self._series(e), sentence[field("type", table=TYPE_STRINGS)],
                           sentence[field("howpublished")], *self._publisher(e),
                           sentence[words[field("pagetotal"), self.words["pages"]]])

    def get_incollection_template(self, e: Entry) -> Node:
        fields, w = e.fields, self.words
        event = optional[join[" (", nonempty[self._event_facts()], ")"]]  # "Proceedings … (Lerum, 19–25 May 1968)"
        if "booktitle" in fields:  # "In <i>Book</i>, …, vol. 5 of <i>Main</i>"
            book = join[words[w["ref_in"], tag("i")[titled("booktitle", sub="booksubtitle")]],
                        optional[join[", ", field("booktitleaddon")]], event]
            volume = optional[volume_of(capital=False)]
        elif "maintitle" in fields:  # a part of one volume of a multi-volume work: "In <i>Main</i>, vol. 5"
            book = join[words[w["ref_in"], tag("i")[titled("maintitle", sub="mainsubtitle")]],
                        optional[join[", ", field("maintitleaddon")]], event]
            volume = optional[volume_of(capital=False, main=False)]
        else:  # nothing to be part of: what the container would hold is reported as not shown
            book, volume = words[w["ref_in"], field("booktitle")], Text()
        container = join(sep=", ")[
            book,
            optional[words[w["ref_by"], persons("bookauthor", invert_first=False)]],
            optional[words[w["ref_edited_by_lower"], persons("editor", invert_first=False)]],
            volume,
            optional[words[w["ref_chapter"], field("chapter")]],
            optional[field("pages", raw=True, apply_func=_pages)]]
        return self._entry(e, self._title("q"), sentence[container], self._edition(),
                           self._volumes(), self._series(e), *self._publisher(e), editors=False)

    def get_report_template(self, e: Entry) -> Node:
        if "number" in e.fields:
            kind = sentence[words[first_of[optional_field("type", table=TYPE_STRINGS), "Report"],
                                  field("number")]]
        else:
            kind = sentence[field("type", table=TYPE_STRINGS)]
        return self._entry(e, self._title("i"), kind, self._edition(), sentence[field("series")],
                           *self._publisher(e))

    def get_thesis_template(self, e: Entry) -> Node:
        kind = first_of[optional_field("type", table=TYPE_STRINGS), _THESES.get(e.type.lower(), "Thesis")]
        school = first_of[optional_field("school", split=True), optional_field("institution", split=True)]
        place = first_of[optional_field("location", split=True), optional_field("address", split=True)]
        return self._entry(e, self._title("q"), sentence[join(sep=", ")[kind, school, place]])

    def get_patent_template(self, e: Entry) -> Node:
        """"US patent 1700367 (Germany). Holder." (CMOS 14.157: the title roman)."""
        kind = first_of[optional_field("type", table=TYPE_STRINGS), "Patent"]
        where = optional[join["(", field("location", split=True, table=_COUNTRIES), ")"]]
        return self._entry(e, self._title("roman"), sentence[words[kind, optional_field("number"), where]],
                           sentence[persons("holder", invert_first=False)])

    def get_periodical_template(self, e: Entry) -> Node:
        """A whole issue: "<i>Title</i>. 2011. Vol. 35, no. 4. Special issue “…”."""
        w = self.words
        issue = join(sep=", ")[optional[words[w["ref_volume"], field("volume")]],
                               optional[words[w["ref_number_lower"], field("number")]], optional_field("issue")]
        special = words[w["ref_special_issue"], quoted[titled("issuetitle", sub="issuesubtitle")]]
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
        when = full_date(e, self.words)
        if not any(f in e.fields for f in ("journal", "booktitle", "howpublished")):  # the site's owner first
            return self._entry(e, self._title("q" if part else "i"), *self._publisher(e), sentence[when],
                               sentence[field("type", table=TYPE_STRINGS)], self._event(), self._edition(),
                               self._series(e))
        return self._entry(e, self._title("q" if part else "i"),
                           sentence[join(sep=", ")[container, when]],
                           sentence[field("type", table=TYPE_STRINGS)], self._event(), self._edition(),
                           self._series(e), *self._publisher(e))

    get_online_template = get_misc_template

    def format_source(self, e: Entry) -> Text:
        """"First published in" phrase: container (linked to ``url``), most precise date.

        The container is :func:`source_field`'s field (a journal or book title in italics), else the
        web site's host name.
        """
        context = {"entry": e, "style": self}
        name = source_field(e.fields)
        shown = Text()
        if name is not None:
            shown = (tag("i")[field(name)] if name in TITLE_FIELDS else field(name)).format_data(context)
        url = url_of(e.fields.get("url", ""))
        if not shown and url:
            shown = Text(re.sub(r"^(https?://)?(www\.)?", "", url).split("/")[0])
        if url:
            shown = Text(HRef(url, shown))
        # The book's own sentence ("Zuerst erschienen in …"): a day or month as its other dates write
        # it, a range or a season as the house style does, both in the book's words.
        iso = single_iso(e)
        when = human_date(iso, self.words) if iso else full_date(e, self.words) or year_of(e, self.words)
        return join(sep=", ")[shown, when].format_data(context)


# The fields that name where a text was first published, the first one present is shown
# (:meth:`ChicagoAuthorDate.format_source`, and the preposition before it:
# :meth:`chapbook.bibliography.Bibliography.source_preposition`)
SOURCE_FIELDS = ("journaltitle", "journal", "booktitle", "howpublished", "publisher", "organization", "institution")
TITLE_FIELDS = frozenset({"journaltitle", "journal", "booktitle"})  # a periodical's or book's title: italics


def source_field(fields) -> str | None:
    """The field of ``fields`` that names the text's first publication, or None (a field whose text is
    empty, such as ``{}``, does not count)."""
    return next((name for name in SOURCE_FIELDS if plain_latex(fields.get(name) or "").strip()), None)


_DOI = field("doi", raw=True, apply_func=_doi)
_DOI_SHOWN = field("doi", raw=True, apply_func=_doi_shown)
_URL = field("url", raw=True, apply_func=url_of)

