"""The markup stage: Markdown body → XHTML fragment; raw HTML, links, images, corrections.

Bodies are written into a copy of the minimal project (see ``convert_body`` in conftest), so the
reported locations are real file positions: the body starts on line ``BODY_LINE``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from conftest import BODY_LINE, MINIMAL, TEXT_HEAD, load

TEXT = "content/texts/01-first-text.md"


def errors_of(loaded) -> list[str]:
    return [d.format(root=loaded.root) for d in sorted(loaded.report.errors)]


def first(loaded):
    return loaded.converted["first-text"]


def tree(html: str) -> ET.Element:
    return ET.fromstring(f"<div>{html}</div>")


def test_minimal_converts_to_well_formed_xhtml():
    loaded = load(MINIMAL)
    assert loaded.report.diagnostics == []
    for c in loaded.converted.values():
        tree(c.html)  # raises if not well-formed
    c = loaded.converted["first-text"]
    assert c.paragraphs == 2
    assert c.cited_keys == ("pecoud2018", "garcia2019")


def test_smart_punctuation_and_paragraph_numbers(convert_body):
    c = first(convert_body('"Quoted" -- and --- dashes...\n\nSecond.\n\n- a list\n'))
    root = tree(c.html)
    paras = [el for el in root if el.get("data-para")]
    assert [(el.tag, el.get("data-para"), el.get("id")) for el in paras] == [
        ("p", "1", "p-first-text-1"), ("p", "2", "p-first-text-2"), ("ul", "3", "p-first-text-3")]
    assert paras[0].text == "“Quoted” – and — dashes…"


def test_citations_render_author_date(convert_body):
    c = first(convert_body("Cited [@pecoud2018, p. 4]; narrative @garcia2019; "
                           "suppressed [-@garcia2019]; several [see @pecoud2018, 12; @irr2002].\n"))
    text = "".join(tree(c.html).itertext())
    assert "(Pécoud 2018, 4)" in text
    assert "García (2019)" in text
    assert "suppressed (2019)" in text
    assert "(see Pécoud 2018, 12; Institute of Race Relations 2002)" in text
    links = [a.get("href") for a in tree(c.html).iter("a") if a.get("class") == "cite"]
    assert links[0] == "#ref-pecoud2018"


def test_unknown_citation_key_reported_at_the_key(convert_body):
    from chapbook.check import check

    loaded = convert_body("Line one.\n\nA claim [see @pecoud2018; @garcai2019, 5].\n")
    check(loaded.publication, list(loaded.converted.values()), loaded.report)
    assert f"{TEXT}:{BODY_LINE + 2}:27: error: unknown citation key 'garcai2019' " \
           "(did you mean 'garcia2019'?)" in errors_of(loaded)


def test_unknown_key_in_a_citation_spanning_lines(convert_body):
    from chapbook.check import check

    loaded = convert_body("A claim [see @pecoud2018;\n   @garcai2019, 5] and [@nope].\n")
    check(loaded.publication, list(loaded.converted.values()), loaded.report)
    errors = errors_of(loaded)
    assert f"{TEXT}:{BODY_LINE + 1}:4: error: unknown citation key 'garcai2019' " \
           "(did you mean 'garcia2019'?)" in errors
    assert f"{TEXT}:{BODY_LINE + 1}:25: error: unknown citation key 'nope'" in errors


def test_footnote_ids_are_prefixed_and_editors_notes_marked(convert_body):
    c = first(convert_body("Text.[^1] More.[^ed1]\n\n[^1]: Author's.\n[^ed1]: Editors' note: ours.\n"))
    root = tree(c.html)
    ids = {el.get("id"): el for el in root.iter() if el.get("id")}
    assert "fn-first-text-1" in ids and "fnref-first-text-1" in ids
    assert "ed-note" in ids["fn-first-text-ed1"].get("class", "")
    assert "ed-note" not in ids["fn-first-text-1"].get("class", "")
    assert not any(i.startswith("fn:") for i in ids)


# -- raw HTML, links and images --------------------------------------------------------------


def test_raw_html_rejected_with_file_line_col(convert_body):
    loaded = convert_body("A clean line.\n\nSome <b>bold</b> and <!-- hidden -->.\n")
    line = BODY_LINE + 2
    assert errors_of(loaded) == [
        f"{TEXT}:{line}:6: error: raw HTML is not allowed in content (<b>); use Markdown, "
        "or write &lt; for a literal '<'",
        f"{TEXT}:{line}:13: error: raw HTML is not allowed in content (</b>); use Markdown, "
        "or write &lt; for a literal '<'",
        f"{TEXT}:{line}:22: error: raw HTML is not allowed in content (<!-- hidden -->); use Markdown, "
        "or write &lt; for a literal '<'",
    ]


@pytest.mark.parametrize("snippet", ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
                                     "<SCRIPT>", "<svg/onload=alert(1)>", "<x:y>", "<javascript:alert(1)>",
                                     "<!DOCTYPE html>", "<?php echo 1 ?>", "<a.b>c</a.b>"])
def test_every_kind_of_raw_html_is_one_located_error(convert_body, snippet: str):
    loaded = convert_body(f"Before {snippet} after.\n")
    errors = errors_of(loaded)
    assert errors, snippet
    assert errors[0].startswith(f"{TEXT}:{BODY_LINE}:8: error: raw HTML is not allowed in content")
    assert not any("could not convert" in e for e in errors), errors
    assert "<script" not in first(loaded).html.lower() and "onerror" not in first(loaded).html


@pytest.mark.parametrize("body", ["Code `<b>` is fine.", "```\n<div>fenced</div>\n```",
                                  "Less 1 < 2 and 3 > 2.", "An autolink <https://example.org/a>.",
                                  "Mail <mailto:someone@example.org>.", "Escaped &lt;b&gt; is fine."])
def test_not_raw_html(convert_body, body: str):
    loaded = convert_body(body + "\n")
    assert errors_of(loaded) == []


def test_escaped_angle_bracket_shows_literally(convert_body):
    c = first(convert_body("Write &lt;b> to show a tag.\n"))
    assert "".join(tree(c.html).itertext()) == "Write <b> to show a tag."


@pytest.mark.parametrize("target", ["file:///etc/passwd", "javascript:alert(1)", "JavaScript:void(0)",
                                    "data:text/html,hi", "../other.md", "/etc/passwd"])
def test_unsafe_link_targets_rejected(convert_body, target: str):
    loaded = convert_body(f"A [link]({target}) here.\n")
    assert errors_of(loaded) == [
        f"{TEXT}:{BODY_LINE}:10: error: link target '{target}' must be a web address (https://…), "
        "mailto: or #anchor"]
    hrefs = [a.get("href") for a in tree(first(loaded).html).iter("a") if a.get("href")]
    assert all(h.startswith(("https:", "http:", "mailto:", "#")) for h in hrefs), hrefs


def test_unsafe_reference_link_rejected(convert_body):
    loaded = convert_body("A [link][r].\n\n[r]: file:///etc/passwd\n")
    assert errors_of(loaded) == [
        f"{TEXT}:{BODY_LINE + 2}:6: error: link target 'file:///etc/passwd' must be a web address "
        "(https://…), mailto: or #anchor"]


@pytest.mark.parametrize("target", ["https://example.org/a?b=1", "http://example.org", "mailto:a@b.org",
                                    "#part-second-text", "https://en.wikipedia.org/wiki/Foo_(bar)"])
def test_safe_links_kept(convert_body, target: str):
    loaded = convert_body(f"A [link]({target}) here.\n")
    assert errors_of(loaded) == []
    hrefs = [a.get("href") for a in tree(first(loaded).html).iter("a")]
    assert target in hrefs


@pytest.mark.parametrize("target", ["../../../outside.png", "/etc/passwd", "file:///etc/passwd",
                                    "https://example.org/x.png", "../../../../../../../etc/hostname"])
def test_images_outside_the_project_rejected(convert_body, project, target: str):
    (project.parent / "outside.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    loaded = convert_body(f"An image ![alt]({target}) here.\n")
    assert errors_of(loaded) == [
        f"{TEXT}:{BODY_LINE}:17: error: image '{target}' must be a file inside the project "
        "(web addresses, absolute paths and '..' outside it are refused)"]
    assert all(img.get("src") == "" for img in tree(first(loaded).html).iter("img"))


def test_symlink_out_of_the_project_rejected(convert_body, project):
    (project.parent / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (project / "content" / "texts" / "link.png").symlink_to(project.parent / "secret.png")
    loaded = convert_body("![alt](link.png)\n")
    assert errors_of(loaded)[0].startswith(f"{TEXT}:{BODY_LINE}:8: error: image 'link.png' must be a file "
                                           "inside the project")


def test_reference_style_images_are_checked_too(convert_body):
    loaded = convert_body("![a][web] and ![Etc]\n\n[web]: https://example.org/x.png\n[etc]: /etc/passwd\n")
    assert errors_of(loaded) == [
        f"{TEXT}:{BODY_LINE + 2}:8: error: image 'https://example.org/x.png' must be a file inside the "
        "project (web addresses, absolute paths and '..' outside it are refused)",
        f"{TEXT}:{BODY_LINE + 3}:8: error: image '/etc/passwd' must be a file inside the project "
        "(web addresses, absolute paths and '..' outside it are refused)",
    ]


def test_images_inside_the_project_resolve_relative_to_the_root(convert_body, project):
    images = project / "content" / "images"
    images.mkdir()
    (images / "map (1).png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (images / "b.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    loaded = convert_body("![A map](../images/map%20(1).png) ![b](../images/b.png) ![r][ref]\n\n"
                          "[ref]: ../images/b.png\n")
    srcs = [img.get("src") for img in tree(first(loaded).html).iter("img")]
    # a destination is a URL: "%20" is the space of "map (1).png", as CommonMark and pandoc read it
    assert errors_of(loaded) == []
    assert srcs == ["content/images/map (1).png", "content/images/b.png", "content/images/b.png"]


def test_image_with_parentheses_in_its_name(convert_body, project):
    (project / "content" / "texts" / "pic(1).png").write_bytes(b"\x89PNG\r\n\x1a\n")
    loaded = convert_body("![p](pic(1).png)\n")
    assert errors_of(loaded) == []
    assert [img.get("src") for img in tree(first(loaded).html).iter("img")] == ["content/texts/pic(1).png"]


def test_missing_image(convert_body):
    loaded = convert_body("![x](nothere.png)\n")
    assert errors_of(loaded) == [f"{TEXT}:{BODY_LINE}:6: error: image 'nothere.png' not found"]


def test_attribute_lists_cannot_smuggle_attributes(convert_body):
    c = first(convert_body("A paragraph.\n{: onclick=\"alert(1)\" style=\"color:red\" .ok }\n"))
    assert "onclick" not in c.html and "style" not in c.html
    assert 'class="ok"' in c.html


# -- corrections -----------------------------------------------------------------------------


def test_corrections_show_the_corrected_reading_and_keep_the_original(convert_body):
    loaded = convert_body("A {~~boarder~>border~~} guard.\n\n"
                          "Second {--very --}short and {++now ++}longer.[^n]\n\n"
                          "[^n]: In a {~~noet~>note~~}.\n")
    c = first(loaded)
    assert errors_of(loaded) == []
    text = "".join(tree(c.html).itertext())
    assert "A border guard." in text and "boarder" not in text
    assert "Second short and now longer." in text
    assert "In a note." in text and "noet" not in text
    rows = [(k.original, k.corrected, k.paragraph, k.note, k.location.line, k.location.col, k.anchor)
            for k in c.corrections]
    assert rows == [
        ("boarder", "border", 1, "", BODY_LINE, 3, "corr-first-text-1"),
        ("very ", "", 2, "", BODY_LINE + 2, 8, "corr-first-text-2"),
        ("", "now ", 2, "", BODY_LINE + 2, 29, "corr-first-text-3"),
        ("noet", "note", 0, "1", BODY_LINE + 4, 12, "corr-first-text-4"),
    ]
    anchors = {el.get("id") for el in tree(c.html).iter("span") if el.get("class") == "corr"}
    assert anchors == {f"corr-first-text-{i}" for i in range(1, 5)}


def test_correction_containing_a_citation(convert_body):
    loaded = convert_body("As {~~shown~>shown [@pecoud2018, 3]~~} before.\n")
    c = first(loaded)
    assert errors_of(loaded) == []
    assert "(Pécoud 2018, 3)" in "".join(tree(c.html).itertext())
    assert c.corrections[0].original == "shown"
    assert c.cited_keys == ("pecoud2018",)


def test_critic_markup_inside_code_is_left_alone(convert_body):
    c = first(convert_body("Write `{~~a~>b~~}` for a correction.\n"))
    assert c.corrections == ()
    assert "{~~a~&gt;b~~}" in c.html


def test_minimal_correction():
    c = load(MINIMAL).converted["first-text"]
    assert [(k.original, k.corrected, k.paragraph) for k in c.corrections] == [("boarder", "border", 2)]
    assert (c.corrections[0].location.line, c.corrections[0].location.col) == (20, 41)


def test_html_named_character_references_are_their_characters(convert_body):
    """&nbsp; &emsp; &mdash; &eacute; are Markdown (a poet indents a line with &emsp;); the XML parser
    knew only XML's five, and the whole text was refused as 'undefined entity' at its first line."""
    loaded = convert_body("&emsp;&emsp;Indented&nbsp;line &mdash; caf&eacute; &hellip; AT&amp;T &lt;b&gt; "
                          "&NotAnEntity;\n")
    assert not loaded.report.errors, loaded.lines()
    html = loaded.converted["first-text"].html
    assert "\u2003\u2003Indented\u00a0line — café … " in html
    assert "&lt;b&gt;" in html and "&amp;NotAnEntity;" in html and "AT&amp;T" in html


