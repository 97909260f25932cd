"""chapbook against pandoc + Typst on the same texts, in one run; prints a table, appends to results.md.

Two cases (issue 11), each the median of ``--runs`` runs (default 3):

- **full build, 1×:** ``build.py`` for every target (pdf epub booklet print handouts) of the IOM
  reader, into an empty output folder each time (so the handouts' cache does not count), against
  pandoc Markdown → Typst source, one ``typst compile`` and pandoc Markdown → EPUB of the same texts.
- **edit → PDF, 10×:** the reader scaled 10× (``bench/build_speed.py``'s copy), built once; then one
  paragraph of one text is changed and ``build.py pdf`` timed again into the same output folder
  (whatever the build caches, it may use), against one full ``typst compile`` of the same 10× texts.

And a floor under each: the layouts no build can skip, each of the book's parts and handouts laid
out and written once, spread evenly over the cores (:func:`layout_floor`); and a new process
laying out only the edited text (:func:`edit_floor`).

pandoc and Typst come from PyPI (``pypandoc_binary``'s bundled pandoc, the ``typst`` package's
compiler), pinned in requirements-dev.txt. pandoc gets a temporary plain-Markdown
copy of the reader: every part of ``publication.yml`` in order with its title, author, summary and
questions; CriticMarkup resolved (``{~~a~>b~~}`` → b, ``{++a++}`` → a, ``{--a--}`` → nothing);
``[[term|shown]]`` → shown; footnote labels made unique per part; the glossary as a definition list;
citations kept and resolved with ``--citeproc`` and ``bibliography.bib`` (``--no-citeproc`` drops
them). Typst sets it in Charis SIL (the TTFs in ``styles/fonts``), A5, at the reader's font size;
the EPUB embeds the same WOFF2 faces as chapbook's. Preparing that copy is not timed (it is
milliseconds); every chapbook time includes starting Python, as a user's ``build.py`` does; each
``typst compile`` runs in a fresh process (see :func:`typst_compile`), timed without its start-up.

Usage: python bench/vs_typst.py [--quick] [--runs N] [--no-write]
  --quick     only the full build at 1× (skips the 10× case, which takes most of the few minutes)
  --no-write  print the table without appending to bench/results.md
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_speed import compiled, scaled_project  # noqa: E402  (bench/ is not a package)

TARGETS = ["pdf", "epub", "booklet", "print", "handouts"]
FONTS = ROOT / "styles" / "fonts"
CRITIC = re.compile(r"\{~~(?P<old>.*?)~>(?P<new>.*?)~~\}|\{--(?P<deleted>.*?)--\}|\{\+\+(?P<added>.*?)\+\+\}",
                    re.DOTALL)
GLOSSARY_MARK = re.compile(r"\[\[([^\[\]|\n]+)(?:\|([^\[\]\n]+))?\]\]")
FOOTNOTE = re.compile(r"\[\^([^\]\s]+)\]")
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
SLUG_PREFIX = re.compile(r"^\d+[-_]")
CODE_SPAN = re.compile(r"(`+[^`]*?`+)")


# ---- The plain-Markdown copy pandoc reads ----------------------------------------------------------


def _split(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    m = FRONT_MATTER.match(text)
    return (yaml.safe_load(m.group(1)) or {}, text[m.end():]) if m else ({}, text)


def _plain(body: str, part: int) -> str:
    """chapbook's markup resolved to plain Markdown, outside code spans (which show it literally)."""
    pieces = CODE_SPAN.split(body)  # odd items are code spans, kept as written
    for i in range(0, len(pieces), 2):
        text = CRITIC.sub(lambda m: m.group("new") if m.group("old") is not None
                          else (m.group("added") or ""), pieces[i])
        text = GLOSSARY_MARK.sub(lambda m: m.group(2) or m.group(1), text)
        pieces[i] = FOOTNOTE.sub(lambda m: f"[^p{part}-{m.group(1)}]", text)  # labels repeat across texts
    return "".join(pieces)


