"""A rebuild after edits gives exactly the files a clean build of the same content gives."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import MINIMAL, REPO
from generator.build import BuildSession
from generator.errors import PlaybookError

Edit = Callable[[Path, random.Random], list[str]]


def append(root: Path, rel: str, text: str) -> list[str]:
    path = root / rel
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    return [rel]


def replace(root: Path, rel: str, old: str, new: str) -> list[str]:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(old, new, 1) if old in text else text, encoding="utf-8")
    return [rel]


def guide_body(root: Path, rng: random.Random) -> list[str]:
    return append(
        root, "content/guides/welcome.md", f"\n## Note {rng.randint(1, 999)}\n\nMore words, zebra {rng.random()}.\n"
    )


def guide_title(root: Path, rng: random.Random) -> list[str]:
    text = (root / "content/guides/mentor/running.md").read_text(encoding="utf-8")
    title = text.splitlines()[1]
    return replace(root, "content/guides/mentor/running.md", title, f"title: Running meeting {rng.randint(1, 99)}")


def add_guide(root: Path, rng: random.Random) -> list[str]:
    rel = f"content/guides/extra-{rng.randint(1, 5)}.md"
    (root / rel).write_text(
        f"---\ntitle: Extra {rng.randint(1, 99)}\n---\n## Part\n\nSee [welcome](welcome.md#how-this-works).\n",
        encoding="utf-8",
    )
    return [rel]


def remove_guide(root: Path, rng: random.Random) -> list[str]:
    extras = sorted((root / "content/guides").glob("extra-*.md"))
    if not extras:
        return []
    victim = rng.choice(extras)
    victim.unlink()
    return [victim.relative_to(root).as_posix()]


def month_title(root: Path, rng: random.Random) -> list[str]:
    """Month 2's title, which month pages, the program page and the pages of guides it uses show."""
    lines = (root / "content/programs/year.yaml").read_text(encoding="utf-8").splitlines()
    line = lines[lines.index("  - number: 2") + 1]
    return replace(root, "content/programs/year.yaml", line, f"    title: Plan {rng.randint(1, 99)}")


def program_title(root: Path, rng: random.Random) -> list[str]:
    """The program's title, which the navigation of every page shows."""
    text = (root / "content/programs/year.yaml").read_text(encoding="utf-8")
    return replace(root, "content/programs/year.yaml", text.splitlines()[0], f"title: A year {rng.randint(1, 99)}")


def checklist_item(root: Path, rng: random.Random) -> list[str]:
    return append(
        root,
        "content/checklists/first-meeting.yaml",
        f"  - text: Bring item {rng.randint(1, 999)}.\n    owner: mentor\n    when: before\n",
    )


def worksheet_label(root: Path, rng: random.Random) -> list[str]:
    text = (root / "content/worksheets/goals.yaml").read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if "label:" in line)
    return replace(root, "content/worksheets/goals.yaml", line, f"        label: Question {rng.randint(1, 99)}?")


def template(root: Path, rng: random.Random) -> list[str]:
    rel = "templates/guide.html"
    (root / "templates").mkdir(exist_ok=True)
    if rng.random() < 0.3 and (root / rel).exists():
        (root / rel).unlink()
    else:
        (root / rel).write_text(
            '{% extends "base.html" %}{% block content %}<h1>'
            + str(rng.randint(1, 99))
            + " {{ page.title }}</h1>{% endblock %}\n",
            encoding="utf-8",
        )
    return [rel]


def settings(root: Path, rng: random.Random) -> list[str]:
    text = (root / "playbook.yaml").read_text(encoding="utf-8")
    return replace(root, "playbook.yaml", text.splitlines()[0], f"title: Playbook {rng.randint(1, 99)}")


def asset(root: Path, rng: random.Random) -> list[str]:
    rel = f"content/assets/note-{rng.randint(1, 3)}.txt"
    (root / rel).write_text(str(rng.random()), encoding="utf-8")
    return [rel]


