"""One embedded font per typeface in the book joined from its parts (:mod:`chapbook.bookpdf`).

WeasyPrint embeds, in each part's PDF, a subset of every font that part uses: only its glyphs,
each at its glyph id in the full font (HarfBuzz's *retain GIDs*), so glyph ids mean the same in
every part. Joined as they are, the book would carry the same face once per part (42 fonts in the
64-page reader, 60 % more bytes; a printer's preflight lists each). Here the subsets of one face
(same ``/BaseFont``) become one: every glyph that any part draws is copied into one font program,
the widths (``/W``) and the text mapping (``/ToUnicode``) are united, and every page is pointed
at that font. Glyph outlines are copied as they are (a composite glyph's components keep their
ids), so the pages draw exactly what they drew before.

Merging costs about 10 ms per subset, so the result is kept under the output's cache keyed by
the subsets' digests: an edit that uses no new glyph finds the same subsets and merges nothing.
A face whose subsets do not fit this shape (not CID TrueType with identity mapping, glyph names
that differ between subsets) is left as it was: correct, only larger.

Glyph ids are retained only up to the highest glyph a part draws. WeasyPrint subsets twice, the
second time keeping ids 0 to that glyph without *retain GIDs*, so a component above it (Arabic
letters are composites of a body and its dots, often numbered higher than any drawn glyph; so are
some accented letters) is renumbered, differently in each part. Merged as if its id were the font's,
a Persian text drew other letters' dots ("پ" printed as "لآ"). Such components get ids of their own in
the merged font, and the composites that use them are rewritten (:class:`_Merged`).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
from pathlib import Path
from struct import error as struct_error

from .cacheseal import seal, sealed
from .outfiles import write_cache

_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")
_BFCHAR_BLOCK = re.compile(rb"beginbfchar(.*?)endbfchar", re.DOTALL)


def _widths(array) -> dict[int, float]:
    """A /W array as {glyph id: width}: ``c [w1 w2 …]`` and ``c1 c2 w`` runs."""
    import pikepdf

    items, out, i = list(array), {}, 0
    while i < len(items):
        first = int(items[i])
        if isinstance(items[i + 1], pikepdf.Array):
            for offset, width in enumerate(items[i + 1]):
                out[first + offset] = float(width)
            i += 2
        else:
            for gid in range(first, int(items[i + 1]) + 1):
                out[gid] = float(items[i + 2])
            i += 3
    return out


def _width_array(widths: dict[int, float]) -> list:
    """{glyph id: width} as /W runs of consecutive ids (as WeasyPrint writes them)."""
    out: list = []
    for gid in sorted(widths):
        width = int(widths[gid]) if float(widths[gid]).is_integer() else widths[gid]
        if out and out[-2] + len(out[-1]) == gid:
            out[-1].append(width)
        else:
            out.extend([gid, [width]])
    return out


def _to_unicode(data: bytes) -> dict[str, str] | None:
    """The bfchar pairs of a ToUnicode CMap (None if it uses anything else: then no merge)."""
    if b"bfrange" in data:
        return None
    pairs: dict[str, str] = {}
    for block in _BFCHAR_BLOCK.findall(data):
        for src, dst in _BFCHAR.findall(block):
            pairs.setdefault(src.decode("ascii").lower(), dst.decode("ascii").lower())
    return pairs


def _cmap(pairs: dict[str, str]) -> bytes:
    """A ToUnicode CMap from bfchar pairs, in batches of 100 as the PDF reference asks."""
    lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap", b"/CIDSystemInfo",
             b"<< /Registry (Adobe)", b"/Ordering (UCS)", b"/Supplement 0", b">> def",
             b"/CMapName /Adobe-Identity-UCS def", b"/CMapType 2 def", b"1 begincodespacerange",
             b"<0000> <ffff>", b"endcodespacerange"]
    items = sorted(pairs.items(), key=lambda item: int(item[0], 16))
    for start in range(0, len(items), 100):
        batch = items[start:start + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        lines.extend(f"<{src}> <{dst}>".encode() for src, dst in batch)
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)


def _components(data: bytes) -> list[int]:
    """The glyph ids a composite glyph's raw outline refers to (the 'glyf' table's component records)."""
    if len(data) < 10 or int.from_bytes(data[:2], "big", signed=True) >= 0:
        return []
    found, i = [], 10
    while i + 4 <= len(data):
        flags = int.from_bytes(data[i:i + 2], "big")
        found.append(int.from_bytes(data[i + 2:i + 4], "big"))
        i += 4 + (4 if flags & 0x0001 else 2)  # ARG_1_AND_2_ARE_WORDS
        i += 2 if flags & 0x0008 else 4 if flags & 0x0040 else 8 if flags & 0x0080 else 0  # the scale
        if not flags & 0x0020:  # MORE_COMPONENTS
            break
    return found


def _raw(glyph) -> bytes | None:
    """A glyph's outline as stored (b"" for an empty glyph), or None if fontTools has expanded it."""
    if hasattr(glyph, "data"):
        return glyph.data
    return b"" if getattr(glyph, "numberOfContours", 0) == 0 else None


