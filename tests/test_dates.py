"""Real dates from a start date: the calendar file, and the sitemap, 404 page and canonical links of a published site."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import icalendar
import pytest

from conftest import MINIMAL
from generator.build import build
from generator.dates import date_style
from generator.models import Program
from generator.schedule import browser_rule, meetings


def events(path: Path) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return [c for c in calendar.walk() if c.name == "VEVENT"]


def test_the_example_calendar_has_twelve_timed_meetings_on_second_thursdays(example_site: Path) -> None:
    found = events(example_site / "programs" / "twelve-months" / "calendar.ics")
    assert len(found) == 12
    starts = [event.decoded("dtstart") for event in found]
    assert all(isinstance(start, dt.datetime) and start.tzinfo is not None for start in starts)
    assert {str(event["dtstart"].params["TZID"]) for event in found} == {"Europe/London"}
    assert {(start.hour, start.minute) for start in starts} == {(10, 0)}
    assert {event.decoded("duration") for event in found} == {dt.timedelta(minutes=60)}
    assert all(start.weekday() == 3 and 8 <= start.day <= 14 for start in starts)  # second Thursdays
    assert [start.month for start in starts] == list(range(1, 13))
    # Ten in the morning London time, in winter (GMT) and in summer (BST) alike.
    assert starts[0].utcoffset() == dt.timedelta(0) and starts[5].utcoffset() == dt.timedelta(hours=1)
    first = found[0]
    assert str(first["summary"]) == "Month 1: Kick-off"
    assert "Introductions and check in" in str(first["description"])
    assert "programs/twelve-months/month-01/index.html" in str(first["description"])
    assert len({str(event["uid"]) for event in found}) == 12


def program_with(schedule: dict[str, object], months: int = 12, cadence: str = "monthly") -> Program:
    return Program.model_validate(
        {
            "title": "A year",
            "summary": "Meetings to test with.",
            "cadence": cadence,
            "schedule": schedule,
            "months": [
                {"number": n, "title": f"Month {n}", "goal": "Meet.", "agenda": [{"topic": "Talk", "owner": "mentor"}]}
                for n in range(1, months + 1)
            ],
        }
    )


def days(program: Program, start: dt.date) -> list[dt.date]:
    return [meeting.day for meeting in meetings(program, start)]


def test_monthly_meetings_keep_the_weekday_of_the_first_one() -> None:
    # Thursday 14 January 2027 is the second Thursday: so is every later meeting, never a weekend.
    found = days(program_with({}), dt.date(2027, 1, 14))
    assert all(day.weekday() == 3 and 8 <= day.day <= 14 for day in found)
    assert found[1] == dt.date(2027, 2, 11) and found[-1] == dt.date(2027, 12, 9)
    # A fifth Friday (29 January) becomes the last Friday of each month.
    assert days(program_with({}, 3), dt.date(2027, 1, 29)) == [
        dt.date(2027, 1, 29),
        dt.date(2027, 2, 26),
        dt.date(2027, 3, 26),
    ]


def test_a_rule_picks_the_day_and_skipped_dates_move_to_the_next() -> None:
    rule = {"on": "last friday", "skip": ["2027-02-26"]}
    assert days(program_with(rule, 3), dt.date(2027, 1, 4)) == [
        dt.date(2027, 1, 29),
        dt.date(2027, 3, 26),
        dt.date(2027, 4, 30),
    ]
    # Day 31 of a month without one is its last day.
    assert days(program_with({"on": "day 31"}, 3), dt.date(2027, 1, 1)) == [
        dt.date(2027, 1, 31),
        dt.date(2027, 2, 28),
        dt.date(2027, 3, 31),
    ]
    assert days(program_with({"on": "tuesday"}, 3, "fortnightly"), dt.date(2027, 1, 4)) == [
        dt.date(2027, 1, 5),
        dt.date(2027, 1, 19),
        dt.date(2027, 2, 2),
    ]


def test_a_meeting_has_the_programs_length_and_time_zone() -> None:
    program = program_with({"time": "18:30", "timezone": "America/New_York"}, 3).model_copy(
        update={"meeting_minutes": 45}
    )
    first = meetings(program, dt.date(2027, 3, 4))[0]
    assert first.minutes == 45
    assert first.start == dt.datetime(2027, 3, 4, 18, 30, tzinfo=ZoneInfo("America/New_York"))


def test_a_program_start_date_wins_over_the_playbooks(project: Callable[..., Path]) -> None:
    program = (MINIMAL / "content" / "programs" / "year.yaml").read_text()
    root = project(
        {
            "playbook.yaml": (MINIMAL / "playbook.yaml").read_text() + "start_date: 2027-01-04\n",
            "content/programs/year.yaml": program.replace(
                "summary: Two meetings to test with.\n",
                "summary: Two meetings to test with.\nstart_date: 2027-09-01\ncadence: weekly\n",
            ),
        }
    )
    build(root, root / "_site")
    dates = [e.decoded("dtstart") for e in events(root / "_site" / "programs" / "year" / "calendar.ics")]
    assert dates == [dt.date(2027, 9, 1), dt.date(2027, 9, 8)]  # no time in the schedule: all-day events


def test_without_a_start_date_there_is_no_calendar(project: Callable[..., Path]) -> None:
    root = project()
    build(root, root / "_site")
    assert not (root / "_site" / "programs" / "year" / "calendar.ics").exists()
    assert "calendar.ics" not in (root / "_site" / "programs" / "year" / "index.html").read_text()


def test_the_calendar_is_the_same_every_build(example_project: Path, tmp_path: Path) -> None:
    build(example_project, tmp_path / "a", cache=False)
    build(example_project, tmp_path / "b", cache=False)
    path = "programs/twelve-months/calendar.ics"
    assert (tmp_path / "a" / path).read_bytes() == (tmp_path / "b" / path).read_bytes()


def published(project: Callable[..., Path]) -> Path:
    root = project(
        {"playbook.yaml": (MINIMAL / "playbook.yaml").read_text() + "base_url: https://example.org/mentoring\n"}
    )
    build(root, root / "_site")
    return root / "_site"


def test_a_published_site_has_a_sitemap_of_every_page(project: Callable[..., Path]) -> None:
    site = published(project)
    urls = [
        loc.text
        for loc in ElementTree.parse(site / "sitemap.xml")
        .getroot()
        .iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.name != "404.html")
    assert sorted(urls) == [f"https://example.org/mentoring/{page}" for page in pages]


def test_a_published_site_has_canonical_links_and_a_404_page(project: Callable[..., Path]) -> None:
    site = published(project)
    month = (site / "programs" / "year" / "month-01" / "index.html").read_text()
    assert '<link rel="canonical" href="https://example.org/mentoring/programs/year/month-01/index.html">' in month
    missing = (site / "404.html").read_text()
    assert '<base href="/mentoring/">' in missing
    assert 'href="index.html"' in missing and "Page not found" in missing


def test_an_unpublished_site_has_neither(project: Callable[..., Path]) -> None:
    root = project()
    build(root, root / "_site")
    assert not (root / "_site" / "sitemap.xml").exists() and not (root / "_site" / "404.html").exists()
    assert 'rel="canonical"' not in (root / "_site" / "index.html").read_text()


# --- The browser dates meetings as the build does ------------------------------------

RULES = [
    ("monthly", {}, "2027-01-14"),
    ("monthly", {"on": "last friday", "skip": ["2027-02-26"]}, "2027-01-04"),
    ("monthly", {"on": "day 31"}, "2027-01-01"),
    ("monthly", {}, "2027-03-31"),  # a fifth Wednesday: the last one of each month
    ("fortnightly", {"on": "tuesday"}, "2027-01-08"),  # starts on a Friday: fortnights count from its week
    ("weekly", {"time": "10:00", "timezone": "Europe/London"}, "2027-03-18"),  # over the clocks going forward
    ("monthly", {"on": "first monday", "time": "18:30", "timezone": "America/New_York"}, "2026-09-01"),
    ("monthly", {"on": "second thursday", "time": "09:15"}, "2027-06-01"),  # floating: no time zone
]


@pytest.mark.parametrize(("cadence", "rule", "start"), RULES)
def test_the_browser_gives_the_same_dates_as_the_build(
    page: Any, example_site: Path, cadence: str, rule: dict[str, object], start: str
) -> None:
    program = program_with(rule, 12, cadence)
    expected = [
        (m.day.isoformat(), m.start.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M") if m.start else None)
        for m in meetings(program, dt.date.fromisoformat(start))
    ]
    if rule.get("time") and not rule.get("timezone"):  # floating times: the browser keeps the wall-clock time
        expected = [(day, f"{day}T{rule['time']}") for day, _ in expected]
    page.goto((example_site / "index.html").as_uri())
    found = page.evaluate(
        """([rule, start]) => {
            const D = window.Playbook.dates;
            return D.meetingDays(rule, D.parseDate(start)).map((day) => [
                day.toISOString().slice(0, 10),
                rule.time ? D.instant(day, rule.time, rule.zone).toISOString().slice(0, 16) : null,
            ]);
        }""",
        [browser_rule(program), start],
    )
    assert [tuple(pair) for pair in found] == expected


@pytest.mark.parametrize("language", ["en", "en-GB", "de", "es", "fi", "ja", "pt-BR"])
def test_the_browser_writes_dates_as_the_build_does(page: Any, example_site: Path, language: str) -> None:
    style = date_style(language)
    days = [dt.date(2027, month, 1 + (5 * month) % 28) for month in range(1, 13)]
    page.goto((example_site / "index.html").as_uri())
    found = page.evaluate(
        "([days, style]) => days.map((day) => window.Playbook.dates.formatDate(window.Playbook.dates.parseDate(day), style))",
        [[day.isoformat() for day in days], style.browser_style()],
    )
    assert found == [style.date(day) for day in days]


def test_pages_show_the_meeting_dates(example_site: Path) -> None:
    month = (example_site / "programs" / "twelve-months" / "month-05" / "index.html").read_text()
    assert "Thursday, May 13, 2027</time>, 10:00" in month
    checklist = (example_site / "checklists" / "first-meeting" / "index.html").read_text()
    assert 'Due <time datetime="2027-01-11">Monday, January 11, 2027</time>' in checklist  # "-3 days"
    card = (example_site / "programs" / "twelve-months" / "month-05" / "card" / "index.html").read_text()
    assert "Thursday, May 13, 2027" in card


def test_a_date_the_reader_picks_dates_the_program_and_its_months(page: Any, example_site: Path) -> None:
    page.goto((example_site / "programs" / "twelve-months" / "index.html").as_uri())
    step = page.locator(".step", has_text="Month 2:").locator(".meeting-date")
    assert step.inner_text().replace("\u202f", " ") == "Thursday, February 11, 2027, 10:00 AM"
    page.fill(".start-date", "2027-03-11")  # the rule's second Thursday, two months later than the playbook's
    page.locator(".start-date").dispatch_event("change")
    assert step.inner_text().startswith("Thursday, April 8, 2027")
    assert page.locator(".first-meeting").inner_text().startswith("The first meeting is on Thursday, March 11, 2027")
    page.goto((example_site / "programs" / "twelve-months" / "month-05" / "index.html").as_uri())
    assert page.locator(".when time").inner_text() == "Thursday, July 8, 2027"
    assert page.errors == []


def overdue_for(page: Any, role: str) -> list[tuple[str, str]]:
    page.select_option("#lens", role)
    rows = page.locator(".this-month__overdue li")
    return [(row.inner_text(), row.locator("time").get_attribute("datetime")) for row in rows.all()]


def test_this_month_and_overdue_items_follow_the_lens(page: Any, example_site: Path) -> None:
    page.clock.set_fixed_time(dt.datetime(2027, 6, 20, 12, 0))  # month 6 met on 10 June; month 7 meets on 8 July
    page.goto((example_site / "index.html").as_uri())
    section = page.locator(".this-month")
    assert "You are in month 6" in section.inner_text()
    assert "Thursday, July 8, 2027" in section.locator(".this-month__next").inner_text()
    everyone = section.locator("h3", has_text="Overdue").inner_text()
    mentor = overdue_for(page, "mentor")
    assert section.locator("h3", has_text="Overdue").inner_text().startswith("Overdue for you")
    assert everyone != section.locator("h3", has_text="Overdue").inner_text()
    protege = overdue_for(page, "protege")
    assert mentor and protege and mentor != protege
    for shown in (mentor, protege):
        due = [day for _, day in shown]
        assert due == sorted(due, reverse=True)  # newest first
        assert all("2027-06" in day for day in due)  # since the last meeting: nothing from months not started
    data = json.loads(page.locator("#program-data-twelve-months").text_content())
    owners = {
        item["text"]: item["owner"]
        for month in data["months"]
        for checklist in month["checklists"]
        for item in checklist["items"]
    }
    for role, shown in (("mentor", mentor), ("protege", protege)):
        for text, _ in shown:
            assert role in owners[text.split(" (")[0]], text
    assert page.errors == []


# --- The browser writes its calendar file as the build writes calendar.ics ------------

TRICKY_TITLE = 'Goals; plans, and a back\\slash "quoted"'
TRICKY_GOAL = "Meet, agree; then write it down.\nWith accents: café, naïve — " + " ".join(["日本語"] * 12)


def unfolded(raw: bytes, name: bytes) -> list[bytes]:
    """The lines of one property as written (still escaped), each unfolded into one."""
    return [line for line in raw.replace(b"\r\n ", b"").split(b"\r\n") if line.startswith(name + b":")]


@pytest.mark.parametrize(
    "schedule",
    [{}, {"time": "10:00", "timezone": "Europe/London"}, {"time": "09:15"}],
    ids=["all-day", "in-a-time-zone", "floating"],
)
def test_the_browser_calendar_says_what_the_built_one_says(
    page: Any, project: Callable[..., Path], tmp_path: Path, schedule: dict[str, str]
) -> None:
    program = (MINIMAL / "content" / "programs" / "year.yaml").read_text()
    program = program.replace("title: Plan\n    goal: Turn goals into a plan.\n", "title: T\n    goal: G\n")
    program = program.replace("title: T\n", f"title: {json.dumps(TRICKY_TITLE)}\n")
    program = program.replace("goal: G\n", f"goal: {json.dumps(TRICKY_GOAL)}\n")
    program += "schedule:\n" + "".join(f"  {key}: {value!r}\n" for key, value in schedule.items()) if schedule else ""
    playbook = (MINIMAL / "playbook.yaml").read_text() + "start_date: 2027-03-04\n"
    site = build(project({"playbook.yaml": playbook, "content/programs/year.yaml": program})).out_dir
    page.goto((site / "programs" / "year" / "index.html").as_uri())
    with page.expect_download() as download:
        page.click("button[data-action=download-calendar]")  # for the build's start date: the reader picked none
    download.value.save_as(tmp_path / "browser.ics")
    ours, theirs = (tmp_path / "browser.ics").read_bytes(), (site / "programs" / "year" / "calendar.ics").read_bytes()

    for raw in (ours, theirs):
        assert all(len(line) <= 75 for line in raw.split(b"\r\n")), "lines are folded at 75 octets"
    # Escaped alike, not only alike in meaning. The description goes on differently: the browser links
    # the page where the reader opened it, and leaves out the agenda's minutes.
    for name in (b"UID", b"SUMMARY"):
        assert unfolded(ours, name) == unfolded(theirs, name)
    goals = [line.partition(b"\\n\\nAgenda:\\n")[0] for line in unfolded(ours, b"DESCRIPTION")]
    assert goals == [line.partition(b"\\n\\nAgenda:\\n")[0] for line in unfolded(theirs, b"DESCRIPTION")]
    browser = icalendar.Calendar.from_ical(ours).walk("VEVENT")
    built = icalendar.Calendar.from_ical(theirs).walk("VEVENT")
    assert len(browser) == len(built) == 2
    assert str(browser[1]["summary"]) == f"Month 2: {TRICKY_TITLE}"
    assert str(browser[1]["description"]).startswith(f"{TRICKY_GOAL}\n\nAgenda:\n- The plan\n")
    for mine, its in zip(browser, built):
        for name in ("dtstart", "duration", "dtend", "transp"):  # a time as the same instant, whatever its form
            assert (name in mine, mine.decoded(name, None)) == (name in its, its.decoded(name, None)), name
