"""``build.py watch``: a short-lived watcher in a thread on a copy of the minimal project."""

from __future__ import annotations

import io
import shutil
import threading
import time
from pathlib import Path

from conftest import MINIMAL, MINIMAL_PDF_NAME

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
    assert not relevant(tmp_path / ".git" / "index", tmp_path, out)
    assert relevant(tmp_path / "bibliography.bib", tmp_path, out)


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
