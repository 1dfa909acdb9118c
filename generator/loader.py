"""Find a project's files and read them: strict UTF-8, YAML documents, guides' front matter."""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .errors import Diagnostic
from .files import NotRegularFile, read_regular
from .models import DEFAULT_MAX_FILE_MB
from .names import (
    ASSETS_FOLDER,
    CHECKLISTS_FOLDER,
    CONTENT_FOLDER,
    GUIDES_FOLDER,
    PROGRAMS_FOLDER,
    SETTINGS_FILE,
    WORKSHEETS_FOLDER,
)
from .values import WINDOWS_DEVICES
from .yaml_reader import YamlDocument, parse_yaml

log = logging.getLogger(__name__)

Kind = Literal["playbook", "program", "worksheet", "checklist", "guide"]
YAML_FOLDERS: dict[str, Kind] = {
    PROGRAMS_FOLDER: "program",
    WORKSHEETS_FOLDER: "worksheet",
    CHECKLISTS_FOLDER: "checklist",
}
# Used with fullmatch: `$` would also match before a final newline, and a file name may end in one.
ID_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
MEGABYTE = 1024 * 1024
NOT_A_FILE = "not a regular file (it is a named pipe, a device or a socket), so it is not read"


@dataclass(frozen=True)
class SourceFile:
    """One content file of the project, read and parsed."""

    path: str  # relative to the project, with forward slashes
    kind: Kind
    id: str
    document: YamlDocument
    body: str = ""  # a guide's Markdown
    body_line: int = 1  # the file line where the body starts


@dataclass(frozen=True)
class Asset:
    """A file under content/assets, copied to the site as it is."""

    path: str
    url: str
    data: bytes


@dataclass(frozen=True)
class LoadedFile:
    """What reading one file gave: its parsed form (None when it failed), and its problems."""

    path: str
    stamp: tuple[int, int]  # (modification time in ns, size) when it was read
    digest: str  # of its bytes: what a later build compares to know it is unchanged
    source: SourceFile | None = None
    asset: Asset | None = None
    problems: tuple[Diagnostic, ...] = ()
    meta_digest: str = ""  # of a guide's front matter alone: what lists of guides show
    too_big: bool = False  # not read: larger than the project's file size limit


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
        """The digest of a file's bytes, or '' when there is no such file.

        For `meta:<path>`, the digest of what lists show of it: a guide's front matter.
        """
        if path.startswith("meta:"):
            found = self.loaded.get(path[5:])
            return (found.meta_digest or found.digest) if found else ""
        found = self.loaded.get(path)
        return found.digest if found else ""


def load_project(
    root: Path, previous: Project | None = None, changed: Collection[str] = (), *, only_changed: bool = False
) -> Project:
    """Read every file of the project at `root`; problems become diagnostics, not exceptions.

    With `previous`, a file is read again only when its size or time changed or it is in `changed`.
    With `only_changed` (the caller watches the files and names every change), nothing else is
    even looked at, as long as every changed file is one `previous` had and still exists.
    """
    root = root.resolve()
    if (
        only_changed
        and previous is not None
        and changed
        and SETTINGS_FILE not in changed  # it may change the size limit, which applies to every file
        and all(_edited(root, previous, rel) for rel in changed)
    ):
        return _with_edits(root, previous, changed)
    problems: list[Diagnostic] = []
    loaded: dict[str, LoadedFile] = {}
    known: dict[str, dict[str, str]] = {k: {} for k in ("playbook", "program", "worksheet", "checklist", "guide")}
    limit = int(DEFAULT_MAX_FILE_MB * MEGABYTE)
    if (root / SETTINGS_FILE).is_file():
        known["playbook"]["playbook"] = SETTINGS_FILE
        info = (root / SETTINGS_FILE).stat()
        stamp = (info.st_mtime_ns, info.st_size)
        loaded[SETTINGS_FILE] = _load(root, SETTINGS_FILE, "playbook", "playbook", stamp, previous, changed, limit)
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
        loaded[rel] = _load(root, rel, kind, file_id, stamp, previous, changed, limit)
    return Project(root=root, loaded=loaded, found=known, problems=tuple(problems), size_limit=limit)


def _amount(size: int) -> str:
    """A number of bytes as people say it: '850 KB', '14.3 MB'."""
    if size < MEGABYTE:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / MEGABYTE:.1f} MB".replace(".0 MB", " MB")


def _size_limit(settings: LoadedFile) -> int:
    """The largest file to read, in bytes, as playbook.yaml sets it (validation reports a wrong value)."""
    data = settings.source.document.data if settings.source else None
    limits = data.get("limits") if isinstance(data, dict) else None
    wanted = limits.get("max_file_mb") if isinstance(limits, dict) else None
    if isinstance(wanted, (int, float)) and not isinstance(wanted, bool) and 0 < wanted <= 1024:
        return int(wanted * MEGABYTE)
    return int(DEFAULT_MAX_FILE_MB * MEGABYTE)


def _edited(root: Path, previous: Project, rel: str) -> bool:
    """Whether `rel` is a file the previous build read that is still there (an edit, not an addition or removal)."""
    return rel in previous.loaded and (root / rel).is_file()


