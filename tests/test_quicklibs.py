"""WeasyPrint's libraries found with one ldconfig (chapbook.quicklibs): the same libraries, less work."""

from __future__ import annotations

import ctypes.util
import json
import subprocess
import sys

import pytest

from chapbook import quicklibs

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux") or quicklibs.ldconfig_listing() is None,
                                reason="ldconfig is Linux's")

# The names weasyprint/text/ffi.py tries (70.0), those with a dot are first opened as they are.
NAMES = ["libgobject-2.0-0", "gobject-2.0-0", "gobject-2.0", "libpango-1.0-0", "pango-1.0-0", "pango-1.0",
         "libharfbuzz-0", "harfbuzz", "harfbuzz-0.0", "libharfbuzz-subset-0", "harfbuzz-subset",
         "harfbuzz-vector", "libfontconfig-1", "fontconfig-1", "fontconfig", "pangoft2-1.0"]

CHILD = """
import ctypes.util, json, sys
standard, calls = ctypes.util.find_library, []
def counted(name):
    calls.append(name)
    return standard(name)
ctypes.util.find_library = counted
if sys.argv[1] == "chapbook":
    import chapbook
import weasyprint
libs = sorted({line.split()[-1] for line in open("/proc/self/maps") if ".so" in line
               and any(n in line for n in ("pango", "harfbuzz", "gobject", "fontconfig"))})
print(json.dumps({"calls": len(calls), "libs": libs, "restored": ctypes.util.find_library is counted}))
"""


def _child(mode: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", CHILD, mode], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_the_quick_finder_answers_as_ctypes_does() -> None:
    quick = quicklibs.finder(quicklibs.ldconfig_listing())
    assert any(quick(name) for name in NAMES)
    for name in NAMES:
        assert quick(name) == ctypes.util.find_library(name), name


def test_weasyprint_loads_the_same_libraries_without_the_standard_search() -> None:
    stock, quick = _child("weasyprint"), _child("chapbook")
    assert stock["calls"] > 10  # ldconfig, gcc and ld for each name: what the quick finder saves
    assert quick["calls"] == 0
    assert quick["libs"] == stock["libs"] and any("pango" in lib for lib in quick["libs"])
    assert quick["restored"]  # ctypes' find_library is put back once WeasyPrint's libraries are loaded
