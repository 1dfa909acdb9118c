"""A cohort of the example: its pairs' pages and calendars, the lead's tasks as a calendar and a
spreadsheet, the timeline in a browser, and a cohort that keeps people's names off the site."""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import posixpath
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import icalendar
import pytest

from generator.build import build, check
from generator.cohort_dates import occurrences, working_day
from generator.recurrence import Occurs
from generator.schedule import Meeting

COHORT = "cohorts/spring-2027"
PAIRS = ("amara-and-jon", "beatriz-and-lena", "chidi-and-sofia", "dmitri-and-priya")
PEOPLE = ("Amara Osei", "Jon Whitaker", "Beatriz Núñez", "Lena Fischer", "Chidi Okonkwo", "Sofía Ramírez")
PEOPLE += ("Dmitri Volkov", "Priya Raman", "Morgan Ellis")


class Meetings(HTMLParser):
    """A pair page's meetings table: for each row, its links and its `<time datetime>`s."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.rows: list[tuple[list[str], list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table":
            self.inside = "pair-meetings" in (found.get("class") or "")
        elif self.inside and tag == "tr" and self.rows is not None:
            self.rows.append(([], []))
        elif self.inside and tag == "a" and self.rows:
            self.rows[-1][0].append(found["href"] or "")
        elif self.inside and tag == "time" and self.rows:
            self.rows[-1][1].append(found["datetime"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.inside = False


def meetings_on_page(site: Path, pair: str) -> list[tuple[str, dt.date]]:
    """The month page each meeting links to (from the site's root) and its date, from the pair's page."""
    page = f"{COHORT}/pairs/{pair}/index.html"
    parser = Meetings()
    parser.feed((site / page).read_text("utf-8"))
    rows = [(links, times) for links, times in parser.rows if links]  # the header row has none
    return [
        (posixpath.normpath(posixpath.join(posixpath.dirname(page), links[0])), dt.date.fromisoformat(times[0]))
        for links, times in rows
    ]


def events(path: Path) -> list[Any]:
    return list(icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"))


def task_rows(site: Path) -> list[dict[str, str]]:
    with (site / COHORT / "tasks.csv").open(encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))


def expected_tasks(first: dt.date, last: dt.date) -> int:
    """The example's lead tasks for a pair meeting from `first` to `last`: a pulse check on day 30 then
    every 60 days, a contact check every 90 days, and the closing review, each while the pair meets."""
    pulses = sum(1 for day in range(30, 400, 60) if working_day(first + dt.timedelta(days=day)) <= last)
    checks = sum(1 for day in range(90, 400, 90) if working_day(first + dt.timedelta(days=day)) <= last)
    return pulses + checks + 1


def test_each_pair_page_lists_twelve_dated_meetings_linking_to_their_months(example_site: Path) -> None:
    for pair in PAIRS:
        found = meetings_on_page(example_site, pair)
        assert [link for link, _ in found] == [f"programs/twelve-months/month-{n:02d}/index.html" for n in range(1, 13)]
        assert all((example_site / link).is_file() for link, _ in found)
        days = [day for _, day in found]
        assert days == sorted(days) and len({(d.year, d.month) for d in days}) == 12, pair


def test_each_pair_calendar_has_its_own_twelve_timed_meetings(example_site: Path) -> None:
    for pair in PAIRS:
        found = events(example_site / COHORT / "pairs" / pair / "calendar.ics")
        starts = [event.decoded("dtstart") for event in found]
        assert len(found) == 12
        assert [start.date() for start in starts] == [day for _, day in meetings_on_page(example_site, pair)]
        assert {(str(start.tzinfo), start.hour, start.minute) for start in starts} == {("Europe/London", 10, 0)}
    beatriz = [
        event.decoded("dtstart").date()
        for event in events(example_site / COHORT / "pairs/beatriz-and-lena/calendar.ics")
    ]
    # The last Tuesday of each month, from her cohort's start in January 2027.
    assert all(d.weekday() == 1 and d.day + 7 > calendar.monthrange(d.year, d.month)[1] for d in beatriz)
    assert beatriz[0] == dt.date(2027, 1, 26)


def test_the_lead_gets_every_task_as_an_all_day_event_and_a_spreadsheet_row(example_site: Path) -> None:
    expected = 0
    for pair in PAIRS:
        days = [day for _, day in meetings_on_page(example_site, pair)]
        expected += expected_tasks(days[0], days[-1])
    found = events(example_site / COHORT / "tasks.ics")
    assert len(found) == expected
    assert all(type(event.decoded("dtstart")) is dt.date and event.decoded("dtstart").weekday() < 5 for event in found)

    rows = task_rows(example_site)
    assert len(rows) == expected
    assert list(rows[0]) == ["date", "cohort", "pair", "role", "task", "page"]
    assert [row["date"] for row in rows] == sorted(row["date"] for row in rows)
    assert sorted(row["date"] for row in rows) == sorted(e.decoded("dtstart").isoformat() for e in found)
    assert {row["pair"] for row in rows} == {
        "Amara Osei & Jon Whitaker",
        "Beatriz Núñez & Lena Fischer",
        "Chidi Okonkwo & Sofía Ramírez",
        "Dmitri Volkov & Priya Raman",
    }
    assert {row["cohort"] for row in rows} == {"Spring 2027 cohort"} and {row["role"] for row in rows} == {
        "Program lead"
    }
    assert all((example_site / row["page"]).is_file() for row in rows)
    closing = [row for row in rows if row["task"] == "Closing review with the pair"]
    assert len(closing) == 4 and closing[0]["page"] == "worksheets/annual-review/index.html"


# --- A cohort that does not publish names, with a task a spreadsheet would take for a formula ---------

FORMULA = '=HYPERLINK("http://example.com","Click")'


@pytest.fixture(scope="module")
def private_site(example_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("private") / "project"
    shutil.copytree(example_project, root)
    cohort = root / "content/cohorts/spring-2027.yaml"
    cohort.write_text(cohort.read_text("utf-8").replace("publish_names: true", "publish_names: false"), "utf-8")
    program = root / "content/programs/twelve-months.yaml"
    text = program.read_text("utf-8")
    program.write_text(text.replace("  - task: Check the pair is still meeting", f"  - task: '{FORMULA}'"), "utf-8")
    out = root.parent / "site"
    build(root, out, cache=False)
    return out


def test_a_cohort_without_published_names_shows_pair_ids_only(private_site: Path) -> None:
    shown = []
    for path in private_site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".ics", ".csv", ".js", ".json", ".xml"):
            text = path.read_text("utf-8").replace("\r\n ", "")  # unfold calendar lines
            shown += [f"{path.relative_to(private_site)}: {name}" for name in PEOPLE if name in text]
    assert shown == []
    assert {row["pair"] for row in task_rows(private_site)} == set(PAIRS)
    page = (private_site / COHORT / "pairs/amara-and-jon/index.html").read_text("utf-8")
    assert "<h1>Pair amara-and-jon</h1>" in page


def test_a_task_that_looks_like_a_formula_is_plain_text_in_the_spreadsheet(private_site: Path) -> None:
    tasks = {row["task"] for row in task_rows(private_site)}
    assert "'" + FORMULA in tasks and FORMULA not in tasks


# --- The timeline and the task list in a browser -----------------------------------------------------


def statuses(page: Any) -> dict[str, tuple[str, str | None]]:
    """Each pair's status line and the month its timeline marks as now, by pair page link."""
    found = {}
    for row in page.locator(".timeline__pair").all():
        link = row.locator(".timeline__name a").get_attribute("href") or ""
        current = row.locator("li[aria-current='step']")
        month = current.get_attribute("data-month") if current.count() else None
        found[link.split("/")[1]] = (row.locator(".timeline__status").inner_text(), month)
    return found


def test_the_timeline_shows_the_month_each_pair_is_in_today(example_site: Path, page: Any) -> None:
    page.clock.set_fixed_time(dt.datetime(2027, 5, 1, 12, 0))
    page.goto((example_site / COHORT / "index.html").as_uri())
    now = statuses(page)
    assert now["amara-and-jon"] == ("Now in month 4 of 12, next meeting Thursday, May 13, 2027.", "4")
    assert now["chidi-and-sofia"] == ("Now in month 3 of 12, next meeting Thursday, May 13, 2027.", "3")
    assert page.locator("li[aria-current='step'] .timeline__now").first.inner_text().lower() == "now"

    page.clock.set_fixed_time(dt.datetime(2027, 12, 20, 12, 0))
    page.reload()
    late = statuses(page)
    assert late["amara-and-jon"] == ("Finished.", None)  # last met on December 9
    assert late["beatriz-and-lena"] == ("Now in month 11 of 12, next meeting Tuesday, December 28, 2027.", "11")
    assert page.errors == []


def test_a_pair_that_has_not_started_says_when_it_starts(example_site: Path, page: Any) -> None:
    page.clock.set_fixed_time(dt.datetime(2027, 1, 20, 12, 0))
    page.goto((example_site / COHORT / "index.html").as_uri())
    now = statuses(page)
    assert now["amara-and-jon"] == ("Now in month 1 of 12, next meeting Thursday, February 11, 2027.", "1")
    assert now["chidi-and-sofia"] == ("Starts Thursday, February 11, 2027.", None)

    page.goto((example_site / COHORT / "tasks/index.html").as_uri())
    page.select_option("#task-pair", "chidi-and-sofia")
    shown = page.locator(".task-table tr[data-day]:visible")
    assert shown.count() == len([r for r in task_rows(example_site) if r["pair"] == "Chidi Okonkwo & Sofía Ramírez"])
    assert page.locator(".task-table tr[data-day] .tag").inner_text().lower() == "next"
    assert page.errors == []


# --- When a rule happens ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def program(example_project: Path) -> Any:
    return check(example_project).site.playbook.programs["twelve-months"]


MONDAYS = tuple(Meeting(dt.date(2027, 1, 4) + dt.timedelta(weeks=4 * i), None, 60) for i in range(12))


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (Occurs(each_meeting=True), [(n, m.day, n) for n, m in enumerate(MONDAYS, 1)]),
        (Occurs(month=12), [(1, MONDAYS[11].day, 12)]),
        # Day 5 from Monday 4 January is Saturday the 9th: moved to Monday the 11th, in month 1.
        (Occurs(first_day=5), [(1, dt.date(2027, 1, 11), 1)]),
        # Every 100 days from day 30: Wednesday 3 February, Friday 14 May, Sunday 22 August (to the 23rd).
        (
            Occurs(every_days=100, first_day=30),
            [(1, dt.date(2027, 2, 3), 2), (2, dt.date(2027, 5, 14), 5), (3, dt.date(2027, 8, 23), 9)],
        ),
    ],
    ids=["after-each-meeting", "month 12", "day 5 on a weekend", "every 100 days from day 30"],
)
def test_a_rule_gives_its_numbered_days_and_their_months(program: Any, rule: Occurs, expected: list[Any]) -> None:
    found = occurrences(rule, program, MONDAYS)
    assert [(o.number, o.day, o.month) for o in found] == expected


def test_without_dates_a_rule_is_numbered_but_not_dated(program: Any) -> None:
    found = occurrences(Occurs(every_days=60, first_day=30), program, ())
    assert len(found) >= 5 and all(o.day is None for o in found)
    assert [o.number for o in found] == list(range(1, len(found) + 1))


def test_a_weekend_day_moves_to_the_monday() -> None:
    assert [working_day(dt.date(2027, 5, d)) for d in (7, 8, 9, 10)] == [dt.date(2027, 5, d) for d in (7, 10, 10, 10)]
