"""chapbook's own words — the headings, labels and sentences its templates print — in the book's language.

A German reader said "Contents", "Glossary" and "Edited by" inside ``lang="de"``: a screen reader
read them with a German voice, the hyphenation patterns were German, and a reader saw English in
the middle of a German book. Every word a built-in template prints comes from here instead, in the
book's ``language`` (its first subtag: ``de-AT`` takes the German words; the catalogues are in
:mod:`chapbook.wordlists`), with the project's own ``words:`` from publication.yml over them.
Languages without a catalogue get the English words and a warning, which naming every word under
``words:`` answers (as Quarto's ``language:`` does).

Values are plain text (escaped where printed). ``{name}`` marks what the template fills in, through
the ``fill`` filter: the names of each entry are those of its English one, bare, checked when a
project overrides it (:func:`check_words`), since a format string may otherwise reach attributes or
ask for a width of millions; there ``{{`` and ``}}`` are braces. A word that fills nothing in is
printed as written, braces and all.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping

from markupsafe import Markup, escape

from .charclasses import ISOLATES, LINE_ENDS, TAB, char_class
from .diagnostics import Location, Report, did_you_mean
from .fieldcheck import subtags
from .wordlists import CATALOGUE, ENGLISH

__all__ = ["CATALOGUE", "ENGLISH", "check_words", "fill", "human_date", "words_for"]


def placeholders(text: str) -> list[str] | None:
    """The ``{names}`` a text fills in, in order; None when it is not a valid format string or a field
    is more than a bare name (``{label:>30000000}`` asked Python for 30 MB a note, ``{x!r}`` for a
    repr, ``{x.y}`` for an attribute)."""
    try:
        fields = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(text)
                  if name is not None]
    except ValueError:
        return None
    if any(not name.isidentifier() or spec or conversion for name, spec, conversion in fields):
        return None
    return [name for name, _, _ in fields]


# Characters a word may not hold besides those the YAML reader already refuses at their line
# (chapbook.yamlsafe.CONTROL, which reported U+202E a second time here): line ends and tabs, which
# no heading or label has, and the direction isolates, which a word cannot close where it ends.
_UNPRINTABLE = char_class(TAB, LINE_ENDS, ISOLATES)

# What a sentence may fill in besides its English one's names: the notes' title as written, for
# languages that quote it rather than lower-case it after an article ("in the editorial note").
# Words that are lists, split at spaces: how many each must name, and what.
_LISTS = {"months": (12, "the twelve months"), "ref_seasons": (4, "the four seasons from spring")}

_ALSO = {"reproduced_print": ["notes_title"], "reproduced_epub": ["notes_title"],
         "ref_edition": ["number"]}  # "3. Aufl.": the edition's number where English writes "3rd"


def fills(key: str) -> list[str]:
    """The ``{names}`` the word ``key`` may use."""
    return (placeholders(ENGLISH[key]) or []) + _ALSO.get(key, [])


def words_for(language: str, own: Mapping[str, str] | None = None) -> dict[str, str]:
    """Every word for a book in ``language``: the project's ``own`` over the language's catalogue,
    over the English ones. Swiss and Liechtenstein German write ss for ß."""
    parts = subtags(language)
    found = CATALOGUE.get(parts[0] if parts else "en", {})
    words = ENGLISH | found
    if parts and parts[0] == "de" and {"ch", "li"} & set(parts[1:]):
        words = {k: v.replace("ß", "ss") for k, v in words.items()}
    return words | dict(own or {})


def has_catalogue(language: str) -> bool:
    """Whether chapbook has its own words in ``language`` (else they are English)."""
    parts = subtags(language)
    return bool(parts) and parts[0] in CATALOGUE


def check_words(own: dict, language: str, where: Location, lines: Mapping[str, int], report: Report) -> dict[str, str]:
    """The ``words:`` of publication.yml that are usable: known names, text, and no ``{name}`` its
    English entry does not have (nor a stray brace). Each other one is an error at its line."""
    usable: dict[str, str] = {}
    for key, value in own.items():
        loc = Location(where.path, lines.get(f"words.{key}", where.line), 1)
        if key not in ENGLISH:
            report.error(loc, f"unknown word 'words.{key}'{did_you_mean(str(key), ENGLISH.keys())}", "unknown-setting")
            continue
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            report.error(loc, f"'words.{key}' must be text, such as: {ENGLISH[key]!r}", "bad-value")
            continue
        text = str(value)
        if not text.strip():  # an empty heading, page title or link: an EPUB no reader takes (EPUBCheck's errors)
            report.error(loc, f"'words.{key}' is empty: give the word (such as {ENGLISH[key]!r}), or leave it out "
                         "for chapbook's own", "bad-value")
            continue
        if unprintable := _UNPRINTABLE.search(text):
            report.error(loc, f"'words.{key}' holds the character U+{ord(unprintable.group()):04X} (a line end, "
                         "tab or direction isolate, which would break or reorder what follows it): delete it",
                         "bad-value")
            continue
        allowed = fills(key)
        names = placeholders(text) if allowed else []  # a word that fills nothing in is printed as written
        if names is None or any(n not in allowed for n in names):
            shown = ", ".join("{" + n + "}" for n in allowed) or "nothing in braces"
            report.error(loc, f"'words.{key}' may only use {shown}, as bare names (write {{{{ and }}}} for a "
                         f"brace): {text[:80]!r}", "bad-value")
            continue
        if key in _LISTS and len(text.split()) != _LISTS[key][0]:
            report.error(loc, f"'words.{key}' must name {_LISTS[key][1]}, separated by spaces", "bad-value")
            continue
        usable[key] = text
    if not has_catalogue(language) and set(ENGLISH) - set(usable):
        report.warning(where, f"chapbook has no words of its own in '{language}' (headings such as “Contents”, "
                       "labels, month names): they are set in English. Give them under 'words:' in "
                       "publication.yml (see the README)", "no-words")
    return usable


def fill(text: str, **values) -> Markup:
    """Jinja filter ``fill``: a word with its ``{names}`` filled in; the word is escaped, and so is
    each value that is not already markup (a link, a page reference).

    Only bare names are filled: a project's template is untrusted, and ``{c.__class__}`` in a format
    string would reach attributes the sandbox refuses (format runs outside it).
    """
    from jinja2.exceptions import SecurityError

    try:
        fields = list(string.Formatter().parse(str(text)))
    except ValueError as exc:
        raise SecurityError(f"'fill' cannot read {str(text)[:60]!r}: {exc}") from None
    for _, name, spec, conversion in fields:
        if name is not None and (not name.isidentifier() or spec or conversion):
            raise SecurityError(f"'fill' fills in bare names such as {{page}}, not {{{name}}}")
    return Markup(escape(text)).format(**values)


def human_date(value: str, words: Mapping[str, str]) -> str:
    """'2008-12-11' → '11 December 2008' (in ``words``, the book's: required, as an English default
    went unnoticed); '2002-07' → 'July 2002'; other text unchanged."""
    m = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", value.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        return value
    month = words["months"].split()[int(m.group(2)) - 1]
    if not m.group(3):
        return words["date_month"].format(month=month, year=m.group(1))
    day = words["first_day"] if int(m.group(3)) == 1 else str(int(m.group(3)))
    return words["date_day"].format(day=day, month=month, year=m.group(1))
