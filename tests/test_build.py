"""Building a whole playbook: the example, the same bytes every time, and all-or-nothing output."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import Run, snapshot, write_files
from generator.build import build, check
from generator.errors import PlaybookError
from generator.output import MARKER, SiteWriter
from sitecheck import broken_links, count_controls, read_page, unlabelled_controls


def test_example_has_a_page_for_every_month(example_site: Path) -> None:
    months = sorted(p.parent.name for p in (example_site / "programs" / "twelve-months").glob("month-*/index.html"))
    assert months == [f"month-{n:02d}" for n in range(1, 13)]


def test_example_has_at_least_ten_worksheets_and_six_checklists(example_site: Path) -> None:
    assert len(list((example_site / "worksheets").glob("*/index.html"))) >= 10
    assert len(list((example_site / "checklists").glob("*/index.html"))) >= 6
    assert len(list((example_site / "guides").rglob("*/index.html"))) >= 10


def test_every_link_of_the_example_opens_from_disk(example_site: Path) -> None:
    assert broken_links(example_site) == []


def test_month_pages_link_to_their_neighbours_and_their_material(example_site: Path) -> None:
    page = example_site / "programs" / "twelve-months" / "month-06" / "index.html"
    html = page.read_text(encoding="utf-8")
    links = read_page(page).urls
    assert "../month-05/index.html" in links and "../month-07/index.html" in links
    assert "../../../worksheets/network-introduction-brief/index.html" in links
    assert (
        html.index("Goal") < html.index("Before the meeting") < html.index("Agenda") < html.index("After the meeting")
    )


def test_first_and_last_month_have_one_neighbour(example_site: Path) -> None:
    first = read_page(example_site / "programs" / "twelve-months" / "month-01" / "index.html")
    last = read_page(example_site / "programs" / "twelve-months" / "month-12" / "index.html")
    assert "../month-02/index.html" in first.urls and "../month-00/index.html" not in first.urls
    assert "../month-11/index.html" in last.urls and "../month-13/index.html" not in last.urls


def test_every_form_control_has_a_label(example_site: Path) -> None:
    pages = [*(example_site / "worksheets").glob("*/index.html"), *(example_site / "checklists").glob("*/index.html")]
    unlabelled = {p.parent.name: unlabelled_controls(p) for p in pages}
    assert {name: controls for name, controls in unlabelled.items() if controls} == {}
    assert sum(count_controls(p) for p in pages) > 200


def test_worksheets_use_every_field_type(example_site: Path) -> None:
    html = "".join(p.read_text(encoding="utf-8") for p in (example_site / "worksheets").glob("*/index.html"))
    for field_type in ("short_text", "long_text", "list", "date", "scale", "choice", "table"):
        assert f"field--{field_type}" in html
    assert 'type="date"' in html and "<textarea" in html and 'type="radio"' in html and "<table" in html


def test_same_input_gives_the_same_bytes(example_project: Path, tmp_path: Path) -> None:
    build(example_project, tmp_path / "one", cache=False)
    build(example_project, tmp_path / "two", cache=False)
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")


def test_a_failed_build_leaves_the_previous_site_as_it_was(
    project: Callable[..., Path], playbook: Callable[..., Run]
) -> None:
    root = project()
    assert playbook("build", root).code == 0
    before = snapshot(root / "_site")
    write_files(root, {"content/programs/year.yaml": "title: [broken\n"})

    run = playbook("build", root)

    assert run.code == 1
    assert snapshot(root / "_site") == before
    assert sorted(p.name for p in root.iterdir()) == [".playbook-cache", "_site", "content", "playbook.yaml"]


def test_a_write_that_fails_half_way_leaves_the_previous_site(project: Callable[..., Path]) -> None:
    root = project()
    out = root / "_site"
    build(root, out)
    before = snapshot(out)

    with pytest.raises(ValueError, match="outside the output folder"), SiteWriter(out, root) as writer:
        writer.add("index.html", b"new")
        writer.add("../escape.html", b"x")

    assert snapshot(out) == before
    assert not (root / "escape.html").exists()
    assert sorted(p.name for p in root.iterdir()) == [".playbook-cache", "_site", "content", "playbook.yaml"]


def test_a_rebuild_drops_pages_whose_source_is_gone(project: Callable[..., Path]) -> None:
    root = project()
    build(root, root / "_site")
    assert (root / "_site" / "guides" / "mentor" / "running" / "index.html").is_file()
    (root / "content" / "guides" / "mentor" / "running.md").unlink()
    write_files(
        root,
        {
            "content/programs/year.yaml": (root / "content/programs/year.yaml")
            .read_text()
            .replace("    guides: [mentor/running]\n", ""),
            "content/guides/welcome.md": "---\ntitle: Welcome\n---\nHello.\n",
        },
    )

    build(root, root / "_site")

    assert not (root / "_site" / "guides" / "mentor" / "running").exists()


def test_output_folder_with_other_files_is_not_replaced(project: Callable[..., Path], tmp_path: Path) -> None:
    root = project()
    precious = tmp_path / "documents"
    write_files(precious, {"thesis.txt": "years of work"})

    with pytest.raises(PlaybookError, match="files that a build did not make"):
        build(root, precious)

    assert (precious / "thesis.txt").read_text() == "years of work"


@pytest.mark.parametrize("where", [".", "..", "content", "content/site"])
def test_output_folder_may_not_hold_or_sit_in_the_sources(project: Callable[..., Path], where: str) -> None:
    root = project()
    before = snapshot(root)
    with pytest.raises(PlaybookError):
        build(root, root / where)
    assert snapshot(root) == before


def test_the_output_folder_is_marked_as_made_by_a_build(project: Callable[..., Path]) -> None:
    root = project()
    build(root, root / "_site")
    assert (root / "_site" / MARKER).is_file()
    build(root, root / "_site")  # a folder it made may be replaced


def test_content_is_escaped_in_every_field(project: Callable[..., Path]) -> None:
    root = project(
        {
            "content/checklists/first-meeting.yaml": (
                "title: <script>alert('title')</script>\n"
                "summary: '\"><img src=x onerror=alert(1)>'\n"
                "items:\n"
                '  - text: <b>bold</b> and <a href="javascript:alert(1)">a link</a>\n'
                "    owner: protege\n"
            )
        }
    )
    build(root, root / "_site")
    html = (root / "_site" / "checklists" / "first-meeting" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in html
    assert "<img src=x" not in html and "<b>bold</b>" not in html
    assert 'href="javascript' not in html


def test_a_template_edited_between_two_builds_in_one_process_is_compiled_again(project: Callable[..., Path]) -> None:
    # Templates compiled by one build are kept for the next in the same process (the dev server, these tests):
    # a changed template must still show its new text.
    page = "templates/guide.html"
    root = project({page: '{% extends "base.html" %}{% block content %}<h1>First</h1>{% endblock %}\n'})
    build(root, root / "_site", cache=False)
    (root / page).write_text('{% extends "base.html" %}{% block content %}<h1>Second</h1>{% endblock %}\n')
    build(root, root / "_site", cache=False)
    html = (root / "_site" / "guides" / "welcome" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Second</h1>" in html and "First" not in html


def test_a_project_template_overrides_the_theme(project: Callable[..., Path]) -> None:
    root = project(
        {
            "templates/guide.html": '{% extends "base.html" %}{% block content %}<h1>Custom: {{ page.guide.title }}</h1>{% endblock %}\n'
        }
    )
    build(root, root / "_site")
    html = (root / "_site" / "guides" / "welcome" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Custom: Welcome</h1>" in html
    assert 'class="site-header"' in html  # the rest still comes from the theme


def test_a_broken_template_is_reported_with_its_file_and_line(
    project: Callable[..., Path], playbook: Callable[..., Run]
) -> None:
    root = project(
        {
            "templates/guide.html": '{% extends "base.html" %}\n{% block content %}\n{{ page.guide.nothing_here }}\n{% endblock %}\n'
        }
    )
    run = playbook("build", root)
    assert run.code == 1
    assert run.diagnostics[0].startswith("templates/guide.html:3:1: error: rendering guides/")
    assert "nothing_here" in run.diagnostics[0]
    assert "Traceback" not in run.err


def test_each_broken_link_is_compared_with_a_few_pages_not_with_all(
    project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The did-you-mean search indexes the pages once: 10,000 broken links among 10,000 pages took 135 s."""
    count = 400
    guides = {
        f"content/guides/topic-{n:04d}.md": f"---\ntitle: Topic {n}\n---\nSee [more](topic-{n:04d}-more.md).\n"
        for n in range(count)
    }
    guides["content/guides/typo.md"] = "---\ntitle: Typo\n---\nSee [topic 321](tpoic-0321.md).\n"
    root = project(guides)
    compared: list[str] = []
    compare = difflib.SequenceMatcher.set_seq1  # a did-you-mean search sets each choice it weighs, once

    def counting(matcher: Any, choice: str) -> None:
        compared.append(choice)
        compare(matcher, choice)

    monkeypatch.setattr(difflib.SequenceMatcher, "set_seq1", counting)
    monkeypatch.setenv("PLAYBOOK_WORKERS", "1")  # every comparison in this process, where it is counted

    with pytest.raises(PlaybookError) as failed:
        check(root)

    broken = [d for d in failed.value.errors if d.message.startswith("broken link")]
    assert len(broken) == count + 1
    assert len(compared) < 50 * len(broken)  # it was about 2 * count for each link
    typo = next(d for d in broken if d.path == "content/guides/typo.md")
    assert typo.hint == "did you mean 'topic-0321.md'?"
