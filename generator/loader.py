"""Find a project's files, each with the kind of thing it holds and its id, and read them all."""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .errors import Diagnostic
from .file_names import check_id, translated_into, unpublishable
from .last_commit import last_commit_day
from .models import DEFAULT_MAX_FILE_MB
from .names import (
    ASSETS_FOLDER,
    CHANGELOG_FILE,
    CHECKLISTS_FOLDER,
    COHORTS_FOLDER,
    CONTENT_FOLDER,
    GUIDES_FOLDER,
    PROGRAMS_FOLDER,
    SETTINGS_FILE,
    WORKSHEETS_FOLDER,
    is_settings_file,
    settings_translation,
)
from .reading import MEGABYTE, FoundFile, Kind, LoadedFile, SourceFile, Stamp, read_file
from .values import Asset

log = logging.getLogger(__name__)

YAML_FOLDERS: dict[str, Kind] = {
    PROGRAMS_FOLDER: "program",
    WORKSHEETS_FOLDER: "worksheet",
    CHECKLISTS_FOLDER: "checklist",
    COHORTS_FOLDER: "cohort",
}
ReadFile = Callable[[Path, FoundFile, int], LoadedFile]  # (project root, the file, the size limit) -> what it gave


@dataclass(frozen=True)
class Translation:
    """A file that translates another one: `vision.fr.yaml` translates `vision.yaml` into French."""

    language: str  # as playbook.yaml's `languages` spells it
    original: str  # the path of the file it translates


@dataclass(frozen=True)
class Project:
    """Everything read from a project folder, before validation."""

    root: Path
    loaded: Mapping[str, LoadedFile]  # path -> what reading it gave, settings first, then content in order
    found: dict[str, dict[str, str]]  # kind -> id -> path of every file found, parsed or not
    problems: tuple[Diagnostic, ...] = field(default=())  # about the project as a whole
    size_limit: int = int(DEFAULT_MAX_FILE_MB * MEGABYTE)  # the largest file read, in bytes
    translations: Mapping[str, Translation] = field(default_factory=dict)  # by the translation's path
    originals: Mapping[str, str] = field(default_factory=dict)  # in one language: translation path -> original's
    # The day of the project's last commit, asked of git when playbook.yaml has no `updated:` (else None).
    committed: dt.date | None = None

    @property
    def files(self) -> tuple[SourceFile, ...]:
        """Every file of the playbook in its main language that was read and parsed."""
        return tuple(
            f.source for path, f in self.loaded.items() if f.source is not None and path not in self.translations
        )

    def in_language(self, language: str) -> Project:
        """The project as it reads in `language`: each content file replaced by its translation, if it has one.

        Its settings stay playbook.yaml's; their translation is read apart (`translations_of`).
        """
        chosen = {
            t.original: path
            for path, t in self.translations.items()
            if t.language == language and t.original != SETTINGS_FILE
        }
        loaded = {
            chosen.get(path, path): self.loaded[chosen.get(path, path)]
            for path in self.loaded
            if path not in self.translations
        }
        found = {kind: {item: chosen.get(path, path) for item, path in ids.items()} for kind, ids in self.found.items()}
        originals = {path: original for original, path in chosen.items()}
        return Project(
            self.root, loaded, found, self.problems, self.size_limit, originals=originals, committed=self.committed
        )

    def translations_of(self, language: str) -> dict[str, str]:
        """The files translated into `language`: original path -> the translation's path."""
        return {t.original: path for path, t in self.translations.items() if t.language == language}

    @property
    def assets(self) -> tuple[Asset, ...]:
        """Every file under content/assets."""
        return tuple(f.asset for f in self.loaded.values() if f.asset is not None)

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        """Every problem met while reading."""
        return (*self.problems, *(d for f in self.loaded.values() for d in f.problems))

    def digest(self, path: str) -> str:
        """The digest of a file's bytes, or '' when there is no such file."""
        found = self.loaded.get(path)
        return found.digest if found else ""


