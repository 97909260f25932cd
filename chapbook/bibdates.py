"""biblatex dates: ``date = {1984/1986}``, ``2006-09-13``, ``1988/``, ``1850~`` read and written out.

BibTeX has ``year`` (and ``month``); biblatex has ISO 8601 dates with ranges, open ends, seasons
and approximate dates, in ``date``, ``origdate``, ``eventdate`` and ``urldate``. The house style
shows them the Chicago way ("19–25 May 1968", "ca. 1850", "1984–1986") in the book's words
(:mod:`chapbook.words`: "19.–25. Mai 1968", "Frühjahr 1968"), the labels need the year part alone,
and the CSL conversion needs the parts as numbers: all read them through here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from pybtex.database import Entry

from .latex import fold, plain_latex

__all__ = ["Day", "date_text", "full_date", "parse_date", "range_text", "year_of"]

_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]
_SEASONS = {21: "Spring", 22: "Summer", 23: "Autumn", 24: "Winter"}  # biblatex's months 21–24
_ISO_DAY = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T[\d:.]+(?:Z|[+-][\d:]+)?)?([~?%]?)")


@dataclass(frozen=True)
class Day:
    """One end of a biblatex date: the year, and month and day when known (0 if not)."""

    year: int
    month: int = 0
    day: int = 0
    approximate: bool = False

    def text(self, words: Mapping[str, str], with_year: bool = True, with_month: bool = True) -> str:
        """"11 December 2008", "December 2008", "Spring 1968", "ca. 1850", in ``words`` (the book's,
        :mod:`chapbook.words`: ``date_day``, ``date_month``, ``months``, ``ref_seasons``, ``ref_circa``);
        without the year "11 December" (``ref_day_month``), "December"."""
        month = month_name(self.month, words) if with_month else ""
        day = self.day_text(words) if self.day and month else ""
        year = str(self.year) if with_year else ""
        if day and year:
            text = words["date_day"].format(day=day, month=month, year=year)
        elif day:
            text = words["ref_day_month"].format(day=day, month=month)
        elif month and year:
            text = words["date_month"].format(month=month, year=year)
        else:
            text = month or year
        return f"{words['ref_circa']} {text}" if self.approximate and with_year else text

    def day_text(self, words: Mapping[str, str]) -> str:
        """The day as a date writes it: "1er" in French (``first_day``)."""
        return words["first_day"] if self.day == 1 else str(self.day)


def month_name(month: int, words: Mapping[str, str]) -> str:
    """Month ``month`` (1–12, or a season 21–24) in ``words``; '' for none."""
    if month in _SEASONS:
        return words["ref_seasons"].split()[month - 21]
    return words["months"].split()[month - 1] if 1 <= month <= 12 else ""


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


def range_text(start: Day | None, end: Day | None, ranged: bool, words: Mapping[str, str]) -> str:
    """"19–25 May 1968", "19 May–2 June 1968", "1984–1986", "1988–", in ``words`` (the book's)."""
    if not ranged or end == start:
        return (start or end).text(words) if (start or end) else ""
    if start is None or end is None:
        return f"{start.text(words) if start else ''}–{end.text(words) if end else ''}"
    same_year, same_month = start.year == end.year, start.month == end.month
    if same_year and same_month and start.day and end.day:
        return f"{words['ref_day'].format(day=start.day_text(words))}–{end.text(words)}"
    if same_year and start.month and end.month:
        return f"{start.text(words, with_year=False)}–{end.text(words)}"
    return f"{start.text(words)}–{end.text(words)}"


def date_text(value: str, words: Mapping[str, str]) -> str:
    """A date field as shown: ``2008-12-11`` → ``11 December 2008``; a range with an en dash."""
    parsed = parse_date(value)
    return range_text(*parsed, words) if parsed else plain_latex(value)


def full_date(entry: Entry, words: Mapping[str, str]) -> str:
    """A date more precise than the year (from ``date`` or ``month``/``day``), else ''."""
    fields = entry.fields
    parsed = parse_date(fields.get("date", ""))
    if parsed and any(d is not None and d.month for d in parsed[:2]):
        return range_text(*parsed, words)
    month = plain_latex(fields.get("month", "")).strip()
    if not month or not fields.get("year"):
        return ""
    number = _month_number(month)
    day, year = fields.get("day", "").strip(), fields["year"].strip()
    if not number or (day and not day.isdigit()):
        return " ".join(filter(None, [day, month_name(number, words) or month, year]))
    named = month_name(number, words)
    if not day:
        return words["date_month"].format(month=named, year=year)
    if int(day) == 1 and words["first_day"] != "1":  # "1er mai 2019"; "01" stays as written
        day = words["first_day"]
    return words["date_day"].format(day=day, month=named, year=year)


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


def year_of(entry: Entry, words: Mapping[str, str]) -> str:
    """The year shown in the label: ``year``, else the years of ``date`` ("1984–1986", "1988–")."""
    year = entry.fields.get("year", "")
    if year:
        return plain_latex(year).strip()
    date = entry.fields.get("date", "")
    parsed = parse_date(date)
    if parsed is None:
        return plain_latex(date[:4]).strip()
    start, end, ranged = parsed
    first = start.text(words, with_month=False) if start else ""
    if not ranged or (start and end and start.year == end.year):
        return first
    return f"{first}–{end.text(words, with_month=False) if end else ''}"

