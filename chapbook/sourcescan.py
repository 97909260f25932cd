"""Scans of raw Markdown that need exact positions, which Python-Markdown does not keep.

Everything here works on the body text as written, so problems can be
reported as ``file:line:col``: raw HTML (rejected: content is untrusted),
link and image targets, CriticMarkup corrections and ``[[glossary]]`` marks.
``Rewrite`` replaces such constructs by placeholders while keeping a map
from new offsets back to source offsets.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Location

_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
# Tags, comments, declarations, processing instructions, and anything else Python-Markdown passes
# through as inline HTML (``<x:y>``, ``<javascript:…>``): every ``<letter…>`` except an autolink.
RAW_HTML = re.compile(r"<(?:!(?:--|\[CDATA\[|[A-Za-z])|\?[A-Za-z]|/?[A-Za-z][A-Za-z0-9-]*(?=[\s/>])"
                      r"|(?!(?:[Hh][Tt][Tt][Pp][Ss]?|[Ff][Tt][Pp][Ss]?)://)[A-Za-z][^<>@\s]*>)")
_LINK = re.compile(r"(!?)\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?((?:[^()\s>]|\([^()\s>]*\))*)")
_REFDEF = re.compile(r"^ {0,3}\[(?!\^)(?P<label>[^\]]+)\]:\s*<?(?P<target>\S+?)>?(?:\s|$)", re.MULTILINE)
_IMAGE_REF = re.compile(r"!\[((?:[^\[\]]|\[[^\]]*\])*)\](?:[ ]?\[([^\]]*)\])?(?![(\[])")
CRITIC = re.compile(r"\{~~(?P<old>.*?)~>(?P<new>.*?)~~\}|\{--(?P<deleted>.*?)--\}|\{\+\+(?P<added>.*?)\+\+\}",
                    re.DOTALL)
GLOSSARY_MARK = re.compile(r"\[\[([^\[\]|\n]+)(?:\|([^\[\]\n]+))?\]\]")
SAFE_LINK = re.compile(r"^(https?://|mailto:|#)", re.IGNORECASE)


def mask_code(text: str) -> str:
    """The text with fenced blocks and code spans blanked out, offsets unchanged."""

    def blank(match: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    return _CODE_SPAN.sub(blank, _FENCE.sub(blank, text))


def line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset)
    col = offset - (text.rfind("\n", 0, offset) + 1)
    return line, col + 1


def locate(text: str, offset: int, base: Location) -> Location:
    """The file location of ``offset`` in a body that starts at ``base``."""
    line, col = line_col(text, offset)
    return Location(base.path, base.line + line, col)


def check_html_and_links(text: str, base: Location, source_file: Path, root: Path
                         ) -> tuple[list[tuple[Location, str]], dict[str, str]]:
    """Problems with raw HTML, links and images; and the image paths to use, relative to root."""
    masked = mask_code(text)
    problems: list[tuple[Location, str]] = []
    images: dict[str, str] = {}
    for m in RAW_HTML.finditer(masked):
        snippet = masked[m.start(): masked.find(">", m.start()) + 1 or m.end() + 10][:40]
        problems.append((locate(text, m.start(), base),
                         f"raw HTML is not allowed in content ({snippet.strip()!s}); use Markdown, "
                         "or write &lt; for a literal '<'"))
    def check_image(target: str, loc: Location) -> None:
        resolved = _image_path(target, source_file, root)
        if resolved is None:
            problems.append((loc, f"image '{target}' must be a file inside the project "
                             "(web addresses, absolute paths and '..' outside it are refused)"))
        elif not (root / resolved).is_file():
            problems.append((loc, f"image '{target}' not found"))
        else:
            images[target] = resolved

    for m in _LINK.finditer(masked):
        target, is_image = m.group(2), bool(m.group(1))
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


def _label(label: str) -> str:
    """A reference label as Markdown matches it: case- and whitespace-insensitive."""
    return " ".join(label.lower().split())


def _image_path(target: str, source_file: Path, root: Path) -> str | None:
    if not target or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) or target.startswith(("/", "\\")):
        return None
    path = (source_file.parent / target).resolve()
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
