"""New months, checklists, worksheets and guides from small templates, for the editor's "New …" buttons.

Each template is valid as it is (its owners are the playbook's first roles), so the site builds at
once, and says in its own words what to write where. A new file's name is an id made from its title.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .edit_files import NotAForm, open_file
from .edit_save import Outcome, refused, save
from .ids import new_id
from .loader import Project
from .names import CHECKLISTS_FOLDER, CONTENT_FOLDER, GUIDES_FOLDER, WORKSHEETS_FOLDER
from .output import SourceRefused, create_source

FOLDERS = {"checklist": CHECKLISTS_FOLDER, "worksheet": WORKSHEETS_FOLDER, "guide": GUIDES_FOLDER}
NEW_KINDS = ("month", *FOLDERS)


def add_new(
    root: Path, kind: str, title: str, roles: tuple[str, ...], project: Project | None, program: str = ""
) -> Outcome:
    """A new month in the program file `program`, or a new checklist, worksheet or guide file, titled `title`.

    `roles`: the playbook's role ids, the first of which own what the template asks for.
    """
    title = " ".join(title.split())
    if kind not in NEW_KINDS:
        return refused(400, f"Nothing new of the kind '{kind}' can be made; choose one of {', '.join(NEW_KINDS)}.")
    if not title:
        problem = {"path": ["title"], "file": "", "line": 0, "message": "A title is needed.", "hint": ""}
        return Outcome(422, {"message": "Give it a title first.", "problems": [{**problem, "severity": "error"}]})
    owners = list(roles[:2]) or ["mentor"]
    if kind == "month":
        return _new_month(root, program, title, owners, project)
    taken = set(project.found.get(kind, {})) if project is not None else set()
    file_id = new_id(title, taken)
    rel = f"{CONTENT_FOLDER}/{FOLDERS[kind]}/{file_id}.{'md' if kind == 'guide' else 'yaml'}"
    try:
        create_source(root, rel, _template(kind, title, owners))
    except FileExistsError:
        return refused(409, f"{rel} exists already; give it another title.")
    except SourceRefused as exc:
        return refused(403, str(exc))
    return Outcome(201, {"path": rel, "at": ""})


def _new_month(root: Path, program: str, title: str, owners: list[str], project: Project | None) -> Outcome:
    if not program and project is not None:
        program = next(iter(sorted(project.found.get("program", {}).values())), "")
    try:
        opened = open_file(root, program)
    except NotAForm as exc:
        return refused(400, str(exc))
    if opened.kind != "program":
        return refused(400, f"'{program}' is not a program, so it has no months.")
    document = dict(opened.document)
    months = [m for m in document.get("months") or [] if isinstance(m, dict)]
    numbers = [m["number"] for m in months if isinstance(m.get("number"), int)]
    month = {
        "number": max(numbers, default=0) + 1,
        "title": title,
        "goal": "What this month is for, in a sentence or two.",
        "agenda": [
            {"topic": "Catch up on what happened since the last meeting", "owner": owners, "minutes": 10},
            {"topic": "This month's topic", "owner": owners, "minutes": 40},
            {"topic": "Agree the actions before next time", "owner": owners, "minutes": 10},
        ],
    }
    document["months"] = [*(document.get("months") or []), month]
    outcome = save(root, program, opened.digest, document, None, earlier=project)
    if outcome.status != 200:
        return outcome
    return Outcome(201, {"path": program, "at": f"/months/{len(document['months']) - 1}"})


def _template(kind: str, title: str, owners: list[str]) -> str:
    """A new file's text: a line on what it is, then the least that makes it valid."""
    owner: Any = owners[0] if len(owners) == 1 else owners
    data: dict[str, Any]
    if kind == "checklist":
        head = "# A checklist, made in the editor. `playbook schema checklist` describes every key.\n"
        data = {
            "title": title,
            "summary": "One sentence on what this checklist is for.",
            "items": [{"text": "The first thing to do.", "owner": owner, "when": "before"}],
        }
    elif kind == "worksheet":
        head = "# A worksheet, made in the editor. `playbook schema worksheet` describes every key.\n"
        data = {
            "title": title,
            "summary": "One sentence on what this worksheet is for.",
            "owner": owner,
            "sections": [
                {"title": "Your answers", "fields": [{"id": "answer", "type": "long_text", "label": "Your answer"}]}
            ],
        }
    else:
        front: str = yaml.safe_dump({"title": title, "summary": "One sentence on what this guide covers."}, **DUMP)
        return f"---\n{front}---\n\nWrite the guide here, in Markdown.\n"
    return head + str(yaml.safe_dump(data, **DUMP))


DUMP: dict[str, Any] = {"sort_keys": False, "allow_unicode": True, "width": 100}
