"""Names and ids that must be safe wherever they go: the EPUB's file names and ids, the web edition's
paths and links, and the ids a Markdown attribute list gives.

- a text file named with a space, '#' or '?' still makes a valid EPUB and a site whose links work
  (its slug is the name made safe);
- a front or back part named like a page the web edition makes (search, sources …) loses nothing;
- an image's media type comes from its bytes, and formats EPUB readers need not show are refused;
- an id given twice, or one chapbook gives itself, is refused at its line;
- styles/epub.css and styles/web.css never load from the web, not even with --allow-remote;
- import never gives a new text the slug of another part.

The odd project is built once (EPUB and web) and checked once with EPUBCheck.
"""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import MINIMAL, load, run_build
from test_epub import run_epubcheck

NAME = "a-minimal-reader"
FIRST = "01-First Text.md"
SECOND = "02-Second Text #2?.md"


def _odd_project(root: Path) -> Path:
    """The minimal project with texts named with a space, '#' and '?', back parts named 'search' and
    'sources', and JPEG data saved as .png."""
    from PIL import Image

    shutil.copytree(MINIMAL, root)
    content = root / "content"
    (content / "texts" / "01-first-text.md").rename(content / "texts" / FIRST)
    (content / "texts" / "02-second-text.md").rename(content / "texts" / SECOND)
    pub = content / "publication.yml"
    text = pub.read_text(encoding="utf-8")
    text = text.replace("texts: [first-text, second-text]", 'texts: [First Text, "Second Text #2?"]')
    text = text.replace("back: [editorial-note]", "back: [editorial-note, search, sources]")
    pub.write_text(text, encoding="utf-8")
    (content / "search.md").write_text("---\ntitle: Searching\n---\n\nSearch words: zebra quartz.\n",
                                       encoding="utf-8")
    (content / "sources.md").write_text("---\ntitle: Further sources\n---\n\nSources words: marmot fjord.\n",
                                        encoding="utf-8")
    (content / "images").mkdir()
    Image.new("RGB", (20, 10), "red").save(content / "images" / "photo.png", format="JPEG")
    with (content / "texts" / FIRST).open("a", encoding="utf-8") as f:
        f.write("\n![A red box](../images/photo.png)\n\nSee [the second text](#p-second-text-2-1).\n")
    return root


@pytest.fixture(scope="module")
def odd_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    base = tmp_path_factory.mktemp("odd-names")
    project = _odd_project(base / "project")
    result = run_build("epub", "web", "--project", project, "--output", base / "out")
    assert result.returncode == 0, result.stderr
    return base / "out", result.stderr


@pytest.fixture(scope="module")
def odd_epubcheck(odd_build) -> dict:
    output, _ = odd_build
    return run_epubcheck(output / f"{NAME}.epub", output / "epubcheck.json")


def test_odd_names_give_safe_slugs(tmp_path: Path) -> None:
    loaded = load(_odd_project(tmp_path / "project"))
    assert not loaded.report.errors, loaded.lines()
    assert [p.slug for p in loaded.publication.parts] == [
        "introduction", "first-text", "second-text-2", "editorial-note", "search", "sources"]


def test_publication_yml_may_list_a_text_by_its_slug(tmp_path: Path) -> None:
    root = _odd_project(tmp_path / "project")
    pub = root / "content" / "publication.yml"
    pub.write_text(pub.read_text(encoding="utf-8").replace('[First Text, "Second Text #2?"]',
                                                           "[first-text, second-text-2]"), encoding="utf-8")
    loaded = load(root)
    assert not loaded.report.errors and not loaded.report.warnings, loaded.lines()
    assert [p.slug for p in loaded.publication.texts] == ["first-text", "second-text-2"]


def test_epub_with_odd_names_passes_epubcheck(odd_epubcheck: dict) -> None:
    checker = odd_epubcheck["checker"]
    messages = [(m["ID"], m["severity"], m["message"], [loc.get("path") for loc in m.get("locations", [])])
                for m in odd_epubcheck["messages"]]
    assert (checker["nFatal"], checker["nError"], checker["nWarning"]) == (0, 0, 0), messages


