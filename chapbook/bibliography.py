"""The bibliography: BibTeX read with pybtex, formatted Chicago author–date.

Entries are formatted by a real pybtex style (:class:`ChicagoAuthorDate`) and
rendered by small subclasses of pybtex's HTML and plain-text backends, so
LaTeX accents, protective braces and ``--`` are decoded the same way in names,
titles and labels.  Titles keep the case they have in the ``.bib`` file: the
editors' sources are quoted as published, never re-cased.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape

import pybtex.errors
from pybtex.backends import html, plaintext
from pybtex.database import BibliographyData, BibliographyDataError, Entry, parse_string
from pybtex.exceptions import PybtexError
from pybtex.richtext import HRef, Tag, Text
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
    optional,
    sentence,
    tag,
    words,
)

from .diagnostics import Location, Report
from .model import Citation, CiteItem

__all__ = ["Bibliography", "anchor", "load_bibliography"]

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

    Existing ``%XX`` escapes are kept; non-ASCII characters are encoded as UTF-8.
    """
    return quote(url, safe="!#$%&'()*+,-./:;=?@[]_~")


def anchor(key: str) -> str:
    """The XML id of a reference: ``ref-`` + key, other characters hex-encoded."""
    return "ref-" + "".join(c if re.match(r"[A-Za-z0-9._-]", c) else f"_{ord(c):x}_" for c in key)


def _fold(text: str) -> str:
    """Case- and accent-insensitive sort form."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


# -- the pybtex style ------------------------------------------------------------

_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]
_TYPES = {"techreport": "report", "phdthesis": "thesis", "mastersthesis": "thesis",
          "webpage": "online", "electronic": "online", "www": "online", "booklet": "book",
          "manual": "book", "proceedings": "book", "collection": "book",
          "inproceedings": "incollection", "conference": "incollection"}
_THESES = {"phdthesis": "PhD diss.", "mastersthesis": "Master’s thesis"}


_ITALIC = re.compile(r"\\(?:emph|textit|textsl)\s*\{|\{\\(?:em|it|itshape)\s+")
_PLAIN = re.compile(r"(?! )(?:[^\W_]|[.,:;()/]| (?! ))+")  # letters, digits, single inner spaces, .,:;()/
_DROPPED = re.compile(r"\\(?:text(?:bf|rm|sc|up|normal|sf)|url|mbox|textsuperscript)\s*(?=\{)")


def rich_latex(value: str) -> Text:
    """``Text.from_latex`` plus what it leaves as literal text: ``\\emph{}`` → italics,
    ``\\textbf{}``/``\\url{}`` → their argument."""
    if _PLAIN.fullmatch(value):  # nothing for LaTeX to decode: skip latexcodec, the slow part of a big .bib
        return Text(value)
    m = _ITALIC.search(value)
    depth, i = 1, m.end() if m else 0
    if m is None or value.count("{", 0, m.start()) != value.count("}", 0, m.start()):
        return Text.from_latex(_DROPPED.sub("", re.sub(r"\\(?:emph|textit|textsl)\b", "", value)))
    while i < len(value) and depth:
        depth += {"{": 1, "}": -1}.get(value[i], 0) if value[i - 1] != "\\" else 0
        i += 1
    inner = rich_latex(value[m.end():i - 1])
    space = " " if value[i:i + 1].isspace() else ""  # from_latex drops leading spaces
    return Text(rich_latex(value[:m.start()]), Tag("i", inner), space, rich_latex(value[i:]))


def plain_latex(value: str) -> str:
    """A BibTeX field value as plain Unicode text: accents decoded, braces dropped."""
    return rich_latex(value).render(_TEXT) if value else ""


@node
def field(children: list, context: dict, name: str, apply_func: Callable | None = None,
          raw: bool = False) -> Text:
    """pybtex's ``field``, decoding LaTeX with :func:`rich_latex` (no crossref lookup)."""
    entry = context["entry"]
    if name not in entry.fields:
        raise FieldIsMissing(name, entry)
    value = entry.fields[name] if raw else rich_latex(entry.fields[name])
    return apply_func(value) if apply_func else value


def optional_field(name: str) -> Node:
    return optional[field(name)]


def _date(value: str) -> str:
    """ISO ``2008-12-11`` → ``11 December 2008`` (``2008-12`` → ``December 2008``)."""
    m = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", value.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        return plain_latex(value)
    day = str(int(m.group(3))) if m.group(3) else ""
    return " ".join(filter(None, [day, _MONTHS[int(m.group(2)) - 1], m.group(1)]))


def full_date(entry: Entry) -> str:
    """A date more precise than the year (from ``date`` or ``month``/``day``), else ''."""
    fields = entry.fields
    if re.fullmatch(r"\d{4}-\d{1,2}(-\d{1,2})?", fields.get("date", "").strip()):
        return _date(fields["date"])
    month = plain_latex(fields.get("month", "")).strip()
    if not month or not fields.get("year"):
        return ""
    if month.isdigit() and 1 <= int(month) <= 12:
        month = _MONTHS[int(month) - 1]
    named = next((m for m in _MONTHS if _fold(m).startswith(_fold(month)[:3])), month)
    return " ".join(filter(None, [fields.get("day", "").strip(), named, fields["year"].strip()]))


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
    return "https://doi.org/" + re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", value.strip())


