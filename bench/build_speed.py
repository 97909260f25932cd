"""Build speed of the reader as is and scaled up; prints figures and writes bench/results.md.

Each scale is built in its own process (``build.py pdf``) so peak memory is
that build's alone (``os.wait4`` rusage). The scaled projects repeat every
text N times under new slugs; glossary, bibliography and front matter stay
the same, so the figures show how the build grows with the body of texts.
The book's parts are laid out by worker processes (``CHAPBOOK_JOBS``, one per core by default);
each scale is also built in one process (``CHAPBOOK_JOBS=1``), and both are reported. Peak
memory is the largest single process's (the build's or one worker's), as ``wait4`` reports it.
Usage: python bench/build_speed.py [SCALE ...]   (default: 1 10 30)
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
STAGE = re.compile(r"^(read|convert|check|write \w+)\s+([\d.]+) s")


def scaled_project(scale: int, where: Path) -> Path:
    """A copy of the reader whose texts are repeated ``scale`` times."""
    project = where / f"x{scale}"
    shutil.copytree(ROOT / "content", project / "content", ignore=shutil.ignore_patterns("originals"))
    shutil.copy(ROOT / "bibliography.bib", project / "bibliography.bib")
    texts = project / "content" / "texts"
    originals = sorted(texts.glob("*.md"))
    config_path = project / "content" / "publication.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    order = []
    for copy in range(1, scale):
        for path in originals:
            slug = re.sub(r"^\d+-", "", path.stem)
            new_slug = f"{slug}-{copy + 1}"
            (texts / f"{copy:03d}-{new_slug}.md").write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
            order.append(new_slug)
    config["texts"] = list(config.get("texts", [])) + order
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return project


def measure(project: Path, jobs: int | None = None) -> dict:
    """One cold ``build.py pdf`` (empty output folder); ``jobs``: ``CHAPBOOK_JOBS`` (None: the default)."""
    out = project / f"output-{jobs or 'default'}"
    shutil.rmtree(out, ignore_errors=True)
    env = {k: v for k, v in os.environ.items() if k != "CHAPBOOK_JOBS"}
    if jobs is not None:
        env["CHAPBOOK_JOBS"] = str(jobs)
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "pdf", "--project", str(project),
                             "--output", str(out)], stderr=subprocess.PIPE, text=True, env=env)
    stderr = proc.stderr.read()
    _, status, rusage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"build failed for {project}:\n{stderr}")
    stages = {m.group(1): float(m.group(2)) for line in stderr.splitlines() if (m := STAGE.match(line))}
    pdf = next(out.glob("*.pdf"))
    return {"pages": len(PdfReader(pdf).pages), "wall": wall, "stages": stages,
            "peak_mb": rusage.ru_maxrss / 1024, "texts": len(list((project / "content/texts").glob("*.md")))}


_ALONE = """
import io, sys, time
from pathlib import Path
from chapbook.diagnostics import Report
from chapbook.pipeline import Build, Progress, prepare
from chapbook.render import render_book_html
from chapbook.writers.pdf import layout
project = Path(sys.argv[1])
publication, converted = prepare(project, Report(), Progress(io.StringIO(), quiet=True), targets=["pdf"])
html = render_book_html(publication, converted, "book.html.j2", glossary_pages={})
start = time.perf_counter()
document = layout(Build(publication, converted, project / "alone", Report()), html)
data = document.write_pdf(pdf_tags=True)
print(time.perf_counter() - start, len(document.pages))
"""


def weasyprint_alone(project: Path) -> dict:
    """WeasyPrint by itself on the same book: one layout of the book HTML (page numbers by
    target-counter) and one tagged write_pdf, timed in a fresh process without chapbook's stages."""
    proc = subprocess.Popen([sys.executable, "-c", _ALONE, str(project)], stdout=subprocess.PIPE, text=True,
                            cwd=ROOT)
    stdout = proc.stdout.read()
    _, status, rusage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"WeasyPrint alone failed for {project}")
    seconds, pages = stdout.split()
    return {"seconds": float(seconds), "pages": int(pages), "peak_mb": rusage.ru_maxrss / 1024}


def compiled() -> None:
    """chapbook's modules compiled to bytecode before anything is timed, as pip compiles an installed
    package's: where ``PYTHONDONTWRITEBYTECODE`` is set (this machine's environment sets it), every
    ``build.py`` process would otherwise compile them again, 0.1 s of each build. ``make`` does the same."""
    import compileall

    compileall.compile_dir(ROOT / "chapbook", quiet=1)


def main(scales: list[int]) -> None:
    compiled()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for scale in scales:
            project = scaled_project(scale, Path(tmp))
            result = measure(project)
            result["one"] = measure(project, jobs=1)
            result["alone"] = weasyprint_alone(project)
            rows.append((scale, result))
            st = result["stages"]
            print(f"x{scale:<3} {result['texts']:4d} texts {result['pages']:5d} pages  "
                  f"{result['wall']:7.2f} s total  " + "  ".join(f"{k} {v:.2f} s" for k, v in st.items())
                  + f"  peak {result['peak_mb']:.0f} MB; in one process: write pdf "
                  f"{result['one']['stages'].get('write pdf', 0):.2f} s, peak {result['one']['peak_mb']:.0f} MB;"
                  f" WeasyPrint alone {result['alone']['seconds']:.2f} s "
                  f"({result['alone']['pages']} pages, peak {result['alone']['peak_mb']:.0f} MB)", flush=True)
    names = list(dict.fromkeys(k for _, r in rows for k in r["stages"]))
    lines = ["# Build speed", "",
             f"`python bench/build_speed.py {' '.join(map(str, scales))}` on {platform.machine()}, "
             f"{os.cpu_count()} cores (so {os.cpu_count()} workers), Python {platform.python_version()}.", "",
             "| scale | texts | pages | total s | " + " | ".join(f"{n} s" for n in names)
             + " | peak MB | s/page | one process: write pdf s | peak MB | WeasyPrint alone s | peak MB"
             " | write pdf ÷ alone |", "|---" * (11 + len(names)) + "|"]
    for scale, r in rows:
        lines.append(f"| {scale}× | {r['texts']} | {r['pages']} | {r['wall']:.1f} | "
                     + " | ".join(f"{r['stages'].get(n, 0):.2f}" for n in names)
                     + f" | {r['peak_mb']:.0f} | {r['wall'] / r['pages']:.3f} | "
                     f"{r['one']['stages'].get('write pdf', 0):.2f} | {r['one']['peak_mb']:.0f} | "
                     f"{r['alone']['seconds']:.1f} | {r['alone']['peak_mb']:.0f} | "
                     f"{r['stages'].get('write pdf', 0) / r['alone']['seconds']:.2f} |")
    lines += ["", "WeasyPrint alone: one layout of the same book HTML and one tagged `write_pdf`, in a fresh process "
              "(`weasyprint_alone`); chapbook's `write pdf` also renders the HTML, lays out the parts "
              "until the page numbers settle, writes each part and joins them. Cold builds: an empty output folder."]
    path = ROOT / "bench" / "results.md"
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    rest = old[old.find("\n## "):] if "\n## " in old else ""  # keep the sections other scripts append
    path.write_text("\n".join(lines) + "\n" + rest, encoding="utf-8")
    print(f"wrote {ROOT / 'bench' / 'results.md'}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1, 10, 30])
