"""Writing output files so that a failed build never destroys a good previous one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; move it into place only if the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, target)
    finally:
        tmp_path.unlink(missing_ok=True)


def remove_stale_parts(folder: Path) -> list[Path]:
    """Delete the ``.NAME.*.part`` files a killed build left in ``folder``; return them.

    :func:`atomic_path` removes its temporary file on any exception, but not when the process
    is killed outright (SIGKILL, power loss); the next build clears them before writing.
    """
    removed = []
    if folder.is_dir():
        for path in folder.glob(".*.part"):
            if path.is_file():
                path.unlink(missing_ok=True)
                removed.append(path)
    return removed
