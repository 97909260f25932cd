"""The font holders of the joined book (chapbook.fontmerge.font_holders) found from its pages."""

from __future__ import annotations

import pikepdf

from chapbook.fontmerge import font_holders


def _every_holder(pdf: pikepdf.Pdf) -> list:
    """Every resource dictionary with fonts, found by reading every object (as merge_fonts did)."""
    holders = [obj for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary) and "/Font" in obj
               and obj.get("/Type") != "/Font" and obj.Font._type_code == pikepdf.ObjectType.dictionary]
    return holders + [obj.Resources for obj in pdf.objects
                      if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Form" and "/Resources" in obj
                      and not obj.Resources.is_indirect and "/Font" in obj.Resources
                      and obj.Resources.Font._type_code == pikepdf.ObjectType.dictionary]


def _fonts(holders: list) -> list:
    return [sorted((str(name), font.objgen) for name, font in h.Font.items()) for h in holders]


def test_the_holders_found_from_the_pages_are_every_holder_in_order(minimal_pdf) -> None:
    with pikepdf.open(minimal_pdf) as pdf:
        found = font_holders(pdf)
        assert any(not h.is_indirect for h in found)  # the stamped folios' forms have their own
        assert len(found) > len(pdf.pages) // 4
        assert _fonts(found) == _fonts(_every_holder(pdf))


def test_a_merged_face_draws_what_each_part_drew(tmp_path) -> None:
    """Every page of the joined book looks like its part's own page (folio aside): a Persian text's
    letters are composites whose components WeasyPrint renumbers per part, above the highest glyph
    drawn, so fonts merged by glyph id printed other letters' dots ("پ" as "لآ"; 1,607 pixels of
    the page differed). chapbook.fontmerge gives those components ids of their own: still one font
    per face."""
    import json
    import shutil
    import subprocess

    from conftest import PROJECTS, run_build
    from PIL import Image, ImageChops

    project = tmp_path / "rtl"
    shutil.copytree(PROJECTS / "rtl", project)
    out = tmp_path / "out"
    result = run_build("pdf", "--project", project, "--output", out)
    assert result.returncode == 0, result.stdout + result.stderr
    book = next(out.glob("*[a-z].pdf"))
    parts = {}
    for meta in (out / ".cache" / "parts").glob("*.json"):
        anchors = json.loads(meta.read_text(encoding="utf-8")).get("anchors", [])
        parts.update({a: meta.with_suffix(".pdf") for a in anchors if a.startswith("part-")})
    titles = {"رودخانهٔ کودکی": "part-rudkhane", "ذاكرة النهر": "part-dhakirat-al-nahr"}
    with pikepdf.open(book) as pdf:
        fonts = {font.objgen: str(font.BaseFont) for holder in font_holders(pdf) for font in holder.Font.values()}
        faces = list(fonts.values())
        assert len(faces) == len(set(faces)) and any("DejaVu-Sans" in f for f in faces), faces
    with pikepdf.open(book) as pdf, pdf.open_outline() as outline:
        pages = {p.objgen: i + 1 for i, p in enumerate(pdf.pages)}
        first_page = {titles[item.title]: pages[item.destination[0].objgen]
                      for item in outline.root if item.title in titles}
    assert set(first_page) == set(titles.values()), first_page

    def picture(pdf_path, page: int, name: str) -> Image.Image:
        subprocess.run(["pdftoppm", "-r", "100", "-png", "-f", str(page), "-l", str(page), "-singlefile",
                        str(pdf_path), str(tmp_path / name)], check=True)
        image = Image.open(tmp_path / f"{name}.png").convert("L")
        return image.crop((0, 0, image.width, int(image.height * 0.88)))  # above the folio

    for anchor in ("part-rudkhane", "part-dhakirat-al-nahr"):
        difference = ImageChops.difference(picture(book, first_page[anchor], "book"),
                                           picture(parts[anchor], 1, "part"))
        assert sum(1 for v in difference.get_flattened_data() if v > 100) == 0, anchor
