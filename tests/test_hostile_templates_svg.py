"""Hostile project templates and SVG images (issue 10): a project's files are written by strangers.

A project template runs in Jinja's sandbox, with a loader confined to the project's templates/
and chapbook's own: code execution, ``../`` includes and symlinks out are refused as located
errors (``templates/book.html.j2:LINE:COL: error: …``), exit status 1, no traceback, nothing
written. SVG images are parsed without entities or network; scripts, event handlers and
``<foreignObject>`` are dropped (with a warning) from what the EPUB and WeasyPrint get, and a
``<style>`` that loads anything, however it is escaped, is refused at the line using the image.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import MINIMAL, run_build
from test_hostile import MARKER, outputs_text, plant

from chapbook.fetcher import ProjectFetcher
from chapbook.render import template_env

LOCATED = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+):(?P<col>\d+): error: (?P<message>.+)$", re.MULTILINE)
BOOK_TEMPLATE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{ config.title }}</title></head>
<body>
PAYLOAD
{% for c in texts %}<section id="part-{{ c.part.slug }}"><h1>{{ c.part.title }}</h1>
{{ print_html(c) }}</section>{% endfor %}
</body></html>
"""


def book_template(payload: str) -> str:
    """A small but complete book template, with ``payload`` on line 4."""
    return BOOK_TEMPLATE.replace("PAYLOAD", payload)


def located_errors(stderr: str) -> list[re.Match[str]]:
    return list(LOCATED.finditer(stderr))


def assert_refused(result, out: Path, template: str, line: int, *words: str) -> re.Match[str]:
    """Exit 1, no traceback, nothing written, and an error at ``template:line:col`` mentioning ``words``."""
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    found = [m for m in located_errors(result.stderr) if m["path"].endswith(template) and int(m["line"]) == line]
    assert found, result.stderr
    for word in words:
        assert word in found[0]["message"], result.stderr
    assert int(found[0]["col"]) >= 1
    if out.exists():
        assert sorted(p.name for p in out.iterdir()) == ["previous.pdf"]
        assert (out / "previous.pdf").read_bytes() == b"%PDF- previous good output"
    return found[0]


