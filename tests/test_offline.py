"""Offline features in a real browser: search from file://, this month, a calendar made in the page, and progress that travels."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import icalendar
import pytest
from test_accessibility import violations
from test_search_index import FRENCH_PLAYBOOK

from conftest import MINIMAL
from generator.build import build

MONTH = "programs/twelve-months/month-03/index.html"


def url(site: Path, page: str) -> str:
    return f"{site.as_uri()}/{page}"


def search(page: Any, words: str) -> list[str]:
    page.fill("#search-input", words)
    wait_for_results(page, words)
    return page.locator(".search__list .search__title").all_inner_texts()


def wait_for_results(page: Any, words: str) -> None:
    """Until the list shows what `words`, all of them, find: typed slowly, a part of them is searched first."""
    page.wait_for_function(
        "words => document.querySelector('#search-status').textContent.includes('“' + words + '”')", arg=words
    )


@pytest.mark.parametrize(
    ("word", "checklist"),
    [("sentences", "Finding and asking a mentor"), ("recruit", "Launching and monitoring a cohort")],
)
def test_a_word_from_a_checklist_item_finds_that_checklist_first(
    page: Any, example_site: Path, word: str, checklist: str
) -> None:
    page.goto(url(example_site, MONTH))
    titles = search(page, word)
    assert len(titles) > 1
    assert titles[0] == checklist
    assert page.errors == []


def test_search_finds_a_worksheet_by_a_field_label_and_highlights_it(page: Any, example_site: Path) -> None:
    page.goto(url(example_site, "index.html"))
    titles = search(page, "walk-away")
    assert titles[0] == "Negotiation preparation"
    assert page.locator(".search__list li").first.locator("mark").count() > 0


def test_search_matches_the_start_of_words_and_needs_every_word(page: Any, example_site: Path) -> None:
    page.goto(url(example_site, "index.html"))
    assert any("Negotiation" in title for title in search(page, "negot"))
    assert search(page, "negot zzzqqq") == []
    assert "Nothing found" in page.inner_text("#search-status")


def test_search_is_used_with_the_keyboard(page: Any, example_site: Path) -> None:
    page.goto(url(example_site, MONTH))
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "search-input"
    page.keyboard.type("conflict interest")
    wait_for_results(page, "conflict interest")
    page.keyboard.press("ArrowDown")
    first = page.evaluate("document.activeElement.getAttribute('href')")
    assert first.endswith("guides/protege/why-not-your-manager/index.html#the-conflict-of-interest")
    page.keyboard.press("Enter")
    page.wait_for_url("**/why-not-your-manager/index.html#the-conflict-of-interest")
    assert page.locator("#the-conflict-of-interest").is_visible()


@pytest.mark.parametrize("words", ["meeting ma", "welcome 60"])
def test_search_highlights_words_and_never_shows_markup_as_text(page: Any, example_site: Path, words: str) -> None:
    page.goto(url(example_site, "index.html"))
    search(page, words)
    texts = page.locator(".search__list li").all_inner_texts()
    assert texts, f"nothing found for {words!r}"
    assert [t for t in texts if any(sign in t for sign in ("<", ">", "&#", "mark>"))] == []
    marks = page.locator(".search__list mark").all_inner_texts()
    assert marks and all(m.lower().startswith(tuple(words.split())) for m in marks)


def test_a_french_query_with_little_words_still_finds_the_page(
    page: Any, project: Callable[..., Path], tmp_path: Path
) -> None:
    """The index leaves out French's little words, and the browser drops them from a query the same way."""
    build(project(FRENCH_PLAYBOOK), tmp_path / "site")
    page.goto(url(tmp_path / "site", "index.html"))
    page.fill("#search-input", "les rencontres des binômes")
    page.wait_for_function("() => document.querySelector('#search-status').textContent.includes('binômes')")
    assert page.locator(".search__list .search__title").all_inner_texts() == ["Bienvenue"]
    assert page.errors == []


def test_search_shows_signs_in_the_text_as_they_are_written(
    page: Any, project: Callable[..., Path], tmp_path: Path
) -> None:
    welcome = (MINIMAL / "content/guides/welcome.md").read_text(encoding="utf-8")
    root = project({"content/guides/welcome.md": welcome + "\nGive it 60 minutes: <bring notes> & say 'welcome'.\n"})
    build(root, tmp_path / "site")
    page.goto(url(tmp_path / "site", "index.html"))
    search(page, "welcome 60")
    snippets = page.locator(".search__list .search__snippet").all_inner_texts()
    assert any("Give it 60 minutes: <bring notes> & say ‘welcome’." in s for s in snippets), snippets
    assert [s for s in snippets if "&#" in s or "&lt;" in s or "mark>" in s] == []
    assert sorted(set(page.locator(".search__list mark").all_inner_texts())) == ["60", "welcome"]


