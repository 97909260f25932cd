"""``build.py import FILE... [--project DIR]``: raw copies of articles → content files to edit.

Each file becomes ``content/texts/NN-slug.md`` (NN the next free number, the
slug from the guessed title) with front matter to fill in, and the file
itself is copied unchanged to ``content/originals/``, so the fidelity of the
edited text can always be checked against it.

- ``.md``/``.markdown``: taken as it is (front matter, if any, is read for the title).
- ``.txt``: taken as it is, with ``<`` written ``&lt;`` (raw HTML is not allowed
  in content) and runs of blank lines collapsed.
- ``.html``/``.htm`` (saved web pages) and ``.xhtml``/``.xht`` (a book's
  chapters): converted element by element by :mod:`chapbook.htmlimport`, so
  that nothing visible is lost; what it leaves out (page chrome) is printed
  as a warning with its line in the original. The heading that repeats the
  title goes to the front matter, not the body. A book's endnotes document
  given together with a chapter that cites it is not made a text of its
  own: its notes are already the chapter's footnotes, and a second copy
  would have to be found and deleted by hand.

Web leftovers are never removed silently: lines that look like a comment
section, "related articles", share buttons, "scroll to top", "min read",
a newsletter pitch and the like are printed as warnings with their line in
the new file, for the editor to confirm and delete (``check`` does not flag
them again).
"""

from __future__ import annotations

import datetime
import re
import shutil
import sys
from pathlib import Path

import yaml

from .charclasses import LINE_SEPARATOR, NOT_IN_A_BOOK
from .diagnostics import ExitStatus, Location, Report
from .htmlimport import PageImport, date_of, decode, html_to_markdown, not_text
from .read import safe_slug, slugify, text_name, unique_slug
from .yamlsafe import scan_events

SUFFIXES = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html",
            ".xhtml": "xhtml", ".xht": "xhtml"}
_KINDS = {"text": "plain text", "markdown": "Markdown", "html": "a web page", "xhtml": "an XHTML chapter"}

# (pattern, what it probably is). Matched case-insensitively against each line of the new text.
LEFTOVERS: list[tuple[str, str]] = [
    (r"^\W*(leave a (reply|comment)|post a comment|add a comment|join the discussion)\b", "a comment form"),
    (r"^\W*\d+\s+(comments?|responses?|replies)\W*$|^\W*comments?\s*(\(\d+\))?\W*$", "a comment section heading"),
    (r"\b(log ?in|sign ?in) to (reply|comment)\b|^\W*reply\W*$", "a comment section"),
    (r"^\W*(related|recommended|more|popular|latest) (articles?|posts?|stories|reading|news)\b", "related articles"),
    (r"^\W*(you (may|might) also like|read (more|next|also)|see also|further reading on this site)\b",
     "links to other articles"),
    (r"\bshare (this|on|via)\b|^\W*(share|tweet|pin it|email|print)\W*$|\b(facebook|twitter|whatsapp|linkedin|"
     r"reddit|telegram|pinterest)\b.*\b(facebook|twitter|whatsapp|linkedin|reddit|telegram|pinterest|email)\b",
     "share buttons"),
    (r"\b(scroll|back) to top\b|^\W*top\W*$|\bskip to (main )?content\b", "page navigation"),
    (r"\b\d+\s*min(ute)?s?\s+read\b", "a reading-time badge"),
    (r"\b(subscribe|sign up|newsletter|get our|donate|support (us|our)|become a (member|patron))\b",
     "a subscription or donation pitch"),
    (r"\b(cookies?|privacy policy|terms of (use|service)|all rights reserved|powered by)\b", "site boilerplate"),
    (r"^\W*(posted|filed) (in|under)\b|^\W*(tags?|categories|category)\s*:", "post metadata"),
    (r"^\W*(previous|next) (post|article)\b|^\W*(older|newer) posts?\b", "post navigation"),
    (r"^\W*(advertisement|sponsored( content)?)\W*$", "an advertisement"),
    (r"^\W*(photo|image)( credit)?\s*:", "a photo credit (keep it if the original printed it)"),
]
_LEFTOVER = [(re.compile(p, re.IGNORECASE), what) for p, what in LEFTOVERS]
_LONG_LINE = 160  # a leftover is a short line; a sentence of the text that mentions "newsletter" is not
# Leftovers inside a line of the text, however long: a wiki's maintenance tags (the import escapes brackets).
_INLINE_LEFTOVER = re.compile(r"(&#91;|\[)\W*(citation|clarification|verification|page|year|date|who|when|"
                              r"better source|full citation|according to whom)( needed)?\W*(&#93;|\])",
                              re.IGNORECASE)


