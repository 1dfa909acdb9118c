"""When a program's meetings are: its schedule rule applied from a start date, with dateutil's rrule.

The same rule goes to the browser as data (`browser_rule`), where calendar.js applies it to a
start date the reader picks; a test checks that both give the same dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal
from zoneinfo import ZoneInfo

from dateutil import rrule

from .models import Program
from .values import Timing

AFTER_THE_MEETING_DAYS = 7  # "after the meeting" is due a week after it
STEPS: dict[str, tuple[Literal[1, 2], int]] = {
    "week": (rrule.WEEKLY, 1),
    "fortnight": (rrule.WEEKLY, 2),
    "month": (rrule.MONTHLY, 1),
}


@dataclass(frozen=True)
class Meeting:
    """One meeting of a program: its day, and its start when the schedule gives a time."""

    day: dt.date
    start: dt.datetime | None  # with the schedule's time zone, or floating (no tzinfo) without one
    minutes: int


def meetings(program: Program, start: dt.date | None) -> tuple[Meeting, ...]:
    """A meeting for each month of the program, in order; none without a start date."""
    if start is None:
        return ()
    schedule = program.schedule
    count = len(program.months_in_order)
    days = _rule_days(program, start, count)
    if schedule.time is None:
        return tuple(Meeting(day, None, program.minutes) for day in days)
    hour, minute = (int(part) for part in schedule.time.split(":"))
    zone = ZoneInfo(schedule.timezone) if schedule.timezone else None
    return tuple(
        Meeting(day, dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone), program.minutes)
        for day in days
    )


def _rule_days(program: Program, start: dt.date, count: int) -> list[dt.date]:
    """The first `count` days of the rule from `start`, leaving out the skipped ones."""
    skipped = set(program.schedule.skip)
    found: list[dt.date] = []
    for moment in _rule(program, start):
        if moment.date() not in skipped:
            found.append(moment.date())
        if len(found) == count:
            break
    return found


def _rule(program: Program, start: dt.date) -> Iterator[dt.datetime]:
    frequency, interval = STEPS[program.step]
    on = program.schedule.on
    first = dt.datetime(start.year, start.month, start.day)
    weekday = start.weekday() if on is None or on.weekday is None else on.weekday
    if frequency == rrule.WEEKLY:
        return iter(rrule.rrule(frequency, interval=interval, dtstart=first, byweekday=weekday, wkst=rrule.MO))
    if on is not None and on.day is not None:
        # A month without that day (31 in April) meets on its last day: the largest of the days up to it.
        days = list(range(min(on.day, 28), on.day + 1))
        return iter(rrule.rrule(frequency, interval=interval, dtstart=first, bymonthday=days, bysetpos=-1))
    nth = _week_of_month(start) if on is None or on.nth is None else on.nth
    return iter(rrule.rrule(frequency, interval=interval, dtstart=first, byweekday=rrule.weekday(weekday, nth)))


def _week_of_month(day: dt.date) -> int:
    """Which of its weekday the day is in its month: 1-4, or -1 for a fifth one (the last)."""
    nth = (day.day - 1) // 7 + 1
    return -1 if nth == 5 else nth


def due_offset(when: Timing | None) -> dict[str, int]:
    """When an item is due: days from its month's meeting, or the meeting of another month."""
    if when is not None and when.month is not None:
        return {"month": when.month}
    if when is not None and when.offset_days:
        return {"days": when.offset_days}
    return {"days": AFTER_THE_MEETING_DAYS if when is not None and when.moment == "after" else 0}


def browser_rule(program: Program) -> dict[str, Any]:
    """The schedule as data for calendar.js, which applies it to any start date as `meetings` does."""
    schedule = program.schedule
    on = schedule.on
    frequency, interval = STEPS[program.step]
    return {
        "every": "week" if frequency == rrule.WEEKLY else "month",
        "interval": interval,
        "weekday": on.weekday if on else None,
        "nth": on.nth if on else None,
        "day": on.day if on else None,
        "skip": [day.isoformat() for day in schedule.skip],
        "count": len(program.months_in_order),
        "time": schedule.time,
        "zone": schedule.timezone,
        "minutes": program.minutes,
    }
