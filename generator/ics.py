"""Calendars as iCalendar files (RFC 5545): a program's meetings, a pair's, and a cohort's tasks.

Meetings are one event per month, dated by the schedule: timed in its time zone, or all-day when
it gives no time. Tasks are all-day events. Nothing depends on the day of the build.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from urllib.parse import urlsplit

import icalendar

from .cohort_dates import CohortDates
from .links import cohort_tasks_url, month_url, page_url
from .models import Month, Program
from .schedule import Meeting
from .site import Site

PRODUCT_ID = "-//Playbook//Mentoring playbook//EN"


def render_calendar(site: Site, program: Program) -> bytes:
    """The program's calendar, from its own start date."""
    start = site.start_date(program)
    found = site.meetings.get(program.id, ())
    if start is None or not found:
        raise ValueError(f"program {program.id} has no start date")
    name = f"{program.title} · {site.playbook.settings.title}"
    return _meetings_calendar(site, program, found, name, program.id)


def render_pair_calendar(site: Site, cohort: CohortDates, pair_id: str) -> bytes:
    """A pair's meetings: its program's months on the pair's own dates."""
    pair = cohort.pair(pair_id)
    name = f"{cohort.program.title} · {pair.label} · {cohort.cohort.title}"
    uid = f"{cohort.cohort.id}-{pair_id}-{cohort.program.id}"
    return _meetings_calendar(site, pair.program, pair.meetings, name, uid)


def render_task_calendar(site: Site, cohort: CohortDates) -> bytes:
    """The cohort's tasks, for every pair, as all-day events."""
    speak = site.words.speak
    cal = _calendar(speak("%(cohort)s: tasks", cohort=cohort.cohort.title) + f" · {site.playbook.settings.title}")
    host = _host(site)
    stamp = _stamp(cohort.cohort.start_date)
    page = cohort_tasks_url(cohort.cohort.id)
    for task in cohort.tasks:
        event = icalendar.Event()
        event.add("uid", f"{cohort.cohort.id}-{task.pair.id}-{_slug(task.task.task)}-{task.number}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", task.day)
        event.add("dtend", task.day + dt.timedelta(days=1))
        pair = cohort.pair(task.pair.id)
        event.add("summary", f"{task.task.task}: {pair.label}")
        named = f"{pair.label} ({task.pair.id})" if pair.label != task.pair.id else pair.label
        lines = [task.task.details or "", speak("Pair: %(pair)s", pair=named)]
        if task.task.worksheet:
            lines.append(speak("Worksheet: %(page)s", page=_where(site, page_url("worksheet", task.task.worksheet))))
        lines.append(speak("In the playbook: %(page)s", page=_where(site, page)))
        event.add("description", "\n".join(line for line in lines if line))
        event.add("categories", [_owner_names(site, task.task.owner)])
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return bytes(cal.to_ical())


def _calendar(name: str) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODUCT_ID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    return cal


def _meetings_calendar(site: Site, program: Program, found: Sequence[Meeting], name: str, uid: str) -> bytes:
    cal = _calendar(name)
    host = _host(site)
    zone = found[0].start.tzinfo if found[0].start else None
    if zone is not None:
        # The rules of the time zone the events name, so any client reads their times right, for the program's years.
        years = dt.date(found[0].day.year, 1, 1), dt.date(found[-1].day.year + 1, 1, 1)
        cal.add_component(icalendar.Timezone.from_tzinfo(zone, program.schedule.timezone, *years))
    for month, meeting in zip(program.months_in_order, found):
        cal.add_component(_event(site, program, month, meeting, found[0].day, f"{uid}-month-{month.number:02d}@{host}"))
    return bytes(cal.to_ical())


def _host(site: Site) -> str:
    return urlsplit(site.base_url).hostname or f"{site.storage_key}.playbook"


def _stamp(start: dt.date) -> dt.datetime:
    # DTSTAMP is required; the start date keeps the file the same from build to build.
    return dt.datetime(start.year, start.month, start.day, tzinfo=dt.timezone.utc)


def _where(site: Site, page: str) -> str:
    return site.base_url + page if site.base_url else page


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())[:40] or "task"


def _owner_names(site: Site, owners: tuple[str, ...]) -> str:
    names = {role.id: role.name for role in site.playbook.settings.roles}
    return site.number_style.list_of(names.get(owner, owner) for owner in owners)


def _event(site: Site, program: Program, month: Month, meeting: Meeting, start: dt.date, uid: str) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", _stamp(start))
    if meeting.start is None:
        event.add("dtstart", meeting.day)
        event.add("dtend", meeting.day + dt.timedelta(days=1))
    else:
        event.add("dtstart", meeting.start)
        event.add("duration", dt.timedelta(minutes=meeting.minutes))
    speak = site.words.speak
    event.add("summary", speak("Month %(number)s: %(title)s", number=month.number, title=month.title))
    page = month_url(program.id, month.number)
    agenda = "\n".join(
        f"- {item.topic}" + (" (" + speak("%(minutes)s min", minutes=item.minutes) + ")" if item.minutes else "")
        for item in month.agenda
    )
    where = speak("In the playbook: %(page)s", page=_where(site, page))
    heading = speak("Agenda:")
    event.add("description", f"{month.goal}\n\n{heading}\n{agenda}\n\n{where}")
    if site.base_url:
        event.add("url", site.base_url + page)
    if meeting.start is None:
        event.add("transp", "TRANSPARENT")  # a day's reminder, not a busy day
    return event