def load_project(root: Path, read: ReadFile = read_file) -> Project:
    """Find and read every file of the project at `root`; problems become diagnostics, not exceptions.

    `read` reads one file: a reuse layer may hand back what an earlier build read instead.
    """
    root = root.resolve()
    problems: list[Diagnostic] = []
    loaded: dict[str, LoadedFile] = {}
    languages: tuple[str, ...] = ()
    translations: dict[str, Translation] = {}
    pending: list[tuple[str, Kind, str, str]] = []  # translations whose original may not be found yet
    known: dict[str, dict[str, str]] = {
        k: {} for k in ("playbook", "program", "worksheet", "checklist", "guide", "cohort", "changelog")
    }
    limit = int(DEFAULT_MAX_FILE_MB * MEGABYTE)
    committed = None
    if (root / SETTINGS_FILE).is_file():
        known["playbook"]["playbook"] = SETTINGS_FILE
        settings = FoundFile(SETTINGS_FILE, "playbook", "playbook", _stamp(root, SETTINGS_FILE))
        loaded[SETTINGS_FILE] = read(root, settings, limit)
        limit = _size_limit(loaded[SETTINGS_FILE])
        languages = _languages(loaded[SETTINGS_FILE])
        committed = None if _dated(loaded[SETTINGS_FILE]) else last_commit_day(root)
    else:
        message = f"no {SETTINGS_FILE} in {root}"
        problems.append(
            Diagnostic(SETTINGS_FILE, 0, 0, message, "is this a playbook project? `playbook new DIR` makes one")
        )
    for rel, kind, stamp in _content_files(root, problems):
        file_id = _file_id(rel, kind)
        if kind == "asset":
            if unpublishable(rel, problems):
                continue
        else:
            language = translated_into(file_id, languages)
            if language:
                file_id = file_id.removesuffix(f".{language}")
                pending.append((rel, kind, file_id, language))
            elif check_id(rel, kind, file_id, known, problems, languages):
                continue
            else:
                known[kind][file_id] = rel
        loaded[rel] = read(root, FoundFile(rel, kind, file_id, stamp), limit)
    for rel, kind, file_id, language in pending:
        original = known[kind].get(file_id)
        if original is None:
            message = f"a translation into '{language}' of '{file_id}', which has no file in the main language"
            problems.append(Diagnostic(rel, 1, 1, message, "add the original, or rename the translation"))
            del loaded[rel]
            continue
        translations[rel] = Translation(language, original)
    for language in languages:
        rel = settings_translation(language)
        if (root / rel).is_file():
            translations[rel] = Translation(language, SETTINGS_FILE)
            loaded[rel] = read(root, FoundFile(rel, "playbook", "playbook", _stamp(root, rel)), limit)
    return Project(root, loaded, known, tuple(problems), limit, translations, committed=committed)


def read_again(root: Path, previous: Project, changed: Collection[str]) -> Project | None:
    """`previous` with the files in `changed` read again, and no other file even looked at.

    None when that is not enough: a file was added or removed, or playbook.yaml changed (it sets
    the size limit of every file); then the whole project must be loaded. The day of the last commit
    is kept as it was read: git is asked again only when the whole project is loaded.
    """
    root = root.resolve()
    if (
        not changed
        or any(is_settings_file(rel) for rel in changed)
        or not all(_edited(root, previous, rel) for rel in changed)
    ):
        return None
    loaded = dict(previous.loaded)
    for rel in changed:
        earlier = previous.loaded[rel]
        kind: Kind | Literal["asset"] = earlier.source.kind if earlier.source else kind_of(rel) or "asset"
        translation = previous.translations.get(rel)
        file_id = _file_id(rel, kind)
        if translation is not None and kind != "playbook":
            file_id = file_id.removesuffix(f".{translation.language}")
        loaded[rel] = read_file(root, FoundFile(rel, kind, file_id, _stamp(root, rel)), previous.size_limit)
    return Project(
        root,
        loaded,
        previous.found,
        previous.problems,
        previous.size_limit,
        previous.translations,
        committed=previous.committed,
    )


def _edited(root: Path, previous: Project, rel: str) -> bool:
    """Whether `rel` is a file the previous build read that is still there (an edit, not an addition or removal)."""
    return rel in previous.loaded and (root / rel).is_file()


def _stamp(root: Path, rel: str) -> Stamp:
    info = (root / rel).stat()
    return (info.st_mtime_ns, info.st_size)


def _size_limit(settings: LoadedFile) -> int:
    """The largest file to read, in bytes, as playbook.yaml sets it (validation reports a wrong value)."""
    data = settings.source.document.data if settings.source else None
    limits = data.get("limits") if isinstance(data, dict) else None
    wanted = limits.get("max_file_mb") if isinstance(limits, dict) else None
    if isinstance(wanted, (int, float)) and not isinstance(wanted, bool) and 0 < wanted <= 1024:
        return int(wanted * MEGABYTE)
    return int(DEFAULT_MAX_FILE_MB * MEGABYTE)


def _dated(settings: LoadedFile) -> bool:
    """Whether playbook.yaml says when the playbook was updated, so that git need not be asked."""
    data = settings.source.document.data if settings.source else None
    return isinstance(data, dict) and data.get("updated") is not None


