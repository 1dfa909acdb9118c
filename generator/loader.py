"""Find a project's files, each with the kind of thing it holds and its id, and read them all."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .errors import Diagnostic
from .models import DEFAULT_MAX_FILE_MB
from .names import (
    ASSETS_FOLDER,
    CHECKLISTS_FOLDER,
    COHORTS_FOLDER,
    CONTENT_FOLDER,
    GUIDES_FOLDER,
    PROGRAMS_FOLDER,
    SETTINGS_FILE,
    WORKSHEETS_FOLDER,
)
from .reading import MEGABYTE, FoundFile, Kind, LoadedFile, SourceFile, Stamp, read_file
from .values import WINDOWS_DEVICES, Asset

log = logging.getLogger(__name__)

YAML_FOLDERS: dict[str, Kind] = {
    PROGRAMS_FOLDER: "program",
    WORKSHEETS_FOLDER: "worksheet",
    CHECKLISTS_FOLDER: "checklist",
    COHORTS_FOLDER: "cohort",
}
# Used with fullmatch: `$` would also match before a final newline, and a file name may end in one.
ID_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
ReadFile = Callable[[Path, FoundFile, int], LoadedFile]  # (project root, the file, the size limit) -> what it gave


@dataclass(frozen=True)
class Project:
    """Everything read from a project folder, before validation."""

    root: Path
    loaded: Mapping[str, LoadedFile]  # path -> what reading it gave, settings first, then content in order
    found: dict[str, dict[str, str]]  # kind -> id -> path of every file found, parsed or not
    problems: tuple[Diagnostic, ...] = field(default=())  # about the project as a whole
    size_limit: int = int(DEFAULT_MAX_FILE_MB * MEGABYTE)  # the largest file read, in bytes

    @property
    def files(self) -> tuple[SourceFile, ...]:
        """Every file that was read and parsed."""
        return tuple(f.source for f in self.loaded.values() if f.source is not None)

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
    known: dict[str, dict[str, str]] = {
        k: {} for k in ("playbook", "program", "worksheet", "checklist", "guide", "cohort")
    }
    limit = int(DEFAULT_MAX_FILE_MB * MEGABYTE)
    if (root / SETTINGS_FILE).is_file():
        known["playbook"]["playbook"] = SETTINGS_FILE
        settings = FoundFile(SETTINGS_FILE, "playbook", "playbook", _stamp(root, SETTINGS_FILE))
        loaded[SETTINGS_FILE] = read(root, settings, limit)
        limit = _size_limit(loaded[SETTINGS_FILE])
    else:
        message = f"no {SETTINGS_FILE} in {root}"
        problems.append(
            Diagnostic(SETTINGS_FILE, 0, 0, message, "is this a playbook project? `playbook new DIR` makes one")
        )
    for rel, kind, stamp in _content_files(root, problems):
        file_id = _file_id(rel, kind)
        if kind == "asset":
            if _unpublishable(rel, problems):
                continue
        else:
            if _check_id(rel, kind, file_id, known, problems):
                continue
            known[kind][file_id] = rel
        loaded[rel] = read(root, FoundFile(rel, kind, file_id, stamp), limit)
    return Project(root=root, loaded=loaded, found=known, problems=tuple(problems), size_limit=limit)


def read_again(root: Path, previous: Project, changed: Collection[str]) -> Project | None:
    """`previous` with the files in `changed` read again, and no other file even looked at.

    None when that is not enough: a file was added or removed, or playbook.yaml changed (it sets
    the size limit of every file); then the whole project must be loaded.
    """
    root = root.resolve()
    if not changed or SETTINGS_FILE in changed or not all(_edited(root, previous, rel) for rel in changed):
        return None
    loaded = dict(previous.loaded)
    for rel in changed:
        earlier = previous.loaded[rel]
        kind: Kind | Literal["asset"] = earlier.source.kind if earlier.source else _kind_of(rel) or "asset"
        loaded[rel] = read_file(root, FoundFile(rel, kind, _file_id(rel, kind), _stamp(root, rel)), previous.size_limit)
    return Project(
        root=root, loaded=loaded, found=previous.found, problems=previous.problems, size_limit=previous.size_limit
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


def _file_id(rel: str, kind: str) -> str:
    if kind == "guide":
        return rel.removeprefix(f"{CONTENT_FOLDER}/{GUIDES_FOLDER}/").removesuffix(".md")
    return rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def _unpublishable(rel: str, problems: list[Diagnostic]) -> bool:
    """Report an asset whose name could not be written on every system; True when it must be skipped."""
    for part in rel.split("/")[2:]:
        if "\\" in part or any(ord(c) < 32 for c in part):
            why = "its name has a backslash or a control character"
        elif part.endswith((" ", ".")):
            why = "its name ends with a space or a dot"
        elif part.split(".")[0].lower() in WINDOWS_DEVICES:
            why = f"'{part}' is a name Windows keeps for a device"
        else:
            continue
        problems.append(Diagnostic(rel, 1, 1, f"cannot be published: {why}", "rename it"))
        return True
    return False


def _check_id(rel: str, kind: Kind, file_id: str, known: dict[str, dict[str, str]], problems: list[Diagnostic]) -> bool:
    """Report a file whose name cannot be an id; True when the file must be skipped."""
    device = next((part for part in file_id.split("/") if part in WINDOWS_DEVICES), None)
    if device is not None:
        message = f"'{file_id}' cannot be an id: '{device}' is a name Windows keeps for a device"
        problems.append(Diagnostic(rel, 1, 1, message, f"rename it, e.g. to '{device}-notes'"))
        return True
    if not all(ID_PATTERN.fullmatch(part) for part in file_id.split("/")):
        suggestion = re.sub(r"[^a-z0-9]+", "-", file_id.lower()).strip("-") or "name"
        problems.append(
            Diagnostic(
                rel,
                1,
                1,
                f"'{file_id}' cannot be an id: use lowercase letters, digits and hyphens",
                f"rename it to '{suggestion}'",
            )
        )
        return True
    if file_id in known[kind]:
        problems.append(
            Diagnostic(
                rel,
                1,
                1,
                f"'{known[kind][file_id]}' already has the id '{file_id}'",
                "rename or remove one of the two files",
            )
        )
        return True
    return False


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
        kind = _kind_of(rel)
        if kind is None:
            message = "not part of the playbook, so it is not published"
            problems.append(Diagnostic(rel, 1, 1, message, PLACEMENT_HINT, "warning"))
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


def _kind_of(rel: str) -> Kind | Literal["asset"] | None:
    parts = rel.split("/")
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


PLACEMENT_HINT = "programs, worksheets, checklists and cohorts are .yaml files in their folders; guides are .md files; other files go in content/assets/"