def _renumbered(data: bytes, new_id) -> bytes | None:
    """A composite glyph's raw outline with each component's id replaced by ``new_id(old)`` (None if
    a component cannot be had); any other glyph as it is."""
    if len(data) < 10 or int.from_bytes(data[:2], "big", signed=True) >= 0:
        return data
    out, i = bytearray(data), 10
    while i + 4 <= len(out):
        flags = int.from_bytes(out[i:i + 2], "big")
        found = new_id(int.from_bytes(out[i + 2:i + 4], "big"))
        if found is None:
            return None
        out[i + 2:i + 4] = found.to_bytes(2, "big")
        i += 4 + (4 if flags & 0x0001 else 2)  # as in _components
        i += 2 if flags & 0x0008 else 4 if flags & 0x0040 else 8 if flags & 0x0080 else 0
        if not flags & 0x0020:
            break
    return bytes(out)


class _Merged:
    """The base subset's tables, grown to hold every subset's glyphs.

    Ids up to ``top`` (the highest glyph any subset draws) are the whole font's; a component a subset
    renumbered above its own highest drawn glyph (the module's doc) gets a new id past ``top``, and the
    composites that use it are rewritten to point there.
    """

    def __init__(self, font, top: int, base_top: int) -> None:
        self.font, self.glyf, self.hmtx = font, font["glyf"], font["hmtx"]
        self.order = list(font.getGlyphOrder())
        self.top = top
        self.moved: dict[tuple[int, int], int] = {}  # (subset, its renumbered id) → id here
        relocated = [(old, self._raw(old), self.hmtx[self.order[old]]) for old in range(base_top + 1, len(self.order))]
        if any(data is None for _, data, _ in relocated):
            raise ValueError("a renumbered component fontTools has expanded")  # no merge: correct, larger
        while len(self.order) <= top:  # the ids other subsets may draw, then those of moved components
            self._append(b"", (0, 0))
        kept = {old: self._append(data, metrics) for old, data, metrics in relocated}
        empty = self._glyph(b"")
        for old, _, _ in relocated:
            self.glyf.glyphs[self.order[old]] = empty
        for gid in range(len(self.order)) if kept else ():  # every composite that used a moved component
            data = self._raw(gid)
            if data:
                self._set(gid, _renumbered(data, lambda c: kept.get(c, c)))

    @staticmethod
    def _glyph(data: bytes):
        from fontTools.ttLib.tables._g_l_y_f import Glyph

        return Glyph(data)

    def _raw(self, gid: int) -> bytes | None:
        return _raw(self.glyf.glyphs[self.order[gid]])  # .glyphs: as stored (glyf[name] would expand it)

    def _set(self, gid: int, data: bytes | None) -> None:
        if data is not None:
            self.glyf.glyphs[self.order[gid]] = self._glyph(data)

    def _append(self, data: bytes | None, metrics) -> int:
        name = f"chapbook.{len(self.order)}"
        self.order.append(name)
        self.glyf.glyphs[name] = self._glyph(data or b"")
        self.hmtx[name] = metrics
        return len(self.order) - 1

    def take(self, gid: int, index: int, other, other_top: int) -> int | None:
        """The id here of glyph ``gid`` of subset ``index`` (``other``: its glyph order, glyf and hmtx),
        copied with its components if missing; None if it cannot be copied as stored."""
        order, glyf, hmtx = other
        if gid >= len(order):
            return None
        if gid > other_top and (index, gid) in self.moved:
            return self.moved[(index, gid)]
        if gid <= other_top:
            mine = self._raw(gid)
            if mine is None:
                return None
            if mine:
                return gid  # the base has this glyph already: the same glyph of the whole font
        data = _raw(glyf.glyphs[order[gid]])
        data = None if data is None else _renumbered(data, lambda c: self.take(c, index, other, other_top))
        if data is None:
            return None
        if gid > other_top:
            self.moved[(index, gid)] = self._append(data, hmtx[order[gid]])
            return self.moved[(index, gid)]
        self._set(gid, data)
        self.hmtx[self.order[gid]] = hmtx[order[gid]]
        return gid

    def program(self) -> bytes:
        self.font.setGlyphOrder(self.order)
        self.glyf.glyphOrder = self.order
        out = io.BytesIO()
        self.font.save(out)
        return out.getvalue()


