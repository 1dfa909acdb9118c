"""A content file's YAML with a form's values written back into it, its comments, order and quoting kept.

Pure: text in, text out. ruamel.yaml's round-trip mode is used only here, to write; reading for a
build stays with `yaml_reader`. Only what differs from the new document changes: a value left as it
was is the very object ruamel read, so its comments, quoting and the blank lines around it stay.

Dates: the reader gives a date where the YAML has one, and a form gives ISO text. A date in the
file stays a date when the new value is that date written as ISO text (`2027-01-14`), so a form
that sends text writes no change; a value that should become a new date must be given as
`datetime.date` (the form knows from the schema's `format: date`). Other text is written as text.
"""

from __future__ import annotations

import datetime
import io
import re
import textwrap
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.events import AliasEvent, DocumentStartEvent, NodeEvent
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)
from ruamel.yaml.util import load_yaml_guess_indent

from .ids import new_id
from .yaml_comments import add_comment_lines, comment_lines_after, drop_comment_lines_after, remove_key, written_column
from .yaml_reader import SafeLoader, parse_yaml

WIDTH = 1 << 16  # wide enough that ruamel never wraps a line it did not change
FOLD_WIDTH = 72  # where a changed folded (`>`) text is wrapped: the example's folded lines are about this long
STR_TAG = "tag:yaml.org,2002:str"
INDICATORS = frozenset("?:-,[]{}#&*!|>'\"%@`")

__all__ = ["NotEditable", "edited", "new_id"]


class NotEditable(ValueError):
    """YAML text that cannot be written back faithfully, so the editor refuses to edit it."""


def edited(text: str, document: Any) -> str:
    """`text` (a YAML mapping) changed to hold `document`, changing only the values that differ.

    Raises `NotEditable` when `text` cannot be round-tripped (aliases, tags, several documents,
    duplicate keys, not a mapping) or `document` holds what YAML cannot (a non-text key).
    """
    newline = "\r\n" if "\r\n" in text else "\n"
    plain = text.replace("\r\n", "\n")
    _refuse_unfaithful(plain)
    if not isinstance(document, dict):
        raise NotEditable("the new document is not a mapping of keys to values")
    round_trip = _round_tripper(plain)
    try:
        tree = round_trip.load(plain)
    except YAMLError as exc:
        raise NotEditable(f"the YAML cannot be read for editing: {_first_line(exc)}") from None
    if tree is None:
        tree = CommentedMap()
    if not isinstance(tree, CommentedMap):
        raise NotEditable("the file is not a mapping of `key: value` lines")
    if not _merge_map(tree, document):
        return text
    out = io.StringIO()
    round_trip.dump(tree, out)
    result = out.getvalue()
    if not plain.endswith("\n"):
        result = result.rstrip("\n")
    _check_reads_back(result, document)
    return result.replace("\n", newline)


def _round_tripper(text: str) -> YAML:
    """A round-trip YAML that writes with the indentation `text` was written with."""
    round_trip = YAML(typ="rt")
    round_trip.preserve_quotes = True
    round_trip.width = WIDTH
    round_trip.allow_duplicate_keys = False
    try:
        _, sequence, offset = load_yaml_guess_indent(text)
    except YAMLError:
        sequence, offset = 2, 0
    round_trip.indent(mapping=2, sequence=sequence or 2, offset=offset or 0)
    return round_trip


