"""YAML that cannot be read, explained: the mistake in plain words, at the place to fix it."""

from __future__ import annotations

import re

import yaml

from .errors import Diagnostic

SYNTAX_HINTS = (
    ("mapping values are not allowed", "put text that contains ': ' in quotes"),
    ("could not determine a constructor", "tags such as !!python are not allowed; write plain values"),
    ("found undefined tag", "tags are not allowed; write plain values"),
    ("expected <block end>", "check the indentation of this line against the lines above"),
    ("expected '-' indicator", "check the indentation of this line against the lines above"),
    ("did not find expected key", "check the indentation, or quote text that starts with a special character"),
    ("expected a single document", "a file holds one document; remove the extra `---`"),
    ("found unhashable key", "quote keys that start with [ or {"),
    ("cannot start any token", "quote text that starts with @ or `"),
)
UNCLOSED = {"flow sequence": "[", "flow mapping": "{", "quoted scalar": "quote"}


def unprintable_diagnostic(exc: yaml.reader.ReaderError, text: str, rel: str, first_line: int) -> Diagnostic:
    """The control character YAML refused, where it is in the file."""
    at = min(max(exc.position, 0), len(text))
    line = text.count("\n", 0, at) + first_line
    col = at - (text.rfind("\n", 0, at) + 1) + 1
    message = f"the file holds the control character U+{exc.character:04X}, which YAML does not allow"
    return Diagnostic(rel, line, col, message, "delete it; such characters often come with text pasted from elsewhere")


def syntax_diagnostic(exc: yaml.MarkedYAMLError, text: str, rel: str, first_line: int) -> Diagnostic:
    """A YAML syntax error in plain words, at the place to fix it rather than where the parser gave up."""
    lines = text.split("\n")
    mistake = _common_mistake(exc, lines)
    if mistake is not None:
        at, col, problem, hint = mistake
        return Diagnostic(rel, at + first_line, col, f"YAML syntax: {problem}", hint)
    mark = exc.problem_mark
    at_end = mark is not None and (mark.line, mark.column) >= (len(lines) - 1, len(lines[-1]))
    unclosed = _first_unclosed(lines) if at_end else None  # YAML read to the end, looking for a closing sign
    if unclosed is not None:
        sign, at, col = unclosed
        closing = {"[": "]", "{": "}"}[sign]
        return Diagnostic(
            rel, at + first_line, col + 1, f"YAML syntax: this {sign} is never closed", f"add the closing {closing}"
        )
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + first_line, mark.column + 1) if mark else (first_line, 1)
    if mark and mark.line >= len(lines) - 1 and not lines[-1] and len(lines) > 1:
        # The end of the file, after its last line break: point at the end of the last line instead.
        line, col = len(lines) - 2 + first_line, len(lines[-2]) + 1
    problem = exc.problem or "invalid YAML"
    hint = next((h for needle, h in SYNTAX_HINTS if needle in str(exc)), "")
    if mark and _char_at(text, mark.line, mark.column) == "\t":
        problem, hint = "found a tab character", "indent with spaces, not tabs"
    opened = next((sign for what, sign in UNCLOSED.items() if what in (exc.context or "")), None)
    if opened and exc.context_mark and "end of stream" in problem:
        # Nothing is wrong where the file ends: the mistake is where the unclosed sign opens.
        start = exc.context_mark
        closing = {"[": "]", "{": "}"}.get(opened, "quote")
        return Diagnostic(
            rel,
            start.line + first_line,
            start.column + 1,
            f"YAML syntax: this {opened} is never closed",
            f"add the closing {closing}",
        )
    if opened and exc.context_mark:
        hint = f"the {opened} at line {exc.context_mark.line + first_line} is not closed"
    return Diagnostic(rel, line, col, f"YAML syntax: {problem}", hint)


KEY_AND_VALUE = re.compile(r"^(\s*)(?:- )?([^\s#:][^:#]*):[ \t]+\S")
KEY_START = re.compile(r"^(\s*)([^\s#:][^:#]*?)(:?)(\s|$)")


def _common_mistake(exc: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, int, str, str] | None:
    """(line, column, problem, hint) in plain words for mistakes newcomers to YAML make often."""
    if exc.context == "while scanning a simple key" and exc.context_mark is not None:
        at = exc.context_mark.line  # a line of words with no colon, read as the start of a key
        return (
            at,
            _indent(lines[at]) + 1,
            "this line has no `key: value` colon",
            ("write the key, a colon and a space, then the value"),
        )
    mark = exc.problem_mark
    if mark is None or "mapping values are not allowed" not in (exc.problem or "") or mark.line >= len(lines):
        return None
    at = mark.line
    above = next((n for n in range(at - 1, -1, -1) if lines[n].strip() and not lines[n].lstrip().startswith("#")), None)
    if above is None or _indent(lines[at]) <= _indent(lines[above]):
        return None
    parent, key = KEY_AND_VALUE.match(lines[above]), KEY_START.match(lines[at])
    if parent is None or key is None:
        return None
    return (
        at,
        _indent(lines[at]) + 1,
        (f"this line is indented more than the line above, so it reads as part of the value of '{parent[2].strip()}'"),
        f"start '{key[2].strip()}:' in the same column as '{parent[2].strip()}:'",
    )


def _first_unclosed(lines: list[str]) -> tuple[str, int, int] | None:
    """The first `[` or `{` (outside quotes and comments) that nothing closes: (sign, line, column)."""
    opened: list[tuple[str, int, int]] = []
    for number, line in enumerate(lines):
        quote = ""
        for col, char in enumerate(line):
            if quote:
                quote = "" if char == quote else quote
            elif char in "'\"" and (col == 0 or line[col - 1] in " \t[{,:"):
                quote = char
            elif char == "#" and (col == 0 or line[col - 1] in " \t"):
                break
            elif char in "[{":
                opened.append((char, number, col))
            elif char in "]}" and opened:
                opened.pop()
    return opened[0] if opened else None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    return lines[line][column : column + 1] if line < len(lines) else ""
