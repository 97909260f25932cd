"""chapbook: build print-ready readers (PDF, EPUB, booklets) from a folder of texts."""

__version__ = "0.1.0"

from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent.parent  # chapbook's own templates/ and styles/ live here
