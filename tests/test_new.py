"""`playbook new` as a program lead uses it: recipes that publish the site with the Playbook version the
project pins."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import re
import shutil
import site
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path, PurePosixPath

import pytest
import yaml

from conftest import REPO
from generator import __version__
from generator.cli import main

GITHUB = ".github/workflows/pages.yml"
GITLAB = ".gitlab-ci.yml"
NETLIFY = "netlify.toml"
RECIPES = (GITHUB, GITLAB, NETLIFY)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project `playbook new` made from nothing, for the tests that only read it."""
    root = tmp_path_factory.mktemp("new") / "x"
    assert main(["new", str(root)]) == 0
    return root


def created(root: Path) -> list[str]:
    """Every file under `root`, by its path there."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


# --- The deploy recipes -------------------------------------------------------------------------


def github_commands(root: Path) -> list[str]:
    """The shell lines of the GitHub workflow's `run:` steps, read from the file."""
    workflow = yaml.safe_load((root / GITHUB).read_text(encoding="utf-8"))
    [job] = workflow["jobs"].values()
    return [line for step in job["steps"] if "run" in step for line in step["run"].splitlines() if line.strip()]


def gitlab_commands(root: Path) -> list[str]:
    """The `pages` job's script, read from `.gitlab-ci.yml`."""
    return list(yaml.safe_load((root / GITLAB).read_text(encoding="utf-8"))["pages"]["script"])


def netlify_commands(root: Path) -> list[str]:
    """Netlify's build command, read from `netlify.toml`, split where the shell runs the next one."""
    tomllib = pytest.importorskip("tomllib", reason="reading TOML needs tomllib, which comes with Python 3.11")
    return str(tomllib.loads((root / NETLIFY).read_text(encoding="utf-8"))["build"]["command"]).split(" && ")


def test_new_writes_the_recipes_beside_the_playbook(made: Path) -> None:
    assert {
        "playbook.yaml",
        "requirements.txt",
        *RECIPES,
        ".gitignore",
    } <= set(created(made))


def test_requirements_pin_this_playbook_which_no_recipe_names_again(made: Path) -> None:
    text = (made / "requirements.txt").read_text(encoding="utf-8")
    assert [line for line in text.splitlines() if not line.startswith("#")] == [f"mentor-playbook=={__version__}"]
    assert "To upgrade" in text
    for recipe in RECIPES:
        assert __version__ not in (made / recipe).read_text(encoding="utf-8")
        assert "requirements.txt" in (made / recipe).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("recipe", "switch_on"),
    [
        (GITHUB, "Settings > Pages > Build and deployment > Source: GitHub Actions"),
        (GITLAB, "once the first pipeline has passed, Deploy > Pages shows the address"),
        (NETLIFY, "Import an existing project"),
    ],
)
def test_each_recipe_opens_with_what_it_does_and_what_to_switch_on(made: Path, recipe: str, switch_on: str) -> None:
    lines = (made / recipe).read_text(encoding="utf-8").splitlines()
    header = " ".join(line.lstrip("# ") for line in lines[: next(i for i, x in enumerate(lines) if x[:1] != "#")])
    assert lines[0].startswith("# Publishes this playbook on ")
    assert switch_on in header
    assert "requirements.txt" in header and "_site" in header


