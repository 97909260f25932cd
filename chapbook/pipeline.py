"""The build, stage by stage: read → convert → check → write each format → report.

Each stage is one call to one module; the timings printed per stage let a
user see where a slow build spends its time. Nothing is written unless the
checks pass: the check stage also runs what the writers of the requested
targets would refuse (:mod:`chapbook.preflight`), and text nested too deeply
to typeset is refused before it is converted.

The write stage holds the output folder's lock (:func:`outfiles.output_lock`)
throughout; a second build into the same folder is refused before it touches
anything. Every file moved into place is recorded (:func:`outfiles.journal`),
so a build that fails or is interrupted while writing says exactly which
outputs were replaced and which were not. A symbolic link in the output folder
where chapbook would write is refused by the check stage, and never followed
while writing (:class:`outfiles.LinkedOutput`).
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import gc
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from . import convcache
from .check import check
from .diagnostics import NOWHERE, ContentProblem, ExitStatus, Interrupted, Location, RefusedResource, Report
from .markup import QUOTES, convert, double_quotes
from .model import Converted, Part, Publication
from .outfiles import (
    LinkedOutput,
    OutputBusy,
    OutputError,
    describe,
    journal,
    link_message,
    output_lock,
    remove_stale_parts,
)
from .preflight import check_targets, output_name
from .read import read_project
from .sourcescan import ALLOW_REMOTE, REMOTE, image_refs, nesting_problems


@dataclass
class Build:
    """What the writers get: the checked publication, its converted parts, and shared state."""

    publication: Publication
    converted: list[Converted]
    output: Path
    report: Report
    cache: dict = field(default_factory=dict)  # WeasyPrint's image/font cache, shared by documents
    ahead: list = field(default_factory=list)  # (build, part_pages, final) → None: the writers' work that can start
    _book: object = None
    _workers: object = None

    @property
    def workers(self):
        """The build's pool of forked workers (:mod:`chapbook.workers`), shared by the writers."""
        if self._workers is None:
            from .workers import Workers

            self._workers = Workers(self)
        return self._workers

    def paged(self, part_pages: dict[str, tuple[int, int]], final: bool = True) -> None:
        """Where the book's parts lie (each part's first and last page), before its PDF is joined: the
        writers registered in :attr:`ahead` start their work (handed to the workers) now. ``final``
        false: the parts placed so far in a round of the composition, which the next round may still
        move (a writer may start on them, and start again if they move; its ``write`` checks)."""
        for start in self.ahead:
            start(self, part_pages, final)

    @property
    def name(self) -> str:
        """Output file stem: the slug of the title."""
        return output_name(self.publication)

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


def prepare(project: Path, report: Report, progress: Progress, targets: list[str] | None = None,
            output: Path | None = None) -> tuple[Publication, list[Converted]]:
    """read → convert → check: everything but the writers (``build.py check`` stops here).

    The check stage includes what the writers of ``targets`` (None: every target) would refuse,
    and links in the ``output`` folder (None: ``PROJECT/output``), so that a build that passes it
    does not fail halfway through writing.
    """
    from .writers import WRITERS

    targets = list(WRITERS) if targets is None else targets
    publication = progress.stage(
        "read", lambda: read_project(project, report),
        lambda p: f"{len(p.texts)} texts, {len(p.front) + len(p.back)} other parts, "
                  f"{len(p.glossary)} glossary terms, {len(p.bibliography.keys)} references")
    markdowns: dict = {}  # one Markdown per style of double quotes (the parts' languages), see markup.convert
    out = project / "output" if output is None else output
    folder = out / convcache.CACHE_DIR  # read only: see store()
    shared = convcache.shared_state(publication)
    converted = progress.stage("convert", lambda: [
        convcache.convert(p, publication, report, lambda p=p: _convert(p, publication, report, markdowns),
                          folder, shared)
        for p in publication.parts],
                               lambda cs: f"{sum(c.paragraphs for c in cs)} paragraphs, "
                                          f"{sum(len(c.citations) for c in cs)} citations")

    def run_checks() -> None:
        check(publication, converted, report)
        check_targets(publication, targets, report, out)
        if "epub" in targets and ALLOW_REMOTE.get():
            _no_remote_images_in_epub(converted, report)

    progress.stage("check", run_checks, lambda _: f"{len(report.errors)} errors, {len(report.warnings)} warnings")
    return publication, converted


