"""Read a project folder into the model: publication.yml, Markdown parts, glossary, bibliography.

A malformed file is reported with its location and skipped; reading never
stops at the first problem, so one build shows every mistake.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .bibliography import Bibliography, load_bibliography
from .citations import cited_keys
from .config import Config, build_config
from .csl import load_style
from .diagnostics import Location, Report, byte_location, did_you_mean
from .fieldcheck import FLAG, TEXT, TEXTS, check_date, check_kinds, check_language, check_url, markdown_problems
from .model import GlossaryEntry, Part, Publication
from .projectfiles import NOT_REGULAR, PART_NAME, check_inside
from .sourcescan import RAW_HTML
from .yamlsafe import load_yaml

TEXT_FIELDS = {"title", "subtitle", "author", "authors", "date", "source", "original_url", "lang",
               "summary", "questions", "editorial_notes", "editors_title", "verse"}
MATTER_FIELDS = {"title", "subtitle", "author", "authors", "date", "lang", "list_corrections"}
GLOSSARY_FIELDS = {"term", "definition", "aliases", "see_also"}
FIELD_KINDS = {"title": TEXT, "subtitle": TEXT, "author": TEXTS, "authors": TEXTS, "date": TEXT, "source": TEXT,
               "original_url": TEXT, "lang": TEXT, "summary": TEXT, "questions": TEXTS, "editorial_notes": TEXTS,
               "editors_title": FLAG, "list_corrections": FLAG, "verse": FLAG}
GLOSSARY_KINDS = {"term": TEXT, "definition": TEXT, "aliases": TEXTS, "see_also": TEXTS}
MAX_FILE_BYTES = 50_000_000  # one Markdown or YAML file; a 300-page reader's longest text is ~1 MB
_SLUG_PREFIX = re.compile(r"^\d+[-_]")


def slugify(text: str) -> str:
    """A lowercase ASCII slug usable as an XML id and a file name."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


SAFE_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*\Z")


def safe_slug(name: str) -> str:
    """The slug a part goes by in ids, file names and links: its name when that is already safe
    (lowercase ASCII letters, digits, '-', '_'), else the name slugified ("First Text" → first-text).

    A name with a space, '#', '?' or capitals is thus still a working text: the EPUB's file names
    and ids and the web edition's paths never carry it as it is.
    """
    return name if SAFE_SLUG.match(name) else slugify(name)


