"""The EPUB's PNG cover drawn from an SVG (chapbook.coverimage): the size is bounded whatever the SVG says."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from chapbook import PACKAGE_ROOT
from chapbook.coverimage import MAX_SIDE, UnsupportedCover, raster_cover

FONTS = PACKAGE_ROOT / "styles" / "fonts"


def svg(attrs: str, body: str = '<rect width="10" height="10" fill="#123456"/>') -> bytes:
    return f'<svg xmlns="http://www.w3.org/2000/svg" {attrs}>{body}</svg>'.encode()


@pytest.mark.parametrize("attrs", ['viewBox="0 0 1 1000000000" width="2" height="1"',
                                   'viewBox="0 0 1000000000 1" width="1000000000" height="1"',
                                   'width="99999999" height="99999999"'])
def test_a_cover_never_grows_beyond_the_largest_side(attrs: str) -> None:
    try:
        png = raster_cover(svg(attrs), FONTS)
    except UnsupportedCover as exc:  # too thin to draw: refused, not drawn at a billion pixels
        assert "pixels" in str(exc)
        return
    assert max(Image.open(io.BytesIO(png)).size) <= MAX_SIDE


def test_a_cover_is_drawn_at_its_own_size_with_its_colours() -> None:
    image = Image.open(io.BytesIO(raster_cover(svg('viewBox="0 0 300 400" width="600" height="800"'), FONTS)))
    assert image.size == (600, 800)
    assert image.convert("RGB").getpixel((5, 5)) == (0x12, 0x34, 0x56)  # the rect, scaled by 2
    assert image.convert("RGB").getpixel((30, 30)) == (255, 255, 255)


@pytest.mark.parametrize("body", ['<path d="M0 0 L1 1"/>', '<image href="file:///etc/passwd"/>',
                                  '<rect width="5" height="5" transform="rotate(4)"/>',
                                  '<text x="1" y="1" fill="url(#g)">A</text>'])
def test_what_it_does_not_draw_is_refused_by_name(body: str) -> None:
    with pytest.raises(UnsupportedCover):
        raster_cover(svg('width="100" height="100"', body), FONTS)
