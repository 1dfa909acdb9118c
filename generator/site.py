"""The site graph: a page for every output file, with its Markdown rendered and its links checked."""

from __future__ import annotations

import datetime as dt
import html
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from pydantic import BaseModel

from .cohort_dates import CohortDates, Occurrence, cohort_dates, occurrences
from .collisions import collisions
from .dates import DateStyle, date_style, direction
from .errors import Diagnostic
from .formats import NumberStyle, number_style
from .guides import guide_contents, unlinked_guides
from .interface import ENGLISH, Words
from .languages import ONE_LANGUAGE, Language, Languages
from .links import month_url, page_url, shared_file
from .markdown import Heading, RenderedMarkdown
from .models import Checklist, Month, Playbook, Program, Worksheet
from .pages import Page, Use
from .prose import ProsePlace, RenderTexts, guides_linked, link_targets, render_content, render_texts
from .recurrence import Occurs
from .schedule import Meeting, browser_rule, due_offset, meetings
from .statement import Statement, statement_of
from .values import Asset, Timing
from .wording import repeat_label, rule_label, timing_label

log = logging.getLogger(__name__)

TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class Site:
    """Everything render needs: the playbook, its pages, and its Markdown as HTML."""

    playbook: Playbook
    pages: tuple[Page, ...]
    guide_html: Mapping[str, RenderedMarkdown]
    prose: Mapping[ProsePlace, str]  # each Markdown field's HTML, by where it is (see `html`)
    assets: tuple[Asset, ...]
    used_in: Mapping[tuple[str, str], tuple[Use, ...]] = field(default_factory=dict)
    pdf: bool = False  # whether the booklets are also made as PDF files
    link_context: str = ""  # a digest of what links in content can point at
    meetings: Mapping[str, tuple[Meeting, ...]] = field(default_factory=dict)  # by program id, month by month
    cohorts: Mapping[str, CohortDates] = field(default_factory=dict)  # by cohort id: every pair's dates
    words: Words = ENGLISH  # the interface's words in the playbook's language
    languages: Languages = ONE_LANGUAGE
    changes: RenderedMarkdown | None = None  # content/CHANGELOG.md as HTML, when there is one
    statement: Statement = field(default_factory=Statement)  # what the accessibility page says this build checked

    @property
    def tree(self) -> str:
        """Where this site's pages are, from the root of the published site: '' or a language's folder (`fr/`)."""
        return self.languages.tree

    def shared(self, url: str) -> bool:
        """Whether a file is one every language's tree uses from the site root: the theme's files and the assets."""
        return shared_file(url)

    def untranslated(self, page: Page) -> bool:
        """Whether the page shows a file that has no translation into this tree's language."""
        return self.languages.untranslated_on(page)

    def alternates(self, page: Page) -> list[tuple[Language, str]]:
        """The page in each language, with its address from this page."""
        return self.languages.alternates(page)

    def rule_label(self, program: Program) -> str:
        """How often and on which day the pair meets, in the playbook's language."""
        return rule_label(self.words, program)

    def timing_label(self, when: Timing | None) -> str:
        """When a checklist item is due, in the playbook's language."""
        return timing_label(self.words, when)

    def repeat_label(self, rule: Occurs) -> str:
        """How often a worksheet repeats, in the playbook's language."""
        return repeat_label(self.words, rule)

    def instances(self, worksheet: Worksheet) -> tuple[Occurrence, ...]:
        """A repeating worksheet's instances, dated by the first program that uses it when it has a start date."""
        if worksheet.repeat is None:
            return ()
        programs = self.playbook.programs_using(worksheet.id) or tuple(self.playbook.programs.values())
        if not programs:
            return ()
        program = programs[0]
        return occurrences(worksheet.repeat, program, self.meetings.get(program.id, ()))

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

    @property
    def number_style(self) -> NumberStyle:
        """How numbers and lists of names read in the playbook's language."""
        return number_style(self.playbook.settings.language)

    @property
    def direction(self) -> str:
        """Which way the playbook's language runs: `rtl` or `ltr`, for `<html dir>`."""
        return direction(self.playbook.settings.language)

    @property
    def original_direction(self) -> str:
        """Which way the playbook's main language runs: what this tree shows untranslated."""
        return direction(self.languages.original) if self.languages.original else self.direction

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
    def root_url(self) -> str:
        """Where the site is published, ending in `/`, or '' when that is not known."""
        base = self.playbook.settings.base_url or ""
        return base if not base or base.endswith("/") else base + "/"

    @property
    def base_url(self) -> str:
        """Where this tree of the site is published (a language's folder in it), or '' when that is not known."""
        return self.root_url + self.tree if self.root_url else ""

    @property
    def base_path(self) -> str:
        """The path part of the base URL, e.g. `/mentoring/`."""
        return urlsplit(self.base_url).path or "/"

    @property
    def storage_key(self) -> str:
        """What this playbook's saved ticks and answers are filed under in the browser."""
        # Every language files them under the main language's title: ticks stay when a reader switches.
        title = self.languages.original_title or self.playbook.settings.title
        return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "playbook"

    def first_use(self, program: Program, kind: str) -> dict[str, int]:
        """For each worksheet, checklist or guide (`kind`) the program uses: the number of the first month using it."""
        found = {}
        for (used_kind, item_id), months in self.playbook.uses.items():
            number = (
                next((n for program_id, n in months if program_id == program.id), None) if used_kind == kind else None
            )
            if number is not None:
                found[item_id] = number
        return found

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

    @property
    def newest_edition(self) -> str:
        """The changelog's first `##` heading, which names its newest edition; '' when there is none."""
        found = (h.text for h in self.changes.headings if h.level == 2) if self.changes else ()
        return next(iter(found), "")

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


