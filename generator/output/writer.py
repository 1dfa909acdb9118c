"""Write a site: into a hidden folder beside the output as its files come, then swapped into place whole."""

from __future__ import annotations

import errno
import json
import logging
import os
import shutil
import stat
import sys
import time
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from ..errors import Diagnostic, PlaybookError
from ..files import read_regular
from ..names import CONTENT_FOLDER, OUTPUT_MARKER, TEMPLATES_FOLDER, THEMES_FOLDER

log = logging.getLogger(__name__)

# Every folder this writer makes holds this file; a folder without it is never replaced. It also lists
# each file's fingerprint and size, so the next build can carry over the files that did not change.
MARKER = OUTPUT_MARKER
MADE_BY = "playbook build; the whole folder is replaced by the next build"
AT_FDCWD, RENAME_EXCHANGE = -100, 2  # from Linux's <fcntl.h> and <linux/fs.h>
MANIFEST_LIMIT = 1 << 28  # bytes: a manifest gives each file a line; this is millions of files


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
    for source in (root / CONTENT_FOLDER, root / TEMPLATES_FOLDER, root / THEMES_FOLDER):
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


def read_manifest(out_dir: Path, written: Mapping[str, list[int]]) -> dict[str, str]:
    """Fingerprints of the files a previous build wrote to `out_dir` that are still as it wrote them.

    `written` holds what that build found of each file it left (by absolute path): its modification
    time, size and inode. A file counts as unchanged only if it is still that very file, so an edit
    that keeps the size, or a folder and manifest copied in from elsewhere (a repository, an
    archive), does not pass, and such files are written again.
    """
    try:
        manifest = json.loads(read_regular(out_dir / MARKER, MANIFEST_LIMIT))
        prints, sizes = dict(manifest["fingerprints"]), dict(manifest["sizes"])
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    folder = out_dir.resolve()
    intact = {}
    for url, fingerprint in prints.items():
        try:
            path = folder / _safe_relative(url)
            info = os.lstat(path)
        except (OSError, ValueError):
            continue
        stamp = [info.st_mtime_ns, info.st_size, info.st_ino]
        if stat.S_ISREG(info.st_mode) and info.st_size == sizes.get(url) and written.get(str(path)) == stamp:
            intact[url] = fingerprint
    return intact


class SiteWriter:
    """Writes a site into a hidden folder beside `out_dir` as its files arrive, then swaps it into place.

    Files can come while they are being made, so a big site is never held in memory whole; if
    anything goes wrong before `finish`, the hidden folder is deleted and `out_dir` is as it was.
    """

    def __init__(self, out_dir: Path, project_root: Path) -> None:
        problems = check_output_folder(out_dir, project_root)
        if problems:
            raise PlaybookError(problems)
        self.out = out_dir.resolve()
        self.staging = self.out.parent / f".{self.out.name}.new-{os.getpid()}"
        self.sizes: dict[str, int] = {}
        self._folders: set[Path] = set()

    def __enter__(self) -> SiteWriter:  # noqa: PYI034 - typing.Self needs Python 3.11
        self.out.parent.mkdir(parents=True, exist_ok=True)
        remove_path(self.staging)
        try:
            self.staging.mkdir()
        except BaseException:  # Ctrl-C as the folder appears: `__exit__` does not run for a failed `__enter__`
            remove_path(self.staging)
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        remove_path(self.staging)  # moved into place by finish(), or abandoned

    def add(self, url: str, data: bytes) -> None:
        """Write one file of the new site."""
        path = self.staging / _safe_relative(url)
        if path.parent not in self._folders:  # once per folder, not once per file
            path.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(path.parent)
        path.write_bytes(data)
        self.sizes[url] = len(data)

    def finish(self, kept: Collection[str], prints: Mapping[str, str]) -> bool:
        """Carry over `kept` files, write the marker and swap; False when the site was already exactly this."""
        started = time.perf_counter()
        sizes = dict(self.sizes)
        sizes.update({url: (self.out / _safe_relative(url)).stat().st_size for url in kept})
        manifest = {
            "made by": MADE_BY,
            "fingerprints": dict(sorted(prints.items())),
            "sizes": dict(sorted(sizes.items())),
        }
        marker = (json.dumps(manifest, indent=0, ensure_ascii=False) + "\n").encode("utf-8")
        if not self.sizes and _read(self.out / MARKER) == marker:
            log.info("left the site in %s as it was: every file already was as made", self.out)
            return False
        for url in kept:
            _carry(self.out / _safe_relative(url), self.staging / _safe_relative(url))
        (self.staging / MARKER).write_bytes(marker)
        _swap(self.staging, self.out)
        seconds = time.perf_counter() - started
        made = f"{len(self.sizes)} files written as they were made, {len(kept)} kept from the last build"
        log.info("put the new site in place in %s: %s (%.2f s)", self.out, made, seconds)
        return True


def _read(path: Path) -> bytes:
    try:
        return read_regular(path, MANIFEST_LIMIT)
    except OSError:
        return b""


def _carry(old: Path, new: Path) -> None:
    """Put a file of the previous build into the new one: a hard link, or a copy where links are not possible."""
    new.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(old, new)
    except OSError:
        shutil.copy2(old, new)


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
    remove_path(staging)
    try:
        staging.mkdir()
        for rel, data in files.items():
            path = staging / _safe_relative(rel)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        yield staging
    finally:
        remove_path(staging)


def _safe_relative(rel: str) -> PurePosixPath:
    """`rel` as a path that cannot leave the output folder."""
    path = PurePosixPath(rel)
    if path.is_absolute() or ".." in path.parts or "\\" in rel or not path.parts or rel.startswith("~"):
        raise ValueError(f"refusing to write outside the output folder: {rel!r}")
    return path


def _swap(staging: Path, out: Path) -> None:
    """Put the finished build in place of the old one; the old one is removed only after.

    Where the system can exchange two folders in one step, `out` is never missing, not even for
    a moment, and a build stopped at any point leaves a whole site in `out`. Elsewhere it takes
    two renames, and a build stopped between them is set right by the next one (`recover_output`).
    """
    if not out.exists():
        os.replace(staging, out)
        return
    if _exchange(staging, out):
        remove_path(staging)  # it now holds the old site
        return
    retired = out.parent / f".{out.name}.old-{os.getpid()}"
    remove_path(retired)
    os.replace(out, retired)
    try:
        os.replace(staging, out)
    except BaseException:
        os.replace(retired, out)
        raise
    remove_path(retired)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux: renameat2 with RENAME_EXCHANGE); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes  # here: only a build that replaces a site needs it

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a C library without it (glibc before 2.28, musl)
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    if renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0:
        return True
    failure = ctypes.get_errno()
    if failure in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # an old kernel, or a file system without it
        return False
    raise OSError(failure, os.strerror(failure), str(second))


def remove_site(out_dir: Path, project_root: Path) -> bool:
    """Delete an output folder a build made (it holds the marker); whether there was one."""
    if not out_dir.is_dir() or not (out_dir / MARKER).is_file() or check_output_folder(out_dir, project_root):
        return False
    shutil.rmtree(out_dir)
    return True


def remove_path(path: Path) -> None:
    """Delete a file or a whole folder, if it is there."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
