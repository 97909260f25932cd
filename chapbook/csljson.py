"""BibTeX and biblatex entries, as pybtex reads them, → CSL-JSON items for a CSL processor.

A CSL style (``citation_style`` in publication.yml) formats CSL-JSON, the data model of the
Citation Style Language, not BibTeX. This module maps the entries the bibliography has
resolved (``crossref`` and ``xdata`` already inherited) onto it, field by field, the way
biblatex's own CSL mappings and Pandoc do: entry types (``@incollection`` → ``chapter``),
names with their particles and corporate names (``{{Institute of Race Relations}}`` stays one
literal name), dates with ranges, open ends, seasons and ``circa``, container titles, series,
volumes, issues, pages, editions, publishers and places, DOIs, URLs, eprints and access dates.
Values are decoded with :func:`chapbook.latex.rich_latex`, so a LaTeX macro unknown here is
reported exactly as for the house style; words in braces (``{DNA}``) keep their case, as in
BibTeX, by becoming CSL's ``nocase`` spans.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from pybtex.database import Entry, Person

from .bibdates import Day, parse_date
from .bibnodes import and_others, people
from .bibstyle import EPRINTS, TYPE_STRINGS
from .cslproc import OTHERS
from .cslproc import stand_ins as _stand_ins
from .latex import fold, rich_latex
from .richtext import TEXT, url_of

__all__ = ["NOCASE", "csl_item", "with_names_replaced"]

NOCASE = ('<span class="nocase">', "</span>")  # what citeproc-py's CiteProcJSON reads as case-protected

# biblatex entry type → CSL item type (biblatex-csl and Pandoc map them alike)
_TYPES = {
    "article": "article-journal", "suppperiodical": "article-journal", "periodical": "periodical",
    "book": "book", "mvbook": "book", "booklet": "pamphlet", "manual": "book", "collection": "book",
    "mvcollection": "book", "proceedings": "book", "mvproceedings": "book", "reference": "book",
    "mvreference": "book", "inbook": "chapter", "bookinbook": "chapter", "suppbook": "chapter",
    "incollection": "chapter", "suppcollection": "chapter", "inreference": "entry-encyclopedia",
    "inproceedings": "paper-conference", "conference": "paper-conference", "thesis": "thesis",
    "phdthesis": "thesis", "mastersthesis": "thesis", "report": "report", "techreport": "report",
    "online": "webpage", "electronic": "webpage", "www": "webpage", "webpage": "webpage",
    "patent": "patent", "unpublished": "manuscript", "software": "software", "dataset": "dataset",
    "misc": "document", "set": "document",
}
_ARTICLE_SUBTYPES = {"magazine": "article-magazine", "newspaper": "article-newspaper"}
_THESIS_GENRES = {"phdthesis": "PhD thesis", "mastersthesis": "Master’s thesis"}
_REPORT_GENRES = {"techreport": "Technical report"}
# biblatex's langid / language names → the language codes CSL uses (only 'en' is title-cased)
_LANGUAGES = {
    "english": "en", "american": "en-US", "british": "en-GB", "usenglish": "en-US", "ukenglish": "en-GB",
    "german": "de", "ngerman": "de", "austrian": "de-AT", "naustrian": "de-AT", "swissgerman": "de-CH",
    "french": "fr", "spanish": "es", "italian": "it", "portuguese": "pt", "brazilian": "pt-BR",
    "dutch": "nl", "danish": "da", "swedish": "sv", "norwegian": "nb", "finnish": "fi", "polish": "pl",
    "czech": "cs", "russian": "ru", "greek": "el", "turkish": "tr", "latin": "la", "catalan": "ca",
}
_STATUS = {"inpress": "in press", "forthcoming": "forthcoming", "submitted": "submitted",
           "inpreparation": "in preparation", "prepublished": "prepublished"}
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december"]
# (CSL variable, biblatex fields, first found) — plain text values
_TEXT_FIELDS = [
    ("edition", ("edition",)), ("volume", ("volume",)), ("number-of-volumes", ("volumes",)),
    ("number-of-pages", ("pagetotal",)), ("chapter-number", ("chapter",)), ("version", ("version",)),
    ("publisher-place", ("location", "address")), ("original-publisher", ("origpublisher",)),
    ("original-publisher-place", ("origlocation",)), ("event-place", ("venue",)),
    ("ISBN", ("isbn",)), ("ISSN", ("issn",)), ("note", ("note",)),
]
_TITLE_FIELDS = [
    ("title", "title", "subtitle"), ("original-title", "origtitle", ""), ("event", "eventtitle", ""),
    ("title-short", "shorttitle", ""), ("container-title-short", "shortjournal", ""),
]


def csl_item(key: str, entry: Entry, unknown: dict[str, set[str]] | None = None) -> dict[str, Any]:
    """The CSL-JSON item of ``entry``, with ``id`` ``key``.

    ``unknown`` collects, per field, the LaTeX macros its value held that are not known.
    """
    fields = entry.fields
    found: dict[str, set[str]] = unknown if unknown is not None else {}

    def text(name: str) -> str:
        value = fields.get(name, "")
        return _plain(value, found.setdefault(name.lower(), set())).strip() if value else ""

    def title(name: str, sub: str = "") -> str:
        main = _cased(fields.get(name, ""), found.setdefault(name.lower(), set()))
        more = _cased(fields.get(sub, ""), found.setdefault(sub.lower(), set())) if sub else ""
        if main and more:
            return f"{main}{' ' if main.endswith(('?', '!', ':')) else ': '}{more}"
        return main or more

    kind = entry.type.lower()
    item: dict[str, Any] = {"id": key, "type": _csl_type(entry)}
    for role, variable in (("author", "author"), ("editor", "editor"), ("translator", "translator"),
                           ("bookauthor", "container-author")):
        listed = people(entry, role)
        names = [n for n in (_name(p, found.setdefault(role, set())) for p in listed) if n]
        if names and and_others(listed):
            names.append({"literal": OTHERS})
        if names:
            item[variable] = names
    for variable, name, sub in _TITLE_FIELDS:
        if fields.get(name):
            item[variable] = title(name, sub)
    container = next(((n, s) for n, s in (("journaltitle", "journalsubtitle"), ("journal", ""),
                                           ("booktitle", "booksubtitle"), ("maintitle", "mainsubtitle"))
                      if fields.get(n)), None)
    if container is not None:
        item["container-title"] = title(*container)
    for variable, names in _TEXT_FIELDS:
        name = next((n for n in names if fields.get(n)), None)
        if name is not None:
            item[variable] = text(name)
    if fields.get("pages"):
        item["page"] = re.sub(r"\s*[-–—]+\s*", "-", text("pages"))
    elif fields.get("eid"):
        item["page"] = text("eid")
    _numbers(item, text, fields)
    publisher = next((n for n in ("publisher", "organization", "institution", "school") if fields.get(n)), None)
    if publisher is None and fields.get("howpublished") and not re.match(r"\s*\\?url|https?:", fields["howpublished"]):
        publisher = "howpublished"  # a publication notice ("Pamphlet", "noborder.org"): who made it public
    if publisher is not None:
        item["publisher"] = text(publisher)
    genre = text("type") if fields.get("type") else _THESIS_GENRES.get(kind) or _REPORT_GENRES.get(kind, "")
    if genre:
        item["genre"] = TYPE_STRINGS.get(genre.lower(), genre)
    if fields.get("pubstate"):
        item["status"] = _STATUS.get(text("pubstate").lower(), text("pubstate"))
    language = text("langid") or text("language")
    if language:
        item["language"] = _LANGUAGES.get(language.lower(), language if len(language) <= 5 else "")
        if not item["language"]:
            del item["language"]
    for variable, names in (("issued", ("date", "year")), ("original-date", ("origdate", "origyear")),
                            ("event-date", ("eventdate",)), ("accessed", ("urldate",))):
        value = _date(fields, names)
        if value is not None:
            item[variable] = value
    _links(item, fields)
    return item


def _csl_type(entry: Entry) -> str:
    kind = entry.type.lower()
    if kind == "article":
        return _ARTICLE_SUBTYPES.get(entry.fields.get("entrysubtype", "").strip().lower(), "article-journal")
    if kind == "inbook" and not any(entry.fields.get(n) for n in ("booktitle", "maintitle")):
        return "book"  # biblatex: a part of a book that has no title of its own to be part of
    if kind == "misc" and entry.fields.get("url") and not any(entry.fields.get(n) for n in ("journal", "booktitle")):
        return "webpage"  # BibTeX has no @online: a @misc with an address is how a web page is written
    return _TYPES.get(kind, "document")


def _numbers(item: dict[str, Any], text: Callable[[str], str], fields: Mapping[str, str]) -> None:
    """Issue, number, series and its number: their meaning depends on the entry type."""
    if item["type"].startswith("article"):
        issue = ", ".join(filter(None, [text("number"), text("issue")]))
        if issue:
            item["issue"] = issue
        return
    if fields.get("series"):
        item["collection-title"] = text("series")
        if fields.get("number"):
            item["collection-number"] = text("number")
    elif fields.get("number"):
        item["number"] = text("number")
    if fields.get("issue"):
        item["issue"] = text("issue")


def _links(item: dict[str, Any], fields: Mapping[str, str]) -> None:
    """DOI (without its resolver), URL; an eprint of a known archive links when nothing else does."""
    if fields.get("doi"):
        doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", url_of(fields["doi"]), flags=re.IGNORECASE)
        item["DOI"] = _stand_ins(doi)  # old DOIs hold "<" and ">": 10.1002/(SICI)…49:8<693::AID-ASI4>3.0.CO;2-O
    if fields.get("url"):
        item["URL"] = _stand_ins(url_of(fields["url"]))
    elif fields.get("eprint") and "DOI" not in item:
        kind = next((fields[n] for n in ("eprinttype", "archiveprefix") if fields.get(n)), "")
        link = EPRINTS.get(_plain(kind, None).strip().lower(), ("", ""))[1]
        if link:
            item["URL"] = _stand_ins(link.format(id=url_of(fields["eprint"])))


def _plain(value: str, unknown: set[str] | None) -> str:
    """A field value as text for citeproc-py: LaTeX decoded, ``&<>`` as their stand-ins
    (:func:`chapbook.cslproc.stand_ins`: citeproc-py writes values out unescaped)."""
    return _stand_ins(rich_latex(value, unknown).render(TEXT))


def _cased(value: str, unknown: set[str] | None) -> str:
    """A title as CSL-JSON text: words the ``.bib`` file protects with braces (``{DNA}``) in CSL's
    ``nocase`` spans, so that a style that changes case leaves them as written."""
    if not value:
        return ""
    parts, depth, start = [], 0, 0
    for i, c in enumerate(value):
        if c == "{" and (i == 0 or value[i - 1] != "\\"):
            if depth == 0:
                parts.append((False, value[start:i]))
                start = i
            depth += 1
        elif c == "}" and (i == 0 or value[i - 1] != "\\") and depth:
            depth -= 1
            if depth == 0:
                parts.append((True, value[start:i + 1]))
                start = i + 1
    parts.append((False, value[start:]))
    out = []
    for protected, raw in parts:
        # a group right after a macro is its argument (\emph{…}); one starting with a macro a special character
        argument = raw.startswith("{\\") or bool(out and re.search(r"\\[A-Za-z]+\*?\s*$|\\.$", out[-1][1]))
        if out and (not protected or argument) and not out[-1][0]:
            out[-1] = (False, out[-1][1] + raw)
        else:
            out.append((protected and not argument, raw))
    shown = []
    for protected, raw in out:  # the spaces around a piece kept: latexcodec drops them
        core = raw.strip()
        plain = raw[:len(raw) - len(raw.lstrip())] + _plain(core, unknown) + raw[len(raw.rstrip()):] if core else raw
        shown.append(f"{NOCASE[0]}{plain}{NOCASE[1]}" if protected and plain.strip() else plain)
    return re.sub(r"\s+", " ", "".join(shown)).strip()


def _name(person: Person, unknown: set[str] | None) -> dict[str, str]:
    """A pybtex name as a CSL name; one braced last name without first names is a literal one
    (``{{Institute of Race Relations}}``); "others" (``A and others``) is the processor's mark for an
    et al. (:data:`chapbook.cslproc.OTHERS`) where it ends a list of names, and nothing elsewhere."""
    if str(person) == "others":
        return {}
    first = _plain(" ".join(person.first_names + person.middle_names), unknown).strip()
    particle = _plain(" ".join(person.prelast_names), unknown).strip()
    last = _plain(" ".join(person.last_names), unknown).strip()
    suffix = _plain(" ".join(person.lineage_names), unknown).strip()
    raw_last = " ".join(person.last_names).strip()
    if not (first or particle or suffix) and (_one_group(raw_last) or " " in last):
        return {"literal": last}
    name = {"family": last, "given": first, "non-dropping-particle": particle, "suffix": suffix}
    return {k: v for k, v in name.items() if v}


def _one_group(value: str) -> bool:
    """Whether ``value`` is a single brace group: ``{Institute of Race Relations}``."""
    if not (value.startswith("{") and value.endswith("}")):
        return False
    depth = 0
    for i, c in enumerate(value):
        depth += {"{": 1, "}": -1}.get(c, 0)
        if depth == 0 and i < len(value) - 1:
            return False
    return True


def _date(fields: Mapping[str, str], names: tuple[str, ...]) -> dict[str, Any] | None:
    """The first of ``names`` as a CSL date: ``date-parts`` (a range has two), ``season``,
    ``circa``, else the value as a ``literal``; a ``year`` field takes ``month`` and ``day``."""
    name = next((n for n in names if fields.get(n, "").strip()), None)
    if name is None:
        return None
    value = fields[name].strip()  # as the house style reads dates: "~" is biblatex's "circa" here, no tie
    if name in ("year", "origyear"):
        value = _plain(value, None).strip()
        if not re.fullmatch(r"\d{1,4}", value):
            return {"literal": value}
        parts = [int(value)]
        month = _month(_plain(fields.get("month", ""), None)) if name == "year" else 0
        if month:
            parts.append(month)
            day = fields.get("day", "").strip()
            if day.isdigit() and 1 <= int(day) <= 31:
                parts.append(int(day))
        return {"date-parts": [parts]}
    parsed = parse_date(value)
    if parsed is None:
        return {"literal": _plain(value, None).strip()}
    start, end, ranged = parsed
    if start is None:  # "/1988": an open start CSL-JSON cannot hold as date parts
        return {"literal": _stand_ins(value.replace("/", "–"))}
    date: dict[str, Any] = {"date-parts": [_parts(start)]}
    if ranged and end != start:
        date["date-parts"].append(_parts(end) if end is not None else [0])
    if 21 <= start.month <= 24:
        date["season"] = start.month - 20
    if start.approximate:
        date["circa"] = 1
    return date


def _parts(day: Day) -> list[int]:
    if not 1 <= day.month <= 12:
        return [day.year]
    return [day.year, day.month, day.day] if day.day else [day.year, day.month]


def _month(value: str) -> int:
    value = value.strip()
    if value.isdigit():
        return int(value) if 1 <= int(value) <= 12 else 0
    folded = fold(value)[:3]
    return next((i for i, m in enumerate(_MONTHS, start=1) if folded and m.startswith(folded)), 0)


def with_names_replaced(item: dict[str, Any], literal: str) -> dict[str, Any]:
    """``item`` with ``literal`` as its only author: what a style prints in the author's place
    can then be found in its output, and cut (a citation that suppresses the author)."""
    return {**item, "author": [{"literal": literal}]}