def changelog(root: Path, rng: random.Random) -> list[str]:
    """A new edition in content/CHANGELOG.md (the file made first if need be): the home page names the newest."""
    rel = "content/CHANGELOG.md"
    path = root / rel
    before = path.read_text(encoding="utf-8") if path.exists() else "# Changelog\n"
    title, _, rest = before.partition("\n")
    edition = f"\n## 2027.{rng.randint(1, 99)}\n\nSee [welcome](guides/welcome.md), zebra {rng.random()}.\n"
    path.write_text(title + "\n" + edition + rest, encoding="utf-8")
    return [rel]


def remove_changelog(root: Path, rng: random.Random) -> list[str]:
    path = root / "content" / "CHANGELOG.md"
    if not path.exists():
        return []
    path.unlink()
    return ["content/CHANGELOG.md"]


def guide_image(root: Path, rng: random.Random) -> list[str]:
    """An image in a guide, with or without a text alternative: what the accessibility statement counts."""
    alt = rng.choice(["", "A dot"])
    return append(root, "content/guides/welcome.md", f"\n![{alt}](../assets/dot.svg)\n")


def break_a_file(root: Path, rng: random.Random) -> list[str]:
    return append(root, "content/programs/year.yaml", "months: [\n")


def fix_the_file(root: Path, rng: random.Random) -> list[str]:
    return replace(root, "content/programs/year.yaml", "months: [\n", "")


EDITS: list[Edit] = [
    guide_body,
    guide_title,
    add_guide,
    remove_guide,
    month_title,
    program_title,
    checklist_item,
    worksheet_label,
    template,
    settings,
    asset,
    changelog,
    remove_changelog,
    guide_image,
    break_a_file,
    fix_the_file,
]


def clean_build(root: Path) -> dict[str, bytes]:
    return BuildSession(root).build()[1].files


@pytest.mark.parametrize("seed", range(8))
def test_random_edits_rebuild_to_the_same_bytes_as_a_clean_build(project: Callable[..., Path], seed: int) -> None:
    rng = random.Random(seed)
    root = project({"playbook.yaml": (MINIMAL / "playbook.yaml").read_text() + "start_date: 2027-02-01\n"})
    session = BuildSession(root, again=True)
    session.build()
    checked = 0
    for _ in range(12):
        broken = "months: [" in (root / "content/programs/year.yaml").read_text(encoding="utf-8")
        edit = fix_the_file if broken and rng.random() < 0.5 else rng.choice(EDITS)
        changed = edit(root, rng)
        # The dev server names the files its watcher saw; half the time, rely on time stamps alone.
        named = changed if rng.random() < 0.5 else []
        try:
            _, rendered = session.build(named if named else changed)
        except PlaybookError:
            with pytest.raises(PlaybookError):
                clean_build(root)
            continue
        assert rendered.files == clean_build(root)
        checked += 1
    assert checked >= 5


def test_a_rebuild_renders_only_what_an_edit_touches(project: Callable[..., Path]) -> None:
    root = project()
    session = BuildSession(root, again=True)
    _, first = session.build()
    guide_body(root, random.Random(1))

    _, second = session.build(["content/guides/welcome.md"])

    assert {"guides/welcome/index.html", "search/index.js"} <= set(second.fresh)
    untouched = {
        "index.html",  # lists of guides show titles and summaries, which did not change
        "guides/index.html",
        "programs/year/month-01/index.html",
        "guides/mentor/running/index.html",  # it links to welcome, but shows nothing of it
        "programs/year/month-02/index.html",  # month 1 uses the welcome guide, month 2 does not
        "worksheets/goals/index.html",
        "checklists/first-meeting/index.html",
        "worksheets/index.html",
        "checklists/index.html",
    }
    assert untouched & set(second.fresh) == set()
    assert untouched <= set(first.fresh)
    assert second.files == clean_build(root)


