"""Problems as the form editor shows them: each at the field it is about, found from its line and column.

A problem names a file, line and column, as `playbook check` prints it. The form knows fields by
their place in the document (`["months", 0, "agenda", 1, "owner"]`), so the YAML the problem was
found in is read again to learn which value starts where.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import yaml

from .errors import Diagnostic
from .yaml_reader import SafeLoader

Path = list[str | int]
MISSING_KEY = re.compile(r"^missing required key '([^']+)'")
REQUIRED = "This is required: fill it in."


def where_values_start(text: str, first_line: int = 1) -> list[tuple[int, int, Path]]:
    """(line, column, path) of every value and key in the YAML `text` (which starts on file line `first_line`),
    in the order they are written; a key counts as the start of its value's field."""
    try:
        root = yaml.compose(text, Loader=SafeLoader)
    except yaml.YAMLError:
        return []
    found: list[tuple[int, int, Path]] = []

    def visit(node: Any, path: Path) -> None:
        found.append((node.start_mark.line + first_line, node.start_mark.column + 1, path))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                name = key.value if isinstance(key, yaml.ScalarNode) else str(key.start_mark)
                found.append((key.start_mark.line + first_line, key.start_mark.column + 1, [*path, name]))
                visit(value, [*path, name])
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                visit(item, [*path, index])

    if root is not None:
        visit(root, [])
    return found


def field_of(problem: Diagnostic, starts: list[tuple[int, int, Path]]) -> Path:
    """The path of the field a problem is about: the value that starts where it points, else the last one
    before it; a missing key's problem is about the key it names, inside the value it points at."""
    missing = MISSING_KEY.match(problem.message)
    # A mapping starts where its first key does: a missing key is the mapping's, any other problem the key's.
    depth = -1 if missing else 1
    path: Path = []
    best: tuple[int, int, int] | None = None
    for line, column, candidate in starts:
        if (line, column) > (problem.line, problem.col):
            continue
        rank = (line, column, depth * len(candidate))
        if best is None or rank >= best:
            best, path = rank, candidate
    return [*path, missing.group(1)] if missing else path


def problems_data(problems: Iterable[Diagnostic], rel: str, text: str, first_line: int = 1) -> list[dict[str, Any]]:
    """The problems as the editor reads them: those in `rel` (whose YAML is `text`) with the path of their
    field; those in other files with `file` and an empty path, shown above the form."""
    starts = where_values_start(text, first_line)
    shown = []
    for problem in problems:
        mine = problem.path == rel
        # Beside its field, a missing key is an empty field: said without YAML's words (`text` keeps them).
        message = REQUIRED if mine and MISSING_KEY.match(problem.message) else problem.message
        shown.append(
            {
                "path": field_of(problem, starts) if mine and problem.line else [],
                "file": "" if mine else problem.path,
                "line": problem.line,
                "message": message,
                "hint": problem.hint,
                "severity": "error" if problem.is_error else "warning",
                "text": str(problem),
            }
        )
    return shown