def previous_output(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    out.mkdir()
    (out / "previous.pdf").write_bytes(b"%PDF- previous good output")
    return out


# ---- templates -----------------------------------------------------------------------------------


def test_template_cannot_run_code(tmp_path):
    root = plant(tmp_path, "hostile-template")
    out = previous_output(tmp_path)
    result = run_build("pdf", "epub", "--project", root, "--output", out, "-q")
    assert_refused(result, out, "templates/book.html.j2", 3, "__init__")
    assert "uid=" not in result.stderr + result.stdout
    assert "uid=" not in outputs_text(out)
    checked = run_build("check", "--project", root)  # refused by the check, before any output
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert re.search(r"templates/book\.html\.j2:3:\d+: error: .*__init__", checked.stdout), checked.stdout


@pytest.mark.parametrize(("payload", "words"), [
    ("{{ cycler | attr(config.language[:0] ~ '__init__') }}", ("__init__", "unsafe")),  # only the sandbox sees it
    ("{{ texts[0].part.path.read_text() }}", ("path",)),  # a Path would read (or delete) any file
    ("{{ no_such_variable }}", ("no_such_variable",)),
    ("{% include 'no-such-template.html.j2' %}", ("no-such-template.html.j2",)),
    ("{% set xs = [1] %}{{ xs.append(2) }}", ("append",)),  # immutable sandbox
])
def test_template_runtime_problems_are_located_errors(tmp_path, payload, words):
    """What the check cannot see statically fails the writer with the template's line, not a traceback."""
    root = plant(tmp_path, "hostile-template")
    (root / "templates" / "book.html.j2").write_text(book_template(payload), encoding="utf-8")
    out = previous_output(tmp_path)
    result = run_build("pdf", "--project", root, "--output", out, "-q")
    assert_refused(result, out, "templates/book.html.j2", 4, *words)
    assert MARKER not in outputs_text(out)
    checked = run_build("check", "--project", root)  # found by the check too, which renders the book's HTML
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert re.search(r"templates/book\.html\.j2:4:\d+: error: ", checked.stdout), checked.stdout


def test_template_syntax_error_is_refused_by_the_check(tmp_path):
    root = plant(tmp_path, "hostile-template")
    (root / "templates" / "book.html.j2").write_text(book_template("{% for x in %}"), encoding="utf-8")
    out = previous_output(tmp_path)
    result = run_build("pdf", "--project", root, "--output", out, "-q")
    assert_refused(result, out, "templates/book.html.j2", 4)
    checked = run_build("check", "--project", root)
    assert checked.returncode == 1 and re.search(r"templates/book\.html\.j2:4:\d+: error: ", checked.stdout)


def test_include_outside_templates_is_refused(tmp_path):
    root = plant(tmp_path, "hostile-include")
    out = previous_output(tmp_path)
    result = run_build("pdf", "epub", "--project", root, "--output", out, "-q")
    assert_refused(result, out, "templates/book.html.j2", 4, "SECRET-MARKER.css")
    assert MARKER not in outputs_text(out) and MARKER not in result.stderr


@pytest.mark.parametrize("linked", ["book.html.j2", "extra.html.j2"])
def test_symlinked_template_pointing_outside_is_refused(tmp_path, linked):
    root = plant(tmp_path, "hostile-include")
    templates = root / "templates"
    (templates / "book.html.j2").write_text(book_template("{% include 'extra.html.j2' %}"), encoding="utf-8")
    (templates / linked).unlink(missing_ok=True)
    (templates / linked).symlink_to(tmp_path / "SECRET-MARKER.css")
    out = previous_output(tmp_path)
    result = run_build("pdf", "--project", root, "--output", out, "-q")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    assert any(m["path"].endswith(f"templates/{linked}") and "outside" in m["message"]
               for m in located_errors(result.stderr)), result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["previous.pdf"]
    assert MARKER not in outputs_text(out)


def test_sandbox_serves_only_confined_templates(tmp_path):
    """The environment itself (also used by the EPUB and handout writers) is sandboxed and confined."""
    from jinja2.sandbox import SandboxedEnvironment

    root = plant(tmp_path, "hostile-include")
    env = template_env(root)
    assert isinstance(env, SandboxedEnvironment)
    assert env.get_template("epub/nav.xhtml.j2")  # chapbook's own templates are served
    for name in ("../../SECRET-MARKER.css", "/etc/passwd", "..\\..\\SECRET-MARKER.css"):
        with pytest.raises(Exception) as info:
            env.get_template(name)
        assert MARKER not in str(info.value)


def test_legitimate_template_override_still_builds(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(MINIMAL, root)
    (root / "templates").mkdir()
    (root / "templates" / "book.html.j2").write_text(book_template("""
<p class="made">Made by {{ config.editors | join(' and ') | upper }} on {{ built.strftime('%Y') }}
({{ texts | length }} texts, {{ "%d"|format(7 * 6) }}).</p>
{% for c in texts %}<p>{{ loop.index }}. {{ title_of(c.part) }} by {{ byline(c.part) }}
{%- if c.part.date %}, {{ c.part.date | human_date }}{% endif %}</p>{% endfor %}
{% include 'extra.html.j2' %}"""), encoding="utf-8")
    (root / "templates" / "extra.html.j2").write_text("<p>{{ 'an included part' | title }}</p>\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_build("pdf", "--project", root, "--output", out, "-q")
    assert result.returncode == 0, result.stderr
    assert ": error:" not in result.stderr
    text = outputs_text(out)
    assert "42" in text and "An Included Part" in text


# ---- SVG -----------------------------------------------------------------------------------------


def test_scripts_and_handlers_are_dropped_from_the_epub_with_a_warning(tmp_path):
    root = plant(tmp_path, "hostile-svg-script")
    out = tmp_path / "out"
    result = run_build("epub", "--project", root, "--output", out, "-q")
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if ": warning: " in line]
    assert any("scripted.svg:2:" in w and "script" in w for w in warnings), result.stderr
    assert any("scripted.svg:1:" in w and "onload" in w for w in warnings), result.stderr
    assert any("scripted.svg:3:" in w and "foreignObject" in w for w in warnings), result.stderr
    epub = next(out.glob("*.epub"))
    with zipfile.ZipFile(epub) as z:
        svgs = [n for n in z.namelist() if n.endswith("scripted.svg")]
        assert svgs, z.namelist()
        svg = z.read(svgs[0]).decode("utf-8")
    for gone in ("<script", "onload", "onclick", "foreignObject", "SCRIPT-RAN", "FOREIGN-CONTENT"):
        assert gone not in svg, svg
    for kept in ('fill="url(#g)"', "linearGradient", 'xlink:href="#g"', "stroke: #000"):
        assert kept in svg, svg
    strict = run_build("check", "--project", root, "--strict")
    assert strict.returncode == 1


def test_weasyprint_gets_the_sanitised_svg(tmp_path):
    root = plant(tmp_path, "hostile-svg-script")
    fetcher = ProjectFetcher(root, [root / "styles"], allow_remote=False)
    body = fetcher.fetch((root / "content" / "images" / "scripted.svg").resolve().as_uri()).read()
    assert b"<script" not in body and b"onload" not in body and b"foreignObject" not in body
    assert b"linearGradient" in body


def test_escaped_css_in_an_svg_style_is_refused_where_the_image_is_used(tmp_path):
    root = plant(tmp_path, "hostile-svg-script")
    text = root / "content" / "texts" / "01-one.md"
    text.write_text(text.read_text() + "\n![escaped](../images/escaped-import.svg)\n")
    line = text.read_text().splitlines().index("![escaped](../images/escaped-import.svg)") + 1
    out = previous_output(tmp_path)
    result = run_build("pdf", "epub", "--project", root, "--output", out, "-q")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    errors = [m for m in located_errors(result.stderr) if m["path"].endswith("01-one.md")]
    assert len(errors) == 2 and all(int(m["line"]) == line for m in errors), result.stderr
    assert any("import" in m["message"] for m in errors) and any("url" in m["message"] for m in errors)
    assert sorted(p.name for p in out.iterdir()) == ["previous.pdf"]
    assert MARKER not in outputs_text(out)


def test_a_plain_svg_doctype_as_graphviz_writes_is_accepted_and_dropped(tmp_path):
    """Real-world SVG (Graphviz, older Inkscape) names the SVG 1.1 DTD: nothing is declared, nothing loaded."""
    from chapbook.svgsafe import review

    data = (b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"\n'
            b' "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<!-- Generated by graphviz -->\n'
            b'<svg xmlns="http://www.w3.org/2000/svg" width="62pt" height="44pt"><g id="graph0"><text x="1" y="20">'
            b'IOM</text></g></svg>\n')
    result = review(data)
    assert not result.refused
    assert b"DOCTYPE" not in result.clean and b">IOM</text>" in result.clean


def test_svg_with_entities_or_a_doctype_is_refused(tmp_path):
    from chapbook.sourcescan import svg_problems

    svg = tmp_path / "x.svg"
    svg.write_bytes('<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                    '\n<svg xmlns="http://www.w3.org/2000/svg">&x;</svg>'.encode("utf-16"))
    assert svg_problems(svg)
    svg.write_text('<?xml-stylesheet href="https://example.org/x.css"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>')
    assert svg_problems(svg)


@pytest.mark.parametrize(("svg", "refused", "dropped"), [
    ('<rect style="fill: u\\72l(x.png)"/>', "x.png", ""),  # escaped url() in an attribute
    ('<style>@import "#x";</style>', "@import", ""),  # any @import
    ('<rect fill="url(#g)"/><style>rect { fill: url("#g") }</style>', "", ""),  # own ids: kept
    ('<set attributeName="xlink:href" to="javascript:alert(1)"/>', "", "<set>"),
    ('<html:script xmlns:html="http://www.w3.org/1999/xhtml">alert(1)</html:script>', "", "<html:script>"),
])
def test_svg_review(svg, refused, dropped):
    from chapbook.svgsafe import review

    data = f'<svg xmlns="http://www.w3.org/2000/svg">\n{svg}\n</svg>'.encode()
    result = review(data)
    assert (refused in " ".join(f.message for f in result.refused)) if refused else not result.refused
    assert (dropped in " ".join(f.message for f in result.dropped)) if dropped else not result.dropped
    if not refused and not dropped:
        assert result.clean == data  # an SVG with nothing to drop is carried unchanged


def test_a_template_that_prints_model_objects_does_not_learn_the_projects_path(tmp_path):
    """``{{ texts[0].part }}`` printed the part's dataclass, paths and all (the sandbox refused
    ``.path`` but not the object's printed form): the PDF held the project's absolute path."""
    import shutil

    from conftest import MINIMAL, REPO, run_build
    from pypdf import PdfReader

    root = tmp_path / "secret-folder-name" / "project"
    shutil.copytree(MINIMAL, root)
    (root / "templates").mkdir()
    book = (REPO / "templates" / "book.html.j2").read_text(encoding="utf-8")
    probe = ("<section class=\"matter\" id=\"probe\"><p>PROBE {{ texts[0].part }} | {{ texts[0] }} | "
             "{{ texts[0].part|string }} | {{ config }} | "
             "{{ texts | list }} PROBE</p></section>\n")
    (root / "templates" / "book.html.j2").write_text(book.replace("</body>", probe + "</body>", 1),
                                                      encoding="utf-8")
    out = tmp_path / "out"
    result = run_build("pdf", "--project", root, "--output", out)
    assert result.returncode == 0, result.stderr
    text = " ".join(page.extract_text() for page in PdfReader(next(out.glob("*.pdf"))).pages)
    flat = "".join(text.split())
    assert "PROBE" in text and "first-text" in flat  # the objects were printed …
    assert "secret-folder-name" not in flat and str(tmp_path).replace(" ", "") not in flat  # … not where they live
    # a place itself, or inside a dict or a tuple (a review printed the first of field_locations' values)
    for probe, attribute in (("texts[0].part.body_location", "body_location"),
                             ("texts[0].part.field_locations.values()|list|first", "field_locations"),
                             ("texts[0].citations|first|last", "citations"),
                             ("config.locations", "locations")):
        (root / "templates" / "book.html.j2").write_text(
            book.replace("</body>", f"<p>{{{{ {probe} }}}}</p></body>", 1), encoding="utf-8")
        out2 = tmp_path / f"out-{attribute}"
        result = run_build("pdf", "--project", root, "--output", out2)
        assert result.returncode == 1 and "book.html.j2:" in result.stderr and attribute in result.stderr, \
            result.stderr
        assert not out2.exists()


def test_chapbooks_own_templates_copied_unchanged_are_not_checked_again(tmp_path, monkeypatch):
    """A templates/ folder holding chapbook's own templates byte for byte (the repository's reader) is not
    compiled and rendered by the check stage; any change, extra file or link there is checked as before."""
    from conftest import load

    from chapbook import PACKAGE_ROOT, render, templating
    from chapbook.check import chapbooks_own_templates, check_templates

    root = tmp_path / "project"
    shutil.copytree(MINIMAL, root)
    shutil.copytree(PACKAGE_ROOT / "templates", root / "templates")
    loaded = load(root)
    calls = []
    for module, name in ((render, "render_book_html"), (templating, "template_problems")):
        inner = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, inner=inner, name=name, **k: (calls.append(name),
                                                                                     inner(*a, **k))[1])
    converted = list(loaded.converted.values())
    check_templates(loaded.publication, loaded.report, converted)
    assert calls == [] and chapbooks_own_templates(root / "templates")
    assert chapbooks_own_templates(PACKAGE_ROOT / "templates")  # the repository's own reader

    book = root / "templates" / "book.html.j2"
    book.write_text(book.read_text(encoding="utf-8") + "\n{# changed #}\n", encoding="utf-8")
    check_templates(loaded.publication, loaded.report, converted)
    assert calls == ["template_problems", "render_book_html"] and not loaded.report.errors
    book.write_bytes((PACKAGE_ROOT / "templates" / "book.html.j2").read_bytes())
    (root / "templates" / "extra.html.j2").write_text("{{ x }}", encoding="utf-8")
    assert not chapbooks_own_templates(root / "templates")
    (root / "templates" / "extra.html.j2").unlink()
    (root / "templates" / "linked.html.j2").symlink_to(PACKAGE_ROOT / "templates" / "book.html.j2")
    assert not chapbooks_own_templates(root / "templates")
    (root / "templates" / "linked.html.j2").unlink()
    shutil.rmtree(root / "templates")
    (root / "templates").symlink_to(PACKAGE_ROOT / "templates")  # outside the project: refused as before
    assert not chapbooks_own_templates(root / "templates")


def _use_levels(levels: int, prefix: str = "l") -> str:
    """A rectangle PREFIX0 and groups PREFIX1 … PREFIXlevels, each ten ``<use>`` of the one below."""
    return f'<rect id="{prefix}0" width="1" height="1"/>\n' + "".join(
        f'<g id="{prefix}{n}">' + f'<use href="#{prefix}{n - 1}"/>' * 10 + "</g>\n" for n in range(1, levels + 1))


def _use_bomb(levels: int) -> bytes:
    """Ten ``<use>`` of the level below, ``levels`` deep: 10**levels rectangles from a file of 1–2 KB."""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">\n<defs>\n'
            f'{_use_levels(levels)}</defs>\n<use href="#l{levels}"/>\n</svg>').encode()


def test_an_svg_use_bomb_is_refused_where_the_image_is_used(tmp_path):
    """Ten ``<use>`` of a group of ten, nine levels deep, drew 10⁹ rectangles from 2 KB: the PDF build
    ran past a 120 s timeout and ``check`` passed (a review). A few copies, as a drawing reuses a
    symbol, are fine; a ``<use>`` that reaches itself through others is refused too."""
    from chapbook.svgsafe import USE_COPIES, review

    assert not review(_use_bomb(3)).refused  # 1,000 copies
    refused = review(_use_bomb(9)).refused
    assert len(refused) == 1 and "more than it holds" in refused[0].message and refused[0].line == 4
    assert 10**4 < USE_COPIES < 10**5 and review(_use_bomb(5)).refused
    loop = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">\n'
            b'<g id="a"><use xlink:href="#b"/></g>\n<g id="b"><use xlink:href="#a"/></g>\n</svg>')
    assert "itself" in review(loop).refused[0].message
    root = tmp_path / "project"
    shutil.copytree(MINIMAL, root)
    (root / "content" / "images").mkdir()
    (root / "content" / "images" / "bomb.svg").write_bytes(_use_bomb(9))
    text = root / "content" / "texts" / "01-first-text.md"
    text.write_text(text.read_text(encoding="utf-8") + "\n![A drawing](../images/bomb.svg)\n", encoding="utf-8")
    line = len(text.read_text(encoding="utf-8").splitlines())
    result = run_build("check", "--project", root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    said = result.stdout + result.stderr
    assert re.search(rf"01-first-text\.md:{line}:\d+: error: .*more than it holds", said), said


@pytest.mark.parametrize("where", ["styles/custom.css", "styles/print.css", "templates/book.html.j2",
                                   "bibliography.bib"])
def test_a_fifo_in_the_project_is_refused_not_waited_for(tmp_path, where):
    """A FIFO as a stylesheet or a template made every build and ``check`` wait forever on its
    ``open`` (a review); as the .bib it read as empty, and only the citations were reported."""
    import os
    import subprocess

    from conftest import build_command, build_env

    root = tmp_path / "project"
    shutil.copytree(MINIMAL, root)
    fifo = root / where
    fifo.parent.mkdir(exist_ok=True)
    fifo.unlink(missing_ok=True)
    os.mkfifo(fifo)
    for command in (["check"], ["pdf", "--output", tmp_path / "out"]):
        result = subprocess.run(build_command(*command, "--project", root), env=build_env(), capture_output=True,
                                text=True, timeout=60)  # it waited forever
        said = result.stdout + result.stderr
        assert result.returncode == 1 and "Traceback" not in said, said
        assert f"{where}:1:1: error: " in said and "not a regular file" in said, said
    assert not (tmp_path / "out").exists()


def _svg(body: str) -> bytes:
    return ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'width="100" height="100">\n{body}\n</svg>').encode()


