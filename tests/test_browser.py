"""What readers do in a real browser: tick, fill in, export, import, choose a role, open from disk or a server."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

MONTHLY = "checklists/monthly-meeting/index.html"
VISION = "worksheets/vision/index.html"


def url(site: Path, page: str) -> str:
    return f"{site.as_uri()}/{page}"


def test_ticks_survive_a_reload_from_disk(page: Any, example_site: Path) -> None:
    page.goto(url(example_site, "checklists/first-meeting/index.html"))
    boxes = page.locator("form.checklist input[type=checkbox]")
    total = boxes.count()
    boxes.nth(0).check()
    boxes.nth(2).check()
    assert page.inner_text(".toolbar .progress") == f"IN PROGRESS 2 of {total} ticked"

    page.reload()

    assert boxes.nth(0).is_checked() and boxes.nth(2).is_checked()
    assert not boxes.nth(1).is_checked()
    assert f"2 of {total} ticked" in page.inner_text(".toolbar .progress")
    assert page.errors == []


def test_a_checklist_used_every_month_is_ticked_for_each_month(page: Any, example_site: Path) -> None:
    page.goto(url(example_site, MONTHLY + "?for=twelve-months/6"))
    assert page.input_value("#ticks-for") == "twelve-months/6"
    page.locator("form.checklist input[type=checkbox]").first.check()

    page.goto(url(example_site, MONTHLY + "?for=twelve-months/7"))
    assert not page.locator("form.checklist input[type=checkbox]").first.is_checked()
    page.select_option("#ticks-for", "twelve-months/6")
    assert page.locator("form.checklist input[type=checkbox]").first.is_checked()

    page.goto(url(example_site, "programs/twelve-months/month-06/index.html"))
    card = page.locator(".card--checklist", has_text="monthly meeting")
    assert "1 of" in card.locator(".progress").inner_text()
    page.goto(url(example_site, "programs/twelve-months/index.html"))
    assert "IN PROGRESS" in page.locator(".step[value='6'] .progress").inner_text()
    assert "NOT STARTED" in page.locator(".step[value='7'] .progress").inner_text()


def test_untick_all_clears_only_this_checklist(page: Any, example_site: Path) -> None:
    page.goto(url(example_site, "checklists/first-meeting/index.html"))
    page.locator("form.checklist input[type=checkbox]").first.check()
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button[data-action=reset]")
    assert page.locator("form.checklist input[type=checkbox]:checked").count() == 0
    page.reload()
    assert page.locator("form.checklist input[type=checkbox]:checked").count() == 0


def fill_vision(page: Any) -> None:
    page.fill("#vision-current-role", "Product manager, payments")
    page.fill("#vision-energy", "Talking to customers.\nLong planning meetings drain me.")
    page.check("input[name=satisfaction][value='4']")
    page.fill("#vision-one-year-evidence-1", "Lead the checkout launch")


def test_worksheet_answers_survive_a_reload_from_disk(page: Any, example_site: Path) -> None:
    page.goto(url(example_site, VISION))
    fill_vision(page)
    assert "Saved in this browser" in page.inner_text(".toolbar__status")

    page.reload()

    assert page.input_value("#vision-current-role") == "Product manager, payments"
    assert page.input_value("#vision-energy") == "Talking to customers.\nLong planning meetings drain me."
    assert page.is_checked("input[name=satisfaction][value='4']")
    assert page.input_value("#vision-one-year-evidence-1") == "Lead the checkout launch"
    assert page.errors == []


def test_every_field_type_keeps_its_answer(page: Any, example_site: Path) -> None:
    page.goto(url(example_site, "worksheets/role-and-compensation/index.html"))
    form = page.locator("form.worksheet")
    filled: dict[str, Any] = {}
    for kind in ("short_text", "long_text", "date", "list", "table", "scale", "choice"):
        field = form.locator(f".field--{kind}").first
        if kind in ("scale", "choice"):
            choice = field.locator("input").last
            choice.check()
            filled[kind] = choice.get_attribute("value")
        else:
            box = field.locator("input, textarea").first
            box.fill("2027-03-01" if kind == "date" else f"answer for {kind}")
            filled[kind] = box.input_value()
    assert "Saved in this browser" in page.inner_text(".toolbar__status")
    page.reload()
    for kind, value in filled.items():
        field = form.locator(f".field--{kind}").first
        if kind in ("scale", "choice"):
            assert field.locator("input:checked").get_attribute("value") == value
        else:
            assert field.locator("input, textarea").first.input_value() == value, kind
    assert page.errors == []


def open_actions(page: Any) -> None:
    """Open the worksheet's one menu of actions, where its buttons wait."""
    page.get_by_text("Save, print or clear").click()


