"""The web edition (``build.py web``): links and anchors, the book's ¶ and page anchors, security, search,
and — in headless Chromium with axe-core, when they are installed — accessibility and layout.

The site is built once per module from the minimal project, through the command line.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import MINIMAL, REPO, load, run_build

REMOTE = re.compile(r"^(https?:)?//", re.IGNORECASE)


class _Page(HTMLParser):
    """The ids, links and loaded resources of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []  # <a href>
        self.loads: list[tuple[str, str]] = []  # (tag, src/href) of what the page loads
        self.meta: list[dict[str, str]] = []
        self.scripts: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        if tag in ("img", "script", "source", "iframe", "audio", "video") and "src" in a:
            self.loads.append((tag, a["src"]))
        if tag == "link" and "href" in a:
            self.loads.append((tag, a["href"]))
        if tag == "meta":
            self.meta.append(a)
        if tag == "script":
            self.scripts.append(a)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("web-output")
    result = run_build("web", "--project", MINIMAL.relative_to(REPO), "--output", output)
    assert result.returncode == 0, result.stderr
    return output / "web"


@pytest.fixture(scope="module")
def pages(site: Path) -> dict[Path, _Page]:
    return {p: _parse(p) for p in sorted(site.rglob("*.html"))}


def test_a_page_per_part_and_the_generated_sections(site: Path) -> None:
    for rel in ("index.html", "introduction/index.html", "texts/first-text/index.html",
                "texts/second-text/index.html", "editorial-note/index.html", "glossary/index.html",
                "bibliography/index.html", "sources/index.html", "about/index.html", "search/index.html",
                "css/web.css", "js/site.js", "search/index.js", "fonts/CharisSIL-Regular.woff2"):
        assert (site / rel).is_file(), rel


def test_a_rebuild_removes_pages_the_site_no_longer_has(tmp_path: Path) -> None:
    """A text renamed or dropped leaves no old page behind (it would still be found by search engines
    and old links); other outputs in the folder are not touched."""
    output = tmp_path / "out"
    stale = output / "web" / "texts" / "an-old-name" / "index.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("<p>an old page</p>", encoding="utf-8")
    (output / "notes.txt").write_text("the editor's own file", encoding="utf-8")
    result = run_build("web", "--project", MINIMAL.relative_to(REPO), "--output", output)
    assert result.returncode == 0, result.stderr
    assert not stale.exists() and (output / "web" / "texts" / "first-text" / "index.html").is_file()
    assert (output / "notes.txt").is_file()


def test_every_internal_link_and_anchor_resolves(site: Path, pages: dict[Path, _Page]) -> None:
    broken = []
    for path, page in pages.items():
        for href in page.links + [src for _, src in page.loads]:
            if REMOTE.match(href) or href.startswith("mailto:"):
                continue
            parts = urlsplit(href)
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if not target.resolve().is_relative_to(site.parent.resolve()):
                broken.append((path, href, "outside the output folder"))
            elif not target.exists():
                broken.append((path, href, "no such file"))
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in pages[target].ids:
                broken.append((path, href, "no such anchor"))
    assert not broken, broken[:10]


def test_every_paragraph_and_note_anchor_of_the_book_is_on_the_site(pages: dict[Path, _Page]) -> None:
    ids = set().union(*(p.ids for p in pages.values()))
    loaded = load(MINIMAL)
    expected = [a for c in loaded.converted.values() for a in (*c.anchors, *c.notes)]
    assert expected and any(a.startswith("p-first-text-") for a in expected)
    assert [a for a in expected if a not in ids] == []


def test_print_pages_are_marked_in_order(site: Path) -> None:
    text = "".join((site / p).read_text(encoding="utf-8") for p in (
        "introduction/index.html", "texts/first-text/index.html", "texts/second-text/index.html",
        "editorial-note/index.html", "glossary/index.html"))
    numbers = [int(n) for n in re.findall(r'class="page" id="page-(\d+)"', text)]
    assert numbers and numbers == sorted(numbers)


