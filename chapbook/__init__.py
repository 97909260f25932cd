"""chapbook: build print-ready readers (PDF, EPUB, booklets) from a folder of texts."""

__version__ = "0.1.0"
