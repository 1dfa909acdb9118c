"""Repeating worksheets: one dated instance per occurrence, each with its own answers, listed on My progress."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from generator.build import check
from generator.cohort_dates import occurrences
from generator.schedule import meetings

PULSE = "worksheets/pulse-check/index.html"
PROGRESS = "progress/index.html"
OPTION = re.compile(r'<option value="(\d+)"[^>]* data-day="([\d-]+)"[^>]*>([^<]*)</option>')


def url(site: Path, page: str) -> str:
    return f"{site.as_uri()}/{page}"


def test_the_page_offers_each_instance_with_its_date(example_site: Path, example_project: Path) -> None:
    site = check(example_project).site
    program = site.playbook.programs["twelve-months"]
    for worksheet_id, title in (("pulse-check", "Pulse check"), ("meeting-notes", "Meeting notes")):
        worksheet = site.playbook.worksheets[worksheet_id]
        assert worksheet.repeat is not None
        expected = occurrences(worksheet.repeat, program, site.meetings[program.id])
        html = (example_site / f"worksheets/{worksheet_id}/index.html").read_text(encoding="utf-8")
        found = OPTION.findall(html)
        assert [(int(n), day) for n, day, _ in found] == [(o.number, o.day.isoformat()) for o in expected if o.day]
        assert all(label.startswith(f"{title} {n} · ") for n, _, label in found)
    pulse = OPTION.findall((example_site / PULSE).read_text(encoding="utf-8"))
    assert len(pulse) == 5 and pulse[0][2] == "Pulse check 1 · Monday, February 15, 2027"  # 30 days on is a Saturday


def fill(page: Any, useful: str, change: str) -> None:
    page.check(f"input[name=useful][value='{useful}']")
    page.fill("#pulse-check-change", change)


def answers(page: Any) -> tuple[str, str]:
    useful = page.eval_on_selector("form.worksheet", "form => form.elements.useful.value")
    return useful, page.input_value("#pulse-check-change")


def test_each_instance_keeps_its_own_answers_and_they_travel_in_a_backup(
    page: Any, browser: Any, example_site: Path, tmp_path: Path
) -> None:
    page.goto(url(example_site, PULSE + "?n=1"))
    assert page.inner_text("h1") == "Pulse check 1"
    assert page.inner_text(".instance-now") == "Monday, February 15, 2027 · 1 of 5"
    fill(page, "2", "Meet every month")
    page.select_option("#instance", "2")  # the picker shows the other instance, blank so far
    assert page.inner_text("h1") == "Pulse check 2" and answers(page) == ("", "")
    fill(page, "4", "Agree an agenda first")
    assert "Pulse check 2 saved in this browser" in page.inner_text(".toolbar__status")

    page.goto(url(example_site, PULSE + "?n=1"))
    assert answers(page) == ("2", "Meet every month")
    page.goto(url(example_site, PULSE + "?n=2"))
    assert answers(page) == ("4", "Agree an agenda first")
    # A blank print still says which pulse check it is, and when.
    page.evaluate(
        "window.print = () => { window.printed = [document.querySelector('h1').innerText, "
        "document.querySelector('.instance-now').innerText, document.querySelector('#pulse-check-change').value]; }"
    )
    page.get_by_text("Save, print or clear").click()
    page.click("button[data-action=print-blank]")
    assert page.evaluate("window.printed") == ["Pulse check 2", "Wednesday, April 14, 2027 · 2 of 5", ""]
    with page.expect_download() as one:
        page.click("button[data-action=export-json]")
    assert one.value.suggested_filename == "pulse-check-2-answers.json"
    assert json.loads(Path(one.value.path()).read_text(encoding="utf-8"))["instance"] == 2

    page.goto(url(example_site, PROGRESS))
    lines = page.locator(".instance-list li")
    assert lines.count() == 5 + 12  # the pulse checks, then the meeting notes
    texts = [" ".join(lines.nth(i).inner_text().split()) for i in range(17)]
    assert "Pulse check 1 · Monday, February 15, 2027 2 of 3 questions answered" in texts
    assert "Pulse check 2 · Wednesday, April 14, 2027 2 of 3 questions answered" in texts
    assert "Pulse check 3 · Monday, June 14, 2027 Not started" in texts
    with page.expect_download() as download:
        page.click("button[data-action=export-all]")
    backup = tmp_path / "progress.json"
    download.value.save_as(backup)
    items = json.loads(backup.read_text(encoding="utf-8"))["items"]
    assert {"worksheet:twelve-months:pulse-check@1", "worksheet:twelve-months:pulse-check@2"} <= set(items)
    assert page.errors == []

    fresh = browser.new_context()
    try:
        other = fresh.new_page()
        other.goto(url(example_site, PROGRESS))
        other.on("dialog", lambda dialog: dialog.accept())
        with other.expect_navigation():
            other.set_input_files("input[data-action=import-all]", str(backup))
        assert other.get_by_role("link", name="Pulse check 2 · Wednesday, April 14, 2027").is_visible()
        assert other.locator("[data-answers$='pulse-check@2']").inner_text() == "2 of 3 questions answered"
        other.goto(url(example_site, PULSE + "?n=1"))
        assert answers(other) == ("2", "Meet every month")
        other.goto(url(example_site, PULSE + "?n=2"))
        assert answers(other) == ("4", "Agree an agenda first")
    finally:
        fresh.close()


def test_a_start_date_the_reader_picks_dates_the_instances_as_the_build_would(
    page: Any, example_site: Path, example_project: Path
) -> None:
    site = check(example_project).site
    program = site.playbook.programs["twelve-months"]
    worksheet = site.playbook.worksheets["pulse-check"]
    assert worksheet.repeat is not None
    start = dt.date(2027, 3, 1)
    expected = [
        f"Pulse check {o.number} · {site.date_style.date(o.day)}"
        for o in occurrences(worksheet.repeat, program, meetings(program, start))
        if o.day
    ]
    page.goto(url(example_site, PULSE))
    page.evaluate(f"localStorage.setItem('playbook:{site.storage_key}:start:twelve-months', '{start.isoformat()}')")
    page.reload()
    shown = page.eval_on_selector_all("#instance option", "options => options.map(o => o.textContent)")
    # How many there are stays the build's (five), though this start would make room for a sixth.
    assert shown == expected[: len(shown)] and len(shown) == 5
    assert page.errors == []
