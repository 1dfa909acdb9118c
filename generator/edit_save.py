"""Saving a form: its document written back into the file's YAML, checked as `playbook check` would check the
project with it, and written only when nothing is wrong and the file is still the one the form opened."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .edit_check import check_with
from .edit_files import NotAForm, OpenedFile, open_file
from .edit_problems import problems_data
from .errors import Diagnostic
from .ids import new_id
from .loader import Project
from .output import ChangedOnDisk, SourceRefused, replace_source, source_digest
from .reading import split_front_matter
from .schema import json_schema
from .yaml_edit import NotEditable, edited

CHANGED_ON_DISK = (
    "This file changed on disk since the form was opened, so saving would lose that change. "
    "Reload the file to see it; the changes made in this form are then lost."
)


@dataclass(frozen=True)
class Outcome:
    """What a request to the editor came to: an HTTP status and the JSON to answer with."""

    status: int
    data: dict[str, Any] = field(default_factory=dict)


def refused(status: int, message: str) -> Outcome:
    """A request that cannot be done, and why."""
    return Outcome(status, {"message": message})


def save(
    root: Path,
    rel: str,
    digest: str,
    document: Any,
    body: Any,
    *,
    earlier: Project | None,
    broken: frozenset[str] = frozenset(),
) -> Outcome:
    """Write `document` (and a guide's Markdown `body`) into the file `rel`, if it still has `digest` and the
    playbook has no error with it, other than those in `broken` (as each is printed) it had before."""
    try:
        opened = open_file(root, rel)
    except NotAForm as exc:
        return refused(400, str(exc))
    if opened.digest != digest:
        return refused(409, CHANGED_ON_DISK)
    if not isinstance(document, dict) or not (body is None or isinstance(body, str)):
        return refused(400, "The form sent no document to save.")
    try:
        new_text = written(opened, ready_to_write(document, json_schema(opened.kind)), body)
    except NotEditable as exc:
        return refused(400, f"{rel} cannot be saved from a form: {exc}. Edit it in a text editor.")
    if new_text == opened.text:
        return Outcome(200, {"digest": digest, "changed": False, "warnings": []})
    problems = check_with(root, rel, new_text.encode("utf-8"), earlier)
    blocking = [p for p in problems if p.is_error and (p.path == rel or str(p) not in broken)]
    first_line = 2 if opened.kind == "guide" else 1
    yaml_text = front_of(new_text) if opened.kind == "guide" else new_text
    if blocking:
        count = len(blocking)
        message = f"Not saved: {count} problem{'s' if count != 1 else ''} to fix first."
        return Outcome(422, {"message": message, "problems": problems_data(blocking, rel, yaml_text, first_line)})
    try:
        replace_source(root, rel, new_text, digest)
    except ChangedOnDisk:
        return refused(409, CHANGED_ON_DISK)
    except SourceRefused as exc:
        return refused(403, str(exc))
    warnings = [p for p in problems if not p.is_error and p.path == rel]
    return Outcome(
        200,
        {
            "digest": source_digest(new_text.encode("utf-8")),
            "changed": True,
            "warnings": problems_data(warnings, rel, yaml_text, first_line),
        },
    )


def written(opened: OpenedFile, document: dict[str, Any], body: str | None) -> str:
    """The file's new text: its YAML (a guide's front matter) holding `document`, and a guide's new body."""
    if opened.kind != "guide":
        return edited(opened.text, document)
    text = opened.text
    new_body = opened.body if body is None else body
    if opened.front is None:  # a guide without front matter gets some when the form gives it any
        front = edited("", document) if document else ""
        return f"---\n{front}---\n\n{new_body}" if front else str(new_body)
    start = text.index("\n") + 1  # after the opening `---` line
    end = start + len(opened.front)
    closing = text[end : len(text) - len(opened.body or "")] if opened.body else text[end:]
    return text[:start] + edited(opened.front, document) + closing + str(new_body)


def front_of(text: str) -> str:
    """A guide's front matter YAML, as `split_front_matter` finds it (empty when there is none)."""
    return split_front_matter(text)[0] or ""


def ready_to_write(value: Any, schema: dict[str, Any]) -> Any:
    """The form's data with ISO text turned into dates where the schema says `format: date`, so the YAML
    gets a date (as a person writes one), not quoted text; and new items given ids where their lists have them."""
    defs = schema.get("$defs", {})

    def resolve(node: Any) -> dict[str, Any]:
        while isinstance(node, dict) and "$ref" in node:
            node = defs.get(str(node["$ref"]).rsplit("/", 1)[-1], {})
        return node if isinstance(node, dict) else {}

    def branches(node: dict[str, Any]) -> list[dict[str, Any]]:
        found = [resolve(b) for b in (*node.get("anyOf", ()), *node.get("oneOf", ()))]
        return [node, *(deeper for b in found for deeper in branches(b))]

    def walk(item: Any, node: Any) -> Any:
        options = branches(resolve(node))
        if isinstance(item, str) and any(o.get("format") == "date" for o in options):
            try:
                return datetime.date.fromisoformat(item)
            except ValueError:
                return item  # validation says what is wrong with it
        if isinstance(item, dict):
            shaped = [o for o in options if "properties" in o or "additionalProperties" in o]
            tag = item.get("type")
            chosen = next((o for o in shaped if _tag_of(o) == tag), shaped[0] if shaped else {})
            extra = chosen.get("additionalProperties")
            return {k: walk(v, chosen.get("properties", {}).get(k, extra or {})) for k, v in item.items()}
        if isinstance(item, list):
            listed: Any = next((o["items"] for o in options if "items" in o), {})
            walked = [walk(v, listed) for v in item]
            if any("id" in o.get("properties", {}) for o in branches(resolve(listed))):
                _give_ids(walked)
            return walked
        return item

    return walk(value, schema)


NAMED_BY = ("title", "label", "text", "topic", "task", "name")  # what a new item's id is made from


def _give_ids(items: list[Any]) -> None:
    """New items of a list whose items have ids (phases, worksheet fields, checklist items) get one made
    from their title, unlike the others'; in a list where no item has one yet, ids stay optional."""
    mappings = [item for item in items if isinstance(item, dict)]
    taken = {str(item["id"]) for item in mappings if item.get("id")}
    if not taken:
        return
    for item in mappings:
        if not item.get("id"):
            words = next((str(item[key]) for key in NAMED_BY if item.get(key)), "item")
            item["id"] = new_id(words, taken)
            taken.add(item["id"])


def _tag_of(node: dict[str, Any]) -> Any:
    """The `type` a variant of a tagged union (a worksheet field) requires, if it does."""
    tag = node.get("properties", {}).get("type", {})
    return tag.get("const", (tag.get("enum") or [None])[0]) if isinstance(tag, dict) else None


def unchanged_problems(problems: tuple[Diagnostic, ...]) -> frozenset[str]:
    """The errors a playbook has now, as printed: a save is not blamed for them."""
    return frozenset(str(p) for p in problems if p.is_error)
