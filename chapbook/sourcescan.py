"""Scans of raw Markdown that need exact positions, which Python-Markdown does not keep.

Everything here works on the body text as written, so problems can be
reported as ``file:line:col``: raw HTML (rejected: content is untrusted),
link and image targets, CriticMarkup corrections and ``[[glossary]]`` marks.
``Rewrite`` replaces such constructs by placeholders while keeping a map
from new offsets back to source offsets.
"""

from __future__ import annotations

import bisect
import contextvars
import functools
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .charclasses import NOT_IN_A_BOOK
from .diagnostics import Location
from .fieldcheck import LANGUAGE_TAG
from .htmltree import NUMERIC_REFERENCE, read_references
from .projectfiles import NOT_REGULAR, NotRegular, read_regular

_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)  # what mask_code finds, see there
_BACKTICKS = re.compile(r"`+")
# Tags, comments, declarations, processing instructions, and anything else Python-Markdown passes
# through as inline HTML (``<x:y>``, ``<javascript:…>``): every ``<letter…>`` except an autolink.
RAW_HTML = re.compile(r"<(?:!(?:--|\[CDATA\[|[A-Za-z])|\?[A-Za-z]|/?[A-Za-z][A-Za-z0-9-]*(?=[\s/>])"
                      r"|(?!(?:[Hh][Tt][Tt][Pp][Ss]?|[Ff][Tt][Pp][Ss]?)://)[A-Za-z][^<>@\s]*>)")
_LINK = re.compile(r"(!?)\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?((?:[^()\s>]|\([^()\s>]*\))*)")
_REFDEF = re.compile(r"^ {0,3}\[(?!\^)(?P<label>[^\]]+)\]:\s*<?(?P<target>\S+?)>?(?:\s|$)", re.MULTILINE)
_IMAGE_REF = re.compile(r"!\[((?:[^\[\]]|\[[^\]]*\])*)\](?:[ ]?\[([^\]]*)\])?(?![(\[])")
# A correction (CriticMarkup) as chapbook reads it: within one paragraph, no other marker inside (what
# critic_problems reports otherwise). Each part ends at the next marker or blank line, so the text is
# read once: with ".*?" an unclosed "{~~" was matched against the rest of the text, and 30,000 of
# them (90 KB) took 19 s to convert (a review).
_NO_MARKER = r"(?:(?!\{~~|~~\}|\{--|--\}|\{\+\+|\+\+\}|~>|\n[ \t]*\n).)*?"
CRITIC = re.compile(rf"\{{~~(?P<old>{_NO_MARKER})~>(?P<new>{_NO_MARKER})~~\}}|\{{--(?P<deleted>{_NO_MARKER})--\}}"
                    rf"|\{{\+\+(?P<added>{_NO_MARKER})\+\+\}}", re.DOTALL)
GLOSSARY_MARK = re.compile(r"\[\[([^\[\]|\n]+)(?:\|([^\[\]\n]+))?\]\]")
SAFE_LINK = re.compile(r"^(https?://|mailto:|#)", re.IGNORECASE)
REMOTE = re.compile(r"^https?://", re.IGNORECASE)
# ``build.py --allow-remote``: http(s) images and stylesheet resources are then permitted.
ALLOW_REMOTE: contextvars.ContextVar[bool] = contextvars.ContextVar("allow_remote", default=False)
# What no book may hold (chapbook.charclasses): controls XML cannot carry, line separators and
# direction overrides.
_CONTROL = NOT_IN_A_BOOK
_CRITIC_MARKER = re.compile(r"\{~~|\{--|\{\+\+|~~\}|--\}|\+\+\}")
# A Python-Markdown attribute list: ``{: .class #id key=value}`` (the colon is optional).
_ATTR_LIST = re.compile(r"\{:?[ ]*([^{}\n]+?)[ ]*\}")
# Attributes an attribute list may set; the rest (style, on*, href, src …) are refused.
ATTR_LIST_ALLOWED = {"id", "class", "lang", "dir", "title", "align", "colspan", "rowspan", "start"}
_FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\](?!:)")
_FOOTNOTE_DEF = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:", re.MULTILINE)


def mask_code(text: str) -> str:
    """The text with fenced blocks and code spans blanked out, offsets unchanged.

    The code spans are those ``_CODE_SPAN.sub`` finds (a run of backticks, or the rest of a run from
    a backtick inside it, closed by the next run of exactly that length), found here without the
    regex: on a long run of backticks it backtracks at every backtick of the run, so 20,000
    backticks took seconds for each of the nine scans of a text (issue 10, a bounded build).
    """

    fenced = _FENCE.sub(lambda m: blank_span(m.group(0)), text)
    if "`" not in fenced:
        return fenced
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(fenced)]
    by_length: dict[int, list[int]] = {}  # run length → indexes of the runs of that length, in order
    for index, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(index)
    out, pos, index = [], 0, 0
    while index < len(runs):
        start, end = runs[index]
        closer = None
        for opener in range(start, end):  # the whole run first, then from each backtick inside it
            later = by_length.get(end - opener, ())
            at = bisect.bisect_right(later, index)
            if at < len(later):
                closer = later[at]
                break
        if closer is None:
            index += 1
            continue
        out += [fenced[pos:opener], blank_span(fenced[opener:runs[closer][1]])]
        pos, index = runs[closer][1], closer + 1
    out.append(fenced[pos:])
    return "".join(out)


def blank_span(text: str) -> str:
    """``text`` with every character but newlines made a space."""
    return re.sub(r"[^\n]", " ", text)


def line_col(text: str, offset: int) -> tuple[int, int]:
    """(0-based line, 1-based column) of ``offset``; a binary search, so long texts stay linear."""
    starts = _line_starts(text)
    line = bisect.bisect_right(starts, offset) - 1
    return line, offset - starts[line] + 1


@functools.lru_cache(maxsize=16)
def _line_starts(text: str) -> list[int]:
    """Offsets where each line of ``text`` starts (cached: a str's hash is computed only once)."""
    return [0, *(m.end() for m in re.finditer("\n", text))]


def locate(text: str, offset: int, base: Location) -> Location:
    """The file location of ``offset`` in a body that starts at ``base``."""
    line, col = line_col(text, offset)
    return Location(base.path, base.line + line, col)


def referenced_controls(text: str) -> Iterator[tuple[int, str]]:
    """Offset and character of each numeric reference (``&#x202E;``) to a character :data:`_CONTROL` refuses.

    Markdown turns such a reference into its character, so refusing only the raw character let
    ``&#x202E;`` print a paragraph or a summary backwards. HTML itself makes most C0 and C1
    references something harmless (U+FFFD, Windows-1252, nothing), as :func:`html.unescape` does.
    """
    if "&#" not in text:
        return
    for m in NUMERIC_REFERENCE.finditer(text):
        char = html.unescape(m.group())
        if len(char) == 1 and _CONTROL.match(char):
            yield m.start(), char


def check_html_and_links(text: str, base: Location, source_file: Path, root: Path
                         ) -> tuple[list[tuple[Location, str]], dict[str, str]]:
    """Problems with raw HTML, links and images; and the image paths to use, relative to root."""
    masked = mask_code(text)
    problems: list[tuple[Location, str]] = []
    images: dict[str, str] = {}
    for m in _CONTROL.finditer(text):
        problems.append((locate(text, m.start(), base), f"control character U+{ord(m.group()):04X} is not "
                         "allowed in a text (delete it; it cannot appear in a book or an EPUB)"))
    for offset, char in referenced_controls(masked):  # outside code, &#x202E; is that character
        problems.append((locate(text, offset, base), f"control character U+{ord(char):04X} is not allowed "
                         "in a text, written as a character reference either (delete it)"))
    problems += critic_problems(text, masked, base)
    problems += attr_list_problems(masked, text, base)
    for m in RAW_HTML.finditer(masked):
        snippet = masked[m.start(): masked.find(">", m.start()) + 1 or m.end() + 10][:40]
        problems.append((locate(text, m.start(), base),
                         f"raw HTML is not allowed in content ({snippet.strip()!s}); use Markdown, "
                         "or write &lt; for a literal '<'"))
    def check_image(written: str, loc: Location) -> None:
        target = read_references(written)  # as Markdown's src holds it: caf&eacute;.png is café.png
        if REMOTE.match(target) and ALLOW_REMOTE.get():
            images[target] = target
            return
        resolved = _image_path(target, source_file, root)
        if resolved is None:
            problems.append((loc, f"image '{written}' must be a file inside the project "
                             "(web addresses, absolute paths and '..' outside it are refused)"))
        elif not (root / resolved).is_file():
            problems.append((loc, f"image '{written}' not found"))
        else:
            if resolved.lower().endswith(".svg"):
                problems.extend((loc, f"image '{written}': {message}")
                                for message in svg_problems(root / resolved))
            images[target] = resolved

    for m in _LINK.finditer(masked):
        target, is_image = _target(m, masked, text), bool(m.group(1))
        loc = locate(text, m.start(2), base)
        if is_image:
            check_image(target, loc)
        elif target and not SAFE_LINK.match(target):
            problems.append((loc, f"link target '{target}' must be a web address (https://…), "
                             "mailto: or #anchor"))
    # reference-style images (![alt][label], ![label][], ![label]) are checked as images
    image_labels = {_label(m.group(2) or m.group(1)) for m in _IMAGE_REF.finditer(masked)}
    for m in _REFDEF.finditer(masked):
        target, loc = m.group("target"), locate(text, m.start("target"), base)
        if _label(m.group("label")) in image_labels:
            check_image(target, loc)
        elif not SAFE_LINK.match(target):
            problems.append((loc, f"link target '{target}' must be a web address (https://…), "
                             "mailto: or #anchor"))
    return problems, images


