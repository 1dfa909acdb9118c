"""The site graph: a page for every output file, with its Markdown rendered and its links checked."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import logging
import posixpath
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from pydantic import BaseModel

from .dates import DateStyle, date_style
from .errors import Diagnostic, Suggestions
from .guides import guide_contents
from .links import Targets, month_url, page_url, resolve
from .loader import Asset, Project, SourceFile
from .markdown import Heading, Link, RenderedMarkdown, render_markdown
from .memo import Memo
from .models import Checklist, Guide, Month, Playbook, Program, Worksheet
from .names import CONTENT_FOLDER
from .pages import Page, Use, find_uses
from .parallel import map_across_cores
from .schedule import Meeting, browser_rule, due_offset, meetings
from .values import Timing, iter_prose

log = logging.getLogger(__name__)

TAG = re.compile(r"<[^>]*>")
ProseKey = tuple[str, bool, str]  # (folder of the source file, is inline, Markdown text)
# Where a Markdown field is: the id() of the model in the playbook that holds it, the field's name, then
# the place in the field (an index or a key). The site holds the playbook, so these ids stay true while it lives.
ProsePlace = tuple[Any, ...]


@dataclass(frozen=True)
class Site:
    """Everything render needs: the playbook, its pages, and its Markdown as HTML."""

    playbook: Playbook
    pages: tuple[Page, ...]
    guide_html: Mapping[str, RenderedMarkdown]
    prose: Mapping[ProsePlace, str]  # every Markdown field of the programs, worksheets and checklists as HTML
    assets: tuple[Asset, ...]
    used_in: Mapping[tuple[str, str], tuple[Use, ...]] = field(default_factory=dict)
    pdf: bool = False  # whether the booklets are also made as PDF files
    link_context: str = ""  # a digest of what links in content can point at
    meetings: Mapping[str, tuple[Meeting, ...]] = field(default_factory=dict)  # by program id, month by month

    def start_date(self, program: Program) -> dt.date | None:
        """When the program's first meeting is: its own start date, else the playbook's."""
        return self.playbook.start_date(program)

    def meeting(self, program: Program, month: Month) -> Meeting | None:
        """The month's meeting, when the program has a start date."""
        numbers = [m.number for m in program.months_in_order]
        found = self.meetings.get(program.id, ())
        return found[numbers.index(month.number)] if found and month.number in numbers else None

    def due_date(self, program: Program, month: Month, when: Timing | None) -> dt.date | None:
        """The day a checklist item used in `month` is due, when the program has a start date."""
        offset = due_offset(when)
        if "month" in offset:
            target = program.month(offset["month"])
            meeting = self.meeting(program, target) if target else None
            return meeting.day if meeting else None
        meeting = self.meeting(program, month)
        return meeting.day + dt.timedelta(days=offset["days"]) if meeting else None

    def due_offset(self, when: Timing | None) -> dict[str, int]:
        """When an item is due, as calendar.js reads it: days from its month's meeting, or another month's."""
        return due_offset(when)

    @property
    def date_style(self) -> DateStyle:
        """How dates read in the playbook's language."""
        return date_style(self.playbook.settings.language)

    def schedule_data(self) -> dict[str, Any]:
        """What calendar.js needs to date every meeting from any start date, as the build does."""
        programs = {}
        for program in self.playbook.programs.values():
            start = self.start_date(program)
            clock = program.schedule.time
            programs[program.id] = {
                **browser_rule(program),
                "start": start.isoformat() if start else None,
                "months": [m.number for m in program.months_in_order],
                "clock": self.date_style.time(dt.datetime.strptime(clock, "%H:%M")) if clock else None,
            }
        return {"style": self.date_style.browser_style(), "programs": programs}

    @property
    def base_url(self) -> str:
        """Where the site is published, ending in `/`, or '' when that is not known."""
        base = self.playbook.settings.base_url or ""
        return base if not base or base.endswith("/") else base + "/"

    @property
    def base_path(self) -> str:
        """The path part of the base URL, e.g. `/mentoring/`."""
        return urlsplit(self.base_url).path or "/"

    @property
    def storage_key(self) -> str:
        """What this playbook's saved ticks and answers are filed under in the browser."""
        return re.sub(r"[^a-z0-9]+", "-", self.playbook.settings.title.lower()).strip("-") or "playbook"

    def checklist_uses(self, program: Program, months: Iterable[Month], only: str = "") -> list[dict[str, Any]]:
        """What the browser needs to count ticks for these months: checklist, use, item keys and their owners."""
        return [
            self.checklist_progress(self.playbook.checklists[checklist_id], f"{program.id}/{month.number}")
            for month in months
            for checklist_id in month.checklists
            if checklist_id in self.playbook.checklists and only in ("", checklist_id)
        ]

    def checklist_progress(self, checklist: Checklist, use: str = "") -> dict[str, Any]:
        """One checklist's part of a count: its id, the use ticked, its item keys and each key's owners (for the lens)."""
        return {"c": checklist.id, "u": use, "k": checklist.keys(), "r": checklist.key_owners()}

    def program_data(self, program: Program) -> dict[str, Any]:
        """What the browser needs for "this month", overdue items and a calendar of its own."""
        return {
            "id": program.id,
            "title": program.title,
            "months": [
                {
                    "n": month.number,
                    "title": month.title,
                    "goal": month.goal,
                    "url": month_url(program.id, month.number),
                    "agenda": [item.topic for item in month.agenda],
                    "checklists": [
                        {
                            "id": checklist_id,
                            "title": self.playbook.checklists[checklist_id].title,
                            "url": page_url("checklist", checklist_id),
                            "items": [
                                {
                                    "key": key,
                                    "text": _plain_text(self.html(item, "text")),
                                    "owner": item.owner,
                                    "due": due_offset(item.when),
                                }
                                for key, item in zip(
                                    self.playbook.checklists[checklist_id].keys(),
                                    self.playbook.checklists[checklist_id].items,
                                )
                            ],
                        }
                        for checklist_id in month.checklists
                        if checklist_id in self.playbook.checklists
                    ],
                }
                for month in program.months_in_order
            ],
        }

    def guide_contents(self, guide_id: str) -> tuple[Heading, ...]:
        """The sections a guide's "On this page" box lists; none when the guide is short."""
        return guide_contents(self.playbook.guides[guide_id].body, self.guide_html[guide_id].headings)

    def uses(self, kind: str, item_id: str) -> tuple[Use, ...]:
        """The months that use a worksheet, checklist or guide."""
        return self.used_in.get((kind, item_id), ())

    def html(self, model: BaseModel, name: str) -> Any:
        """A Markdown field of a program, worksheet or checklist, or of a part of one, as HTML with site links unresolved.

        The HTML is shaped like the field: `html(month, 'notes')` is HTML, `html(month, 'outcomes')` a tuple of it,
        `html(month, 'prepare')` a dict of tuples by role.
        """
        return _shaped(getattr(model, name), (id(model), name), self.prose)


