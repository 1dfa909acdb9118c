"""The whole playbook: its settings and every program, worksheet, checklist and guide, cross-checked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from ..values import Model, Sources
from .cohort import Cohort
from .materials import Checklist, Guide, GuideMeta, Worksheet
from .program import Program
from .roles import union
from .settings import Role, SiteSettings

# --- The whole playbook -------------------------------------------------------

FIRST_GUIDE = "getting-started"  # the guide every role's "Start here" page lists first


MonthOf = tuple[str, int]  # a month of a program: (program id, month number)


class Changelog(Model):
    """content/CHANGELOG.md: what changed from one edition of the playbook to the next, newest first."""

    body: str = Field(description="The Markdown, a heading for each edition, e.g. `## 2027.1 — 2026-12-01`.")
    body_line: int = Field(1, description="The file line the Markdown starts on.")


class Playbook(Model):
    """Everything in a project, validated and cross-checked; each collection keyed by id, in display order."""

    settings: SiteSettings
    programs: dict[str, Program]
    worksheets: dict[str, Worksheet]
    checklists: dict[str, Checklist]
    guides: dict[str, Guide]
    cohorts: dict[str, Cohort] = Field(default_factory=dict)
    changelog: Changelog | None = Field(None, description="What changed, edition by edition; None without the file.")
    uses: SkipJsonSchema[dict[tuple[str, str], tuple[MonthOf, ...]]] = Field(
        default_factory=dict,
        exclude=True,
        description="For each worksheet, checklist and guide (by kind and id): the months that use it, in order.",
    )
    sources: SkipJsonSchema[Sources] = Field(
        default_factory=Sources, exclude=True, description="Where each part was read from."
    )

    def start_date(self, program: Program) -> dt.date | None:
        """When the program's first meeting is: its own start date, else the playbook's."""
        return program.start_date or self.settings.start_date

    def cohort_program(self, cohort: Cohort) -> Program:
        """The program a cohort runs."""
        return self.programs[cohort.program]

    def cohort_roles(self) -> tuple[str, ...]:
        """The roles that run cohorts: the owners of the tasks of the programs cohorts run."""
        programs = dict.fromkeys(c.program for c in self.cohorts.values())
        return union(task.owner for p in programs if p in self.programs for task in self.programs[p].tasks)

    def role(self, role_id: str) -> Role:
        """The declared role with this id."""
        return next(r for r in self.settings.roles if r.id == role_id)

    def items_of(self, kind: str, ids: Iterable[str]) -> tuple[Worksheet | Checklist | Guide, ...]:
        """The worksheets, checklists or guides (`kind`) with these ids that exist, in the order given."""
        kinds: dict[str, Mapping[str, Worksheet | Checklist | Guide]] = {
            "worksheet": self.worksheets,
            "checklist": self.checklists,
            "guide": self.guides,
        }
        found = kinds[kind]
        return tuple(found[item_id] for item_id in ids if item_id in found)

    def worksheets_for(self, role_id: str, ids: Iterable[str] | None = None) -> tuple[Worksheet, ...]:
        """The worksheets (every one, or those with these ids, in that order) `role_id` fills in part of; '' is everyone."""
        found = self.worksheets.values() if ids is None else (self.worksheets[i] for i in ids if i in self.worksheets)
        return tuple(w for w in found if not role_id or role_id in w.owners())

    def checklists_for(self, role_id: str, ids: Iterable[str] | None = None) -> tuple[Checklist, ...]:
        """The checklists (every one, or those with these ids, in that order) with items for `role_id`; '' is everyone."""
        found = self.checklists.values() if ids is None else (self.checklists[i] for i in ids if i in self.checklists)
        return tuple(c for c in found if not role_id or role_id in c.owners())

    def shared_checklists(self, program: Program, role_id: str = "") -> dict[str, tuple[int, ...]]:
        """The checklists with items for `role_id` ('' is everyone) that several months use, by first use, with the months."""
        months: dict[str, list[int]] = {}
        for month in program.months_in_order:
            for checklist in self.checklists_for(role_id, dict.fromkeys(month.checklists)):
                months.setdefault(checklist.id, []).append(month.number)
        return {checklist_id: tuple(numbers) for checklist_id, numbers in months.items() if len(numbers) > 1}

    def programs_using(self, worksheet_id: str) -> tuple[Program, ...]:
        """The programs with a month that uses the worksheet, in program order."""
        return tuple(p for p in self.programs.values() if any(worksheet_id in m.worksheets for m in p.months))

    def guides_for(self, role_id: str) -> tuple[Guide, ...]:
        """A role's reading list: "Getting started" first, then the guides meant for that role, in guide order."""
        first = self.guides.get(FIRST_GUIDE)
        own = (g for g in self.guides.values() if role_id in g.meta.roles and g.id != FIRST_GUIDE)
        return (*((first,) if first else ()), *own)


DOCUMENT_MODELS: dict[str, type[Model]] = {
    "playbook": SiteSettings,
    "program": Program,
    "worksheet": Worksheet,
    "checklist": Checklist,
    "guide": GuideMeta,
    "cohort": Cohort,
}
