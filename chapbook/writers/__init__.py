"""Output formats. Each writer is a small class with a ``name`` and ``write()``, kept in a plain dict.

``WRITERS`` maps a command-line target to its writer; the pipeline calls
``write(build)`` on each requested one, in the order given here.
"""

from __future__ import annotations

from .pdf import PdfWriter

WRITERS = {writer.name: writer for writer in (PdfWriter(),)}