def _with_edits(root: Path, previous: Project, changed: Collection[str]) -> Project:
    loaded = dict(previous.loaded)
    for rel in changed:
        earlier = previous.loaded[rel]
        kind: Kind | Literal["asset"] = earlier.source.kind if earlier.source else _kind_of(rel) or "asset"
        if rel == SETTINGS_FILE:
            kind = "playbook"
        info = (root / rel).stat()
        stamp = (info.st_mtime_ns, info.st_size)
        loaded[rel] = _load(root, rel, kind, _file_id(rel, kind), stamp, previous, changed, previous.size_limit)
    return Project(
        root=root, loaded=loaded, found=previous.found, problems=previous.problems, size_limit=previous.size_limit
    )


def _load(
    root: Path,
    rel: str,
    kind: Kind | Literal["asset"],
    file_id: str,
    stamp: Stamp,
    previous: Project | None,
    changed: Collection[str],
    limit: int,
) -> LoadedFile:
    """Read one file, or reuse what an earlier build read when the file has not changed since."""
    earlier = previous.loaded.get(rel) if previous is not None else None
    unchanged = earlier is not None and earlier.stamp == stamp and rel not in changed
    if unchanged and earlier is not None and not earlier.too_big and stamp[1] <= limit:
        return earlier
    data = b""
    if stamp[1] <= limit:
        try:  # no more than the limit, even if the file grew since it was listed
            data = read_regular(root / rel, limit, follow_links=True)
        except NotRegularFile:  # reading a named pipe would wait for ever, a device might never end
            problem = Diagnostic(rel, 1, 1, NOT_A_FILE, "replace it with a file, or remove it")
            return LoadedFile(rel, stamp, f"not a file {stamp}", problems=(problem,))
    if stamp[1] > limit or len(data) > limit:
        size = max(stamp[1], len(data))
        message = f"the file is {_amount(size)}, more than the {_amount(limit)} a file may be"
        hint = "make it smaller or split it; or raise `limits: max_file_mb:` in playbook.yaml"
        return LoadedFile(
            rel, stamp, f"too big {stamp}", problems=(Diagnostic(rel, 1, 1, message, hint),), too_big=True
        )
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    if kind == "asset":
        return LoadedFile(rel, stamp, digest, asset=Asset(rel, rel.removeprefix(f"{CONTENT_FOLDER}/"), data))
    text = read_text(data, rel)
    if isinstance(text, Diagnostic):
        return LoadedFile(rel, stamp, digest, problems=(text,))
    if kind == "guide":
        source, problems = _parse_guide(text, rel, file_id)
        front = split_front_matter(text)[0] or ""
        meta = hashlib.blake2b(front.encode("utf-8"), digest_size=16).hexdigest()
        return LoadedFile(rel, stamp, digest, source, problems=tuple(problems), meta_digest=meta)
    else:
        document, problems = parse_yaml(text, rel)
        source = SourceFile(rel, kind, file_id, document) if document is not None else None
    return LoadedFile(rel, stamp, digest, source, problems=tuple(problems))


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


Stamp = tuple[int, int]  # (modification time in ns, size)


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


PLACEMENT_HINT = "programs, worksheets and checklists are .yaml files in their folders; guides are .md files; other files go in content/assets/"


def read_text(data: bytes, rel: str) -> str | Diagnostic:
    """A file's text as strict UTF-8 with a BOM dropped and line ends made `\\n`."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = data[exc.start]
        return Diagnostic(
            rel,
            line,
            col,
            f"not valid UTF-8: byte 0x{byte:02x} cannot start or continue a character",
            "save the file as UTF-8",
        )
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _parse_guide(text: str, rel: str, file_id: str) -> tuple[SourceFile | None, list[Diagnostic]]:
    front, front_line, body, body_line = split_front_matter(text)
    if front is None and re.match(r"---[ \t]*\n", text):
        message = "the front matter that starts here has no closing `---` line"
        return None, [Diagnostic(rel, 1, 1, message, "add a `---` line after its last `key: value` line")]
    if front is None:
        return SourceFile(rel, "guide", file_id, YamlDocument({}, 1), body, body_line), []
    document, problems = parse_yaml(front, rel, first_line=front_line, empty_ok=True)
    if document is None:
        return None, problems
    return SourceFile(rel, "guide", file_id, document, body, body_line), problems


FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)


def split_front_matter(text: str) -> tuple[str | None, int, str, int]:
    """Split `---` front matter from a Markdown body: (front, its first line, body, its first line)."""
    if not re.match(r"---[ \t]*\n", text):
        return None, 1, text, 1
    start = text.index("\n") + 1
    end = FRONT_MATTER_END.search(text, start)
    if end is None:
        return None, 1, text, 1
    front = text[start : end.start()]
    body_start = text.find("\n", end.end())
    body = "" if body_start == -1 else text[body_start + 1 :]
    body_line = text.count("\n", 0, body_start + 1) + 1 if body_start != -1 else text.count("\n") + 2
    return front, 2, body, body_line