def _merged_program(programs: list[bytes], glyph_sets: list[set[int]]) -> bytes | None:
    """One TrueType program holding every glyph of the subsets (same font, glyph ids retained up to the
    highest drawn one).

    Glyphs are addressed by id (subsets name them differently) and copied as raw outlines, with the ids
    of renumbered components rewritten (:class:`_Merged`); fontTools only carries the tables.
    """
    from fontTools.ttLib import TTFont

    fonts = [TTFont(io.BytesIO(p), recalcTimestamp=False, recalcBBoxes=False, lazy=True) for p in programs]
    counts = [f["maxp"].numGlyphs for f in fonts]
    tops = [max(drawn, default=0) for drawn in glyph_sets]
    base_index = max(range(len(fonts)), key=lambda i: (counts[i], -i))
    try:
        merged = _Merged(fonts[base_index], max(tops), tops[base_index])
        covered = set(glyph_sets[base_index])
        for index, font in enumerate(fonts):
            new = glyph_sets[index] - covered
            if index == base_index or not new:  # most parts draw no glyph another has not: tables unread
                continue
            other = (font.getGlyphOrder(), font["glyf"], font["hmtx"])
            if any(merged.take(gid, index, other, tops[index]) != gid for gid in sorted(new)):
                return None
            covered |= new
        return merged.program()
    except (KeyError, ValueError, TypeError, AssertionError, struct_error):  # a table fontTools cannot grow
        return None


def merge_fonts(pdf, cache: Path | None) -> None:
    """Give every face of the joined book one font object (see the module's doc)."""
    groups: dict[str, list] = {}
    seen: set = set()
    holders = font_holders(pdf)
    for holder in holders:
        for font in holder.Font.values():
            if font.is_indirect and font.objgen not in seen and font.get("/Subtype") == "/Type0":
                seen.add(font.objgen)
                groups.setdefault(str(font.BaseFont), []).append(font)
    replaced: dict = {}
    for fonts in groups.values():
        merged = _merge_group(pdf, fonts, cache) if len(fonts) > 1 else []
        replaced.update({font.objgen: merged[0] for font in merged[1:]})
    if not replaced:
        return
    for holder in holders:
        for name, font in list(holder.Font.items()):
            if font.is_indirect and font.objgen in replaced:
                holder.Font[name] = replaced[font.objgen]


def font_holders(pdf) -> list:
    """The resource dictionaries with fonts that the pages use: the pages', and those of the forms and
    patterns they draw and of their annotations' appearances, at any depth (the stamped folios' forms,
    :mod:`chapbook.folios`, have their own); shared ones first, in page order, then a form's own.

    Found from the pages, not by reading every object of the book (65,000 at 10×, 0.1 s): a resource
    dictionary no page uses is not written. One missed here keeps its fonts as they were: correct,
    only larger.
    """
    import pikepdf

    dictionary = pikepdf.ObjectType.dictionary
    shared: list = []
    own: list = []
    visited: set = set()

    def first_visit(obj) -> bool:
        if not obj.is_indirect:
            return True
        if obj.objgen in visited:
            return False
        visited.add(obj.objgen)
        return True

    def resources(res, form: bool) -> None:
        if res is None or res._type_code != dictionary or not first_visit(res):
            return
        font = res.get("/Font")
        if font is not None and font._type_code == dictionary:
            (own if form and not res.is_indirect else shared).append(res)
        for kind in ("/XObject", "/Pattern"):
            group = res.get(kind)
            if group is not None and group._type_code == dictionary:
                for obj in group.values():
                    drawn(obj)

    def drawn(obj) -> None:
        if obj._type_code in (pikepdf.ObjectType.stream, dictionary) and first_visit(obj):
            resources(obj.get("/Resources"), obj._type_code == pikepdf.ObjectType.stream)

    for page in pdf.pages:
        resources(page.obj.get("/Resources"), False)
        for annot in page.obj.get("/Annots", ()):
            appearance = annot.get("/AP") if annot._type_code == dictionary else None
            if appearance is not None and appearance._type_code == dictionary:
                for state in appearance.values():
                    for obj in (state.values() if state._type_code == dictionary and not isinstance(
                            state, pikepdf.Stream) else [state]):
                        drawn(obj)
    return [h for h in shared if h.get("/Type") != "/Font"] + own