def test_double_quotes_of_more_languages(convert_body):
    """As csquotes sets them: guillemets in Spanish, Italian, Russian, Arabic; „…” in Polish; »…« in
    Danish; Brazilian Portuguese keeps “…” where Portugal's has «…» (a Spanish teacher's reader had “…”)."""
    from chapbook.markup import double_quotes

    assert [double_quotes(t) for t in ("es", "it-CH", "ru", "ar", "fa", "pl", "da", "pt-BR", "pt-PT", "nl", "cs")] \
        == [("«", "»")] * 5 + [("„", "”"), ("»", "«"), ("“", "”"), ("«", "»"), ("“", "”"), ("„", "“")]
    loaded = convert_body('Dijo: "el agua llegaba hasta aquí".\n', head=TEXT_HEAD.replace("lang: en", "lang: es"))
    assert "Dijo: «el agua llegaba hasta aquí»." in loaded.converted["first-text"].html


def test_a_quote_by_name_stays_inside_its_attribute(convert_body):
    """"x&QUOT; id=&QUOT;fn-first-text-1" in a link's title closed the attribute and added an id check had
    not seen (a review: EPUBCheck's duplicate id); it is a quote character in the title."""
    loaded = convert_body('A [link](https://example.org/ "x&QUOT; id=&QUOT;fn-first-text-1") here.\n')
    assert not loaded.report.errors, loaded.lines()
    html = loaded.converted["first-text"].html
    assert 'title="x&quot; id=&quot;fn-first-text-1"' in html and html.count('id="fn-first-text-1"') <= 1


