"""The materials a program uses: worksheets to fill in, checklists to tick off, guides to read."""

from __future__ import annotations

from typing import Annotated, Literal, NamedTuple

from pydantic import ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema

from ..recurrence import Recurrence
from ..values import (
    GUIDE_ID_PATTERN,
    InlineMarkdown,
    Markdown,
    Model,
    Owners,
    RoleId,
    Slug,
    Text,
    When,
    WholeNumber,
)
from .roles import union

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
    repeat: Recurrence | None = Field(
        None,
        description="Fill it in again and again, each time on its own: `after-each-meeting` or `every 60 days`.",
    )

    @property
    def fields(self) -> tuple[FieldBase, ...]:
        """Every field of every section, in order."""
        return tuple(f for s in self.sections for f in s.fields)

    def section_owner(self, section: Section) -> tuple[str, ...]:
        """Who fills in a section: its own owner, or the worksheet's."""
        return section.owner or self.owner

    def owners(self) -> tuple[str, ...]:
        """Everyone who fills in some part of the worksheet, in order."""
        return union(self.section_owner(s) for s in self.sections)


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
        return union(item.owner for _, item in self.entries)

    def entries_for(self, role_id: str) -> tuple[tuple[str, ChecklistItem], ...]:
        """The (key, item) pairs of the items `role_id` owns; all of them for '' (everyone)."""
        return tuple((key, item) for key, item in self.entries if not role_id or role_id in item.owner)


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
        return union(item.owner for item in self.items)

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

    @property
    def summary(self) -> str:
        """One sentence shown in lists of guides, or ''."""
        return self.meta.summary

    @property
    def roles(self) -> tuple[str, ...]:
        """Who the guide is for; empty means everyone."""
        return self.meta.roles

    def owners(self) -> tuple[str, ...]:
        """Who the guide is for, as worksheets and checklists say who fills them in; empty means everyone."""
        return self.roles