def plain_markdown(project: Path) -> str:
    """The reader as one pandoc Markdown document (YAML metadata block first)."""
    content = project / "content"
    config = yaml.safe_load((content / "publication.yml").read_text(encoding="utf-8"))
    texts = {SLUG_PREFIX.sub("", p.stem): p for p in (content / "texts").glob("*.md")}
    typography = config.get("typography") or {}
    meta = {"title": config["title"], "subtitle": config.get("subtitle", ""),
            "author": config.get("editors", []), "lang": config.get("language", "en"),
            "papersize": str(config.get("paper", "A5")).lower(),
            "fontsize": str(typography.get("font_size", "10pt")), "mainfont": "Charis SIL",
            "margin": {"x": "18mm", "y": "20mm"}, "toc": True, "toc-title": "Contents"}
    out = ["---", yaml.safe_dump(meta, allow_unicode=True, sort_keys=False).strip(), "---", ""]
    parts = ([content / f"{n}.md" for n in config.get("front", [])] + [texts[s] for s in config["texts"]]
             + [content / f"{n}.md" for n in config.get("back", [])])
    for number, path in enumerate(parts, 1):
        front, body = _split(path)
        out += [f"# {front.get('title', path.stem)}", ""]
        if front.get("author"):
            out += [f"*{front['author']}*", ""]
        if front.get("summary"):
            out += ["> " + " ".join(str(front["summary"]).split()), ""]
        out += [_plain(body, number).strip(), ""]
        if front.get("questions"):
            out += ["## Questions for discussion", ""] + [f"1. {q}" for q in front["questions"]] + [""]
    glossary = content / "glossary.yml"
    if glossary.is_file():
        out += ["# Glossary", ""]
        for entry in yaml.safe_load(glossary.read_text(encoding="utf-8")) or []:
            out += [entry["term"], "", ":   " + " ".join(str(entry.get("definition", "")).split()), ""]
    out += ["# References", "", "::: {#refs}", ":::", ""]
    return "\n".join(out)


# ---- The two tool chains -------------------------------------------------------------------------


def pandoc_path() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


def pandoc(source: Path, output: Path, fmt: str, citeproc: bool, bib: Path) -> None:
    args = [pandoc_path(), str(source), "-s", "-t", fmt, "-o", str(output), "--quiet"]
    if citeproc:
        args += ["--citeproc", "--bibliography", str(bib)]
    else:
        args += ["--metadata", "suppress-bibliography=true"]
    if fmt == "epub3":
        args += [f"--epub-embed-font={p}" for p in sorted(FONTS.glob("*.woff2"))]
    subprocess.run(args, check=True, capture_output=True)


_TYPST = """
import sys, time, typst
start = time.perf_counter()
typst.compile(sys.argv[1], output=sys.argv[2], font_paths=[sys.argv[3]], ignore_system_fonts=True)
print(time.perf_counter() - start)
"""


def typst_compile(source: Path, output: Path) -> float:
    """Seconds of one full ``typst compile``, in a fresh process, as the typst CLI runs it.

    Not in this process: the ``typst`` package keeps Typst's memoised results between calls, so a
    second compile of the same file takes 0.03 s instead of 0.3 s (an incremental compile, not a
    full one). The time is measured inside that process, without Python's start-up and import.
    """
    proc = subprocess.run([sys.executable, "-c", _TYPST, str(source), str(output), str(FONTS)],
                          check=True, capture_output=True, text=True)
    return float(proc.stdout.split()[-1])


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def build(project: Path, output: Path, targets: list[str], jobs: int | None = None) -> float:
    """Wall time of one ``build.py`` process (Python start-up included); ``jobs``: ``CHAPBOOK_JOBS``
    (worker processes laying out the book's parts; None: chapbook's default, one per core)."""
    env = dict(os.environ)
    env.pop("CHAPBOOK_JOBS", None)
    if jobs is not None:
        env["CHAPBOOK_JOBS"] = str(jobs)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), *targets, "--project", str(project),
                           "--output", str(output), "-q"], capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"build.py {' '.join(targets)} failed for {project}:\n{proc.stdout}{proc.stderr}")
    return wall


def pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def edited_slug(project: Path) -> str:
    """The text :func:`edit_one_paragraph` changes: the middle one of the book."""
    config = yaml.safe_load((project / "content" / "publication.yml").read_text(encoding="utf-8"))
    return config["texts"][len(config["texts"]) // 2]


def edit_one_paragraph(project: Path, run: int) -> Path:
    """Append a sentence to the first body paragraph of the middle text; the file changed."""
    slug = edited_slug(project)
    path = next(p for p in (project / "content" / "texts").glob("*.md") if SLUG_PREFIX.sub("", p.stem) == slug)
    text = path.read_text(encoding="utf-8")
    m = FRONT_MATTER.match(text)
    head, body = text[:m.end()], text[m.end():]
    paragraphs = body.split("\n\n")
    i = next(i for i, p in enumerate(paragraphs) if p.strip() and p.strip()[0].isalpha())
    paragraphs[i] = paragraphs[i].rstrip() + f" (Edited, run {run}.)"
    path.write_text(head + "\n\n".join(paragraphs), encoding="utf-8")
    return path


# ---- The cases -------------------------------------------------------------------------------------


def full_build(tmp: Path, runs: int, citeproc: bool) -> dict:
    md = tmp / "x1.md"
    md.write_text(plain_markdown(ROOT), encoding="utf-8")
    typ, pdf, epub = tmp / "x1.typ", tmp / "x1.pdf", tmp / "x1.epub"
    bib = ROOT / "bibliography.bib"
    chapbook, single, to_typ, compile_, to_epub, totals = [], [], [], [], [], []
    for run in range(runs):
        out = tmp / f"chapbook-x1-{run}"  # empty each time: a full build, no handouts cache
        chapbook.append(build(ROOT, out, TARGETS))
        single.append(build(ROOT, tmp / f"chapbook-x1-{run}-one", TARGETS, jobs=1))
        shutil.rmtree(tmp / f"chapbook-x1-{run}-one")
        a = timed(lambda: pandoc(md, typ, "typst", citeproc, bib))
        b = typst_compile(typ, pdf)
        c = timed(lambda: pandoc(md, epub, "epub3", citeproc, bib))
        to_typ.append(a), compile_.append(b), to_epub.append(c), totals.append(a + b + c)
        print(f"  1× run {run + 1}: chapbook {chapbook[-1]:.2f} s ({single[-1]:.2f} s in one process); "
              f"pandoc→typst {a:.2f} + typst {b:.2f} "
              f"+ pandoc→epub {c:.2f} = {a + b + c:.2f} s", flush=True)
        book = next(out.glob("*.pdf"))
        chapbook_pages = pages(book)
        if run < runs - 1:
            shutil.rmtree(out)
    return {"chapbook": statistics.median(chapbook), "single": statistics.median(single),
            "other": statistics.median(totals), "to_typ": statistics.median(to_typ),
            "typst": statistics.median(compile_),
            "to_epub": statistics.median(to_epub), "chapbook_pages": chapbook_pages, "other_pages": pages(pdf)}


def layout_floor(runs: int) -> dict:
    """The floor under the full build: the layouts no build of these outputs can skip, and nothing else.

    Every part of the book and every handout laid out and written once, as chapbook's build lays
    them out (:func:`floor_child`), in one process; ``floor`` is WeasyPrint's import plus that CPU
    time spread evenly over the cores. A full build also reads and renders the texts, lays out the
    parts that show page numbers again once the numbers are known, joins the parts, and writes the
    EPUB, booklet, print-shop PDF and cover: none of that is in the floor. (Stock WeasyPrint is no
    floor: without chapbook's stylesheet cache and linear page references it took 10.0 s of CPU
    for these documents, and 6.1 s for the book as one document.)
    """
    floor = _floor_runs(runs)
    cores = os.cpu_count() or 1
    return {**floor, "floor": floor["import"] + (floor["one"] - floor["import"]) / cores, "cores": cores}


def edit_floor(project: Path, slug: str, runs: int) -> dict:
    """The floor under ``build.py pdf`` after an edit: a fresh process that imports WeasyPrint and
    chapbook's layout code and lays out and writes only the edited text's part, with no reading, no
    joining, no other part. Python's start-up is not in it."""
    floor = _floor_runs(runs, project, slug)
    return {**floor, "floor": floor["one"]}


def _floor_runs(runs: int, project: Path = ROOT, slug: str | None = None) -> dict:
    """:func:`floor_child` run ``runs`` times, each in a fresh process; the medians of its import and
    of import + documents (``one``), its pages and documents."""
    measured = []
    for _ in range(runs):
        proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--floor-child", str(project),
                               slug or ""], check=True, capture_output=True, text=True)
        measured.append(json.loads(proc.stdout.splitlines()[-1]))
    return {"one": statistics.median(m["import"] + sum(m["documents"]) for m in measured),
            "import": statistics.median(m["import"] for m in measured),
            "pages": measured[0]["pages"], "documents": len(measured[0]["documents"])}


