"""Files that ship with Playbook: the default theme and the example playbook."""

from __future__ import annotations

from pathlib import Path

from .names import SETTINGS_FILE, TEMPLATES_FOLDER, THEMES_FOLDER

PACKAGE = Path(__file__).resolve().parent
PACKAGED_DATA = PACKAGE / "data"  # where the wheel puts themes/ and the example
SOURCE_ROOT = PACKAGE.parent  # a source checkout keeps them at the repository root


def builtin_theme(name: str) -> Path | None:
    """The folder of a theme that ships with Playbook, if there is one by that name."""
    for folder in (PACKAGED_DATA / THEMES_FOLDER / name, SOURCE_ROOT / THEMES_FOLDER / name):
        if (folder / TEMPLATES_FOLDER).is_dir():
            return folder
    return None


def example_project() -> Path:
    """The folder holding the example playbook's playbook.yaml and content/."""
    packaged = PACKAGED_DATA / "example"
    return packaged if (packaged / SETTINGS_FILE).is_file() else SOURCE_ROOT
