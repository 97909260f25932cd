"""The command line, as users run it: ``python build.py [TARGET] --project DIR --output DIR``.

Every build runs in a subprocess. The failing projects stop before typesetting, so they are
cheap; they are started all at once by one module fixture and then inspected by the tests.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import MINIMAL, MINIMAL_PDF_NAME, PROJECTS, REPO, build_command, build_env

from chapbook.writers import WRITERS

STAGE_LINE = re.compile(r"^(read|convert|check|write \w+) +\d+\.\d\d s")
FAILED = "build failed, nothing written"


def p(project: str, rest: str) -> str:
    return f"tests/projects/{project}/{rest}"


# project → the exact diagnostic lines (cwd is the repository, so paths are relative to it)
EXPECTED: dict[str, list[str]] = {
    "bad-yaml": [
        p("bad-yaml", "content/texts/01-one.md:2:11: error: invalid YAML: mapping values are not allowed "
                      "here (a value containing ': ' must be quoted)")],
    "unclosed-front-matter": [
        p("unclosed-front-matter", "content/texts/01-one.md:1:1: error: front matter is not closed "
                                   "(did you forget the closing '---'?)")],
    "unknown-citation": [
        p("unknown-citation", "bibliography.bib:1: warning: bibliography entry 'pecoud2018' is never cited"),
        p("unknown-citation", "content/texts/01-one.md:6:21: error: unknown citation key 'pecod2018' "
                              "(did you mean 'pecoud2018'?)")],
    "unknown-term": [
        p("unknown-term", "content/texts/01-one.md:6:45: error: unknown glossary term 'boarder agency' "
                          "(did you mean 'border agency'?)")],
    "missing-field": [
        p("missing-field", "content/texts/01-one.md:1:1: error: missing required field 'author' "
                           "(write author: unknown if it is not known)"),
        p("missing-field", "content/texts/01-one.md:3:1: error: unknown front-matter field 'auther' "
                           "(did you mean 'author'?)")],
    "duplicate-slug": [
        p("duplicate-slug", "content/texts/02-one.md:1:1: error: duplicate slug 'one' (also 01-one.md)")],
    "missing-text": [
        p("missing-text", "content/publication.yml:5:1: error: text 'too' is listed but there is no "
                          "content/texts/*too.md (did you mean 'two'?)"),
        p("missing-text", "content/texts/02-two.md:1:1: warning: text 'two' is not listed in publication.yml "
                          "'texts' and is left out of the book")],
    "unknown-setting": [
        p("unknown-setting", "content/publication.yml:4:1: error: unknown setting 'papr' (did you mean 'paper'?)")],
    "bad-paper": [
        p("bad-paper", "content/publication.yml:4:1: error: unknown paper size 'B7' (use A5, A4, Letter, "
                       "half-letter or 'WIDTH HEIGHT' such as '140mm 216mm', each side from 25mm to 1500mm)")],
    "raw-html": [
        p("raw-html", "content/texts/01-one.md:8:18: error: raw HTML is not allowed in content (<script>); "
                      "use Markdown, or write &lt; for a literal '<'"),
        p("raw-html", "content/texts/01-one.md:8:34: error: raw HTML is not allowed in content (</script>); "
                      "use Markdown, or write &lt; for a literal '<'")],
    "outside-image": [
        p("outside-image", "content/texts/01-one.md:8:11: error: image '../../../outside.png' must be a file "
                           "inside the project (web addresses, absolute paths and '..' outside it are refused)")],
    "bad-link": [
        p("bad-link", "content/texts/01-one.md:6:16: error: link target 'file:///etc/passwd' must be a web "
                      "address (https://…), mailto: or #anchor"),
        p("bad-link", "content/texts/01-one.md:6:51: error: link target 'javascript:alert(1)' must be a web "
                      "address (https://…), mailto: or #anchor")],
}


def summary(lines: list[str], strict: bool = False) -> str:
    errors = sum(": error: " in line for line in lines)
    warnings = sum(": warning: " in line for line in lines)
    if strict:
        errors, warnings = errors + warnings, 0
    plural = lambda n, w: f"{n} {w}" if n == 1 else f"{n} {w}s"
    return f"{FAILED}: {plural(errors, 'error')}, {plural(warnings, 'warning')}"


@dataclass
class Run:
    args: tuple[str, ...]
    output: Path
    cwd: Path = REPO
    returncode: int = -1
    stdout: str = ""
    stderr: str = ""

    @property
    def lines(self) -> list[str]:
        return self.stderr.splitlines()


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory, minimal_pdf: Path) -> dict[str, Run]:
    """Start every build of this module at once (they are independent), then wait for all."""
    base = tmp_path_factory.mktemp("cli")
    planned: dict[str, Run] = {}
    for name in EXPECTED:
        out = base / name
        quiet = ("-q",) if name != "raw-html" else ()  # one run shows the stage timings too
        planned[name] = Run(("pdf", "--project", f"tests/projects/{name}", "--output", str(out), *quiet), out)
    out = base / "warnings"
    planned["warnings"] = Run(("pdf", "--project", "tests/projects/warnings", "--output", str(out)), out)
    out = base / "warnings-strict"
    planned["warnings-strict"] = Run(("pdf", "--project", "tests/projects/warnings", "--output", str(out),
                                      "--strict", "-q"), out)
    out = base / "refused"
    out.mkdir()
    (out / "a-reader-with-a-bad-style.pdf").write_bytes(b"%PDF- the previous good build")
    planned["refused-resource"] = Run(("pdf", "--project", "tests/projects/refused-resource",
                                       "--output", str(out), "-q"), out)
    planned["unknown-target"] = Run(("epub3000", "--project", "tests/projects/minimal",
                                     "--output", str(base / "unknown-target")), base / "unknown-target")
    planned["missing-dir"] = Run(("pdf", "--project", "tests/projects/does-not-exist",
                                  "--output", str(base / "missing-dir")), base / "missing-dir")
    copy = base / "elsewhere" / "raw-html"
    shutil.copytree(PROJECTS / "raw-html", copy)
    planned["absolute"] = Run(("pdf", "--project", str(copy), "--output", str(base / "absolute"), "-q"),
                              base / "absolute")
    copy = base / "inside" / "unknown-setting"
    shutil.copytree(PROJECTS / "unknown-setting", copy)
    planned["cwd"] = Run(("pdf", "--output", str(base / "cwd"), "-q"), base / "cwd", cwd=copy)
    planned["bad-option"] = Run(("--no-such-option",), base / "bad-option")
    # a good build's output, then a broken copy of the same project built to the same folder
    project = base / "broken" / "project"
    shutil.copytree(MINIMAL, project)
    text = project / "content" / "texts" / "02-second-text.md"
    text.write_text(text.read_text() + "\nA <b>broken</b> line.\n")
    out = base / "broken" / "output"
    out.mkdir()
    shutil.copy2(minimal_pdf, out / MINIMAL_PDF_NAME)
    planned["broken"] = Run(("pdf", "--project", str(project), "--output", str(out), "-q"), out)
    processes = {name: subprocess.Popen(build_command(*run.args), cwd=run.cwd, env=build_env(), text=True,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for name, run in planned.items()}
    for name, process in processes.items():
        run = planned[name]
        run.stdout, run.stderr = process.communicate(timeout=300)
        run.returncode = process.returncode
    return planned


def position(line: str) -> tuple[str, int, int]:
    """The sort key of a diagnostic line: path, line, column."""
    m = re.match(r"([^:]+):(\d+)(?::(\d+))?: ", line)
    assert m, line
    return m.group(1), int(m.group(2)), int(m.group(3) or 0)


# -- success ---------------------------------------------------------------------------------


def test_minimal_builds(minimal_build):
    result, output = minimal_build
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[-1] == "built: 0 errors, 0 warnings"
    stages = [STAGE_LINE.match(line).group(1) for line in lines[:-1]]
    assert stages == ["read", "convert", "check", "write pdf"]
    assert "Traceback" not in result.stderr
    assert [f.name for f in output.iterdir() if f.name != ".cache"] == [MINIMAL_PDF_NAME]
    assert not [f for f in output.rglob("*") if f.suffix in (".part", ".tmp")]  # nothing half-written left
    assert (output / MINIMAL_PDF_NAME).read_bytes().startswith(b"%PDF-")


# -- content errors: exit 1, exact lines, sorted, summary last ---------------------------------


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_failing_project(runs: dict[str, Run], name: str):
    run = runs[name]
    expected = EXPECTED[name]
    assert run.returncode == 1, run.stderr
    assert run.stdout == ""
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    lines = [line for line in run.lines if not STAGE_LINE.match(line)]
    assert lines == [*expected, summary(expected)]
    assert lines[:-1] == sorted(lines[:-1], key=position)
    assert not run.output.exists() or list(run.output.iterdir()) == []  # nothing written


def test_every_failing_project_exists():
    on_disk = {d.name for d in PROJECTS.iterdir() if d.is_dir() and not d.name.startswith(("hostile-", "attack-"))}
    assert set(EXPECTED) <= on_disk
    # bomb-image and broken-image are tested in test_bounded.py (the bomb PNG is made by the test)
    # typography: a reader built by test_typography.py, which reads its PDF; rtl: Arabic and Persian texts
    # (test_fontmerge.py, test_direction.py)
    assert on_disk - set(EXPECTED) == {"minimal", "warnings", "refused-resource", "bomb-image", "broken-image",
                                       "typography", "rtl"}


def test_timings_are_printed_before_the_diagnostics(runs: dict[str, Run]):
    run = runs["raw-html"]
    assert run.returncode == 1
    assert [STAGE_LINE.match(x).group(1) for x in run.lines[:3]] == ["read", "convert", "check"]
    assert run.lines[3:] == [*EXPECTED["raw-html"], summary(EXPECTED["raw-html"])]


def test_absolute_paths_outside_the_current_directory(runs: dict[str, Run]):
    run = runs["absolute"]
    project = Path(run.args[2])
    assert run.returncode == 1
    assert run.lines[0] == (
        f"{project}/content/texts/01-one.md:8:18: error: raw HTML is not allowed in content (<script>); "
        "use Markdown, or write &lt; for a literal '<'")


def test_cwd_inside_the_project(runs: dict[str, Run]):
    run = runs["cwd"]
    assert run.returncode == 1
    assert run.lines == [
        "content/publication.yml:4:1: error: unknown setting 'papr' (did you mean 'paper'?)",
        f"{FAILED}: 1 error, 0 warnings"]


# -- warnings and --strict ---------------------------------------------------------------------

WARNINGS = [
    p("warnings", "bibliography.bib:1: warning: bibliography entry 'pecoud2018' is never cited"),
    p("warnings", "content/glossary.yml:1:3: warning: glossary term 'border agency' does not occur in any text"),
]


def test_warnings_do_not_fail_the_build(runs: dict[str, Run]):
    run = runs["warnings"]
    assert run.returncode == 0, run.stderr
    lines = [x for x in run.lines if not STAGE_LINE.match(x)]
    assert lines == [*WARNINGS, "built: 0 errors, 2 warnings"]
    assert [f.name for f in run.output.iterdir() if f.name != ".cache"] == ["a-reader-with-warnings.pdf"]


def test_strict_turns_warnings_into_errors(runs: dict[str, Run]):
    run = runs["warnings-strict"]
    assert run.returncode == 1
    assert run.lines == [w.replace(": warning: ", ": error: ") + " [--strict]" for w in WARNINGS] + [
        f"{FAILED}: 2 errors, 0 warnings"]
    assert not run.output.exists() or list(run.output.iterdir()) == []


# -- usage errors: exit 2 ----------------------------------------------------------------------


def test_unknown_target(runs: dict[str, Run]):
    run = runs["unknown-target"]
    assert run.returncode == 2
    assert run.stderr.strip() == f"build.py: error: unknown target 'epub3000' (choose from {', '.join(WRITERS)})"
    assert "pdf" in WRITERS
    assert not run.output.exists()


def test_missing_project_folder(runs: dict[str, Run]):
    run = runs["missing-dir"]
    assert run.returncode == 2
    assert run.stderr.strip() == "build.py: error: project folder tests/projects/does-not-exist does not exist"
    assert not run.output.exists()


def test_bad_option_is_usage_error(runs: dict[str, Run]):
    run = runs["bad-option"]
    assert run.returncode == 2
    assert "Traceback" not in run.stderr and "usage: build.py" in run.stderr


# -- a failed build never touches the previous output ------------------------------------------


def test_failed_build_keeps_the_previous_pdf(runs: dict[str, Run], minimal_pdf: Path):
    run = runs["broken"]
    assert run.returncode == 1
    assert run.lines[-1] == f"{FAILED}: 2 errors, 0 warnings"
    assert "raw HTML is not allowed" in run.lines[0]
    assert (run.output / MINIMAL_PDF_NAME).read_bytes() == minimal_pdf.read_bytes()
    assert [f.name for f in run.output.iterdir()] == [MINIMAL_PDF_NAME]  # no .part left behind


def test_resource_refused_at_render_keeps_the_previous_pdf(runs: dict[str, Run]):
    run = runs["refused-resource"]
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert (run.output / "a-reader-with-a-bad-style.pdf").read_bytes() == b"%PDF- the previous good build"
    assert [f.name for f in run.output.iterdir()] == ["a-reader-with-a-bad-style.pdf"]


def test_resource_refused_at_render_is_a_diagnostic(runs: dict[str, Run]):
    run = runs["refused-resource"]
    assert "internal error" not in run.stderr
    assert "refused" in run.stderr and "/etc/passwd" in run.stderr
    # found by the check stage, each with its place in the stylesheet (issue 7)
    assert run.lines[-3].startswith("tests/projects/refused-resource/styles/print.css:1:9: error: ")
    assert run.lines[-2].startswith("tests/projects/refused-resource/styles/print.css:2:20: error: ")
    assert run.lines[-1] == f"{FAILED}: 2 errors, 0 warnings"


def _buffered_env() -> dict[str, str]:
    """build_env() without PYTHONUNBUFFERED (this machine sets it): output stays in Python's buffers
    until flushed, as on most machines, so a missing flush would show."""
    env = build_env()
    env.pop("PYTHONUNBUFFERED", None)
    return env


def test_leave_flushes_what_was_printed_and_keeps_the_status_but_skips_the_teardown():
    """build.py ends through cli.leave: the heap is not freed object by object (0.2 s after a rebuild at
    10×), yet what was printed reaches the pipe and the exit status is the build's."""
    script = ("import atexit, sys; sys.path.insert(0, sys.argv[1]); from chapbook.cli import leave; "
              "atexit.register(lambda: print('torn down')); print('built', end=''); "
              "print('summary', end='', file=sys.stderr); leave(3)")
    proc = subprocess.run([sys.executable, "-c", script, str(REPO)], capture_output=True, text=True,
                          env=_buffered_env())
    assert (proc.returncode, proc.stdout, proc.stderr) == (3, "built", "summary")  # no 'torn down'