@node
def year_label(children: list, context: dict) -> Text:
    """The disambiguated year ("2019a", "n.d.") computed by :class:`Bibliography`."""
    return Text(context["year_label"])


@node
def quoted(children: list, context: dict) -> Text:
    """“Title.” — Chicago puts the period inside the quotation marks."""
    text = join[children].format_data(context)
    return Text("“", text.add_period(), "”") if text else Text()


@node
def persons(children: list, context: dict, role: str, invert_first: bool = True) -> Text:
    """Names in Chicago order: first "Surname, First", the others "First Surname"."""
    entry = context["entry"]
    if role not in entry.persons:
        raise FieldIsMissing(role, entry)
    people = list(entry.persons[role])
    others = len(people) > 1 and str(people[-1]) == "others"  # "A and others": et al.
    names = [(_LASTFIRST if i == 0 and invert_first else _FIRSTLAST)(person)
             for i, person in enumerate(people[:-1] if others else people)]
    sep2 = ", and " if invert_first else " and "
    text = join(sep=", ", sep2=sep2, last_sep=", and ")[names].format_data(context)
    return Text(text, ", et al.") if others else text


_LASTFIRST, _FIRSTLAST = lastfirst.NameStyle().format, plain_names.NameStyle().format
_DOI, _URL = field("doi", raw=True, apply_func=_doi), field("url", raw=True, apply_func=_url)


class ChicagoAuthorDate(BaseStyle):
    """Reference-list entries after the Chicago Manual of Style, 17th ed., author–date.

    Each ``get_<type>_template`` may inspect the entry to choose its shape, as
    pybtex's own styles do; unknown types are formatted as ``misc``.
    """

    def format_entry(self, label: str, entry: Entry, bib_data: object = None) -> FormattedEntry:
        """Like BaseStyle's, but ``label`` (the year label) is available to templates."""
        context = {"entry": entry, "style": self, "bib_data": bib_data, "year_label": label}
        kind = _TYPES.get(entry.type.lower(), entry.type.lower())
        if kind == "inbook":
            kind = "incollection" if "booktitle" in entry.fields else "book"
        template = getattr(self, f"get_{kind}_template", self.get_misc_template)(entry)
        return FormattedEntry(entry.key, template.format_data(context), label)

    def _entry(self, e: Entry, title: Node, *body: Node) -> Node:
        """Creator. Year. Title. Body. Note. Accessed date. Link. — the shared frame."""
        if e.persons.get("author"):
            head = [sentence[persons("author")], sentence[year_label], optional[title]]
        elif e.persons.get("editor"):
            word = "eds" if len(e.persons["editor"]) > 1 else "ed"
            head = [sentence[join(sep=", ")[persons("editor"), word]], sentence[year_label],
                    optional[title]]
        else:  # the title takes the author's place
            head = [optional[title], sentence[year_label]]
        tail = [sentence[optional_field("note")],
                optional[sentence[words["Accessed", field("urldate", raw=True, apply_func=_date)]]],
                first_of[optional[sentence[href(_DOI)[_DOI]]],
                         optional[sentence[href(_URL)[_URL]]]]]
        return toplevel[head + [optional[b] for b in body] + tail]

    def _publisher(self) -> Node:
        publisher = first_of[optional_field("publisher"), optional_field("organization"),
                             optional_field("institution"), optional_field("school")]
        return sentence[join(sep=": ")[optional_field("address"), publisher]]

    def get_article_template(self, e: Entry) -> Node:
        fields = e.fields
        volume, number = "volume" in fields, "number" in fields
        parts: list = [tag("i")[first_of[optional_field("journaltitle"), field("journal")]]]
        if volume:
            parts.append(join[" ", field("volume")])
        if number:
            parts.append(join[" (", field("number"), ")"] if volume else join[", no. ",
                                                                                field("number")])
        if not volume and full_date(e):
            parts.append(", " + full_date(e))
        if "pages" in fields:
            parts.append(join[": " if volume or number else ", ",
                              field("pages", raw=True, apply_func=_pages)])
        return self._entry(e, quoted[field("title")], sentence[join[parts]])

    def get_book_template(self, e: Entry) -> Node:
        edited = [] if not e.persons.get("author") else [
            sentence[words["Edited by", persons("editor", invert_first=False)]]]
        return self._entry(e, sentence[tag("i")[field("title")]], *edited,
                           sentence[words[field("edition"), "ed."]], self._publisher())

    def get_incollection_template(self, e: Entry) -> Node:
        container = join(sep=", ")[
            words["In", tag("i")[field("booktitle")]],
            optional[words["edited by", persons("editor", invert_first=False)]],
            optional[field("pages", raw=True, apply_func=_pages)]]
        return self._entry(e, quoted[field("title")], sentence[container], self._publisher())

    def get_report_template(self, e: Entry) -> Node:
        number = words[first_of[optional_field("type"), "Report"], field("number")]
        return self._entry(e, sentence[tag("i")[field("title")]], sentence[number],
                           self._publisher())

    def get_thesis_template(self, e: Entry) -> Node:
        kind = first_of[optional_field("type"), _THESES.get(e.type.lower(), "Thesis")]
        school = first_of[optional_field("school"), optional_field("institution")]
        return self._entry(e, quoted[field("title")], sentence[join(sep=", ")[kind, school]])

    def get_unpublished_template(self, e: Entry) -> Node:
        return self._entry(e, quoted[field("title")], sentence[field("howpublished")])

    def get_misc_template(self, e: Entry) -> Node:
        """Web pages and other parts of something get “quotes”; standalone works italics."""
        part = any(f in e.fields for f in ("url", "howpublished", "journal", "booktitle"))
        title = quoted[field("title")] if part else sentence[tag("i")[field("title")]]
        container = first_of[optional[tag("i")[field("journal")]],
                             optional[tag("i")[field("booktitle")]],
                             optional_field("howpublished")]
        return self._entry(e, title, sentence[container], self._publisher())

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
        when = full_date(e) or plain_latex(e.fields.get("year", e.fields.get("date", "")))
        return join(sep=", ")[shown, when].format_data(context)


