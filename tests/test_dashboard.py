"""The program lead's dashboard, in a real browser from disk: progress files pairs export are imported
several at once, each checked whole; one row per pair; sort, filter, spreadsheet; and the pair page
button that makes a browser's backup name its pair."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from test_accessibility import violations

from sitecheck import storage_key

COHORT = "spring-2027"
DASHBOARD = f"cohorts/{COHORT}/dashboard/index.html"
TODAY = "2027-06-01T12:00:00"  # the browser's clock: five months into the cohort
HOSTILE = "<img src=x onerror=window.__pwned=1>"


@pytest.fixture(scope="module")
def data(example_site: Path) -> dict[str, Any]:
    """The dashboard's own page data: the months' checklist keys, each pair's instance dates."""
    text = (example_site / DASHBOARD).read_text(encoding="utf-8")
    found = re.search(r'<script type="application/json" id="dashboard-data">(.*?)</script>', text, re.DOTALL)
    assert found is not None
    parsed: dict[str, Any] = json.loads(found.group(1))
    return parsed


def backup(site: Path, items: dict[str, Any], exported: str = "2027-05-30T09:00:00Z") -> str:
    """A progress file as a pair's browser exports it (progress.js): every value is text."""
    texts = {key: value if isinstance(value, str) else json.dumps(value) for key, value in items.items()}
    file = {"format": "playbook-progress", "version": 1, "playbook": storage_key(site), "exported": exported}
    return json.dumps({**file, "items": texts})


def ticks(data: dict[str, Any], month: int, how_many: int) -> dict[str, dict[str, bool]]:
    """The first `how_many` ticks of the monthly meeting checklist in `month`."""
    use = next(c for c in data["months"][month - 1]["checklists"] if c["c"] == "monthly-meeting")
    return {f"checklist:monthly-meeting:{use['u']}": {key: True for key in use["k"][:how_many]}}


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path: Path, example_site: Path, data: dict[str, Any]) -> list[Path]:
    """Three pairs' files: ticks in months 1 to 3, meeting notes, a pulse check."""
    monthly = len(ticks(data, 2, 99)["checklist:monthly-meeting:twelve-months/2"])
    assert monthly > 5
    amara = {
        "pair:spring-2027": "amara-and-jon",
        **ticks(data, 1, 2),
        **ticks(data, 2, monthly),
        **ticks(data, 3, 5),
        "worksheet:twelve-months:meeting-notes@3": {"met-on": "2027-03-11", "decided": "Goals for the year"},
        "worksheet:twelve-months:pulse-check@2": {"useful": "4", "met": "Twice"},
        "worksheet:twelve-months:vision": {"where": "Private thoughts the lead does not need"},
    }
    beatriz = {  # met once, long ago: the notes have no date, so the meeting's own date counts
        "pair:spring-2027": "beatriz-and-lena",
        **ticks(data, 1, 3),
        "worksheet:twelve-months:meeting-notes@1": {"decided": "Met and agreed the year"},
    }
    chidi = {
        "pair:spring-2027": "chidi-and-sofia",
        **ticks(data, 1, 1),
        **ticks(data, 2, 2),
        "worksheet:twelve-months:meeting-notes@2": {"met-on": "2027-05-20"},
    }
    return [
        write(tmp_path, name, backup(example_site, items))
        for name, items in (("amara.json", amara), ("beatriz.json", beatriz), ("chidi.json", chidi))
    ]


def row(page: Any, pair: str) -> Any:
    return page.locator(f"tr[data-pair='{pair}']")


def open_dashboard(page: Any, site: Path) -> None:
    page.clock.set_fixed_time(TODAY)
    page.goto(f"{site.as_uri()}/{DASHBOARD}")


def import_files(page: Any, paths: list[Path]) -> str:
    before = page.locator(".dashboard-import__report").inner_text()
    page.set_input_files("#dashboard-files", [str(p) for p in paths])
    page.wait_for_function(
        "before => document.querySelector('.dashboard-import__report').innerText !== before", arg=before
    )
    text: str = page.locator(".dashboard-import__report").inner_text()
    return text


