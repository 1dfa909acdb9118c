"""Broken projects give exact `path:line:col: error: message` lines, all in one run, exit 1."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run

CASES = sorted((Path(__file__).parent / "fixtures" / "errors").glob("*.txt"))


def read_case(path: Path) -> tuple[dict[str, str | bytes], list[str]]:
    """The files a case writes and the lines it expects (format: fixtures/errors/README.md)."""
    files: dict[str, str | bytes] = {}
    expected: list[str] = []
    name, encoding, lines = "", "", []  # type: ignore[var-annotated]
    sections: list[tuple[str, str, list[str]]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("~~~ "):
            if name:
                sections.append((name, encoding, lines))
            name, encoding = line[4:], ""
            if name.endswith(")") and " (" in name:
                name, _, encoding = name[:-1].rpartition(" (")
            lines = []
        elif name:
            lines.append(line)
    sections.append((name, encoding, lines))
    for name, encoding, body in sections:
        if name == "expect":
            expected = [line for line in body if line]
            continue
        text = "".join(line + "\n" for line in body).replace("\\t", "\t")
        files[name] = text.encode(encoding) if encoding else text
    return files, expected


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_broken_project_reports_every_problem(
    case: Path, project: Callable[..., Path], playbook: Callable[..., Run]
) -> None:
    files, expected = read_case(case)
    root = project(files)

    run = playbook("check", root)

    assert run.diagnostics == expected
    assert run.code == 1
    assert "Traceback" not in run.err
    assert not (root / "_site").exists()
