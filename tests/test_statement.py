"""The "What changed" page made from content/CHANGELOG.md, and the accessibility statement every site has:
what each page says, where they are linked from, and that the statement's facts are this site's."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import MINIMAL, REPO, TESTS, Run
from generator.build import BuildSession, build
from sitecheck import view

CHANGES = "changes.html"
STATEMENT = "accessibility.html"
SETTINGS = (MINIMAL / "playbook.yaml").read_text(encoding="utf-8")
CHANGELOG = "# Changelog\n\n## 2027.2 — 2027-06-01\n\nA shorter [welcome](guides/welcome.md).\n\n## 2027.1 — 2026-12-01\n\nThe first edition.\n"


def built(root: Path) -> dict[str, str]:
    """Every HTML page of the project's site, by URL."""
    files = BuildSession(root).build()[1].files
    return {url: data.decode("utf-8") for url, data in files.items() if url.endswith(".html")}


def text(fragment: str) -> str:
    """What a reader reads of some HTML: no markup, entities decoded, white space collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def main_text(page: str) -> str:
    return text(page[page.index("<main") : page.index("</main>")])


def footer_links(page: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', page[page.index('<footer class="site-footer">') :])


# --- What changed ---------------------------------------------------------------------------------


def test_the_changelog_is_a_page_linked_from_the_home_page_and_every_footer(
    example_site: Path, example_project: Path
) -> None:
    written = (example_project / "content" / "CHANGELOG.md").read_text(encoding="utf-8")
    editions = [line.removeprefix("## ") for line in written.splitlines() if line.startswith("## ")]
    page = (example_site / CHANGES).read_text(encoding="utf-8")

    assert [text(h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", page)] == editions
    assert "<h1>What changed</h1>" in page and "Changelog" not in main_text(page)  # the file's own title is left out
    assert 'href="guides/getting-started/index.html">Getting started</a>' in page  # its links lead to pages
    home = (example_site / "index.html").read_text(encoding="utf-8")
    assert f'<a href="changes.html">What changed: {editions[0]}</a>' in home
    for path in example_site.rglob("*.html"):
        links = {(path.parent / href).resolve() for href in footer_links(path.read_text(encoding="utf-8"))}
        assert {(example_site / CHANGES).resolve(), (example_site / STATEMENT).resolve()} <= links, path


def test_without_a_changelog_there_is_no_page_and_no_link(project: Callable[..., Path]) -> None:
    pages = built(project())
    assert CHANGES not in pages and STATEMENT in pages
    assert [url for url, page in pages.items() if "changes.html" in page or "What changed" in page] == []


def test_a_guide_may_link_to_the_changelog(project: Callable[..., Path], playbook: Callable[..., Run]) -> None:
    guide = "---\ntitle: Welcome\n---\n## How this works\n\nSee [what changed](../CHANGELOG.md), [running](mentor/running.md).\n"
    root = project({"content/guides/welcome.md": guide, "content/CHANGELOG.md": CHANGELOG})
    assert '<a href="../../changes.html">what changed</a>' in built(root)["guides/welcome/index.html"]
    (root / "content" / "CHANGELOG.md").unlink()
    assert (
        "content/guides/welcome.md:6:20: error: broken link: '../CHANGELOG.md' does not exist"
        in playbook("check", root).err
    )


def test_search_finds_each_edition(example_site: Path) -> None:
    docs = "".join(path.read_text(encoding="utf-8") for path in (example_site / "search").glob("docs-*.js"))
    assert '"changes.html#20271--2026-12-01","2027.1 — 2026-12-01","What changed"' in docs


def test_a_translated_changelog_shows_in_its_tree_and_a_missing_one_is_noticed(
    project: Callable[..., Path], playbook: Callable[..., Run]
) -> None:
    french = "# Journal\n\n## 2027.2 — 1er juin 2027\n\nUn [accueil](guides/getting-started.fr.md) plus court.\n"
    root = project(
        {"content/CHANGELOG.md": CHANGELOG.replace("welcome", "getting-started")}, base=TESTS / "fixtures" / "bilingual"
    )
    (root / "content" / "CHANGELOG.fr.md").write_text(french, encoding="utf-8")
    pages = built(root)
    assert "2027.2 — 1er juin 2027" in main_text(pages["fr/changes.html"])
    assert 'href="guides/getting-started/index.html">accueil</a>' in pages["fr/changes.html"]
    assert 'class="notice untranslated"' not in pages["fr/changes.html"]
    assert "Ce qui a changé : 2027.2 — 1er juin 2027" in text(pages["fr/index.html"])

    (root / "content" / "CHANGELOG.fr.md").unlink()
    run = playbook("check", root)
    assert "content/CHANGELOG.md: warning: not translated into français (fr)" in run.err
    assert "add content/CHANGELOG.fr.md" in run.err
    page = built(root)["fr/changes.html"]
    assert 'class="notice untranslated"' in page and '<main id="main" class="wrap" tabindex="-1" lang="en">' in page
    assert '<h1 lang="fr" dir="ltr">Ce qui a changé</h1>' in page  # the interface's word, in the tree's language
    assert "2027.2 — 2027-06-01" in main_text(page)


# --- The accessibility statement ------------------------------------------------------------------


def wcag_ratio(first: str, second: str) -> float:
    """WCAG 2.1's contrast ratio, worked out here apart from the generator's own code."""

    def luminance(color: str) -> float:
        channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        red, green, blue = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * red + 0.7152 * green + 0.0722 * blue

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_statement_gives_the_contrast_of_the_accents_the_playbook_sets(project: Callable[..., Path]) -> None:
    colors = 'colors:\n  accent: "#7fa7d9"\n  accent_dark: "#f4a261"\n'
    statement = main_text(built(project({"playbook.yaml": SETTINGS + colors}))[STATEMENT])
    light, dark = wcag_ratio("#7fa7d9", "#ffffff"), wcag_ratio("#f4a261", "#15191d")
    assert light < 4.5 < dark
    assert f"Light mode #ffffff #7fa7d9 set in playbook.yaml {int(light * 100) / 100}:1 below 4.5:1" in statement
    assert f"Dark mode #15191d #f4a261 set in playbook.yaml {int(dark * 100) / 100}:1 meets level AA" in statement
    assert "Links in a color below 4.5:1 are hard to read." in statement


def test_the_statement_gives_the_colors_a_reader_sees_in_dark_mode(project: Callable[..., Path], browser: Any) -> None:
    # Only a light accent: the pages use it in dark mode too, and so must the statement.
    root = project({"playbook.yaml": SETTINGS + 'colors:\n  accent: "#1d4f91"\n'})
    site = build(root, root / "_site", cache=False).out_dir
    statement = main_text((site / STATEMENT).read_text(encoding="utf-8"))
    assert (
        f"Dark mode #15191d #1d4f91 set in playbook.yaml {int(wcag_ratio('#1d4f91', '#15191d') * 100) / 100}:1 below 4.5:1"
        in statement
    )
    context = browser.new_context(**view(1280, "dark"))
    try:
        page = context.new_page()
        page.goto((site / STATEMENT).as_uri())
        seen = page.locator(".breadcrumb a").first.evaluate("a => getComputedStyle(a).color")
        assert seen == "rgb(29, 79, 145)"  # #1d4f91
    finally:
        context.close()


def test_the_statement_counts_images_and_says_what_it_cannot_vouch_for(project: Callable[..., Path]) -> None:
    guide = (
        "---\ntitle: Welcome\nsummary: Start here.\n---\n## How this works\n\n"
        "Read [running a meeting](mentor/running.md) and fill in the [goals](../worksheets/goals.yaml).\n\n"
        "![A dot](../assets/dot.svg) ![](../assets/dot.svg) ![A map](https://example.org/map.png)\n"
    )
    settings = SETTINGS + "organization: Northwind\ncontact: access@northwind.example\nmarkdown:\n  allow_html: true\n"
    page = built(project({"content/guides/welcome.md": guide, "playbook.yaml": settings}))[STATEMENT]
    statement = main_text(page)

    assert "Images in the guides and other texts 3" in statement
    assert "With a text alternative for screen readers 2" in statement
    assert "Loaded from another site 1" in statement
    assert "1 image has no text alternative" in statement
    assert "The exception is 1 image loaded from another site" in statement
    assert "this statement cannot vouch for it" in statement
    assert 'tell Northwind at <a href="mailto:access@northwind.example">access@northwind.example</a>' in page


def test_a_playbook_without_images_or_raw_html_says_so(example_site: Path) -> None:
    statement = main_text((example_site / STATEMENT).read_text(encoding="utf-8"))
    assert "The guides and other texts show no images." in statement
    assert "is shown as text, not used as markup" in statement
    assert "tell Northwind Product Guild: say which page" in statement
    assert "Each page states its language, English," in statement


def test_a_project_template_replaces_the_statement(project: Callable[..., Path]) -> None:
    own = '{% extends "base.html" %}{% block content %}<h1>Our own statement</h1><p>{{ site.statement.images }} images.</p>{% endblock %}\n'
    pages = built(project({"templates/accessibility.html": own}))
    assert "Our own statement 0 images." in main_text(pages[STATEMENT])
    assert "accessibility.html" in footer_links(pages["index.html"])


def test_the_measured_colors_are_the_default_theme_s() -> None:
    from generator.contrast import DARK_BACKGROUND, DEFAULT_ACCENT, DEFAULT_ACCENT_DARK, LIGHT_BACKGROUND

    css = (REPO / "themes" / "default" / "static" / "playbook.css").read_text(encoding="utf-8")
    light = css[css.index(":root {") : css.index("}", css.index(":root {"))]
    dark_start = css.index(":root {", css.index("@media (prefers-color-scheme: dark)"))
    dark = css[dark_start : css.index("}", dark_start)]
    assert f"--background: {LIGHT_BACKGROUND};" in light and f"--accent: {DEFAULT_ACCENT};" in light
    assert f"--background: {DARK_BACKGROUND};" in dark and f"--accent: {DEFAULT_ACCENT_DARK};" in dark
