"""`playbook build --zip FILE`: the built site as one zip, the same bytes every time, with a read-me beside
index.html. The session's `example_site` is the example's zip unzipped, so every file:// test runs on it."""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_accessibility import violations

from conftest import Run, ZippedSite, snapshot, write_files
from generator.names import OUTPUT_MARKER
from generator.output import write_site_zip
from sitecheck import view

FOLDER = "minimal-playbook"  # the minimal project's title, as the zip's folder


def entries(archive: Path) -> dict[str, bytes]:
    """Every file in the zip, by its name there."""
    with zipfile.ZipFile(archive) as opened:
        return {name: opened.read(name) for name in opened.namelist()}


def test_the_zip_holds_the_built_site_byte_for_byte_under_one_folder_with_a_read_me(example_zip: ZippedSite) -> None:
    held = entries(example_zip.zip)
    assert {name.split("/")[0] for name in held} == {"mentoring-playbook"}
    inside = {name.removeprefix("mentoring-playbook/"): data for name, data in held.items()}
    built = snapshot(example_zip.built)
    del built[OUTPUT_MARKER]  # the writer's record of the folder, not a file of the site
    read_me = inside.pop("READ-ME.html")
    assert inside == built
    assert {"index.html", "progress/index.html", "static/playbook.css"} <= set(inside)
    assert b"<h1>Read me first</h1>" in read_me


def test_every_entry_is_written_the_same_way(example_zip: ZippedSite) -> None:
    with zipfile.ZipFile(example_zip.zip) as opened:
        infos = opened.infolist()
        assert opened.comment == b""
    names = [info.filename for info in infos]
    assert names == sorted(names)
    assert not [name for name in names if name.endswith("/")]  # no entries for folders
    assert {info.date_time for info in infos} == {(2026, 12, 1, 0, 0, 0)}  # the example's `updated:`
    assert {(info.create_system, info.external_attr >> 16) for info in infos} == {(3, 0o100644)}  # Unix, rw-r--r--
    assert {(info.compress_type, info.extra, info.flag_bits & 0x08) for info in infos} == {
        (zipfile.ZIP_DEFLATED, b"", 0)  # no extra fields, no data descriptors
    }


def test_the_same_site_gives_the_same_zip(
    playbook: Callable[..., Run], project: Callable[..., Path], tmp_path: Path
) -> None:
    root = project()
    first = playbook("build", root, "--zip", tmp_path / "first.zip")
    assert first.code == 0, first.err
    assert f"Zipped the site into {tmp_path / 'first.zip'} (" in first.out
    assert f"unzipped, {FOLDER}/index.html opens it" in first.out
    made = (tmp_path / "first.zip").read_bytes()

    again = playbook("build", root, "--zip", tmp_path / "first.zip")  # nothing changed: the cache has it all
    assert again.code == 0 and "is up to date" in again.out
    assert (tmp_path / "first.zip").read_bytes() == made

    os.utime(root / "content" / "guides" / "welcome.md")  # a newer time stamp, the same text
    assert playbook("build", root, "--zip", tmp_path / "touched.zip").code == 0
    elsewhere = playbook("build", root, "-o", tmp_path / "elsewhere", "--zip", tmp_path / "elsewhere.zip")
    assert elsewhere.code == 0
    assert playbook("build", root, "--no-cache", "-q", "--zip", tmp_path / "afresh.zip").out == ""
    for name in ("touched.zip", "elsewhere.zip", "afresh.zip"):
        assert (tmp_path / name).read_bytes() == made, name
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".zip" or p.name.startswith(".")) == [
        "afresh.zip",
        "elsewhere.zip",
        "first.zip",
        "touched.zip",
    ]  # nothing half-written left beside them


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("_site/playbook.zip", "is inside the output folder, which the build replaces"),
        ("content/assets/playbook.zip", "is inside content/, which the build reads"),
        ("no-such-folder/playbook.zip", "no-such-folder does not exist"),
        ("content", "does not end in .zip"),
        ("playbook.tar", "does not end in .zip"),
        ("a-folder.zip", "is a folder"),
    ],
)
def test_a_zip_where_it_cannot_go_is_a_usage_error_before_any_build(
    playbook: Callable[..., Run], project: Callable[..., Path], where: str, message: str
) -> None:
    root = project()
    (root / "a-folder.zip").mkdir()
    before = snapshot(root)
    run = playbook("build", root, "--zip", root / where)
    assert run.code == 2, run.err
    assert "error: --zip: " in run.err and message in run.err
    assert snapshot(root) == before  # no site, no zip, no cache
    assert not (root / "_site").exists()


