"""`playbook new` as a program lead uses it: recipes that publish the site with the Playbook version the
project pins, and files that let an editor check the YAML as you type."""

from __future__ import annotations

import datetime
import fnmatch
import importlib.metadata
import importlib.util
import json
import os
import posixpath
import re
import shutil
import site
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml

from conftest import REPO, Run
from generator import __version__
from generator.cli import main
from generator.scaffold import with_schema_line
from generator.yaml_reader import SafeLoader

GITHUB = ".github/workflows/pages.yml"
GITLAB = ".gitlab-ci.yml"
NETLIFY = "netlify.toml"
RECIPES = (GITHUB, GITLAB, NETLIFY)
MODELINE = re.compile(r"# yaml-language-server: \$schema=(\S+)")


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project `playbook new` made from nothing, for the tests that only read it."""
    root = tmp_path_factory.mktemp("new") / "x"
    assert main(["new", str(root)]) == 0
    return root


def created(root: Path) -> list[str]:
    """Every file under `root`, by its path there."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def yaml_files(root: Path) -> list[str]:
    """The playbook's own YAML files: its settings and its content."""
    return [path for path in created(root) if path.endswith((".yaml", ".yml")) and not path.startswith(".")]


def named_schema(root: Path, path: str) -> str:
    """The schema file the first line of a YAML file names, by its path in the project."""
    first = (root / path).read_text(encoding="utf-8").splitlines()[0]
    match = MODELINE.fullmatch(first)
    assert match, f"{path} starts with {first!r}"
    return posixpath.normpath(posixpath.join(posixpath.dirname(path), match[1]))


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


