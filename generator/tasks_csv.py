"""A cohort's tasks as a spreadsheet: one row per task and pair, written with the csv module.

UTF-8 with a byte order mark, so that a spreadsheet opened by double-click reads accents right;
a cell that a spreadsheet would take for a formula is made plain text.
"""

from __future__ import annotations

import csv
import io

from .cohort_dates import CohortDates
from .links import page_url, pair_url
from .site import Site

HEADER = ("date", "cohort", "pair", "role", "task", "page")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def render_tasks_csv(site: Site, cohort: CohortDates) -> bytes:
    """The tasks of every pair of the cohort, by date."""
    names = {role.id: role.name for role in site.playbook.settings.roles}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for task in cohort.tasks:
        pair = cohort.pair(task.pair.id)
        target = (
            page_url("worksheet", task.task.worksheet)
            if task.task.worksheet
            else pair_url(cohort.cohort.id, pair.pair.id)
        )
        row = (
            task.day.isoformat(),
            cohort.cohort.title,
            pair.label,
            site.number_style.list_of(names.get(owner, owner) for owner in task.task.owner),
            task.task.task,
            site.base_url + target if site.base_url else target,
        )
        writer.writerow(tuple(_plain(cell) for cell in row))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _plain(cell: str) -> str:
    """A cell a spreadsheet shows as written: one that starts like a formula gets a leading apostrophe."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell
