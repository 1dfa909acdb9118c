"""A program's meetings as an iCalendar file (RFC 5545), one event per month, from its start date."""

from __future__ import annotations

import calendar
import datetime as dt
from urllib.parse import urlsplit

import icalendar

from .links import month_url
from .models import Month, Program
from .site import Site

PRODUCT_ID = "-//Playbook//Mentoring playbook//EN"
STEP_DAYS = {"weekly": 7, "fortnightly": 14}


def meeting_date(start: dt.date, cadence: str, index: int) -> dt.date:
    """The date of meeting number `index` (from 0): same day of the month, or every week or two."""
    if cadence in STEP_DAYS:
        return start + dt.timedelta(days=STEP_DAYS[cadence] * index)
    month = start.month - 1 + index
    year, month = start.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def render_calendar(site: Site, program: Program) -> bytes:
    """The program's calendar; every event is an all-day event on its meeting date."""
    start = site.start_date(program)
    if start is None:
        raise ValueError(f"program {program.id} has no start date")
    cal = icalendar.Calendar()
    cal.add("prodid", PRODUCT_ID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{program.title} · {site.playbook.settings.title}")
    host = urlsplit(site.base_url).hostname or f"{site.storage_key}.playbook"
    for index, month in enumerate(program.months_in_order):
        cal.add_component(_event(site, program, month, meeting_date(start, program.cadence, index), start, host))
    return bytes(cal.to_ical())


def _event(site: Site, program: Program, month: Month, day: dt.date, start: dt.date, host: str) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{program.id}-month-{month.number:02d}@{host}")
    # DTSTAMP is required; the start date keeps the file the same from build to build.
    event.add("dtstamp", dt.datetime(start.year, start.month, start.day, tzinfo=dt.timezone.utc))
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", f"Month {month.number}: {month.title}")
    page = month_url(program.id, month.number)
    agenda = "\n".join(f"- {item.topic}" + (f" ({item.minutes} min)" if item.minutes else "") for item in month.agenda)
    where = site.base_url + page if site.base_url else page
    event.add("description", f"{month.goal}\n\nAgenda:\n{agenda}\n\nIn the playbook: {where}")
    if site.base_url:
        event.add("url", site.base_url + page)
    event.add("transp", "TRANSPARENT")
    return event
