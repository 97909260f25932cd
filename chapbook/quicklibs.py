"""WeasyPrint's C libraries found with one ``ldconfig -p`` instead of two dozen (issue 11).

``import weasyprint`` took 0.55 s of every build's start, 0.2–0.3 s of it in
:func:`ctypes.util.find_library`: WeasyPrint's ``text/ffi.py`` tries several names per library
(``libgobject-2.0-0``, ``gobject-2.0-0``, ``gobject-2.0`` …, and six for the optional
harfbuzz-vector), and cffi asks ``find_library`` for each name it cannot open as it is. On Linux
each call runs ``/sbin/ldconfig -p`` and, when that finds nothing, ``gcc`` and ``ld`` as well.

While ``weasyprint.text.ffi`` runs (only then: :class:`_Finder` wraps that one module's loader),
``find_library`` answers from one ``ldconfig -p`` with the standard library's own pattern, and a
name it does not list is not found (WeasyPrint then tries its next name, and ends with the plain
``.so.0`` names, which the dynamic loader opens itself). The libraries loaded are the same
(tests/test_quicklibs.py). Anywhere else, or if ``ldconfig`` cannot be run, or if WeasyPrint fails
to load its libraries this way, the standard ``find_library`` is used as before.
"""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.machinery
import io
import os
import re
import struct
import subprocess
import sys

MODULE = "weasyprint.text.ffi"
_ABI = {"x86_64-64": "libc6,x86-64", "ppc64-64": "libc6,64bit", "sparc64-64": "libc6,64bit",
        "s390x-64": "libc6,64bit", "ia64-64": "libc6,IA-64"}  # as ctypes.util._findSoname_ldconfig


def ldconfig_listing() -> bytes | None:
    """``ldconfig -p`` as ctypes runs it; None if it cannot be run."""
    try:
        return subprocess.run(["/sbin/ldconfig", "-p"], stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, env={"LC_ALL": "C", "LANG": "C"}, check=False).stdout
    except OSError:
        return None


def finder(listing: bytes):
    """A ``find_library`` answering from ``listing`` with ctypes' own pattern (None: not listed)."""
    machine = os.uname().machine + ("-32" if struct.calcsize("l") == 4 else "-64")
    abi = _ABI.get(machine, "libc6")

    def find_library(name: str) -> str | None:
        m = re.search(os.fsencode(rf"\s+(lib{re.escape(name)}\.[^\s]+)\s+\({abi}"), listing)
        return os.fsdecode(m.group(1)) if m else None

    return find_library


class _Loader(importlib.abc.Loader):
    """Runs the module with the quick ``find_library``; once more with the standard one if that fails."""

    def __init__(self, loader) -> None:
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module) -> None:
        import ctypes.util

        listing = ldconfig_listing()
        standard = ctypes.util.find_library
        if listing is None:
            self.loader.exec_module(module)
            return
        ctypes.util.find_library = finder(listing)
        try:
            with contextlib.redirect_stdout(io.StringIO()):  # WeasyPrint's advice, printed if it fails here
                self.loader.exec_module(module)
            return
        except OSError:  # a library only gcc or ld could find: as WeasyPrint does it itself
            pass
        finally:
            ctypes.util.find_library = standard
        self.loader.exec_module(module)


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name != MODULE:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _Loader(spec.loader)
        return spec


def install() -> None:
    """Find WeasyPrint's libraries the quick way when it is imported (Linux; idempotent)."""
    if sys.platform.startswith("linux") and MODULE not in sys.modules \
            and not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
