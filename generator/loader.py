"""Find a project's files and read them: strict UTF-8, safe YAML that remembers positions."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Union

import yaml

from .errors import Diagnostic

log = logging.getLogger(__name__)

try:
    SafeLoader: type[Any] = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    SafeLoader = yaml.SafeLoader

Kind = Literal["playbook", "program", "worksheet", "checklist", "guide"]
SETTINGS_FILE = "playbook.yaml"
YAML_FOLDERS: dict[str, Kind] = {"programs": "program", "worksheets": "worksheet", "checklists": "checklist"}
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MAX_YAML_VALUES = 1_000_000  # a document whose aliases expand past this is refused
Loc = Sequence[str | int]


@dataclass(frozen=True)
class YamlDocument:
    """Parsed YAML data, with the node tree that knows where each value was written."""

    data: Any
    node: yaml.Node | None
    first_line: int = 1  # the file line of the YAML text's first line
    text: str = ""

    def position(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """Line and column (from 1) of the value at `loc`, or of its key when `key` is true."""
        node = self._node_at(loc, key)
        if node is None:
            return self.first_line, 1
        return node.start_mark.line + self.first_line, node.start_mark.column + 1

    def text_position(self, loc: Loc, line: int, needle: str) -> tuple[int, int]:
        """Where `needle`, on line `line` (from 0) of the text value at `loc`, is in the file."""
        node = self._node_at(loc, False)
        if node is None:
            return self.first_line, 1
        start = node.start_mark.line + (1 if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">") else 0)
        lines = self.text.split("\n")
        for index in (start + line, *range(start, min(node.end_mark.line + 1, len(lines)))):
            found = lines[index].find(needle) if index < len(lines) else -1
            if found >= 0:
                return index + self.first_line, found + 1
        return node.start_mark.line + self.first_line, node.start_mark.column + 1

    def _node_at(self, loc: Loc, key: bool) -> yaml.Node | None:
        """The node of the value at `loc`, or of its key.

        Parts of `loc` that do not name a key or index (tags of a tagged union) are
        skipped; when the path runs out (a missing key), the nearest parent is used.
        """
        node = self.node
        if node is None:
            return None
        parts = list(loc)
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            next_is_key = not last and parts[i + 1] == "[key]"
            if isinstance(node, yaml.MappingNode):
                pair = _find_key(node, part)
                if pair is None:
                    continue
                node = pair[0] if (key and last) or next_is_key else pair[1]
                if next_is_key:
                    break
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                if 0 <= part < len(node.value):
                    node = node.value[part]
            else:
                break
        return node


def _find_key(node: yaml.MappingNode, part: str | int) -> tuple[yaml.Node, yaml.Node] | None:
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(part):
            return key_node, value_node
    return None


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
    found: dict[Kind, dict[str, str]]  # kind -> id -> path of every file found, parsed or not
    assets: tuple[Asset, ...]
    diagnostics: tuple[Diagnostic, ...] = field(default=())

    @property
    def known_ids(self) -> dict[Kind, frozenset[str]]:
        """Ids of every file found, including files that failed to parse."""
        return {kind: frozenset(ids) for kind, ids in self.found.items()}


def load_project(root: Path) -> Project:
    """Read every file of the project at `root`; problems become diagnostics, not exceptions."""
    root = root.resolve()
    problems: list[Diagnostic] = []
    files: list[SourceFile] = []
    known: dict[Kind, dict[str, str]] = {k: {} for k in ("playbook", "program", "worksheet", "checklist", "guide")}
    assets: list[Asset] = []
    settings = root / SETTINGS_FILE
    if settings.is_file():
        known["playbook"]["playbook"] = SETTINGS_FILE
        _collect(_read_yaml_file(root, SETTINGS_FILE, "playbook", "playbook"), files, problems)
    else:
        problems.append(
            Diagnostic(SETTINGS_FILE, 0, 0, f"no {SETTINGS_FILE} in {root}", "is this a playbook project? `playbook new DIR` makes one")
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


def _check_id(rel: str, kind: Kind, file_id: str, known: dict[Kind, dict[str, str]], problems: list[Diagnostic]) -> bool:
    """Report a file whose name cannot be an id; True when the file must be skipped."""
    if not all(ID_PATTERN.match(part) for part in file_id.split("/")):
        suggestion = re.sub(r"[^a-z0-9]+", "-", file_id.lower()).strip("-") or "name"
        problems.append(
            Diagnostic(rel, 1, 1, f"'{file_id}' cannot be an id: use lowercase letters, digits and hyphens", f"rename it to '{suggestion}'")
        )
        return True
    if file_id in known[kind]:
        problems.append(Diagnostic(rel, 1, 1, f"another {kind} file already has the id '{file_id}'", "keep one of them"))
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
                problems.append(Diagnostic(rel, 1, 1, "not part of the playbook, so it is not published", PLACEMENT_HINT, "warning"))
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
    problems.append(Diagnostic(rel, 1, 1, "is a link to a place outside the project, so it is not read", "copy the file into the project"))
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
        return Diagnostic(rel, line, col, f"not valid UTF-8: byte 0x{byte:02x} cannot start or continue a character", "save the file as UTF-8")
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


Loaded = Union[tuple[SourceFile, list[Diagnostic]], list[Diagnostic]]


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


def parse_yaml(text: str, rel: str, *, first_line: int = 1, empty_ok: bool = False) -> tuple[YamlDocument | None, list[Diagnostic]]:
    """Parse one YAML document safely, keeping its node tree for positions.

    Returns the document (None when it cannot be used) and the problems found.
    """
    loader = SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            if empty_ok:
                return YamlDocument({}, None, first_line, text), []
            return None, [Diagnostic(rel, first_line, 1, "the file is empty", "it needs at least a `title:`")]
        too_big, duplicates = _structure_problems(node, rel, first_line)
        if too_big:
            return None, too_big
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_diagnostic(exc, text, rel, first_line)]
    except yaml.YAMLError as exc:
        return None, [Diagnostic(rel, first_line, 1, f"YAML cannot be read: {exc}")]
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        line = node.start_mark.line + first_line
        found = type(data).__name__ if data is not None else "nothing"
        return None, [Diagnostic(rel, line, node.start_mark.column + 1, f"expected a mapping of `key: value` lines, found {_plain_type(found)}")]
    return YamlDocument(data, node, first_line, text), duplicates


def _plain_type(name: str) -> str:
    return {"list": "a list", "str": "text", "int": "a number", "float": "a number", "bool": "true/false"}.get(name, name)


def _structure_problems(root: yaml.Node, rel: str, first_line: int) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """Alias bombs and duplicate keys: things PyYAML would accept silently."""
    problems: list[Diagnostic] = []
    sizes: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        sizes[id(node)] = 1  # a cycle counts once
        total = 1
        if isinstance(node, yaml.MappingNode):
            _check_duplicates(node, rel, first_line, problems)
            total += sum(size(k) + size(v) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            total += sum(size(v) for v in node.value)
        sizes[id(node)] = total
        return total

    if size(root) > MAX_YAML_VALUES:
        mark = root.start_mark
        message = f"the document expands to more than {MAX_YAML_VALUES:,} values through its aliases"
        return [Diagnostic(rel, mark.line + first_line, mark.column + 1, message, "remove the `*alias` references")], problems
    return [], problems


def _check_duplicates(node: yaml.MappingNode, rel: str, first_line: int, problems: list[Diagnostic]) -> None:
    seen: dict[str, int] = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
            continue
        line = key_node.start_mark.line + first_line
        if key_node.value in seen:
            problems.append(
                Diagnostic(rel, line, key_node.start_mark.column + 1, f"duplicate key '{key_node.value}' (first at line {seen[key_node.value]})", "keep one of them")
            )
        else:
            seen[key_node.value] = line


SYNTAX_HINTS = (
    ("mapping values are not allowed", "put text that contains ': ' in quotes"),
    ("could not determine a constructor", "tags such as !!python are not allowed; write plain values"),
    ("found undefined tag", "tags are not allowed; write plain values"),
    ("expected <block end>", "check the indentation of this line against the lines above"),
    ("expected '-' indicator", "check the indentation of this line against the lines above"),
    ("did not find expected key", "check the indentation, or quote text that starts with a special character"),
    ("expected a single document", "a file holds one document; remove the extra `---`"),
    ("found unhashable key", "quote keys that start with [ or {"),
    ("cannot start any token", "quote text that starts with @ or `"),
)
UNCLOSED = {"flow sequence": "[", "flow mapping": "{", "quoted scalar": "quote"}


def _syntax_diagnostic(exc: yaml.MarkedYAMLError, text: str, rel: str, first_line: int) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + first_line, mark.column + 1) if mark else (first_line, 1)
    problem = exc.problem or "invalid YAML"
    hint = next((h for needle, h in SYNTAX_HINTS if needle in str(exc)), "")
    if mark and _char_at(text, mark.line, mark.column) == "\t":
        problem, hint = "found a tab character", "indent with spaces, not tabs"
    opened = next((sign for what, sign in UNCLOSED.items() if what in (exc.context or "")), None)
    if opened and exc.context_mark:
        hint = f"the {opened} at line {exc.context_mark.line + first_line} is not closed"
    return Diagnostic(rel, line, col, f"YAML syntax: {problem}", hint)


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    return lines[line][column : column + 1] if line < len(lines) else ""
