"""An image alone in its paragraph starts at the text's left edge in the EPUB and the web edition too.

print.css sets ``p.image`` without the first-line indent; epub.css and web.css did not, so in an
e-reader and a browser every image paragraph was pushed right by the paragraph indent (1.2em), and
an image as wide as the column (``max-width: 100%``) ran past its right edge by as much.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from conftest import run_build
from PIL import Image


def _image_box_offset(document: Path) -> tuple[float, float, float]:
    """(image's left x − its paragraph's content left x, image's right x, paragraph's content right x)."""
    import weasyprint

    pages = weasyprint.HTML(filename=str(document)).render().pages
    found = []

    def walk(box, paragraph=None):
        if getattr(box, "element_tag", None) == "p" and "image" in (box.element.get("class") or "").split():
            paragraph = box
        if getattr(box, "element_tag", None) == "img" and paragraph is not None:
            found.append((box.position_x - paragraph.content_box_x(), box.position_x + box.margin_width(),
                          paragraph.content_box_x() + paragraph.width))
        for child in getattr(box, "children", ()):
            walk(child, paragraph)

    for page in pages:
        walk(page._page_box)
    assert found, f"no image paragraph laid out in {document}"
    return found[0]


@pytest.mark.parametrize("target", ["epub", "web"])
def test_an_image_paragraph_has_no_indent_on_screens(project: Path, tmp_path: Path, target: str) -> None:
    (project / "content" / "images").mkdir()
    Image.new("RGB", (1200, 600), (40, 90, 160)).save(project / "content" / "images" / "wide.png")
    text = project / "content" / "texts" / "01-first-text.md"
    head = text.read_text(encoding="utf-8").split("\n---\n", 1)[0] + "\n---\n\n"
    text.write_text(head + "A paragraph before the image.\n\n![A wide blue image](../images/wide.png)\n\n"
                    "A paragraph after it.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_build(target, "--project", project, "--output", out)
    assert result.returncode == 0, result.stderr
    if target == "epub":
        with zipfile.ZipFile(next(out.glob("*.epub"))) as epub:
            epub.extractall(tmp_path / "epub")
        document = tmp_path / "epub" / "EPUB" / "part-first-text.xhtml"
    else:
        document = out / "web" / "texts" / "first-text" / "index.html"
    indent, right, column_right = _image_box_offset(document)
    assert indent == pytest.approx(0, abs=0.01)
    assert right <= column_right + 0.01