def floor_child(project: Path, slug: str) -> None:
    """Run in a child process: the layout floor of ``project`` as JSON (see :func:`layout_floor`).

    The documents are the book's parts, each once in the book's head and tail, and the handouts (or,
    ``slug``: that text's part alone). Each is laid out by :func:`chapbook.writers.pdf.layout` as
    a build lays out a part or a handout: chapbook's typography and stylesheet cache, the part's CSS
    without the folios (stamped from one skeleton), the heap frozen. Each is written once, tagged;
    one process, one shared FontConfiguration. ``import``: WeasyPrint and chapbook's layout code,
    the first thing the process does.
    """
    import io

    start = time.perf_counter()
    sys.path.insert(0, str(ROOT))
    import weasyprint  # noqa: F401

    from chapbook.writers.pdf import layout

    imported = time.perf_counter() - start
    from chapbook.diagnostics import Report
    from chapbook.folios import page_number_boxes
    from chapbook.pipeline import Build, Progress, long_lived_set_aside, prepare
    from chapbook.render import render_book_html
    from chapbook.typeset import _linked_styles, part_css, split
    from chapbook.writers.handouts import handouts

    report = Report()
    publication, converted = prepare(project, report, Progress(io.StringIO(), quiet=True))
    splitted = split(render_book_html(publication, converted))  # None: a project's own template
    if splitted is None:
        raise SystemExit(f"the book of {project} is not made of parts")
    head, parts, tail = splitted
    if slug:
        parts = [p for p in parts if p.name == f"part-{slug}"]
        if not parts:
            raise SystemExit(f"no part 'part-{slug}' in the book of {project}")
    build = Build(publication, converted, Path(tempfile.mkdtemp(prefix="floor-")), report)
    boxes = page_number_boxes(head, _linked_styles(build))  # folios stamped later, as the build does
    docs = [(head + "\n" + p.html + "\n" + tail, part_css(1, False, boxes)) for p in parts]
    if not slug:
        docs += [(h.html, "") for h in handouts(build, ranges={})]
    seconds, pages = [], 0
    with long_lived_set_aside():  # as the build's writers run
        for html, css in docs:
            start = time.perf_counter()
            document = layout(build, html, css)
            document.write_pdf(pdf_tags=True)
            seconds.append(time.perf_counter() - start)
            pages += len(document.pages)
    shutil.rmtree(build.output, ignore_errors=True)
    print(json.dumps({"import": imported, "documents": seconds, "pages": pages}))


def edit_to_pdf(tmp: Path, runs: int, citeproc: bool, scale: int = 10) -> dict:
    project = scaled_project(scale, tmp)
    md, typ, pdf = tmp / f"x{scale}.md", tmp / f"x{scale}.typ", tmp / f"x{scale}.pdf"
    md.write_text(plain_markdown(project), encoding="utf-8")
    to_typ = timed(lambda: pandoc(md, typ, "typst", citeproc, project / "bibliography.bib"))
    out = tmp / f"chapbook-x{scale}"
    first = build(project, out, ["pdf"])
    print(f"  {scale}× first build.py pdf: {first:.2f} s; pandoc→typst {to_typ:.2f} s", flush=True)
    chapbook, compile_ = [], []
    for run in range(runs):
        edit_one_paragraph(project, run + 1)
        chapbook.append(build(project, out, ["pdf"]))
        compile_.append(typst_compile(typ, pdf))
        print(f"  {scale}× run {run + 1}: chapbook edit → pdf {chapbook[-1]:.2f} s; "
              f"typst compile {compile_[-1]:.2f} s", flush=True)
    floor = edit_floor(project, edited_slug(project), runs)
    return {"chapbook": statistics.median(chapbook), "other": statistics.median(compile_), "first": first,
            "to_typ": to_typ, "chapbook_pages": pages(next(out.glob("*.pdf"))), "other_pages": pages(pdf),
            "floor": floor}


