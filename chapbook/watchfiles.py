"""``build.py watch``'s file events, from a process of their own (issue 11: rebuilds in parallel).

watchdog reports file events from threads of its own. In ``watch``'s process those threads made
every rebuild run in a process of several threads, where forking is unsafe, so a rebuild never
used the build's worker processes (:func:`chapbook.workers.can_fork`): a change to a stylesheet,
which lays out every part of the book again, took as long as a build in one process. Here the
watchdog observer runs in a child process (:func:`main`), which writes each changed path to its
standard output, NUL-terminated; :class:`FileEvents` reads them in ``watch``'s process, which stays
single-threaded, so its rebuilds fork workers like any build.

The child ignores Ctrl-C (``watch`` stops it), and ends when ``watch``'s process is gone (it checks
its parent every half second, and a write to a closed pipe ends it too).
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
from pathlib import Path

READY = b"\0ready\0"  # written once the observer watches the folder


class FileEvents:
    """The paths changed under ``root``, as the child process reports them."""

    def __init__(self, root: Path, ready_within: float = 30.0) -> None:
        package = Path(__file__).resolve().parent.parent
        code = (f"import sys; sys.path.insert(0, {str(package)!r}); "
                "from chapbook.watchfiles import main; main(sys.argv[1])")
        self.process = subprocess.Popen([sys.executable, "-c", code, str(root)], stdin=subprocess.DEVNULL,
                                        stdout=subprocess.PIPE)
        self.fd = self.process.stdout.fileno()
        self.buffer = b""
        self.pending: list[Path] = []
        if not self._read_until_ready(ready_within):
            self.close()
            raise RuntimeError("the file watcher did not start")

    def _read(self, timeout: float) -> bool:
        """Read what the child wrote within ``timeout`` seconds; False if it has ended."""
        readable, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
        if not readable:
            return True
        data = os.read(self.fd, 65536)
        if not data:
            return False
        self.buffer += data
        return True

    def _read_until_ready(self, within: float) -> bool:
        import time

        deadline = time.monotonic() + within
        while READY not in self.buffer:
            if time.monotonic() > deadline or not self._read(deadline - time.monotonic()):
                return False
        self.buffer = self.buffer.replace(READY, b"", 1)
        return True

    def get(self, timeout: float) -> Path | None:
        """The next changed path, waiting at most ``timeout`` seconds; None if none came. RuntimeError
        if the watcher has ended."""
        if not self.pending:
            if b"\0" not in self.buffer and not self._read(timeout):
                raise RuntimeError("the file watcher has stopped")
            *paths, self.buffer = self.buffer.split(b"\0")
            self.pending = [Path(os.fsdecode(p)) for p in paths if p]
        return self.pending.pop(0) if self.pending else None

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdout.close()


class _Handler:
    """A watchdog event handler writing each path it is told about to standard output."""

    def __init__(self, out) -> None:
        self.out = out

    def dispatch(self, event) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        for attr in ("src_path", "dest_path"):
            value = getattr(event, attr, "")
            if value:
                self.out.write(os.fsencode(value) + b"\0")
        self.out.flush()


def main(root: str) -> None:
    """In the child process: watch ``root`` until the parent is gone or stops reading."""
    import signal
    import time

    from watchdog.observers import Observer

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is watch's to handle: it stops this process
    parent = os.getppid()
    out = sys.stdout.buffer
    observer = Observer()
    observer.schedule(_Handler(out), root, recursive=True)
    observer.start()
    try:
        out.write(READY)
        out.flush()
        while os.getppid() == parent and observer.is_alive():
            time.sleep(0.5)
    except (BrokenPipeError, OSError):
        pass
    finally:
        observer.stop()
        os._exit(0)  # the observer's threads may still hold the closed pipe: no flush at exit
