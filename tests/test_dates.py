"""Real dates from a start date: the calendar file, and the sitemap, 404 page and canonical links of a published site."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import icalendar

from conftest import MINIMAL
from generator.build import build
from generator.ics import meeting_date


def events(path: Path) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return [c for c in calendar.walk() if c.name == "VEVENT"]


def test_the_example_calendar_has_twelve_meetings_on_the_right_dates(example_site: Path) -> None:
    found = events(example_site / "programs" / "twelve-months" / "calendar.ics")
    assert len(found) == 12
    dates = [event.decoded("dtstart") for event in found]
    assert dates == [dt.date(2027 + (m - 1) // 12, (m - 1) % 12 + 1, 14) for m in range(1, 13)]
    first = found[0]
    assert str(first["summary"]) == "Month 1: Kick-off"
    assert "Introductions and check in" in str(first["description"])
    assert "programs/twelve-months/month-01/index.html" in str(first["description"])
    assert len({str(event["uid"]) for event in found}) == 12


def test_meetings_keep_to_the_end_of_short_months() -> None:
    start = dt.date(2027, 1, 31)
    assert [meeting_date(start, "monthly", i) for i in range(4)] == [
        dt.date(2027, 1, 31),
        dt.date(2027, 2, 28),
        dt.date(2027, 3, 31),
        dt.date(2027, 4, 30),
    ]
    assert meeting_date(dt.date(2027, 12, 15), "monthly", 1) == dt.date(2028, 1, 15)
    assert meeting_date(start, "fortnightly", 2) == dt.date(2027, 2, 28)
    assert meeting_date(start, "weekly", 1) == dt.date(2027, 2, 7)


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
    assert dates == [dt.date(2027, 9, 1), dt.date(2027, 9, 8)]


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
