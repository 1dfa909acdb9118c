"""The `playbook` command as a user types it: help, exit codes, check, schema and new."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from conftest import REPO, Run, write_files
from generator.cli import make_parser

HIDE_WEASYPRINT = "import sys; sys.modules['weasyprint'] = None; from generator.cli import main; sys.exit(main())"


def readme_section(title: str) -> str:
    """The text of one `## ` section of the README."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return readme.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


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
    assert len(everything["anyOf"]) == 6  # settings, program, worksheet, checklist, guide, cohort
    assert playbook("schema", "recipe").code == 2


def test_new_then_build_gives_the_example_site(playbook: Callable[..., Run], tmp_path: Path) -> None:
    target = tmp_path / "demo"
    made = playbook("new", target)
    assert made.code == 0
    first, rest = (target / "playbook.yaml").read_bytes().split(b"\n", 1)
    assert rest == (REPO / "playbook.yaml").read_bytes()  # under a line naming its schema, for editors
    assert first == b"# yaml-language-server: $schema=schemas/playbook.schema.json"
    assert (target / "content" / "programs" / "twelve-months.yaml").is_file()
    assert not (target / "themes").exists()  # the theme ships inside Playbook
    built = playbook("build", target)
    assert built.code == 0, built.err
    assert len(list((target / "_site" / "programs" / "twelve-months").glob("month-*/index.html"))) == 12


def test_new_refuses_a_folder_with_files(playbook: Callable[..., Run], tmp_path: Path) -> None:
    write_files(tmp_path / "busy", {"notes.txt": "mine"})
    run = playbook("new", tmp_path / "busy")
    assert run.code == 2  # wrong use of the command, not a problem in any content
    assert "already exists and is not empty; choose a new folder name" in run.err
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


