"""chapbook: build print-ready readers (PDF, EPUB, booklets) from a folder of texts."""

__version__ = "0.1.0"

import functools
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent.parent  # chapbook's own templates/ and styles/ live here


@functools.cache
def code_digest(names: tuple[str, ...]) -> str:
    """The sha256 of chapbook's modules ``names`` (paths below ``chapbook/``, in order): what a cache
    keys on so that a checkout with other code, under the same version number, does not reuse it."""
    import hashlib

    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for name in names:
        try:
            digest.update(name.encode() + b"\0" + (root / name).read_bytes())
        except OSError:
            digest.update(name.encode() + b"\0")
    return digest.hexdigest()

from . import quicklibs  # noqa: E402  (after __version__, which the modules read)

quicklibs.install()  # WeasyPrint's libraries found with one ldconfig when it is imported (issue 11)
