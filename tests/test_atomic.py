"""Atomic outputs, one build at a time, truthful reports (issue 10).

A killed build's ``.part`` files are cleaned up everywhere under the output folder; a second build
into a locked folder is refused; an interrupted or failing build says exactly what it replaced;
what a writer would refuse is refused by the check stage; output that cannot be written is a clear
error; text nested too deeply to typeset is a located error; and diagnostics never send control
characters to the terminal.

Most tests run the real pipeline up to the writers and replace the writers by small fakes
(``chapbook.writers.load``), so they need no typesetting.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import MINIMAL, MINIMAL_PDF_NAME, REPO, build_command, build_env, run_build

from chapbook import cli, outfiles, writers
from chapbook.diagnostics import Diagnostic, Location, Report
from chapbook.outfiles import LOCK_NAME, OutputBusy, atomic_path, output_lock, remove_stale_parts
from chapbook.pipeline import check_only

STEM = MINIMAL_PDF_NAME.removesuffix(".pdf")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    shutil.copytree(MINIMAL, root)
    return root


def add_settings(root: Path, yaml: str) -> None:
    pub = root / "content" / "publication.yml"
    pub.write_text(pub.read_text(encoding="utf-8") + yaml, encoding="utf-8")


def append_body(root: Path, text: str) -> int:
    """Append ``text`` to the first text; the line number it starts on."""
    path = root / "content" / "texts" / "01-first-text.md"
    old = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    path.write_text(old + text, encoding="utf-8")
    return old.count("\n") + 1


class FakeWriter:
    """Writes ``NAME.target`` through atomic_path, or runs ``action`` instead."""

    def __init__(self, target: str, action=None) -> None:
        self.target, self.action = target, action

    def write(self, build) -> list[Path]:
        if self.action is not None:
            return self.action(build)
        path = build.output / f"{build.name}.{self.target}"
        with atomic_path(path) as tmp:
            tmp.write_bytes(f"new {self.target}".encode())
        return [path]


def fake_writers(monkeypatch, **actions) -> None:
    monkeypatch.setattr(writers, "load", lambda target: FakeWriter(target, actions.get(target)))


def main(capfd, *args) -> tuple[int, str]:
    status = cli.main([str(a) for a in args])
    captured = capfd.readouterr()
    return status, captured.err + captured.out


# -- a killed build's temporary files -------------------------------------------------------------


def test_stale_parts_are_removed_in_subfolders_but_nothing_else(tmp_path):
    out = tmp_path / "out"
    (out / "handouts").mkdir(parents=True)
    stale = [out / ".book.pdf.a1b2c3d4.part", out / "handouts" / ".first.pdf.x_9yz8w7.part"]
    keep = [out / "handouts" / ".notes.part", out / "handouts" / "first.pdf", out / "part.part"]
    for path in stale + keep:
        path.write_text("x")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / ".mine.pdf.abcdefgh.part").write_text("not chapbook's")
    (out / "link").symlink_to(elsewhere, target_is_directory=True)
    (out / ".linked.pdf.abcdefgh.part").symlink_to(elsewhere / ".mine.pdf.abcdefgh.part")

    assert sorted(remove_stale_parts(out)) == sorted(stale)
    assert all(p.exists() for p in keep)
    assert (elsewhere / ".mine.pdf.abcdefgh.part").exists()  # never followed out of the folder
    assert (out / ".linked.pdf.abcdefgh.part").is_symlink()


# A handout is written in microseconds; this build lingers after writing one, before moving it into place.
SLOW_HANDOUTS = """
import contextlib, sys, time
import chapbook.writers.handouts as handouts
from chapbook import cli
real = handouts.atomic_path

@contextlib.contextmanager
def slow(target):
    with real(target) as tmp:
        yield tmp
        time.sleep(60)