def test_a_failed_build_leaves_the_last_zip_as_it_was(
    playbook: Callable[..., Run], project: Callable[..., Path], tmp_path: Path
) -> None:
    root = project()
    archive = tmp_path / "playbook.zip"
    assert playbook("build", root, "--zip", archive).code == 0
    made = archive.read_bytes()
    write_files(root, {"content/worksheets/goals.yaml": "title: [unclosed\n"})
    run = playbook("build", root, "--zip", archive)
    assert run.code == 1
    assert "content/worksheets/goals.yaml:1" in run.err
    assert archive.read_bytes() == made


def test_the_read_me_is_a_template_a_project_overrides_and_a_broken_one_is_reported(
    playbook: Callable[..., Run], project: Callable[..., Path], tmp_path: Path
) -> None:
    broken_template = '{% extends "base.html" %}\n{% block content %}\n{{ settings.no_such_setting }}\n{% endblock %}\n'
    root = project({"templates/read-me.html": broken_template})
    archive = tmp_path / "playbook.zip"
    broken = playbook("build", root, "--zip", archive)
    assert broken.code == 1
    assert "templates/read-me.html:3:1: error: rendering READ-ME.html failed" in broken.err, broken.err
    assert (root / "_site" / "index.html").is_file() and not archive.exists()  # the site is built, the zip is not

    write_files(
        root, {"templates/read-me.html": '{% extends "base.html" %}\n{% block content %}<h1>Ours</h1>{% endblock %}\n'}
    )
    assert playbook("build", root, "--zip", archive).code == 0
    assert b"<h1>Ours</h1>" in entries(archive)[f"{FOLDER}/READ-ME.html"]


def test_the_read_me_speaks_each_language_of_the_playbook(
    playbook: Callable[..., Run], project: Callable[..., Path], tmp_path: Path
) -> None:
    root = project()
    settings = root / "playbook.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "languages: [en, fr]\n", encoding="utf-8")
    assert playbook("build", root, "--zip", tmp_path / "playbook.zip").code == 0, "build failed"
    held = entries(tmp_path / "playbook.zip")
    english = held[f"{FOLDER}/READ-ME.html"].decode("utf-8")
    french = held[f"{FOLDER}/fr/READ-ME.html"].decode("utf-8")
    assert '<html lang="en"' in english and "Unzip the file you were sent first." in english
    assert '<html lang="fr"' in french and "<h1>À lire en premier</h1>" in french
    assert "Décompressez d’abord le fichier que vous avez reçu." in french
    assert "Unzip" not in french and "Ticks" not in french
    assert 'href="../READ-ME.html"' in french and 'href="fr/READ-ME.html"' in english  # each links to the other


def test_the_files_carry_the_editions_date(project: Callable[..., Path], tmp_path: Path) -> None:
    from generator.build import build

    built = build(project(), tmp_path / "site").out_dir
    written = write_site_zip(tmp_path / "dated.zip", built, "dated", {}, dt.date(2026, 12, 1))
    with zipfile.ZipFile(written.path) as opened:
        assert {info.date_time for info in opened.infolist()} == {(2026, 12, 1, 0, 0, 0)}
    assert written.files == len(snapshot(built)) - 1  # every file but the folder's record
    assert written.opens == "dated/index.html"


def test_the_read_me_opens_from_disk_leads_to_the_playbook_and_passes_axe(
    page: Any, browser: Any, example_site: Path
) -> None:
    read_me = (example_site / "READ-ME.html").as_uri()
    page.goto(read_me)
    assert page.title() == "Read me first · Mentoring Playbook"
    assert violations(page) == []
    page.get_by_role("link", name="My progress").last.click()
    assert page.url.endswith("/progress/index.html")
    page.go_back()
    page.get_by_role("link", name="Open the playbook").click()
    assert page.url == (example_site / "index.html").as_uri()
    assert page.locator("h1").inner_text() == "Mentoring Playbook"
    assert page.errors == []
    dark_phone = browser.new_context(**view(360, "dark"))
    try:
        phone = dark_phone.new_page()
        phone.goto(read_me)
        assert violations(phone) == []
    finally:
        dark_phone.close()
