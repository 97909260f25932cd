"""Diagnostics: the one kind of problem report users see.

Every problem in user content becomes a :class:`Diagnostic` with a location,
so the command line can print ``path:line:col: error: message`` lines sorted
by file and position, like a compiler. Stages collect diagnostics in a
:class:`Report` instead of raising, so one build shows every problem at once.
"""

from __future__ import annotations

import contextlib
import difflib
import enum
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .charclasses import C0, C1, DEL, ISOLATES, LINE_ENDS, MARKS, OVERRIDES, char_class


class ExitStatus(enum.IntEnum):
    """Process exit codes; computed once from the report (see :meth:`Report.exit_status`)."""

    OK = 0
    CONTENT_ERROR = 1
    USAGE = 2


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file; line and column are 1-based, 0 means unknown."""

    path: Path
    line: int = 0
    col: int = 0

    def shifted(self, lines: int = 0, col: int | None = None) -> Location:
        return Location(self.path, self.line + lines, self.col if col is None else col)

    def __repr__(self) -> str:
        """The file's name only: a project template that prints a model object (``{{ texts[0].part }}``)
        must not learn where the project lives on this machine."""
        return f"Location({self.path.name!r}, {self.line}, {self.col})"

    def __str__(self) -> str:
        text = str(self.path)
        if self.line:
            text += f":{self.line}"
            if self.col:
                text += f":{self.col}"
        return text


def byte_location(path: Path, data: bytes, offset: int) -> Location:
    """The line and column of byte ``offset`` of a file's ``data``, as an editor counts them (columns in
    characters): where a file that is not UTF-8 has its first bad byte."""
    start = data.rfind(b"\n", 0, offset) + 1
    return Location(path, data.count(b"\n", 0, offset) + 1, len(data[start:offset].decode("utf-8", "replace")) + 1)


# Codes for diagnostics made without an explicit one: the first pattern that matches the message.
# Codes are stable names editors' tools and CI can filter on (``build.py check --format json``).
_CODES: list[tuple[str, str]] = [
    (r"^image .*: the SVG|SVG with a DOCTYPE|not a well-formed SVG|the SVG's <style>", "unsafe-svg"),
    (r"in an attribute list", "unsafe-attribute"),
    (r"^control character", "control-character"),
    (r"^correction '|closes no correction", "critic-syntax"),
    (r"^invalid YAML", "yaml"),
    (r"^not UTF-8|^cannot read", "encoding"),
    (r"front matter", "front-matter"),
    (r"^unknown front-matter field|^unknown glossary field", "unknown-field"),
    (r"^missing required field|needs both 'term'|has no 'title'", "missing-field"),
    (r"^unknown setting", "unknown-setting"),
    (r"^unknown paper size|^unknown sheet size|^'[\w.]+' must|must be a mapping|must be a list", "bad-value"),
    (r"^unknown citation key", "unknown-citation"),
    (r"^unknown source key", "unknown-source"),
    (r"^bibliography entry .* is never cited", "unused-reference"),
    (r"^duplicate bibliography key", "duplicate-key"),
    (r"^bibliography syntax error", "bibtex"),
    (r"^unknown glossary term", "unknown-term"),
    (r"does not occur in any text", "unused-term"),
    (r"'see_also'", "unknown-see-also"),
    (r"^duplicate slug", "duplicate-slug"),
    (r"^duplicate glossary term", "duplicate-term"),
    (r"is listed but there is no|is listed in '\w+' but", "missing-text"),
    (r"is not listed in publication.yml", "unlisted-text"),
    (r"raw HTML", "raw-html"),
    (r"^link target", "unsafe-link"),
    (r"^image .* must be a file inside", "unsafe-image"),
    (r"^image .* not found", "missing-image"),
    (r"citation|@", "citation-syntax"),
]


def code_for(message: str) -> str:
    """The stable code of a diagnostic message that was reported without one."""
    for pattern, code in _CODES:
        if re.search(pattern, message):
            return code
    return "other"


@dataclass(frozen=True, order=True)
class Diagnostic:
    location: Location
    severity: str  # "error" or "warning"
    message: str
    code: str = ""  # a stable name ('unknown-citation'); see :func:`code_for` when empty

    @property
    def kind(self) -> str:
        return self.code or code_for(self.message)

    def format(self, root: Path | None = None, with_code: bool = False) -> str:
        """``path:line:col: severity: message``; control characters shown escaped (``\\x1b``).

        A diagnostic located at :data:`NOWHERE` (about the output, not the sources) has no path.
        """
        where = "" if self.location.path == NOWHERE.path else f"{printable(str(self._shown(root)))}: "
        text = f"{where}{self.severity}: {printable(self.message)}"
        return f"{text} [{self.kind}]" if with_code else text

    def _shown(self, root: Path | None) -> Location:
        loc = self.location
        if root is not None:
            with contextlib.suppress(ValueError):
                loc = Location(loc.path.relative_to(root), loc.line, loc.col)
        return loc

    def as_dict(self, root: Path | None = None) -> dict:
        loc = self._shown(root)
        path = "" if self.location.path == NOWHERE.path else printable(str(loc.path))
        return {"path": path, "line": loc.line, "col": loc.col, "severity": self.severity,
                "code": self.kind, "message": printable(self.message)}


SHOWN_PER_KIND = 20  # problems of one kind shown per file (Report.lines)

# Where a problem with no place in the sources is reported (an output that cannot be written).
NOWHERE = Location(Path(""))

# Characters a terminal would act on instead of showing: C0 and C1 controls (ESC starts colour and
# cursor sequences, BEL rings), DEL, and the Unicode bidirectional overrides and isolates that can
# make a line read differently from what it says. Tab is kept; newlines are escaped too, so one
# diagnostic is always one line.
_UNPRINTABLE = char_class(C0, LINE_ENDS, DEL, C1, MARKS, OVERRIDES, ISOLATES)


def printable(text: str) -> str:
    """``text`` with terminal control characters shown as escapes: ESC → ``\\x1b``, U+202E → ``\\u202e``."""
    def escape(match: re.Match[str]) -> str:
        code = ord(match.group(0))
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _UNPRINTABLE.sub(escape, text)


@dataclass
class Report:
    """Collects diagnostics from every stage of a build."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    strict: bool = False
    notes: list[str] = field(default_factory=list)  # facts a stage reports ("61 pages → 64 …")
    written: list[str] = field(default_factory=list)  # outputs moved into place, as shown
    not_written: list[str] = field(default_factory=list)  # requested outputs (targets) not written

    def error(self, location: Location, message: str, code: str = "") -> None:
        self.diagnostics.append(Diagnostic(location, "error", message, code))

    def warning(self, location: Location, message: str, code: str = "") -> None:
        self.diagnostics.append(Diagnostic(location, "warning", message, code))

    def note(self, message: str) -> None:
        """Information for the user that is not a problem; printed with the stage that made it."""
        self.notes.append(message)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]

    @property
    def failed(self) -> bool:
        """True when nothing may be written: errors, or warnings under --strict."""
        return bool(self.errors) or (self.strict and bool(self.warnings))

    def exit_status(self) -> ExitStatus:
        return ExitStatus.CONTENT_ERROR if self.failed else ExitStatus.OK

    def shown(self) -> list[Diagnostic]:
        """The diagnostics as shown: sorted, without repeats, warnings as errors under --strict."""
        def order(d: Diagnostic) -> tuple:
            return str(d.location.path), d.location.line, d.location.col, d.message

        shown = []
        for d in sorted(set(self.diagnostics), key=order):
            if self.strict and d.severity == "warning":
                d = Diagnostic(d.location, "error", d.message + " [--strict]", d.kind)
            shown.append(d)
        return shown

    def lines(self, root: Path | None = None, with_code: bool = False) -> list[str]:
        """The sorted diagnostic lines (under --strict, warnings are shown as errors). A file with more
        than :data:`SHOWN_PER_KIND` problems of one kind (6,000 stray ``</span>`` tags) shows the
        first of them and one line counting the rest; ``--format json`` keeps them all."""
        out, seen, hidden = [], {}, {}
        for d in self.shown():
            group = (str(d.location.path), d.severity, d.kind)
            seen[group] = seen.get(group, 0) + 1
            if d.kind and seen[group] > SHOWN_PER_KIND:
                hidden[group] = (d, hidden.get(group, (d, 0))[1] + 1)
                continue
            out.append(d.format(root, with_code))
        for (_, severity, kind), (d, count) in hidden.items():
            where = "" if d.location.path == NOWHERE.path else f"{printable(str(d._shown(root).path))}: "
            out.append(f"{where}{severity}: {count} more {severity}s of this kind not shown [{kind}]")
        return out

    def to_json(self, root: Path | None = None) -> str:
        """The diagnostics and counts as JSON, for editors' tools and CI."""
        shown = self.shown()
        return json.dumps({
            "diagnostics": [d.as_dict(root) for d in shown],
            "errors": sum(d.severity == "error" for d in shown),
            "warnings": sum(d.severity == "warning" for d in shown),
            "ok": not self.failed,
        }, ensure_ascii=False, indent=2)

    def summary(self) -> str:
        n_err, n_warn = len(self.errors), len(self.warnings)
        if self.strict:
            n_err, n_warn = n_err + n_warn, 0
        parts = [_plural(n_err, "error"), _plural(n_warn, "warning")]
        if not self.failed:
            return f"built: {', '.join(parts)}"
        if not self.written:
            return f"build failed, nothing written: {', '.join(parts)}"
        return printable(f"build failed: {', '.join(parts)}; written: {', '.join(self.written)}; "
                         f"not written: {', '.join(self.not_written) or 'nothing else'}")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def did_you_mean(word: str, candidates: list[str] | set[str] | tuple[str, ...]) -> str:
    """A ' (did you mean 'x'?)' suffix for a misspelt key, or '' if nothing is close."""
    close = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


