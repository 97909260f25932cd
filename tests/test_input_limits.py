"""Input the red team found slow or leaking, refused at its line in the check stage (or handled).

Correctness only: speed is measured by bench (bench/results-bounded.md), never asserted.
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest
from conftest import BODY_LINE, MINIMAL, TEXT_HEAD, run_build

from chapbook import citations, sourcescan
from chapbook.sourcescan import MAX_INLINE_OPENERS

# ---- 1. a paragraph of thousands of '[' or backticks -------------------------------------------

RED_TEAM = {
    "nested brackets": ("[" * 5000 + "x" + "]" * 5000, 5000),
    "images": ("![a" * 5000, 5000),
    "glossary marks": ("[[a" * 5000, 10000),
    "note calls": ("[^" * 10000, 10000),
}


@pytest.mark.parametrize("name", RED_TEAM)
def test_paragraph_with_too_many_openers_is_refused_before_converting(convert_body, name: str) -> None:
    body, count = RED_TEAM[name]
    loaded = convert_body("A first paragraph.\n\n" + body + "\n")
    assert loaded.lines() == [
        f"content/texts/01-first-text.md:{BODY_LINE + 2}:1: error: a paragraph with {count:,} openers of "
        f"links, images, notes, glossary marks or code ('[' and runs of '`'); at most {MAX_INLINE_OPENERS} "
        "can be converted in one paragraph: split it, or put the brackets in a code block"]
    assert loaded.report.errors[0].kind == "too-complex"
    assert loaded.converted["first-text"].html == ""  # not converted


def test_openers_are_counted_per_paragraph_and_not_in_code(convert_body) -> None:
    per = MAX_INLINE_OPENERS // 2
    paragraphs = ["See [a link](#p-first-text-1) " * per] * 3  # each paragraph under the limit
    code = "```\n" + "[x] " * 2000 + "\n```"  # brackets in a code block are no openers
    notes = "".join(f"[^{i}]: Note {i}.\n" for i in range(1, 2 * MAX_INLINE_OPENERS))  # each its own block
    calls = "\n\n".join(f"Claim.[^{i}]" for i in range(1, 2 * MAX_INLINE_OPENERS))
    loaded = convert_body("\n\n".join([*paragraphs, code, calls, notes]))
    assert not loaded.report.errors, loaded.lines()[:3]


def test_a_long_run_of_backticks_converts(convert_body) -> None:
    loaded = convert_body("`" * 20000 + "\n\nA [@pecoud2018] citation.\n")
    assert not loaded.report.errors, loaded.lines()[:3]
    assert "`" * 20000 in loaded.converted["first-text"].html


def test_code_spans_are_found_without_backtracking(monkeypatch) -> None:
    """mask_code finds what the regex finds (20,000 backticks made it backtrack quadratically)."""
    reference = sourcescan._CODE_SPAN

    def regex_mask(text: str) -> str:
        blank = lambda m: re.sub(r"[^\n]", " ", m.group(0))
        return reference.sub(blank, sourcescan._FENCE.sub(blank, text))

    rng = random.Random(7)
    samples = ["".join(rng.choice(["`", "``", "a", " ", "\n", "```", "~"]) for _ in range(rng.randint(0, 14)))
               for _ in range(3000)]
    expected = [regex_mask(t) for t in samples]
    monkeypatch.setattr(sourcescan, "_CODE_SPAN", None)  # the regex is no longer what runs
    assert [sourcescan.mask_code(t) for t in samples] == expected
    assert sourcescan.mask_code("`" * 20000 + "a`") == "`" * 19999 + "   "


def test_citations_are_found_in_one_pass() -> None:
    """Brackets and code spans are matched from an index: the same citations as before."""
    text = "See [@a, 4] and ![x](y.png) [not here] and [see @b; -@c] `[@d]` ``x`` [@e"
    found, problems = citations.find_citations(text)
    assert [i.key for c in found for i in c.items] == ["a", "b", "c"]
    assert problems == [(text.index("[@e"), "unclosed citation bracket '['")]
    found, problems = citations.find_citations("![a" * 5000 + "\n\n" + "[ " * 3000 + "@k" + " ]" * 3000)
    assert [i.key for c in found for i in c.items] == ["k"] and not problems


def test_check_reports_the_red_team_paragraph(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(MINIMAL, root)
    (root / "content" / "texts" / "01-first-text.md").write_text(
        TEXT_HEAD + "[" * 20000 + "x" + "]" * 20000 + "\n", encoding="utf-8")
    result = run_build("check", "--project", root)
    assert result.returncode == 1, result.stderr
    output = result.stdout + result.stderr
    assert f"01-first-text.md:{BODY_LINE}:1: error: a paragraph with 20,000 openers" in output
    assert "[too-complex]" in output and "Traceback" not in output
