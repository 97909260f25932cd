"""Issue 10, "a bounded build": time the inputs that used to grow faster than linearly.

Each case is a copy of ``tests/projects/minimal`` with one thing made large:

- ``marks N``: the first text holds N ``[[border agency]]`` marks (10 per paragraph); builds the PDF;
- ``notes N``: the first text holds N footnotes; runs ``build.py check`` (read → convert → check);
- ``bib MB``: ``bibliography.bib`` padded with generated entries to about MB megabytes; ``build.py check``.

Every case runs in its own process (``build.py``), so the figures are what a user waits.
Usage: python bench/bounded.py [CASE ...]   e.g. ``marks:2000 notes:20000 bib:12``
(default: marks:2000 notes:20000 bib:12). Prints one line per case; paste them into
bench/results-bounded.md.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STAGE = re.compile(r"^(read|convert|check|write \w+)\s+([\d.]+) s")
ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "projects" / "minimal"
# The front matter of the minimal reader's first text, reused for the generated bodies.
HEAD = (MINIMAL / "content" / "texts" / "01-first-text.md").read_text(encoding="utf-8").split("\n---\n", 1)[0] \
    + "\n---\n\n"


def project_copy(where: Path, name: str) -> Path:
    root = where / name
    shutil.copytree(MINIMAL, root)
    return root


def marks_body(n: int) -> str:
    """N hand marks of one term, ten to a paragraph."""
    paragraphs = [" ".join(["The [[border agency]] acts."] * 10) for _ in range(n // 10)]
    return "\n\n".join(paragraphs) + "\n"


def notes_body(n: int) -> str:
    """N footnote calls, ten to a paragraph, and their N notes."""
    calls = [" ".join(f"Claim {i + j}.[^{i + j}]" for j in range(1, 11)) for i in range(0, n, 10)]
    notes = [f"[^{i}]: Note number {i}." for i in range(1, n + 1)]
    return "\n\n".join(calls) + "\n\n" + "\n".join(notes) + "\n"


def padded_bib(megabytes: float) -> str:
    """The minimal project's three entries, then generated ones up to about ``megabytes`` MB."""
    text = (MINIMAL / "bibliography.bib").read_text(encoding="utf-8")
    out, size, i = [text], len(text), 0
    while size < megabytes * 1_000_000:
        entry = (f"\n@article{{gen{i},\n  author = {{Author{i}, Ann and Writer, Bob}},\n"
                 f"  title = {{A generated article number {i} about borders and agencies}},\n"
                 f"  journal = {{Journal of Generated Studies}},\n  volume = {{{i % 50}}},\n"
                 f"  pages = {{{i % 900 + 1}--{i % 900 + 20}}},\n  year = {{{1950 + i % 70}}},\n"
                 f"  doi = {{10.1000/gen.{i}}}\n}}\n")
        out.append(entry)
        size += len(entry)
        i += 1
    return "".join(out)


def make(case: str, where: Path) -> tuple[Path, list[str]]:
    kind, _, amount = case.partition(":")
    root = project_copy(where, case.replace(":", "-"))
    text = root / "content" / "texts" / "01-first-text.md"
    if kind == "marks":
        text.write_text(HEAD + marks_body(int(amount)), encoding="utf-8")
        return root, ["pdf", "--project", str(root), "--output", str(root / "output")]
    if kind == "notes":
        text.write_text(HEAD + notes_body(int(amount)), encoding="utf-8")
        return root, ["check", "--project", str(root)]
    if kind == "bib":
        (root / "bibliography.bib").write_text(padded_bib(float(amount)), encoding="utf-8")
        return root, ["check", "--project", str(root)]
    raise SystemExit(f"unknown case {case!r} (marks:N, notes:N, bib:MB)")


def run(case: str) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        _root, args = make(case, Path(tmp))
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, str(ROOT / "build.py"), *args], capture_output=True, text=True)
        seconds = time.perf_counter() - start
        stages = " ".join(f"{m.group(1).replace(' ', '-')}={m.group(2)}" for line in proc.stderr.splitlines()
                          if (m := STAGE.match(line)))
        last = (proc.stderr.strip().splitlines() or [""])[-1]
        return f"{case:<14} exit {proc.returncode}  {seconds:7.2f} s  {stages}  [{last[:100]}]"


if __name__ == "__main__":
    for name in sys.argv[1:] or ["marks:2000", "notes:20000", "bib:12"]:
        print(run(name), flush=True)
