"""Fidelity of the edited texts to their originals (issue 3).

For each text in content/texts/, the original in content/originals/ minus the passages recorded
in content/originals/LEFTOVERS.yml must have the same words, in the same order, as the edited
body once its recorded edits are undone: CriticMarkup back to the original reading, editors'
(``ed``) footnotes removed, citations rendered to words, glossary marks and Markdown syntax
stripped. A change to a body that is not recorded fails.

Words are compared, not characters: punctuation, quotation marks, dashes, case and line breaks
(paragraphing) are outside this check.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import html
import re
import unicodedata
from functools import cache
from pathlib import Path

import pytest
import yaml

from chapbook.bibliography import Bibliography, load_bibliography
from chapbook.citations import find_citations
from chapbook.diagnostics import Report

ROOT = Path(__file__).resolve().parent.parent
ORIGINALS = ROOT / "content" / "originals"
TEXTS = ROOT / "content" / "texts"
RECORD_PATH = ORIGINALS / "LEFTOVERS.yml"


class RecordError(AssertionError):
    """LEFTOVERS.yml does not describe the original any more."""


# --------------------------------------------------------------------------- the record


@cache
def _record() -> dict:
    data = yaml.safe_load(RECORD_PATH.read_text(encoding="utf-8"))
    return data["originals"]


def record() -> dict:
    return copy.deepcopy(_record())


def _line_index(lines: list[str], marker: str, name: str) -> int:
    hits = [i for i, line in enumerate(lines) if line.startswith(marker)]
    if len(hits) != 1:
        raise RecordError(f"{name}: line marker {marker!r} starts {len(hits)} lines, expected exactly 1")
    return hits[0]


def remove_recorded(original: str, entry: dict, name: str) -> str:
    """``original`` without the front-matter lines and removed passages listed in ``entry``.

    Raises RecordError when a listed passage is not found verbatim (or not the stated number of
    times), so that the record has to stay true to the file.
    """
    text = original
    for item in [*(entry.get("front_matter") or []), *(entry.get("removed") or [])]:
        kinds = {"line", "text", "from"} & item.keys()
        if len(kinds) != 1 or ("from" in item) != ("to" in item) or not {"why", "field"} & item.keys():
            raise RecordError(f"{name}: malformed entry {item!r}")
        lines = text.split("\n")
        if "line" in item:
            want = item.get("count", 1)
            hits = [i for i, line in enumerate(lines) if line == item["line"]]
            if len(hits) != want:
                raise RecordError(f"{name}: line {item['line']!r} found {len(hits)} times, expected {want}")
            lines = [line for i, line in enumerate(lines) if i not in hits]
            text = "\n".join(lines)
        elif "text" in item:
            found = text.count(item["text"])
            if found != 1:
                raise RecordError(f"{name}: passage {item['text']!r} found {found} times, expected 1")
            text = text.replace(item["text"], "\n")
        else:
            start = _line_index(lines, item["from"], name)
            end = _line_index(lines, item["to"], name)
            if end < start:
                raise RecordError(f"{name}: 'to' marker {item['to']!r} comes before 'from' {item['from']!r}")
            text = "\n".join(lines[:start] + lines[end + 1:])
    return text


# --------------------------------------------------------------------------- the edited body

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)
_CRITIC = [  # (pattern, original reading)
    (re.compile(r"\{~~(.*?)~>(.*?)~~\}", re.DOTALL), r"\1"),  # substitution: keep the old side
    (re.compile(r"\{--(.*?)--\}", re.DOTALL), r"\1"),  # deletion: the original had it
    (re.compile(r"\{\+\+(.*?)\+\+\}", re.DOTALL), ""),  # insertion: the original did not
    (re.compile(r"\{==(.*?)==\}", re.DOTALL), r"\1"),  # highlight
    (re.compile(r"\{>>(.*?)<<\}", re.DOTALL), ""),  # editorial comment
]
_CRITIC_LEFT = re.compile(r"\{~~|~~\}|\{--|--\}|\{\+\+|\+\+\}|\{==|==\}|\{>>|<<\}|~>")
# An editors' footnote definition with its indented continuation paragraphs.
_ED_FOOTNOTE_DEF = re.compile(r"^\[\^ed[^\]\s]*\]:.*(?:\n(?:[ \t]*\n)*(?: {4}|\t).*)*", re.MULTILINE)
_ED_FOOTNOTE_REF = re.compile(r"\[\^ed[^\]\s]*\]")
_FOOTNOTE_DEF = re.compile(r"^\[\^([^\]\s]+)\]:", re.MULTILINE)  # the authors' own notes
_FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")
_GLOSSARY = re.compile(r"\[\[([^\[\]|]+)(?:\|([^\[\]]+))?\]\]")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_AUTOLINK = re.compile(r"<((?:[a-zA-Z][\w+.-]*:|[^\s<>@]+@)[^\s<>]*)>")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)
_SETEXT = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$", re.MULTILINE)
_LIST_MARKER = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+", re.MULTILINE)
_BLOCKQUOTE = re.compile(r"^[ \t]*>[ \t]?", re.MULTILINE)
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def split_front_matter(source: str) -> tuple[dict, str]:
    m = _FRONT_MATTER.match(source)
    if m is None:
        return {}, source
    return yaml.safe_load(m.group(1)) or {}, source[m.end():]


_ATTRIBUTE_LIST = re.compile(r"^[ \t]*\{:[^}\n]*\}[ \t]*$", re.MULTILINE)


def undo_edits(body: str, bib: Bibliography) -> str:
    """The edited ``body`` with its recorded edits undone, as plain text."""
    text = body
    for pattern, repl in _CRITIC:
        text = pattern.sub(repl, text)
    if (m := _CRITIC_LEFT.search(text)) is not None:
        raise AssertionError(f"unbalanced CriticMarkup near {text[max(0, m.start() - 40):m.end() + 40]!r}")
    text = _ED_FOOTNOTE_DEF.sub("", text)
    text = _ED_FOOTNOTE_REF.sub("", text)
    text = _ATTRIBUTE_LIST.sub("", text)  # {: .signature}: a class for the layout, not the authors' words
    text = _GLOSSARY.sub(lambda m: m.group(2) if m.group(2) is not None else m.group(1), text)
    citations, problems = find_citations(text)
    assert not problems, f"citation syntax problems: {problems}"
    for c in reversed(citations):
        text = text[:c.start] + bib.cite_text(c) + text[c.end:]
    text = _FOOTNOTE_DEF.sub(r"\1", text)  # the authors' own notes stay, as their text
    text = _FOOTNOTE_REF.sub(r"\1", text)
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _HTML_TAG.sub(" ", text)
    text = _HEADING.sub(r"\1", text)
    text = _SETEXT.sub("", text)
    text = _BLOCKQUOTE.sub("", text)
    text = _LIST_MARKER.sub("", text)
    text = _ESCAPE.sub(r"\1", text)
    return html.unescape(text)  # &amp;, &nbsp; … (emphasis marks are not letters: see words())


# --------------------------------------------------------------------------- comparison

_FOLD = str.maketrans({
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'",
    "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"',
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
    "\u00ad": "",  # soft hyphen: invisible
})
_WORD = re.compile(r"[^\W_]+")  # a run of letters and digits


def words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).translate(_FOLD).lower()
    return _WORD.findall(text)


def word_diff(original: list[str], edited: list[str], context: int = 8) -> str:
    """Every difference between the two word lists, with ``context`` words either side."""
    out = []
    matcher = difflib.SequenceMatcher(None, original, edited, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        before = " ".join(original[max(0, i1 - context):i1])
        after = " ".join(original[i2:i2 + context])
        out.append(
            f"  {tag} at original word {i1 + 1} / edited word {j1 + 1}:\n"
            f"    original: …{before} [{' '.join(original[i1:i2])}] {after}…\n"
            f"    edited:   …{' '.join(edited[max(0, j1 - context):j1])} [{' '.join(edited[j1:j2])}] "
            f"{' '.join(edited[j2:j2 + context])}…"
        )
    return "\n".join(out)


@cache
def bibliography() -> Bibliography:
    report = Report()
    bib = load_bibliography(ROOT / "bibliography.bib", report)
    assert not report.errors, report.errors
    return bib


def compare(name: str, entry: dict, body: str | None = None) -> str:
    """'' when the edited body (default: the file's) matches its original, else a readable diff."""
    original = remove_recorded((ORIGINALS / name).read_text(encoding="utf-8"), entry, name)
    if body is None:
        _, body = split_front_matter((TEXTS / entry["text"]).read_text(encoding="utf-8"))
    expected, got = words(original), words(undo_edits(body, bibliography()))
    if expected == got:
        return ""
    return (f"{entry['text']} differs from {name} (after removing the recorded leftovers and undoing "
            f"the recorded edits) in words that are not recorded:\n{word_diff(expected, got)}")


def body_of(entry: dict) -> str:
    return split_front_matter((TEXTS / entry["text"]).read_text(encoding="utf-8"))[1]


# --------------------------------------------------------------------------- the tests

NAMES = sorted(_record())


def test_record_covers_every_original_and_text():
    assert sorted(p.name for p in ORIGINALS.glob("*.txt")) == NAMES
    texts = [entry["text"] for entry in _record().values()]
    assert sorted(texts) == sorted(p.name for p in TEXTS.glob("*.md"))


@pytest.mark.parametrize("name", NAMES)
def test_original_is_unchanged(name):
    digest = hashlib.sha256((ORIGINALS / name).read_bytes()).hexdigest()
    assert digest == _record()[name]["sha256"], f"{name} was changed; the originals must stay raw copies"


@pytest.mark.parametrize("name", NAMES)
def test_front_matter_fields_exist(name):
    entry = _record()[name]
    front, _ = split_front_matter((TEXTS / entry["text"]).read_text(encoding="utf-8"))
    for item in entry["front_matter"]:
        assert front.get(item["field"]), f"{entry['text']}: no '{item['field']}' for {item['line']!r}"


@pytest.mark.parametrize("name", NAMES)
def test_body_has_the_original_words(name):
    problem = compare(name, _record()[name])
    assert not problem, problem


# --- self-tests: the comparison must catch what it is meant to catch

def _first_plain(body: str, word: str) -> int:
    """Offset of the first `` word `` in an ordinary paragraph of ``body`` (not in a heading)."""
    for m in re.finditer(rf"(?<= ){word}(?= )", body):
        line_start = body.rfind("\n", 0, m.start()) + 1
        if not body.startswith("#", line_start):
            return m.start()
    raise AssertionError(f"no plain {word!r}")


@pytest.mark.parametrize("how", ["change", "delete", "add"])
@pytest.mark.parametrize("name", NAMES)
def test_a_one_word_change_is_caught(name, how):
    entry = _record()[name]
    body = body_of(entry)
    at = _first_plain(body, "the")
    mutated = {
        "change": body[:at] + "a" + body[at + 3:],
        "delete": body[:at] + body[at + 4:],
        "add": body[:at] + "very " + body[at:],
    }[how]
    assert mutated != body
    problem = compare(name, entry, mutated)
    assert problem, f"{how} of one word in {entry['text']} was not caught"
    assert "original word" in problem


def test_a_change_inside_a_correction_or_citation_is_caught():
    entry = _record()["004_95a1ca5cadbce04d.txt"]
    body = body_of(entry)
    for old, new in [("(see Heller & Pécoud 2019)", "(see Heller & Pécoud 2018)"),
                     ("[see @georgi2019]", "[see @pecoud2018]")]:
        assert old in body
        assert compare("004_95a1ca5cadbce04d.txt", entry, body.replace(old, new, 1))


def test_a_dropped_sentence_is_caught():
    entry = _record()["000_9f370b3aeb456cab.txt"]
    body = body_of(entry)
    sentence = "That says it all. "
    assert sentence in body
    problem = compare("000_9f370b3aeb456cab.txt", entry, body.replace(sentence, ""))
    assert "[that says it all]" in problem


def test_an_unlisted_leftover_is_caught():
    """Text left out of the edition but not listed in LEFTOVERS.yml fails the comparison."""
    entry = record()["004_95a1ca5cadbce04d.txt"]
    entry["removed"] = [item for item in entry["removed"] if "Morocco" not in item.get("line", "")]
    problem = compare("004_95a1ca5cadbce04d.txt", entry)
    assert "the iom office in morocco is located" in problem


def test_a_listed_passage_that_is_not_in_the_original_fails_loudly():
    entry = record()["000_9f370b3aeb456cab.txt"]
    entry["removed"].append({"line": "[back to the top]", "why": "typo in the record"})
    with pytest.raises(RecordError, match="found 0 times"):
        compare("000_9f370b3aeb456cab.txt", entry)
    entry = record()["003_26e570c6e6b4ef14.txt"]
    entry["removed"].append({"text": "not in the copy", "why": "x"})
    with pytest.raises(RecordError, match="found 0 times"):
        compare("003_26e570c6e6b4ef14.txt", entry)
    entry = record()["003_26e570c6e6b4ef14.txt"]
    entry["removed"][-1]["to"] = "No such line"
    with pytest.raises(RecordError, match="starts 0 lines"):
        compare("003_26e570c6e6b4ef14.txt", entry)


def test_text_passages_and_markup_are_undone():
    entry = {"removed": [{"text": "Photo: X", "why": "caption"}]}
    assert remove_recorded("A cat. Photo: X\nB", entry, "t") == "A cat. \n\nB"
    body = ("## Head\n\nA *very* [[IOM|organisation]] {~~teh~>the~~} {++new ++}{--old--} [[UN]] "
            "\\*x[^ed1] [link](http://a.b/c) &amp;.\n\n- item\n\n[^ed1]: Editors' note: gone.\n"
            "    still gone\n")
    assert words(undo_edits(body, bibliography())) == [
        "head", "a", "very", "organisation", "teh", "old", "un", "x", "link", "item"]
