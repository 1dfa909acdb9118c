"""Files that ship with Playbook: the default theme and the example playbook."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
PACKAGED_DATA = PACKAGE / "data"  # where the wheel puts themes/ and the example
SOURCE_ROOT = PACKAGE.parent  # a source checkout keeps them at the repository root


def builtin_theme(name: str) -> Path | None:
    """The folder of a theme that ships with Playbook, if there is one by that name."""
    for folder in (PACKAGED_DATA / "themes" / name, SOURCE_ROOT / "themes" / name):
        if (folder / "templates").is_dir():
            return folder
    return None


def example_project() -> Path:
    """The folder holding the example playbook's playbook.yaml and content/."""
    packaged = PACKAGED_DATA / "example"
    return packaged if (packaged / "playbook.yaml").is_file() else SOURCE_ROOT