def leftovers(body: str) -> list[tuple[int, str, str]]:
    """(0-based line in body, the line or the part of it, what it looks like) for each likely web leftover."""
    found = []
    for i, line in enumerate(body.split("\n")):
        found += [(i, m.group(0), "a wiki's maintenance tag") for m in _INLINE_LEFTOVER.finditer(line)
                  if m.group(3) or m.group(2).lower() in ("who", "when", "according to whom")]
        text = line.strip()
        if not text or len(text) > _LONG_LINE:
            continue
        for pattern, what in _LEFTOVER:
            if pattern.search(text):
                found.append((i, text, what))
                break
    return found


# ---- Text and Markdown ---------------------------------------------------------------------


def _clean(text: str) -> str:
    """A plain or Markdown file's text with Unix line ends and none of what a text may not hold, which
    ``check`` would refuse the new text for: a form feed (an old file's page break) ends a paragraph,
    a line separator a line, and the rest (NUL, vertical tab, direction overrides) is dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n\n")
    text = NOT_IN_A_BOOK.sub("", LINE_SEPARATOR.sub("\n", text))
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _guess_title(body: str) -> tuple[str, str]:
    """(title, where it came from) from the first heading or the first short line."""
    for line in body.split("\n"):
        m = re.match(r"^#{1,3}\s+(.+?)\s*#*$", line)
        if m:
            return m.group(1).strip(), "the first heading"
    for line in body.split("\n"):
        text = line.strip()
        if text:
            if len(text) <= 120 and not text.endswith((".", ",", ";", ":")):
                return text.strip("*_# "), "the first line"
            break
    return "", ""


class NotImportable(Exception):
    """A file that holds no text to import: empty, or no text at all (a PDF saved as .html)."""


def convert_file(path: Path) -> PageImport:
    """The Markdown body, metadata, notes for the editor and dropped parts of one raw file.

    Raises :class:`NotImportable` for a file that is no text: read as Latin-1 it would be a text of
    mojibake that nothing flags."""
    kind = SUFFIXES[path.suffix.lower()]
    data = path.read_bytes()
    if not data.strip():
        raise NotImportable("the file is empty: there is nothing to import")
    what = not_text(data)
    if what:
        raise NotImportable(f"the file is {what}, not {_KINDS[kind]} as its name says: save the article as a web "
                            "page, Markdown or plain text and import that")
    if kind in ("html", "xhtml"):
        page = html_to_markdown(data, path, xml=kind == "xhtml")
        if kind == "html" and not page.meta.get("author"):
            author = _trafilatura_author(data)
            if author:
                page.meta["author"] = author
                page.notes.append("the author was guessed by trafilatura from the page: check it")
        page.body = re.sub(r"\n{3,}", "\n\n", page.body.replace("\x00", "")).strip() + "\n"  # keeps hard breaks
        return page
    text, encoding_note = decode(data)
    notes = [encoding_note] if encoding_note else []
    meta: dict[str, str] = {}
    if kind == "markdown":
        body = text
        m = re.match(r"^---\n(.*?)\n(---|\.\.\.)\n", text.replace("\r\n", "\n"), re.DOTALL)
        if m:
            try:
                # aliases first: safe_load shares them, but reading the author of a nested '*a' bomb made
                # them into 43 million names (the import ran out of memory)
                refused = scan_events(m.group(1))
                front = None if refused else yaml.safe_load(m.group(1))
            except yaml.YAMLError:
                refused, front = None, None
            if refused:
                notes.append(f"the front matter was not read (line {refused[0].line + 2}): {refused[1]}")
            if isinstance(front, dict):
                meta = _front_meta(front, notes)
                body = text.replace("\r\n", "\n")[m.end():]
    else:
        body = text.replace("<", "&lt;")
    body = _clean(body)
    if kind == "markdown" and re.search(r"<[A-Za-z/!]", body):
        notes.append("the Markdown contains HTML tags: 'build.py check' shows where; rewrite them as Markdown")
    return PageImport(body, meta, notes)


def _front_meta(front: dict, notes: list[str]) -> dict:
    """Title, author(s), date and language from a Markdown file's own front matter, as chapbook writes
    them. Obsidian and Pandoc give ``author:`` as a list, Pandoc as ``{name:, affiliation:}`` objects,
    and YAML reads an unquoted date as a date or a datetime: written with ``str()`` they became a
    Python list's or dict's repr and '2021-06-03 10:22:00'."""
    meta: dict = {}
    for key in ("title", "lang"):
        if isinstance(front.get(key), (str, int, float)) and str(front[key]).strip():
            meta[key] = str(front[key]).strip()
    names = _names(front.get("authors")) or _names(front.get("author"))
    if len(names) == 1:
        meta["author"] = names[0]
    elif names:
        meta["authors"] = names
    date = front.get("date")
    if date is not None and date != "":
        meta["date"] = _front_date(date)
        if not meta["date"]:
            del meta["date"]
            notes.append(f"the date '{date}' in the front matter is not a date chapbook reads: write it as "
                         "2008-12-11, 2002-07 or 2002")
    return meta


def _names(value) -> list[str]:
    """People's names from a front-matter ``author``/``authors``: a name, a list of names, or Pandoc's and
    CSL's objects (``{name: …}``, ``{given: …, family: …}``)."""
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, dict):
        name = value.get("name") or " ".join(str(value[k]) for k in ("given", "family") if value.get(k))
        return [str(name).strip()] if str(name or "").strip() else []
    if isinstance(value, list):
        return [n for item in value for n in _names(item)]
    return []


