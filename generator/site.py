"""The site graph: a page for every output file, with its Markdown rendered and its links checked."""

from __future__ import annotations

import logging
import posixpath
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial

from markdown_it import MarkdownIt

from .errors import Diagnostic, did_you_mean
from .links import Targets, month_url, page_url, resolve
from .loader import Asset, Project, SourceFile
from .markdown import Link, RenderedMarkdown, render_markdown
from .models import Checklist, Guide, Month, Playbook, Program, Worksheet
from .values import iter_prose

log = logging.getLogger(__name__)

ProseKey = tuple[str, bool, str]  # (folder of the source file, is inline, Markdown text)


@dataclass(frozen=True)
class NavLink:
    """A titled link to a page of the site."""

    title: str
    url: str


@dataclass(frozen=True)
class Page:
    """One HTML file of the site: where it goes, what it shows, and which sources it shows."""

    url: str
    kind: str
    title: str
    sources: frozenset[str]
    program: Program | None = None
    month: Month | None = None
    worksheet: Worksheet | None = None
    checklist: Checklist | None = None
    guide: Guide | None = None
    previous: NavLink | None = None
    next: NavLink | None = None
    trail: tuple[NavLink, ...] = ()  # the breadcrumb: pages above this one

    @property
    def template(self) -> str:
        """The theme template that renders this kind of page."""
        return f"{self.kind}.html"


@dataclass(frozen=True)
class Site:
    """Everything render needs: the playbook, its pages, and its Markdown as HTML."""

    playbook: Playbook
    pages: tuple[Page, ...]
    guide_html: Mapping[str, RenderedMarkdown]
    prose: Mapping[ProseKey, str]
    assets: tuple[Asset, ...]
    used_in: Mapping[tuple[str, str], tuple[NavLink, ...]] = field(default_factory=dict)

    def url(self, kind: str, item_id: str = "") -> str:
        """The URL (from the site root) of a page, e.g. `url('worksheet', 'vision')`."""
        return page_url(kind, item_id)

    def month_url(self, program_id: str, number: int) -> str:
        """The URL (from the site root) of a month page."""
        return month_url(program_id, number)

    def prose_html(self, folder: str, text: str, inline: bool) -> str:
        """The HTML of a Markdown field from a YAML file in `folder`, with site links unresolved."""
        return self.prose[(folder, inline, text)]


def plan_site(playbook: Playbook, project: Project, md: MarkdownIt) -> tuple[Site, list[Diagnostic]]:
    """Lay out every page, render all Markdown and check every link."""
    sources = {f.path: f for f in project.files}
    targets = _targets(playbook, project)
    problems: list[Diagnostic] = []
    guide_html = {}
    for guide in playbook.guides.values():
        source = project.found["guide"][guide.id]
        guide_html[guide.id] = _render_guide(guide, source, md, targets, problems)
    prose = _render_prose(playbook, project, md, targets, sources, problems)
    problems.extend(_check_anchors(guide_html, prose, playbook, project, sources, targets))
    pages = tuple(_pages(playbook, project))
    problems.extend(_collisions(pages, project.assets))
    site = Site(playbook, pages, guide_html, {k: v.html for k, v in prose.items()}, project.assets, _used_in(playbook))
    return site, problems


def _targets(playbook: Playbook, project: Project) -> Targets:
    pages: dict[str, str] = {}
    for kind in ("program", "worksheet", "checklist", "guide"):
        for item_id, path in project.found[kind].items():
            pages[path] = page_url(kind, item_id)
    months = {
        project.found["program"][p.id]: {m.number: month_url(p.id, m.number) for m in p.months}
        for p in playbook.programs.values()
    }
    assets = {a.path: a.url for a in project.assets}
    guides = {path: guide_id for guide_id, path in project.found["guide"].items()}
    return Targets(pages, months, assets, guides)


def _render_guide(
    guide: Guide, source: str, md: MarkdownIt, targets: Targets, problems: list[Diagnostic]
) -> RenderedMarkdown:
    rendered = render_markdown(md, guide.body, partial(_resolve_from, source, targets))
    for p in rendered.problems:
        problems.append(Diagnostic(source, guide.body_line + p.line, p.col, p.message, p.hint, p.severity))  # type: ignore[arg-type]
    return rendered


def _resolve_from(source: str, targets: Targets, href: str, is_image: bool) -> Link:
    return resolve(href, source, is_image, targets)


@dataclass(frozen=True)
class _Prose:
    rendered: RenderedMarkdown
    source: SourceFile
    loc: tuple[str | int, ...]

    @property
    def html(self) -> str:
        return self.rendered.html


def _render_prose(
    playbook: Playbook,
    project: Project,
    md: MarkdownIt,
    targets: Targets,
    sources: Mapping[str, SourceFile],
    problems: list[Diagnostic],
) -> dict[ProseKey, _Prose]:
    """Render every Markdown field of every program, worksheet and checklist once."""
    found: dict[ProseKey, _Prose] = {}
    models: list[tuple[str, Program | Worksheet | Checklist]] = [
        *(("program", m) for m in playbook.programs.values()),
        *(("worksheet", m) for m in playbook.worksheets.values()),
        *(("checklist", m) for m in playbook.checklists.values()),
    ]
    for kind, model in models:
        source = sources[project.found[kind][model.id]]
        folder = posixpath.dirname(source.path)
        for loc, text, inline in iter_prose(model):
            key = (folder, inline, text)
            if key in found:
                continue
            resolver = partial(_resolve_from, source.path, targets)
            rendered = render_markdown(md, text, resolver, inline=inline)
            found[key] = _Prose(rendered, source, loc)
            for p in rendered.problems:
                line, col = source.document.text_position(loc, p.line, p.href)
                problems.append(Diagnostic(source.path, line, col, p.message, p.hint, p.severity))  # type: ignore[arg-type]
    return found


