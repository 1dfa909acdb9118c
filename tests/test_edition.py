"""The playbook's edition: `version:`, and `updated:` or the last commit's day."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run, snapshot, write_files
from generator.build import BuildSession, build

EDITION = re.compile(r'<p class="(?:edition|booklet__edition)">(.*?)</p>', re.DOTALL)
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

MINIMAL_SETTINGS = """\
title: Minimal Playbook
roles:
  - id: mentor
    name: Mentor
  - id: protege
    name: Protégé
"""


def edition(page: Path) -> str:
    """The edition a page shows, as a reader reads it ('' when it shows none)."""
    found = EDITION.findall(page.read_text(encoding="utf-8"))
    assert len(found) <= 1
    return html.unescape(re.sub(r"<[^>]+>", "", found[0])) if found else ""


# --- The example: an edition, internal, an icon made from the accent -------------------------


@pytest.mark.parametrize(
    "page",
    [
        "index.html",
        "guides/index.html",
        "programs/twelve-months/index.html",
        "programs/twelve-months/month-03/index.html",
    ],
)
def test_every_footer_of_the_example_shows_its_edition(example_site: Path, page: str) -> None:
    assert edition(example_site / page) == "Edition 2027.1 · updated December 1, 2026"
    assert '<time datetime="2026-12-01">December 1, 2026</time>' in (example_site / page).read_text()


def test_the_booklet_cover_shows_the_edition_and_gives_it_as_the_pdf_subject(example_site: Path) -> None:
    text = (example_site / "programs/twelve-months/booklet/index.html").read_text()
    cover = text[text.index('<header class="booklet__cover">') : text.index("</header>", text.index("booklet__cover"))]
    assert 'class="booklet__edition">Edition 2027.1 · updated <time datetime="2026-12-01">' in cover
    assert '<meta name="description" content="Edition 2027.1 · updated December 1, 2026">' in text
    assert '<meta name="dcterms.modified" content="2026-12-01">' in text


def test_french_and_arabic_trees_show_the_edition_in_their_language(multilingual_site: Path) -> None:
    assert edition(multilingual_site / "fr/index.html") == "Édition 2027.1 · mise à jour le 1 décembre 2026"
    assert edition(multilingual_site / "fr/guides/index.html").startswith("Édition 2027.1")
    assert edition(multilingual_site / "ar/index.html").startswith("الإصدار 2027.1 · آخر تحديث في ")
    booklet = multilingual_site / "fr/programs/twelve-months/booklet/index.html"
    assert 'class="booklet__edition">Édition 2027.1 · mise à jour le <time' in booklet.read_text()


# --- The day of the last commit ------------------------------------------------------------


@pytest.fixture
def no_repository_above(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Git looks for a repository no further up than the test's folder, wherever the tests run."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))


def commit(root: Path, day: str, message: str = "An edition") -> None:
    """Commit everything in `root` (a repository made at the first commit) on `day`, noon UTC."""
    moment = f"{day}T12:00:00+00:00"
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "A. Lead",
        "GIT_AUTHOR_EMAIL": "lead@example.org",
        "GIT_COMMITTER_NAME": "A. Lead",
        "GIT_COMMITTER_EMAIL": "lead@example.org",
        "GIT_AUTHOR_DATE": moment,
        "GIT_COMMITTER_DATE": moment,
    }
    if not (root / ".git").exists():
        subprocess.run(["git", "init", "-q", "."], cwd=root, env=env, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, env=env, check=True)
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=root, env=env, check=True)


@needs_git
@pytest.mark.usefixtures("no_repository_above")
def test_without_updated_the_pages_show_the_day_of_the_last_commit_the_same_bytes_each_time(
    project: Callable[..., Path], tmp_path: Path
) -> None:
    root = project({"playbook.yaml": MINIMAL_SETTINGS + 'version: "3"\n'})
    commit(root, "2025-03-04")
    build(root, tmp_path / "one", cache=False)
    build(root, tmp_path / "two", cache=False)
    assert edition(tmp_path / "one/index.html") == "Edition 3 · updated March 4, 2025"
    assert edition(tmp_path / "one/guides/index.html") == "Edition 3 · updated March 4, 2025"
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")


@needs_git
@pytest.mark.usefixtures("no_repository_above")
def test_updated_in_playbook_yaml_wins_over_the_last_commit(project: Callable[..., Path], tmp_path: Path) -> None:
    root = project({"playbook.yaml": MINIMAL_SETTINGS + "updated: 2026-01-02\n"})
    commit(root, "2025-03-04")
    build(root, tmp_path / "site", cache=False)
    assert edition(tmp_path / "site/index.html") == "Updated January 2, 2026"


@pytest.mark.usefixtures("no_repository_above")
def test_outside_git_or_without_git_the_pages_show_no_date_and_build(
    project: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, playbook: Callable[..., Run]
) -> None:
    root = project()
    assert playbook("build", root, "-o", tmp_path / "site").code == 0
    assert edition(tmp_path / "site/index.html") == ""
    assert "dcterms.modified" not in (tmp_path / "site/index.html").read_text()
    (tmp_path / "no-programs").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs"))  # no git to run at all
    write_files(root, {"playbook.yaml": MINIMAL_SETTINGS + 'version: "2"\n'})
    run = playbook("build", root, "-o", tmp_path / "site")
    assert run.code == 0, run.err
    assert edition(tmp_path / "site/index.html") == "Edition 2"


@needs_git
@pytest.mark.usefixtures("no_repository_above")
def test_a_new_commit_is_shown_though_no_file_of_the_site_changed(
    project: Callable[..., Path], playbook: Callable[..., Run]
) -> None:
    root = project()
    commit(root, "2025-03-04")
    assert playbook("build", root).code == 0
    write_files(root, {"NOTES.md": "Not part of the playbook.\n"})
    commit(root, "2025-05-06", "Notes")
    run = playbook("build", root)
    assert run.code == 0 and "up to date" not in run.out
    assert edition(root / "_site/index.html") == "Updated May 6, 2025"
    assert "up to date" in playbook("build", root).out


@needs_git
@pytest.mark.usefixtures("no_repository_above")
def test_the_dev_server_keeps_the_day_through_an_edit_and_matches_a_clean_build(
    project: Callable[..., Path], tmp_path: Path
) -> None:
    root = project()
    commit(root, "2025-03-04")
    session = BuildSession(root, again=True)
    session.build()
    guide = root / "content/guides/welcome.md"
    guide.write_text(guide.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    _, rendered = session.build(["content/guides/welcome.md"])
    build(root, tmp_path / "clean", cache=False)
    clean = snapshot(tmp_path / "clean")
    assert 'Updated <time datetime="2025-03-04">' in rendered.files["guides/welcome/index.html"].decode()
    assert {url: data for url, data in rendered.files.items() if url in clean} == {
        url: data for url, data in clean.items() if url in rendered.files
    }
