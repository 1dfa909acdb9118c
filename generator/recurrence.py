"""How content says when something recurs for a pair: after each meeting, every so many days, once.

Used by repeating worksheets and a program's tasks; `cohort_dates` turns a rule into dates.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from .values import Model, WholeNumber, WholeNumberOrNone

OCCURS_PATTERN = re.compile(
    r"^(?:(?P<each>after-each-meeting)"
    r"|every (?P<every>[1-9][0-9]*) (?P<unit>days?|weeks?)(?: from day (?P<first>[0-9]+))?"
    r"|day (?P<day>[0-9]+)|month (?P<month>[1-9][0-9]*))$"
)
OCCURS_HELP = "`after-each-meeting`, `every 60 days`, `every 8 weeks from day 30`, `day 30` or `month 12`"


class Occurs(Model):
    """When something dated from a pair's start happens: after each meeting, every so many days, once on a day, or on a month's meeting."""

    each_meeting: bool = False
    every_days: WholeNumberOrNone = None  # repeats this often, from `first_day`
    first_day: WholeNumber = 0  # days after the first meeting
    month: WholeNumberOrNone = None  # once, on this month's meeting

    @property
    def repeats(self) -> bool:
        """Whether it happens more than once."""
        return self.each_meeting or self.every_days is not None

    @property
    def label(self) -> str:
        """How the rule reads on a page, e.g. `every 60 days from day 30`."""
        if self.each_meeting:
            return "after each meeting"
        if self.month is not None:
            return f"at the month {self.month} meeting"
        if self.every_days is not None:
            amount = f"{self.every_days // 7} weeks" if self.every_days % 7 == 0 else f"{self.every_days} days"
            return f"every {amount}" + (f" from day {self.first_day}" if self.first_day != self.every_days else "")
        return f"on day {self.first_day}"


def _parse_occurs(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    match = OCCURS_PATTERN.fullmatch(" ".join(value.strip().lower().split()))
    if match is None:
        raise PydanticCustomError("occurs", "must be one of {help}", {"help": OCCURS_HELP})
    if match["each"]:
        return {"each_meeting": True}
    if match["month"]:
        return {"month": int(match["month"])}
    if match["day"]:
        return {"first_day": int(match["day"])}
    every = int(match["every"]) * (7 if match["unit"].startswith("week") else 1)
    return {"every_days": every, "first_day": int(match["first"]) if match["first"] else every}


Recurrence = Annotated[
    Occurs,
    BeforeValidator(_parse_occurs),
    WithJsonSchema({"type": "string", "pattern": OCCURS_PATTERN.pattern, "description": f"When: {OCCURS_HELP}."}),
]
