"""Safe YAML that remembers where each value was written, for messages with line and column."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from .errors import Diagnostic

try:
    BaseLoader: type[Any] = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    BaseLoader = yaml.SafeLoader


class SafeLoader(BaseLoader):  # type: ignore[misc]
    """Safe YAML read as YAML 1.2 reads plain words: only `true` and `false` are booleans, so a schedule's
    `on:` is a key and `yes`, `no`, `on` and `off` stay words; and `10:00` is a time of day, not 600
    (YAML 1.1's base-60 numbers)."""


TIME_OF_DAY = ("tag:yaml.org,2002:str", re.compile(r"^[0-9]{1,2}:[0-9]{2}$"))
SafeLoader.yaml_implicit_resolvers = {
    first: [
        *([TIME_OF_DAY] if first.isdigit() else []),
        *((tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:bool"),
    ]
    for first, resolvers in BaseLoader.yaml_implicit_resolvers.items()
}
SafeLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


MAX_YAML_VALUES = 1_000_000  # a document whose aliases expand past this is refused
MAX_YAML_DEPTH = 100  # and one whose values nest deeper than this
Loc = Sequence[str | int]


@dataclass(frozen=True)
class YamlDocument:
    """Parsed YAML data, and its text, from which the node tree that knows where each value was
    written is made again when a message needs a position. Keeping every tree would cost more
    memory than the data itself, and positions are rarely needed."""

    data: Any
    first_line: int = 1  # the file line of the YAML text's first line
    text: str = ""

    @functools.cached_property
    def node(self) -> yaml.Node | None:
        """The document's node tree, with the line and column of every key and value."""
        if not self.text.strip():
            return None
        loader = SafeLoader(self.text)
        try:
            return loader.get_single_node()  # type: ignore[no-any-return]
        finally:
            loader.dispose()

    def __getstate__(self) -> dict[str, Any]:
        return {name: value for name, value in self.__dict__.items() if name != "node"}

    def position(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """Line and column (from 1) of the value at `loc`, or of its key when `key` is true."""
        node = self._node_at(loc, key)
        if node is None:
            return self.first_line, 1
        return node.start_mark.line + self.first_line, node.start_mark.column + 1

    def text_position(self, loc: Loc, line: int, needle: str) -> tuple[int, int]:
        """Where `needle`, on line `line` (from 0) of the text value at `loc`, is in the file."""
        node = self._node_at(loc, False)
        if node is None:
            return self.first_line, 1
        start = node.start_mark.line + (1 if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">") else 0)
        lines = self.text.split("\n")
        for index in (start + line, *range(start, min(node.end_mark.line + 1, len(lines)))):
            found = lines[index].find(needle) if index < len(lines) else -1
            if found >= 0:
                return index + self.first_line, found + 1
        return node.start_mark.line + self.first_line, node.start_mark.column + 1

    def _node_at(self, loc: Loc, key: bool) -> yaml.Node | None:
        """The node of the value at `loc`, or of its key.

        Parts of `loc` that do not name a key or index (tags of a tagged union) are
        skipped; when the path runs out (a missing key), the nearest parent is used.
        """
        node = self.node
        if node is None:
            return None
        parts = list(loc)
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            next_is_key = not last and parts[i + 1] == "[key]"
            if isinstance(node, yaml.MappingNode):
                pair = _find_key(node, part)
                if pair is None:
                    continue
                node = pair[0] if (key and last) or next_is_key else pair[1]
                if next_is_key:
                    break
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                if 0 <= part < len(node.value):
                    node = node.value[part]
            else:
                break
        return node


def _find_key(node: yaml.MappingNode, part: str | int) -> tuple[yaml.Node, yaml.Node] | None:
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(part):
            return key_node, value_node
    return None


def parse_yaml(
    text: str, rel: str, *, first_line: int = 1, empty_ok: bool = False
) -> tuple[YamlDocument | None, list[Diagnostic]]:
    """Parse one YAML document safely, keeping its node tree for positions.

    Returns the document (None when it cannot be used) and the problems found.
    """
    loader = SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            if empty_ok:
                return YamlDocument({}, first_line, text), []
            return None, [Diagnostic(rel, first_line, 1, "the file is empty", "it needs at least a `title:`")]
        too_big, duplicates = _structure_problems(node, rel, first_line)
        if too_big:
            return None, too_big
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_diagnostic(exc, text, rel, first_line)]
    except yaml.reader.ReaderError as exc:
        return None, [_unprintable(exc, text, rel, first_line)]
    except yaml.YAMLError as exc:
        return None, [Diagnostic(rel, first_line, 1, f"YAML cannot be read: {exc}")]
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        line = node.start_mark.line + first_line
        found = type(data).__name__ if data is not None else "nothing"
        return None, [
            Diagnostic(
                rel,
                line,
                node.start_mark.column + 1,
                f"expected a mapping of `key: value` lines, found {_plain_type(found)}",
            )
        ]
    return YamlDocument(data, first_line, text), duplicates


def _plain_type(name: str) -> str:
    return {"list": "a list", "str": "text", "int": "a number", "float": "a number", "bool": "true/false"}.get(
        name, name
    )


def _structure_problems(root: yaml.Node, rel: str, first_line: int) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """Alias bombs, nesting too deep to read safely, and duplicate keys: things PyYAML accepts silently."""
    problems: list[Diagnostic] = []
    sizes, heights = _measure(root, rel, first_line, problems)
    if sizes[id(root)] > MAX_YAML_VALUES:
        mark = root.start_mark
        message = f"the document expands to more than {MAX_YAML_VALUES:,} values through its aliases"
        return [
            Diagnostic(rel, mark.line + first_line, mark.column + 1, message, "remove the `*alias` references")
        ], problems
    if heights[id(root)] > MAX_YAML_DEPTH:
        node = root
        for _ in range(MAX_YAML_DEPTH):
            node = max(_children(node), key=lambda child: heights[id(child)])
        mark = node.start_mark
        message = f"values are nested more than {MAX_YAML_DEPTH} levels deep"
        hint = "a playbook file needs a few levels; check for brackets that are opened and not closed"
        return [Diagnostic(rel, mark.line + first_line, mark.column + 1, message, hint)], problems
    return [], problems


def _measure(
    root: yaml.Node, rel: str, first_line: int, problems: list[Diagnostic]
) -> tuple[dict[int, int], dict[int, int]]:
    """How many values each node expands to through aliases, and how deep its values nest.

    Walks with a stack of its own, not recursion: a document can nest deeper than Python's stack.
    """
    sizes: dict[int, int] = {}
    heights: dict[int, int] = {}
    # A node comes off the stack twice: first to be opened, then, with its children, once they are measured.
    stack: list[tuple[yaml.Node, list[yaml.Node] | None]] = [(root, None)]
    while stack:
        node, measured = stack.pop()
        if measured is not None:
            sizes[id(node)] = 1 + sum(sizes[id(child)] for child in measured)
            heights[id(node)] = 1 + max((heights[id(child)] for child in measured), default=0)
            continue
        if id(node) in sizes:
            continue
        sizes[id(node)] = heights[id(node)] = 1  # until measured; a node inside itself counts once
        if isinstance(node, yaml.MappingNode):
            _check_duplicates(node, rel, first_line, problems)
        children = _children(node)
        stack.append((node, children))
        stack.extend((child, None) for child in reversed(children) if id(child) not in sizes)
    return sizes, heights


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_duplicates(node: yaml.MappingNode, rel: str, first_line: int, problems: list[Diagnostic]) -> None:
    seen: dict[str, int] = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
            continue
        line = key_node.start_mark.line + first_line
        if key_node.value in seen:
            problems.append(
                Diagnostic(
                    rel,
                    line,
                    key_node.start_mark.column + 1,
                    f"duplicate key '{key_node.value}' (first at line {seen[key_node.value]})",
                    "keep one of them",
                )
            )
        else:
            seen[key_node.value] = line


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


def _unprintable(exc: yaml.reader.ReaderError, text: str, rel: str, first_line: int) -> Diagnostic:
    at = min(max(exc.position, 0), len(text))
    line = text.count("\n", 0, at) + first_line
    col = at - (text.rfind("\n", 0, at) + 1) + 1
    message = f"the file holds the control character U+{exc.character:04X}, which YAML does not allow"
    return Diagnostic(rel, line, col, message, "delete it; such characters often come with text pasted from elsewhere")


def _syntax_diagnostic(exc: yaml.MarkedYAMLError, text: str, rel: str, first_line: int) -> Diagnostic:
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