def _front_date(value) -> str:
    """YYYY-MM-DD, YYYY-MM or YYYY from a front-matter date (a date, a datetime, '2021-06-03T10:22',
    'June 2021', '3 June 2021'); '' if it is none of these."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.strftime("%Y-%m-%d")
    text = " ".join(str(value).replace(",", " ").split())
    if re.match(r"^\d{4}(-\d{2}){0,2}([T ]|$)", text):
        return date_of(text)
    for form, shown in (("%B %Y", "%Y-%m"), ("%b %Y", "%Y-%m"), ("%d %B %Y", "%Y-%m-%d"), ("%B %d %Y", "%Y-%m-%d"),
                        ("%d %b %Y", "%Y-%m-%d"), ("%b %d %Y", "%Y-%m-%d")):
        try:
            return datetime.datetime.strptime(text, form).strftime(shown)
        except ValueError:
            continue
    return ""


def _trafilatura_author(data: bytes) -> str:
    """The author trafilatura finds in a page's byline or metadata ('' if none) — its date is not used:
    it guesses dates from any address in the page."""
    try:
        import trafilatura
    except ImportError:  # pragma: no cover - trafilatura is in requirements.txt
        return ""
    meta = trafilatura.extract_metadata(decode(data)[0])
    return (meta.author or "") if meta is not None else ""


def front_matter(title: str, meta: dict[str, str], title_note: str) -> str:
    def q(value: str) -> str:
        return yaml.safe_dump(value, allow_unicode=True, width=1000).strip().removesuffix("...").strip()

    author = meta.get("author") or "unknown"
    authors = meta.get("authors")
    listed = yaml.safe_dump(authors, allow_unicode=True, default_flow_style=True, width=1000).strip() if authors else ""
    author_line = (f"authors: {listed}" if authors
                   else f"author: {q(author)}   # or authors: [A, B]; 'unknown' if unknown")
    date = meta.get("date") or "unknown"
    url = meta.get("url") or "unknown"
    lang = meta.get("lang")
    return "\n".join([
        "---",
        f"title: {q(title)}   # {title_note}: check it",
        author_line,
        f"date: {q(date)}   # as precisely as known: 2008-12-11, 2002-07, 2002, or unknown",
        "# source: key2024   # the bibliography key of the original publication",
        f"original_url: {q(url)}",
        f"lang: {q(lang)}" if lang else "lang: en   # not given in the original: check it",
        "summary: ''   # two sentences about the text",
        "questions: []   # discussion questions for classroom use",
        "---",
        "",
        "",
    ])


def _next_number(folder: Path) -> int:
    numbers = [int(m.group(1)) for p in folder.glob("*.md") if (m := re.match(r"^(\d+)[-_]", p.name))]
    return max(numbers, default=0) + 1


def _taken_slugs(content: Path) -> set[str]:
    """The slugs the project's parts already go by: its texts (``01-first-text.md`` → first-text)
    and its front and back matter (``content/introduction.md`` → introduction)."""
    return ({safe_slug(text_name(p)) for p in (content / "texts").glob("*.md")}
            | {slugify(p.stem) for p in content.glob("*.md")})


def _keep_original(path: Path, originals: Path) -> Path:
    """Copy ``path`` into originals/ unchanged (never overwriting a different file)."""
    originals.mkdir(parents=True, exist_ok=True)
    target = originals / path.name
    n = 2
    while target.exists() and target.read_bytes() != path.read_bytes():
        target = originals / f"{path.stem}-{n}{path.suffix}"
        n += 1
    if not target.exists():
        shutil.copyfile(path, target)
    return target


def _citing(path: Path, page: PageImport, pages: list[tuple[Path, PageImport]]) -> list[str]:
    """The other files of this import that took their notes from ``path``, if it is a book's endnotes
    document: imported as well, it would be a text that repeats notes the chapters already have."""
    if not page.endnotes:
        return []
    here = path.resolve()
    return [other.name for other, other_page in pages if other.resolve() != here and here in other_page.notes_from]


def _convert_all(files: list[Path], report: Report) -> list[tuple[Path, PageImport]]:
    """Each file converted; a file with no text (or a body left empty: everything in it was page
    chrome) is an error in ``report``, with what was left out of it as warnings."""
    pages = []
    for path in files:
        try:
            page = convert_file(path)
        except NotImportable as exc:
            report.error(Location(path), str(exc), "nothing-to-import")
            continue
        if not page.body.strip():
            left_out = " (everything in it was left out: see the warnings)" if page.dropped else ""
            report.error(Location(path), f"no text to import{left_out}; compare with the original",
                         "nothing-to-import")
            for line_number, message in page.dropped:
                report.warning(Location(path, line_number), message, "dropped-content")
            continue
        pages.append((path, page))
    return pages


def _shown_root(project: Path) -> Path | None:
    """The folder paths are shown relative to: the current one, if the project is in it."""
    return Path.cwd().resolve() if project.resolve().is_relative_to(Path.cwd().resolve()) else None


def import_files(files: list[Path], project: Path, stream=sys.stdout) -> int:
    """Import each file; print what was made and the leftovers to confirm. Exit 2 on bad files."""
    bad = [f for f in files if not f.is_file() or f.suffix.lower() not in SUFFIXES]
    for f in bad:
        reason = "does not exist" if not f.is_file() else f"is not {', '.join(SUFFIXES)}"
        print(f"build.py: error: {f} {reason}", file=sys.stderr)
    if bad:
        return ExitStatus.USAGE
    report = Report()
    pages = _convert_all(files, report)  # all first: the endnotes may come before the chapter
    if report.errors:
        for line in report.lines(root=_shown_root(project), with_code=True):
            print(line, file=stream)
        print(f"nothing imported: {len(report.errors)} file{'s' * (len(report.errors) != 1)} with no text to "
              "import (listed above); import the others without it", file=stream)
        return ExitStatus.CONTENT_ERROR
    texts = project / "content" / "texts"
    texts.mkdir(parents=True, exist_ok=True)
    made = []
    taken = _taken_slugs(project / "content")  # a new text never takes the slug of another part
    skipped = leftover_count = dropped_count = 0
    for path, page in pages:
        citing = _citing(path, page, pages)
        if citing:
            original = _keep_original(path, project / "content" / "originals")
            print(f"skipped {path}: a book's endnotes, not a text of its own (original kept as {original})",
                  file=stream)
            print(f"  note: its notes went into the chapters that cite them, as footnotes: {', '.join(citing)}",
                  file=stream)
            skipped += 1
            continue
        body, meta = page.body, page.meta
        guessed, where = _guess_title(body)
        title = (meta.get("title") or "").strip() or guessed or path.stem.replace("-", " ").replace("_", " ")
        title_note = (f"from {meta['title_from']}" if meta.get("title_from") else "from the page's metadata"
                      if meta.get("title") else f"guessed from {where}" if guessed else "guessed from the file name")
        number = _next_number(texts)
        wanted = slugify(title)[:50].rstrip("-") or "text"
        slug = unique_slug(wanted, taken)
        taken.add(slug)
        target = texts / f"{number:02d}-{slug}.md"
        head = front_matter(title, meta, title_note)
        target.write_text(head + body, encoding="utf-8")
        original = _keep_original(path, project / "content" / "originals")
        first_body_line = head.count("\n") + 1
        for offset, line, what in leftovers(body):
            report.warning(Location(target, first_body_line + offset, 1),
                           f"possible web leftover ({what}): '{line[:60]}'; confirm against the original "
                           "and delete it if it is not part of the text", "web-leftover")
            leftover_count += 1
        for line_number, message in page.dropped:
            report.warning(Location(path, line_number), message, "dropped-content")
            dropped_count += 1
        for line_number, message in page.doubts:
            report.warning(Location(path, line_number), message, "suspect-notes")
        made.append(slug)
        print(f"imported {path} → {target} (original kept as {original})", file=stream)
        if slug != wanted:
            print(f"  note: its slug is {slug}: another part of the book is already {wanted}",
                  file=stream)
        for note in page.notes:
            print(f"  note: {note}", file=stream)
    for line in report.lines(root=_shown_root(project), with_code=True):
        print(line, file=stream)
    endnotes = f" ({skipped} endnotes file{'s' * (skipped != 1)} skipped, see above)" if skipped else ""
    print(f"imported {len(made)} file{'s' * (len(made) != 1)}{endnotes}, {leftover_count} possible leftover"
          f"{'s' * (leftover_count != 1)} to confirm, {dropped_count} part{'s' * (dropped_count != 1)} of the "
          "originals left out (listed above); fill in the front matter, add "
          f"{', '.join(made)} to 'texts:' in content/publication.yml if it lists the texts, "
          "then run 'build.py check'", file=stream)
    return ExitStatus.OK