def _convert(part: Part, publication: Publication, report: Report, markdowns: dict) -> Converted:
    """Convert one part, refusing blockquotes and lists nested too deeply to convert or typeset."""
    problems = nesting_problems(part.body, part.body_location)
    for loc, message in problems:
        report.error(loc, message, "too-deep")
    try:
        return convert(part, publication, report, markdowns)
    except RecursionError:  # Python-Markdown's nested lists; normally refused above with their line
        if not problems:
            report.error(part.body_location, "the text is nested too deeply to convert (blockquotes, lists, "
                         "or thousands of brackets or emphasis marks inside each other); flatten it", "too-deep")
        return convert(dataclasses.replace(part, body=""), publication, report, markdowns)


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
        stream: TextIO | None = None, quiet: bool = False, allow_remote: bool = False,
        exits_after: bool = False) -> tuple[ExitStatus, Report]:
    """One build. ``exits_after``: the process ends when it returns (``build.py``), so the writers may
    run with the long-lived heap frozen (:func:`long_lived_set_aside`)."""
    token = ALLOW_REMOTE.set(allow_remote)
    try:  # in a context of its own: _run sets the book's quotation marks (markup.QUOTES) for its writers
        return contextvars.copy_context().run(_run, project, output, targets, strict, stream or sys.stderr, quiet,
                                              exits_after)
    finally:
        ALLOW_REMOTE.reset(token)


def _run(project: Path, output: Path, targets: list[str], strict: bool,
         stream: TextIO, quiet: bool, exits_after: bool) -> tuple[ExitStatus, Report]:
    report = Report(strict=strict)
    progress = Progress(stream, quiet)
    publication, converted = prepare(project, report, progress, targets, output)
    if report.failed:
        return _finish(report, project, stream), report
    QUOTES.set(double_quotes(publication.config.language))  # what the writers curl: titles, names, the .bib
    build = Build(publication, converted, output, report)
    done: list[str] = []
    with journal(defer=True) as record:
        try:
            with output_lock(output, base=project):  # an output folder inside the project: no link on the way
                remove_stale_parts(output)  # left by a build that was killed while writing
                _write(build, targets, done, progress, project, exits_after)
                if report.failed:  # a writer failed (or warned, under --strict): keep the previous set
                    record.discard()
                    done.clear()
                else:
                    record.commit()
        except OutputBusy as exc:
            report.error(NOWHERE, f"another build is writing {_show(exc.folder, project)}; nothing was "
                         "written (try again when it has finished)", "output-busy")
        except LinkedOutput as exc:  # a link that appeared after the check stage
            _linked(report, exc)
        except OutputError as exc:  # the output folder or its lock file cannot be made
            report.error(NOWHERE, f"cannot write {_show(exc.path, project)}: {describe(exc.error)}",
                         "cannot-write")
        except KeyboardInterrupt:
            raise Interrupted([_show(f, project) for f in record.replaced],
                              [t for t in targets if t not in done]) from None
        report.written = [_show(f, project) for f in record.replaced]
        report.not_written = [t for t in targets if t not in done]
        try:
            return _finish(report, project, stream), report
        except KeyboardInterrupt:
            raise Interrupted(report.written, report.not_written) from None


