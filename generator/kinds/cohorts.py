"""A cohort's pages: its roster and timeline, the lead's tasks (a page, a calendar, a spreadsheet) and
dashboard, and for each pair its dated meetings, calendar and printable pack.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from ..links import (
    cohort_tasks_url,
    cohort_url,
    dashboard_url,
    lead_calendar_url,
    page_url,
    pair_calendar_url,
    pair_pack_pdf_url,
    pair_pack_url,
    pair_url,
    tasks_csv_url,
)
from ..models import Cohort, Pair
from ..pages import Kind, NavLink, Page
from ..site import Site
from ..theme import STATIC_PREFIX
from ..values import Input
from .kind import PageKind, Plan, SiteFiles, material_sources

STYLESHEET = STATIC_PREFIX + "playbook.css"


@dataclass(frozen=True)
class CohortPlan:
    """Planning the pages of one cohort: the cohort, its link, and what its pages show."""

    site: Plan
    cohort: Cohort
    link: NavLink
    sources: frozenset[Input]  # the settings, the cohort and its program


@dataclass(frozen=True)
class PairPlan:
    """Planning the pages of one pair of a cohort."""

    cohort: CohortPlan
    pair: Pair
    link: NavLink


def cohort_plan(plan: Plan, cohort: Cohort) -> CohortPlan:
    """Where the kinds made once for each cohort plan their pages."""
    files = plan.playbook.sources.files
    sources = frozenset([*plan.shared, files["cohort"][cohort.id].whole, files["program"][cohort.program].whole])
    return CohortPlan(plan, cohort, NavLink(cohort.title, cohort_url(cohort.id)), sources)


def pair_plans(plan: CohortPlan) -> Iterable[PairPlan]:
    """Where the kinds made once for each pair plan their pages."""
    cohort = plan.cohort
    people = tuple(role.id for role in plan.site.roles)
    for pair in cohort.pairs:
        title = f"{cohort.title}: {cohort.pair_label(pair, people)}"
        yield PairPlan(plan, pair, NavLink(title, pair_url(cohort.id, pair.id)))


def _trail(plan: CohortPlan) -> tuple[NavLink, ...]:
    program = plan.site.playbook.programs[plan.cohort.program]
    return (plan.site.home, NavLink(program.title, page_url("program", program.id)))


def _page(
    plan: CohortPlan,
    url: str,
    kind: Kind,
    title: str,
    *,
    pair: Pair | None = None,
    sources: frozenset[Input] | None = None,
) -> Page:
    program = plan.site.playbook.programs[plan.cohort.program]
    trail = (*_trail(plan), plan.link) if url != plan.link.url else _trail(plan)
    return Page(url, kind, title, sources or plan.sources, program=program, cohort=plan.cohort, pair=pair, trail=trail)


def _cohort(plan: CohortPlan) -> Iterator[Page]:
    yield _page(plan, plan.link.url, Kind.COHORT, plan.cohort.title)


def _task_list(kind: Kind, url_of: Callable[[str], str]) -> Callable[[CohortPlan], Iterator[Page]]:
    """The cohort's tasks in one form (a page, a calendar, a spreadsheet): each titled the same."""

    def plan_it(plan: CohortPlan) -> Iterator[Page]:
        title = plan.site.words.speak("%(cohort)s: tasks", cohort=plan.cohort.title)
        yield _page(plan, url_of(plan.cohort.id), kind, title)

    return plan_it


def _dashboard(plan: CohortPlan) -> Iterator[Page]:
    program = plan.site.playbook.programs[plan.cohort.program]
    # It counts ticks in the program's checklists and reads its check-in worksheets.
    sources = frozenset([*plan.sources, *material_sources(program.months, plan.site.playbook.sources)])
    yield _page(
        plan,
        dashboard_url(plan.cohort.id),
        Kind.DASHBOARD,
        plan.site.words.speak("%(cohort)s: dashboard", cohort=plan.cohort.title),
        sources=sources,
    )


