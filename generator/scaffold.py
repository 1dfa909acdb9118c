"""`playbook new`: the files of a new project. The example playbook; the recipes that publish it
(`deploy`); and what lets editors check its YAML as you type: the JSON Schema of each kind of file,
a first line in each YAML file naming its schema, and VS Code settings that tie every YAML file to
its schema.

The first line (`# yaml-language-server: $schema=...`) works in any editor that runs the YAML
language server; the VS Code settings also cover files added later, which have no such line. Both
take precedence over the schemas editors fetch by file name, which would take `playbook.yaml` for
an Ansible playbook. Guides are left out: their front matter sits in Markdown, which the YAML
language server does not read.
"""

from __future__ import annotations

import json
import os
import posixpath
from pathlib import Path
from typing import Any

from .deploy import deploy_files
from .loader import YAML_FOLDERS
from .names import CACHE_FOLDER, CONTENT_FOLDER, OUTPUT_FOLDER, SETTINGS_FILE
from .resources import example_project
from .schema import json_schema

GITIGNORE = (
    f"# the built site and the build cache; `playbook build` makes them again\n{OUTPUT_FOLDER}/\n{CACHE_FOLDER}/\n"
)
SCHEMAS_FOLDER = "schemas"
MODELINE = "# yaml-language-server: $schema="
YAML_EXTENSION = "redhat.vscode-yaml"  # the YAML language server in VS Code
VSCODE_SETTINGS = ".vscode/settings.json"
VSCODE_EXTENSIONS = ".vscode/extensions.json"


def example_files() -> dict[str, bytes]:
    """Every file a new project starts with, by its path in the project."""
    files = {path: with_schema_line(path, data) for path, data in _example().items()}
    files[".gitignore"] = GITIGNORE.encode()
    files.update({path: text.encode() for path, text in deploy_files().items()})
    files.update(editor_files())
    return files


def _example() -> dict[str, bytes]:
    """The example playbook's settings and content, as they ship with Playbook."""
    source = example_project()
    files = {SETTINGS_FILE: (source / SETTINGS_FILE).read_bytes()}
    for dirpath, dirnames, filenames in os.walk(source / CONTENT_FOLDER):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
        for name in sorted(filenames):
            if not name.startswith("."):
                path = Path(dirpath, name)
                files[path.relative_to(source).as_posix()] = path.read_bytes()
    return files


def yaml_kinds() -> dict[str, str]:
    """Each kind of YAML file with the glob its files match, from the project's root."""
    kinds = {"playbook": f"/{SETTINGS_FILE}"}
    kinds.update({kind: f"/{CONTENT_FOLDER}/{folder}/*.yaml" for folder, kind in YAML_FOLDERS.items()})
    return kinds


def schema_file(kind: str) -> str:
    """Where the schema of one kind of file is kept in a project: `schemas/program.schema.json`."""
    return f"{SCHEMAS_FOLDER}/{kind}.schema.json"


def kind_of(path: str) -> str | None:
    """The kind of YAML file at `path` in a project (`content/programs/year.yaml` is a program), if any."""
    if path == SETTINGS_FILE:
        return "playbook"
    parts = path.split("/")
    if len(parts) == 3 and parts[0] == CONTENT_FOLDER and parts[2].endswith(".yaml"):
        return YAML_FOLDERS.get(parts[1])
    return None


def with_schema_line(path: str, data: bytes) -> bytes:
    """The file at `path` with a first line naming its schema, relative to the file; other files as they are."""
    kind = kind_of(path)
    if kind is None:
        return data
    if data.startswith(MODELINE.encode()):  # the example has one already: write it afresh
        data = data.partition(b"\n")[2]
    target = posixpath.relpath(schema_file(kind), posixpath.dirname(path) or ".")
    return f"{MODELINE}{target}\n".encode() + data


def editor_files() -> dict[str, bytes]:
    """The schema files and the VS Code settings, by their path in the project."""
    kinds = yaml_kinds()
    files = {schema_file(kind): _json(json_schema(kind)) for kind in kinds}
    files[VSCODE_SETTINGS] = _json({"yaml.schemas": {schema_file(kind): [glob] for kind, glob in kinds.items()}})
    files[VSCODE_EXTENSIONS] = _json({"recommendations": [YAML_EXTENSION]})
    return files


def _json(data: Any) -> bytes:
    """JSON laid out as `playbook schema` prints it, with a line end."""
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode()
