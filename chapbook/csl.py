"""Citation Style Language styles: ``citation_style`` in publication.yml, found, read safely, applied.

Teachers and researchers are told "use APA" or "use Chicago notes"; the CSL is how such styles
are written down, and citeproc-py (BSD, maintained) formats with them. A name without a path
is one of the styles shipped in ``chapbook/csl/`` (``apa``, ``chicago-author-date``,
``harvard-cite-them-right``, ``chicago-notes-bibliography``); a path is a ``.csl`` file inside the
project. A style file is untrusted XML: it is read with entities, DTDs and network access off,
must be a CSL ``<style>`` with a citation and a bibliography layout, and every problem is an
error located in publication.yml or in the style file. Without ``citation_style`` none of this
runs: the house style (:mod:`chapbook.bibstyle`) formats the book, unchanged.

:class:`CslFormatter` formats one bibliography's entries, converted to CSL-JSON by
:mod:`chapbook.csljson`: references, citations (with prefixes, locators, suppressed authors,
narrative ``@key`` citations) and the order of the reference lists, with the processor of
:mod:`chapbook.cslproc`. What citeproc-py 0.11 does not do outside its elements is done here:
punctuation inside quotation marks (en-US), year letters (assigned among the listed entries of
one author and year, in the style's order), the author alone for a narrative citation and a
suppressed author (both found by rendering a stand-in name), links. For a note style
(``class="note"``) the citations become footnotes: :mod:`chapbook.citenotes`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from dataclasses import replace as dc_replace
from pathlib import Path
from typing import Any

from citeproc import Citation as CslCitation
from citeproc import CitationItem, CitationStylesBibliography
from citeproc.source import Locator
from citeproc.source.json import CiteProcJSON
from lxml import etree
from pybtex.database import Entry

from .csljson import csl_item, with_names_replaced
from .cslproc import CSL_NS, PLAIN, XHTML, Processor, restored
from .diagnostics import Location, Report, did_you_mean
from .model import Citation, CiteItem
from .projectfiles import check_inside
from .richtext import SAFE_URL, anchor, safe_href

__all__ = ["STYLES", "CslError", "CslFormatter", "CslStyle", "load_style", "shipped_styles"]

_CS = f"{{{CSL_NS}}}"
STYLES = Path(__file__).resolve().parent / "csl"
ALIASES = {"chicago-note-bibliography": "chicago-notes-bibliography"}  # the style's name before CMOS 18
MAX_STYLE_BYTES = 2_000_000  # the largest official styles are about 250 kB
_STANDIN = "Qqchapbookauthorqq"  # a name no style changes: where it shows, the author would be
_STANDIN_CUT = re.compile(r"(?:<[a-z][^<>]*>)*" + _STANDIN + r"(?:</[a-z]+>)*[.,:;]?\s*")
_ITEM = re.compile("\ue020(\\d+)\ue021(.*?)\ue022", re.DOTALL)  # one cited item, marked in its prefix/suffix
_URL_INPLAIN = re.compile(r"https?://[^\s<>\"]+")
_LOCALE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*\Z")
# A locator's label as written ("p. 12", "chap. 3", "§ 4") → CSL's locator term
_LABELS = {
    "p": "page", "pp": "page", "page": "page", "pages": "page", "chap": "chapter", "ch": "chapter",
    "chapter": "chapter", "chapters": "chapter", "sec": "section", "section": "section", "§": "section",
    "§§": "section", "vol": "volume", "vols": "volume", "volume": "volume", "n": "note", "nn": "note",
    "note": "note", "notes": "note", "para": "paragraph", "paragraph": "paragraph", "¶": "paragraph",
    "fig": "figure", "figure": "figure", "l": "line", "ll": "line", "line": "line", "lines": "line",
    "col": "column", "column": "column", "bk": "book", "book": "book", "pt": "part", "part": "part",
    "no": "issue", "v": "verse", "vv": "verse", "verse": "verse",
}
_LOCATOR = re.compile(r"^(?:(?P<label>[^\W\d_]+)(?:\.\s*|\s+)|(?P<symbol>§§?|¶)\s*)?"
                      r"(?P<value>(?:\d[\w.:–—-]*|[ivxlcdmIVXLCDM]+\b)(?:\s*(?:[-–—,&]|and)\s*\d[\w.:–—-]*)*)"
                      r"(?P<rest>.*)$", re.DOTALL)


class CslError(Exception):
    """citeproc-py could not format an entry or a citation (the caller falls back to the house style)."""


@dataclass(frozen=True)
class CslStyle:
    """A style read and checked, ready for :class:`CslFormatter`."""

    name: str  # as publication.yml gives it
    path: Path = field(repr=False)
    data: bytes = field(repr=False)
    title: str = ""
    notes: bool = False  # class="note": citations are footnotes
    locale: str = ""  # the style's default-locale, '' if it has none


def shipped_styles() -> list[str]:
    """The names of the styles in chapbook/csl/."""
    return sorted(p.stem for p in STYLES.glob("*.csl"))


def load_style(value: str, root: Path, where: Location, report: Report) -> CslStyle | None:
    """The style ``citation_style: value`` names, or None: '' (the house style), or an error
    reported at ``where`` (publication.yml's line) or in the style file."""
    value = value.strip()
    if not value:
        return None
    if not re.search(r"[/\\]|\.csl$", value, re.IGNORECASE):
        name = ALIASES.get(value.lower(), value.lower())
        if name not in shipped_styles():
            names = shipped_styles()
            report.error(where, f"unknown citation style '{value}'{did_you_mean(value, names)}: use one of "
                         f"{', '.join(names)}, or the path of a .csl file in the project (such as "
                         "styles/my-style.csl)", "citation-style")
            return None
        return _read(STYLES / f"{name}.csl", value, where, report)
    if not value.lower().endswith(".csl"):
        report.error(where, f"citation style '{value}' must be a CSL style file ending in .csl, or the "
                     f"name of a shipped style ({', '.join(shipped_styles())})", "citation-style")
        return None
    path = root / value
    resolved = check_inside(path, root, report, where, "citation style")
    if resolved is None:
        return None
    if not resolved.is_file():
        report.error(where, f"citation style '{value}' does not exist (the path is relative to the project "
                     "folder, such as styles/my-style.csl)", "citation-style")
        return None
    return _read(resolved, value, where, report)


def _read(path: Path, value: str, where: Location, report: Report) -> CslStyle | None:
    """Read and check the style file: well-formed XML without a DTD, a CSL style with both layouts."""
    size = path.stat().st_size
    if size > MAX_STYLE_BYTES:
        report.error(where, f"citation style '{value}' is {size / 1e6:.1f} MB, more than the limit of "
                     f"{MAX_STYLE_BYTES / 1e6:.0f} MB for a CSL style", "citation-style")
        return None
    data = path.read_bytes()
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                             huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        report.error(Location(path, exc.lineno or 1, exc.offset or 0), f"citation style '{value}' "
                     f"({_chosen(where)}) is not well-formed XML: {exc.msg}", "citation-style")
        return None

    def bad(element: Any, message: str) -> None:
        report.error(Location(path, getattr(element, "sourceline", None) or 1), f"citation style '{value}' "
                     f"({_chosen(where)}) {message}", "citation-style")

    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        bad(root, "has a DOCTYPE: a CSL style has none, and entities are not read")
        return None
    if root.tag != f"{_CS}style":
        bad(root, f"is not a CSL style: its root element is <{etree.QName(root).localname}>, not <style> in "
            f"the CSL namespace ({CSL_NS})")
        return None
    parent = root.find(f"{_CS}info/{_CS}link[@rel='independent-parent']")
    if root.find(f"{_CS}citation") is None and parent is not None:
        bad(root, f"is a dependent style: it only names its parent ({parent.get('href', '')}); use the "
            "parent style's file")
        return None
    for part in ("citation", "bibliography"):
        element = root.find(f"{_CS}{part}")
        if element is None or element.find(f"{_CS}layout") is None:
            bad(element if element is not None else root, f"has no <{part}> with a <layout>: chapbook needs "
                f"both, {'the citations in the text' if part == 'citation' else 'the reference lists'}")
            return None
    kind = root.get("class", "")
    if kind not in ("in-text", "note"):
        bad(root, f"has class '{kind}': a CSL style is class=\"in-text\" or class=\"note\"")
        return None
    macros = {m.get("name") for m in root.iter(f"{_CS}macro")}
    for element in root.iter():
        name = element.get("macro") if isinstance(element.tag, str) else None
        if name is not None and name not in macros:  # the processor fails on each entry (IndexError)
            bad(element, f"calls macro '{name}', which it does not define{did_you_mean(name, sorted(macros))}")
            return None
    locale = root.get("default-locale", "")
    try:
        Processor(data, _locale(locale, "en"))
    except Exception as exc:  # whatever citeproc-py refuses is reported, not raised
        bad(root, f"cannot be used by the CSL processor (citeproc-py): {type(exc).__name__}: {exc}")
        return None
    title = root.findtext(f"{_CS}info/{_CS}title", "").strip()
    return CslStyle(value, path, data, title, kind == "note", locale)


def _chosen(where: Location) -> str:
    """Where the style was chosen: "citation_style, publication.yml line 10"."""
    return f"citation_style, {where.path.name}" + (f" line {where.line}" if where.line else "")


def _locale(style_locale: str, language: str) -> str:
    """The locale for the words of the references: the style's default, else the book's language.

    citeproc-py falls back to the language's main dialect (de → de-DE), then to en-US.
    """
    return next((w for w in (style_locale, language) if _LOCALE_TAG.match(w)), "en-US")


# -- formatting -------------------------------------------------------------------------------


class CslFormatter:
    """The entries of one bibliography in one CSL style: references, citations, order.

    ``entries`` are the bibliography's resolved entries (crossref and xdata inherited),
    ``members`` the members of each ``@set``. Errors of the processor are raised as
    :class:`CslError`, for the caller to fall back on the house style.
    """

    def __init__(self, style: CslStyle, entries: Mapping[str, Entry], members: Mapping[str, list[str]],
                 language: str = "en") -> None:
        self.style = style
        self.notes = style.notes
        self._entries, self._members = entries, members
        self._keys = {key.lower(): key for key in entries}
        self._processor = Processor(style.data, _locale(style.locale, language))
        root = self._processor.root
        self._quote_punctuation = str(root.get_locale_option("punctuation-in-quote")).lower() == "true"
        citation = root.find(f"{_CS}citation")
        self._year_letters = citation is not None and citation.get("disambiguate-add-year-suffix") == "true"
        self._source = CiteProcJSON([])
        self._bibliography = CitationStylesBibliography(self._processor, self._source, XHTML)
        self._positions: list = []  # the items cited so far in this text: "first" or "subsequent" citation
        self._suffixes: dict[str, str] = {}
        self._converted: set[str] = set()
        self.unknown: dict[str, dict[str, set[str]]] = {}  # key → field → LaTeX macros not known
        self._cache: dict[tuple[str, bool], str] = {}

    # -- the entries, as CSL-JSON

    def prepare(self, keys: Iterable[str], same: Iterable[list[str]] = ()) -> list[tuple[str, str]]:
        """The reference list holds ``keys``; each list in ``same`` holds entries of one author and
        year, which get year letters ("2004a", "2004b") in the order the style lists them (a set
        takes its first member's).

        Every entry is formatted now: (key, message) for each the processor could not format.
        """
        keys = list(keys)
        self._suffixes = {}
        self._reset()
        if self._year_letters:
            suffixes = {}
            for group in same:
                try:
                    ordered = self.sort_keys(group)
                except CslError:
                    ordered = group
                suffixes |= {key: chr(ord("a") + i) for i, key in enumerate(ordered) if i < 26}
            self._suffixes = suffixes
            self._reset()
        problems = []
        for key in keys:
            try:
                self.entry(key, True)
            except CslError as exc:
                problems.append((key, str(exc)))
        return problems

    def _reset(self) -> None:
        self._converted.clear()
        self._cache.clear()
        self._source.clear()

    def _reference(self, key: str) -> str:
        """The processor's id of ``key``, its CSL-JSON added to the source on first use."""
        members = self._members.get(key)
        lead = members[0] if members else key
        csl_id = key.lower()
        if csl_id not in self._converted:
            self._converted.add(csl_id)
            unknown: dict[str, set[str]] = {}
            item = csl_item(csl_id, self._entries[lead], unknown)
            suffix = self._suffixes.get(key) or self._suffixes.get(lead)  # a set is its first member's work
            if suffix:
                item["year-suffix"] = suffix
            self.unknown[key] = {name: found for name, found in unknown.items() if found}
            self._add(item)
            self._add(with_names_replaced({**item, "id": csl_id + "\x00standin"}, _STANDIN))
        return csl_id

    def _add(self, item: dict[str, Any]) -> None:
        try:
            self._source.update(CiteProcJSON([item]))
        except Exception as exc:  # citeproc-py refuses data it cannot hold
            raise CslError(f"{type(exc).__name__}: {exc}") from exc

    # -- references

    def entry(self, key: str, as_html: bool) -> str:
        """The reference of ``key`` (a set: its members', joined by semicolons).

        '' when the style leaves the entry out of a bibliography (Chicago's notes and bibliography
        lists no unpublished document: CMOS 18, 14.114–118); :meth:`note` then gives its full note.
        """
        cache_key = (key, as_html)
        if cache_key not in self._cache:
            members = self._members.get(key)
            if members:
                texts = [self._one_entry(m, as_html) for m in members]
                trimmed = [t[:-1] if t.endswith(".") else t for t in texts[:-1]]
                self._cache[cache_key] = "; ".join([*trimmed, texts[-1]])
            else:
                self._cache[cache_key] = self._one_entry(key, as_html)
        return self._cache[cache_key]

    def _one_entry(self, key: str, as_html: bool) -> str:
        item = CitationItem(self._reference(key))
        self._bibliography.register(CslCitation([item]))
        try:
            self._processor.root.formatter = XHTML if as_html else PLAIN
            rendered = self._processor.render_bibliography([item])
        except Exception as exc:  # a processor error is the caller's to report
            raise CslError(f"{type(exc).__name__}: {exc}") from exc
        text = " ".join(str(rendered[0]).split()) if rendered else ""
        return self._finish(restored(text, as_html), as_html, links=True)

    def note(self, key: str, as_html: bool) -> str:
        """The citation of ``key`` as a first note (a note style's full reference), its addresses linked."""
        return self._cite([CiteItem(key)], as_html, [], url_links=True)

    def sort_keys(self, keys: Iterable[str], listed_only: bool = False) -> list[str]:
        """``keys`` in the style's bibliography order (``keys``' own order where it has none);
        ``listed_only``: without the entries the style leaves out of a bibliography."""
        keys = [k for k in dict.fromkeys(keys) if k in self._entries]
        if listed_only:
            keys = [k for k in keys if self.entry(k, True)]
        items = {}
        for key in keys:
            lead = self._members[key][0] if self._members.get(key) else key
            item = CitationItem(self._reference(lead))
            self._bibliography.register(CslCitation([item]))
            items[id(item)] = (key, item)
        try:
            ordered = self._processor.sort_bibliography([item for _, item in items.values()])
        except Exception as exc:
            raise CslError(f"{type(exc).__name__}: {exc}") from exc
        return [items[id(item)][0] for item in ordered]

    # -- citations

    def start_text(self) -> None:
        """A new text: its first citation of a work is a first citation again (a full note)."""
        self._positions = []

    def cite(self, citation: Citation, as_html: bool) -> str:
        """A citation as the style writes it in the text (a note style: the note's text, its
        addresses linked; an author–date style: each item linked to its reference)."""
        if citation.narrative and not self.notes:
            return self._narrative(citation.items[0], as_html)
        return self._cite(citation.items, as_html, self._positions, item_links=not self.notes,
                          url_links=self.notes)

    def author(self, item: CiteItem, as_html: bool) -> str:
        """The author part of a narrative citation ("Smith and Roe"), as the style names the author."""
        scratch = list(self._positions)
        plain = dc_replace(item, prefix="", locator="", suppress_author=False)
        # the .bib's own "&" still a stand-in: only the style's "&" between names becomes "and"
        full = self._cite([plain], as_html, list(scratch), standin=False, restore=False)
        marked = self._cite([plain], as_html, list(scratch), standin=True, cut=False, restore=False)
        at = marked.find(_STANDIN)
        before, after = marked[:at], marked[at + len(_STANDIN):]
        if at < 0 or not (full.startswith(before) and full.endswith(after)) or len(full) <= len(before) + len(after):
            raise CslError("the author part of the citation could not be found")
        author = full[len(before):len(full) - len(after)]
        for symbol in (" &amp; ", " & "):  # APA: "Smith & Roe (2019)" in parentheses, "Smith and Roe" in the text
            author = author.replace(symbol, f" {self._processor.root.get_single_term(name='and')} ")
        return restored(author, as_html)

    def _narrative(self, item: CiteItem, as_html: bool) -> str:
        """``@key [p. 4]``: "Author (Year, 4)", linked to the reference as one."""
        if item.key.lower() not in self._keys:
            return _missing(item.key, as_html)
        rest = self._cite([dc_replace(item, suppress_author=True)], as_html, self._positions)
        if not rest.startswith("("):
            rest = f"({rest})"
        text = f"{self.author(item, as_html)} {rest}"
        return f'<a class="cite" href="#{html.escape(anchor(item.key))}">{text}</a>' if as_html else text

    def _cite(self, items: Iterable[CiteItem], as_html: bool, positions: list, item_links: bool = False,
              url_links: bool = False, standin: bool | None = None, cut: bool = True, restore: bool = True) -> str:
        """Render ``items`` as one citation, each item linked to its reference (``item_links``) or
        the addresses in it linked (``url_links``); ``standin``: every author replaced by the
        stand-in name (None: only those the citation suppresses), which is ``cut`` out afterwards;
        ``restore``: the .bib's ``&<>`` written out (else left as csljson's stand-ins)."""
        items = list(items)
        esc = html.escape if as_html else str
        cites = []
        for i, item in enumerate(items):
            known = item.key.lower() in self._keys
            csl_id = self._reference(self._keys[item.key.lower()]) if known else item.key.lower()
            if known and (standin if standin is not None else item.suppress_author):
                csl_id += "\x00standin"
            locator, suffix = _locator(item.locator)
            options: dict[str, Any] = {"prefix": (esc(item.prefix) + " " if item.prefix else "") + f"\ue020{i}\ue021",
                                       "suffix": "\ue022" + esc(suffix)}
            if locator is not None:
                options["locator"] = locator
            cites.append(CitationItem(csl_id, **options))
        citation = CslCitation(cites)
        self._bibliography.register(citation)

        def missing(cite: CitationItem) -> str:
            index = int(re.search("\ue020(\\d+)\ue021", cite.get("prefix", "\ue0200\ue021")).group(1))
            return _missing(items[index].key, as_html)

        try:
            self._processor.root.formatter = XHTML if as_html else PLAIN
            text = str(self._processor.render_citation(citation, positions, missing))
        except Exception as exc:
            raise CslError(f"{type(exc).__name__}: {exc}") from exc
        if restore:
            text = restored(text, as_html)
        if cut:
            text = _STANDIN_CUT.sub("", text)

        def item_text(m: re.Match[str]) -> str:
            key = items[int(m.group(1))].key
            if item_links and as_html:
                return f'<a class="cite" href="#{html.escape(anchor(key))}">{m.group(2)}</a>'
            return m.group(2)

        return self._finish(_ITEM.sub(item_text, text), as_html, url_links)

    def _finish(self, text: str, as_html: bool, links: bool) -> str:
        """Punctuation moved inside quotation marks where the locale wants it, no period after a
        title's question or exclamation mark ("Migration?."), addresses linked."""
        if self._quote_punctuation:
            text = re.sub(r"”([.,])", r"\1”", text)
        text = re.sub(r"([?!](?:</[a-z]+>|[”’])*)\.", r"\1", text)
        if as_html and links:
            text = _URL_INPLAIN.sub(_link, text)
        return text


def _link(m: re.Match[str]) -> str:
    """An address in a formatted reference as a link, without the punctuation that ends the sentence."""
    url = m.group(0)
    trail = ""
    while url and (url[-1] in ".,;:" or (url[-1] == ")" and url.count("(") < url.count(")"))):
        url, trail = url[:-1], url[-1] + trail
    address = html.unescape(url)
    if not SAFE_URL.match(address):
        return m.group(0)
    return f'<a href="{html.escape(safe_href(address))}">{url}</a>{trail}'


def _missing(key: str, as_html: bool) -> str:
    return f'<span class="cite-missing">?{html.escape(key)}</span>' if as_html else f"?{key}"


def _locator(value: str) -> tuple[Locator | None, str]:
    """"p. 12" → (page 12, ''); "45, note 3" → (page 45, ', note 3'); "emphasis added" → (None, ', emphasis added')."""
    value = value.strip()
    if not value:
        return None, ""
    m = _LOCATOR.match(value)
    label = (m.group("label") or m.group("symbol") or "").lower() if m else ""
    if m is None or (label and label not in _LABELS):
        return None, f", {value}"
    rest = m.group("rest").strip()
    suffix = rest if rest.startswith(",") or not rest else f" {rest}"
    return Locator(_LABELS.get(label, "page"), re.sub("-+", "-", m.group("value"))), suffix

