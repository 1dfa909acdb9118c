"""A playbook in another language: its files read through their translations, checked against the originals.

A translation (`vision.fr.yaml`) is a copy of its original with the words readers see translated and
everything else the same: keys, list lengths, ids, owners, references, dates and numbers. A file without
a translation is shown in the original language, with a notice; `check` lists each one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from babel import Locale, UnknownLocaleError

from .crosscheck import Problem, locate
from .errors import Diagnostic
from .loader import Project
from .models import Playbook, SettingsTranslation, SiteSettings
from .names import SETTINGS_FILE, settings_translation
from .reading import SourceFile
from .validate import CheckFile, check_file, validate, validate_model
from .values import Source
from .yaml_reader import Loc

# Keys whose text is an id, a reference or a setting, never words: a translation keeps their values.
SAME_IN_EVERY_LANGUAGE = frozenset(
    [
        *("id", "owner", "type", "when", "repeat", "number", "every", "on", "cadence", "time", "timezone"),
        *("worksheet", "worksheets", "checklists", "guides", "program", "roles", "expect_each_month"),
    ]
)
TRANSLATED_KINDS = ("program", "worksheet", "checklist", "guide", "changelog")  # cohorts are names and dates: no need
MOST_DIFFERENCES = 5  # reported for one file: past a few, the file is better compared by hand


def validate_language(
    project: Project, language: str, settings: SiteSettings, check: CheckFile = check_file
) -> tuple[Playbook | None, list[Diagnostic]]:
    """The playbook as it reads in `language`, and the problems of its translations."""
    playbook, problems = validate(project.in_language(language), check)
    translated, settings_problems = _translated_settings(project, language, settings)
    problems += settings_problems
    problems += differences(project, language)
    problems += untranslated(project, language)
    if playbook is None:
        return None, problems
    sources = replace(playbook.sources, settings=_settings_source(project, language, playbook.sources.settings))
    return playbook.model_copy(update={"settings": translated, "sources": sources}), problems


def _settings_source(project: Project, language: str, original: Source) -> Source:
    """Where a language's settings come from: playbook.yaml and its translation, which every page shows."""
    path = settings_translation(language)
    loaded = project.loaded.get(path)
    if loaded is None:
        return original
    document = loaded.source.document if loaded.source else None
    return Source(path, f"{original.digest}+{loaded.digest}", positions=document)


def language_name(language: str) -> str:
    """A language as its own speakers write it: `français`, `العربية`; the tag when CLDR does not know it."""
    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return language
    return locale.get_display_name(locale) or language


def _translated_settings(
    project: Project, language: str, settings: SiteSettings
) -> tuple[SiteSettings, list[Diagnostic]]:
    """playbook.yaml's settings in `language`, with the words `playbook.<lang>.yaml` translates."""
    loaded = project.loaded.get(settings_translation(language))
    source = loaded.source if loaded is not None else None
    if source is None:
        return settings.model_copy(update={"language": language}), []
    model, problems = validate_model(source, SettingsTranslation)
    if not isinstance(model, SettingsTranslation):
        return settings.model_copy(update={"language": language}), problems
    known = [role.id for role in settings.roles]
    for index, role in enumerate(model.roles):
        if role.id not in known:
            message = f"no role '{role.id}' in {SETTINGS_FILE}"
            problems.append(
                locate(source, Problem(("roles", index, "id"), message, f"its roles are {', '.join(known)}"))
            )
    return model.applied(settings, language), problems


def untranslated_items(project: Project, language: str) -> frozenset[tuple[str, str]]:
    """The (kind, id) of each program, worksheet, checklist and guide with no translation into `language`."""
    translated = project.translations_of(language)
    return frozenset(
        (kind, item)
        for kind in TRANSLATED_KINDS
        for item, path in project.found[kind].items()
        if path not in translated and project.loaded.get(path) is not None
    )


def untranslated(project: Project, language: str) -> Iterator[Diagnostic]:
    """A warning for each file of the playbook that has no translation into `language`."""
    name = language_name(language)
    for kind, item in sorted(untranslated_items(project, language)):
        path = project.found[kind][item]
        message = f"not translated into {name} ({language}): its pages there show it as it is, with a notice"
        yield Diagnostic(path, 0, 0, message, f"add {_translation_path(path, language)}", "warning")


def _translation_path(path: str, language: str) -> str:
    stem, dot, extension = path.rpartition(".")
    return f"{stem}.{language}.{extension}" if dot else f"{path}.{language}"


def differences(project: Project, language: str) -> Iterator[Diagnostic]:
    """Where a translation differs from its original in more than words: keys, entries, ids, values."""
    for original, path in project.translations_of(language).items():
        if original == SETTINGS_FILE:
            continue
        source = _source(project, original)
        translation = _source(project, path)
        if source is None or translation is None:
            continue  # a file that cannot be read is reported as such
        found = list(_compare(source.document.data, translation.document.data, (), False))
        for problem in found[:MOST_DIFFERENCES]:
            yield locate(translation, problem)
        if len(found) > MOST_DIFFERENCES:
            more = len(found) - MOST_DIFFERENCES
            message = f"{more} more differences from {original}"
            yield Diagnostic(path, 0, 0, message, "compare the two files side by side", "warning")


def _source(project: Project, path: str) -> SourceFile | None:
    loaded = project.loaded.get(path)
    return loaded.source if loaded is not None else None


def _compare(original: Any, translated: Any, loc: Loc, same: bool) -> Iterator[Problem]:
    """The differences between an original's data and its translation's, beyond the words.

    `same`: the value is an id or a setting (under a key of `SAME_IN_EVERY_LANGUAGE`), so even its text must match.
    """
    if isinstance(original, dict) and isinstance(translated, dict):
        for key in original:
            if key not in translated:
                yield _differs(loc, f"'{key}' is missing: the original has it", key=True)
        for key in translated:
            if key not in original:
                yield _differs((*loc, key), f"the original has no '{key}'", key=True)
            else:
                yield from _compare(original[key], translated[key], (*loc, key), same or key in SAME_IN_EVERY_LANGUAGE)
    elif isinstance(original, list) and isinstance(translated, list):
        if len(original) != len(translated):
            yield _differs(loc, f"{len(translated)} entries here, {len(original)} in the original")
            return
        for index, (before, after) in enumerate(zip(original, translated)):
            yield from _compare(before, after, (*loc, index), same)
    elif isinstance(original, (dict, list)) or isinstance(translated, (dict, list)):
        yield _differs(loc, "shaped differently from the original")
    elif (same or not isinstance(original, str) or not isinstance(translated, str)) and original != translated:
        yield _differs(loc, f"{_shown(translated)} here, {_shown(original)} in the original")


def _differs(loc: Loc, message: str, *, key: bool = False) -> Problem:
    where = ".".join(str(part) for part in loc)
    hint = "a translation changes only the words readers see; ids, keys and values stay as the original has them"
    return Problem(loc, f"{where + ': ' if where else ''}{message}", hint, key=key, severity="warning")


def _shown(value: object) -> str:
    return f"'{value}'" if isinstance(value, str) else str(value)
