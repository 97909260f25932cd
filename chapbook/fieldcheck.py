"""Typed values from YAML: every field a project sets is checked before anything uses it.

A value that reaches a template, a CSS rule, an ``href`` or an EPUB's metadata must be of the
kind chapbook expects: ``title: {a: b}`` would otherwise print a Python repr, ``lang: [1]``
would become an ``xml:lang``, ``original_url: javascript:…`` a link, and a line height with a
``}`` in it a new CSS rule. Each check reports a located error and says whether the value is
usable, so the reader can fall back to a default instead of passing the value on.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

from .diagnostics import Location, Report

TEXT, TEXTS, FLAG = "text", "list of texts", "true/false"

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$")
# BCP 47, as used in practice: a 2–3 letter language, then subtags of up to 8 letters/digits.
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*\Z")
SAFE_URL = re.compile(r"^(?:https?://[^\s<>\"'`\\]+|mailto:[^\s<>\"'`\\]+)\Z", re.IGNORECASE)


def kind_problem(value: Any, kind: str) -> str:
    """'' when ``value`` is of ``kind``; else what it should have been."""
    scalar = (str, int, float)
    if value is None:
        return ""
    if kind == FLAG:
        return "" if isinstance(value, bool) else "true or false"
    if isinstance(value, bool):  # YAML's yes/no/true are not text
        return "text (put it in quotes)" if kind == TEXT else "a list of texts"
    if kind == TEXT:
        return "" if isinstance(value, scalar) else "text, not a " + _kind_name(value)
    if isinstance(value, list):
        bad = [v for v in value if isinstance(v, bool) or not isinstance(v, scalar)]
        return "a list of texts (one item is a " + _kind_name(bad[0]) + ")" if bad else ""
    return "" if isinstance(value, scalar) else "text or a list of texts, not a " + _kind_name(value)


def _kind_name(value: Any) -> str:
    return {dict: "mapping", list: "list", bool: "true/false", bytes: "binary value"}.get(
        type(value), type(value).__name__)


def check_kinds(fields: dict, kinds: dict[str, str], path: Path, lines: dict[str, int], report: Report,
                prefix: str = "", col: int = 1) -> bool:
    """Report every field whose value is not of its declared kind; True when all are."""
    ok = True
    for key, kind in kinds.items():
        if key in fields:
            problem = kind_problem(fields[key], kind)
            if problem:
                report.error(Location(path, lines.get(f"{prefix}{key}", 1), col),
                             f"'{key}' must be {problem}", "bad-value")
                ok = False
    return ok


def check_date(value: str, loc: Location, report: Report, key: str = "date") -> bool:
    """An ISO-looking date must be a real one; other text ('unknown', 'Spring 2003') is kept as written."""
    m = _ISO_DATE.match(value.strip())
    if not m:
        return True
    year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3) or 1)
    try:
        datetime.date(year, month, day)
    except ValueError:
        report.error(loc, f"'{key}: {value}' is not a date (write YYYY, YYYY-MM or YYYY-MM-DD, or 'unknown')",
                     "bad-value")
        return False
    return True


def subtags(lang: str | None) -> list[str]:
    """A language tag's subtags, lower case ("de_CH" and "de-CH" → ["de", "ch"]; None → [""]): what the
    rules that depend on a language (quotes, names, editions) look up."""
    return (lang or "").replace("_", "-").lower().split("-")


def check_language(value: str, loc: Location, report: Report, key: str = "lang") -> bool:
    if not value or LANGUAGE_TAG.match(value):
        return True
    report.error(loc, f"'{key}: {value[:40]}' is not a language tag (such as en, en-GB, de, pt-BR)", "bad-value")
    return False


def check_url(value: str, loc: Location, report: Report, key: str) -> bool:
    """A web address from metadata: http(s) or mailto only, like links in the texts ('unknown' is fine)."""
    if not value or value.strip().lower() == "unknown" or SAFE_URL.match(value.strip()):
        return True
    report.error(loc, f"'{key}' must be a web address (https://…) or 'unknown', not '{value[:80]}'",
                 "unsafe-link")
    return False


def markdown_problems(text: str, loc: Location, source_file: Path, root: Path) -> list[str]:
    """Unsafe links and images in a short Markdown value from YAML (summary, definition, blurb …).

    The same rules as a text's body (:func:`chapbook.sourcescan.check_html_and_links`); positions
    inside a YAML scalar do not map to file columns, so problems are reported at the key's line.
    """
    from .citations import find_citations
    from .sourcescan import check_html_and_links

    problems, _ = check_html_and_links(text, loc, source_file, root)
    found = [message for _, message in problems if not message.startswith("raw HTML")]
    citations, syntax = find_citations(text)  # only the texts' bodies render citations
    return found + [f"a citation is printed here as written ('{c.raw}'): write the reference out in words, "
                    "or cite it in the text" for c in citations] + [message for _, message in syntax]