def _target(m: re.Match, masked: str, text: str) -> str:
    """A :data:`_LINK` match's destination; one in angle brackets (``<my pic.png>``) runs to its ``>``,
    spaces and all."""
    start = m.start(2)
    if masked[start - 1:start] != "<":
        return m.group(2)
    line_end = masked.find("\n", start)
    end = masked.find(">", start, len(masked) if line_end < 0 else line_end)
    return text[start:end] if end >= 0 else m.group(2)


def _label(label: str) -> str:
    """A reference label as Markdown matches it: case- and whitespace-insensitive."""
    return " ".join(label.lower().split())


def _image_path(target: str, source_file: Path, root: Path) -> str | None:
    if not target or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) or target.startswith(("/", "\\")):
        return None
    from urllib.parse import unquote

    path = (source_file.parent / unquote(target)).resolve()  # a destination is a URL: my%20pic.png
    try:
        return path.relative_to(root.resolve()).as_posix()
    except ValueError:
        return None


@dataclass
class Rewrite:
    """Builds a new text from pieces, remembering where each piece came from in the source."""

    source: str
    parts: list[str] = field(default_factory=list)
    new_starts: list[int] = field(default_factory=list)
    old_starts: list[int] = field(default_factory=list)
    _length: int = 0
    _pos: int = 0

    def copy_to(self, end: int) -> None:
        """Copy the source up to ``end`` unchanged."""
        self._emit(self.source[self._pos:end], self._pos)
        self._pos = end

    def replace(self, start: int, end: int, text: str, origin: int | None = None) -> None:
        """Replace source[start:end] by ``text``, which maps back to ``origin`` (default start)."""
        self.copy_to(start)
        self._emit(text, start if origin is None else origin)
        self._pos = end

    def _emit(self, text: str, origin: int) -> None:
        if text:
            self.new_starts.append(self._length)
            self.old_starts.append(origin)
            self.parts.append(text)
            self._length += len(text)

    def result(self) -> str:
        self.copy_to(len(self.source))
        return "".join(self.parts)

    def original_offset(self, new_offset: int) -> int:
        i = max(0, bisect.bisect_right(self.new_starts, new_offset) - 1)
        if not self.new_starts:
            return new_offset
        return self.old_starts[i] + (new_offset - self.new_starts[i])


# ---- Checks of what the build would otherwise accept silently (``build.py check``, issue 7) ----