def test_nothing_is_loaded_from_outside_and_every_page_has_a_csp(pages: dict[Path, _Page]) -> None:
    for path, page in pages.items():
        assert not [src for _, src in page.loads if REMOTE.match(src) or src.startswith("data:")], path
        csp = [m["content"] for m in page.meta if m.get("http-equiv", "").lower() == "content-security-policy"]
        assert csp and "default-src 'none'" in csp[0] and "script-src 'self'" in csp[0], path
        assert "unsafe-inline" not in csp[0]
        for script in page.scripts:  # no inline script: only files of the site, or JSON-LD data
            assert script.get("src") or script.get("type") == "application/ld+json", path


def test_texts_carry_open_graph_and_schema_org(site: Path) -> None:
    html = (site / "texts" / "first-text" / "index.html").read_text(encoding="utf-8")
    assert '<meta property="og:type" content="article">' in html
    assert 'property="article:author" content="Maria García"' in html
    assert '"@type": "Article"' in html and '"datePublished"' in html


def test_the_search_index_has_the_words_of_a_text(site: Path) -> None:
    index = (site / "search" / "index.js").read_text(encoding="utf-8")
    body = (MINIMAL / "content" / "texts" / "01-first-text.md").read_text(encoding="utf-8").split("---", 2)[2]
    word = max(re.findall(r"[A-Za-z]{6,}", body), key=len)
    assert word in index
    assert "texts/first-text/index.html#p-first-text-1" in index


# ---- In a real browser -------------------------------------------------------------------------

def _axe_script() -> Path | None:
    candidates = [os.environ.get("AXE_CORE_JS", ""), REPO / "node_modules" / "axe-core" / "axe.min.js"]
    npm = shutil.which("npm")
    if npm:
        try:
            root = subprocess.run([npm, "root", "-g"], capture_output=True, text=True, timeout=20).stdout.strip()
            candidates.append(Path(root) / "axe-core" / "axe.min.js")
        except (OSError, subprocess.SubprocessError):
            pass
    return next((Path(c) for c in candidates if c and Path(c).is_file()), None)


@pytest.fixture(scope="module")
def browser():
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install selenium)")
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        pytest.skip("Debian's chromium and chromium-driver are not installed")
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1280,900"):
        options.add_argument(arg)
    options.binary_location = shutil.which("chromium")
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(shutil.which("chromedriver")))
    yield driver
    driver.quit()


@pytest.mark.parametrize("rel", ["index.html", "texts/first-text/index.html", "glossary/index.html",
                                 "bibliography/index.html", "search/index.html"])
def test_axe_reports_no_violations(site: Path, browser, rel: str, tmp_path_factory) -> None:
    axe = _axe_script()
    if axe is None:
        pytest.skip("axe-core is not installed (npm install axe-core, or set AXE_CORE_JS)")
    shots = Path(os.environ.get("CHAPBOOK_SCREENSHOTS") or tmp_path_factory.mktemp("shots"))
    for width, height in ((390, 844), (1280, 900)):
        browser.set_window_size(width, height)
        browser.get((site / rel).as_uri())
        browser.execute_script(axe.read_text(encoding="utf-8"))
        result = browser.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations.map("
            "v => [v.id, v.impact, v.nodes.map(n => n.target.join(' ')).slice(0, 3)])));")
        assert result == [], (rel, width, result)
        browser.save_screenshot(str(shots / f"{rel.replace('/', '_')}-{width}.png"))


def test_search_finds_a_word_of_a_text_in_the_browser(site: Path, browser) -> None:
    from selenium.webdriver.common.by import By

    browser.get((site / "index.html").as_uri())
    box = browser.find_element(By.ID, "site-search")
    box.send_keys("agencies")
    box.submit()  # the form loads the search page again (?q=…), whose script lists the results
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    with contextlib.suppress(TimeoutException):  # the results, once the new page has listed them
        WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.CSS_SELECTOR, "#search-results li a"))
    results = browser.find_elements(By.CSS_SELECTOR, "#search-results li a")
    assert results, browser.find_element(By.ID, "search-status").text
    assert any("#p-" in r.get_attribute("href") for r in results)


def test_a_note_opens_in_place_in_the_browser(site: Path, browser) -> None:
    from selenium.webdriver.common.by import By

    browser.get((site / "texts" / "first-text" / "index.html").as_uri())
    refs = browser.find_elements(By.CSS_SELECTOR, "a.noteref")
    if not refs:
        pytest.skip("the minimal text has no notes")
    refs[0].click()
    assert browser.find_elements(By.CSS_SELECTOR, ".note-inline")
