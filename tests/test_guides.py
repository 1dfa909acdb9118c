"""Guide pages: previous and next in each role's reading order, the list of guides beside them, contents when long."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from generator.build import BuildSession
from generator.kinds.materials import LISTED_GUIDES_AT_MOST

RUNNING = "guides/mentor/running/index.html"
WELCOME = "guides/welcome/index.html"
CHOOSING = "guides/protege/choosing/index.html"
CLOSING = "guides/closing/index.html"
STARTED = "guides/getting-started/index.html"

# With the minimal project's "Running a meeting" (mentor, order 0) and "Welcome" (everyone, order 0),
# everyone reads: Getting started, Running a meeting, Welcome, Choosing a mentor, Closing.
GUIDES = {
    "content/guides/getting-started.md": "---\ntitle: Getting started\norder: 9\n---\nFirst things.\n",
    "content/guides/protege/choosing.md": "---\ntitle: Choosing a mentor\nroles: [protege]\norder: 1\n---\nWho.\n",
    "content/guides/closing.md": "---\ntitle: Closing\norder: 2\n---\nThe end.\n",
}


def build_pages(root: Path) -> dict[str, str]:
    return {url: data.decode("utf-8") for url, data in BuildSession(root).build()[1].files.items()}


def between(html: str, start: str, end: str) -> str:
    """The text after the first `start` and before the `end` that follows it."""
    after = html[html.index(start) + len(start) :]
    return after[: after.index(end)]


def pagers(html: str) -> dict[str, dict[str, str | None]]:
    """For everyone ('') and each role: the URLs of the previous and next guide the page offers."""
    data = json.loads(between(html, '<script type="application/json" id="guide-pagers">', "</script>"))
    return {role: {side: link["url"] if link else None for side, link in sides.items()} for role, sides in data.items()}


def plain_pager(html: str) -> dict[str, str]:
    """The previous and next links a reader without JavaScript follows: rel -> href."""
    nav = between(html, '<nav class="pager"', "</nav>")
    return {rel: href for href, rel in re.findall(r'href="([^"]+)" rel="(prev|next)"', nav)}


def listed(html: str) -> list[str]:
    """The titles in the list of guides beside the text, in order."""
    return re.findall(r"<a [^>]*>([^<]+)</a>", between(html, '<ol class="guide-list">', "</ol>"))


def test_each_role_reads_getting_started_first_then_its_own_guides_and_everyones(
    project: Callable[..., Path],
) -> None:
    pages = build_pages(project(GUIDES))

    assert pagers(pages[WELCOME]) == {
        "": {"previous": RUNNING, "next": CHOOSING},
        "mentor": {"previous": RUNNING, "next": CLOSING},  # "Choosing a mentor" is for the protégé
        "protege": {"previous": STARTED, "next": CHOOSING},  # "Running a meeting" is for the mentor
    }
    assert pagers(pages[STARTED])["mentor"] == {"previous": None, "next": RUNNING}
    assert pagers(pages[CLOSING])["protege"] == {"previous": CHOOSING, "next": None}


def test_a_guide_for_another_role_leads_on_to_the_roles_next_guide(project: Callable[..., Path]) -> None:
    pages = build_pages(project(GUIDES))

    assert pagers(pages[CHOOSING])["mentor"] == {"previous": WELCOME, "next": CLOSING}


def test_without_javascript_the_pager_follows_everyones_order(project: Callable[..., Path]) -> None:
    pages = build_pages(project(GUIDES))

    assert plain_pager(pages[WELCOME]) == {
        "prev": "../mentor/running/index.html",
        "next": "../protege/choosing/index.html",
    }
    assert plain_pager(pages[STARTED]) == {"next": "../mentor/running/index.html"}
    assert plain_pager(pages[CLOSING]) == {"prev": "../protege/choosing/index.html"}


def test_the_list_beside_a_guide_marks_it_and_tags_guides_for_other_roles(project: Callable[..., Path]) -> None:
    html = build_pages(project(GUIDES))[WELCOME]

    assert listed(html) == ["Getting started", "Running a meeting", "Welcome", "Choosing a mentor", "Closing"]
    assert '<a href="index.html" aria-current="page">Welcome</a>' in html
    assert '<li data-role="protege"><a href="../protege/choosing/index.html">Choosing a mentor</a></li>' in html


def test_long_guides_get_contents_and_short_ones_do_not(project: Callable[..., Path]) -> None:
    words = " ".join(["word"] * 650)
    pages = build_pages(
        project(
            {
                "content/guides/two-short.md": "---\ntitle: Two short\n---\n## One\nA.\n## Two\nB.\n",
                "content/guides/two-long.md": f"---\ntitle: Two long\n---\n## One\n{words}\n## Two\nB.\n",
                "content/guides/three.md": "---\ntitle: Three\n---\n## One\nA.\n## Two\nB.\n## Three\nC.\n",
            }
        )
    )

    assert "On this page" not in pages["guides/two-short/index.html"]
    assert "On this page" in pages["guides/two-long/index.html"]
    assert "On this page" in pages["guides/three/index.html"]


def test_a_new_order_renders_the_other_guides_again_as_a_clean_build_would(project: Callable[..., Path]) -> None:
    root = project(GUIDES)
    session = BuildSession(root, again=True)
    session.build()
    path = root / "content/guides/closing.md"
    path.write_text(path.read_text(encoding="utf-8").replace("order: 2", "order: -1"), encoding="utf-8")

    _, rendered = session.build(["content/guides/closing.md"])

    assert {WELCOME, CHOOSING, STARTED} <= set(rendered.fresh)
    assert rendered.files == BuildSession(root).build()[1].files
    assert pagers(rendered.files[STARTED].decode("utf-8"))[""]["next"] == CLOSING


def test_a_playbook_of_many_guides_lists_them_on_the_guides_page_only(project: Callable[..., Path]) -> None:
    many = {
        f"content/guides/many/g{n:03d}.md": f"---\ntitle: Guide {n}\n---\nText.\n" for n in range(LISTED_GUIDES_AT_MOST)
    }
    pages = build_pages(project(many))

    assert 'class="guide-list"' not in pages[WELCOME]
    assert plain_pager(pages[WELCOME])  # the way on through the guides stays
    assert "Guide 59" in pages["guides/index.html"]
