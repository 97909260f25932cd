"""Converted parts cached between builds (chapbook.convcache, issue 11): a cached conversion equals
an uncached one, and a change to the state texts share (year letters, the glossary) converts again."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import MINIMAL, REPO

from chapbook import convcache
from chapbook.diagnostics import Report
from chapbook.markup import convert
from chapbook.pipeline import Progress, prepare
from chapbook.read import read_project


@pytest.fixture(autouse=True)
def _fresh():
    convcache.clear()
    yield
    convcache.clear()


def uncached(root: Path) -> dict[str, object]:
    """Every part converted as if no cache existed: read and convert, nothing else."""
    report = Report()
    publication = read_project(root, report)
    return {p.slug: convert(p, publication, report) for p in publication.parts}


def prepared(root: Path, output: Path | None = None) -> dict[str, object]:
    _, converted = prepare(root, Report(), Progress(io.StringIO(), quiet=True), ["pdf"], output)
    return {c.part.slug: c for c in converted}


def same(a, b) -> bool:
    """Equal conversions, ``places`` (not compared by the dataclass) included."""
    return a == b and a.places == b.places


def test_a_conversion_from_memory_or_disk_equals_an_uncached_one(tmp_path: Path) -> None:
    root = tmp_path / "reader"
    shutil.copytree(REPO / "content", root / "content", ignore=shutil.ignore_patterns("originals"))
    shutil.copy(REPO / "bibliography.bib", root / "bibliography.bib")
    out = tmp_path / "out"
    fresh = uncached(root)
    first = prepared(root, out)
    assert convcache.STATS.converted >= len(fresh)
    counts = dataclasses.astuple(convcache.STATS)
    from_memory = prepared(root, out)
    assert convcache.STATS.memory - counts[1] == len(fresh) and convcache.STATS.converted == counts[0]
    publication = read_project(root, Report())
    convcache.store(out / convcache.CACHE_DIR, publication, list(first.values()))
    assert len(list((out / convcache.CACHE_DIR).glob("*.json"))) == len(fresh)
    convcache.clear()  # a new process
    disk = convcache.STATS.disk
    from_disk = prepared(root, out)
    assert convcache.STATS.disk - disk == len(fresh)
    assert any(c.citations and c.corrections and c.glossary_marks and c.notes for c in fresh.values())
    for slug, expected in fresh.items():
        assert same(first[slug], expected), slug
        assert same(from_memory[slug], expected), slug
        assert same(from_disk[slug], expected), slug
        assert from_disk[slug].part is not expected.part and from_disk[slug].part == expected.part


def _bib_with_a_second_2002(root: Path) -> None:
    bib = root / "bibliography.bib"
    entry = ("\n@misc{irr2002later,\n  author = {{Institute of Race Relations}},\n  title = {Zebra: a later text},"
             "\n  year = {2002},\n  howpublished = {irr.org.uk}\n}\n")
    bib.write_text(bib.read_text(encoding="utf-8") + entry, encoding="utf-8")


def test_a_citation_added_to_one_text_that_changes_another_texts_year_letter_converts_it_again(
        tmp_path: Path) -> None:
    root = tmp_path / "minimal"
    shutil.copytree(MINIMAL, root)
    _bib_with_a_second_2002(root)
    second = root / "content" / "texts" / "02-second-text.md"
    second.write_text(second.read_text(encoding="utf-8") + "\nAs the Institute wrote [@irr2002].\n", encoding="utf-8")
    before = prepared(root)
    assert "Institute of Race Relations 2002<" in before["second-text"].html
    first = root / "content" / "texts" / "01-first-text.md"
    first.write_text(first.read_text(encoding="utf-8") + "\nSee also [@irr2002later].\n", encoding="utf-8")
    converted = convcache.STATS.converted
    after = prepared(root)
    assert convcache.STATS.converted - converted == len(after)  # the year letters are shared by every text
    assert "Institute of Race Relations 2002a<" in after["second-text"].html
    assert "Institute of Race Relations 2002b<" in after["first-text"].html
    fresh = uncached(root)
    for slug in fresh:
        assert same(after[slug], fresh[slug]), slug


def test_an_edit_converts_only_the_edited_text(tmp_path: Path) -> None:
    root = tmp_path / "minimal"
    shutil.copytree(MINIMAL, root)
    prepared(root)
    first = root / "content" / "texts" / "01-first-text.md"
    first.write_text(first.read_text(encoding="utf-8").replace("was founded long ago.", "was founded later."),
                     encoding="utf-8")
    converted = convcache.STATS.converted
    after = prepared(root)
    assert convcache.STATS.converted - converted == 1
    assert "was founded later." in after["first-text"].html
    assert same(after["first-text"], uncached(root)["first-text"])


def test_a_changed_glossary_converts_every_text_again(tmp_path: Path) -> None:
    root = tmp_path / "minimal"
    shutil.copytree(MINIMAL, root)
    prepared(root)
    glossary = root / "content" / "glossary.yml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "\n- term: border\n  definition: A line.\n",
                        encoding="utf-8")
    converted = convcache.STATS.converted
    after = prepared(root)
    assert convcache.STATS.converted - converted == len(after)
    fresh = uncached(root)
    assert any(slug == "border" for c in fresh.values() for slug, _ in c.glossary_marks)
    for slug in fresh:
        assert same(after[slug], fresh[slug]), slug


def test_a_part_with_a_problem_is_converted_and_reported_every_time(tmp_path: Path) -> None:
    root = tmp_path / "minimal"
    shutil.copytree(MINIMAL, root)
    first = root / "content" / "texts" / "01-first-text.md"
    first.write_text(first.read_text(encoding="utf-8") + "\nA link to [nowhere](javascript:alert(1)).\n",
                     encoding="utf-8")
    for _ in range(2):
        report = Report()
        prepare(root, report, Progress(io.StringIO(), quiet=True), ["pdf"])
        assert any("javascript:alert(1)" in d.message for d in report.errors)


def test_a_changed_image_converts_its_text_again(tmp_path: Path) -> None:
    root = tmp_path / "minimal"
    shutil.copytree(MINIMAL, root)
    (root / "content" / "images").mkdir()
    image = root / "content" / "images" / "map.svg"
    image.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', encoding="utf-8")
    first = root / "content" / "texts" / "01-first-text.md"
    first.write_text(first.read_text(encoding="utf-8") + "\n![A map](../images/map.svg)\n", encoding="utf-8")
    assert "map.svg" in prepared(root)["first-text"].html
    converted = convcache.STATS.converted
    prepared(root)
    assert convcache.STATS.converted == converted
    image.unlink()
    report = Report()
    prepare(root, report, Progress(io.StringIO(), quiet=True), ["pdf"])
    assert convcache.STATS.converted == converted + 1
    assert any("not found" in d.message for d in report.errors)


def test_a_cache_file_not_sealed_by_this_user_is_not_used(tmp_path: Path) -> None:
    root = tmp_path / "minimal"
    shutil.copytree(MINIMAL, root)
    out = tmp_path / "out"
    publication = read_project(root, Report())
    first = prepared(root, out)
    folder = out / convcache.CACHE_DIR
    convcache.store(folder, publication, list(first.values()))
    for path in folder.glob("*.json"):  # the HTML changed, the seal kept: a planted conversion
        stored = json.loads(path.read_text(encoding="utf-8"))
        stored["converted"]["html"] += "<p>planted</p>"
        path.write_text(json.dumps(stored), encoding="utf-8")
        os.utime(path)
    convcache.clear()
    disk = convcache.STATS.disk
    again = prepared(root, out)
    assert convcache.STATS.disk == disk
    assert all("planted" not in c.html for c in again.values())


def test_the_print_html_is_made_once_per_part_and_kept_on_disk(tmp_path: Path, monkeypatch) -> None:
    from chapbook import render

    root = tmp_path / "minimal"
    shutil.copytree(MINIMAL, root)
    out = tmp_path / "out"
    first = prepared(root, out)
    expected = {slug: render.print_footnotes(c.html) for slug, c in first.items()}
    calls = []
    real = render.print_footnotes
    monkeypatch.setattr(render, "print_footnotes", lambda html, lang=None: calls.append(html) or real(html, lang))
    assert {slug: convcache.printed(c.html) for slug, c in first.items()} == expected
    assert len(calls) == len(first)
    assert {slug: convcache.printed(c.html) for slug, c in first.items()} == expected
    assert len(calls) == len(first)  # made once per HTML
    convcache.store(out / convcache.CACHE_DIR, read_project(root, Report()), list(first.values()))
    convcache.clear()  # a new process
    again = prepared(root, out)
    assert {slug: convcache.printed(c.html) for slug, c in again.items()} == expected
    assert len(calls) == len(first)  # read with the conversions
    german = {slug: convcache.printed(c.html, "de") for slug, c in again.items()}  # as a book in German
    assert german == {slug: real(c.html, "de") for slug, c in again.items()} != expected  # its own entry
    assert {slug: convcache.printed(c.html) for slug, c in again.items()} == expected


def test_memory_holds_at_most_so_many_conversions(tmp_path: Path, monkeypatch) -> None:
    """A watch that writes no book (serve's web edition) never stores: each edit still lets the oldest go."""
    monkeypatch.setattr(convcache, "MOST", 3)
    root = tmp_path / "minimal"
    shutil.copytree(MINIMAL, root)
    first = root / "content" / "texts" / "01-first-text.md"
    for n in range(3):
        first.write_text(first.read_text(encoding="utf-8") + f"\nEdit {n}.\n", encoding="utf-8")
        prepared(root)
        assert len(convcache.MEMORY) <= 3