def _check_anchors(
    guide_html: Mapping[str, RenderedMarkdown],
    prose: Mapping[ProseKey, _Prose],
    playbook: Playbook,
    project: Project,
    sources: Mapping[str, SourceFile],
    targets: Targets,
) -> Iterator[Diagnostic]:
    """Links to a heading of a guide must name a heading that exists."""
    places: list[tuple[RenderedMarkdown, str, int, SourceFile | None, tuple[str | int, ...]]] = []
    for guide_id, rendered in guide_html.items():
        places.append((rendered, project.found["guide"][guide_id], playbook.guides[guide_id].body_line, None, ()))
    for item in prose.values():
        places.append((item.rendered, item.source.path, 0, item.source, item.loc))
    for rendered, path, first_line, source, loc in places:
        for check in rendered.anchor_checks:
            target = guide_html.get(targets.guides[check.target])
            if target is None:
                continue  # the guide itself has errors, already reported
            ids = [h.id for h in target.headings]
            if check.anchor in ids:
                continue
            line, col = (
                (first_line + check.line, check.col)
                if source is None
                else source.document.text_position(loc, check.line, check.anchor)
            )
            hint = did_you_mean(check.anchor, ids) or "link to the guide without #, or to one of its headings"
            yield Diagnostic(
                path, line, col, f"'{check.target.removeprefix('content/')}' has no heading '#{check.anchor}'", hint
            )


def _pages(playbook: Playbook, project: Project) -> Iterator[Page]:
    settings = "playbook.yaml"
    found = project.found
    everything = frozenset(
        [settings, *(p for kind in ("program", "worksheet", "checklist", "guide") for p in found[kind].values())]
    )
    home = NavLink("Home", page_url("home"))
    yield Page(page_url("home"), "home", playbook.settings.title, everything)
    for kind, title in (("guides", "Guides"), ("worksheets", "Worksheets"), ("checklists", "Checklists")):
        files = frozenset([settings, *found[kind[:-1]].values()])
        yield Page(page_url(kind), kind, title, files, trail=(home,))
    for program in playbook.programs.values():
        yield from _program_pages(program, playbook, project, home)
    for kind, items in (
        ("guide", playbook.guides),
        ("worksheet", playbook.worksheets),
        ("checklist", playbook.checklists),
    ):
        section = NavLink(kind.capitalize() + "s", page_url(kind + "s"))
        for item_id, item in items.items():
            files = frozenset([settings, found[kind][item_id], *found["program"].values()])
            yield Page(page_url(kind, item_id), kind, item.title, files, trail=(home, section), **{kind: item})  # type: ignore[arg-type]


def _program_pages(program: Program, playbook: Playbook, project: Project, home: NavLink) -> Iterator[Page]:
    program_source = project.found["program"][program.id]
    program_link = NavLink(program.title, page_url("program", program.id))
    material = _material_sources(program.months, project)
    sources = frozenset(["playbook.yaml", program_source, *material])
    yield Page(program_link.url, "program", program.title, sources, program=program, trail=(home,))
    # A month number used twice is reported by validation; its page is made once.
    months = tuple({m.number: m for m in reversed(program.months_in_order)}.values())[::-1]
    for index, month in enumerate(months):
        before = months[index - 1] if index > 0 else None
        after = months[index + 1] if index + 1 < len(months) else None
        yield Page(
            month_url(program.id, month.number),
            "month",
            f"Month {month.number}: {month.title}",
            frozenset(["playbook.yaml", program_source, *_material_sources((month,), project)]),
            program=program,
            month=month,
            previous=_month_link(program, before),
            next=_month_link(program, after),
            trail=(home, program_link),
        )


def _material_sources(months: Iterable[Month], project: Project) -> list[str]:
    """The files of the worksheets, checklists and guides that these months show."""
    return [
        project.found[kind][ref]
        for month in months
        for kind, refs in (("worksheet", month.worksheets), ("checklist", month.checklists), ("guide", month.guides))
        for ref in refs
        if ref in project.found[kind]
    ]


def _month_link(program: Program, month: Month | None) -> NavLink | None:
    if month is None:
        return None
    return NavLink(f"Month {month.number}: {month.title}", month_url(program.id, month.number))


def _used_in(playbook: Playbook) -> dict[tuple[str, str], tuple[NavLink, ...]]:
    """For each worksheet, checklist and guide: the month pages that use it."""
    uses: dict[tuple[str, str], list[NavLink]] = {}
    for program in playbook.programs.values():
        for month in program.months_in_order:
            link = NavLink(f"{program.title}, month {month.number}: {month.title}", month_url(program.id, month.number))
            for kind, refs in (
                ("worksheet", month.worksheets),
                ("checklist", month.checklists),
                ("guide", month.guides),
            ):
                for ref in refs:
                    uses.setdefault((kind, ref), []).append(link)
    return {key: tuple(links) for key, links in uses.items()}


def _collisions(pages: tuple[Page, ...], assets: tuple[Asset, ...]) -> Iterator[Diagnostic]:
    """Two things that would be written to the same file."""
    owners: dict[str, str] = {}
    for url, owner in [*((p.url, f"the {p.kind} page '{p.title}'") for p in pages), *((a.url, a.path) for a in assets)]:
        key = url.lower()  # a case-insensitive disk would merge these
        if key in owners:
            yield Diagnostic(
                owner if "/" in owner else "content",
                0,
                0,
                f"{owner} and {owners[key]} would both be written to {url}",
                "rename one of them",
            )
        owners[key] = owner
