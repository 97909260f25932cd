"""ProjectFetcher: the only way WeasyPrint may load anything."""

from __future__ import annotations

from pathlib import Path

import pytest

from chapbook.fetcher import ProjectFetcher
from chapbook.render import PACKAGE_ROOT


@pytest.fixture
def setup(tmp_path: Path):
    project = tmp_path / "project"
    (project / "content" / "images").mkdir(parents=True)
    (project / "content" / "images" / "map.png").write_bytes(b"\x89PNG\r\n\x1a\nmap")
    (project / "content" / "images" / "a b.png").write_bytes(b"\x89PNG\r\n\x1a\nspace")
    (project / "styles").mkdir()
    (project / "styles" / "print.css").write_text("/* the project's own */")
    (tmp_path / "secret.txt").write_text("secret")
    (project / "content" / "images" / "escape.png").symlink_to(tmp_path / "secret.txt")
    fetcher = ProjectFetcher(project, [project / "styles", PACKAGE_ROOT / "styles"])
    return fetcher, project.resolve(), tmp_path.resolve()


def refused(fetcher: ProjectFetcher, url: str) -> None:
    assert fetcher.resolve(url) is None
    before = len(fetcher.refused)
    with pytest.raises(ValueError, match="chapbook refuses to load"):
        fetcher.fetch(url)
    assert fetcher.refused[before:] == [url]


def test_serves_project_files(setup):
    fetcher, project, _ = setup
    url = (project / "content" / "images" / "map.png").as_uri()
    response = fetcher.fetch(url)
    assert response.read() == b"\x89PNG\r\n\x1a\nmap"
    assert response.headers.get_content_type() == "image/png"
    assert fetcher.refused == []


def test_serves_percent_encoded_names(setup):
    fetcher, project, _ = setup
    url = project.as_uri() + "/content/images/a%20b.png"
    assert fetcher.resolve(url) == project / "content" / "images" / "a b.png"
    assert fetcher.fetch(url).read().endswith(b"space")


def test_chapbook_style_prefers_the_projects_styles(setup):
    fetcher, project, _ = setup
    assert fetcher.resolve("chapbook-style:print.css") == project / "styles" / "print.css"
    assert fetcher.fetch("chapbook-style:print.css").read() == b"/* the project's own */"


def test_chapbook_style_falls_back_to_chapbooks_own(setup):
    fetcher, _, _ = setup
    own = sorted(p for p in (PACKAGE_ROOT / "styles").rglob("*") if p.is_file() and p.name != "print.css")
    assert own, "chapbook ships styles (fonts)"
    name = own[0].relative_to(PACKAGE_ROOT / "styles").as_posix()
    assert fetcher.resolve(f"chapbook-style:{name}") == own[0].resolve()
    assert fetcher.fetch(f"chapbook-style:{name}").read() == own[0].read_bytes()


def test_woff2_fonts_have_a_font_type(setup):
    fetcher, _, _ = setup
    fonts = sorted((PACKAGE_ROOT / "styles").rglob("*.woff2"))
    if not fonts:
        pytest.skip("no woff2 fonts shipped")
    name = fonts[0].relative_to(PACKAGE_ROOT / "styles").as_posix()
    assert fetcher.fetch(f"chapbook-style:{name}").headers.get_content_type() == "font/woff2"


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "file://localhost/etc/passwd",
    "/etc/passwd",
    "http://example.org/x.png",
    "https://example.org/x.png",
    "ftp://example.org/x",
    "data:text/plain,hello",
    "chapbook-style:../../../../../../../../etc/passwd",
    "chapbook-style:/etc/passwd",
    "chapbook-style:nonexistent.css",
])
def test_refuses_everything_else(setup, url: str):
    fetcher, _, _ = setup
    refused(fetcher, url)


def test_refuses_dot_dot_escapes(setup):
    fetcher, project, _ = setup
    refused(fetcher, project.as_uri() + "/../secret.txt")
    refused(fetcher, project.as_uri() + "/content/%2e%2e/%2e%2e/../secret.txt")


def test_refuses_symlinks_out_of_the_project(setup):
    fetcher, project, _ = setup
    refused(fetcher, (project / "content" / "images" / "escape.png").as_uri())


def test_refuses_remote_hosts_and_directories(setup):
    fetcher, project, _ = setup
    refused(fetcher, "file://evil.example.org" + str(project / "content" / "images" / "map.png"))
    refused(fetcher, project.as_uri() + "/content/")  # a folder is not a file


def test_refused_urls_are_remembered_for_the_report(setup):
    fetcher, _, _ = setup
    for url in ("file:///etc/passwd", "https://example.org/"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert fetcher.refused == ["file:///etc/passwd", "https://example.org/"]