def visible_pairs(page: Any) -> list[str]:
    found: list[str] = page.eval_on_selector_all(
        "table.dashboard tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.pair)"
    )
    return found


def test_three_files_at_once_make_three_rows(
    page: Any, example_site: Path, data: dict[str, Any], files: list[Path], tmp_path: Path
) -> None:
    open_dashboard(page, example_site)
    assert row(page, "amara-and-jon").locator(".dashboard__month").inner_text() == "No file yet"

    report = import_files(page, files)

    assert "Imported 3 of 3 files" in report
    months = {p: row(page, p).locator(".dashboard__month").inner_text() for p in ("amara-and-jon", "beatriz-and-lena")}
    assert months == {"amara-and-jon": "Month 3", "beatriz-and-lena": "Month 1"}
    assert row(page, "chidi-and-sofia").locator(".dashboard__month").inner_text() == "Month 2"
    amara = row(page, "amara-and-jon")
    said = " ".join(amara.locator(".ticks .visually-hidden").all_text_contents())  # eyes get "2/13", ears words
    assert "Month 1: 2 of" in said and "Month 3: 5 of" in said and "Month 4: 0 of" in said
    assert re.search(r"Month 2: (\d+) of \1 ticked", said)
    assert amara.locator(".dashboard__check-in").inner_text().endswith("4/5")
    assert "82 days ago" in amara.locator(".dashboard__meeting").inner_text()  # 11 March to 1 June
    assert amara.locator(".dashboard__follow-up").inner_text() == "No"
    assert "Needs follow-up" in row(page, "beatriz-and-lena").locator(".dashboard__follow-up").inner_text()
    assert "no file yet" in row(page, "dmitri-and-priya").locator(".dashboard__follow-up").inner_text()

    page.reload()

    assert row(page, "amara-and-jon").locator(".dashboard__month").inner_text() == "Month 3"
    assert row(page, "chidi-and-sofia").locator(".dashboard__file").inner_text().startswith("File saved")
    kept = page.evaluate("key => localStorage.getItem(key)", f"playbook:{storage_key(example_site)}:dashboard:{COHORT}")
    assert "Goals for the year" in kept and "Private thoughts" not in kept  # only what the dashboard reads
    assert violations(page) == []  # axe, with the rows filled in

    # The pair's other person sends a file too, later: the ticks of both count, and their newer check-in.
    mentor = {
        "pair:spring-2027": "amara-and-jon",
        **ticks(data, 4, 1),
        "worksheet:twelve-months:pulse-check@2": {"useful": "2"},
    }
    import_files(page, [write(tmp_path, "mentor.json", backup(example_site, mentor, "2027-05-31T08:00:00Z"))])
    assert amara.locator(".dashboard__month").inner_text() == "Month 4"
    assert "Month 1: 2 of" in " ".join(amara.locator(".ticks .visually-hidden").all_text_contents())
    assert amara.locator(".dashboard__check-in").inner_text().endswith("2/5")
    assert page.errors == []


def test_a_hostile_file_is_refused_by_name_and_runs_nothing(
    page: Any, example_site: Path, files: list[Path], tmp_path: Path
) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_dashboard(page, example_site)
    hostile = write(
        tmp_path,
        f"{HOSTILE}.json",
        backup(example_site, {"pair:spring-2027": "amara-and-jon", "worksheet:twelve-months:x@1": {"a": [1]}}),
    )
    impostor = write(
        tmp_path,
        "impostor.json",
        backup(example_site, {"pair:spring-2027": HOSTILE, "worksheet:twelve-months:meeting-notes@1": {"a": HOSTILE}}),
    )
    broken = write(tmp_path, "broken.json", '{"format": "playbook-progress", "items": {')

    report = import_files(page, [hostile, impostor, broken, files[0]])

    assert "Imported 1 of 4 files: Amara Osei & Jon Whitaker" in report
    assert f"{HOSTILE}.json is damaged" in report  # its name is shown as text, never as markup
    assert "impostor.json names no pair of this cohort: ask them to press “This is our pair”" in report
    assert "broken.json is not a progress backup" in report
    assert page.evaluate("window.__pwned") is None
    assert dialogs == [] and page.locator("main img").count() == 0
    kept = page.evaluate("() => JSON.stringify(localStorage)")
    assert "onerror" not in kept and "chidi-and-sofia" not in kept
    assert page.errors == []


