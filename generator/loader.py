"""Find a project's files and read them: strict UTF-8, YAML documents, guides' front matter."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .errors import Diagnostic
from .yaml_reader import YamlDocument, parse_yaml

log = logging.getLogger(__name__)

Kind = Literal["playbook", "program", "worksheet", "checklist", "guide"]
SETTINGS_FILE = "playbook.yaml"
YAML_FOLDERS: dict[str, Kind] = {"programs": "program", "worksheets": "worksheet", "checklists": "checklist"}
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


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
class Project:
    """Everything read from a project folder, before validation."""

    root: Path
    files: tuple[SourceFile, ...]
    found: dict[str, dict[str, str]]  # kind -> id -> path of every file found, parsed or not
    assets: tuple[Asset, ...]
    diagnostics: tuple[Diagnostic, ...] = field(default=())


def load_project(root: Path) -> Project:
    """Read every file of the project at `root`; problems become diagnostics, not exceptions."""
    root = root.resolve()
    problems: list[Diagnostic] = []
    files: list[SourceFile] = []
    known: dict[str, dict[str, str]] = {k: {} for k in ("playbook", "program", "worksheet", "checklist", "guide")}
    assets: list[Asset] = []
    settings = root / SETTINGS_FILE
    if settings.is_file():
        known["playbook"]["playbook"] = SETTINGS_FILE
        _collect(_read_yaml_file(root, SETTINGS_FILE, "playbook", "playbook"), files, problems)
    else:
        problems.append(
            Diagnostic(
                SETTINGS_FILE,
                0,
                0,
                f"no {SETTINGS_FILE} in {root}",
                "is this a playbook project? `playbook new DIR` makes one",
            )
        )
    for rel, kind in _content_files(root, problems):
        if kind == "asset":
            assets.append(Asset(rel, rel.removeprefix("content/"), (root / rel).read_bytes()))
            continue
        file_id = _file_id(rel, kind)
        if _check_id(rel, kind, file_id, known, problems):
            continue
        known[kind][file_id] = rel
        loaded = _read_guide(root, rel, file_id) if kind == "guide" else _read_yaml_file(root, rel, kind, file_id)
        _collect(loaded, files, problems)
    return Project(
        root=root,
        files=tuple(files),
        found=known,
        assets=tuple(assets),
        diagnostics=tuple(problems),
    )


def _collect(loaded: Loaded, files: list[SourceFile], problems: list[Diagnostic]) -> None:
    if isinstance(loaded, tuple):
        files.append(loaded[0])
        problems.extend(loaded[1])
    else:
        problems.extend(loaded)


def _file_id(rel: str, kind: str) -> str:
    if kind == "guide":
        return rel.removeprefix("content/guides/").removesuffix(".md")
    return Path(rel).stem


def _check_id(rel: str, kind: Kind, file_id: str, known: dict[str, dict[str, str]], problems: list[Diagnostic]) -> bool:
    """Report a file whose name cannot be an id; True when the file must be skipped."""
    if not all(ID_PATTERN.match(part) for part in file_id.split("/")):
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
            Diagnostic(rel, 1, 1, f"another {kind} file already has the id '{file_id}'", "keep one of them")
        )
        return True
    return False


def _content_files(root: Path, problems: list[Diagnostic]) -> Iterator[tuple[str, Kind | Literal["asset"]]]:
    """Every file under content/ that belongs to the playbook, in a stable order."""
    content = root / "content"
    if not content.is_dir():
        problems.append(Diagnostic("content", 0, 0, "no content/ folder", "a playbook keeps its files in content/"))
        return
    for dirpath, dirnames, filenames in os.walk(content, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not _ignored(d) and _inside(root, Path(dirpath, d), problems))
        for name in sorted(filenames):
            path = Path(dirpath, name)
            if _ignored(name) or not _inside(root, path, problems):
                continue
            rel = path.relative_to(root).as_posix()
            kind = _kind_of(rel)
            if kind is None:
                problems.append(
                    Diagnostic(rel, 1, 1, "not part of the playbook, so it is not published", PLACEMENT_HINT, "warning")
                )
            else:
                yield rel, kind


def _ignored(name: str) -> bool:
    return name.startswith((".", "_")) or name.endswith(("~", ".swp", ".tmp"))


def _inside(root: Path, path: Path, problems: list[Diagnostic]) -> bool:
    """False (and an error) for a link that leads out of the project."""
    if not path.is_symlink():
        return True
    target = path.resolve()
    if target == root or root in target.parents:
        return True
    rel = path.relative_to(root).as_posix()
    problems.append(
        Diagnostic(
            rel, 1, 1, "is a link to a place outside the project, so it is not read", "copy the file into the project"
        )
    )
    return False


def _kind_of(rel: str) -> Kind | Literal["asset"] | None:
    parts = rel.split("/")
    if len(parts) < 3:
        return None
    folder = parts[1]
    if folder == "assets":
        return "asset"
    if folder == "guides":
        return "guide" if rel.endswith(".md") else None
    if folder in YAML_FOLDERS and len(parts) == 3 and rel.endswith((".yaml", ".yml")):
        return YAML_FOLDERS[folder]
    return None


PLACEMENT_HINT = "programs, worksheets and checklists are .yaml files in their folders; guides are .md files; other files go in content/assets/"


def read_text(root: Path, rel: str) -> str | Diagnostic:
    """The file's text as strict UTF-8 with a BOM dropped and line ends made `\\n`."""
    data = (root / rel).read_bytes()
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


Loaded = tuple[SourceFile, list[Diagnostic]] | list[Diagnostic]


def _read_yaml_file(root: Path, rel: str, kind: Kind, file_id: str) -> Loaded:
    text = read_text(root, rel)
    if isinstance(text, Diagnostic):
        return [text]
    document, problems = parse_yaml(text, rel)
    if document is None:
        return problems
    return SourceFile(rel, kind, file_id, document), problems


def _read_guide(root: Path, rel: str, file_id: str) -> Loaded:
    text = read_text(root, rel)
    if isinstance(text, Diagnostic):
        return [text]
    front, front_line, body, body_line = split_front_matter(text)
    if front is None:
        return SourceFile(rel, "guide", file_id, YamlDocument({}, None, 1), body, body_line), []
    document, problems = parse_yaml(front, rel, first_line=front_line, empty_ok=True)
    if document is None:
        return problems
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