def test_worksheet_actions_wait_in_one_menu(page: Any, example_site: Path) -> None:
    page.goto(url(example_site, VISION))
    save = page.get_by_role("button", name="Save a backup file")
    assert page.locator(".toolbar__status").is_visible() and save.is_hidden()
    open_actions(page)
    assert save.is_visible()
    assert page.get_by_role("button", name="Save as a text document (Markdown)").is_visible()
    assert page.get_by_text("Restore from a backup file").is_visible()


def test_export_then_import_brings_the_answers_back(page: Any, example_site: Path, tmp_path: Path) -> None:
    page.goto(url(example_site, VISION))
    fill_vision(page)
    open_actions(page)
    with page.expect_download() as download:
        page.click("button[data-action=export-json]")
    assert "backup file vision-answers.json" in page.inner_text(".toolbar__status")
    exported = tmp_path / download.value.suggested_filename
    download.value.save_as(exported)
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["worksheet"] == "vision" and data["program"] == "twelve-months"
    assert data["answers"]["current-role"] == "Product manager, payments"
    assert data["answers"]["satisfaction"] == "4"

    with page.expect_download() as markdown:
        page.click("button[data-action=export-markdown]")
    text = Path(markdown.value.path()).read_text(encoding="utf-8")
    assert text.startswith("# One, five and ten-year vision")
    assert "**What is your current role, and how long have you been in it?**\n\nProduct manager, payments" in text
    assert "1. Lead the checkout launch" in text

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button[data-action=clear]")
    assert page.input_value("#vision-current-role") == ""
    page.reload()
    assert page.input_value("#vision-current-role") == ""

    page.set_input_files("input[data-action=import]", str(exported))
    page.wait_for_function("document.querySelector('#vision-current-role').value !== ''")
    assert page.inner_text(".toolbar__status").startswith("Restored the answers from")
    assert page.input_value("#vision-current-role") == "Product manager, payments"
    assert page.is_checked("input[name=satisfaction][value='4']")
    page.reload()
    assert page.input_value("#vision-energy").startswith("Talking to customers.")


def test_import_refuses_another_worksheets_file(page: Any, example_site: Path, tmp_path: Path) -> None:
    other = tmp_path / "goals.json"
    other.write_text(
        json.dumps(
            {
                "format": "playbook-worksheet",
                "worksheet": "one-year-goals",
                "title": "One-year goals",
                "answers": {"current-role": "x"},
            }
        )
    )
    page.goto(url(example_site, VISION))
    page.set_input_files("input[data-action=import]", str(other))
    page.wait_for_function("document.querySelector('.toolbar__status').textContent.includes('not this worksheet')")
    assert page.input_value("#vision-current-role") == ""


PROGRESS = "progress/index.html"
# What this playbook keeps in the browser, by key (the filler the storage-full test adds is not among it).
KEPT = "() => Object.fromEntries(Object.keys(localStorage).filter(k => k.startsWith('playbook:')).map(k => [k, localStorage[k]]))"

# Fills the browser's storage until less than a kilobyte is left.
FILL_STORAGE = """() => {
    for (let size = 1 << 20, i = 0; size >= 1024; ) {
        try { localStorage.setItem("filler:" + i, "f".repeat(size)); i += 1; } catch (error) { size >>= 1; }
    }
}"""


