"""Reading a project: front matter, publication.yml, glossary.yml, and the project's files.

Every problem must come back as a diagnostic with file:line:col, never as an exception.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import MINIMAL, load

from chapbook.config import build_config, parse_paper
from chapbook.diagnostics import Location, Report
from chapbook.read import load_yaml, read_glossary, read_part, read_project, split_front_matter


def part_errors(tmp_path: Path, text: str | bytes, kind: str = "text") -> tuple[object, list[str]]:
    path = tmp_path / "01-x.md"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    report = Report()
    part = read_part(path, "x", kind, report)
    return part, [d.format(root=tmp_path) for d in report.diagnostics]


# -- front matter ------------------------------------------------------------------


def test_good_front_matter_and_body_location(tmp_path: Path):
    part, errors = part_errors(tmp_path, "---\ntitle: One\nauthors: [A, B]\ndate: 2019-05-03\n"
                                          "questions:\n  - Why?\n---\n\nBody here.\n")
    assert errors == []
    assert part.title == "One"
    assert part.authors == ("A", "B")
    assert part.date == "2019-05-03"  # a YAML date comes back as ISO text
    assert part.questions == ("Why?",)
    assert part.body == "\nBody here.\n"
    assert part.body_location == Location(tmp_path / "01-x.md", 8, 1)  # the line after the closing ---
    assert part.field_locations["date"].line == 4


def test_byte_order_mark_is_ignored(tmp_path: Path):
    part, errors = part_errors(tmp_path, "\ufeff---\ntitle: One\nauthor: A\n---\nBody\n")
    assert errors == [] and part.title == "One"


def test_unclosed_front_matter(tmp_path: Path):
    part, errors = part_errors(tmp_path, "---\ntitle: One\nauthor: A\n\nThe body, no closing line.\n")
    assert part is None
    assert errors == ["01-x.md:1:1: error: front matter is not closed (did you forget the closing '---'?)"]


def test_missing_front_matter(tmp_path: Path):
    part, errors = part_errors(tmp_path, "Just a body.\n")
    assert part is None
    assert len(errors) == 1 and errors[0].startswith("01-x.md:1:1: error: missing front matter")


def test_bad_yaml_reports_file_line_and_column(tmp_path: Path):
    # line 3 of the file is the second YAML line; the bad ': ' is at column 15
    part, errors = part_errors(tmp_path, "---\ntitle: One\nsubtitle: A: B\nauthor: A\n---\nBody\n")
    assert part is None
    assert errors == ["01-x.md:3:12: error: invalid YAML: mapping values are not allowed here "
                      "(a value containing ': ' must be quoted)"]


def test_bad_yaml_unclosed_list(tmp_path: Path):
    part, errors = part_errors(tmp_path, "---\ntitle: One\nauthors: [A, B\nlang: en\n---\nBody\n")
    assert part is None
    assert len(errors) == 1
    assert errors[0].startswith("01-x.md:4:") and "invalid YAML" in errors[0]


def test_yaml_tab_indentation(tmp_path: Path):
    part, errors = part_errors(tmp_path, "---\ntitle: One\n\tauthor: A\n---\nBody\n")
    assert part is None
    assert errors == ["01-x.md:3:1: error: invalid YAML: found character '\\t' that cannot start any token"]


def test_control_character_in_yaml_is_a_diagnostic_not_a_crash(tmp_path: Path):
    # PyYAML raises ReaderError (not a MarkedYAMLError) for control characters
    part, errors = part_errors(tmp_path, "---\ntitle: One\nauthor: A\x07B\n---\nBody\n")
    assert part is None
    assert len(errors) == 1
    assert errors[0].startswith("01-x.md:3:10: error: invalid YAML:"), errors


def test_not_utf8(tmp_path: Path):
    part, errors = part_errors(tmp_path, "---\ntitle: Caf\xe9\nauthor: A\n---\n".encode("latin-1"))
    assert part is None
    assert len(errors) == 1 and errors[0].startswith("01-x.md:2:11: error: not UTF-8 text (byte 0xe9")


def test_front_matter_must_be_a_mapping(tmp_path: Path):
    part, errors = part_errors(tmp_path, "---\n- title\n- author\n---\nBody\n")
    assert part is None
    assert errors == ["01-x.md:2:1: error: front matter must be YAML 'key: value' fields"]


def test_unknown_field_with_did_you_mean(tmp_path: Path):
    _, errors = part_errors(tmp_path, "---\ntitle: One\nauthor: A\nsumary: Short.\n---\nBody\n")
    assert errors == ["01-x.md:4:1: error: unknown front-matter field 'sumary' (did you mean 'summary'?)"]


def test_unknown_field_without_a_close_match(tmp_path: Path):
    _, errors = part_errors(tmp_path, "---\ntitle: One\nauthor: A\nzzzzqqq: 1\n---\nBody\n")
    assert errors == ["01-x.md:4:1: error: unknown front-matter field 'zzzzqqq'"]


def test_text_fields_are_not_allowed_in_matter(tmp_path: Path):
    _, errors = part_errors(tmp_path, "---\ntitle: Intro\nsource: key2019\n---\nBody\n", kind="front")
    assert errors == ["01-x.md:3:1: error: unknown front-matter field 'source'"]


def test_missing_title(tmp_path: Path):
    part, errors = part_errors(tmp_path, "---\nauthor: A\n---\nBody\n")
    assert part is None
    assert errors == ["01-x.md:1:1: error: missing required field 'title' in the front matter"]


def test_missing_author(tmp_path: Path):
    part, errors = part_errors(tmp_path, "---\ntitle: One\n---\nBody\n")
    assert part is None
    assert errors == ["01-x.md:1:1: error: missing required field 'author' "
                      "(write author: unknown if it is not known)"]


def test_a_blank_title_or_author_is_missing(tmp_path: Path):
    """A title or author of spaces passed check and gave the EPUB an empty dc:title, <title> and contents
    entry (EPUBCheck errors): blank is missing, and a blank name among others is an error at its line."""
    part, errors = part_errors(tmp_path, '---\ntitle: " "\nauthor: " "\n---\nBody\n')
    assert part is None
    assert errors == ["01-x.md:1:1: error: missing required field 'title' in the front matter",
                      "01-x.md:3:1: error: an empty name in 'author' (write author: unknown if it is not known)"]
    part, errors = part_errors(tmp_path, '---\ntitle: One\nauthors: [A, ""]\n---\nBody\n')
    assert part is None
    assert errors == ["01-x.md:3:1: error: an empty name in 'authors' (write author: unknown if it is not known)"]


def test_a_blank_book_title_or_editor_is_an_error(project: Path):
    from conftest import run_build

    config = project / "content" / "publication.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"(?m)^title: .*$", 'title: "  "', re.sub(r"(?m)^editors: .*$", 'editors: [Ann, " "]',
                                                                         text)), encoding="utf-8")
    result = run_build("check", "--project", project)
    assert result.returncode == 1
    assert "publication.yml has no 'title' [missing-field]" in result.stdout
    assert "error: an empty name in 'editors' [missing-field]" in result.stdout


def test_matter_needs_no_author(tmp_path: Path):
    part, errors = part_errors(tmp_path, "---\ntitle: Introduction\nlist_corrections: true\n---\nBody\n",
                               kind="back")
    assert errors == [] and part.list_corrections


def test_misspelt_author_gives_both_errors_in_line_order(tmp_path: Path):
    _, errors = part_errors(tmp_path, "---\ntitle: One\nauther: A\n---\nBody\n")
    assert errors == [
        "01-x.md:3:1: error: unknown front-matter field 'auther' (did you mean 'author'?)",
        "01-x.md:1:1: error: missing required field 'author' (write author: unknown if it is not known)",
    ]


def test_questions_must_be_a_list(tmp_path: Path):
    part, errors = part_errors(tmp_path, "---\ntitle: One\nauthor: A\nquestions: {a: 1}\n---\nBody\n")
    assert part is None
    assert errors == ["01-x.md:4:1: error: 'questions' must be text or a list of texts, not a mapping"]


def test_raw_html_in_editorial_notes_is_rejected(tmp_path: Path):
    # editorial notes are rendered as Markdown on the page: raw HTML there used to crash the build
    part, errors = part_errors(tmp_path, "---\ntitle: One\nauthor: A\neditorial_notes:\n  - Fine.\n"
                                         "  - 'Photo <img src=\"https://example.org/x.png\"> dropped'\n"
                                         "---\nBody\n")
    assert part is None
    assert errors == ["01-x.md:6:1: error: raw HTML is not allowed in 'editorial_notes'; use Markdown"]


def test_split_front_matter_empty_mapping(tmp_path: Path):
    report = Report()
    fields, lines, body, body_line = split_front_matter("---\n---\nBody", tmp_path / "x.md", report)
    assert (fields, lines, body, body_line) == ({}, {}, "Body", 3)
    assert report.diagnostics == []


def test_load_yaml_indexes_nested_keys(tmp_path: Path):
    report = Report()
    data, lines = load_yaml("a: 1\nb:\n  c: 2\nlist:\n  - x\n  - y\n", tmp_path / "x.yml", report)
    assert data == {"a": 1, "b": {"c": 2}, "list": ["x", "y"]}
    assert lines == {"a": 1, "b": 2, "b.c": 3, "list": 4, "list.0": 5, "list.1": 6}


def test_yaml_read_again_gives_its_own_copy_and_the_same_lines(tmp_path: Path):
    """watch reads every file on each save; a remembered parse must not hand out data a caller changed,
    and a second file with the same text keeps its own path in its errors."""
    text = "title: X\nlist:\n  - a\n  - {b: 1}\n"
    first, lines = load_yaml(text, tmp_path / "one.yml", Report())
    first["list"][1]["b"] = 2
    first["title"] = "changed"
    again, lines_again = load_yaml(text, tmp_path / "two.yml", Report())
    assert again == {"title": "X", "list": ["a", {"b": 1}]} and lines_again == lines
    again["list"].append("c")
    assert load_yaml(text, tmp_path / "three.yml", Report())[0] == {"title": "X", "list": ["a", {"b": 1}]}
    report = Report()
    assert load_yaml("a: 1\na: 2\n", tmp_path / "dup.yml", report) == (None, {})
    report_again = Report()
    assert load_yaml("a: 1\na: 2\n", tmp_path / "other.yml", report_again) == (None, {})
    assert report_again.diagnostics[0].format(root=tmp_path).startswith("other.yml:2:1: error:")


# -- publication.yml ----------------------------------------------------------------


def config_errors(tmp_path: Path, text: str):
    path = tmp_path / "publication.yml"
    report = Report()
    data, lines = load_yaml(text, path, report)
    config = build_config(data if data is not None else {}, path, lines, report)
    return config, [d.format(root=tmp_path) for d in report.diagnostics]


def test_good_publication(tmp_path: Path):
    config, errors = config_errors(tmp_path, (MINIMAL / "content" / "publication.yml").read_text())
    assert errors == []
    assert config.title == "A Minimal Reader"
    assert config.texts == ("first-text", "second-text")
    assert config.paper_css == "148mm 210mm"
    assert config.keywords == ("testing", "readers")
    assert config.typography["font_size"] == "10pt"
    assert config.typography["body_font"] == "Charis SIL"  # defaults fill the rest


def test_unknown_setting_with_did_you_mean(tmp_path: Path):
    _, errors = config_errors(tmp_path, "title: X\nsubtitle: Y\npapr: A4\n")
    assert errors == ["publication.yml:3:1: error: unknown setting 'papr' (did you mean 'paper'?)"]


def test_unknown_typography_setting(tmp_path: Path):
    _, errors = config_errors(tmp_path, "title: X\ntypography:\n  font_sise: 9pt\n")
    # the suggestion is the bare key ('font_size'), as other tests of nested settings expect
    assert errors == ["publication.yml:3:1: error: unknown setting 'typography.font_sise' "
                      "(did you mean 'font_size'?)"]


@pytest.mark.parametrize("paper, css", [("A5", "148mm 210mm"), ("a4", "210mm 297mm"),
                                        ("Letter", "8.5in 11in"), ("140mm 216mm", "140mm 216mm")])
def test_paper_sizes(tmp_path: Path, paper: str, css: str):
    config, errors = config_errors(tmp_path, f"title: X\npaper: {paper}\n")
    assert errors == [] and config.paper_css == css


@pytest.mark.parametrize("paper", ["B7", "148 210", "148mm", "wide tall", "148mm 210mm 3mm", "1mm 1mm",
                                   "20000mm 20000mm", "148mm 2000mm"])
def test_bad_paper_size(tmp_path: Path, paper: str):
    """'1mm 1mm' and '20000mm 20000mm' reached WeasyPrint, which stopped with an internal error and no
    place (a review): a page is refused here, at its line, outside 25–1500 mm."""
    config, errors = config_errors(tmp_path, f"title: X\n\npaper: {paper}\n")
    assert errors == [f"publication.yml:3:1: error: unknown paper size '{paper}' "
                      "(use A5, A4, Letter, half-letter or 'WIDTH HEIGHT' such as '140mm 216mm', "
                      "each side from 25mm to 1500mm)"]
    assert config.paper_css == "148mm 210mm"  # falls back, so the rest of the checks can run
    assert parse_paper(paper) is None


@pytest.mark.parametrize(("setting", "says"), [
    ("booklet:\n  paper_thickness_mm: .nan\n", "'booklet.paper_thickness_mm' must be a number, not nan"),
    ("cover:\n  spine_mm: .inf\n", "'cover.spine_mm' must be a number, not inf"),
    ("cover:\n  spine_mm: 5000\n", "'cover.spine_mm' must be from 0 to 200"),
    ("booklet:\n  paper_weight_gsm: 90000\n", "'booklet.paper_weight_gsm' must be from 0 to 500"),
    ("print:\n  bleed: 5000mm\n", "'print.bleed' must be a length from 0 to 25mm"),
    ("handouts:\n  outer_margin: 500mm\n", "'handouts.outer_margin' 500mm leaves no room for the text"),
])
def test_settings_out_of_range_are_refused_at_their_line(tmp_path: Path, setting: str, says: str):
    """NaN, infinity and sizes no sheet has reached the writers: "Can't convert NaN or Infinity to PDF
    real number" or WeasyPrint's page-size error, an internal error without a place; a 500 mm handout
    margin gave one word a line, with exit 0 (a review)."""
    _, errors = config_errors(tmp_path, f"title: X\n{setting}")
    assert len(errors) == 1 and errors[0].startswith("publication.yml:3:1: error: ") and says in errors[0], errors


def test_wrong_types(tmp_path: Path):
    _, errors = config_errors(tmp_path, "title: X\neditors: Ada\ntypography:\n  paragraph_numbers: maybe\n"
                                        "  font_size: big\n  acronyms: tiny\n")
    assert errors == [
        "publication.yml:2:1: error: 'editors' must be a list, not str",
        "publication.yml:4:1: error: 'typography.paragraph_numbers' must be true/false",
        "publication.yml:6:1: error: 'typography.acronyms' must be reduced, small-caps or plain",
        "publication.yml:5:1: error: 'typography.font_size' must be a length such as 10pt",
    ]


def test_missing_title_and_not_a_mapping(tmp_path: Path):
    _, errors = config_errors(tmp_path, "subtitle: only\n")
    assert errors == ["publication.yml:1:1: error: publication.yml has no 'title'"]
    _, errors = config_errors(tmp_path, "- a\n- b\n")
    assert errors[0] == "publication.yml:1:1: error: publication.yml must be a mapping of settings (key: value)"


def test_raw_html_in_rights_is_rejected(tmp_path: Path):
    config, errors = config_errors(tmp_path, "title: X\nrights: 'CC <a href=\"file:///etc/passwd\">BY</a>'\n")
    assert errors == ["publication.yml:2:1: error: raw HTML is not allowed in 'rights'; use Markdown "
                      "(write &lt; for a literal '<')"]
    assert config.rights == ""


# -- glossary.yml -------------------------------------------------------------------


def glossary_errors(tmp_path: Path, text: str):
    path = tmp_path / "glossary.yml"
    path.write_text(text, encoding="utf-8")
    report = Report()
    entries = read_glossary(path, report)
    return entries, [d.format(root=tmp_path) for d in report.diagnostics]


def test_glossary_entries(tmp_path: Path):
    entries, errors = glossary_errors(tmp_path, (MINIMAL / "content" / "glossary.yml").read_text())
    assert errors == []
    iom = entries[0]
    assert iom.slug == "international-organization-for-migration"
    assert iom.aliases == ("IOM", "International Organisation for Migration")
    assert iom.see_also == ("border agency",)
    assert iom.location == Location(tmp_path / "glossary.yml", 1, 3)


def test_glossary_problems(tmp_path: Path):
    entries, errors = glossary_errors(tmp_path, (
        "- term: Alpha\n  definition: First.\n  alias: [A]\n"   # 1-3
        "- term: alpha\n  definition: Again.\n"                  # 4-5
        "- term: Beta\n"                                         # 6
        "- term: Gamma\n  definition: <b>bold</b> words.\n"      # 7-8
        "- just a string\n"))                                    # 9
    assert [e.term for e in entries] == ["Alpha"]
    assert errors == [
        "glossary.yml:3:3: error: unknown glossary field 'alias' (did you mean 'aliases'?)",
        "glossary.yml:4:3: error: duplicate glossary term 'alpha' (first at line 1)",
        "glossary.yml:6:3: error: glossary entry needs both 'term' and 'definition' (Beta)",
        "glossary.yml:8:3: error: raw HTML is not allowed in the definition of 'Gamma'; use Markdown",
        "glossary.yml:9:3: error: a glossary entry must have 'term:' and 'definition:'",
    ]


def test_glossary_must_be_a_list(tmp_path: Path):
    entries, errors = glossary_errors(tmp_path, "term: x\ndefinition: y\n")
    assert entries == ()
    assert errors == ["glossary.yml:1:1: error: glossary.yml must be a list of entries ('- term: …')"]


# -- whole projects ------------------------------------------------------------------


def test_minimal_project_reads_cleanly():
    loaded = load(MINIMAL)
    assert loaded.report.diagnostics == []
    pub = loaded.publication
    assert [p.slug for p in pub.parts] == ["introduction", "first-text", "second-text", "editorial-note"]
    assert [p.kind for p in pub.parts] == ["front", "text", "text", "back"]
    assert pub.texts[0].authors == ("Maria García",)
    assert pub.texts[1].authors == ("Institute of Race Relations",)
    assert pub.back[0].list_corrections
    assert len(pub.glossary) == 3
    assert pub.bibliography.keys == {"garcia2019", "irr2002", "pecoud2018"}


def test_texts_follow_publication_order(project: Path):
    (project / "content" / "publication.yml").write_text(
        (project / "content" / "publication.yml").read_text().replace(
            "texts: [first-text, second-text]", "texts: [second-text, first-text]"))
    loaded = load(project)
    assert [p.slug for p in loaded.publication.texts] == ["second-text", "first-text"]


def test_duplicate_slug(project: Path):
    texts = project / "content" / "texts"
    (texts / "03-first-text.md").write_text((texts / "01-first-text.md").read_text())
    report = Report()
    read_project(project, report)
    assert [d.format(root=project) for d in report.errors] == [
        "content/texts/03-first-text.md:1:1: error: duplicate slug 'first-text' (also 01-first-text.md)"]


def test_listed_text_missing(project: Path):
    pub = project / "content" / "publication.yml"
    pub.write_text(pub.read_text().replace("texts: [first-text, second-text]",
                                           "texts:\n  - first-text\n  - secnd-text"))
    report = Report()
    publication = read_project(project, report)
    assert [p.slug for p in publication.texts] == ["first-text"]
    assert report.lines(root=project) == [
        "content/publication.yml:15:1: error: text 'secnd-text' is listed but there is no "
        "content/texts/*secnd-text.md (did you mean 'second-text'?)",
        "content/texts/02-second-text.md:1:1: warning: text 'second-text' is not listed in "
        "publication.yml 'texts' and is left out of the book",
    ]


def test_listed_matter_missing(project: Path):
    pub = project / "content" / "publication.yml"
    pub.write_text(pub.read_text().replace("back: [editorial-note]", "back: [editorial-note, afterword]"))
    report = Report()
    read_project(project, report)
    assert report.lines(root=project) == [
        "content/publication.yml:14:1: error: 'afterword' is listed in 'back' but content/afterword.md "
        "does not exist"]


def test_publication_yml_not_utf8_is_reported(project: Path):
    (project / "content" / "publication.yml").write_bytes("title: Caf\xe9\n".encode("latin-1"))
    report = Report()
    read_project(project, report)  # must not raise UnicodeDecodeError
    assert any(d.format(root=project).startswith("content/publication.yml:1:11: error: not UTF-8 text")
               for d in report.errors)


def test_not_a_project(tmp_path: Path):
    report = Report()
    read_project(tmp_path, report)
    assert report.lines(root=tmp_path)[0] == (
        "content/publication.yml: error: no content/publication.yml: is this a chapbook project?")


def test_texts_named_in_another_script_are_texts_of_their_own(project: Path):
    """Every name in Arabic (or Greek, or Chinese) script slugifies to 'x': a reader whose files were named
    in its own script had "duplicate slug 'x'" and "text 'آخر' is listed twice", and could not be built.
    Such slugs are numbered in file order, and a listed name is matched by name, never by a slug that
    more than one name shares."""
    texts = project / "content" / "texts"
    (texts / "01-first-text.md").rename(texts / "01-نص.md")
    (texts / "02-second-text.md").rename(texts / "02-آخر.md")
    config = project / "content" / "publication.yml"
    base = config.read_text(encoding="utf-8")
    config.write_text(base.replace("texts: [first-text, second-text]", "texts: [آخر, نص]"), encoding="utf-8")
    report = Report()
    publication = read_project(project, report)
    assert report.errors == [] and [p.slug for p in publication.texts] == ["x-2", "x"]
    config.write_text(base.replace("texts: [first-text, second-text]", "texts: [نص, ثالث]"), encoding="utf-8")
    report = Report()
    read_project(project, report)
    assert [d.message for d in report.errors] == ["text 'ثالث' is listed but there is no content/texts/*ثالث.md"]
