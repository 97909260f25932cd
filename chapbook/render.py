"""Render: the converted parts and the generated sections → one HTML document per output.

The book's generated sections (contents, glossary, bibliography, sources,
list of corrections) are computed here once, as plain data, and handed to
Jinja templates; the templates decide layout, never content.
"""

from __future__ import annotations

import datetime
import functools
import os
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from . import PACKAGE_ROOT, __version__, htmltree  # noqa: F401 (PACKAGE_ROOT: the writers import it from here)
from .bibliography import anchor
from .citations import find_citations
from .config import glossary_settings
from .convcache import printed
from .directions import book_lang, dir_of, isolated, lang_attrs, text_dir
from .fieldcheck import subtags
from .markup import ENGLISH_QUOTES, QUOTES, mark_urls, new_markdown, set_acronyms, smarten, smarten_tree
from .model import Converted, GlossaryEntry, Part, Publication
from .templating import ConfinedLoader, MemoryBytecodeCache, ProjectSandbox
from .words import CATALOGUE, fill, human_date

# Month names of every language chapbook has words in (see _TIES): "11 December", "11. Dezember", "1er mai".
MONTHS = sorted({m for words in CATALOGUE.values() for m in words.get("months", "").split()}, key=len, reverse=True)


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


def build_date() -> datetime.datetime:
    """The build's timestamp: SOURCE_DATE_EPOCH when set, so builds are reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC)
    return datetime.datetime.now(tz=datetime.UTC).replace(microsecond=0)


@functools.lru_cache(maxsize=4)
def _inline_md(quotes: tuple[str, str]):
    return new_markdown(quotes)


def inline_markdown(text: str) -> str:
    """:func:`_inline_markdown` with the double quotes of the language being set (:data:`QUOTES`)."""
    return _inline_markdown(text, QUOTES.get())


@functools.lru_cache(maxsize=8192)
def _inline_markdown(text: str, quotes: tuple[str, str]) -> str:
    """Short editor-written Markdown (glossary definitions, notes) → HTML, without the outer <p>.

    Acronyms are marked as in the texts (the summaries, questions and glossary are read beside
    them), and web addresses, so that no edition hyphenates them. One Markdown instance serves
    every call and each string is converted once per process: the book, the EPUB and the handouts
    all ask for the same summaries (at 10×, 444 new instances took 0.9 s of the book's render).
    """
    md = _inline_md(quotes)
    md.reset()
    root = htmltree.parse_fragment(md.convert(text))
    htmltree.sanitize(root)
    set_acronyms(root)
    mark_urls(root)
    out = htmltree.serialize(root)
    return out[3:-4] if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1 else out


# ---- Print typography (issue 13) --------------------------------------------------------------------

ZWSP, WORD_JOINER = "\u200b", "\u2060"
# A run of capitalised words that starts with one long enough to be hyphenated: "Bartels", "Colombia",
# "October", "Greater Manchester's" (its names: :func:`_names`).
_CAP_WORD = r"(?<![\w\u00ad])[A-ZÀ-ÖØ-Þ][^\W\d_]{5,}"  # a capitalised word long enough to be hyphenated
_NAME_RUN = re.compile(r"(?:(?<![\w\u00ad])\d{1,4}\u00a0)?" + _CAP_WORD + r"(?:[’'][a-z]+)?"
                       r"(?: [A-ZÀ-ÖØ-Þ][^\W\d_]*(?:[’'][a-z]+)?)*(?![\w-])")
# A compound written with a hyphen ("self-presentation", "migration-hostile"): it breaks at its hyphen,
# never inside one of its words as well ("self-presen-tation").
_COMPOUND = re.compile(r"(?<![\w\u00ad-])[^\W\d_]+(?:-[^\W\d_]+)+(?![\w-])")
_LAST_WORD = re.compile(r"(?<![\w’'-])[^\W\d_][\w’'-]{5,}(?=\W*$)")
_NO_TYPESET = {"code", "pre", "abbr", "sup"}
# A run of 30 or more characters without a space (a German compound, a hash, an address in plain text):
# longer than a line of the book can hold at its smaller sizes, so it may break anywhere (span.long-word,
# print.css), where WeasyPrint would set it on past the margin and off the page. Only such runs: WeasyPrint
# 70's overflow-wrap on the whole text broke ordinary words in inline elements ("Tajikis / tan").
_LONG_WORD = re.compile(r"[^\s\u00a0]{30,}")
# Spaces a line may not break at: before a spaced dash (a line never begins with "– a charity"), between
# a day and its month ("11 December"), and after "p."/"pp." before a number ("p. 4"). A range of days
# ("11–13 October") keeps its dash (below) but may leave its month: tied to it as well, "11–13 October"
# was a unit too long to move and left a line at 2.16× (p. 24).
_MONTHS = "|".join(MONTHS)
_TIES = re.compile(rf" (?=[–—] )|(?<![–-]\d)(?<![–-]\d\d)(?:(?<=\d)|(?<=\d\.)|(?<=\d\d\.)|(?<=1er)) "
                   rf"(?=(?:{_MONTHS})\b)|(?<=\b[pS]\.) (?=\d)|(?<=\bpp\.) (?=\d)")
# A number range ("11–13", "1990–1995", "pp. 12–14") is never broken at its dash: Pango (UAX #14) may break
# after an en dash, and "11– / 13 October" (p. 49) reads as two numbers. A word joiner after the dash
# forbids it (not in the PDF's text, like url_breaks'); a hyphen between digits does not break anyway.
_RANGE_DASH = re.compile(r"(?<=\d)([–—])(?=\d)")
_INLINE = {"a", "span", "em", "strong", "i", "b", "cite", "q", "small"}
_BLOCKS = {"p", "li", "dd", "dt", "blockquote", "td", "th", "h1", "h2", "h3", "h4"}


def url_breaks(url: str) -> str:
    """A web address with invisible break opportunities where a typesetter breaks one.

    After each ``/`` (after ``//`` as a whole), and before ``.``, ``-``, ``_``, ``?``, ``#``, ``=``
    and ``&``, so that a broken line ends in a slash or a whole word and the next begins with the
    dot or hyphen: a line never ends in a hyphen that a reader could take for hyphenation. A word
    joiner after each hyphen keeps the line breaker from its own break there.
    """
    out = []
    for i, ch in enumerate(url):
        nxt = url[i + 1:i + 2]
        if ch in ".-_?#=&" and 0 < i < len(url) - 1 and url[i - 1] not in "/.-":
            out.append(ZWSP)
        out.append(ch)
        if ch == "-":
            out.append(WORD_JOINER)
        elif ch == "/" and nxt not in ("/", ""):
            out.append(ZWSP)
    return "".join(out)


def _wrap(parent: ET.Element, el: ET.Element, slot: str, pattern: re.Pattern[str], cls: str,
          pieces: Callable[[re.Match[str]], list[str | ET.Element] | None] | None = None) -> None:
    """Wrap each match of ``pattern`` in the text slot in ``span.cls`` (or replace it by what
    ``pieces`` makes of it; None keeps it as it is).

    A match that is the whole text of an inline element (a link, an emphasis) and would be wrapped
    whole gives the element the class instead: WeasyPrint 70 looks for an earlier break inside
    nested inline boxes badly, and broke "… related <a>related <span>organization</span></a>" before
    the link.
    """
    if pieces is None:
        pieces = lambda m: [htmltree.make("span", m.group(), **{"class": cls})]
    value = getattr(el, slot)
    whole = pattern.fullmatch(value) if slot == "text" and len(el) == 0 and el.tag not in _BLOCKS else None
    if whole and el.tag in _INLINE:
        made = pieces(whole)
        if made is not None and len(made) == 1 and not isinstance(made[0], str) and made[0].text == value:
            el.set("class", " ".join([*el.get("class", "").split(), made[0].get("class", cls)]))
            return
    htmltree.substitute(parent, el, slot, pattern, pieces)


def _classes(el: ET.Element) -> set[str]:
    return set(el.get("class", "").split())


def print_typography(root: ET.Element, fragment: bool = False, lang: str | None = None) -> None:
    """What the print editions need beyond the shared HTML (WeasyPrint hyphenates by dictionary only):

    - break opportunities inside web addresses (``span.url``, hyphens: none in print.css);
    - proper names (capitalised words, ``span.name``) and the last word of each paragraph
      (``span.last-word``) kept whole: "Bar-tels", "Octo-ber" and a paragraph ending in "paign."
      are what a designer sends back.

    A ``fragment`` (a summary, a definition, a reference) is too short to tell a name at the start
    of a sentence from a common word (:func:`_vocabulary`): there every capitalised word it never
    writes in lower case is kept whole. ``lang``, the text's language: one that capitalises every noun
    (:func:`finds_names`) has no names kept whole, since that rule would keep every noun whole, and one
    whose typography keeps one-letter words off a line's end has them tied to the next word
    (:data:`_ONE_LETTER_WORDS`). None: as English.
    """
    names = finds_names(lang)
    one_letter = _ONE_LETTER_WORDS.get(subtags(lang)[0] if subtags(lang) else "")
    for url in [el for el in root.iter("span") if "url" in _classes(el)]:
        url.text = url_breaks(url.text or "")
    _space_after_empty_elements(root)
    skip = lambda e: e.tag in _NO_TYPESET or bool(_classes(e) & {"url", "name", "last-word", "long-word", "compound"})
    for _parent, el, slot in htmltree.text_slots(root, skip):
        value = getattr(el, slot)
        if value and " " in value:
            value = _TIES.sub("\u00a0", value)
            value = one_letter.sub("\\1\u00a0", value) if one_letter else value
        if value and any(dash in value for dash in "–—"):
            value = _RANGE_DASH.sub("\\1\u2060", value)
        if value:
            setattr(el, slot, value)
    for parent, el, slot in list(htmltree.text_slots(root, skip)):
        if getattr(el, slot) and _LONG_WORD.search(getattr(el, slot)):
            _wrap(parent, el, slot, _LONG_WORD, "long-word")
    for parent, el, slot in list(htmltree.text_slots(root, skip)):
        if getattr(el, slot) and "-" in getattr(el, slot):
            _wrap(parent, el, slot, _COMPOUND, "compound", lambda m: [htmltree.make(
                "span", m.group(), **{"class": "name" if any(w[:1].isupper() for w in m.group().split("-"))
                                      else "compound"})])  # "US-Mexican", "Colombia-based": names
    common, named = _vocabulary(root) if names else (set(), set())
    for parent, el, slot in list(htmltree.text_slots(root, skip)) if names else ():
        if getattr(el, slot):
            # a slot's start begins a sentence only at a block's start (not at an inline element's)
            starts_block = slot == "text" and (el.tag in _BLOCKS or "fn-p" in _classes(el))
            _wrap(parent, el, slot, _NAME_RUN, "name",
                  lambda m, first=starts_block: _names(m, common, named,
                                                       not fragment and _starts_sentence(m.string, m.start(), first)))
    for heading in [h for h in root.iter() if h.tag in {"h1", "h2", "h3", "h4"}]:
        _tie_heading(heading)
    # the root too (a fragment may be the end of a template's paragraph); a compound may be the last word
    last_skip = lambda e: skip(e) and "compound" not in _classes(e)
    for block in _blocks(root):
        _keep_last_word(block, last_skip)


# Languages that capitalise every noun (German, Swiss German, Luxembourgish): there a capitalised word
# is no sign of a name. Taken for names, "Zimmerleute" and "Gesellen" were kept whole and left loose
# lines around them (a new user's German reader); their words are hyphenated by the dictionary.
_CAPITALISED_NOUNS = frozenset({"de", "gsw", "lb"})


def finds_names(lang: str | None) -> bool:
    """Whether print typography keeps the names of a text in ``lang`` (a BCP 47 tag) whole."""
    return not lang or subtags(lang)[0] not in _CAPITALISED_NOUNS


# One-letter words that Polish, Czech and Slovak typography never leaves at a line's end ("nosimy w /
# sobie" is what a typesetter there sends back; TeX's polski and Czech vlna tie them): the space after
# each is a no-break space, also where the next word begins an inline element.
_ONE_LETTER_WORDS = {lang: re.compile(rf"(?<![\w\u00ad])([{letters}{letters.upper()}]) (?=\S|$)")
                     for lang, letters in {"pl": "aiouwz", "cs": "aikosuvz", "sk": "aikosuvz"}.items()}


def _blocks(root: ET.Element) -> list[ET.Element]:
    """The blocks of a fragment, the root with them: paragraphs, list items, cells, footnotes' paragraphs."""
    return [b for b in root.iter() if b is root or b.tag in _BLOCKS or "fn-p" in _classes(b)]


_WORD = re.compile(r"[^\W\d_]+")
_CAPITALISED = re.compile(_CAP_WORD)
# Quotes of every language markup.double_quotes knows (« »: French, with its narrow no-break spaces;
# „ “: Czech; » «: Danish): only skipped over, so a mark in both sets does no harm.
_OPENING, _CLOSING = "“‘«»„”\"'([", "”’»«“\"')]"  # ” opens in Swedish and Finnish


def _starts_sentence(text: str, pos: int, at_start: bool = True) -> bool:
    """Whether the word at ``pos`` begins a sentence: after a full stop (closing quotes and brackets
    between), or at the start of ``text`` (``at_start``). Looks back over the punctuation and
    spaces just before the word only, so that every word of a long paragraph is judged in linear
    time (a regex searching the text before each word was quadratic)."""
    i = pos - 1
    while i >= 0 and text[i] in _OPENING:
        i -= 1
    while i >= 0 and text[i].isspace():
        i -= 1
    if i < 0:
        return at_start
    while i >= 0 and (text[i] in _CLOSING or text[i] in "\u202f\u00a0"):  # « Il partit. » : French spacing
        i -= 1
    return i >= 0 and text[i] in ".!?"


# The nouns that name bodies in English titles ("the United Nations High Commissioner for Refugees",
# "the Provisional Intergovernmental Committee"): common words, whether or not a text also writes them
# in lower case.
_TITLE_NOUNS = frozenset({
    "agency", "assembly", "association", "authority", "bureau", "centre", "center", "coalition", "commission",
    "commissioner", "committee", "conference", "congress", "convention", "council", "court", "department",
    "directorate", "federation", "foundation", "government", "institute", "institution", "ministry", "network",
    "office", "organisation", "organization", "parliament", "programme", "program", "secretariat", "service",
    "tribunal", "union"})


def _vocabulary(root: ET.Element) -> tuple[set[str], set[str]]:
    """The words the text writes in lower case, and the capitalised words it uses within a sentence.

    A capitalised word also written in lower case, or one of :data:`_TITLE_NOUNS`, is a common word
    in a title ("the International Organization for Migration", "Migration Management", "High
    Commissioner"), which may be hyphenated where a line would otherwise stay loose; one never
    written in lower case is a name ("Bartels", "Colombia", "October"), kept whole. At the start of
    a sentence, where every word is capitalised, a word is a name only if the text also capitalises
    it within a sentence ("Bartels describes" is; "Academics, journalists" is not)."""
    paragraphs = ["".join(b.itertext()) for b in _blocks(root)]
    common = {w for p in paragraphs for w in _WORD.findall(p) if len(w) >= 6 and w.islower()} | _TITLE_NOUNS
    named = {m.group() for p in paragraphs for m in _CAPITALISED.finditer(p) if not _starts_sentence(p, m.start())}
    return common, named


def _names(m: re.Match[str], common: set[str], named: set[str], initial: bool) -> list[str | ET.Element] | None:
    """A run of capitalised words with its names wrapped in ``span.name`` and its common words in
    ``span.title-word`` (consecutive ones in one span; see :func:`_vocabulary`): a name is never
    hyphenated, a common word in a title ("Organi-zation") only where the line would otherwise stay
    loose (print.css; :mod:`chapbook.linebreak`'s last resort). A sentence's first word that is no
    name is an ordinary word and stays as it is; None if nothing is wrapped."""
    groups: list[tuple[str | None, list[str]]] = []
    for n, word in enumerate(m.group().split(" ")):
        base = _WORD.match(word)
        if n == 0 and initial and base is not None and base.group() not in named:
            kind = None
        elif base is None or base.group().lower() not in common:
            kind = "name"
        else:
            kind = "title-word"
        if groups and groups[-1][0] == kind:
            groups[-1][1].append(word)
        else:
            groups.append((kind, [word]))
    if all(kind is None for kind, _ in groups):
        return None
    pieces: list[str | ET.Element] = []
    for n, (kind, words) in enumerate(groups):
        pieces += [" "] if n else []
        text = " ".join(words)
        pieces.append(text if kind is None else htmltree.make("span", text, **{"class": kind}))
    return pieces


def _space_after_empty_elements(root: ET.Element) -> None:
    """Move a space that precedes an empty element (a correction's anchor) to after it.

    WeasyPrint 70 allows no line break between a text ending in a space and an empty inline
    element: "and <span/>migrants." could only break before "and", leaving a line stretched to
    five times its spaces. "and<span/> migrants." breaks at the space, as the reader sees it.
    """
    for parent in root.iter():
        previous: ET.Element | None = None
        for child in parent:
            if len(child) == 0 and not child.text and child.tag in {"span", "a"}:
                before = previous.tail if previous is not None else parent.text
                if before and before[-1].isspace():
                    stripped = before.rstrip()
                    if previous is not None:
                        previous.tail = stripped
                    else:
                        parent.text = stripped
                    child.tail = before[len(stripped):] + (child.tail or "")
            previous = child


def _keep_last_word(block: ET.Element, skip: Callable[[ET.Element], bool]) -> None:
    """Wrap a block's last word in ``span.last-word`` when it is long enough to be hyphenated.

    Footnotes and nested blocks have last words of their own and are left out.
    """
    inner = lambda e: e is not block and (skip(e) or e.tag in _BLOCKS or bool(_classes(e) & {"footnote", "fn-p"}))
    slots = [s for s in htmltree.text_slots(block, inner) if s[1] is not block or s[2] == "text"]
    for parent, el, slot in reversed(slots):
        value = getattr(el, slot)
        if value and re.search(r"[^\W\d_]", value):  # the last text with a letter: "… management</a>."
            owner = el if slot == "text" else parent
            # at the block's own level, or a whole link or emphasis; never a span nested in a link (_wrap):
            # a short inline element of a few words ending the block ("… <span class="title-word">Regular
            # Migration</span>.") is kept from hyphenating as a whole; a longer one (a paragraph set in
            # italics) is left as it is, hyphenated like any text
            if owner is block or (slot == "text" and len(el) == 0 and _LAST_WORD.fullmatch(value)):
                _wrap(parent, el, slot, _LAST_WORD, "last-word")
            elif owner.tag in _INLINE and _LAST_WORD.search(value) and len("".join(owner.itertext()).split()) <= 3:
                owner.set("class", " ".join([*owner.get("class", "").split(), "last-word"]))
            return


def print_fragment(html: str, lang: str | None = None) -> str:
    """An HTML fragment (a bibliography entry, a summary, a string) as the print editions set it in
    ``lang`` (:func:`print_typography`)."""
    return _retyped(html, for_print=True, lang=lang, quotes=QUOTES.get())


def smart_fragment(html: str) -> str:
    """An HTML fragment with straight quotes made typographic (every edition)."""
    return _retyped(html, for_print=False, quotes=QUOTES.get())


@functools.lru_cache(maxsize=4096)
def _retyped(html: str, for_print: bool, lang: str | None = None, quotes: tuple[str, str] = ENGLISH_QUOTES) -> str:
    """Web addresses marked and quotes curled; for print also its line-breaking marks (HTML, not XHTML).

    Made once per fragment in a process: the book template sets ~700 titles, summaries, glossary
    definitions and references this way, the same on every rebuild in ``build.py watch`` (0.1 s at 10×).
    """
    try:
        root = htmltree.parse_fragment(html)
    except ET.ParseError:
        return html
    mark_urls(root)
    token = QUOTES.set(quotes)  # ``quotes`` is part of the cache's key; QUOTES is what smarten reads
    try:
        smarten_tree(root)
    finally:
        QUOTES.reset(token)
    if not for_print:
        return htmltree.serialize(root)
    print_typography(root, fragment=True, lang=lang)
    return htmltree.serialize(root, method="html")


def _as_html(value) -> str:
    return str(value) if isinstance(value, Markup) else str(Markup.escape(value))


def smart(value) -> str | Markup:
    """Jinja filter ``smart``: typographic quotes for front matter and BibTeX strings (D'Cruz →
    D’Cruz), as the bodies get from Markdown; HTML (Markup) stays HTML, a plain string plain."""
    if isinstance(value, Markup):
        return Markup(smart_fragment(str(value)))
    return smarten(str(value)) if value is not None else ""


def caps(value) -> Markup:
    """Jinja filter ``caps``: :func:`smart`, with acronyms marked as in the texts (glossary terms)."""
    root = htmltree.parse_fragment(smart_fragment(_as_html(value)))
    set_acronyms(root)
    return Markup(htmltree.serialize(root))


def tie_end(value) -> Markup:
    """Jinja filter ``tie_end``: a title of three words or more with its last two words kept on one
    line (``span.tie``, white-space: nowrap in print.css), so that its last line is never one short
    word ("The International Organization for Migration / (IOM)" becomes "… for / Migration (IOM)").
    A span, not a no-break space: the bookmarks and the text copied from the PDF keep plain spaces.
    Only short words are tied (:func:`_tied`), and only plain text (markup is left as it is)."""
    if isinstance(value, Markup) and ("<" in value or "&" in value):
        return value
    words = str(value).split()
    if not _tied(words):
        return escape(value)
    return escape(" ".join(words[:-2])) + Markup(' <span class="tie">%s</span>') % " ".join(words[-2:])


def _tied(words: list[str]) -> bool:
    """Whether a title's last two words are tied: it has three or more, its last is at most 12
    characters and the two at most 20 (two long words kept together could run past the margin)."""
    return len(words) >= 3 and len(words[-1]) <= 12 and len(words[-2]) + len(words[-1]) <= 20


def _tie_heading(heading: ET.Element) -> None:
    """A heading's last two words kept on one line (see :func:`tie_end`) when both are in its last text."""
    words = "".join(heading.itertext()).split()
    if not _tied(words):
        return
    text = " ".join(words)
    slots = list(htmltree.text_slots(heading, lambda e: False))
    if not slots:
        return
    parent, el, slot = slots[-1]
    value = getattr(el, slot) or ""
    m = re.search(r"(\S+ \S+)\s*$", value)
    if m is not None and value.strip() and text.endswith(value.strip()):
        tie = htmltree.make("span", m.group(1), **{"class": "tie"})
        htmltree.split_text(parent, el, slot, [value[:m.start(1)], tie, value[m.end(1):]])


def running_head(value) -> str:
    """Jinja filter ``head``: the text of a running head (set in small capitals, print.css), with its
    acronyms in lower case so that the small capitals set them as the body's reduced capitals
    ("carf (Campaign Against …)" shows CARF as high as the small capitals around it, not in full
    capitals). ``string()`` carries no markup, so the rule of :func:`chapbook.markup.set_acronyms`
    (roman numerals and web addresses keep their capitals) is applied to the string itself."""
    root = htmltree.parse_fragment(str(escape(smart(value))))
    set_acronyms(root)
    for abbr in root.iter("abbr"):
        abbr.text = (abbr.text or "").lower()
    return greek_capitals("".join(root.itertext()))


# The accents and breathings Greek drops in capitals (tonos/oxia, varia, perispomeni, psili, dasia);
# the diaeresis stays.
_GREEK_CAPITAL_DROPS = frozenset("\u0300\u0301\u0313\u0314\u0342\u0344")


def greek_capitals(text: str) -> str:
    """``text`` with the accents Greek drops in capitals taken off its Greek letters: WeasyPrint's small
    capitals are Python's upper case, which keeps them ("ΝΊΚΟΣ ΑΛΕΞΊΟΥ" in a Greek text's author line
    and running head, where a Greek typesetter writes ΝΙΚΟΣ ΑΛΕΞΙΟΥ). Other scripts are left as they are."""
    if not any("\u0370" <= ch <= "\u03ff" or "\u1f00" <= ch <= "\u1fff" for ch in text):
        return text
    out, greek, dropped, previous = [], False, False, ""
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch):
            if greek and ch in _GREEK_CAPITAL_DROPS:
                dropped = dropped or ch == "\u0301"
            else:
                out.append(ch)
            continue
        # an accent on the vowel before ι or υ kept them apart ("Μάιος"): in capitals a diaeresis does
        # (ΜΑΪΟΣ), as the accent no longer can
        apart = dropped and previous in "αεοΑΕΟ" and ch in "ιυΙΥ"
        out.append(ch + "\u0308" if apart else ch)
        greek, dropped, previous = "GREEK" in unicodedata.name(ch, ""), False, ch
    return unicodedata.normalize("NFC", "".join(out))


def small_caps(value) -> Markup:
    """Jinja filter ``small_caps``: :func:`caps` for a line the print book sets in small capitals (the
    text's author), Greek without the accents it drops in capitals (:func:`greek_capitals`)."""
    return Markup(greek_capitals(str(caps(value))))  # only combining marks go: the markup is untouched


_ISBN = re.compile(r"(?:urn:)?isbn:\s*([0-9Xx][0-9Xx -]{8,})", re.IGNORECASE)


def shown_identifier(value) -> str:
    """Filter ``shown_identifier``: the book's identifier as its imprint prints it. An ISBN in the URN
    the EPUB needs (``urn:isbn:978…``) is printed "ISBN 978…", as a press prints it; the rest as written."""
    text = str(value).strip()
    isbn = _ISBN.fullmatch(text)
    return f"ISBN\u00a0{isbn.group(1).strip()}" if isbn else text


def print_text(value, lang: str | None = None) -> Markup:
    """Jinja filter ``print_text``: :func:`print_fragment` for the print templates (book, handouts);
    :func:`in_language` binds ``lang`` to the book's language."""
    return Markup(print_fragment(_as_html(value), lang))


def in_language(env: jinja2.Environment, config) -> jinja2.Environment:
    """``env`` for a book in ``config.language``: its ``print_text`` filter finds names or not
    (:func:`finds_names`), ``words`` and ``human_date`` are chapbook's own in that language
    (:mod:`chapbook.words`), and the direction globals (``dir_of``, ``book_lang``, ``lang_attrs``,
    ``text_dir``, the ``isolated`` filter: :mod:`chapbook.directions`) know the book's."""
    env.filters["print_text"] = lambda value: print_text(value, config.language)
    env.globals["dir_of"] = functools.partial(dir_of, book=config.language)
    env.globals["book_lang"] = functools.partial(book_lang, book=config.language)
    env.globals["text_dir"] = functools.partial(text_dir, book=config.language)
    env.filters["isolated"] = functools.partial(isolated, book=config.language)
    env.globals["lang_attrs"] = functools.partial(lang_attrs, book=config.language)
    env.filters["human_date"] = lambda value: human_date(value, config.words)
    env.globals["words"] = config.words
    return env


def editors_phrase(editors) -> str:
    """The editors' names as they follow "Edited by": a collective name's leading "The" in lower case
    ("Edited by the chapbook editors", not "Edited by The chapbook editors"), and a person's name of
    two or three words never broken between them ("Eleni / Papadaki" on the EPUB's cover picture and
    the web edition's home page)."""
    names = smarten(", ".join(_tied_name(name) for name in editors))
    return "the" + names[3:] if re.match(r"The\s", names) else names


def _tied_name(name: str) -> str:
    """A person's name (two or three words, not a collective "The …") with no-break spaces."""
    words = str(name).split()
    return "\u00a0".join(words) if 2 <= len(words) <= 3 and words[0] != "The" else str(name)


# ---- WeasyPrint's line breaking ------------------------------------------------------------------


def fix_weasyprint_line_breaks() -> None:
    """Wrap WeasyPrint's ``split_first_line`` (as its inline layout calls it) with a re-check (idempotent).

    WeasyPrint 70 measures a line of text *with* its trailing space; Pango fits it *without*. A
    text that ends in a space before an inline element (an acronym, a glossary mark, a citation)
    and fills a line but for that space is taken as "does not fit", and WeasyPrint then sets only
    its first word on the line: a paragraph breaks off after "new" or "Manchester's" (issue 13).
    """
    from weasyprint.layout import inline

    if getattr(inline.split_first_line, "chapbook", False):
        return
    original = inline.split_first_line

    def split_first_line(text, style, context, max_width, justification_spacing,
                         is_line_start=True, minimum=False):
        result = original(text, style, context, max_width, justification_spacing, is_line_start, minimum)
        if result[2] is not None and not minimum and \
                _fits_but_for_trailing_space(text, style, context, max_width, justification_spacing):
            return original(text, style, context, None, justification_spacing, is_line_start, minimum)
        return result

    split_first_line.chapbook = True
    split_first_line.original = original  # tests/test_typography.py lays a fixture out without the fix
    inline.split_first_line = split_first_line


def _fits_but_for_trailing_space(text: str, style, context, max_width, justification_spacing) -> bool:
    """Whether ``text`` fits in ``max_width`` once its trailing spaces (which collapse at a line's
    end) are left out. Only texts that could fit on one line are measured (as WeasyPrint guesses:
    four characters per em), so the check costs one short layout."""
    from weasyprint.text.line_break import create_layout, line_size

    size = style["font_size"]
    if not text.endswith(" ") or style["white_space"] not in ("normal", "pre-line") or not size \
            or max_width is None or not 0 < max_width < 2 ** 21 or len(text) > max_width / size * 4:
        return False
    layout = create_layout(text.rstrip(" "), style, context, None, justification_spacing)
    line, resume = layout.get_first_line()
    width, _ = line_size(line, style)
    layout.deactivate()
    return resume is None and width <= max_width


def print_footnotes(html: str, lang: str | None = None) -> str:
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
            # WeasyPrint breaks the line at every newline inside a footnote: a note written over
            # several source lines would be set one printed line per source line
            for el in note.iter():
                el.text = el.text and el.text.replace("\n", " ")
                el.tail = el.tail and el.tail.replace("\n", " ")
            note.tail = sup.tail
            parent.remove(sup)
            parent.insert(index, note)
    print_typography(root, lang=lang)
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
    marks = glossary_marks(publication, converted, pages)
    entries = publication.glossary
    if glossary_settings(publication.config)["unused"] == "omit":  # and no "see also" to what is left out
        entries = tuple(e for e in entries if marks.get(e.slug))
    by_term = {e.term.lower(): e for e in entries}
    items = []
    for entry in sorted(entries, key=lambda e: e.term.lower()):
        see = tuple(by_term[s.lower()] for s in entry.see_also if s.lower() in by_term)
        items.append(GlossaryItem(entry, inline_markdown(entry.definition), marks.get(entry.slug, ()), see))
    return items


def reading(text: str, bib) -> str:
    """A reading as the book prints it: citations in the corrected text shown as rendered."""
    citations, _ = find_citations(text)
    for citation in reversed(citations):
        text = text[:citation.start] + smarten(bib.cite_text(citation)) + text[citation.end:]
    return text


def correction_rows(converted: list[Converted], bib, words: Mapping[str, str]
                    ) -> list[tuple[str, list[CorrectionRow]]]:
    """Every correction, grouped by text in book order: the generated list of the editorial note, its
    places in the book's ``words`` (required: no English default)."""
    groups = []
    for c in converted:
        rows = []
        for corr in c.corrections:
            place = (f"{words['note']} {corr.note}" if corr.note else f"¶ {corr.paragraph}" if corr.paragraph
                     else words["heading"])
            rows.append(CorrectionRow(title_of(c.part), place, corr.anchor, corr.original,
                                      reading(corr.corrected, bib)))
        if rows:
            groups.append((title_of(c.part), rows))
    return groups


# A see-also term of at most this many characters is never broken across lines (span.whole: "Cold / War").
WHOLE_TERM = 24
_TEMPLATE_CODE = MemoryBytecodeCache()  # templates compiled by template_env's settings (one process)


def template_env(project: Path) -> jinja2.Environment:
    """Templates from the project's templates/ first, then chapbook's own: sandboxed and confined.

    Project templates are untrusted: see :mod:`chapbook.templating` (an immutable sandbox, a loader
    that refuses anything resolving outside the two templates/ folders, and located errors).
    """
    env = ProjectSandbox(loader=ConfinedLoader(project), autoescape=jinja2.select_autoescape(default=True),
                         undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                         bytecode_cache=_TEMPLATE_CODE)
    env.filters["human_date"] = _no_words  # the book's: in_language, which every writer calls, sets both
    env.filters["fill"] = fill
    env.filters["isolated"] = isolated
    env.filters["markdown"] = lambda text: Markup(inline_markdown(text))
    env.filters["safe_html"] = Markup
    env.filters["smart"] = smart
    env.filters["caps"] = caps
    env.filters["head"] = running_head
    env.filters["tie_end"] = tie_end
    env.filters["shown_identifier"] = shown_identifier
    env.filters["small_caps"] = small_caps
    env.filters["print_text"] = print_text
    env.globals["editors_phrase"] = editors_phrase
    env.globals["whole_term"] = WHOLE_TERM
    return env


def title_of(part: Part) -> str:
    """A part's title as printed (typographic quotes; an editors' title in square brackets)."""
    title = smarten(part.title)
    return f"[{title}]" if part.editors_title else title


def _no_words(value: str) -> str:
    """The ``human_date`` filter of an environment that :func:`in_language` has not given the book's
    words: a build that forgot them stops here rather than printing English dates in a German book."""
    raise RuntimeError("human_date needs the book's words: render through chapbook.render.in_language")


def byline(part: Part, words: Mapping[str, str]) -> str:
    """The authors as the book names them; 'Author unknown' (in the book's words, required: no English
    default) rather than a bare 'unknown'."""
    names = [smarten(a) for a in part.authors if a.strip().lower() != "unknown"]
    return ", ".join(names) if names else words["author_unknown"]


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
        "source_by": {p.slug: bib.source_preposition(p.source) for p in publication.texts if p.source in bib.keys},
        "source_entry": {p.slug: Markup(bib.entry_html(p.source)) for p in publication.texts
                         if p.source in bib.keys},
        "corrections": correction_rows(by_kind["text"], bib, config.words),
        "title_of": title_of,
        "byline": functools.partial(byline, words=config.words),
        "anchor": anchor,
        "built": build_date(),
        "version": __version__,
        "typography": config.typography,
        "custom_css": (publication.root / "styles" / "custom.css").is_file(),
    }


def render_book_html(publication: Publication, converted: list[Converted], template: str = "book.html.j2",
                     glossary_pages: Mapping[str, int] | None = None) -> str:
    language = publication.config.language
    env = in_language(template_env(publication.root), publication.config)
    context = book_context(publication, converted, glossary_pages)
    # made once per part's HTML and language (chapbook.convcache)
    context["print_html"] = lambda c: Markup(printed(c.html, c.part.lang or language))
    return env.get_template(template).render(**context)
