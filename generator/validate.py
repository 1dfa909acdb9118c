"""Turn loaded files into a `Playbook`, collecting every problem with its file and line."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import Diagnostic, Severity, Suggestions, closest, did_you_mean, one_of
from .explain import allowed_keys, explain
from .loader import Kind, Project, SourceFile
from .memo import Memo
from .models import (
    CADENCE_STEP,
    DOCUMENT_MODELS,
    Checklist,
    Guide,
    GuideMeta,
    Playbook,
    Program,
    ScaleField,
    SiteSettings,
    Worksheet,
)
from .yaml_reader import Loc

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Problem:
    """A problem at a place in a loaded file, before it is turned into a `Diagnostic`."""

    loc: Loc
    message: str
    hint: str = ""
    key: bool = False
    severity: Severity = "error"


def validate(project: Project, memo: Memo[FileResult] | None = None) -> tuple[Playbook | None, list[Diagnostic]]:
    """Validate and cross-check every file; the playbook holds the files that passed.

    The playbook is None when playbook.yaml itself is unusable. With `memo`, a file
    that an earlier build read and validated is not validated again.
    """
    diagnostics = list(project.diagnostics)
    models: dict[str, BaseModel] = {}
    for source in project.files:
        key = (source.path, project.digest(source.path))
        model, found = memo.get(key, partial(_validated, source)) if memo is not None else _validated(source)
        diagnostics.extend(found)
        if model is not None:
            models[source.path] = model
    roles = _declared_roles(project)
    hints: dict[str, Suggestions] = {}
    for source in project.files:
        diagnostics.extend(_locate(source, p) for p in _check_references(source, project, roles, hints))
    settings = next((m for m in models.values() if isinstance(m, SiteSettings)), None)
    if settings is None:
        return None, diagnostics
    playbook = _assemble(settings, project.files, models)
    for source in project.files:
        model = models.get(source.path)
        if model is not None:
            diagnostics.extend(_locate(source, p) for p in _check_consistency(model, project))
    if len(playbook.programs) == len(project.found["program"]):
        diagnostics.extend(_unused(playbook, project))
    return playbook, diagnostics


FileResult = tuple[BaseModel | None, list[Diagnostic]]


def _validated(source: SourceFile) -> FileResult:
    found: list[Diagnostic] = []
    return _validate_file(source, found), found


def _validate_file(source: SourceFile, diagnostics: list[Diagnostic]) -> BaseModel | None:
    model_class = DOCUMENT_MODELS[source.kind]
    data: dict[str, Any] = dict(source.document.data)
    if "id" in data and source.kind in ("program", "worksheet", "checklist"):
        diagnostics.append(
            _locate(
                source,
                Problem(("id",), "unknown key 'id'", f"a {source.kind}'s id is its file name, '{source.id}'", key=True),
            )
        )
        return None
    if source.kind in ("program", "worksheet", "checklist"):
        data["id"] = source.id
    try:
        meta = model_class.model_validate(data)
    except ValidationError as exc:
        for error in _root_causes(exc.errors(), model_class):
            diagnostics.append(_locate(source, _problem_from(error, model_class, source)))
        return None
    if isinstance(meta, GuideMeta):
        # Built without validation (each part already is valid) so the body is shared, not copied.
        return Guide.model_construct(id=source.id, meta=meta, body=source.body, body_line=source.body_line)
    return meta


def _root_causes(errors: list[Any], model_class: type[BaseModel]) -> list[Any]:
    """Leave out errors that only follow from another one.

    A list whose entries failed is also "too short" (pydantic counts valid entries
    only), and a misspelt key also leaves its real name "missing".
    """
    locs = [tuple(e["loc"]) for e in errors]
    misspelt = {
        (*e["loc"][:-1], closest(str(e["loc"][-1]), allowed_keys(model_class, tuple(e["loc"]))))
        for e in errors
        if e["type"] == "extra_forbidden"
    }
    return [
        e
        for e in errors
        if not (
            e["type"] == "too_short"
            and any(len(o) > len(e["loc"]) and o[: len(e["loc"])] == tuple(e["loc"]) for o in locs)
        )
        and not (e["type"] == "missing" and tuple(e["loc"]) in misspelt)
    ]


def _problem_from(error: Any, model_class: type[BaseModel], source: SourceFile) -> Problem:
    loc = tuple(error["loc"])
    message, hint = explain(error, model_class)
    if error["type"] == "extra_forbidden" and not hint:
        hint = one_of(allowed_keys(model_class, loc))
    if error["type"] == "missing" and source.kind == "guide" and source.document.node is None:
        hint = "start the guide with front matter: a `---` line, `title: ...`, and another `---` line"
    return Problem(loc, message, hint, key=error["type"] == "extra_forbidden")


def _locate(source: SourceFile, problem: Problem) -> Diagnostic:
    line, col = source.document.position(problem.loc, key=problem.key)
    return Diagnostic(source.path, line, col, problem.message, problem.hint, problem.severity)


def _assemble(settings: SiteSettings, files: Iterable[SourceFile], models: dict[str, BaseModel]) -> Playbook:
    """Put the valid files together, each kind in the order readers will see it."""
    by_kind: dict[Kind, list[Any]] = {"program": [], "worksheet": [], "checklist": [], "guide": []}
    for source in files:
        model = models.get(source.path)
        if model is not None and source.kind in by_kind:
            by_kind[source.kind].append(model)
    programs = sorted(by_kind["program"], key=lambda p: (p.order, p.title.lower(), p.id))
    first_use = _first_use(programs)
    worksheets = sorted(
        by_kind["worksheet"], key=lambda w: (first_use.get(("worksheet", w.id), (1 << 30,)), w.title.lower())
    )
    checklists = sorted(
        by_kind["checklist"], key=lambda c: (first_use.get(("checklist", c.id), (1 << 30,)), c.title.lower())
    )
    guides = sorted(by_kind["guide"], key=lambda g: (g.meta.order, g.title.lower(), g.id))
    return Playbook(
        settings=settings,
        programs={p.id: p for p in programs},
        worksheets={w.id: w for w in worksheets},
        checklists={c.id: c for c in checklists},
        guides={g.id: g for g in guides},
    )


def _first_use(programs: list[Program]) -> dict[tuple[str, str], tuple[int, ...]]:
    """Where each worksheet and checklist first appears: (program position, month number)."""
    first: dict[tuple[str, str], tuple[int, ...]] = {}
    for p_index, program in enumerate(programs):
        for month in sorted(program.months, key=lambda m: m.number):
            for worksheet_id in month.worksheets:
                first.setdefault(("worksheet", worksheet_id), (p_index, month.number))
            for checklist_id in month.checklists:
                first.setdefault(("checklist", checklist_id), (p_index, month.number))
    return first


# --- References between files -----------------------------------------------

# Where each kind of file names other things, as paths through its YAML data:
# "*" is every entry of a list, "{key}" every key of a mapping. Checked on the raw
# data, so a reference is reported even when the file has other errors.
REFERENCES: dict[str, tuple[tuple[tuple[str, ...], str], ...]] = {
    "program": (
        (("months", "*", "worksheets", "*"), "worksheet"),
        (("months", "*", "checklists", "*"), "checklist"),
        (("months", "*", "guides", "*"), "guide"),
        (("months", "*", "agenda", "*", "owner"), "role"),
        (("months", "*", "prepare", "{key}"), "role"),
        (("months", "*", "follow_up", "{key}"), "role"),
        (("commitments", "{key}"), "role"),
    ),
    "worksheet": ((("owner",), "role"), (("sections", "*", "owner"), "role")),
    "checklist": ((("items", "*", "owner"), "role"),),
    "guide": ((("roles", "*"), "role"),),
}


def _declared_roles(project: Project) -> list[str] | None:
    """Role ids from playbook.yaml, read even if the rest of it is invalid; None if unknown."""
    settings = next((f for f in project.files if f.kind == "playbook"), None)
    roles = settings.document.data.get("roles") if settings else None
    if not isinstance(roles, list):
        return None
    return [r["id"] for r in roles if isinstance(r, dict) and isinstance(r.get("id"), str)]


def _check_references(
    source: SourceFile, project: Project, roles: list[str] | None, hints: dict[str, Suggestions]
) -> Iterator[Problem]:
    """References to ids that do not exist; `hints` keeps each kind's did-you-mean index for the next file."""
    for pattern, kind in REFERENCES.get(source.kind, ()):
        known = roles if kind == "role" else project.found[kind]
        if known is None:
            continue
        for loc, value, is_key in _values_at(source.document.data, pattern, ()):
            if value not in known:
                what = "role" if kind == "role" else kind
                choices = hints.setdefault(kind, Suggestions(known))
                yield Problem(
                    loc, f"unknown {what} '{value}'", choices.did_you_mean(value) or choices.one_of(), key=is_key
                )


