"""Comments of round-trip YAML kept in their place when a key or a list item is removed.

ruamel.yaml keeps a comment line with the value before it, not the one it describes: the lines
above a key hang after the previous value's deepest last item. These helpers find them there.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.tokens import CommentToken


def remove_key(node: CommentedMap, key: str) -> None:
    """Remove `key` and the comment lines above it, which describe it; those after its value introduce
    what follows, so they stay."""
    keys = list(node)
    at = keys.index(key)
    rest = comment_lines_after(node, key)
    column = written_column(node, key)
    if at > 0 and column is not None:
        drop_comment_lines_after(node, keys[at - 1], column)
    del node[key]
    if rest and at > 0:
        add_comment_lines(node, keys[at - 1], rest)


def drop_comment_lines_after(container: Any, key: Any, column: int) -> None:
    """Remove the comment lines after the value at `key` that start at or left of `column`: they describe
    what was removed. Its own line's comment, blank lines and comments indented deeper (inside it) stay."""
    holder, at, slot = _last_slot(container, key)
    own, rest = _split_comment(holder, at, slot)
    if not rest:
        return
    lines = rest.split("\n")[:-1]
    kept = own + "".join(line + "\n" for line in lines if not line.strip() or _indent(line) > column)
    entry = holder.ca.items[at]
    if kept:
        entry[slot].value = kept
    else:
        entry[slot] = None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def written_column(node: Any, key: Any) -> int | None:
    """Where the key (or the list item's dash) at `key` was written, or None for a value not read from the file."""
    try:
        if isinstance(node, CommentedMap):
            return int(node.lc.key(key)[1])
        return int(node.lc.item(key)[1]) - 1
    except (KeyError, IndexError, TypeError, AttributeError):
        return None


def _last_slot(container: Any, key: Any) -> tuple[Any, Any, int]:
    """Where ruamel keeps the comment after the value at `key`: beside the deepest last value inside it."""
    value = container[key]
    while isinstance(value, (CommentedMap, CommentedSeq)) and len(value):
        container, key = value, list(value)[-1] if isinstance(value, CommentedMap) else len(value) - 1
        value = container[key]
    return container, key, 2 if isinstance(container, CommentedMap) else 0


def _split_comment(holder: Any, at: Any, slot: int) -> tuple[str, str]:
    """The comment after a value: the part on the value's own line (with its line end), and the lines after.

    A block text (`|`) ends with its own line end, so all of its comment is lines after it."""
    entry = holder.ca.items.get(at)
    token = entry[slot] if entry and len(entry) > slot else None
    if token is None or not isinstance(token.value, str):
        return "", ""
    if isinstance(holder[at], str) and holder[at].endswith("\n"):
        return "", token.value
    own, line_end, rest = token.value.partition("\n")
    return own + line_end, rest


def comment_lines_after(container: Any, key: Any) -> str:
    """The whole comment lines after the value at `key`, without the comment at the end of its own line."""
    holder, at, slot = _last_slot(container, key)
    return _split_comment(holder, at, slot)[1]


def add_comment_lines(container: Any, key: Any, lines: str) -> None:
    """Put comment lines after the value at `key`."""
    holder, at, slot = _last_slot(container, key)
    entry = holder.ca.items.setdefault(at, [None, None, None, None])
    if entry[slot] is None:
        block = isinstance(holder[at], str) and holder[at].endswith("\n")
        entry[slot] = CommentToken(lines if block else "\n" + lines, CommentMark(0), None)
    else:
        entry[slot].value += lines
