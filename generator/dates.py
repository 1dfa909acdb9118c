"""How dates and times read in the playbook's language, and which way its text runs, from Babel's CLDR data.

The browser gets the same pattern and names as data (`browser_style`), so a date the reader's
own start date gives reads exactly like one the build wrote.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton, format_time

DATE_FORMAT = "full"  # "Thursday, January 14, 2027" in English: the weekday matters for a meeting


NAME_FIELDS = {"M": ("months", "format"), "L": ("months", "stand-alone"), "E": ("days", "format")}
NAME_FIELDS["c"] = ("days", "stand-alone")
WIDTHS = {3: "abbreviated", 4: "wide", 5: "narrow"}
PATTERN_FIELD = re.compile(r"'(?:[^']|'')*'|([A-Za-z])\1*")


@dataclass(frozen=True)
class DateStyle:
    """The date pattern of one language, and the month and day names it uses."""

    locale: str
    pattern: str
    names: dict[str, tuple[str, ...]]  # by pattern field, e.g. `MMMM`: January first; `EEEE`: Monday first

    def date(self, day: dt.date) -> str:
        """A day as the playbook's language writes it, e.g. `Thursday, January 14, 2027`."""
        return str(format_date(day, self.pattern, locale=self.locale))

    def day(self, day: dt.date) -> str:
        """A day without its weekday, e.g. `December 1, 2026`: when something was done, not a meeting."""
        return str(format_date(day, "long", locale=self.locale))

    def month_year(self, day: dt.date) -> str:
        """The month and year of a day, e.g. `January 2027`: a heading over a month's dates."""
        return str(format_skeleton("yMMMM", day, locale=self.locale))

    def time(self, moment: dt.datetime) -> str:
        """A time of day as the language writes it, e.g. `10:00 AM`."""
        return str(format_time(moment.time(), "short", locale=self.locale))

    def browser_style(self) -> dict[str, Any]:
        """The pattern and names, for calendar.js."""
        return {"pattern": self.pattern, "names": self.names}


@lru_cache(maxsize=8)
def date_style(language: str) -> DateStyle:
    """The date style of a BCP 47 language tag; its base language, or English, when Babel does not know it."""
    locale = babel_locale(language)
    pattern = locale.date_formats[DATE_FORMAT].pattern
    names = {}
    for match in PATTERN_FIELD.finditer(pattern):
        field = match.group(0)
        letter, width = field[0], len(field)
        if letter in NAME_FIELDS and width in WIDTHS:
            kind, context = NAME_FIELDS[letter]
            table = getattr(locale, kind)[context][WIDTHS[width]]
            names[field] = tuple(table[n] for n in (range(1, 13) if kind == "months" else range(7)))
    return DateStyle(str(locale), pattern, names)


@lru_cache(maxsize=8)
def direction(language: str) -> str:
    """`rtl` for a language written right to left (`ar`, `he`, `fa`, `ur`...), else `ltr`, as for an unknown one."""
    return "rtl" if babel_locale(language).character_order == "right-to-left" else "ltr"


def babel_locale(language: str) -> Locale:
    """Babel's locale for a BCP 47 tag: the tag, else its base language, else English."""
    for tag in (language, language.split("-")[0], "en"):
        try:
            return Locale.parse(tag, sep="-")
        except (UnknownLocaleError, ValueError):
            continue
    raise AssertionError("Babel always knows English")
