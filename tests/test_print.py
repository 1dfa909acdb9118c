"""Printing: no navigation on paper, empty boxes to tick, a booklet with contents and a page per month."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.build import build

pypdf = pytest.importorskip("pypdf", reason="pypdf is a test extra: pip install '.[test]'")

# The parts of a page that belong to the screen: header, navigation, breadcrumb, tools, footer.
SCREEN_PARTS = ".skip-link, .site-header, .breadcrumb, .sidebar, .pager, .toolbar, .screen-only, .site-footer"
SCREEN_TEXT = """(parts, selector) => {
  const content = document.querySelector('main').cloneNode(true);
  content.querySelectorAll(selector).forEach(part => part.remove());
  const main = content.textContent;
  const lines = parts.flatMap(part => part.innerText.split('\\n')).map(line => line.trim());
  return [...new Set(lines.filter(line => line.length > 3 && !main.includes(line) || /Skip to content|Made with Playbook/.test(line)))];
}"""


def screen_only_text(page: Any) -> list[str]:
    """Lines of text the page shows on screen outside its content, e.g. the navigation."""
    lines: list[str] = page.locator(SCREEN_PARTS).evaluate_all(SCREEN_TEXT, SCREEN_PARTS)
    assert any("Skip to content" in line for line in lines)
    return lines


def printed(page: Any, site: Path, target: str, screen: list[str] | None = None) -> list[str]:
    """The text of each printed page, as Chromium prints `target`; `screen` gets its screen-only text."""
    page.goto(f"{site.as_uri()}/{target}")
    if screen is not None:
        screen.extend(screen_only_text(page))
    pdf = pypdf.PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=False)))
    # NFKC turns the ligatures of the PDF's fonts (ﬁ, ﬀ) back into letters.
    texts = [unicodedata.normalize("NFKC", p.extract_text() or "") for p in pdf.pages]
    return [_without_page_number(text, number) for number, text in enumerate(texts, start=1)]


def _without_page_number(text: str, number: int) -> str:
    """The page's text without the page number the stylesheet prints in its margin."""
    lines = text.splitlines()
    return "\n".join(line for line in lines if line.strip() != str(number))


def page_size(page: Any, site: Path, target: str) -> tuple[float, float]:
    page.goto(f"{site.as_uri()}/{target}")
    box = pypdf.PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True))).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def test_a_printed_checklist_has_its_items_and_no_navigation(page: Any, example_site: Path) -> None:
    screen: list[str] = []
    text = "\n".join(printed(page, example_site, "checklists/first-meeting/index.html", screen))
    assert "The first meeting" in text
    assert "Send your mentor a half-page note" in text
    assert "Untick all" in screen and "Sections" not in screen
    assert [line for line in screen if line in text] == []


def test_ticked_items_print_as_empty_boxes(page: Any, example_site: Path) -> None:
    page.goto(f"{example_site.as_uri()}/checklists/first-meeting/index.html")
    page.locator("form.checklist input[type=checkbox]").first.check()
    page.emulate_media(media="print")
    box = page.locator("form.checklist input[type=checkbox]").first
    assert box.evaluate("b => getComputedStyle(b).appearance") == "none"
    assert box.evaluate("b => getComputedStyle(b).borderTopStyle") == "solid"


def test_the_booklet_has_contents_and_starts_each_month_on_a_new_page(page: Any, example_site: Path) -> None:
    screen: list[str] = []
    pages = printed(page, example_site, "programs/twelve-months/booklet/index.html", screen)
    first_lines = [p.strip().splitlines()[0] if p.strip() else "" for p in pages]
    contents = next(i for i, text in enumerate(pages) if text.strip().startswith("Contents"))
    assert contents <= 1
    assert all(f"Month {n}:" in "".join(pages[contents : contents + 2]) for n in range(1, 13))
    starts = [i for i, line in enumerate(first_lines) for n in range(1, 13) if re.match(rf"Month {n}: ", line)]
    assert len(starts) == 12 and starts == sorted(starts) and starts[0] > contents
    text = "\n".join(pages)
    assert "Worksheet: One, five and ten-year vision" in text and "Checklist: The first meeting" in text
    assert len(screen) > 5
    assert [line for line in screen if line in text] == []


def test_a_role_booklet_keeps_only_that_roles_part(page: Any, example_site: Path) -> None:
    mentor = "\n".join(printed(page, example_site, "programs/twelve-months/booklet/mentor/index.html"))
    everyone = "\n".join(printed(page, example_site, "programs/twelve-months/booklet/index.html"))
    assert "The mentor's booklet" in mentor
    assert len(mentor) < len(everyone)
    assert "Send your mentor a half-page note" not in mentor  # a protégé's checklist item
    assert "Read the protégé’s note and prepare two or three open questions." in mentor  # Markdown: a curly apostrophe


def test_the_meeting_card_prints_on_one_page(page: Any, example_site: Path) -> None:
    for month in range(1, 13):
        pages = printed(page, example_site, f"programs/twelve-months/month-{month:02d}/card/index.html")
        assert len(pages) == 1, f"month {month} card runs to {len(pages)} pages"
        assert "Actions" in pages[0] and "Notes" in pages[0]


def test_paper_size_comes_from_the_playbook(page: Any, example_site: Path, project: Callable[..., Path]) -> None:
    assert page_size(page, example_site, "checklists/first-meeting/index.html") == (595, 842)  # A4 in points
    root = project(
        {
            "playbook.yaml": (Path(__file__).parent / "fixtures" / "minimal" / "playbook.yaml").read_text()
            + "print:\n  page_size: Letter\n"
        }
    )
    build(root, root / "_site")
    assert page_size(page, root / "_site", "checklists/first-meeting/index.html") == (612, 792)