def _merge_group(pdf, fonts: list, cache: Path | None) -> list:
    """The fonts of one face that now share the first one's program, widths and text mapping
    ([] when none could be merged)."""
    import pikepdf

    descendants = [font.DescendantFonts[0] for font in fonts]
    if any(d.get("/Subtype") != "/CIDFontType2" or d.get("/CIDToGIDMap") != "/Identity"
           or "/FontFile2" not in d.FontDescriptor or "/ToUnicode" not in font
           for d, font in zip(descendants, fonts, strict=True)):
        return []
    programs = [d.FontDescriptor.FontFile2.read_bytes() for d in descendants]
    drawn = [_widths(d.W) for d in descendants]
    key = hashlib.sha256(b"fontmerge/2\0" + b"".join(hashlib.sha256(p).digest() for p in programs)).hexdigest()
    merged = _cached(cache, key)
    if merged is None:
        widths: dict[int, float] = {}
        pairs: dict[str, str] = {}
        glyph_sets = []
        for own, font in zip(drawn, fonts, strict=True):
            glyph_sets.append(set(own))
            for gid, width in own.items():
                widths.setdefault(gid, width)
            mapping = _to_unicode(font.ToUnicode.read_bytes())
            if mapping is None:
                return []
            for src, dst in mapping.items():
                pairs.setdefault(src, dst)
        program = _merged_program(programs, glyph_sets)
        if program is None:
            return []
        merged = {"program": program, "widths": _width_array(widths), "cmap": _cmap(pairs)}
        _store(cache, key, merged)
    first = descendants[0]
    first.FontDescriptor.FontFile2 = pikepdf.Stream(pdf, merged["program"])
    first.W = pikepdf.Array([pikepdf.Array(x) if isinstance(x, list) else x for x in merged["widths"]])
    fonts[0].ToUnicode = pikepdf.Stream(pdf, merged["cmap"])
    return fonts


def _cached(cache: Path | None, key: str) -> dict | None:
    if cache is None:
        return None
    try:
        meta = json.loads((cache / f"font-{key}.json").read_text(encoding="utf-8"))
        program = (cache / f"font-{key}.ttf").read_bytes()
    except (OSError, ValueError):
        return None
    if not sealed(meta.get("seal"), key.encode("ascii"), program,
                  json.dumps([meta.get("widths"), meta.get("cmap")]).encode("utf-8")):
        return None  # planted, damaged or another user's (chapbook.cacheseal)
    with contextlib.suppress(OSError):  # most recently used: kept when older merged fonts are let go
        os.utime(cache / f"font-{key}.json", follow_symlinks=False)
    return {"program": program, "widths": meta["widths"], "cmap": meta["cmap"].encode("latin-1")}


def _store(cache: Path | None, key: str, merged: dict) -> None:
    if cache is None:
        return
    try:  # no temporary file is left when a write fails, no link followed (outfiles.write_cache)
        cmap = merged["cmap"].decode("latin-1")
        tag = seal(key.encode("ascii"), merged["program"], json.dumps([merged["widths"], cmap]).encode("utf-8"))
        if tag is None:
            return
        meta = {"seal": tag, "widths": merged["widths"], "cmap": cmap}
        for name, data in ((f"font-{key}.ttf", merged["program"]),
                           (f"font-{key}.json", json.dumps(meta).encode("utf-8"))):
            write_cache(cache / name, data)
    except OSError:  # a full disk, a read-only folder: no cache, same result
        pass
