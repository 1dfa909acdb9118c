"""The kinds of values content files hold: ids, role owners, timings, colors and Markdown text.

Also the base of every content model, and where each part of a playbook was read from. No I/O,
and nothing imported from the rest of the package.
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, Protocol

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, GetCoreSchemaHandler, WithJsonSchema
from pydantic_core import PydanticCustomError, core_schema

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
GUIDE_ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*(/[a-z0-9]+(-[a-z0-9]+)*)*$"


class Prose:
    """Marks a text field as Markdown; `inline` ones hold a single line of it."""

    def __init__(self, inline: bool) -> None:
        self.inline = inline

    def __repr__(self) -> str:
        return f"Prose(inline={self.inline})"


Slug = Annotated[
    str,
    Field(
        pattern=SLUG_PATTERN,
        description="Lowercase letters, digits and single hyphens, e.g. `first-meeting`.",
    ),
]
# Names Windows keeps for devices: a file or folder by one of these names cannot be written there.
WINDOWS_DEVICES = frozenset(
    ["con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)), *(f"lpt{n}" for n in range(1, 10))]
)


def _not_a_device(value: str) -> str:
    if value in WINDOWS_DEVICES:
        raise PydanticCustomError(
            "device_name", "cannot be '{value}', a name Windows keeps for a device", {"value": value}
        )
    return value


# A slug that names a folder of the site, so it must be writable on every system.
FolderSlug = Annotated[Slug, AfterValidator(_not_a_device)]
# References to other things are checked against what exists, with a did-you-mean
# hint, so they carry no pattern of their own. Their schemas name what they refer to
# (`x-playbook-id-of`), so the form editor offers the ids that exist, and JSON Schema
# tools ignore the keyword.
ID_OF = "x-playbook-id-of"
RoleId = Annotated[
    str, Field(description="The id of a role declared in playbook.yaml.", json_schema_extra={ID_OF: "role"})
]
WorksheetId = Annotated[
    str, Field(description="A worksheet's file name without `.yaml`.", json_schema_extra={ID_OF: "worksheet"})
]
ChecklistId = Annotated[
    str, Field(description="A checklist's file name without `.yaml`.", json_schema_extra={ID_OF: "checklist"})
]
GuideId = Annotated[
    str,
    Field(
        description="A guide's path under content/guides without `.md`, e.g. `mentor/first-meeting`.",
        json_schema_extra={ID_OF: "guide"},
    ),
]


def _not_a_boolean(kind: str) -> Any:
    def check(value: Any) -> Any:
        # pydantic takes true and false as 1 and 0; in a playbook they are a slip, never a number.
        if isinstance(value, bool):
            raise PydanticCustomError(kind, "must be a number, not true or false")
        return value

    return BeforeValidator(check)


WholeNumber = Annotated[int, _not_a_boolean("int_type")]
# Checked as a whole, not as `WholeNumber | None`: then pydantic would not apply a field's bounds to the number.
WholeNumberOrNone = Annotated[int | None, _not_a_boolean("int_type")]
Number = Annotated[float, _not_a_boolean("float_type")]
Text = Annotated[str, Field(min_length=1)]
Markdown = Annotated[str, Prose(inline=False)]
InlineMarkdown = Annotated[str, Field(min_length=1), Prose(inline=True)]


def _one_or_many(value: Any) -> Any:
    return (value,) if isinstance(value, str) else value


Owners = Annotated[
    tuple[RoleId, ...],
    BeforeValidator(_one_or_many),
    Field(min_length=1),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string"},
                {"type": "array", "items": {"type": "string"}, "minItems": 1},
            ],
            "description": "A role id, or a list of role ids who share it.",
            ID_OF: "role",
        }
    ),
]


class Model(BaseModel):
    """Base of every content model: frozen, and strict about unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


# --- Timing -----------------------------------------------------------------

TIMING_PATTERN = re.compile(
    r"^(?:(?P<moment>before|during|after)|month (?P<month>[1-9][0-9]*)"
    r"|(?P<sign>[+-])(?P<amount>[1-9][0-9]*) (?P<unit>days?|weeks?))$"
)
TIMING_HELP = "`before`, `during`, `after`, `month 3`, `+2 weeks` or `-3 days`"


class Timing(Model):
    """When a checklist item is due, relative to the meeting or the program."""

    moment: Literal["before", "during", "after"] | None = None
    month: WholeNumberOrNone = None
    offset_days: WholeNumber = 0

    @property
    def label(self) -> str:
        """How the timing reads on a page, e.g. `2 weeks after`."""
        if self.month is not None:
            return f"Month {self.month}"
        if self.offset_days:
            days = abs(self.offset_days)
            amount = f"{days // 7} week" if days % 7 == 0 else f"{days} day"
            plural = "" if days in (1, 7) else "s"
            side = "before" if self.offset_days < 0 else "after"
            return f"{amount}{plural} {side} the meeting"
        return {"before": "Before the meeting", "during": "During the meeting", "after": "After the meeting"}[
            self.moment or "during"
        ]


