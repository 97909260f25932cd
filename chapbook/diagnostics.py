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
from dataclasses import dataclass, field
from pathlib import Path


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

    def __str__(self) -> str:
        text = str(self.path)
        if self.line:
            text += f":{self.line}"
            if self.col:
                text += f":{self.col}"
        return text


@dataclass(frozen=True, order=True)
class Diagnostic:
    location: Location
    severity: str  # "error" or "warning"
    message: str

    def format(self, root: Path | None = None) -> str:
        loc = self.location
        if root is not None:
            with contextlib.suppress(ValueError):
                loc = Location(loc.path.relative_to(root), loc.line, loc.col)
        return f"{loc}: {self.severity}: {self.message}"


@dataclass
class Report:
    """Collects diagnostics from every stage of a build."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    strict: bool = False
    notes: list[str] = field(default_factory=list)  # facts a stage reports ("61 pages → 64 …")

    def error(self, location: Location, message: str) -> None:
        self.diagnostics.append(Diagnostic(location, "error", message))

    def warning(self, location: Location, message: str) -> None:
        self.diagnostics.append(Diagnostic(location, "warning", message))

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

    def lines(self, root: Path | None = None) -> list[str]:
        """The sorted diagnostic lines (under --strict, warnings are shown as errors)."""
        shown = []
        def order(d: Diagnostic) -> tuple:
            return str(d.location.path), d.location.line, d.location.col, d.message

        for d in sorted(set(self.diagnostics), key=order):
            if self.strict and d.severity == "warning":
                d = Diagnostic(d.location, "error", d.message + " [--strict]")
            shown.append(d.format(root))
        return shown

    def summary(self) -> str:
        n_err, n_warn = len(self.errors), len(self.warnings)
        if self.strict:
            n_err, n_warn = n_err + n_warn, 0
        parts = [_plural(n_err, "error"), _plural(n_warn, "warning")]
        verdict = "build failed, nothing written" if self.failed else "built"
        return f"{verdict}: {', '.join(parts)}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def did_you_mean(word: str, candidates: list[str] | set[str] | tuple[str, ...]) -> str:
    """A ' (did you mean 'x'?)' suffix for a misspelt key, or '' if nothing is close."""
    close = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


class RefusedResource(Exception):
    """A document tried to load something outside the project (see chapbook.fetcher)."""


class UsageError(Exception):
    """Bad command-line usage (exit status 2)."""
