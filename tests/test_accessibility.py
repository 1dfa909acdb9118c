"""Every kind of page passes axe-core at 360 px and 1280 px, in light and dark, and the Nu Html Checker;
in French and in Arabic (right to left) too; and asks nothing of another host."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from conftest import nu_checker
from sitecheck import PAGE_TYPES, view

RUNNING = "guides/mentor/running-a-meeting/index.html"  # a table and a block of preformatted text


def violations(page: Any, part: str | None = None) -> list[str]:
    """What axe-core finds wrong on the open page, or only in the part that `part` (a CSS selector) picks."""
    axe = pytest.importorskip("axe_playwright_python.sync_playwright", reason="axe-playwright-python is a test extra")
    result = axe.Axe().run(page, context=part)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['target']})"
        for v in result.response["violations"]
    ]


# The phone and the laptop in light; dark at the laptop's width only: dark changes the colors, which are the
# same at every width, and the phone's own header (its menu) is checked in dark by the menu test below.
WINDOWS = ((360, "light"), (1280, "light"), (1280, "dark"))


@pytest.fixture(scope="module")
def tabs(browser: Any) -> Iterator[dict[tuple[int, str], Any]]:
    """A tab for each window of the matrix below, shared by this module's tests: one browser profile each."""
    contexts = {(width, scheme): browser.new_context(**view(width, scheme)) for width, scheme in WINDOWS}
    opened = {key: context.new_page() for key, context in contexts.items()}
    for tab in opened.values():
        tab.errors = []
        tab.on("pageerror", lambda error, tab=tab: tab.errors.append(str(error)))
        tab.requests = []  # what the page asks for: the accessibility statement says it is nothing from another host
        tab.on("request", lambda request, tab=tab: tab.requests.append(request.url))
    yield opened
    for context in contexts.values():
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_a_phone_with_the_menu_open(browser: Any, example_site: Path, scheme: str) -> None:
    # Opening the menu changes only the header: the rest of these page types is checked at 360 px by
    # the matrix below, so axe looks at the header here; the guide with a table, not in it, whole.
    context = browser.new_context(**view(360, scheme))
    try:
        page = context.new_page()
        for target in (*(PAGE_TYPES[kind] for kind in ("home", "month", "meeting card", "worksheet")), RUNNING):
            page.goto(f"{example_site.as_uri()}/{target}")
            page.get_by_text("Menu", exact=True).click()
            assert page.locator(".site-nav").is_visible()
            assert violations(page, None if target == RUNNING else ".site-header") == [], target
    finally:
        context.close()


@pytest.mark.parametrize(("width", "scheme"), WINDOWS)
@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_every_page_type_passes_axe(
    tabs: dict[tuple[int, str], Any], example_site: Path, kind: str, width: int, scheme: str
) -> None:
    page = tabs[width, scheme]
    page.errors.clear()
    page.requests.clear()
    page.goto(f"{example_site.as_uri()}/{PAGE_TYPES[kind]}")
    white = page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    assert white == (scheme == "light")
    assert violations(page) == []
    assert page.errors == []
    assert page.requests and [url for url in page.requests if not url.startswith("file://")] == []


# Each language at one window: the phone for Arabic, whose layout is mirrored; the laptop in dark for French.
LANGUAGE_WINDOWS = {"fr": (1280, "dark"), "ar": (360, "light")}
# Arabic on every page type: it has all that French has for axe (the interface's words, the notice on an
# untranslated page with the original's `lang`) and a mirrored layout besides. French on the types that show
# the most interface words, for the laptop in dark mode; the booklets are too slow to check twice more.
IN_FRENCH_TOO = ("home", "month", "worksheet", "checklist", "my progress", "dashboard", "accessibility")
LANGUAGE_CASES = [(kind, "ar") for kind in PAGE_TYPES] + [(kind, "fr") for kind in IN_FRENCH_TOO]


@pytest.mark.parametrize(("kind", "language"), LANGUAGE_CASES)
def test_every_page_type_passes_axe_in_french_and_arabic(
    tabs: dict[tuple[int, str], Any], multilingual_site: Path, kind: str, language: str
) -> None:
    page = tabs[LANGUAGE_WINDOWS[language]]
    page.errors.clear()
    page.goto(f"{multilingual_site.as_uri()}/{language}/{PAGE_TYPES[kind]}")
    assert page.evaluate("document.documentElement.lang") == language
    assert page.evaluate("document.documentElement.dir") == ("rtl" if language == "ar" else "")
    assert violations(page) == []
    assert page.errors == []


def test_axe_finds_nothing_with_progress_and_the_lens_on(page: Any, example_site: Path) -> None:
    page.goto(f"{example_site.as_uri()}/checklists/first-meeting/index.html")
    page.locator("form.checklist input[type=checkbox]").first.check()
    page.select_option("#lens", "protege")
    page.goto(f"{example_site.as_uri()}/programs/twelve-months/index.html")
    assert violations(page) == []


def test_every_page_is_valid_html(multilingual_site: Path) -> None:
    # The example in English, and with the French and Arabic interface: one run of the checker over all three.
    assert {"fr", "ar"} <= {p.name for p in multilingual_site.iterdir()}
    result = nu_checker(multilingual_site)
    assert result.returncode == 0, result.stdout + result.stderr


class Loads(HTMLParser):
    """The stylesheets and scripts a page makes the browser fetch."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script" and found.get("src"):
            self.urls.append(found["src"] or "")
        elif tag == "link" and found.get("rel") == "stylesheet" and found.get("href"):
            self.urls.append(found["href"] or "")


def test_theme_css_and_scripts_stay_light(example_site: Path) -> None:
    # What each kind of page loads, as a reader's browser does: playbook.css, the scripts base.html loads on
    # every page, and the page's own script (worksheets.js, progress.js, pair.js ...). Raised from 60 KB with
    # issue 11 (dates by rule, the lens, guide order, the phone menu), from 88 KB and then 92 KB with issue 15 (every
    # word a script writes is a message, P.t / P.nt, in the playbook's language; numbers and lists written by the
    # language's rules; the language switcher; choices saved in the main language). The dashboard's own script is counted
    # for the dashboard only: only the program lead opens that page, and no reader page loads it.
    for kind, target in PAGE_TYPES.items():
        page = example_site / target
        loads = Loads()
        loads.feed(page.read_text(encoding="utf-8"))
        total = sum((page.parent / url).resolve().stat().st_size for url in loads.urls)
        budget = (96 + 20 if kind == "dashboard" else 96) * 1024
        assert total < budget, f"a {kind} page loads {total} bytes of CSS and JS: {', '.join(loads.urls)}"
