"""The EPUB's raster cover, drawn from its SVG cover (issue 13).

Many reading systems and every store take a publication's cover from a raster image: an SVG
``cover-image`` shows as a blank tile in their libraries. The cover is designed once, as
``templates/epub/cover.svg.j2``; this module draws that SVG again as a PNG of the same size with
Pillow and the Charis SIL faces chapbook ships, so both covers are one design.

Only what a cover of flat shapes and lines of text needs is drawn: ``rect`` and ``text`` (with the
``fill``, ``font-size``, ``font-weight``, ``font-style`` and ``letter-spacing`` they set or inherit
from a ``g``), ``title`` and ``desc`` ignored. An SVG with anything else (a path, an image, a
gradient, a transform) is not guessed at: :class:`UnsupportedCover` names the first such thing,
and the EPUB keeps its SVG as the cover image.
"""

from __future__ import annotations

import functools
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

SVG = "{http://www.w3.org/2000/svg}"
MAX_SIDE = 4000  # pixels: a cover larger than this is drawn at this size (stores ask for about 1600 × 2560)
_INHERITED = ("fill", "font-size", "font-weight", "font-style", "letter-spacing")
_DRAWN = {"svg", "g", "rect", "text", "title", "desc"}
_PLAIN = {"x", "y", "width", "height", "fill", "font-size", "font-weight", "font-style", "letter-spacing",
          "font-family", "viewBox", "version", "role", "aria-labelledby", "lang", "id"}
_NUMBER = re.compile(r"\s*(-?\d+(?:\.\d+)?)(?:px)?\s*")
_COLOUR = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")


class UnsupportedCover(ValueError):
    """The SVG holds something this drawing does not draw (the message says what)."""


@functools.lru_cache(maxsize=4)
def raster_cover(svg: bytes, fonts: Path) -> bytes:
    """The PNG of ``svg`` (a cover of rectangles and lines of text), drawn with the faces in ``fonts`` (the
    faces chapbook ships); drawn once per process for the same SVG (0.07 s of each EPUB ``watch`` rebuilds)."""
    from PIL import Image, ImageDraw

    root = ET.fromstring(svg)
    if root.tag != f"{SVG}svg":
        raise UnsupportedCover("the cover is not an SVG document")
    box = [_number(v, "viewBox") for v in root.get("viewBox", "").replace(",", " ").split()]
    width = _number(root.get("width", str(box[2] if len(box) == 4 else 0)), "width")
    height = _number(root.get("height", str(box[3] if len(box) == 4 else 0)), "height")
    if len(box) == 4 and (box[0], box[1]) != (0, 0):
        raise UnsupportedCover("a viewBox that does not start at 0 0")
    view_w, view_h = (box[2], box[3]) if len(box) == 4 else (width, height)
    if min(width, height, view_w, view_h) <= 0:
        raise UnsupportedCover("no size")
    scale = min(width / view_w, MAX_SIDE / view_w, MAX_SIDE / view_h)  # neither side beyond MAX_SIDE
    size = (round(view_w * scale), round(view_h * scale))
    if min(size) < 16:
        raise UnsupportedCover(f"a size of {size[0]} × {size[1]} pixels")
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    _draw(root, {"fill": "#000000", "font-size": "16"}, draw, scale, fonts)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _draw(element: ET.Element, inherited: dict[str, str], draw, scale: float, fonts: Path) -> None:
    name = element.tag.removeprefix(SVG)
    if name not in _DRAWN:
        raise UnsupportedCover(f"<{name}>")
    if name in ("title", "desc"):
        return
    extra = sorted(a for a in element.attrib if "}" not in a and a not in _PLAIN)
    if extra:
        raise UnsupportedCover(f"<{name} {extra[0]}=…>")
    style = {**inherited, **{k: v for k, v in element.attrib.items() if k in _INHERITED}}
    if name == "rect":
        x, y = _number(element.get("x", "0"), "x"), _number(element.get("y", "0"), "y")
        w, h = _number(element.get("width", "0"), "width"), _number(element.get("height", "0"), "height")
        x0, y0, x1, y1 = x * scale, y * scale, (x + w) * scale - 1, (y + h) * scale - 1
        if x1 >= x0 and y1 >= y0:  # at least a pixel
            draw.rectangle([x0, y0, x1, y1], fill=_colour(style))
        return
    if name == "text":
        if len(element):
            raise UnsupportedCover("<text> with <tspan> or other elements inside")
        _text(element.text or "", element, style, draw, scale, fonts)
        return
    for child in element:
        _draw(child, style, draw, scale, fonts)


def _text(text: str, element: ET.Element, style: dict[str, str], draw, scale: float, fonts: Path) -> None:
    """One line of text at its baseline, as SVG sets it (letter-spacing after every character)."""
    from PIL import ImageFont

    text = " ".join(text.split())
    if not text:
        return
    bold = style.get("font-weight", "normal") in ("bold", "bolder", "600", "700", "800", "900")
    italic = style.get("font-style", "normal") in ("italic", "oblique")
    face = "CharisSIL-" + ({(False, False): "Regular", (True, False): "Bold", (False, True): "Italic",
                            (True, True): "BoldItalic"}[bold, italic]) + ".ttf"
    size = _number(style["font-size"], "font-size") * scale
    font = ImageFont.truetype(str(fonts / face), max(1, round(size)))
    x, y = _number(element.get("x", "0"), "x") * scale, _number(element.get("y", "0"), "y") * scale
    spacing = _number(style.get("letter-spacing", "0"), "letter-spacing") * scale
    fill = _colour(style)
    if not spacing:
        draw.text((x, y), text, font=font, fill=fill, anchor="ls")
        return
    for character in text:
        draw.text((x, y), character, font=font, fill=fill, anchor="ls")
        x += font.getlength(character) + spacing


def _number(value: str, what: str) -> float:
    match = _NUMBER.fullmatch(value)
    if not match:
        raise UnsupportedCover(f"{what}={value!r}")
    return float(match.group(1))


def _colour(style: dict[str, str]) -> str:
    value = style.get("fill", "#000000").strip()
    match = _COLOUR.fullmatch(value)
    if not match:
        raise UnsupportedCover(f"fill={value!r}")
    digits = match.group(1)
    return "#" + (digits if len(digits) == 6 else "".join(d * 2 for d in digits))