def _parse_timing(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    match = TIMING_PATTERN.fullmatch(value.strip().lower())
    if match is None:
        raise PydanticCustomError("timing", "must be one of {help}", {"help": TIMING_HELP})
    if match["moment"]:
        return {"moment": match["moment"]}
    if match["month"]:
        return {"month": int(match["month"])}
    days = int(match["amount"]) * (7 if match["unit"].startswith("week") else 1)
    sign = -1 if match["sign"] == "-" else 1
    return {"moment": "before" if sign < 0 else "after", "offset_days": sign * days}


When = Annotated[
    Timing,
    BeforeValidator(_parse_timing),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": TIMING_PATTERN.pattern,
            "description": f"When the item is due: {TIMING_HELP}.",
        }
    ),
]


# --- Schedule -----------------------------------------------------------------

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
MEETING_DAY_HELP = "a weekday (`thursday`), a weekday of the month (`second thursday`, `last friday`) or `day 14`"


class MeetingDay(Model):
    """Which day a meeting falls on: a weekday, the nth weekday of the month, or a day of the month."""

    weekday: WholeNumberOrNone = None  # 0 is Monday, as in `datetime`
    nth: WholeNumberOrNone = None  # 1-4 or -1 (the last), with `weekday`, for monthly meetings
    day: WholeNumberOrNone = None  # the day of the month, 1-31

    @property
    def label(self) -> str:
        """How the rule reads, e.g. `second thursday`."""
        if self.day is not None:
            return f"day {self.day}"
        name = WEEKDAYS[self.weekday or 0]
        if self.nth is None:
            return name
        return f"{next(k for k, v in ORDINALS.items() if v == self.nth)} {name}"


def _parse_meeting_day(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    words = value.strip().lower().split()
    if len(words) == 2 and words[0] == "day" and words[1].isdigit() and 1 <= int(words[1]) <= 31:
        return {"day": int(words[1])}
    if len(words) == 1 and words[0] in WEEKDAYS:
        return {"weekday": WEEKDAYS.index(words[0])}
    if len(words) == 2 and words[0] in ORDINALS and words[1] in WEEKDAYS:
        return {"nth": ORDINALS[words[0]], "weekday": WEEKDAYS.index(words[1])}
    raise PydanticCustomError("meeting_day", "must be {help}", {"help": MEETING_DAY_HELP})


OnDay = Annotated[
    MeetingDay,
    BeforeValidator(_parse_meeting_day),
    WithJsonSchema({"type": "string", "description": f"The meeting day: {MEETING_DAY_HELP}."}),
]


def _known_time_zone(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise PydanticCustomError(
            "time_zone", "unknown time zone '{value}'; use a name such as `Europe/London`", {"value": value}
        ) from None
    return value


TimeZoneName = Annotated[
    str,
    AfterValidator(_known_time_zone),
    Field(description="An IANA time zone name, e.g. `Europe/London` or `America/New_York`."),
]
ClockTime = Annotated[
    str,
    Field(
        pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", description='The meeting\'s start, 24-hour "HH:MM", e.g. "10:00".'
    ),
]


HexColor = Annotated[str, Field(pattern=r"^#(?:[0-9a-fA-F]{3}){1,2}$", description="A CSS hex color, e.g. `#1d4f91`.")]


# --- Sources ------------------------------------------------------------------


class Positions(Protocol):
    """Where the values of a YAML file were written, for messages about them."""

    def position(self, loc: Sequence[str | int], *, key: bool = False) -> tuple[int, int]:
        """Line and column (from 1) of the value at `loc`, or of its key when `key` is true."""
        ...

    def text_position(self, loc: Sequence[str | int], line: int, needle: str) -> tuple[int, int]:
        """Where `needle`, on line `line` (from 0) of the text value at `loc`, is in the file."""
        ...


# What pages can be made from, as the dependency map compares it: a name (a file's path; `meta:` and a
# guide's path for its front matter alone), a NUL, and the digest of its content. A string, not a tuple:
# sets of thousands of them are hashed and compared on every rebuild, and a string keeps its hash.
Input = str


@dataclass(frozen=True)
class Source:
    """The file a part of the playbook was read from."""

    path: str  # from the project folder, with forward slashes
    digest: str  # of the file's bytes: a later build compares it to know the file is unchanged
    front_digest: str = ""  # a guide's: of its front matter alone, which is all that lists of guides show
    positions: Positions | None = None  # a YAML file's: where each value was written
    original: str = ""  # a translation's: the path of the file it translates, which links may name instead

    @property
    def whole(self) -> Input:
        """The whole file, as pages that show all of it depend on it."""
        return f"{self.path}\0{self.digest}"

    @property
    def listed(self) -> Input:
        """What a list of guides shows of a guide: its front matter; for other files, the whole file."""
        return f"meta:{self.path}\0{self.front_digest}" if self.front_digest else self.whole


@dataclass(frozen=True)
class Asset:
    """A file under content/assets, copied to the site as it is."""

    path: str
    url: str
    data: bytes
    digest: str = ""  # of `data`


@dataclass(frozen=True)
class Sources:
    """Where the parts of a playbook come from: what later stages know of its files."""

    settings: Source = Source("playbook.yaml", "")
    # kind -> id -> file, for every program, worksheet, checklist and guide found, even one that
    # failed validation: a link to it is not broken, the file is.
    files: Mapping[str, Mapping[str, Source]] = field(default_factory=dict)
    assets: tuple[Asset, ...] = ()

    def of(self, kind: str, item_id: str) -> Source:
        """The file of the program, worksheet, checklist or guide (`kind`) with this id."""
        return self.files[kind][item_id]

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        # Taken as it is: validation made it from the files, not from anything a person wrote.
        return core_schema.is_instance_schema(cls)
