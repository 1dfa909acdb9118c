"""What a page kind declares, and what planning its pages may use.

A kind plans its pages at one place in the playbook: once for the site (`Plan`), once
for each program (`ProgramPlan`) or once for each month of a program (`MonthPlan`).
Each page names the sources it shows, which is what the dependency map digests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from ..interface import ENGLISH, Words
from ..links import month_url, page_url
from ..models import Month, Playbook, Program, Role
from ..pages import Kind, NavLink, Page
from ..site import Site
from ..values import Input, Sources

T = TypeVar("T")
S = TypeVar("S")  # where a kind is planned: the site, a program, a month, a cohort or a pair


class SiteFiles(Protocol):
    """The other files of the site, for a file made from them (a booklet's PDF from its page and stylesheet)."""

    def file(self, url: str) -> bytes:
        """The bytes of one file of the site."""


# How a kind's file is made by code: the page, the site and its other files -> (URL, bytes) of each file made.
Make = Callable[[Page, Site, SiteFiles], Iterable[tuple[str, bytes]]]


@dataclass(frozen=True)
class PageKind(Generic[S]):
    """A kind of page: the pages it adds to the site (with the sources each shows), and how each is made."""

    kind: Kind
    plan: Callable[[S], Iterable[Page]]  # its pages at one place in the playbook
    template: str = ""  # the template that renders its pages, unless `make` makes them
    make: Make | None = None
    made_from: Callable[[Page], tuple[str, ...]] | None = None  # other files of the site a page is made from
    prints: Callable[[Page], str] | None = None  # the page of the site it is the PDF of (made from `made_from`)
    folder: str = ""  # where the further files a page makes go, beside its own URL (the search index's)
    # What a page shows that planning found out after its sources were named (the accessibility statement's facts),
    # as a text that changes when it does: part of the page's fingerprint.
    shows: Callable[[Site], str] | None = None


@dataclass(frozen=True)
class Plan:
    """What planning the pages of the site may use: the playbook, where its sources are, what pages share."""

    playbook: Playbook
    pdf: bool  # whether the booklets are also made as PDF files
    roles: tuple[Role, ...]  # each role once
    everything: frozenset[Input]  # the sources of a page that lists everything
    shared: frozenset[
        Input
    ]  # what every page shows: the settings and the programs (their titles are in the navigation)
    words: Words = ENGLISH  # the interface's words, for titles and breadcrumbs

    @property
    def home(self) -> NavLink:
        """The home page, as breadcrumbs name it."""
        return NavLink(self.words.speak("Home"), page_url("home"))


def site_plan(playbook: Playbook, pdf: bool, words: Words = ENGLISH) -> Plan:
    """What every kind plans its pages from."""
    found = playbook.sources.files
    everything = frozenset(
        [
            playbook.sources.settings.whole,
            *(s.whole for kind in ("program", "worksheet", "checklist", "cohort") for s in found[kind].values()),
            *(s.listed for s in found["guide"].values()),  # lists show a guide's title and summary only
        ]
    )
    shared = frozenset([playbook.sources.settings.whole, *(s.whole for s in found["program"].values())])
    return Plan(playbook, pdf, first_of_each(playbook.settings.roles, "id"), everything, shared, words)


@dataclass(frozen=True)
class ProgramPlan:
    """Planning the pages of one program: the program, its link, and what its pages show."""

    site: Plan
    program: Program
    link: NavLink
    sources: frozenset[Input]
    months: tuple[Month, ...]  # in order, each number once


def program_plan(plan: Plan, program: Program) -> ProgramPlan:
    """Where the kinds made once for each program plan their pages."""
    link = NavLink(program.title, page_url("program", program.id))
    sources = frozenset([*plan.shared, *material_sources(program.months, plan.playbook.sources)])
    return ProgramPlan(plan, program, link, sources, first_of_each(program.months_in_order, "number"))


@dataclass(frozen=True)
class MonthPlan:
    """Planning the pages of one month of a program."""

    program: ProgramPlan
    month: Month
    link: NavLink
    sources: frozenset[Input]
    previous: NavLink | None
    next: NavLink | None


def month_plans(plan: ProgramPlan) -> Iterable[MonthPlan]:
    """Where the kinds made once for each month plan their pages, month by month."""
    months = plan.months
    shared = plan.site.shared
    for index, month in enumerate(months):
        before = months[index - 1] if index > 0 else None
        after = months[index + 1] if index + 1 < len(months) else None
        sources = frozenset([*shared, *material_sources((month,), plan.site.playbook.sources)])
        words = plan.site.words
        link = month_link(words, plan.program, month)
        previous = month_link(words, plan.program, before) if before else None
        after_link = month_link(words, plan.program, after) if after else None
        yield MonthPlan(plan, month, link, sources, previous, after_link)


def month_link(words: Words, program: Program, month: Month) -> NavLink:
    """A month's page, as links to it name it: `Month 3: Role and pay`."""
    title = words.speak("Month %(number)s: %(title)s", number=month.number, title=month.title)
    return NavLink(title, month_url(program.id, month.number))


def first_of_each(items: Iterable[T], attribute: str) -> tuple[T, ...]:
    """The items without repeats of `attribute`: a repeat is reported by validation, and gets no page."""
    seen: dict[object, T] = {}
    for item in items:
        seen.setdefault(getattr(item, attribute), item)
    return tuple(seen.values())


def material_sources(months: Iterable[Month], sources: Sources) -> list[Input]:
    """The files of the worksheets, checklists and guides that these months show."""
    return [
        sources.files[kind][ref].listed if kind == "guide" else sources.files[kind][ref].whole
        for month in months
        for kind, refs in (("worksheet", month.worksheets), ("checklist", month.checklists), ("guide", month.guides))
        for ref in refs
        if ref in sources.files[kind]
    ]
