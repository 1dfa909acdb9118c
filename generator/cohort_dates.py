"""The dates of a cohort: each pair's meetings, the tasks dated from each pair's start, and repeating check-ins.

A pair meets by its program's schedule, changed where the cohort's schedule says otherwise, and
on its own weekday if it has one; from its own start date, else the cohort's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .models import Cohort, Pair, Playbook, Program, Task
from .recurrence import Occurs
from .schedule import Meeting, meetings

# Without a start date, a repeat is counted on this one: only how many there are is needed, not their dates.
NOMINAL_START = dt.date(2001, 1, 1)


@dataclass(frozen=True)
class Occurrence:
    """One time a repeating thing happens: its number (from 1) and, when the dates are known, its day."""

    number: int
    day: dt.date | None
    month: int | None = None  # the month whose meeting it is on or follows
    offset: int | None = None  # days after the first meeting


@dataclass(frozen=True)
class DatedTask:
    """One occurrence of a program's task for one pair."""

    day: dt.date
    task: Task
    number: int  # which occurrence of the task, from 1
    pair: Pair


@dataclass(frozen=True)
class PairDates:
    """A pair of a cohort, with its own dates."""

    pair: Pair
    label: str  # how pages name it: names, or the id when names are not published
    start: dt.date
    program: Program  # the cohort's program, with the pair's schedule
    meetings: tuple[Meeting, ...]  # one a month, in order
    tasks: tuple[DatedTask, ...]  # by day

    @property
    def last_day(self) -> dt.date:
        """The day of the pair's last meeting."""
        return self.meetings[-1].day


@dataclass(frozen=True)
class CohortDates:
    """A cohort, its program and every pair's dates."""

    cohort: Cohort
    program: Program
    pairs: tuple[PairDates, ...]

    @property
    def tasks(self) -> tuple[DatedTask, ...]:
        """Every pair's tasks, by day, then in roster order."""
        order = {p.pair.id: i for i, p in enumerate(self.pairs)}
        found = [t for p in self.pairs for t in p.tasks]
        return tuple(sorted(found, key=lambda t: (t.day, order[t.pair.id])))

    def pair(self, pair_id: str) -> PairDates:
        """The pair with this id."""
        return next(p for p in self.pairs if p.pair.id == pair_id)


def cohort_dates(playbook: Playbook, cohort: Cohort) -> CohortDates:
    """Every pair's meetings and tasks."""
    program = playbook.programs[cohort.program]
    people = tuple(role.id for role in playbook.settings.roles)
    pairs = tuple(_pair_dates(program, cohort, pair, cohort.pair_label(pair, people)) for pair in cohort.pairs)
    return CohortDates(cohort, program, pairs)


def pair_program(program: Program, cohort: Cohort, pair: Pair) -> Program:
    """The program as the pair runs it: its schedule changed by the cohort's, then by the pair's own day."""
    changes = {name: getattr(cohort.schedule, name) for name in cohort.schedule.model_fields_set}
    if pair.on is not None:
        changes["on"] = pair.on
    if not changes:
        return program
    return program.model_copy(update={"schedule": program.schedule.model_copy(update=changes)})


def _pair_dates(program: Program, cohort: Cohort, pair: Pair, label: str) -> PairDates:
    own = pair_program(program, cohort, pair)
    start = pair.start_date or cohort.start_date
    found = meetings(own, start)
    tasks = sorted(
        (
            DatedTask(occurrence.day, task, occurrence.number, pair)
            for task in program.tasks
            for occurrence in occurrences(task.when, own, found)
            if occurrence.day is not None
        ),
        key=lambda t: t.day,
    )
    return PairDates(pair, label, start, own, found, tuple(tasks))


def occurrences(rule: Occurs, program: Program, dated: tuple[Meeting, ...]) -> tuple[Occurrence, ...]:
    """When `rule` happens in a run of the program with these meetings; without any, numbered but undated."""
    numbers = [m.number for m in program.months_in_order]
    found = dated or meetings(program, NOMINAL_START)
    known = bool(dated)
    first, last = found[0].day, found[-1].day
    if rule.each_meeting:
        return tuple(
            Occurrence(i + 1, m.day if known else None, numbers[i], (m.day - first).days) for i, m in enumerate(found)
        )
    if rule.month is not None:
        if rule.month not in numbers:
            return ()
        day = found[numbers.index(rule.month)].day
        return (Occurrence(1, day if known else None, rule.month, (day - first).days),)
    offsets = [rule.first_day]
    if rule.every_days is not None:
        while offsets[-1] + rule.every_days <= (last - first).days:
            offsets.append(offsets[-1] + rule.every_days)
    days = [working_day(first + dt.timedelta(days=offset)) for offset in offsets]
    return tuple(
        Occurrence(i + 1, day if known else None, _month_of(day, found, numbers), offset)
        for i, (day, offset) in enumerate(zip(days, offsets))
        if day <= last or rule.every_days is None
    )


def working_day(day: dt.date) -> dt.date:
    """The day, or the Monday after it when it falls on a weekend: nobody is asked for a check-in on a Sunday."""
    return day + dt.timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def _month_of(day: dt.date, found: tuple[Meeting, ...], numbers: list[int]) -> int | None:
    """The month of the program a day falls in: that of the last meeting on or before it."""
    month = None
    for meeting, number in zip(found, numbers):
        if meeting.day <= day:
            month = number
    return month
