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
    texts = printed_with_numbers(page, site, target, screen)
    return [_without_page_number(text, number, len(texts)) for number, text in enumerate(texts, start=1)]


def printed_with_numbers(page: Any, site: Path, target: str, screen: list[str] | None = None) -> list[str]:
    """The text of each printed page, with the page numbers printed in its margin."""
    if target:
        page.goto(f"{site.as_uri()}/{target}")
    if screen is not None:
        screen.extend(screen_only_text(page))
    pdf = pypdf.PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=False)))
    # NFKC turns the ligatures of the PDF's fonts (ﬁ, ﬀ) back into letters.
    return [unicodedata.normalize("NFKC", p.extract_text() or "") for p in pdf.pages]


def _without_page_number(text: str, number: int, total: int) -> str:
    """The page's text without the page number ("3 / 12") the stylesheet prints in its margin."""
    lines = text.splitlines()
    return "\n".join(line for line in lines if line.strip() not in (str(number), f"{number} / {total}"))


def page_size(page: Any, site: Path, target: str) -> tuple[float, float]:
    page.goto(f"{site.as_uri()}/{target}")
    box = pypdf.PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True))).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


BOOKLET = "programs/twelve-months/booklet/index.html"
MENTOR_BOOKLET = "programs/twelve-months/booklet/mentor/index.html"


@pytest.fixture(scope="module")
def booklets(browser: Any, example_site: Path) -> dict[str, tuple[list[str], list[str]]]:
    """The booklet and the mentor's booklet as printed for a first-time reader: their pages and screen-only text.

    Printing a booklet takes seconds and gives the same pages every time in a fresh browser
    profile, so this module prints each once for the tests that only read the paper.
    """
    context = browser.new_context()
    try:
        tab = context.new_page()
        made = {}
        for target in (BOOKLET, MENTOR_BOOKLET):
            screen: list[str] = []
            made[target] = (printed(tab, example_site, target, screen), screen)
        return made
    finally:
        context.close()


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


def test_the_booklet_has_contents_and_starts_each_month_on_a_new_page(
    booklets: dict[str, tuple[list[str], list[str]]],
) -> None:
    pages, screen = booklets[BOOKLET]
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


def test_a_role_booklet_keeps_only_that_roles_part(booklets: dict[str, tuple[list[str], list[str]]]) -> None:
    mentor = "\n".join(booklets[MENTOR_BOOKLET][0])
    everyone = "\n".join(booklets[BOOKLET][0])
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


PROGRAM = "The twelve-month mentoring program"
ORGANIZATION = "Northwind Product Guild"  # the example's playbook.yaml
A4 = (595, 842)


def test_the_first_meeting_checklist_prints_on_one_a4_page_with_whose_it_is(page: Any, example_site: Path) -> None:
    target = "checklists/first-meeting/index.html"
    pages = printed_with_numbers(page, example_site, target)
    assert len(pages) == 1
    assert page_size(page, example_site, target) == A4
    text = pages[0]
    assert PROGRAM in text and ORGANIZATION.lower() in text.lower()
    assert "month 1: Kick-off" in text
    assert "Meeting: Thursday, January 14, 2027" in " ".join(text.split())  # start_date in playbook.yaml
    assert "Name:" in text
    assert "Draft the mentoring agreement" in text  # the last item, which used to go onto a second page
    assert "1 / 1" in [line.strip() for line in text.splitlines()]


def test_the_printed_checklist_names_the_month_it_is_ticked_for(page: Any, example_site: Path) -> None:
    target = "checklists/monthly-meeting/index.html?for=twelve-months/5"
    text = "\n".join(printed(page, example_site, target))
    assert "month 5: Executive exposure" in text
    assert "May 13, 2027" in " ".join(text.split())  # the second Thursday, as the program's schedule says
    assert "month 1: Kick-off" not in text and "month 6:" not in text
    page.select_option("#ticks-for", "twelve-months/9")
    text = "\n".join(printed(page, example_site, ""))
    assert "month 9: Gather negotiation data" in text and "month 5:" not in text


def test_checkboxes_stay_square_beside_items_of_two_lines(page: Any, example_site: Path) -> None:
    page.goto(f"{example_site.as_uri()}/{BOOKLET}")
    page.emulate_media(media="print")
    boxes = page.locator(".check input[type=checkbox], .check .box").evaluate_all(
        """boxes => boxes.map(box => {
             const own = box.getBoundingClientRect(), item = box.closest('.check').getBoundingClientRect();
             return [own.width, own.height, item.height];
           })"""
    )
    assert len(boxes) > 50
    assert all(abs(width - height) < 0.5 and width > 10 for width, height, _ in boxes)
    assert any(item > 3 * height for _, height, item in boxes)  # some items run to two lines or more


def test_the_contents_numbers_fit_in_the_margin_of_the_list(page: Any, example_site: Path) -> None:
    page.goto(f"{example_site.as_uri()}/{BOOKLET}")
    page.emulate_media(media="print")
    room, needed = page.locator(".booklet__toc > ol").evaluate(
        """list => {
             const item = list.querySelector(':scope > li'), marker = document.createElement('span');
             marker.textContent = '12. ';
             marker.style.whiteSpace = 'pre';
             item.prepend(marker);
             const width = marker.getBoundingClientRect().width;
             marker.remove();
             return [parseFloat(getComputedStyle(list).paddingLeft), width];
           }"""
    )
    assert room >= needed


def test_the_booklet_prints_a_checklist_of_every_month_once(booklets: dict[str, tuple[list[str], list[str]]]) -> None:
    pages = booklets[BOOKLET][0]
    assert len(pages) < 76  # it was 76 when the monthly checklist was printed twelve times
    text = "\n".join(pages)
    months = [i for n in range(1, 13) for i, p in enumerate(pages) if p.strip().startswith(f"Month {n}: ")]
    assert len(months) == 12 and months == sorted(months)
    body = "\n".join(pages[months[0] :])  # after the contents, which list it once too
    assert body.count("Checklist: Every monthly meeting") == 1
    assert text.count("Confirm the date, time and place") == 1  # its first item
    assert text.count("Tick the checklist “Every monthly meeting”") == 12
    assert "Checklists used in several months" in body


def test_a_role_booklet_prints_a_shared_checklist_once_too(booklets: dict[str, tuple[list[str], list[str]]]) -> None:
    pages = booklets[MENTOR_BOOKLET][0]
    text = "\n".join(pages)
    assert len(pages) < 36  # it was 36 with the monthly checklist twelve times
    assert text.count("Read the protégé’s worksheet and your notes from last time.") == 1
    assert text.count("Tick the checklist “Every monthly meeting”") == 12
    assert "Confirm the date, time and place" not in text  # the protégé's item


def test_the_meeting_cards_print_one_month_a_page(page: Any, example_site: Path) -> None:
    pages = printed(page, example_site, "programs/twelve-months/cards/index.html")
    assert len(pages) == 12
    for number, text in enumerate(pages, start=1):
        assert f"Month {number}: " in text and "Actions" in text
        assert ("Next meeting" in text) == (number < 12)  # the last card has no next meeting to write down
        assert f"Month {number + 1}: " not in text
    assert "Date: Thursday, January 14, 2027" in pages[0]
    page.goto(f"{example_site.as_uri()}/programs/twelve-months/index.html")
    page.get_by_role("link", name="The meeting cards").click()
    assert page.url.endswith("programs/twelve-months/cards/index.html")