def _shaped(value: Any, place: ProsePlace, prose: Mapping[ProsePlace, str]) -> Any:
    if isinstance(value, tuple):
        return tuple(_shaped(entry, (*place, index), prose) for index, entry in enumerate(value))
    if isinstance(value, dict):
        return {key: _shaped(entry, (*place, key), prose) for key, entry in value.items()}
    return prose.get(place, "")  # an empty field has no HTML


def _plain_text(rendered: str) -> str:
    """Inline HTML as the reader sees it, without markup."""
    return html.unescape(TAG.sub("", rendered))


@dataclass
class SiteMemo:
    """What planning a site can reuse from the last build: Markdown rendered, and where Markdown is in YAML files."""

    markdown: Memo[RenderedMarkdown] = field(default_factory=Memo)
    prose: Memo[list[tuple[tuple[str | int, ...], str, bool]]] = field(default_factory=Memo)

    def finish(self) -> None:
        """End a build: keep what it used."""
        self.markdown.finish()
        self.prose.finish()


def plan_site(
    playbook: Playbook,
    project: Project,
    md: MarkdownIt,
    pages: tuple[Page, ...],
    *,
    pdf: bool = False,
    memo: SiteMemo | None = None,
) -> tuple[Site, list[Diagnostic]]:
    """The site of `pages` (planned by the page kinds): render all Markdown and check every link.

    With `memo`, Markdown rendered by an earlier build is reused while its text and
    the set of files links can point at are the same.
    """
    sources = {f.path: f for f in project.files}
    targets = _targets(playbook, project)
    memo = memo if memo is not None else SiteMemo()
    markdown = _MarkdownMaker(md, targets, memo.markdown)
    problems: list[Diagnostic] = []
    guide_html = {}
    markdown.render_ahead([(g.body, project.found["guide"][g.id], False) for g in playbook.guides.values()])
    for guide in playbook.guides.values():
        source = project.found["guide"][guide.id]
        guide_html[guide.id] = _render_guide(guide, source, markdown, problems)
    prose_html: dict[ProsePlace, str] = {}
    prose = _render_prose(playbook, project, markdown, sources, problems, memo.prose, prose_html)
    problems.extend(_check_anchors(guide_html, prose, playbook, project, sources, targets))
    problems.extend(_collisions(pages, project.assets))
    uses = find_uses(playbook)
    dates = {p.id: meetings(p, playbook.start_date(p)) for p in playbook.programs.values()}
    site = Site(playbook, pages, guide_html, prose_html, project.assets, uses, pdf, markdown.context[0], dates)
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