def test_build_py_exits_with_the_builds_status_and_its_whole_report():
    ok = subprocess.run(build_command("check", "--project", MINIMAL), capture_output=True, text=True,
                        env=_buffered_env())
    bad = subprocess.run(build_command("check", "--project", PROJECTS / "bad-yaml"), capture_output=True,
                         text=True, env=_buffered_env())
    assert ok.returncode == 0 and ok.stderr == "check passed: 0 errors, 0 warnings\n"
    assert bad.returncode == 1 and bad.stderr == "check failed: 1 error, 0 warnings\n"
    assert "bad-yaml/content/texts/01-one.md:2:11: error: invalid YAML" in bad.stdout  # the report, whole


def test_build_py_with_a_closed_stdout_or_a_full_disk():
    """No stream (started with it closed): the build's status; a report that cannot be written: 120, as
    Python itself exits, never 0 (a CI job would take a truncated report for a success)."""
    closed = subprocess.run(build_command("check", "--project", MINIMAL), stdout=None, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, env=_buffered_env(), text=True,
                            preexec_fn=lambda: os.close(1))
    assert closed.returncode == 0 and "Traceback" not in closed.stderr
    if os.path.exists("/dev/full"):
        with open("/dev/full", "w") as full:
            proc = subprocess.run(build_command("check", "--format", "json", "--project", MINIMAL), stdout=full,
                                  stderr=subprocess.PIPE, env=_buffered_env(), text=True)
        assert proc.returncode == 120


