"""The vendored Charis SIL: TTF for the PDFs (decoded never), WOFF2 for the EPUB, one release."""

from __future__ import annotations

import re

import pytest

from chapbook.render import PACKAGE_ROOT

FONTS = PACKAGE_ROOT / "styles" / "fonts"
FACES = ("CharisSIL-Regular", "CharisSIL-Italic", "CharisSIL-Bold", "CharisSIL-BoldItalic")
SRC = re.compile(r"@font-face\s*\{[^}]*?src:\s*url\(([^)]+)\)")


def test_print_css_loads_the_ttf_faces():
    """WeasyPrint decodes a WOFF2 face for every document; the print faces must be TTF files."""
    urls = SRC.findall((PACKAGE_ROOT / "styles" / "print.css").read_text(encoding="utf-8"))
    assert sorted(urls) == sorted(f"chapbook-style:fonts/{face}.ttf" for face in FACES)
    for face in FACES:
        assert (FONTS / f"{face}.ttf").read_bytes()[:4] == b"\x00\x01\x00\x00"  # TrueType outlines


def test_epub_css_keeps_the_woff2_faces():
    urls = SRC.findall((PACKAGE_ROOT / "styles" / "epub.css").read_text(encoding="utf-8"))
    assert sorted(urls) == sorted(f"../fonts/{face}.woff2" for face in FACES)
    for face in FACES:
        assert (FONTS / f"{face}.woff2").read_bytes()[:4] == b"wOF2"


@pytest.mark.parametrize("face", FACES)
def test_ttf_and_woff2_are_the_same_release(face):
    from fontTools.ttLib import TTFont

    ttf, woff2 = TTFont(FONTS / f"{face}.ttf", lazy=True), TTFont(FONTS / f"{face}.woff2", lazy=True)
    assert ttf["name"].getDebugName(5) == woff2["name"].getDebugName(5)  # "Version 6.101"
    assert ttf["name"].getDebugName(4) == woff2["name"].getDebugName(4)  # full name
    assert ttf["maxp"].numGlyphs == woff2["maxp"].numGlyphs
    assert sorted(ttf.keys()) == sorted(woff2.keys())


def test_the_licence_is_shipped_with_the_fonts():
    assert "SIL OPEN FONT LICENSE Version 1.1" in (FONTS / "OFL.txt").read_text(encoding="utf-8")