class _MarkdownMaker:
    """Renders Markdown written in a source file, reusing an earlier build's result for the same text."""

    def __init__(self, md: MarkdownIt, targets: Targets, memo: Memo[RenderedMarkdown]) -> None:
        self.md, self.targets, self.memo = md, targets, memo
        # Rendered HTML depends on the text, the folder it was written in (links are relative to it),
        # what links can point at, and whether raw HTML is allowed.
        self.context = (_targets_digest(targets), bool(md.options["html"]))

    def render(self, text: str, source: str, inline: bool = False) -> RenderedMarkdown:
        return self.memo.get(self._key(text, source, inline), lambda: self._make((text, source, inline)))

    def render_ahead(self, wanted: list[tuple[str, str, bool]]) -> None:
        """Render whatever of (text, source, inline) is not kept yet, across the computer's cores."""
        missing = [item for item in wanted if self._key(*item) not in self.memo]
        for item, rendered in zip(missing, map_across_cores(_render_for, missing, self)):
            self.memo.put(self._key(*item), rendered)

    def _key(self, text: str, source: str, inline: bool) -> tuple[object, ...]:
        return (posixpath.dirname(source), inline, text, self.context)

    def _make(self, item: tuple[str, str, bool]) -> RenderedMarkdown:
        text, source, inline = item
        return render_markdown(self.md, text, partial(_resolve_from, source, self.targets), inline=inline)


def _render_for(maker: _MarkdownMaker, item: tuple[str, str, bool]) -> RenderedMarkdown:
    return maker._make(item)


def _targets_digest(targets: Targets) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    for mapping in (targets.pages, targets.assets, targets.guides):
        for key in sorted(mapping):
            hasher.update(f"{key}\0{mapping[key]}\0".encode())
    for program in sorted(targets.months):
        hasher.update(f"{program}:{sorted(targets.months[program])}".encode())
    return hasher.hexdigest()


def _render_guide(guide: Guide, source: str, markdown: _MarkdownMaker, problems: list[Diagnostic]) -> RenderedMarkdown:
    rendered = markdown.render(guide.body, source)
    for p in rendered.problems:
        problems.append(Diagnostic(source, guide.body_line + p.line, p.col, p.message, p.hint, p.severity))
    return rendered


