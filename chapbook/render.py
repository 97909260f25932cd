"""Render: the converted parts and the generated sections → one HTML document per output.

The book's generated sections (contents, glossary, bibliography, sources,
list of corrections) are computed here once, as plain data, and handed to
Jinja templates; the templates decide layout, never content.
"""

from __future__ import annotations

import datetime
import os
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from . import PACKAGE_ROOT, __version__, htmltree  # noqa: F401 (PACKAGE_ROOT: the writers import it from here)
from .bibliography import anchor
from .citations import find_citations
from .markup import new_markdown
from .model import Converted, GlossaryEntry, Part, Publication
from .templating import ConfinedLoader, ProjectSandbox

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]


@dataclass(frozen=True)
class GlossaryItem:
    entry: GlossaryEntry
    definition_html: str
    marks: tuple[tuple[str, str], ...]  # (mark id, title of the text it is in)
    see_also: tuple[GlossaryEntry, ...]

    @property
    def acronyms(self) -> tuple[str, ...]:
        """The aliases shown after the term: abbreviations only; other aliases just help matching."""
        return tuple(a for a in self.entry.aliases if a.replace(" ", "").isupper() and len(a) <= 8)


@dataclass(frozen=True)
class CorrectionRow:
    text_title: str
    place: str  # "¶ 4" or "note 2"
    anchor: str
    original: str
    corrected: str


def human_date(value: str) -> str:
    """'2008-12-11' → '11 December 2008'; '2002-07' → 'July 2002'; anything else unchanged."""
    m = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", value.strip())
    if not m:
        return value
    month = MONTHS[int(m.group(2)) - 1]
    return f"{int(m.group(3))} {month} {m.group(1)}" if m.group(3) else f"{month} {m.group(1)}"


def build_date() -> datetime.datetime:
    """The build's timestamp: SOURCE_DATE_EPOCH when set, so builds are reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC)
    return datetime.datetime.now(tz=datetime.UTC).replace(microsecond=0)


def inline_markdown(text: str) -> str:
    """Short editor-written Markdown (glossary definitions, notes) → HTML, without the outer <p>."""
    md = new_markdown()
    root = htmltree.parse_fragment(md.convert(text))
    htmltree.sanitize(root)
    out = htmltree.serialize(root)
    return out[3:-4] if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1 else out


def print_footnotes(html: str) -> str:
    """Move each Markdown footnote to its call site as a ``float: footnote`` element.

    WeasyPrint places an element with ``float: footnote`` at the foot of the
    page where it is called, so the note's content must sit where the
    reference mark is, not in a list at the end of the text.
    """
    root = htmltree.parse_fragment(html)
    notes: dict[str, ET.Element] = {}
    for div in htmltree.note_blocks(root):
        for li in div.iter("li"):
            notes[li.get("id", "")] = li
        root.remove(div)
    for parent in list(root.iter()):
        for index, sup in enumerate(list(parent)):
            if sup.tag != "sup" or not sup.get("id", "").startswith("fnref-"):
                continue
            link = sup.find("a")
            li = notes.pop((link.get("href", "") if link is not None else "").lstrip("#"), None)
            if li is None:
                continue
            note = htmltree.make("span", **{"class": ("footnote " + li.get("class", "")).strip(),
                                            "id": li.get("id", "")})
            for p in list(li):
                for back in htmltree.backlinks(p):
                    htmltree.drop(p, back)
                p.tag, p.attrib = "span", {"class": "fn-p"}
                note.append(p)
            note.tail = sup.tail
            parent.remove(sup)
            parent.insert(index, note)
    return htmltree.serialize(root, method="html")


def glossary_marks(publication: Publication, converted: list[Converted],
                   pages: Mapping[str, int] | None = None) -> dict[str, tuple[tuple[str, str], ...]]:
    """The marks each glossary entry lists, by entry slug: ``(mark id, title of its text)``.

    ``pages=None``: every mark, in the order of ``converted`` (the EPUB and the handouts, which
    link to each use). Otherwise ``pages`` maps mark ids to the print page they are on, and each
    entry lists **one mark per page**, in book order — so the book's glossary reads "pp. 13, 14,
    20", each page once, and holds as many page references as pages, however often a term is
    marked. A mark whose page is not known counts as "the first in its part": with ``pages={}``
    (before any layout) an entry lists the first mark in each part. Linear in the number of marks.
    """
    order = {p.slug: i for i, p in enumerate(publication.parts)}
    found: dict[str, dict[tuple, tuple[tuple[int, int, int], str, str]]] = defaultdict(dict)
    for c in converted:
        for seq, (slug, mark_id) in enumerate(c.glossary_marks):
            page = pages.get(mark_id) if pages is not None else None
            key = (c.part.slug, seq) if pages is None else ("page", page) if page else ("part", c.part.slug)
            sort = (page or 0, order.get(c.part.slug, len(order)), seq)
            if key not in found[slug] or (pages is not None and sort < found[slug][key][0]):
                found[slug][key] = (sort, mark_id, c.part.title)
    if pages is None:
        return {slug: tuple((m, t) for _, m, t in marks.values()) for slug, marks in found.items()}
    return {slug: tuple((m, t) for _, m, t in sorted(marks.values())) for slug, marks in found.items()}


def glossary_items(publication: Publication, converted: list[Converted],
                   pages: Mapping[str, int] | None = None) -> list[GlossaryItem]:
    """The glossary's entries, sorted by term; see :func:`glossary_marks` for ``pages``."""
    by_term = {e.term.lower(): e for e in publication.glossary}
    marks = glossary_marks(publication, converted, pages)
    items = []
    for entry in sorted(publication.glossary, key=lambda e: e.term.lower()):
        see = tuple(by_term[s.lower()] for s in entry.see_also if s.lower() in by_term)
        items.append(GlossaryItem(entry, inline_markdown(entry.definition), marks.get(entry.slug, ()), see))
    return items


