"""Converted parts kept between builds, so an edit converts only the text that changed (issue 11).

Converting every text from Markdown cost 0.6 s of a 3 s rebuild of the reader at 10× after one
changed paragraph. A part's conversion (:func:`chapbook.markup.convert`) depends on its own
Markdown and on a little state shared by the whole book, so it is cached under a key made of
exactly that (:func:`key`):

- the part's body, its file and where its body starts, its slug and kind;
- the project's folder and ``--allow-remote`` (how images are resolved);
- the glossary (its terms mark the text), the settings convert reads (glossary marks, acronyms);
- every citation label of the bibliography (author part and year label, with the year letters:
  a citation added to text A that turns text B's "2002" into "2002a" changes every key);
- the code: chapbook's version, the digest of its modules, Python-Markdown's version.

Only a conversion that reported nothing is kept (a part with a problem is converted, and its
problems reported, again), and a hit is used only if every image the part shows has the size
and time it had (an image replaced by a broken one is reported by the next conversion). With a
CSL citation style nothing is cached: its citations depend on the processor's state.

Kept in memory for ``build.py watch`` (:data:`MEMORY`), and on disk in
``OUTPUT/.cache/convert/KEY.json`` for a build in a new process, sealed like every cache
(:mod:`chapbook.cacheseal`). A cached conversion equals an uncached one (tests/test_convcache.py).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import html as html_lib
import json
import re
from collections import OrderedDict
from pathlib import Path

from . import __version__, code_digest
from .cacheseal import seal, sealed
from .diagnostics import Location
from .model import Citation, CiteItem, Converted, Correction, Part
from .projectfiles import file_stamp

CACHE_DIR = Path(".cache") / "convert"  # under the output folder
FORMAT = 1  # of the JSON files; part of every key
SPARE = 64  # conversions kept beyond those of the last build (in memory and on disk)
MOST = 2048  # conversions (and print HTML) kept in memory at most, whether or not a book is written
_IMG = re.compile(r'<img\b[^>]*?\bsrc="([^"]*)"')

MEMORY: OrderedDict[str, tuple[Converted, dict[str, tuple[int, int] | None]]] = OrderedDict()
PRINTED: dict[tuple[str, str | None], str] = {}  # (a part's HTML, language) → its print HTML (render.print_footnotes)


@dataclasses.dataclass
class Stats:
    """Counters, so tests can tell how many parts a build converted."""

    converted: int = 0  # parts converted (misses)
    memory: int = 0  # taken from memory
    disk: int = 0  # taken from disk


STATS = Stats()


def clear() -> None:
    """Forget every conversion kept in memory (a clean build follows)."""
    MEMORY.clear()
    PRINTED.clear()


def printed(html: str, lang: str | None = None) -> str:
    """A part's HTML as the print editions set it (:func:`chapbook.render.print_footnotes`: notes at their
    calls, the print typography), made once per HTML: a pure function of it and of chapbook's code
    (in every key here), it cost 0.1 s per rebuild at 10× for texts that did not change. Kept with
    the part's conversion on disk. ``lang``: the part's language (its print typography's)."""
    found = PRINTED.get((html, lang))
    if found is None:
        from .render import print_footnotes

        found = PRINTED[html, lang] = print_footnotes(html, lang)
        while len(PRINTED) > MOST:
            del PRINTED[next(iter(PRINTED))]
    return found


@functools.cache
def _code() -> str:
    """Digest of chapbook's modules and Python-Markdown's version: other code, other conversions."""
    import markdown

    modules = tuple(sorted(path.name for path in Path(__file__).resolve().parent.glob("*.py")))
    return f"{__version__}/{FORMAT}/{markdown.__version__}/{code_digest(modules)}"


def shared_state(publication) -> str | None:
    """The digest of what every part's conversion shares (see the module's doc); None: do not cache."""
    from .config import glossary_settings
    from .sourcescan import ALLOW_REMOTE

    bib = publication.bibliography
    if getattr(bib, "csl", None) is not None:
        return None
    config = publication.config
    glossary = [[e.term, e.slug, e.definition, list(e.aliases), list(e.see_also)] for e in publication.glossary]
    state = {"code": _code(), "root": str(publication.root.resolve()), "remote": bool(ALLOW_REMOTE.get()),
             "glossary": glossary, "mark": glossary_settings(config)["mark"],
             "acronyms": config.typography.get("acronyms", "reduced"), "language": config.language,
             "labels": [[k, *bib.label(k)] for k in sorted(bib.keys)]}
    return hashlib.sha256(json.dumps(state, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def key(part: Part, shared: str) -> str:
    """The key of one part's conversion: the shared state and the part's own sources."""
    loc = part.body_location
    own = [shared, part.slug, part.kind, str(part.path), str(loc.path), loc.line, loc.col, part.lang, part.verse,
           part.body]
    return hashlib.sha256(json.dumps(own).encode("utf-8")).hexdigest()


# ---- Images the conversion checked ---------------------------------------------------------------


def images(converted: Converted, root: Path) -> dict[str, tuple[int, int] | None]:
    """Each project image the part shows → its (mtime, size) now."""
    found = {}
    for m in _IMG.finditer(converted.html):
        src = html_lib.unescape(m.group(1))
        if src and "://" not in src:
            found[src] = file_stamp(root / src)
    return found


def _unchanged(seen: dict[str, tuple[int, int] | None], root: Path) -> bool:
    return all(file_stamp(root / src) == (tuple(stat) if stat else None) for src, stat in seen.items())


# ---- JSON --------------------------------------------------------------------------------------


def _loc(loc: Location) -> list:
    return [str(loc.path), loc.line, loc.col]


def _unloc(data: list) -> Location:
    return Location(Path(data[0]), data[1], data[2])


def to_json(converted: Converted, seen: dict) -> dict:
    """A conversion (without its part, which the build has) as plain data."""
    return {
        "html": converted.html,
        "citations": [[{"items": [dataclasses.asdict(i) for i in c.items], "narrative": c.narrative,
                        "start": c.start, "end": c.end, "raw": c.raw}, _loc(loc)] for c, loc in converted.citations],
        "explicit_terms": [[term, _loc(loc)] for term, loc in converted.explicit_terms],
        "glossary_marks": [list(m) for m in converted.glossary_marks],
        "corrections": [[c.original, c.corrected, _loc(c.location), c.paragraph, c.note, c.anchor]
                        for c in converted.corrections],
        "paragraphs": converted.paragraphs,
        "places": {k: list(v) for k, v in converted.places.items()},
        "anchors": list(converted.anchors), "notes": list(converted.notes),
        "images": {k: list(v) if v else None for k, v in seen.items()},
        "print_html": {lang or "": found for (html, lang), found in PRINTED.items() if html == converted.html},
    }


def from_json(data: dict, part: Part) -> Converted:
    citations = tuple((Citation(tuple(CiteItem(**i) for i in c["items"]), c["narrative"], c["start"], c["end"],
                                c["raw"]), _unloc(loc)) for c, loc in data["citations"])
    return Converted(
        part=part, html=data["html"], citations=citations,
        explicit_terms=tuple((term, _unloc(loc)) for term, loc in data["explicit_terms"]),
        glossary_marks=tuple(tuple(m) for m in data["glossary_marks"]),
        corrections=tuple(Correction(o, c, _unloc(loc), p, n, a) for o, c, loc, p, n, a in data["corrections"]),
        paragraphs=data["paragraphs"], places={k: tuple(v) for k, v in data["places"].items()},
        anchors=tuple(data["anchors"]), notes=tuple(data["notes"]))


# ---- The cache ---------------------------------------------------------------------------------


def lookup(key_: str, part: Part, root: Path, folder: Path | None) -> Converted | None:
    """The part's conversion from memory or (``folder``) disk, if every image it shows is unchanged."""
    if key_ in MEMORY:
        converted, seen = MEMORY[key_]
        if _unchanged(seen, root):
            MEMORY.move_to_end(key_)
            STATS.memory += 1
            return dataclasses.replace(converted, part=part)
        del MEMORY[key_]
    if folder is None:
        return None
    try:
        stored = json.loads((folder / f"{key_}.json").read_text(encoding="utf-8"))
        body = stored["converted"]
        if not sealed(stored.get("seal"), key_.encode("ascii"), json.dumps(body, sort_keys=True).encode("utf-8")):
            return None  # planted, damaged or another user's (chapbook.cacheseal)
        seen = {src: tuple(stat) if stat else None for src, stat in body["images"].items()}
        if not _unchanged(seen, root):
            return None
        converted = from_json(body, part)
        kept = body.get("print_html")
        for lang, found in (kept.items() if isinstance(kept, dict) else ()):  # by language, "" for none
            if isinstance(lang, str) and isinstance(found, str):
                PRINTED[converted.html, lang or None] = found
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    MEMORY[key_] = (converted, seen)
    STATS.disk += 1
    return converted


def remember(key_: str, converted: Converted, root: Path) -> None:
    """Keep a conversion that reported nothing, in memory (written to disk by :func:`store`)."""
    MEMORY[key_] = (converted, images(converted, root))  # a new key: lookup missed it or dropped it
    while len(MEMORY) > MOST:  # serve's watch writes no book (no store()): its edits are let go here
        MEMORY.popitem(last=False)


def convert(part: Part, publication, report, run, folder: Path | None, shared: str | None) -> Converted:
    """The part's conversion: from the cache, else ``run()`` (kept if it reported nothing)."""
    if shared is None:
        return run()
    key_ = key(part, shared)
    found = lookup(key_, part, publication.root, folder)
    if found is not None:
        return found
    before = len(report.diagnostics)
    converted = run()
    STATS.converted += 1
    if len(report.diagnostics) == before:
        remember(key_, converted, publication.root)
    return converted


def store(folder: Path, publication, converted: list[Converted]) -> None:
    """Write this build's conversions not yet on disk (those in memory), and let go of those no build
    needs: in memory and on disk, this build's and the :data:`SPARE` most recently used others.
    Called while the book is written (the output folder's lock held), so that a build that writes no
    book leaves no cache; one that cannot be written only costs time."""
    from .outfiles import let_go, prune_cache, write_cache

    shared = shared_state(publication)
    if shared is None:
        return
    keys = [key(c.part, shared) for c in converted]
    used = set(keys)
    for old in let_go(MEMORY, used, SPARE):
        del MEMORY[old]
    kept = {converted.html for converted, _ in MEMORY.values()}
    for key_ in [k for k in PRINTED if k[0] not in kept]:
        del PRINTED[key_]
    try:
        for key_ in keys:
            target = folder / f"{key_}.json"
            if key_ in MEMORY and not target.is_file():
                body = to_json(*MEMORY[key_])
                tag = seal(key_.encode("ascii"), json.dumps(body, sort_keys=True).encode("utf-8"))
                if tag is None:  # no key to seal with: no cache
                    return
                write_cache(target, json.dumps({"seal": tag, "converted": body}, sort_keys=True).encode("utf-8"))
    except OSError:
        return
    prune_cache(folder, used, SPARE)
