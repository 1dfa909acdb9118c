"""Which pages the site has: one `Page` per output HTML file, with the sources it shows."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from .guides import neighbours, reading_order
from .links import booklet_pdf_url, booklet_url, calendar_url, card_url, cards_url, month_url, page_url
from .models import Checklist, Guide, Month, Playbook, Program, Role, Worksheet
from .values import Input, Sources

# Beyond this, a list beside the text no longer helps to find a guide, and it would add its
# weight to every guide page; the page listing the guides has them all.
LISTED_GUIDES_AT_MOST = 60
T = TypeVar("T")


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
    """One HTML file of the site: where it goes, what it shows, and which sources it shows."""

    url: str
    kind: str
    title: str
    sources: frozenset[Input]  # what the page shows of the files; often one set shared by many pages
    own: tuple[Input, ...] = ()  # what this page alone shows, beside `sources`
    program: Program | None = None
    month: Month | None = None
    worksheet: Worksheet | None = None
    checklist: Checklist | None = None
    guide: Guide | None = None
    role: Role | None = None
    previous: NavLink | None = None
    next: NavLink | None = None
    trail: tuple[NavLink, ...] = ()  # the breadcrumb: pages above this one
    template_name: str = ""  # when the template is not `<kind>.html`
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
    def template(self) -> str:
        """The theme template that renders this kind of page."""
        return self.template_name or f"{self.kind}.html"

    @property
    def is_html(self) -> bool:
        """Whether the page is an HTML page a reader opens (not an index, calendar or PDF)."""
        return self.url.endswith(".html")


def plan_pages(playbook: Playbook, *, pdf: bool = False) -> Iterator[Page]:
    """Every page of the site, in a stable order; with `pdf`, the booklets as PDF files too."""
    found = playbook.sources.files
    everything = frozenset(
        [
            playbook.sources.settings.whole,
            *(s.whole for kind in ("program", "worksheet", "checklist") for s in found[kind].values()),
            *(s.listed for s in found["guide"].values()),  # lists show a guide's title and summary only
        ]
    )
    shared = _shared(playbook.sources)
    home = NavLink("Home", page_url("home"))
    yield Page(page_url("home"), "home", playbook.settings.title, everything)
    for role in _first_of_each(playbook.settings.roles, "id"):
        yield Page(page_url("role", role.id), "role", f"Start here: {role.name}", everything, role=role, trail=(home,))
    for kind, title in (("guides", "Guides"), ("worksheets", "Worksheets"), ("checklists", "Checklists")):
        files = frozenset([*shared, *(s.listed if kind == "guides" else s.whole for s in found[kind[:-1]].values())])
        yield Page(page_url(kind), kind, title, files, trail=(home,))
    yield Page("progress/index.html", "progress", "My progress", everything, trail=(home,))
    yield Page("search/index.js", "search-index", "Search index", everything)
    if playbook.settings.base_url:
        yield Page("sitemap.xml", "sitemap", "Sitemap", everything, template_name="sitemap.xml")
        yield Page("404.html", "404", "Page not found", shared)
    for program in playbook.programs.values():
        yield from _program_pages(program, playbook, home, pdf, shared)
    yield from _guide_pages(playbook, home, shared)
    for kind, items in (
        ("worksheet", playbook.worksheets),
        ("checklist", playbook.checklists),
    ):
        section = NavLink(kind.capitalize() + "s", page_url(kind + "s"))
        for item_id, item in items.items():
            own = (found[kind][item_id].whole,)
            yield Page(page_url(kind, item_id), kind, item.title, shared, own, trail=(home, section), **{kind: item})  # type: ignore[arg-type]


def _guide_pages(playbook: Playbook, home: NavLink, shared: frozenset[Input]) -> Iterator[Page]:
    order = reading_order(playbook.guides.values())
    links = [NavLink(guide.title, page_url("guide", guide.id)) for guide in order]
    listed = tuple(ListedGuide(link.title, link.url, guide.meta.roles) for guide, link in zip(order, links))
    listed = listed if len(listed) <= LISTED_GUIDES_AT_MOST else ()
    roles = [role.id for role in _first_of_each(playbook.settings.roles, "id")]
    by_role = {role_id: _pagers(order, links, role_id) for role_id in roles}
    everyone = _pagers(order, links, "")
    # Which guides come before and after depends on every guide's order and roles, and the list shows
    # every title: so a guide page shows every guide's front matter (not its body).
    sources = frozenset([*shared, *(s.listed for s in playbook.sources.files["guide"].values())])
    section = NavLink("Guides", page_url("guides"))
    place = {guide.id: index for index, guide in enumerate(order)}
    for guide in playbook.guides.values():
        index = place[guide.id]
        yield Page(
            links[index].url,
            "guide",
            guide.title,
            sources,
            (playbook.sources.of("guide", guide.id).whole,),
            guide=guide,
            previous=everyone[index].previous,
            next=everyone[index].next,
            trail=(home, section),
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


def _program_pages(
    program: Program, playbook: Playbook, home: NavLink, pdf: bool, shared: frozenset[Input]
) -> Iterator[Page]:
    program_link = NavLink(program.title, page_url("program", program.id))
    sources = frozenset([*shared, *_material_sources(program.months, playbook.sources)])
    yield Page(program_link.url, "program", program.title, sources, program=program, trail=(home,))
    for role in (None, *_first_of_each(playbook.settings.roles, "id")):
        title = f"{program.title}: booklet" + (f" for the {role.name.lower()}" if role else "")
        role_id = role.id if role else ""
        yield Page(
            booklet_url(program.id, role_id),
            "booklet",
            title,
            sources,
            program=program,
            role=role,
            trail=(home, program_link),
        )
        if pdf:
            yield Page(booklet_pdf_url(program.id, role_id), "booklet-pdf", title, sources, program=program, role=role)
    yield Page(
        cards_url(program.id),
        "cards",
        f"{program.title}: meeting cards",
        sources,
        program=program,
        trail=(home, program_link),
    )
    if playbook.start_date(program):
        yield Page(calendar_url(program.id), "calendar", f"{program.title}: calendar", sources, program=program)
    months = _first_of_each(program.months_in_order, "number")
    for index, month in enumerate(months):
        before = months[index - 1] if index > 0 else None
        after = months[index + 1] if index + 1 < len(months) else None
        month_sources = frozenset([*shared, *_material_sources((month,), playbook.sources)])
        title = f"Month {month.number}: {month.title}"
        month_link = NavLink(title, month_url(program.id, month.number))
        yield Page(
            month_link.url,
            "month",
            title,
            month_sources,
            program=program,
            month=month,
            previous=_month_link(program, before),
            next=_month_link(program, after),
            trail=(home, program_link),
        )
        card_title = f"Meeting card, month {month.number}: {month.title}"
        yield Page(
            card_url(program.id, month.number),
            "card",
            card_title,
            month_sources,
            program=program,
            month=month,
            trail=(home, program_link, month_link),
        )


def _first_of_each(items: Iterable[T], attribute: str) -> tuple[T, ...]:
    """The items without repeats of `attribute`: a repeat is reported by validation, and gets no page."""
    seen: dict[object, T] = {}
    for item in items:
        seen.setdefault(getattr(item, attribute), item)
    return tuple(seen.values())


def _shared(sources: Sources) -> frozenset[Input]:
    """What every page shows: the settings, and the programs (their titles are in the navigation)."""
    return frozenset([sources.settings.whole, *(s.whole for s in sources.files["program"].values())])


def _material_sources(months: Iterable[Month], sources: Sources) -> list[Input]:
    """What these months show of their worksheets, checklists and guides."""
    return [
        sources.files[kind][ref].listed if kind == "guide" else sources.files[kind][ref].whole
        for month in months
        for kind, refs in (("worksheet", month.worksheets), ("checklist", month.checklists), ("guide", month.guides))
        for ref in refs
        if ref in sources.files[kind]
    ]


def _month_link(program: Program, month: Month | None) -> NavLink | None:
    if month is None:
        return None
    return NavLink(f"Month {month.number}: {month.title}", month_url(program.id, month.number))