def test_pdf_without_weasyprint_is_wrong_use_said_before_anything_is_announced(
    project: Callable[..., Path], tmp_path: Path
) -> None:
    root = project()
    result = subprocess.run(
        [sys.executable, "-c", HIDE_WEASYPRINT, "build", str(root), "-o", str(tmp_path / "out"), "--pdf"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert result.stdout == ""  # no "Making the site and its PDF booklets" first
    assert "playbook: error: --pdf: PDF booklets need WeasyPrint" in result.stderr
    assert "pip install '.[pdf]'" in result.stderr and "pip install 'mentor-playbook[pdf]'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()
    assert "pip install '.[pdf]'" in readme_section("The site")  # where the README tells of PDF booklets


def test_a_failed_build_says_the_previous_site_was_kept_only_when_there_was_one(
    project: Callable[..., Path], playbook: Callable[..., Run], tmp_path: Path
) -> None:
    root = project()
    assert playbook("build", root).code == 0
    broken = (root / "content/programs/year.yaml").read_text(encoding="utf-8").replace("number: 2", "number: two")
    write_files(root, {"content/programs/year.yaml": broken})

    failed = playbook("build", root)
    never_built = playbook("build", root, "-o", tmp_path / "new-site")

    assert failed.code == 1
    assert failed.err.splitlines()[-1] == f"The previous site in {root / '_site'} was kept as it was."
    assert never_built.code == 1
    assert "previous site" not in never_built.err
    assert not (tmp_path / "new-site").exists()


def test_serve_in_a_folder_without_a_project_says_so_and_stops(tmp_path: Path) -> None:
    result = subprocess.run(  # the time-out only ends the old behaviour: serving nothing for ever
        [sys.executable, "-m", "generator", "serve", str(tmp_path), "--port", "0"],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
        timeout=120,
    )
    assert result.returncode == 1
    assert "playbook.yaml: error: no playbook.yaml in" in result.stderr
    assert "playbook new DIR" in result.stderr
    assert "last good build" not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def logged_stages(tmp_path: Path, *args: str | Path) -> tuple[list[tuple[str, str]], str]:
    """Run `playbook` in its own process (so its logging is set up as for a user); each logged line's
    logger and message, and everything else it wrote to stderr."""
    result = subprocess.run(
        [sys.executable, "-m", "generator", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "user-cache")},
    )
    assert result.returncode == 0, result.stderr
    pattern = r"^(?:DEBUG|INFO|WARNING|ERROR) ([\w.]+): (.*)\n"
    logged = [(logger, message) for logger, message in re.findall(pattern, result.stderr, re.MULTILINE)]
    return logged, re.sub(pattern, "", result.stderr, flags=re.MULTILINE)


def test_verbose_logs_a_line_as_each_stage_ends_and_quiet_logs_none(
    project: Callable[..., Path], tmp_path: Path
) -> None:
    root = project()
    first, _ = logged_stages(tmp_path, "-v", "build", root)
    stages = [  # each stage's logger, and what its line says (a pattern)
        ("generator.uptodate", r"compared the files with the last build's record: there is no usable record"),
        ("generator.cache", r"there is no build cache in .* yet"),
        ("generator.build", r"read (\d+) of the \1 files of .* anew"),
        ("generator.build", r"validated them: 0 problems"),
        ("generator.build", r"planned \d+ pages and checked their links: 0 problems"),
        ("generator.build", r"loaded the theme 'default'"),
        ("generator.build", r"made and wrote the site's \d+ files, \d+ of them anew"),
        (
            "generator.output.writer",
            r"put the new site in place in .*_site: \d+ files written as they were made, 0 kept",
        ),
        ("generator.output.upkeep", r"saved the build cache in .*\.playbook-cache"),
    ]
    # Only Playbook's own lines: markdown-it, for one, would log a line per rule.
    assert [logger for logger, _ in first] == [logger for logger, _ in stages], first
    for (_, message), (_, pattern) in zip(first, stages, strict=True):
        assert re.match(pattern, message), message
        assert re.search(r"\(\d+\.\d\d s\)$", message) or "no build cache" in message  # the time it took

    guide = root / "content/guides/welcome.md"
    guide.write_text(guide.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    again, _ = logged_stages(tmp_path, "build", "-v", root)  # -v after the command too
    messages = [message for _, message in again]
    assert "compared the files with the last build's record: something changed" in messages[0]
    assert messages[1].startswith("read the build cache")
    assert re.match(r"read 1 of the \d+ files of .* anew", messages[2])  # only the edited guide

    checked, _ = logged_stages(tmp_path, "check", "-v", root)
    assert [message.split()[0] for _, message in checked] == ["read", "validated", "planned", "loaded"]

    for command in (("build", "--no-cache"), ("check",)):
        quiet, rest = logged_stages(tmp_path, *command, root)
        assert quiet == [] and rest == ""


def test_the_summary_counts_the_files_of_the_site_however_it_was_built(
    project: Callable[..., Path], playbook: Callable[..., Run]
) -> None:
    root = project()
    guide = root / "content/guides/welcome.md"
    fresh = playbook("build", root)
    guide.write_text(guide.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    cached = playbook("build", root)
    afresh = playbook("build", root, "--no-cache")

    on_disk = sum(1 for p in (root / "_site").rglob("*") if p.is_file() and p.name != ".playbook-site")
    counts = [re.search(r"\((\d+) files", run.out) for run in (fresh, cached, afresh)]
    assert [int(found[1]) if found else None for found in counts] == [on_disk] * 3
    assert "unchanged" in cached.out  # the second build did keep files from the first


def test_the_quick_start_makes_the_virtual_environment_before_installing() -> None:
    quick_start = readme_section("Quick start")
    commands = re.findall(r"```sh\n(.*?)```", quick_start, re.DOTALL)
    lines = [line for block in commands for line in block.splitlines()]
    first_install = next(i for i, line in enumerate(lines) if "pip install" in line)
    assert any("python -m venv" in line for line in lines[:first_install])
    assert "python -m pip install . && playbook build" in lines
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci[-1] in lines  # CI runs exactly the README's test command
    assert "pytest" in ci[-1] and "[test]" in ci[-1]


def test_verbose_may_follow_the_command_as_the_dev_servers_hint_writes_it() -> None:
    parser = make_parser()
    assert parser.parse_args(["serve", "-v"]).verbose  # "`playbook serve -v` shows where it failed"
    assert parser.parse_args(["-v", "serve"]).verbose
    assert not parser.parse_args(["serve"]).verbose
