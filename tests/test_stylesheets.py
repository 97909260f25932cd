"""chapbook's print stylesheets say nothing WeasyPrint ignores: ``build.py -v`` shows WeasyPrint's
warnings to users, once per document that loads the stylesheet (every part of the book, every handout)."""

from __future__ import annotations

import logging

import pytest

from chapbook.fetcher import ProjectFetcher
from chapbook.render import PACKAGE_ROOT


@pytest.mark.parametrize("name", ["print.css", "handout.css"])
def test_weasyprint_ignores_no_declaration(name: str, tmp_path) -> None:
    import weasyprint

    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    logger, handler = logging.getLogger("weasyprint"), Keep(logging.WARNING)
    before = logger.level
    logger.setLevel(logging.WARNING)
    logger.addHandler(handler)
    try:
        weasyprint.CSS(url=f"chapbook-style:{name}", url_fetcher=ProjectFetcher.for_project(tmp_path),
                       base_url=(PACKAGE_ROOT / "styles" / name).as_uri())
    finally:
        logger.removeHandler(handler)
        logger.setLevel(before)
    assert [r.getMessage() for r in records] == []
