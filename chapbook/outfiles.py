"""Writing output files so that a failed build never destroys a good previous one.

Guarantees (issue 10):

- every output is written to ``.NAME.XXXXXXXX.part`` beside it and moved into place with one
  ``os.replace`` only when complete (:func:`atomic_path`), so a file is either the old one or
  the new one, never half written;
- one build at a time writes into an output folder: :func:`output_lock` takes an exclusive,
  non-blocking ``flock`` on ``OUTPUT/.chapbook.lock``; a second build is refused
  (:class:`OutputBusy`) before it touches anything;
- the ``.part`` files a killed build left (anywhere under the output folder, symlinks never
  followed) are removed only while holding that lock (:func:`remove_stale_parts`);
- a build's outputs are replaced all together or not at all: each is staged as a finished
  ``.part`` file and the :class:`Journal` moves them into place only once every writer has
  succeeded, so a build that fails or is interrupted leaves the previous set untouched (and,
  if the commit itself is interrupted, says exactly which outputs were replaced);
- an ``OSError`` while writing (a full disk, a read-only folder) becomes :class:`OutputError`,
  naming the file that could not be written;
- nothing is written, replaced or deleted through a symbolic link below the output folder (issue 12):
  an output folder can come with a project from a stranger, ``output/web -> ~/Documents`` included.
  The check stage refuses such links with their place (:func:`output_links`); and, in case one
  appears later, the code that writes here checks every folder below the output folder as it goes
  (:func:`guard`, :func:`ensure_dir`), while :func:`output_lock` is held, and raises
  :class:`LinkedOutput`. The output folder itself is trusted as the user named it (an
  ``--output`` that is a link the user made is followed), unless it lies inside the project;
- a cache file (:func:`write_cache`) is written the same way, and its temporary file removed
  when the write fails; a killed build's are removed by the next (:func:`remove_stale_parts`).
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import fcntl
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

LOCK_NAME = ".chapbook.lock"
# What :func:`atomic_path` creates: tempfile's 8 random characters between the name and ``.part``.
_PART = re.compile(r"^\..+\.[a-z0-9_]{8}\.part$")
# What the caches of chapbook before issue 12 left in ``.cache/`` when a write failed: NAME.PID.tmp.
_OLD_TMP = re.compile(r"^.+\.[0-9]+\.tmp$")
CACHE = ".cache"
# The folders below an output folder that are chapbook's alone (everything in them is its own).
OWN_FOLDERS = ("web", "handouts", CACHE)


class OutputError(Exception):
    """An output could not be written (``OSError`` while creating, writing or moving it)."""

    def __init__(self, path: Path, error: OSError) -> None:
        self.path, self.error = path, error
        super().__init__(f"cannot write {path}: {describe(error)}")


class OutputBusy(Exception):
    """Another build holds the lock on the output folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        super().__init__(f"another build is writing {folder}")


class LinkedOutput(OutputError):
    """A folder or file below the output folder that chapbook would write, replace or delete is a link."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.error = OSError(errno.ELOOP, os.strerror(errno.ELOOP), str(path))
        Exception.__init__(self, f"{path}: {link_message(path)}")


def link_message(link: Path) -> str:
    """What is wrong with a link chapbook will not write through, and what to do."""
    try:
        to = os.readlink(link)
    except OSError:
        to = "?"
    return (f"{link.name} is a symbolic link (to {to}); chapbook does not write through links a project "
            "brings: remove it")


def describe(error: OSError) -> str:
    """'No space left on device': the OS's words for an error, without errno numbers or paths."""
    if error.errno is not None:
        return os.strerror(error.errno)
    return str(error) or type(error).__name__