def _write(build: Build, targets: list[str], done: list[str], progress: Progress, project: Path,
           exits_after: bool = False) -> None:
    """Run the writers of ``targets`` in order; append each target written without error to ``done``.

    Problems a writer meets are errors in the report; a full disk, a refused resource or a book
    too deep to typeset stops the writing (the next writers would meet them too). A writer with an
    ``ahead(build, part_pages, final)`` starts its work as soon as the book's pages are known
    (:meth:`Build.paged`), in the workers the writers share.
    """
    from .writers import load

    writers = {target: load(target) for target in targets}  # one each: ahead() and write() share its state
    build.ahead = [writer.ahead for writer in writers.values() if hasattr(writer, "ahead")]
    frozen = long_lived_set_aside() if exits_after else contextlib.nullcontext()
    with frozen, build.workers.scope():  # one pool for every writer, let go when the last one is done
        _write_each(build, writers, done, progress, project)


@contextlib.contextmanager
def long_lived_set_aside():
    """The collector ignores, while the block runs, every object alive as it starts.

    Laying out makes millions of short-lived objects, and each time the collector runs over the
    oldest generation it walks every tracked object: the modules (WeasyPrint's among them, imported
    by loading the writers), the publication, its converted texts. Frozen (:func:`gc.freeze`), these
    are skipped; reference counting still frees them. Time in the collector during the full build
    of the reader (``gc.callbacks``): 1.5 s → 0.8 s in one process, 1.7 s → 1.3 s over the build's
    and its two workers' processes; a cold ``build.py pdf`` at 10×, 5.2–5.5 s → 3.3–3.7 s; the same
    peak memory. Forked workers inherit the frozen set.

    Only for a process that ends after the build (``build.py``; ``run(exits_after=True)``). A cycle
    that dies while frozen is not collected at the next collection after :func:`gc.unfreeze`: the
    unfrozen objects join the oldest generation, whose next full pass the collector puts off while
    that generation is large. ``watch`` rebuilding 160 times grew from 99 to 466 MB with the freeze
    (97 to 126 MB without), so ``watch``, ``serve`` and the tests build without it.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _write_each(build: Build, writers: dict, done: list[str], progress: Progress, project: Path) -> None:
    report, publication = build.report, build.publication
    for target, writer in writers.items():
        errors = len(report.errors)
        try:
            seen = len(report.notes)
            progress.stage(f"write {target}", lambda w=writer: w.write(build),
                           lambda files: ", ".join(_show(f, project) for f in files))
            for note in report.notes[seen:]:
                progress.note(note)
        except RefusedResource as exc:
            report.error(Location(publication.root / "content"), "the book tried to load a resource "
                         f"outside the project, refused: {exc} (check images and styles/custom.css)")
            break
        except ContentProblem as exc:  # a template failing, an image WeasyPrint cannot load
            report.error(exc.location or Location(publication.root / "templates"), exc.message, exc.code)
            break
        except LinkedOutput as exc:  # normally refused by the check stage (preflight.check_output)
            _linked(report, exc)
            break
        except OutputError as exc:  # a full disk, a read-only folder: the next writers would fail too
            report.error(NOWHERE, f"cannot write {_show(exc.path, project)}: {describe(exc.error)}",
                         "cannot-write")
            break
        except RecursionError:  # normally refused in the check stage (sourcescan.nesting_problems)
            report.error(Location(publication.root / "content"), f"writing {target}: the book is nested too "
                         "deeply to typeset (blockquotes, lists or notes inside each other)", "too-deep")
            break
        except MemoryError:
            report.error(NOWHERE, f"writing {target}: out of memory", "out-of-memory")
            break
        except OSError as exc:  # outside atomic_path: reading a kept handout, removing a stale one
            where = f" ({_show(Path(exc.filename), project)})" if exc.filename else ""
            report.error(NOWHERE, f"writing {target}: {describe(exc)}{where}", "cannot-write")
            break
        if len(report.errors) == errors:
            done.append(target)


def _linked(report: Report, exc: LinkedOutput) -> None:
    report.error(Location(exc.path), link_message(exc.path), "linked-output")


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


