"""Safe YAML that remembers where each value was written, for messages with line and column."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from .errors import Diagnostic
from .yaml_syntax import syntax_diagnostic, unprintable_diagnostic

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


def _timestamp_or_text(loader: Any, node: yaml.ScalarNode) -> Any:
    """A date or time, or its text when it names no real day (`2027-02-30`): validation then says what is wrong."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


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
        return None, [syntax_diagnostic(exc, text, rel, first_line)]
    except yaml.reader.ReaderError as exc:
        return None, [unprintable_diagnostic(exc, text, rel, first_line)]
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