def test_jpeg_saved_as_png_is_named_and_typed_as_jpeg(odd_build) -> None:
    import re
    import zipfile

    output, stderr = odd_build
    archive = zipfile.ZipFile(output / f"{NAME}.epub")
    assert "EPUB/images/001-photo.jpg" in archive.namelist()
    opf = archive.read("EPUB/package.opf").decode()
    assert re.search(r'href="images/001-photo.jpg" media-type="image/jpeg"', opf)
    assert f"{FIRST}:24:1: warning: image '../images/photo.png' is JPEG data" in stderr
    assert (output / "web" / "images" / "001-photo.jpg").is_file()


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        for key in ("href", "src"):
            if key in a and tag in ("a", "img", "link", "script"):
                self.links.append(a[key])


def test_web_edition_with_odd_names_and_part_names_links_resolve(odd_build) -> None:
    """Every link works as written (no space, '#' or '?' in a path), and the parts named 'search' and
    'sources' are on the site beside the search page and the sources of the texts."""
    site = odd_build[0] / "web"
    pages = {}
    for path in sorted(site.rglob("*.html")):
        pages[path] = _Links()
        pages[path].feed(path.read_text(encoding="utf-8"))
    broken = []
    for path, page in pages.items():
        for href in page.links:
            if href.startswith(("http:", "https:", "mailto:")):
                continue
            parts = urlsplit(href)
            if parts.query or " " in href or "%" in href:
                broken.append((path, href, "not a plain path"))
                continue
            target = (path.parent / parts.path).resolve() if parts.path else path
            if not target.exists():  # the downloads beside the site (../a-minimal-reader.epub) exist too
                broken.append((path, href, "no such file"))
            elif parts.fragment and target.suffix == ".html" and parts.fragment not in pages[target].ids:
                broken.append((path, href, "no such anchor"))
    assert not broken, broken[:10]
    text = {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in pages}
    assert "zebra quartz" in text["matter/search/index.html"]
    assert "marmot fjord" in text["matter/sources/index.html"]
    assert 'id="site-search"' in text["search/index.html"] or "search/index.js" in text["search/index.html"]
    assert "Sources of the texts" in text["sources/index.html"]
    assert "../second-text-2/index.html#p-second-text-2-1" in text["texts/first-text/index.html"]


# ---- Refused in the check stage ---------------------------------------------------------------------

@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(MINIMAL, root)
    return root


def _append(project: Path, name: str, text: str) -> int:
    """Append to a text; returns the line the appended text starts on."""
    path = project / "content" / "texts" / name
    old = path.read_text(encoding="utf-8")
    if not old.endswith("\n"):
        old += "\n"
    path.write_text(old + text, encoding="utf-8")
    return old.count("\n") + 1


def test_an_id_given_twice_is_refused_at_its_second_use(project: Path, tmp_path: Path) -> None:
    line = _append(project, "01-first-text.md", "\nOne.\n{: #same }\n\nTwo.\n{: #same }\n")
    other = _append(project, "02-second-text.md", "\nThree.\n{: #same }\n\n## A heading {#same}\n")
    result = run_build("check", "--project", project)
    out = result.stdout + result.stderr
    assert result.returncode == 1
    assert f"01-first-text.md:{line + 5}:1: error: id '#same' is already used (line {line + 2})" in out
    assert f"02-second-text.md:{other + 2}:1: error: id '#same' is already used (01-first-text.md:{line + 2})" in out
    assert f"02-second-text.md:{other + 4}:14: error: id '#same'" in out
    assert "Traceback" not in out
    result = run_build("epub", "--project", project, "--output", tmp_path / "out")
    assert result.returncode == 1 and not (tmp_path / "out" / f"{NAME}.epub").exists()


@pytest.mark.parametrize("given", ["fn-first-text-1", "part-first-text", "p-second-text-1", "page-3", "glossary",
                                   "gl-acronym", "h-first-text-1"])
def test_an_id_chapbook_gives_itself_is_refused(project: Path, given: str) -> None:
    line = _append(project, "01-first-text.md", f"\nMine.\n{{: #{given} }}\n")
    loaded = load(project)
    from chapbook.check import check_content

    check_content(loaded.publication, list(loaded.converted.values()), loaded.report)
    assert any(f"01-first-text.md:{line + 2}:1: error: id '#{given}' cannot be used" in x
               for x in loaded.lines()), loaded.lines()