def test_build_py_leaves_no_weasyprint_font_folder(tmp_path):
    """WeasyPrint removes its temporary font folder in __del__, which os._exit skips: leave removes it."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**build_env(), "TMPDIR": str(temp)}
    proc = subprocess.run(build_command("pdf", "--project", MINIMAL, "--output", tmp_path / "out", "-q"),
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out").is_dir() and not list(temp.glob("weasyprint-*"))


def test_build_py_under_a_profiler_exits_the_usual_way(tmp_path):
    """cProfile (and coverage) write their results at exit: leave lets them."""
    profile = tmp_path / "build.prof"
    proc = subprocess.run([sys.executable, "-m", "cProfile", "-o", str(profile), str(REPO / "build.py"), "check",
                           "--project", str(MINIMAL)], capture_output=True, text=True, env=build_env())
    assert proc.returncode == 0 and profile.stat().st_size > 0


def test_workers_leave_no_weasyprint_font_folder(tmp_path):
    """A rebuild whose changed texts all go to the workers before the build's own process loads a font:
    each worker then made a font folder of its own and ended with os._exit, leaving it (3 MB each)."""
    project = tmp_path / "minimal"
    shutil.copytree(MINIMAL, project)
    env = {**build_env(), "CHAPBOOK_JOBS": "2"}
    first = subprocess.run(build_command("pdf", "--project", project, "-q"), capture_output=True, text=True, env=env)
    assert first.returncode == 0, first.stderr
    for text in (project / "content" / "texts").glob("*.md"):
        text.write_text(text.read_text(encoding="utf-8") + "\n\nA paragraph added since.\n", encoding="utf-8")
    temp = tmp_path / "tmp"
    temp.mkdir()
    again = subprocess.run(build_command("pdf", "--project", project, "-q"), capture_output=True, text=True,
                           env={**env, "TMPDIR": str(temp)})
    assert again.returncode == 0, again.stderr
    assert not list(temp.glob("weasyprint-*"))
