"""biblatex dates: ``date = {1984/1986}``, ``2006-09-13``, ``1988/``, ``1850~`` read and written out.

BibTeX has ``year`` (and ``month``); biblatex has ISO 8601 dates with ranges, open ends, seasons
and approximate dates, in ``date``, ``origdate``, ``eventdate`` and ``urldate``. The house style
shows them the Chicago way ("19–25 May 1968", "ca. 1850", "1984–1986"), the labels need the
year part alone, and the CSL conversion needs the parts as numbers: all read them through here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pybtex.database import Entry

from .latex import fold, plain_latex

__all__ = ["Day", "date_text", "full_date", "parse_date", "range_text", "year_of"]

_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]
_SEASONS = {21: "Spring", 22: "Summer", 23: "Autumn", 24: "Winter"}
_ISO_DAY = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T[\d:.]+(?:Z|[+-][\d:]+)?)?([~?%]?)")


@dataclass(frozen=True)
class Day:
    """One end of a biblatex date: the year, and month and day when known (0 if not)."""

    year: int
    month: int = 0
    day: int = 0
    approximate: bool = False

    def text(self, with_year: bool = True, with_month: bool = True) -> str:
        month = _SEASONS.get(self.month) or (_MONTHS[self.month - 1] if 1 <= self.month <= 12 else "")
        parts = [str(self.day) if self.day and month and with_month else "", month if with_month else "",
                 str(self.year) if with_year else ""]
        text = " ".join(p for p in parts if p)
        return f"ca. {text}" if self.approximate and with_year else text


def _day(text: str) -> Day | None:
    m = _ISO_DAY.fullmatch(text.strip())
    if not m:
        return None
    month = int(m.group(2) or 0)
    if month and not (1 <= month <= 12 or month in _SEASONS):
        return None
    return Day(int(m.group(1)), month, int(m.group(3) or 0), m.group(4) in ("~", "%"))


def parse_date(value: str) -> tuple[Day | None, Day | None, bool] | None:
    """biblatex's ``date``: ``2006``, ``2006-09-13``, ranges ``1984/1986``, open ``1988/``.

    (start, end, ranged); None when ``value`` is not such a date.
    """
    start_text, slash, end_text = value.strip().partition("/")
    start = _day(start_text) if start_text.strip(" .") else None
    end = _day(end_text) if end_text.strip(" .") else None
    if (start_text.strip(" .") and start is None) or (end_text.strip(" .") and end is None):
        return None
    if start is None and end is None:
        return None
    return start, end, bool(slash)


def range_text(start: Day | None, end: Day | None, ranged: bool) -> str:
    """"19–25 May 1968", "19 May–2 June 1968", "1984–1986", "1988–"."""
    if not ranged or end == start:
        return (start or end).text() if (start or end) else ""
    if start is None or end is None:
        return f"{start.text() if start else ''}–{end.text() if end else ''}"
    same_year, same_month = start.year == end.year, start.month == end.month
    if same_year and same_month and start.day and end.day:
        return f"{start.day}–{end.text()}"
    if same_year and start.month and end.month:
        return f"{start.text(with_year=False)}–{end.text()}"
    return f"{start.text()}–{end.text()}"


def date_text(value: str) -> str:
    """A date field as shown: ``2008-12-11`` → ``11 December 2008``; a range with an en dash."""
    parsed = parse_date(value)
    return range_text(*parsed) if parsed else plain_latex(value)


def full_date(entry: Entry) -> str:
    """A date more precise than the year (from ``date`` or ``month``/``day``), else ''."""
    fields = entry.fields
    parsed = parse_date(fields.get("date", ""))
    if parsed and any(d is not None and d.month for d in parsed[:2]):
        return range_text(*parsed)
    month = plain_latex(fields.get("month", "")).strip()
    if not month or not fields.get("year"):
        return ""
    number = _month_number(month)
    named = _MONTHS[number - 1] if number else month
    return " ".join(filter(None, [fields.get("day", "").strip(), named, fields["year"].strip()]))


def _month_number(month: str) -> int:
    """A ``month`` field's number: ``3``, ``mar``, ``March``, ``märz`` → 3; 0 if it names none."""
    if month.isdigit():
        return int(month) if 1 <= int(month) <= 12 else 0
    return next((i for i, m in enumerate(_MONTHS, start=1) if len(month) >= 3 and fold(m).startswith(fold(month)[:3])),
                0)


def single_iso(entry: Entry) -> str:
    """The entry's date as ``YYYY-MM-DD`` or ``YYYY-MM`` when it is one day or one month (not a range,
    a season or an approximate date), else '': what a book in another language writes in its own words
    (:func:`chapbook.words.human_date`)."""
    fields = entry.fields
    parsed = parse_date(fields.get("date", ""))
    if parsed:
        start, _, ranged = parsed
        if ranged or start is None or start.approximate or not 1 <= start.month <= 12:
            return ""
        return f"{start.year:04d}-{start.month:02d}" + (f"-{start.day:02d}" if start.day else "")
    month, year = plain_latex(fields.get("month", "")).strip(), plain_latex(fields.get("year", "")).strip()
    if not month or not re.fullmatch(r"\d{4}", year):
        return ""
    number = _month_number(month)
    day = fields.get("day", "").strip()
    if not number or (day and not day.isdigit()):
        return ""
    return f"{year}-{number:02d}" + (f"-{int(day):02d}" if day else "")


def year_of(entry: Entry) -> str:
    """The year shown in the label: ``year``, else the years of ``date`` ("1984–1986", "1988–")."""
    year = entry.fields.get("year", "")
    if year:
        return plain_latex(year).strip()
    date = entry.fields.get("date", "")
    parsed = parse_date(date)
    if parsed is None:
        return plain_latex(date[:4]).strip()
    start, end, ranged = parsed
    first = start.text(with_month=False) if start else ""
    if not ranged or (start and end and start.year == end.year):
        return first
    return f"{first}–{end.text(with_month=False) if end else ''}"