def keep(page: Any, items: dict[str, str]) -> None:
    """Put `items` in the browser as the playbook keeps them, by their short names."""
    page.evaluate("items => { for (const [k, v] of Object.entries(items)) localStorage[Playbook.key(k)] = v; }", items)


def status_says(page: Any, words: str) -> None:
    page.wait_for_function("words => document.querySelector('.toolbar__status').textContent.includes(words)", arg=words)


def progress_file(items: object) -> str:
    return json.dumps({"format": "playbook-progress", "version": 1, "playbook": "mentoring", "items": items})


def worksheet_file(answers: object, worksheet: str = "vision") -> str:
    return json.dumps({"format": "playbook-worksheet", "version": 1, "worksheet": worksheet, "answers": answers})


BEFORE = {
    "checklist:first-meeting:twelve-months/1": '{"agree-goals":true}',
    "worksheet:twelve-months:vision": '{"current-role":"Analyst"}',
}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (progress_file(None), "This backup has no checklists, worksheets or guides in it; nothing was changed."),
        (progress_file([BEFORE]), "This backup has no checklists, worksheets or guides in it; nothing was changed."),
        (json.dumps([json.loads(progress_file(BEFORE))]), "This file is not a Playbook backup; nothing was changed."),
        ("Name,Ticked\nfirst-meeting,yes\n", "This file is not a Playbook backup; nothing was changed."),
        (
            progress_file({"worksheet:twelve-months:vision": None}),
            "This backup is damaged (at “worksheet:twelve-months:vision”)",
        ),
        (
            progress_file({"worksheet:twelve-months:vision": "null"}),
            "This backup is damaged (at “worksheet:twelve-months:vision”)",
        ),
        (
            progress_file({"checklist:first-meeting:all": '{"a": 1}'}),
            "This backup is damaged (at “checklist:first-meeting:all”)",
        ),
        (progress_file({"guide:x": "[true, null]"}), "This backup is damaged"),
        (progress_file({"start:twelve-months": "soon"}), "This backup is damaged"),
        (progress_file({"lens": "mentor"}), "This backup is damaged (at “lens”)"),
        (worksheet_file({}), "This file is the backup of one worksheet: restore it on that worksheet’s page"),
    ],
    ids=[
        "items-null",
        "items-array",
        "array",
        "not-json",
        "item-null",
        "answers-null",
        "tick-number",
        "task-null",
        "date",
        "unknown",
        "worksheet",
    ],
)
def test_restoring_progress_refuses_a_wrong_file_and_says_why(
    page: Any, example_site: Path, tmp_path: Path, text: str, message: str
) -> None:
    page.goto(url(example_site, PROGRESS))
    keep(page, BEFORE)
    before = page.evaluate(KEPT)
    chosen = tmp_path / "progress.json"
    chosen.write_text(text, encoding="utf-8")
    page.set_input_files("input[data-action=import-all]", str(chosen))
    status_says(page, message)
    assert page.evaluate(KEPT) == before
    assert page.errors == []


def test_restoring_progress_refuses_a_huge_file_before_reading_it(
    page: Any, example_site: Path, tmp_path: Path
) -> None:
    huge = tmp_path / "progress.json"
    start = '{"format": "playbook-progress", "playbook": "mentoring", "items": {"checklist:first-meeting:all": "{}", "worksheet:twelve-months:vision": "'
    with huge.open("w", encoding="utf-8") as out:  # a real backup, only too big: 50 MB of one answer
        out.write(start + "x" * (50 * 1024 * 1024 - len(start) - 3) + '"}}')
    page.goto(url(example_site, PROGRESS))
    keep(page, BEFORE)
    before = page.evaluate(KEPT)
    page.set_input_files("input[data-action=import-all]", str(huge))
    status_says(page, "This file is too big to be a backup (50 MB); nothing was changed.")
    assert page.evaluate(KEPT) == before
    assert page.errors == []


