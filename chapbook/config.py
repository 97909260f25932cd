"""The publication's settings (content/publication.yml), declared once and validated.

Each option is declared with its type, default and meaning in ``OPTIONS``;
the README's table is written from the same declarations. Unknown keys are
reported with a "did you mean", like MkDocs does, instead of being ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .diagnostics import Location, Report, did_you_mean

PAPER_SIZES = {  # width, height
    "A5": ("148mm", "210mm"),
    "A4": ("210mm", "297mm"),
    "Letter": ("8.5in", "11in"),
    "half-letter": ("5.5in", "8.5in"),
}
_LENGTH = re.compile(r"^\d+(\.\d+)?(mm|cm|in|pt|px)$")


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
    "keywords": Option(list, [], "keywords, for PDF/EPUB metadata"),
    "front": Option(list, ["introduction"], "front-matter parts (content/NAME.md), before the texts"),
    "texts": Option(list, [], "slugs of the texts in reading order (default: file-name order)"),
    "back": Option(list, [], "back-matter parts (content/NAME.md), after the texts"),
    "paper": Option(str, "A5", "page size: A5, A4, Letter, half-letter or 'WIDTH HEIGHT' (e.g. '140mm 216mm')"),
    "typography": Option(dict, {}, "typographic settings, see TYPOGRAPHY"),
}

TYPOGRAPHY: dict[str, Option] = {
    "font_size": Option(str, "10pt", "body font size"),
    "line_height": Option((float, int, str), 1.4, "line height of body text"),
    "body_font": Option(str, "Charis SIL", "font family of the body (a vendored face or one in styles/fonts)"),
    "heading_font": Option(str, "Charis SIL", "font family of headings"),
    "acronyms": Option(str, "reduced", "how runs of capitals (IOM) are set: reduced (smaller, spaced capitals),"
                       " small-caps (true c2sc small caps) or plain"),
    "paragraph_numbers": Option(bool, False, "show ¶ numbers in the margin of the book"),
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
    keywords: tuple[str, ...] = ()
    front: tuple[str, ...] = ("introduction",)
    texts: tuple[str, ...] = ()
    back: tuple[str, ...] = ()
    page_width: str = "148mm"
    page_height: str = "210mm"
    typography: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    locations: dict[str, Location] = field(default_factory=dict, compare=False, hash=False)

    @property
    def paper_css(self) -> str:
        return f"{self.page_width} {self.page_height}"


def _type_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {str: "text", list: "a list", dict: "a mapping", int: "a number", float: "a number", bool: "true/false"}
    return " or ".join(dict.fromkeys(names[k] for k in kinds))


def _check(data: dict, options: dict[str, Option], where: str, path: Path, lines: dict[str, int],
           report: Report) -> dict[str, Any]:
    values = {}
    for key, value in data.items():
        loc = Location(path, lines.get(f"{where}{key}", 1), 1)
        if key not in options:
            report.error(loc, f"unknown setting '{where}{key}'{did_you_mean(str(key), options.keys())}")
            continue
        option = options[key]
        if value is None:
            continue
        kinds = option.kind if isinstance(option.kind, tuple) else (option.kind,)
        if bool in kinds and not isinstance(value, bool) or (bool not in kinds and isinstance(value, bool)):
            report.error(loc, f"'{where}{key}' must be {_type_name(option.kind)}")
            continue
        if not isinstance(value, kinds):
            report.error(loc, f"'{where}{key}' must be {_type_name(option.kind)}, not {type(value).__name__}")
            continue
        if isinstance(value, list) and not all(isinstance(v, (str, int)) for v in value):
            report.error(loc, f"'{where}{key}' must be a list of names")
            continue
        values[key] = value
    return values


def parse_paper(value: str) -> tuple[str, str] | None:
    """'A5' → ('148mm', '210mm'); '140mm 216mm' → as given; None if not understood."""
    for name, size in PAPER_SIZES.items():
        if value.strip().lower() == name.lower():
            return size
    parts = value.split()
    if len(parts) == 2 and all(_LENGTH.match(p) for p in parts):
        return parts[0], parts[1]
    return None


def build_config(data: Any, path: Path, lines: dict[str, int], report: Report) -> Config:
    """Validate the YAML mapping of publication.yml; every problem goes to ``report``."""
    if not isinstance(data, dict):
        report.error(Location(path, 1, 1), "publication.yml must be a mapping of settings (key: value)")
        data = {}
    values = _check(data, OPTIONS, "", path, lines, report)
    typography = {k: o.default for k, o in TYPOGRAPHY.items()}
    typography.update(_check(values.get("typography", {}), TYPOGRAPHY, "typography.", path, lines, report))
    if typography["acronyms"] not in ("reduced", "small-caps", "plain"):
        report.error(Location(path, lines.get("typography.acronyms", 1), 1),
                     "'typography.acronyms' must be reduced, small-caps or plain")
    for key in ("font_size",):
        if not _LENGTH.match(str(typography[key])):
            report.error(Location(path, lines.get(f"typography.{key}", 1), 1),
                         f"'typography.{key}' must be a length such as 10pt")
            typography[key] = TYPOGRAPHY[key].default
    if not values.get("title"):
        report.error(Location(path, lines.get("title", 1), 1), "publication.yml has no 'title'")
    paper = parse_paper(str(values.get("paper", "A5")))
    if paper is None:
        report.error(Location(path, lines.get("paper", 1), 1),
                     f"unknown paper size '{values.get('paper')}' "
                     f"(use {', '.join(PAPER_SIZES)} or 'WIDTH HEIGHT' such as '140mm 216mm')")
        paper = PAPER_SIZES["A5"]

    def names(key: str) -> tuple[str, ...]:
        default = OPTIONS[key].default
        return tuple(str(v) for v in values.get(key, default))

    return Config(
        title=str(values.get("title", "")), subtitle=values.get("subtitle", ""),
        editors=names("editors"), publisher=values.get("publisher", ""),
        edition=values.get("edition", ""), date=str(values.get("date", "")),
        language=values.get("language", "en"), identifier=values.get("identifier", ""),
        rights=values.get("rights", ""), subject=values.get("subject", ""),
        keywords=names("keywords"), front=names("front"), texts=names("texts"), back=names("back"),
        page_width=paper[0], page_height=paper[1], typography=typography,
        locations={k: Location(path, line, 1) for k, line in lines.items()},
    )