def _refuse_unfaithful(text: str) -> None:
    """Refuse what a written-back file would change the meaning of: anchors, aliases, tags, more documents."""
    documents = 0
    try:
        for event in YAML(typ="rt").parse(text):
            if isinstance(event, DocumentStartEvent):
                documents += 1
            if isinstance(event, AliasEvent) or (isinstance(event, NodeEvent) and event.anchor):
                raise NotEditable("the file uses YAML anchors or aliases (`&name`, `*name`)")
            if getattr(event, "tag", None) and not getattr(event, "implicit", (True,))[0]:
                raise NotEditable(f"the file uses a YAML tag ({event.tag})")
    except YAMLError as exc:
        raise NotEditable(f"the YAML cannot be read for editing: {_first_line(exc)}") from None
    if documents > 1:
        raise NotEditable("the file holds more than one YAML document")


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _check_reads_back(result: str, document: dict[str, Any]) -> None:
    """The written text, read as a build reads it, must give the document: otherwise refuse to save it."""
    read, problems = parse_yaml(result, "", empty_ok=True)
    if read is None or problems or not _same(read.data, document):
        raise NotEditable("these values cannot be written into this file faithfully")


# --- Merging ----------------------------------------------------------------


def _merge_map(node: CommentedMap, new: dict[str, Any]) -> bool:
    """Change `node` in place to hold `new`; True when anything changed."""
    changed = False
    for key in [key for key in node if key not in new]:
        remove_key(node, key)
        changed = True
    for key, value in new.items():
        if not isinstance(key, str):
            raise NotEditable(f"a key must be text, not {key!r}")
        if key not in node:
            node[key] = _fresh(value)
            changed = True
            continue
        merged, differs = _merged(node[key], value)
        if merged is not node[key]:
            node[key] = merged
        changed |= differs
    return changed


def _merged(old: Any, new: Any) -> tuple[Any, bool]:
    """The value to write where `old` was: `old` itself, changed in place where it is a mapping or a list."""
    if isinstance(old, CommentedMap) and isinstance(new, dict):
        return old, _merge_map(old, new)
    if isinstance(old, CommentedSeq) and isinstance(new, list):
        return old, _merge_seq(old, new)
    if _same(old, new):
        return old, False
    return _restyled(old, new), True


def _merge_seq(node: CommentedSeq, new: list[Any]) -> bool:
    """Change `node` in place to hold `new`, each kept item moving with its comments."""
    old = list(node)
    comments = dict(node.ca.items)
    pairs = _pair_items(old, new)
    order: list[tuple[Any, Any]] = []  # (value, its comment entry or None)
    changed = len(old) != len(new)
    for index, value in enumerate(new):
        match = pairs.get(index)
        if match is None:
            order.append((_fresh(value), None))
            changed = True
            continue
        merged, differs = _merged(old[match], value)
        order.append((merged, comments.get(match)))
        changed |= differs or match != index
    if not changed:
        return False
    dropped = {i: comment_lines_after(node, i) for i in range(len(old)) if i not in pairs.values()}
    for gone in dropped:
        column = written_column(node, gone)
        if gone > 0 and column is not None:
            drop_comment_lines_after(node, gone - 1, column)
    del node[:]
    node.ca.items.clear()
    for index, (value, comment) in enumerate(order):
        list.append(node, value)
        if comment is not None:
            node.ca.items[index] = comment
    for gone, lines in sorted(dropped.items()):
        kept = [new_at for new_at, old_at in pairs.items() if old_at < gone]
        if lines and kept:
            add_comment_lines(node, max(kept, key=lambda new_at: pairs[new_at]), lines)
    return True


def _pair_items(old: list[Any], new: list[Any]) -> dict[int, int]:
    """For each new item, the old one it continues: the same `id`, else an equal item, else by position."""
    pairs: dict[int, int] = {}
    used: set[int] = set()
    old_ids = {_item_id(item): i for i, item in enumerate(old) if _item_id(item) is not None}
    for index, item in enumerate(new):
        found = old_ids.get(_item_id(item)) if _item_id(item) is not None else None
        if found is not None and found not in used:
            pairs[index] = found
            used.add(found)
    for index, item in enumerate(new):
        if index in pairs:
            continue
        found = next((i for i, was in enumerate(old) if i not in used and _same(was, item)), None)
        if found is not None:
            pairs[index] = found
            used.add(found)
    # What is left pairs up in order: an item whose id was changed keeps its place and comments.
    left = iter(i for i, was in enumerate(old) if i not in used)
    for index in range(len(new)):
        if index not in pairs:
            found = next(left, None)
            if found is None:
                break
            pairs[index] = found
    return pairs