def test_sort_filter_and_spreadsheet(page: Any, example_site: Path, files: list[Path], tmp_path: Path) -> None:
    open_dashboard(page, example_site)
    import_files(page, files)

    page.get_by_role("button", name="Month reached").click()
    assert visible_pairs(page) == ["dmitri-and-priya", "beatriz-and-lena", "chidi-and-sofia", "amara-and-jon"]
    assert page.locator("th[data-sort='month']").get_attribute("aria-sort") == "ascending"
    page.get_by_role("button", name="Month reached").click()
    assert visible_pairs(page)[0] == "amara-and-jon"
    assert page.locator("th[data-sort='month']").get_attribute("aria-sort") == "descending"

    page.get_by_label("Find a pair").fill("sofia")  # finds Sofía too
    assert visible_pairs(page) == ["chidi-and-sofia"]
    page.get_by_label("Find a pair").fill("")
    page.get_by_label("Only pairs that need a follow-up").check()
    assert sorted(visible_pairs(page)) == ["beatriz-and-lena", "dmitri-and-priya"]
    assert page.locator(".dashboard-filters__count").inner_text() == "Showing 2 of 4 pairs."
    page.get_by_label("Only pairs that need a follow-up").uncheck()

    with page.expect_download() as download:
        page.get_by_role("button", name="Save the rows shown as a spreadsheet (.csv)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == f"{COHORT}-dashboard.csv"
    raw = saved.read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["pair id"] for r in rows] == ["amara-and-jon", "chidi-and-sofia", "beatriz-and-lena", "dmitri-and-priya"]
    assert rows[0]["month reached"] == "3" and rows[0]["month 3 ticks"].startswith("5 of ")
    assert rows[0]["last meeting"] == "2027-03-11" and rows[0]["days since last meeting"] == "82"
    assert rows[1]["pair"] == "Chidi Okonkwo & Sofía Ramírez"
    assert rows[3]["file saved"] == "no file yet" and rows[3]["follow-up"] == "needs follow-up: no file yet"

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Forget the imported files").click()
    page.reload()
    assert page.locator(".dashboard__month").all_inner_texts() == ["No file yet"] * 4
    assert page.errors == []


def test_a_pair_page_makes_the_backup_name_the_pair(page: Any, example_site: Path, tmp_path: Path) -> None:
    page.goto(f"{example_site.as_uri()}/cohorts/{COHORT}/pairs/amara-and-jon/index.html")
    claim = page.locator(".pair-claim")
    assert "does not say yet" in claim.locator("[role=status]").inner_text()
    page.get_by_role("button", name="This is our pair").click()
    assert "This browser belongs to Amara Osei & Jon Whitaker." in claim.locator("[role=status]").inner_text()
    assert violations(page, ".pair-claim") == []
    page.goto(f"{example_site.as_uri()}/progress/index.html")
    with page.expect_download() as download:
        page.get_by_role("button", name="Save a backup file").click()
    saved = tmp_path / "progress.json"
    download.value.save_as(saved)
    assert json.loads(saved.read_text(encoding="utf-8"))["items"]["pair:spring-2027"] == "amara-and-jon"

    page.go_back()
    page.get_by_role("button", name="Undo: this browser belongs to no pair").click()
    assert "does not say yet" in claim.locator("[role=status]").inner_text()
    assert page.errors == []
