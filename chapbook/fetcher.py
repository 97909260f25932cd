"""The only way WeasyPrint may load anything: files of the project and chapbook's styles.

Content is untrusted, so the renderer must not be able to read other local
files or reach the network, whatever a text's Markdown or attributes say.
Stylesheets and fonts are addressed as ``chapbook-style:NAME`` and looked up
in the project's ``styles/`` first, then in chapbook's own; images as files
inside the project. Everything else is refused and remembered, so the build
can report it as an error instead of silently producing a book without it.
Web resources (http, https) are fetched only when the build was started with
``--allow-remote`` (:data:`chapbook.sourcescan.ALLOW_REMOTE`).
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from .diagnostics import RefusedResource
from .projectfiles import allowed, read_regular
from .sourcescan import ALLOW_REMOTE, REMOTE

STYLE_SCHEME = "chapbook-style:"


class ProjectFetcher(URLFetcher):
    def __init__(self, project: Path, style_dirs: list[Path], allow_remote: bool | None = None) -> None:
        super().__init__(allowed_protocols={"http", "https"}, fail_on_errors=False)
        self.allow_remote = ALLOW_REMOTE.get() if allow_remote is None else allow_remote
        self.project = project.resolve()
        self.style_dirs = [d.resolve() for d in style_dirs]
        self.refused: list[str] = []
        self.fetched: list[Path] = []  # the local files loaded, so a cache of layouts can tell when they change

    @classmethod
    def for_project(cls, project: Path) -> ProjectFetcher:
        """The fetcher every document of a build uses: the project's styles/ first, then chapbook's."""
        from . import PACKAGE_ROOT

        return cls(project, [project / "styles", PACKAGE_ROOT / "styles"])

    def resolve(self, url: str) -> Path | None:
        """The local file a URL may load, or None if it is not allowed."""
        if url.startswith(STYLE_SCHEME):
            name = unquote(url[len(STYLE_SCHEME):])
            for folder in self.style_dirs:
                path = (folder / name).resolve()
                if path.is_relative_to(folder) and path.is_file() and allowed(path, self.project):
                    return path
            return None
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return None
        path = Path(unquote(parts.path)).resolve()
        if path.is_relative_to(self.project) and path.is_file():
            return path
        return None

    def raise_if_refused(self) -> None:
        """Fail the build if anything was refused: a book silently missing an image is worse."""
        if self.refused:
            raise RefusedResource(", ".join(sorted(set(self.refused))))

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if self.allow_remote and REMOTE.match(url):
            return super().fetch(url, headers)  # only http(s); redirects to file: are refused by urllib
        path = self.resolve(url)
        if path is None:
            self.refused.append(url)
            raise ValueError(f"chapbook refuses to load {url!r}: only files inside the project may be used")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix == ".woff2":
            mime = "font/woff2"
        body = read_regular(path)  # checked on the open file: one swapped for a FIFO would block the layout
        self.fetched.append(path)  # after: a file that could not be read is not hashed for the cache
        if path.suffix.lower() == ".svg":  # WeasyPrint gets the sanitised SVG (chapbook.svgsafe)
            from .svgsafe import sanitised

            try:
                body = sanitised(body, path.name)
            except RefusedResource as exc:
                self.refused.append(f"{url} ({exc})")
                raise ValueError(f"chapbook refuses to load {url!r}: {exc}") from None
        return URLFetcherResponse(path.as_uri(), body=body, headers={"Content-Type": mime})
