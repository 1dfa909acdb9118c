"""The typed content model: what a playbook is made of.

Every model is frozen and forbids unknown keys, so a typo in a YAML file is an
error rather than a silently ignored setting. Each field has a description;
`playbook schema` turns them into a JSON Schema for editors. This module does
no I/O and imports only the value types of `values`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Annotated, Literal, NamedTuple

from pydantic import ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema

from .values import (
    GUIDE_ID_PATTERN,
    ChecklistId,
    ClockTime,
    FolderSlug,
    GuideId,
    HexColor,
    InlineMarkdown,
    Markdown,
    Model,
    Number,
    OnDay,
    Owners,
    RoleId,
    Slug,
    Sources,
    Text,
    TimeZoneName,
    When,
    WholeNumber,
    WholeNumberOrNone,
    WorksheetId,
)

# --- Site settings (playbook.yaml) --------------------------------------------


class Role(Model):
    """A part people play in the program, e.g. mentor or protégé."""

    id: FolderSlug
    name: Text = Field(description="How the role is written on pages, e.g. `Protégé`.")
    summary: str = Field("", description="One sentence on what this role is for.")


class Colors(Model):
    """Brand colors; each sets a CSS custom property of the theme."""

    accent: HexColor | None = Field(None, description="Links, buttons and highlights in light mode.")
    accent_dark: HexColor | None = Field(None, description="The same in dark mode; keep it light enough to read.")


class PrintSettings(Model):
    """How printed pages and booklets are laid out."""

    page_size: Literal["A4", "Letter"] = Field("A4", description="Paper size for printing.")


class MarkdownSettings(Model):
    """How Markdown is turned into HTML."""

    allow_html: bool = Field(
        False,
        description="Pass raw HTML in Markdown through. Off by default: HTML is shown as text.",
    )


DEFAULT_MAX_FILE_MB = 10


class LimitSettings(Model):
    """Bounds on what a build will read, so one wrong file cannot stall it or exhaust memory."""

    max_file_mb: Number = Field(
        DEFAULT_MAX_FILE_MB,
        gt=0,
        le=1024,
        description="The largest file (content or asset) a build reads, in megabytes. Larger files are errors.",
    )


class SiteSettings(Model):
    """The settings in playbook.yaml."""

    title: Text = Field(description="The name of the playbook, shown on every page.")
    organization: str = Field("", description="Who runs the program; shown in the header and footer.")
    description: str = Field("", description="One or two sentences shown on the home page.")
    language: str = Field(
        "en", pattern=r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$", description="BCP 47 language tag, e.g. `en-GB`."
    )
    theme: Slug = Field("default", description="Theme name: a folder under `themes/`, or the built-in `default`.")
    base_url: str | None = Field(
        None,
        pattern=r"^https?://[^\s\"'<>]+$",
        description="Where the site will be published, e.g. `https://example.org/mentoring/`. Optional.",
    )
    logo: str | None = Field(None, description="An image under `content/assets/`, e.g. `assets/logo.svg`.")
    colors: Colors = Colors()
    start_date: dt.date | None = Field(None, description="When the first meeting happens (YYYY-MM-DD). Optional.")
    print: PrintSettings = PrintSettings()
    markdown: MarkdownSettings = MarkdownSettings()
    limits: LimitSettings = LimitSettings()
    roles: tuple[Role, ...] = Field(min_length=1, description="The roles of the program, in the order to show them.")


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
        return _roles_with_items(self.prepare)

    def follow_up_roles(self) -> tuple[str, ...]:
        """The roles with something to do after the meeting."""
        return _roles_with_items(self.follow_up)

    def agenda_roles(self) -> tuple[str, ...]:
        """The roles that lead some part of the meeting."""
        return _union(item.owner for item in self.agenda)


def _roles_with_items(part: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    return tuple(role for role, items in part.items() if items)


def _union(role_lists: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(role for roles in role_lists for role in roles))


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

    def month(self, number: int) -> Month | None:
        """The month with this number, if there is one."""
        return next((m for m in self.months if m.number == number), None)

    def month_after(self, number: int) -> Month | None:
        """The next month of the program after month `number`, if any."""
        return next((m for m in self.months_in_order if m.number > number), None)

    def phase_of(self, number: int) -> Phase | None:
        """The phase that holds month `number`, if any."""
        return next((p for p in self.phases if number in p.months), None)


# --- Worksheets ---------------------------------------------------------------


class FieldBase(Model):
    id: Slug = Field(description="Unique within the worksheet; answers are saved under it.")
    label: Text = Field(description="The question, shown above the field.")
    hint: str = Field("", description="Help shown under the label.")


class ShortTextField(FieldBase):
    """A one-line answer."""

    type: Literal["short_text"]


class LongTextField(FieldBase):
    """A paragraph or more."""

    type: Literal["long_text"]
    lines: WholeNumber = Field(5, ge=1, le=40, description="Writing space, in lines, on screen and on paper.")


class ListField(FieldBase):
    """A few short entries, one per line."""

    type: Literal["list"]
    items: WholeNumber = Field(3, ge=1, le=30, description="How many entries to make room for.")


class DateField(FieldBase):
    """A calendar date."""

    type: Literal["date"]


class ScaleField(FieldBase):
    """A rating on a numbered scale."""

    type: Literal["scale"]
    min: WholeNumber = Field(1, ge=0, le=10)
    max: WholeNumber = Field(5, ge=1, le=10)
    min_label: str = Field("", description="What the lowest number means.")
    max_label: str = Field("", description="What the highest number means.")


class ChoiceField(FieldBase):
    """One option, or several when `multiple` is true."""

    type: Literal["choice"]
    options: tuple[Text, ...] = Field(min_length=2)
    multiple: bool = False


class TableField(FieldBase):
    """Rows of entries under named columns."""

    type: Literal["table"]
    columns: tuple[Text, ...] = Field(min_length=1)
    rows: WholeNumber = Field(3, ge=1, le=30, description="How many rows to make room for.")


WorksheetField = Annotated[
    ShortTextField | LongTextField | ListField | DateField | ScaleField | ChoiceField | TableField,
    Field(discriminator="type"),
]
FIELD_TYPES = ("short_text", "long_text", "list", "date", "scale", "choice", "table")


class Section(Model):
    """A group of worksheet fields under a heading."""

    title: Text
    owner: Owners | None = Field(None, description="Who fills in this section, when not the worksheet's owner.")
    intro: Markdown = ""
    fields: tuple[WorksheetField, ...] = Field(min_length=1)


class Worksheet(Model):
    """A form to fill in (content/worksheets/<id>.yaml)."""

    id: SkipJsonSchema[str] = ""
    title: Text
    summary: Text = Field(description="One sentence on what the worksheet is for.")
    owner: Owners
    instructions: Markdown = Field("", description="How to use the worksheet (Markdown).")
    sections: tuple[Section, ...] = Field(min_length=1)

    @property
    def fields(self) -> tuple[FieldBase, ...]:
        """Every field of every section, in order."""
        return tuple(f for s in self.sections for f in s.fields)

    def section_owner(self, section: Section) -> tuple[str, ...]:
        """Who fills in a section: its own owner, or the worksheet's."""
        return section.owner or self.owner

    def owners(self) -> tuple[str, ...]:
        """Everyone who fills in some part of the worksheet, in order."""
        return _union(self.section_owner(s) for s in self.sections)


