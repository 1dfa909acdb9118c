"""Shared helpers: projects written from files, and the command line run in-process."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.cli import main

TESTS = Path(__file__).parent
REPO = TESTS.parent
MINIMAL = TESTS / "fixtures" / "minimal"


@dataclass
class Run:
    """What a `playbook` command printed and returned."""

    code: int
    out: str
    err: str

    @property
    def diagnostics(self) -> list[str]:
        """The `path:line:col: severity: message` lines, without the summary line."""
        return [line for line in self.err.splitlines() if ": error: " in line or ": warning: " in line]


def write_files(root: Path, files: Mapping[str, str | bytes]) -> None:
    """Write `files` (path -> text or bytes) under `root`, replacing what is there."""
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Callable[..., Path]:
    """A copy of the minimal project in tmp_path, with `files` written over it."""

    def make(files: Mapping[str, str | bytes] | None = None, base: Path = MINIMAL) -> Path:
        root = tmp_path / "project"
        shutil.copytree(base, root, ignore=shutil.ignore_patterns("_site"))
        write_files(root, files or {})
        return root

    return make


@pytest.fixture
def playbook(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """Run the `playbook` command line in this process, as a user would type it."""

    def run(*args: str | Path) -> Run:
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse exits on usage errors and --help
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run