def _values_at(data: Any, pattern: tuple[str, ...], at: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str, bool]]:
    """Every text value (or key) the pattern reaches, with its location; a list at the end counts entry by entry."""
    if not pattern:
        if isinstance(data, str):
            yield at, data, False
        elif isinstance(data, list):
            yield from ((((*at, i)), v, False) for i, v in enumerate(data) if isinstance(v, str))
        return
    step, rest = pattern[0], pattern[1:]
    if step == "*" and isinstance(data, list):
        for index, entry in enumerate(data):
            yield from _values_at(entry, rest, (*at, index))
    elif step == "{key}" and isinstance(data, dict):
        yield from (((*at, key), key, True) for key in data if isinstance(key, str))
    elif isinstance(data, dict) and step in data:
        yield from _values_at(data[step], rest, (*at, step))


# --- Consistency within a file ------------------------------------------------


def _check_consistency(model: BaseModel, project: Project) -> Iterator[Problem]:
    if isinstance(model, SiteSettings):
        yield from _check_settings(model, project)
    elif isinstance(model, Program):
        yield from _check_program(model)
    elif isinstance(model, Worksheet):
        yield from _check_worksheet(model)
    elif isinstance(model, Checklist):
        yield from _unique(((item.id, ("items", i, "id")) for i, item in enumerate(model.items) if item.id), "item id")


