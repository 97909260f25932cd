"""Whole-publication checks: everything that needs all parts at once.

Unknown citation keys, unknown ``[[terms]]``, unknown source keys and
see-also targets are errors; bibliography entries and glossary terms that are
never used are warnings (errors under --strict). :func:`check_content` adds
what the build would otherwise accept silently: footnote calls without a
note, links to missing anchors, images without alt text, and stylesheets
that reach outside the project.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import sourcescan
from .config import glossary_settings
from .diagnostics import Location, Report, did_you_mean
from .model import Converted, Publication
from .projectfiles import read_regular


def check(publication: Publication, converted: list[Converted], report: Report) -> None:
    check_content(publication, converted, report)
    check_templates(publication, report, converted)
    check_svg_images(publication, report)
    bib = publication.bibliography
    keys = bib.keys
    used_keys: set[str] = set()
    for c in converted:
        for citation, loc in c.citations:
            for item in citation.items:
                used_keys.add(item.key)
                if item.key not in keys:
                    report.error(_item_location(loc, citation.raw, item.col_offset),
                                 f"unknown citation key '{item.key}'{did_you_mean(item.key, keys)}")
    for part in publication.texts:
        if part.source:
            used_keys.add(part.source)
            if part.source not in keys:
                report.error(part.field_locations.get("source", Location(part.path, 1, 1)),
                             f"unknown source key '{part.source}'{did_you_mean(part.source, keys)}")
    # A part that could not be read cites what it cites: its entries are not "never cited" (a Latin-1
    # text added five such warnings to the one error that mattered, a new user's trial).
    if not any(e.kind in ("encoding", "too-large", "missing-text") for e in report.errors):
        for key in sorted(keys - used_keys - bib.implied(used_keys)):  # crossref parents, set members
            report.warning(bib.location(key), f"bibliography entry '{key}' is never cited")

    names = {e.term.lower() for e in publication.glossary}
    names |= {a.lower() for e in publication.glossary for a in e.aliases}
    for c in converted:
        for term, loc in c.explicit_terms:
            if term.lower() not in names:
                report.error(loc, f"unknown glossary term '{term}'"
                             f"{did_you_mean(term, [e.term for e in publication.glossary])}")
    marked = {slug for c in converted for slug, _ in c.glossary_marks}
    terms = [e.term for e in publication.glossary]
    for entry in publication.glossary:
        for other in entry.see_also:
            if other.lower() not in names:
                report.error(entry.location, f"'see_also' names unknown term '{other}' in '{entry.term}'"
                             f"{did_you_mean(other, terms)}")
        if entry.slug not in marked and glossary_settings(publication.config)["unused"] == "keep":
            report.warning(entry.location, f"glossary term '{entry.term}' does not occur in any text")


def _item_location(loc: Location, raw: str, offset: int) -> Location:
    """Where the item at ``offset`` in a citation starting at ``loc`` is; a citation may span lines."""
    newlines = raw.count("\n", 0, offset)
    if not newlines:
        return Location(loc.path, loc.line, loc.col + offset)
    return Location(loc.path, loc.line + newlines, offset - raw.rfind("\n", 0, offset))


# ---- What the build would otherwise accept silently (issue 7) ---------------------------------

# Ids the book itself gives, besides those in the parts: ``[see the glossary](#glossary)`` works.
BOOK_IDS = {"cover", "title-page", "imprint", "contents", "glossary", "bibliography", "sources", "back-cover"}


def check_content(publication: Publication, converted: list[Converted], report: Report) -> None:
    """Footnotes, image alt text, internal links and the project's stylesheets."""
    from .bibliography import anchor
    from .imagecheck import check_images

    check_images(publication, report)  # images that cannot reach the page: damaged, unknown, too large
    check_ids(publication, converted, report)
    ids = set(BOOK_IDS)
    for c in converted:
        ids.update(_ID.findall(c.html))
    ids |= {f"part-{p.slug}" for p in publication.parts}
    ids |= {f"gl-{e.slug}" for e in publication.glossary}
    ids |= {anchor(k) for k in publication.bibliography.keys}
    for part in publication.parts:
        body, base = part.body, part.body_location
        for loc, severity, message in sourcescan.footnote_problems(body, base):
            getattr(report, severity)(loc, message, "footnote")
        for loc, alt, target in sourcescan.image_refs(body, base):
            if not alt.strip():
                report.warning(loc, f"image '{target}' has no alt text: describe it for readers who cannot "
                               "see it (![a photo of …](file.png))", "image-alt")
        for loc, target in sourcescan.anchor_links(body, base):
            if target not in ids:
                report.error(loc, f"link to '#{target}', which is no anchor in the book"
                             f"{did_you_mean(target, ids)}", "broken-anchor")
    styles = publication.root / "styles"
    if styles.is_dir():
        for css in sorted(styles.rglob("*.css")):
            for loc, message in sourcescan.css_problems(css, publication.root):
                report.error(loc, message, "unsafe-resource")


_ID = re.compile(r'\sid="([^"]+)"')

