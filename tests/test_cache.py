"""The content cache and the previous output: faster builds that give the same bytes, and a cache never trusted blindly."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import REPO, Run, snapshot, write_files
from generator.build import BuildSession, build
from generator.cache import CACHE_FILE, CACHE_FOLDER, SIGNATURE_FILE, read_cache


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


def test_a_changelog_added_edited_and_removed_gives_the_pages_a_clean_build_gives(
    project: Callable[..., Path], tmp_path: Path
) -> None:
    root = project()
    build(root, root / "_site")
    changelog = root / "content" / "CHANGELOG.md"
    for step, text in enumerate(["## 2027.1\n\nThe first edition.\n", "## 2027.2\n\nA second one.\n", None]):
        if text is None:
            changelog.unlink()
        else:
            changelog.write_text(text, encoding="utf-8")
        build(root, root / "_site")
        build(root, tmp_path / f"clean-{step}", cache=False)
        assert snapshot(root / "_site") == snapshot(tmp_path / f"clean-{step}"), step
    assert not (root / "_site" / "changes.html").exists()


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


def same_size_edit(page: Path) -> bytes:
    """Put a script into a built page without changing its size, as a hand or a repository could; the new bytes."""
    good = page.read_bytes()
    script = b"<script>alert(1)</script>"
    at = good.index(b"<main")
    doctored = good[:at] + script + good[at + len(script) :]
    assert len(doctored) == len(good) and doctored != good
    return doctored


def test_a_same_size_edit_of_a_built_page_is_undone_by_the_next_build(
    project: Callable[..., Path], playbook: Callable[..., Run]
) -> None:
    root = project()
    playbook("build", root)
    page = root / "_site" / "guides" / "welcome" / "index.html"
    good = page.read_bytes()
    info = page.stat()
    page.write_bytes(same_size_edit(page))  # in place: the same inode
    os.utime(
        page, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000)
    )  # a second later, whatever the clock's grain
    other = root / "_site" / "index.html"
    before = other.read_bytes()

    run = playbook("build", root)

    assert run.code == 0 and "Built " in run.out
    assert page.read_bytes() == good
    assert other.read_bytes() == before


def test_a_doctored_site_and_records_from_elsewhere_are_not_kept(
    project: Callable[..., Path], playbook: Callable[..., Run], tmp_path: Path
) -> None:
    # A repository that holds a built site with a script put in a page (sizes and time stamps as
    # they were), its manifest, and the record of the build that made it.
    root = project()
    playbook("build", root)
    page = root / "_site" / "guides" / "welcome" / "index.html"
    good = page.read_bytes()
    info = page.stat()
    page.write_bytes(same_size_edit(page))
    os.utime(page, ns=(info.st_atime_ns, info.st_mtime_ns))
    clone = tmp_path / "clone"
    shutil.copytree(root, clone)  # keeps every time stamp, as an archive would
    record = clone / ".playbook-cache" / "inputs.json"
    record.write_text(record.read_text(encoding="utf-8").replace(str(root), str(clone)), encoding="utf-8")

    run = playbook("build", clone)

    assert run.code == 0
    assert (clone / "_site" / "guides" / "welcome" / "index.html").read_bytes() == good
    assert snapshot(clone / "_site") == snapshot(root / "_site") | {"guides/welcome/index.html": good}


def build_in_a_process(root: Path) -> subprocess.CompletedProcess[str]:
    """`playbook build` in a process of its own, so that a build that hangs or eats memory fails the test instead."""
    limit = "import resource; resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30)); "
    command = [sys.executable, "-c", limit + "from generator.cli import main; raise SystemExit(main())", "build", root]
    return subprocess.run(
        [str(part) for part in command], capture_output=True, text=True, cwd=REPO, timeout=30, check=False
    )


@pytest.mark.parametrize("name", [CACHE_FILE, SIGNATURE_FILE, "inputs.json"])
@pytest.mark.parametrize("kind", ["a link to /dev/zero", "a named pipe"])
def test_a_cache_file_that_is_not_a_file_means_no_cache(
    project: Callable[..., Path], playbook: Callable[..., Run], name: str, kind: str
) -> None:
    root = project()
    playbook("build", root)
    built = snapshot(root / "_site")
    welcome = root / "content" / "guides" / "welcome.md"
    welcome.write_text(welcome.read_text(encoding="utf-8").replace("title: Welcome", "title: Welcome back"), "utf-8")
    path = root / CACHE_FOLDER / name
    path.unlink()
    if kind == "a named pipe":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")

    # Before the fix: the build waits on the pipe for ever, or reads /dev/zero until memory runs out.
    run = build_in_a_process(root)

    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    if name != "inputs.json":  # the record only says whether anything changed; the cache itself warns
        assert "cannot be read" in run.stderr and "building without it" in run.stderr
    assert "Welcome back" in (root / "_site" / "guides" / "welcome" / "index.html").read_text(encoding="utf-8")
    assert snapshot(root / "_site").keys() == built.keys()


def test_a_content_file_that_is_a_named_pipe_is_an_error_not_a_hang(project: Callable[..., Path]) -> None:
    root = project()
    os.mkfifo(root / "content" / "guides" / "pipe.md")
    command = [sys.executable, "-m", "generator", "check", str(root)]

    run = subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=30, check=False)

    assert run.returncode == 1
    assert "content/guides/pipe.md:1:1: error: not a regular file" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_content_folder_that_leads_outside_the_project_is_refused(
    project: Callable[..., Path], playbook: Callable[..., Run], tmp_path: Path
) -> None:
    root = project()
    (root / "content").rename(tmp_path / "elsewhere")
    (root / "content").symlink_to(tmp_path / "elsewhere")

    run = playbook("build", root)

    assert run.code == 1
    message = "this is a link to a place outside the project, so it is not read; copy the folder into the project"
    assert run.diagnostics == [f"content:1:1: error: {message}"]
    assert not (root / "_site").exists()


def cache_warning(err: str) -> bool:
    return "the site is built, but the build cache was not saved" in err


def test_a_cache_folder_that_is_a_file_only_warns(project: Callable[..., Path], playbook: Callable[..., Run]) -> None:
    root = project()
    (root / CACHE_FOLDER).write_text("not a folder", encoding="utf-8")

    run = build_in_a_process(root)

    assert run.returncode == 0, run.stderr
    assert cache_warning(run.stderr) and "previous output" not in run.stderr
    assert "Built " in run.stdout and (root / "_site" / "index.html").is_file()


def test_a_key_path_that_is_a_folder_only_warns(
    project: Callable[..., Path], playbook: Callable[..., Run], tmp_path: Path
) -> None:
    (tmp_path / "user-cache" / "playbook" / "cache-key").mkdir(parents=True)  # XDG_CACHE_HOME: conftest's own_cache_key
    root = project()

    run = build_in_a_process(root)

    assert run.returncode == 0, run.stderr
    assert cache_warning(run.stderr) and "previous output" not in run.stderr
    assert (root / "_site" / "index.html").is_file()


def test_an_empty_key_is_replaced_and_the_next_build_uses_the_cache(
    project: Callable[..., Path], playbook: Callable[..., Run], tmp_path: Path
) -> None:
    key = tmp_path / "user-cache" / "playbook" / "cache-key"
    key.parent.mkdir(parents=True)
    key.write_bytes(b"")
    root = project()

    run = build_in_a_process(root)

    assert run.returncode == 0, run.stderr
    assert "is empty or damaged; replacing it" in run.stderr
    assert (root / "_site" / "index.html").is_file()
    assert len(key.read_bytes()) == 32
    assert read_cache(root) is not None  # the next build starts from it
    assert "is up to date" in playbook("build", root).out
