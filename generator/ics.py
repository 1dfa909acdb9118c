"""A program's meetings as an iCalendar file (RFC 5545), one event per month, dated by its schedule."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import icalendar

from .links import month_url
from .models import Month, Program
from .schedule import Meeting
from .site import Site

PRODUCT_ID = "-//Playbook//Mentoring playbook//EN"


def render_calendar(site: Site, program: Program) -> bytes:
    """The program's calendar: timed events in the schedule's time zone, or all-day ones when it gives no time."""
    start = site.start_date(program)
    found = site.meetings.get(program.id, ())
    if start is None or not found:
        raise ValueError(f"program {program.id} has no start date")
    cal = icalendar.Calendar()
    cal.add("prodid", PRODUCT_ID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{program.title} · {site.playbook.settings.title}")
    host = urlsplit(site.base_url).hostname or f"{site.storage_key}.playbook"
    zone = found[0].start.tzinfo if found[0].start else None
    if zone is not None:
        # The rules of the time zone the events name, so any client reads their times right, for the program's years.
        years = dt.date(found[0].day.year, 1, 1), dt.date(found[-1].day.year + 1, 1, 1)
        cal.add_component(icalendar.Timezone.from_tzinfo(zone, program.schedule.timezone, *years))
    for month, meeting in zip(program.months_in_order, found):
        cal.add_component(_event(site, program, month, meeting, start, host))
    return bytes(cal.to_ical())


def _event(site: Site, program: Program, month: Month, meeting: Meeting, start: dt.date, host: str) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{program.id}-month-{month.number:02d}@{host}")
    # DTSTAMP is required; the start date keeps the file the same from build to build.
    event.add("dtstamp", dt.datetime(start.year, start.month, start.day, tzinfo=dt.timezone.utc))
    if meeting.start is None:
        event.add("dtstart", meeting.day)
        event.add("dtend", meeting.day + dt.timedelta(days=1))
    else:
        event.add("dtstart", meeting.start)
        event.add("duration", dt.timedelta(minutes=meeting.minutes))
    event.add("summary", f"Month {month.number}: {month.title}")
    page = month_url(program.id, month.number)
    agenda = "\n".join(f"- {item.topic}" + (f" ({item.minutes} min)" if item.minutes else "") for item in month.agenda)
    where = site.base_url + page if site.base_url else page
    event.add("description", f"{month.goal}\n\nAgenda:\n{agenda}\n\nIn the playbook: {where}")
    if site.base_url:
        event.add("url", site.base_url + page)
    if meeting.start is None:
        event.add("transp", "TRANSPARENT")  # a day's reminder, not a busy day
    return event