def plan_site(
    playbook: Playbook,
    md: MarkdownIt,
    pages: tuple[Page, ...],
    *,
    pdf: bool = False,
    render: RenderTexts = render_texts,
    words: Words = ENGLISH,
    languages: Languages = ONE_LANGUAGE,
) -> tuple[Site, list[Diagnostic]]:
    """The site of `pages` (planned by the page kinds): render all Markdown and check every link.

    `render` renders Markdown: a reuse layer may hand back an earlier build's results instead.
    """
    targets = link_targets(playbook)
    content = render_content(playbook, md, targets, render)
    problems = content.problems
    assets = playbook.sources.assets
    problems.extend(collisions(pages, assets))
    problems.extend(unlinked_guides(playbook, guides_linked(playbook, content)))
    dates = {p.id: meetings(p, playbook.start_date(p)) for p in playbook.programs.values()}
    cohorts = {c.id: cohort_dates(playbook, c) for c in playbook.cohorts.values()}
    uses = _uses(playbook, words)
    site = Site(
        playbook,
        pages,
        content.guides,
        content.prose,
        assets,
        uses,
        pdf,
        targets.digest,
        dates,
        cohorts,
        words,
        languages,
        content.changelog,
        statement_of(playbook, content, languages),
    )
    return site, problems


def _uses(playbook: Playbook, words: Words) -> dict[tuple[str, str], tuple[Use, ...]]:
    """For each worksheet, checklist and guide (by kind and id): the months that use it, as pages show them."""
    months = {p.id: {m.number: m for m in p.months_in_order} for p in playbook.programs.values()}
    found: dict[tuple[str, str], tuple[Use, ...]] = {}
    for key, uses in playbook.uses.items():
        found[key] = tuple(
            _use(words, playbook.programs[program_id], months[program_id][number]) for program_id, number in uses
        )
    return found


def _use(words: Words, program: Program, month: Month) -> Use:
    values = {"program": program.title, "number": month.number, "title": month.title}
    title = words.speak("%(program)s, month %(number)s: %(title)s", **values)
    return Use(program, month, title, month_url(program.id, month.number))
