"""``build.py check``: every problem the build would report, with codes, without typesetting."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from conftest import BODY_LINE, MINIMAL, PROJECTS, REPO, TEXT_HEAD, build_command, build_env, load

from chapbook.check import check
from chapbook.cli import split_command


def run_check(*args: str, cwd=REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(build_command("check", *args), cwd=cwd, env=build_env(), capture_output=True,
                          text=True, timeout=60)


def checked(convert_body, body: str, glossary: str | None = None) -> list[str]:
    loaded = convert_body(body, glossary)
    check(loaded.publication, list(loaded.converted.values()), loaded.report)
    return loaded.report.lines(root=loaded.root, with_code=True)


def test_clean_project_passes_and_does_not_import_weasyprint():
    code = ("import sys\nfrom chapbook.cli import main\nstatus = main(['check', '--project', "
            f"{str(MINIMAL)!r}])\nassert 'weasyprint' not in sys.modules, 'weasyprint imported'\n"
            "assert 'pypdf' not in sys.modules\nsys.exit(status)")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=build_env(), capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr.strip() == "check passed: 0 errors, 0 warnings"


def test_the_iom_reader_is_clean():
    result = run_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_text_lines_have_codes_and_exit_status():
    result = run_check("--project", "tests/projects/unknown-citation")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "tests/projects/unknown-citation/bibliography.bib:1: warning: bibliography entry 'pecoud2018' is never "
        "cited [unused-reference]",
        "tests/projects/unknown-citation/content/texts/01-one.md:6:21: error: unknown citation key 'pecod2018' "
        "(did you mean 'pecoud2018'?) [unknown-citation]"]
    assert result.stderr.strip() == "check failed: 1 error, 1 warning"


def test_warnings_pass_unless_strict():
    assert run_check("--project", "tests/projects/warnings").returncode == 0
    strict = run_check("--project", "tests/projects/warnings", "--strict")
    assert strict.returncode == 1
    lines = strict.stdout.splitlines()
    assert len(lines) == 2
    assert all(": error: " in line and line.endswith(("[--strict] [unused-reference]", "[--strict] [unused-term]"))
               for line in lines), lines


def test_json_format():
    result = run_check("--project", "tests/projects/missing-text", "--format", "json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["errors"] == 1 and data["warnings"] == 1 and data["ok"] is False
    first = data["diagnostics"][0]
    assert first == {"path": "tests/projects/missing-text/content/publication.yml", "line": 5, "col": 1,
                     "severity": "error", "code": "missing-text",
                     "message": "text 'too' is listed but there is no content/texts/*too.md (did you mean 'two'?)"}
    assert data["diagnostics"][1]["code"] == "unlisted-text"


def test_every_failing_project_fails_check_too():
    for name in ("bad-yaml", "bad-link", "raw-html", "outside-image", "duplicate-slug", "refused-resource"):
        result = run_check("--project", f"tests/projects/{name}")
        assert result.returncode == 1, name
        assert "Traceback" not in result.stderr
        assert all(line.endswith("]") for line in result.stdout.splitlines())


def test_usage_errors():
    assert run_check("--project", "tests/projects/nope").returncode == 2
    assert run_check("--format", "xml").returncode == 2


def test_command_is_found_after_options():
    assert split_command(["--project", "x", "check", "--format", "json"]) == (
        "check", ["--project", "x", "--format", "json"])
    assert split_command(["pdf", "check"]) == (None, ["pdf", "check"])
    assert split_command(["--output", "new", "pdf"]) == (None, ["--output", "new", "pdf"])


def test_help_documents_targets_and_commands():
    result = subprocess.run(build_command("--help"), capture_output=True, text=True, env=build_env(), timeout=30)
    assert result.returncode == 0
    for word in ("pdf", "epub", "booklet", "print", "check", "watch", "new DIR", "import FILE",
                 "--allow-remote", "Exit status"):
        assert word in result.stdout, word


# -- the extra checks ---------------------------------------------------------------------------


def test_broken_internal_link(convert_body):
    lines = checked(convert_body, "A [link](#nowhere) and [a good one](#glossary) and [another](#kept).\n"
                                  "{: #kept}\n")
    assert lines == [f"content/texts/01-first-text.md:{BODY_LINE}:10: error: link to '#nowhere', which is no "
                     "anchor in the book [broken-anchor]"]


def test_image_without_alt_text(convert_body, project):
    from PIL import Image  # a real image: a bare PNG signature is now a broken-image error (issue 10)

    Image.new("1", (1, 1)).save(project / "content" / "pic.png")
    lines = checked(convert_body, "![](../pic.png)\n\n![A picture](../pic.png)\n")
    assert lines == [f"content/texts/01-first-text.md:{BODY_LINE}:1: warning: image '../pic.png' has no alt text: "
                     "describe it for readers who cannot see it (![a photo of …](file.png)) [image-alt]"]


def test_missing_image_file(convert_body):
    lines = checked(convert_body, "![A picture](../nothing.png)\n")
    assert lines == [f"content/texts/01-first-text.md:{BODY_LINE}:14: error: image '../nothing.png' not found "
                     "[missing-image]"]


def test_corrections_that_do_not_parse(convert_body):
    lines = checked(convert_body, "An {~~unclosed one.\n\nA {~~good~>fine~~} one, a {~~no arrow~~} and {--x--}.\n")
    assert lines == [
        f"content/texts/01-first-text.md:{BODY_LINE}:4: error: correction '{{~~' is not closed "
        "(expected '~> … ~~}' in the same paragraph) [critic-syntax]",
        f"content/texts/01-first-text.md:{BODY_LINE + 2}:27: error: correction '{{~~' is not closed "
        "(expected '~> … ~~}' in the same paragraph) [critic-syntax]",
        f"content/texts/01-first-text.md:{BODY_LINE + 2}:38: error: '~~}}' closes no correction "
        "(a '{' marker is missing or malformed) [critic-syntax]"]


def test_many_unclosed_corrections_are_each_reported_once(convert_body):
    """Converting read an unclosed ``{~~`` against the rest of the text (``.*?``): 30,000 of them
    (90 KB) took 19 s (a review); the text is now read once (this test took minutes before). Each is
    reported, and a good correction after them still converts."""
    n = 20_000
    loaded = convert_body("{~~ " * n + "\n\nA {~~teh~>the~~} cat.\n")
    lines = checked(convert_body, "{~~ " * n + "\n\nA {~~teh~>the~~} cat.\n")
    assert all("is not closed" in line for line in lines[:20])
    assert lines[20].endswith(f"error: {n - 20} more errors of this kind not shown [critic-syntax]"), lines[20]
    corrections = loaded.converted["first-text"].corrections
    assert [(c.original, c.corrected) for c in corrections] == [("teh", "the")]


def test_unbalanced_footnotes(convert_body):
    lines = checked(convert_body, "A call[^1] without a note.\n\n[^2]: A note nobody calls.\n")
    assert lines == [
        f"content/texts/01-first-text.md:{BODY_LINE}:7: error: footnote '[^1]' has no note ('[^1]: …' is "
        "missing) [footnote]",
        f"content/texts/01-first-text.md:{BODY_LINE + 2}:1: warning: footnote '[^2]' is never called in the text "
        "and is left out [footnote]"]


def test_unused_entries_duplicates_and_order_in_one_run(tmp_path):
    root = tmp_path / "p"
    shutil.copytree(MINIMAL, root)
    (root / "content" / "texts" / "03-third.md").write_text(TEXT_HEAD + "Unlisted.\n")
    (root / "content" / "texts" / "04-third.md").write_text(TEXT_HEAD + "Duplicate.\n")
    result = run_check("--project", str(root), "--format", "json")
    codes = [d["code"] for d in json.loads(result.stdout)["diagnostics"]]
    assert codes == ["unlisted-text", "duplicate-slug"]
    assert result.returncode == 1


def test_loaded_minimal_has_no_check_findings():
    loaded = load(MINIMAL)
    check(loaded.publication, list(loaded.converted.values()), loaded.report)
    assert loaded.lines() == []


def test_hostile_projects_are_all_reported():
    result = run_check("--project", str(PROJECTS / "hostile-content"), "--format", "json")
    data = json.loads(result.stdout)
    assert result.returncode == 1
    assert {d["code"] for d in data["diagnostics"]} == {"unsafe-image", "unsafe-link", "raw-html",
                                                       "unsafe-attribute"}


def test_a_flood_of_one_kind_of_problem_is_counted_not_printed(tmp_path):
    """6,000 stray tags printed 6,000 lines; a file shows 20 problems of a kind and counts the rest
    (``--format json`` keeps every one, for tools)."""
    from conftest import run_build

    root = tmp_path / "project"
    shutil.copytree(MINIMAL, root)
    text = root / "content" / "texts" / "01-first-text.md"
    text.write_text(text.read_text(encoding="utf-8") + "\n" + "<b>x</b> " * 40 + "\n", encoding="utf-8")
    result = run_build("check", "--project", root)
    lines = [line for line in result.stdout.splitlines() if "[raw-html]" in line or "raw HTML" in line]
    assert result.returncode == 1
    assert len(lines) == 21 and lines[-1].endswith("error: 60 more errors of this kind not shown [raw-html]"), lines
    shown = json.loads(run_build("check", "--project", root, "--format", "json").stdout)
    assert sum(1 for d in shown["diagnostics"] if d["code"] == "raw-html") == 80


def test_an_unreadable_text_adds_no_never_cited_warnings(tmp_path):
    """A Latin-1 text is refused at its first bad byte; the entries only it cites were also reported
    as "never cited", noise around the one error that matters (a new user's trial)."""
    root = tmp_path / "project"
    shutil.copytree(MINIMAL, root)
    config = root / "content" / "publication.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("texts: [first-text, second-text]",
                                                                 "texts: [first-text, second-text, third]"),
                      encoding="utf-8")
    (root / "bibliography.bib").write_text((root / "bibliography.bib").read_text(encoding="utf-8")
                                           + "\n@book{solo2020, author={Solo, Ann}, title={Alone}, year={2020}}\n",
                                           encoding="utf-8")
    (root / "content" / "texts" / "03-third.md").write_bytes(
        b"---\ntitle: Third\nauthor: Ann Solo\ndate: 2020\n---\n\nCaf\xe9 [@solo2020].\n")
    result = run_check("--project", str(root))
    said = result.stdout + result.stderr
    assert result.returncode == 1 and "03-third.md:7:4: error: not UTF-8 text" in said, said
    assert "never cited" not in said, said