def test_svg_references_are_counted_as_weasyprint_follows_them():
    """A review's ways past the first count: an id given twice (WeasyPrint takes the first in the
    document), ``href`` beside ``xlink:href`` (WeasyPrint reads ``xlink:href``), a marker drawn at
    each of a path's vertices. And two ordinary drawings it refused: an icon sheet whose symbols
    are not drawn where they stand, and a scatter plot of 25,000 ``<use>`` of one marker path, as
    matplotlib writes it (each ``<use>`` is in the file)."""
    from chapbook.svgsafe import review

    bomb = f"<defs>{_use_levels(5, 'a')}</defs>"
    assert review(_svg(bomb + '<use href="#a5"/>')).refused
    assert review(_svg(bomb + '<use href="#a5"/><g id="a5"/>')).refused  # a later, empty a5: the first counts
    assert review(_svg(bomb + '<rect id="e"/><use href="#e" xlink:href="#a5"/>')).refused
    assert not review(_svg(bomb + '<rect id="e"/><use xlink:href="#e" href="#a5"/>')).refused
    group = '<g id="h">' + '<rect width="1" height="1"/>' * 100 + "</g>"
    marker = '<marker id="mk">' + '<use href="#h"/>' * 10 + "</marker>"
    path = '<path d="M0 0 ' + "l0.1 0 " * 1000 + '" marker-mid="url(#mk)"/>'
    assert review(_svg(f"<defs>{group}{marker}</defs>{path}")).refused  # 1,000 vertices × 1,000 elements
    assert review(_svg(f"<defs>{group}{marker}</defs><style>path {{ marker-mid: url(#mk) }}</style>"
                       + path.replace(' marker-mid="url(#mk)"', ""))).refused  # the same, set by a <style> rule
    frame = '<g id="frame">' + '<path d="M0 0 L1 1"/>' * 70 + "</g>"
    icons = "".join(f'<symbol id="i{n}"><use href="#frame"/><circle r="{n}"/></symbol>' for n in range(300))
    assert not review(_svg(f"<defs>{frame}{icons}</defs><use href=\"#i3\"/>")).refused
    scatter = '<defs><path id="m0" d="M0 -3 L3 3 L-3 3 Z"/></defs>' + "".join(
        f'<use xlink:href="#m0" x="{n % 100}" y="{n // 100}"/>' for n in range(25_000))
    assert not review(_svg(scatter)).refused
    arrows = '<defs><marker id="arrow"><path d="M0 0 L10 5 L0 10 z"/></marker></defs>' + "".join(
        f'<line x1="0" y1="{n}" x2="50" y2="{n}" marker-end="url(#arrow)"/>' for n in range(2_000))
    assert not review(_svg(arrows)).refused  # a diagram's arrowheads


