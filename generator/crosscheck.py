"""Checks that look past one value: references between files, values that must be unique, unused files."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from .errors import Diagnostic, Severity, Suggestions, did_you_mean
from .loader import Project
from .models import (
    CADENCE_STEP,
    FONT_FORMATS,
    Checklist,
    Cohort,
    Playbook,
    Program,
    ScaleField,
    SiteSettings,
    Worksheet,
)
from .reading import SourceFile
from .yaml_reader import Loc


@dataclass(frozen=True)
class Problem:
    """A problem at a place in a loaded file, before it is turned into a `Diagnostic`."""

    loc: Loc
    message: str
    hint: str = ""
    key: bool = False
    severity: Severity = "error"


def locate(source: SourceFile, problem: Problem) -> Diagnostic:
    """The problem at its line and column in the file."""
    line, col = source.document.position(problem.loc, key=problem.key)
    return Diagnostic(source.path, line, col, problem.message, problem.hint, problem.severity)


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
        (("tasks", "*", "owner"), "role"),
        (("tasks", "*", "worksheet"), "worksheet"),
        (("expect_each_month", "*"), "role"),
    ),
    "worksheet": ((("owner",), "role"), (("sections", "*", "owner"), "role")),
    "checklist": ((("items", "*", "owner"), "role"),),
    "guide": ((("roles", "*"), "role"),),
    "cohort": ((("program",), "program"), (("pairs", "*", "names", "{key}"), "role")),
}


def _declared_roles(project: Project) -> list[str] | None:
    """Role ids from playbook.yaml, read even if the rest of it is invalid; None if unknown."""
    settings = next((f for f in project.files if f.kind == "playbook"), None)
    roles = settings.document.data.get("roles") if settings else None
    if not isinstance(roles, list):
        return None
    return [r["id"] for r in roles if isinstance(r, dict) and isinstance(r.get("id"), str)]


def check_references(project: Project) -> Iterator[Diagnostic]:
    """References, in every file read, to ids that do not exist."""
    roles = _declared_roles(project)
    hints: dict[str, Suggestions] = {}
    for source in project.files:
        yield from (locate(source, p) for p in _check_references(source, project, roles, hints))


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


def check_consistency(project: Project, models: Mapping[str, BaseModel]) -> Iterator[Diagnostic]:
    """Values within each valid file (by path in `models`) that contradict each other or repeat."""
    for source in project.files:
        model = models.get(source.path)
        if model is not None:
            yield from (locate(source, p) for p in _check_consistency(model, project))


def _check_consistency(model: BaseModel, project: Project) -> Iterator[Problem]:
    if isinstance(model, SiteSettings):
        yield from _check_settings(model, project)
    elif isinstance(model, Program):
        yield from _check_program(model)
    elif isinstance(model, Worksheet):
        yield from _check_worksheet(model)
    elif isinstance(model, Cohort):
        yield from _check_cohort(model)
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
    yield from _check_style_files(settings, {a.url: a.data for a in project.assets})


# A stylesheet's `url(https://...)`, `url(//...)` or `@import "https://..."`: a file the browser would ask another host for.
ELSEWHERE = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])((?:https?:)?//[^'")\s]+)""", re.IGNORECASE)


def _check_style_files(settings: SiteSettings, assets: Mapping[str, bytes]) -> Iterator[Problem]:
    """The stylesheets and fonts playbook.yaml names: each a file of its kind under content/assets/, and no
    stylesheet that has pages ask another host for a file."""
    urls = list(assets)
    wanted: list[tuple[Loc, str, tuple[str, ...]]] = [
        (("extra_css", i), p, (".css",)) for i, p in enumerate(settings.extra_css)
    ]
    for role, font in (("body", settings.fonts.body), ("headings", settings.fonts.headings)):
        if font is not None:
            wanted.append((("fonts", role, "file"), font.file, tuple(FONT_FORMATS)))
    for loc, path, suffixes in wanted:
        if path.startswith("/") or posixpath.normpath(path).startswith(".."):
            yield Problem(
                loc, f"'{path}' leads out of content/", "write its path from content/, e.g. `assets/brand.css`"
            )
        elif not path.lower().endswith(suffixes):
            kind = "a stylesheet (.css)" if suffixes == (".css",) else "a font file (.woff2, .woff, .ttf or .otf)"
            yield Problem(loc, f"'{path}' is not {kind}")
        elif path not in urls:
            alike = [url for url in urls if url.lower().endswith(suffixes)]
            hint = did_you_mean(path, alike) or "put the file in content/assets/ and write its path from content/"
            yield Problem(loc, f"no file '{path}' under content/", hint)
        elif suffixes == (".css",):
            yield from _loaded_from_elsewhere(loc, path, assets[path].decode("utf-8", "replace"))


def _loaded_from_elsewhere(loc: Loc, path: str, css: str) -> Iterator[Problem]:
    """A warning for the first file the stylesheet would have every page ask another host for."""
    found = ELSEWHERE.search(css)
    if found is not None:
        line = css.count("\n", 0, found.start()) + 1
        message = f"line {line} of '{path}' loads '{found[1]}', so every page would ask another host for it"
        hint = "save the file in content/assets/ and give its path relative to the stylesheet"
        yield Problem(loc, message, hint, severity="warning")


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


def _check_cohort(cohort: Cohort) -> Iterator[Problem]:
    yield from _unique(((p.id, ("pairs", i, "id")) for i, p in enumerate(cohort.pairs)), "pair id")
    for i, pair in enumerate(cohort.pairs):
        if cohort.start_date and pair.start_date and pair.start_date < cohort.start_date:
            yield Problem(
                ("pairs", i, "start_date"),
                f"pair '{pair.id}' starts on {pair.start_date}, before the cohort does ({cohort.start_date})",
                "give the pair a later start date, or move the cohort's `start_date` earlier",
            )
    if cohort.start_date and cohort.end_date and cohort.end_date <= cohort.start_date:
        yield Problem(("end_date",), f"the cohort ends ({cohort.end_date}) before it starts ({cohort.start_date})")


def _unique(values: Iterable[tuple[Any, Loc]], what: str) -> Iterator[Problem]:
    seen: set[Any] = set()
    for value, loc in values:
        if value in seen:
            shown = value if isinstance(value, int) else f"'{value}'"
            yield Problem(loc, f"{what} {shown} appears more than once", "each must be unique")
        seen.add(value)


def unused(playbook: Playbook, project: Project) -> Iterator[Diagnostic]:
    """Warn about worksheets and checklists that no month uses: readers would never find them."""
    for source in project.files:
        if source.kind in ("worksheet", "checklist") and (source.kind, source.id) not in playbook.uses:
            yield Diagnostic(
                source.path,
                1,
                1,
                f"{source.kind} '{source.id}' is not used by any month",
                f"list it under a month's `{source.kind}s:` so readers find it",
                "warning",
            )
