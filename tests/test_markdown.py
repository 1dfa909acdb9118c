"""Markdown features and link rewriting, table-driven from fixtures/markdown.txt.

Each case is rendered as if written in content/guides/page.md and shown on that
guide's page (guides/page/index.html), so links appear as the reader gets them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.links import Targets, relative_urls, resolve
from generator.markdown import Link, create_markdown, render_markdown

FIXTURES = Path(__file__).parent / "fixtures" / "markdown.txt"
SOURCE = "content/guides/page.md"
PAGE = "guides/page/index.html"
TARGETS = Targets(
    pages={
        "content/guides/page.md": "guides/page/index.html",
        "content/guides/other.md": "guides/other/index.html",
        "content/guides/mentor/first.md": "guides/mentor/first/index.html",
        "content/worksheets/vision.yaml": "worksheets/vision/index.html",
        "content/checklists/first-meeting.yaml": "checklists/first-meeting/index.html",
        "content/programs/year.yaml": "programs/year/index.html",
    },
    months={
        "content/programs/year.yaml": {1: "programs/year/month-01/index.html", 3: "programs/year/month-03/index.html"}
    },
    assets={"content/assets/team photo.png": "assets/team photo.png"},
    guides={"content/guides/other.md": "other", "content/guides/page.md": "page"},
)


def read_cases() -> list[tuple[str, str, str]]:
    """(title, Markdown, expected HTML) from the fixture file: blocks separated by lines of one dot."""
    lines = FIXTURES.read_text(encoding="utf-8").split("\n")
    cases, i = [], 0
    while i < len(lines):
        if lines[i].strip() == "" or lines[i].startswith("#"):
            i += 1
            continue
        title = lines[i]
        assert lines[i + 1] == ".", f"expected '.' after the title {title!r}"
        end_source = lines.index(".", i + 2)
        end_html = lines.index(".", end_source + 1)
        cases.append(
            (title, "\n".join(lines[i + 2 : end_source]) + "\n", "\n".join(lines[end_source + 1 : end_html]) + "\n")
        )
        i = end_html + 1
    return cases


CASES = read_cases()


def render(text: str, allow_html: bool = False) -> tuple[str, list[str]]:
    md = create_markdown(allow_html=allow_html)
    rendered = render_markdown(md, text, lambda href, image: resolve(href, SOURCE, image, TARGETS))
    problems = [f"{p.line}:{p.col}: {p.message}" for p in rendered.problems]
    return relative_urls(rendered.html, PAGE), problems


@pytest.mark.parametrize(("title", "source", "expected"), CASES, ids=[c[0] for c in CASES])
def test_markdown_renders_as_expected(title: str, source: str, expected: str) -> None:
    html, problems = render(source)
    assert html == expected
    assert problems == []


def test_raw_html_is_shown_as_text_by_default() -> None:
    html, _ = render('<script>alert("x")</script>\n\nText with <b onclick="x()">bold</b>.\n')
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<b onclick" not in html


def test_raw_html_passes_when_the_playbook_allows_it() -> None:
    html, _ = render("<details><summary>More</summary>Hidden</details>\n", allow_html=True)
    assert "<details><summary>More</summary>Hidden</details>" in html


def test_unsafe_links_are_errors_where_they_are_written_and_never_links() -> None:
    html, problems = render(
        "Intro.\n\n[click](javascript:alert(1)) and ![x](javascript:alert(1))\n"
        "[that](java&#115;cript:alert(3)), <vbscript:msgbox(4)>, [data](data:text/html,<b>x</b>)\n"
        "and [a file](FILE:///etc/passwd) and [again](javascript:alert(1)).\n"
    )
    assert problems == [
        "2:9: links with 'javascript:' are not allowed",
        "2:39: images with 'javascript:' are not allowed",
        "3:8: links with 'javascript:' are not allowed",
        "3:36: links with 'vbscript:' are not allowed",
        "3:64: links with 'data:' are not allowed",
        "4:14: links with 'file:' are not allowed",
        "4:46: links with 'javascript:' are not allowed",
    ]
    assert html == ("<p>Intro.</p>\n<p>click and x\nthat, vbscript:msgbox(4), data\nand a file and again.</p>\n")


def test_no_resolver_can_make_markdown_it_emit_an_unsafe_link() -> None:
    md = create_markdown(allow_html=False)
    rendered = render_markdown(md, "[a](x.md) ![b](y.png)\n", lambda href, image: Link("javascript:alert(1)"))
    assert rendered.html == "<p>a b</p>\n"


def test_broken_links_are_reported_with_line_and_column() -> None:
    _, problems = render("Intro.\n\nSee [this](missing.md) and\n[that](../worksheets/visoin.yaml).\n")
    assert problems == [
        "2:12: broken link: 'missing.md' does not exist",
        "3:8: broken link: '../worksheets/visoin.yaml' does not exist",
    ]


def test_same_input_gives_the_same_html() -> None:
    source = "- [ ] one\n- [x] two\n\nText[^n].\n\n[^n]: Note.\n"
    assert render(source) == render(source)


def test_a_link_without_a_scheme_asks_for_the_whole_address() -> None:
    html, problems = render("See [the site](//example.org/guide).\n")
    assert problems == ["0:16: '//example.org/guide' has no scheme"]
    assert html == "<p>See the site.</p>\n"