def _pair(plan: PairPlan) -> Iterator[Page]:
    yield _page(plan.cohort, plan.link.url, Kind.PAIR, plan.link.title, pair=plan.pair)


def _pack_sources(plan: PairPlan) -> frozenset[Input]:
    program = plan.cohort.site.playbook.programs[plan.cohort.cohort.program]
    return frozenset([*plan.cohort.sources, *material_sources(program.months, plan.cohort.site.playbook.sources)])


def _pack(plan: PairPlan) -> Iterator[Page]:
    url = pair_pack_url(plan.cohort.cohort.id, plan.pair.id)
    title = plan.cohort.site.words.speak("%(pair)s: meeting cards", pair=plan.link.title)
    yield _page(plan.cohort, url, Kind.PAIR_PACK, title, pair=plan.pair, sources=_pack_sources(plan))


def _pack_pdf(plan: PairPlan) -> Iterator[Page]:
    if plan.cohort.site.pdf:
        url = pair_pack_pdf_url(plan.cohort.cohort.id, plan.pair.id)
        title = plan.cohort.site.words.speak("%(pair)s: meeting cards", pair=plan.link.title)
        yield _page(plan.cohort, url, Kind.PAIR_PACK_PDF, title, pair=plan.pair, sources=_pack_sources(plan))


def _pair_calendar(plan: PairPlan) -> Iterator[Page]:
    url = pair_calendar_url(plan.cohort.cohort.id, plan.pair.id)
    yield _page(
        plan.cohort,
        url,
        Kind.PAIR_CALENDAR,
        plan.cohort.site.words.speak("%(pair)s: calendar", pair=plan.link.title),
        pair=plan.pair,
    )


def _make_lead_calendar(page: Page, site: Site, files: SiteFiles) -> Iterable[tuple[str, bytes]]:
    from ..ics import render_task_calendar

    assert page.cohort is not None
    return [(page.url, render_task_calendar(site, site.cohorts[page.cohort.id]))]


def _make_tasks_csv(page: Page, site: Site, files: SiteFiles) -> Iterable[tuple[str, bytes]]:
    from ..tasks_csv import render_tasks_csv

    assert page.cohort is not None
    return [(page.url, render_tasks_csv(site, site.cohorts[page.cohort.id]))]


def _make_pair_calendar(page: Page, site: Site, files: SiteFiles) -> Iterable[tuple[str, bytes]]:
    from ..ics import render_pair_calendar

    assert page.cohort is not None and page.pair is not None
    return [(page.url, render_pair_calendar(site, site.cohorts[page.cohort.id], page.pair.id))]


def _pack_printed(page: Page) -> str:
    assert page.cohort is not None and page.pair is not None
    return pair_pack_url(page.cohort.id, page.pair.id)


def _pack_made_from(page: Page) -> tuple[str, ...]:
    return _pack_printed(page), STYLESHEET


COHORT = PageKind(Kind.COHORT, _cohort, "cohort.html")
COHORT_TASKS = PageKind(Kind.COHORT_TASKS, _task_list(Kind.COHORT_TASKS, cohort_tasks_url), "cohort-tasks.html")
LEAD_CALENDAR = PageKind(
    Kind.LEAD_CALENDAR, _task_list(Kind.LEAD_CALENDAR, lead_calendar_url), make=_make_lead_calendar
)
TASKS_CSV = PageKind(Kind.TASKS_CSV, _task_list(Kind.TASKS_CSV, tasks_csv_url), make=_make_tasks_csv)
DASHBOARD = PageKind(Kind.DASHBOARD, _dashboard, "dashboard.html")
PAIR = PageKind(Kind.PAIR, _pair, "pair.html")
PAIR_PACK = PageKind(Kind.PAIR_PACK, _pack, "pair-pack.html")
PAIR_PACK_PDF = PageKind(Kind.PAIR_PACK_PDF, _pack_pdf, made_from=_pack_made_from, prints=_pack_printed)
PAIR_CALENDAR = PageKind(Kind.PAIR_CALENDAR, _pair_calendar, make=_make_pair_calendar)
