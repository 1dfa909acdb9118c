"""Write back one source file of a project, for the editor: only under content/ or playbook.yaml, only if
it is still the file the form was opened on, and whole or not at all; or a new one, never over another."""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from pathlib import Path, PurePosixPath

from ..files import read_regular
from ..names import CONTENT_FOLDER

SOURCE_LIMIT = 1 << 24  # bytes: far more than any content file; a bigger one is not ours to replace


class SourceRefused(PermissionError):
    """The path is not one the editor may write: outside content/ and playbook.yaml, or through a link."""


class ChangedOnDisk(RuntimeError):
    """The file changed on disk since the form was opened, so saving would lose that change."""


def source_digest(data: bytes) -> str:
    """The sha256 of a file's bytes, as `replace_source` compares it."""
    return hashlib.sha256(data).hexdigest()


def replace_source(root: Path, rel: str, new_text: str, expected_digest: str) -> None:
    """Replace the project file `rel` (relative to `root`) with `new_text`, atomically, keeping its mode.

    Raises `SourceRefused` for a path outside content/ or other than playbook.yaml, or through a
    link; `ChangedOnDisk` when the file's sha256 is no longer `expected_digest`; OSError otherwise.
    """
    target = _allowed_path(root, rel)
    try:
        current = read_regular(target, SOURCE_LIMIT)
    except OSError as exc:
        raise SourceRefused(f"{rel} is not a plain file the editor can replace ({exc.strerror})") from None
    if len(current) > SOURCE_LIMIT or source_digest(current) != expected_digest:
        raise ChangedOnDisk(f"{rel} changed on disk since it was opened")
    mode = stat.S_IMODE(os.stat(target, follow_symlinks=False).st_mode)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(new_text.encode("utf-8"))
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)


def create_source(root: Path, rel: str, new_text: str) -> None:
    """Write the new project file `rel` with `new_text`, and any folders it needs under content/.

    Raises `SourceRefused` for a path the editor may not write (as `replace_source`), and
    `FileExistsError` when the file is there already: a new file never replaces one.
    """
    target = _allowed_path(root, rel)
    base = root.resolve()
    folder = target.parent
    while not folder.exists():  # made one by one, so no part of the way can be a link made meanwhile
        folder = folder.parent
    for part in target.parent.relative_to(folder).parts:
        folder = folder / part
        folder.mkdir(exist_ok=True)
        if folder.is_symlink() or folder.resolve() != base / folder.relative_to(base):
            raise SourceRefused(f"{rel!r} goes through a link, which the editor does not follow")
    handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(new_text.encode("utf-8"))
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)


def _allowed_path(root: Path, rel: str) -> Path:
    """The file `rel` names under `root`, if the editor may write it; no part of the way may be a link."""
    parts = PurePosixPath(rel.replace("\\", "/"))
    if parts.is_absolute() or not rel or "\x00" in rel:
        raise SourceRefused(f"{rel!r} is not a path inside the project")
    base = root.resolve()
    plain = os.path.normpath(str(parts))
    if plain.startswith("..") or os.path.isabs(plain):
        raise SourceRefused(f"{rel!r} is outside the project")
    inside = PurePosixPath(plain.replace(os.sep, "/")).parts
    if inside != ("playbook.yaml",) and (len(inside) < 2 or inside[0] != CONTENT_FOLDER):
        raise SourceRefused(f"{rel!r} is neither under {CONTENT_FOLDER}/ nor playbook.yaml")
    here = base
    for part in inside:
        here = here / part
        if here.is_symlink():
            raise SourceRefused(f"{rel!r} goes through a link, which the editor does not follow")
    if here.resolve() != base.joinpath(*inside):
        raise SourceRefused(f"{rel!r} is outside the project")
    return here


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; some systems cannot open a folder, and then it is skipped."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)
