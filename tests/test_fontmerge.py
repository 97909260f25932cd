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
