"""Every file a build reads goes through here: it must lie inside the project, or inside chapbook.

A project is written by strangers. A part name such as ``../../secret``, an absolute path in
``publication.yml``, or a symlink ``styles/epub.css -> /etc/passwd`` must never bring a file
from elsewhere on the machine into a book. So every path is resolved (symlinks followed, ``..``
collapsed) and accepted only when the result lies inside the project root, or inside chapbook's
own package (its templates, styles and fonts). Anything else is a located error, reported while
reading — before any output is written.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import PACKAGE_ROOT
from .diagnostics import Location, Report

# A part name in publication.yml (front/texts/back): a file name without folders or dots at the start.
PART_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*\Z")


class OutsideProject(Exception):
    """A path that resolves outside the project (and outside chapbook's own files)."""


def inside(path: Path, root: Path) -> Path | None:
    """``path`` resolved, if it lies inside ``root`` (itself resolved); else None.

    ``strict=False`` so a missing file still resolves (the caller reports it as missing);
    a symlink loop resolves to an error, which is treated as outside.
    """
    try:
        resolved = path.resolve()
        return resolved if resolved.is_relative_to(root.resolve()) else None
    except (OSError, RuntimeError):
        return None


def allowed(path: Path, root: Path) -> Path | None:
    """``path`` resolved, if it lies inside the project or inside chapbook's package; else None."""
    return inside(path, root) or inside(path, PACKAGE_ROOT)


NOT_REGULAR = "not a regular file (a folder, device or pipe cannot be read)"  # how each reader reports one


class NotRegular(OSError):
    """A path that is no regular file: a FIFO, a device, a socket, a folder."""


def read_regular(path: Path) -> bytes:
    """The bytes of ``path`` if it is a regular file; :class:`NotRegular` otherwise.

    Opened without blocking and checked on the open file, not on the path before: a FIFO in
    ``styles/`` or ``templates/`` made every build and ``check`` wait forever on its ``open`` (a
    review), and a file swapped for one between a check and the read would do the same."""
    import os
    import stat

    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegular(f"{NOT_REGULAR}: {path}")
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=True) as handle:
            fd = -1
            return handle.read()
    finally:
        if fd >= 0:
            os.close(fd)


def check_inside(path: Path, root: Path, report: Report, where: Location | None = None,
                 what: str = "file") -> Path | None:
    """The resolved path when it is allowed; else report an error at ``where`` and return None."""
    resolved = allowed(path, root)
    if resolved is None:
        shown = _relative(path, root)
        how = "is a symbolic link to a place outside the project" if path.is_symlink() else \
            "resolves outside the project"
        report.error(where or Location(path, 1, 1),
                     f"{what} '{shown}' {how}; a project may only use files inside its own folder",
                     "outside-project")
    return resolved


def read_text(path: Path, root: Path) -> str:
    """A project file's text; raises :class:`OutsideProject` for anything outside it."""
    return safe_path(path, root).read_text(encoding="utf-8")


def read_bytes(path: Path, root: Path) -> bytes:
    """A project file's bytes; raises :class:`OutsideProject` for anything outside it."""
    return safe_path(path, root).read_bytes()


def safe_path(path: Path, root: Path) -> Path:
    """The resolved path, or :class:`OutsideProject` (defence in depth for writers)."""
    resolved = allowed(path, root)
    if resolved is None:
        raise OutsideProject(f"{_relative(path, root)} resolves outside the project")
    return resolved


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def file_stamp(path: Path) -> tuple[int, int] | None:
    """A file's (modification time in ns, size), or None if it is gone: what the caches of laid-out
    parts and converted texts compare to see that an image or stylesheet they used is unchanged."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size
