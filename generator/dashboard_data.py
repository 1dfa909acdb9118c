"""What a cohort's dashboard page needs to read the progress files pairs send: the roster with each
pair's dates, the checklist items of every month, and the repeating worksheets with each instance's day.

The browser counts ticks and reads check-ins from these alone; the keys it looks up follow the
storage contract of store.js (`checklist:<id>:<program>/<month>`, `worksheet:<program>:<id>@<n>`).
"""

from __future__ import annotations

from typing import Any

from .cohort_dates import PairDates, occurrences
from .models import Month, Program, Worksheet
from .models.materials import ScaleField
from .site import Site


def dashboard_data(site: Site, cohort_id: str) -> dict[str, Any]:
    """The dashboard's page data for one cohort, as JSON-ready values."""
    dates = site.cohorts[cohort_id]
    program = dates.program
    worksheets = _repeating_worksheets(site, program)
    people = {role for pair in dates.cohort.pairs for role in pair.names}  # the lead's own items are not the pair's
    return {
        "cohort": cohort_id,
        "program": program.id,
        "followUpDays": program.follow_up_after_days,
        "months": [
            {"n": month.number, "checklists": _pair_items(site, program, month, people)}
            for month in program.months_in_order
        ],
        "worksheets": [_worksheet(worksheet) for worksheet in worksheets],
        "pairs": [_pair(pair, worksheets) for pair in dates.pairs],
    }


def _pair_items(site: Site, program: Program, month: Month, people: set[str]) -> list[dict[str, Any]]:
    """The month's checklists (`c`, ticked under use `u`) with the keys (`k`) of the items the pair's people own."""
    found = []
    for use in site.checklist_uses(program, [month]):
        keys = [key for key, owners in zip(use["k"], use["r"]) if people.intersection(owners)]
        if keys:
            found.append({"c": use["c"], "u": use["u"], "k": keys})
    return found


def _repeating_worksheets(site: Site, program: Program) -> tuple[Worksheet, ...]:
    """The repeating worksheets the program's months use, in the order months first use them."""
    ids = dict.fromkeys(worksheet_id for month in program.months_in_order for worksheet_id in month.worksheets)
    return tuple(w for w in site.playbook.items_of("worksheet", ids) if isinstance(w, Worksheet) and w.repeat)


def _worksheet(worksheet: Worksheet) -> dict[str, Any]:
    assert worksheet.repeat is not None
    return {
        "id": worksheet.id,
        "title": worksheet.title,
        "eachMeeting": worksheet.repeat.each_meeting,  # its instances say when the pair met
        "fields": [_field(field) for field in worksheet.fields],
    }


def _field(field: Any) -> dict[str, Any]:
    found = {"id": field.id, "type": field.type, "label": field.label}
    if isinstance(field, ScaleField):
        found.update(min=field.min, max=field.max)
    return found


def _pair(pair: PairDates, worksheets: tuple[Worksheet, ...]) -> dict[str, Any]:
    instances = {}
    for worksheet in worksheets:
        assert worksheet.repeat is not None
        found = occurrences(worksheet.repeat, pair.program, pair.meetings)
        instances[worksheet.id] = [[o.number, o.day.isoformat() if o.day else None, o.month] for o in found]
    return {
        "id": pair.pair.id,
        "label": pair.label,
        "meetings": [meeting.day.isoformat() for meeting in pair.meetings],
        "instances": instances,  # by worksheet id: [number, day, month] of each instance
    }
