"""One pool of forked worker processes per build, shared by every writer (issue 11).

The book's parts (:meth:`chapbook.typeset.Composer.prefetch`) and the handouts
(:mod:`chapbook.writers.handouts`) are laid out by worker processes while the build's own process
goes on with other work. Forking is only safe in a process running one thread (:func:`can_fork`),
and a ``ProcessPoolExecutor`` starts a thread of its own once it has forked its workers; so a
build forks once, at the first task submitted, and every later task goes to the same workers.
That is also what lets the handouts be laid out while the book is still being joined and the
EPUB, booklet and print-shop PDF are written (:attr:`chapbook.pipeline.Build.ahead`): both cores
are kept busy for the whole build, not only inside one writer.

A worker inherits the build as it was at the fork (its publication, the converted texts, the
fonts decoded so far) and gets everything else as the task's arguments: a task is
``fn(build, *args)``, ``fn`` a module-level function. Tasks are queued in the order submitted.

The build's process does not only wait: :func:`gather` does here the tasks no worker has started
yet (the last first) and any task a worker failed (where its error is reported).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from typing import Any

_BUILD: Any = None  # the build the workers of this process's pool inherit
STARTED = 0  # worker pools started in this process (tests count them)


def jobs() -> int:
    """Worker processes: ``CHAPBOOK_JOBS`` if set (1: none), else one per core."""
    try:
        return max(1, int(os.environ.get("CHAPBOOK_JOBS", "") or (os.cpu_count() or 1)))
    except ValueError:
        return 1


def can_fork() -> bool:
    """Forked workers inherit the build, its fonts and the book's head without pickling; only safe on
    Linux, in a process running one thread (``watch`` runs its own: it lays out one text at a time anyway)."""
    import sys
    import threading

    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        return False
    try:
        return len(os.listdir("/proc/self/task")) == 1  # no thread of a C library either
    except OSError:
        return False


def _die_with(parent: int) -> None:
    """In a new worker: be killed when the build's process dies (Linux's ``PR_SET_PDEATHSIG``). A worker
    holds what it inherited at the fork, the output folder's lock among them: a build killed while its
    workers lived would otherwise leave them waiting for tasks, and the next build refused."""
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the build died before this worker could ask
        os._exit(1)


def _started(parent: int) -> None:
    """A new worker's first steps: die with the build, and remove at its end the font folders it made."""
    from . import fontfolders

    _die_with(parent)
    fontfolders.forked()


def _run(fn: Callable, args: tuple) -> Any:
    """In a worker: one task, with the build inherited at the fork."""
    return fn(_BUILD, *args)


class Workers:
    """The build's pool: started by the first :meth:`submit` allowed to fork, shut down when the
    outermost :meth:`scope` ends (the pipeline holds one around all the writers), its workers
    stopped at once if it ends with an exception (Ctrl-C)."""

    def __init__(self, build) -> None:
        self.build = build
        self._pool = None
        self._owner = os.getpid()  # a forked worker never submits (it has a copy of this object)
        self._depth = 0

    @property
    def running(self) -> bool:
        return self._pool is not None and os.getpid() == self._owner

    @contextlib.contextmanager
    def scope(self) -> Iterator[Workers]:
        """The pool lives until the outermost scope ends; then its workers are let go (tasks not
        started are dropped, those running are waited for)."""
        self._depth += 1
        failed = True
        try:
            yield self
            failed = False
        finally:
            self._depth -= 1
            if self._depth == 0:
                self.close(stop=failed)

    def submit(self, fn: Callable, *args: Any, fork: bool = True) -> Future | None:
        """``fn(build, *args)`` queued for a worker; None where no worker may do it (then the caller
        does it itself): no pool yet and ``fork`` false, one job, several threads, not Linux, or
        a worker asking."""
        if os.getpid() != self._owner:
            return None
        if self._pool is None:
            if not fork or self._depth == 0 or jobs() < 2 or not can_fork():
                return None
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            global _BUILD, STARTED
            _BUILD = self.build  # inherited by the workers, forked at the first submit below
            _warm(self.build)
            self._pool = ProcessPoolExecutor(jobs(), mp_context=multiprocessing.get_context("fork"),
                                             initializer=_started, initargs=(os.getpid(),))
            STARTED += 1
        return self._pool.submit(_run, fn, args)

    def close(self, stop: bool = False) -> None:
        """Let the workers go once their running tasks are done; ``stop``: at once (the build was
        interrupted or failed: Ctrl-C reaches the workers too, and each would go on with its next task).
        A worker writes no file, so stopping one leaves nothing half-written."""
        global _BUILD
        if self._pool is not None and os.getpid() == self._owner:
            if stop:
                processes = getattr(self._pool, "_processes", None) or {}  # pid → Process (CPython's executor)
                for process in list(processes.values()):
                    process.terminate()
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
            if _BUILD is self.build:
                _BUILD = None


def _warm(build) -> None:
    """Read, before the fork, what every worker would otherwise read for itself: the hyphenation
    patterns of the book's languages (0.1 s a dictionary)."""
    from . import hyphenation

    publication = getattr(build, "publication", None)  # (tests hand in a bare object)
    if publication is None:
        return
    hyphenation.preload({publication.config.language, *(part.lang for part in publication.parts if part.lang)})


def result(future: Future | None) -> Any:
    """A worker's result, or None if there is none: not submitted, taken back (its task not started:
    the caller does it itself rather than wait), or failed in the worker (the caller does it again,
    and reports its errors)."""
    if future is None or future.cancel():
        return None
    try:
        return future.result()
    except Exception:  # a task that raised, a worker that died (BrokenProcessPool)
        return None


def longest_first(sources: list[str]) -> list[int]:
    """The order in which to hand tasks to the workers: the longest source first (ties in order).

    A long task handed over last keeps one core busy at the end while the other waits (the
    reader's longest text, and its handout, come last in the book); handed over first, it runs
    while the short ones share the other core, and those no worker has started by the time their
    result is needed are done by the build's own process (:func:`gather`,
    :meth:`chapbook.typeset.Composer.lay`). The full build: 9.0 s → 7.5 s (medians of five
    alternate runs; 4.97 s → 4.73 s for the PDF and EPUB alone).
    """
    return sorted(range(len(sources)), key=lambda index: -len(sources[index]))


def cancel(futures) -> None:
    """Drop the tasks of ``futures`` no worker has started (None entries skipped); those running finish,
    their results unused. The workers stay: they are the build's."""
    for future in futures or ():
        if future is not None:
            future.cancel()


def gather(futures: list[Future | None], here: Callable[[int], Any]) -> list[Any]:
    """Each task's result in order: from its worker, or ``here(index)`` for the tasks no worker has
    started (the last first, while the workers take the first) and those a worker failed."""
    results: list[Any] = [None] * len(futures)
    done = [False] * len(futures)
    for index in reversed(range(len(futures))):
        future = futures[index]
        if future is None or future.cancel():
            results[index], done[index] = here(index), True
    for index, future in enumerate(futures):
        if not done[index]:
            value = result(future)
            results[index] = here(index) if value is None else value
    return results
