"""Handout rendering: one process sharing WeasyPrint's caches vs a pool of two processes.

Builds the reader as is and scaled 10× (``build_speed.scaled_project``),
lays out the book once (the handouts need its page ranges; not timed), then
renders every handout in each mode from a fresh cache and prints the
seconds; writes bench/results-handouts.md. Modes:

- ``separate``: sequential, each handout with WeasyPrint's defaults (a new
  FontConfiguration per document: the fonts are decoded every time) — 1× only;
- ``sequential``: one process, ``build.cache`` and one FontConfiguration shared;
- ``pool-2``: the first handout here, the rest in two forked processes.

Usage: python bench/handouts_speed.py [SCALE ...]   (default: 1 10)
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from build_speed import ROOT, scaled_project

from chapbook.diagnostics import Report
from chapbook.markup import convert, new_markdown
from chapbook.pipeline import Build
from chapbook.read import read_project
from chapbook.writers import handouts as H


def prepared(project: Path) -> tuple[Build, list[H.Handout]]:
    report = Report()
    publication = read_project(project, report)
    md = new_markdown()
    converted = [convert(p, publication, report, md) for p in publication.parts]
    build = Build(publication, converted, project / "output", report)
    build.book()
    return build, H.handouts(build)


def timed(build: Build, items: list[H.Handout], mode: str) -> float:
    build.cache.clear()  # no fonts or images from the book or an earlier mode
    start = time.perf_counter()
    if mode == "separate":
        for h in items:
            H.render_pdf(build, h, share_fonts=False)
    else:
        H.render_all(build, items, jobs=2 if mode == "pool-2" else 1)
    return time.perf_counter() - start


def main(scales: list[int]) -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for scale in scales:
            build, items = prepared(scaled_project(scale, Path(tmp)))
            modes = (["separate"] if scale == 1 else []) + ["sequential", "pool-2"]
            result = {mode: timed(build, items, mode) for mode in modes}
            rows.append((scale, len(items), result))
            print(f"x{scale:<3} {len(items):3d} handouts  "
                  + "  ".join(f"{m} {s:.2f} s" for m, s in result.items()), flush=True)
    lines = ["# Handout rendering speed", "",
             f"`python bench/handouts_speed.py {' '.join(map(str, scales))}` on {platform.machine()}, "
             f"{os.cpu_count()} cores, Python {platform.python_version()}. Seconds to render every "
             "handout after the book is laid out (not counted); each mode starts with empty caches.", "",
             "| scale | handouts | separate s | sequential s | pool-2 s | s/handout sequential | s/handout pool-2 |",
             "|---|---|---|---|---|---|---|"]
    for scale, n, r in rows:
        sep = f"{r['separate']:.1f}" if "separate" in r else "—"
        lines.append(f"| {scale}× | {n} | {sep} | {r['sequential']:.1f} | {r['pool-2']:.1f} | "
                     f"{r['sequential'] / n:.2f} | {r['pool-2'] / n:.2f} |")
    lines += ["", "separate: WeasyPrint's defaults, a new FontConfiguration per handout (the four WOFF2 faces "
              "of Charis SIL decoded each time). sequential: one process, `build.cache` and one "
              "FontConfiguration shared. pool-2: the first handout rendered in the parent (decoding the "
              "fonts), the rest in two forked processes that inherit them.",
              "", "Choice (`chapbook/writers/handouts.py`): one process sharing `build.cache` and one "
              "FontConfiguration for a few handouts; the pool of two (`JOBS`) when at least `POOL_FROM` "
              "(12) handouts are to be rendered: fitting time = start + n × per-handout to the two scales, "
              "the pool starts about 7 s later but renders each handout faster, and the two cross near "
              "a dozen handouts. Figures measured on a shared machine (load average 3–4 from other work); "
              "they vary by ±30 % between runs."]
    (ROOT / "bench" / "results-handouts.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {ROOT / 'bench' / 'results-handouts.md'}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1, 10])
