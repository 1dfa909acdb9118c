"""The whole playbook: its settings and every program, worksheet, checklist and guide, cross-checked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from ..values import Model
from .materials import Checklist, Guide, GuideMeta, Worksheet
from .program import Program
from .settings import Role, SiteSettings

# --- The whole playbook -------------------------------------------------------

FIRST_GUIDE = "getting-started"  # the guide every role's "Start here" page lists first


class Playbook(Model):
    """Everything in a project, validated and cross-checked; each collection keyed by id, in display order."""

    settings: SiteSettings
    programs: dict[str, Program]
    worksheets: dict[str, Worksheet]
    checklists: dict[str, Checklist]
    guides: dict[str, Guide]

    def start_date(self, program: Program) -> dt.date | None:
        """When the program's first meeting is: its own start date, else the playbook's."""
        return program.start_date or self.settings.start_date

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
}