handouts.atomic_path = slow
sys.exit(cli.main(sys.argv[1:]))
"""


def test_killed_handouts_build_leaves_no_part_files_after_the_next_build(root, tmp_path):
    out = tmp_path / "out"
    command = [build_command()[0], "-c", SLOW_HANDOUTS, "handouts", "--project", str(root), "--output", str(out), "-q"]
    process = subprocess.Popen(command, cwd=REPO, env=build_env(), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 150
    while not list((out / "handouts").glob(".*.part")):
        assert process.poll() is None, "the build ended before a handout write could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert list((out / "handouts").glob(".*.part"))
    result = run_build("handouts", "--project", root, "--output", out, "-q")
    assert result.returncode == 0, result.stderr
    assert not list(out.rglob("*.part")), result.stderr
    assert not (out / LOCK_NAME).exists()


# -- one build at a time --------------------------------------------------------------------------


def test_output_lock_is_exclusive_and_leaves_nothing_behind(tmp_path):
    out = tmp_path / "out"
    with output_lock(out):
        with pytest.raises(OutputBusy), output_lock(out):
            pass
        assert (out / LOCK_NAME).is_file()
    assert not (out / LOCK_NAME).exists()
    with output_lock(out):  # free again
        pass


def test_second_build_into_a_locked_folder_is_refused_and_touches_nothing(root, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / MINIMAL_PDF_NAME).write_bytes(b"the first build's PDF")
    live = out / f".{MINIMAL_PDF_NAME}.k3j4h5g6.part"  # the first build's file being written
    live.write_bytes(b"half")
    fd = os.open(out / LOCK_NAME, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as the first build holds it
        result = run_build("pdf", "--project", root, "--output", out, "-q")
    finally:
        os.close(fd)
    assert result.returncode == 1
    assert f"another build is writing {out}" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert live.read_bytes() == b"half"
    assert (out / MINIMAL_PDF_NAME).read_bytes() == b"the first build's PDF"


def test_the_lock_is_held_while_writing(root, tmp_path, monkeypatch, capfd):
    out = tmp_path / "out"

    def write(build):
        with pytest.raises(OutputBusy), output_lock(out):
            pass
        return []

    fake_writers(monkeypatch, pdf=write)
    status, err = main(capfd, "pdf", "--project", root, "--output", out, "-q")
    assert status == 0, err
    assert not (out / LOCK_NAME).exists()


# -- saying what was replaced ---------------------------------------------------------------------


def test_interrupt_after_the_pdf_was_written_replaces_nothing(root, tmp_path, monkeypatch, capfd):
    """Outputs are committed together: Ctrl-C before the commit leaves the previous set as it was."""
    out = tmp_path / "out"
    out.mkdir()
    (out / f"{STEM}.pdf").write_bytes(b"old pdf")

    def interrupt(build):
        raise KeyboardInterrupt

    fake_writers(monkeypatch, epub=interrupt)
    status, err = main(capfd, "pdf", "epub", "booklet", "--project", root, "--output", out, "-q")
    assert status == 1
    assert "interrupted; nothing was replaced" in err
    assert (out / f"{STEM}.pdf").read_bytes() == b"old pdf"
    assert not list(out.glob(".*"))  # no .part, no lock file


def test_interrupt_during_the_commit_says_exactly_what_was_replaced(root, tmp_path, monkeypatch, capfd):
    out = tmp_path / "out"
    real_replace = outfiles.os.replace
    calls = []

    def replace(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real_replace(src, dst)

    fake_writers(monkeypatch)
    monkeypatch.setattr(outfiles.os, "replace", replace)
    status, err = main(capfd, "pdf", "epub", "--project", root, "--output", out, "-q")
    assert status == 1
    assert f"interrupted; replaced: {out / (STEM + '.pdf')}" in err, err
    assert (out / f"{STEM}.pdf").read_bytes() == b"new pdf"
    assert not (out / f"{STEM}.epub").exists()
    assert not list(out.glob(".*"))


def test_interrupt_before_writing_replaced_nothing(root, tmp_path, monkeypatch, capfd):
    def interrupt(build):
        raise KeyboardInterrupt

    fake_writers(monkeypatch, pdf=interrupt)
    status, err = main(capfd, "pdf", "--project", root, "--output", tmp_path / "out", "-q")
    assert status == 1 and "interrupted; nothing was replaced" in err


def test_a_writer_that_still_fails_replaces_nothing(root, tmp_path, monkeypatch, capfd):
    """A writer-time error: the other outputs, though complete, are not moved into place either."""
    out = tmp_path / "out"
    out.mkdir()
    (out / f"{STEM}.pdf").write_bytes(b"old pdf")

    def refuse(build):
        build.report.error(Location(build.publication.root / "content" / "publication.yml", 3, 1), "no")
        return []

    fake_writers(monkeypatch, booklet=refuse)
    status, err = main(capfd, "pdf", "booklet", "print", "--project", root, "--output", out, "-q")
    assert status == 1
    assert err.strip().splitlines()[-1] == "build failed, nothing written: 1 error, 0 warnings"
    assert (out / f"{STEM}.pdf").read_bytes() == b"old pdf"
    assert sorted(p.name for p in out.iterdir()) == [f"{STEM}.pdf"]


# -- writer checks in the check stage -------------------------------------------------------------


def test_booklet_sheet_too_small_is_refused_by_check_and_before_writing(root, tmp_path):
    add_settings(root, "booklet:\n  sheet: A5\n")
    report = check_only(root)
    assert any("do not fit on a A5 landscape sheet" in d.message for d in report.errors), report.lines()
    out = tmp_path / "out"
    result = run_build("pdf", "booklet", "--project", root, "--output", out, "-q")
    assert result.returncode == 1
    assert "publication.yml:" in result.stderr and "do not fit" in result.stderr
    assert "build failed, nothing written" in result.stderr
    assert not out.exists()


def _icc(space: bytes) -> bytes:
    return b"\0" * 16 + space + b"\0" * 16 + b"acsp" + b"\0" * 88


@pytest.mark.parametrize(("profile", "content", "message"), [
    ("styles/missing.icc", None, "no file styles/missing.icc"),
    ("styles/fake.icc", b"not a profile at all", "is not an ICC profile"),
    ("styles/rgb.icc", _icc(b"RGB "), "is a RGB profile"),
    ("../outside.icc", _icc(b"CMYK"), "outside the project"),
])
def test_bad_output_profile_is_refused_by_check(root, profile, content, message):
    if content is not None:
        path = root / profile
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(content)
    add_settings(root, f"print:\n  pdf_variant: pdf/x-4\n  output_profile: {profile}\n")
    report = check_only(root)
    errors = [d for d in report.errors if d.message.startswith("print.output_profile")]
    assert errors and message in errors[0].message, report.lines()
    assert errors[0].location.line > 1  # at the setting


def test_good_output_profile_passes_check(root):
    (root / "styles").mkdir()
    (root / "styles" / "cmyk.icc").write_bytes(_icc(b"CMYK"))
    add_settings(root, "print:\n  pdf_variant: pdf/x-4\n  output_profile: styles/cmyk.icc\n")
    assert not check_only(root).errors


def test_print_profile_error_stops_the_build_before_the_pdf(root, tmp_path, monkeypatch, capfd):
    fake_writers(monkeypatch)
    add_settings(root, "print:\n  pdf_variant: pdf/x-4\n  output_profile: nothing.icc\n")
    out = tmp_path / "out"
    status, err = main(capfd, "pdf", "print", "--project", root, "--output", out, "-q")
    assert status == 1 and "no file nothing.icc" in err and not out.exists()


# -- outputs that cannot be written ---------------------------------------------------------------


@pytest.mark.parametrize("where", ["file", "file/sub"])
def test_output_that_is_a_file_is_a_usage_error(root, tmp_path, where):
    (tmp_path / "file").write_text("not a folder")
    result = run_build("pdf", "--project", root, "--output", tmp_path / where, "-q")
    assert result.returncode == 2, result.stderr
    assert str(tmp_path / where) in result.stderr and "is a file, not a folder" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert (tmp_path / "file").read_text() == "not a folder"


def test_output_in_a_folder_that_cannot_be_written(root):
    result = run_build("pdf", "--project", root, "--output", "/proc/chapbook-test-output", "-q")
    assert result.returncode == 1, result.stderr
    assert "error: cannot write /proc/chapbook-test-output: " in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


def _enospc(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_full_disk_when_moving_into_place(root, tmp_path, monkeypatch, capfd):
    out = tmp_path / "out"
    out.mkdir()
    (out / f"{STEM}.pdf").write_bytes(b"good old PDF")
    fake_writers(monkeypatch)
    monkeypatch.setattr(os, "replace", _enospc)
    status, err = main(capfd, "pdf", "epub", "--project", root, "--output", out, "-q")
    assert status == 1
    assert f"error: cannot write {out / (STEM + '.pdf')}: No space left on device" in err
    assert "Traceback" not in err and "internal error" not in err
    assert (out / f"{STEM}.pdf").read_bytes() == b"good old PDF"
    assert sorted(p.name for p in out.iterdir()) == [f"{STEM}.pdf"]


def test_full_disk_while_writing_after_another_output(root, tmp_path, monkeypatch, capfd):
    out = tmp_path / "out"

    def write(build):
        with atomic_path(build.output / f"{build.name}.epub") as tmp, tmp.open("wb") as f:
            f.write(b"start")
            _enospc()
        return []

    fake_writers(monkeypatch, epub=write)
    status, err = main(capfd, "pdf", "epub", "handouts", "--project", root, "--output", out, "-q")
    assert status == 1
    assert f"error: cannot write {out / (STEM + '.epub')}: No space left on device" in err
    assert err.strip().splitlines()[-1] == "build failed, nothing written: 1 error, 0 warnings"
    assert list(out.iterdir()) == []  # the finished PDF was staged, never moved into place


# -- nesting ------------------------------------------------------------------------------------


def test_300_nested_blockquotes_are_a_located_error(root, tmp_path):
    line = append_body(root, ">" * 300 + " deep\n")
    result = run_build("check", "--project", root)
    assert result.returncode == 1
    assert f"01-first-text.md:{line}:51: error: blockquotes and lists nested 300 levels deep" in result.stdout
    assert "[too-deep]" in result.stdout
    result = run_build("pdf", "--project", root, "--output", tmp_path / "out", "-q")
    assert result.returncode == 1
    assert f"01-first-text.md:{line}:51: error:" in result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


def test_deeply_nested_lists_are_a_located_error_not_a_crash(root):
    line = append_body(root, "".join("    " * i + "- item\n" for i in range(1000)))
    report = check_only(root)
    assert [(d.location.line, d.location.col, d.kind) for d in report.errors] == [(line + 50, 201, "too-deep")]


def test_nesting_up_to_the_limit_is_fine(root):
    append_body(root, "".join("    " * i + "- item\n" for i in range(50)) + "\n" + ">" * 50 + " deep\n\n"
                "```\n" + ">" * 80 + "\n```\n\n" + " " * 400 + "indented code\n")
    assert not check_only(root).errors


def test_recursion_while_writing_is_an_error_not_a_traceback(root, tmp_path, monkeypatch, capfd):
    def recurse(build):
        raise RecursionError("maximum recursion depth exceeded")

    fake_writers(monkeypatch, pdf=recurse)
    status, err = main(capfd, "pdf", "--project", root, "--output", tmp_path / "out", "-q")
    assert status == 1 and "nested too deeply to typeset" in err
    assert "Traceback" not in err and "internal error" not in err


# -- control characters ---------------------------------------------------------------------------


def test_diagnostics_escape_terminal_control_characters(root):
    add_settings(root, '"col\\e[31mour\\a": red\n')
    pub = root / "content" / "publication.yml"
    pub.write_text(pub.read_text(encoding="utf-8").replace("title: A Minimal Reader",
                                                           'title: "A \\e]0;pwned\\a Reader \\u202e"'))
    for fmt in ("text", "json"):
        result = run_build("check", "--project", root, "--format", fmt)
        shown = result.stdout + result.stderr
        for char in "\x1b\x07\u202e":
            assert char not in shown
        messages = ([d["message"] for d in json.loads(result.stdout)["diagnostics"]] if fmt == "json"
                    else result.stdout.splitlines())
        assert result.returncode == 1 and any("col\\x1b[31mour\\x07" in m for m in messages), shown


def test_diagnostic_format_escapes_every_control_character():
    d = Diagnostic(Location(Path("a\x1b.md"), 2, 3), "error", "x\x1b[2Jy\x9b\u2066z\nw\tv")
    assert d.format() == "a\\x1b.md:2:3: error: x\\x1b[2Jy\\x9b\\u2066z\\x0aw\tv"
    assert d.as_dict()["message"] == "x\\x1b[2Jy\\x9b\\u2066z\\x0aw\tv"
    assert Report().summary() == "built: 0 errors, 0 warnings"
