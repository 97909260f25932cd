"""``build.py watch``: a short-lived watcher in a thread on a copy of the minimal project."""

from __future__ import annotations

import io
import shutil
import threading
import time
from pathlib import Path

import pytest
from conftest import MINIMAL, MINIMAL_PDF_NAME, single_threaded

from chapbook.watch import affected, relevant, watch


class Lines(io.StringIO):
    """A stream the test can poll while the watcher writes to it from its thread."""

    def wait_for(self, text: str, count: int = 1, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while self.getvalue().count(text) < count:
            assert time.monotonic() < deadline, f"timed out waiting for {text!r}:\n{self.getvalue()}"
            time.sleep(0.05)


def test_affected_targets(tmp_path):
    targets = ["pdf", "epub", "booklet"]
    assert affected({tmp_path / "content/texts/01-a.md"}, tmp_path, targets) == targets
    assert affected({tmp_path / "styles/epub.css"}, tmp_path, targets) == ["epub"]
    assert affected({tmp_path / "templates/epub/part.xhtml.j2"}, tmp_path, ["pdf"]) == []
    assert affected({tmp_path / "styles/custom.css", tmp_path / "styles/epub.css"}, tmp_path, targets) == targets
    out = tmp_path / "output"
    assert not relevant(out / "x.pdf", tmp_path, out)
    assert not relevant(tmp_path / "content" / ".01-a.md.swp", tmp_path, out)
    assert not relevant(tmp_path / "content" / "texts" / "sedVsvgjf", tmp_path, out)  # sed -i, renamed over a text
    assert not relevant(tmp_path / "content" / "4913", tmp_path, out)  # vim's write test
    assert relevant(tmp_path / "content" / "texts" / "sedan.md", tmp_path, out)
    assert not relevant(tmp_path / ".git" / "index", tmp_path, out)
    assert relevant(tmp_path / "bibliography.bib", tmp_path, out)
    # the project folder changes when the output folder is made in it: no rebuild for that
    assert not relevant(tmp_path, tmp_path, out)
    assert relevant(tmp_path / "styles", tmp_path, out)  # a folder renamed or removed in the project


def test_watch_rebuilds_and_keeps_the_last_good_output(tmp_path: Path):
    root = tmp_path / "project"
    shutil.copytree(MINIMAL, root)
    out = tmp_path / "out"
    stream, stop, ready = Lines(), threading.Event(), threading.Event()
    thread = threading.Thread(target=watch, args=(root, out, ["pdf"]),
                              kwargs={"quiet": True, "stream": stream, "stop": stop, "ready": ready,
                                      "debounce": 0.2}, daemon=True)
    thread.start()
    try:
        assert ready.wait(90), stream.getvalue()
        stream.wait_for("start: rebuilt pdf")
        pdf = out / MINIMAL_PDF_NAME
        first = pdf.read_bytes()
        text = root / "content" / "texts" / "02-second-text.md"
        text.write_text(text.read_text() + "\nA new paragraph, saved by the editor.\n")
        stream.wait_for("content/texts/02-second-text.md changed: rebuilt pdf in ")
        second = pdf.read_bytes()
        assert second != first
        text.write_text(text.read_text() + "\nA <b>broken</b> line.\n")
        stream.wait_for("rebuild failed")
        assert "raw HTML is not allowed" in stream.getvalue()
        assert pdf.read_bytes() == second  # the last good output is kept
        (root / "notes.txt~").write_text("an editor's backup file: ignored")
        assert sorted(p.name for p in out.iterdir() if p.name != ".cache") == [MINIMAL_PDF_NAME]
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()
    assert stream.getvalue().count("rebuilt pdf") == 2


def _threads() -> int:
    import os

    return len(os.listdir("/proc/self/task")) if Path("/proc/self/task").is_dir() else threading.active_count()


def test_file_events_come_from_a_child_process_so_rebuilds_may_fork(tmp_path: Path):
    """watchdog's threads run in a child process: watch's own process keeps its one thread, so its
    rebuilds fork the build's workers (chapbook.workers.can_fork); the paths still arrive."""
    import time

    from chapbook.watchfiles import FileEvents

    before = _threads()
    events = FileEvents(tmp_path)
    try:
        assert _threads() <= before  # no thread of watchdog's here (one left by an earlier test may end)
        (tmp_path / "a text.md").write_text("saved")
        seen, deadline = set(), time.monotonic() + 20
        while tmp_path / "a text.md" not in seen and time.monotonic() < deadline:
            path = events.get(timeout=0.2)
            if path is not None:
                seen.add(path)
        assert tmp_path / "a text.md" in seen
        while (path := events.get(timeout=0.3)) is not None:  # the rest: the file again, or its folder
            assert path in (tmp_path, tmp_path / "a text.md")
    finally:
        events.close()
    assert events.process.poll() is not None  # the watcher ended with watch


def test_watch_rebuilds_in_a_process_that_may_fork_workers(tmp_path: Path, monkeypatch):
    """Run in this (main) thread: at the first build and at the rebuild a saved file causes, the
    process is single-threaded, so the build's workers may be forked (with watchdog's threads in
    this process, as before, it never was)."""
    import signal
    import subprocess
    from types import SimpleNamespace

    from chapbook import pipeline, workers
    from chapbook.diagnostics import ExitStatus

    if not single_threaded():
        pytest.skip("this test process runs other threads")
    root = tmp_path / "project"
    root.mkdir()
    stop, seen = threading.Event(), []

    def run(project, output, which, **kwargs):
        seen.append(workers.can_fork())
        if len(seen) == 2:
            stop.set()
        return ExitStatus.OK, SimpleNamespace(failed=False)

    monkeypatch.setattr(pipeline, "run", run)
    def too_long(*_):
        raise TimeoutError("no rebuild within 60 s")

    saver = subprocess.Popen(["sh", "-c", f"sleep 1; echo saved > '{root}/text.md'"])  # a process, not a thread
    previous = signal.signal(signal.SIGALRM, too_long)  # a watchdog that is no thread
    signal.alarm(60)
    try:
        watch(root, tmp_path / "out", ["pdf"], quiet=True, stream=Lines(), stop=stop, debounce=0.1)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        saver.wait(timeout=30)
    assert seen == [True, True]
