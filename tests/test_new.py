"""``build.py new DIR``: a reader that checks clean and builds out of the box."""

from __future__ import annotations

import re

import yaml
from conftest import run_build
from pypdf import PdfReader

from chapbook.config import BOOKLET, OPTIONS, PRINT, TYPOGRAPHY, build_config
from chapbook.diagnostics import Report
from chapbook.scaffold import publication_yml


def test_new_reader_builds_out_of_the_box(tmp_path):
    folder = tmp_path / "my-reader"
    result = run_build("new", folder)
    assert result.returncode == 0, result.stderr
    for name in ("content/publication.yml", "content/introduction.md", "content/glossary.yml", "bibliography.bib"):
        assert (folder / name).is_file(), name
    assert len(list((folder / "content" / "texts").glob("*.md"))) == 2
    check = run_build("check", "--project", folder, "--strict")
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout == ""
    build = run_build("pdf", "epub", "--project", folder, "-q")
    assert build.returncode == 0, build.stderr
    assert sorted(p.suffix for p in (folder / "output").iterdir() if p.name != ".cache") == [".epub", ".pdf"]
    text = " ".join(page.extract_text() for page in PdfReader(next((folder / "output").glob("*.pdf"))).pages)
    assert "First published: Pamphlet, 2025." in text and "by Pamphlet" not in text  # a form, not a publisher


def test_new_refuses_a_non_empty_folder(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "keep.txt").write_text("mine")
    result = run_build("new", tmp_path / "x")
    assert result.returncode == 2
    assert "not empty" in result.stderr
    assert [p.name for p in (tmp_path / "x").iterdir()] == ["keep.txt"]


def test_every_option_is_shown_and_uncommenting_gives_a_valid_config(tmp_path):
    text = publication_yml("A Reader", "2026")
    for options in (OPTIONS, TYPOGRAPHY, BOOKLET, PRINT):
        for key, option in options.items():
            assert re.search(rf"^#?\s*{key}:.*# {re.escape(option.help)}$", text, re.MULTILINE), key
    uncommented = re.sub(r"^# (\s*[a-z_]+:)", r"\1", text, flags=re.MULTILINE)
    data = yaml.safe_load(uncommented)
    assert set(data) == set(OPTIONS)
    report = Report()
    config = build_config(data, tmp_path / "publication.yml", {}, report)
    assert report.lines() == []
    assert config.typography == {k: o.default for k, o in TYPOGRAPHY.items()}