def critic_problems(text: str, masked: str, base: Location) -> list[tuple[Location, str]]:
    """CriticMarkup that does not parse: an unclosed ``{~~``, a substitution without ``~>``, a stray ``~~}``.

    Well-formed corrections (which stay within a paragraph and contain no other marker) are
    blanked out; every marker left is one without its partner.
    """
    problems: list[tuple[Location, str]] = []
    rest = CRITIC.sub(lambda m: " " * len(m.group()), masked)
    for m in _CRITIC_MARKER.finditer(rest):
        marker = m.group()
        if marker.startswith("{"):
            closer = {"{~~": "~> … ~~}", "{--": "--}", "{++": "++}"}[marker]
            message = f"correction '{marker}' is not closed (expected '{closer}' in the same paragraph)"
        else:
            message = f"'{marker}' closes no correction (a '{{' marker is missing or malformed)"
        problems.append((locate(text, m.start(), base), message))
    return problems


def attr_lists(masked: str):
    """(offset, [(name, value)]) of every attribute list (``{: #id .class }``, ``## Heading {#id}``)
    in a text with its code masked, as Python-Markdown reads it; CriticMarkup is not one."""
    from markdown.extensions.attr_list import get_attrs_and_remainder

    for m in _ATTR_LIST.finditer(masked):
        if not m.group(0).startswith(("{~~", "{--", "{++")):
            yield m.start(), get_attrs_and_remainder(m.group(1))[0]


def attr_list_problems(masked: str, text: str, base: Location) -> list[tuple[Location, str]]:
    """Attribute lists that set something other than ids, classes and a few harmless attributes."""
    problems: list[tuple[Location, str]] = []
    for start, attrs in attr_lists(masked):
        for name, value in attrs:
            if name == "lang" and value is not None and not LANGUAGE_TAG.match(value):
                problems.append((locate(text, start, base), f"'lang={value[:40]}' in an attribute list is not a "
                                 "language tag (such as en, de-CH, ar)"))
                continue
            if name == "dir" and value not in ("ltr", "rtl", "auto"):
                problems.append((locate(text, start, base), f"'dir={value}' in an attribute list: a "
                                 "direction is ltr, rtl or auto"))
                continue
            if value is None or name in (".", "id") or name in ATTR_LIST_ALLOWED:
                continue
            problems.append((locate(text, start, base),
                             f"attribute '{name}' is not allowed in an attribute list "
                             f"(only ids, classes and {', '.join(sorted(ATTR_LIST_ALLOWED - {'id', 'class'}))})"))
    return problems


def footnote_problems(text: str, base: Location) -> list[tuple[Location, str, str]]:
    """(location, severity, message): note calls without a note, and notes never called."""
    if inline_overflows(text):  # refused when converted (markup.convert); slow to scan
        return []
    masked = mask_code(text)
    defined: dict[str, re.Match[str]] = {}
    problems: list[tuple[Location, str, str]] = []
    for m in _FOOTNOTE_DEF.finditer(masked):
        first = defined.setdefault(m.group(1), m)
        if first is not m:  # Python-Markdown would keep this one and drop the first, silently
            problems.append((locate(text, m.start(), base), "error",
                             f"footnote '[^{m.group(1)}]' is defined twice (first on line "
                             f"{locate(text, first.start(), base).line}): give one of them another label"))
    called: set[str] = set()
    for m in _FOOTNOTE_REF.finditer(masked):
        called.add(m.group(1))
        if m.group(1) not in defined:
            problems.append((locate(text, m.start(), base), "error",
                             f"footnote '[^{m.group(1)}]' has no note ('[^{m.group(1)}]: …' is missing)"))
    for label, m in defined.items():
        if label not in called:
            problems.append((locate(text, m.start(), base), "warning",
                             f"footnote '[^{label}]' is never called in the text and is left out"))
    return problems


def image_refs(text: str, base: Location) -> list[tuple[Location, str, str]]:
    """(location, alt text, target) of every inline image."""
    if inline_overflows(text):  # refused when converted (markup.convert); slow to scan
        return []
    masked = mask_code(text)
    found = []
    for m in _LINK.finditer(masked):
        if m.group(1):
            alt = text[m.start() + 2: m.start(2)]
            alt = alt[: alt.rfind("]")]
            found.append((locate(text, m.start(), base), alt, _target(m, masked, text)))
    for m in _IMAGE_REF.finditer(masked):
        found.append((locate(text, m.start(), base), m.group(1), m.group(2) or m.group(1)))
    return found


