"""The publication's settings (content/publication.yml), declared once and validated.

Each option is declared with its type, default and meaning in ``OPTIONS``;
the README's table is written from the same declarations. Unknown keys are
reported with a "did you mean", like MkDocs does, instead of being ignored.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .diagnostics import Location, Report, did_you_mean
from .fieldcheck import check_date, check_language, markdown_problems
from .sourcescan import RAW_HTML
from .words import ENGLISH, check_words, words_for

PAPER_SIZES = {  # width, height
    "A5": ("148mm", "210mm"),
    "A4": ("210mm", "297mm"),
    "Letter": ("8.5in", "11in"),
    "half-letter": ("5.5in", "8.5in"),
}
_LENGTH = re.compile(r"^\d+(\.\d+)?(mm|cm|in|pt|px)\Z")
# The body text's size: 0pt made the body invisible, 500pt one word a page.
MIN_FONT_PT, MAX_FONT_PT = 5, 36
_POINTS = {"pt": 1, "px": 0.75, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72}


def points(length: str) -> float:
    """A length matching ``_LENGTH`` in points."""
    m = _LENGTH.match(length)
    assert m is not None
    return float(length[:m.start(2)]) * _POINTS[m.group(2)]


@dataclass(frozen=True)
class Option:
    kind: type | tuple[type, ...]
    default: Any
    help: str


OPTIONS: dict[str, Option] = {
    "title": Option(str, "", "the reader's title (required)"),
    "subtitle": Option(str, "", "subtitle shown on the cover and title page"),
    "editors": Option(list, [], "names of the editors"),
    "publisher": Option(str, "", "publisher or collective"),
    "edition": Option(str, "", "edition statement, e.g. 'First edition'"),
    "date": Option((str, int), "", "date of this edition"),
    "language": Option(str, "en", "BCP 47 language of the book (texts may set their own)"),
    "identifier": Option(str, "", "stable identifier (URN, ISBN…); used by the EPUB"),
    "rights": Option(str, "", "rights statement for the imprint page"),
    "subject": Option(str, "", "subject, for PDF/EPUB metadata"),
    "blurb": Option(str, "", "text for the back cover (Markdown); the subject is used when empty"),
    "keywords": Option(list, [], "keywords, for PDF/EPUB metadata"),
    "front": Option(list, ["introduction"], "front-matter parts (content/NAME.md), before the texts"),
    "texts": Option(list, [], "slugs of the texts in reading order (default: file-name order)"),
    "back": Option(list, [], "back-matter parts (content/NAME.md), after the texts"),
    "paper": Option(str, "A5", "page size: A5, A4, Letter, half-letter or 'WIDTH HEIGHT' (e.g. '140mm 216mm')"),
    "typography": Option(dict, {}, "typographic settings, see TYPOGRAPHY"),
    "booklet": Option(dict, {}, "folded-booklet imposition (target booklet), see BOOKLET"),
    "print": Option(dict, {}, "print-shop PDF with bleed and crop marks (target print), see PRINT"),
    "cover": Option(dict, {}, "perfect-bound cover: back, spine and front on one sheet (target cover), see COVER"),
    "pdf": Option(dict, {}, "the book PDF: tagging for screen readers, PDF/A for archives, see PDF"),
    "handouts": Option(dict, {}, "classroom handouts, one PDF per text (target handouts), see HANDOUTS"),
    "glossary": Option(dict, {}, "which words of the texts link to the glossary, and unused entries, see GLOSSARY"),
    "citation_style": Option(str, "", "citations and references: '' for the house style (Chicago author–date), "
                             "a shipped CSL style (apa, chicago-author-date, harvard-cite-them-right, "
                             "chicago-notes-bibliography) or a .csl file in the project (styles/NAME.csl)"),
    "words": Option(dict, {}, "chapbook's own words (headings, labels, month names) where the book's language "
                    "has none or you want others, e.g. {contents: Inhalt}; see chapbook/words.py"),
}

TYPOGRAPHY: dict[str, Option] = {
    "font_size": Option(str, "10pt", "body font size"),
    "line_height": Option((float, int, str), 1.4, "line height of body text"),
    "body_font": Option(str, "Charis SIL", "font family of the body (a vendored face or one in styles/fonts)"),
    "heading_font": Option(str, "Charis SIL", "font family of headings"),
    "acronyms": Option(str, "reduced", "how runs of capitals (IOM) are set: reduced (smaller, spaced capitals),"
                       " small-caps (true c2sc small caps) or plain"),
    "paragraph_numbers": Option(bool, False, "show ¶ numbers in the margin of the book"),
    "texts_start": Option(str, "right", "where each text begins: right (a right-hand page, a blank left one "
                          "before it when needed) or any (the next page: a poetry chapbook without blanks)"),
}


@dataclass(frozen=True)
class Config:
    title: str
    subtitle: str = ""
    editors: tuple[str, ...] = ()
    publisher: str = ""
    edition: str = ""
    date: str = ""
    language: str = "en"
    identifier: str = ""
    rights: str = ""
    subject: str = ""
    blurb: str = ""
    keywords: tuple[str, ...] = ()
    front: tuple[str, ...] = ("introduction",)
    texts: tuple[str, ...] = ()
    back: tuple[str, ...] = ()
    page_width: str = "148mm"
    page_height: str = "210mm"
    typography: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    booklet: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    printshop: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    cover: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    pdf: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    handouts: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    glossary: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    citation_style: str = ""  # '' (the house style), a shipped CSL style's name or a .csl path; see chapbook.csl
    # chapbook's own words in the book's language, the project's words: over them (chapbook.words)
    words: dict[str, str] = field(default_factory=lambda: dict(ENGLISH), compare=False, hash=False)
    locations: dict[str, Location] = field(default_factory=dict, compare=False, hash=False)

    @property
    def subtitle_separator(self) -> str:
        """What comes between the title and the subtitle: ": ", or a space after a title that ends in
        its own punctuation ("Orderly and Humane? A critical reader", not "Humane?: A")."""
        return " " if self.title.rstrip().endswith(("?", "!", ":", "…")) else ": "

    @property
    def paper_css(self) -> str:
        return f"{self.page_width} {self.page_height}"


def _type_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {str: "text", list: "a list", dict: "a mapping", int: "a number", float: "a number", bool: "true/false"}
    return " or ".join(dict.fromkeys(names[k] for k in kinds))


# How YAML may write a key that is not text (the line index has the key as written).
_SPELLINGS = {"None": ["null", "Null", "NULL", "~", ""],
              "True": ["true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"],
              "False": ["false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"]}


def _check(data: dict, options: dict[str, Option], where: str, path: Path, lines: dict[str, int],
           report: Report) -> dict[str, Any]:
    values = {}
    for key, value in data.items():
        loc = Location(path, lines.get(f"{where}{key}", 1), 1)
        if not isinstance(key, str):  # null: x, true: x, 3: x — the line is under the key as written
            spelled = [s for s in _SPELLINGS.get(repr(key), [str(key)]) if f"{where}{s}" in lines]
            loc = Location(path, lines[f"{where}{spelled[0]}"] if spelled else 1, 1)
            report.error(loc, f"unknown setting '{where}{spelled[0] if spelled else key}': a setting's name is "
                         "a word such as title", "unknown-setting")
            continue
        if key not in options:
            report.error(loc, f"unknown setting '{where}{key}'{did_you_mean(str(key), options.keys())}")
            continue
        option = options[key]
        if value is None:
            continue
        kinds = option.kind if isinstance(option.kind, tuple) else (option.kind,)
        if (bool in kinds and not isinstance(value, bool)) or (bool not in kinds and isinstance(value, bool)):
            report.error(loc, f"'{where}{key}' must be {_type_name(option.kind)}")
            continue
        if not isinstance(value, kinds):
            report.error(loc, f"'{where}{key}' must be {_type_name(option.kind)}, not {type(value).__name__}")
            continue
        if isinstance(value, list) and not all(isinstance(v, (str, int)) for v in value):
            report.error(loc, f"'{where}{key}' must be a list of names")
            continue
        if isinstance(value, float) and not math.isfinite(value):  # YAML's .nan and .inf: no page has them
            report.error(loc, f"'{where}{key}' must be a number, not {value}")
            continue
        values[key] = value
    return values


_NUMBER = re.compile(r"^\d+(\.\d+)?\Z")
# A font family as CSS and fontconfig name it: letters, digits, spaces and hyphens; nothing that could
# close the quoted string it is written into (", \\, newline) or start a new rule.
FONT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _-]{0,63}\Z")


def check_css_values(typography: dict[str, Any], path: Path, lines: dict[str, int], report: Report) -> None:
    """Typography settings are written into CSS: each must parse as its kind, or the default is used.

    Text such as ``1.4 } p {color:white}`` would otherwise close the rule and add one of its own.
    """
    def bad(key: str, message: str) -> None:
        report.error(Location(path, lines.get(f"typography.{key}", 1), 1), message, "bad-value")
        typography[key] = TYPOGRAPHY[key].default

    if typography["acronyms"] not in ("reduced", "small-caps", "plain"):
        bad("acronyms", "'typography.acronyms' must be reduced, small-caps or plain")
    if typography["texts_start"] not in ("right", "any"):
        bad("texts_start", "'typography.texts_start' must be right or any")
    if not _LENGTH.match(str(typography["font_size"])):
        bad("font_size", "'typography.font_size' must be a length such as 10pt")
    elif not MIN_FONT_PT <= points(str(typography["font_size"])) <= MAX_FONT_PT:
        bad("font_size", f"'typography.font_size' {typography['font_size']} cannot be read in a book: give a size "
            f"from {MIN_FONT_PT:g}pt to {MAX_FONT_PT:g}pt, such as 10pt")
    height = str(typography["line_height"]).strip()
    if not (_LENGTH.match(height) or (_NUMBER.match(height) and 0.8 <= float(height) <= 3)):
        bad("line_height", "'typography.line_height' must be a number between 0.8 and 3 (such as 1.4) "
            "or a length (such as 14pt)")
    for key in ("body_font", "heading_font"):
        if not FONT_NAME.match(str(typography[key])):
            bad(key, f"'typography.{key}' must be a font family name (letters, digits, spaces, '-'), "
                f"such as {TYPOGRAPHY[key].default}")


def parse_paper(value: str) -> tuple[str, str] | None:
    """'A5' → ('148mm', '210mm'); '140mm 216mm' → as given; None if not understood."""
    for name, size in PAPER_SIZES.items():
        if value.strip().lower() == name.lower():
            return size
    parts = value.split()
    if len(parts) == 2 and all(_LENGTH.match(p) and MIN_PAPER_MM <= points(p) / _POINTS["mm"] <= MAX_PAPER_MM
                               for p in parts):
        return parts[0], parts[1]
    return None


# A page or sheet given as 'WIDTH HEIGHT': from a pocket booklet to a poster (A0 is 841 × 1189 mm).
# Outside them WeasyPrint stopped with "Page size must be between 3 and 14400 PDF units", an
# internal error without a place (a review's '1mm 1mm' and '20000mm 20000mm').
MIN_PAPER_MM, MAX_PAPER_MM = 25, 1500
PAPER_RANGE = f"each side from {MIN_PAPER_MM}mm to {MAX_PAPER_MM}mm"


def build_config(data: Any, path: Path, lines: dict[str, int], report: Report) -> Config:
    """Validate the YAML mapping of publication.yml; every problem goes to ``report``."""
    if not isinstance(data, dict):
        report.error(Location(path, 1, 1), "publication.yml must be a mapping of settings (key: value)")
        data = {}
    values = _check(data, OPTIONS, "", path, lines, report)
    typography = {k: o.default for k, o in TYPOGRAPHY.items()}
    typography.update(_check(values.get("typography", {}), TYPOGRAPHY, "typography.", path, lines, report))
    check_css_values(typography, path, lines, report)
    if not all(str(name).strip() for name in values.get("editors", [])):  # an empty dc:contributor in the EPUB
        report.error(Location(path, lines.get("editors", 1), 1), "an empty name in 'editors'", "missing-field")
        values.pop("editors")
    if not str(values.get("title", "")).strip():  # a title of spaces left the EPUB's dc:title empty
        report.error(Location(path, lines.get("title", 1), 1), "publication.yml has no 'title'")
    for key in ("rights", "blurb"):  # rendered as Markdown on the imprint page and the back cover
        if RAW_HTML.search(values.get(key, "")):
            report.error(Location(path, lines.get(key, 1), 1),
                         f"raw HTML is not allowed in '{key}'; use Markdown (write &lt; for a literal '<')")
            values.pop(key)
            continue
        where = Location(path, lines.get(key, 1), 1)
        for message in markdown_problems(values.get(key, ""), where, path, path.parent.parent):
            report.error(where, f"in '{key}': {message}")
            values.pop(key, None)
    if not check_date(str(values.get("date", "")), Location(path, lines.get("date", 1), 1), report):
        values.pop("date")
    if not check_language(str(values.get("language", "en")), Location(path, lines.get("language", 1), 1),
                          report, "language"):
        values.pop("language")
    language = values.get("language", "en")
    own = check_words(values.get("words", {}), language, Location(path, lines.get("language", 1), 1), lines, report)
    paper = parse_paper(str(values.get("paper", "A5")))
    if paper is None:
        report.error(Location(path, lines.get("paper", 1), 1),
                     f"unknown paper size '{values.get('paper')}' "
                     f"(use {', '.join(PAPER_SIZES)} or 'WIDTH HEIGHT' such as '140mm 216mm', {PAPER_RANGE})")
        paper = PAPER_SIZES["A5"]

    def names(key: str) -> tuple[str, ...]:
        default = OPTIONS[key].default
        return tuple(str(v) for v in values.get(key, default))

    def stated(key: str) -> str:
        """A text setting, blank as unset: a subtitle of spaces gave the EPUB an empty dc:title (and a
        keyword of none an empty dc:subject), which EPUBCheck refuses."""
        return str(values.get(key, "")).strip()

    booklet, printshop = check_print_settings(values, path, lines, report)
    return Config(
        title=str(values.get("title", "")), subtitle=stated("subtitle"),
        editors=names("editors"), publisher=stated("publisher"),
        edition=stated("edition"), date=str(values.get("date", "")),
        language=values.get("language", "en"), identifier=stated("identifier"),
        rights=values.get("rights", ""), subject=stated("subject"), blurb=values.get("blurb", ""),
        keywords=tuple(k for k in names("keywords") if k.strip()), front=names("front"), texts=names("texts"),
        back=names("back"),
        page_width=paper[0], page_height=paper[1], typography=typography,
        booklet=booklet, printshop=printshop, handouts=check_handout_settings(values, path, lines, report),
        glossary=check_glossary_settings(values, path, lines, report),
        cover=check_cover_settings(values, path, lines, report),
        pdf=check_pdf_settings(values, path, lines, report),
        citation_style=values.get("citation_style", "").strip(), words=words_for(language, own),
        locations={k: Location(path, line, 1) for k, line in lines.items()},
    )


# ---- Print production: booklet imposition and the print-shop PDF (issue 5) -------------------
# Declared here like TYPOGRAPHY; validated into ``config.booklet`` and ``config.printshop``.


BOOKLET: dict[str, Option] = {
    "signature": Option(int, 0, "pages per gathering (a multiple of 4); 0: one saddle-stitched gathering"),
    "creep": Option(bool, False, "shift the pages of inner sheets toward the fold (thick booklets)"),
    "paper_thickness_mm": Option((float, int), 0, "paper thickness for creep, the stapler check and the "
                                 "cover's spine, in mm (e.g. 0.1)"),
    "paper_weight_gsm": Option((float, int), 80, "paper weight (creep, stapler check, spine) when no "
                               "thickness is given, in g/m²"),
    "marks": Option(bool, False, "fold marks, and crop marks when the sheet is larger than two pages"),
    "instructions": Option(str, "separate", "'how to print and fold': none, page (last page of the booklet) "
                           "or separate (NAME-booklet-instructions.pdf)"),
    "sheet": Option(str, "auto", "sheet size: auto (A5 → A4, A4 → A3, half-letter → Letter, else twice the "
                    "page width) or a paper size / 'WIDTH HEIGHT'"),
}

PRINT: dict[str, Option] = {
    "bleed": Option(str, "3mm", "bleed around each page for the print shop"),
    "marks": Option(bool, True, "crop marks outside the bleed"),
    "pdf_variant": Option(str, "", "'' or pdf/x-4 (or pdf/x-1a, pdf/x-3) when the print shop asks for PDF/X"),
    "output_profile": Option(str, "", "ICC output profile for PDF/X, a file in the project "
                             "(e.g. styles/FOGRA39.icc); default: sRGB"),
}

_PDF_X = ("pdf/x-1a", "pdf/x-3", "pdf/x-4")


def check_print_settings(data: Any, path: Path, lines: dict[str, int],
                         report: Report) -> tuple[dict[str, Any], dict[str, Any]]:
    """Validate the ``booklet`` and ``print`` mappings of publication.yml; defaults filled in."""
    data = data if isinstance(data, dict) else {}

    def section(key: str, options: dict[str, Option]) -> dict[str, Any]:
        values = {k: o.default for k, o in options.items()}
        raw = data.get(key)
        if isinstance(raw, dict):
            values.update(_check(raw, options, f"{key}.", path, lines, report))
        return values

    def bad(key: str, message: str, options: dict[str, Option], values: dict[str, Any]) -> None:
        report.error(Location(path, lines.get(key, 1), 1), message)
        values[key.split(".", 1)[1]] = options[key.split(".", 1)[1]].default

    booklet = section("booklet", BOOKLET)
    if booklet["signature"] < 0 or booklet["signature"] % 4:
        bad("booklet.signature", "'booklet.signature' must be a multiple of 4 pages (or 0 for one gathering)",
            BOOKLET, booklet)
    for key, most in (("paper_thickness_mm", 2), ("paper_weight_gsm", 500)):  # card is ~0.3 mm, 300 gsm
        if not 0 <= booklet[key] <= most:
            bad(f"booklet.{key}", f"'booklet.{key}' must be from 0 to {most}", BOOKLET, booklet)
    if booklet["instructions"] not in ("none", "page", "separate"):
        bad("booklet.instructions", "'booklet.instructions' must be none, page or separate", BOOKLET, booklet)
    if booklet["sheet"] != "auto" and parse_sheet(booklet["sheet"]) is None:
        bad("booklet.sheet", f"unknown sheet size '{booklet['sheet']}' (use auto, {', '.join(PAPER_SIZES)}, "
            f"A3 or 'WIDTH HEIGHT', {PAPER_RANGE})", BOOKLET, booklet)

    printing = section("print", PRINT)
    if not _LENGTH.match(printing["bleed"]) or points(printing["bleed"]) > 25 * _POINTS["mm"]:
        bad("print.bleed", "'print.bleed' must be a length from 0 to 25mm, such as 3mm", PRINT, printing)
    if printing["pdf_variant"] and printing["pdf_variant"].lower() not in _PDF_X:
        bad("print.pdf_variant", f"'print.pdf_variant' must be empty or one of {', '.join(_PDF_X)}",
            PRINT, printing)
    printing["pdf_variant"] = printing["pdf_variant"].lower()
    return booklet, printing


SHEET_SIZES = {**PAPER_SIZES, "A3": ("297mm", "420mm")}  # booklet sheets: A3 takes two A4 pages


def parse_sheet(value: str) -> tuple[str, str] | None:
    """A booklet sheet size: a paper size, A3, or 'WIDTH HEIGHT'; None if not understood."""
    for name, size in SHEET_SIZES.items():
        if value.strip().lower() == name.lower():
            return size
    return parse_paper(value)

def booklet_settings(config: Config) -> dict[str, Any]:
    """The booklet settings, defaults filled in (also for a Config made by hand)."""
    return {**{k: o.default for k, o in BOOKLET.items()}, **config.booklet}


def print_settings(config: Config) -> dict[str, Any]:
    """The print-shop settings, defaults filled in (also for a Config made by hand)."""
    return {**{k: o.default for k, o in PRINT.items()}, **config.printshop}


# ---- The perfect-bound cover (issue 12) -------------------------------------------------------
# Declared like TYPOGRAPHY; validated into ``config.cover``. The bleed is print.bleed and the
# paper booklet.paper_thickness_mm / paper_weight_gsm: one print job, one paper.

COVER: dict[str, Option] = {
    "spine_mm": Option((float, int), 0, "spine width the print shop gives, in mm; 0: pages ÷ 2 × the paper "
                       "thickness (booklet.paper_thickness_mm or paper_weight_gsm)"),
    "marks": Option(bool, False, "crop marks, spine marks and a slug line outside the bleed"),
}


def check_cover_settings(data: Any, path: Path, lines: dict[str, int], report: Report) -> dict[str, Any]:
    """Validate the ``cover`` mapping of publication.yml; defaults filled in."""
    values = {k: o.default for k, o in COVER.items()}
    raw = data.get("cover") if isinstance(data, dict) else None
    if isinstance(raw, dict):
        values.update(_check(raw, COVER, "cover.", path, lines, report))
    if not 0 <= values["spine_mm"] <= 200:  # 200 mm: some 2,000 pages of thick paper
        report.error(Location(path, lines.get("cover.spine_mm", 1), 1), "'cover.spine_mm' must be from 0 to 200")
        values["spine_mm"] = 0
    return values


def cover_settings(config: Config) -> dict[str, Any]:
    """The cover settings, defaults filled in (also for a Config made by hand)."""
    return {**{k: o.default for k, o in COVER.items()}, **config.cover}


# ---- The book PDF: tagging and archival variants (issue 5) ------------------------------------
# Declared like TYPOGRAPHY; validated into ``config.pdf``.

PDF: dict[str, Option] = {
    "tagged": Option(bool, True, "tag the book PDF (headings, paragraphs, lists, links, figures with alt "
                     "text) so screen readers can read it; about a quarter larger"),
    "variant": Option(str, "", "'' or a PDF/A level for archives and libraries: pdf/a-2b, pdf/a-3b, "
                      "pdf/a-2u, pdf/a-3u, pdf/a-3a (tagged, accessible); or pdf/ua-1"),
}

PDF_VARIANTS = ("pdf/a-2b", "pdf/a-3b", "pdf/a-2u", "pdf/a-3u", "pdf/a-3a", "pdf/ua-1")
TAGGED_VARIANTS = ("pdf/a-3a", "pdf/ua-1")  # these require a tagged PDF


def check_pdf_settings(data: Any, path: Path, lines: dict[str, int], report: Report) -> dict[str, Any]:
    """Validate the ``pdf`` mapping of publication.yml; defaults filled in."""
    values = {k: o.default for k, o in PDF.items()}
    raw = data.get("pdf") if isinstance(data, dict) else None
    if isinstance(raw, dict):
        values.update(_check(raw, PDF, "pdf.", path, lines, report))
    values["variant"] = values["variant"].strip().lower()
    if values["variant"] and values["variant"] not in PDF_VARIANTS:
        report.error(Location(path, lines.get("pdf.variant", 1), 1),
                     f"'pdf.variant' must be empty or one of {', '.join(PDF_VARIANTS)}")
        values["variant"] = ""
    if values["variant"] in TAGGED_VARIANTS and not values["tagged"]:
        report.error(Location(path, lines.get("pdf.tagged", 1), 1),
                     f"'pdf.variant' {values['variant']} needs a tagged PDF; remove 'pdf.tagged: false'")
        values["tagged"] = True
    return values


def pdf_settings(config: Config) -> dict[str, Any]:
    """The book-PDF settings, defaults filled in (also for a Config made by hand)."""
    return {**{k: o.default for k, o in PDF.items()}, **config.pdf}


# ---- Classroom handouts (issue 6) --------------------------------------------------------------
# Declared like TYPOGRAPHY; validated into ``config.handouts``.

HANDOUTS: dict[str, Option] = {
    "paper": Option(str, "A4", "page size of the handouts: A4, Letter, A5, half-letter or 'WIDTH HEIGHT'"),
    "outer_margin": Option(str, "45mm", "the wide outer margin left for notes"),
    "font_size": Option(str, "11pt", "body font size of the handouts"),
    "ruled_lines": Option(int, 6, "ruled lines to write on under each discussion question (0: none)"),
    "class_pack": Option(bool, True, "also write all handouts as one PDF, NAME-class-pack.pdf"),
}


# ---- The glossary: what is marked, what is listed (issue 12) -------------------------------------
# A glossary of everyday words ("right", "weather") would mark them in every text: an editor
# chooses to mark only what was marked by hand, and to leave out entries no text uses.

GLOSSARY_MARKS = ("first", "all", "manual")
GLOSSARY_UNUSED = ("keep", "omit")
GLOSSARY: dict[str, Option] = {
    "mark": Option(str, "first", "which occurrences link to the glossary: first (the first of each term in "
                   "each text), all (every one), manual (only words marked [[term]] by hand)"),
    "unused": Option(str, "keep", "entries no text marks: keep (listed, with a warning) or omit (left out "
                     "of every glossary, without a warning)"),
}


def check_glossary_settings(data: Any, path: Path, lines: dict[str, int], report: Report) -> dict[str, Any]:
    """Validate the ``glossary`` mapping of publication.yml; defaults filled in."""
    values = {k: o.default for k, o in GLOSSARY.items()}
    raw = data.get("glossary") if isinstance(data, dict) else None
    if isinstance(raw, dict):
        values.update(_check(raw, GLOSSARY, "glossary.", path, lines, report))
    for key, allowed in (("mark", GLOSSARY_MARKS), ("unused", GLOSSARY_UNUSED)):
        value = str(values[key]).strip().lower()
        if value not in allowed:
            report.error(Location(path, lines.get(f"glossary.{key}", 1), 1),
                         f"'glossary.{key}' must be one of {', '.join(allowed)}, not '{values[key]}'")
            value = GLOSSARY[key].default
        values[key] = value
    return values


def glossary_settings(config: Config) -> dict[str, Any]:
    """The glossary settings, defaults filled in (also for a Config made by hand)."""
    return {**{k: o.default for k, o in GLOSSARY.items()}, **config.glossary}


def check_handout_settings(data: Any, path: Path, lines: dict[str, int], report: Report) -> dict[str, Any]:
    """Validate the ``handouts`` mapping of publication.yml; defaults filled in."""
    values = {k: o.default for k, o in HANDOUTS.items()}
    raw = data.get("handouts") if isinstance(data, dict) else None
    if isinstance(raw, dict):
        values.update(_check(raw, HANDOUTS, "handouts.", path, lines, report))

    def bad(key: str, message: str) -> None:
        report.error(Location(path, lines.get(f"handouts.{key}", 1), 1), message)
        values[key] = HANDOUTS[key].default

    if parse_paper(values["paper"]) is None:
        bad("paper", f"unknown paper size '{values['paper']}' for 'handouts.paper' "
            f"(use {', '.join(PAPER_SIZES)} or 'WIDTH HEIGHT' such as '210mm 297mm', {PAPER_RANGE})")
    for key in ("outer_margin", "font_size"):
        if not _LENGTH.match(values[key]):
            bad(key, f"'handouts.{key}' must be a length such as {HANDOUTS[key].default}")
        elif key == "outer_margin" and points(values[key]) > 90 * _POINTS["mm"]:  # 500mm: one word a line
            bad(key, f"'handouts.outer_margin' {values[key]} leaves no room for the text: give at most 90mm, "
                f"such as {HANDOUTS[key].default}")
        elif key == "font_size" and not MIN_FONT_PT <= points(values[key]) <= MAX_FONT_PT:
            bad(key, f"'handouts.font_size' {values[key]} cannot be read on a handout: give a size from "
                f"{MIN_FONT_PT:g}pt to {MAX_FONT_PT:g}pt, such as {HANDOUTS[key].default}")
    if not 0 <= values["ruled_lines"] <= 40:
        bad("ruled_lines", "'handouts.ruled_lines' must be between 0 and 40")
    return values


def handout_settings(config: Config) -> dict[str, Any]:
    """The handout settings, defaults filled in (also for a Config made by hand)."""
    return {**{k: o.default for k, o in HANDOUTS.items()}, **config.handouts}
