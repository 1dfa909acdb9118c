"""Read one file of a project: strict UTF-8 (BOM and CRLF accepted), safe YAML, a guide's front matter."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .errors import Diagnostic
from .files import NotRegularFile, read_regular
from .names import CONTENT_FOLDER
from .values import Asset
from .yaml_reader import YamlDocument, parse_yaml

Kind = Literal["playbook", "program", "worksheet", "checklist", "guide", "cohort", "changelog"]
Stamp = tuple[int, int]  # (modification time in ns, size)
MEGABYTE = 1024 * 1024
NOT_A_FILE = "not a regular file (it is a named pipe, a device or a socket), so it is not read"


@dataclass(frozen=True)
class SourceFile:
    """One content file of the project, read and parsed."""

    path: str  # relative to the project, with forward slashes
    kind: Kind
    id: str
    document: YamlDocument
    body: str = ""  # a guide's Markdown, or the changelog's
    body_line: int = 1  # the file line where the body starts


@dataclass(frozen=True)
class FoundFile:
    """A file of the project to read: where it is, what it holds, and its stamp when it was found."""

    path: str  # relative to the project, with forward slashes
    kind: Kind | Literal["asset"]
    id: str
    stamp: Stamp


@dataclass(frozen=True)
class LoadedFile:
    """What reading one file gave: its parsed form (None when it failed), and its problems."""

    path: str
    stamp: Stamp  # when it was read
    digest: str  # of its bytes: what a later build compares to know it is unchanged
    source: SourceFile | None = None
    asset: Asset | None = None
    problems: tuple[Diagnostic, ...] = ()
    meta_digest: str = ""  # of a guide's front matter alone: what lists of guides show
    too_big: bool = False  # not read: larger than the project's file size limit


def read_file(root: Path, found: FoundFile, limit: int) -> LoadedFile:
    """Read and parse one file of the project at `root`, reading no more than `limit` bytes."""
    rel, stamp = found.path, found.stamp
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
    return read_data(found, data)


def read_data(found: FoundFile, data: bytes) -> LoadedFile:
    """Parse one file of the project from its bytes: what `read_file` read, or what an editor would write."""
    rel, stamp = found.path, found.stamp
    digest = _digest(data)
    if found.kind == "asset":
        return LoadedFile(rel, stamp, digest, asset=Asset(rel, rel.removeprefix(f"{CONTENT_FOLDER}/"), data, digest))
    text = read_text(data, rel)
    if isinstance(text, Diagnostic):
        return LoadedFile(rel, stamp, digest, problems=(text,))
    if found.kind == "changelog":  # Markdown through and through: no front matter
        body, body_line = _without_title(text)
        changelog = SourceFile(rel, "changelog", found.id, YamlDocument({}, 1), body, body_line)
        return LoadedFile(rel, stamp, digest, changelog)
    if found.kind == "guide":
        source, problems = _parse_guide(text, rel, found.id)
        front = split_front_matter(text)[0] or ""
        return LoadedFile(rel, stamp, digest, source, problems=tuple(problems), meta_digest=_digest(front.encode()))
    document, problems = parse_yaml(text, rel)
    source = SourceFile(rel, found.kind, found.id, document) if document is not None else None
    return LoadedFile(rel, stamp, digest, source, problems=tuple(problems))


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _amount(size: int) -> str:
    """A number of bytes as people say it: '850 KB', '14.3 MB'."""
    if size < MEGABYTE:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / MEGABYTE:.1f} MB".replace(".0 MB", " MB")


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


def _without_title(text: str) -> tuple[str, int]:
    """A Markdown file without the `# Changelog` heading it starts with, if it does: its page has a title of its own.
    The text left, and the file line it starts on."""
    first, newline, rest = text.partition("\n")
    if re.match(r" {0,3}#[ \t]", first) or first.strip() == "#":
        return rest, 2 if newline else 1
    return text, 1


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