def test_ids_that_are_not_given_are_not_counted(project: Path) -> None:
    _append(project, "01-first-text.md", "\nSay {: #same } here and {: #same } there, `{: #same }`.\n\n"
                                         "Mine.\n{: #mine }\n")
    loaded = load(project)
    from chapbook.check import check_content

    check_content(loaded.publication, list(loaded.converted.values()), loaded.report)
    assert not [x for x in loaded.lines() if "-id]" in x or "id '#" in x], loaded.lines()


def test_image_formats_epub_readers_need_not_show_are_refused_at_their_line(project: Path, tmp_path: Path) -> None:
    from PIL import Image

    images = project / "content" / "images"
    images.mkdir()
    for ext, fmt in (("bmp", "BMP"), ("tiff", "TIFF"), ("ico", "ICO")):
        Image.new("RGB", (16, 16), "blue").save(images / f"pic.{ext}", format=fmt)
    line = _append(project, "01-first-text.md", "\n![a](../images/pic.bmp)\n\n![b](../images/pic.tiff)\n\n"
                                                "![c](../images/pic.ico)\n")
    result = run_build("check", "--project", project)
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    for offset, (ext, fmt) in zip((1, 3, 5), (("bmp", "BMP"), ("tiff", "TIFF"), ("ico", "ICO")), strict=True):
        assert (f"01-first-text.md:{line + offset}:1: error: image '../images/pic.{ext}' is a {fmt} image, which "
                "EPUB readers need not show; convert it to PNG, JPEG, SVG, WebP or GIF [image-format]") in out, out
    result = run_build("epub", "--project", project, "--output", tmp_path / "out")
    assert result.returncode == 1 and not (tmp_path / "out" / f"{NAME}.epub").exists()


@pytest.mark.parametrize("name, target", [("epub.css", "epub"), ("web.css", "web")])
def test_remote_stylesheet_resources_are_refused_for_epub_and_web_even_with_allow_remote(
        project: Path, tmp_path: Path, name: str, target: str) -> None:
    styles = project / "styles"
    styles.mkdir()
    (styles / name).write_text('body { color: black; }\n@import url("https://evil.example/e.css");\n'
                               'p { background: url(https://evil.example/x.png); }\n', encoding="utf-8")
    result = run_build(target, "--allow-remote", "--project", project, "--output", tmp_path / "out")
    assert result.returncode == 1, result.stderr
    assert f"styles/{name}:2:9: error: stylesheet resource 'https://evil.example/e.css' refused" in result.stderr
    assert f"styles/{name}:3:17: error: stylesheet resource 'https://evil.example/x.png' refused" in result.stderr
    assert "not even with --allow-remote" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out" / f"{NAME}.epub").exists() and not (tmp_path / "out" / "web").exists()


def test_remote_resources_stay_allowed_in_other_stylesheets_with_allow_remote(project: Path) -> None:
    from chapbook.sourcescan import ALLOW_REMOTE, css_problems

    styles = project / "styles"
    styles.mkdir()
    (styles / "book.css").write_text('@import url("https://fonts.example/f.css");\n', encoding="utf-8")
    token = ALLOW_REMOTE.set(True)
    try:
        assert css_problems(styles / "book.css", project) == []
    finally:
        ALLOW_REMOTE.reset(token)


# ---- Import --------------------------------------------------------------------------------------------

