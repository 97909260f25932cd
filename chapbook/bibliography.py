"""The bibliography: a BibTeX or biblatex file read with pybtex, and the one object the book asks about it.

:func:`load_bibliography` reads ``bibliography.bib`` with every problem located at its line
(syntax errors named by the entry being read, duplicate keys, unsafe ``url`` fields, a file too
large). :class:`Bibliography` resolves what biblatex entries take from others — ``crossref`` and
``xdata`` inheritance, ``@set`` members — and answers what the rest of chapbook needs: which keys
exist, citation labels and year letters (2004a, 2004b) among the listed entries, sort order,
citations and references as HTML or text, the "First published in" line. How a reference looks
is the style's job: :mod:`chapbook.bibstyle` (the house style, Chicago author–date), reading
field values through :mod:`chapbook.latex` and dates through :mod:`chapbook.bibdates`; or a CSL
style chosen in publication.yml (:mod:`chapbook.csl`). Whatever a listed entry holds that the
house style does not show is reported at the entry's line (:meth:`Bibliography.use`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from xml.sax.saxutils import escape

import pybtex.errors
from pybtex.database import BibliographyData, BibliographyDataError, Entry
from pybtex.exceptions import PybtexError
from pybtex.richtext import Text

from .bibdates import full_date, year_of
from .bibmacros import MAX_EXPANDED, parse_bibtex
from .bibnodes import Trace, key_list, left_out, people
from .bibstyle import TITLE_FIELDS, ChicagoAuthorDate, source_field
from .charclasses import UNPRINTABLE, char_class
from .csl import CslError, CslFormatter, CslStyle
from .diagnostics import Location, Report, byte_location
from .latex import fold, plain_latex
from .model import Citation, CiteItem
from .projectfiles import NOT_REGULAR, read_regular
from .richtext import HTML, SAFE_URL, TEXT, anchor, url_of
from .words import words_for

__all__ = ["Bibliography", "anchor", "load_bibliography"]

_DOMAIN = re.compile(r"(?:https?://)?(?:[\w-]+\.)+[a-z]{2,}(?:/\S*)?", re.IGNORECASE)  # "noborder.org"
# A body named by a common noun takes the article: "by the Institute of Race Relations", but "by Verso".
_THE = re.compile(r"(?:Institute|Centre|Center|Council|Committee|Society|Union|Association|Office|Department|"
                  r"Ministry|University|Campaign|Network|Organi[sz]ation|Federation|League|Foundation|Agency|"
                  r"Commission|Bureau|Museum|Library|Archive|Collective)\b")
# A ``howpublished`` that says what form a text took, not who published it: "First published: Pamphlet,
# 2025", where "First published by Pamphlet" was printed (the sample of ``build.py new``).
_FORM = re.compile(r"\b(?:pamphlets?|leaflets?|flyers?|brochures?|typescripts?|manuscripts?|mimeo(?:graph)?s?|zines?|"
                   r"broadsheets?|broadsides?|posters?|booklets?|handouts?|press releases?|newsletters?|"
                   r"self-published|privately printed|unpublished|samizdat|circulars?)\b", re.IGNORECASE)
_HEADER = re.compile(r"@[ \t]*(\w+)[ \t]*[{(][ \t\r\n]*([^\s,={}()\"#%']+)[ \t\r\n]*,")
_NOT_ENTRIES = {"comment", "string", "preamble"}
_PAGE_LOCATOR = re.compile(r"^(?:pp?\.|pages?)\s*(?=\d)", re.IGNORECASE)
# Issue 10, a bounded build: a larger .bib is refused (reading one takes about 1 s per MB).
MAX_BIB_BYTES = 16_000_000


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
    for role, names in parent.persons.items():
        target = renamed.get(role.lower(), role)
        if target in merged.persons or target in merged.fields:
            continue
        if target == role:
            merged.persons[role] = list(names)
        else:
            merged.fields[target] = " and ".join(str(p) for p in names)
    return merged



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
        wanted = [("xdata", k) for k in key_list(fields.get("xdata", ""))]  # biblatex: xdata first
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
    """The entries of one ``.bib`` file, with their labels and formatted references.

    ``style``: a CSL style (``citation_style`` in publication.yml) that formats references and
    citations instead of the house style; labels, year letters and "First published in" stay
    the house style's.
    """

    def __init__(self, data: BibliographyData | None = None, path: Path | None = None,
                 lines: dict[str, int] | None = None, language: str = "en", style: CslStyle | None = None,
                 words: Mapping[str, str] | None = None) -> None:
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
        # the book's words (chapbook.words), else its language's: the house style's "n.d.", "et al."
        self.words = words if words is not None else words_for(language)
        self._style = ChicagoAuthorDate(language, words=self.words)
        self._no_date = self.words["ref_no_date"]
        self._authors = {k: self._author_part(self._lead(k)) for k in self.keys}
        self._years = {k: year_of(self._lead(k), self.words) for k in self.keys}
        self._year_labels = self._disambiguate(self.keys)
        self._cache: dict[tuple[str, str], str] = {}
        self._formatted: dict[str, Text] = {}
        self._traces: dict[str, Trace] = {}
        self.csl = CslFormatter(style, self._entries, self._members, language) if style is not None else None

    @property
    def notes(self) -> bool:
        """Whether citations are footnotes: a CSL note style (:mod:`chapbook.citenotes`)."""
        return self.csl is not None and self.csl.notes

    def location(self, key: str) -> Location:
        return Location(self.path, self._lines.get(key, 0))

    def _set_members(self, key: str, resolver: _Resolver) -> list[str]:
        """The entries an ``@set`` groups (``entryset``), those found."""
        members = []
        for wanted in key_list(self._entries[key].fields.get("entryset", "")):
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
            near += [k for k in key_list(entry.fields.get("related", "")) if k in self._entries]
            for other in near:
                if other not in found:
                    found.add(other)
                    todo.append(other)
        return found

    # -- labels ---------------------------------------------------------------

    def _author_part(self, entry: Entry) -> str:
        found = people(entry, "author") or people(entry, "editor") or people(entry, "translator")
        if not found:  # the entry's own short title (biblatex's shorttitle), else one made from the title
            short = plain_latex(entry.fields.get("shorttitle", "")).strip()
            return short or _short_title(plain_latex(entry.fields.get("title", "")))
        names = [plain_latex(" ".join(p.prelast_names + p.last_names)) for p in found]
        if len(names) >= 3 or names[-1] == "others":
            return f"{names[0]} {self.words['ref_et_al']}"
        return f" {self.words['ref_and']} ".join(names)

    def _sort_key(self, key: str) -> tuple[str, int, str, str, int, str]:
        """Author label, year (n.d. last), title; then the place in the file, so that the same
        work twice (an article and its preprint) gets its letters in the same order every build."""
        entry = self._lead(key)
        author = self._authors[key]
        if not (people(entry, "author") or people(entry, "editor") or people(entry, "translator")):
            author = re.sub(r"^\W*(?:(?:the|an?)\s+)?", "", author, flags=re.IGNORECASE)
        year = self._years[key]
        return (fold(author), 0 if year else 1, year, fold(self.title_text(key)), self._lines.get(key, 0), key)

    def _work(self, key: str) -> str:
        """The work ``key`` stands for: a set is labelled by its first member, and is that work."""
        members = self._members.get(key)
        return members[0] if members else key

    def _same_author_and_year(self, keys: Iterable[str]) -> list[list[str]]:
        """The works of ``keys`` (see :meth:`_work`) grouped by author part and year, in the house order.

        A set and its own first member are one work: citing both must not make them "2010a" and "2010b".
        """
        groups: dict[tuple[str, str], list[str]] = defaultdict(list)
        for key in sorted(keys, key=self._sort_key):  # the house order, whatever the style
            group, work = groups[(self._authors[key], self._years[key])], self._work(key)
            if work not in group:
                group.append(work)
        return list(groups.values())

    def _disambiguate(self, keys: Iterable[str]) -> dict[str, str]:
        """Year labels with a/b suffixes where author part and year coincide among the works of ``keys``."""
        keys = list(keys)
        letters: dict[str, str] = {}
        for group in self._same_author_and_year(keys):
            letters |= {work: chr(ord("a") + i) if len(group) > 1 else "" for i, work in enumerate(group)}
        labels = {}
        for key in keys:
            year, suffix = self._years[key], letters[self._work(key)]
            labels[key] = (year or self._no_date) + ("-" + suffix if suffix and not year else suffix)
        return labels

    def sort_keys(self, keys: Iterable[str]) -> list[str]:
        """Keys in bibliography order: author label, year (n.d. last), title.

        With a CSL style, the style's order, and without the entries it leaves out of a
        bibliography (Chicago notes and bibliography: unpublished documents).
        """
        ordered = sorted(keys, key=self._sort_key)
        if self.csl is not None:
            try:
                return self.csl.sort_keys(ordered, listed_only=True)
            except CslError:  # reported by use(); the house order then
                pass
        return ordered

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
        self._year_labels = {k: self._years[k] or self._no_date for k in self.keys} | self._disambiguate(listed)
        self._cache.clear()
        self._formatted.clear()
        self._traces.clear()
        if self.csl is not None:
            self._use_csl(listed, report)
            return
        if report is None:
            return
        for key in self.sort_keys(listed):
            self._format(key)
        for key, trace in sorted(self._traces.items()):
            for message, code in self._problems_of(key, trace):
                report.warning(self.location(key), message, code)

    def _use_csl(self, listed: list[str], report: Report | None) -> None:
        """:meth:`use` with a CSL style: the listed entries converted and formatted now, year letters
        among those of one author and year (by the house style's author label), in the style's
        order; what the processor cannot format falls back on the house style."""
        assert self.csl is not None
        same = [works for works in self._same_author_and_year(listed) if len(works) > 1]
        failed = self.csl.prepare(listed, same)
        if report is None:
            return
        name = self.csl.style.name
        for key, error in failed:
            report.warning(self.location(key), f"bibliography entry '{key}': the citation style '{name}' could "
                           f"not format it ({error}); it is shown in the house style", "citation-style")
        for key in sorted(self.csl.unknown):
            for message, code in _macro_problems(key, self.csl.unknown[key]):
                report.warning(self.location(key), message, code)

    def _problems_of(self, key: str, trace: Trace) -> Iterator[tuple[str, str]]:
        """What formatting ``key`` left out: fields, and unknown LaTeX macros (their text kept)."""
        left = left_out(self._entries[key], trace.shown)
        if left:
            names = ", ".join(f"'{n}'" for n in left)
            what, it = ("fields", "them") if len(left) > 1 else ("field", "it")
            yield (f"bibliography entry '{key}': {what} {names} not shown in the reference list "
                   f"(the author–date style has no place for {it} in this entry)"), "bib-field-not-shown"
        yield from _macro_problems(key, trace.unknown)

    def related_entry(self, key: str) -> tuple[str, Entry] | None:
        """(plain year label, entry) of a ``related`` key, for :func:`related`."""
        found = key if key in self.keys else next((k for k in self.keys if k.lower() == key.lower()), None)
        if found is None:
            return None
        return self._years[found] or self._no_date, self._entries[found]

    def _format(self, key: str) -> Text:
        """The reference as rich text; a set as its members' references, joined by semicolons."""
        if key not in self._formatted:
            members = self._members.get(key)
            if members:
                labels = [self._year_labels[key]] + [self._year_labels.get(m, self._no_date) for m in members[1:]]
                texts = [self._format_one(m, label) for m, label in zip(members, labels, strict=True)]
                trimmed = [t[:-1] if t.endswith(".") else t for t in texts[:-1]]
                self._traces.setdefault(key, Trace())
                self._formatted[key] = Text(Text("; ").join([*trimmed, texts[-1]]))
            else:
                self._formatted[key] = self._format_one(key, self._year_labels[key])
        return self._formatted[key]

    def _format_one(self, key: str, label: str) -> Text:
        trace = self._traces.setdefault(key, Trace())
        return self._style.format_entry(label, self._entries[key], self, trace).text

    # -- citations --------------------------------------------------------------

    def cite_html(self, citation: Citation) -> str:
        """A citation as an HTML fragment; unknown keys become ``cite-missing`` spans.

        With a CSL note style, the text of the note (inside a footnote, a citation is that text).
        """
        return self._csl_cite(citation, True) if self.csl is not None else self._cite(citation, True)

    def cite_text(self, citation: Citation) -> str:
        return self._csl_cite(citation, False) if self.csl is not None else self._cite(citation, False)

    def _csl_cite(self, citation: Citation, as_html: bool) -> str:
        assert self.csl is not None
        try:
            return self.csl.cite(citation, as_html)
        except CslError:  # the processor failed on an entry (reported by use()): the house style's citation
            return self._cite(citation, as_html)

    def note_citation(self, citation: Citation) -> tuple[str, str]:
        """A citation in the text with a CSL note style: (HTML left in the text, HTML of its footnote).

        The text keeps nothing, or the author's name for a narrative ``@key``.
        """
        assert self.csl is not None
        item = citation.items[0]
        inline = ""
        if citation.narrative and item.key in self.keys:
            try:
                author = self.csl.author(item, True)
            except CslError:
                author = escape(self._authors[item.key])
            inline = f'<a class="cite" href="#{escape(anchor(item.key))}">{author}</a>'
        return inline, self._csl_cite(citation, True)

    def start_text(self) -> None:
        """A new text begins: with a note style, its first citation of a work is a full note again."""
        if self.csl is not None:
            self.csl.start_text()

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
            if kind == "entry" and self.csl is not None:
                try:  # an entry the style lists in no bibliography: its full note, else the house style's
                    text = self.csl.entry(key, as_html) or (self.csl.note(key, as_html) if self.csl.notes else "")
                    if text:
                        self._cache[cache_key] = text
                        return text
                except CslError:  # reported by use(): the house style's reference
                    pass
            if kind == "entry":
                text = self._format(key)
            else:
                text = self._style.format_source(self._lead(key))
            self._cache[cache_key] = text.render(HTML if as_html else TEXT)
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

    def source_preposition(self, key: str) -> str:
        """How "First published …" leads into :meth:`source_line_html`: *in* a periodical, a book or a web
        site (a journal or book title, a ``howpublished`` that is a domain, or the site's host name), *by*
        a publisher or an organisation (*by the* before a name such as "Institute of Race Relations"), and
        *form* (a colon) before a ``howpublished`` that names the text's form ("Pamphlet") or starts in
        lower case ("leaflet handed out in Strasbourg")."""
        fields = self._lead(key).fields
        name = source_field(fields)
        if name is None or name in TITLE_FIELDS:
            return "in"
        shown = plain_latex(fields[name]).strip()
        if _DOMAIN.fullmatch(shown):
            return "in"
        if name == "howpublished" and (_FORM.search(shown) or shown[:1].islower()):
            return "form"
        return "by the" if _THE.match(shown) else "by"

    def full_date(self, key: str) -> str:
        """The most precise publication date known ("11 December 2008", "2002", '')."""
        return full_date(self._lead(key), self.words) or self._years[key]


def _macro_problems(key: str, unknown: Mapping[str, set[str]]) -> Iterator[tuple[str, str]]:
    """The LaTeX macros ``key``'s fields held that are not known (per field), as one warning."""
    macros = sorted({m for ms in unknown.values() for m in ms})
    if macros:
        where = ", ".join(f"'{n}'" for n, ms in sorted(unknown.items()) if ms and n)
        shown = ", ".join(f"\\{m}" for m in macros)
        what = "commands" if len(macros) > 1 else "command"
        yield (f"bibliography entry '{key}': unknown LaTeX {what} {shown}"
               f"{' in ' + where if where else ''} left out (the text of the argument is kept)"), "latex-macro"


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


# What no book may hold (chapbook.charclasses), and chapbook's own placeholders (:mod:`chapbook.markup`)
# and stand-ins (:mod:`chapbook.cslproc`: ``&``, ``<``, ``>`` and "and others"): refused where they are in the .bib.
_CONTROL = char_class(*UNPRINTABLE, "\ue000\ue001\ue030-\ue033")

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
        if url is not None and not SAFE_URL.match(url_of(url)):
            line = (lines.get(key.lower()) or [0])[0]
            report.error(Location(path, line, 1 if line else 0),
                         f"url '{url_of(url)[:80]}' of bibliography entry '{key}' must be a web address "
                         "(https://…) or mailto:", "unsafe-link")


def load_bibliography(path: Path, report: Report, language: str = "en", style: CslStyle | None = None,
                      words: Mapping[str, str] | None = None) -> Bibliography:
    """Read ``path``; problems go to ``report`` and whatever parses is still used.

    A missing file gives an empty bibliography: whether that matters depends
    on whether anything is cited, which only the caller knows. ``language`` is the
    book's, for the words of the references ("3rd ed.", "3. Aufl."); ``style`` the CSL
    style of publication.yml's ``citation_style`` (None: the house style); ``words`` the book's own
    (chapbook.words, for the date of "First published in …").
    """
    if not path.is_file():
        if path.is_symlink() and not path.exists():
            report.error(Location(path, 1, 1), "a symbolic link to a file that does not exist; the bibliography "
                         "must be a BibTeX file", "encoding")
        elif path.exists():
            report.error(Location(path, 1, 1), f"{NOT_REGULAR}; the bibliography must be a BibTeX file", "encoding")
        return Bibliography(path=path, language=language, style=style, words=words)
    size = path.stat().st_size
    if size > MAX_BIB_BYTES:
        report.error(Location(path), f"the bibliography is {size / 1e6:.1f} MB, more than the limit of "
                     f"{MAX_BIB_BYTES / 1e6:.0f} MB: keep only the entries this reader cites "
                     "(e.g. export them from your reference manager)", "bibliography-too-large")
        return Bibliography(path=path, language=language, style=style, words=words)
    try:
        raw = read_regular(path)
    except OSError as exc:
        report.error(Location(path), f"cannot read bibliography: {exc}")
        return Bibliography(path=path, language=language, style=style, words=words)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # At the byte, and the rest still read (the byte replaced): its keys are known, so the
        # citations of them are not reported as unknown as well.
        report.error(byte_location(path, raw, exc.start),
                     f"the bibliography is not UTF-8: byte 0x{raw[exc.start]:02X} here is no UTF-8 character; "
                     "save the file as UTF-8 (most reference managers have the option)", "not-utf8")
        text = raw.decode("utf-8-sig", errors="replace")
    starts = _line_starts(text)
    for m in _CONTROL.finditer(text):
        line = _line_of(starts, m.start())
        report.error(Location(path, line, m.start() - starts[line - 1] + 1),
                     f"character U+{ord(m.group()):04X} is not allowed in a bibliography (a control "
                     "character, or one chapbook reserves): delete it", "control-character")
    text = _CONTROL.sub(" ", text)
    lines = _entry_lines(text, starts)
    seen: dict[str, int] = defaultdict(int)
    data: BibliographyData | None = None
    overflow = None
    with pybtex.errors.capture() as errors:
        try:
            data, overflow = parse_bibtex(text)
        except PybtexError as exc:  # defensive: errors are normally captured
            errors.append(exc)
    if overflow is not None:
        defined = re.search(rf"@[ \t]*string[ \t]*[{{(][ \t\r\n]*{re.escape(overflow)}[ \t\r\n]*=", text,
                            re.IGNORECASE)
        report.error(Location(path, _line_of(starts, defined.start()) if defined else 0),
                     f"the @string macros expand to more than {MAX_EXPANDED / 1e6:.0f} MB of text ('{overflow}' "
                     "joins others over and over); a macro should be a journal's name or the like",
                     "bibliography-too-large")
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
    bibliography = Bibliography(data, path, keyed, language, style, words)
    for key, message in bibliography.problems:
        report.warning(bibliography.location(key), message, "bib-reference")
    return bibliography