def test_a_straight_apostrophe_finds_and_marks_a_curly_one(page: Any, example_site: Path) -> None:
    page.goto(url(example_site, "index.html"))
    search(page, "manager's permission")
    snippets = page.locator(".search__list .search__snippet").all_inner_texts()
    assert any("manager’s permission" in s for s in snippets)  # the guide's apostrophe is typographic
    assert "manager" in page.locator(".search__list mark").all_inner_texts()


def test_show_all_lists_every_result_and_is_reached_with_the_arrow_keys(page: Any, example_site: Path) -> None:
    page.goto(url(example_site, "index.html"))
    search(page, "meeting")
    status = page.inner_text("#search-status")
    total = int(status.split(" of ")[1].split()[0])
    assert status.startswith("The best 12 of ") and total > 12
    more = page.get_by_role("button", name=f"Show all {total} results")
    page.focus("#search-input")
    for _ in range(12):
        page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('search__more')") is False
    page.keyboard.press("ArrowDown")
    assert more.evaluate("button => button === document.activeElement")
    page.keyboard.press("Enter")
    page.wait_for_function("total => document.querySelectorAll('.search__list li').length === total", arg=total)
    assert page.inner_text("#search-status") == f"{total} results for “meeting”"
    assert more.is_hidden()
    page.keyboard.press("ArrowDown")  # focus went to the 13th result; the keys go on from there
    assert (
        page.evaluate("Array.from(document.querySelectorAll('.search__list a')).indexOf(document.activeElement)") == 13
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_open_search_panel_passes_axe(browser: Any, example_site: Path, scheme: str) -> None:
    context = browser.new_context(color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(url(example_site, "index.html"))
        search(page, "meeting ma")
        assert page.locator(".search__more").is_visible()
        assert violations(page) == []
    finally:
        context.close()


def test_this_month_follows_the_calendar(page: Any, example_site: Path) -> None:
    page.clock.set_fixed_time(dt.datetime(2027, 6, 20, 9, 0))
    page.goto(url(example_site, "index.html"))
    section = page.locator(".this-month")
    assert "You are in month 6: An introduction from the network" in section.inner_text()
    # Month 6 met on Thursday 10 June; month 7 meets on the second Thursday of July, the 8th.
    assert "month 7: Mid-point review" in section.inner_text() and "(in 18 days)" in section.inner_text()
    assert "Each goal against the plan" in section.inner_text()  # month 7's agenda
    overdue = section.locator(".this-month__overdue li")
    before = overdue_count(page)
    assert before > 0
    newest = overdue.first.inner_text()  # newest first: what was due last, before 20 June
    assert "due Thursday, June 17, 2027" in newest or "June 1" in newest

    item = overdue.first.locator("a").inner_text()
    month = re.search(r"month (\d+)", newest)[1]  # type: ignore[index]
    overdue.first.locator("a").click()
    page.wait_for_url(lambda address: f"?for=twelve-months/{month}" in address)  # and its scripts, which keep the tick
    page.locator("form.checklist li.check", has_text=item).locator("input[type=checkbox]").check()
    page.goto(url(example_site, "index.html"))
    assert overdue_count(page) == before - 1


def overdue_count(page: Any) -> int:
    heading = page.locator(".this-month h3", has_text="Overdue").inner_text()  # "Overdue (N)"
    return int(heading.rsplit("(", 1)[1].rstrip(")"))


def test_before_the_first_meeting_this_month_says_when_it_is(page: Any, example_site: Path) -> None:
    page.clock.set_fixed_time(dt.datetime(2027, 1, 4, 9, 0))
    page.goto(url(example_site, "programs/twelve-months/index.html"))
    text = page.locator(".this-month").inner_text()
    assert "The first meeting, month 1: Kick-off" in text and "(in 10 days)" in text


def test_a_reader_picks_a_start_date_and_gets_a_calendar(page: Any, example_site: Path, tmp_path: Path) -> None:
    page.clock.set_fixed_time(dt.datetime(2027, 6, 20, 9, 0))
    page.goto(url(example_site, "programs/twelve-months/index.html"))
    page.fill("#start-twelve-months", "2027-03-31")  # the first second Thursday from then is 8 April
    assert "You are in month 3: Role and pay" in page.locator(".this-month").inner_text()  # met on 10 June
    with page.expect_download() as download:
        page.click("button[data-action=download-calendar]")
    saved = tmp_path / "calendar.ics"
    download.value.save_as(saved)
    found = [c for c in icalendar.Calendar.from_ical(saved.read_bytes()).walk() if c.name == "VEVENT"]
    utc = dt.timezone.utc
    assert [e.decoded("dtstart") for e in found][:4] == [  # 10:00 in London, summer time: 09:00 UTC
        dt.datetime(2027, 4, 8, 9, 0, tzinfo=utc),
        dt.datetime(2027, 5, 13, 9, 0, tzinfo=utc),
        dt.datetime(2027, 6, 10, 9, 0, tzinfo=utc),
        dt.datetime(2027, 7, 8, 9, 0, tzinfo=utc),
    ]
    assert {e.decoded("duration") for e in found} == {dt.timedelta(minutes=60)}
    assert len(found) == 12 and str(found[1]["summary"]) == "Month 2: Chart the plan"

    page.reload()
    assert page.input_value("#start-twelve-months") == "2027-03-31"


def test_my_progress_gathers_everything_and_travels(browser: Any, example_site: Path, tmp_path: Path) -> None:
    first = browser.new_context(accept_downloads=True)
    page = first.new_page()
    page.goto(url(example_site, "checklists/first-meeting/index.html"))
    page.locator("form.checklist input[type=checkbox]").first.check()
    page.goto(url(example_site, "worksheets/vision/index.html"))
    page.fill("#vision-current-role", "Analyst")
    page.goto(url(example_site, "progress/index.html"))
    assert "1 of" in page.locator(".progress-table tr", has_text="Month 1: Kick-off").inner_text()
    assert page.locator("[data-answers='worksheet:twelve-months:vision']").inner_text().startswith("1 of ")
    with page.expect_download() as download:
        page.click("button[data-action=export-all]")
    exported = tmp_path / "progress.json"
    download.value.save_as(exported)
    first.close()
    data = json.loads(exported.read_text())
    assert data["format"] == "playbook-progress"
    assert set(data["items"]) == {"checklist:first-meeting:twelve-months/1", "worksheet:twelve-months:vision"}

    other = browser.new_context()  # another computer: nothing saved yet
    try:
        page = other.new_page()
        page.goto(url(example_site, "progress/index.html"))
        page.on("dialog", lambda dialog: dialog.accept())
        with page.expect_navigation():
            page.set_input_files("input[data-action=import-all]", str(exported))
        # The restore writes, then reloads at once: wait until the reloaded page sees both writes
        # (Chromium may hand it storage before they arrive), so the pages opened next see them too.
        restored = "() => Object.keys(localStorage).filter(k => /:(checklist|worksheet):/.test(k)).length === 2"
        page.wait_for_function(restored)
        page.goto(url(example_site, "worksheets/vision/index.html"))
        assert page.input_value("#vision-current-role") == "Analyst"
        page.goto(url(example_site, "checklists/first-meeting/index.html"))
        assert page.locator("form.checklist input[type=checkbox]").first.is_checked()
    finally:
        other.close()


class NotFoundHandler(SimpleHTTPRequestHandler):
    """A static server that answers missing addresses with the site's 404 page, as hosts do."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "mentoring" / "404.html"
        if code != 404 or not page.exists():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def published_site(project: Callable[..., Path], tmp_path: Path) -> Iterator[str]:
    root = project(
        {"playbook.yaml": (MINIMAL / "playbook.yaml").read_text() + "base_url: https://example.org/mentoring/\n"}
    )
    build(root, root / "_site")
    www = tmp_path / "www"
    shutil.copytree(root / "_site", www / "mentoring")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(NotFoundHandler, directory=str(www)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/mentoring/"
    server.shutdown()
    server.server_close()


def test_the_404_page_works_at_any_depth(page: Any, published_site: str) -> None:
    failed: list[str] = []
    page.on(
        "response",
        lambda response: (
            failed.append(response.url) if response.status >= 400 and "missing" not in response.url else None
        ),
    )
    response = page.goto(published_site + "guides/old/missing/page.html")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("system-ui")
    page.click("text=Go to the start of Minimal Playbook")
    assert page.url == published_site + "index.html"
    assert failed == []