def anchor_links(text: str, base: Location) -> list[tuple[Location, str]]:
    """(location, id) of every ``[…](#id)`` link."""
    if inline_overflows(text):  # refused when converted (markup.convert); slow to scan
        return []
    masked = mask_code(text)
    return [(locate(text, m.start(2), base), m.group(2)[1:]) for m in _LINK.finditer(masked)
            if not m.group(1) and m.group(2).startswith("#")]


# ---- Resources outside the content: SVG images and the project's stylesheets -------------------

def svg_problems(path: Path) -> list[str]:
    """Why an SVG image may not be used: a DOCTYPE or entities, or anything it would load.

    Parsed by :mod:`chapbook.svgsafe` (lxml, entities and network off; CSS checked on tinycss2's
    tokens, so escapes such as ``@\\69mport`` are seen). Scripts and event handlers are not
    refused here: they are dropped from the copy the book gets (:func:`svg_dropped`).
    """
    from .svgsafe import review_file

    return [finding.message for finding in review_file(path).refused]


def svg_dropped(path: Path) -> list[tuple[Location, str]]:
    """(location in the SVG, message) of what the book's copy of an SVG leaves out (warnings)."""
    from .svgsafe import review_file

    return [(Location(path, f.line, f.col), f.message) for f in review_file(path).dropped]


CSS_MAX_DEPTH = 64  # blocks and functions nested in a project's stylesheet


# Stylesheets copied into the EPUB and the web edition: they never load from the web, --allow-remote
# or not (an EPUB must carry its resources, RSC-006; the site's Content-Security-Policy allows none).
NO_REMOTE_STYLES = {"epub.css": "the EPUB", "web.css": "the web edition"}


def css_problems(path: Path, root: Path) -> list[tuple[Location, str]]:
    """Every ``url()`` and ``@import`` in a project stylesheet that reaches outside the project.

    Allowed: ``chapbook-style:NAME`` (the project's styles/, then chapbook's own), and relative
    paths that stay inside the project; http(s) only with --allow-remote, and never in
    ``styles/epub.css`` or ``styles/web.css``. Refused: file:, data:, absolute paths, '..'
    escapes and any other scheme.
    """
    import tinycss2

    try:
        text = read_regular(path).decode("utf-8")
    except NotRegular:
        return [(Location(path, 1, 1), NOT_REGULAR)]
    except (OSError, UnicodeDecodeError) as exc:
        return [(Location(path, 1, 1), f"cannot read the stylesheet ({exc})")]
    problems: list[tuple[Location, str]] = []

    edition = NO_REMOTE_STYLES.get(path.name) if path.parent == root / "styles" else None

    def check(url: str, token) -> None:
        reason = _refused_css_url(url, path, root)
        if not reason and edition and REMOTE.match(url.strip()):
            reason = (f"{edition} never loads web resources, not even with --allow-remote; remove it "
                      "(write the rules into this stylesheet)")
        if reason:
            problems.append((Location(path, token.source_line, token.source_column),
                             f"stylesheet resource '{url[:80]}' refused: {reason}"))

    def walk(tokens) -> None:
        """Every token, depth first, without recursion: a stylesheet nested thousands deep is
        refused at its line (WeasyPrint and this walk would otherwise run out of stack)."""
        stack = [(iter(tokens or ()), 0)]
        while stack:
            token = next(stack[-1][0], None)
            if token is None:
                stack.pop()
                continue
            depth = stack[-1][1]
            kind = getattr(token, "type", "")
            children: list = []
            if kind == "url":
                check(token.value, token)
            elif kind == "function":
                if token.lower_name in ("url", "src") or "image-set" in token.lower_name:
                    for arg in token.arguments:
                        if arg.type == "string":
                            check(arg.value, token if token.lower_name in ("url", "src") else arg)
                children = [token.arguments]
            elif kind == "at-rule":
                if token.lower_at_keyword == "import":
                    for arg in token.prelude:
                        if arg.type == "string":
                            check(arg.value, arg)
                children = [token.prelude, token.content]
            elif kind == "qualified-rule":
                children = [token.prelude, token.content]
            elif kind in ("() block", "[] block", "{} block"):
                children = [token.content]
            if children and depth >= CSS_MAX_DEPTH:
                problems.append((Location(path, token.source_line, token.source_column),
                                 f"the stylesheet nests blocks or functions more than {CSS_MAX_DEPTH} deep here"))
                return
            for child in reversed(children):
                if child:
                    stack.append((iter(child), depth + 1))

    walk(tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True))
    return problems


