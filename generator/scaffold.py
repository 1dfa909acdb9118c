"""`playbook new`: the files of a new project. The example playbook, and the recipes that publish it
(`deploy`)."""

from __future__ import annotations

import os
from pathlib import Path

from .deploy import deploy_files
from .names import CACHE_FOLDER, CONTENT_FOLDER, OUTPUT_FOLDER, SETTINGS_FILE
from .resources import example_project

GITIGNORE = (
    f"# the built site and the build cache; `playbook build` makes them again\n{OUTPUT_FOLDER}/\n{CACHE_FOLDER}/\n"
)


def example_files() -> dict[str, bytes]:
    """Every file a new project starts with, by its path in the project."""
    files = _example()
    files[".gitignore"] = GITIGNORE.encode()
    files.update({path: text.encode() for path, text in deploy_files().items()})
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
