"""The wheel carries the theme and the example, so `playbook new` and `build` work after a plain install."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import REPO


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_installed_wheel_makes_and_builds_a_project_from_another_folder(tmp_path: Path) -> None:
    run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "-q",
        "-w",
        tmp_path / "dist",
        REPO,
        cwd=tmp_path,
    )
    wheel = next((tmp_path / "dist").glob("mentor_playbook-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {
        "generator/cli.py",
        "generator/data/themes/default/templates/base.html",
        "generator/data/themes/default/static/playbook.css",
        "generator/data/example/playbook.yaml",
        "generator/data/example/content/programs/twelve-months.yaml",
    } <= names

    lib = tmp_path / "lib"
    run(sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", lib, wheel, cwd=tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(lib)}
    where = run(sys.executable, "-c", "import generator; print(generator.__file__)", cwd=elsewhere, env=env)
    assert Path(where.stdout.strip()).is_relative_to(lib)

    playbook = lib / "bin" / "playbook"
    run(playbook, "new", "demo", cwd=elsewhere, env=env)
    built = run(playbook, "build", "demo", cwd=elsewhere, env=env)

    assert built.stdout.startswith("Built ")
    months = list((elsewhere / "demo" / "_site" / "programs" / "twelve-months").glob("month-*/index.html"))
    assert len(months) == 12
    assert (elsewhere / "demo" / "_site" / "static" / "playbook.css").is_file()