def _languages(settings: LoadedFile) -> tuple[str, ...]:
    """The languages playbook.yaml translates the playbook into, besides its main one (validation reports
    a wrong value)."""
    data = settings.source.document.data if settings.source else None
    listed = data.get("languages") if isinstance(data, dict) else None
    if not isinstance(listed, list) or not all(isinstance(tag, str) for tag in listed):
        return ()
    main = data.get("language", listed[0] if listed else "") if isinstance(data, dict) else ""
    return tuple(tag for tag in listed if tag.lower() != str(main).lower())


def _file_id(rel: str, kind: str) -> str:
    if kind == "changelog":  # `changelog`, and `changelog.fr` for its translation
        return rel.rsplit("/", 1)[-1].removesuffix(".md").lower()
    if kind == "guide":
        return rel.removeprefix(f"{CONTENT_FOLDER}/{GUIDES_FOLDER}/").removesuffix(".md")
    return rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def _content_files(root: Path, problems: list[Diagnostic]) -> Iterator[tuple[str, Kind | Literal["asset"], Stamp]]:
    """Every file under content/ that belongs to the playbook, with its stamp, in a stable order."""
    if not (root / CONTENT_FOLDER).is_dir():
        problems.append(
            Diagnostic(CONTENT_FOLDER, 0, 0, "no content/ folder", "a playbook keeps its files in content/")
        )
        return
    if (root / CONTENT_FOLDER).is_symlink() and not _inside(
        root, CONTENT_FOLDER, problems, "copy the folder into the project"
    ):
        return
    yield from _scan(root, CONTENT_FOLDER, problems)


def _scan(root: Path, folder: str, problems: list[Diagnostic]) -> Iterator[tuple[str, Kind | Literal["asset"], Stamp]]:
    # os.scandir and plain strings: this runs over every file on every rebuild of the dev server.
    with os.scandir(root / folder) as found:
        entries = sorted(found, key=lambda entry: entry.name)
    for entry in entries:
        rel = f"{folder}/{entry.name}"
        if _ignored(entry.name) or (entry.is_symlink() and not _inside(root, rel, problems)):
            continue
        if entry.is_dir():
            yield from _scan(root, rel, problems)
            continue
        kind = kind_of(rel)
        if kind is None:
            message = "not part of the playbook, so it is not published"
            hint = CHANGELOG_HINT if rel.count("/") == 1 and rel.endswith(".md") else PLACEMENT_HINT
            problems.append(Diagnostic(rel, 1, 1, message, hint, "warning"))
            continue
        info = entry.stat()
        yield rel, kind, (info.st_mtime_ns, info.st_size)


def _ignored(name: str) -> bool:
    return name.startswith((".", "_")) or name.endswith(("~", ".swp", ".tmp"))


def _inside(root: Path, rel: str, problems: list[Diagnostic], hint: str = "copy the file into the project") -> bool:
    """False (and an error) for a link that leads out of the project."""
    target = (root / rel).resolve()
    if target == root or root in target.parents:
        return True
    message = "this is a link to a place outside the project, so it is not read"
    problems.append(Diagnostic(rel, 1, 1, message, hint))
    return False


def kind_of(rel: str) -> Kind | Literal["asset"] | None:
    """What the file at `rel` (under content/) holds, by where it is and how it is named; None: not ours."""
    parts = rel.split("/")
    if len(parts) == 2 and CHANGELOG_NAME.fullmatch(parts[1]):
        return "changelog"
    if len(parts) < 3:
        return None
    folder = parts[1]
    if folder == ASSETS_FOLDER:
        return "asset"
    if folder == GUIDES_FOLDER:
        return "guide" if rel.endswith(".md") else None
    if folder in YAML_FOLDERS and len(parts) == 3 and rel.endswith((".yaml", ".yml")):
        return YAML_FOLDERS[folder]
    return None


# content/CHANGELOG.md, and a translation of it beside it (CHANGELOG.fr.md).
CHANGELOG_NAME = re.compile(re.escape(CHANGELOG_FILE.removesuffix(".md")) + r"(\.[A-Za-z0-9-]+)?\.md")
CHANGELOG_HINT = (
    f"the list of what changed is {CONTENT_FOLDER}/{CHANGELOG_FILE}; guides go in {CONTENT_FOLDER}/{GUIDES_FOLDER}/"
)
PLACEMENT_HINT = "programs, worksheets, checklists and cohorts are .yaml files in their folders; guides are .md files; other files go in content/assets/"
