"""Shared fixtures: the sample projects, a Markdown-to-HTML helper, and the one PDF build per session."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from chapbook.diagnostics import Report
from chapbook.markup import convert
from chapbook.model import Converted, Publication
from chapbook.read import read_project

REPO = Path(__file__).resolve().parent.parent
PROJECTS = REPO / "tests" / "projects"
MINIMAL = PROJECTS / "minimal"
SOURCE_DATE_EPOCH = 1700000000  # 2023-11-14T22:13:20Z
MINIMAL_PDF_NAME = "a-minimal-reader.pdf"


def single_threaded(within: float = 10.0) -> bool:
    """Whether this process may fork the build's workers (chapbook.workers.can_fork), waiting up to
    ``within`` seconds for a thread an earlier test left (a worker pool's or a server's, ending a
    moment after it was shut down): a test that needs forking is then not skipped by chance."""
    import time

    from chapbook import workers

    deadline = time.monotonic() + within
    while not workers.can_fork():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def build_command(*args: str | os.PathLike) -> list[str]:
    return [sys.executable, str(REPO / "build.py"), *map(str, args)]


def build_env() -> dict[str, str]:
    return {**os.environ, "SOURCE_DATE_EPOCH": str(SOURCE_DATE_EPOCH), "PYTHONDONTWRITEBYTECODE": "1"}


def run_build(*args: str | os.PathLike, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """``python build.py ARGS`` as a user runs it; stdout and stderr captured as text."""
    return subprocess.run(build_command(*args), cwd=cwd, env=build_env(), capture_output=True,
                          text=True, timeout=180)


@dataclass
class Loaded:
    """A project read and converted in-process (no PDF): what the unit tests inspect."""

    publication: Publication
    converted: dict[str, Converted]
    report: Report
    root: Path

    def lines(self) -> list[str]:
        return self.report.lines(root=self.root)


def load(root: Path) -> Loaded:
    report = Report()
    publication = read_project(root, report)
    converted = {p.slug: convert(p, publication, report) for p in publication.parts}
    return Loaded(publication, converted, report, root)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A private copy of the minimal project, safe to edit."""
    root = tmp_path / "project"
    shutil.copytree(MINIMAL, root)
    return root


TEXT_HEAD = """---
title: The First Text
author: Maria García
date: 2019-05-03
source: garcia2019
lang: en
---

"""


@pytest.fixture
def convert_body(project: Path) -> Callable[..., Loaded]:
    """Replace the first text's body (and optionally the glossary) of a minimal copy, then load it.

    The body starts on line 9 of content/texts/01-first-text.md.
    """

    def run(body: str, glossary: str | None = None, head: str = TEXT_HEAD) -> Loaded:
        (project / "content" / "texts" / "01-first-text.md").write_text(head + body, encoding="utf-8")
        if glossary is not None:
            (project / "content" / "glossary.yml").write_text(glossary, encoding="utf-8")
        return load(project)

    return run


BODY_LINE = TEXT_HEAD.count("\n") + 1  # the line of the body's first line in 01-first-text.md


@pytest.fixture(scope="session")
def minimal_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Build the minimal project's PDF once per session, through the command line."""
    output = tmp_path_factory.mktemp("minimal-output")
    result = run_build("pdf", "--project", MINIMAL.relative_to(REPO), "--output", output)
    return result, output


@pytest.fixture(scope="session")
def minimal_pdf(minimal_build) -> Path:
    result, output = minimal_build
    assert result.returncode == 0, result.stderr
    pdf = output / MINIMAL_PDF_NAME
    assert pdf.is_file(), result.stderr
    return pdf