def test_restoring_progress_into_a_full_browser_changes_nothing(page: Any, example_site: Path, tmp_path: Path) -> None:
    backup = tmp_path / "progress.json"
    answers = json.dumps({"current-role": "Lead", "energy": "y" * 200_000})
    backup.write_text(
        progress_file(
            {"checklist:first-meeting:twelve-months/1": '{"x":true}', "worksheet:twelve-months:vision": answers}
        )
    )
    page.goto(url(example_site, PROGRESS))
    keep(page, BEFORE)
    before = page.evaluate(KEPT)
    page.evaluate(FILL_STORAGE)  # the small first item still fits, the answers do not
    page.on("dialog", lambda dialog: dialog.accept())
    page.set_input_files("input[data-action=import-all]", str(backup))
    status_says(page, "Your browser has no room to keep this backup; nothing was changed.")
    assert page.evaluate(KEPT) == before
    page.reload()
    assert page.errors == []

    page.evaluate(
        "() => Object.keys(localStorage).filter(k => k.startsWith('filler:')).forEach(k => localStorage.removeItem(k))"
    )
    with page.expect_navigation():  # with room again, the same backup is restored whole
        page.set_input_files("input[data-action=import-all]", str(backup))
    page.goto(url(example_site, VISION))
    assert page.input_value("#vision-current-role") == "Lead"
    assert page.input_value("#vision-energy") == "y" * 200_000
    assert page.evaluate(KEPT)[page.evaluate("Playbook.key('checklist:first-meeting:twelve-months/1')")] == '{"x":true}'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (worksheet_file(None), "This backup has no answers; nothing was changed."),
        (worksheet_file(["Analyst"]), "This backup has no answers; nothing was changed."),
        (worksheet_file({"current-role": 5}), "This backup’s answers are damaged; nothing was changed."),
        (worksheet_file({"values": ["a", None]}), "This backup’s answers are damaged; nothing was changed."),
        ("null", "This file is not a Playbook backup; nothing was changed."),
        ("<html>not a backup</html>", "This file is not a Playbook backup; nothing was changed."),
        (progress_file({}), "This file is a backup of all your progress: restore it on the My progress page"),
    ],
    ids=["answers-null", "answers-array", "answer-number", "choice-null", "null", "not-json", "progress"],
)
def test_restoring_a_worksheet_refuses_a_wrong_file_and_says_why(
    page: Any, example_site: Path, tmp_path: Path, text: str, message: str
) -> None:
    page.goto(url(example_site, VISION))
    page.fill("#vision-current-role", "Analyst")
    before = page.evaluate(KEPT)
    chosen = tmp_path / "vision-answers.json"
    chosen.write_text(text, encoding="utf-8")
    page.set_input_files("input[data-action=import]", str(chosen))
    status_says(page, message)
    assert page.input_value("#vision-current-role") == "Analyst"
    assert page.evaluate(KEPT) == before
    assert page.errors == []


def test_restoring_a_worksheet_into_a_full_browser_keeps_the_page_as_it_was(
    page: Any, example_site: Path, tmp_path: Path
) -> None:
    backup = tmp_path / "vision-answers.json"
    backup.write_text(worksheet_file({"current-role": "Lead", "energy": "y" * 200_000}))
    page.goto(url(example_site, VISION))
    page.fill("#vision-current-role", "Analyst")
    before = page.evaluate(KEPT)
    page.evaluate(FILL_STORAGE)
    page.on("dialog", lambda dialog: dialog.accept())
    page.set_input_files("input[data-action=import]", str(backup))
    status_says(page, "Your browser has no room to keep this backup; nothing was changed.")
    assert page.input_value("#vision-current-role") == "Analyst" and page.input_value("#vision-energy") == ""
    assert page.evaluate(KEPT) == before
    assert page.errors == []


def test_print_blank_prints_no_answers_and_keeps_them(page: Any, example_site: Path) -> None:
    page.goto(url(example_site, VISION))
    fill_vision(page)
    # Record what the form holds at the moment the browser prints.
    page.evaluate("window.print = () => { window.printedRole = document.querySelector('#vision-current-role').value; }")
    open_actions(page)
    page.click("button[data-action=print-blank]")
    assert page.evaluate("window.printedRole") == ""
    assert page.input_value("#vision-current-role") == "Product manager, payments"


