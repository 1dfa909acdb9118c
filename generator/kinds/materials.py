"""A page for each guide, worksheet and checklist."""

from __future__ import annotations

from collections.abc import Iterator

from ..guides import neighbours, reading_order
from ..links import page_url
from ..models import Guide
from ..pages import Kind, ListedGuide, NavLink, Page, Pager
from .kind import PageKind, Plan

# Beyond this, a list beside the text no longer helps to find a guide, and it would add its
# weight to every guide page; the page listing the guides has them all.
LISTED_GUIDES_AT_MOST = 60


def _guides(plan: Plan) -> Iterator[Page]:
    playbook, found = plan.playbook, plan.playbook.sources.files
    order = reading_order(playbook.guides.values())
    links = [NavLink(guide.title, page_url("guide", guide.id)) for guide in order]
    listed = tuple(ListedGuide(link.title, link.url, guide.meta.roles) for guide, link in zip(order, links))
    listed = listed if len(listed) <= LISTED_GUIDES_AT_MOST else ()
    by_role = {role.id: _pagers(order, links, role.id) for role in plan.roles}
    everyone = _pagers(order, links, "")
    # Which guides come before and after depends on every guide's order and roles, and the list shows
    # every title: so a guide page shows every guide's front matter (not its body).
    sources = frozenset([*plan.shared, *(s.listed for s in found["guide"].values())])
    section = NavLink(plan.words.speak("Guides"), page_url("guides"))
    place = {guide.id: index for index, guide in enumerate(order)}
    for guide in playbook.guides.values():
        index = place[guide.id]
        yield Page(
            links[index].url,
            Kind.GUIDE,
            guide.title,
            sources,
            (found["guide"][guide.id].whole,),
            guide=guide,
            previous=everyone[index].previous,
            next=everyone[index].next,
            trail=(plan.home, section),
            pagers=tuple((role_id, pagers[index]) for role_id, pagers in by_role.items()),
            guides=listed,
        )


def _pagers(order: tuple[Guide, ...], links: list[NavLink], role_id: str) -> list[Pager]:
    """For each guide of everyone's `order`: previous and next in the role's reading order."""
    link_of = {guide.id: link for guide, link in zip(order, links)}
    return [
        Pager(link_of[before.id] if before else None, link_of[after.id] if after else None)
        for before, after in neighbours(order, role_id)
    ]


def _worksheets(plan: Plan) -> Iterator[Page]:
    section = NavLink(plan.words.speak("Worksheets"), page_url("worksheets"))
    for item_id, item in plan.playbook.worksheets.items():
        own = (plan.playbook.sources.of("worksheet", item_id).whole,)
        url = page_url("worksheet", item_id)
        yield Page(url, Kind.WORKSHEET, item.title, plan.shared, own, trail=(plan.home, section), worksheet=item)


def _checklists(plan: Plan) -> Iterator[Page]:
    section = NavLink(plan.words.speak("Checklists"), page_url("checklists"))
    for item_id, item in plan.playbook.checklists.items():
        own = (plan.playbook.sources.of("checklist", item_id).whole,)
        url = page_url("checklist", item_id)
        yield Page(url, Kind.CHECKLIST, item.title, plan.shared, own, trail=(plan.home, section), checklist=item)


GUIDE = PageKind(Kind.GUIDE, _guides, "guide.html")
WORKSHEET = PageKind(Kind.WORKSHEET, _worksheets, "worksheet.html")
CHECKLIST = PageKind(Kind.CHECKLIST, _checklists, "checklist.html")
