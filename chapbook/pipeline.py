"""The build, stage by stage: read → convert → check → write each format → report.

Each stage is one call to one module; the timings printed per stage let a
user see where a slow build spends its time. Nothing is written unless the
checks pass.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from .check import check
from .diagnostics import ExitStatus, Location, RefusedResource, Report
from .markup import convert, new_markdown
from .model import Converted, Publication
from .outfiles import remove_stale_parts
from .read import read_project, slugify
from .sourcescan import ALLOW_REMOTE, REMOTE, image_refs


@dataclass
class Build:
    """What the writers get: the checked publication, its converted parts, and shared state."""

    publication: Publication
    converted: list[Converted]
    output: Path
    report: Report
    cache: dict = field(default_factory=dict)  # WeasyPrint's image/font cache, shared by documents
    _book: object = None

    @property
    def name(self) -> str:
        """Output file stem: the slug of the title."""
        return slugify(self.publication.config.title)[:60].rstrip("-") or "reader"

    def book(self):
        """The typeset book, laid out once and shared by every writer that needs it."""
        if self._book is None:
            from .writers.pdf import typeset

            self._book = typeset(self)
        return self._book


class Progress:
    """Prints one line per stage with its duration, and the notes stages report."""

    def __init__(self, stream: TextIO, quiet: bool = False) -> None:
        self.stream, self.quiet = stream, quiet

    def note(self, message: str) -> None:
        if not self.quiet:
            print(f"{'':<14} {message}", file=self.stream)

    def stage(self, name: str, run: Callable[[], object], detail: Callable[[object], str] = lambda r: ""):
        start = time.perf_counter()
        result = run()
        if not self.quiet:
            seconds = time.perf_counter() - start
            extra = detail(result)
            print(f"{name:<14} {seconds:6.2f} s{('  ' + extra) if extra else ''}", file=self.stream)
        return result


def prepare(project: Path, report: Report, progress: Progress) -> tuple[Publication, list[Converted]]:
    """read → convert → check: everything but the writers (``build.py check`` stops here)."""
    publication = progress.stage(
        "read", lambda: read_project(project, report),
        lambda p: f"{len(p.texts)} texts, {len(p.front) + len(p.back)} other parts, "
                  f"{len(p.glossary)} glossary terms, {len(p.bibliography.keys)} references")
    md = new_markdown()
    converted = progress.stage("convert", lambda: [convert(p, publication, report, md) for p in publication.parts],
                               lambda cs: f"{sum(c.paragraphs for c in cs)} paragraphs, "
                                          f"{sum(len(c.citations) for c in cs)} citations")
    progress.stage("check", lambda: check(publication, converted, report),
                   lambda _: f"{len(report.errors)} errors, {len(report.warnings)} warnings")
    return publication, converted


def check_only(project: Path, strict: bool = False, allow_remote: bool = False) -> Report:
    """Every problem the build would report, without writing (or importing WeasyPrint)."""
    report = Report(strict=strict)
    token = ALLOW_REMOTE.set(allow_remote)
    try:
        prepare(project, report, Progress(sys.stderr, quiet=True))
    finally:
        ALLOW_REMOTE.reset(token)
    return report


def run(project: Path, output: Path, targets: list[str], strict: bool = False,
        stream: TextIO = sys.stderr, quiet: bool = False, allow_remote: bool = False) -> tuple[ExitStatus, Report]:
    token = ALLOW_REMOTE.set(allow_remote)
    try:
        return _run(project, output, targets, strict, stream, quiet)
    finally:
        ALLOW_REMOTE.reset(token)


def _run(project: Path, output: Path, targets: list[str], strict: bool,
         stream: TextIO, quiet: bool) -> tuple[ExitStatus, Report]:
    from .writers import load

    report = Report(strict=strict)
    progress = Progress(stream, quiet)
    publication, converted = prepare(project, report, progress)
    if not report.failed and "epub" in targets:
        _no_remote_images_in_epub(converted, report)
    if report.failed:
        return _finish(report, project, stream), report
    remove_stale_parts(output)  # left by a build that was killed while writing
    build = Build(publication, converted, output, report)
    for target in targets:
        try:
            seen = len(report.notes)
            progress.stage(f"write {target}", lambda t=target: load(t).write(build),
                           lambda files: ", ".join(_show(f, project) for f in files))
            for note in report.notes[seen:]:
                progress.note(note)
        except RefusedResource as exc:
            report.error(Location(publication.root / "content"), "the book tried to load a resource "
                         f"outside the project, refused: {exc} (check images and styles/custom.css)")
            break
    return _finish(report, project, stream), report


def _no_remote_images_in_epub(converted: list[Converted], report: Report) -> None:
    """An EPUB must carry its images: a web image (allowed by --allow-remote) cannot go into one."""
    for c in converted:
        for loc, _, target in image_refs(c.part.body, c.part.body_location):
            if REMOTE.match(target):
                report.error(loc, f"image '{target}' is on the web: the EPUB cannot include it; save the "
                             "file in the project and refer to it by its path", "remote-image")


def _show(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _finish(report: Report, project: Path, stream: TextIO) -> ExitStatus:
    for line in report.lines(root=_display_root(project)):
        print(line, file=stream)
    print(report.summary(), file=stream)
    return report.exit_status()


def _display_root(project: Path) -> Path | None:
    """Show paths relative to the current directory when the project is inside it."""
    cwd = Path.cwd().resolve()
    return cwd if project.resolve().is_relative_to(cwd) else None


