"""The only module that writes a site to disk: build beside, then swap into place."""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from .errors import Diagnostic, PlaybookError

log = logging.getLogger(__name__)

# Every folder this writer makes holds this file; a folder without it is never replaced.
MARKER = ".playbook-site"
MARKER_TEXT = b"Made by `playbook build`. The whole folder is replaced by the next build.\n"


def check_output_folder(out_dir: Path, project_root: Path) -> list[Diagnostic]:
    """Reasons not to use `out_dir` for the site: it would overwrite the project or someone's files."""
    out, root = out_dir.resolve(), project_root.resolve()
    shown = str(out_dir)
    if out == root or out in root.parents:
        return [
            Diagnostic(
                shown,
                0,
                0,
                "the output folder would contain the whole project, and a build replaces it",
                "choose a new folder, e.g. `-o _site`",
            )
        ]
    for source in (root / "content", root / "templates", root / "themes"):
        if out == source or source in out.parents:
            return [
                Diagnostic(
                    shown,
                    0,
                    0,
                    f"the output folder is inside {source.name}/, which the build reads",
                    "choose a folder outside it, e.g. `-o _site`",
                )
            ]
    if out.exists() and not out.is_dir():
        return [Diagnostic(shown, 0, 0, "the output path is a file, not a folder", "choose a folder")]
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        return [
            Diagnostic(
                shown,
                0,
                0,
                "the output folder has files that a build did not make, so it will not be replaced",
                "empty it, or choose another folder",
            )
        ]
    return []


def write_site(out_dir: Path, files: Mapping[str, bytes], project_root: Path) -> None:
    """Write `files` (path from the site root -> bytes) as the folder `out_dir`, all or nothing."""
    problems = check_output_folder(out_dir, project_root)
    if problems:
        raise PlaybookError(problems)
    out = out_dir.resolve()
    with _staged(out, {**files, MARKER: MARKER_TEXT}) as staging:
        _swap(staging, out)
    log.debug("wrote %d files to %s", len(files), out)


def write_new_folder(target: Path, files: Mapping[str, bytes]) -> None:
    """Create `target` holding `files`; it must not exist yet, or be an empty folder."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise PlaybookError(
            [Diagnostic(str(target), 0, 0, "already exists and is not empty", "choose a new folder name")]
        )
    out = target.resolve()
    with _staged(out, files) as staging:
        if out.is_dir():
            out.rmdir()
        os.replace(staging, out)


@contextmanager
def _staged(out: Path, files: Mapping[str, bytes]) -> Iterator[Path]:
    """A hidden folder beside `out` holding `files`; removed if it is not moved into place."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".{out.name}.new-{os.getpid()}"
    _remove(staging)
    try:
        staging.mkdir()
        for rel, data in files.items():
            path = staging / _safe_relative(rel)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        yield staging
    finally:
        _remove(staging)


def _safe_relative(rel: str) -> PurePosixPath:
    """`rel` as a path that cannot leave the output folder."""
    path = PurePosixPath(rel)
    if path.is_absolute() or ".." in path.parts or "\\" in rel or not path.parts or rel.startswith("~"):
        raise ValueError(f"refusing to write outside the output folder: {rel!r}")
    return path


def _swap(staging: Path, out: Path) -> None:
    """Put the finished build in place of the old one; the old one is removed only after."""
    if not out.exists():
        os.replace(staging, out)
        return
    retired = out.parent / f".{out.name}.old-{os.getpid()}"
    _remove(retired)
    os.replace(out, retired)
    try:
        os.replace(staging, out)
    except BaseException:
        os.replace(retired, out)
        raise
    _remove(retired)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
