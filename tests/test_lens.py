"""The role lens in a real browser: a role sees its own part, no empty headings, and counts of its own items."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

MONTH_1 = "programs/twelve-months/month-01/index.html"
MONTH_5 = "programs/twelve-months/month-05/index.html"
MONTHLY = "checklists/monthly-meeting/index.html"
LEAD_ONLY = "Launching and monitoring a cohort"  # the example's checklist whose items are all the program lead's

# Every visible h2-h4 in main whose part (up to the next heading of the same or a higher level)
# has no visible text or control: a heading left standing over nothing.
EMPTY_HEADINGS = """() => {
  const shown = (element) => {
    const box = element.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && element.checkVisibility({ visibilityProperty: true });
  };
  const main = document.querySelector("main");
  const empty = [];
  main.querySelectorAll("h2, h3, h4").forEach((heading) => {
    if (!shown(heading)) return;
    const level = Number(heading.tagName[1]);
    const walker = document.createTreeWalker(main, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    walker.currentNode = heading;
    let node = walker.nextNode();
    while (node) {
      if (node.nodeType === Node.ELEMENT_NODE && /^H[1-6]$/.test(node.tagName) && Number(node.tagName[1]) <= level) break;
      const element = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
      const inHeading = element.closest("h1, h2, h3, h4, h5, h6");
      const content = node.nodeType === Node.TEXT_NODE ? node.textContent.trim() !== "" : element.matches("input, select, textarea, img, button");
      if (content && !inHeading && shown(element)) return;
      node = walker.nextNode();
    }
    empty.push(heading.textContent.trim());
  });
  return empty;
}"""


def url(site: Path, page: str) -> str:
    return f"{site.as_uri()}/{page}"


def choose(page: Any, role: str) -> None:
    page.select_option("#lens", role)
    page.wait_for_function("role => (document.documentElement.dataset.lens || '') === role", arg=role)


PAGES = [
    MONTH_5,
    MONTHLY,
    MONTH_1,
    "index.html",
    "roles/mentor/index.html",
    "programs/twelve-months/booklet/index.html",
    "cohorts/spring-2027/index.html",
    "cohorts/spring-2027/tasks/index.html",
]
TASKS = "cohorts/spring-2027/tasks/index.html"


@pytest.mark.parametrize("target", PAGES)
@pytest.mark.parametrize("role", ["lead", "mentor", "protege"])
def test_the_lens_leaves_no_heading_over_nothing(page: Any, example_site: Path, target: str, role: str) -> None:
    page.goto(url(example_site, target))
    assert page.evaluate(EMPTY_HEADINGS) == []  # the helper sees a page with everything shown as fine
    choose(page, role)
    assert page.evaluate(EMPTY_HEADINGS) == []
    assert page.errors == []


def test_the_helper_finds_a_heading_left_empty(page: Any, example_site: Path) -> None:
    page.goto(url(example_site, MONTH_5))
    page.evaluate("document.querySelectorAll('.agenda li').forEach(li => { li.style.display = 'none'; })")
    assert page.evaluate(EMPTY_HEADINGS) == ["Agenda"]


def test_the_program_lead_sees_only_the_common_parts_of_month_5(page: Any, example_site: Path) -> None:
    page.goto(url(example_site, MONTH_5))
    choose(page, "lead")
    headings = page.locator("main article h2:visible").all_text_contents()
    assert headings == ["Goal", "Outcomes"]
    assert page.inner_text(".month > .progress") == "This month: nothing to tick for the Program lead."

    page.goto(url(example_site, MONTHLY))
    assert page.locator(".checklist__group:visible").count() == 0
    assert page.inner_text(".toolbar .progress") == "Nothing to tick for the Program lead."


def test_a_mentor_does_not_see_the_leads_checklist(page: Any, example_site: Path) -> None:
    page.goto(url(example_site, MONTH_1))
    card = page.locator(".card--checklist", has_text=LEAD_ONLY)
    assert card.is_visible()
    choose(page, "mentor")
    assert card.is_hidden()
    assert page.locator(".card--checklist", has_text="first meeting").is_visible()

    for target in ("checklists/index.html", "index.html"):
        page.goto(url(example_site, target))
        entry = page.locator("main .item-list li", has_text=LEAD_ONLY)
        assert entry.is_hidden()
        choose(page, "lead")
        assert entry.is_visible()
        choose(page, "mentor")


def test_counts_follow_the_lens(page: Any, example_site: Path) -> None:
    page.goto(url(example_site, MONTH_1))
    counter = page.locator(".month > .progress")
    entries = json.loads(counter.get_attribute("data-progress"))
    everyone = sum(len(entry["k"]) for entry in entries)
    mentors = sum(1 for entry in entries for owners in entry["r"] if "mentor" in owners)
    assert 0 < mentors < everyone
    assert counter.inner_text() == f"NOT STARTED This month: 0 of {everyone} ticked"

    choose(page, "mentor")
    assert counter.inner_text() == f"NOT STARTED This month: 0 of {mentors} ticked"

    # A tick on the protégé's part counts for everyone, not for the mentor.
    page.goto(url(example_site, "checklists/first-meeting/index.html?for=twelve-months/1"))
    choose(page, "protege")
    page.locator(".check[data-role=protege] input").first.check()
    page.goto(url(example_site, MONTH_1))
    choose(page, "mentor")
    assert counter.inner_text() == f"NOT STARTED This month: 0 of {mentors} ticked"
    choose(page, "")
    assert counter.inner_text() == f"IN PROGRESS This month: 1 of {everyone} ticked"
    assert page.errors == []


def test_start_here_sets_the_lens_for_every_page(page: Any, example_site: Path) -> None:
    page.goto(url(example_site, "roles/lead/index.html"))
    button = page.get_by_role("button", name="Show only the Program lead part on every page")
    assert button.get_attribute("aria-pressed") == "false"
    button.click()
    assert page.evaluate("document.documentElement.dataset.lens") == "lead"
    assert page.input_value("#lens") == "lead"
    assert button.get_attribute("aria-pressed") == "true"

    page.goto(url(example_site, MONTH_5))
    assert page.input_value("#lens") == "lead"
    assert page.locator(".card--checklist").is_hidden()

    page.goto(url(example_site, "roles/lead/index.html"))
    assert button.get_attribute("aria-pressed") == "true"
    choose(page, "mentor")
    assert button.get_attribute("aria-pressed") == "false"


def test_start_here_lists_getting_started_then_the_roles_own_guides(page: Any, example_site: Path) -> None:
    page.goto(url(example_site, "roles/lead/index.html"))
    guides = page.locator("#guides-heading + .item-list > li > a").all_inner_texts()
    assert guides[0] == "Getting started"
    page.goto(url(example_site, "guides/index.html"))
    lead_guides = page.locator(".item-list > li[data-role~=lead] > a").all_inner_texts()
    assert guides[1:] == lead_guides  # the lead's own guides, in the guides' order
    assert "What a mentor does" not in guides


def test_without_javascript_the_start_here_button_is_not_offered(browser: Any, example_site: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(url(example_site, "roles/mentor/index.html"))
        assert page.locator("[data-lens-set]").is_hidden()
        page.goto(url(example_site, MONTH_5))
        assert page.locator(".card--checklist").is_visible()
    finally:
        context.close()


def test_a_mentor_is_told_the_cohort_tasks_are_the_leads_not_shown_empty_months(page: Any, example_site: Path) -> None:
    page.goto(url(example_site, TASKS))
    months = page.locator(".task-table__month")
    total = months.count()
    assert total > 6 and page.locator(".lens-note").is_hidden()  # everyone: every month of tasks, no note

    choose(page, "mentor")
    assert months.filter(visible=True).count() == 0
    assert page.locator(".task-table tr[data-pair]").filter(visible=True).count() == 0
    assert "None of these tasks is yours: they are for the program lead" in page.inner_text(".lens-note")

    choose(page, "lead")
    assert months.filter(visible=True).count() == total
    assert page.locator(".lens-note").is_hidden()
    assert page.errors == []
