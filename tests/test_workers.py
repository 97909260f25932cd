"""The build's pool of workers (chapbook.workers): tasks not started are done here, failures again here."""

from __future__ import annotations

import os
import time
from concurrent.futures import Future
from pathlib import Path

import pytest
from conftest import single_threaded

from chapbook import workers


def _started(value=None, error: Exception | None = None) -> Future:
    """A future a worker has taken (it cannot be taken back), finished with ``value`` or ``error``."""
    future: Future = Future()
    assert future.set_running_or_notify_cancel()
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(value)
    return future


def test_gather_does_here_what_no_worker_started_the_last_first_and_what_a_worker_failed() -> None:
    queued = [Future(), Future()]  # not started: taken back
    futures = [_started("a"), queued[0], None, _started(error=RuntimeError("died")), queued[1], _started(None)]
    done_here: list[int] = []

    def here(index: int) -> str:
        done_here.append(index)
        return f"here {index}"

    results = workers.gather(futures, here)
    assert results == ["a", "here 1", "here 2", "here 3", "here 4", "here 5"]
    assert done_here == [4, 2, 1, 3, 5]  # queued and unsubmitted ones last first, then the failed ones
    assert all(f.cancelled() for f in queued)


def test_a_pool_is_forked_only_inside_a_scope_and_once(monkeypatch) -> None:
    if not single_threaded():
        pytest.skip("workers need Linux and a single-threaded process")
    monkeypatch.setenv("CHAPBOOK_JOBS", "2")
    build = object()
    pool = workers.Workers(build)
    assert pool.submit(_pid_and_build) is None  # outside a scope: nobody would let the workers go
    started = workers.STARTED
    with pool.scope():
        with pool.scope():
            assert pool.submit(_pid_and_build, fork=False) is None  # no pool yet, and not to be forked
            first = pool.submit(_pid_and_build)
        assert pool.running  # the inner scope ended; the outer one holds the pool
        second = pool.submit(_pid_and_build, fork=False)  # a running pool takes any task
        assert {first.result()[1], second.result()[1]} == {True}  # the workers inherited the build
        assert first.result()[0] != os.getpid()
    assert not pool.running
    assert workers.STARTED - started == 1


def test_one_job_means_no_workers(monkeypatch) -> None:
    monkeypatch.setenv("CHAPBOOK_JOBS", "1")
    pool = workers.Workers(object())
    with pool.scope():
        assert pool.submit(_pid_and_build) is None
    monkeypatch.setenv("CHAPBOOK_JOBS", "many")
    assert workers.jobs() == 1


def _pid_and_build(build) -> tuple[int, bool]:
    return os.getpid(), build is workers._BUILD and build is not None


def test_a_scope_ending_with_an_exception_stops_the_workers_at_once(tmp_path, monkeypatch) -> None:
    """Ctrl-C reaches the workers too, and each would go on with the task queued next: the pool's scope
    stops them instead of waiting for their tasks to end."""
    if not single_threaded():
        pytest.skip("workers need Linux and a single-threaded process")
    monkeypatch.setenv("CHAPBOOK_JOBS", "2")
    pool = workers.Workers(object())
    marker = tmp_path / "finished"
    with pytest.raises(KeyboardInterrupt), pool.scope():
        pids = {pool.submit(_pid_and_build).result()[0] for _ in range(4)}
        sleeping = [pool.submit(_sleep_then_mark, str(marker)) for _ in range(4)]
        while not all(f.running() for f in sleeping[:2]):  # handed to the workers, no longer to be cancelled
            time.sleep(0.01)
        raise KeyboardInterrupt
    assert not pool.running
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert not marker.exists()


def _sleep_then_mark(build, marker: str) -> None:
    time.sleep(3)
    open(marker, "w").close()


def test_the_longest_tasks_are_handed_over_first() -> None:
    assert workers.longest_first(["ab", "abcd", "a", "abcd", ""]) == [1, 3, 0, 2, 4]  # ties keep their order


def test_handouts_and_parts_go_to_the_workers_longest_first(monkeypatch) -> None:
    """Both the handouts and the book's parts are handed over longest first; results stay in order."""
    from types import SimpleNamespace

    from chapbook import typeset
    from chapbook.writers import handouts

    handed: list = []

    class Pool:
        def submit(self, fn, *args, fork=True):
            handed.append(args)
            future: Future = Future()
            future.set_result(len(handed))
            return future

    build = SimpleNamespace(workers=Pool())
    todo = [SimpleNamespace(html=h, slug=h) for h in ("short", "the longest of them", "mid length")]
    futures = handouts.submit(build, todo)
    assert [args[0].slug for args in handed] == ["the longest of them", "mid length", "short"]
    assert [f.result() for f in futures] == [3, 1, 2]  # each future at its handout's place
    handed.clear()
    composer = SimpleNamespace(build=build, pending={}, session=SimpleNamespace(parts={}), tagged=False,
                               folder=Path("/nonexistent"), head="", tail="", identifier=b"",
                               key=lambda body, css, tagged: body, on_disk=lambda key: False)
    typeset.Composer.prefetch(composer, [("<p>a</p>", ""), ("<p>a longer part</p>", ""), ("<p>ab</p>", "")])
    assert [args[4] for args in handed] == ["<p>a longer part</p>", "<p>ab</p>", "<p>a</p>"]
    assert list(composer.pending) == ["<p>a longer part</p>", "<p>ab</p>", "<p>a</p>"]


def test_the_heap_alive_when_writing_starts_is_frozen_while_the_writers_run(tmp_path, monkeypatch) -> None:
    """In a process that ends after the build, the collector skips the long-lived heap during the
    writers (pipeline.long_lived_set_aside), and gets it back after."""
    import gc
    import io
    import shutil

    from conftest import PROJECTS

    from chapbook import pipeline
    from chapbook.writers.web import WebWriter

    seen: list[int] = []
    write = WebWriter.write
    monkeypatch.setattr(WebWriter, "write", lambda self, build: (seen.append(gc.get_freeze_count()),
                                                                 write(self, build))[1])
    project = tmp_path / "minimal"
    shutil.copytree(PROJECTS / "minimal", project)
    status, _ = pipeline.run(project, tmp_path / "out", ["web"], stream=io.StringIO(), quiet=True,
                             exits_after=True)
    assert status == 0
    assert seen and seen[0] > 1000  # the modules, the publication, the converted texts
    assert gc.get_freeze_count() == 0
    # A process that builds again (watch, serve) does not freeze: the cycles hidden meanwhile would pile up.
    status, _ = pipeline.run(project, tmp_path / "out", ["web"], stream=io.StringIO(), quiet=True)
    assert status == 0 and seen[1:] == [0]


def test_a_cycle_frozen_and_dropped_is_collected_after_the_block() -> None:
    import gc
    import weakref

    from chapbook.pipeline import long_lived_set_aside

    class Node:
        pass

    node = Node()
    node.itself = node  # a cycle: only the collector frees it
    alive = weakref.ref(node)
    with long_lived_set_aside():
        del node
        gc.collect()
        assert alive() is not None  # frozen: skipped by the collector
    gc.collect()
    assert alive() is None