def _refused_css_url(url: str, css_file: Path, root: Path) -> str:
    """Why a stylesheet URL is refused, or '' when it stays inside the project (or chapbook)."""
    url = url.strip()
    if not url or url.startswith("#"):
        return ""
    if url.lower().startswith("chapbook-style:"):
        name = url.split(":", 1)[1]
        if name.startswith(("/", "\\")) or ".." in re.split(r"[/\\]", name):
            return "'chapbook-style:' names a file in styles/, without '..' or an absolute path"
        return ""
    if REMOTE.match(url):
        return "" if ALLOW_REMOTE.get() else "web resources are loaded only with --allow-remote"
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", url):
        return f"'{url.split(':', 1)[0]}:' URLs are not allowed; use a file inside the project"
    if url.startswith(("/", "\\")):
        return "absolute paths are not allowed; use a file inside the project"
    if not (css_file.parent / url).resolve().is_relative_to(root.resolve()):
        return "it is outside the project"
    return ""


# ---- Nesting (issue 10) -------------------------------------------------------------------------

# Blockquotes and lists nested deeper than this are refused: WeasyPrint lays out nested boxes
# recursively and Python-Markdown parses nested lists recursively, and a few hundred levels exhaust
# Python's stack (a RecursionError instead of a book). 50 levels typeset in every format with
# room to spare; no edited text needs more than a handful.
# A paragraph may open at most this many links, images, notes, glossary marks ('[' in all of them)
# and code spans (runs of backticks). Python-Markdown's inline patterns search the rest of the
# paragraph from each opener for its closer (``inlinepatterns.getText``), and so do the scans here
# of links and images: 5,000 nested '[' took 4.7 s to check and 20,000 took 74 s; at this limit the
# worst case converts in about 0.1 s (bench/results-bounded.md). The real reader's busiest paragraph
# has 34.
MAX_INLINE_OPENERS = 500
_OPENER_OR_BREAK = re.compile(r"(\n[ \t]*\n|\n(?= {0,3}\[[^\]\n]+\]:))|\[|`+")


# Quotes, apostrophes, dashes and ellipses in one paragraph: Python-Markdown's smarty extension
# rebuilds the paragraph's text at each one it curls, so a paragraph of n of them takes n² steps:
# 40,000 apostrophes ("x's x's …", 160 KB) took 10 s to convert, 100,000 bare ones 21 s (a review).
# At this limit the worst case converts in about 0.1 s; a novel's longest paragraph has a few hundred.
# Backslash escapes, character references (&mdash;) and hard line breaks cost the same way (an attack:
# 2 MB of backslashes in one line did not convert in 300 s; 20,000 of any of them take about 1 s).
MAX_SMART_MARKS = 5_000
# A block boundary (what Python-Markdown converts on its own: a paragraph, each list item, each table
# row, each note's definition, a heading) or a mark smarty replaces (angle quotes are not turned on).
_SMART_MARK_OR_BREAK = re.compile(r"(\n[ \t]*\n|\n(?=[ \t>]*(?:[-*+][ \t]|\d{1,9}[.)][ \t]|\||\[\^[^\]\n]+\]:"
                                  r"|#{1,6}[ \t])))|['\"]|--|\.\.\.|\\|&|  (?=\n)")


def smart_overflows(text: str, limit: int = MAX_SMART_MARKS) -> list[tuple[int, int]]:
    """(offset of the block, marks in it) for each paragraph, list item, table row or note with more
    than ``limit`` of the marks the smarty extension replaces, backslashes, character references and
    hard line breaks (:data:`MAX_SMART_MARKS`), code left out. Linear, and nothing is counted unless
    the whole text has more than ``limit``."""
    if sum(text.count(mark) for mark in ("'", '"', "--", "...", "\\", "&", "  \n")) <= limit:
        return []
    found: list[tuple[int, int]] = []
    start, count = 0, 0
    for m in _SMART_MARK_OR_BREAK.finditer(mask_code(text)):  # code is not curled
        if m.group(1) is None:
            count += 1
            continue
        if count > limit:
            found.append((start, count))
        start, count = m.end(), 0
    if count > limit:
        found.append((start, count))
    return found


