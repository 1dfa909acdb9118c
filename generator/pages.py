"""What a page of the site is: its kind, where it goes, what it shows, and which sources it shows."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .models import Checklist, Cohort, Guide, Month, Pair, Program, Role, Worksheet
from .values import Input


class Kind(str, Enum):
    """Every kind of page the site has; `generator.kinds` says how each is planned and made."""

    HOME = "home"
    ROLE = "role"
    GUIDES = "guides"
    WORKSHEETS = "worksheets"
    CHECKLISTS = "checklists"
    PROGRESS = "progress"
    SEARCH_INDEX = "search-index"
    SITEMAP = "sitemap"
    NOT_FOUND = "404"
    ROBOTS = "robots"
    FAVICON = "favicon"
    PROGRAM = "program"
    BOOKLET = "booklet"
    BOOKLET_PDF = "booklet-pdf"
    CARDS = "cards"
    CALENDAR = "calendar"
    MONTH = "month"
    CARD = "card"
    GUIDE = "guide"
    WORKSHEET = "worksheet"
    CHECKLIST = "checklist"
    COHORT = "cohort"
    COHORT_TASKS = "cohort-tasks"
    LEAD_CALENDAR = "lead-calendar"
    TASKS_CSV = "tasks-csv"
    DASHBOARD = "dashboard"
    PAIR = "pair"
    PAIR_PACK = "pair-pack"
    PAIR_PACK_PDF = "pair-pack-pdf"
    PAIR_CALENDAR = "pair-calendar"
    READ_ME = "read-me"  # only in the zip of the site (`build --zip`)
    CHANGES = "changes"
    ACCESSIBILITY = "accessibility"

    def __str__(self) -> str:
        # What templates and messages show: `page-guide`, not `page-Kind.GUIDE`.
        return str(self.value)


@dataclass(frozen=True)
class NavLink:
    """A titled link to a page of the site."""

    title: str
    url: str


@dataclass(frozen=True)
class Pager:
    """The pages before and after a page in one reading order."""

    previous: NavLink | None = None
    next: NavLink | None = None


@dataclass(frozen=True)
class ListedGuide:
    """A guide in the list beside a guide: its link, and the roles it is for (empty: everyone)."""

    title: str
    url: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class Use:
    """A month that uses a worksheet, checklist or guide."""

    program: Program
    month: Month
    title: str
    url: str

    @property
    def key(self) -> str:
        """How the browser tells this use apart when it saves ticks: `program/month`."""
        return f"{self.program.id}/{self.month.number}"


@dataclass(frozen=True)
class Page:
    """One file of the site: where it goes, what it shows, and which sources it shows."""

    url: str
    kind: Kind
    title: str
    sources: frozenset[Input]  # what the page shows of the files; often one set shared by many pages
    own: tuple[Input, ...] = ()  # what this page alone shows, beside `sources`
    program: Program | None = None
    month: Month | None = None
    worksheet: Worksheet | None = None
    checklist: Checklist | None = None
    guide: Guide | None = None
    role: Role | None = None
    cohort: Cohort | None = None
    pair: Pair | None = None
    previous: NavLink | None = None
    next: NavLink | None = None
    trail: tuple[NavLink, ...] = ()  # the breadcrumb: pages above this one
    pagers: tuple[tuple[str, Pager], ...] = ()  # by role id: previous / next in that role's reading order
    guides: tuple[ListedGuide, ...] = ()  # the guides listed beside a guide, in the reading order for everyone

    @property
    def pager_data(self) -> dict[str, dict[str, dict[str, str] | None]]:
        """Previous and next for everyone ('') and for each role, as the browser swaps them in."""
        found = {"": Pager(self.previous, self.next), **dict(self.pagers)}
        return {
            role_id: {
                side: {"title": link.title, "url": link.url} if link else None
                for side, link in (("previous", pager.previous), ("next", pager.next))
            }
            for role_id, pager in found.items()
        }

    @property
    def is_html(self) -> bool:
        """Whether the page is an HTML page a reader opens (not an index, calendar or PDF)."""
        return self.url.endswith(".html")
