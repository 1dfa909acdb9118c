"""A build that fails part-way, is interrupted, or runs twice at once leaves a whole site in place."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from benchmarks.corpus import write_corpus
from conftest import MINIMAL, snapshot
from generator.output import SiteWriter


def playbook(*args: str | Path, **options: object) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "generator", *map(str, args)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **options)  # type: ignore[call-overload, no-any-return]


def leftovers(out: Path) -> list[str]:
    """Half-made or retired copies of the site that a build left beside it."""
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def group_lives(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    """A copy of the minimal project, its site built, and that site's files."""
    root = tmp_path / "project"
    shutil.copytree(MINIMAL, root)
    out = tmp_path / "site"
    done = playbook("build", root, "-o", out, "--no-cache", "-q")
    assert done.wait() == 0, done.stderr.read() if done.stderr else ""
    return root, out, snapshot(out)


def limit_file_size() -> None:
    """In the child: writes past 64 KB fail as they would on a full disk (EFBIG rather than a signal)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))


def test_a_write_that_fails_leaves_the_previous_site(built: tuple[Path, Path, dict[str, bytes]]) -> None:
    root, out, before = built
    welcome = root / "content/guides/welcome.md"
    welcome.write_text(welcome.read_text(encoding="utf-8") + "\nA line of text for a big page.\n" * 3000, "utf-8")
    run = playbook("build", root, "-o", out, "--no-cache", preexec_fn=limit_file_size)
    _, err = run.communicate(timeout=120)
    assert run.returncode == 1
    assert "File too large" in err and "the previous output was left as it was" in err
    assert "Traceback" not in err
    assert snapshot(out) == before
    assert leftovers(out) == []


def test_ctrl_c_leaves_the_previous_site_and_no_workers(tmp_path: Path) -> None:
    root = write_corpus(400, tmp_path / "project")
    out = tmp_path / "site"
    assert playbook("build", root, "-o", out, "--no-cache", "-q").wait() == 0
    # On a busy machine the signal can land after the build has already put its site in place: then the
    # build finished, which is fine, and the next attempt, after another change, is interrupted in time.
    for attempt in range(5):
        before = snapshot(out)
        guide = root / "content/guides/g0/g00001.md"
        guide.write_text(f"---\ntitle: Changed {attempt}\n---\nNew words.\n", encoding="utf-8")
        run = playbook("build", root, "-o", out, "--no-cache", start_new_session=True)
        deadline = time.monotonic() + 60
        while not leftovers(out) and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)  # until the new site is being written beside the old one
        assert leftovers(out), "the build finished before it could be interrupted"
        os.killpg(run.pid, signal.SIGINT)  # as Ctrl-C in a terminal: the build and its workers
        _, err = run.communicate(timeout=60)
        if run.returncode == 0:  # it was done before the signal came: the new site is whole
            assert f"Changed {attempt}" in (out / "guides/g0/g00001/index.html").read_text(encoding="utf-8")
            assert leftovers(out) == []
            continue
        break

    assert run.returncode == 130
    assert "interrupted; the previous output was left as it was" in err
    assert "Traceback" not in err
    assert snapshot(out) == before
    assert leftovers(out) == []
    deadline = time.monotonic() + 30  # a worker stopped by the same Ctrl-C may still be on its way out
    while time.monotonic() < deadline and group_lives(run.pid):
        time.sleep(0.01)
    with pytest.raises(ProcessLookupError):
        os.killpg(run.pid, 0)  # no worker outlived the build


def test_ctrl_c_just_as_the_new_site_folder_is_made_leaves_nothing_beside_the_site(
    built: tuple[Path, Path, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The moment the test above aims at, made certain: Ctrl-C lands as the hidden folder appears.
    It once landed there in a full run, before the writer was ready to remove the folder again."""
    root, out, before = built
    made = Path.mkdir

    def made_then_interrupted(self: Path, *args: Any, **kwargs: Any) -> None:
        made(self, *args, **kwargs)
        if self.name.startswith(f".{out.name}.new-"):
            raise KeyboardInterrupt

    monkeypatch.setattr(Path, "mkdir", made_then_interrupted)
    with pytest.raises(KeyboardInterrupt), SiteWriter(out, root):
        pass
    assert leftovers(out) == []
    assert snapshot(out) == before


def test_two_builds_at_once_leave_one_whole_site(built: tuple[Path, Path, dict[str, bytes]], tmp_path: Path) -> None:
    root, out, before = built
    for _ in range(3):
        runs = [playbook("build", root, "-o", out) for _ in range(2)]
        results = [run.communicate(timeout=120) for run in runs]
        assert [run.returncode for run in runs] == [0, 0], results
        assert snapshot(out) == before
        assert leftovers(out) == []