class Bibliography:
    """The entries of one ``.bib`` file, with their labels and formatted references."""

    def __init__(self, data: BibliographyData | None = None, path: Path | None = None,
                 lines: dict[str, int] | None = None) -> None:
        self.path = path or Path("bibliography.bib")
        self._entries: dict[str, Entry] = dict(data.entries) if data is not None else {}
        self._lines = lines or {}
        self.keys: set[str] = set(self._entries)
        self._style = ChicagoAuthorDate()
        self._authors = {k: self._author_part(e) for k, e in self._entries.items()}
        self._years = {k: self._compute_year(e) for k, e in self._entries.items()}
        self._year_labels = self._disambiguate()
        self._cache: dict[tuple[str, str], str] = {}

    def location(self, key: str) -> Location:
        return Location(self.path, self._lines.get(key, 0))

    # -- labels ---------------------------------------------------------------

    @staticmethod
    def _author_part(entry: Entry) -> str:
        persons = entry.persons.get("author") or entry.persons.get("editor")
        if not persons:
            return _short_title(plain_latex(entry.fields.get("title", "")))
        names = [plain_latex(" ".join(p.prelast_names + p.last_names)) for p in persons]
        if len(names) >= 3 or names[-1] == "others":
            return f"{names[0]} et al."
        return " and ".join(names)

    @staticmethod
    def _compute_year(entry: Entry) -> str:
        year = entry.fields.get("year", "")
        if not year:
            year = entry.fields.get("date", "")[:4]
        return plain_latex(year).strip()

    def _sort_key(self, key: str) -> tuple[str, int, str, str]:
        entry = self._entries[key]
        author = self._authors[key]
        if not (entry.persons.get("author") or entry.persons.get("editor")):
            author = re.sub(r"^\W*(?:(?:the|an?)\s+)?", "", author, flags=re.IGNORECASE)
        year = self._years[key]
        return (_fold(author), 0 if year else 1, year, _fold(self.title_text(key)))

    def _disambiguate(self) -> dict[str, str]:
        """Year labels with a/b suffixes where author part and year coincide."""
        groups: dict[tuple[str, str], list[str]] = defaultdict(list)
        for key in self.sort_keys(self._entries):
            groups[(self._authors[key], self._years[key])].append(key)
        labels = {}
        for (_, year), keys in groups.items():
            base = year or "n.d."
            for i, key in enumerate(keys):
                suffix = "" if len(keys) == 1 else chr(ord("a") + i)
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
        return plain_latex(self._entries[key].fields.get("title", ""))

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
            entry = self._entries[key]  # KeyError for unknown keys: callers check first
            if kind == "entry":
                text: Text = self._style.format_entry(self._year_labels[key], entry).text
            else:
                text = self._style.format_source(entry)
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
        return full_date(self._entries[key]) or self._years[key]


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


def load_bibliography(path: Path, report: Report) -> Bibliography:
    """Read ``path``; problems go to ``report`` and whatever parses is still used.

    A missing file gives an empty bibliography: whether that matters depends
    on whether anything is cited, which only the caller knows.
    """
    if not path.is_file():
        return Bibliography(path=path)
    size = path.stat().st_size
    if size > MAX_BIB_BYTES:
        report.error(Location(path), f"the bibliography is {size / 1e6:.1f} MB, more than the limit of "
                     f"{MAX_BIB_BYTES / 1e6:.0f} MB: keep only the entries this reader cites "
                     "(e.g. export them from your reference manager)", "bibliography-too-large")
        return Bibliography(path=path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        report.error(Location(path), f"cannot read bibliography: {exc}")
        return Bibliography(path=path)
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
    return Bibliography(data, path, keyed)
