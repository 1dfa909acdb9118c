"""Programs: a plan of monthly meetings, their agendas and when they happen."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from ..recurrence import Recurrence
from ..values import (
    ChecklistId,
    ClockTime,
    GuideId,
    InlineMarkdown,
    Markdown,
    Model,
    OnDay,
    Owners,
    RoleId,
    Slug,
    Text,
    TimeZoneName,
    WholeNumber,
    WholeNumberOrNone,
    WorksheetId,
)
from .roles import roles_with_items, union

# --- Programs -----------------------------------------------------------------


class AgendaItem(Model):
    """One part of a meeting."""

    topic: Text = Field(description="What is discussed or done.")
    owner: Owners
    minutes: WholeNumberOrNone = Field(None, ge=1, le=480, description="Rough time to give it.")
    details: InlineMarkdown | None = Field(None, description="A sentence of guidance (Markdown).")


PerRole = Annotated[
    dict[RoleId, tuple[InlineMarkdown, ...]],
    Field(description="A list of items for each role, keyed by role id."),
]


class Month(Model):
    """One month of a program: its meeting and what surrounds it."""

    number: WholeNumber = Field(ge=1, le=60, description="The month's place in the program, from 1.")
    title: Text
    goal: Text = Field(description="What the month is for, in one or two sentences.")
    prepare: PerRole = Field(default_factory=dict, description="Before the meeting, per role.")
    agenda: tuple[AgendaItem, ...] = Field(min_length=1, description="The meeting, in order.")
    follow_up: PerRole = Field(default_factory=dict, description="After the meeting, per role.")
    outcomes: tuple[InlineMarkdown, ...] = Field((), description="What exists after this month.")
    worksheets: tuple[WorksheetId, ...] = Field((), description="Worksheet ids used this month.")
    checklists: tuple[ChecklistId, ...] = Field((), description="Checklist ids used this month.")
    guides: tuple[GuideId, ...] = Field((), description="Guide ids worth reading this month.")
    notes: Markdown = Field("", description="Extra guidance for the month (Markdown).")

    def prepare_roles(self) -> tuple[str, ...]:
        """The roles with something to do before the meeting."""
        return roles_with_items(self.prepare)

    def follow_up_roles(self) -> tuple[str, ...]:
        """The roles with something to do after the meeting."""
        return roles_with_items(self.follow_up)

    def agenda_roles(self) -> tuple[str, ...]:
        """The roles that lead some part of the meeting."""
        return union(item.owner for item in self.agenda)

    def roles_with_items(self) -> tuple[str, ...]:
        """The roles with something to do this month: before, during or after the meeting."""
        return union((self.prepare_roles(), self.agenda_roles(), self.follow_up_roles()))

    def agenda_for(self, role_id: str) -> tuple[AgendaItem, ...]:
        """The parts of the meeting `role_id` leads; all of them for '' (everyone)."""
        return tuple(item for item in self.agenda if not role_id or role_id in item.owner)


class Phase(Model):
    """A stretch of months with a common purpose."""

    id: Slug
    title: Text
    months: tuple[WholeNumber, ...] = Field(min_length=1, description="The month numbers in this phase.")
    summary: str = ""


CADENCE_STEP = {"weekly": "week", "fortnightly": "fortnight", "monthly": "month"}


class Schedule(Model):
    """When the meetings happen: a rule as a workplace states it, e.g. every month on the second Thursday at 10:00."""

    every: Literal["week", "fortnight", "month"] | None = Field(
        None, description="How often the pair meets; defaults to the program's `cadence`."
    )
    on: OnDay | None = Field(
        None,
        description="The meeting day: `thursday`, `second thursday`, `last friday` or `day 14`. "
        "Defaults to the start date's day: the same weekday, and for monthly meetings the same week of the month.",
    )
    time: ClockTime | None = None
    minutes: WholeNumberOrNone = Field(
        None, ge=5, le=480, description="How long a meeting lasts; defaults to `meeting_minutes`."
    )
    timezone: TimeZoneName | None = None
    skip: tuple[dt.date, ...] = Field(
        (), description="Dates with no meeting (YYYY-MM-DD); the meeting moves to the next date of the rule."
    )


class Task(Model):
    """Something a role does for each pair, dated from the pair's start: a pulse check, a closing review."""

    task: Text = Field(description="What to do, in a few words.")
    owner: Owners
    when: Recurrence = Field(description="When, counted from each pair's first meeting.")
    details: InlineMarkdown | None = Field(None, description="A sentence of guidance (Markdown).")
    worksheet: WorksheetId | None = Field(None, description="The worksheet the task uses, if any.")