def test_the_home_page_and_the_statement_are_made_again_only_when_what_they_show_changes(
    project: Callable[..., Path],
) -> None:
    root = project({"content/CHANGELOG.md": "## 2027.1\n\nThe first edition.\n"})
    session = BuildSession(root, again=True)
    session.build()

    append(root, "content/CHANGELOG.md", "\nMore about the first edition.\n")
    _, words = session.build(["content/CHANGELOG.md"])
    replace(root, "content/CHANGELOG.md", "## 2027.1", "## 2027.2")
    _, heading = session.build(["content/CHANGELOG.md"])
    guide_body(root, random.Random(2))
    _, text = session.build(["content/guides/welcome.md"])
    append(root, "content/guides/welcome.md", "\n![A dot](../assets/dot.svg)\n")
    _, image = session.build(["content/guides/welcome.md"])

    pages = ("changes.html", "index.html", "accessibility.html")
    assert [page in words.fresh for page in pages] == [True, False, False]  # the newest edition is the same
    assert [page in heading.fresh for page in pages] == [True, True, False]
    assert [page in text.fresh for page in pages] == [False, False, False]
    assert [page in image.fresh for page in pages] == [False, False, True]  # one more image to count
    assert image.files == clean_build(root)


def test_a_new_guide_title_renders_the_lists_that_show_it(project: Callable[..., Path]) -> None:
    root = project()
    session = BuildSession(root, again=True)
    session.build()
    replace(root, "content/guides/welcome.md", "title: Welcome", "title: Welcome aboard")

    _, rendered = session.build(["content/guides/welcome.md"])

    assert {"index.html", "guides/index.html", "programs/year/month-01/index.html", "guides/welcome/index.html"} <= set(
        rendered.fresh
    )
    assert "programs/year/month-02/index.html" not in rendered.fresh
    assert rendered.files == clean_build(root)


def test_editing_one_template_renders_only_its_pages(project: Callable[..., Path]) -> None:
    root = project({"templates/checklist.html": '{% extends "base.html" %}{% block content %}A{% endblock %}\n'})
    session = BuildSession(root, again=True)
    session.build()
    (root / "templates" / "checklist.html").write_text('{% extends "base.html" %}{% block content %}B{% endblock %}\n')

    _, rendered = session.build(["templates/checklist.html"])

    assert [url for url in rendered.fresh if url.endswith(".html")] == ["checklists/first-meeting/index.html"]


def test_editing_the_card_body_renders_each_card_and_the_pack_of_cards(project: Callable[..., Path]) -> None:
    body = (REPO / "themes" / "default" / "templates" / "card-body.html").read_text(encoding="utf-8")
    root = project({"templates/card-body.html": body})
    session = BuildSession(root, again=True)
    session.build()
    (root / "templates" / "card-body.html").write_text(body + "<p>Bring a pen.</p>\n", encoding="utf-8")

    _, rendered = session.build(["templates/card-body.html"])

    assert sorted(url for url in rendered.fresh if url.endswith(".html")) == [
        "programs/year/cards/index.html",
        "programs/year/month-01/card/index.html",
        "programs/year/month-02/card/index.html",
    ]
    assert rendered.files["programs/year/cards/index.html"].count(b"Bring a pen.") == 2
    assert rendered.files == clean_build(root)


def test_the_example_rebuilds_to_the_same_bytes(tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "example"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "playbook.yaml", root / "playbook.yaml")
    session = BuildSession(root, again=True)
    session.build()
    rng = random.Random(7)
    replace(root, "content/guides/protege/choosing-a-mentor.md", "## ", f"## Zebra {rng.randint(1, 9)} ")
    replace(root, "content/programs/twelve-months.yaml", "title: Kick-off", "title: The kick-off")
    _, rendered = session.build()
    assert rendered.files == clean_build(root)
