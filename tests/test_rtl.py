"""Right-to-left languages: `<html dir="rtl">` from the playbook's language, and a layout that mirrors."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from test_accessibility import violations

from conftest import nu_checker
from generator.dates import direction
from screenshots import build_example
from sitecheck import PAGE_TYPES

HTML_TAG = re.compile(r"<html\b[^>]*>")


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ar", "rtl"), ("he", "rtl"), ("fa-IR", "rtl"), ("ur", "rtl"), ("en", "ltr"), ("fr-CA", "ltr")]
    + [("zz-Unknown", "ltr"), ("not a tag", "ltr")],  # unknown: left to right, as dates fall back to English
)
def test_the_direction_comes_from_the_language(language: str, expected: str) -> None:
    assert direction(language) == expected


@pytest.fixture(scope="module")
def arabic_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example playbook built with `language: ar`, once for this module, as the screenshot script builds it."""
    return build_example(tmp_path_factory.mktemp("arabic"), "ar")


def html_tags(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): HTML_TAG.search(p.read_text(encoding="utf-8")).group(0)  # type: ignore[union-attr]
        for p in site.rglob("*.html")
    }


def test_every_arabic_page_is_rtl_and_no_english_page_names_a_direction(arabic_site: Path, example_site: Path) -> None:
    arabic = html_tags(arabic_site)
    assert arabic and all('lang="ar" dir="rtl"' in tag for tag in arabic.values()), arabic
    english = html_tags(example_site)
    assert english and not [page for page, tag in english.items() if "dir=" in tag]  # English pages keep their bytes


def box(page: Any, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()
    assert found, f"{selector} is not shown"
    return {"left": found["x"], "right": found["x"] + found["width"]}


def test_the_header_breadcrumb_and_lists_start_at_the_right(page: Any, arabic_site: Path) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{arabic_site.as_uri()}/{PAGE_TYPES['month']}")
    # The site's title at the right, the search at the left; the menu's first section right of its last.
    assert box(page, ".site-title")["left"] > box(page, ".search")["right"]
    assert box(page, ".site-nav li:first-child a")["left"] > box(page, ".site-nav li:last-child a")["right"]
    # Home, then the program, then this month, from right to left.
    assert box(page, ".breadcrumb li:first-child a")["left"] > box(page, ".breadcrumb li:last-child span")["right"]
    # The months beside the month run down the left, their numbers in the padding at each item's right.
    assert box(page, ".sidebar")["right"] < box(page, ".goal")["left"]
    months, first = box(page, ".month-list"), box(page, ".month-list li:first-child")
    assert first["left"] == pytest.approx(months["left"], abs=1) and first["right"] < months["right"] - 16
    # The goal's and cards' coloured edge is on the right.
    assert page.eval_on_selector(".goal", "e => getComputedStyle(e).borderRightWidth") == "5px"
    assert page.eval_on_selector(".card", "e => getComputedStyle(e).borderRightWidth") == "5px"

    page.goto(f"{arabic_site.as_uri()}/{PAGE_TYPES['checklist']}")
    tick, text = box(page, ".check input[type=checkbox]"), box(page, ".check label")
    assert tick["left"] > text["right"]  # a checklist's box is right of its item
    assert page.errors == []


def test_search_results_open_inside_the_window(page: Any, arabic_site: Path) -> None:
    # The search box is at the left: its results open from its left edge, not off the window.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{arabic_site.as_uri()}/{PAGE_TYPES['home']}")
    page.fill("#search-input", "mentor")
    page.wait_for_selector(".search__list a")
    results, search = box(page, "#search-results"), box(page, ".search")
    assert results["left"] == pytest.approx(search["left"], abs=1) and results["right"] <= 1280
    assert page.errors == []


@pytest.mark.parametrize("kind", ["home", "month", "checklist", "worksheet", "cohort tasks"])
def test_axe_finds_nothing_on_arabic_pages(page: Any, arabic_site: Path, kind: str) -> None:
    page.goto(f"{arabic_site.as_uri()}/{PAGE_TYPES[kind]}")
    assert violations(page) == []


def test_every_arabic_page_is_valid_html(arabic_site: Path) -> None:
    result = nu_checker(arabic_site)
    assert result.returncode == 0, result.stdout + result.stderr
