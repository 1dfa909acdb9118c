"""A program's pages: the program, its booklets, its meeting cards, and each month with its card."""

from __future__ import annotations

from collections.abc import Iterator

from ..interface import Words
from ..links import booklet_url, card_url, cards_url
from ..models import Program, Role
from ..pages import Kind, Page
from .kind import MonthPlan, PageKind, ProgramPlan


def _program(plan: ProgramPlan) -> Iterator[Page]:
    program = plan.program
    yield Page(plan.link.url, Kind.PROGRAM, program.title, plan.sources, program=program, trail=(plan.site.home,))


def booklet_title(words: Words, program: Program, role: Role | None) -> str:
    """A booklet's title, for everyone or for one role (`role_lower`: its name as English writes it in a sentence)."""
    if role is None:
        return words.speak("%(program)s: booklet", program=program.title)
    values = {"program": program.title, "role": role.name, "role_lower": role.name.lower()}
    # Translators: %(role)s is the role's name as written (Mentor); %(role_lower)s the same in lower case.
    return words.speak("%(program)s: booklet for the %(role_lower)s", **values)


def _booklets(plan: ProgramPlan) -> Iterator[Page]:
    program = plan.program
    for role in (None, *plan.site.roles):
        url = booklet_url(program.id, role.id if role else "")
        title = booklet_title(plan.site.words, program, role)
        trail = (plan.site.home, plan.link)
        yield Page(url, Kind.BOOKLET, title, plan.sources, program=program, role=role, trail=trail)


def _cards(plan: ProgramPlan) -> Iterator[Page]:
    program = plan.program
    title = plan.site.words.speak("%(program)s: meeting cards", program=program.title)
    trail = (plan.site.home, plan.link)
    yield Page(cards_url(program.id), Kind.CARDS, title, plan.sources, program=program, trail=trail)


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
        trail=(plan.program.site.home, plan.program.link),
    )


def _card(plan: MonthPlan) -> Iterator[Page]:
    program, month = plan.program.program, plan.month
    yield Page(
        card_url(program.id, month.number),
        Kind.CARD,
        plan.program.site.words.speak(
            "Meeting card, month %(number)s: %(title)s", number=month.number, title=month.title
        ),
        plan.sources,
        program=program,
        month=month,
        trail=(plan.program.site.home, plan.program.link, plan.link),
    )


PROGRAM = PageKind(Kind.PROGRAM, _program, "program.html")
BOOKLET = PageKind(Kind.BOOKLET, _booklets, "booklet.html")
CARDS = PageKind(Kind.CARDS, _cards, "cards.html")
MONTH = PageKind(Kind.MONTH, _month, "month.html")
CARD = PageKind(Kind.CARD, _card, "card.html")