def test_guide_task_lists_remember_ticks(page: Any, example_site: Path) -> None:
    page.goto(url(example_site, "guides/getting-started/index.html"))
    boxes = page.locator(".task-list-item-checkbox")
    assert boxes.count() > 1
    boxes.first.check()
    page.reload()
    assert boxes.first.is_checked()
    assert f"1 of {boxes.count()} ticked" in page.inner_text("[data-progress-tasks]")


def test_the_next_guide_follows_the_reading_order_of_the_chosen_role(page: Any, example_site: Path) -> None:
    page.goto(url(example_site, "guides/getting-started/index.html"))
    following = page.locator(".pager a[rel=next]")
    assert "Choosing a mentor" in following.inner_text()  # everyone's order: the protégé's guides come first

    page.select_option("#lens", "mentor")
    assert "The six focus areas" in following.inner_text()  # the first guide a mentor reads after this one
    page.reload()
    following.click()
    assert page.url.endswith("guides/protege/focus-areas/index.html")
    assert "Getting started" in page.inner_text(".pager a[rel=prev]")

    page.select_option("#lens", "")
    assert "Why your manager should not be your mentor" in page.inner_text(".pager a[rel=prev]")
    assert page.errors == []


@pytest.mark.parametrize("width", [1280, 360])
def test_the_list_of_guides_is_beside_the_text_only_on_wide_screens(
    browser: Any, example_site: Path, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        page.goto(url(example_site, "guides/mentor/running-a-meeting/index.html"))
        if width == 360:
            page.get_by_text("Menu", exact=True).click()  # on a phone the lens is in the header's menu
        page.select_option("#lens", "mentor")
        text = page.locator("article.guide").bounding_box()
        side = page.locator("nav.sidebar").bounding_box()
        beside = side["x"] >= text["x"] + text["width"] and side["y"] < text["y"] + text["height"]
        assert beside == (width == 1280)
        if width == 360:
            assert side["y"] >= text["y"] + text["height"]  # the guide's text comes first
        listed = page.locator(".guide-list li")
        assert listed.filter(has_text="Running a meeting").locator("a[aria-current=page]").is_visible()
        assert listed.filter(has_text="Monitoring with pulse checks").is_hidden()  # for the program lead only
        assert listed.filter(has_text="What a mentor does").is_visible()
    finally:
        context.close()


def test_the_meeting_card_link_comes_before_the_goal(page: Any, example_site: Path) -> None:
    page.goto(url(example_site, "programs/twelve-months/month-06/index.html"))
    card = page.get_by_role("link", name="Print the meeting card")
    assert card.bounding_box()["y"] < page.locator(".goal").bounding_box()["y"]
    card.click()
    assert page.url.endswith("programs/twelve-months/month-06/card/index.html")


def test_role_lens_shows_one_role_and_is_remembered(page: Any, example_site: Path) -> None:
    month = url(example_site, "programs/twelve-months/month-06/index.html")
    page.goto(month)
    mentor = page.locator(".role-block[data-role=mentor]").first
    protege = page.locator(".role-block[data-role=protege]").first
    assert mentor.is_visible() and protege.is_visible()

    page.select_option("#lens", "mentor")
    assert mentor.is_visible() and not protege.is_visible()
    assert page.locator(".agenda li[data-role='protege']").first.is_hidden()
    assert page.locator(".agenda li[data-role~='mentor']").first.is_visible()

    page.goto(url(example_site, "checklists/first-meeting/index.html"))
    assert page.input_value("#lens") == "mentor"
    assert page.locator(".check[data-role=protege]").first.is_hidden()
    assert page.locator(".check[data-role~=mentor]").first.is_visible()

    page.select_option("#lens", "")
    page.goto(month)
    assert protege.is_visible()


def test_without_javascript_everything_is_shown(browser: Any, example_site: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(url(example_site, "programs/twelve-months/month-06/index.html"))
        assert page.locator(".role-block[data-role=protege]").first.is_visible()
        assert page.locator(".lens").is_hidden()
        page.goto(url(example_site, VISION))
        assert page.locator(".toolbar").is_hidden()
        assert page.locator("#vision-current-role").is_editable()
    finally:
        context.close()


@pytest.fixture
def sub_path_server(example_site: Path, tmp_path: Path) -> Iterator[str]:
    """The site served by a plain web server under /team/mentoring/."""
    root = tmp_path / "www"
    shutil.copytree(example_site, root / "team" / "mentoring")
    handler = partial(SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/team/mentoring/"
    server.shutdown()
    server.server_close()


def test_the_site_works_from_a_sub_path(page: Any, sub_path_server: str) -> None:
    failures: list[str] = []
    page.on("response", lambda response: failures.append(response.url) if response.status >= 400 else None)
    page.goto(sub_path_server + "index.html")
    page.click("a.card__title >> text=The twelve-month mentoring program")
    page.click("a.step__title >> text=Month 3")
    page.wait_for_url(sub_path_server + "programs/twelve-months/month-03/index.html")
    page.click(".card--worksheet a.card__title")
    page.wait_for_url("**/worksheets/role-and-compensation/index.html?for=twelve-months")  # and for its scripts
    fill_vision_like = page.locator("form.worksheet input[type=text]").first
    fill_vision_like.fill("served")
    status_says(page, "Saved in this browser")
    page.reload()
    assert fill_vision_like.input_value() == "served"
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("system-ui")  # the stylesheet loaded
    assert failures == []


def test_pages_ask_nothing_of_other_hosts(page: Any, example_site: Path) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    for target in (
        "index.html",
        "programs/twelve-months/month-06/index.html",
        VISION,
        "guides/getting-started/index.html",
        "programs/twelve-months/booklet/index.html",
    ):
        page.goto(url(example_site, target))
    assert requests and all(r.startswith("file://") for r in requests)


@pytest.mark.parametrize(
    "target",
    [
        "index.html",
        "programs/twelve-months/index.html",
        "programs/twelve-months/month-06/index.html",
        VISION,
        "checklists/monthly-meeting/index.html",
        "guides/protege/why-not-your-manager/index.html",
        "roles/protege/index.html",
        "progress/index.html",
        "programs/twelve-months/month-06/card/index.html",
        "guides/mentor/rehearsing-high-stakes-meetings/index.html",
    ],
)
def test_pages_fit_a_phone_without_sideways_scrolling(browser: Any, example_site: Path, target: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(url(example_site, target))
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        context.close()


def test_keyboard_users_see_where_they_are(page: Any, example_site: Path) -> None:
    page.goto(url(example_site, VISION))
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert skip.bounding_box()["y"] >= 0  # moved on screen when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    open_actions(page)
    page.focus("input[data-action=import]")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    outline = page.locator("label[for='import-vision']").evaluate("label => getComputedStyle(label).outlineStyle")
    assert outline == "solid"


def test_the_lens_can_be_changed_with_the_keyboard(page: Any, example_site: Path) -> None:
    page.goto(url(example_site, "programs/twelve-months/month-06/index.html"))
    page.focus("#lens")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.documentElement.dataset.lens") == "mentor"


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """A tab on a 360-pixel-wide phone."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    yield context.new_page()
    context.close()


MONTH = "programs/twelve-months/month-06/index.html"


def test_the_header_folds_into_a_menu_on_a_phone(phone: Any, example_site: Path) -> None:
    phone.goto(url(example_site, MONTH))
    assert phone.locator(".site-header").bounding_box()["height"] < 0.2 * 740
    assert phone.locator("#search-input").is_visible()
    guides = phone.locator(".site-nav a", has_text="Guides")
    assert guides.is_hidden() and phone.locator("#lens").is_hidden()

    phone.get_by_text("Menu", exact=True).click()
    assert guides.is_visible()
    assert phone.locator(".site-nav a[aria-current]").is_visible()
    phone.select_option("#lens", "mentor")
    assert phone.locator(".role-block[data-role=protege]").first.is_hidden()


def test_the_header_shows_its_menu_open_on_a_wide_screen(page: Any, example_site: Path) -> None:
    page.goto(url(example_site, MONTH))
    assert page.locator(".site-nav a", has_text="Guides").is_visible()
    assert page.locator("#lens").is_visible()
    assert page.get_by_text("Menu", exact=True).is_hidden()


def test_without_javascript_the_menu_still_opens(browser: Any, example_site: Path) -> None:
    for width in (360, 1280):
        context = browser.new_context(viewport={"width": width, "height": 740}, java_script_enabled=False)
        try:
            page = context.new_page()
            page.goto(url(example_site, MONTH))
            page.get_by_text("Menu", exact=True).click()
            page.locator(".site-nav a", has_text="Guides").click()
            assert page.url.endswith("guides/index.html")
        finally:
            context.close()


# Words in `root` whose letters are drawn on more than one line: a word broken in the middle.
BROKEN_WORDS = """root => {
  const broken = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.textContent.matchAll(/[\\p{L}\\p{N}]+/gu)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set(Array.from(range.getClientRects(), (rect) => Math.round(rect.top)));
      if (lines.size > 1) broken.push(match[0]);
    }
  }
  return broken;
}"""


@pytest.mark.parametrize(
    "guide", ["guides/mentor/running-a-meeting/index.html", "guides/mentor/rehearsing-high-stakes-meetings/index.html"]
)
def test_guide_tables_keep_their_words_whole_on_a_phone(phone: Any, example_site: Path, guide: str) -> None:
    phone.goto(url(example_site, guide))
    table = phone.locator(".prose table").first
    assert table.evaluate(BROKEN_WORDS) == []
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_wide_table_scrolls_in_its_own_box_by_keyboard(phone: Any, example_site: Path) -> None:
    phone.goto(url(example_site, "guides/mentor/rehearsing-high-stakes-meetings/index.html"))
    box = phone.locator(".prose .table-scroll").first
    assert box.evaluate("box => box.scrollWidth > box.clientWidth")
    box.focus()
    phone.keyboard.press("ArrowRight")
    phone.wait_for_function("document.activeElement.scrollLeft > 0")
    assert phone.evaluate("window.scrollX") == 0


def test_a_scale_keeps_its_numbers_on_one_row_on_a_phone(phone: Any, example_site: Path) -> None:
    phone.goto(url(example_site, VISION))
    tops = phone.locator("input[name=satisfaction]").evaluate_all(
        "boxes => boxes.map(b => b.getBoundingClientRect().top)"
    )
    assert len(tops) == 5 and len(set(tops)) == 1


def test_a_worksheets_actions_do_not_push_its_first_question_away(phone: Any, example_site: Path) -> None:
    phone.goto(url(example_site, VISION))
    assert phone.locator(".toolbar").bounding_box()["height"] < 740 / 6
    introduction = phone.locator(".worksheet-page > .prose").bounding_box()
    first = phone.locator(".field__label").first.bounding_box()
    # Once the reader has read the introduction, the first question is in the upper half of the screen.
    assert first["y"] + first["height"] - (introduction["y"] + introduction["height"]) < 740 / 2


def luminance(css_color: str) -> float:
    """Relative luminance (WCAG) of an `rgb(r, g, b)` color."""
    channels = [int(part) / 255 for part in css_color[css_color.index("(") + 1 : -1].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_the_header_is_dark_in_dark_mode(browser: Any, example_site: Path) -> None:
    context = browser.new_context(color_scheme="dark")
    try:
        page = context.new_page()
        page.goto(url(example_site, MONTH))
        header = page.locator(".site-header").evaluate("h => getComputedStyle(h).backgroundColor")
        text = page.evaluate("getComputedStyle(document.body).color")
        title = page.locator(".site-title").evaluate("a => getComputedStyle(a).color")
        assert luminance(header) < luminance(text)
        assert (luminance(title) + 0.05) / (luminance(header) + 0.05) >= 4.5
    finally:
        context.close()