def edit_to_pdf_in_watch(tmp: Path, runs: int, scale: int = 10) -> dict:
    """The same edit, rebuilt in one long-lived process as ``build.py watch`` does (parts cached in memory)."""
    project = scaled_project(scale, tmp / "watch")
    out = tmp / f"chapbook-watch-x{scale}"
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--watch-child", str(project), str(out),
                           str(runs)], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"in-process rebuilds failed:\n{proc.stdout}{proc.stderr}")
    times = json.loads(proc.stdout.strip().splitlines()[-1])
    for run, seconds in enumerate(times["edits"], start=1):
        print(f"  {scale}× watch run {run}: chapbook edit → pdf {seconds:.2f} s", flush=True)
    return {"first": times["first"], "chapbook": statistics.median(times["edits"])}


def watch_child(project: Path, out: Path, runs: int) -> None:
    """Run in a child process: one build, then ``runs`` edits each rebuilt by ``pipeline.run`` in-process."""
    import io

    sys.path.insert(0, str(ROOT))
    from chapbook.bookpdf import free_retired
    from chapbook.pipeline import run

    def rebuild() -> float:
        start = time.perf_counter()
        status, _ = run(project, out, ["pdf"], stream=io.StringIO(), quiet=True)
        if status != 0:
            raise SystemExit(f"build failed for {project}")
        seconds = time.perf_counter() - start
        free_retired()  # as watch does once a rebuild is reported
        return seconds

    first = rebuild()
    edits = []
    for n in range(runs):
        edit_one_paragraph(project, n + 1)
        edits.append(rebuild())
    print(json.dumps({"first": first, "edits": edits}))


# ---- Report ----------------------------------------------------------------------------------------


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor() or platform.machine())
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip() or str(os.cpu_count())
    return f"{model}, nproc {nproc}, Python {platform.python_version()}"


def versions() -> str:
    import importlib.metadata as md

    import weasyprint

    pandoc_version = subprocess.run([pandoc_path(), "--version"], capture_output=True,
                                    text=True).stdout.splitlines()[0]
    return (f"WeasyPrint {weasyprint.__version__}; {pandoc_version} (pypandoc_binary "
            f"{md.version('pypandoc_binary')}); typst (PyPI) {md.version('typst')}")