def test_new_writes_the_recipes_and_the_editor_files_beside_the_playbook(made: Path) -> None:
    assert {
        "playbook.yaml",
        "requirements.txt",
        *RECIPES,
        ".gitignore",
        ".vscode/settings.json",
        ".vscode/extensions.json",
        *(f"schemas/{kind}.schema.json" for kind in ("playbook", "program", "worksheet", "checklist", "cohort")),
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


def test_the_readme_shows_the_commands_every_recipe_runs(made: Path) -> None:
    publish = (REPO / "README.md").read_text(encoding="utf-8").split("\n## Publish\n", 1)[1].split("\n## ", 1)[0]
    assert publish.split("```sh\n", 1)[1].split("```", 1)[0].splitlines() == github_commands(made)


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
        assert all(f"'{path}'" in added for path in ("requirements.txt", *RECIPES, ".vscode/settings.json"))
        assert "_site" not in added and ".playbook-cache" not in added
        assert (project / ".playbook-cache").is_dir()


# --- Editors ------------------------------------------------------------------------------------


def test_every_yaml_file_opens_with_the_schema_of_its_kind(made: Path) -> None:
    found = {path: named_schema(made, path) for path in yaml_files(made)}
    for path, schema in found.items():
        assert schema.startswith("schemas/") and (made / schema).is_file(), path
    assert found["playbook.yaml"] == "schemas/playbook.schema.json"
    assert found["content/programs/twelve-months.yaml"] == "schemas/program.schema.json"
    assert found["content/worksheets/vision.yaml"] == "schemas/worksheet.schema.json"
    assert found["content/checklists/first-meeting.yaml"] == "schemas/checklist.schema.json"
    assert found["content/cohorts/spring-2027.yaml"] == "schemas/cohort.schema.json"


def test_a_file_that_names_a_schema_already_gets_one_line_not_two() -> None:
    written = with_schema_line("content/worksheets/goals.yaml", b"# yaml-language-server: $schema=old.json\ntitle: x\n")
    assert written == b"# yaml-language-server: $schema=../../schemas/worksheet.schema.json\ntitle: x\n"
    assert with_schema_line("content/assets/data.yaml", b"a: 1\n") == b"a: 1\n"  # not a kind of playbook file


def test_vscode_ties_every_yaml_file_to_the_schema_its_first_line_names(made: Path) -> None:
    settings = json.loads((made / ".vscode/settings.json").read_text(encoding="utf-8"))
    for path in yaml_files(made):
        # The YAML extension matches a glob with the end of a file's address; its `*` crosses folders, as here.
        claimed = [
            schema
            for schema, globs in settings["yaml.schemas"].items()
            if any(fnmatch.fnmatchcase(f"/{path}", glob) for glob in globs)
        ]
        assert claimed == [named_schema(made, path)], path
    extensions = json.loads((made / ".vscode/extensions.json").read_text(encoding="utf-8"))
    assert extensions["recommendations"] == ["redhat.vscode-yaml"]


def test_the_schema_files_are_what_playbook_schema_prints(made: Path, playbook: Callable[..., Run]) -> None:
    for kind in ("playbook", "program", "worksheet", "checklist", "cohort"):
        assert (made / f"schemas/{kind}.schema.json").read_text(encoding="utf-8") == playbook("schema", kind).out


def test_the_schema_files_accept_every_example_file(made: Path) -> None:
    for path in yaml_files(made):
        schema = json.loads((made / named_schema(made, path)).read_text(encoding="utf-8"))
        assert understood(schema) == set(), "the schema uses keywords this check does not know"
        data = as_json(yaml.load((made / path).read_bytes(), Loader=SafeLoader))
        assert problems(data, schema, schema) == [], path


def test_the_schema_check_finds_what_an_editor_would_underline(made: Path) -> None:
    """The check above is not empty: a typo in a key, a missing title and a word for a number are found."""
    schema = json.loads((made / "schemas/program.schema.json").read_text(encoding="utf-8"))
    program = as_json(yaml.load((made / "content/programs/twelve-months.yaml").read_bytes(), Loader=SafeLoader))
    del program["title"]
    program["sumary"] = program.pop("summary")
    program["months"][0]["agenda"][0]["minutes"] = "ten"
    assert sorted(problems(program, schema, schema)) == [
        ".months.0.agenda.0.minutes: 0 of the anyOf options fit",  # a whole number, or nothing
        ": 'sumary' is not a known key",
        ": 'summary' is missing",
        ": 'title' is missing",
    ]


def test_a_new_project_checks_clean_even_with_strict(made: Path, playbook: Callable[..., Run]) -> None:
    """The schema lines are comments, and .github/, .vscode/ and schemas/ are nothing the build reads."""
    run = playbook("check", made, "--strict")
    assert run.code == 0, run.err
    assert run.err == ""


def test_new_help_lists_what_it_writes(made: Path, playbook: Callable[..., Run]) -> None:
    run = playbook("new", "--help")
    assert run.code == 0
    for top in {path.split("/")[0] for path in created(made)} - {".github"}:
        assert (top + "/" if (made / top).is_dir() else top) in run.out
    assert GITHUB in run.out


# --- A small JSON Schema check, for lack of the jsonschema package in the test extras -----------

# `x-playbook-id-of` says what an id refers to, for the form editor; validators ignore `x-` keywords.
ANNOTATIONS = {"$schema", "$defs", "title", "description", "default", "examples", "discriminator", "x-playbook-id-of"}
KEYWORDS = {
    *("$ref", "anyOf", "oneOf", "allOf", "type", "enum", "const", "format", "pattern"),
    *("properties", "required", "additionalProperties", "propertyNames", "minProperties"),
    *("items", "minItems", "maxItems", "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum"),
}
TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def understood(schema: Any) -> set[str]:
    """The keywords in `schema` that `problems` does not check and that are more than annotations."""
    unknown: set[str] = set()
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key not in KEYWORDS | ANNOTATIONS:
                unknown.add(key)
            if key in ANNOTATIONS - {"$defs"}:  # their values are examples and notes, not schemas
                continue
            children = value.values() if key in ("properties", "$defs") else [value]
            for child in children:
                unknown |= understood(child)
    elif isinstance(schema, list):
        for child in schema:
            unknown |= understood(child)
    return unknown


def as_json(value: Any) -> Any:
    """A YAML value as an editor's YAML language server sees it: dates are text."""
    if isinstance(value, dict):
        return {str(key): as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def problems(value: Any, schema: dict[str, Any], root: dict[str, Any], where: str = "") -> list[str]:
    """Where `value` breaks `schema` (JSON Schema 2020-12, the keywords in KEYWORDS)."""
    if "$ref" in schema:
        target: Any = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        return problems(value, {**target, **{k: v for k, v in schema.items() if k != "$ref"}}, root, where)
    found: list[str] = []
    for key in ("anyOf", "oneOf"):
        if key in schema:
            passing = sum(not problems(value, option, root, where) for option in schema[key])
            if passing == 0 or (key == "oneOf" and passing > 1):
                found.append(f"{where}: {passing} of the {key} options fit")
    found += [p for option in schema.get("allOf", []) for p in problems(value, option, root, where)]
    if "type" in schema and not TYPES[schema["type"]](value):
        return [*found, f"{where}: not a {schema['type']}: {value!r}"]
    if "enum" in schema and value not in schema["enum"] or "const" in schema and value != schema["const"]:
        found.append(f"{where}: {value!r} is not allowed")
    if isinstance(value, str):
        found += _text_problems(value, schema, where)
    if isinstance(value, int | float) and not isinstance(value, bool):
        low, high, above = schema.get("minimum"), schema.get("maximum"), schema.get("exclusiveMinimum")
        if (
            (low is not None and value < low)
            or (high is not None and value > high)
            or (above is not None and value <= above)
        ):
            found.append(f"{where}: {value} is out of range")
    if isinstance(value, list):
        if not schema.get("minItems", 0) <= len(value) <= schema.get("maxItems", len(value)):
            found.append(f"{where}: {len(value)} items")
        for n, item in enumerate(value):
            found += problems(item, schema.get("items", {}), root, f"{where}.{n}")
    if isinstance(value, dict):
        found += _object_problems(value, schema, root, where)
    return found


def _text_problems(value: str, schema: dict[str, Any], where: str) -> list[str]:
    found = []
    if not schema.get("minLength", 0) <= len(value) <= schema.get("maxLength", len(value)):
        found.append(f"{where}: {value!r} has the wrong length")
    if "pattern" in schema and not re.search(schema["pattern"], value):
        found.append(f"{where}: {value!r} does not match {schema['pattern']}")
    if schema.get("format") == "date" and not re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        found.append(f"{where}: {value!r} is not a date")
    return found


def _object_problems(value: dict[str, Any], schema: dict[str, Any], root: dict[str, Any], where: str) -> list[str]:
    found = [f"{where}: '{key}' is missing" for key in schema.get("required", []) if key not in value]
    if len(value) < schema.get("minProperties", 0):
        found.append(f"{where}: too few keys")
    properties, others = schema.get("properties", {}), schema.get("additionalProperties", True)
    for key, item in value.items():
        found += problems(key, schema.get("propertyNames", {}), root, f"{where}.{key} (the key)")
        if key in properties:
            found += problems(item, properties[key], root, f"{where}.{key}")
        elif others is False:
            found.append(f"{where}: '{key}' is not a known key")
        elif isinstance(others, dict):
            found += problems(item, others, root, f"{where}.{key}")
    return found
