"""Seals on what chapbook caches under an output folder, so it reads back only what it wrote itself.

The caches in ``OUTPUT/.cache/`` (laid-out parts, merged fonts, the last build's page numbers)
are reused as they are: a part's PDF goes into the book unchanged. An output folder can come
with a project from a stranger (a zip of someone's reader, ``output/`` included), and its cache
keys are plain digests anyone can compute from the project. So each cached file carries an
HMAC-SHA256 with a key that never leaves this user's account (``$XDG_CACHE_HOME/chapbook/seal.key``,
made on first use, readable by the user only): a file planted in the cache, or changed, fails
the seal and is laid out again. Where no key can be kept (a read-only home), nothing is cached.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
from pathlib import Path


def _key_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "chapbook" / "seal.key"


@functools.lru_cache(maxsize=1)
def _key() -> bytes | None:
    """This user's sealing key, made on first use; None if it cannot be read or made."""
    path = _key_file()
    try:
        data = path.read_bytes()
        if len(data) >= 32:
            return data
    except OSError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(os.urandom(32))
        return path.read_bytes()
    except FileExistsError:  # made by another build at the same moment
        try:
            return path.read_bytes()
        except OSError:
            return None
    except OSError:
        return None


def seal(*pieces: bytes) -> str | None:
    """The seal of ``pieces`` (None: no key here, so do not cache)."""
    key = _key()
    if key is None:
        return None
    mac = hmac.new(key, digestmod=hashlib.sha256)
    for piece in pieces:
        mac.update(hashlib.sha256(piece).digest())
    return mac.hexdigest()


def sealed(tag: object, *pieces: bytes) -> bool:
    """Whether ``tag`` is this user's seal of ``pieces``."""
    expected = seal(*pieces)
    return isinstance(tag, str) and expected is not None and hmac.compare_digest(tag, expected)
