"""Images that would not reach the page: found in the check stage, with the line that uses them.

WeasyPrint drops an image it cannot load (it logs "Failed to load image" and
lays out the page without it), and chapbook silences WeasyPrint's log, so a
corrupt file or a decompression bomb used to give a book without the image
and exit status 0. Every raster image a part uses is therefore opened with
Pillow (WeasyPrint's own image library) in the check stage, reading only its
header and checking its chunks (``verify()``), never decoding its pixels:

- a file Pillow cannot identify (garbage, a format it does not know) → error;
- more than :data:`MAX_IMAGE_PIXELS` pixels (50 megapixels: a 30000×30000 PNG
  compresses to a few KB and would need 3.6 GB to decode) → error;
- a file whose chunks are damaged (``verify()`` fails) → error.

What still fails while typesetting is caught there
(:func:`chapbook.writers.pdf.image_failures`) and reported at the same place.
SVG images have their own checks (``sourcescan.svg_problems``); web images
(``--allow-remote``) are not fetched here.

Only the EPUB's core media types are accepted (PNG, JPEG, GIF, WebP, SVG): a BMP,
TIFF or ICO file prints but makes an invalid EPUB (RSC-032), so it is an error at
its line with a hint to convert it. What a file is comes from its bytes
(:func:`media_type`), not its name: JPEG data saved as ``.png`` goes into the
EPUB and the web edition as ``.jpg`` with ``image/jpeg`` (a warning names it).
"""

from __future__ import annotations

import warnings
from pathlib import Path

from . import sourcescan
from .diagnostics import Location, Report
from .model import Publication

# The EPUB 3 core media types of raster images, by their magic numbers; SVG is recognised by name.
CORE_TYPES = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp",
              "image/svg+xml": ".svg"}
_SUFFIX_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
                 ".webp": "image/webp", ".svg": "image/svg+xml"}


def sniff(head: bytes) -> str:
    """The core media type the first bytes of a raster image show, or ''."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return ""


def media_type(path: Path) -> str:
    """An image's media type from its bytes (an SVG by its name); '' when it is no core type."""
    if path.suffix.lower() == ".svg":
        return "image/svg+xml"
    try:
        with path.open("rb") as f:
            return sniff(f.read(16))
    except OSError:
        return ""


def type_suffix(path: Path) -> str:
    """The file-name ending that says what the image is (``.jpg`` for JPEG data saved as ``.png``)."""
    found = media_type(path)
    if not found or _SUFFIX_TYPES.get(path.suffix.lower()) == found:
        return path.suffix.lower()
    return CORE_TYPES[found]


# Issue 10, a bounded build: the largest image, in pixels (width × height), that a book may use.
MAX_IMAGE_PIXELS = 50_000_000


def image_files(publication: Publication) -> list[tuple[Location, str, Path]]:
    """(location of the Markdown image, target as written, file) of every local image of every part."""
    root = publication.root
    found = []
    for part in publication.parts:
        body, base = part.body, part.body_location
        masked = sourcescan.mask_code(body)
        labels = {sourcescan._label(m.group("label")): m.group("target")
                  for m in sourcescan._REFDEF.finditer(masked)}
        for loc, _, target in sourcescan.image_refs(body, base):
            # inline images give their target; reference images (![alt][label]) their label
            for candidate in (target, labels.get(sourcescan._label(target))):
                rel = sourcescan._image_path(candidate, part.path, root) if candidate else None
                if rel is not None and (root / rel).is_file():
                    found.append((loc, candidate, root / rel))
                    break
    return found


def image_problem(path: Path) -> str:
    """Why Pillow (and so WeasyPrint) could not put this image on the page, or ''."""
    if path.suffix.lower() == ".svg":
        return ""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    return (f"is {width}×{height} pixels, more than the limit of "
                            f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels")
                kind = image.format or "unknown"
                image.verify()
        if not media_type(path):
            return (f"is a {kind} image, which EPUB readers need not show; convert it to PNG, JPEG, "
                    "SVG, WebP or GIF")
    except Image.DecompressionBombError:
        return f"has more than {MAX_IMAGE_PIXELS // 1_000_000} megapixels (the limit)"
    except UnidentifiedImageError:
        return "is not an image file chapbook can read (PNG, JPEG, GIF, WebP …) or is damaged"
    except (OSError, SyntaxError, ValueError) as exc:  # verify() reports damage as any of these
        return f"is damaged ({exc})"
    return ""


def check_images(publication: Publication, report: Report) -> None:
    """A located error for every image that would not reach the page (called by check_content)."""
    problems: dict[Path, str] = {}
    told: set[Path] = set()
    for loc, target, path in image_files(publication):
        if path not in problems:
            problems[path] = image_problem(path)
        if problems[path].startswith("is a "):
            report.error(loc, f"image '{target}' {problems[path]}", "image-format")
        elif problems[path]:
            report.error(loc, f"image '{target}' {problems[path]}: it cannot be put on the page",
                         "broken-image")
        elif path not in told and (suffix := type_suffix(path)) != path.suffix.lower():
            told.add(path)
            report.warning(loc, f"image '{target}' is {media_type(path).split('/')[1].upper()} data under a "
                           f"'{path.suffix}' name; the EPUB and the web edition call it '{suffix}' "
                           f"(rename the file to {path.stem}{suffix})", "image-format")