def split_front_matter(text: str, path: Path, report: Report) -> tuple[dict, dict[str, int], str, int] | None:
    """Split '---' YAML front matter from a Markdown file.

    Returns (fields, key lines, body, line number of the body's first line),
    or None when the front matter is malformed (already reported).
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        report.error(Location(path, 1, 1), "missing front matter: the file must start with a '---' line, "
                     "then YAML fields such as 'title:', then another '---'")
        return None
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            break
    else:
        report.error(Location(path, 1, 1), "front matter is not closed (did you forget the closing '---'?)")
        return None
    data, key_lines = load_yaml("\n".join(lines[1:i]), path, report, line_offset=1)
    if data is None and key_lines == {} and "\n".join(lines[1:i]).strip():
        return None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        report.error(Location(path, 2, 1), "front matter must be YAML 'key: value' fields")
        return None
    return data, key_lines, "\n".join(lines[i + 1:]), i + 2


def _as_text(value: Any) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else str(value)


def _as_list(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list):
        return tuple(_as_text(v) for v in value)
    return (_as_text(value),)


def _project_of(path: Path) -> Path:
    """The project folder of a file under ``content/`` (or the file's folder when there is none)."""
    for parent in path.parents:
        if parent.name == "content":
            return parent.parent
    return path.parent


def _read_utf8(path: Path, report: Report) -> str | None:
    """The file's text, or None (reported) when it is not a readable UTF-8 file of sane size.

    Only regular files are read: a FIFO or device in a project would block or never end.
    """
    try:
        if not path.is_file():
            report.error(Location(path, 1, 1), NOT_REGULAR,
                         "encoding")
            return None
        if path.stat().st_size > MAX_FILE_BYTES:
            report.error(Location(path, 1, 1), f"file larger than {MAX_FILE_BYTES // 1_000_000} MB is refused "
                         "(split the text, or check that this is the right file)", "too-large")
            return None
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        byte = exc.object[exc.start:exc.start + 1].hex()
        report.error(byte_location(path, exc.object, exc.start), f"not UTF-8 text (byte 0x{byte}: {exc.reason}); "
                     "save the file as UTF-8 (it may be Latin-1 or Windows-1252)", "encoding")
        return None
    except OSError as exc:
        report.error(Location(path, 1, 1), f"cannot read the file ({exc.strerror or exc})")
        return None


def read_part(path: Path, slug: str, kind: str, report: Report, root: Path | None = None) -> Part | None:
    """One Markdown part; ``root`` is the project (default: the folder above ``content/``)."""
    root = root if root is not None else _project_of(path)
    if check_inside(path, root, report) is None:
        return None
    text = _read_utf8(path, report)
    if text is None:
        return None
    split = split_front_matter(text, path, report)
    if split is None:
        return None
    fields, lines, body, body_line = split
    allowed = TEXT_FIELDS if kind == "text" else MATTER_FIELDS
    for key in fields:
        if key not in allowed:
            report.error(Location(path, lines.get(key, 1), 1),
                         f"unknown front-matter field '{key}'{did_you_mean(str(key), allowed)}")
    ok = check_kinds(fields, FIELD_KINDS, path, lines, report)
    if not ok:
        return None
    for key in ("summary", "questions", "editorial_notes"):  # Markdown the book renders
        for i, value in enumerate(_as_list(fields.get(key)) if key in fields else ()):
            where = Location(path, lines.get(f"{key}.{i}", lines.get(key, 1)), 1)
            if RAW_HTML.search(value):
                report.error(where, f"raw HTML is not allowed in '{key}'; use Markdown")
                ok = False
            for message in markdown_problems(value, where, path, root):
                report.error(where, f"in '{key}': {message}")
                ok = False

    def at(key: str) -> Location:
        return Location(path, lines.get(key, 1), 1)

    ok = check_date(_as_text(fields.get("date")), at("date"), report) and ok
    ok = check_language(_as_text(fields.get("lang")), at("lang"), report) and ok
    ok = check_url(_as_text(fields.get("original_url")), at("original_url"), report, "original_url") and ok
    # blank is missing: a title or an author of spaces left the EPUB's dc:title, <title> and contents empty
    if not _as_text(fields.get("title")).strip():
        report.error(Location(path, 1, 1), "missing required field 'title' in the front matter")
        ok = False
    named = _as_list(fields.get("authors")) or _as_list(fields.get("author"))
    if kind == "text" and not named:
        report.error(Location(path, 1, 1),
                     "missing required field 'author' (write author: unknown if it is not known)")
        ok = False
    elif kind == "text" and not all(name.strip() for name in named):
        key = "authors" if "authors" in fields else "author"
        report.error(at(key), f"an empty name in '{key}' (write author: unknown if it is not known)", "missing-field")
        ok = False
    if not ok:
        return None
    authors = _as_list(fields.get("authors")) or _as_list(fields.get("author"))
    return Part(
        slug=slug, kind=kind, title=_as_text(fields["title"]), path=path, body=body,
        body_location=Location(path, body_line, 1), subtitle=_as_text(fields.get("subtitle")),
        authors=authors, date=_as_text(fields.get("date")), source=_as_text(fields.get("source")),
        original_url=_as_text(fields.get("original_url")), lang=_as_text(fields.get("lang")),
        summary=_as_text(fields.get("summary")).strip(), questions=_as_list(fields.get("questions")),
        editorial_notes=_as_list(fields.get("editorial_notes")),
        editors_title=bool(fields.get("editors_title")), verse=bool(fields.get("verse")),
        list_corrections=bool(fields.get("list_corrections")),
        field_locations={k: Location(path, line, 1) for k, line in lines.items()},
    )


def read_glossary(path: Path, report: Report, root: Path | None = None) -> tuple[GlossaryEntry, ...]:
    if not path.exists() and not path.is_symlink():
        return ()
    root = root if root is not None else _project_of(path)
    if check_inside(path, root, report) is None:
        return ()
    text = _read_utf8(path, report)
    if text is None:
        return ()
    data, lines = load_yaml(text, path, report)
    if data is None:
        return ()
    if not isinstance(data, list):
        report.error(Location(path, 1, 1), "glossary.yml must be a list of entries ('- term: …')")
        return ()
    entries: list[GlossaryEntry] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(data):
        loc = Location(path, lines.get(str(i), 1), 3)
        if not isinstance(item, dict):
            report.error(loc, "a glossary entry must have 'term:' and 'definition:'")
            continue
        for key in item:
            if key not in GLOSSARY_FIELDS:
                report.error(Location(path, lines.get(f"{i}.{key}", loc.line), 3),
                             f"unknown glossary field '{key}'{did_you_mean(str(key), GLOSSARY_FIELDS)}")
        if not check_kinds(item, GLOSSARY_KINDS, path, lines, report, prefix=f"{i}.", col=3):
            continue
        term, definition = _as_text(item.get("term")).strip(), _as_text(item.get("definition")).strip()
        if not term or not definition:
            report.error(loc, f"glossary entry needs both 'term' and 'definition'{f' ({term})' if term else ''}")
            continue
        if term.lower() in seen:
            report.error(loc, f"duplicate glossary term '{term}' (first at line {seen[term.lower()]})")
            continue
        seen[term.lower()] = loc.line
        if RAW_HTML.search(definition):
            report.error(Location(path, lines.get(f"{i}.definition", loc.line), 3),
                         f"raw HTML is not allowed in the definition of '{term}'; use Markdown")
            continue
        aliases = _as_list(item.get("aliases"))
        if not all(alias.strip() for alias in aliases):  # it matched at each text's start: an empty link there
            report.error(Location(path, lines.get(f"{i}.aliases", loc.line), 3),
                         f"an empty alias of '{term}': delete it", "missing-field")
            aliases = tuple(alias for alias in aliases if alias.strip())
        where = Location(path, lines.get(f"{i}.definition", loc.line), 3)
        problems = markdown_problems(definition, where, path, root)
        for message in problems:
            report.error(where, f"in the definition of '{term}': {message}")
        if problems:
            continue
        # numbered where taken: every Arabic, Greek or Chinese term is slug 'x', and 'C' and 'C++' are both
        # 'c', so entries shared one id (gl-x) and every link went to the first (EPUBCheck's duplicate ids)
        entries.append(GlossaryEntry(term=term, slug=unique_slug(slugify(term), {e.slug for e in entries}),
                                     definition=definition,
                                     aliases=aliases,
                                     see_also=_as_list(item.get("see_also")), location=loc))
    return tuple(entries)


def unique_slug(slug: str, taken: set[str]) -> str:
    """``slug``, or ``slug-2``, ``slug-3`` … when another part or glossary entry already goes by it (the
    texts, the glossary, and a text ``build.py import`` adds)."""
    if slug not in taken:
        return slug
    n = 2
    while f"{slug}-{n}" in taken:
        n += 1
    return f"{slug}-{n}"


def text_name(path: Path) -> str:
    """The name a text file goes by in ``texts:`` (``01-first-text.md`` → first-text), composed as typed:
    macOS names files in NFD. Its slug is :func:`safe_slug` of this."""
    return unicodedata.normalize("NFC", _SLUG_PREFIX.sub("", path.stem))


def _listed_by_slug(listed: str, by_name: Mapping[str, str]) -> str | None:
    """The slug of the one text ``listed`` names by its slug ("first-text" for "First Text"), or None
    when none does, or more than one name slugifies alike (two Arabic names are both ``x``)."""
    if listed in by_name.values():
        return listed
    matches = {slug for name, slug in by_name.items() if safe_slug(name) == safe_slug(listed)}
    return matches.pop() if len(matches) == 1 else None


def read_texts(root: Path, config: Config, report: Report) -> tuple[Part, ...]:
    """Texts from content/texts/, in the order publication.yml gives (or file-name order).

    A text's name is its file name without the number (``01-first-text.md`` → first-text); its
    slug is that name made safe (:func:`safe_slug`). publication.yml may list either.
    """
    folder = root / "content" / "texts"
    files = sorted(folder.glob("*.md")) if folder.is_dir() else []
    by_slug: dict[str, Path] = {}
    by_name: dict[str, str] = {}  # name as in the file name → slug
    named = [(path, text_name(path)) for path in files if check_inside(path, root, report) is not None]
    safe = {name for _, name in named if SAFE_SLUG.match(name)}  # names that are their own slugs keep them
    for path, name in named:
        if name in by_name:
            report.error(Location(path, 1, 1), f"duplicate slug '{name}' (also {by_slug[by_name[name]].name})")
            continue
        # numbered where taken: every name in Arabic, Greek or Chinese script slugifies to 'x', and a
        # reader whose files were named in its own script had "duplicate slug 'x'" and could not be built
        slug = unique_slug(safe_slug(name), set(by_slug) | (safe - {name}))
        by_slug[slug] = path
        by_name[name] = slug
    pub = root / "content" / "publication.yml"
    order: list[str] = []
    for i, listed in enumerate(unicodedata.normalize("NFC", s) for s in config.texts):
        loc = config.locations.get(f"texts.{i}", Location(pub, 1, 1))
        slug = by_name.get(listed) or _listed_by_slug(listed, by_name)
        if slug is not None and slug in order:
            first = config.locations.get(f"texts.{order.index(slug)}", loc).line
            report.error(loc, f"text '{listed}' is listed twice in 'texts' (first on line {first}): a text is "
                         "printed once", "duplicate-slug")
            order.append("")  # keeps the indexes of the rest; no text has an empty name
            continue
        order.append(slug or "")
        if slug is None:
            report.error(loc, f"text '{listed}' is listed but there is no content/texts/*{listed}.md"
                         f"{did_you_mean(listed, by_name.keys())}")
    order = [slug for slug in order if slug]
    if config.texts:
        for slug, path in by_slug.items():
            if slug not in order:
                report.warning(Location(path, 1, 1), f"text '{slug}' is not listed in publication.yml "
                               "'texts' and is left out of the book")
    else:
        order = list(by_slug)
    parts = [read_part(by_slug[s], s, "text", report, root) for s in order]
    return tuple(p for p in parts if p)


def read_matter(root: Path, names: tuple[str, ...], kind: str, key: str, config: Config,
                report: Report) -> tuple[Part, ...]:
    parts = []
    for i, name in enumerate(names):
        loc = config.locations.get(f"{key}.{i}", Location(root / "content" / "publication.yml", 1, 1))
        if name in names[:i]:
            first = config.locations.get(f"{key}.{names.index(name)}", loc).line
            report.error(loc, f"'{name}' is listed twice in '{key}' (first on line {first}): a part is printed "
                         "once", "duplicate-slug")
            continue
        if not PART_NAME.match(name):
            report.error(loc, f"'{name}' in '{key}' must be the name of a file in content/ (letters, digits, "
                         "'-', '_'; no folders, no '..'), e.g. introduction for content/introduction.md",
                         "outside-project")
            continue
        path = root / "content" / f"{name}.md"
        if not path.exists() and not path.is_symlink():
            report.error(loc, f"'{name}' is listed in '{key}' but content/{name}.md does not exist")
            continue
        part = read_part(path, slugify(name), kind, report, root)
        if part:
            parts.append(part)
    return tuple(parts)


def read_project(root: Path, report: Report) -> Publication:
    """Every source of the project; each file is first checked to lie inside ``root``."""
    pub_path = root / "content" / "publication.yml"
    data, lines, unreadable = {}, {}, False
    if not pub_path.exists() and not pub_path.is_symlink():
        report.error(Location(pub_path), "no content/publication.yml: is this a chapbook project?")
    elif check_inside(pub_path, root, report) is not None:
        text = _read_utf8(pub_path, report)
        errors = len(report.errors)
        data, lines = load_yaml(text, pub_path, report) if text is not None else ({}, {})
        unreadable = data is None and len(report.errors) > errors  # reported at its line
    # the settings of a file that could not be read are the defaults, without "has no 'title'" as well
    config = build_config(data if data is not None else {}, pub_path, lines, Report() if unreadable else report)
    front = read_matter(root, config.front, "front", "front", config, report)
    texts = read_texts(root, config, report)
    back = read_matter(root, config.back, "back", "back", config, report)
    glossary = read_glossary(root / "content" / "glossary.yml", report, root)
    bib_path = root / "bibliography.bib"
    style = load_style(config.citation_style, root, config.locations.get("citation_style", Location(pub_path, 1, 1)),
                       report)
    bibliography: Bibliography = (
        Bibliography(path=bib_path, language=config.language, style=style, words=config.words)
        if bib_path.is_symlink() and check_inside(bib_path, root, report) is None
        else load_bibliography(bib_path, report, config.language, style, config.words))
    bibliography.use(cited_keys(p.body for p in front + texts + back) | {p.source for p in texts if p.source}, report)
    check_project_files(root, report)
    seen: dict[str, Part] = {}
    for part in front + texts + back:
        if part.slug in seen:
            report.error(part.body_location.shifted(col=1),
                         f"duplicate slug '{part.slug}' (also {seen[part.slug].path.name})")
        seen[part.slug] = part
    return Publication(root=root, config=config, front=front, texts=texts, back=back,
                       glossary=glossary, bibliography=bibliography)


def check_project_files(root: Path, report: Report) -> None:
    """Styles, templates and fonts a writer may load: every one must resolve inside the project.

    The writers read these folders later (the EPUB copies its stylesheet, WeasyPrint loads fonts
    and CSS, Jinja loads templates); a symlink to ``/etc/passwd`` among them is refused here,
    while reading, so nothing is written. The folders themselves must not point outside either.
    """
    for name in ("styles", "templates"):
        folder = root / name
        if not folder.exists() and not folder.is_symlink():
            continue
        if check_inside(folder, root, report, Location(folder, 1, 1), "folder") is None:
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_symlink() or path.is_file():
                check_inside(path, root, report, Location(path, 1, 1))