def _check_settings(settings: SiteSettings, project: Project) -> Iterator[Problem]:
    yield from _unique(((r.id, ("roles", i, "id")) for i, r in enumerate(settings.roles)), "role")
    if settings.logo is not None:
        urls = [a.url for a in project.assets]
        if settings.logo not in urls:
            yield Problem(
                ("logo",),
                f"no file '{settings.logo}' under content/",
                did_you_mean(settings.logo, urls) or "put the image in content/assets/",
            )


def _check_program(program: Program) -> Iterator[Problem]:
    yield from _unique(((m.number, ("months", i, "number")) for i, m in enumerate(program.months)), "month")
    yield from _unique(((p.id, ("phases", i, "id")) for i, p in enumerate(program.phases)), "phase")
    numbers = {m.number for m in program.months}
    phase_of: dict[int, str] = {}
    for i, phase in enumerate(program.phases):
        for j, number in enumerate(phase.months):
            loc = ("phases", i, "months", j)
            if number not in numbers:
                yield Problem(loc, f"phase '{phase.id}' lists month {number}, which the program does not have")
            elif number in phase_of:
                yield Problem(
                    loc, f"month {number} is already in phase '{phase_of[number]}'", "a month belongs to one phase"
                )
            else:
                phase_of[number] = phase.id
    yield from _check_schedule(program)


def _check_schedule(program: Program) -> Iterator[Problem]:
    schedule = program.schedule
    both = "every" in schedule.model_fields_set and "cadence" in program.model_fields_set
    if both and CADENCE_STEP[program.cadence] != schedule.every:
        yield Problem(
            ("schedule", "every"),
            f"'every: {schedule.every}' disagrees with 'cadence: {program.cadence}'",
            "keep one of them",
        )
    on = schedule.on
    if on is not None and program.step != "month" and (on.nth is not None or on.day is not None):
        yield Problem(
            ("schedule", "on"),
            f"meetings every {program.step} fall on a weekday, not on '{on.label}'",
            "write a weekday, e.g. `on: thursday`",
        )


def _check_worksheet(worksheet: Worksheet) -> Iterator[Problem]:
    places = (
        (f.id, ("sections", i, "fields", j, "id"))
        for i, s in enumerate(worksheet.sections)
        for j, f in enumerate(s.fields)
    )
    yield from _unique(places, "field id")
    for i, section in enumerate(worksheet.sections):
        for j, field in enumerate(section.fields):
            if isinstance(field, ScaleField) and field.min >= field.max:
                yield Problem(
                    ("sections", i, "fields", j, "max"), f"'max' ({field.max}) must be greater than 'min' ({field.min})"
                )


def _unique(values: Iterable[tuple[Any, Loc]], what: str) -> Iterator[Problem]:
    seen: set[Any] = set()
    for value, loc in values:
        if value in seen:
            shown = value if isinstance(value, int) else f"'{value}'"
            yield Problem(loc, f"{what} {shown} appears more than once", "each must be unique")
        seen.add(value)


def _unused(playbook: Playbook, project: Project) -> Iterator[Diagnostic]:
    """Warn about worksheets and checklists that no month uses: readers would never find them."""
    used = {
        (kind, ref)
        for program in playbook.programs.values()
        for month in program.months
        for kind, refs in (("worksheet", month.worksheets), ("checklist", month.checklists))
        for ref in refs
    }
    for source in project.files:
        if source.kind in ("worksheet", "checklist") and (source.kind, source.id) not in used:
            yield Diagnostic(
                source.path,
                1,
                1,
                f"{source.kind} '{source.id}' is not used by any month",
                f"list it under a month's `{source.kind}s:` so readers find it",
                "warning",
            )
