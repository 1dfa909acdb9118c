"""Files made by code rather than a template: the search index, a program's calendar, a booklet as PDF.

A PDF is not made here: its kind names the page it prints and the files it is made from, and
render makes the PDFs of a build together (on every core, reusing those made before).

`search` and `ics` are imported where a file is made, not at the top: `playbook check`
plans these pages but never makes them, and need not load what making them takes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..links import booklet_pdf_url, booklet_url, calendar_url
from ..pages import Kind, Page
from ..site import Site
from ..theme import STATIC_PREFIX
from .kind import PageKind, Plan, ProgramPlan, SiteFiles
from .programs import booklet_title

STYLESHEET = STATIC_PREFIX + "playbook.css"


def _search_index(plan: Plan) -> Iterator[Page]:
    yield Page("search/index.js", Kind.SEARCH_INDEX, "Search index", plan.everything)


def _make_search_index(page: Page, site: Site, files: SiteFiles) -> Iterable[tuple[str, bytes]]:
    from ..search import build_once

    return build_once(site)


def _calendar(plan: ProgramPlan) -> Iterator[Page]:
    program = plan.program
    if plan.site.playbook.start_date(program):  # without one, there are no dates to put in it
        title = plan.site.words.speak("%(program)s: calendar", program=program.title)
        yield Page(calendar_url(program.id), Kind.CALENDAR, title, plan.sources, program=program)


def _make_calendar(page: Page, site: Site, files: SiteFiles) -> Iterable[tuple[str, bytes]]:
    from ..ics import render_calendar

    assert page.program is not None
    return [(page.url, render_calendar(site, page.program))]


def _booklet_pdfs(plan: ProgramPlan) -> Iterator[Page]:
    if not plan.site.pdf:
        return
    program = plan.program
    for role in (None, *plan.site.roles):
        url = booklet_pdf_url(program.id, role.id if role else "")
        yield Page(
            url,
            Kind.BOOKLET_PDF,
            booklet_title(plan.site.words, program, role),
            plan.sources,
            program=program,
            role=role,
        )


def _booklet_printed(page: Page) -> str:
    """The booklet page a booklet's PDF prints."""
    assert page.program is not None
    return booklet_url(page.program.id, page.role.id if page.role else "")


def _pdf_made_from(page: Page) -> tuple[str, ...]:
    """The booklet page it prints, and the stylesheet."""
    return _booklet_printed(page), STYLESHEET


SEARCH_INDEX = PageKind(Kind.SEARCH_INDEX, _search_index, make=_make_search_index, folder="search/")
CALENDAR = PageKind(Kind.CALENDAR, _calendar, make=_make_calendar)
BOOKLET_PDF = PageKind(Kind.BOOKLET_PDF, _booklet_pdfs, made_from=_pdf_made_from, prints=_booklet_printed)