@dataclass
class Journal:
    """The outputs of one build: those staged (complete, not yet in place) and those moved into place.

    With ``defer`` (what a build uses), :func:`atomic_path` leaves each finished file staged
    beside its target; :meth:`commit` moves them all into place once every writer has
    succeeded, and :meth:`discard` deletes them when one failed or the user pressed Ctrl-C.
    So a failed build replaces nothing: the previous outputs stay as a consistent set.
    """

    defer: bool = False
    staged: list[tuple[Path, Path]] = field(default_factory=list)  # (temporary file, target)
    replaced: list[Path] = field(default_factory=list)
    retired: list[Path] = field(default_factory=list)  # files of an earlier build this one no longer makes

    def commit(self) -> None:
        """Move every staged file into place, in the order written; :class:`OutputError` if one cannot."""
        while self.staged:
            tmp, target = self.staged[0]
            try:
                guard(target)
                os.replace(tmp, target)
            except OutputError:
                self.discard()
                raise
            except OSError as exc:
                self.discard()
                raise OutputError(target, exc) from exc
            self.staged.pop(0)
            self.replaced.append(target)
        for old in self.retired:  # only once everything new is in place
            with contextlib.suppress(OSError, LinkedOutput):
                remove(old)
        self.retired.clear()

    def discard(self) -> None:
        """Delete every staged file: the targets keep their previous contents."""
        for tmp, _ in self.staged:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
        self.staged.clear()


_JOURNAL: contextvars.ContextVar[Journal | None] = contextvars.ContextVar("chapbook_journal", default=None)
# The output folder whose lock this build holds: below it, no link is ever followed.
_ROOT: contextvars.ContextVar[Path | None] = contextvars.ContextVar("chapbook_output_root", default=None)


def _below(path: Path, root: Path | None) -> tuple[str, ...] | None:
    """The names leading from ``root`` to ``path`` (both taken as written, not resolved); None if
    ``path`` is not below ``root``."""
    if root is None:
        return None
    try:
        return Path(os.path.abspath(path)).relative_to(os.path.abspath(root)).parts
    except ValueError:
        return None


def linked(path: Path, root: Path | None = None) -> Path | None:
    """The first folder or file from below the output folder down to ``path`` that is a symbolic
    link (None: none is, or ``path`` is not below the output folder whose lock is held)."""
    root = root if root is not None else _ROOT.get()
    names = _below(path, root)
    here = root
    for name in names or ():
        here = here / name
        if here.is_symlink():
            return here
    return None


def guard(path: Path, root: Path | None = None) -> None:
    """:class:`LinkedOutput` if ``path`` or a folder above it, below the output folder, is a link."""
    link = linked(path, root)
    if link is not None:
        raise LinkedOutput(link)


def ensure_dir(folder: Path, root: Path | None = None) -> None:
    """Make ``folder`` and the folders above it, checking each below the output folder (``root``, or the
    one whose lock is held) is a folder and not a link: :class:`LinkedOutput` if one is; ``OSError``."""
    root = root if root is not None else _ROOT.get()
    names = _below(folder, root)
    if names is None:
        folder.mkdir(parents=True, exist_ok=True)
        return
    here = root
    for name in names:
        here = here / name
        with contextlib.suppress(FileExistsError):
            os.mkdir(here)  # never follows a link: one in the way is FileExistsError
        if here.is_symlink():
            raise LinkedOutput(here)


def remove(path: Path) -> None:
    """Delete a file chapbook wrote below the output folder (a link there is removed, never followed)."""
    guard(path.parent)
    path.unlink(missing_ok=True)


def files_below(folder: Path) -> list[Path]:
    """The regular files under ``folder``, without following links (:class:`LinkedOutput` if the folder,
    below the output folder, is one)."""
    guard(folder)
    if not folder.is_dir():
        return []
    return [path for path, is_link, is_dir in _walk(folder) if not is_link and not is_dir]


def _walk(folder: Path) -> Iterator[tuple[Path, bool, bool]]:
    """Every entry below ``folder`` in name order, as (path, is a link, is a real folder), without
    entering linked folders: a link is reported, never followed."""
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        here = Path(dirpath)
        links = {n for n in dirnames + filenames if (here / n).is_symlink()}
        for n in sorted(dirnames + filenames):
            yield here / n, n in links, n in dirnames and n not in links
        dirnames[:] = sorted(d for d in dirnames if d not in links)