def _item_id(item: Any) -> str | None:
    found = item.get("id") if isinstance(item, dict) else None
    return found if isinstance(found, str) else None


# --- Values -----------------------------------------------------------------


def _same(old: Any, new: Any) -> bool:
    """Equal as a form sees them: a date equals its ISO text, true is never 1, a mapping is compared by keys."""
    if isinstance(old, bool) or isinstance(new, bool):
        return isinstance(old, bool) and isinstance(new, bool) and old == new
    if isinstance(old, datetime.date) and isinstance(new, str):
        return old.isoformat() == new
    if isinstance(old, dict) and isinstance(new, dict):
        return old.keys() == new.keys() and all(_same(old[k], new[k]) for k in old)
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(_same(a, b) for a, b in zip(old, new))
    if isinstance(old, (dict, list)) or isinstance(new, (dict, list)):
        return False
    if isinstance(old, str) or isinstance(new, str):
        return isinstance(old, str) and isinstance(new, str) and str(old) == str(new)
    if (old is None) != (new is None) or isinstance(old, datetime.date) != isinstance(new, datetime.date):
        return False
    return bool(old == new)


def _restyled(old: Any, new: Any) -> Any:
    """`new` to write where `old` was, in `old`'s style where it can be."""
    if isinstance(old, datetime.date) and isinstance(new, str) and _iso_date(new):
        return datetime.date.fromisoformat(new)
    if not isinstance(new, str) or not isinstance(old, str):
        return _fresh(new)
    if isinstance(old, LiteralScalarString):
        return LiteralScalarString(new)
    if isinstance(old, FoldedScalarString):
        return _folded(new, FOLD_WIDTH)
    if "\n" in new:
        return LiteralScalarString(new)
    if isinstance(old, SingleQuotedScalarString):
        return SingleQuotedScalarString(new)
    if isinstance(old, DoubleQuotedScalarString):
        return DoubleQuotedScalarString(new)
    return _fresh(new)


def _folded(text: str, width: int) -> Any:
    """Folded (`>`) text wrapped at `width`, as it was; a text with line breaks of its own becomes literal."""
    if "\n" in text.rstrip("\n") or "  " in text or text != text.strip(" "):
        return LiteralScalarString(text)
    folded = FoldedScalarString(text)
    positions, column = [], 0
    for line in textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)[:-1]:
        column += len(line)
        positions.append(column)
        column += 1
    folded.fold_pos = positions
    return folded


def _iso_date(text: str) -> bool:
    return re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text) is not None


def _fresh(value: Any) -> Any:
    """A new value as round-trip YAML: text that a build would read as something else is quoted."""
    if isinstance(value, dict):
        fresh = CommentedMap()
        for key, item in value.items():
            if not isinstance(key, str):
                raise NotEditable(f"a key must be text, not {key!r}")
            fresh[key] = _fresh(item)
        return fresh
    if isinstance(value, list):
        fresh_list = CommentedSeq(_fresh(item) for item in value)
        if value and all(isinstance(item, str) and len(item) < 30 and "\n" not in item for item in value):
            fresh_list.fa.set_flow_style()  # a few ids (`owner: [mentor, protege]`), as people write them
        return fresh_list
    if isinstance(value, str):
        if "\n" in value.rstrip("\n"):
            return LiteralScalarString(value)
        # A leading indicator is quoted too: in a flow list ruamel writes `?0` plain, which PyYAML reads as a key.
        if value[:1] in INDICATORS or SafeLoader.resolve(SafeLoader, yaml.ScalarNode, value, (True, False)) != STR_TAG:
            return SingleQuotedScalarString(value)
        return value
    if value is None or isinstance(value, (bool, int, float, datetime.date)):
        return value
    raise NotEditable(f"{type(value).__name__} cannot be written in a content file")
