"""Nothing is written, replaced or deleted through a symbolic link in the output folder (issue 12).

A project can come with its ``output/`` folder, and in it ``output/web -> ~/Documents``: the web
writer used to empty that folder and write the site there. The check stage now refuses every link
where chapbook would write (the default output folder itself, ``web/``, ``handouts/``, ``.cache/``
and what is in them, the lock file, the outputs named after the book) with its place, before
anything is written; and the code that writes, replaces and deletes refuses links by itself.
An ``--output`` folder the user names outside the project may itself be a link.

Also here: temporary cache files are removed when a write fails (a full disk), and those an
earlier build left are removed by the next.
"""

from __future__ import annotations

import errno
import io
import os
import shutil
from pathlib import Path

import pytest
from conftest import MINIMAL, MINIMAL_PDF_NAME, run_build

from chapbook import cli, outfiles, preflight, writers
from chapbook.diagnostics import ExitStatus
from chapbook.outfiles import LinkedOutput, atomic_path, files_below, output_lock, remove, write_cache
from chapbook.pipeline import check_only, run

STEM = MINIMAL_PDF_NAME.removesuffix(".pdf")
MESSAGE = "is a symbolic link (to {to}); chapbook does not write through links a project brings: remove it"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    shutil.copytree(MINIMAL, root)
    return root


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    """Someone's folder, with files named like those chapbook writes and deletes."""
    victim = tmp_path / "victim"
    (victim / "sub").mkdir(parents=True)
    for name, data in {"thesis.docx": "my thesis", "sub/notes.txt": "notes", "index.html": "my page",
                       "first-text.pdf": "my pdf", MINIMAL_PDF_NAME: "my book", ".x.pdf.abcdefgh.part": "mine",
                       "state.json.123.tmp": "mine too", ".chapbook.lock": "lock"}.items():
        (victim / name).write_text(data)
    return victim


def snapshot(folder: Path) -> dict[str, tuple[str, str, int]]:
    """Every entry under ``folder``: its kind, contents and modification time."""
    found = {}
    for path in sorted(folder.rglob("*")):
        st = path.lstat()
        kind = "dir" if path.is_dir() else "file"
        found[str(path.relative_to(folder))] = (kind, path.read_text() if kind == "file" else "", st.st_mtime_ns)
    return found


def refused(stderr: str, link: Path, to: Path) -> bool:
    return f"{link}: error: {link.name} {MESSAGE.format(to=to)}" in stderr


# -- refused by the check stage, with its place -----------------------------------------------------


@pytest.mark.parametrize(("link", "target"), [
    ("output", "pdf"),
    ("output/web", "web"),
    ("output/handouts", "handouts"),
    ("output/.cache", "pdf"),
    ("output/.cache/parts", "pdf"),
])
def test_a_linked_folder_in_the_default_output_is_refused_before_writing(root, victim, link, target):
    before = snapshot(victim)
    (root / link).parent.mkdir(parents=True, exist_ok=True)
    (root / link).symlink_to(victim, target_is_directory=True)
    result = run_build(target, "--project", root)
    assert result.returncode == 1, result.stderr
    assert refused(result.stderr, root / link, victim), result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == "build failed, nothing written: 1 error, 0 warnings"
    assert snapshot(victim) == before
    assert (root / link).is_symlink()  # chapbook removes nothing of the project's either


def test_the_repro_web_folder_linked_elsewhere(root, tmp_path):
    victim = tmp_path / "victim"
    (victim / "sub").mkdir(parents=True)
    (victim / "thesis.docx").write_text("x\n")
    (root / "output").mkdir()
    (root / "output" / "web").symlink_to(victim)
    result = run_build("web", "--project", root)
    assert result.returncode == 1
    assert refused(result.stderr, root / "output" / "web", victim), result.stderr
    assert sorted(p.name for p in victim.iterdir()) == ["sub", "thesis.docx"]
    assert (victim / "thesis.docx").read_text() == "x\n"


@pytest.mark.parametrize("link", [
    "output/web/texts",
    "output/web/index.html",
    "output/handouts/first-text.pdf",
    f"output/.cache/parts/{'a' * 64}.json",
    f"output/{MINIMAL_PDF_NAME}",
    f"output/{STEM}-booklet.pdf",
    "output/.chapbook.lock",
])
def test_links_deeper_in_the_output_folder_are_refused_by_check(root, victim, link):
    to = victim if link.endswith("texts") else victim / "thesis.docx"
    (root / link).parent.mkdir(parents=True, exist_ok=True)
    (root / link).symlink_to(to)
    report = check_only(root)
    assert [(d.location.path, d.message, d.code) for d in report.errors] == [
        (root / link, f"{Path(link).name} {MESSAGE.format(to=to)}", "linked-output")]


