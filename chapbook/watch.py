"""``build.py watch``: build, then rebuild the affected outputs on every saved change.

watchdog reports file events from a child process (:mod:`chapbook.watchfiles`,
so that this process stays single-threaded and its rebuilds may fork the build's
worker processes), and the main loop waits until no event has come for
``debounce`` seconds (an editor's save is often several events: a temporary
file, a rename, a touch) before it rebuilds. Which outputs a change affects
(:func:`affected`): the EPUB's own templates and stylesheet affect only the
EPUB; anything else in the project (content, bibliography, styles,
templates, images, an ICC profile) may change every output, so every
requested target is rebuilt. The output folder, hidden files, editors'
backup files and ``.part`` files are ignored.

A rebuild runs the whole pipeline in this process (WeasyPrint stays
imported, and the book's laid-out parts stay in memory, :mod:`chapbook.typeset`,
so a save in one text lays out only that text again; so do the texts'
conversions and print HTML, :mod:`chapbook.convcache`, the parts' opened PDFs,
:class:`chapbook.bookpdf.Opened`, and the compiled book template). A failed rebuild
writes nothing, so the last good outputs stay; its errors are printed and
watching goes on. Each rebuild holds the output folder's lock while it
writes (see :func:`chapbook.outfiles.output_lock`), so a ``build.py`` run
into the same folder meanwhile is refused rather than racing it.
"""

from __future__ import annotations

import re
import sys
import threading
import time
from pathlib import Path
from typing import TextIO

from .diagnostics import ExitStatus, Interrupted

EPUB_ONLY = ("templates/epub/", "styles/epub.css")
_IGNORED_SUFFIXES = (".part", ".swp", ".swx", ".tmp", "~", ".pyc", "___jb_tmp___", "___jb_old___")
# Editors' and tools' passing files, whose rename onto the real file is reported as the real file:
# `sed -i`'s sedXXXXXX, vim's write test "4913" (a new user's watch printed "sedVsvgjf changed").
_PASSING = re.compile(r"sed[A-Za-z0-9]{6}|4913")


def relevant(path: Path, project: Path, output: Path) -> bool:
    """Whether a changed path can change an output."""
    try:
        rel = path.resolve().relative_to(project.resolve())
    except ValueError:
        return False
    if not rel.parts:  # the project folder itself: one of its entries changed (the output folder made),
        return False  # and a change that matters comes with that entry's own path
    out = output.resolve()
    if path.resolve() == out or path.resolve().is_relative_to(out):
        return False
    if any(part.startswith(".") or part == "__pycache__" for part in rel.parts):
        return False
    return not (path.name.endswith(_IGNORED_SUFFIXES) or path.name.startswith("#") or _PASSING.fullmatch(path.name))


def affected(paths: set[Path], project: Path, targets: list[str]) -> list[str]:
    """The requested targets a set of changed paths affects, in build order."""
    hit: set[str] = set()
    root = project.resolve()
    for path in paths:
        try:
            rel = path.resolve().relative_to(root).as_posix()
        except ValueError:
            continue
        if rel.startswith(EPUB_ONLY[0]) or rel == EPUB_ONLY[1]:
            hit.add("epub")
        else:
            return list(targets)
    return [t for t in targets if t in hit]


def watch(project: Path, output: Path, targets: list[str], strict: bool = False, allow_remote: bool = False,
          debounce: float = 0.3, quiet: bool = False, stream: TextIO = sys.stderr,
          stop: threading.Event | None = None, ready: threading.Event | None = None) -> int:
    """Build ``targets``, then rebuild on changes until ``stop`` is set (or Ctrl-C)."""
    from .bookpdf import free_retired
    from .pipeline import run
    from .watchfiles import FileEvents

    stop = stop or threading.Event()
    project = project.resolve()
    output = output.resolve()

    def build(which: list[str], why: str) -> None:
        start = time.perf_counter()
        try:
            status, report = run(project, output, which, strict=strict, stream=stream, quiet=quiet,
                                 allow_remote=allow_remote)
        except Exception as exc:  # keep watching: the next save may fix it
            print(f"watch: internal error: {type(exc).__name__}: {exc}; the previous outputs are kept",
                  file=stream, flush=True)
            return
        seconds = time.perf_counter() - start
        if status == ExitStatus.OK and not report.failed:
            print(f"watch: {why}: rebuilt {', '.join(which)} in {seconds:.1f} s", file=stream, flush=True)
        else:
            print(f"watch: {why}: rebuild failed after {seconds:.1f} s; the previous outputs are kept",
                  file=stream, flush=True)
        free_retired()  # the outputs are in place: the joined book's objects are let go outside the rebuild

    try:
        events = FileEvents(project)
    except (OSError, RuntimeError) as exc:
        print(f"watch: cannot watch {project} for changes: {exc}", file=stream, flush=True)
        return int(ExitStatus.CONTENT_ERROR)  # 1: it did not run as asked (as an internal error)
    try:
        build(targets, "start")
        print(f"watch: watching {project} (Ctrl-C to stop)", file=stream, flush=True)
        if ready is not None:
            ready.set()
        while not stop.is_set():
            first = events.get(timeout=0.1)
            if first is None:
                continue
            changed = {first}
            deadline = time.monotonic() + debounce
            while (wait := deadline - time.monotonic()) > 0:
                more = events.get(timeout=wait)
                if more is None:
                    break
                changed.add(more)
                deadline = time.monotonic() + debounce
            changed = {p for p in changed if relevant(p, project, output)}
            which = affected(changed, project, targets)
            if which:
                names = sorted(_rel(p, project) for p in changed)
                shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
                build(which, f"{shown} changed")
    except Interrupted as exc:  # Ctrl-C during a rebuild: say which outputs it had replaced
        print(f"watch: {exc.message}", file=stream, flush=True)
    except KeyboardInterrupt:
        pass
    except RuntimeError as exc:  # the file watcher ended (FileEvents.get)
        print(f"watch: {exc}; stopped watching", file=stream, flush=True)
        return int(ExitStatus.CONTENT_ERROR)  # 1: it did not run as asked (as an internal error)
    finally:
        events.close()
    return int(ExitStatus.OK)


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)