class ContentProblem(Exception):
    """A problem in the content found while writing: the pipeline reports it at ``location`` and stops.

    Normally the check stage finds such problems first; this is the net for what only the
    typesetter can see (an image WeasyPrint cannot load, a template failing at run time).
    """

    def __init__(self, location: Location | None, message: str, code: str = "") -> None:
        super().__init__(message)
        self.location, self.message, self.code = location, message, code

    def __reduce__(self):  # picklable with its fields: handouts are laid out in worker processes
        return type(self), (self.location, self.message, self.code)

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class RefusedResource(Exception):
    """A document tried to load something outside the project (see chapbook.fetcher)."""


class Interrupted(KeyboardInterrupt):
    """Ctrl-C while writing: which outputs were already replaced, which targets were not written."""

    def __init__(self, replaced: list[str], pending: list[str]) -> None:
        super().__init__(replaced, pending)
        self.replaced, self.pending = replaced, pending

    @property
    def message(self) -> str:
        if not self.replaced:
            return "interrupted; nothing was replaced"
        pending = (f"; not written: {', '.join(self.pending)} (their previous files are kept)"
                   if self.pending else "")
        return printable(f"interrupted; replaced: {', '.join(self.replaced)}{pending}")


class UsageError(Exception):
    """Bad command-line usage (exit status 2)."""
