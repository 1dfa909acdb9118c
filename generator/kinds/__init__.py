"""The page-kind registry: every kind of file the site has, where it is planned, and how it is made.

A kind (`PageKind`) declares the pages it adds to the site, the sources each page shows
(which the dependency map digests), and how each is made: through a template of the
theme, or by code (`make`). To add a feature, add a kind here and its template; render,
the dependency map and the writer need no change.

The order below is the order of `Site.pages`, which the sitemap lists: the site's sections
(with robots.txt and the site's icon), then each program's pages (each month's together), then each cohort's (each pair's together), then the guides, worksheets and checklists.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ..interface import ENGLISH, Words
from ..models import Playbook
from ..pages import Kind, Page
from ..site import Site
from . import cohorts, made, materials, programs, sections
from .kind import MonthPlan, PageKind, Plan, ProgramPlan, SiteFiles, month_plans, program_plan, site_plan

__all__ = ["KINDS", "PageKind", "SiteFiles", "files_used", "plan_pages", "plan_zip_pages"]

SITE: tuple[PageKind[Plan], ...] = (
    sections.HOME_PAGE,
    sections.ROLE,
    sections.GUIDES,
    sections.WORKSHEETS,
    sections.CHECKLISTS,
    sections.PROGRESS,
    sections.CHANGES,
    sections.ACCESSIBILITY,
    made.SEARCH_INDEX,
    sections.SITEMAP,
    sections.NOT_FOUND,
    sections.ROBOTS_TXT,
    sections.ICON,
)
EACH_PROGRAM: tuple[PageKind[ProgramPlan], ...] = (
    programs.PROGRAM,
    programs.BOOKLET,
    made.BOOKLET_PDF,
    programs.CARDS,
    made.CALENDAR,
)
EACH_MONTH: tuple[PageKind[MonthPlan], ...] = (programs.MONTH, programs.CARD)
EACH_COHORT: tuple[PageKind[cohorts.CohortPlan], ...] = (
    cohorts.COHORT,
    cohorts.COHORT_TASKS,
    cohorts.LEAD_CALENDAR,
    cohorts.TASKS_CSV,
    cohorts.DASHBOARD,
)
EACH_PAIR: tuple[PageKind[cohorts.PairPlan], ...] = (
    cohorts.PAIR,
    cohorts.PAIR_PACK,
    cohorts.PAIR_PACK_PDF,
    cohorts.PAIR_CALENDAR,
)
MATERIALS: tuple[PageKind[Plan], ...] = (materials.GUIDE, materials.WORKSHEET, materials.CHECKLIST)
IN_ZIP: tuple[PageKind[Plan], ...] = (sections.READ_ME,)  # not in the site: only in its zip, beside index.html

ALL: tuple[PageKind[Any], ...] = (*SITE, *EACH_PROGRAM, *EACH_MONTH, *EACH_COHORT, *EACH_PAIR, *MATERIALS, *IN_ZIP)
KINDS: dict[Kind, PageKind[Any]] = {kind.kind: kind for kind in ALL}


def plan_pages(playbook: Playbook, *, pdf: bool = False, words: Words = ENGLISH) -> Iterator[Page]:
    """Every page of the site, in a stable order; with `pdf`, the booklets as PDF files too. `words`:
    the interface's, for the pages' titles."""
    plan = site_plan(playbook, pdf, words)
    for kind in SITE:
        yield from kind.plan(plan)
    for program in playbook.programs.values():
        in_program = program_plan(plan, program)
        for program_kind in EACH_PROGRAM:
            yield from program_kind.plan(in_program)
        for in_month in month_plans(in_program):
            for month_kind in EACH_MONTH:
                yield from month_kind.plan(in_month)
    for cohort in playbook.cohorts.values():
        in_cohort = cohorts.cohort_plan(plan, cohort)
        for cohort_kind in EACH_COHORT:
            yield from cohort_kind.plan(in_cohort)
        for in_pair in cohorts.pair_plans(in_cohort):
            for pair_kind in EACH_PAIR:
                yield from pair_kind.plan(in_pair)
    for kind in MATERIALS:
        yield from kind.plan(plan)


def plan_zip_pages(playbook: Playbook, *, pdf: bool = False, words: Words = ENGLISH) -> Iterator[Page]:
    """The pages that the zip of the site adds to the site's own files: its read-me."""
    plan = site_plan(playbook, pdf, words)
    for kind in IN_ZIP:
        yield from kind.plan(plan)


def files_used(page: Page, site: Site, static: Iterable[str]) -> tuple[str, ...]:
    """The other files of the site `page` is made from: its kind's `made_from`; for a PDF, also whatever its
    page may fetch: the theme's static files but its scripts, and the content's assets (a logo, an image, a
    font, a stylesheet of `extra_css`)."""
    kind = KINDS[page.kind]
    found = kind.made_from(page) if kind.made_from is not None else ()
    if kind.prints is None:
        return found
    fetched = [url for url in static if not url.endswith(".js")] + [asset.url for asset in site.assets]
    return tuple(dict.fromkeys([*found, *fetched]))