@pytest.mark.skipif(sys.platform == "win32", reason="builds wait for each other only where flock exists")
def test_a_build_waits_while_another_build_of_the_site_runs(built: tuple[Path, Path, dict[str, bytes]]) -> None:
    import fcntl

    root, out, before = built
    welcome = root / "content/guides/welcome.md"
    welcome.write_text(welcome.read_text(encoding="utf-8") + "\nHello again.\n", encoding="utf-8")
    other_build = os.open(out.parent, os.O_RDONLY)  # holds the site as a running build does
    fcntl.flock(other_build, fcntl.LOCK_EX)
    try:
        run = playbook("build", root, "-o", out, "--no-cache", "-q")
        time.sleep(1.5)
        assert run.poll() is None, "the build did not wait for the one already running"
        assert snapshot(out) == before
    finally:
        os.close(other_build)
    assert run.wait(timeout=60) == 0
    assert b"Hello again" in (out / "guides/welcome/index.html").read_bytes()


READER = """
import os, sys, time
page, stop = sys.argv[1], sys.argv[2]
missing = reads = 0
deadline = time.monotonic() + 120
while not os.path.exists(stop) and time.monotonic() < deadline:
    for _ in range(1000):
        try:
            os.stat(page)
        except FileNotFoundError:
            missing += 1
    reads += 1000
print(missing, reads)
"""


def test_a_reader_never_finds_the_site_missing_while_it_is_replaced(
    built: tuple[Path, Path, dict[str, bytes]], tmp_path: Path
) -> None:
    from generator.build import build

    root, out, _ = built
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(out / "index.html"), str(stop)], stdout=subprocess.PIPE, text=True
    )
    try:
        for _ in range(8):
            build(root, out, cache=False)  # each one replaces the whole site
    finally:
        stop.touch()
    missing, reads = map(int, reader.communicate(timeout=150)[0].split())
    assert reads > 0
    assert missing == 0, f"{missing} of {reads} reads found no page"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="one-step exchange: Linux's renameat2")
def test_the_site_is_swapped_in_one_step_on_linux(
    built: tuple[Path, Path, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.build import build

    root, out, _ = built
    real_replace, gone = os.replace, []

    def replace(source: str | Path, target: str | Path) -> None:
        real_replace(source, target)
        if not out.exists():
            gone.append(f"{source} -> {target}")

    monkeypatch.setattr(os, "replace", replace)
    welcome = root / "content/guides/welcome.md"
    welcome.write_text(welcome.read_text(encoding="utf-8") + "\nChanged.\n", encoding="utf-8")

    build(root, out, cache=False)

    assert gone == []  # no moment without a site: no rename moved it aside
    assert b"Changed." in (out / "guides/welcome/index.html").read_bytes()
    assert leftovers(out) == []


def test_where_one_step_is_missing_two_renames_still_replace_the_site(
    built: tuple[Path, Path, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    import ctypes

    from generator.build import build

    def no_library(*args: object, **kwargs: object) -> object:
        raise OSError("no C library here")

    monkeypatch.setattr(ctypes, "CDLL", no_library)
    root, out, _ = built
    welcome = root / "content/guides/welcome.md"
    welcome.write_text(welcome.read_text(encoding="utf-8") + "\nChanged.\n", encoding="utf-8")

    build(root, out, cache=False)

    assert b"Changed." in (out / "guides/welcome/index.html").read_bytes()
    assert leftovers(out) == []


DEAD = 2**22 + 7  # above Linux's largest process id: no process has it


def kill_between_renames(out: Path) -> None:
    """What a build killed between the two renames of the old swap left: no site, the old one moved aside,
    and the new one finished beside it."""
    shutil.copytree(out, out.parent / f".{out.name}.new-{DEAD}")
    out.rename(out.parent / f".{out.name}.old-{DEAD}")


def test_a_site_left_aside_by_a_killed_build_is_put_back(
    built: tuple[Path, Path, dict[str, bytes]], tmp_path: Path
) -> None:
    root, out, before = built
    kill_between_renames(out)
    (root / "content/guides/welcome.md").write_text("---\ntitle: [broken\n---\n", encoding="utf-8")

    run = playbook("build", root, "-o", out)
    _, err = run.communicate(timeout=120)

    assert run.returncode == 1 and "error:" in err  # this build fails: the previous site must be there
    assert snapshot(out) == before
    assert leftovers(out) == []


def test_leftovers_of_killed_builds_are_removed_by_the_next_build_and_by_clean(
    built: tuple[Path, Path, dict[str, bytes]], tmp_path: Path
) -> None:
    root, out, _ = built

    def leave_leftovers() -> None:
        shutil.copytree(out, out.parent / f".{out.name}.old-{DEAD}")  # retired, not yet removed
        (out.parent / f".{out.name}.new-{DEAD + 1}" / "guides").mkdir(parents=True)  # half-made
        cache = root / ".playbook-cache"
        cache.mkdir(exist_ok=True)
        (cache / f".build.pickle.{DEAD}").write_bytes(b"half a cache")

    leave_leftovers()
    assert playbook("build", root, "-o", out).wait(timeout=120) == 0
    assert leftovers(out) == []
    assert [p.name for p in (root / ".playbook-cache").iterdir() if p.name.startswith(".")] == []

    leave_leftovers()
    run = playbook("clean", root, "-o", out)
    output, _ = run.communicate(timeout=60)
    assert run.returncode == 0 and "Deleted" in output
    assert leftovers(out) == [] and not out.exists()