def test_the_recipes_build_alike_and_publish_the_site_folder(made: Path) -> None:
    tomllib = pytest.importorskip("tomllib", reason="reading TOML needs tomllib, which comes with Python 3.11")
    workflow = yaml.safe_load((made / GITHUB).read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1, as PyYAML reads it, takes the key `on` for true
    assert set(triggers) == {"push", "workflow_dispatch"}
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    [job] = workflow["jobs"].values()
    assert job["if"] == "github.ref_name == github.event.repository.default_branch"
    actions = {step["uses"].partition("@")[0]: step.get("with", {}) for step in job["steps"] if "uses" in step}
    assert actions["actions/upload-pages-artifact"] == {"path": "_site"}
    assert {"actions/checkout", "actions/setup-python", "actions/deploy-pages"} <= set(actions)

    gitlab = yaml.safe_load((made / GITLAB).read_text(encoding="utf-8"))["pages"]
    assert gitlab["pages"] == {"publish": "_site"}
    assert gitlab["artifacts"] == {"paths": ["_site"]}
    assert gitlab["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]

    netlify = tomllib.loads((made / NETLIFY).read_text(encoding="utf-8"))
    assert netlify["build"]["publish"] == "_site"

    pythons = {
        actions["actions/setup-python"]["python-version"],
        re.fullmatch(r"python:(.+)-slim", gitlab["image"])[1],  # type: ignore[index]
        netlify["build"]["environment"]["PYTHON_VERSION"],
    }
    assert len(pythons) == 1 and re.fullmatch(r"3\.\d+", pythons.pop())
    assert github_commands(made) == gitlab_commands(made) == netlify_commands(made)


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding a wheel of this checkout: what `pip install mentor-playbook==VERSION` would fetch."""
    folder = tmp_path_factory.mktemp("wheels")
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", folder, REPO]
    result = subprocess.run([str(part) for part in command], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return folder


def installed_dependencies(folder: Path) -> Path:
    """A folder showing the packages installed here, all but Playbook's own files.

    A new virtual environment that reads it (a `.pth` line) finds every dependency installed, so
    `pip install` needs no network; and since Playbook itself is not there, pip installs the wheel.
    """
    try:
        files = importlib.metadata.distribution("mentor-playbook").files or []
    except importlib.metadata.PackageNotFoundError:  # the tests run from a checkout that is not installed
        files = []
    playbook = {PurePosixPath(str(f)).parts[0] for f in files}
    folder.mkdir()
    for site_packages in site.getsitepackages():
        for entry in sorted(Path(site_packages).iterdir()):
            if entry.name not in playbook and entry.suffix != ".pth" and not (folder / entry.name).exists():
                (folder / entry.name).symlink_to(entry)
    return folder


def fresh_environment(tmp_path: Path, wheels: Path) -> dict[str, str]:
    """The environment of a shell in a new virtual environment where pip installs only from `wheels`."""
    pytest.importorskip("ensurepip", reason="a new virtual environment needs ensurepip (Debian: python3-venv)")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    purelib = subprocess.run(
        [str(bin_dir / "python"), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(purelib, "playbook-dependencies.pth").write_text(f"{installed_dependencies(tmp_path / 'deps')}\n")
    env = {name: value for name, value in os.environ.items() if not name.startswith(("PIP_", "PYTHON"))}
    return {
        **env,
        "PATH": f"{bin_dir}{os.pathsep}{env['PATH']}",
        "VIRTUAL_ENV": str(venv),
        "PIP_CONFIG_FILE": os.devnull,  # none of this machine's pip settings
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(wheels),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }


@pytest.fixture
def run_in() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run a shell line in a folder, as a CI job runs a recipe's command; it must succeed."""

    def run(folder: Path, command: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(command, shell=True, cwd=folder, env=env, capture_output=True, text=True, check=False)
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
        return result

    return run


@pytest.mark.skipif(sys.platform == "win32", reason="the dependencies are shown to the new environment by symlinks")
def test_the_recipes_commands_install_the_pinned_playbook_and_build_the_site(
    tmp_path: Path, wheels: Path, run_in: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    project = tmp_path / "x"
    assert main(["new", str(project)]) == 0
    commands = github_commands(project)
    assert commands == gitlab_commands(project)  # so one environment serves all the recipes
    if importlib.util.find_spec("tomllib"):  # Python 3.11 and later
        assert commands == netlify_commands(project)
    env = fresh_environment(tmp_path, wheels)

    outputs = [run_in(project, command, env) for command in commands]

    venv = Path(env["VIRTUAL_ENV"])
    shown = {
        key: value.strip()
        for key, _, value in (
            line.partition(":") for line in run_in(project, "pip show mentor-playbook", env).stdout.splitlines()
        )
    }
    assert shown["Version"] == __version__
    assert Path(shown["Location"]).is_relative_to(venv)  # the wheel the recipe installed, not this checkout
    assert Path(shutil.which("playbook", path=env["PATH"]) or "").is_relative_to(venv)
    assert outputs[-1].stdout.startswith("Built ")
    assert (project / "_site" / "index.html").is_file()

    if shutil.which("git"):  # what a first commit would hold: the recipes, but not the site or the cache
        run_in(project, "git init -q", env)
        added = run_in(project, "git add --dry-run .", env).stdout
        assert all(f"'{path}'" in added for path in ("requirements.txt", *RECIPES))
        assert "_site" not in added and ".playbook-cache" not in added
        assert (project / ".playbook-cache").is_dir()