# Ids chapbook gives itself (the parts' paragraphs, notes, headings, marks; the templates' pages and
# sections): an attribute list may not take one, or the book has two elements with one id.
RESERVED_PREFIXES = {"p-": "paragraph numbers", "fn-": "footnotes", "fnref-": "footnote calls",
                     "h-": "headings", "corr-": "corrections", "gr-": "glossary marks", "gl-": "glossary entries",
                     "ref-": "bibliography entries", "part-": "parts", "page-": "print page markers",
                     "title-": "part titles", "references-": "references", "questions-": "questions",
                     "author-": "authors", "editor-": "editors"}
RESERVED_IDS = BOOK_IDS | {"subtitle", "spine", "main", "main-title", "book-title", "cover-title", "contents-title",
                           "glossary-title", "bibliography-title", "sources-title", "downloads-title",
                           "landmarks", "landmarks-title", "page-list", "page-list-title", "corrections",
                           "conformance", "pub-id", "previews", "site-search", "search-status", "search-results"}


def attr_list_ids(body: str, base: Location) -> list[tuple[Location, str]]:
    """(location, id) of every ``#id`` an attribute list (``{: #id }``, ``## Heading {#id}``) gives."""
    return [(sourcescan.locate(body, start, base), value)
            for start, attrs in sourcescan.attr_lists(sourcescan.mask_code(body))
            for name, value in attrs if name == "id" and value]


def check_ids(publication: Publication, converted: list[Converted], report: Report) -> None:
    """An id given twice in the book, or one chapbook gives itself, is an error at its line.

    Ids are global: the PDF is one document, and the EPUB and the web edition link by id across
    files. Only what the attribute list really put into the part's HTML counts.
    """
    html_ids = {c.part.slug: set(_ID.findall(c.html)) for c in converted}
    seen: dict[str, Location] = {}
    for part in publication.parts:
        made = html_ids.get(part.slug, set())
        for loc, value in attr_list_ids(part.body, part.body_location):
            if value not in made:
                continue
            prefix = next((p for p in RESERVED_PREFIXES if value.startswith(p)), None)
            if value in RESERVED_IDS or prefix:
                what = f"ids beginning '{prefix}' are chapbook's own ({RESERVED_PREFIXES[prefix]})" if prefix \
                    else "chapbook gives this id to a page of the book"
                report.error(loc, f"id '#{value}' cannot be used: {what}; choose another id", "reserved-id")
            elif value in seen:
                first = seen[value]
                where = f"line {first.line}" if first.path == loc.path else f"{first.path.name}:{first.line}"
                report.error(loc, f"id '#{value}' is already used ({where}); an id names one place in the "
                             "book: choose another", "duplicate-id")
            else:
                seen[value] = loc


def check_templates(publication: Publication, report: Report, converted: list[Converted] | None = None) -> None:
    """The project's own templates, compiled under the sandbox (issue 10): refused before any output."""
    from .render import template_env
    from .templating import template_problems

    if chapbooks_own_templates(publication.root / "templates"):
        return  # checked by chapbook's tests; rendering the book here cost a cold build a fifth of a second
    problems = template_problems(publication.root, template_env(publication.root))
    for problem in problems:
        report.error(problem.location or Location(publication.root / "templates"), problem.message, problem.code)
    if not problems and (publication.root / "templates").is_dir() and converted is not None:
        # What only running shows (an undefined name, a sandbox refusal, a missing include): render the
        # book's HTML as the writers will — Jinja alone, no layout, a fraction of a second.
        from .diagnostics import ContentProblem
        from .render import render_book_html

        try:
            render_book_html(publication, converted)
        except ContentProblem as problem:
            report.error(problem.location or Location(publication.root / "templates"), problem.message,
                         problem.code)


def chapbooks_own_templates(folder: Path) -> bool:
    """Whether a project's ``templates/`` holds nothing but copies of chapbook's own templates, byte for
    byte (the repository's own reader, a project that copied them): a real folder, no links in it."""
    from . import PACKAGE_ROOT

    own = PACKAGE_ROOT / "templates"
    try:
        if folder.is_symlink() or not folder.is_dir():
            return False
        for path in folder.rglob("*"):
            if path.is_symlink():
                return False
            if path.is_dir():
                continue
            theirs = own / path.relative_to(folder)
            if theirs.is_symlink() or not theirs.is_file() or read_regular(path) != theirs.read_bytes():
                return False  # read_regular: a FIFO blocked here (it is refused where the template is loaded)
    except OSError:
        return False
    return True


def check_svg_images(publication: Publication, report: Report) -> None:
    """A warning at each script, event handler or ``<foreignObject>`` the book's copy of an SVG drops.

    (What an SVG would load is an error at the image's Markdown line: see ``sourcescan.svg_problems``.)
    """
    from .imagecheck import image_files

    svgs = dict.fromkeys(path for _, _, path in image_files(publication) if path.suffix.lower() == ".svg")
    for path in svgs:
        if not sourcescan.svg_problems(path):
            for loc, message in sourcescan.svg_dropped(path):
                report.warning(loc, message, "svg-dropped")
