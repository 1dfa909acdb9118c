"""Turn loaded files into a `Playbook` that knows where each part came from, collecting every problem."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from pydantic import BaseModel, ValidationError

from .crosscheck import Problem, check_consistency, check_references, locate, unused
from .errors import Diagnostic, closest, one_of
from .explain import allowed_keys, explain
from .lint import lint
from .loader import Project
from .models import DOCUMENT_MODELS, Changelog, Cohort, Guide, GuideMeta, MonthOf, Playbook, Program, SiteSettings
from .names import SETTINGS_FILE
from .reading import Kind, SourceFile
from .values import Source, Sources

log = logging.getLogger(__name__)

FileResult = tuple[BaseModel | None, list[Diagnostic]]  # a file's model (None when it is invalid), its problems
CheckFile = Callable[[SourceFile], FileResult]
NAMED_BY_FILE = ("program", "worksheet", "checklist", "cohort")  # YAML files whose id is their file name
ITEM_KINDS: tuple[Kind, ...] = ("program", "worksheet", "checklist", "guide", "cohort", "changelog")


def check_file(source: SourceFile) -> FileResult:
    """Validate one file on its own, without looking at any other."""
    found: list[Diagnostic] = []
    return _validate_file(source, found), found


def validate_model(source: SourceFile, model_class: type[BaseModel]) -> FileResult:
    """Validate one file as `model_class`, whatever its kind says (a translation of playbook.yaml)."""
    found: list[Diagnostic] = []
    return _validate_file(source, found, model_class), found


def validate(project: Project, check: CheckFile = check_file) -> tuple[Playbook | None, list[Diagnostic]]:
    """Validate and cross-check every file; the playbook holds the files that passed, and their sources.

    The playbook is None when playbook.yaml itself is unusable. `check` validates one file on its
    own: a reuse layer may hand back an earlier build's result instead.
    """
    diagnostics = list(project.diagnostics)
    models: dict[str, BaseModel] = {}
    for source in project.files:
        if source.kind == "changelog":
            continue  # Markdown alone, with nothing to validate: its links are checked with the rest
        model, found = check(source)
        diagnostics.extend(found)
        if model is not None:
            models[source.path] = model
    references = list(check_references(project))
    diagnostics.extend(references)
    settings = next((m for m in models.values() if isinstance(m, SiteSettings)), None)
    if settings is None:
        return None, diagnostics
    if settings.updated is None and project.committed is not None:
        settings = settings.model_copy(update={"updated": project.committed})  # the day of the last commit
    consistency = list(check_consistency(project, models))
    diagnostics.extend(consistency)
    # A cohort with an error gets no pages (they would show wrong dates, or two pairs at one address);
    # its errors are reported, and the rest of the playbook is checked and built as usual.
    broken = {d.path for d in (*references, *consistency) if d.is_error}
    playbook = _assemble(settings, project, {p: m for p, m in models.items() if not _broken_cohort(p, m, broken)})
    if len(playbook.programs) == len(project.found["program"]):
        diagnostics.extend(unused(playbook, project))
    diagnostics.extend(lint(playbook, project))
    return playbook, diagnostics


def _broken_cohort(path: str, model: BaseModel, broken: set[str]) -> bool:
    return isinstance(model, Cohort) and path in broken


def _validate_file(
    source: SourceFile, diagnostics: list[Diagnostic], model_class: type[BaseModel] | None = None
) -> BaseModel | None:
    model_class = model_class or DOCUMENT_MODELS[source.kind]
    data: dict[str, Any] = dict(source.document.data)
    if "id" in data and source.kind in NAMED_BY_FILE:
        diagnostics.append(
            locate(
                source,
                Problem(("id",), "unknown key 'id'", f"a {source.kind}'s id is its file name, '{source.id}'", key=True),
            )
        )
        return None
    if source.kind in NAMED_BY_FILE:
        data["id"] = source.id
    try:
        meta = model_class.model_validate(data)
    except ValidationError as exc:
        for error in _root_causes(exc.errors(), model_class):
            diagnostics.append(locate(source, _problem_from(error, model_class, source)))
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


def _assemble(settings: SiteSettings, project: Project, models: dict[str, BaseModel]) -> Playbook:
    """Put the valid files together, each kind in the order readers will see it."""
    by_kind: dict[Kind, list[Any]] = {kind: [] for kind in ITEM_KINDS}
    for source in project.files:
        model = models.get(source.path)
        if model is not None and source.kind in by_kind:
            by_kind[source.kind].append(model)
    programs = sorted(by_kind["program"], key=lambda p: (p.order, p.title.lower(), p.id))
    uses = _month_uses(programs)
    place = {program.id: index for index, program in enumerate(programs)}

    def first_use(kind: str, item_id: str) -> tuple[int, ...]:
        months = uses.get((kind, item_id))
        return (place[months[0][0]], months[0][1]) if months else (1 << 30,)

    worksheets = sorted(by_kind["worksheet"], key=lambda w: (first_use("worksheet", w.id), w.title.lower()))
    checklists = sorted(by_kind["checklist"], key=lambda c: (first_use("checklist", c.id), c.title.lower()))
    guides = sorted(by_kind["guide"], key=lambda g: (g.meta.order, g.title.lower(), g.id))
    # A cohort of a program that is not there (an error already) has no dates to plan.
    cohorts = sorted((c for c in by_kind["cohort"] if c.program in place), key=lambda c: (c.title.lower(), c.id))
    changelog = next((s for s in project.files if s.kind == "changelog"), None)
    return Playbook(
        settings=settings,
        programs={p.id: p for p in programs},
        worksheets={w.id: w for w in worksheets},
        checklists={c.id: c for c in checklists},
        guides={g.id: g for g in guides},
        cohorts={c.id: c for c in cohorts},
        # Built without validation, as a guide is: validating would strip the text, and its lines would move.
        changelog=Changelog.model_construct(body=changelog.body, body_line=changelog.body_line) if changelog else None,
        uses=uses,
        sources=_sources(project),
    )


def _month_uses(programs: Iterable[Program]) -> dict[tuple[str, str], tuple[MonthOf, ...]]:
    """For each worksheet, checklist and guide (by kind and id): the months that use it, program by program."""
    uses: dict[tuple[str, str], list[MonthOf]] = {}
    for program in programs:
        for month in program.months_in_order:
            for kind, refs in (
                ("worksheet", month.worksheets),
                ("checklist", month.checklists),
                ("guide", month.guides),
            ):
                for ref in dict.fromkeys(refs):
                    uses.setdefault((kind, ref), []).append((program.id, month.number))
    return {key: tuple(months) for key, months in uses.items()}


def _sources(project: Project) -> Sources:
    """Where each part of the playbook was read from: what the stages after validation know of the files."""

    def source(path: str, kind: str) -> Source:
        loaded = project.loaded[path]
        front = (loaded.meta_digest or loaded.digest) if kind == "guide" else ""
        document = loaded.source.document if loaded.source else None
        return Source(path, loaded.digest, front, document, project.originals.get(path, ""))

    files: dict[str, dict[str, Source]] = {
        kind: {item_id: source(path, kind) for item_id, path in project.found[kind].items()} for kind in ITEM_KINDS
    }
    settings = source(SETTINGS_FILE, "playbook")
    if project.committed is not None:  # every page shows the day: a new commit's day is a change of the settings
        settings = replace(settings, digest=f"{settings.digest}@{project.committed.isoformat()}")
    return Sources(settings, files, project.assets)