def test_a_link_of_the_users_own_beside_the_outputs_is_left_alone(root, victim):
    (root / "output").mkdir()
    (root / "output" / "my-notes").symlink_to(victim)
    assert not check_only(root).errors


def test_links_are_refused_by_check_and_by_watch(root, victim, capfd):
    (root / "output").symlink_to(victim)
    result = run_build("check", "--project", root)
    assert result.returncode == 1
    assert f"{root / 'output'}: error: output {MESSAGE.format(to=victim)} [linked-output]" in result.stdout
    status = cli.main(["watch", "--project", str(root)])  # watch resolves the folder: refused before
    err = capfd.readouterr().err
    assert status == 2 and f"{root / 'output'}: output {MESSAGE.format(to=victim)}" in err
    assert "Traceback" not in err


def test_an_output_folder_the_user_links_outside_the_project_is_followed(root, tmp_path, monkeypatch, capfd):
    real = tmp_path / "real-output"
    real.mkdir()
    mine = tmp_path / "my-output"
    mine.symlink_to(real)
    fake_writers(monkeypatch)
    status, err = main(capfd, "pdf", "web", "--project", root, "--output", mine, "-q")
    assert status == 0, err
    assert (real / f"{STEM}.pdf").read_bytes() == b"new pdf"
    assert (real / "web" / "index.html").read_bytes() == b"new web"


def test_but_links_inside_it_are_not(root, tmp_path, victim):
    real = tmp_path / "real-output"
    real.mkdir()
    mine = tmp_path / "my-output"
    mine.symlink_to(real)
    (real / "web").symlink_to(victim)
    before = snapshot(victim)
    result = run_build("web", "--project", root, "--output", mine)
    assert result.returncode == 1
    assert refused(result.stderr, mine / "web", victim), result.stderr
    assert snapshot(victim) == before


def test_an_output_folder_inside_the_project_through_a_linked_folder_is_refused(root, victim):
    (root / "build").symlink_to(victim)
    result = run_build("pdf", "--project", root, "--output", root / "build" / "out")
    assert result.returncode == 1
    assert refused(result.stderr, root / "build", victim), result.stderr
    assert not (victim / "out").exists()


# -- refused by the writers themselves, should a link get past the check ----------------------------


class FakeWriter:
    def __init__(self, target: str) -> None:
        self.target = target

    def write(self, build) -> list[Path]:
        path = build.output / (f"{self.target}/index.html" if self.target == "web" else f"{build.name}.{self.target}")
        with atomic_path(path) as tmp:
            tmp.write_bytes(f"new {self.target}".encode())
        return [path]


def fake_writers(monkeypatch) -> None:
    monkeypatch.setattr(writers, "load", FakeWriter)


def main(capfd, *args) -> tuple[int, str]:
    status = cli.main([str(a) for a in args])
    captured = capfd.readouterr()
    return status, captured.err + captured.out


def test_the_web_writer_itself_refuses_a_linked_site_folder(root, victim, monkeypatch, capfd):
    """The check stage skipped: the real web writer neither deletes the victim's files nor writes there."""
    monkeypatch.setattr(preflight, "check_output", lambda *args: None)
    (root / "output").mkdir()
    (root / "output" / "web").symlink_to(victim)
    before = snapshot(victim)
    status, err = main(capfd, "web", "--project", root, "-q")
    assert status == 1
    assert refused(err, root / "output" / "web", victim), err
    assert "Traceback" not in err and "internal error" not in err
    assert snapshot(victim) == before


def test_a_writer_refuses_a_link_made_after_the_check(root, victim, monkeypatch, capfd):
    out = root / "output"

    class Sneaky:
        def write(self, build):
            (out / "handouts").symlink_to(victim)  # appears while the build runs
            with atomic_path(out / "handouts" / "first-text.pdf") as tmp:
                tmp.write_bytes(b"new")
            return []

    monkeypatch.setattr(writers, "load", lambda target: Sneaky())
    before = snapshot(victim)
    status, err = main(capfd, "handouts", "--project", root, "-q")
    assert status == 1
    assert refused(err, out / "handouts", victim), err
    assert snapshot(victim) == before


