"""The playbook's edition (`version:`, `updated:` or the last commit's day), internal by default
(`noindex`, robots.txt), and the site's icon."""

from __future__ import annotations

import html
import os
import posixpath
import re
import shutil
import struct
import subprocess
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest

from conftest import REPO, Run, copy_example, snapshot, write_files
from generator.build import BuildSession, build

EDITION = re.compile(r'<p class="(?:edition|booklet__edition)">(.*?)</p>', re.DOTALL)
NOINDEX = '<meta name="robots" content="noindex">'
ICON = re.compile(r'<link rel="icon" href="([^"]*)">')
SVG = "{http://www.w3.org/2000/svg}"
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


def html_pages(site: Path) -> Iterator[tuple[str, str]]:
    """Each HTML page of a built site: its path in the site and its text."""
    for path in sorted(site.rglob("*.html")):
        yield path.relative_to(site).as_posix(), path.read_text(encoding="utf-8")


def icon_of(site: Path, url: str, text: str) -> str:
    """The file a page's icon link leads to, from the site root (a page with `<base>` counts from the root)."""
    links = ICON.findall(text)
    assert len(links) == 1, url
    start = "" if "<base href=" in text else posixpath.dirname(url)
    return posixpath.normpath(posixpath.join(start, links[0]))


def png(width: int = 1, height: int = 1) -> bytes:
    """A small, valid PNG image: a logo."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\0" + b"\x1d\x4f\x91" * width for _ in range(height))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


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


def test_the_example_is_internal_every_page_asks_not_to_be_listed(example_site: Path) -> None:
    pages = dict(html_pages(example_site))
    assert len(pages) > 80
    assert [url for url, text in pages.items() if NOINDEX not in text] == []
    robots = (example_site / "robots.txt").read_text()
    assert [line for line in robots.splitlines() if not line.startswith("#")] == ["User-agent: *", "Disallow: /"]


def test_every_page_of_the_example_links_the_icon_made_from_the_themes_accent(example_site: Path) -> None:
    icons = {icon_of(example_site, url, text) for url, text in html_pages(example_site)}
    assert icons == {"favicon.svg"}
    svg = ElementTree.fromstring((example_site / "favicon.svg").read_bytes())
    css = (REPO / "themes/default/static/playbook.css").read_text()
    accent = re.search(r"--accent: (#[0-9a-f]+);", css)
    assert accent is not None
    assert svg.find(f"{SVG}rect").get("fill") == accent[1]  # type: ignore[union-attr]
    letter = svg.find(f"{SVG}text")
    assert letter is not None and letter.text == "M" and letter.get("fill") == "#ffffff"  # Mentoring Playbook


def test_french_and_arabic_trees_show_the_edition_in_their_language(multilingual_site: Path) -> None:
    assert edition(multilingual_site / "fr/index.html") == "Édition 2027.1 · mise à jour le 1 décembre 2026"
    assert edition(multilingual_site / "fr/guides/index.html").startswith("Édition 2027.1")
    assert edition(multilingual_site / "ar/index.html").startswith("الإصدار 2027.1 · آخر تحديث في ")
    booklet = multilingual_site / "fr/programs/twelve-months/booklet/index.html"
    assert 'class="booklet__edition">Édition 2027.1 · mise à jour le <time' in booklet.read_text()


def test_every_language_links_the_one_icon_and_robots_txt_at_the_root(multilingual_site: Path) -> None:
    icons = {icon_of(multilingual_site, url, text) for url, text in html_pages(multilingual_site)}
    assert icons == {"favicon.svg"}
    assert (multilingual_site / "robots.txt").is_file()
    assert not (multilingual_site / "fr/favicon.svg").exists()
    assert not (multilingual_site / "fr/robots.txt").exists()


# --- Public, with a PNG logo ---------------------------------------------------------------


@pytest.fixture(scope="module")
def public_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example, public, with a base URL and a PNG logo."""
    root = copy_example(
        tmp_path_factory.mktemp("public"),
        (r"^public: false.*$", "public: true\nbase_url: https://example.org/mentoring/\nlogo: assets/logo.png"),
    )
    write_files(root, {"content/assets/logo.png": png(4, 4)})
    out = tmp_path_factory.mktemp("public-site") / "site"
    build(root, out, cache=False)
    return out


def test_a_public_site_lets_crawlers_in_and_names_its_sitemap(public_site: Path) -> None:
    robots = (public_site / "robots.txt").read_text()
    assert robots.splitlines() == ["User-agent: *", "Allow: /", "Sitemap: https://example.org/mentoring/sitemap.xml"]
    assert (public_site / "sitemap.xml").is_file()


def test_a_public_site_asks_not_to_list_only_the_pages_that_name_people(public_site: Path) -> None:
    listed = {url for url, text in html_pages(public_site) if NOINDEX not in text}
    hidden = {url for url, text in html_pages(public_site) if NOINDEX in text}
    assert {"index.html", "guides/index.html", "programs/twelve-months/month-03/index.html"} <= listed
    assert hidden and all(url.startswith("cohorts/") for url in hidden)
    assert not any(url.startswith("cohorts/") for url in listed)
    assert "cohorts/spring-2027/pairs/amara-and-jon/index.html" in hidden


def test_a_png_logo_is_the_icon_of_every_page_and_no_icon_is_made(public_site: Path) -> None:
    icons = {icon_of(public_site, url, text) for url, text in html_pages(public_site)}
    assert icons == {"assets/logo.png"}
    assert (public_site / "assets/logo.png").read_bytes().startswith(b"\x89PNG")
    assert not (public_site / "favicon.svg").exists()


def test_a_logo_browsers_take_no_icon_from_falls_back_to_one_in_the_accent(
    project: Callable[..., Path], tmp_path: Path
) -> None:
    settings = MINIMAL_SETTINGS.replace("title: Minimal Playbook", "title: « über mentoring »")
    settings += "public: true\nlogo: assets/logo.jpg\ncolors:\n  accent: '#7a1f5c'\n"
    root = project({"playbook.yaml": settings, "content/assets/logo.jpg": b"\xff\xd8\xff\xe0 not really"})
    out = tmp_path / "site"
    build(root, out, cache=False)
    assert {icon_of(out, url, text) for url, text in html_pages(out)} == {"favicon.svg"}
    svg = ElementTree.fromstring((out / "favicon.svg").read_bytes())
    assert svg.find(f"{SVG}rect").get("fill") == "#7a1f5c"  # type: ignore[union-attr]
    assert svg.find(f"{SVG}text").text == "Ü"  # type: ignore[union-attr]
    assert (out / "robots.txt").read_text().splitlines() == ["User-agent: *", "Allow: /"]  # no base URL, no sitemap
    assert NOINDEX not in (out / "index.html").read_text()


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