# --- Checklists ---------------------------------------------------------------


class ChecklistItem(Model):
    """One thing to do and tick off."""

    id: Slug | None = Field(None, description="Stable key for saved ticks; defaults to the item's position.")
    text: InlineMarkdown
    owner: Owners
    when: When | None = None
    details: InlineMarkdown | None = None


class ChecklistGroup(NamedTuple):
    """A run of checklist items with the same timing: its label and its (key, item) pairs."""

    label: str
    entries: tuple[tuple[str, ChecklistItem], ...]

    def owners(self) -> tuple[str, ...]:
        """Everyone who owns some item of the group, in order."""
        return _union(item.owner for _, item in self.entries)


class Checklist(Model):
    """Things to tick off (content/checklists/<id>.yaml)."""

    id: SkipJsonSchema[str] = ""
    title: Text
    summary: Text = Field(description="One sentence on what the checklist is for.")
    description: Markdown = ""
    items: tuple[ChecklistItem, ...] = Field(min_length=1)

    def groups(self) -> tuple[ChecklistGroup, ...]:
        """Runs of items with the same timing, in the written order."""
        runs: list[tuple[str, list[tuple[str, ChecklistItem]]]] = []
        for index, item in enumerate(self.items):
            label = item.when.label if item.when else "Any time"
            if not runs or runs[-1][0] != label:
                runs.append((label, []))
            runs[-1][1].append((self.item_key(index), item))
        return tuple(ChecklistGroup(label, tuple(entries)) for label, entries in runs)

    def keys(self) -> tuple[str, ...]:
        """The keys of every item, in order."""
        return tuple(self.item_key(i) for i in range(len(self.items)))

    def key_owners(self) -> tuple[tuple[str, ...], ...]:
        """The owners of every item, in the order of `keys()`."""
        return tuple(item.owner for item in self.items)

    def owners(self) -> tuple[str, ...]:
        """Everyone who owns some item, in order."""
        return _union(item.owner for item in self.items)

    def item_key(self, index: int) -> str:
        """The key a tick is saved under: the item's id, or its position."""
        item = self.items[index]
        return item.id or f"item-{index + 1}"


# --- Guides -------------------------------------------------------------------


class GuideMeta(Model):
    """The front matter of a guide (content/guides/**/*.md)."""

    title: Text
    summary: str = Field("", description="One sentence shown in lists of guides.")
    roles: tuple[RoleId, ...] = Field((), description="Who the guide is for; empty means everyone.")
    order: WholeNumber = Field(0, description="Guides are listed by this number, then by title.")


class Guide(Model):
    """A guidance page: front matter and a Markdown body."""

    # The body is kept exactly as written, so line numbers in it stay true.
    model_config = ConfigDict(str_strip_whitespace=False)

    id: Annotated[str, Field(pattern=GUIDE_ID_PATTERN)]
    meta: GuideMeta
    body: str
    body_line: int = Field(description="The line of the source file where the body starts, from 1.")

    @property
    def title(self) -> str:
        """The guide's title."""
        return self.meta.title

    def owners(self) -> tuple[str, ...]:
        """Who the guide is for; empty means everyone."""
        return self.meta.roles


# --- The whole playbook -------------------------------------------------------

FIRST_GUIDE = "getting-started"  # the guide every role's "Start here" page lists first


MonthOf = tuple[str, int]  # a month of a program: (program id, month number)


class Playbook(Model):
    """Everything in a project, validated and cross-checked; each collection keyed by id, in display order."""

    settings: SiteSettings
    programs: dict[str, Program]
    worksheets: dict[str, Worksheet]
    checklists: dict[str, Checklist]
    guides: dict[str, Guide]
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
