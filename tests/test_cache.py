"""The content cache and the previous output: faster builds that give the same bytes, and a cache never trusted blindly."""

from __future__ import annotations

import pickle
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import REPO, Run, snapshot, write_files
from generator.build import BuildSession, build
from generator.cache import CACHE_FILE, CACHE_FOLDER, read_cache


def test_a_warm_build_gives_the_same_site_and_knows_it_is_up_to_date(
    project: Callable[..., Path], playbook: Callable[..., Run]
) -> None:
    root = project()
    first = playbook("build", root)
    assert first.code == 0 and (root / CACHE_FOLDER / CACHE_FILE).is_file()
    cold = snapshot(root / "_site")

    again = playbook("build", root)

    assert again.code == 0
    assert "is up to date: nothing changed since the last build" in again.out
    assert snapshot(root / "_site") == cold


def test_after_an_edit_a_cached_build_equals_a_clean_one(project: Callable[..., Path], tmp_path: Path) -> None:
    root = project()
    build(root, root / "_site")
    guide = root / "content" / "guides" / "welcome.md"
    guide.write_text(guide.read_text() + "\nA new paragraph.\n", encoding="utf-8")

    result = build(root, root / "_site")
    build(root, tmp_path / "clean", cache=False)

    assert result.rendered < result.pages  # most pages were kept, not made again
    assert snapshot(root / "_site") == snapshot(tmp_path / "clean")


def test_a_touched_but_unchanged_file_keeps_every_page(
    project: Callable[..., Path], playbook: Callable[..., Run]
) -> None:
    root = project()
    playbook("build", root)
    (root / "content" / "guides" / "welcome.md").touch()
    run = playbook("build", root)
    assert "is up to date" in run.out and "checked in" in run.out  # it looked, and found nothing to write


def test_template_and_option_changes_are_noticed(project: Callable[..., Path], playbook: Callable[..., Run]) -> None:
    root = project()
    playbook("build", root)
    write_files(
        root, {"templates/guide.html": '{% extends "base.html" %}{% block content %}<p>Changed</p>{% endblock %}\n'}
    )
    assert "Built " in playbook("build", root).out
    assert "<p>Changed</p>" in (root / "_site" / "guides" / "welcome" / "index.html").read_text()
    strict = playbook("build", root, "--strict").out  # other options: it must look again
    assert "nothing changed since the last build" not in strict and "checked in" in strict


def test_an_output_file_changed_by_hand_is_made_again(
    project: Callable[..., Path], playbook: Callable[..., Run]
) -> None:
    root = project()
    playbook("build", root)
    page = root / "_site" / "guides" / "welcome" / "index.html"
    good = page.read_bytes()
    page.write_text("vandalised")
    assert "Built " in playbook("build", root).out
    assert page.read_bytes() == good


def test_a_damaged_cache_is_ignored(project: Callable[..., Path], playbook: Callable[..., Run]) -> None:
    root = project()
    playbook("build", root)
    body = root / CACHE_FOLDER / CACHE_FILE
    data = bytearray(body.read_bytes())
    data[len(data) // 2] ^= 0xFF
    body.write_bytes(bytes(data))
    assert read_cache(root) is None
    (root / "content" / "guides" / "welcome.md").write_text("---\ntitle: Welcome back\n---\n## How this works\n\nHi.\n")
    run = playbook("build", root)
    assert run.code == 0
    assert "Welcome back" in (root / "_site" / "guides" / "welcome" / "index.html").read_text()
    assert read_cache(root) is not None  # a good one was written again


def test_a_cache_made_elsewhere_is_never_loaded(
    project: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project()
    build(root, root / "_site")
    assert read_cache(root) is not None
    # A cache that would run code when unpickled, put in the project by someone else.
    planted = tmp_path / "pwned"
    payload = pickle.dumps(type("Evil", (), {"__reduce__": lambda self: (Path.touch, (planted,))})())
    (root / CACHE_FOLDER / CACHE_FILE).write_bytes(payload)
    assert read_cache(root) is None
    assert not planted.exists()
    # Even a genuine cache is refused by another account, whose key differs.
    build(root, root / "_site")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "someone-else"))
    assert read_cache(root) is None


def test_no_cache_reads_and_writes_no_cache(project: Callable[..., Path], playbook: Callable[..., Run]) -> None:
    root = project()
    run = playbook("build", root, "--no-cache")
    assert run.code == 0 and "Built " in run.out
    assert not (root / CACHE_FOLDER).exists()
    assert "Built " in playbook("build", root, "--no-cache").out  # never "up to date": it does not look


def test_clean_deletes_the_cache_and_the_built_site(
    project: Callable[..., Path], playbook: Callable[..., Run], tmp_path: Path
) -> None:
    root = project()
    playbook("build", root)
    run = playbook("clean", root)
    assert run.code == 0 and "Deleted" in run.out
    assert not (root / CACHE_FOLDER).exists() and not (root / "_site").exists()
    assert playbook("clean", root).out.strip() == "Nothing to delete."
    write_files(tmp_path / "mine", {"notes.txt": "keep"})
    playbook("clean", root, "-o", tmp_path / "mine")
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep"  # not made by a build: left alone


def test_a_session_from_the_cache_reads_no_unchanged_file(project: Callable[..., Path]) -> None:
    root = project()
    build(root, root / "_site")
    session = BuildSession(root, cache=True)
    before = session.project
    session.check()
    assert session.project is not None and before is not None
    assert all(session.project.loaded[path] is before.loaded[path] for path in before.loaded)


def test_help_and_check_load_only_what_they_use(tmp_path: Path) -> None:
    probe = (
        "import sys; from generator.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print('LOADED:', ' '.join(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('jinja2', 'pydantic', 'markdown_it', 'yaml', 'icalendar', 'weasyprint', 'watchdog') "
        "or m in ('generator.render', 'generator.search', 'generator.serve'))))"
    )
    helped = subprocess.run(
        [sys.executable, "-c", probe, "--help"], capture_output=True, text=True, cwd=REPO, check=False
    )
    assert helped.stdout.splitlines()[-1] == "LOADED: "  # --help loads none of them
    checked = subprocess.run(
        [sys.executable, "-c", probe, "check", str(REPO)], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    loaded = set(checked.stdout.splitlines()[-1].split()[1:])
    assert {
        "icalendar",
        "weasyprint",
        "watchdog",
        "generator.render",
        "generator.search",
        "generator.serve",
    }.isdisjoint(loaded)
    assert "pydantic" in loaded and "jinja2" in loaded
