"""The files the form editor opens: which there are, and each one as a form reads it (its schema, its data,
the ids it may refer to). Reads only; saving is `edit_save`.

A form gets a file's data as JSON, dates as ISO text; its schema is the one `playbook schema` prints,
whose `x-playbook-id-of` keywords say which values are ids of roles, worksheets, checklists or guides.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .build import Checked
from .files import read_regular
from .links import SITE_LINK, resolve
from .loader import Project, kind_of
from .markdown import Link, create_markdown, render_markdown
from .models import Playbook
from .names import CONTENT_FOLDER, SETTINGS_FILE
from .output import SOURCE_LIMIT, source_digest
from .prose import link_targets
from .reading import split_front_matter
from .schema import json_schema
from .yaml_reader import parse_yaml

FORM_KINDS = ("playbook", "program", "worksheet", "checklist", "guide", "cohort")


class NotAForm(ValueError):
    """The path names no file the editor opens: not a playbook file, or one it cannot read as data."""


@dataclass(frozen=True)
class OpenedFile:
    """One file as the form editor shows it."""

    path: str
    kind: str
    text: str  # as on disk
    digest: str  # of its bytes, as a save compares them
    document: dict[str, Any]
    body: str | None = None  # a guide's Markdown, after its front matter
    front: str | None = field(default=None, repr=False)  # a guide's front matter YAML, as written


def form_kind(rel: str) -> str:
    """The kind of form for the file at `rel`, or NotAForm."""
    if rel == SETTINGS_FILE:
        return "playbook"
    if not rel.startswith(f"{CONTENT_FOLDER}/") or "\\" in rel or "\0" in rel or ".." in rel.split("/"):
        raise NotAForm(f"'{rel}' is not a file of the playbook the editor opens")
    kind = kind_of(rel)
    if kind not in FORM_KINDS:
        raise NotAForm(f"'{rel}' is not a program, worksheet, checklist, guide or cohort file")
    return str(kind)


def open_file(root: Path, rel: str) -> OpenedFile:
    """The file at `rel` as a form reads it; NotAForm when it is not one or cannot be read as data."""
    kind = form_kind(rel)
    base = root.resolve()
    if (base / rel).resolve() != base / rel:  # a link on the way may lead out of the project
        raise NotAForm(f"'{rel}' goes through a link, which the editor does not follow")
    try:
        data = read_regular(base / rel, SOURCE_LIMIT)
    except FileNotFoundError:
        raise NotAForm(f"there is no file '{rel}'") from None
    except OSError as exc:
        raise NotAForm(f"'{rel}' cannot be read: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise NotAForm(f"'{rel}' is not UTF-8 text; fix it in a text editor") from None
    body = front = None
    yaml_text = text
    if kind == "guide":
        front, _, body, _ = split_front_matter(text)
        yaml_text = front or ""
    # The build's own safe reading, with its limits (aliases that expand past a million values, deep nesting).
    parsed, problems = parse_yaml(yaml_text, rel, empty_ok=kind == "guide")
    if parsed is None:
        said = f": {problems[0]}" if problems else ""
        raise NotAForm(f"'{rel}' cannot be read as data, so it opens in a text editor only{said}")
    document = parsed.data
    return OpenedFile(rel, kind, text, source_digest(data), _jsonable(document), body, front)


def form_data(opened: OpenedFile, checked: Checked | None) -> dict[str, Any]:
    """What the editor's page gets for a file: its data, schema, digest and the ids it may choose from."""
    playbook = checked.site.playbook if checked else None
    found: dict[str, Any] = {
        "path": opened.path,
        "kind": opened.kind,
        "title": str(opened.document.get("title") or opened.path),
        "digest": opened.digest,
        "schema": json_schema(opened.kind),
        "document": opened.document,
        "choices": choices(playbook),
    }
    if opened.body is not None:
        found["body"] = opened.body
    return found


def choices(playbook: Playbook | None) -> dict[str, list[dict[str, str]]]:
    """The ids a form offers for each kind of reference, with the titles readers know them by."""
    if playbook is None:
        return {"role": [], "worksheet": [], "checklist": [], "guide": []}
    return {
        "role": [{"id": role.id, "title": role.name} for role in playbook.settings.roles],
        "worksheet": _titled(playbook.worksheets),
        "checklist": _titled(playbook.checklists),
        "guide": _titled(playbook.guides),
    }


def _titled(items: dict[str, Any]) -> list[dict[str, str]]:
    return sorted(({"id": key, "title": str(item.title)} for key, item in items.items()), key=lambda c: c["title"])


def file_list(project: Project | None, checked: Checked | None) -> dict[str, Any]:
    """Every file the editor opens, with its title, and each program's months, for the editor's home."""
    files: list[dict[str, str]] = []
    programs: list[dict[str, Any]] = []
    if project is None:
        return {"files": files, "programs": programs}
    for rel, loaded in sorted(project.loaded.items()):
        source = loaded.source
        kind = source.kind if source else kind_of(rel) if rel != SETTINGS_FILE else "playbook"
        if kind not in FORM_KINDS or rel in project.translations:
            continue
        data = source.document.data if source else None
        title = str(data.get("title")) if isinstance(data, dict) and data.get("title") else rel
        files.append({"path": rel, "kind": str(kind), "title": title})
        if kind == "program" and isinstance(data, dict):
            months = data.get("months")
            programs.append(
                {"path": rel, "title": title, "months": _months(months if isinstance(months, list) else [])}
            )
    return {"files": files, "programs": programs}


def _months(months: list[Any]) -> list[dict[str, Any]]:
    return [
        {"number": m.get("number"), "title": str(m.get("title", "")), "at": f"/months/{index}"}
        for index, m in enumerate(months)
        if isinstance(m, dict)
    ]


def _jsonable(value: Any) -> Any:
    """YAML data as JSON holds it: dates as ISO text, keys as text."""
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    return value


def preview(markdown: str, rel: str, checked: Checked | None) -> dict[str, Any]:
    """A guide's Markdown as its page will show it (the site's own Markdown setup), with its broken links;
    its site links point at the dev server's pages."""
    playbook = checked.site.playbook if checked else None
    md = create_markdown(allow_html=bool(playbook and playbook.settings.markdown.allow_html))
    targets = link_targets(playbook) if playbook else None

    def where(href: str, is_image: bool) -> Link:
        if targets is None:
            return Link(None, "the site is not built yet, so links cannot be followed", "")
        return resolve(href, rel, is_image, targets)

    rendered = render_markdown(md, markdown, where)
    html = SITE_LINK.sub(lambda m: f'{m[1]}="/{m[2]}"', rendered.html)
    problems = [{"line": p.line + 1, "message": p.message, "hint": p.hint} for p in rendered.problems]
    return {"html": html, "problems": problems}