def output_links(output: Path, project: Path | None = None, name: str | None = None) -> list[Path]:
    """The symbolic links chapbook would write, replace or delete through when building into ``output``.

    If ``output`` lies inside ``project`` (the default ``PROJECT/output``), it and every folder between
    must be real folders: they came with the project. Inside ``output``: the lock file, ``web/``,
    ``handouts/`` and ``.cache/`` and everything in them (chapbook's alone), the ``.part`` files and
    the outputs named after the book (``NAME.pdf``, ``NAME-booklet.pdf`` …; ``name`` is its slug).
    The output folder named by the user outside the project is taken as it is, a link or not.
    """
    if project is not None:
        for base in dict.fromkeys((project, project.resolve())):
            names = _below(output, base)
            if names:
                link = linked(output, base)
                if link is not None:
                    return [link]
                break
    try:
        entries = sorted(os.scandir(output), key=lambda e: e.name)
    except OSError:  # not there yet (made by the build), or not a folder (refused by the command line)
        return []
    found: list[Path] = []
    for entry in entries:
        path = output / entry.name
        mine = (entry.name in (LOCK_NAME, *OWN_FOLDERS) or bool(_PART.match(entry.name))
                or (bool(name) and entry.name.startswith((f"{name}.", f"{name}-"))))
        if not mine:
            continue
        if entry.is_symlink():
            found.append(path)
        elif entry.name in OWN_FOLDERS and entry.is_dir(follow_symlinks=False):
            found += [below for below, is_link, _ in _walk(path) if is_link]
    return found


@contextlib.contextmanager
def journal(defer: bool = False) -> Iterator[Journal]:
    """Record, for the duration of the block, every file :func:`atomic_path` writes.

    With ``defer``, files are only staged; whatever is still staged when the block ends
    (by an exception, or because the caller did not commit) is discarded.
    """
    record = Journal(defer=defer)
    token = _JOURNAL.set(record)
    try:
        yield record
    finally:
        _JOURNAL.reset(token)
        record.discard()


def retire(paths: list[Path]) -> None:
    """Files an earlier build wrote that this one does not (a web page of a text since renamed):
    deleted when this build's outputs are committed, or at once outside a deferred journal."""
    record = _JOURNAL.get()
    if record is not None and record.defer:
        record.retired.extend(paths)
        return
    for old in paths:
        with contextlib.suppress(OSError, LinkedOutput):
            remove(old)


