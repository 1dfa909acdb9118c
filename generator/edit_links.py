"""Which file each page of the site is edited in: the "Edit this page" link the dev server adds with `--edit`.

A month's page is edited in its program's file, at that month (`/months/3`, a JSON Pointer into the
file's data); a worksheet's, checklist's or guide's in its own file; a cohort's and its pairs' in the
cohort's file; a program's other pages in the program's file; the rest (home, roles, lists) in playbook.yaml.
"""

from __future__ import annotations

from typing import Any

from .build import Checked
from .loader import Project
from .models import Playbook
from .pages import Page

Target = tuple[str, str]  # (the file's path in the project, where in its data)


def edit_targets(checked: Checked, project: Project | None) -> dict[str, Target]:
    """For each HTML page of every language's tree (by its URL in the site), the file it is edited in."""
    found: dict[str, Target] = {}
    for tree in checked.trees:
        site = tree.site
        for page in site.pages:
            if page.is_html:
                found[site.tree + page.url] = _target(page, site.playbook, project)
    return found


def _target(page: Page, playbook: Playbook, project: Project | None) -> Target:
    sources = playbook.sources
    if page.month is not None and page.program is not None:
        rel = sources.of("program", page.program.id).path
        return rel, _month_pointer(project, rel, page.month.number)
    for kind, item in (("worksheet", page.worksheet), ("checklist", page.checklist), ("guide", page.guide)):
        if item is not None:
            return sources.of(kind, item.id).path, ""
    if page.cohort is not None and project is not None and page.cohort.id in project.found.get("cohort", {}):
        return project.found["cohort"][page.cohort.id], ""
    if page.program is not None:
        return sources.of("program", page.program.id).path, ""
    return sources.settings.path, ""


def _month_pointer(project: Project | None, rel: str, number: int) -> str:
    """Where the month numbered `number` is in the program file's list of months, as the file has them."""
    loaded = project.loaded.get(rel) if project is not None else None
    data: Any = loaded.source.document.data if loaded is not None and loaded.source is not None else None
    months = data.get("months") if isinstance(data, dict) else None
    for index, month in enumerate(months if isinstance(months, list) else ()):
        if isinstance(month, dict) and month.get("number") == number:
            return f"/months/{index}"
    return ""