def inline_overflows(text: str, limit: int = MAX_INLINE_OPENERS) -> list[tuple[int, int]]:
    """(offset of the paragraph, openers in it) for each paragraph with more than ``limit`` openers.

    A paragraph ends at a blank line or before a note's or link's definition (each its own block);
    a '[' in code does not count, a run of backticks does. Linear: what is over the limit is refused
    before anything slower reads it.
    """
    if text.count("[") + text.count("`") <= limit:
        return []
    masked = mask_code(text)
    found: list[tuple[int, int]] = []
    start, count = 0, 0

    def close(end: int) -> None:
        if count > limit:
            paragraph = text[start:end]
            found.append((start + len(paragraph) - len(paragraph.lstrip()), count))

    for m in _OPENER_OR_BREAK.finditer(text):
        if m.group(1) is not None:
            close(m.start())
            start, count = m.end(), 0
        elif m.group()[0] == "`" or masked[m.start()] == "[":
            count += 1
    close(len(text))
    return found


MAX_NESTING = 50
_NEST_MARKER = re.compile(r"( *)(>|[-*+](?= |$)|\d{1,9}[.)](?= |$))")


def nesting_problems(text: str, base: Location, limit: int = MAX_NESTING) -> list[tuple[Location, str]]:
    """Lines whose blockquotes and lists are nested more than ``limit`` levels deep.

    Each ``>``, each list marker, and each 4 columns of indentation before them (a nested list)
    is one level; a line can be indented at most one level deeper than the list item before it,
    so indented code and lazy continuation lines do not count. Fenced code blocks are skipped.
    One error for each run of too-deep lines, at the marker that goes past the limit.
    """
    fenced = {n for m in _FENCE.finditer(text)
              for n in range(line_col(text, m.start())[0], line_col(text, m.end())[0] + 1)}
    problems: list[tuple[Location, str]] = []
    previous = 0  # the depth of the last line with a marker
    reported = False
    for number, raw in enumerate(text.split("\n")):
        if number in fenced or not raw.strip():
            continue
        line = raw.expandtabs(4)
        depth, pos, crossed = 0, 0, 0
        markers = 0
        while (m := _NEST_MARKER.match(line, pos)) is not None:
            indent = len(m.group(1)) // 4
            depth += min(indent, max(previous - depth, 0)) if markers == 0 else indent
            depth += 1
            markers += 1
            pos = m.end() + (1 if m.group(2) == ">" and line[m.end():m.end() + 1] == " " else 0)
            if depth > limit and not crossed:
                crossed = m.start(2) + 1
        if markers:
            previous = depth
        elif len(line) - len(line.lstrip(" ")) < 4:
            previous = 0  # a paragraph at the margin ends the lists
        if crossed and not reported:
            problems.append((Location(base.path, base.line + number, crossed),
                             f"blockquotes and lists nested {depth} levels deep; at most {limit} levels can "
                             "be typeset"))
        reported = bool(crossed)
    return problems


class SourcePlaces:
    """Where text found in the typeset book (a character no font has, a line that runs past the
    margin) stands in the project's sources: the files the build read (its parts, settings,
    glossary and .bib), each read once, regular files only (a FIFO would block)."""

    def __init__(self, publication) -> None:
        root = publication.root
        self.fallback = Location(root / "content" / "publication.yml")
        files = [part.path for part in publication.parts]
        files += [root / "content" / "publication.yml", root / "content" / "glossary.yml", root / "bibliography.bib"]
        self.texts: list[tuple[Path, str]] = []
        for path in dict.fromkeys(files):
            try:
                if path.is_file() and not path.is_symlink():
                    self.texts.append((path, path.read_text(encoding="utf-8")))
            except (OSError, UnicodeDecodeError):
                continue

    def first(self, *needles: str) -> Location:
        """The first place holding one of ``needles`` (tried in order; empty ones skipped), else the
        project's settings."""
        for needle in needles:
            for path, text in self.texts:
                index = text.find(needle) if needle else -1
                if index >= 0:
                    return Location(path, text.count("\n", 0, index) + 1,
                                    index - (text.rfind("\n", 0, index) + 1) + 1)
        return self.fallback
