"""``build.py serve``: the web edition on http://127.0.0.1:PORT/, rebuilt and reloaded on every save.

The site needs no server (its pages open from ``file://``); this is for editing. It is
``watch web`` (:mod:`chapbook.watch`) in a thread plus the standard library's
``http.server`` bound to 127.0.0.1 only. Live reload is polling, kept simple: the
server answers ``/__chapbook_version`` with the modification time of ``web/index.html``
(every build replaces it), and ``site.js`` reloads the page when that changes.
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

VERSION_PATH = "/__chapbook_version"


class _Handler(http.server.SimpleHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path.split("?")[0] == VERSION_PATH:
            index = Path(self.directory) / "index.html"
            body = str(index.stat().st_mtime_ns if index.is_file() else 0).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format: str, *args) -> None:  # quiet: watch prints what matters
        pass


def serve(project: Path, output: Path, port: int = 8000, strict: bool = False, quiet: bool = False) -> int:
    """Build the site, serve it, and rebuild it on every save until Ctrl-C."""
    from .watch import watch

    site = (output / "web").resolve()
    site.mkdir(parents=True, exist_ok=True)
    stop, ready = threading.Event(), threading.Event()
    watcher = threading.Thread(target=watch, args=(project, output, ["web"]),
                               kwargs={"strict": strict, "quiet": quiet, "stop": stop, "ready": ready}, daemon=True)
    watcher.start()
    ready.wait()
    handler = functools.partial(_Handler, directory=str(site))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        print(f"serve: http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C to stop)", file=sys.stderr, flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
            watcher.join(timeout=5)
    return 0
