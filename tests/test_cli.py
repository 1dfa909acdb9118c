"""The `playbook` command as a user types it: help, exit codes, check, schema and new."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from conftest import REPO, Run, write_files


def test_help_explains_every_command(playbook: Callable[..., Run]) -> None:
    run = playbook("--help")
    assert run.code == 0
    for command in ("new", "build", "check", "schema"):
        assert command in run.out
    assert "exit status" in run.out


def test_no_command_shows_help_and_is_a_usage_error(playbook: Callable[..., Run]) -> None:
    run = playbook()
    assert run.code == 2
    assert "usage: playbook" in run.out


def test_usage_errors_exit_2(playbook: Callable[..., Run], tmp_path: Path) -> None:
    assert playbook("publish").code == 2
    assert playbook("build", "--no-such-flag").code == 2
    missing = playbook("build", tmp_path / "nowhere")
    assert missing.code == 2
    assert "is not a folder" in missing.err


def test_a_folder_without_a_playbook_is_a_content_error(playbook: Callable[..., Run], tmp_path: Path) -> None:
    run = playbook("check", tmp_path)
    assert run.code == 1
    assert "no playbook.yaml" in run.err
    assert "playbook new" in run.err


def test_check_writes_nothing(project: Callable[..., Path], playbook: Callable[..., Run]) -> None:
    root = project()
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    run = playbook("check", root)
    assert run.code == 0
    assert "No errors" in run.out
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before


def test_build_reports_what_it_wrote(
    project: Callable[..., Path], playbook: Callable[..., Run], tmp_path: Path
) -> None:
    root = project()
    run = playbook("build", root, "-o", tmp_path / "out")
    assert run.code == 0
    pages = len(list((tmp_path / "out").rglob("*.html")))
    assert pages > 10
    assert f"Built {pages} pages" in run.out
    assert (tmp_path / "out" / "index.html").is_file()
    assert playbook("build", root, "--quiet").out == ""


def test_warnings_do_not_fail_a_build_unless_strict(project: Callable[..., Path], playbook: Callable[..., Run]) -> None:
    root = project(
        {
            "content/worksheets/spare.yaml": "title: Spare\nsummary: Unused.\nowner: mentor\nsections:\n  - title: S\n    fields:\n      - {id: a, label: A, type: short_text}\n"
        }
    )
    relaxed = playbook("build", root)
    assert relaxed.code == 0
    assert relaxed.diagnostics == [
        "content/worksheets/spare.yaml:1:1: warning: worksheet 'spare' is not used by any month; list it under a month's `worksheets:` so readers find it"
    ]
    strict = playbook("build", root, "--strict", "-o", root / "strict-site")
    assert strict.code == 1
    assert not (root / "strict-site").exists()


def test_schema_describes_the_yaml_files(playbook: Callable[..., Run]) -> None:
    run = playbook("schema", "program")
    schema = json.loads(run.out)
    assert run.code == 0
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert {"title", "summary", "months", "phases"} <= set(schema["properties"])
    assert "id" not in schema["properties"]  # ids come from file names
    assert schema["$defs"]["Month"]["properties"]["goal"]["description"]

    everything = json.loads(playbook("schema").out)
    assert len(everything["anyOf"]) == 5
    assert playbook("schema", "recipe").code == 2


def test_new_then_build_gives_the_example_site(playbook: Callable[..., Run], tmp_path: Path) -> None:
    target = tmp_path / "demo"
    made = playbook("new", target)
    assert made.code == 0
    assert (target / "playbook.yaml").read_bytes() == (REPO / "playbook.yaml").read_bytes()
    assert (target / "content" / "programs" / "twelve-months.yaml").is_file()
    assert not (target / "themes").exists()  # the theme ships inside Playbook
    built = playbook("build", target)
    assert built.code == 0, built.err
    assert len(list((target / "_site" / "programs" / "twelve-months").glob("month-*/index.html"))) == 12


def test_new_refuses_a_folder_with_files(playbook: Callable[..., Run], tmp_path: Path) -> None:
    write_files(tmp_path / "busy", {"notes.txt": "mine"})
    run = playbook("new", tmp_path / "busy")
    assert run.code == 1
    assert "already exists and is not empty" in run.err
    assert sorted(p.name for p in (tmp_path / "busy").iterdir()) == ["notes.txt"]


def test_python_dash_m_runs_the_same_command(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "check", str(REPO)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "No errors" in result.stdout


def test_content_errors_never_show_a_traceback(project: Callable[..., Path], tmp_path: Path) -> None:
    root = project({"playbook.yaml": "title: [\n", "content/programs/year.yaml": "\x00\xff"})
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", str(root)], capture_output=True, text=True, cwd=REPO, check=False
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "playbook.yaml:1:8: error: YAML syntax: this [ is never closed; add the closing ]" in result.stderr
    assert "content/programs/year.yaml:1:1: error: the file holds the control character U+0000" in result.stderr