def test_svg_styles_markers_and_patterns_are_counted_as_drawn():
    """A second review: a <style> rule's arrowhead was applied to the path inside the marker itself and
    refused as a cycle; an end marker was counted at every vertex (100 paths of 150 segments with one
    arrowhead each were refused), though WeasyPrint draws it once; and a bomb inside a <pattern> got
    through, though WeasyPrint draws a pattern's content for each element it fills."""
    from chapbook.svgsafe import review

    arrow = '<defs><marker id="arr"><path d="M0 0 L4 2 L0 4z"/></marker></defs>'
    assert not review(_svg(arrow + '<style>line{marker-end:url(#arr)}</style><line x1="0" y1="0" x2="5" y2="5"/>'
                           )).refused
    clip = '<defs><clipPath id="c"><path d="M0 0 L9 9"/></clipPath></defs><style>.x{clip-path:url(#c)}</style>'
    assert not review(_svg(clip + '<rect class="x" width="5" height="5"/>')).refused
    long_path = "M0 0 " + "L1 1 " * 150
    ends = "".join(f'<path d="{long_path}" marker-end="url(#arr)"/>' for _ in range(100))
    assert not review(_svg(arrow + ends)).refused  # 100 arrowheads
    mids = "".join(f'<path d="{long_path}" marker-mid="url(#big)"/>' for _ in range(100))
    big = '<defs><marker id="big">' + '<rect width="1" height="1"/>' * 100 + "</marker></defs>"
    assert review(_svg(big + mids)).refused  # 100 paths × 150 vertices × 100 elements
    pattern = f'<defs><pattern id="p" width="1" height="1">{_use_levels(5, "a")}<use href="#a5"/></pattern></defs>'
    assert review(_svg(pattern + '<rect width="9" height="9" fill="url(#p)"/>')).refused
    assert review(_svg(pattern + '<style>rect.f{fill:url(#p)}</style><rect class="f" width="9" height="9"/>')).refused
    assert not review(_svg('<defs><pattern id="h" width="4" height="4"><path d="M0 0 L4 4"/></pattern></defs>'
                           + '<rect width="5" height="5" fill="url(#h)"/>' * 200)).refused  # hatched bars
