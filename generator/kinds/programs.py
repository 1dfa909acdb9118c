"""A program's pages: the program, its booklets, its meeting cards, and each month with its card."""

from __future__ import annotations

from collections.abc import Iterator

from ..links import booklet_url, card_url, cards_url
from ..models import Program, Role
from ..pages import Kind, Page
from .kind import HOME, MonthPlan, PageKind, ProgramPlan


def _program(plan: ProgramPlan) -> Iterator[Page]:
    program = plan.program
    yield Page(plan.link.url, Kind.PROGRAM, program.title, plan.sources, program=program, trail=(HOME,))


def booklet_title(program: Program, role: Role | None) -> str:
    """A booklet's title, for everyone or for one role."""
    return f"{program.title}: booklet" + (f" for the {role.name.lower()}" if role else "")


def _booklets(plan: ProgramPlan) -> Iterator[Page]:
    program = plan.program
    for role in (None, *plan.site.roles):
        url = booklet_url(program.id, role.id if role else "")
        title = booklet_title(program, role)
        yield Page(url, Kind.BOOKLET, title, plan.sources, program=program, role=role, trail=(HOME, plan.link))


def _cards(plan: ProgramPlan) -> Iterator[Page]:
    program = plan.program
    title = f"{program.title}: meeting cards"
    yield Page(cards_url(program.id), Kind.CARDS, title, plan.sources, program=program, trail=(HOME, plan.link))


def _month(plan: MonthPlan) -> Iterator[Page]:
    yield Page(
        plan.link.url,
        Kind.MONTH,
        plan.link.title,
        plan.sources,
        program=plan.program.program,
        month=plan.month,
        previous=plan.previous,
        next=plan.next,
        trail=(HOME, plan.program.link),
    )


def _card(plan: MonthPlan) -> Iterator[Page]:
    program, month = plan.program.program, plan.month
    yield Page(
        card_url(program.id, month.number),
        Kind.CARD,
        f"Meeting card, month {month.number}: {month.title}",
        plan.sources,
        program=program,
        month=month,
        trail=(HOME, plan.program.link, plan.link),
    )


PROGRAM = PageKind(Kind.PROGRAM, _program, "program.html")
BOOKLET = PageKind(Kind.BOOKLET, _booklets, "booklet.html")
CARDS = PageKind(Kind.CARDS, _cards, "cards.html")
MONTH = PageKind(Kind.MONTH, _month, "month.html")
CARD = PageKind(Kind.CARD, _card, "card.html")
