"""A caption under an image stays on the image's page.

A caption is the paragraph under an image (``*Figure 1.* …`` with ``{: .caption}``): with the image
at the foot of a page, the caption went over to the next page alone, at its top. An image paragraph
(``p.image``) is now kept with the block after it.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import MINIMAL_PDF_NAME, run_build
from PIL import Image

PARA = ("The crossing was counted every day by the officers on both sides of the river, and the numbers "
        "were sent to the capital once a month. ") * 2
SHORT = "Word word word word word word. "


@pytest.mark.skipif(shutil.which("pdfimages") is None, reason="needs poppler's pdfimages and pdftotext")
def test_the_caption_is_on_the_images_page(project: Path, tmp_path: Path) -> None:
    (project / "content" / "images").mkdir()
    Image.new("RGB", (600, 300), (40, 90, 160)).save(project / "content" / "images" / "wide.png")
    text = project / "content" / "texts" / "01-first-text.md"
    head = text.read_text(encoding="utf-8").split("\n---\n", 1)[0] + "\n---\n\n"
    image_pages = set()
    for k in range(6, 12):  # the paragraph before the image grows until the image is pushed over
        body = "\n\n".join([PARA] * 11) + "\n\n" + SHORT * (k + 1) + (
            "\n\n![A wide blue image](../images/wide.png)\n\n*Figure 1.* The blue image, a caption.\n"
            "{: .caption}\n\nAfter the figure.\n")
        text.write_text(head + body, encoding="utf-8")
        out = tmp_path / f"out-{k}"
        result = run_build("pdf", "--project", project, "--output", out)
        assert result.returncode == 0, result.stderr
        pdf = str(out / MINIMAL_PDF_NAME)
        pages = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True).stdout.split("\f")
        caption = next(i for i, page in enumerate(pages) if "a caption" in page) + 1
        listed = subprocess.run(["pdfimages", "-list", pdf], capture_output=True, text=True, check=True).stdout
        image = int(listed.splitlines()[2].split()[0])
        image_pages.add(image)
        assert caption == image, f"{k + 1} short sentences before: image on p. {image}, caption on p. {caption}"
    assert len(image_pages) == 2, "the image never reached the foot of a page: the test no longer provokes the break"