def _resolve_from(source: str, targets: Targets, href: str, is_image: bool) -> Link:
    return resolve(href, source, is_image, targets)


@dataclass(frozen=True)
class _Prose:
    rendered: RenderedMarkdown
    source: SourceFile
    loc: tuple[str | int, ...]


def _render_prose(
    playbook: Playbook,
    project: Project,
    markdown: _MarkdownMaker,
    sources: Mapping[str, SourceFile],
    problems: list[Diagnostic],
    fields: Memo[list[tuple[tuple[str | int, ...], str, bool]]],
    shown: dict[ProsePlace, str],
) -> dict[ProseKey, _Prose]:
    """Render every Markdown text of every program, worksheet and checklist once; put each field's HTML in `shown`."""
    found: dict[ProseKey, _Prose] = {}
    models: list[tuple[str, Program | Worksheet | Checklist]] = [
        *(("program", m) for m in playbook.programs.values()),
        *(("worksheet", m) for m in playbook.worksheets.values()),
        *(("checklist", m) for m in playbook.checklists.values()),
    ]
    for kind, model in models:
        source = sources[project.found[kind][model.id]]
        folder = posixpath.dirname(source.path)
        where = (source.path, project.digest(source.path))
        for loc, text, inline in fields.get(where, partial(_prose_fields, model)):
            key = (folder, inline, text)
            if key not in found:
                rendered = markdown.render(text, source.path, inline)
                found[key] = _Prose(rendered, source, loc)
                for p in rendered.problems:
                    line, col = source.document.text_position(loc, p.line, p.href)
                    problems.append(Diagnostic(source.path, line, col, p.message, p.hint, p.severity))
            shown[_place(model, loc)] = found[key].rendered.html
    return found


def _place(model: BaseModel, loc: tuple[str | int, ...]) -> ProsePlace:
    """Where the field at `loc` in `model` is: the innermost model that holds it, then the path from there."""
    holder, start, value = model, 0, model
    for index, step in enumerate(loc):
        if isinstance(value, BaseModel):
            holder, start = value, index
            value = getattr(value, str(step))
        else:
            value = value[step]
    return (id(holder), *loc[start:])


def _prose_fields(model: Program | Worksheet | Checklist) -> list[tuple[tuple[str | int, ...], str, bool]]:
    return list(iter_prose(model))


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
    headings: dict[str, tuple[frozenset[str], Suggestions]] = {}  # each guide's once, however many links name it
    for rendered, path, first_line, source, loc in places:
        for check in rendered.anchor_checks:
            target = guide_html.get(targets.guides[check.target])
            if target is None:
                continue  # the guide itself has errors, already reported
            if check.target not in headings:
                ids = [h.id for h in target.headings]
                headings[check.target] = (frozenset(ids), Suggestions(ids))
            ids_there, suggestions = headings[check.target]
            if check.anchor in ids_there:
                continue
            line, col = (
                (first_line + check.line, check.col)
                if source is None
                else source.document.text_position(loc, check.line, check.anchor)
            )
            hint = suggestions.did_you_mean(check.anchor) or "link to the guide without #, or to one of its headings"
            yield Diagnostic(
                path, line, col, f"'{check.target.removeprefix('content/')}' has no heading '#{check.anchor}'", hint
            )


def _collisions(pages: tuple[Page, ...], assets: tuple[Asset, ...]) -> Iterator[Diagnostic]:
    """Two things that would be written to the same file."""
    owners: dict[str, str] = {}
    for url, owner in [*((p.url, f"the {p.kind} page '{p.title}'") for p in pages), *((a.url, a.path) for a in assets)]:
        key = url.lower()  # a case-insensitive disk would merge these
        if key in owners:
            yield Diagnostic(
                owner if "/" in owner else CONTENT_FOLDER,
                0,
                0,
                f"{owner} and {owners[key]} would both be written to {url}",
                "rename one of them",
            )
        owners[key] = owner