def reading(text: str, bib) -> str:
    """A reading as the book prints it: citations in the corrected text shown as rendered."""
    citations, _ = find_citations(text)
    for citation in reversed(citations):
        text = text[:citation.start] + bib.cite_text(citation) + text[citation.end:]
    return text


def correction_rows(converted: list[Converted], bib) -> list[tuple[str, list[CorrectionRow]]]:
    """Every correction, grouped by text in book order: the generated list of the editorial note."""
    groups = []
    for c in converted:
        rows = []
        for corr in c.corrections:
            place = f"note {corr.note}" if corr.note else f"¶ {corr.paragraph}" if corr.paragraph else "heading"
            rows.append(CorrectionRow(title_of(c.part), place, corr.anchor, corr.original,
                                      reading(corr.corrected, bib)))
        if rows:
            groups.append((title_of(c.part), rows))
    return groups


def template_env(project: Path) -> jinja2.Environment:
    """Templates from the project's templates/ first, then chapbook's own: sandboxed and confined.

    Project templates are untrusted: see :mod:`chapbook.templating` (an immutable sandbox, a loader
    that refuses anything resolving outside the two templates/ folders, and located errors).
    """
    env = ProjectSandbox(loader=ConfinedLoader(project), autoescape=jinja2.select_autoescape(default=True),
                         undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["human_date"] = human_date
    env.filters["markdown"] = lambda text: Markup(inline_markdown(text))
    env.filters["safe_html"] = Markup
    return env


def title_of(part: Part) -> str:
    return f"[{part.title}]" if part.editors_title else part.title


def byline(part: Part) -> str:
    """The authors as the book names them; 'Author unknown' rather than a bare 'unknown'."""
    names = [a for a in part.authors if a.strip().lower() != "unknown"]
    return ", ".join(names) if names else "Author unknown"


def book_context(publication: Publication, converted: list[Converted],
                 glossary_pages: Mapping[str, int] | None = None) -> dict:
    """Everything the book templates show, computed once (``glossary_pages``: see glossary_marks)."""
    bib = publication.bibliography
    by_kind = {kind: [c for c in converted if c.part.kind == kind] for kind in ("front", "text", "back")}
    cited = {k for c in converted for k in c.cited_keys} | {p.source for p in publication.texts if p.source}
    cited &= bib.keys
    config = publication.config
    return {
        "config": config,
        "front": by_kind["front"],
        "texts": by_kind["text"],
        "back": by_kind["back"],
        "glossary": glossary_items(publication, by_kind["text"] + by_kind["front"] + by_kind["back"],
                                   glossary_pages),
        "bibliography": [(key, Markup(bib.entry_html(key))) for key in bib.sort_keys(cited)],
        "references": {c.part.slug: [(k, Markup(bib.entry_html(k))) for k in bib.sort_keys(
            [k for k in c.cited_keys if k in bib.keys])] for c in converted},
        "source_line": {p.slug: Markup(bib.source_line_html(p.source)) for p in publication.texts
                        if p.source in bib.keys},
        "source_entry": {p.slug: Markup(bib.entry_html(p.source)) for p in publication.texts
                         if p.source in bib.keys},
        "corrections": correction_rows(by_kind["text"], bib),
        "title_of": title_of,
        "byline": byline,
        "anchor": anchor,
        "built": build_date(),
        "version": __version__,
        "typography": config.typography,
        "custom_css": (publication.root / "styles" / "custom.css").is_file(),
    }


def render_book_html(publication: Publication, converted: list[Converted], template: str = "book.html.j2",
                     glossary_pages: Mapping[str, int] | None = None) -> str:
    env = template_env(publication.root)
    context = book_context(publication, converted, glossary_pages)
    context["print_html"] = lambda c: Markup(print_footnotes(c.html))
    return env.get_template(template).render(**context)