def will_exist(target: Path) -> bool:
    """Whether ``target`` is in place or staged by this build (to be moved into place with the rest)."""
    record = _JOURNAL.get()
    return target.is_file() or (record is not None and any(g == target for _, g in record.staged))


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; move it into place only if the block succeeds.

    An ``OSError`` raised while making the folder, writing the temporary file or moving it
    into place is raised again as :class:`OutputError` naming ``target``; a link on the way below
    the output folder is :class:`LinkedOutput`, before anything is written.
    """
    try:
        ensure_dir(target.parent)
        guard(target)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        os.close(fd)
    except OSError as exc:
        raise OutputError(target if exc.filename in (None, str(target)) else Path(exc.filename), exc) from exc
    tmp_path = Path(tmp)
    record = _JOURNAL.get()
    staged = False
    try:
        try:
            yield tmp_path
            os.chmod(tmp_path, 0o644)
            if record is not None and record.defer:
                for earlier in [t for t, g in record.staged if g == target]:  # written twice: keep the last
                    earlier.unlink(missing_ok=True)
                record.staged = [(t, g) for t, g in record.staged if g != target]
                record.staged.append((tmp_path, target))
                staged = True
            else:
                guard(target)
                os.replace(tmp_path, target)
        except OSError as exc:
            raise OutputError(target, exc) from exc
        if record is not None and not staged:
            record.replaced.append(target)
    finally:
        if not staged:
            with contextlib.suppress(OSError):
                tmp_path.unlink(missing_ok=True)


@contextlib.contextmanager
def output_lock(folder: Path, base: Path | None = None) -> Iterator[Path]:
    """Hold an exclusive lock on the output folder for the block; :class:`OutputBusy` if taken.

    The lock is ``flock`` on ``FOLDER/.chapbook.lock`` (released by the kernel when the process
    dies, even by SIGKILL). The file is removed on release; a lock taken on a file that was
    removed or replaced meanwhile is dropped and taken again, so two builds can never both
    believe they hold it. The folder is made if needed (``OutputError`` if it cannot be; with
    ``base``, the project it lies in, :class:`LinkedOutput` if it or a folder between is a link).
    While the lock is held, nothing below the folder is written through a link (:func:`guard`).
    """
    try:
        if base is not None and _below(folder, base):
            ensure_dir(folder, base)
        else:
            folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(folder, exc) from exc
    path = folder / LOCK_NAME
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise OutputError(path, exc) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES):
                raise OutputBusy(folder) from None
            raise OutputError(path, exc) from exc
        try:
            current = os.stat(path, follow_symlinks=False)
        except FileNotFoundError:
            current = None
        held = os.fstat(fd)
        if current is not None and (current.st_dev, current.st_ino) == (held.st_dev, held.st_ino):
            break
        os.close(fd)  # the file was removed by the build that held it before: take the new one
    token = _ROOT.set(folder)
    try:
        yield path
    finally:
        _ROOT.reset(token)
        with contextlib.suppress(OSError):
            os.unlink(path)  # still locked: nobody can hold this file's lock meanwhile
        os.close(fd)


def write_cache(target: Path, data: bytes) -> None:
    """Write a cache file below the output folder: to ``.NAME.XXXXXXXX.part`` beside it, moved into
    place when complete. The temporary file is removed if anything fails (a full disk); a killed
    build's is removed by the next (:func:`remove_stale_parts`). ``OSError`` if it cannot be
    written (callers go without the cache), :class:`LinkedOutput` if a folder on the way is a link.
    """
    ensure_dir(target.parent)
    guard(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


CACHE_KEY = re.compile(r"[0-9a-f]{64}")  # the name of a cache entry: a sha256


def let_go(keys: Iterable, used: set, spare: int) -> list:
    """Of ``keys`` (least recently used first), those a cache lets go: all but this build's (``used``) and
    the ``spare`` most recently used others."""
    others = [key for key in keys if key not in used]
    return others[:max(0, len(others) - spare)]


def prune_cache(folder: Path, used: set[str], spare: int, suffixes: tuple[str, ...] = (".json",),
                prefix: str = "") -> None:
    """Keep in a cache folder the entries (``prefix`` + ``KEY`` + each of ``suffixes``) this build used,
    marked as the most recently used, and the ``spare`` most recently used others; delete the rest.
    Never in a folder that is a link (:func:`guard`); any other error is ignored (a cache only saves
    time)."""
    import time

    guard(folder)
    try:
        now = time.time()
        for key in used:
            for suffix in suffixes:
                with contextlib.suppress(OSError):
                    os.utime(folder / f"{prefix}{key}{suffix}", (now, now), follow_symlinks=False)
        entries = sorted((f for f in folder.glob(f"{prefix}*{suffixes[0]}")
                          if CACHE_KEY.fullmatch(f.stem.removeprefix(prefix))), key=lambda f: f.stat().st_mtime)
        for old in let_go([f.stem.removeprefix(prefix) for f in entries], used, spare):
            for suffix in suffixes:
                (folder / f"{prefix}{old}{suffix}").unlink(missing_ok=True)
    except OSError:
        pass


def remove_stale_parts(folder: Path) -> list[Path]:
    """Delete the ``.NAME.*.part`` files a killed build left under ``folder``; return them.

    :func:`atomic_path` removes its temporary file on any exception, but not when the process
    is killed outright (SIGKILL, power loss); the next build clears them before writing, while
    it holds :func:`output_lock`. Subfolders (``handouts/``) are searched too; symbolic links
    are never followed out of the folder, and only regular files named as :func:`atomic_path`
    names them are removed (and, in ``.cache/``, the ``NAME.PID.tmp`` files earlier versions left).
    """
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for path, is_link, is_dir in _walk(folder):
        if is_link or is_dir:
            continue
        in_cache = path.relative_to(folder).parts[:1] == (CACHE,)
        stale = _PART.match(path.name) or (in_cache and _OLD_TMP.match(path.name))
        if stale and path.is_file():
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed.append(path)
    return removed
