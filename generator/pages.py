"""Which pages the site has: one `Page` per output HTML file, with the sources it shows."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from .links import booklet_pdf_url, booklet_url, calendar_url, card_url, cards_url, month_url, page_url
from .loader import Project
from .models import Checklist, Guide, Month, Playbook, Program, Role, Worksheet

SETTINGS = "playbook.yaml"
T = TypeVar("T")


@dataclass(frozen=True)
class NavLink:
    """A titled link to a page of the site."""

    title: str
    url: str


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
    sources: frozenset[str]  # files the page shows; often one set shared by many pages
    own: tuple[str, ...] = ()  # files this page alone shows, beside `sources`
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

    @property
    def template(self) -> str:
        """The theme template that renders this kind of page."""
        return self.template_name or f"{self.kind}.html"

    @property
    def is_html(self) -> bool:
        """Whether the page is an HTML page a reader opens (not an index, calendar or PDF)."""
        return self.url.endswith(".html")


def plan_pages(playbook: Playbook, project: Project, *, pdf: bool = False) -> Iterator[Page]:
    """Every page of the site, in a stable order; with `pdf`, the booklets as PDF files too."""
    found = project.found
    everything = frozenset(
        [
            SETTINGS,
            *(p for kind in ("program", "worksheet", "checklist") for p in found[kind].values()),
            *(f"meta:{p}" for p in found["guide"].values()),  # lists show a guide's title and summary only
        ]
    )
    shared = _shared(project)
    home = NavLink("Home", page_url("home"))
    yield Page(page_url("home"), "home", playbook.settings.title, everything)
    for role in _first_of_each(playbook.settings.roles, "id"):
        yield Page(page_url("role", role.id), "role", f"Start here: {role.name}", everything, role=role, trail=(home,))
    for kind, title in (("guides", "Guides"), ("worksheets", "Worksheets"), ("checklists", "Checklists")):
        files = frozenset([*shared, *(f"meta:{p}" if kind == "guides" else p for p in found[kind[:-1]].values())])
        yield Page(page_url(kind), kind, title, files, trail=(home,))
    yield Page("progress/index.html", "progress", "My progress", everything, trail=(home,))
    yield Page("search/index.js", "search-index", "Search index", everything)
    if playbook.settings.base_url:
        yield Page("sitemap.xml", "sitemap", "Sitemap", everything, template_name="sitemap.xml")
        yield Page("404.html", "404", "Page not found", shared)
    for program in playbook.programs.values():
        yield from _program_pages(program, playbook, project, home, pdf, shared)
    for kind, items in (
        ("guide", playbook.guides),
        ("worksheet", playbook.worksheets),
        ("checklist", playbook.checklists),
    ):
        section = NavLink(kind.capitalize() + "s", page_url(kind + "s"))
        for item_id, item in items.items():
            own = (found[kind][item_id],)
            yield Page(page_url(kind, item_id), kind, item.title, shared, own, trail=(home, section), **{kind: item})  # type: ignore[arg-type]


def _program_pages(
    program: Program, playbook: Playbook, project: Project, home: NavLink, pdf: bool, shared: frozenset[str]
) -> Iterator[Page]:
    program_link = NavLink(program.title, page_url("program", program.id))
    sources = frozenset([*shared, *_material_sources(program.months, project)])
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
    if program.start_date or playbook.settings.start_date:
        yield Page(calendar_url(program.id), "calendar", f"{program.title}: calendar", sources, program=program)
    months = _first_of_each(program.months_in_order, "number")
    for index, month in enumerate(months):
        before = months[index - 1] if index > 0 else None
        after = months[index + 1] if index + 1 < len(months) else None
        month_sources = frozenset([*shared, *_material_sources((month,), project)])
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


def _shared(project: Project) -> frozenset[str]:
    """What every page shows: the settings, and the programs (their titles are in the navigation)."""
    return frozenset([SETTINGS, *project.found["program"].values()])


def _material_sources(months: Iterable[Month], project: Project) -> list[str]:
    """The files of the worksheets, checklists and guides that these months show."""
    return [
        f"meta:{project.found[kind][ref]}" if kind == "guide" else project.found[kind][ref]
        for month in months
        for kind, refs in (("worksheet", month.worksheets), ("checklist", month.checklists), ("guide", month.guides))
        for ref in refs
        if ref in project.found[kind]
    ]


def _month_link(program: Program, month: Month | None) -> NavLink | None:
    if month is None:
        return None
    return NavLink(f"Month {month.number}: {month.title}", month_url(program.id, month.number))


def find_uses(playbook: Playbook) -> dict[tuple[str, str], tuple[Use, ...]]:
    """For each worksheet, checklist and guide (by kind and id): the months that use it, in order."""
    uses: dict[tuple[str, str], list[Use]] = {}
    for program in playbook.programs.values():
        for month in program.months_in_order:
            title = f"{program.title}, month {month.number}: {month.title}"
            use = Use(program, month, title, month_url(program.id, month.number))
            for kind, refs in (
                ("worksheet", month.worksheets),
                ("checklist", month.checklists),
                ("guide", month.guides),
            ):
                for ref in dict.fromkeys(refs):
                    uses.setdefault((kind, ref), []).append(use)
    return {key: tuple(found) for key, found in uses.items()}