def test_import_never_gives_a_new_text_the_slug_of_another(project: Path, tmp_path: Path) -> None:
    page = "<html><head><title>{0}</title></head><body><h1>{0}</h1><p>Some words of the text.</p></body></html>"
    (tmp_path / "a.html").write_text(page.format("The First Text"), encoding="utf-8")
    (tmp_path / "b.txt").write_text("The First Text\n\nOther words of another text.\n", encoding="utf-8")
    (tmp_path / "c.html").write_text(page.format("First Text"), encoding="utf-8")
    (tmp_path / "d.html").write_text(page.format("Introduction"), encoding="utf-8")
    result = run_build("import", tmp_path / "a.html", tmp_path / "b.txt", tmp_path / "c.html",
                       tmp_path / "d.html", "--project", project)
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in (project / "content" / "texts").glob("*.md"))
    assert names == ["01-first-text.md", "02-second-text.md", "03-the-first-text.md", "04-the-first-text-2.md",
                     "05-first-text-2.md", "06-introduction-2.md"]
    assert "add the-first-text, the-first-text-2, first-text-2, introduction-2 to 'texts:'" in result.stdout
    assert "its slug is the-first-text-2: another part of the book is already the-first-text" in result.stdout
    loaded = load(project)
    assert not [x for x in loaded.lines() if "duplicate slug" in x], loaded.lines()


def test_an_image_whose_file_name_has_a_space_is_found(tmp_path):
    """``![x](../images/my%20pic.png)`` and ``![x](<../images/my pic.png>)`` (a file named as people name
    them) were reported as "not found" ('../images/my'); both are the file, in the PDF and the EPUB."""
    import io
    import shutil
    import zipfile

    from conftest import MINIMAL, run_build
    from PIL import Image
    from pypdf import PdfReader

    root = tmp_path / "project"
    shutil.copytree(MINIMAL, root)
    (root / "content" / "images").mkdir()
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "red").save(buffer, "PNG")
    (root / "content" / "images" / "my pic.png").write_bytes(buffer.getvalue())
    text = root / "content" / "texts" / "01-first-text.md"
    text.write_text(text.read_text(encoding="utf-8") + "\n![A red box](../images/my%20pic.png)\n\n"
                    "![The same box](<../images/my pic.png>)\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_build("pdf", "epub", "--project", root, "--output", out)
    assert result.returncode == 0, result.stderr
    images = [name for page in PdfReader(next(out.glob("*.pdf"))).pages for name in page.images]
    assert len(images) == 1  # both draw the one file (one image object)
    with zipfile.ZipFile(next(out.glob("*.epub"))) as epub:
        assert [n for n in epub.namelist() if n.startswith("EPUB/images/")] == ["EPUB/images/001-my-pic.png"]


def test_an_image_destination_with_character_references_is_the_file_they_name(tmp_path):
    """Markdown reads ``caf&eacute;.png`` as café.png and ``Q&amp;A.png`` as Q&A.png, but check looked
    for the file as written: a file literally named ``Q&amp;A.png`` passed check and the image vanished
    from the PDF, the EPUB and the site (``src=""``) with no message. The destination is read as
    Markdown reads it, so café.png and Q&A.png are in every output, and a reference never reaches out."""
    import io
    import zipfile

    from PIL import Image
    from pypdf import PdfReader

    root = tmp_path / "project"
    shutil.copytree(MINIMAL, root)
    images = root / "content" / "images"
    images.mkdir()
    for name, colour in (("café.png", "red"), ("Q&A.png", "blue")):
        buffer = io.BytesIO()
        Image.new("RGB", (40, 20), colour).save(buffer, "PNG")
        (images / name).write_bytes(buffer.getvalue())
    text = root / "content" / "texts" / "01-first-text.md"
    text.write_text(text.read_text(encoding="utf-8") + "\n![A red box](../images/caf&eacute;.png)\n\n"
                    "![A blue box](../images/Q&amp;A.png)\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_build("pdf", "epub", "web", "--project", root, "--output", out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert len([name for page in PdfReader(next(out.glob("*.pdf"))).pages for name in page.images]) == 2
    with zipfile.ZipFile(next(out.glob("*.epub"))) as epub:
        assert len([n for n in epub.namelist() if n.startswith("EPUB/images/")]) == 2
        assert 'src=""' not in epub.read("EPUB/part-first-text.xhtml").decode()
    assert 'src=""' not in (out / "web" / "texts" / "first-text" / "index.html").read_text(encoding="utf-8")

    text.write_text(text.read_text(encoding="utf-8") + "\n![Out](&#x2e;&#x2e;/&#x2e;&#x2e;/&#x2e;&#x2e;/x.png)\n",
                    encoding="utf-8")
    result = run_build("check", "--project", root)
    assert result.returncode == 1 and "must be a file inside the project" in result.stdout