class Program(Model):
    """A program: a plan of monthly meetings (content/programs/<id>.yaml)."""

    id: SkipJsonSchema[str] = ""
    title: Text
    summary: Text = Field(description="One or two sentences shown on the home page.")
    description: Markdown = Field("", description="The program's introduction (Markdown).")
    cadence: Literal["weekly", "fortnightly", "monthly"] = Field("monthly", description="How often the pair meets.")
    meeting_minutes: WholeNumber = Field(60, ge=5, le=480, description="How long a meeting usually lasts.")
    start_date: dt.date | None = Field(None, description="First meeting (YYYY-MM-DD); overrides playbook.yaml.")
    schedule: Schedule = Field(Schedule(), description="When the meetings happen; dates come from it and a start date.")
    order: WholeNumber = Field(0, description="Programs are listed by this number, then by title.")
    commitments: PerRole = Field(default_factory=dict, description="What each role commits to, per role.")
    phases: tuple[Phase, ...] = ()
    months: tuple[Month, ...] = Field(min_length=1)
    tasks: tuple[Task, ...] = Field(
        (), description="What the program lead (or another role) does for each pair of a cohort."
    )
    follow_up_after_days: WholeNumber = Field(
        90, ge=7, le=366, description="A pair that has not met for this many days needs a follow-up from the lead."
    )
    expect_each_month: tuple[RoleId, ...] | None = Field(
        None,
        description="The roles that should have something to do (agenda, preparation or follow-up) every month; "
        "`check` warns of a month without. Defaults to the roles with commitments.",
    )

    @property
    def step(self) -> str:
        """How often the pair meets: `week`, `fortnight` or `month`."""
        return self.schedule.every or CADENCE_STEP[self.cadence]

    @property
    def rule_label(self) -> str:
        """How often and on which day the pair meets, e.g. `every month on the second Thursday`."""
        often = {"week": "every week", "fortnight": "every other week", "month": "every month"}[self.step]
        on = self.schedule.on
        if on is None:
            return often
        if on.day is not None:
            return f"{often} on day {on.day}"
        *nth, weekday = on.label.split()
        return " ".join([often, "on", *(["the", *nth] if nth else []), weekday.capitalize()])

    @property
    def expected_roles(self) -> tuple[str, ...]:
        """The roles that should have something to do every month."""
        return self.expect_each_month if self.expect_each_month is not None else tuple(self.commitments)

    @property
    def minutes(self) -> int:
        """How long a meeting lasts."""
        return self.schedule.minutes or self.meeting_minutes

    @property
    def months_in_order(self) -> tuple[Month, ...]:
        """The months sorted by number."""
        return tuple(sorted(self.months, key=lambda m: m.number))

    @property
    def months_without_phase(self) -> tuple[Month, ...]:
        """The months, in order, that no phase lists."""
        phased = {n for p in self.phases for n in p.months}
        return tuple(m for m in self.months_in_order if m.number not in phased)

    @property
    def months_by_phase(self) -> tuple[tuple[Phase | None, tuple[Month, ...]], ...]:
        """Each phase with its months in order, then (None, the months no phase lists) if there are any."""
        phases = tuple((p, tuple(m for m in self.months_in_order if m.number in p.months)) for p in self.phases)
        rest = self.months_without_phase
        return (*phases, (None, rest)) if rest else phases

    @property
    def title_in_text(self) -> str:
        """The title as it reads inside a sentence: `the year program` for `The year program`."""
        return self.title.lower() if self.title.startswith("The ") else self.title

    def month(self, number: int) -> Month | None:
        """The month with this number, if there is one."""
        return next((m for m in self.months if m.number == number), None)

    def month_after(self, number: int) -> Month | None:
        """The next month of the program after month `number`, if any."""
        return next((m for m in self.months_in_order if m.number > number), None)

    def phase_of(self, number: int) -> Phase | None:
        """The phase that holds month `number`, if any."""
        return next((p for p in self.phases if number in p.months), None)