def test_low_level_writes_and_deletes_refuse_links_below_the_locked_folder(tmp_path, victim):
    out = tmp_path / "out"
    out.mkdir()
    (out / ".cache").symlink_to(victim)
    (out / "web").symlink_to(victim)
    (out / "real").mkdir()
    (out / "real" / "deeper").symlink_to(victim)
    before = snapshot(victim)
    with output_lock(out):
        with pytest.raises(LinkedOutput) as caught:
            write_cache(out / ".cache" / "parts" / "state.json", b"{}")
        assert caught.value.path == out / ".cache"
        with pytest.raises(LinkedOutput):
            write_cache(out / "real" / "deeper" / "index.html", b"x")
        with pytest.raises(LinkedOutput), atomic_path(out / "web" / "index.html") as tmp:
            tmp.write_bytes(b"x")
        with pytest.raises(LinkedOutput):
            files_below(out / "web")
        with pytest.raises(LinkedOutput):
            remove(out / "web" / "index.html")
        with pytest.raises(LinkedOutput):
            outfiles.ensure_dir(out / "real" / "deeper" / "more")
        outfiles.retire([out / "web" / "index.html"])  # quietly keeps it
    assert snapshot(victim) == before
    assert sorted(p.name for p in out.iterdir()) == [".cache", "real", "web"]


def test_files_below_does_not_follow_links_inside(tmp_path, victim):
    site = tmp_path / "out" / "web"
    (site / "a").mkdir(parents=True)
    (site / "a" / "page.html").write_text("x")
    (site / "linked").symlink_to(victim)
    (site / "file-link").symlink_to(victim / "thesis.docx")
    with output_lock(tmp_path / "out"):
        assert files_below(site) == [site / "a" / "page.html"]


# -- temporary files ----------------------------------------------------------------------------------


def _enospc(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def temporaries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.name.endswith((".tmp", ".part")))


def test_write_cache_leaves_no_temporary_file_when_the_disk_is_full(tmp_path, monkeypatch):
    folder = tmp_path / "out" / ".cache" / "parts"
    folder.mkdir(parents=True)
    monkeypatch.setattr(os, "replace", _enospc)
    with pytest.raises(OSError):
        write_cache(folder / "state.json", b"{}")
    assert list(folder.iterdir()) == []
    monkeypatch.undo()

    class Full(io.BytesIO):
        def write(self, data):
            _enospc()

    real = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda fd, mode: (os.close(fd), Full())[1])
    with pytest.raises(OSError):
        write_cache(folder / "state.json", b"{}")
    monkeypatch.setattr(os, "fdopen", real)
    assert list(folder.iterdir()) == []
    write_cache(folder / "state.json", b"{}")
    assert [p.name for p in folder.iterdir()] == ["state.json"]


def test_a_full_disk_while_caching_leaves_no_temporary_files(root, tmp_path, monkeypatch):
    """The PDF build keeps its parts, merged fonts and page numbers in .cache/; when those writes fail,
    the build still succeeds (a cache only saves work) and leaves no temporary file behind."""
    out = tmp_path / "out"
    real = os.replace
    failed = []

    def replace(src, dst, *args, **kwargs):
        if f"{os.sep}.cache{os.sep}" in str(dst):
            failed.append(dst)
            _enospc()
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    status, _ = run(root, out, ["pdf", "booklet"], stream=io.StringIO(), quiet=True)
    monkeypatch.setattr(os, "replace", real)
    assert status == ExitStatus.OK
    assert failed  # the cache was written to (and failed)
    assert temporaries(out) == []
    assert (out / MINIMAL_PDF_NAME).is_file()
    status, _ = run(root, out, ["pdf", "booklet"], stream=io.StringIO(), quiet=True)
    assert status == ExitStatus.OK
    assert temporaries(out) == []


def test_temporary_cache_files_an_earlier_build_left_are_removed(root, tmp_path, monkeypatch, capfd):
    out = tmp_path / "out"
    parts = out / ".cache" / "parts"
    parts.mkdir(parents=True)
    stale = [parts / "state.json.4242.tmp", parts / f"{'b' * 64}.pdf.17.tmp", parts / "font-x.ttf.9.tmp",
             parts / f".{'c' * 64}.json.abcdefgh.part", out / ".cache" / "other.1.tmp"]
    for path in stale:
        path.write_text("half")
    kept = [out / "my-notes.123.tmp", parts / "state.json"]  # not chapbook's temporary files
    for path in kept:
        path.write_text("keep")
    fake_writers(monkeypatch)
    status, err = main(capfd, "pdf", "--project", root, "--output", out, "-q")
    assert status == 0, err
    assert not any(p.exists() for p in stale)
    assert all(p.read_text() == "keep" for p in kept)