def test_numeric_references_as_html_reads_them(convert_body):
    """&#X41; (valid HTML) made the text fail as "not well-formed"; &#0; is U+FFFD, as in a browser."""
    loaded = convert_body("Plain &#X41; and &#65; text &#0; and [x](https://e.org/ \"t &#X22; u\").\n")
    assert not loaded.report.errors, loaded.lines()
    html = loaded.converted["first-text"].html
    assert "Plain A and A text \ufffd and" in html and 'title="t &quot; u"' in html


def test_a_picture_is_no_numbered_paragraph(convert_body, project):
    """With ¶ numbers, a paragraph that only holds a picture was numbered like the text's paragraphs: a
    handout's map was "¶2", and the paragraphs after it one off from what a class counts."""
    from PIL import Image

    (project / "content" / "images").mkdir(exist_ok=True)
    Image.new("RGB", (40, 30), (40, 90, 160)).save(project / "content" / "images" / "map.png")
    loaded = convert_body("The first paragraph.\n\n![A map of the route](../images/map.png)\n\n"
                          "The second paragraph.\n")
    assert not loaded.report.errors, loaded.lines()
    html = loaded.converted["first-text"].html
    assert re.findall(r'<p[^>]*data-para="(\d+)"[^>]*>([^<]*)', html) == [("1", "The first paragraph."),
                                                                          ("2", "The second paragraph.")]
    assert re.search(r'<p class="image"(?![^>]*data-para)[^>]*><img', html)
