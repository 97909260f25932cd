"""Checks of the output settings, run in the check stage so a build refuses before writing anything.

A writer that finds a problem after earlier targets were written leaves a half-made set of
outputs; so everything a writer would refuse that can be known from the sources is checked
here, with the setting's place in publication.yml: whether two book pages fit the booklet's
sheet, and whether ``print.output_profile`` is a CMYK ICC profile inside the project. The
writers keep their own checks as a last resort (a ``styles/custom.css`` may change the page
size), and the build's summary then says what was written and what was not. The output folder is
checked too (:func:`check_output`): a symbolic link where chapbook would write is refused with its
place, before anything is written.

Light on purpose: ``build.py check`` runs this without loading WeasyPrint or pypdf.
"""

from __future__ import annotations

from pathlib import Path

from .config import booklet_settings, parse_sheet, print_settings
from .diagnostics import Location, Report
from .model import Publication
from .outfiles import link_message, output_links
from .read import slugify

MM = 72 / 25.4
_UNITS = {"mm": MM, "cm": 10 * MM, "in": 72.0, "pt": 1.0, "px": 0.75}
STANDARD_SHEETS = {"A4": (841.89, 595.28), "A3": (1190.55, 841.89), "Letter": (792.0, 612.0)}  # landscape, pt
ICC_HEADER = 128  # bytes; the signature 'acsp' is at 36, the data colour space at 16


def to_pt(length: str) -> float:
    for unit, factor in _UNITS.items():
        if length.endswith(unit):
            return float(length[: -len(unit)]) * factor
    raise ValueError(f"not a length: {length!r}")


def sheet_size(page_w: float, page_h: float, setting: str = "auto") -> tuple[float, float, str]:
    """(width, height, name) of the landscape sheet for pages of ``page_w`` × ``page_h`` points.

    ``auto``: twice the page width, rounded to a standard sheet when within 3 mm of one
    (two A5 pages are 296 mm wide, an A4 sheet 297 mm: the pair is centred on it).
    """
    if setting == "auto":
        want_w, want_h = 2 * page_w, page_h
        for name, (w, h) in STANDARD_SHEETS.items():
            if -0.5 <= w - want_w <= 3 * MM and abs(h - want_h) <= 0.5 * MM:
                return w, h, f"{name} landscape"
        return want_w, want_h, f"{want_w / MM:.0f} × {want_h / MM:.0f} mm"
    size = parse_sheet(setting)
    if size is None:
        raise ValueError(f"unknown sheet size {setting!r}")
    w, h = sorted((to_pt(size[0]), to_pt(size[1])), reverse=True)
    return w, h, f"{setting} landscape" if setting[:1].isalpha() else f"{w / MM:.0f} × {h / MM:.0f} mm"


def sheet_problem(page_w: float, page_h: float, setting: str) -> str:
    """Why two pages of ``page_w`` × ``page_h`` points cannot be imposed on the sheet; '' if they can."""
    try:
        sheet_w, sheet_h, sheet_name = sheet_size(page_w, page_h, setting)
    except ValueError as exc:
        return f"booklet: {exc}"
    if sheet_w + 0.5 < 2 * page_w or sheet_h + 0.5 < page_h:
        return (f"booklet: two pages of {page_w / MM:.0f} × {page_h / MM:.0f} mm do not fit "
                f"on a {sheet_name} sheet ({sheet_w / MM:.0f} × {sheet_h / MM:.0f} mm)")
    return ""


def _where(publication: Publication, *keys: str) -> Location:
    locations = publication.config.locations
    for key in keys:
        if key in locations:
            return locations[key]
    return Location(publication.root / "content" / "publication.yml", 1, 1)


def check_booklet(publication: Publication, report: Report) -> None:
    """Two book pages must fit side by side on the booklet's sheet."""
    config = publication.config
    try:
        page_w, page_h = to_pt(config.page_width), to_pt(config.page_height)
    except ValueError:
        return  # an unknown paper size is reported by the configuration
    problem = sheet_problem(page_w, page_h, booklet_settings(config)["sheet"])
    if problem:
        report.error(_where(publication, "booklet.sheet", "booklet"), problem, "bad-value")


def profile_problem(root: Path, setting: str) -> str:
    """Why ``print.output_profile`` cannot be used as the PDF/X output intent; '' if it can."""
    profile = (root / setting).resolve()
    if not profile.is_relative_to(root.resolve()):
        return f"print.output_profile: {setting} is outside the project; copy the profile into it"
    if not profile.is_file():
        return f"print.output_profile: no file {setting} in the project"
    try:
        with profile.open("rb") as f:
            header = f.read(ICC_HEADER)
    except OSError as exc:
        return f"print.output_profile: cannot read {setting}: {exc.strerror or exc}"
    if len(header) < ICC_HEADER or header[36:40] != b"acsp":
        return f"print.output_profile: {setting} is not an ICC profile"
    if header[16:20] != b"CMYK":
        space = header[16:20].decode("ascii", "replace").strip()
        return (f"print.output_profile: {setting} is a {space} profile; a print shop's output profile "
                "must be CMYK (e.g. FOGRA39 or GRACoL)")
    return ""


def check_print(publication: Publication, report: Report) -> None:
    """The print-shop PDF's output profile: a CMYK ICC file inside the project, or a warning."""
    settings = print_settings(publication.config)
    variant = settings["pdf_variant"]
    if not variant:
        return
    if settings["output_profile"]:
        problem = profile_problem(publication.root, settings["output_profile"])
        if problem:
            report.error(_where(publication, "print.output_profile", "print"), problem, "bad-value")
    else:
        report.warning(_where(publication, "print"),
                       f"{variant} without print.output_profile: the PDF carries a generic "
                       "sRGB output intent and RGB black; ask the print shop for its CMYK ICC "
                       "profile (e.g. FOGRA39 or GRACoL) and set print.output_profile")


CHECKS = {"booklet": check_booklet, "print": check_print}


def output_name(publication: Publication) -> str:
    """The stem of the output files: the slug of the title (``NAME.pdf``, ``NAME-booklet.pdf`` …)."""
    return slugify(publication.config.title)[:60].rstrip("-") or "reader"


def check_output(publication: Publication, output: Path, report: Report) -> None:
    """No symbolic link where chapbook would write, replace or delete (:func:`chapbook.outfiles.output_links`):
    an output folder that came with the project must not send the build's files elsewhere."""
    for link in output_links(output, publication.root, output_name(publication)):
        report.error(Location(link), link_message(link), "linked-output")


def check_targets(publication: Publication, targets: list[str], report: Report,
                  output: Path | None = None) -> None:
    """Everything the writers of ``targets`` would refuse that can be known before writing, and
    the output folder (``output``; None: not checked)."""
    if output is not None:
        check_output(publication, output, report)
    for target in targets:
        if target in CHECKS:
            CHECKS[target](publication, report)