def table(rows: list[tuple[str, dict]], runs: int) -> list[str]:
    lines = [f"| case (median of {runs}) | chapbook s | pages | pandoc + Typst s | pages | chapbook ÷ pandoc + Typst |",
             "|---|---|---|---|---|---|"]
    for name, r in rows:
        lines.append(f"| {name} | {r['chapbook']:.2f} | {r['chapbook_pages']} | {r['other']:.2f} | "
                     f"{r['other_pages']} | {r['chapbook'] / r['other']:.1f}× |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip the 10× edit → PDF case")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median); default 3")
    parser.add_argument("--no-citeproc", dest="citeproc", action="store_false",
                        help="drop citations instead of resolving them with pandoc --citeproc")
    parser.add_argument("--no-write", dest="write", action="store_false", help="do not append to bench/results.md")
    parser.add_argument("--watch-child", nargs=3, metavar=("PROJECT", "OUTPUT", "RUNS"), help=argparse.SUPPRESS)
    parser.add_argument("--floor-child", nargs=2, metavar=("PROJECT", "SLUG"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.watch_child:
        watch_child(Path(args.watch_child[0]), Path(args.watch_child[1]), int(args.watch_child[2]))
        return
    if args.floor_child:
        floor_child(Path(args.floor_child[0]), args.floor_child[1])
        return
    compiled()
    started = time.perf_counter()
    rows = []
    with tempfile.TemporaryDirectory(prefix="vs-typst-") as tmp:
        print("full build at 1× …", flush=True)
        one = full_build(Path(tmp), args.runs, args.citeproc)
        rows.append((f"full build 1× (chapbook: pdf epub booklet print handouts, {os.cpu_count()} workers; "
                     "pandoc → Typst PDF + pandoc EPUB)", one))
        rows.append(("full build 1×, chapbook in one process (`CHAPBOOK_JOBS=1`)", {**one, "chapbook": one["single"]}))
        print("the layout floor …", flush=True)
        alone = layout_floor(args.runs)
        rows.append((f"floor: each of the book's parts and handouts laid out and written once ({alone['documents']} "
                     f"documents), import + CPU ÷ {alone['cores']} cores", {**one, "chapbook": alone["floor"],
                                                                          "chapbook_pages": alone["pages"]}))
        if not args.quick:
            print("edit → PDF at 10× …", flush=True)
            ten = edit_to_pdf(Path(tmp), args.runs, args.citeproc)
            rows.append(("edit → PDF 10× (chapbook: `build.py pdf` after one changed paragraph; "
                         "one full `typst compile`)", ten))
            print("edit → PDF at 10×, rebuilt in one process as `watch` does …", flush=True)
            live = edit_to_pdf_in_watch(Path(tmp), args.runs)
            rows.append(("edit → PDF 10× in `watch` (chapbook: in-process rebuild, parts cached; "
                         "one full `typst compile`)", {**ten, "chapbook": live["chapbook"]}))
            rows.append(("floor: a new process, import + the edited text's part laid out and written",
                         {**ten, "chapbook": ten["floor"]["floor"], "chapbook_pages": ten["floor"]["pages"]}))
    lines = table(rows, args.runs)
    notes = [f"1×: pandoc → Typst {one['to_typ']:.2f} s, typst compile {one['typst']:.2f} s, "
             f"pandoc → EPUB {one['to_epub']:.2f} s (medians).",
             f"Floor: laying out and writing each of the book's parts and handouts once ({alone['pages']} pages, "
             f"the floor row's) takes {alone['one']:.2f} s in one process, {alone['import']:.2f} s of it the "
             f"import. 3× pandoc + Typst is {3 * one['other']:.2f} s; the floor alone is {alone['floor']:.2f} s "
             f"({alone['floor'] / one['other']:.1f}×), before Python's start-up, reading and rendering the texts, "
             "the second layout of the parts showing page numbers, the join, the EPUB, booklet, print-shop PDF "
             "and cover."]
    if not args.quick:
        notes.append(f"10×: chapbook's first `build.py pdf` {ten['first']:.2f} s; pandoc → Typst "
                     f"{ten['to_typ']:.2f} s (not in the figure above). Floor: a new process that imports "
                     f"WeasyPrint and chapbook's layout code ({ten['floor']['import']:.2f} s) and lays out and writes "
                     f"the edited text takes {ten['floor']['floor']:.2f} s, without reading the texts or joining the "
                     "book.")
    print()
    print("\n".join([*lines, "", *notes]))
    print(f"\n{machine()}; {versions()}; {time.perf_counter() - started:.0f} s in all")
    if args.write:
        today = datetime.date.today().isoformat()
        command = "python bench/vs_typst.py" + (" --quick" if args.quick else "") + \
            (f" --runs {args.runs}" if args.runs != 3 else "") + ("" if args.citeproc else " --no-citeproc")
        section = [f"## chapbook vs pandoc + Typst ({today})", "",
                   f"`{command}` on {machine()}; {versions()}.", "", *lines, "", *notes]
        results = ROOT / "bench" / "results.md"
        old = results.read_text(encoding="utf-8").rstrip("\n") + "\n\n" if results.exists() else ""
        results.write_text(old + "\n".join(section) + "\n", encoding="utf-8")
        print(f"appended to {results}")


if __name__ == "__main__":
    main()
