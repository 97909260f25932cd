"""chapbook: build print-ready readers (PDF, EPUB, booklets) from a folder of texts."""

__version__ = "0.1.0"

from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent.parent  # chapbook's own templates/ and styles/ live here

from . import quicklibs  # noqa: E402  (after __version__, which the modules read)

quicklibs.install()  # WeasyPrint's libraries found with one ldconfig when it is imported (issue 11)
